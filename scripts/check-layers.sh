#!/usr/bin/env bash
# Checks the include direction of the layers (docs/layers.md): each folder under src/ may
# include only the folders listed for it below, so `make lint` fails on an include that
# reaches past a layer's door. Prints each offending line as FILE:LINE: #include "..." and
# exits 1 when there is one.
#
#   cli     -> cli, service, util   (cmd_serve.c also http/server.h, cmd_init.c also demo/)
#   http    -> http, service, util
#   demo    -> demo, service, domain, util
#   service -> service, store, domain, util   (but service/*.h: no store/)
#   store   -> store, domain, util
#   domain  -> domain, util
#   util    -> util
#   main.c  -> cli, util
# and the unit tests of the domain (tests/unit/domain/) -> domain, util.
set -u
cd "$(dirname "$0")/.."

# shellcheck disable=SC2046
grep -Hn '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' \
  $(find src tests/unit/domain -name '*.[ch]' | sort) /dev/null |
  awk '
    function allowed(file, inc) {
      if (file == "src/cli/cmd_serve.c" && inc == "http/server.h") return 1
      if (file == "src/cli/cmd_init.c" && inc ~ /^demo\//) return 1
      if (file ~ /^src\/cli\//) return inc ~ /^(cli|service|util)\//
      if (file ~ /^src\/http\//) return inc ~ /^(http|service|util)\//
      if (file ~ /^src\/demo\//) return inc ~ /^(demo|service|domain|util)\//
      if (file ~ /^src\/service\/.*\.h$/) return inc ~ /^(service|domain|util)\//
      if (file ~ /^src\/service\//) return inc ~ /^(service|store|domain|util)\//
      if (file ~ /^src\/store\//) return inc ~ /^(store|domain|util)\//
      if (file ~ /^src\/domain\//) return inc ~ /^(domain|util)\//
      if (file ~ /^src\/util\//) return inc ~ /^util\//
      if (file == "src/main.c") return inc ~ /^(cli|util)\//
      if (file ~ /^tests\/unit\/domain\//) return inc ~ /^(domain|util)\//
      return -1
    }
    {
      split($0, p, ":")
      file = p[1]; line = p[2]
      inc = $0
      sub(/^[^"]*"/, "", inc); sub(/".*$/, "", inc)
      if (inc !~ /\//) next              # a local header without a folder: not a layer
      a = allowed(file, inc)
      if (a == -1) { print file ": not in a known layer (scripts/check-layers.sh)"; bad = 1 }
      else if (!a) { print file ":" line ": #include \"" inc "\" goes against the layers (docs/layers.md)"; bad = 1 }
    }
    END {
      if (bad) exit 1
      print "layers: every include goes in the allowed direction"
    }'
