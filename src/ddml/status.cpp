#include "iota_streams/ddml/status.h"

#include <string>

namespace iota_streams::ddml {

Error to_error(const Status& status) {
  std::string text(status.what);
  text += " at byte ";
  text += std::to_string(status.offset);
  text += ": ";
  text += errc_name(status.code);
  return Error(status.code, std::move(text));
}

}  // namespace iota_streams::ddml
