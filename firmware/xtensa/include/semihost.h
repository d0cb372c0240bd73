/* The part of picolibc's <semihost.h> the board's flash uses (firmware/device_flash.cpp), for the
 * Xtensa core, whose C runtime is firmware/xtensa/runtime.c (Debian has no windowed-ABI picolibc).
 * QEMU's Xtensa semihosting (simcall) opens host files with host open() flags. */
#ifndef STREAMS_XTENSA_SEMIHOST_H
#define STREAMS_XTENSA_SEMIHOST_H

#define SH_OPEN_R_PLUS_B 3 /* read and write an existing file */
#define SH_OPEN_W_PLUS_B 7 /* create or empty, then read and write */

int sys_semihost_open(const char* pathname, int semiflags);

#endif
