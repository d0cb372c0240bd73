#!/usr/bin/env bash
# Messages per second through streams-node, our client and the official one (npm @iota/streams 1.2.1)
# in the same run: each client's author announces, then sends COUNT signed packets with 256-byte masked
# payloads. Run once with no PoW and once with a minimum PoW score (the official wasm client posts
# nonce 0 and lets the node do the PoW; ours does it locally).
#   scripts/bench-node.sh [COUNT] [MIN_POW_SCORE]
#
# The node under load (bench/node_load.cpp: CONNECTIONS keep-alive clients posting JSON messages with
# unique data, the node choosing their parents, then GET by index; node and generator CPU time per
# message), with 0, 100,000 and 1,000,000 messages already stored (the database filled directly by
# fill_store between the steps, then the node started on it):
#   scripts/bench-node.sh load [CONNECTIONS] [MESSAGES_PER_STEP] [node_load options...]
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" = load ]; then
  connections=${2:-32}
  per_step=${3:-50000}
  load_options=("${@:4}")  # passed to node_load: --binary, --parents genesis, --threads N
  scripts/install-deps.sh host
  scripts/build.sh release >/dev/null
  work=$(mktemp -d)
  trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
  db="$work/load.db"
  for stored in 0 100000 1000000; do
    have=$(build/bin/fill_store "$db" 0)
    if [ "$have" -lt "$stored" ]; then build/bin/fill_store "$db" $((stored - have)) >/dev/null; fi
    build/bin/streams-node --listen 127.0.0.1:0 --db "$db" > "$work/node.log" 2>&1 &
    node_pid=$!
    for _ in $(seq 100); do grep -q listening "$work/node.log" 2>/dev/null && break; sleep 0.1; done
    url=$(grep -o 'http://[0-9.:]*' "$work/node.log")
    result=$(build/bin/node_load "$url" "$connections" "$per_step" "$per_step" "step$stored" \
      --node-pid "$node_pid" "${load_options[@]}")
    echo "stored before: $(printf %7d "$stored") $result"
    kill %1
    wait %1 2>/dev/null || true
  done
  exit 0
fi

count=${1:-100}
score=${2:-100}
scripts/install-deps.sh all
scripts/build.sh release >/dev/null
tests/interop/setup.sh >/dev/null
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

run() {  # run MIN_SCORE
  build/bin/streams-node --listen 127.0.0.1:0 --db "$work/bench-$1.db" --min-pow-score "$1" --remote-pow on \
    > "$work/node-$1.log" &
  for _ in $(seq 50); do grep -q listening "$work/node-$1.log" 2>/dev/null && break; sleep 0.1; done
  local url
  url=$(grep -o 'http://[0-9.:]*' "$work/node-$1.log")
  local ours official
  ours=$(build/bin/node_client_bench "$url" "$count")
  official=$(node bench/node_official.js "$url" "$count")
  python3 - "$1" "$ours" "$official" <<'PY'
import json, sys
score, ours, official = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3])
print(f"min PoW score {score}: ours {ours['per_second']:.1f} msg/s, official {official['per_second']:.1f} msg/s, "
      f"ratio ours/official {ours['per_second'] / official['per_second']:.2f} ({ours['messages']} signed packets each)")
PY
  kill %1
  wait %1 2>/dev/null || true
}

run 0
run "$score"
