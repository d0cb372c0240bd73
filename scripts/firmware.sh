#!/usr/bin/env bash
# Builds the Cortex-M4 firmware and runs the original flow on QEMU's mps2-an386 board.
#   scripts/firmware.sh          build (if needed) and run; exit status is the flow's
# Steps: the cross toolchain and QEMU (scripts/install-deps.sh all); libsodium from Debian's source
# package (a deb-src entry is added when the machine has none; the unpacked tree is cached under
# build-firmware/); CMake with firmware/toolchain-cortex-m4.cmake at -Os; QEMU with -icount shift=0 so
# that the board's counter counts instructions. Prints the run's output, then the image's sizes read
# from the linker map (scripts/firmware-sizes.py).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
build=$root/build-firmware
scripts/install-deps.sh all

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
  local dir=$build/libsodium-src
  if [ -f "$dir/src/libsodium/sodium/core.c" ]; then echo "$dir"; return; fi
  ensure_deb_src
  local work=$build/libsodium-download
  rm -rf "$work" && mkdir -p "$work"
  (cd "$work" && apt-get source -qq libsodium >/dev/null 2>&1 || (cd "$work" && apt-get source libsodium >&2))
  local unpacked
  unpacked=$(find "$work" -mindepth 1 -maxdepth 1 -type d -name 'libsodium-*' | head -1)
  [ -n "$unpacked" ] || { echo "error: apt-get source libsodium gave no source tree" >&2; exit 1; }
  rm -rf "$dir" && mv "$unpacked" "$dir"
  echo "$dir"
}

mkdir -p "$build"
sodium=$(fetch_libsodium)
cmake -S "$root" -B "$build" -DCMAKE_TOOLCHAIN_FILE="$root/firmware/toolchain-cortex-m4.cmake" \
  -DSTREAMS_HOST=OFF -DSTREAMS_FIRMWARE=ON -DCMAKE_BUILD_TYPE=MinSizeRel -DLIBSODIUM_SOURCE_DIR="$sodium" >/dev/null
cmake --build "$build" -j"$(nproc 2>/dev/null || echo 2)" --target streams_firmware >/dev/null

image=$build/bin/streams_firmware.elf
status=0
timeout 600 qemu-system-arm -M mps2-an386 -cpu cortex-m4 -display none -monitor none -serial none \
  -chardev stdio,id=semihosting -semihosting-config enable=on,target=native,chardev=semihosting \
  -icount shift=0 -kernel "$image" || status=$?
python3 scripts/firmware-sizes.py "$build/streams_firmware.map"
arm-none-eabi-size "$image" | sed 's/^/# /'
exit $status
