#!/usr/bin/env bash
# make bench: starts the server on a generated database and measures endpoints with wrk,
# printing requests/s, p99 latency and each endpoint's ratio to /healthz in the same run,
# on SQLite and, side by side, on PostgreSQL 15 holding a copy of the same database (issue
# 19 point 7), with GET appeal over 2,000 appeals at 32 clients (appeal_32) against /healthz
# at 32 clients (healthz_32); then runs the standalone benchmark programs in build/bench/.
# Never part of make test. Tunables: BENCH_SECONDS (default 5), BENCH_CONNS (64),
# BENCH_DEMO (appeals in the generated database, default 35000), BENCH_PROGRAMS=0,
# BENCH_PG=0 (SQLite only), BENCH_BROWSER=0.
set -euo pipefail
cd "$(dirname "$0")/.."
SECS=${BENCH_SECONDS:-5}
CONNS=${BENCH_CONNS:-64}
DEMO=${BENCH_DEMO:-35000}
PGBIN=/usr/lib/postgresql/15/bin
dir=$(mktemp -d /tmp/otinish-bench-XXXXXX)
pid=
pg_up=
as_pg() { # runs a PostgreSQL program as the cluster's owner (nobody when run as root)
  if [ "$(id -u)" -eq 0 ]; then setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; else "$@"; fi
}
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  [ -n "$pg_up" ] && as_pg "$PGBIN/pg_ctl" -D "$dir/pg/data" -m immediate -w stop >/dev/null 2>&1
  rm -rf "$dir"
}
trap cleanup EXIT

build/otinish init --db "$dir/b.db" --demo "$DEMO" >/dev/null
printf 'bench password 1\n' | build/otinish user add --db "$dir/b.db" --login bench --name Bench \
  --position Bench --role supervisor --body vko.apparat >/dev/null
number=$(sqlite3 "$dir/b.db" "SELECT number FROM appeals ORDER BY id DESC LIMIT 1")
# 2,000 appeals picked at random, for GET appeal as staff read them (appeal_32, below)
sqlite3 "$dir/b.db" "SELECT number FROM appeals ORDER BY random() LIMIT 2000" >"$dir/numbers"
enc=$(python3 -c 'import sys,urllib.parse;print(urllib.parse.quote(sys.argv[1]))' "$number")

# PostgreSQL beside SQLite (BENCH_PG=0 leaves it out): a cluster of Debian's postgresql-15
# in $dir/pg on a unix socket, tuned as docs/postgresql.md "Tuning" says (fsync and
# synchronous_commit stay on), holding a copy of the same demo (otinish migrate-db).
pg_uri=
if [ "${BENCH_PG:-1}" != 0 ] && [ -x "$PGBIN/initdb" ]; then
  mkdir -p "$dir/pg"
  chmod 711 "$dir" # the cluster's owner goes through it
  [ "$(id -u)" -eq 0 ] && chown nobody:nogroup "$dir/pg"
  as_pg "$PGBIN/initdb" -D "$dir/pg/data" -U otinish --auth=trust --no-locale -E UTF8 >/dev/null
  {
    echo "listen_addresses = ''"
    echo "unix_socket_directories = '$dir/pg'"
    echo "max_connections = 300"
    echo "shared_buffers = 512MB"
    echo "wal_buffers = 16MB"
    echo "max_wal_size = 4GB"
    echo "checkpoint_timeout = 15min"
    echo "plan_cache_mode = force_generic_plan"
    echo "synchronous_commit = on"
    echo "fsync = on"
  } >>"$dir/pg/data/postgresql.conf"
  as_pg "$PGBIN/pg_ctl" -D "$dir/pg/data" -l "$dir/pg/log" -w start >/dev/null
  pg_up=1
  pg_uri="postgresql://otinish@/otinish?host=$dir/pg"
  "$PGBIN/createdb" -h "$dir/pg" -U otinish --locale=C -E UTF8 -T template0 otinish
  t0=$(date +%s%N)
  build/otinish migrate-db --from "$dir/b.db" --to "$pg_uri" >/dev/null
  echo "PostgreSQL: the $DEMO-appeal demo copied by migrate-db in $((($(date +%s%N) - t0) / 1000000)) ms"
