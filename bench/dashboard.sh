#!/usr/bin/env bash
# bench/dashboard.sh DB [RUNS]: the governor's dashboard (issue 18) in Chromium on an existing
# database, e.g. the 1M-appeal demo (otinish init --db DB --demo 1000000): the bytes it loads
# and the time until it is interactive, cold, RUNS times (default 3), then GET
# /api/v1/dashboard with wrk. Adds a supervisor account "bench.dash" when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
db=$1
runs=${2:-3}
PW="bench password 1"
dir=$(mktemp -d /tmp/otinish-dash-XXXXXX)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT
printf '%s\n' "$PW" | build/otinish user add --db "$db" --login bench.dash --name Bench \
  --position Bench --role supervisor --body vko.apparat >/dev/null 2>&1 || true
build/otinish serve --db "$db" --listen 127.0.0.1:0 --no-access-log --public-limit 0 \
  --web web >"$dir/out" 2>"$dir/log" &
pid=$!
for _ in $(seq 600); do grep -q listening "$dir/out" 2>/dev/null && break; sleep 0.1; done
base=$(sed -n 's/^listening on //p' "$dir/out")
[ -n "$base" ] || { echo "bench: server did not start"; cat "$dir/log"; exit 1; }
node bench/dashboard.mjs "$base" bench.dash "$PW" "$runs"
token=$(curl -s -X POST -H 'Content-Type: application/json' \
  -d "{\"login\":\"bench.dash\",\"password\":\"$PW\"}" "$base/api/v1/session" |
  sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
out=$(wrk -t2 -c8 -d5s --latency -H "Authorization: Bearer $token" "$base/api/v1/dashboard")
printf 'GET /api/v1/dashboard: %s req/s, p50 %s, p99 %s (8 connections)\n' \
  "$(awk '/^Requests\/sec/ {print $2}' <<<"$out")" "$(awk '$1=="50%" {print $2}' <<<"$out")" \
  "$(awk '$1=="99%" {print $2}' <<<"$out")"
