// Byte views, fixed-size byte arrays and hex text. Header-only helpers shared by every layer.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace iota_streams {

using ByteSpan = std::span<const uint8_t>;
using MutableByteSpan = std::span<uint8_t>;

template <size_t N>
using Bytes = std::array<uint8_t, N>;

inline ByteSpan as_bytes(std::string_view text) {
  return {reinterpret_cast<const uint8_t*>(text.data()), text.size()};
}

// Lower-case hex of `data`.
std::string to_hex(ByteSpan data);

// Decodes hex text (either case) into `out`; false if the text is not exactly 2*out.size() hex
// digits.
bool from_hex(std::string_view text, MutableByteSpan out);

// Decodes hex text of any even length; nullopt if it is not hex. (A vector, not
// basic_string<uint8_t>: libc++ 19 and later have no char_traits<unsigned char>.)
std::optional<std::vector<uint8_t>> from_hex(std::string_view text);

template <size_t N>
std::optional<Bytes<N>> fixed_from_hex(std::string_view text) {
  Bytes<N> out{};
  if (!from_hex(text, out)) return std::nullopt;
  return out;
}

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

// Constant-time equality for secrets and MACs.
bool equal_ct(ByteSpan a, ByteSpan b);

}  // namespace iota_streams
