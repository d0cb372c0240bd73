#!/usr/bin/env bash
# The Debian packages from a Release build: build/ configured for /usr, then cpack.
#   scripts/package.sh            -> build/iota-streams_<version>-1_<arch>.deb and iota-streams-dev_...
# Install with: sudo apt install ./build/iota-streams_*.deb ./build/iota-streams-dev_*.deb
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr >/dev/null
cmake --build build -j"$jobs"
(cd build && cpack -G DEB)
ls -l build/*.deb
