#!/usr/bin/env bash
# Checks that every C and C++ file in the tree is formatted as .clang-format says (a dry run: nothing
# is changed). With --fix, formats them in place instead. clang-format 14 is the pinned version
# (Debian bookworm's clang-format-14): another version may lay out the same code differently.
set -euo pipefail
cd "$(dirname "$0")/.."
formatter=${CLANG_FORMAT:-clang-format-14}
command -v "$formatter" >/dev/null || { echo "check-format: $formatter not found (scripts/install-deps.sh)" >&2; exit 2; }

mapfile -t files < <(git ls-files -- '*.c' '*.cc' '*.cpp' '*.h' '*.hpp' | grep -v '^tests/vectors/')
if [ "${1:-}" = "--fix" ]; then
  "$formatter" -i -- "${files[@]}"
  exit 0
fi
report=$(mktemp); trap 'rm -f "$report"' EXIT
if ! "$formatter" --dry-run --Werror -- "${files[@]}" 2>"$report"; then
  grep -E '^[^ ].*: (error|warning):' "$report" | cut -d: -f1 | sort -u | sed 's/^/not formatted: /' >&2
  echo "check-format: run scripts/check-format.sh --fix" >&2
  exit 1
fi
echo "check-format: ${#files[@]} files formatted as .clang-format says"
