#!/usr/bin/env bash
# The whole test suite, as CI runs it: installs what it needs, builds with AddressSanitizer and
# UndefinedBehaviorSanitizer, and runs every CTest test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh all
scripts/check-format.sh   # the tree stays formatted (.clang-format)
scripts/build.sh sanitize
jobs=$(nproc 2>/dev/null || echo 2)
ctest --test-dir build-sanitize --output-on-failure -j"$jobs"
