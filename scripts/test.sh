#!/usr/bin/env bash
# The one test command: installs what the tests need when it is missing (b3sum, PostgreSQL from
# Debian's packages), starts a throwaway PostgreSQL on a loopback port, runs every test, and ends
# with one line "N passed, N failed[, N skipped]". Exit status 0 only when nothing failed.
#   scripts/test.sh [--repeat N] [dotnet test options...]
# --repeat N runs the whole suite N times in a row (built once), prints each run's summary and the
# tests that failed in it, and ends with the sums over all runs: the way to tell a flaky test.
# Before the summary it prints the ten slowest tests (of the last run).
set -uo pipefail
cd "$(dirname "$0")/.."

repeat=1
options=()
while [ $# -gt 0 ]; do
  case "$1" in
    --repeat) repeat=${2:-}; shift 2 || shift ;;
    --repeat=*) repeat=${1#--repeat=}; shift ;;
    *) options+=("$1"); shift ;;
  esac
done
if ! [[ "$repeat" =~ ^[1-9][0-9]*$ ]]; then
  echo "test.sh: --repeat takes a whole number of runs, 1 or more (got '$repeat')" >&2
  exit 2
fi

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

# A C compiler links the command-line tool's native package, which the tests pack and install as users do.
if ! command -v gcc >/dev/null 2>&1 && ! command -v clang >/dev/null 2>&1; then
  echo "test.sh: installing gcc (Debian package)" >&2
  as_root apt-get install -y -qq gcc >/dev/null 2>&1 \
    || { as_root apt-get update -qq >/dev/null && as_root apt-get install -y -qq gcc >/dev/null; } \
    || { echo "test.sh: could not install gcc" >&2; echo "0 passed, 1 failed"; exit 1; }
fi

# Layout is checked like style: the build fails on the rules in .editorconfig (unused usings,
# naming), and this fails on whitespace and the order of usings, which the build does not see.
if ! dotnet format whitespace OmniBridge.Orleans.sln --verify-no-changes; then
  echo "test.sh: whitespace or using order differs from .editorconfig; run: dotnet format whitespace OmniBridge.Orleans.sln" >&2
  echo "0 passed, 1 failed"
  exit 1
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

total_passed=0 total_failed=0 total_skipped=0 all_ok=1
for run in $(seq 1 "$repeat"); do
  dir="$results"
  [ "$repeat" -gt 1 ] && dir="$results/run-$run"
  build=()
  [ "$run" -gt 1 ] && build=(--no-build)
  started=$SECONDS
  # One TRX file per test project, each named by the logger; the report reads them all.
  dotnet test OmniBridge.Orleans.sln "${build[@]}" --logger trx --results-directory "$dir" "${options[@]}"
  status=$?
  if ! compgen -G "$dir/*.trx" >/dev/null; then
    echo "test.sh: no test results (the build or the test host failed)" >&2
    echo "$total_passed passed, $((total_failed + 1)) failed"
    exit 1
  fi
  read -r passed failed skipped < <(python3 scripts/trx-report.py counts "$dir")
  total_passed=$((total_passed + passed)) total_failed=$((total_failed + failed)) total_skipped=$((total_skipped + skipped))
  { [ "$status" -eq 0 ] && [ "$failed" -eq 0 ]; } || all_ok=0
  [ "$repeat" -gt 1 ] && echo "run $run of $repeat: $passed passed, $failed failed, $skipped skipped in $((SECONDS - started)) s"
  python3 scripts/trx-report.py failed "$dir" | sed 's/^/  failed: /'
done

echo "slowest tests:"
python3 scripts/trx-report.py slowest 10 "$dir"
summary="$total_passed passed, $total_failed failed"
[ "$total_skipped" -gt 0 ] && summary="$summary, $total_skipped skipped"
echo "$summary"
[ "$all_ok" -eq 1 ]
