#!/bin/bash
# bench/sweep-first.sh DEMO COPY [BIN] [NOW]: the first sweep over a demo's backlog (issue 23
# point 5: < 10 s and < 256 MB at 1M appeals), then two steady sweeps. DEMO is an unswept
# demo database (`init --demo N`, e.g. the 1M demo), never written: it is copied to COPY
# (which is replaced), migrated by BIN (`audit head`), then swept at NOW (default: 23:00
# today, Asia/Almaty), each sweep under the bench lock with its wall and CPU time and max RSS,
# the bytes it read and wrote, and the sweep's own log of where its time went. Then the WAL's
# size, and `audit verify`.
# BIN defaults to build/otinish.
set -euo pipefail
DEMO=${1:?usage: bench/sweep-first.sh DEMO COPY [BIN] [NOW]}
COPY=${2:?usage: bench/sweep-first.sh DEMO COPY [BIN] [NOW]}
BIN=${3:-build/otinish}
NOW=${4:-$(TZ=Asia/Almaty date +%F)T23:00:00+05:00}
HERE=$(cd "$(dirname "$0")/.." && pwd)
export OTINISH_DATA=${OTINISH_DATA:-$HERE/data}
LOCK=${BENCH_LOCK:-/work/scale-tmp/bench.lock}
rm -f "$COPY" "$COPY-wal" "$COPY-shm"
cp "$DEMO" "$COPY"
chmod u+w "$COPY"
# the copy's 7 GB (at 1M) written back before the sweep, not during it: measured at 1M, a
# sweep right after the copy took 33-51 s of CPU (its writes throttled behind the copy's
# write-back, up to 20 s of it system time), the same sweep after a sync 27-28 s
sync
"$BIN" audit head --db "$COPY" >/dev/null
# the sweep's bytes through read and write calls (rchar, wchar of /proc/PID/io, sampled every
# 0.2 s: page-cache hits included, so they do not depend on what else the machine caches or
# runs, unlike the wall time on shared cores). Sampled with builtins alone (read, kill): the
# CPU time below is that of everything under `time`, and an awk and a sleep forked five times
# a second added about 0.11 s of CPU per second of the sweep's wall time (15 s to a 140 s
# sweep; the sweep's own log gives its CPU without them)
io() {
  "$@" &
  local pid=$! last="" k v r w fd
  exec {fd}<> <(:)
  while kill -0 $pid 2>/dev/null; do
    r="" w=""
    while read -r k v; do
      case $k in rchar:) r=$v ;; wchar:) w=$v ;; esac
    done 2>/dev/null </proc/$pid/io || true
    [ -n "$r" ] && last="rchar: $((r / 1000000)) MB, wchar: $((w / 1000000)) MB"
    read -r -t 0.2 -u $fd || true
  done
  wait $pid
  local rc=$?
  echo "  bytes read and written by the sweep: $last" >&2
  return $rc
}
export -f io
run() {
  flock "$LOCK" /usr/bin/time -f "$1: %e s wall, %U s user, %S s system, max RSS %M KB" \
    bash -c 'io "$@"' io "$BIN" sweep --db "$COPY" --now "$2"
}
uptime
run first "$NOW"
ls -l "$COPY-wal" 2>/dev/null || true
run steady "${NOW%T*}T23:05:00+05:00"
run steady "${NOW%T*}T23:10:00+05:00"
uptime
"$BIN" audit verify --db "$COPY" | tail -n 3
