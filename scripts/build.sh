#!/usr/bin/env bash
# Configures and builds one of the project's build trees:
#   scripts/build.sh            -> build/            (Release: the tools, the demo, benchmarks)
#   scripts/build.sh sanitize   -> build-sanitize/   (AddressSanitizer + UndefinedBehaviorSanitizer: the test suite)
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)
case "${1:-release}" in
  release)  dir=build;          flags=(-DCMAKE_BUILD_TYPE=Release) ;;
  sanitize) dir=build-sanitize; flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DSTREAMS_SANITIZE=ON) ;;
  *) echo "usage: $0 [release|sanitize]" >&2; exit 2 ;;
esac
cmake -S . -B "$dir" "${flags[@]}" >/dev/null
cmake --build "$dir" -j"$jobs"
