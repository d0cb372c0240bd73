/* The smallest C runtime the firmware needs on the Xtensa core (windowed ABI), which Debian does
 * not ship: binutils/GCC/picolibc for xtensa-lx106 are call0-ABI only, and their code cannot be
 * called from windowed code. Here:
 *   - the reset code and the exception vectors (window overflow and underflow; any other exception
 *     ends the run with status 64 + EXCCAUSE), on QEMU's sim machine with the dc233c core;
 *   - the C entry: .bss cleared, C++ constructors, main, exit;
 *   - QEMU's Xtensa semihosting (simcall): console and host files for the board's flash;
 *   - memory and string functions, a first-fit allocator, an integer-only printf;
 *   - the 64-bit integer helpers clang calls (the core has no 32x32->64 multiply high).
 * Compiled at -O2 with -ffreestanding (firmware/CMakeLists.txt): LLVM 22 Xtensa bug 6, below. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

void* memcpy(void* to, const void* from, size_t n);
size_t strlen(const char* s);

#include "semihost.h"

/* ---- reset and vectors ---- */
__asm__(
    /* The reset vector (0xFE000000): reset_start follows the vectors, within a jump's reach. */
    "  .section .reset,\"ax\",@progbits\n"
    "  .global _reset\n"
    "_reset:\n"
    "  j reset_start\n"
    /* VECBASE + offsets of the dc233c configuration (XEA2). The window handlers are the ISA's. */
    "  .section .vectors,\"ax\",@progbits\n"
    "  .org 0x0\n" /* WindowOverflow4 */
    "  s32e a0, a5, -16\n  s32e a1, a5, -12\n  s32e a2, a5, -8\n  s32e a3, a5, -4\n  rfwo\n"
    "  .org 0x40\n" /* WindowUnderflow4 */
    "  l32e a0, a5, -16\n  l32e a1, a5, -12\n  l32e a2, a5, -8\n  l32e a3, a5, -4\n  rfwu\n"
    "  .org 0x80\n" /* WindowOverflow8 */
    "  s32e a0, a9, -16\n  l32e a0, a1, -12\n  s32e a1, a9, -12\n  s32e a2, a9, -8\n"
    "  s32e a3, a9, -4\n  s32e a4, a0, -32\n  s32e a5, a0, -28\n  s32e a6, a0, -24\n"
    "  s32e a7, a0, -20\n  rfwo\n"
    "  .org 0xC0\n" /* WindowUnderflow8 */
    "  l32e a1, a9, -12\n  l32e a0, a9, -16\n  l32e a7, a1, -12\n  l32e a2, a9, -8\n"
    "  l32e a4, a7, -32\n  l32e a3, a9, -4\n  l32e a5, a7, -28\n  l32e a6, a7, -24\n"
    "  l32e a7, a7, -20\n  rfwu\n"
    "  .org 0x100\n" /* WindowOverflow12 */
    "  s32e a0, a13, -16\n  l32e a0, a1, -12\n  s32e a1, a13, -12\n  s32e a2, a13, -8\n"
    "  s32e a3, a13, -4\n  s32e a4, a0, -48\n  s32e a5, a0, -44\n  s32e a6, a0, -40\n"
    "  s32e a7, a0, -36\n  s32e a8, a0, -32\n  s32e a9, a0, -28\n  s32e a10, a0, -24\n"
    "  s32e a11, a0, -20\n  rfwo\n"
    "  .org 0x140\n" /* WindowUnderflow12 */
    "  l32e a1, a13, -12\n  l32e a0, a13, -16\n  l32e a11, a1, -12\n  l32e a2, a13, -8\n"
    "  l32e a4, a11, -48\n  l32e a8, a11, -32\n  l32e a3, a13, -4\n  l32e a5, a11, -44\n"
    "  l32e a6, a11, -40\n  l32e a7, a11, -36\n  l32e a9, a11, -28\n  l32e a10, a11, -24\n"
    "  l32e a11, a11, -20\n  rfwu\n"
    /* Kernel, user and double exceptions: QEMU exits with 64 + EXCCAUSE (simcall exit). */
    "  .org 0x300\n"
    "  rsr.exccause a3\n  addi a3, a3, 64\n  movi a2, 1\n  .byte 0x00, 0x51, 0x00\n"
    "  .org 0x340\n"
    "  rsr.exccause a3\n  addi a3, a3, 64\n  movi a2, 1\n  .byte 0x00, 0x51, 0x00\n"
    "  .org 0x3C0\n"
    "  rsr.exccause a3\n  addi a3, a3, 64\n  movi a2, 1\n  .byte 0x00, 0x51, 0x00\n"
    /* reset_start: one register window live, vectors at __vectors, the stack, PS with window
     * overflow exceptions on (WOE) in user mode (UM), interrupts off; then c_start (call4). */
    "  .section .literal.reset_start,\"ax\",@progbits\n"
    "  .p2align 2\n"
    ".Lvectors: .4byte __vectors\n"
    ".Lstack: .4byte __stack\n"
    ".Lps: .4byte 0x00040020\n"
    ".Lc_start: .4byte c_start\n"
    "  .section .text.reset_start,\"ax\",@progbits\n"
    "  .p2align 2\n"
    "reset_start:\n"
    "  movi a0, 0\n  wsr.intenable a0\n  wsr.windowbase a0\n  movi a0, 1\n  wsr.windowstart a0\n"
    "  rsync\n"
    "  l32r a0, .Lvectors\n  wsr.vecbase a0\n"
    "  l32r a1, .Lstack\n"
    "  l32r a0, .Lps\n  wsr.ps a0\n  rsync\n"
    "  movi a0, 0\n"
    "  l32r a4, .Lc_start\n  callx4 a4\n"
    "1: j 1b\n"
    /* int xtensa_simcall(int call, int a, int b, int c): QEMU's semihosting call; the arguments
     * arrive in a2..a5 as simcall wants them, the result comes back in a2. */
    "  .section .text.xtensa_simcall,\"ax\",@progbits\n"
    "  .p2align 2\n"
    "  .global xtensa_simcall\n"
    "xtensa_simcall:\n"
    "  entry a1, 16\n  .byte 0x00, 0x51, 0x00\n  retw\n");

