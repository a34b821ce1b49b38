#!/usr/bin/env bash
# cg.sh BIN DB OUTDIR: callgrind instructions per request (h_dashboard, h_metrics), one dump each
set -euo pipefail
bin=$1 db=$2 out=$3
rm -rf "$out"; mkdir -p "$out"
PW=otinish-demo-2026
dir=$(mktemp -d /tmp/dash10-XXXXXX)
root=$(cd "$(dirname "$0")/../.." && pwd)
export OTINISH_DATA=${OTINISH_DATA:-$root/data} OTINISH_WEB=${OTINISH_WEB:-$root/web}
valgrind --tool=callgrind --collect-atstart=yes --instr-atstart=yes \
--dump-before=h_dashboard --dump-before=h_metrics --dump-after=h_dashboard --dump-after=h_metrics \
  --callgrind-out-file="$out/cg.%p" \
  "$bin" serve --db "$db" --listen 127.0.0.1:0 --no-access-log --public-limit 0 \
  --sweep-interval 0 --login-limit 1000 --threads 8 >"$dir/out" 2>"$dir/log" &
pid=$!
for _ in $(seq 6000); do grep -q listening "$dir/out" 2>/dev/null && break; sleep 0.1; done
base=$(sed -n 's/^listening on //p' "$dir/out")
[ -n "$base" ] || { echo "server did not start"; cat "$dir/log"; kill $pid; exit 1; }
tok() { curl -s -X POST -H 'Content-Type: application/json' \
  -d "{\"login\":\"$1\",\"password\":\"$PW\"}" "$base/api/v1/session" |
  sed -n 's/.*"token":"\([^"]*\)".*/\1/p'; }
n=0
for who in supervisor head.ridder head; do
  t=$(tok $who)
  for q in "" "" "?from=2026-03-15&to=2026-11-20"; do
    curl -s -o /dev/null -H "Authorization: Bearer $t" "$base/api/v1/dashboard$q"
    n=$((n+1)); echo "$n dash $who $q" >>"$out/order"
  done
done
for i in 1 2; do curl -s -o /dev/null "$base/metrics"; n=$((n+1)); echo "$n metrics" >>"$out/order"; done
kill $pid; wait $pid 2>/dev/null || true
rm -rf "$dir"
for f in $(ls "$out"/cg.* | sort -t. -k3 -n); do
  printf '%s %s\n' "$(basename $f)" "$(grep -m1 -E "^(summary|totals):" $f; grep -m1 "^desc: Trigger" $f)"
done
