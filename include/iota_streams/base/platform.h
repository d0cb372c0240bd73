// Platform hooks: the few things the library needs from the system (randomness, a clock for
// reports, a log line). Hosts get libsodium's randombytes and the C++ clocks; firmware installs its
// own hooks (esp_fill_random on ESP-IDF, a hardware-seeded DRBG on the emulated board) before using
// the library.
#pragma once

#include <cstddef>
#include <cstdint>

namespace iota_streams::platform {

struct Hooks {
  // Fills `out` with `size` cryptographically secure random bytes. Must not fail.
  void (*random_bytes)(uint8_t* out, size_t size);
  // Monotonic time in microseconds (for reports only; never used by the protocol).
  uint64_t (*now_us)();
  // Writes one line of diagnostic text (no trailing newline in `line`).
  void (*log_line)(const char* line);
};

// Installs hooks; a null member keeps the current one. Call before any other library function.
void install(const Hooks& hooks);
const Hooks& hooks();

inline void random_bytes(uint8_t* out, size_t size) { hooks().random_bytes(out, size); }
inline uint64_t now_us() { return hooks().now_us(); }
inline void log_line(const char* line) { hooks().log_line(line); }

}  // namespace iota_streams::platform