int xtensa_simcall(int call, int a, int b, int c);
enum { kSysExit = 1, kSysRead = 3, kSysWrite = 4, kSysOpen = 5, kSysClose = 6, kSysLseek = 19 };
/* Host (Linux) open() flags: QEMU passes them through. */
enum { kHostRdonly = 0, kHostWronly = 1, kHostRdwr = 2, kHostCreat = 0x40, kHostTrunc = 0x200 };

extern int main(void);
extern uint8_t __bss_start[], __bss_end[];
extern void (*__init_array_start[])(void);
extern void (*__init_array_end[])(void);
void exit(int status);

int printf(const char* f, ...);

/* The argument probe (LLVM 22 Xtensa bug 5, README "On a device"): eight arguments, the sixth in a7
 * and the last two on the stack, into a function with a 64-byte-aligned local declared as libsodium
 * declares its hash states. With the workaround (compiler_workarounds.h, included first in every
 * file, defines CRYPTO_ALIGN empty) the frame is not realigned and every argument arrives; without
 * it (libsodium's own definition, below, takes over) the frame is realigned and the stack arguments
 * are read at the realigned offset. Bug 4 (a frame pointer set over the sixth argument word) hits
 * variadic functions, whose prologue stores a2..a7 for va_arg after the frame pointer overwrote a7:
 * the varargs probe above passes a 64-bit number in a6:a7 and catches it (without
 * -fomit-frame-pointer it printed 1406758718000623 for 81985529216486895: a stack address as the
 * high word). tests/firmware/check_xtensa_frames.py checks every function of the images for both
 * bugs. Not static, its arguments read from volatile memory: clang can neither inline this function
 * nor propagate the constants into it. run_firmware.py checks both lines. */
