#!/usr/bin/env bash
# Runs the benchmarks in Release against a throwaway PostgreSQL and prints their tables: first the
# service as it ships against its baselines (hashing, HTTP at 64 and 1,000 connections, a 1 GiB
# stream, /stamp and /batch on PostgreSQL against pgbench and a COPY, memory under mixed load;
# writes bench/latency.svg), then the
# store, bridge-node, event, transparency log, code generation, grain call and command-line client benchmarks.
# About 17 minutes.
#   bench/run.sh            everything
#   bench/run.sh --quick    the first table with short runs (about 3 minutes)
set -euo pipefail
cd "$(dirname "$0")/.."
pgroot=$(mktemp -d /tmp/omnibridge-bench-pg.XXXXXX)
chmod 755 "$pgroot"   # the server runs as the postgres user and must reach its data directory
trap 'scripts/postgres.sh stop "$pgroot/data" >/dev/null 2>&1 || true; rm -rf "$pgroot"' EXIT
port=$(scripts/postgres.sh start "$pgroot/data")
psql -h 127.0.0.1 -p "$port" -U postgres -qc "CREATE DATABASE bench" -c "CREATE DATABASE nodes" -c "CREATE DATABASE events" -c "CREATE DATABASE perf" -c "CREATE DATABASE log" -c "CREATE DATABASE codegen_events" >/dev/null

# wrk drives the HTTP rows; b3sum is the hashing reference.
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
for tool in wrk b3sum; do
  command -v "$tool" >/dev/null 2>&1 || as_root apt-get install -y -qq "$tool" >/dev/null || { as_root apt-get update -qq >/dev/null && as_root apt-get install -y -qq "$tool" >/dev/null; }
done
ulimit -n 4096 2>/dev/null || true   # 1,000 connections need more than the default 1,024 descriptors

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sr), $(dotnet --version)"
dotnet build -c Release bench >/dev/null
dotnet build -c Release bench/BareApp >/dev/null
dotnet build -c Release Cli >/dev/null
quick=""
[ "${1:-}" = "--quick" ] && quick="--quick"
dotnet run -c Release --no-build --project bench -- perf "$(pwd)" $quick 127.0.0.1 "$port" perf || echo "(a target was missed: see the table)"
[ -n "$quick" ] && exit 0
echo
dotnet run -c Release --no-build --project bench -- store "Host=127.0.0.1;Port=$port;Username=postgres;Database=bench"
echo
dotnet run -c Release --no-build --project bench -- nodes 127.0.0.1 "$port" nodes
echo
dotnet run -c Release --no-build --project bench -- events 127.0.0.1 "$port" events
echo
dotnet run -c Release --no-build --project bench -- log "Host=127.0.0.1;Port=$port;Username=postgres;Database=log"
echo
dotnet run -c Release --no-build --project bench -- codegen
echo
dotnet run -c Release --no-build --project bench -- calls
echo
dotnet run -c Release --no-build --project bench -- codegen-events 127.0.0.1 "$port" codegen_events
echo
# The command-line client as users install it (docs/cli.md): native on Linux x64; installed from a package cache of
# its own, so that an older package of the same version is never the one measured.
scripts/pack-cli.sh "$pgroot/nupkg" >/dev/null
NUGET_PACKAGES="$pgroot/packages" dotnet tool install omnibridge --tool-path "$pgroot/tools" --add-source "$pgroot/nupkg" >/dev/null
dotnet run -c Release --no-build --project bench -- cli "$(pwd)" 5 "$pgroot/tools/omnibridge" || echo "(a target was missed: see the table)"
