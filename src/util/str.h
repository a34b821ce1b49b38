/* Strings into fixed buffers. */
#ifndef OT_UTIL_STR_H
#define OT_UTIL_STR_H

#include <stddef.h>

/* Copies src (NULL copies "") into dst of n > 0 bytes, cut to fit, always NUL-terminated.
 * Without snprintf's format parsing: it was 1 % of a demo load. */
void str_copy(char *dst, size_t n, const char *src);

#endif
