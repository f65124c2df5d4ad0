#!/usr/bin/env bash
# Starts or stops a throwaway PostgreSQL 15 server for the tests, on loopback only.
#   scripts/test-postgres.sh start   # prints the URL to export as ORDERHUB_TEST_POSTGRES_URL
#   scripts/test-postgres.sh stop
# The cluster lives in a temporary directory owned by the postgres user (initdb refuses root).
set -euo pipefail
PGBIN=/usr/lib/postgresql/15/bin
DIR=${ORDERHUB_TEST_PG_DIR:-/tmp/orderhub-test-pg}
PORT=${ORDERHUB_TEST_PG_PORT:-55432}
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "${1:-}" in
start)
    if ! [ -s "$DIR/data/PG_VERSION" ]; then
        mkdir -p "$DIR"
        [ "$(id -u)" = 0 ] && chown postgres:postgres "$DIR"
        as_postgres "$PGBIN/initdb" -D "$DIR/data" -U postgres -A trust --no-sync >/dev/null
    fi
    if ! as_postgres "$PGBIN/pg_ctl" -D "$DIR/data" status >/dev/null 2>&1; then
        # fsync stays on: the durability tests must see a real commit path.
        as_postgres "$PGBIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -o \
            "-h 127.0.0.1 -p $PORT -k $DIR -c max_connections=200 -c shared_buffers=128MB" start >/dev/null
    fi
    for db in orderhub_test; do
        as_postgres psql -h 127.0.0.1 -p "$PORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$db'" \
            | grep -q 1 || as_postgres createdb -h 127.0.0.1 -p "$PORT" -U postgres "$db"
    done
    echo "postgres://postgres@127.0.0.1:$PORT/orderhub_test"
    ;;
stop)
    as_postgres "$PGBIN/pg_ctl" -D "$DIR/data" -m fast stop >/dev/null 2>&1 || true
    ;;
*)
    echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
