#!/usr/bin/env bash
# bench/scale.sh DB BINARY [BINARY...]: the staff endpoints of issue 23 on a large database
# (made once: otinish init --db DB --region data/regions/vko --demo 1000000), for each binary
# in turn, ROUNDS times interleaved (binaries are compared in the same run: the machine is
# noisy). Logs in as the demo accounts (supervisor: every body; head.ridder: a scope of a
# few bodies; registrar: the oblast's bodies, all but the police); and search (issue 17:
# q=отопление as supervisor and head.ridder, q=жылу). Prints per endpoint req/s, p50 and p99 (wrk), then the server's memory after
# the read load: RSS, and of it the anonymous part (heap: page caches, statements) and the
# file part (the database mapped in, i.e. the OS page cache).
# A binary that migrates the schema changes DB for every binary after it: give each binary
# its own copy as BINARY=DB. Tunables: SECS (5), CONNS (32), ROUNDS (1), EXTRA (more
# "name|path|login" endpoints), PORT (18700).
set -euo pipefail
cd "$(dirname "$0")/.."
db0=$1
shift
SECS=${SECS:-5}
CONNS=${CONNS:-32}
ROUNDS=${ROUNDS:-1}
PORT=${PORT:-18700}
PW=otinish-demo-2026
pid=
log=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; [ -n "$log" ] && rm -f "$log"; true' EXIT

login() {
  curl -s -X POST -H 'Content-Type: application/json' \
    -d "{\"login\":\"$1\",\"password\":\"$PW\"}" "$base/api/v1/session" |
    sed -n 's/.*"token":"\([^"]*\)".*/\1/p'
}

one() {
  local bin=$1 db=$2
  log=$(mktemp /tmp/otinish-scale-XXXXXX)
  "$bin" serve --db "$db" --listen "127.0.0.1:$PORT" --no-access-log --public-limit 0 \
    >"$log" 2>&1 &
  pid=$!
  for _ in $(seq 600); do grep -q listening "$log" 2>/dev/null && break; sleep 0.1; done
  base=http://127.0.0.1:$PORT
  local sup head reg maxid
  sup=$(login supervisor)
  head=$(login head.ridder)
  reg=$(login registrar)
  maxid=$(sqlite3 "file:$db?mode=ro" "SELECT max(id) FROM appeals")
  local endpoints=(
    "healthz|/healthz|"
    "list|/api/v1/appeals?limit=20|supervisor"
    "list_head|/api/v1/appeals?limit=20|head.ridder"
    "overdue|/api/v1/appeals?overdue=1&limit=20|supervisor"
    "deep|/api/v1/appeals?after=$((maxid / 10))&limit=20|supervisor"
    "deep_status|/api/v1/appeals?status=in_work&after=$((maxid / 10))&limit=20|supervisor"
    "head_deep|/api/v1/appeals?after=$((maxid / 10))&limit=20|head.ridder"
    "list_reg|/api/v1/appeals?limit=20|registrar"
    "search|/api/v1/search?q=%D0%BE%D1%82%D0%BE%D0%BF%D0%BB%D0%B5%D0%BD%D0%B8%D0%B5|supervisor"
    "search_head|/api/v1/search?q=%D0%BE%D1%82%D0%BE%D0%BF%D0%BB%D0%B5%D0%BD%D0%B8%D0%B5|head.ridder"
    "search_kk|/api/v1/search?q=%D0%B6%D1%8B%D0%BB%D1%83|supervisor"
  )
  [ -n "${EXTRA:-}" ] && endpoints+=($EXTRA)
  printf '%s (%s)\n' "$bin" "$db"
  printf '  %-12s %10s %10s %10s\n' endpoint "req/s" p50 p99
  for e in "${endpoints[@]}"; do
    IFS='|' read -r name path who <<<"$e"
    hdr=()
    [ "$who" = supervisor ] && hdr=(-H "Authorization: Bearer $sup")
    [ "$who" = head.ridder ] && hdr=(-H "Authorization: Bearer $head")
    [ "$who" = registrar ] && hdr=(-H "Authorization: Bearer $reg")
    code=$(curl -s -o /dev/null -w '%{http_code}' "${hdr[@]}" "$base$path")
    if [ "$code" != 200 ]; then printf '  %-12s HTTP %s\n' "$name" "$code"; continue; fi
    out=$(wrk -t"$((CONNS < 2 ? 1 : 2))" -c"$CONNS" -d"${SECS}s" --timeout 30s --latency "${hdr[@]}" "$base$path")
    printf '  %-12s %10s %10s %10s\n' "$name" "$(awk '/^Requests\/sec/ {print $2}' <<<"$out")" \
      "$(awk '$1=="50%" {print $2}' <<<"$out")" "$(awk '$1=="99%" {print $2}' <<<"$out")"
  done
  awk '/^VmRSS|^RssAnon|^RssFile/ {printf "  %s %d MB", $1, $2 / 1024} END {print ""}' \
    "/proc/$pid/status"
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  pid=
  rm -f "$log"
}

for _ in $(seq "$ROUNDS"); do
  for b in "$@"; do
    bin=${b%%=*}
    db=$db0
    [ "$b" != "$bin" ] && db=${b#*=}
    one "$bin" "$db"
  done
done
