#include "iota_streams/ddml/status.h"

namespace iota_streams::ddml {

Error to_error(const Status& status) {
  // "<what> at byte <offset>: <kind>", built only when asked (no heap on the refusal path).
  return Error(status.code, status.what, nullptr, nullptr, static_cast<uint32_t>(status.offset));
}

}  // namespace iota_streams::ddml
