#!/usr/bin/env bash
# Installs the build into a scratch prefix and builds out-of-tree consumers against it: the C++ and the
# C program of consumer/, once through the CMake package (find_package(IotaStreams)) and once through
# pkg-config (iota-streams.pc, iota-streams-c.pc), then runs all four and the installed programs.
#   tests/install/run.sh BUILD_DIR SCRATCH_DIR [EXTRA_FLAGS]
#   tests/install/run.sh --installed PREFIX SCRATCH_DIR [EXTRA_FLAGS]   (an installed tree: the .deb's)
# EXTRA_FLAGS: compile and link flags the consumers need to match the build (the sanitizers).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
usage="usage: $0 BUILD_DIR|--installed PREFIX SCRATCH_DIR [EXTRA_FLAGS]"
build="" installed=""
if [ "${1:-}" = "--installed" ]; then installed=${2:?$usage}; prefix=$installed; shift 2
else build=${1:?$usage}; shift; fi
scratch=${1:?$usage}
extra=${2:-}

step() { echo "== $*"; }

if [ -n "$build" ]; then
  prefix=$scratch/prefix
  rm -rf "$scratch" && mkdir -p "$scratch"
  step "cmake --install $build --prefix $prefix"
  cmake --install "$build" --prefix "$prefix" >"$scratch/install.log"
fi
mkdir -p "$scratch"
for f in bin/streams bin/streams-node include/iota_streams/channels.h include/iota_streams/channels/author.h; do
  [ -e "$prefix/$f" ] || { echo "FAIL: $f not installed"; exit 1; }
done
libdir=$(dirname "$(find "$prefix" -name iota-streams.pc -path '*/pkgconfig/*' | head -1)")/..
[ -f "$libdir/cmake/IotaStreams/IotaStreamsConfig.cmake" ] || { echo "FAIL: no CMake package in $libdir"; exit 1; }

step "find_package(IotaStreams CONFIG)"
cmake -S "$here/consumer" -B "$scratch/cmake-build" -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_C_FLAGS="$extra" -DCMAKE_CXX_FLAGS="$extra" -DCMAKE_EXE_LINKER_FLAGS="$extra" >"$scratch/configure.log"
cmake --build "$scratch/cmake-build" >"$scratch/build.log" || { cat "$scratch/build.log"; exit 1; }
"$scratch/cmake-build/consumer_cpp" "$scratch/cmake.store"
"$scratch/cmake-build/consumer_c"

step "pkg-config iota-streams / iota-streams-c"
export PKG_CONFIG_PATH="$libdir/pkgconfig"
pkg-config --modversion iota-streams
rpath="-Wl,-rpath,$(cd "$libdir" && pwd)"  # a shared build's libraries, outside the loader's paths
# shellcheck disable=SC2046,SC2086  # flags are words
c++ -std=c++20 $extra "$here/consumer/consumer.cpp" -o "$scratch/pc_consumer_cpp" "$rpath" $(pkg-config --cflags --libs iota-streams)
# shellcheck disable=SC2046,SC2086
cc $extra "$here/consumer/consumer.c" -o "$scratch/pc_consumer_c" "$rpath" $(pkg-config --cflags --libs iota-streams-c)
"$scratch/pc_consumer_cpp" "$scratch/pc.store"
"$scratch/pc_consumer_c"

step "installed programs"
"$prefix/bin/streams" demo | grep "FLOW COMPLETED"
"$prefix/bin/streams-node" --help | grep "usage: streams-node"
echo "INSTALL TEST PASSED"
