// The emulated board (QEMU mps2-an386, Cortex-M4): what the firmware needs from it. An instruction
// counter (SysTick under QEMU's -icount), stack painting, heap accounting, and the platform hooks the
// library asks for (randomness, time, log lines) backed by them.
#pragma once

#include <cstddef>
#include <cstdint>

namespace board {

// Starts SysTick as a free-running counter; call first thing in main.
void start_counter();
// Instructions executed so far (QEMU -icount shift=0: one instruction per nanosecond of virtual time;
// SysTick counts the 25 MHz processor clock, so a tick is 40 instructions, checked by calibrate()).
uint64_t instructions();
// Runs a loop of a known instruction count and returns the measured/expected ratio (1.0 when the
// counter is right).
double calibrate();

// Fills the free part of the stack with a pattern; peak_stack_bytes() finds how deep it was used.
void paint_stack();
size_t peak_stack_bytes();
size_t stack_size();

// Heap in use now and at its peak (malloc/free are wrapped at link time: -Wl,--wrap=...).
size_t heap_in_use();
size_t heap_peak();
void reset_heap_peak();
size_t ram_size();

// Seeds the DRBG and installs it for the library and for libsodium; installs time and logging.
void install_platform();

}  // namespace board