#ifndef CRYPTO_ALIGN
#define CRYPTO_ALIGN(x) __attribute__((aligned(x)))
#endif
__attribute__((noinline)) unsigned xtensa_argument_probe(unsigned a, unsigned b, unsigned c,
                                                         unsigned d, unsigned e, unsigned sixth,
                                                         unsigned seventh, unsigned eighth) {
  CRYPTO_ALIGN(64) volatile unsigned char state[64];
  for (unsigned i = 0; i < sizeof state; ++i) state[i] = (unsigned char)(a + b + c + d + e + i);
  return sixth * 1000000u + seventh * 1000u + eighth + state[0] - (a + b + c + d + e);
}
static volatile unsigned argument_probe_values[8] = {1, 2, 3, 4, 5, 606, 707, 808};

void c_start(void) {
  for (uint8_t* p = __bss_start; p < __bss_end; ++p) *p = 0;
  /* The varargs probe (bug 3, below): a string, 32- and 64-bit numbers, past the six registers. */
  printf("varargs probe: %s %u %llu %d %llu %u %llu\n", "xtensa", 320u, 0x123456789abcdefull, -5,
         42ull, 7u, 0xfedcba9876543210ull);
  const volatile unsigned* v = argument_probe_values;
  printf("argument probe: %u (the 6th, 7th and 8th arguments: 606, 707, 808)\n",
         xtensa_argument_probe(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]));
  for (void (**f)(void) = __init_array_start; f < __init_array_end; ++f) (*f)();
  exit(main());
}

/* ---- system calls ---- */
void _exit(int status) {
  for (;;) xtensa_simcall(kSysExit, status, 0, 0);
}
void exit(int status) { _exit(status); }
void abort(void) { _exit(134); }
int write(int fd, const void* data, size_t size) {
  return xtensa_simcall(kSysWrite, fd, (int)(uintptr_t)data, (int)size);
}
int read(int fd, void* data, size_t size) {
  return xtensa_simcall(kSysRead, fd, (int)(uintptr_t)data, (int)size);
}
int close(int fd) { return xtensa_simcall(kSysClose, fd, 0, 0); }
long lseek(int fd, long offset, int whence) {
  return xtensa_simcall(kSysLseek, fd, (int)offset, whence);
}

/* open(): read-only is all the firmware asks of it (its mode file); the flash uses
 * sys_semihost_open. picolibc's O_* values differ from the host's: only O_RDONLY is the same. */
int open(const char* path, int flags, ...) {
  if (flags != 0) return -1;
  return xtensa_simcall(kSysOpen, (int)(uintptr_t)path, kHostRdonly, 0);
}

/* QEMU's Xtensa semihosting has no unlink: the file is emptied instead, and an empty file opens as
 * absent (below), which is what the firmware wants of a removed flash file. */
int unlink(const char* path) {
  const int fd = xtensa_simcall(kSysOpen, (int)(uintptr_t)path, kHostWronly | kHostTrunc, 0);
  if (fd < 0) return -1;
  close(fd);
  return 0;
}

int sys_semihost_open(const char* path, int mode) {
  if (mode == SH_OPEN_W_PLUS_B)
    return xtensa_simcall(kSysOpen, (int)(uintptr_t)path, kHostRdwr | kHostCreat | kHostTrunc,
                          0644);
  if (mode != SH_OPEN_R_PLUS_B) return -1;
  const int fd = xtensa_simcall(kSysOpen, (int)(uintptr_t)path, kHostRdwr, 0);
  if (fd >= 0 && lseek(fd, 0, 2) <= 0) { /* empty: removed (unlink above) */
    close(fd);
    return -1;
  }
  if (fd >= 0) lseek(fd, 0, 0);
  return fd;
}

/* No host clock through Xtensa semihosting: the DRBG seed comes from the instruction counter. */
long long time(long long* out) {
  if (out) *out = 0;
  return 0;
}

