#!/usr/bin/env bash
# The Debian packages from a Release build of the library and the programs (no tests, no benchmarks):
#   scripts/package.sh   -> build-package/iota-streams_<version>-1_<arch>.deb and iota-streams-dev_...
# Install with: sudo apt install ./build-package/iota-streams_*.deb ./build-package/iota-streams-dev_*.deb
# Extra CMake options pass through, e.g. scripts/package.sh -DBUILD_SHARED_LIBS=ON
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)
cmake -S . -B build-package -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr \
  -DSTREAMS_BUILD_TESTS=OFF -DSTREAMS_BUILD_BENCHMARKS=OFF "$@" >/dev/null
cmake --build build-package -j"$jobs"
(cd build-package && cpack -G DEB)
ls -l build-package/*.deb
