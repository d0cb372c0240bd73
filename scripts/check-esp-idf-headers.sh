#!/usr/bin/env bash
# Compiles (front end only, -fsyntax-only) the ESP-IDF component's sources, the example and the C API
# against a real ESP-IDF tree's headers for an ESP32-C3 (RV32IMC) with clang-22, libc++-22 headers (a
# bare-metal __config_site made from Debian's) and picolibc's headers. Not run by CI (no ESP-IDF there):
#   scripts/check-esp-idf-headers.sh <esp-idf tree> <esp-lwip tree (the components/lwip/lwip submodule)>
# The trees may be exports (git archive) of espressif/esp-idf and espressif/esp-lwip. Prints one line per
# file and "ESP-IDF HEADERS OK" when all compile with -Wall -Wextra -Werror (ESP-IDF's own headers are
# system headers: their warnings are ESP-IDF's).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
idf="$(cd "$1" && pwd)/components"
lwip="$(cd "$2" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# libc++ for bare metal: no threads, locales, wide characters, filesystem; picolibc.
mkdir -p "$work/libcxx"
sed -e 's/_LIBCPP_HAS_\(THREADS\|MONOTONIC_CLOCK\|TERMINAL\|FILESYSTEM\|RANDOM_DEVICE\|LOCALIZATION\|UNICODE\|WIDE_CHARACTERS\|TIME_ZONE_DATABASE\) 1/_LIBCPP_HAS_\1 0/' \
    -e 's/_LIBCPP_PSTL_BACKEND_STD_THREAD/_LIBCPP_PSTL_BACKEND_SERIAL/' -e 's/_LIBCPP_LIBC_PICOLIBC 0/_LIBCPP_LIBC_PICOLIBC 1/' \
    /usr/lib/llvm-22/include/c++/v1/__config_site > "$work/libcxx/__config_site"

system=(-isystem "$lwip/src/include")
for d in "$idf"/*/include "$idf"/*/include/esp32c3 "$idf"/esp_hw_support/include/soc "$idf"/esp_hw_support/include/soc/esp32c3 \
         "$idf"/esp_hw_support/port/esp32c3/include "$idf"/esp_hw_support/etm/include "$idf"/soc/esp32c3/include \
         "$idf"/soc/esp32c3/register "$idf"/hal/esp32c3/include "$idf"/hal/platform_port/include \
         "$idf"/esp_rom/esp32c3/include "$idf"/esp_rom/esp32c3/include/esp32c3 "$idf"/esp_rom/esp32c3 \
         "$idf"/freertos/FreeRTOS-Kernel/include "$idf"/freertos/FreeRTOS-Kernel/portable/riscv/include \
         "$idf"/freertos/FreeRTOS-Kernel/portable/riscv/include/freertos "$idf"/freertos/config/include \
         "$idf"/freertos/config/include/freertos "$idf"/freertos/config/riscv/include "$idf"/freertos/esp_additions/include \
         "$idf"/lwip/port/include "$idf"/lwip/port/freertos/include "$idf"/lwip/port/esp32xx/include \
         "$idf"/lwip/port/esp32xx/include/arch "$idf"/newlib/platform_include "$idf"/esp_libc/platform_include; do
  case "$d" in "$idf"/linux/*) continue ;; esac  # the host (linux) target's own headers
  [ -d "$d" ] && system+=(-isystem "$d")
done
target=(--target=riscv32-unknown-elf -march=rv32imc_zicsr_zifencei -mabi=ilp32 -nostdlibinc
        -isystem /usr/lib/picolibc/riscv64-unknown-elf/include -I"$root/esp-idf/header-check")
ours=(-I"$root/include" -I"$root/esp-idf/components/iota_streams/include" -I"$root/src/bindings"
      -I"$root/src/transports/chrysalis" -I"$root/examples/c" -DSTREAMS_SODIUM_INTERNALS
      -Wall -Wextra -Werror -Wno-c2y-extensions -fsyntax-only)
cxx=(clang++-22 -std=gnu++20 -fno-exceptions -fno-rtti -nostdinc++ -isystem "$work/libcxx" -isystem /usr/lib/llvm-22/include/c++/v1)
cc=(clang-22 -std=gnu17)

status=0
for file in esp-idf/header-check/http_beside_streams.c esp-idf/examples/original_flow/main/main.c examples/c/original_flow.c \
            esp-idf/components/iota_streams/esp_http.cpp esp-idf/components/iota_streams/esp_platform.cpp \
            src/bindings/channels.cpp src/bindings/heap_headroom.cpp src/bindings/device_state.cpp; do
  case "$file" in *.c) compiler=("${cc[@]}") ;; *) compiler=("${cxx[@]}") ;; esac
  if "${compiler[@]}" "${target[@]}" "${system[@]}" "${ours[@]}" "$root/$file"; then
    echo "compiles: $file"
  else
    echo "FAILED: $file"; status=1
  fi
done
[ $status -eq 0 ] && echo "ESP-IDF HEADERS OK"
exit $status
