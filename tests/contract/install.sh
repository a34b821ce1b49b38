#!/usr/bin/env bash
# Installs what the contract tests need from npm: the packages of package-lock.json, then the
# npm open311 client 0.0.12, unmodified, from the registry (`npm pack`), its tarball checked
# against the integrity pinned here. The client is unpacked beside the packages it requires
# (lodash, request, and the stand-ins of its two XML dependencies: stand-ins/README.md)
# rather than installed by npm, because no npm can install it as published: its dependency
# sparkxml is a git:// address, and Debian's npm 9 cannot override a git dependency either
# ("Invalid comparator"). Quiet when already installed.
set -euo pipefail
cd "$(dirname "$0")"
[ -f node_modules/open311/package.json ] && exit 0
npm ci --no-audit --no-fund --loglevel=error >/dev/null
WANT=sha512-jwK7RRrGKWaK7sC+g7G6d5AyKEQNfWp6tKCsLt6shjO712lgtW8Wkipc6vK84hYg8eyv0vcAPKH3Orj06K/YKQ==
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack open311@0.0.12 --silent >/dev/null)
got=sha512-$(python3 -c 'import base64, hashlib, sys
print(base64.b64encode(hashlib.sha512(open(sys.argv[1], "rb").read()).digest()).decode())' \
  "$tmp/open311-0.0.12.tgz")
[ "$got" = "$WANT" ] || { echo "open311-0.0.12.tgz: integrity $got, want $WANT" >&2; exit 1; }
mkdir -p node_modules/open311
tar -xzf "$tmp/open311-0.0.12.tgz" -C node_modules/open311 --strip-components=1
