/* Small helpers shared by the commands' option parsing. */
#ifndef OT_CLI_OPTS_H
#define OT_CLI_OPTS_H

#include <stddef.h>

#define OPT_DEFAULT_DB "var/otinish.db"

/* Parses a decimal integer in [min, max]; returns 0 on success, -1 otherwise (util/str.h
 * str_to_long, under the name the commands use). */
int opt_int(const char *s, long min, long max, long *out);

/* Parses "ADDR:PORT" into addr (NUL-terminated, at most n bytes) and port. */
int opt_listen(const char *s, char *addr, size_t n, int *port);

#endif
