#!/usr/bin/env bash
# cold.sh BIN DB LABEL [READERS...]: per reader, the database file's pages dropped from the OS
# page cache (posix_fadvise DONTNEED on that file and its WAL only), a fresh server, a login,
# then GET /api/v1/dashboard cold and 3 times warm, /api/v1/scorecards and /api/v1/alerts
# (the first of each is cold for its own reads). Seconds, and the server's bytes read from
# disk (/proc/PID/io read_bytes) and major page faults over the cold dashboard.
set -euo pipefail
bin=$1 db=$2 label=$3; shift 3
readers=${*:-supervisor head.ridder head}
. "$(dirname "$0")/serve.sh"
for who in $readers; do
  drop_cache "$db" "$db-wal"
  serve_start "$bin" "$db"
  tk=$(tok "$who")
  rb() { sed -n 's/^read_bytes: //p' /proc/$pid/io; }
  mf() { awk '{print $12}' /proc/$pid/stat; }
  r0=$(rb) f0=$(mf)
  line="$label $who dash cold $(t /api/v1/dashboard $tk)"
  line+=" ($(( ($(rb) - r0) / 1048576 )) MB read, $(( $(mf) - f0 )) majflt) warm"
  for i in 1 2 3; do line+=" $(t /api/v1/dashboard $tk)"; done
  line+=" | sc $(t /api/v1/scorecards $tk) $(t /api/v1/scorecards $tk)"
  line+=" | alerts $(t /api/v1/alerts $tk) $(t /api/v1/alerts $tk)"
  echo "$line"
  [ -z "${COLD_LOG:-}" ] || cp "$dir/log" "$COLD_LOG.$who.log"
  serve_stop
done
