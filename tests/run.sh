#!/usr/bin/env bash
# Runs every test program in the given build folders (unit, then API) and ends with one
# summary line "N passed, N failed". Exit status is non-zero on any failure.
# cmocka prints TAP (CMOCKA_MESSAGE_OUTPUT=TAP); a program that dies without saying
# "not ok" counts as one failure.
set -u
cd "$(dirname "$0")/.."
export CMOCKA_MESSAGE_OUTPUT=TAP
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
passed=0
failed=0
log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT
# run_tap NAME COMMAND...: runs one test program or script that prints TAP and adds up its
# lines
run_tap() {
  local name=$1 out="$log/out" rc ok nok
  shift
  "$@" >"$out" 2>&1
  rc=$?
  ok=$(grep -c '^ok ' "$out")
  nok=$(grep -c '^not ok ' "$out")
  if [ "$rc" -ne 0 ] && [ "$nok" -eq 0 ]; then nok=1; fi
  passed=$((passed + ok))
  failed=$((failed + nok))
  if [ "$nok" -ne 0 ]; then
    echo "FAIL $name ($ok passed, $nok failed, exit $rc)"
    grep -v '^ok ' "$out" | tail -n 60 | sed 's/^/    /'
  else
    echo "ok   $name ($ok passed)"
  fi
}
for b in "$@"; do
  for t in $(find "$b/tests/unit" "$b/tests/api" -type f -perm -u+x 2>/dev/null | sort); do
    run_tap "$t" "$t"
  done
done
# The API tests again on PostgreSQL 15 (issue 19; docs/postgresql.md), with the first build:
# each program starts a server of its own (tests/api/harness.c, OTINISH_TEST_PG=1). Only
# the programs that pass there reliably are listed; SKIP_PG=1 leaves the pass out.
PG_API_TESTS="accountability accounts appeals approval audit backup calendar config counters demo foundation
  install metrics notices notify open311 problems receptions scorecards search serving
  sweep_resume workspace"
if [ -x /usr/lib/postgresql/15/bin/initdb ] && [ -z "${SKIP_PG:-}" ] && [ $# -gt 0 ]; then
  for n in $PG_API_TESTS; do
    [ -x "$1/tests/api/$n" ] && run_tap "pg:$1/tests/api/$n" env OTINISH_TEST_PG=1 "$1/tests/api/$n"
  done
fi
# Contract tests against each build's server: every /api/v1 reply against the OpenAPI
# document, and the npm open311 client end to end (tests/contract/run.sh prints TAP).
for b in "$@"; do
  OTINISH_BIN="$PWD/$b/otinish" run_tap "tests/contract ($b)" tests/contract/run.sh
done
# The web UI in a real browser, once, against the normal build (tests/browser/run.sh prints TAP).
if [ -x tests/browser/run.sh ] && [ -z "${SKIP_BROWSER:-}" ]; then
  OTINISH_BIN="$PWD/$1/otinish" run_tap tests/browser tests/browser/run.sh
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
