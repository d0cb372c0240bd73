// An ESP32-C3-class RV32IMC core on QEMU virt: the minstret CSR counts retired instructions (under
// -icount shift=0 it counts each one; calibrate_permille() checks it).
#include "board.h"

namespace board::core {

const char* description() { return "RISC-V RV32IMC, ESP32-C3 class (QEMU virt)"; }

void start_counter() {}  // minstret runs from reset

uint64_t instructions() {
  uint32_t high, low, again;
  do {  // RV32: the 64-bit counter in two halves, re-read when the low half wrapped in between
    __asm__ volatile("csrr %0, minstreth" : "=r"(high));
    __asm__ volatile("csrr %0, minstret" : "=r"(low));
    __asm__ volatile("csrr %0, minstreth" : "=r"(again));
  } while (high != again);
  return static_cast<uint64_t>(high) << 32 | low;
}

uint64_t known_loop(uint32_t iterations) {
  // Two instructions per iteration: addi, bnez.
  __asm__ volatile("1: addi %0, %0, -1\n\tbnez %0, 1b\n" : "+r"(iterations));
  return 2;
}

uintptr_t stack_pointer() {
  uintptr_t sp;
  __asm__ volatile("mv %0, sp" : "=r"(sp));
  return sp;
}

uintptr_t ram_start() { return 0x80000000; }
uint64_t instructions_per_microsecond() { return 160; }  // the ESP32-C3 runs at 160 MHz

}  // namespace board::core
