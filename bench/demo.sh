#!/bin/bash
# bench/demo.sh N [BIN]: times `otinish init --demo N` (issue 23 point 6: linear, WAL
# bounded, 1M < 2 min) under the bench lock: wall, CPU, max RSS, the WAL's peak (sampled
# every 0.5 s) and the final size, and the wall and CPU of each part of the load
# (OTINISH_BULK_TRACE: the chunks of the simulation, then the end: indexes, seals,
# aggregates, search index). The database goes to DEMO_DIR (default var/demo-bench) as
# demo-N.db and is deleted after unless KEEP=1.
# FIXNOW=1 gives the load a fixed `now` (bench/demo/fixnow.c, built here with cc, preloaded;
# FIXNOW_US, default 2026-12-01T06:00:00Z) and writes bench/demo/fingerprint.sh's lines
# beside it (demo-N.fp): two binaries' loads can then be compared with diff (the data must
# not change when the load gets faster). KEEP=1 is implied.
# SIZES=1 prints the database's size by table (each with its indexes) and per appeal.
set -euo pipefail
N=${1:?usage: bench/demo.sh N [BIN]}
HERE=$(cd "$(dirname "$0")/.." && pwd)
BIN=$(realpath "${2:-$HERE/build/otinish}")
DIR=${DEMO_DIR:-$HERE/var/demo-bench}
LOCK=${BENCH_LOCK:-/work/scale-tmp/bench.lock}
export OTINISH_DATA=${OTINISH_DATA:-$HERE/data} OTINISH_BULK_TRACE=1
mkdir -p "$DIR"
db=$DIR/demo-$N.db
rm -f "$db" "$db-wal" "$db-shm"
pre=()
if [ "${FIXNOW:-0}" = 1 ]; then
  KEEP=1
  cc -O2 -shared -fPIC -o "$DIR/fixnow.so" "$HERE/bench/demo/fixnow.c" -ldl
  export FIXNOW_US=${FIXNOW_US:-$(($(date -d 2026-12-01T06:00:00Z +%s) * 1000000))}
  pre=(env LD_PRELOAD="$DIR/fixnow.so")
fi
( peak=0
  while sleep 0.5; do
    s=$(stat -c %s "$db-wal" 2>/dev/null || echo 0)
    if [ "$s" -gt "$peak" ]; then peak=$s; echo "$peak" >"$db.walpeak"; fi
  done ) &
mon=$!
trap 'kill $mon 2>/dev/null || true' EXIT
echo "load before: $(uptime)"
flock "$LOCK" /usr/bin/time -f "%e %U %S %M" -o "$db.time" \
  "${pre[@]}" "$BIN" init --db "$db" --demo "$N" >"$db.out" 2>"$db.trace"
kill $mon 2>/dev/null || true
echo "load after:  $(uptime)"
read -r wall user sys rss <"$db.time"
awk -v w="$wall" -v u="$user" -v s="$sys" -v r="$rss" -v n="$N" \
    -v wal="$(cat "$db.walpeak" 2>/dev/null || echo 0)" -v size="$(stat -c %s "$db")" '
  /^bulk / { if ($2 != ph) { if (ph != "") printf "  %-7s wall %7.1f s  cpu %7.1f s\n", ph, pw - w0, pc - c0
                              w0 = pw; c0 = pc; ph = $2 }
             pw = $5; pc = $7 }
  END { printf "demo %d: wall %.1f s, cpu %.1f s (user %.1f, sys %.1f), max RSS %.0f MB, WAL peak %.0f MB, database %.0f MB\n",
               n, w, u + s, u, s, r / 1024, wal / 1048576, size / 1048576 }' "$db.trace"
if [ "${SIZES:-0}" = 1 ]; then
  # the file by table, each with its indexes (dbstat reads every page: ~3 s at 100k)
  echo "size by table (with its indexes): MB, bytes per appeal"
  sqlite3 "file:$db?mode=ro" "WITH s AS (SELECT coalesce(m.tbl_name, d.name) AS tbl, d.pgsize
      FROM dbstat d LEFT JOIN sqlite_master m ON m.name = d.name),
    n AS (SELECT max(count(*), 1) AS n FROM appeals)
    SELECT printf('  %-20s %8.1f MB %7d B', tbl, sum(pgsize) / 1048576.0,
                  sum(pgsize) / (SELECT n FROM n))
    FROM s GROUP BY tbl HAVING sum(pgsize) >= 1048576 ORDER BY sum(pgsize) DESC"
fi
if [ "${FIXNOW:-0}" = 1 ]; then
  bash "$HERE/bench/demo/fingerprint.sh" "$db" >"$DIR/demo-$N.fp"
  echo "fingerprint: $DIR/demo-$N.fp"
fi
[ "${KEEP:-0}" = 1 ] || rm -f "$db" "$db-wal" "$db-shm"
