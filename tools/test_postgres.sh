#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for the tests (the store's second engine), in a temporary folder.
#
#   eval "$(tools/test_postgres.sh start)"   # prints `export CCHC_TEST_PG_URL=…; export PGDATA_TMP=…`
#   tools/test_postgres.sh stop "$PGDATA_TMP"
#
# PostgreSQL refuses to run as root: when root, the cluster runs as the `postgres` user that the
# Debian package creates. It listens on a Unix socket inside the folder and on 127.0.0.1:$PORT.
set -euo pipefail
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$BIN/pg_ctl" ] || { echo "PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; }
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "${1:-}" in
start)
  PORT=${CCHC_TEST_PG_PORT:-55432}
  DIR=$(mktemp -d /tmp/cchc-pg.XXXXXX)
  chmod 755 "$DIR"
  [ "$(id -u)" = 0 ] && chown postgres: "$DIR"
  as_owner "$BIN/initdb" -D "$DIR/data" -U cchc --auth=trust -E UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 \
    || { cat "$DIR/initdb.log" >&2; exit 1; }
  as_owner "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 \
    -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60" start >/dev/null \
    || { cat "$DIR/server.log" >&2; exit 1; }
  as_owner "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U cchc cchc_test
  echo "export PGDATA_TMP=$DIR"
  echo "export CCHC_TEST_PG_URL=postgresql://cchc@127.0.0.1:$PORT/cchc_test"
  ;;
stop)
  DIR=${2:?folder printed by start}
  as_owner "$BIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null || true
  rm -rf "$DIR"
  ;;
*) echo "usage: $0 start | stop DIR" >&2; exit 2 ;;
esac
