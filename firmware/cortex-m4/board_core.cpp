// Cortex-M4 on QEMU mps2-an386: SysTick as the instruction counter.
#include "board.h"

namespace board {
namespace {

// ---- SysTick (ARMv7-M system control space) ----
volatile uint32_t& syst_csr = *reinterpret_cast<volatile uint32_t*>(0xE000E010);
volatile uint32_t& syst_rvr = *reinterpret_cast<volatile uint32_t*>(0xE000E014);
volatile uint32_t& syst_cvr = *reinterpret_cast<volatile uint32_t*>(0xE000E018);
constexpr uint32_t kReload = 0x00FFFFFF;
constexpr uint64_t kInstructionsPerTick = 40;  // 1 GHz of virtual instructions / 25 MHz clock
volatile uint32_t wraps = 0;

uint64_t ticks() {
  uint32_t before, value;
  do {
    before = wraps;
    value = syst_cvr;
  } while (before != wraps);
  return static_cast<uint64_t>(before) * (kReload + 1) + (kReload - value);
}

}  // namespace

namespace core {

const char* description() { return "Cortex-M4 (QEMU mps2-an386)"; }

void start_counter() {
  syst_rvr = kReload;
  syst_cvr = 0;
  syst_csr = 0x7;  // enable, interrupt on wrap, processor clock
}

// QEMU -icount shift=0: one instruction per nanosecond of virtual time; SysTick counts the 25 MHz
// processor clock, so a tick is 40 instructions (checked by calibrate_permille()).
uint64_t instructions() { return ticks() * kInstructionsPerTick; }

uint64_t known_loop(uint32_t iterations) {
  // Two instructions per iteration: subs, bne.
  __asm__ volatile("1: subs %0, %0, #1\n\tbne 1b\n" : "+r"(iterations) : : "cc");
  return 2;
}

uintptr_t stack_pointer() {
  uintptr_t sp;
  __asm__ volatile("mov %0, sp" : "=r"(sp));
  return sp;
}

uintptr_t ram_start() { return 0x20000000; }
uint64_t instructions_per_microsecond() { return 25; }  // a 25 MHz Cortex-M4 would take this long

}  // namespace core
}  // namespace board

extern "C" void arm_systick_isr(void) { board::wraps = board::wraps + 1; }
