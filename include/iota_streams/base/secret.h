// Secrets are types: fixed-size key material that is wiped when it goes out of scope and has no
// printing or implicit conversion to text.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace iota_streams {

// Overwrites memory in a way the compiler may not elide (sodium_memzero on every platform we
// build).
void secure_wipe(void* data, size_t size);

template <size_t N>
class Secret {
 public:
  Secret() : bytes_{} {}
  explicit Secret(std::span<const uint8_t, N> bytes) {
    std::copy(bytes.begin(), bytes.end(), bytes_.begin());
  }
  Secret(const Secret&) = default;
  Secret& operator=(const Secret&) = default;
  ~Secret() { secure_wipe(bytes_.data(), N); }

  static constexpr size_t size() { return N; }
  const uint8_t* data() const { return bytes_.data(); }
  uint8_t* data() { return bytes_.data(); }
  std::span<const uint8_t, N> view() const { return std::span<const uint8_t, N>(bytes_); }
  std::span<uint8_t, N> view() { return std::span<uint8_t, N>(bytes_); }
  bool operator==(const Secret& other) const = default;

 private:
  std::array<uint8_t, N> bytes_;
};

}  // namespace iota_streams
