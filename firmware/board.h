// The emulated board: what the firmware needs from it. An instruction counter, stack painting, heap
// accounting, and the platform hooks the library asks for (randomness, time, log lines) backed by
// them. board.cpp holds what every core shares; <core>/board_core.cpp the few things that differ
// (namespace board::core below).
#pragma once

#include <cstddef>
#include <cstdint>

namespace board {

// One line naming the core and the emulated board, for the run's header.
const char* description();

// Starts the instruction counter; call first thing in main.
void start_counter();
// Instructions executed so far (QEMU -icount shift=0).
uint64_t instructions();
// Runs a loop of a known instruction count and returns the measured/expected ratio in thousandths
// (1000 when the counter is right); an integer, as no board needs floating point for anything else.
uint32_t calibrate_permille();

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

// Ends the run now with `status` as QEMU's exit status (semihosting), as a power cut would: no
// destructors, no flushing beyond what was printed.
[[noreturn]] void power_off(int status);

namespace core {
const char* description();
void start_counter();
uint64_t instructions();
// Runs `iterations` of a loop and returns how many instructions one iteration is.
uint64_t known_loop(uint32_t iterations);
uintptr_t stack_pointer();
uintptr_t ram_start();
uint64_t instructions_per_microsecond();  // the core's clock, for the library's time hook
}  // namespace core

}  // namespace board
