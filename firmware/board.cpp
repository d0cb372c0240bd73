// What every emulated board shares: stack painting, heap accounting (malloc wrapped at link time),
// a ChaCha20 DRBG for the library and libsodium, and the library's platform hooks. The
// core-specific parts (instruction counter, stack pointer, memory map) are in
// <core>/board_core.cpp.
#include "board.h"

#include <sodium.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <unistd.h>

#include "iota_streams/base/platform.h"

// The stack region's size for picolibc.ld. Given here, in an object file, because the script tests
// DEFINED(__stack_size) before a --defsym from the command line is seen. Set by CMake.
__asm__(".global __stack_size\n.set __stack_size, " STREAMS_STACK_SIZE_TEXT);

extern "C" {
extern uint8_t __stack[];     // top of the stack (picolibc.ld)
extern uint8_t __heap_end[];  // the stack sits between __heap_end and __stack
extern uint8_t __heap_start[];
}

namespace board {
namespace {

// ---- stack painting ----
constexpr uint32_t kPaint = 0xA5A5A5A5u;

// ---- heap accounting: every block carries its size in front ----
size_t in_use = 0;
size_t peak = 0;
constexpr size_t kHeader = 8;  // keeps 8-byte alignment

// ---- randomness: ChaCha20 with fast key erasure, seeded once ----
uint8_t drbg_key[crypto_stream_chacha20_KEYBYTES];
uint64_t drbg_counter = 0;

void drbg_fill(void* out, size_t size) {
  uint8_t nonce[crypto_stream_chacha20_NONCEBYTES] = {};
  std::memcpy(nonce, &drbg_counter, sizeof drbg_counter);
  ++drbg_counter;
  uint8_t block[64 + 64];
  auto* bytes = static_cast<uint8_t*>(out);
  while (size > 0) {
    crypto_stream_chacha20(block, sizeof block, nonce, drbg_key);
    std::memcpy(drbg_key, block,
                sizeof drbg_key);  // the next key; this output cannot be recomputed
    const size_t take = size < 64 ? size : 64;
    std::memcpy(bytes, block + 64, take);
    bytes += take;
    size -= take;
    ++nonce[sizeof nonce - 1];
  }
  sodium_memzero(block, sizeof block);
}

const char* drbg_name() { return "board-chacha20-drbg"; }
uint32_t drbg_random() {
  uint32_t value;
  drbg_fill(&value, sizeof value);
  return value;
}
void drbg_stir() {}

// The seed: this emulated board has no hardware RNG. QEMU gives the host's wall clock through
// semihosting (time()), and the counter's value after the host-dependent semihosting calls adds a
// few bits. That is enough to make runs differ, not to protect keys: a real board seeds from its
// TRNG (ESP32: esp_fill_random; an STM32: the RNG peripheral).
void seed_drbg() {
  uint64_t material[4] = {static_cast<uint64_t>(time(nullptr)), instructions(),
                          reinterpret_cast<uintptr_t>(&material), 0};
  std::printf("seeding the DRBG from the host clock (semihosting) and the instruction counter\n");
  material[3] = instructions();
  crypto_generichash(drbg_key, sizeof drbg_key, reinterpret_cast<const uint8_t*>(material),
                     sizeof material, nullptr, 0);
}

void platform_random(uint8_t* out, size_t size) { drbg_fill(out, size); }
uint64_t platform_now_us() { return instructions() / core::instructions_per_microsecond(); }
void platform_log(const char* line) { std::printf("%s\n", line); }

}  // namespace

const char* description() { return core::description(); }
void start_counter() { core::start_counter(); }
uint64_t instructions() { return core::instructions(); }

uint32_t calibrate_permille() {
  constexpr uint32_t kIterations = 1000000;
  const uint64_t start = instructions();
  const uint64_t per_iteration = core::known_loop(kIterations);
  const uint64_t measured = instructions() - start;
  return static_cast<uint32_t>(measured * 1000 / (per_iteration * kIterations));
}

[[noreturn]] void power_off(int status) { _exit(status); }

void paint_stack() {
  uint32_t* low = reinterpret_cast<uint32_t*>(__heap_end);
  uint32_t* high =
      reinterpret_cast<uint32_t*>(core::stack_pointer() - 256);  // stay clear of this frame
  for (uint32_t* p = low; p < high; ++p) *p = kPaint;
}

size_t peak_stack_bytes() {
  const uint32_t* p = reinterpret_cast<const uint32_t*>(__heap_end);
  while (p < reinterpret_cast<const uint32_t*>(__stack) && *p == kPaint) ++p;
  return static_cast<size_t>(__stack - reinterpret_cast<const uint8_t*>(p));
}

size_t stack_size() { return static_cast<size_t>(__stack - __heap_end); }
size_t heap_in_use() { return in_use; }
size_t heap_peak() { return peak; }
void reset_heap_peak() { peak = in_use; }
size_t ram_size() {
  return static_cast<size_t>(reinterpret_cast<uintptr_t>(__stack) - core::ram_start());
}

void install_platform() {
  seed_drbg();
  static randombytes_implementation implementation = {drbg_name, drbg_random, drbg_stir,
                                                      nullptr,   drbg_fill,   nullptr};
  randombytes_set_implementation(&implementation);
  iota_streams::platform::install({platform_random, platform_now_us, platform_log});
}

}  // namespace board

extern "C" {

// libsodium's randombytes.c names this default; the board's DRBG is installed before sodium_init.
randombytes_implementation randombytes_sysrandom_implementation = {
    board::drbg_name, board::drbg_random, board::drbg_stir, nullptr, board::drbg_fill, nullptr};

void* __real_malloc(size_t size);
void __real_free(void* pointer);

void* __wrap_malloc(size_t size) {
  auto* block = static_cast<uint8_t*>(__real_malloc(size + board::kHeader));
  if (!block) return nullptr;
  std::memcpy(block, &size, sizeof size);
  board::in_use += size;
  if (board::in_use > board::peak) board::peak = board::in_use;
  return block + board::kHeader;
}

void __wrap_free(void* pointer) {
  if (!pointer) return;
  auto* block = static_cast<uint8_t*>(pointer) - board::kHeader;
  size_t size;
  std::memcpy(&size, block, sizeof size);
  board::in_use -= size;
  __real_free(block);
}

void* __wrap_calloc(size_t count, size_t size) {
  if (size != 0 && count > static_cast<size_t>(-1) / size) return nullptr;
  void* pointer = __wrap_malloc(count * size);
  if (pointer) std::memset(pointer, 0, count * size);
  return pointer;
}

void* __wrap_realloc(void* pointer, size_t size) {
  if (!pointer) return __wrap_malloc(size);
  size_t old_size;
  std::memcpy(&old_size, static_cast<uint8_t*>(pointer) - board::kHeader, sizeof old_size);
  void* moved = __wrap_malloc(size);
  if (!moved) return nullptr;
  std::memcpy(moved, pointer, old_size < size ? old_size : size);
  __wrap_free(pointer);
  return moved;
}

}  // extern "C"
