// Every compile-time option of the library, in one place (as nanopb's pb.h keeps its own).
//
// Each option is a macro with a default below; a build changes it by defining it before this file
// is read, on the compiler's command line (-DNAME=value) for the library and for everything that
// includes its headers alike. Who sets what:
//
//   STREAMS_MAX_LINKS          Default capacity of a user's link store (UserOptions::max_links):
//                              messages a user remembers, 12 + 32 + 1 bytes each. 0: unbounded.
//                              Default 0. Devices: ESP-IDF Kconfig IOTA_STREAMS_MAX_LINKS (64).
//   STREAMS_MAX_IDENTITIES     Default capacity of a user's key store
//   (UserOptions::max_identities):
//                              subscribers and PSKs. 0: unbounded. Default 0. Devices: Kconfig
//                              IOTA_STREAMS_MAX_IDENTITIES (16).
//   STREAMS_MAX_MESSAGE_BYTES  Largest message a user builds (UserOptions::max_message_bytes).
//                              Default 32449, the most a Chrysalis indexation payload always holds;
//                              devices may choose less (Kconfig IOTA_STREAMS_MAX_MESSAGE_BYTES,
//                              4096).
//   STREAMS_MAX_CANDIDATES     Messages a read takes from one address (UserOptions::max_candidates;
//                              anyone can post at any address, past this many the read fails). 0:
//                              unbounded. Default 16 on devices (ESP-IDF, bare-metal ARM), whose
//                              memory a flood at one address must not exhaust, 256 on hosts;
//                              Kconfig IOTA_STREAMS_MAX_CANDIDATES (16).
//   STREAMS_ERROR_TEXT         1: errors keep their static texts; 0: only codes and places (a
//   device
//                              build saves the text's flash). Default 1. CMake option
//                              STREAMS_ERROR_TEXT=OFF (the RISC-V firmware's toolchain file sets
//                              it).
//   STREAMS_C_LAST_ERROR_SIZE  Bytes of the C API's per-thread last-error text (streams_last_error;
//                              longer texts are cut). Default 256. Read by src/bindings only.
//   STREAMS_C_KEEP_RESERVE     1: a thread keeps the heap reserve of its last C API call for the
//                              next (src/bindings/heap_headroom.h), so a call takes no syscall for
//                              it; the pieces are touched only at their first word (virtual memory,
//                              a few pages resident). 0: each call frees it, as a device must (a
//                              kept reserve is heap the program cannot use). Default 1 on Linux
//                              and macOS hosts, 0 elsewhere. Read by src/bindings only.
//
// The four capacities are only defaults: a program sets other values per user in UserOptions at
// run time without rebuilding anything.
//
// The library and every translation unit that includes its headers must be built with the same
// values (they set inline defaults and the error texts: different values break the one-definition
// rule, silently). So each such translation unit refers to a symbol whose name carries the values,
// and the library defines it with the values it was built with (src/base/error.cpp): a program
// built with other values than its library fails to link, with an undefined reference that names
// them, e.g. iota_streams::streams_config_links0_identities0_message32449_candidates256_text1.
#pragma once

#ifndef STREAMS_MAX_LINKS
#define STREAMS_MAX_LINKS 0
#endif

#ifndef STREAMS_MAX_IDENTITIES
#define STREAMS_MAX_IDENTITIES 0
#endif

#ifndef STREAMS_MAX_MESSAGE_BYTES
#define STREAMS_MAX_MESSAGE_BYTES 32449
#endif

#ifndef STREAMS_MAX_CANDIDATES
#if defined(ESP_PLATFORM) || (defined(__arm__) && !defined(__linux__))
#define STREAMS_MAX_CANDIDATES 16
#else
#define STREAMS_MAX_CANDIDATES 256
#endif
#endif

#ifndef STREAMS_ERROR_TEXT
#define STREAMS_ERROR_TEXT 1
#endif

#ifndef STREAMS_C_LAST_ERROR_SIZE
#define STREAMS_C_LAST_ERROR_SIZE 256
#endif

#ifndef STREAMS_C_KEEP_RESERVE
#if (defined(__linux__) || defined(__APPLE__)) && !defined(ESP_PLATFORM)
#define STREAMS_C_KEEP_RESERVE 1
#else
#define STREAMS_C_KEEP_RESERVE 0
#endif
#endif

#if STREAMS_MAX_MESSAGE_BYTES < 1 || STREAMS_MAX_MESSAGE_BYTES > 32449
#error "STREAMS_MAX_MESSAGE_BYTES: 1 to 32449 (the most a Chrysalis indexation payload holds)"
#endif
#if STREAMS_MAX_LINKS < 0 || STREAMS_MAX_IDENTITIES < 0 || STREAMS_MAX_CANDIDATES < 0
#error "STREAMS_MAX_LINKS, STREAMS_MAX_IDENTITIES, STREAMS_MAX_CANDIDATES: 0 (unbounded) or more"
#endif
#if STREAMS_ERROR_TEXT != 0 && STREAMS_ERROR_TEXT != 1
#error "STREAMS_ERROR_TEXT: 0 or 1"
#endif
#if STREAMS_C_LAST_ERROR_SIZE < 1
#error "STREAMS_C_LAST_ERROR_SIZE: 1 or more"
#endif

// The link-time check described above (C++ only: the C API's users reach the library through
// functions built with its own values).
#define STREAMS_CONFIG_NAME_(links, identities, message, candidates, text) \
  streams_config_links##links##_identities##identities##_message##message##_candidates##candidates##_text##text
#define STREAMS_CONFIG_NAME(links, identities, message, candidates, text) \
  STREAMS_CONFIG_NAME_(links, identities, message, candidates, text)
#define STREAMS_CONFIG_SYMBOL                                                               \
  STREAMS_CONFIG_NAME(STREAMS_MAX_LINKS, STREAMS_MAX_IDENTITIES, STREAMS_MAX_MESSAGE_BYTES, \
                      STREAMS_MAX_CANDIDATES, STREAMS_ERROR_TEXT)

#ifdef __cplusplus
namespace iota_streams {
extern const int STREAMS_CONFIG_SYMBOL;  // defined by the library (src/base/error.cpp)
namespace {
// Kept in every object file (gnu::used), so that its reference reaches the linker.
[[gnu::used]] const int* const config_check = &STREAMS_CONFIG_SYMBOL;
}  // namespace
}  // namespace iota_streams
#endif
