#!/usr/bin/env bash
# bench/failover.sh (issue 19 point 4): losing the PostgreSQL primary loses nothing
# acknowledged. Not part of make test (it takes about a minute); docs/postgresql.md
# "Failover" explains the set-up and gives the figures measured.
#
# In a temporary directory, as an unprivileged user (nobody when run as root; PostgreSQL
# refuses root), it starts Debian's pg_auto_failover (postgresql-15-auto-failover): a
# monitor, a primary and a synchronous secondary on this machine, on loopback TCP ports.
# It inits the Otinish schema on the primary, starts two `otinish serve` nodes on a libpq
# multi-host URI with target_session_attrs=read-write, and runs intake through both (the
# client bench/failover/client.c records every acknowledged 201 number). After
# FAILOVER_BEFORE seconds it kills the primary with SIGKILL: its postgres (the postmaster
# and every backend) and its pg_autoctl keeper, so that nothing restarts it in place and the
# monitor must promote the secondary. Then it reports:
#   - acknowledged appeals lost: acknowledged numbers missing from the new primary (must
#     be 0);
#   - seconds from the kill until intake succeeds again (goal < 30 s);
#   - what the clients saw meanwhile, by status (503 with Retry-After is expected; a 500, a
#     503 without Retry-After, a timeout (10 s without an answer) or a refused connection
#     is a failure).
# Exit status 0 when all three hold.
#
# Tunables: OTINISH_BIN (build/otinish), FAILOVER_CLIENTS (16 threads), FAILOVER_BEFORE (5 s
# of intake before the kill), FAILOVER_AFTER (10 s of intake after it is back),
# FAILOVER_KEEP=1 keeps the directory (logs of the nodes and of pg_autoctl).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=$(realpath "${OTINISH_BIN:-build/otinish}")
CLIENTS=${FAILOVER_CLIENTS:-16}
BEFORE=${FAILOVER_BEFORE:-5}
AFTER=${FAILOVER_AFTER:-10}
PGBIN=/usr/lib/postgresql/15/bin
command -v pg_autoctl >/dev/null || { echo "failover: pg_autoctl missing (bash scripts/deps.sh)"; exit 2; }
[ -x "$BIN" ] || { echo "failover: $BIN missing (make)"; exit 2; }

dir=$(mktemp -d /tmp/otinish-failover-XXXXXX)
chmod 755 "$dir"
pids=()
cleanup() {
  set +e
  touch "$dir/stop"
  # every process started here and everything under it (pg_autoctl's supervisors restart
  # postgres when only their parent goes), then any postmaster left
  local all=
  for p in "${pids[@]}"; do all="$all $(tree "$p")"; done
  [ -n "$all" ] && kill -9 $all 2>/dev/null
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
  for n in node1 node2 monitor; do
    [ -f "$dir/$n/postmaster.pid" ] && as_owner "$PGBIN/pg_ctl" -D "$dir/$n" -m immediate -w stop >/dev/null 2>&1
  done
  if [ -n "${FAILOVER_KEEP:-}" ]; then echo "kept $dir"; else rm -rf "$dir"; fi
}
trap cleanup EXIT

# as_owner CMD...: runs CMD as the clusters' owner, with its configuration in $dir
if [ "$(id -u)" -eq 0 ]; then
  chown nobody:nogroup "$dir"
  as_owner() { setpriv --reuid=65534 --regid=65534 --clear-groups env HOME="$dir" \
    XDG_CONFIG_HOME="$dir/config" XDG_DATA_HOME="$dir/share" XDG_RUNTIME_DIR="$dir/run" \
    LC_ALL=C PG_CONFIG="$PGBIN/pg_config" PGHOST="$dir/run" "$@"; }
else
  as_owner() { env HOME="$dir" XDG_CONFIG_HOME="$dir/config" XDG_DATA_HOME="$dir/share" \
    XDG_RUNTIME_DIR="$dir/run" LC_ALL=C PG_CONFIG="$PGBIN/pg_config" PGHOST="$dir/run" "$@"; }
fi
as_owner mkdir -p "$dir/config" "$dir/share" "$dir/run"

