#!/usr/bin/env bash
# streams-node on PostgreSQL under load: what `scripts/bench-node.sh load` measures on SQLite, on a
# throwaway PostgreSQL 15 server from Debian (tests/support/pg.sh, loopback, fsync and
# synchronous_commit on), with 0, 100,000 and 1,000,000 messages stored before each step. The table is
# filled by SQL between the steps (a chain of messages, each the child of the one before, so one tip as
# in normal use), then NODES streams-node processes are started on it and bench/node_load posts through
# them (CONNECTIONS keep-alive clients spread over the nodes), then looks messages up by index.
#   scripts/bench-node-pg.sh [CONNECTIONS] [MESSAGES_PER_STEP] [NODES] [node_load options...]
# Besides the rates and latencies, node_load reports the CPU time per message of the node process, of
# the PostgreSQL server (the postmaster and its backends: server_cpu_us_per_post) and its own.
set -euo pipefail
cd "$(dirname "$0")/.."
connections=${1:-32}
per_step=${2:-50000}
nodes=${3:-1}
load_options=("${@:4}")  # passed to node_load: --binary, --parents genesis, --threads N
scripts/install-deps.sh host
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build --target streams-node node_load -j"$(nproc 2>/dev/null || echo 2)" >/dev/null
work=$(mktemp -d)
cleanup() {
  kill $(jobs -p) 2>/dev/null || true
  wait 2>/dev/null || true
  tests/support/pg.sh stop "$work/pg" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
tests/support/pg.sh start "$work/pg" >/dev/null
base=$(cat "$work/pg/conninfo")
psql_bin=$(ls /usr/lib/postgresql/*/bin/psql | sort -V | tail -n 1)
sql() { "$psql_bin" -q -X -v ON_ERROR_STOP=1 "$base" -c "$1" >/dev/null; }

# The node creates the tables; the fill adds rows the way the node would (seq order, parents, tips).
fill() {  # fill COUNT: COUNT more messages, chained after the newest one
  sql "
    WITH last AS (SELECT coalesce(max(seq), 0) AS n FROM streams_messages)
    INSERT INTO streams_messages (id, idx, raw)
      SELECT sha256(int8send(g)), sha256(int8send(g % 10000)), sha256(int8send(-g)) || sha256(int8send(g))
      FROM last, generate_series(last.n + 1, last.n + $1) g;
    INSERT INTO streams_parents (parent, child)
      SELECT a.id, b.id FROM streams_messages a JOIN streams_messages b ON b.seq = a.seq + 1
      WHERE b.seq > (SELECT max(seq) - $1 FROM streams_messages)
      ON CONFLICT DO NOTHING;
    DELETE FROM streams_tips;
    INSERT INTO streams_tips (seq, id) SELECT seq, id FROM streams_messages ORDER BY seq DESC LIMIT 1;
    UPDATE streams_counters SET value = (SELECT count(*) FROM streams_messages) WHERE name = 'messages';"
  sql "VACUUM ANALYZE"  # not inside the fill's transaction
}

postmaster_pid() { head -n 1 "$(cat "$work/pg/datadir")/data/postmaster.pid"; }

start_nodes() {
  urls=()
  node_pids=()
  for n in $(seq "$nodes"); do
    build/bin/streams-node --listen 127.0.0.1:0 --db "$base" > "$work/node$n.log" 2>&1 &
    node_pids+=($!)
    for _ in $(seq 100); do grep -q listening "$work/node$n.log" 2>/dev/null && break; sleep 0.1; done
    urls+=("$(grep -o 'http://[0-9.:]*' "$work/node$n.log")")
  done
}

stored=0
for step in 0 100000 1000000; do
  start_nodes
  if [ "$step" -gt "$stored" ]; then fill $((step - stored)); stored=$step; fi
  # node_load drives one URL: with several nodes each gets its share of the connections and messages,
  # all at once; the rates add up.
  pids=()
  for n in $(seq "$nodes"); do
    build/bin/node_load "${urls[$((n - 1))]}" $((connections / nodes)) $((per_step / nodes)) $((per_step / nodes)) \
      "step${step}node$n" --node-pid "${node_pids[$((n - 1))]}" --server-pid "$(postmaster_pid)" \
      "${load_options[@]}" > "$work/load$n.json" &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid"; done
  for n in $(seq "$nodes"); do
    echo "stored before: $(printf %7d "$step") node $n/$nodes $(cat "$work/load$n.json")"
  done
  stored=$((stored + per_step))
  kill "${node_pids[@]}" 2>/dev/null || true
  wait "${node_pids[@]}" 2>/dev/null || true
done
