#!/usr/bin/env bash
# cgintake.sh BIN DB N: instructions per intake (POST /api/v1/appeals, N one after another)
set -euo pipefail
bin=$1 db=$2 n=$3
dir=$(mktemp -d /tmp/dash10-XXXXXX)
root=$(cd "$(dirname "$0")/../.." && pwd)
export OTINISH_DATA=${OTINISH_DATA:-$root/data} OTINISH_WEB=${OTINISH_WEB:-$root/web}
valgrind --tool=callgrind --callgrind-out-file="$dir/cg.%p" \
  "$bin" serve --db "$db" --listen 127.0.0.1:0 --no-access-log --public-limit 0 \
  --sweep-interval 0 --threads 8 >"$dir/out" 2>"$dir/log" &
pid=$!
for _ in $(seq 6000); do grep -q listening "$dir/out" 2>/dev/null && break; sleep 0.1; done
base=$(sed -n 's/^listening on //p' "$dir/out")
cats=(heating road_repair water_supply street_lighting waste)
post() {
  curl -s -o /dev/null -w '%{http_code}\n' -X POST -H 'Content-Type: application/json' \
    -d "{\"kind\":\"statement\",\"channel\":\"portal\",\"category\":\"${cats[$(( $1 % 5 ))]}\",\"district\":\"ridder\",\"language\":\"ru\",\"text\":\"Обращение номер $1 о проблеме во дворе дома $(( $1 * 7 ))\",\"applicant\":{\"type\":\"individual\",\"full_name\":\"Иванов Иван\",\"email\":\"a$1@example.kz\"}}" \
    "$base/api/v1/appeals"
}
for i in $(seq 1 20); do post $i >/dev/null; done
callgrind_control -z $pid >/dev/null
codes=$(for i in $(seq 21 $((20 + n))); do post $i; done | sort | uniq -c | tr '\n' ' ')
callgrind_control -d $pid >/dev/null
sleep 1
f=$(ls -t "$dir"/cg.*.* 2>/dev/null | head -1)
tot=$(grep -m1 -E "^(summary|totals):" "$f" | awk '{print $2}')
echo "$(basename $bin) codes: $codes total $tot per intake $((tot / n))"
kill $pid; wait $pid 2>/dev/null || true
rm -rf "$dir"
