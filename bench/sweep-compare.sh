#!/bin/bash
# bench/sweep-compare.sh A B: whether two swept copies of one demo hold the same sweep's rows,
# row for row (ids included): violations, head flags, the control queue, reminders, the
# outbox, the events (their content and chain) and the sweep's marks in meta. Prints one
# line per table, `same` or `DIFFERS` with the first differing lines; exits 1 on a difference.
set -uo pipefail
A=${1:?usage: bench/sweep-compare.sh A B}
B=${2:?usage: bench/sweep-compare.sh A B}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
bad=0
for q in "violations|SELECT * FROM violations ORDER BY id" \
  "head_flags|SELECT * FROM head_flags ORDER BY id" \
  "control_queue|SELECT * FROM control_queue ORDER BY appeal_id" \
  "reminders_sent|SELECT * FROM reminders_sent ORDER BY appeal_id, due_on, days_before" \
  "outbox|SELECT * FROM outbox ORDER BY id" \
  "events|SELECT seq, at, actor, action, object_type, object_id, data, prev_hash, hash, state FROM events ORDER BY seq" \
  "meta|SELECT key, value FROM meta WHERE key NOT LIKE 'schema%' ORDER BY key"; do
  name=${q%%|*}
  sql=${q#*|}
  sqlite3 -readonly "$A" "$sql" >"$T/a" &
  sqlite3 -readonly "$B" "$sql" >"$T/b"
  wait
  if cmp -s "$T/a" "$T/b"; then
    echo "$name: same ($(wc -l <"$T/a") rows)"
  else
    echo "$name: DIFFERS ($(wc -l <"$T/a") vs $(wc -l <"$T/b") rows)"
    diff "$T/a" "$T/b" | head -n 6 | cut -c1-300
    bad=1
  fi
done
exit $bad
