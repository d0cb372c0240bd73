#!/usr/bin/env bash
# Builds the firmware for one core and runs the original flow on its QEMU board.
#   scripts/firmware.sh [CORE [IMAGE]]
#     CORE: cortex-m4 (default; QEMU mps2-an386), riscv32 (ESP32-C3 class, QEMU virt), xtensa (the
#           ESP32's core as QEMU has it: Xtensa dc233c on the sim machine), or esp32 (Xtensa LX6 with
#           the ESP32's 29 features: built and sized, not run: no upstream QEMU core has them all)
#     IMAGE: streams_firmware (default: the flow with the users' state saved to flash and reboots) or
#            streams_firmware_flow (the flow alone, as the code budget is measured)
#   builds both images (if needed) and runs one; exit status is the run's
# Steps: the cross toolchains and QEMU (scripts/install-deps.sh all); libsodium from Debian's source
# package (a deb-src entry is added when the machine has none; the unpacked tree is cached under
# build-firmware/); CMake with firmware/<core>/toolchain.cmake at -Os in build-firmware[-CORE]/; QEMU
# with -icount shift=0 so that the board's counter counts instructions. Prints the run's output, then
# the image's sizes read from the linker map (scripts/firmware-sizes.py).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
core=${1:-cortex-m4}
target=${2:-streams_firmware}
case "$target" in streams_firmware|streams_firmware_flow) ;; *) echo "unknown image $target" >&2; exit 2 ;; esac
case "$core" in
  cortex-m4) build=$root/build-firmware ;;
  riscv32) build=$root/build-firmware-riscv32 ;;
  xtensa) build=$root/build-firmware-xtensa ;;
  esp32) build=$root/build-firmware-esp32 ;;
  *) echo "usage: $0 [cortex-m4|riscv32|xtensa|esp32]" >&2; exit 2 ;;
esac
# The Xtensa builds share one board directory (firmware/xtensa/); the feature set differs.
case "$core" in
  xtensa) board=xtensa; extra=(-DSTREAMS_XTENSA_CPU=dc233c) ;;
  esp32) board=xtensa; extra=(-DSTREAMS_XTENSA_CPU=esp32) ;;
  *) board=$core; extra=() ;;
esac
sources=$root/build-firmware  # the unpacked libsodium source, shared by every core
# STREAMS_FIRMWARE_NO_BUILD=1: run the image built before (the power-cut test boots it many times).
[ -n "${STREAMS_FIRMWARE_NO_BUILD:-}" ] || scripts/install-deps.sh all

SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"

ensure_deb_src() {
  if grep -rqsE '^(deb-src|Types:.*deb-src)' /etc/apt/sources.list /etc/apt/sources.list.d/; then return; fi
  echo "adding a deb-src entry for Debian's sources" >&2
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources |
      $SUDO tee /etc/apt/sources.list.d/streams-deb-src.sources >/dev/null
  else
    sed -n 's/^deb /deb-src /p' /etc/apt/sources.list | $SUDO tee /etc/apt/sources.list.d/streams-deb-src.list >/dev/null
  fi
  $SUDO apt-get update -qq
}

fetch_libsodium() {
  local dir=$sources/libsodium-src
  if [ -f "$dir/src/libsodium/sodium/core.c" ]; then echo "$dir"; return; fi
  ensure_deb_src
  local work=$sources/libsodium-download
  rm -rf "$work" && mkdir -p "$work"
  (cd "$work" && apt-get source -qq libsodium >/dev/null 2>&1 || (cd "$work" && apt-get source libsodium >&2))
  local unpacked
  unpacked=$(find "$work" -mindepth 1 -maxdepth 1 -type d -name 'libsodium-*' | head -1)
  [ -n "$unpacked" ] || { echo "error: apt-get source libsodium gave no source tree" >&2; exit 1; }
  rm -rf "$dir" && mv "$unpacked" "$dir"
  echo "$dir"
}

mkdir -p "$build" "$sources"
if [ -z "${STREAMS_FIRMWARE_NO_BUILD:-}" ]; then
launcher=()
if command -v ccache >/dev/null; then launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
sodium=$(fetch_libsodium)
cmake -S "$root" -B "$build" -DCMAKE_TOOLCHAIN_FILE="$root/firmware/$board/toolchain.cmake" \
  -DSTREAMS_HOST=OFF -DSTREAMS_FIRMWARE=ON -DSTREAMS_FIRMWARE_CORE="$board" -DCMAKE_BUILD_TYPE=MinSizeRel \
  -DLIBSODIUM_SOURCE_DIR="$sodium" ${launcher[@]+"${launcher[@]}"} ${extra[@]+"${extra[@]}"} >/dev/null
cmake --build "$build" -j"$(nproc 2>/dev/null || echo 2)" --target streams_firmware streams_firmware_flow >/dev/null
fi

image=$build/bin/$target.elf
# QEMU runs in the build directory: the board's state flash files (semihosting) live there. The mode
# file picks what the firmware does: none = the flow; STREAMS_FIRMWARE_MODE="power-cut N" = one boot
# of the power-cut test (tests/firmware/power_cut.py), which keeps the flash between boots.
cd "$build"
if [ -n "${STREAMS_FIRMWARE_MODE:-}" ]; then echo "$STREAMS_FIRMWARE_MODE" > firmware-mode.txt; else rm -f firmware-mode.txt; fi
semihosting=(-display none -monitor none -serial none -chardev stdio,id=semihosting
             -semihosting-config enable=on,target=native,chardev=semihosting -icount shift=0)
status=0
case "$core" in
  cortex-m4)
    timeout 600 qemu-system-arm -M mps2-an386 -cpu cortex-m4 "${semihosting[@]}" -kernel "$image" || status=$?
    size=arm-none-eabi-size ;;
  riscv32)
    # Code runs from the first pflash bank, as on the C3; QEMU wants the bank's full 32 MiB.
    riscv64-unknown-elf-objcopy -O binary "$image" "$build/$target.bin"
    truncate -s 32M "$build/$target.bin"
    timeout 600 qemu-system-riscv32 -M virt -cpu rv32,a=off,f=off,d=off -m 400K -bios none \
      -drive if=pflash,format=raw,unit=0,file="$build/$target.bin",readonly=on "${semihosting[@]}" || status=$?
    size=riscv64-unknown-elf-size ;;
  xtensa)
    # The sim machine starts at the reset vector in its system ROM (sim.ld); 320 KiB of RAM at 0.
    # QEMU's Xtensa semihosting (simcall) writes the console to QEMU's own standard output.
    timeout 600 qemu-system-xtensa -M sim -cpu dc233c -m 320K -semihosting "${semihosting[@]}" \
      -kernel "$image" || status=$?
    size=xtensa-lx106-elf-size ;;
  esp32)
    # Built with the ESP32's full feature set, which no upstream QEMU core runs: sizes only.
    echo "esp32: built for the ESP32's features (not run)"
    size=xtensa-lx106-elf-size ;;
esac
python3 "$root/scripts/firmware-sizes.py" "$build/$target.map"
$size "$image" | sed 's/^/# /'
exit $status
