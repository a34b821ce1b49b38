#!/usr/bin/env bash
# walltime.sh BIN DB LABEL: the database file's pages dropped from the OS page cache
# (posix_fadvise DONTNEED, this file only), a fresh server, then per reader: the first
# GET /api/v1/dashboard (cold) and 5 more (warm); GET /metrics cold and warm. Seconds.
set -euo pipefail
bin=$1 db=$2 label=$3
PW=otinish-demo-2026
dir=$(mktemp -d /tmp/dash10-XXXXXX)
root=$(cd "$(dirname "$0")/../.." && pwd)
export OTINISH_DATA=${OTINISH_DATA:-$root/data} OTINISH_WEB=${OTINISH_WEB:-$root/web}
python3 -c "
import os,sys
for f in sys.argv[1:]:
    if os.path.exists(f):
        fd=os.open(f,os.O_RDONLY); os.posix_fadvise(fd,0,0,os.POSIX_FADV_DONTNEED); os.close(fd)
" "$db" "$db-wal"
"$bin" serve --db "$db" --listen 127.0.0.1:0 --no-access-log --public-limit 0 \
  --sweep-interval 0 --login-limit 1000 >"$dir/out" 2>"$dir/log" &
pid=$!
for _ in $(seq 3000); do grep -q listening "$dir/out" 2>/dev/null && break; sleep 0.1; done
base=$(sed -n 's/^listening on //p' "$dir/out")
tok() { curl -s -X POST -H 'Content-Type: application/json' \
  -d "{\"login\":\"$1\",\"password\":\"$PW\"}" "$base/api/v1/session" |
  sed -n 's/.*"token":"\([^"]*\)".*/\1/p'; }
ts=$(tok supervisor); th=$(tok head.ridder)
t() { curl -s -o /dev/null -w '%{time_total}' ${2:+-H "Authorization: Bearer $2"} "$base$1"; }
line="$label"
line+=" metrics cold $(t /metrics) warm"
for i in 1 2 3 4 5; do line+=" $(t /metrics)"; done
line+=" | sup cold $(t /api/v1/dashboard $ts) warm"
for i in 1 2 3 4 5; do line+=" $(t /api/v1/dashboard $ts)"; done
line+=" | ridder cold $(t /api/v1/dashboard $th) warm"
for i in 1 2 3 4 5; do line+=" $(t /api/v1/dashboard $th)"; done
echo "$line"
kill $pid; wait $pid 2>/dev/null || true
rm -rf "$dir"
