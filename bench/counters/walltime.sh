#!/usr/bin/env bash
# walltime.sh BIN DB LABEL: the database file's pages dropped from the OS page cache
# (posix_fadvise DONTNEED, this file only), a fresh server, then per reader: the first
# GET /api/v1/dashboard (cold) and 5 more (warm); GET /metrics cold and warm. Seconds.
set -euo pipefail
bin=$1 db=$2 label=$3
. "$(dirname "$0")/serve.sh"
drop_cache "$db" "$db-wal"
serve_start "$bin" "$db"
ts=$(tok supervisor); th=$(tok head.ridder)
line="$label"
line+=" metrics cold $(t /metrics) warm"
for i in 1 2 3 4 5; do line+=" $(t /metrics)"; done
line+=" | sup cold $(t /api/v1/dashboard $ts) warm"
for i in 1 2 3 4 5; do line+=" $(t /api/v1/dashboard $ts)"; done
line+=" | ridder cold $(t /api/v1/dashboard $th) warm"
for i in 1 2 3 4 5; do line+=" $(t /api/v1/dashboard $th)"; done
echo "$line"
serve_stop
