#!/usr/bin/env bash
# make bench: starts the server on a generated database and measures endpoints with wrk,
# printing requests/s, p99 latency and each endpoint's ratio to /healthz in the same run;
# then runs the standalone benchmark programs in build/bench/.
# Never part of make test. Tunables: BENCH_SECONDS (default 5), BENCH_CONNS (64),
# BENCH_DEMO (appeals in the generated database, default 35000), BENCH_PROGRAMS=0.
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
printf 'bench password 1\n' | build/otinish user add --db "$dir/b.db" --login bench --name Bench \
  --position Bench --role supervisor --body vko.apparat >/dev/null
build/otinish serve --db "$dir/b.db" --listen 127.0.0.1:0 --no-access-log --public-limit 0 \
  >"$dir/out" 2>"$dir/log" &
pid=$!
for _ in $(seq 100); do grep -q listening "$dir/out" 2>/dev/null && break; sleep 0.05; done
base=$(sed -n 's/^listening on //p' "$dir/out")
[ -n "$base" ] || { echo "bench: server did not start"; cat "$dir/log"; exit 1; }

token=$(curl -s -X POST -H 'Content-Type: application/json' \
  -d '{"login":"bench","password":"bench password 1"}' "$base/api/v1/session" |
  sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
auth="Authorization: Bearer $token"

# Intake first: durable appeals with 64 concurrent clients (group commit).
out=$(wrk -t2 -c"$CONNS" -d"${SECS}s" --latency -s bench/intake.lua "$base/api/v1/appeals")
intake_rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
intake_p99=$(awk '$1=="99%" {print $2}' <<<"$out")
intake_bad=$(awk '/^intake-status:/ {print $2}' <<<"$out")
number=$(sqlite3 "$dir/b.db" "SELECT number FROM appeals ORDER BY id DESC LIMIT 1")
enc=$(python3 -c 'import sys,urllib.parse;print(urllib.parse.quote(sys.argv[1]))' "$number")

# name|path  (add endpoints here as they appear; search: q=отопление, q=жылу)
endpoints=(
  "healthz|/healthz"
  "calendar|/api/v1/calendar/2026"
  "deadline|/api/v1/deadline?kind=statement&received=2026-03-20T17:00:00%2B05:00"
  "categories|/api/v1/categories"
  "appeal|/api/v1/appeals/$enc|auth"
  "appeals|/api/v1/appeals?limit=20|auth"
  "queue|/api/v1/appeals?sort=due&counts=1&limit=25|auth"
  "dashboard|/api/v1/dashboard|auth"
  "search|/api/v1/search?q=%D0%BE%D1%82%D0%BE%D0%BF%D0%BB%D0%B5%D0%BD%D0%B8%D0%B5|auth"
  "search_kk|/api/v1/search?q=%D0%B6%D1%8B%D0%BB%D1%83|auth"
)
[ -n "${BENCH_EXTRA:-}" ] && endpoints+=($BENCH_EXTRA)

printf '%-12s %12s %10s %8s\n' endpoint "req/s" "p99" ratio
base_rps=
for e in "${endpoints[@]}"; do
  IFS='|' read -r name path need <<<"$e"
  hdr=()
  [ "$need" = auth ] && hdr=(-H "$auth")
  code=$(curl -s -o /dev/null -w '%{http_code}' "${hdr[@]}" "$base$path")
  if [ "$code" != 200 ]; then printf '%-12s skipped (HTTP %s)\n' "$name" "$code"; continue; fi
  out=$(wrk -t2 -c"$CONNS" -d"${SECS}s" --latency "${hdr[@]}" "$base$path")
  rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  [ -z "$base_rps" ] && base_rps=$rps
  printf '%-12s %12.0f %10s %7.2fx\n' "$name" "$rps" "$p99" "$(awk -v a="$rps" -v b="$base_rps" 'BEGIN{print a/b}')"
done

printf '%-12s %12.0f %10s %7.2fx  (POST, durable; %s non-201)\n' intake "$intake_rps" \
  "$intake_p99" "$(awk -v a="$intake_rps" -v b="$base_rps" 'BEGIN{print a/b}')" "${intake_bad:-0}"

# The server's memory after the load: RSS, of it the heap (anonymous) and the database
# mapped in (file: the OS page cache, shared with every other reader of the file).
awk '/^VmRSS|^RssAnon|^RssFile/ {printf "%s %d MB  ", $1, $2 / 1024} END {print "(server)"}' \
  "/proc/$pid/status"

# The governor's dashboard in Chromium (issue 18): bytes loaded and time to interactive, cold.
# BENCH_BROWSER=0 skips it; bench/dashboard.sh DB measures it on another database (1M).
if [ "${BENCH_BROWSER:-1}" != 0 ] && [ -x "${CHROMIUM:-/usr/bin/chromium}" ] &&
  [ -d tests/browser/node_modules/playwright-core ]; then
  node bench/dashboard.mjs "$base" bench "bench password 1" 3 | tail -1
fi

# The standalone benchmark programs (bench/*.c); BENCH_PROGRAMS=0 skips them.
if [ "${BENCH_PROGRAMS:-1}" != 0 ]; then
  for b in build/bench/*; do
    [ -x "$b" ] && "$b"
  done
fi
