#!/usr/bin/env bash
# Installs every system package the build, the tests and the tools need on a fresh Debian (bookworm)
# machine. Idempotent: packages already present are not fetched again, so the README commands can call
# this every time. Groups: host build and tests; firmware cross build; live interop (Node.js); fuzzing;
# the clang + libc++ build.
set -euo pipefail

HOST_PACKAGES=(
  cmake g++ make pkg-config
  valgrind                 # tests/ctgrind: the constant-time check (memcheck client requests)
  clang-format-14          # scripts/check-format.sh (the pinned formatter)
  libsodium-dev            # Ed25519, X25519, BLAKE2b, SHA-512, randomness
  libgtest-dev libgmock-dev googletest
  libbenchmark-dev
  nlohmann-json3-dev       # JSON for the vector replayer, the CLI and the node (host tools only)
  libcurl4-openssl-dev     # Chrysalis node HTTP transport (host)
  libsqlite3-dev           # local message store and the node's database
  libboost-dev             # Boost.Beast on Asio: streams-node's HTTP server (header-only)
  libcpp-httplib-dev       # HTTP server inside the libcurl client's test (header-only)
  libpq-dev                # streams-node's PostgreSQL storage (libpq)
  postgresql               # the server the PostgreSQL tests start (initdb into a temporary directory)
  python3
  chromium                 # the explorer's browser tests (headless, driven through DevTools; tests/explorer)
  liblwip-dev              # lwIP's own headers: the C API header is compiled beside lwip/err.h
  dpkg-dev                 # dpkg-shlibdeps: the Debian packages' dependencies (cpack, tests/package)
  # The Python package (python/): pybind11 module built by setuptools through CMake, tests with pytest
  pybind11-dev python3-dev python3-pybind11 python3-setuptools python3-wheel python3-venv python3-pytest
)
FIRMWARE_PACKAGES=(
  gcc-arm-none-eabi libstdc++-arm-none-eabi-picolibc picolibc-arm-none-eabi
  qemu-system-arm dpkg-dev
  # ESP32-C3 class (RISC-V): clang-22 compiles with libc++'s headers, picolibc, GCC's driver links
  clang-22 llvm-22 libc++-22-dev gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf qemu-system-misc
  # ESP32 (Xtensa LX6): clang-22 compiles, binutils-xtensa-lx106 links (GCC only drives ld), picolibc's
  # C headers; qemu-system-xtensa (qemu-system-misc) runs the dc233c core
  gcc-xtensa-lx106 binutils-xtensa-lx106 picolibc-xtensa-lx106-elf
)
INTEROP_PACKAGES=(nodejs npm)
FUZZ_PACKAGES=(clang libclang-rt-14-dev)  # libFuzzer (scripts/fuzz.sh)
CLANG_LIBCXX_PACKAGES=(clang-22 libc++-22-dev libc++abi-22-dev)  # clang + libc++ build (scripts/clang-libcxx.sh)

want=("${HOST_PACKAGES[@]}")
case "${1:-all}" in
  host) ;;
  all) want+=("${FIRMWARE_PACKAGES[@]}" "${INTEROP_PACKAGES[@]}" "${FUZZ_PACKAGES[@]}" "${CLANG_LIBCXX_PACKAGES[@]}") ;;
  *) echo "usage: $0 [host|all]" >&2; exit 2 ;;
esac

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js may come from outside Debian on some machines; a working node and npm are enough.
if command -v node >/dev/null && command -v npm >/dev/null; then
  tmp=(); for p in "${missing[@]}"; do [[ "$p" == nodejs || "$p" == npm ]] || tmp+=("$p"); done
  missing=("${tmp[@]+"${tmp[@]}"}")
fi
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi

SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "installing: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
