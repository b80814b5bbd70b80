#!/usr/bin/env bash
# A throwaway PostgreSQL for tests and benchmarks, from the Debian package.
#   scripts/postgres.sh start DIR   initdb DIR (as the postgres user when run as root), start it on a
#                                   free loopback port, print "PORT" on stdout
#   scripts/postgres.sh resume DIR  start that directory again on the same port (after stop)
#   scripts/postgres.sh stop DIR    stop it (fast), if it runs
# The server trusts local connections and runs with fsync off: it is for tests, never for data.
set -euo pipefail

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

bindir() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$dir" ] || [ ! -x "$dir/initdb" ]; then
    echo "postgres.sh: installing PostgreSQL (Debian package)" >&2
    as_root apt-get install -y -qq postgresql >/dev/null 2>&1 \
      || { as_root apt-get update -qq >/dev/null && as_root apt-get install -y -qq postgresql >/dev/null; }
    dir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  fi
  echo "$dir"
}

# Runs a server binary as the owner of the data directory (initdb and postgres refuse root).
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

start() {
  local dir=$1 bin port
  bin=$(bindir)
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$dir"; chmod 700 "$dir"; fi
  as_owner "$bin/initdb" -D "$dir" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  port=$(free_port)
  as_owner "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
    start >/dev/null
  echo "$port" > "$dir/port"
  echo "$port"
}

# Starts an existing data directory again, on the port it had.
resume() {
  local dir=$1 bin port
  bin=$(bindir)
  port=$(cat "$dir/port")
  as_owner "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
    start >/dev/null
  echo "$port"
}

stop() {
  local dir=$1 bin
  [ -f "$dir/postmaster.pid" ] || return 0
  bin=$(bindir)
  as_owner "$bin/pg_ctl" -D "$dir" -m fast -w stop >/dev/null 2>&1 || true
}

case "${1:-}" in
  start) start "$2" ;;
  resume) resume "$2" ;;
  stop) stop "$2" ;;
  *) echo "usage: $0 start|resume|stop DIR" >&2; exit 2 ;;
esac
