#!/usr/bin/env bash
# Writes the manual page otinish(1) to stdout: docs/otinish.1.in with @COMMANDS@ replaced by
# one subsection per command, made from the binary's own help (`otinish --help` for the list
# and the summaries, `otinish help NAME` for the text), so the page and --help cannot
# disagree. Usage: scripts/gen-man.sh BINARY TEMPLATE
set -euo pipefail
bin=$1
template=$2
# troff-safe text: backslashes, hyphens as \- (options copy and paste right), a leading
# dot or quote would be a request
esc() { sed -e 's/\\/\\e/g' -e 's/-/\\-/g' -e "s/^[.']/\\\\\\&&/"; }
version=$("$bin" version | awk '{print $2}')
commands() {
  # the command list of --help: "  NAME       summary" between "commands:" and a blank line
  OTINISH_CONFIG=/dev/null "$bin" --help |
    awk '/^commands:/ {on = 1; next} on && /^$/ {exit} on {print $1}' |
    while read -r name; do
      summary=$(OTINISH_CONFIG=/dev/null "$bin" --help |
        awk -v n="$name" '$1 == n {sub(/^ *[^ ]+ +/, ""); print; exit}')
      printf '.SS %s\n' "$name"
      printf '%s\n' "$summary" | esc
      printf '.PP\n.nf\n'
      OTINISH_CONFIG=/dev/null "$bin" help "$name" | esc
      printf '.fi\n'
    done
}
body=$(commands)
while IFS= read -r line; do
  case $line in
  @COMMANDS@) printf '%s\n' "$body" ;;
  *) printf '%s\n' "${line//@VERSION@/$version}" ;;
  esac
done <"$template"
