#!/usr/bin/env bash
# A private PostgreSQL server for trying the PostgreSQL backend on one machine (not for
# production: trust authentication, fsync off). Usage:
#   scripts/pg.sh start   # initdb (first time) and start; prints the edition URL
#   scripts/pg.sh url     # print the URL
#   scripts/pg.sh stop    # stop the server (the data directory stays)
#   scripts/pg.sh destroy # stop and delete the data directory
# Settings: PGPORT (default 55432), EPISTOLA_PG_DIR (default /tmp/epistola-pg).
# As root the server runs as the `postgres` system user (PostgreSQL refuses to run as root).
set -euo pipefail

PORT=${PGPORT:-55432}
DIR=${EPISTOLA_PG_DIR:-/tmp/epistola-pg}
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$BIN" ] || BIN=$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/initdb)")
if [ ! -x "$BIN/initdb" ]; then
  echo "pg.sh: PostgreSQL is not installed; run scripts/setup.sh" >&2
  exit 1
fi

if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
  useradd --system --no-create-home --shell /usr/sbin/nologin postgres
fi

as_server() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

url() { echo "postgresql://epistola@127.0.0.1:$PORT/epistola?schema=epistola"; }

case "${1:-}" in
  start)
    if [ ! -f "$DIR/data/PG_VERSION" ]; then
      mkdir -p "$DIR"
      if [ "$(id -u)" = 0 ]; then chown postgres "$DIR"; fi
      as_server "$BIN/initdb" -D "$DIR/data" -U epistola --auth=trust --encoding=UTF8 \
        --locale=C.UTF-8 --no-sync >/dev/null
      fresh=1
    fi
    as_server "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 \
      -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
    if [ -n "${fresh:-}" ]; then
      as_server "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U epistola -d postgres -q \
        -c "CREATE DATABASE epistola" -c "\\c epistola" \
        -c "CREATE EXTENSION IF NOT EXISTS unaccent" -c "CREATE EXTENSION IF NOT EXISTS pg_trgm"
    fi
    url
    ;;
  stop) as_server "$BIN/pg_ctl" -D "$DIR/data" -m fast -w stop ;;
  destroy)
    as_server "$BIN/pg_ctl" -D "$DIR/data" -m fast -w stop 2>/dev/null || true
    rm -rf "$DIR"
    ;;
  url) url ;;
  *) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
