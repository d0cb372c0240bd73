// Byte views, fixed-size byte arrays and big-endian integers: what every layer, the codec layers
// included, shares. Text (hex) is in base/text.h; secrets and their comparison in base/secret.h.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace iota_streams {

using ByteSpan = std::span<const uint8_t>;
using MutableByteSpan = std::span<uint8_t>;

template <size_t N>
using Bytes = std::array<uint8_t, N>;

// Big-endian integer encodings used by DDML (types/uint.rs: to_be_bytes).
inline void store_be(uint64_t value, MutableByteSpan out) {
  for (size_t i = out.size(); i-- > 0;) {
    out[i] = static_cast<uint8_t>(value);
    value >>= 8;
  }
}
inline uint64_t load_be(ByteSpan in) {
  uint64_t value = 0;
  for (uint8_t b : in) value = (value << 8) | b;
  return value;
}

}  // namespace iota_streams