/* ---- memory and strings ---- */
void* memcpy(void* to, const void* from, size_t n) {
  uint8_t* d = to;
  const uint8_t* s = from;
  if ((((uintptr_t)d | (uintptr_t)s) & 3) == 0) {
    for (; n >= 4; n -= 4, d += 4, s += 4) *(uint32_t*)d = *(const uint32_t*)s;
  }
  while (n--) *d++ = *s++;
  return to;
}
void* memmove(void* to, const void* from, size_t n) {
  uint8_t* d = to;
  const uint8_t* s = from;
  if (d <= s || d >= s + n) return memcpy(to, from, n);
  while (n--) d[n] = s[n];
  return to;
}
void* memset(void* to, int value, size_t n) {
  uint8_t* d = to;
  while (n--) *d++ = (uint8_t)value;
  return to;
}
int memcmp(const void* a, const void* b, size_t n) {
  const uint8_t *x = a, *y = b;
  for (; n; --n, ++x, ++y)
    if (*x != *y) return *x - *y;
  return 0;
}
void* memchr(const void* p, int c, size_t n) {
  const uint8_t* s = p;
  for (; n; --n, ++s)
    if (*s == (uint8_t)c) return (void*)s;
  return NULL;
}
size_t strlen(const char* s) {
  const char* e = s;
  while (*e) ++e;
  return (size_t)(e - s);
}
int strcmp(const char* a, const char* b) {
  while (*a && *a == *b) ++a, ++b;
  return (uint8_t)*a - (uint8_t)*b;
}
int strncmp(const char* a, const char* b, size_t n) {
  for (; n; --n, ++a, ++b) {
    if (*a != *b || !*a) return (uint8_t)*a - (uint8_t)*b;
  }
  return 0;
}
char* strchr(const char* s, int c) {
  for (;; ++s) {
    if (*s == (char)c) return (char*)s;
    if (!*s) return NULL;
  }
}
unsigned long long strtoull(const char* s, char** end, int base) {
  unsigned long long value = 0;
  while (*s == ' ') ++s;
  for (; *s >= '0' && *s <= '9' && base == 10; ++s) value = value * 10 + (unsigned)(*s - '0');
  if (end) *end = (char*)s;
  return value;
}

/* ---- allocator: first fit over an address-ordered free list, neighbours merged on free ---- */
extern uint8_t __heap_start[], __heap_end[];
typedef struct Block {
  size_t size; /* bytes including this header */
  struct Block* next;
} Block;
static Block* free_list;
static int heap_ready;
enum { kAlign = 8, kHeaderSize = 8 };

void* malloc(size_t size) {
  if (!heap_ready) {
    free_list = (Block*)__heap_start;
    free_list->size = (size_t)(__heap_end - __heap_start) & ~(size_t)(kAlign - 1);
    free_list->next = NULL;
    heap_ready = 1;
  }
  if (size > (size_t)(__heap_end - __heap_start)) return NULL;
  const size_t need = (size + kHeaderSize + kAlign - 1) & ~(size_t)(kAlign - 1);
  for (Block** link = &free_list; *link; link = &(*link)->next) {
    Block* b = *link;
    if (b->size < need) continue;
    if (b->size - need >= 2 * kHeaderSize) {
      Block* rest = (Block*)((uint8_t*)b + need);
      rest->size = b->size - need;
      rest->next = b->next;
      *link = rest;
      b->size = need;
    } else {
      *link = b->next;
    }
    return (uint8_t*)b + kHeaderSize;
  }
  return NULL;
}

void free(void* pointer) {
  if (!pointer) return;
  Block* b = (Block*)((uint8_t*)pointer - kHeaderSize);
  Block *prev = NULL, *next = free_list;
  while (next && next < b) prev = next, next = next->next;
  b->next = next;
  if (next && (uint8_t*)b + b->size == (uint8_t*)next) {
    b->size += next->size;
    b->next = next->next;
  }
  if (prev && (uint8_t*)prev + prev->size == (uint8_t*)b) {
    prev->size += b->size;
    prev->next = b->next;
  } else if (prev) {
    prev->next = b;
  } else {
    free_list = b;
  }
}

