#!/usr/bin/env bash
# scripts/screenshots.sh: runs the browser tests (tests/browser/run.sh, the real server with
# demo data in Debian's Chromium) and copies the main pages' screenshots they take into
# docs/screenshots/, so the pictures in README.md show the UI as it is. Run it after a
# change to the UI and commit the pictures with it.
set -euo pipefail
cd "$(dirname "$0")/.."
tests/browser/run.sh
shots=(
  citizen-receipt.png      # a citizen's receipt on a 360 px phone
  complaint-start.png      # a complaint that starts from number and code
  executor-answered.png    # an executor's appeal page with the history in words
  inbox-queue.png          # the work queue: open appeals by due date, counts per state
  head-task.png            # a head's queue with an executor's extension request
  control.png              # violations and the control queue
  dashboard.png            # the governor's dashboard
  dashboard-kk-phone.png   # the same in Kazakh on a phone
  kk-phone-reception.png   # receptions in Kazakh on a phone
)
mkdir -p docs/screenshots
for s in "${shots[@]}"; do
  cp "build/screenshots/$s" "docs/screenshots/$s"
done
echo "docs/screenshots: ${#shots[@]} pictures"
