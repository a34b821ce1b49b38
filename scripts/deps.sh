#!/usr/bin/env bash
# Installs what Otinish needs to build, test and benchmark, on Debian 12, with apt-get.
# Idempotent: checks each package first and is quiet when everything is present.
set -euo pipefail

PKGS=(
  make gcc pkg-config git ca-certificates
  libmicrohttpd-dev   # HTTP server
  libjansson-dev      # JSON
  libsqlite3-dev      # embedded store
  libstemmer-dev      # search: Snowball stemmers (Russian) for the FTS5 tokenizer
  sqlite3             # tests open the database directly (audit tamper tests)
  libpq-dev           # PostgreSQL engine (src/store/db_pg.c)
  postgresql-15       # tests: the API tests' PostgreSQL pass (initdb, pg_ctl, psql, pg_dump)
  postgresql-15-auto-failover # bench/failover.sh: pg_autoctl (monitor, primary, synchronous standby)
  libsodium-dev       # Argon2id, tokens, SHA-256
  libcurl4-openssl-dev # SMTP/HTTP clients, API tests
  libcmocka-dev       # unit tests
  libxlsxwriter-dev zlib1g-dev # XLSX export (its pkg-config asks for -lz)
  wrk curl            # benchmarks (make bench)
  clang-format cppcheck # make lint
  clang                 # make fuzz (libFuzzer)
  python3 python3-aiosmtpd  # tests: a real SMTP server on loopback (notifications)
  python3-jsonschema        # tests: Open311 replies checked against the spec's JSON Schemas
  python3-yaml              # build: docs/openapi.yaml into the JSON the server serves
  groff-base                # the manual page otinish(1): built, and rendered by a test
  nodejs chromium           # tests: the web UI in a real browser (npm playwright-core)
)

missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Debian's npm package; a Node.js that bundles npm (e.g. NodeSource builds) conflicts with it
command -v npm >/dev/null 2>&1 || missing+=(npm)
# npm packages of the web UI (Chart.js, served from web/node_modules), of the browser tests
# (playwright-core) and of the contract tests (@hyperjump/json-schema, the open311 client),
# pinned by their package-lock.json; quiet when already installed
npm_deps() {
  local dir
  for dir in web tests/browser; do
    [ -d "$ROOT/$dir/node_modules" ] ||
      npm ci --prefix "$ROOT/$dir" --no-audit --no-fund --loglevel=error >/dev/null
  done
  "$ROOT/tests/contract/install.sh" # the open311 client as published cannot be npm-installed
}
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
[ ${#missing[@]} -eq 0 ] && { npm_deps; exit 0; }

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
echo "deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
npm_deps