/* ---- variadic arguments, read by GCC's rules (LLVM 22 Xtensa bug 3) ----
 * The Xtensa va_list is {int *__va_stk; int *__va_reg; int __va_ndx;}: argument bytes are counted
 * by
 * __va_ndx from the slot of a2 (__va_reg) while they fit in a2..a7 (24 bytes), then from __va_stk +
 * 32 (the caller's outgoing arguments). clang-22 gets two things wrong:
 *   - va_start sets __va_reg to the slot of the first variadic register instead of a2's: every
 * va_arg reads __va_ndx bytes too far (printf("%u,%u", 320, 32) printed "32,0");
 *   - va_arg of an 8-byte type reads the word before the aligned pair (a5:a6 for an argument in
 * a6:a7). So va_start is corrected once (xtensa_va_fix) and the arguments are read here, not by
 * va_arg. The varargs probe printed before main (c_start) shows the result;
 * tests/firmware/run_firmware.py checks it. LLVM 22 Xtensa bug 6: at -Os the same code read the
 * arguments as 0 (right at -O0/-O2): this file is built at -O2. */
typedef struct {
  uint8_t* stk;
  uint8_t* reg;
  int ndx;
} VaList;

static VaList* xtensa_va(va_list* ap) { return (VaList*)(void*)ap; }
#define XTENSA_VA_START(ap, last)                   \
  do {                                              \
    va_start(ap, last);                             \
    xtensa_va(&(ap))->reg -= xtensa_va(&(ap))->ndx; \
  } while (0)

static const uint8_t* va_next(VaList* ap, int size) {
  int ndx = (ap->ndx + size - 1) & ~(size - 1);
  int end = ndx + size;
  if (ap->ndx <= 24 && end > 24) end = 32 + size; /* the first argument passed on the stack */
  ap->ndx = end;
  return (end <= 24 ? ap->reg : ap->stk) + end - size;
}
static uint32_t va_u32(VaList* ap) {
  uint32_t v;
  memcpy(&v, va_next(ap, 4), 4);
  return v;
}
static uint64_t va_u64(VaList* ap) {
  uint64_t v;
  memcpy(&v, va_next(ap, 8), 8);
  return v;
}

/* ---- printf: %d %i %u %x %c %s %% with l, ll, z, width and '0' / '-' ---- */
typedef struct {
  char* out;
  size_t size, length;
} Sink;

static void put(Sink* sink, char c) {
  if (sink->out) {
    if (sink->length + 1 < sink->size) sink->out[sink->length] = c;
  } else {
    write(1, &c, 1);
  }
  ++sink->length;
}

static void put_padded(Sink* sink, const char* text, size_t length, int width, int left, char pad) {
  if (!left)
    for (int i = (int)length; i < width; ++i) put(sink, pad);
  for (size_t i = 0; i < length; ++i) put(sink, text[i]);
  if (left)
    for (int i = (int)length; i < width; ++i) put(sink, ' ');
}

static int format(Sink* sink, const char* f, VaList* args) {
  char buffer[24];
  for (; *f; ++f) {
    if (*f != '%') {
      put(sink, *f);
      continue;
    }
    ++f;
    int left = 0, width = 0, longs = 0;
    char pad = ' ';
    for (; *f == '-' || *f == '0'; ++f) {
      if (*f == '-')
        left = 1;
      else
        pad = '0';
    }
    for (; *f >= '0' && *f <= '9'; ++f) width = width * 10 + (*f - '0');
    for (; *f == 'l' || *f == 'z'; ++f) longs += *f == 'l'; /* long and size_t are 32 bits */
    switch (*f) {
      case 'd':
      case 'i':
      case 'u':
      case 'x': {
        unsigned long long value = longs >= 2 ? va_u64(args) : va_u32(args);
        int negative = 0;
        if (*f == 'd' || *f == 'i') {
          const long long v = longs >= 2 ? (long long)value : (long long)(int32_t)(uint32_t)value;
          negative = v < 0;
          value = negative ? 0ull - (unsigned long long)v : (unsigned long long)v;
        }
        const unsigned base = *f == 'x' ? 16 : 10;
        char *end = buffer + sizeof buffer, *p = end;
        do {
          *--p = "0123456789abcdef"[value % base];
          value /= base;
        } while (value);
        if (negative) *--p = '-';
        put_padded(sink, p, (size_t)(end - p), width, left, pad);
        break;
      }
      case 'c':
        buffer[0] = (char)va_u32(args);
        put_padded(sink, buffer, 1, width, left, ' ');
        break;
      case 's': {
        const char* s = (const char*)(uintptr_t)va_u32(args);
        if (!s) s = "(null)";
        put_padded(sink, s, strlen(s), width, left, ' ');
        break;
      }
      case '%':
        put(sink, '%');
        break;
      default:
        return -1;
    }
  }
  return (int)sink->length;
}

