#!/usr/bin/env bash
# cold.sh BIN DB LABEL [READERS...]: per reader, the database file's pages dropped from the OS
# page cache (posix_fadvise DONTNEED on that file and its WAL only), a fresh server, a login,
# then GET /api/v1/dashboard cold and 3 times warm, /api/v1/scorecards and /api/v1/alerts
# (the first of each is cold for its own reads). Seconds, and the server's bytes read from
# disk (/proc/PID/io read_bytes) and major page faults over the cold dashboard.
set -euo pipefail
bin=$1 db=$2 label=$3; shift 3
readers=${*:-supervisor head.ridder head}
PW=otinish-demo-2026
root=$(cd "$(dirname "$0")/../.." && pwd)
export OTINISH_DATA=${OTINISH_DATA:-$root/data} OTINISH_WEB=${OTINISH_WEB:-$root/web}
drop() {
  python3 -c "
import os,sys
for f in sys.argv[1:]:
    if os.path.exists(f):
        fd=os.open(f,os.O_RDONLY); os.posix_fadvise(fd,0,0,os.POSIX_FADV_DONTNEED); os.close(fd)
" "$db" "$db-wal"
}
for who in $readers; do
  dir=$(mktemp -d /tmp/cold-XXXXXX)
  drop
  "$bin" serve --db "$db" --listen 127.0.0.1:0 --no-access-log --public-limit 0 \
    --sweep-interval 0 --login-limit 1000 >"$dir/out" 2>"$dir/log" &
  pid=$!
  for _ in $(seq 3000); do grep -q listening "$dir/out" 2>/dev/null && break; sleep 0.1; done
  base=$(sed -n 's/^listening on //p' "$dir/out")
  tok=$(curl -s -X POST -H 'Content-Type: application/json' \
    -d "{\"login\":\"$who\",\"password\":\"$PW\"}" "$base/api/v1/session" |
    sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
  t() { curl -s -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $tok" "$base$1"; }
  rb() { sed -n 's/^read_bytes: //p' /proc/$pid/io; }
  mf() { awk '{print $12}' /proc/$pid/stat; }
  r0=$(rb) f0=$(mf)
  line="$label $who dash cold $(t /api/v1/dashboard)"
  line+=" ($(( ($(rb) - r0) / 1048576 )) MB read, $(( $(mf) - f0 )) majflt) warm"
  for i in 1 2 3; do line+=" $(t /api/v1/dashboard)"; done
  line+=" | sc $(t /api/v1/scorecards) $(t /api/v1/scorecards)"
  line+=" | alerts $(t /api/v1/alerts) $(t /api/v1/alerts)"
  echo "$line"
  kill $pid; wait $pid 2>/dev/null || true
  [ -z "${COLD_LOG:-}" ] || cp "$dir/log" "$COLD_LOG.$who.log"
  rm -rf "$dir"
done
