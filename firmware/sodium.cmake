# libsodium for the firmware, compiled from Debian's source package (scripts/firmware.sh unpacks it and
# passes LIBSODIUM_SOURCE_DIR). The upstream tree has no configure script here, so the few definitions
# configure would make are given directly. Every source is compiled; --gc-sections keeps what is used.
# The sysrandom backend is left out: the board supplies randomness (firmware/board.cpp).
if(NOT LIBSODIUM_SOURCE_DIR OR NOT EXISTS "${LIBSODIUM_SOURCE_DIR}/src/libsodium/sodium/core.c")
  message(FATAL_ERROR "LIBSODIUM_SOURCE_DIR must point at an unpacked libsodium source (scripts/firmware.sh)")
endif()
set(sodium_root "${LIBSODIUM_SOURCE_DIR}/src/libsodium")
file(GLOB_RECURSE sodium_sources "${sodium_root}/*.c")
list(FILTER sodium_sources EXCLUDE REGEX "randombytes/(sysrandom|internal)/")
set(VERSION 1.0.18)
set(SODIUM_LIBRARY_VERSION_MAJOR 10)
set(SODIUM_LIBRARY_VERSION_MINOR 3)
set(SODIUM_LIBRARY_MINIMAL_DEF "")
set(sodium_generated "${CMAKE_BINARY_DIR}/sodium-include")
configure_file("${sodium_root}/include/sodium/version.h.in" "${sodium_generated}/sodium/version.h" @ONLY)
add_library(sodium_firmware STATIC ${sodium_sources})
target_include_directories(sodium_firmware SYSTEM PUBLIC "${sodium_generated}" "${sodium_generated}/sodium"
  "${sodium_root}/include" "${sodium_root}/include/sodium")
target_compile_definitions(sodium_firmware PRIVATE CONFIGURED=1 NATIVE_LITTLE_ENDIAN=1 HAVE_WEAK_SYMBOLS=1
  __STDC_LIMIT_MACROS __STDC_CONSTANT_MACROS)
target_compile_options(sodium_firmware PRIVATE -Os -w)
add_library(sodium ALIAS sodium_firmware)
