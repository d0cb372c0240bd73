# libc++ headers for a bare-metal core (clang builds: riscv32, xtensa). Debian's libc++-22-dev is
# configured for Linux (threads, locales, wide characters, a filesystem); its __config_site is rewritten
# here into ${CMAKE_BINARY_DIR}/libcxx-config, which the toolchain puts in front of libc++'s headers.
# Debian ships no bare-metal libc++.a: firmware/libcxx_runtime.cpp supplies the few out-of-line parts
# the headers leave to it.
set(libcxx_site /usr/lib/llvm-22/include/c++/v1/__config_site)
if(NOT EXISTS ${libcxx_site})
  message(FATAL_ERROR "libc++-22-dev is not installed (scripts/install-deps.sh all)")
endif()
file(READ ${libcxx_site} site)
foreach(feature THREADS MONOTONIC_CLOCK TERMINAL FILESYSTEM RANDOM_DEVICE LOCALIZATION UNICODE WIDE_CHARACTERS
                TIME_ZONE_DATABASE)
  string(REGEX REPLACE "#define _LIBCPP_HAS_${feature} 1" "#define _LIBCPP_HAS_${feature} 0" site "${site}")
endforeach()
string(REPLACE "#define _LIBCPP_PSTL_BACKEND_STD_THREAD" "#define _LIBCPP_PSTL_BACKEND_SERIAL" site "${site}")
string(REPLACE "#define _LIBCPP_LIBC_PICOLIBC 0" "#define _LIBCPP_LIBC_PICOLIBC 1" site "${site}")
file(WRITE ${CMAKE_BINARY_DIR}/libcxx-config/__config_site "${site}")
