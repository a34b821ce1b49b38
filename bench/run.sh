#!/usr/bin/env bash
# make bench: starts the server on a generated database and measures endpoints with wrk,
# printing requests/s, p99 latency and each endpoint's ratio to /healthz in the same run;
# then runs the standalone benchmark programs in build/bench/.
# Never part of make test. Tunables: BENCH_SECONDS (default 5), BENCH_CONNS (64),
# BENCH_DEMO (appeals in the generated database, default 35000).
set -euo pipefail
cd "$(dirname "$0")/.."
SECS=${BENCH_SECONDS:-5}
CONNS=${BENCH_CONNS:-64}
DEMO=${BENCH_DEMO:-35000}
dir=$(mktemp -d /tmp/otinish-bench-XXXXXX)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT

build/otinish init --db "$dir/b.db" --demo "$DEMO" >/dev/null
build/otinish serve --db "$dir/b.db" --listen 127.0.0.1:0 --no-access-log >"$dir/out" 2>"$dir/log" &
pid=$!
for _ in $(seq 100); do grep -q listening "$dir/out" 2>/dev/null && break; sleep 0.05; done
base=$(sed -n 's/^listening on //p' "$dir/out")
[ -n "$base" ] || { echo "bench: server did not start"; cat "$dir/log"; exit 1; }

# name|path  (add endpoints here as they appear)
endpoints=(
  "healthz|/healthz"
  "calendar|/api/v1/calendar/2026"
  "deadline|/api/v1/deadline?kind=statement&received=2026-03-20T17:00:00%2B05:00"
  "categories|/api/v1/categories"
)
[ -n "${BENCH_EXTRA:-}" ] && endpoints+=($BENCH_EXTRA)

printf '%-12s %12s %10s %8s\n' endpoint "req/s" "p99" ratio
base_rps=
for e in "${endpoints[@]}"; do
  name=${e%%|*}; path=${e#*|}
  code=$(curl -s -o /dev/null -w '%{http_code}' "$base$path")
  if [ "$code" != 200 ]; then printf '%-12s skipped (HTTP %s)\n' "$name" "$code"; continue; fi
  out=$(wrk -t2 -c"$CONNS" -d"${SECS}s" --latency "$base$path")
  rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  [ -z "$base_rps" ] && base_rps=$rps
  printf '%-12s %12.0f %10s %7.2fx\n' "$name" "$rps" "$p99" "$(awk -v a="$rps" -v b="$base_rps" 'BEGIN{print a/b}')"
done

for b in build/bench/*; do
  [ -x "$b" ] && "$b"
done
