#!/usr/bin/env bash
# bench/pg-read.sh LABEL BIN URI NUMBERS [SECS]: GET of one appeal against /healthz on one
# server over the database URI (issue 19 point 7: GET appeal >= 40 % of /healthz). The
# staff user `bench` (password "bench password 1", any role that reads every appeal) must
# exist. NUMBERS: a file of appeal numbers, one a line (many different appeals, as staff
# read them; bench/appeals.lua walks them). At 1 and 32 connections: /healthz, the appeals,
# /healthz again; after a warm-up pass over the appeals. Prints "LABEL clients name req/s p99
# non-2xx" and the CPU per request of the server, of wrk and of the PostgreSQL cluster (PGPID:
# the postmaster's pid, optional), with the server's voluntary context switches per request.
# URI may be an SQLite path too (the same GET without the page cache, for comparison). Run it
# under the bench lock: flock /work/scale-tmp/bench.lock bench/pg-read.sh ...
set -uo pipefail
label=$1 bin=$2 uri=$3 numbers=$4 secs=${5:-5}
here=$(cd "$(dirname "$0")" && pwd)
d=$(mktemp -d)
"$bin" serve --db "$uri" --listen 127.0.0.1:0 --no-access-log --public-limit 0 \
  --sweep-interval 0 >"$d/out" 2>"$d/log" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; [ -n "${KEEP_LOG:-}" ] && grep -h "page cache" "$d/log"; rm -rf "$d"' EXIT
for _ in $(seq 400); do grep -q listening "$d/out" 2>/dev/null && break; sleep 0.05; done
base=$(sed -n 's/^listening on //p' "$d/out")
[ -n "$base" ] || { echo "no server"; cat "$d/log"; exit 1; }
token=$(curl -s -X POST -H 'Content-Type: application/json' \
  -d '{"login":"bench","password":"bench password 1"}' "$base/api/v1/session" |
  sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
[ -n "$token" ] || { echo "no token"; exit 1; }
cpu_of() { local t=0; for p in "$@"; do [ -r /proc/$p/stat ] && t=$((t + $(awk '{print $14+$15}' /proc/$p/stat))); done; echo $t; }
pg_cpu() { [ -n "${PGPID:-}" ] && cpu_of "$PGPID" $(pgrep -P "$PGPID") || echo 0; }
# one wrk run: "LABEL clients name req/s p99 non-2xx", then the CPU per request (us) of the
# server, of wrk itself (it shares the machine; a Lua request() costs it more than a fixed
# request) and of the PostgreSQL cluster (PGPID), and the server's voluntary context switches
# per request (a thread that sleeps and wakes around a wait)
run() { # clients name wrk-args...
  local c=$1 name=$2; shift 2
  local s0 p0 x0 s1 p1 x1 n t
  s0=$(cpu_of $pid) p0=$(pg_cpu) x0=$(vcs)
  t=$(mktemp)
  out=$(/usr/bin/time -o "$t" -f '%U %S' wrk -t$((c < 2 ? 1 : 2)) -c"$c" -d"${secs}s" --latency "$@")
  s1=$(cpu_of $pid) p1=$(pg_cpu) x1=$(vcs)
  n=$(awk '/requests in/ {print $1}' <<<"$out")
  printf '%-10s %3s %-8s %10s %9s %4s  cpu us/req: server %5.1f wrk %5.1f PostgreSQL %5.1f  switches/req %4.2f\n' \
    "$label" "$c" "$name" \
    "$(awk '/^Requests\/sec/ {print $2}' <<<"$out")" "$(awk '$1=="99%" {print $2}' <<<"$out")" \
    "$(awk '/Non-2xx/ {print $NF}' <<<"$out")" \
    "$(awk "BEGIN {print ($s1 - $s0) * 10000 / $n}")" \
    "$(awk -v n="$n" '{print ($1 + $2) * 1000000 / n}' "$t")" \
    "$(awk "BEGIN {print ($p1 - $p0) * 10000 / $n}")" "$(awk "BEGIN {print ($x1 - $x0) / $n}")"
  rm -f "$t"
}
vcs() { cat /proc/$pid/task/*/status 2>/dev/null | awk '/^voluntary_ctxt_switches/ {t += $2} END {print t + 0}'; }
auth=(-H "Authorization: Bearer $token")
wrk -t2 -c32 -d2s "${auth[@]}" -s "$here/appeals.lua" "$base" -- "$numbers" >/dev/null
for c in 1 32; do
  run $c healthz "$base/healthz"
  run $c appeal "${auth[@]}" -s "$here/appeals.lua" "$base" -- "$numbers"
  run $c healthz "$base/healthz"
done
echo "$label server: $(grep -E '^(VmRSS|RssAnon)' /proc/$pid/status | tr -s ' \n' ' ')"
