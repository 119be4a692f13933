#!/usr/bin/env bash
# Start a throw-away PostgreSQL (Debian's packages) on loopback for the test suite and print its URL.
# Used by .ci/run; developers can run it too. Idempotent.
set -euo pipefail
PORT="${CRAKIT_PG_PORT:-54329}"
DATA="${CRAKIT_PG_DATA:-/tmp/crakit-pg}"
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
RUNAS=()
if [ "$(id -u)" = 0 ]; then RUNAS=(runuser -u postgres --); fi
if ! "${RUNAS[@]}" "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
  rm -rf "$DATA"; mkdir -p "$DATA"
  [ "$(id -u)" = 0 ] && chown postgres: "$DATA"
  "${RUNAS[@]}" "$BIN/initdb" -D "$DATA" -U crakit --auth=trust -E UTF8 >/dev/null
  "${RUNAS[@]}" "$BIN/pg_ctl" -D "$DATA" -l "$DATA/log" -w \
    -o "-p $PORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null
  "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U crakit crakit_test
fi
echo "postgresql+psycopg://crakit@127.0.0.1:$PORT/crakit_test"
