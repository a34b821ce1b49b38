#!/usr/bin/env bash
# aftersweep.sh BIN DB LABEL: a server, the region head's and supervisor's dashboards warm,
# then `otinish sweep` on the same database from another process, then each dashboard again
set -euo pipefail
bin=$1 db=$2 label=$3
PW=otinish-demo-2026
root=$(cd "$(dirname "$0")/../.." && pwd)
export OTINISH_DATA=${OTINISH_DATA:-$root/data} OTINISH_WEB=${OTINISH_WEB:-$root/web}
dir=$(mktemp -d /tmp/after-XXXXXX)
"$bin" serve --db "$db" --listen 127.0.0.1:0 --no-access-log --public-limit 0 \
  --sweep-interval 0 --login-limit 1000 >"$dir/out" 2>"$dir/log" &
pid=$!
for _ in $(seq 3000); do grep -q listening "$dir/out" 2>/dev/null && break; sleep 0.1; done
base=$(sed -n 's/^listening on //p' "$dir/out")
tok() { curl -s -X POST -H 'Content-Type: application/json' \
  -d "{\"login\":\"$1\",\"password\":\"$PW\"}" "$base/api/v1/session" |
  sed -n 's/.*"token":"\([^"]*\)".*/\1/p'; }
ts=$(tok supervisor) th=$(tok head)
t() { curl -s -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $2" "$base$1"; }
line="$label warm sup $(t /api/v1/dashboard $ts) $(t /api/v1/dashboard $ts) head $(t /api/v1/dashboard $th) $(t /api/v1/dashboard $th)"
s=$(date +%s.%N); "$bin" sweep --db "$db" >/dev/null 2>&1; e=$(date +%s.%N)
line+=" | sweep $(echo "$e - $s" | bc) s | after: sup $(t /api/v1/dashboard $ts) $(t /api/v1/dashboard $ts) head $(t /api/v1/dashboard $th) $(t /api/v1/dashboard $th)"
echo "$line"
kill $pid; wait $pid 2>/dev/null || true
rm -rf "$dir"
