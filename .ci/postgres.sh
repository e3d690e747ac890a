#!/usr/bin/env bash
# Start a throw-away PostgreSQL server from Debian's packages on a Unix socket and a loopback
# port, and print the URL the tests use. Usage: eval "$(.ci/postgres.sh start DIR)"
set -euo pipefail
action=${1:-start}
dir=${2:-/tmp/journey-pg}
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
# A free loopback port unless one is asked for: another server may hold the usual ones.
port=${JOURNEY_PG_PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
run_as() { if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
case "$action" in
  start)
    rm -rf "$dir"; mkdir -p "$dir"
    [ "$(id -u)" = "0" ] && chown postgres:postgres "$dir"
    run_as "$bin/initdb" -D "$dir/data" -U journey --auth=trust -E UTF8 >/dev/null
    run_as "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
    run_as "$bin/createdb" -h 127.0.0.1 -p "$port" -U journey journey
    echo "$port" > "$dir/port"
    echo "export JOURNEY_TEST_DATABASE_URL=postgresql+psycopg://journey@127.0.0.1:$port/journey"
    ;;
  stop)
    run_as "$bin/pg_ctl" -D "$dir/data" -m fast stop >/dev/null || true
    ;;
esac
