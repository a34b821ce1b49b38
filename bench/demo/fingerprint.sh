#!/bin/bash
# bench/demo/fingerprint.sh DB: each table's row count and an md5 of its rows (sorted), and
# one of the schema (sqlite_master), read only. Left out: the columns a load draws at random
# or from the clock of the machine (access hashes, the audit chain's hashes and seal states,
# password hashes, migration times). Two loads with the same `now` (bench/demo.sh, FIXNOW)
# must give the same lines.
set -euo pipefail
db="file:${1:?usage: fingerprint.sh DB}?mode=ro"
excl="'access_hash','prev_hash','hash','pw_hash','applied_at','state'"
for t in $(sqlite3 "$db" "SELECT name FROM sqlite_master WHERE type = 'table'
    AND name <> 'search_fts' AND name NOT LIKE 'sqlite_%' ORDER BY name"); do
  cols=$(sqlite3 "$db" "SELECT group_concat('\"' || name || '\"', ',')
    FROM pragma_table_info('$t') WHERE name NOT IN ($excl)")
  printf '%-22s %10s %s\n' "$t" "$(sqlite3 "$db" "SELECT count(*) FROM \"$t\"")" \
    "$(sqlite3 "$db" "SELECT $cols FROM \"$t\"" | LC_ALL=C sort | md5sum | cut -c1-16)"
done
printf '%-22s %10s %s\n' schema - \
  "$(sqlite3 "$db" "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name" |
     md5sum | cut -c1-16)"
