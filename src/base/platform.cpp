#include "iota_streams/base/platform.h"

#include <sodium.h>

#include <cstdio>

#if defined(STREAMS_HOST_CLOCK)
#include <chrono>
#endif

namespace iota_streams::platform {
namespace {

void default_random(uint8_t* out, size_t size) { randombytes_buf(out, size); }

uint64_t default_now_us() {
#if defined(STREAMS_HOST_CLOCK)
  using namespace std::chrono;
  return static_cast<uint64_t>(
      duration_cast<microseconds>(steady_clock::now().time_since_epoch()).count());
#else
  return 0;  // firmware installs its own clock
#endif
}

void default_log(const char* line) { std::printf("%s\n", line); }

Hooks& current() {
  static Hooks hooks{default_random, default_now_us, default_log};
  return hooks;
}

}  // namespace

void install(const Hooks& hooks) {
  Hooks& h = current();
  if (hooks.random_bytes) h.random_bytes = hooks.random_bytes;
  if (hooks.now_us) h.now_us = hooks.now_us;
  if (hooks.log_line) h.log_line = hooks.log_line;
}

const Hooks& hooks() { return current(); }

}  // namespace iota_streams::platform
