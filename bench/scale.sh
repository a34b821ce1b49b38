#!/usr/bin/env bash
# bench/scale.sh N: the national moonshot of issue 23. Builds N demo appeals (default
# 10,000,000; otinish init --demo, timed) in SCALE_DIR (default var/scale; the database is
# removed at the end unless KEEP=1; refused when the disk cannot hold it, at about 7,400
# bytes an appeal), then reports the load's wall and CPU time, the CPU of its simulation and
# of its end and its largest WAL, the size per appeal and the five largest tables and
# indexes in it, and with one client
# (CONNS=1) GET of one appeal, tracking, the first list page, a deep page (after = 10 % of
# the ids), scorecards, the problems of a body with none and by number of appeals, the first
# page of violations: req/s, p50, p99; then a first sweep and a second (steady) one, timed,
# and intake with 64 clients (durable appeals/s: varied appeals, and one appeal again and
# again, which all join one problem: bench/intake.lua). Prints one table; BIN (build/otinish).
#
# bench/scale.sh DB BINARY [BINARY...]: the staff endpoints of issue 23 on a large database
# (made once: otinish init --db DB --region data/regions/vko --demo 1000000), for each binary
# in turn, ROUNDS times interleaved (binaries are compared in the same run: the machine is
# noisy). Logs in as the demo accounts (supervisor: every body; head.ridder: a scope of a
# few bodies; registrar: the oblast's bodies, all but the police); and search (issue 17:
# q=отопление as supervisor and head.ridder, q=жылу), the overdue list (by due date) and its
# second page; the problems list (a body with none, a head's by number of appeals) and the
# violations list (first page, 10 % deep, a status with none, a head's). First the scorecards, alerts and dashboard with one client: cold (the first
# request of each to the server just started) and warm. Then per endpoint req/s, p50 and p99
# (wrk) and req/s as a share of /healthz's in the same run; then the server's memory after
# the read load: RSS and its peak (VmHWM), and of it the anonymous part (heap: page caches,
# statements) and the file part (the database mapped in, i.e. the OS page cache).
# A binary that migrates the schema changes DB for every binary after it: give each binary
# its own copy as BINARY=DB. Tunables: SECS (5), CONNS (32), ROUNDS (1), EXTRA (more
# "name|path|login" endpoints), PORT (18700).
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ "${1:-}" =~ ^[0-9]*$ ]]; then
  N=${1:-10000000}
  BIN=${BIN:-build/otinish}
  SECS=${SECS:-5}
  PORT=${PORT:-18700}
  dir=${SCALE_DIR:-var/scale}
  mkdir -p "$dir"
  db=$dir/scale-$N.db
  pid=
  log=$dir/serve.log
  done_() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null
    rm -f "$log"
    [ "${KEEP:-0}" = 1 ] || rm -f "$db" "$db-wal" "$db-shm"
  }
  trap done_ EXIT
  row() { printf '| %-40s | %14s | %10s | %10s |\n' "$@"; }
  echo "scale: $N appeals in $db ($(df -h --output=avail "$dir" | tail -1 | tr -d ' ') free)"
  # a demo database takes about 6,700 bytes an appeal (6,667 at 1,051,600 appeals: the audit
  # events and the notices are more than half of it); the load's WAL and index sorts need a
  # little more besides. A build that cannot fit is refused before it starts (FORCE=1 tries).
  need=$((N * 7400))
  free=$(($(df -k --output=avail "$dir" | tail -1) * 1024))
  if [ ! -f "$db" ] && [ "$need" -gt "$free" ] && [ "${FORCE:-0}" != 1 ]; then
    echo "scale: $N appeals need about $((need / 1000000000)) GB (7,400 bytes an appeal with" \
      "the load's WAL), $((free / 1000000000)) GB free in $dir: not built (FORCE=1 tries)" >&2
    exit 2
  fi
  if [ ! -f "$db" ]; then
    # the load's trace: a line per committed transaction (svc.c, OTINISH_BULK_TRACE)
    OTINISH_BULK_TRACE=1 /usr/bin/time -f '%e %U %S %M' -o "$dir/init.time" \
      "$BIN" init --db "$db" --demo "$N" >/dev/null 2>"$dir/init.trace"
    read -r demo_s demo_u demo_sys demo_rss <"$dir/init.time"
    # the WAL left when the load is done (the load truncates it at its end)
    wal_end=$(stat -c %s "$db-wal" 2>/dev/null || echo 0)
  fi
  # the load's (or the copy's) pages written back before anything is timed: a sweep timed
  # during the write-back counts the kernel's throttling as its own (bench/sweep-first.sh)
  sync
  n=$(sqlite3 "file:$db?mode=ro" "SELECT count(*) FROM appeals")
  size=$(stat -c %s "$db")
  row measure "req/s or total" p50 p99
  row "---" "---" "---" "---"
  if [ -n "${demo_s:-}" ]; then
    row "init --demo $N (s wall; appeals/s)" "$demo_s" \
      "$(awk -v n="$N" -v s="$demo_s" 'BEGIN{printf "%.0f/s", n/s}')" ""
    row "init: CPU s (user+sys); peak RSS" \
      "$(awk -v u="$demo_u" -v s="$demo_sys" 'BEGIN{printf "%.0f", u+s}')" "$((demo_rss / 1024)) MB" ""
    # the simulation's chunks, then the end (indexes, seals, aggregates, search index), and
    # the largest WAL a transaction wrote
    awk '$1 == "bulk" { if ($2 == "chunk") sim = $7; else if ($2 != "done") end = $7;
           if ($9 > wal) wal = $9 }
         END { printf "%.0f %.0f %.0f\n", sim, end - sim, wal }' "$dir/init.trace" |
      { read -r sim end wal; row "init: CPU s load; end; largest WAL MB" "$sim" "$end" "$wal"; }
    row "init: WAL at the end (bytes); database (MB)" "$wal_end" "$(($(stat -c %s "$db") / 1048576))" ""
    rm -f "$dir/init.time" "$dir/init.trace"
  fi
  row "appeals; bytes per appeal" "$n" "$((size / n))" ""
  # what the bytes are: the five largest tables and indexes (SQLite's dbstat), bytes an appeal
  sqlite3 "file:$db?mode=ro" "SELECT name, sum(pgsize) FROM dbstat GROUP BY name
      ORDER BY sum(pgsize) DESC LIMIT 5" 2>/dev/null | while IFS='|' read -r name bytes; do
    row "  of it: $name (MB; bytes per appeal)" "$((bytes / 1048576))" "$((bytes / n))" ""
  done
  "$BIN" serve --db "$db" --listen "127.0.0.1:$PORT" --no-access-log --public-limit 0 \
    --sweep-interval 0 >"$log" 2>&1 &
  pid=$!
  for _ in $(seq 600); do grep -q listening "$log" 2>/dev/null && break; sleep 0.1; done
  base=http://127.0.0.1:$PORT
  tok() {
    curl -s -X POST -H 'Content-Type: application/json' \
      -d "{\"login\":\"$1\",\"password\":\"otinish-demo-2026\"}" "$base/api/v1/session" |
      sed -n 's/.*"token":"\([^"]*\)".*/\1/p'
  }
  sup=$(tok supervisor)
  maxid=$(sqlite3 "file:$db?mode=ro" "SELECT max(id) FROM appeals")
  mid=$(sqlite3 "file:$db?mode=ro" "SELECT number FROM appeals WHERE id >= $((maxid / 2)) LIMIT 1")
  enc=$(python3 -c 'import sys,urllib.parse;print(urllib.parse.quote(sys.argv[1]))' "$mid")
  # a fresh appeal for tracking (its access code is only in the intake's reply)
  reply=$(curl -s -X POST -H 'Content-Type: application/json' "$base/api/v1/appeals" -d \
    '{"kind":"statement","category":"heating","district":"ridder","language":"ru","text":"Нет отопления","address":"Риддер","applicant":{"type":"individual","full_name":"Иванов Иван","postal_address":"Риддер"}}')
  tnum=$(sed -n 's/.*"number":"\([^"]*\)".*/\1/p' <<<"$reply")
  tcode=$(sed -n 's/.*"access_code":"\([^"]*\)".*/\1/p' <<<"$reply")
  tenc=$(python3 -c 'import sys,urllib.parse;print(urllib.parse.quote(sys.argv[1]))' "$tnum")
  for e in "healthz|/healthz|" "GET one appeal|/api/v1/appeals/$enc|a" \
    "tracking|/api/v1/track/$tenc?code=$tcode|" "list, first page|/api/v1/appeals?limit=20|a" \
    "list, deep page (10 % of ids)|/api/v1/appeals?after=$((maxid / 10))&limit=20|a" \
    "list overdue=1|/api/v1/appeals?overdue=1&limit=20|a" "scorecards|/api/v1/scorecards|a" \
    "problems of a body with none|/api/v1/problems?body=vko.apparat&limit=20|a" \
    "problems by number of appeals|/api/v1/problems?sort=appeals&limit=20|a" \
    "violations, first page|/api/v1/violations?limit=20|a"; do
    IFS='|' read -r name path who <<<"$e"
    hdr=()
    [ "$who" = a ] && hdr=(-H "Authorization: Bearer $sup")
    code=$(curl -s -o /dev/null -w '%{http_code}' "${hdr[@]}" "$base$path")
    if [ "$code" != 200 ]; then row "$name" "HTTP $code" "" ""; continue; fi
    out=$(wrk -t1 -c1 -d"${SECS}s" --timeout 30s --latency "${hdr[@]}" "$base$path")
    row "$name (1 client)" "$(awk '/^Requests\/sec/ {print $2}' <<<"$out")" \
      "$(awk '$1=="50%" {print $2}' <<<"$out")" "$(awk '$1=="99%" {print $2}' <<<"$out")"
  done
  # intake of varied appeals, then of one appeal again and again (one growing problem)
  for mode in varied same; do
    out=$(wrk -t2 -c64 -d"${SECS}s" --latency -s bench/intake.lua "$base/api/v1/appeals" -- "$mode")
    row "intake $mode, 64 clients (durable/s)" "$(awk '/^Requests\/sec/ {print $2}' <<<"$out")" \
      "$(awk '$1=="50%" {print $2}' <<<"$out")" "$(awk '$1=="99%" {print $2}' <<<"$out")"
  done
  awk '/^VmRSS|^RssAnon/ {printf "%s %d MB ", $1, $2 / 1024} END {print ""}' "/proc/$pid/status" |
    { read -r l; row "server memory after reads" "$l" "" ""; }
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  pid=
  for which in first steady; do
    t0=$(date +%s.%N)
    # stdout: what it made; stderr: a slow sweep's parts, timed (sweep.c sweep_run)
    /usr/bin/time -f '%M' -o "$dir/sweep.rss" "$BIN" sweep --db "$db" >"$dir/sweep.out" 2>&1
    t1=$(date +%s.%N)
    row "sweep, $which (s; peak RSS)" "$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", b-a}')" \
      "$(($(tail -1 "$dir/sweep.rss") / 1024)) MB" ""
    sed 's/^[0-9TZ:-]* info //; s/^/    /' "$dir/sweep.out"
  done
  rm -f "$dir/sweep.rss" "$dir/sweep.out"
  exit 0
