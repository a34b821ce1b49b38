/* Strings into fixed buffers. */
#ifndef OT_UTIL_STR_H
#define OT_UTIL_STR_H

#include <stddef.h>
#include <stdint.h>

/* Copies src (NULL copies "") into dst of n > 0 bytes, cut to fit, always NUL-terminated.
 * Without snprintf's format parsing: it was 1 % of a demo load. */
void str_copy(char *dst, size_t n, const char *src);

/* A malloc'd copy of s[0..n) with a NUL after it (s may hold NULs); NULL when out of memory.
 * For texts kept or handed over by length: cached replies, rendered pages. */
char *str_dup_n(const char *s, size_t n);

/* Parses a whole decimal integer in [min, max] (no sign junk, no trailing text) into *out;
 * 0 on success, -1 otherwise (*out untouched). For command-line options and URL parts. */
int str_to_long(const char *s, long min, long max, long *out);

/* FNV-1a, 64 bits, over s[0..n), going on from h (STR_FNV1A_INIT to start): the hash of
 * data fingerprints (calendars, address settings), rate-limit keys and small tables. */
#define STR_FNV1A_INIT UINT64_C(14695981039346656037)
uint64_t str_fnv1a(uint64_t h, const void *s, size_t n);

#endif
