#!/usr/bin/env bash
# A throwaway PostgreSQL for tests and benchmarks, from the Debian package.
#   scripts/postgres.sh start DIR   initdb DIR (as the postgres user when run as root), start it on a
#                                   free loopback port, print "PORT" on stdout
#   scripts/postgres.sh resume DIR  start that directory again on the same port (after stop)
#   scripts/postgres.sh stop DIR    stop it (fast), if it runs
#   scripts/postgres.sh freeze DIR  stop it answering without closing anything (SIGSTOP); thaw undoes it
# The server trusts local connections and runs with fsync off: it is for tests, never for data.
set -euo pipefail

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

bindir() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$dir" ] || [ ! -x "$dir/initdb" ]; then
    echo "postgres.sh: installing PostgreSQL (Debian package)" >&2
    # Only the binaries: no system cluster on 5432 left running (or started at boot) by the package.
    as_root mkdir -p /etc/postgresql-common
    echo "create_main_cluster = false" | as_root tee /etc/postgresql-common/createcluster.conf >/dev/null
    local install=(env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o Dpkg::Options::=--force-confold postgresql)
    as_root "${install[@]}" >/dev/null 2>&1 \
      || { as_root apt-get update -qq >/dev/null && as_root "${install[@]}" >/dev/null; }
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

# Whether something listens on a loopback port (bash's /dev/tcp: no other tool needed).
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

run_server() {
  local bin=$1 dir=$2 port=$3
  as_owner "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
    start >/dev/null
}

start() {
  local dir=$1 bin port attempt
  bin=$(bindir)
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$dir"; chmod 700 "$dir"; fi
  as_owner "$bin/initdb" -D "$dir" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  # A random free port from 30100 to 32699: below the kernel's ephemeral range (32768 and up), so no
  # outgoing connection takes it while a test has the server stopped and means to resume it there,
  # and clear of the ports the tests hand to silos (10000 to 22299) and Orleans' test host (22300 to
  # 30004). If another process takes it first, the start fails and we try another.
  for attempt in 1 2 3 4 5 6 7 8; do
    port=$((30100 + RANDOM % 2600))
    listening "$port" && continue
    if run_server "$bin" "$dir" "$port"; then
      echo "$port" > "$dir/port"
      echo "$port"
      return 0
    fi
  done
  echo "postgres.sh: could not start PostgreSQL in $dir (see $dir/server.log)" >&2
  return 1
}

# Starts an existing data directory again, on the port it had.
resume() {
  local dir=$1 bin port
  bin=$(bindir)
  port=$(cat "$dir/port")
  run_server "$bin" "$dir" "$port"
  echo "$port"
}

stop() {
  local dir=$1 bin
  [ -f "$dir/postmaster.pid" ] || return 0
  bin=$(bindir)
  as_owner "$bin/pg_ctl" -D "$dir" -m fast -w stop >/dev/null 2>&1 || true
}

# Freezes (SIGSTOP) the server and its backends, or thaws them: a database that hangs instead of failing.
signal_server() {
  local dir=$1 sig=$2 pid
  pid=$(head -n 1 "$dir/postmaster.pid")
  as_root pkill "-$sig" -P "$pid" || true
  as_root kill "-$sig" "$pid"
}

case "${1:-}" in
  start) start "$2" ;;
  resume) resume "$2" ;;
  stop) stop "$2" ;;
  freeze) signal_server "$2" STOP ;;
  thaw) signal_server "$2" CONT ;;
  *) echo "usage: $0 start|resume|stop|freeze|thaw DIR" >&2; exit 2 ;;
esac
