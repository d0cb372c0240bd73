// Wrapping a file whose size is not measured first (state.cpp): into a buffer of a first room
// that grows until the file fits. The body is then compiled for two contexts (wrap, unwrap), not
// three (1 KB less code on a device). A pass that runs out of room is thrown away (its bytes wiped)
// and run again in twice the room; with a first room at least the file's size there is one pass.
#pragma once

#include <vector>

#include "iota_streams/base/error.h"
#include "iota_streams/base/secret.h"
#include "iota_streams/ddml/status.h"
#include "iota_streams/ddml/wrap_context.h"

namespace iota_streams::channels::detail {

inline constexpr size_t kMostWrapRoom = size_t{1} << 26;  // far above any state: a bug, not a state

// `describe_all(ddml::WrapContext&)` returns a ddml::Status; the result is exactly the bytes it
// wrote. `passes`, when given, counts the passes run (tests).
template <class Body>
Result<std::vector<uint8_t>> wrap_growing(size_t first_room, Body&& describe_all,
                                          unsigned* passes = nullptr) {
  for (size_t room = first_room > 0 ? first_room : 1;; room *= 2) {
    std::vector<uint8_t> out(room);
    ddml::WrapContext ctx(out);
    const ddml::Status wrapped = describe_all(ctx);
    if (passes) ++*passes;
    if (wrapped.ok()) {
      out.resize(ctx.offset());
      return out;
    }
    secure_wipe(out.data(), out.size());
    if (wrapped.code != Errc::kOutputTooSmall || room >= kMostWrapRoom)
      return ddml::to_error(wrapped);
  }
}

}  // namespace iota_streams::channels::detail