/* vsnprintf takes a va_list already corrected by XTENSA_VA_START: only this file's functions call
 * it. */
int vsnprintf(char* out, size_t size, const char* f, va_list args) {
  Sink sink = {out, size, 0};
  const int n = format(&sink, f, xtensa_va(&args));
  if (out && size) out[sink.length < size ? sink.length : size - 1] = 0;
  return n;
}
int snprintf(char* out, size_t size, const char* f, ...) {
  va_list args;
  XTENSA_VA_START(args, f);
  const int n = vsnprintf(out, size, f, args);
  va_end(args);
  return n;
}
int printf(const char* f, ...) {
  va_list args;
  XTENSA_VA_START(args, f);
  Sink sink = {NULL, 0, 0};
  const int n = format(&sink, f, xtensa_va(&args));
  va_end(args);
  return n;
}
int puts(const char* s) {
  write(1, s, strlen(s));
  write(1, "\n", 1);
  return 0;
}
int putchar(int c) {
  const char ch = (char)c;
  write(1, &ch, 1);
  return c;
}

/* ---- C++ ABI leftovers: static destructors never run (the firmware ends by exiting) ---- */
void* __dso_handle;
int __cxa_atexit(void (*f)(void*), void* object, void* dso) {
  (void)f, (void)object, (void)dso;
  return 0;
}

/* ---- 64-bit integer helpers (libgcc's names) ---- */
/* 32 x 32 -> 64 from 16-bit halves: the dc233c core has no multiply-high instruction, and clang
 * would lower a 64-bit product to a call of this very function. */
static uint64_t mul32x32(uint32_t a, uint32_t b) {
  const uint32_t a0 = a & 0xffff, a1 = a >> 16, b0 = b & 0xffff, b1 = b >> 16;
  const uint32_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
  const uint32_t mid = (p00 >> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  const uint32_t low = (p00 & 0xffff) | (mid << 16);
  const uint32_t high = p11 + (p01 >> 16) + (p10 >> 16) + (mid >> 16);
  return (uint64_t)high << 32 | low;
}
uint64_t __muldi3(uint64_t a, uint64_t b) {
  const uint64_t low = mul32x32((uint32_t)a, (uint32_t)b);
  const uint32_t cross = (uint32_t)a * (uint32_t)(b >> 32) + (uint32_t)(a >> 32) * (uint32_t)b;
  return low + ((uint64_t)cross << 32);
}
uint64_t __udivmoddi4(uint64_t n, uint64_t d, uint64_t* remainder) {
  uint64_t q = 0, r = 0;
  if (d == 0) abort();
  for (int i = 63; i >= 0; --i) {
    r = r << 1 | (n >> i & 1);
    if (r >= d) {
      r -= d;
      q |= (uint64_t)1 << i;
    }
  }
  if (remainder) *remainder = r;
  return q;
}
uint64_t __udivdi3(uint64_t n, uint64_t d) { return __udivmoddi4(n, d, NULL); }
uint64_t __umoddi3(uint64_t n, uint64_t d) {
  uint64_t r;
  __udivmoddi4(n, d, &r);
  return r;
}
int64_t __divdi3(int64_t n, int64_t d) {
  const int negative = (n < 0) != (d < 0);
  const uint64_t q = __udivmoddi4(n < 0 ? 0 - (uint64_t)n : (uint64_t)n,
                                  d < 0 ? 0 - (uint64_t)d : (uint64_t)d, NULL);
  return negative ? (int64_t)(0 - q) : (int64_t)q;
}
int64_t __moddi3(int64_t n, int64_t d) {
  uint64_t r;
  __udivmoddi4(n < 0 ? 0 - (uint64_t)n : (uint64_t)n, d < 0 ? 0 - (uint64_t)d : (uint64_t)d, &r);
  return n < 0 ? (int64_t)(0 - r) : (int64_t)r;
}
