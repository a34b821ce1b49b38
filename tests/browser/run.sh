#!/usr/bin/env bash
# Browser tests of the web UI: the real server on a free loopback port with a fresh database
# (demo data), Playwright (npm playwright-core) driving Debian's Chromium headless.
# Prints TAP ("ok N - name"); screenshots go to build/screenshots/. Exits non-zero on failure.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
BIN=${OTINISH_BIN:-$ROOT/build/otinish}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
[ -x "$BIN" ] || { echo "not ok 1 - $BIN is not built (run make)"; exit 1; }
[ -x "$CHROMIUM" ] || { echo "not ok 1 - no Chromium at $CHROMIUM (run scripts/deps.sh)"; exit 1; }

[ -d tests/browser/node_modules/playwright-core ] ||
  npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error >/dev/null
[ -d web/node_modules/chart.js ] ||
  npm ci --prefix web --no-audit --no-fund --loglevel=error >/dev/null

TMP=$(mktemp -d "${TMPDIR:-/tmp}/otinish-browser.XXXXXX")
SRV_PID=
cleanup() {
  if [ -n "$SRV_PID" ]; then kill "$SRV_PID" 2>/dev/null || true; wait "$SRV_PID" 2>/dev/null || true; fi
  rm -rf "$TMP"
}
trap cleanup EXIT

DB=$TMP/otinish.db
PW=otinish-demo-2026
"$BIN" init --db "$DB" --demo "${DEMO_APPEALS:-300}" >"$TMP/init.log" 2>&1 ||
  { echo "not ok 1 - otinish init failed"; sed 's/^/# /' "$TMP/init.log"; exit 1; }
# Accounts of the tests' own, whatever the demo data holds: a registrar, head and executor of
# Ridder (where heating appeals from Ridder are routed) and an oblast supervisor.
add_user() { # login role body name position
  printf '%s\n' "$PW" | "$BIN" user add --db "$DB" --login "$1" --role "$2" --body "$3" \
    --name "$4" --position "$5" >>"$TMP/init.log" 2>&1
}
add_user ui.registrar registrar ridder "Айгерім Серікова" "Специалист канцелярии"
add_user ui.head head ridder "Ерлан Садықов" "Аким города Риддера"
add_user ui.executor executor ridder.housing "Мария Ким" "Главный специалист"
add_user ui.supervisor supervisor vko.apparat "Асқар Нұрланов" "Руководитель отдела контроля"
add_user ui.admin admin vko "Ольга Ли" "Администратор системы"
# the accountability sweep over the demo: violations, head flags and the control queue for the
# staff pages to show (and to be checked for codes left untranslated)
"$BIN" sweep --db "$DB" >>"$TMP/init.log" 2>&1

"$BIN" serve --db "$DB" --listen 127.0.0.1:0 --web "$ROOT/web" --public-limit 0 \
  >"$TMP/serve.out" 2>"$TMP/serve.err" &
SRV_PID=$!
URL=
for _ in $(seq 1 100); do
  URL=$(sed -n 's/^listening on \(http[^ ]*\).*/\1/p' "$TMP/serve.out" | head -1)
  [ -n "$URL" ] && break
  kill -0 "$SRV_PID" 2>/dev/null || break
  sleep 0.05
done
[ -n "$URL" ] || { echo "not ok 1 - server did not start"; sed 's/^/# /' "$TMP/serve.err"; exit 1; }

mkdir -p build/screenshots
rc=0
BASE_URL=$URL PASSWORD=$PW CHROMIUM=$CHROMIUM PROFILE_DIR=$TMP/profile SHOTS=$ROOT/build/screenshots \
  node tests/browser/ui.test.mjs || rc=$?
if [ $rc -ne 0 ]; then
  echo "# server log (last lines):"
  tail -n 20 "$TMP/serve.err" | sed 's/^/# /'
fi
exit $rc
