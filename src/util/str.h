/* Strings into fixed buffers. */
#ifndef OT_UTIL_STR_H
#define OT_UTIL_STR_H

#include <stddef.h>

/* Copies src (NULL copies "") into dst of n > 0 bytes, cut to fit, always NUL-terminated.
 * Without snprintf's format parsing: it was 1 % of a demo load. */
void str_copy(char *dst, size_t n, const char *src);

/* Parses a whole decimal integer in [min, max] (no sign junk, no trailing text) into *out;
 * 0 on success, -1 otherwise (*out untouched). For command-line options and URL parts. */
int str_to_long(const char *s, long min, long max, long *out);

#endif
