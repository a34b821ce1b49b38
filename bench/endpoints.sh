#!/usr/bin/env bash
# bench/endpoints.sh DB [BINARY] [PORT]: every GET a member of staff, the dashboard or an
# Open311 client makes, timed once cold (the first request of each to the server just
# started) and best of three after it, with one client, as the demo accounts (supervisor,
# head.ridder: a scope of a few bodies, registrar, auditor, admin). Prints status, cold and
# best seconds and the answer's size per request, so that a list that is read whole, a
# walk that reads the table or a page that grew with the data shows up at a glance
# (issue 23: at the 1M demo the head flags were 189 MB in 9 s, the print queue 5 s, the
# control queue 19 MB). Run it on a large demo (otinish init --demo 1000000, then
# otinish sweep) under the bench lock of the machine if others measure too. Not part of
# make bench (it needs the large database).
# ONLY=REGEX times only the requests whose "who path" matches; REPS=N (default 3) warm
# requests after the cold one, reported as best, p99 (nearest rank) and worst.
set -euo pipefail
cd "$(dirname "$0")/.."
DB=$1
BIN=${2:-build/otinish}
PORT=${3:-18796}
log=$(mktemp /tmp/otinish-endpoints-XXXXXX)
"$BIN" serve --db "$DB" --listen "127.0.0.1:$PORT" --no-access-log --public-limit 0 \
  --sweep-interval 0 >"$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; rm -f "$log" "$log.body"' EXIT
for _ in $(seq 1200); do
  grep -q listening "$log" 2>/dev/null && break
  kill -0 $pid 2>/dev/null || { cat "$log" >&2; exit 1; } # the server did not start
  sleep 0.1
