#!/usr/bin/env bash
# The library with clang-22 and libc++-22 (Debian packages clang-22 libc++-22-dev libc++abi-22-dev):
# configures tests/clang-libcxx in BUILD_DIR (default build-clang-libcxx/), builds the library layers, the
# transports a device uses, the C API, the C example and a few unit tests, runs them, and compiles the
# public C headers beside lwIP's err_t with clang too. Run by the CTest clang_libcxx_build.
#   scripts/clang-libcxx.sh [BUILD_DIR]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="${1:-$root/build-clang-libcxx}"
jobs=$(nproc 2>/dev/null || echo 2); [ "$jobs" -gt 2 ] && jobs=2
for tool in clang-22 clang++-22; do
  command -v "$tool" >/dev/null || { echo "FAILED: $tool not installed (scripts/install-deps.sh)" >&2; exit 1; }
done
launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
# -O1 without debug info: what the tests need, at the least compile time. libc++ and libc++abi are linked
# statically: Debian's libc++-22-dev can come with an older libc++1 runtime (libc++1-19 here), which
# lacks symbols the 22 headers use (std::__1::__hash_memory).
cmake -S "$root/tests/clang-libcxx" -B "$dir" -DCMAKE_BUILD_TYPE=None \
  -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22 \
  -DCMAKE_C_FLAGS=-O1 -DCMAKE_CXX_FLAGS="-O1 -stdlib=libc++" \
  -DCMAKE_EXE_LINKER_FLAGS="-stdlib=libc++ -static-libstdc++ -Wl,-Bstatic,-lc++abi,-Bdynamic" \
  -DSTREAMS_BUILD_TESTS=OFF -DSTREAMS_BUILD_BENCHMARKS=OFF "${launcher[@]}" >/dev/null
cmake --build "$dir" -j"$jobs" --target libcxx_unit_test c_flow
"$dir/bin/libcxx_unit_test" --gtest_brief=1
"$dir/bin/c_flow" | tail -1 | grep -q "FLOW COMPLETED"
echo "c_flow: FLOW COMPLETED"

# The public C headers beside lwIP, with clang: C99 -pedantic, and C++20 against libc++.
includes=(-I"$root/include" -I"$root/esp-idf/components/iota_streams/include")
for variant in "" -DLWIP_ERR_AS_MACROS; do
  clang-22 -std=c99 -pedantic -Wall -Wextra -Werror $variant "${includes[@]}" -fsyntax-only \
    "$root/tests/bindings/lwip_coexistence.c"
  clang++-22 -x c++ -std=c++20 -stdlib=libc++ -pedantic -Wall -Wextra -Werror $variant "${includes[@]}" \
    -fsyntax-only "$root/tests/bindings/lwip_coexistence.c"
done
echo "lwIP coexistence: C99 and C++20 with clang-22"
# libc++ for real: the test program holds libc++'s std::__1 and does not load libstdc++.
libcxx_symbols=$(nm -C "$dir/bin/libcxx_unit_test" | grep -c "std::__1::" || true)
if ldd "$dir/bin/libcxx_unit_test" | grep libstdc++ >/dev/null || [ "$libcxx_symbols" -eq 0 ]; then
  echo "FAILED: libcxx_unit_test is not built on libc++" >&2
  exit 1
fi
echo "CLANG LIBCXX BUILD OK"
