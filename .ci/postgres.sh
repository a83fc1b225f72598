#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server for the tests and prints its URL
# (postgres://dajian@127.0.0.1:PORT) on stdout; everything else goes to
# stderr. Installs Debian's postgresql when no server binaries are found
# and we are root (unless DAJIAN_PG_NO_INSTALL is set). Exits non-zero (printing nothing) when no server can be
# started; callers then run the SQLite tests only.
#
#   export DAJIAN_TEST_POSTGRES=$(.ci/postgres.sh)
#   .ci/postgres.sh stop        # stops the server this script started
set -euo pipefail

DIR=${DAJIAN_PG_DIR:-/tmp/dajian-pg}
PORT=${DAJIAN_PG_PORT:-55432}

find_bin() {
    for d in /usr/lib/postgresql/*/bin /usr/local/bin /usr/bin; do
        if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then echo "$d"; return 0; fi
    done
    return 1
}

# The server refuses to run as root: run it as the `postgres` account then.
as_owner() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if ! BIN=$(find_bin); then
    if [ -z "${DAJIAN_PG_NO_INSTALL:-}" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "installing postgresql from Debian's packages" >&2
        { apt-get update -qq && apt-get install -y -qq postgresql >/dev/null; } >&2 || true
    fi
    BIN=$(find_bin) || { echo "no PostgreSQL server binaries found" >&2; exit 1; }
fi

if [ "${1:-}" = stop ]; then
    as_owner "$BIN/pg_ctl" -D "$DIR/data" -m fast stop >&2 || true
    exit 0
fi

if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
    useradd --system --home-dir "$DIR" postgres >&2
fi
mkdir -p "$DIR"
[ "$(id -u)" = 0 ] && chown postgres "$DIR"
if [ ! -f "$DIR/data/PG_VERSION" ]; then
    as_owner "$BIN/initdb" -D "$DIR/data" -U dajian --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null 2>&1 \
        || as_owner "$BIN/initdb" -D "$DIR/data" -U dajian --auth=trust -E UTF8 >&2
fi
if ! as_owner "$BIN/pg_ctl" -D "$DIR/data" status >/dev/null 2>&1; then
    # fsync off: a test server that loses data in a power cut is fine, and
    # it makes the many CREATE DATABASEs fast.
    as_owner "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/log" -w \
        -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300" start >&2
fi
echo "postgres://dajian@127.0.0.1:$PORT"
