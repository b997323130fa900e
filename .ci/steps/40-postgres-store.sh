#!/usr/bin/env bash
# The dossier store's suite against a real PostgreSQL (issue 11): Debian's server binaries, a
# throw-away cluster in a temporary directory owned by an unprivileged user, listening only on a
# Unix socket in that directory and on 127.0.0.1 at a free port; stopped and removed on exit.
set -euo pipefail
cd "$(dirname "$0")/../.."

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
    echo "PostgreSQL server binaries not found under /usr/lib/postgresql (see .ci/system-packages)" >&2
    exit 1
fi

tmp=$(mktemp -d /tmp/mot-cua-pg.XXXXXX)
chmod 755 "$tmp"
# PostgreSQL refuses to run as root: as root, run it as the distribution's postgres user.
if [ "$(id -u)" -eq 0 ]; then
    chown postgres: "$tmp"
    as_pg() { runuser -u postgres -- "$@"; }
    pg_user=postgres
else
    as_pg() { "$@"; }
    pg_user=$(id -un)
fi
port=$(.venv/bin/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

cleanup() {
    as_pg "$bindir/pg_ctl" -D "$tmp/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$tmp"
}
trap cleanup EXIT

as_pg "$bindir/initdb" -D "$tmp/data" -U "$pg_user" -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
as_pg "$bindir/pg_ctl" -D "$tmp/data" -l "$tmp/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $tmp -c fsync=off -c max_connections=200" start
as_pg "$bindir/createdb" -h 127.0.0.1 -p "$port" -U "$pg_user" mot_cua_test

export MOT_CUA_TEST_POSTGRES_URL="postgresql+psycopg://$pg_user@127.0.0.1:$port/mot_cua_test"
.venv/bin/python -m pytest -m postgres tests/test_store.py tests/test_store_concurrency.py \
    tests/test_store_http.py tests/test_store_hot.py -q
