# Cross build for the ESP32's core (Xtensa LX6, windowed ABI) with Debian bookworm's packages: clang-22
# compiles (C and C++, libc++-22 headers with the bare-metal configuration of firmware/libcxx.cmake,
# picolibc's C headers from picolibc-xtensa-lx106-elf), binutils-xtensa-lx106's ld links.
# Every workaround for an LLVM 22 Xtensa bug is here or in xtensa-cc.py (which this file makes the
# compiler); each names its bug (see the README, "On a device").
#
# STREAMS_XTENSA_CPU picks the feature set:
#   esp32   the 29 features of LLVM's Proc<"esp32"> (clang-22 --target=xtensa -mcpu=esp32 is refused:
#           "unknown target CPU", although llc-22 knows it): the compile-size report.
#   dc233c  what QEMU's dc233c core runs (windowed, 32 address registers; no MUL32_HIGH, FP,
#           booleans): the flow in qemu-system-xtensa -M sim.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR xtensa)
set(STREAMS_XTENSA_CPU esp32 CACHE STRING "Xtensa feature set: esp32 (size report) or dc233c (QEMU)")
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES STREAMS_XTENSA_CPU)
set(xtensa_features density fp loop mac16 windowed bool sext nsa mul16 mul32 mul32high dfpaccel s32c1i
    threadptr div32 debug exception highpriinterrupts highpriinterrupts-level7 coprocessor interrupt dcache
    rvector timers3 prid regprotect miscsr minmax clamps)
if(STREAMS_XTENSA_CPU STREQUAL "dc233c")
  list(REMOVE_ITEM xtensa_features fp dfpaccel bool mul32high)
elseif(NOT STREAMS_XTENSA_CPU STREQUAL "esp32")
  message(FATAL_ERROR "STREAMS_XTENSA_CPU must be esp32 or dc233c")
endif()
set(xtensa_feature_flags "")
foreach(feature ${xtensa_features})
  string(APPEND xtensa_feature_flags " -Xclang -target-feature -Xclang +${feature}")
endforeach()

# xtensa-cc.py: clang-22 -S, each function's literal pool moved to its own section, llvm-mc
# (LLVM 22 Xtensa bugs 1 and 2: literal pools misplaced and misaligned, l32r resolved wrongly).
set(CMAKE_C_COMPILER ${CMAKE_CURRENT_LIST_DIR}/xtensa-cc.py)
set(CMAKE_CXX_COMPILER ${CMAKE_CURRENT_LIST_DIR}/xtensa-cc.py)
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
set(picolibc /usr/lib/xtensa-lx106-elf)
# -fomit-frame-pointer: LLVM 22 Xtensa bug 4 (with a frame pointer, the prologue's `or a7, a1, a1`
# destroys the incoming 6th argument; clang keeps the frame pointer even at -Os).
# compiler_workarounds.h: bug 5 (stack realignment without a frame pointer).
set(STREAMS_CPU_FLAGS "--target=xtensa${xtensa_feature_flags} -ffunction-sections -fdata-sections -fomit-frame-pointer -include ${CMAKE_CURRENT_LIST_DIR}/compiler_workarounds.h")
set(CMAKE_C_FLAGS_INIT "${STREAMS_CPU_FLAGS} -nostdlibinc -isystem ${CMAKE_CURRENT_LIST_DIR}/include -isystem ${picolibc}/include")
set(CMAKE_CXX_FLAGS_INIT "${STREAMS_CPU_FLAGS} -nostdlibinc -nostdinc++ -isystem ${CMAKE_BINARY_DIR}/libcxx-config -isystem /usr/lib/llvm-22/include/c++/v1 -isystem ${CMAKE_CURRENT_LIST_DIR}/include -isystem ${picolibc}/include")
# Linking: ld.lld-22 refuses Xtensa ("unsupported e_machine value: 94"); binutils-xtensa-lx106's ld links
# windowed objects, driven by its GCC (only as a driver: no start files, no libraries; the runtime is
# firmware/xtensa/runtime.c).
# xtensa-cc.py --link: then turns the direct calls its compile wrote as call0 into call8 (this ld
# cannot relocate a windowed call: see xtensa-cc.py).
set(STREAMS_LINK_DRIVER "${CMAKE_CURRENT_LIST_DIR}/xtensa-cc.py --link xtensa-lx106-elf-gcc -mabi=windowed -nostdlib -nostartfiles")
set(CMAKE_C_LINK_EXECUTABLE "${STREAMS_LINK_DRIVER} <CMAKE_C_LINK_FLAGS> <LINK_FLAGS> <OBJECTS> -o <TARGET> <LINK_LIBRARIES>")
set(CMAKE_CXX_LINK_EXECUTABLE "${STREAMS_LINK_DRIVER} <CMAKE_CXX_LINK_FLAGS> <LINK_FLAGS> <OBJECTS> -o <TARGET> <LINK_LIBRARIES>")
set(CMAKE_EXE_LINKER_FLAGS_INIT "-Wl,--gc-sections")
set(CMAKE_AR llvm-ar-22)
set(CMAKE_RANLIB llvm-ranlib-22)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
# A device build keeps error codes and places but not their static texts (base/error.h): smaller code.
set(STREAMS_ERROR_TEXT OFF)
# -Oz for our code (after the build type's -Os: STREAMS_LIBRARY_FLAGS come last), as on RISC-V.
set(STREAMS_FIRMWARE_OPTIMIZE -Oz)
