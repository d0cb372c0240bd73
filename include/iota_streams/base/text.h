// Text and bytes: hex encodings and views of text as bytes. Apart from base/bytes.h so that the
// codec layers (sponge, DDML), which never touch text, do not pull <string> and <optional>.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "iota_streams/base/bytes.h"

namespace iota_streams {

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

}  // namespace iota_streams
