#!/bin/sh
# Writes a C file that holds FILE as the NUL-terminated char array NAME: data the binary must
# carry with it rather than read at run time (the Kazakh stemmer's suffix list: the search
# index must be built and queried with the same list; docs/search.md).
#   scripts/embed.sh NAME FILE > out.c
set -eu
echo "/* generated from $2 by scripts/embed.sh: do not edit */"
echo "extern const char $1[];"
echo "const char $1[] = {"
od -An -v -tx1 "$2" | sed 's/ *\([0-9a-f][0-9a-f]\)/0x\1,/g'
echo "0};"
