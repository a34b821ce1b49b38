#!/usr/bin/env bash
# Contract tests against the real server, one build's binary (OTINISH_BIN): a fresh database
# with demo data, the server on a free loopback port, then
#   openapi.test.mjs         real replies of every /api/v1 route validated against the OpenAPI
#                            document the server serves (docs/openapi.yaml), by
#                            @hyperjump/json-schema's OpenAPI 3.1 dialect (issue 21);
#   open311-client.test.cjs  the unmodified npm open311 client end to end (issue 24).
# Node packages pinned by package-lock.json (scripts/deps.sh). Prints TAP ("ok N - name");
# exits non-zero on a failure.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
BIN=${OTINISH_BIN:-$ROOT/build/otinish}
[ -x "$BIN" ] || { echo "not ok 1 - $BIN is not built (run make)"; exit 1; }
tests/contract/install.sh

TMP=$(mktemp -d "${TMPDIR:-/tmp}/otinish-contract.XXXXXX")
SRV_PID=
cleanup() {
  if [ -n "$SRV_PID" ]; then kill "$SRV_PID" 2>/dev/null || true; wait "$SRV_PID" 2>/dev/null || true; fi
  rm -rf "$TMP"
}
trap cleanup EXIT

DB=$TMP/otinish.db
PW=otinish-contract-2026
"$BIN" init --db "$DB" --demo 120 >"$TMP/init.log" 2>&1 ||
  { echo "not ok 1 - otinish init failed"; sed 's/^/# /' "$TMP/init.log"; exit 1; }
# Accounts of the tests' own: Ridder handles heating appeals from Ridder.
add_user() { # login role body name
  printf '%s\n' "$PW" | "$BIN" user add --db "$DB" --login "$1" --role "$2" --body "$3" \
    --name "$4" --position "$2" >>"$TMP/init.log" 2>&1
}
add_user ct.registrar registrar ridder "Айгерім Серікова"
add_user ct.head head ridder "Ерлан Садықов"
add_user ct.executor executor ridder.housing "Мария Ким"
add_user ct.supervisor supervisor vko.apparat "Асқар Нұрланов"
add_user ct.auditor auditor vko.apparat "Дина Ахметова"
add_user ct.admin admin vko.apparat "Олег Ли"
add_user ct.head2 head vko.apparat "Берик Омаров"
# violations and head flags to list
"$BIN" sweep --db "$DB" >>"$TMP/init.log" 2>&1
KEY=$("$BIN" apikey add "contract tests" --db "$DB" 2>>"$TMP/init.log" | head -1)

"$BIN" serve --db "$DB" --listen 127.0.0.1:0 --public-limit 0 >"$TMP/serve.out" 2>"$TMP/serve.err" &
SRV_PID=$!
URL=
for _ in $(seq 1 100); do
  URL=$(sed -n 's/^listening on \(http[^ ]*\).*/\1/p' "$TMP/serve.out" | head -1)
  [ -n "$URL" ] && break
  kill -0 "$SRV_PID" 2>/dev/null || break
  sleep 0.05
done
[ -n "$URL" ] || { echo "not ok 1 - server did not start"; sed 's/^/# /' "$TMP/serve.err"; exit 1; }

rc=0
export BASE_URL=$URL PASSWORD=$PW API_KEY=$KEY DB TMP ROOT
node tests/contract/openapi.test.mjs || rc=1
node tests/contract/open311-client.test.cjs || rc=1
if [ $rc -ne 0 ]; then
  echo "# server log (last lines):"
  tail -n 20 "$TMP/serve.err" | sed 's/^/# /'
fi
exit $rc