fi

# name|path  (add endpoints here as they appear; search: q=отопление, q=жылу)
endpoints=(
  "healthz|/healthz"
  "calendar|/api/v1/calendar/2026"
  "deadline|/api/v1/deadline?kind=statement&received=2026-03-20T17:00:00%2B05:00"
  "categories|/api/v1/categories"
  "appeal|/api/v1/appeals/$enc|auth"
  "appeals|/api/v1/appeals?limit=20|auth"
  "queue|/api/v1/appeals?sort=due&counts=1&limit=25|auth"
  "dashboard|/api/v1/dashboard|auth"
  "scorecards|/api/v1/scorecards|auth"
  "search|/api/v1/search?q=%D0%BE%D1%82%D0%BE%D0%BF%D0%BB%D0%B5%D0%BD%D0%B8%D0%B5|auth"
  "search_kk|/api/v1/search?q=%D0%B6%D1%8B%D0%BB%D1%83|auth"
)
[ -n "${BENCH_EXTRA:-}" ] && endpoints+=($BENCH_EXTRA)

# measure ENGINE DB: a server on DB; intake first (durable appeals with $CONNS concurrent
# clients: group commit), then every endpoint; lines "NAME REQ/S P99 NOTE" in $dir/res.ENGINE
measure() {
  local engine=$1 db=$2 out base token e name path need code rps p99
  local hdr=()
  build/otinish serve --db "$db" --listen 127.0.0.1:0 --no-access-log --public-limit 0 \
    >"$dir/out" 2>"$dir/log" &
  pid=$!
  for _ in $(seq 100); do grep -q listening "$dir/out" 2>/dev/null && break; sleep 0.05; done
  base=$(sed -n 's/^listening on //p' "$dir/out")
  [ -n "$base" ] || { echo "bench: server on $engine did not start"; cat "$dir/log"; exit 1; }
  token=$(curl -s -X POST -H 'Content-Type: application/json' \
    -d '{"login":"bench","password":"bench password 1"}' "$base/api/v1/session" |
    sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
  : >"$dir/res.$engine"
  # intake: varied appeals (citizens, addresses, categories, districts), then the one
  # identical appeal again and again (intake_same: every one joins one growing problem)
  for mode in intake intake_same; do
    out=$(wrk -t2 -c"$CONNS" -d"${SECS}s" --latency -s bench/intake.lua "$base/api/v1/appeals" \
      -- "$([ "$mode" = intake_same ] && echo same)")
    printf '%s %s %s %s\n' "$mode" "$(awk '/^Requests\/sec/ {print $2}' <<<"$out")" \
      "$(awk '$1=="99%" {print $2}' <<<"$out")" "$(awk '/^intake-status:/ {print $2}' <<<"$out")" \
      >>"$dir/res.$engine"
  done
  for e in "${endpoints[@]}"; do
    IFS='|' read -r name path need <<<"$e"
    hdr=()
    [ "$need" = auth ] && hdr=(-H "Authorization: Bearer $token")
    code=$(curl -s -o /dev/null -w '%{http_code}' "${hdr[@]}" "$base$path")
    if [ "$code" != 200 ]; then
      echo "$name - - HTTP_$code" >>"$dir/res.$engine"
      continue
    fi
    out=$(wrk -t2 -c"$CONNS" -d"${SECS}s" --latency "${hdr[@]}" "$base$path")
    rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
    p99=$(awk '$1=="99%" {print $2}' <<<"$out")
    echo "$name $rps $p99 -" >>"$dir/res.$engine"
  done
  # GET appeal as staff read it (issue 19 point 7: >= 40 % of /healthz at 32 clients): the
  # 2,000 appeals in turn (bench/appeals.lua), against /healthz at 32 clients in the same run;
  # on PostgreSQL through the node's page cache (bench/pg-read.sh measures it further)
  for name in healthz_32 appeal_32; do
    hdr=()
    [ "$name" = appeal_32 ] && hdr=(-H "Authorization: Bearer $token" -s bench/appeals.lua)
    out=$(wrk -t2 -c32 -d"${SECS}s" --latency "${hdr[@]}" \
      "$base$([ "$name" = healthz_32 ] && echo /healthz)" \
      $([ "$name" = appeal_32 ] && echo -- "$dir/numbers"))
    echo "$name $(awk '/^Requests\/sec/ {print $2}' <<<"$out") $(awk '$1=="99%" {print $2}' <<<"$out") -" \
      >>"$dir/res.$engine"
  done
  # The server's memory after the load: RSS, of it the heap (anonymous) and, on SQLite, the
  # database mapped in (file: the OS page cache, shared with every other reader of the file).
  awk -v e="$engine" '/^VmRSS|^RssAnon|^RssFile/ {printf "%s %d MB  ", $1, $2 / 1024}
    END {print "(" e " server)"}' "/proc/$pid/status" >"$dir/mem.$engine"
  # The governor's dashboard in Chromium (issue 18), on SQLite: bytes loaded and time to
  # interactive, cold. BENCH_BROWSER=0 skips it; bench/dashboard.sh DB measures it on another
  # database (1M).
  if [ "$engine" = sqlite ] && [ "${BENCH_BROWSER:-1}" != 0 ] &&
    [ -x "${CHROMIUM:-/usr/bin/chromium}" ] && [ -d tests/browser/node_modules/playwright-core ]; then
    node bench/dashboard.mjs "$base" bench "bench password 1" 3 | tail -1 >"$dir/dash"
  fi
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  pid=
}

measure sqlite "$dir/b.db"
: >"$dir/res.postgresql"
[ -n "$pg_uri" ] && measure postgresql "$pg_uri"

# One table: each endpoint on each engine with its ratio to /healthz on the same engine, and
# PostgreSQL's req/s over SQLite's (the same machine, the same run).
awk '
  FNR == NR { s[$1] = $2; sl[$1] = $3; sn[$1] = $4; order[++n] = $1; next }
  { p[$1] = $2; pl[$1] = $3; pn[$1] = $4 }
  function cell(r, l, h, note) {
    if (r == "" || r == "-") return sprintf("%10s %9s %7s", note == "" ? "-" : note, "", "")
    return sprintf("%10.0f %9s %6.2fx", r, l, h > 0 ? r / h : 0)
  }
  function ratio(k) { return (s[k] > 0 && p[k] > 0) ? sprintf("%6.2f", p[k] / s[k]) : "     -" }
  END {
    printf "%-11s %-28s | %-28s | %s\n", "", "SQLite", "PostgreSQL", "PG/SQLite"
    printf "%-11s %10s %9s %7s | %10s %9s %7s |\n", "endpoint", "req/s", "p99", "/healthz",
      "req/s", "p99", "/healthz"
    for (i = 1; i <= n; i++) {
      k = order[i]
      if (k ~ /^intake/) continue
      h = k ~ /_32$/ ? "healthz_32" : "healthz" # the same clients
      printf "%-11s %s | %s | %s\n", k, cell(s[k], sl[k], s[h], sn[k]),
        cell(p[k], pl[k], p[h], pn[k]), ratio(k)
    }
    for (m = 1; m <= 2; m++) {
      k = m == 1 ? "intake" : "intake_same"
      printf "%-11s %s | %s | %s  (POST, durable; %s; non-201: %s SQLite, %s PostgreSQL)\n",
        k, cell(s[k], sl[k], s["healthz"], ""), cell(p[k], pl[k], p["healthz"], ""), ratio(k),
        m == 1 ? "varied appeals" : "one appeal again and again, one problem",
        sn[k], (pn[k] == "" ? "-" : pn[k])
    }
  }' "$dir/res.sqlite" "$dir/res.postgresql"
cat "$dir"/mem.*
[ -s "$dir/dash" ] && cat "$dir/dash"

# The standalone benchmark programs (bench/*.c); BENCH_PROGRAMS=0 skips them.
if [ "${BENCH_PROGRAMS:-1}" != 0 ]; then
  for b in build/bench/*; do
    [ -x "$b" ] && "$b"
  done
fi
