#!/usr/bin/env bash
# The one test command: installs what the tests need when it is missing (b3sum, PostgreSQL from
# Debian's packages), starts a throwaway PostgreSQL on a loopback port, runs every test, and ends
# with one line "N passed, N failed[, N skipped]". Exit status 0 only when nothing failed.
set -uo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# b3sum (the reference BLAKE3 tool) checks the service's hashes against an implementation not ours.
if ! command -v b3sum >/dev/null 2>&1; then
  echo "test.sh: installing b3sum (Debian package)" >&2
  as_root apt-get install -y -qq b3sum >/dev/null 2>&1 \
    || { as_root apt-get update -qq >/dev/null && as_root apt-get install -y -qq b3sum >/dev/null; } \
    || { echo "test.sh: could not install b3sum" >&2; echo "0 passed, 1 failed"; exit 1; }
fi

# python3 judges the generated node packages (py_compile, and running them) as a user would.
if ! command -v python3 >/dev/null 2>&1; then
  echo "test.sh: installing python3 (Debian package)" >&2
  as_root apt-get install -y -qq python3 >/dev/null 2>&1 \
    || { as_root apt-get update -qq >/dev/null && as_root apt-get install -y -qq python3 >/dev/null; } \
    || { echo "test.sh: could not install python3" >&2; echo "0 passed, 1 failed"; exit 1; }
fi

# A throwaway PostgreSQL for the integration tests, stopped at the end whatever happens. Tests that
# stop and restart a database start their own under the same root; this run's servers, and only
# this run's, are stopped and removed at the end.
pgroot=$(mktemp -d /tmp/omnibridge-test-pg.XXXXXX)
chmod 755 "$pgroot"   # the server runs as the postgres user and must reach its data directory
cleanup() {
  for data in "$pgroot"/*/data "$pgroot"/data; do
    [ -d "$data" ] && scripts/postgres.sh stop "$data" >/dev/null 2>&1
  done
  rm -rf "$pgroot"
}
trap cleanup EXIT
if ! OMNIBRIDGE_TEST_PG_PORT=$(scripts/postgres.sh start "$pgroot/data"); then
  echo "test.sh: could not start PostgreSQL" >&2
  echo "0 passed, 1 failed"
  exit 1
fi
export OMNIBRIDGE_TEST_PG_PORT OMNIBRIDGE_TEST_PG_ROOT="$pgroot"

results="$(pwd)/.tmp/test-results"
rm -rf "$results"
mkdir -p "$results"

dotnet test OmniBridge.Orleans.sln --logger "trx;LogFileName=results.trx" --results-directory "$results" "$@"
status=$?

trx="$results/results.trx"
if [ ! -f "$trx" ]; then
  echo "test.sh: no test results (the build or the test host failed)" >&2
  echo "0 passed, 1 failed"
  exit 1
fi
counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
count() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
passed=$(count passed)
failed=$(( $(count failed) + $(count error) + $(count timeout) + $(count aborted) ))
skipped=$(count notExecuted)
summary="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && summary="$summary, $skipped skipped"
echo "$summary"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
