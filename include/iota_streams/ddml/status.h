// The codec's error value: no allocation, so the size-of, wrap and unwrap paths never touch the
// heap. Higher layers turn a Status into an Error with context (the message type and address).
#pragma once

#include <cstddef>

#include "iota_streams/base/bytes.h"
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

// The next n bytes of `buffer` from `pos` (which moves past them); `code` at `pos` when fewer
// remain. How the wrap and unwrap contexts walk their buffers.
inline Status next_region(MutableByteSpan buffer, size_t& pos, size_t n, Errc code,
                          const char* what, MutableByteSpan& region) {
  if (buffer.size() - pos < n) return fail(code, what, pos);
  region = buffer.subspan(pos, n);
  pos += n;
  return Status::success();
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

namespace iota_streams::ddml {

// One field described by `describe` (read, written or counted), then checked by `valid`: a field
// that is not valid fails with `code` and `what` at the field's first byte. The one place a field's
// offset is taken for an error, so callers name fields, never positions.
template <class Ctx, class Describe, class Valid>
Status checked_field(Ctx& ctx, Errc code, const char* what, Describe&& describe, Valid&& valid) {
  const size_t at = ctx.offset();
  DDML_TRY(describe());
  return valid() ? Status::success() : fail(code, what, at);
}

}  // namespace iota_streams::ddml
