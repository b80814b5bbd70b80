#!/usr/bin/env bash
# Runs the benchmarks in Release against a throwaway PostgreSQL and prints their tables.
#   bench/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
pgroot=$(mktemp -d /tmp/omnibridge-bench-pg.XXXXXX)
chmod 755 "$pgroot"   # the server runs as the postgres user and must reach its data directory
trap 'scripts/postgres.sh stop "$pgroot/data" >/dev/null 2>&1 || true; rm -rf "$pgroot"' EXIT
port=$(scripts/postgres.sh start "$pgroot/data")
psql -h 127.0.0.1 -p "$port" -U postgres -qc "CREATE DATABASE bench" -c "CREATE DATABASE nodes" -c "CREATE DATABASE events" >/dev/null

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sr), $(dotnet --version)"
dotnet build -c Release bench >/dev/null
dotnet run -c Release --no-build --project bench -- store "Host=127.0.0.1;Port=$port;Username=postgres;Database=bench"
echo
dotnet run -c Release --no-build --project bench -- nodes 127.0.0.1 "$port" nodes
echo
dotnet run -c Release --no-build --project bench -- events 127.0.0.1 "$port" events
echo
dotnet run -c Release --no-build --project bench -- codegen