done
base=http://127.0.0.1:$PORT
declare -A tok
for who in supervisor head.ridder registrar auditor admin; do
  tok[$who]=$(curl -s -X POST -H 'Content-Type: application/json' \
    -d "{\"login\":\"$who\",\"password\":\"otinish-demo-2026\"}" "$base/api/v1/session" |
    sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
done
q() { sqlite3 "file:$DB?mode=ro" "$1"; }
num=$(q "SELECT number FROM appeals ORDER BY id DESC LIMIT 1 OFFSET 5000")
iin=$(q "SELECT applicant_id FROM appeals WHERE applicant_id <> '' ORDER BY id DESC LIMIT 1 OFFSET 777")
prob=$(q "SELECT id FROM problems ORDER BY n_appeals DESC LIMIT 1")
enc=$(python3 -c "import urllib.parse,sys; print(urllib.parse.quote(sys.argv[1]))" "$num")
# the receipt of the 100,000th oldest appeal: a head's range of old appeals (issue 23)
old100k=$(q "SELECT strftime('%Y-%m-%dT%H:%M:%S', received_at / 1000000, 'unixepoch')
  FROM appeals ORDER BY received_at LIMIT 1 OFFSET 100000")%2B00:00
last=$(q "SELECT max(id) FROM appeals")
REPS=${REPS:-3}
printf '%-11s %-72s %4s %9s %9s %9s %9s %10s\n' who path HTTP cold best p99 worst bytes
while read -r who path; do
  [ -z "$who" ] && continue
  [ -n "${ONLY:-}" ] && ! grep -Eq -- "$ONLY" <<<"$who $path" && continue
  path=${path//NUM/$enc}
  path=${path//IIN/$iin}
  path=${path//PROB/$prob}
  path=${path//OLD100K/$old100k}
  path=${path//HALFID/$((last / 2))}
  t=()
  for _ in $(seq $((REPS + 1))); do
    t+=("$(curl -s -o "$log.body" -w '%{http_code} %{time_total} %{size_download}' \
      -H "Authorization: Bearer ${tok[$who]}" "$base$path")")
  done
  read -r code cold _ <<<"${t[0]}"
  read -r best p99 worst < <(printf '%s\n' "${t[@]:1}" | awk '{print $2}' | sort -n |
    awk '{v[NR] = $1} END {r = int(NR * 0.99); if (r < NR * 0.99) r++; print v[1], v[r], v[NR]}')
  printf '%-11s %-72s %4s %9s %9s %9s %9s %10s\n' "$who" "$path" "$code" "$cold" "$best" "$p99" \
    "$worst" "$(awk '{print $3}' <<<"${t[1]}")"
done <<'LIST'
supervisor /api/v1/bodies
supervisor /api/v1/appeals?category=utilities&limit=50
supervisor /api/v1/appeals?district=ridder&limit=50
supervisor /api/v1/appeals?channel=post&limit=50
supervisor /api/v1/appeals?kind=complaint&limit=50
supervisor /api/v1/appeals?repeated=1&limit=50
supervisor /api/v1/appeals?kind=complaint&channel=mail&limit=50
supervisor /api/v1/appeals?kind=complaint&channel=mail&after=HALFID&limit=50
supervisor /api/v1/appeals?kind=proposal&channel=mail&limit=50
supervisor /api/v1/appeals?status=closed&category=utilities&limit=50
supervisor /api/v1/appeals?status=registered&channel=portal&limit=50
supervisor /api/v1/appeals?due_before=2027-01-01&limit=50
supervisor /api/v1/appeals?due_before=2026-12-20&limit=50
supervisor /api/v1/appeals?due_before=2026-12-10&limit=50
supervisor /api/v1/appeals?due_before=2026-06-01&limit=50
head.ridder /api/v1/appeals?received_to=OLD100K&limit=50
head.ridder /api/v1/appeals?due_before=2026-04-01&limit=50
head.ridder /api/v1/appeals?due_before=2027-01-01&limit=50
registrar /api/v1/appeals?kind=complaint&channel=mail&limit=50
supervisor /api/v1/appeals?due_before=2026-01-01&limit=50
supervisor /api/v1/appeals?due_after=2026-06-01&limit=50
supervisor /api/v1/appeals?received_from=2026-03-01T00:00:00%2B05:00&limit=50
supervisor /api/v1/appeals?status=answered&category=utilities&district=ridder&limit=50
supervisor /api/v1/appeals?sort=due&limit=50
supervisor /api/v1/appeals?sort=due&status=in_work&limit=50
supervisor /api/v1/appeals?under=ridder&limit=50
supervisor /api/v1/appeals?under=ridder&overdue=1&limit=50
supervisor /api/v1/appeals?limit=500
supervisor /api/v1/appeals?status=closed&limit=500
supervisor /api/v1/appeals/NUM
supervisor /api/v1/appeals/NUM/history
supervisor /api/v1/appeals/NUM/notices
supervisor /api/v1/appeals/NUM/attachments
supervisor /api/v1/applicants/IIN/appeals
supervisor /api/v1/problems
supervisor /api/v1/problems?state=recurring&min_appeals=3&sort=appeals
supervisor /api/v1/problems?sort=age
supervisor /api/v1/problems?state=open&category=utilities&offset=5000
supervisor /api/v1/problems/PROB
supervisor /api/v1/violations
supervisor /api/v1/violations?limit=500
supervisor /api/v1/heads/flags
supervisor /api/v1/heads/flags?limit=500
supervisor /api/v1/control
supervisor /api/v1/control?limit=500
supervisor /api/v1/forwards
supervisor /api/v1/approvals
supervisor /api/v1/executors?body=ridder
supervisor /api/v1/tasks
supervisor /api/v1/receptions/bookings?from=2026-11-01&to=2026-12-31
supervisor /api/v1/scorecards
supervisor /api/v1/scorecards?from=2025-01-01&to=2026-12-01
supervisor /api/v1/scorecards?format=csv
supervisor /api/v1/scorecards?format=xlsx
supervisor /api/v1/alerts
supervisor /api/v1/dashboard
supervisor /api/v1/public/stats
supervisor /api/v1/public/stats?format=xlsx
supervisor /api/v1/appeals?body=ridder&format=csv
supervisor /api/v1/appeals?format=csv
supervisor /api/v1/appeals?overdue=1&format=xlsx
supervisor /metrics
head.ridder /api/v1/appeals?limit=50
head.ridder /api/v1/appeals?category=utilities&limit=50
head.ridder /api/v1/appeals?sort=due&limit=50
head.ridder /api/v1/appeals?due_before=2026-03-01&limit=50
head.ridder /api/v1/appeals?kind=complaint&channel=post&limit=50
registrar /api/v1/appeals?sort=due&limit=500
registrar /api/v1/control?limit=500
head.ridder /api/v1/problems
head.ridder /api/v1/violations
head.ridder /api/v1/heads/flags
head.ridder /api/v1/control
head.ridder /api/v1/scorecards
head.ridder /api/v1/dashboard
head.ridder /api/v1/alerts
head.ridder /api/v1/post
head.ridder /api/v1/tasks
registrar /api/v1/post
registrar /api/v1/forwards
registrar /api/v1/appeals?limit=50
auditor /api/v1/violations
admin /api/v1/alerts
supervisor /open311/v2/requests.json
supervisor /open311/v2/requests.json?status=open
supervisor /open311/v2/requests.json?start_date=2026-01-01T00:00:00Z&end_date=2026-02-01T00:00:00Z
supervisor /open311/v2/services.json
LIST
