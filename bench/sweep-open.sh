#!/bin/bash
# bench/sweep-open.sh DB [BIN]: the steady sweep with most appeals open (issue 23 point 5: a
# steady sweep of 1,000,000 open appeals < 2 s). DB must be a throw-away COPY of a demo
# database (`init --demo N`, e.g. the 1M demo): this script rewrites it with SQL, past the
# use cases and the audit chain (`audit verify` fails on it afterwards; it is for timing
# only): every appeal becomes open (in_work), due over the 30 days from today, not suspended.
# Then it sweeps it twice, each under the bench lock with its time and max RSS:
#   first:  at 10:00 today (Asia/Almaty), the reminders of the bands ahead;
#   steady: five minutes later, nothing new (what `serve` runs every --sweep-interval).
# BIN defaults to build/otinish. Filling 1M open appeals through intake (bench/sweep.c,
# BENCH_SWEEP_N=1000000) takes about 40 minutes; this takes a few.
set -euo pipefail
DB=${1:?usage: bench/sweep-open.sh DB [BIN]}
BIN=${2:-build/otinish}
HERE=$(cd "$(dirname "$0")/.." && pwd)
export OTINISH_DATA=${OTINISH_DATA:-$HERE/data}
LOCK=${BENCH_LOCK:-/work/scale-tmp/bench.lock}
TODAY=$(TZ=Asia/Almaty date +%F)
echo "reopening every appeal of $DB, due over the 30 days from $TODAY"
# the counters' triggers are dropped in this copy: rewriting 1M rows through them takes long,
# and the sweep does not read the counters
time sqlite3 "$DB" "PRAGMA journal_mode=WAL; DROP TRIGGER IF EXISTS stat_appeal_upd;
  UPDATE appeals SET status = 'in_work', suspended_on = NULL,
    due_on = date('$TODAY', '+' || (id % 30) || ' days')
  WHERE status NOT IN ('registered', 'assigned', 'in_work') OR due_on < '$TODAY'
    OR suspended_on IS NOT NULL;
  PRAGMA wal_checkpoint(TRUNCATE);"
echo "open appeals: $(sqlite3 "$DB" "SELECT count(*) FROM appeals WHERE status IN ('registered', 'assigned', 'in_work')")"
run() {
  flock "$LOCK" /usr/bin/time -f "$1: %e s, max RSS %M KB" "$BIN" sweep --db "$DB" --now "$2"
}
sync # the rewrite's pages written back before the sweeps, not during them (bench/sweep-first.sh)
uptime
run first "${TODAY}T10:00:00+05:00"
run steady "${TODAY}T10:05:00+05:00"
run steady "${TODAY}T10:10:00+05:00"
uptime
