// DDML encodings (iota-streams-ddml/src/types): big-endian integers, and `Size`, a byte count d
// followed by the d significant bytes of the value, big-endian (0 encodes as the single byte 00).
#pragma once

#include <cstddef>
#include <cstdint>

#include "iota_streams/base/bytes.h"
#include "iota_streams/sponge/spongos.h"

namespace iota_streams::ddml {

inline constexpr size_t kMaxSizeEncoding = 9;

// Number of significant bytes of n (0 for n = 0).
constexpr size_t size_bytes(uint64_t n) {
  size_t d = 0;
  for (; n != 0; n >>= 8) ++d;
  return d;
}
constexpr size_t sizeof_size(uint64_t n) { return 1 + size_bytes(n); }

// Writes the minimal encoding of n; returns its length.
inline size_t encode_size(uint64_t n, uint8_t out[kMaxSizeEncoding]) {
  const size_t d = size_bytes(n);
  out[0] = static_cast<uint8_t>(d);
  for (size_t i = 0; i < d; ++i) out[1 + i] = static_cast<uint8_t>(n >> (8 * (d - 1 - i)));
  return 1 + d;
}

// Where `join` finds the state of a linked message: the committed inner state stored per link.
class LinkLookup {
 public:
  virtual ~LinkLookup() = default;
  virtual bool lookup(ByteSpan link, sponge::Inner& out) const = 0;
};

enum class Mode { kSizeof, kWrap, kUnwrap };

}  // namespace iota_streams::ddml
