#!/usr/bin/env bash
# Start a throwaway PostgreSQL + PostGIS on loopback for the tests, unless one is reachable.
# Prints the SQLAlchemy URL of the test database on stdout (last line).
# initdb refuses to run as root, so the cluster belongs to the `postgres` system user.
set -euo pipefail
PORT="${CITYMGMT_PG_PORT:-55432}"
DATA="${CITYMGMT_PG_DATA:-/tmp/citymgmt-pg-$PORT}"
DB=citymgmt_test
BIN=/usr/lib/postgresql/15/bin
if [ -n "${CITYMGMT_TEST_PG:-}" ]; then echo "$CITYMGMT_TEST_PG"; exit 0; fi
as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi; }
if ! "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT"; then
  if [ ! -s "$DATA/PG_VERSION" ]; then
    mkdir -p "$DATA"; [ "$(id -u)" = 0 ] && chown postgres:postgres "$DATA"
    as_pg "$BIN/initdb -D '$DATA' -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null"
  fi
  as_pg "$BIN/pg_ctl -D '$DATA' -l '$DATA/server.log' -w -o \"-c listen_addresses=127.0.0.1 -p $PORT -k /tmp -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 -c shared_buffers=512MB\" start >/dev/null"
fi
psql_() { "$BIN/../bin/psql" -h 127.0.0.1 -p "$PORT" -U postgres -v ON_ERROR_STOP=1 -qAt "$@"; }
if ! psql_ -d postgres -c "select 1 from pg_database where datname='$DB'" | grep -q 1; then
  psql_ -d postgres -c "create database $DB" >/dev/null
fi
psql_ -d "$DB" -c "create extension if not exists postgis" >/dev/null
echo "postgresql+psycopg2://postgres@127.0.0.1:$PORT/$DB"
