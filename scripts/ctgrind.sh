#!/usr/bin/env bash
# Runs a ctgrind-style check program (tests/ctgrind) under valgrind's memcheck: any branch or
# memory index on data the program marked secret is an error, and fails the run (exit 1).
#   scripts/ctgrind.sh build-sanitize/bin/ctgrind_check [--leaky]
set -euo pipefail
command -v valgrind >/dev/null || { echo "ctgrind: valgrind not found (scripts/install-deps.sh)" >&2; exit 2; }
exec valgrind --tool=memcheck --error-exitcode=1 --track-origins=yes --leak-check=no -q "$@"
