#!/usr/bin/env bash
# Installs the official library and iota.js (exact versions, from package-lock.json) for the interop
# tests and the KAT generators. Node.js and npm come from scripts/install-deps.sh.
set -euo pipefail
cd "$(dirname "$0")"
if [ -d node_modules/@iota/streams ] && [ -d node_modules/@iota/iota.js ]; then exit 0; fi
npm ci --no-audit --no-fund --loglevel=error
node -e 'require("@iota/streams/node"); console.log("official library ready")'
