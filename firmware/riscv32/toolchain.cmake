# Cross build for an ESP32-C3-class core (RV32IMC, ilp32, no atomics, no FPU) with Debian bookworm's
# packages: clang-22 compiles (C and C++, libc++-22 headers with a bare-metal configuration made by
# firmware/libcxx.cmake), picolibc supplies the C library, and riscv64-unknown-elf-gcc links (its
# picolibc specs bring crt0, the semihosting OS layer and libgcc). Debian has no rv32imc multilib:
# the rv32im one is used (a subset of what the C3 runs; rv32imac would bring atomics the C3 lacks).
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR riscv32)
set(CMAKE_C_COMPILER clang-22)
set(CMAKE_CXX_COMPILER clang++-22)
set(CMAKE_ASM_COMPILER clang-22)
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
set(picolibc /usr/lib/picolibc/riscv64-unknown-elf)
set(STREAMS_CPU_FLAGS "--target=riscv32-unknown-elf -march=rv32imc_zicsr_zifencei -mabi=ilp32 -ffunction-sections -fdata-sections")
# Only these headers: picolibc's C headers, and (C++) libc++'s behind our bare-metal __config_site.
set(CMAKE_C_FLAGS_INIT "${STREAMS_CPU_FLAGS} -nostdlibinc -isystem ${picolibc}/include")
set(CMAKE_CXX_FLAGS_INIT "${STREAMS_CPU_FLAGS} -nostdlibinc -nostdinc++ -isystem ${CMAKE_BINARY_DIR}/libcxx-config -isystem /usr/lib/llvm-22/include/c++/v1 -isystem ${picolibc}/include")
# Linking: GCC's driver with picolibc's specs (clang knows neither the specs nor the multilib paths).
set(STREAMS_LINK_DRIVER "riscv64-unknown-elf-gcc -march=rv32im -mabi=ilp32 --specs=picolibc.specs")
set(CMAKE_C_LINK_EXECUTABLE "${STREAMS_LINK_DRIVER} <CMAKE_C_LINK_FLAGS> <LINK_FLAGS> <OBJECTS> -o <TARGET> <LINK_LIBRARIES>")
set(CMAKE_CXX_LINK_EXECUTABLE "${STREAMS_LINK_DRIVER} <CMAKE_CXX_LINK_FLAGS> <LINK_FLAGS> <OBJECTS> -o <TARGET> <LINK_LIBRARIES>")
set(CMAKE_EXE_LINKER_FLAGS_INIT "-Wl,--gc-sections")
set(CMAKE_AR llvm-ar-22)
set(CMAKE_RANLIB llvm-ranlib-22)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
# -Oz for our code (after the build type's -Os: STREAMS_LIBRARY_FLAGS come last): clang's -Os still
# inlines and unrolls enough to put our code over the 64 KiB budget.
set(STREAMS_FIRMWARE_OPTIMIZE -Oz -msave-restore -mllvm -enable-machine-outliner=always)
# A device build keeps error codes and places but not their static texts (base/error.h): smaller code.
set(STREAMS_ERROR_TEXT OFF)
