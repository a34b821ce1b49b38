#!/usr/bin/env bash
# aftersweep.sh BIN DB LABEL: a server, the region head's and supervisor's dashboards warm,
# then `otinish sweep` on the same database from another process, then each dashboard again
set -euo pipefail
bin=$1 db=$2 label=$3
. "$(dirname "$0")/serve.sh"
serve_start "$bin" "$db"
ts=$(tok supervisor) th=$(tok head)
line="$label warm sup $(t /api/v1/dashboard $ts) $(t /api/v1/dashboard $ts) head $(t /api/v1/dashboard $th) $(t /api/v1/dashboard $th)"
s=$(date +%s.%N); "$bin" sweep --db "$db" >/dev/null 2>&1; e=$(date +%s.%N)
line+=" | sweep $(echo "$e - $s" | bc) s | after: sup $(t /api/v1/dashboard $ts) $(t /api/v1/dashboard $ts) head $(t /api/v1/dashboard $th) $(t /api/v1/dashboard $th)"
echo "$line"
serve_stop
