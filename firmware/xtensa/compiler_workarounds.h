/* Included first in every Xtensa firmware translation unit (firmware/xtensa/toolchain.cmake).
 *
 * LLVM 22 Xtensa bug 5: a function whose frame must be realigned beyond the stack's 16 bytes and
 * that has no frame pointer (-fomit-frame-pointer, against bug 4) reads its stack-passed arguments
 * at the realigned offset: libsodium's blake2b got a wrong key length and aborted in
 * sodium_misuse(). libsodium asks for that realignment only through CRYPTO_ALIGN (64-byte aligned
 * hash states, for SIMD code an Xtensa build does not have); defined empty here, its states get the
 * ordinary alignment. */
#ifndef CRYPTO_ALIGN
#define CRYPTO_ALIGN(x)
#endif
