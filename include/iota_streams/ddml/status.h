// The codec's error value: no allocation, so the size-of, wrap and unwrap paths never touch the
// heap. Higher layers turn a Status into an Error with context (the message type and address).
#pragma once

#include <cstddef>

#include "iota_streams/base/error.h"

namespace iota_streams::ddml {

struct [[nodiscard]] Status {
  Errc code = Errc::kOk;
  const char* what = "";  // static text: the command or field that failed
  size_t offset = 0;      // stream offset where it failed

  bool ok() const { return code == Errc::kOk; }
  static Status success() { return {}; }
};

inline Status fail(Errc code, const char* what, size_t offset) {
  return Status{code, what, offset};
}

// "<what> at byte <offset>: <code name>"
Error to_error(const Status& status);

}  // namespace iota_streams::ddml

#define DDML_TRY(expr) DDML_TRY_IMPL_(expr, DDML_CONCAT_(ddml_try_status_, __COUNTER__))
#define DDML_TRY_IMPL_(expr, name)                    \
  do {                                                \
    const ::iota_streams::ddml::Status name = (expr); \
    if (!name.ok()) return name;                      \
  } while (0)
#define DDML_CONCAT_(a, b) DDML_CONCAT2_(a, b)
#define DDML_CONCAT2_(a, b) a##b
