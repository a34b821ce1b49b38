#!/usr/bin/env bash
# bench/intake.sh DB BINARY [BINARY...]: durable intake on a large database (issue 23 point
# 7), binaries compared in the same run, ROUNDS times interleaved (old, new, old, new: the
# machine is noisy). For each binary: a server on DB, then with wrk (CONNS clients, SECS
# seconds each) /healthz, intake of varied appeals and of one appeal again and again
# (bench/intake.lua), each as req/s, p50, p99 and a share of /healthz's rate in the same run;
# then the server's CPU time (user+sys) and the bytes it wrote (its write calls: the WAL and
# the checkpoints) per appeal filed. A binary that migrates the schema
# changes DB for every binary after it: give each its own copy as BINARY=DB, or put the
# newest binary first only when its migrations are meant to stay. PERF=DIR records the
# server's profile of each varied intake (perf record -g) into DIR/NAME-ROUND.data.
# Binaries outside the tree need OTINISH_DATA and OTINISH_WEB (set here to this tree's).
# DB may be a PostgreSQL URI (docs/postgresql.md "Tuning": a cluster as bench/run.sh makes
# it; give each binary its own copy, createdb -T): the appeals are then counted with psql,
# and with PGPID (the postmaster's pid) the cluster's CPU per appeal is printed too.
# Tunables: SECS (5), CONNS (64), ROUNDS (2), PORT (18710), SERVE_ARGS (more serve options),
# WARMUP (seconds of varied intake before the measured ones, 0), MODES ("healthz varied
# same"). Run under the bench lock:
#   flock /work/scale-tmp/bench.lock bash bench/intake.sh DB old/otinish build/otinish
set -euo pipefail
cd "$(dirname "$0")/.."
db0=$1
shift
SECS=${SECS:-5}
CONNS=${CONNS:-64}
ROUNDS=${ROUNDS:-2}
PORT=${PORT:-18710}
export OTINISH_DATA=${OTINISH_DATA:-$PWD/data} OTINISH_WEB=${OTINISH_WEB:-$PWD/web}
pid=
log=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; [ -n "$log" ] && rm -f "$log"; true' EXIT
echo "load: $(uptime | sed 's/.*load average: //')"
printf '%-6s %-28s %-8s %10s %9s %9s %8s %10s %9s %8s\n' round binary endpoint "req/s" p50 p99 \
  "/healthz" "CPU ms/ap" "PG ms/ap" "KB/ap"

cpu_ms() { # the user+sys CPU time so far of the processes given, in ms
  local p t=0
  for p in "$@"; do
    [ -r "/proc/$p/stat" ] && t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0)))
  done
  echo $((t * 1000 / $(getconf CLK_TCK)))
}
wkb() { # the bytes the process has written so far (its write calls), in KB
  awk '$1 == "wchar:" {print int($2 / 1024)}' "/proc/$1/io" 2>/dev/null || echo 0
}
per_ap() { # FROM TO APPEALS MODE FORMAT: (TO - FROM) per appeal filed; "-" for /healthz, for
  # no appeal filed, or for a counter that stayed 0 (no PGPID)
  awk -v a="$1" -v b="$2" -v n="$3" -v m="$4" -v f="$5" \
    'BEGIN{if (m == "healthz" || n <= 0 || b == 0) print "-"; else printf f, (b - a) / n}'
}
pg_ms() { # the PostgreSQL cluster's (PGPID and its children's), 0 without PGPID
  [ -n "${PGPID:-}" ] && cpu_ms "$PGPID" $(pgrep -P "$PGPID") || echo 0
}
appeals() { # the largest appeal id of DB
  case $1 in
  postgres://* | postgresql://*) psql "$1" -Atc "SELECT max(id) FROM appeals" 2>/dev/null || echo 0 ;;
  *) sqlite3 "file:$1?mode=ro" "SELECT max(id) FROM appeals" 2>/dev/null || echo 0 ;;
  esac
}

one() {
  local round=$1 bin=$2 db=$3 name
  name=$(basename "$(dirname "$bin")")/$(basename "$bin")
  log=$(mktemp /tmp/otinish-intake-XXXXXX)
  "$bin" serve --db "$db" --listen "127.0.0.1:$PORT" --no-access-log --public-limit 0 \
    --sweep-interval 0 ${SERVE_ARGS:-} >"$log" 2>&1 &
  pid=$!
  for _ in $(seq 1200); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
  local base=http://127.0.0.1:$PORT hz= rps out c0 c1 n0 n1 g0 g1 w0 w1
  [ "${WARMUP:-0}" != 0 ] &&
    wrk -t2 -c"$CONNS" -d"${WARMUP}s" -s bench/intake.lua "$base/api/v1/appeals" >/dev/null
  for mode in ${MODES:-healthz varied same}; do
    local args=()
    [ "$mode" != healthz ] && args=(-s bench/intake.lua)
    local url=$base/healthz
    [ "$mode" != healthz ] && url=$base/api/v1/appeals
    n0=$(appeals "$db")
    c0=$(cpu_ms "$pid") g0=$(pg_ms) w0=$(wkb "$pid")
    local perf_pid=
    if [ -n "${PERF:-}" ] && [ "$mode" = varied ]; then
      mkdir -p "$PERF"
      perf record -q -g -p "$pid" -o "$PERF/$(basename "$bin")-$round.data" \
        -- sleep "$SECS" >/dev/null 2>&1 &
      perf_pid=$!
    fi
    out=$(wrk -t2 -c"$CONNS" -d"${SECS}s" --timeout 30s --latency "${args[@]}" "$url" \
      ${args[0]:+-- "$mode"})
    [ -n "$perf_pid" ] && wait "$perf_pid" || true
    c1=$(cpu_ms "$pid") g1=$(pg_ms) w1=$(wkb "$pid")
    n1=$(appeals "$db")
    rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
    [ -z "$hz" ] && hz=$rps
    printf '%-6s %-28s %-8s %10s %9s %9s %7s%% %10s %9s %8s\n' "$round" "$name" "$mode" "$rps" \
      "$(awk '$1=="50%" {print $2}' <<<"$out")" "$(awk '$1=="99%" {print $2}' <<<"$out")" \
      "$(awk -v a="$rps" -v b="$hz" 'BEGIN{printf "%.1f", (b > 0 ? 100 * a / b : 0)}')" \
      "$(per_ap "$c0" "$c1" $((n1 - n0)) "$mode" %.3f)" \
      "$(per_ap "$g0" "$g1" $((n1 - n0)) "$mode" %.3f)" \
      "$(per_ap "$w0" "$w1" $((n1 - n0)) "$mode" %.1f)"
    grep -q 'non-201' <<<"$out" && ! grep -q ' 0 non-201' <<<"$out" &&
      echo "  $(grep non-201 <<<"$out")"
  done
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  pid=
  rm -f "$log"
}

for r in $(seq "$ROUNDS"); do
  for b in "$@"; do
    bin=${b%%=*}
    db=$db0
    [ "$b" != "$bin" ] && db=${b#*=}
    one "$r" "$bin" "$db"
  done
done