fi

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
  local sup head reg maxid vmax onext
  sup=$(login supervisor)
  head=$(login head.ridder)
  reg=$(login registrar)
  maxid=$(sqlite3 "file:$db?mode=ro" "SELECT max(id) FROM appeals")
  vmax=$(sqlite3 "file:$db?mode=ro" "SELECT coalesce(max(id), 0) FROM violations")
  printf '%s (%s)\n' "$bin" "$db"
  # the aggregates, one client: cold, the first request of each to a server just started
  # (SQLite's caches empty; the OS page cache as the machine left it: run after a sweep for
  # "after a sweep"), then warm, the median and the slowest of 5 more
  for e in "scorecards|/api/v1/scorecards" "alerts|/api/v1/alerts" "dashboard|/api/v1/dashboard"; do
    IFS='|' read -r name path <<<"$e"
    local t=()
    for _ in 1 2 3 4 5 6; do
      t+=("$(curl -s -o /dev/null -w '%{http_code} %{time_total}' \
        -H "Authorization: Bearer $sup" "$base$path")")
    done
    printf '  %-12s HTTP %s, cold %s s, warm median %s s, slowest %s s\n' "$name" "${t[0]% *}" \
      "${t[0]#* }" "$(printf '%s\n' "${t[@]:1}" | awk '{print $2}' | sort -n | sed -n 3p)" \
      "$(printf '%s\n' "${t[@]:1}" | awk '{print $2}' | sort -n | tail -1)"
  done
  # the overdue list's second page (the cursor of the first: due date and id)
  onext=$(curl -s -H "Authorization: Bearer $sup" "$base/api/v1/appeals?overdue=1&limit=20" |
    sed -n 's/.*"next":"\([^"]*\)".*/\1/p')
  local endpoints=(
    "healthz|/healthz|"
    "list|/api/v1/appeals?limit=20|supervisor"
    "list_head|/api/v1/appeals?limit=20|head.ridder"
    "overdue|/api/v1/appeals?overdue=1&limit=20|supervisor"
    "overdue_p2|/api/v1/appeals?overdue=1&limit=20&after=${onext:-x}|supervisor"
    "overdue_head|/api/v1/appeals?overdue=1&limit=20|head.ridder"
    "deep|/api/v1/appeals?after=$((maxid / 10))&limit=20|supervisor"
    "deep_status|/api/v1/appeals?status=in_work&after=$((maxid / 10))&limit=20|supervisor"
    "head_deep|/api/v1/appeals?after=$((maxid / 10))&limit=20|head.ridder"
    "list_reg|/api/v1/appeals?limit=20|registrar"
    "search|/api/v1/search?q=%D0%BE%D1%82%D0%BE%D0%BF%D0%BB%D0%B5%D0%BD%D0%B8%D0%B5|supervisor"
    "search_head|/api/v1/search?q=%D0%BE%D1%82%D0%BE%D0%BF%D0%BB%D0%B5%D0%BD%D0%B8%D0%B5|head.ridder"
    "search_kk|/api/v1/search?q=%D0%B6%D1%8B%D0%BB%D1%83|supervisor"
    "problems|/api/v1/problems?limit=20|supervisor"
    "problems_none|/api/v1/problems?body=vko.apparat&limit=20|supervisor"
    "problems_head|/api/v1/problems?sort=appeals&limit=20|head.ridder"
    "violations|/api/v1/violations?limit=20|supervisor"
    "viol_deep|/api/v1/violations?after=$((vmax / 10 + 1))&limit=20|supervisor"
    "viol_none|/api/v1/violations?status=dismissed&limit=20|supervisor"
    "viol_head|/api/v1/violations?limit=20|head.ridder"
  )
  [ -n "${EXTRA:-}" ] && endpoints+=($EXTRA)
  printf '  %-12s %10s %10s %10s %8s\n' endpoint "req/s" p50 p99 "/healthz"
  local hz=
  for e in "${endpoints[@]}"; do
    IFS='|' read -r name path who <<<"$e"
    hdr=()
    [ "$who" = supervisor ] && hdr=(-H "Authorization: Bearer $sup")
    [ "$who" = head.ridder ] && hdr=(-H "Authorization: Bearer $head")
    [ "$who" = registrar ] && hdr=(-H "Authorization: Bearer $reg")
    code=$(curl -s -o /dev/null -w '%{http_code}' "${hdr[@]}" "$base$path")
    if [ "$code" != 200 ]; then printf '  %-12s HTTP %s\n' "$name" "$code"; continue; fi
    out=$(wrk -t"$((CONNS < 2 ? 1 : 2))" -c"$CONNS" -d"${SECS}s" --timeout 30s --latency "${hdr[@]}" "$base$path")
    rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
    [ -z "$hz" ] && hz=$rps # the first endpoint is /healthz: the others as its share
    printf '  %-12s %10s %10s %10s %7s%%\n' "$name" "$rps" \
      "$(awk '$1=="50%" {print $2}' <<<"$out")" "$(awk '$1=="99%" {print $2}' <<<"$out")" \
      "$(awk -v a="$rps" -v b="$hz" 'BEGIN{printf "%.1f", (b > 0 ? 100 * a / b : 0)}')"
  done
  awk '/^VmRSS|^VmHWM|^RssAnon|^RssFile/ {printf "  %s %d MB", $1, $2 / 1024} END {print ""}' \
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
