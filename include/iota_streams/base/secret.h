// Secrets are types: fixed-size key material that is wiped when it goes out of scope, is compared
// in constant time, and has no printing or implicit conversion to text or to a byte view.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "iota_streams/base/bytes.h"

namespace iota_streams {

// Overwrites memory in a way the compiler may not elide (sodium_memzero on every platform we
// build).
void secure_wipe(void* data, size_t size);

// Equality whose time depends only on the sizes, never on the bytes: no early exit, no branch and
// no table index on the contents (tests/ctgrind checks the compiled code under valgrind). For
// secrets, MACs and anything derived from them.
bool equal_ct(ByteSpan a, ByteSpan b);

template <size_t N>
class Secret {
 public:
  Secret() : bytes_{} {}
  explicit Secret(std::span<const uint8_t, N> bytes) {
    for (size_t i = 0; i < N; ++i) bytes_[i] = bytes[i];  // no <algorithm>: this header stays light
  }
  Secret(const Secret&) = default;
  Secret& operator=(const Secret&) = default;
  ~Secret() { secure_wipe(bytes_.data(), N); }

  static constexpr size_t size() { return N; }
  const uint8_t* data() const { return bytes_.data(); }
  uint8_t* data() { return bytes_.data(); }
  std::span<const uint8_t, N> view() const { return std::span<const uint8_t, N>(bytes_); }
  std::span<uint8_t, N> view() { return std::span<uint8_t, N>(bytes_); }
  // Constant time (equal_ct): comparing a secret must not tell where it first differs.
  bool operator==(const Secret& other) const { return equal_ct(view(), other.view()); }

 private:
  std::array<uint8_t, N> bytes_;
};

}  // namespace iota_streams
