#!/usr/bin/env bash
# The main job: builds the project on a fresh machine and runs the demo of the original flow.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh host
scripts/build.sh release >/dev/null
exec build/bin/streams demo "$@"
