#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests, from Debian's packages (postgresql 15).
#   pg.sh start STATE_DIR   initdb into a new temporary directory, start on a free loopback port, create
#                           the database 'streams'; writes STATE_DIR/conninfo (a libpq URL) and
#                           STATE_DIR/datadir
#   pg.sh stop STATE_DIR    stop the server and remove its directory
# PostgreSQL refuses to run as root: as root (CI), the server runs as the 'postgres' user the package
# created (or 'nobody'). Authentication is 'trust' on 127.0.0.1 only; nothing listens elsewhere.
set -euo pipefail

usage() { echo "usage: $0 start|stop STATE_DIR" >&2; exit 2; }
[ $# -eq 2 ] || usage
action=$1
state=$2

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  echo "pg.sh: no PostgreSQL server found under /usr/lib/postgresql (scripts/install-deps.sh installs it)" >&2
  exit 1
fi

as_server() {  # from /, which the server's user can enter whatever directory we are in
  if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u "$server_user" -- "$@"); else "$@"; fi
}
server_user=postgres
id -u postgres >/dev/null 2>&1 || server_user=nobody

stop() {
  [ -f "$state/datadir" ] || return 0
  local datadir
  datadir=$(cat "$state/datadir")
  if [ -d "$datadir" ]; then
    as_server "$bindir/pg_ctl" -D "$datadir/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$datadir"
  fi
  rm -f "$state/datadir" "$state/conninfo"
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

start() {
  mkdir -p "$state"
  stop  # a server left by an interrupted run
  local datadir port
  datadir=$(mktemp -d /tmp/streams-pg.XXXXXX)
  [ "$(id -u)" -eq 0 ] && chown "$server_user" "$datadir"
  echo "$datadir" >"$state/datadir"
  as_server "$bindir/initdb" -D "$datadir/data" -U streams --auth=trust --no-sync -E UTF8 --locale=C \
    >"$datadir/initdb.log" 2>&1 || { cat "$datadir/initdb.log" >&2; exit 1; }
  for attempt in 1 2 3; do
    port=$(free_port)
    if as_server "$bindir/pg_ctl" -D "$datadir/data" -l "$datadir/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $datadir -c max_connections=200" start >/dev/null; then
      break
    fi
    [ "$attempt" -eq 3 ] && { cat "$datadir/server.log" >&2; exit 1; }
  done
  "$bindir/psql" -q -X -h 127.0.0.1 -p "$port" -U streams -d postgres -c "CREATE DATABASE streams" >/dev/null
  echo "postgresql://streams@127.0.0.1:$port/streams" >"$state/conninfo"
  echo "pg.sh: PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port ($datadir)"
}

case "$action" in
  start) start ;;
  stop) stop; echo "pg.sh: stopped" ;;
  *) usage ;;
esac