# three free loopback ports
ports=()
p=$((20000 + RANDOM % 30000))
while [ ${#ports[@]} -lt 3 ]; do
  (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || ports+=("$p")
  p=$((p + 1))
done
PM=${ports[0]} P1=${ports[1]} P2=${ports[2]}
MONITOR="postgres://autoctl_node@127.0.0.1:$PM/pg_auto_failover?sslmode=disable"
URI="postgresql://otinish@127.0.0.1:$P1,127.0.0.1:$P2/otinish?target_session_attrs=read-write&connect_timeout=2"

say() { printf '%s %s\n' "$(date -u +%T)" "$*"; }

# initdb_for NAME USER: a cluster whose unix socket is in $dir/run (Debian's default,
# /var/run/postgresql, is not the unprivileged user's), in the C collation
initdb_for() {
  as_owner "$PGBIN/initdb" -D "$dir/$1" -U "$2" --auth=trust --no-locale -E UTF8 >"$dir/$1.initdb" 2>&1
  echo "unix_socket_directories = '$dir/run'" >>"$dir/$1/postgresql.conf"
}

say "monitor on port $PM"
initdb_for monitor nobody
as_owner pg_autoctl create monitor --pgctl "$PGBIN/pg_ctl" --pgdata "$dir/monitor" \
  --pgport "$PM" --hostname 127.0.0.1 --auth trust --no-ssl >"$dir/monitor.create" 2>&1
as_owner pg_autoctl run --pgdata "$dir/monitor" >"$dir/monitor.log" 2>&1 &
pids+=($!)
mon() { as_owner "$PGBIN/psql" -X -qAt -h "$dir/run" -p "$PM" -d pg_auto_failover -U nobody "$@"; }
for _ in $(seq 300); do
  mon -c "SELECT 1 FROM pgautofailover.formation" >/dev/null 2>&1 && break
  sleep 0.1
done
# Failover within seconds rather than pg_auto_failover's defaults (a node is unhealthy after
# 20 s, an unreachable primary is waited for 30 s before the secondary is promoted): on one
# machine the health checks cannot be fooled by the network.
mon -c "ALTER SYSTEM SET pgautofailover.health_check_period = 1000" \
  -c "ALTER SYSTEM SET pgautofailover.health_check_timeout = 1000" \
  -c "ALTER SYSTEM SET pgautofailover.health_check_max_retries = 1" \
  -c "ALTER SYSTEM SET pgautofailover.health_check_retry_delay = 500" \
  -c "ALTER SYSTEM SET pgautofailover.node_considered_unhealthy_timeout = 3000" \
  -c "ALTER SYSTEM SET pgautofailover.primary_demote_timeout = 3000" \
  -c "SELECT pg_reload_conf()" >/dev/null 2>"$dir/monitor.tune" ||
  { echo "failover: cannot tune the monitor"; cat "$dir/monitor.tune"; exit 1; }

# the PostgreSQL settings of the data nodes (docs/postgresql.md "Tuning", with smaller
# buffers: three servers share this machine; fsync and synchronous_commit stay on);
# pg_autoctl keeps its replication settings (synchronous_standby_names) in a file of its own
tune_node() {
  cat >>"$dir/$1/postgresql.conf" <<EOF
shared_buffers = 256MB
max_connections = 200
max_wal_size = 4GB
EOF
}

start_node() { # NAME PORT
  if [ "$1" = node1 ]; then
    initdb_for node1 nobody
    tune_node node1 # node2 is a base backup of node1: the same postgresql.conf
  fi
  as_owner pg_autoctl create postgres --pgctl "$PGBIN/pg_ctl" --pgdata "$dir/$1" \
    --pgport "$2" --listen 127.0.0.1 --hostname 127.0.0.1 --name "$1" --dbname otinish --username otinish \
    --auth trust --no-ssl --replication-quorum true --candidate-priority 50 \
    --monitor "$MONITOR" >"$dir/$1.create" 2>&1 ||
    { echo "failover: pg_autoctl create postgres $1 failed"; tail -20 "$dir/$1.create"; exit 1; }
  as_owner pg_autoctl run --pgdata "$dir/$1" >"$dir/$1.log" 2>&1 &
  pids+=($!)
  eval "job_$1=$!"
  disown $! # its SIGKILL below is not news for the shell
}

tree() { # PID: it and every process under it
  echo "$1"
  local c
  for c in $(pgrep -P "$1" || true); do tree "$c"; done
}

state_of() { # NAME: its current state on the monitor
  mon -c "SELECT reportedstate FROM pgautofailover.node WHERE nodename = '$1'" 2>/dev/null || true
}

wait_state() { # NAME STATE SECONDS
  for _ in $(seq $(($3 * 10))); do
    [ "$(state_of "$1")" = "$2" ] && return 0
    sleep 0.1
  done
  echo "failover: $1 did not reach $2 in $3 s (it is $(state_of "$1"))"
  as_owner pg_autoctl show state --pgdata "$dir/monitor" 2>&1 | tail -5
  exit 1
}

say "primary node1 on port $P1"
start_node node1 "$P1"
wait_state node1 single 60
say "secondary node2 on port $P2"
start_node node2 "$P2"
wait_state node2 secondary 120
wait_state node1 primary 30
sync=$(as_owner "$PGBIN/psql" -X -qAt -h "$dir/run" -p "$P1" -U nobody -d otinish \
  -c "SHOW synchronous_standby_names")
say "synchronous_standby_names on the primary: $sync"
[ -n "$sync" ] || { echo "failover: commits are not synchronous"; exit 1; }

# the application's role owns its database and schema (pg_autoctl made the role)
as_owner "$PGBIN/psql" -X -q -h "$dir/run" -p "$P1" -U nobody -d otinish \
  -c "ALTER DATABASE otinish OWNER TO otinish" -c "ALTER SCHEMA public OWNER TO otinish" >/dev/null
say "otinish init on $URI"
"$BIN" init --db "$URI" >"$dir/init.log" 2>&1 || { cat "$dir/init.log"; exit 1; }

start_serve() { # N: sets node$N to its address
  "$BIN" serve --db "$URI" --listen 127.0.0.1:0 --no-access-log --public-limit 0 \
    --threads 32 >"$dir/serve$1.out" 2>"$dir/serve$1.log" &
  pids+=($!)
  for _ in $(seq 100); do grep -q listening "$dir/serve$1.out" 2>/dev/null && break; sleep 0.05; done
  eval "node$1=$(sed -n 's/^listening on //p' "$dir/serve$1.out")"
}
start_serve 1
start_serve 2
n1=$node1 n2=$node2
[ -n "$n1" ] && [ -n "$n2" ] || { echo "failover: a node did not start"; cat "$dir"/serve*.log; exit 1; }
say "nodes at $n1 and $n2"

cc -O2 -o "$dir/client" bench/failover/client.c -lcurl -lpthread
"$dir/client" "$CLIENTS" "$dir/stop" "$n1" "$n2" >"$dir/requests" &
client=$!
sleep "$BEFORE"

# the primary: its pg_autoctl keeper and everything under it (the postmaster and every
# backend), so that nothing restarts it in place
pm=$(head -1 "$dir/node1/postmaster.pid")
victims=$( (tree "$job_node1"; tree "$pm") | sort -u)
t_kill=$(date +%s%3N)
kill -9 $victims 2>/dev/null || true
say "killed the primary: $(echo $victims | wc -w) processes (postmaster $pm)"

# intake until it has come back and run AFTER seconds more (at most 90 s in all)
back=
for _ in $(seq 900); do
  sleep 0.1
  if [ -z "$back" ] && awk -v k="$t_kill" '$1 > k && $3 == 201 {f = 1} END {exit !f}' "$dir/requests"; then
    back=$(date +%s)
  fi
  [ -n "$back" ] && [ $(($(date +%s) - back)) -ge "$AFTER" ] && break
done
touch "$dir/stop"
wait "$client"
say "node2 is $(state_of node2)"

# acknowledged numbers against the new primary's appeals
awk '$3 == 201 && $5 != "-" {print $5}' "$dir/requests" | sort >"$dir/acked"
"$PGBIN/psql" -X -qAt "$URI" -c "SELECT number FROM appeals" | sort >"$dir/stored"
acked=$(wc -l <"$dir/acked")
lost=$(comm -23 "$dir/acked" "$dir/stored" | wc -l)
before=$(awk -v k="$t_kill" '$2 <= k && $3 == 201' "$dir/requests" | wc -l)
recovery=$(awk -v k="$t_kill" '$1 > k && $3 == 201 && (m == "" || $2 < m) {m = $2}
  END {if (m == "") print "never"; else printf "%.1f", (m - k) / 1000}' "$dir/requests")
echo
echo "acknowledged appeals: $acked ($before before the kill), in the database after failover: $(wc -l <"$dir/stored")"
echo "acknowledged appeals lost: $lost"
echo "seconds until intake succeeded again: $recovery"
echo "answers that were not 201 (from the kill on), by status and Retry-After:"
awk -v k="$t_kill" '$2 > k && $3 != 201 {c[$3 " Retry-After:" $4]++} END {for (s in c) printf "  %6d  %s\n", c[s], s}' \
  "$dir/requests" | sort -k2
bad=$(awk '$3 != 201 && !($3 == 503 && $4 != "-")' "$dir/requests" | wc -l)
echo "failures (500, 503 without Retry-After, timeout, no connection): $bad"
grep -h '"level":"error"\|error' "$dir"/serve*.log | head -3 | cut -c1-200 || true

ok=1
[ "$lost" -eq 0 ] || ok=0
[ "$bad" -eq 0 ] || ok=0
[ "$recovery" != never ] && awk -v r="$recovery" 'BEGIN {exit !(r < 30)}' || ok=0
[ "$ok" -eq 1 ] && echo "failover: OK" || { echo "failover: FAILED"; exit 1; }
