// The ESP32's core (Xtensa LX6, windowed ABI) as QEMU runs it: the dc233c core on the sim machine
// (windowed, 32 address registers). CCOUNT counts the core clock; under -icount shift=0 QEMU's
// clock advances one nanosecond per instruction, so one CCOUNT tick is kInstructionsPerTick
// instructions (calibrate_permille() checks it). The memory map is the linker script's
// (firmware/xtensa/sim.ld).
#include "board.h"

extern "C" uint8_t __ram[];  // sim.ld: start of RAM

namespace board::core {
namespace {

// dc233c's clock is 10 MHz (QEMU's core configuration): 100 instructions per tick at 1 GHz.
constexpr uint64_t kInstructionsPerTick = 100;
uint32_t last_ccount = 0;
uint64_t wraps = 0;  // CCOUNT is 32 bits; the flow reads it far more often than it wraps

uint32_t ccount() {
  uint32_t value;
  __asm__ volatile("rsr.ccount %0" : "=r"(value));
  return value;
}

}  // namespace

const char* description() { return "Xtensa LX6 windowed ABI, ESP32 class (QEMU sim, dc233c)"; }

void start_counter() { last_ccount = ccount(); }

uint64_t instructions() {
  const uint32_t now = ccount();
  if (now < last_ccount) wraps += uint64_t{1} << 32;
  last_ccount = now;
  return (wraps + now) * kInstructionsPerTick;
}

uint64_t known_loop(uint32_t iterations) {
  // Two instructions per iteration: addi, bnez.
  __asm__ volatile("1: addi %0, %0, -1\n\tbnez %0, 1b\n" : "+r"(iterations));
  return 2;
}

uintptr_t stack_pointer() {
  uintptr_t sp;
  __asm__ volatile("mov %0, a1" : "=r"(sp));
  return sp;
}

uintptr_t ram_start() { return reinterpret_cast<uintptr_t>(__ram); }
uint64_t instructions_per_microsecond() { return 240; }  // the ESP32 runs at up to 240 MHz

}  // namespace board::core
