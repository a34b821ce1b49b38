#!/usr/bin/env bash
# answers.sh BIN DB OUTDIR [VALGRIND-PREFIX...]: starts BIN serve on DB (no sweep), saves the
# dashboard's answers (supervisor, heads; default and month variants) and the /metrics gauges.
set -euo pipefail
bin=$1 db=$2 out=$3; shift 3
mkdir -p "$out"
PW=otinish-demo-2026
dir=$(mktemp -d /tmp/dash10-XXXXXX)
root=$(cd "$(dirname "$0")/../.." && pwd)
export OTINISH_DATA=${OTINISH_DATA:-$root/data} OTINISH_WEB=${OTINISH_WEB:-$root/web}
"$@" "$bin" serve --db "$db" --listen 127.0.0.1:0 --no-access-log --public-limit 0 \
  --sweep-interval 0 --login-limit 1000 >"$dir/out" 2>"$dir/log" &
pid=$!
for _ in $(seq 3000); do grep -q listening "$dir/out" 2>/dev/null && break; sleep 0.1; done
base=$(sed -n 's/^listening on //p' "$dir/out")
[ -n "$base" ] || { echo "server did not start"; cat "$dir/log"; kill $pid; exit 1; }
tok() { curl -s -X POST -H 'Content-Type: application/json' \
  -d "{\"login\":\"$1\",\"password\":\"$PW\"}" "$base/api/v1/session" |
  sed -n 's/.*"token":"\([^"]*\)".*/\1/p'; }
for who in supervisor head head.ridder head.ukg.housing; do
  t=$(tok $who)
  i=0
  for q in "" "?from=2026-01-01&to=2026-06-30" "?from=2026-03-15&to=2026-11-20" \
           "?from=2025-12-01&to=2026-11-30" "?from=2026-11-01&to=2026-11-30"; do
    s=$(date +%s.%N)
    curl -s -o "$out/dash.$who.$i.json" -w '%{http_code}\n' -H "Authorization: Bearer $t" \
      "$base/api/v1/dashboard$q" >"$out/dash.$who.$i.code"
    e=$(date +%s.%N)
    echo "$who $i $(echo "$e - $s" | bc)" >>"$out/times"
    i=$((i+1))
  done
  for q in "" "?from=2026-03-15&to=2026-11-20"; do
    curl -s -o "$out/sc.$who.$i.json" -H "Authorization: Bearer $t" "$base/api/v1/scorecards$q"
    curl -s -o "$out/al.$who.$i.json" -H "Authorization: Bearer $t" "$base/api/v1/alerts${q:+?month=2026-10&months=6}"
    i=$((i+1))
  done
done
for i in 1 2 3; do
  s=$(date +%s.%N)
  curl -s "$base/metrics" | grep -E '^otinish_(appeals_open|appeals_overdue|violations_open|outbox_backlog) ' >"$out/metrics.$i"
  e=$(date +%s.%N)
  echo "metrics $i $(echo "$e - $s" | bc)" >>"$out/times"
done
kill $pid; wait $pid 2>/dev/null || true
cp "$dir/log" "$out/server.log"; rm -rf "$dir"
