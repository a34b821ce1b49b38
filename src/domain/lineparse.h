/* Tokenising the line-based data files (calendar.txt, terms.txt): words separated by blanks,
 * '#' comments, "| status | source" tails. Pure; works in place on a writable line. */
#ifndef OT_DOMAIN_LINEPARSE_H
#define OT_DOMAIN_LINEPARSE_H

#include "util/err.h"

/* Strips blanks (and a CR) at both ends, in place; returns the start. */
char *lp_trim(char *s);

/* Cuts the next blank-separated word out of *p (NUL-terminating it); NULL at the end. */
char *lp_word(char **p);

/* Whether s is a status of a legal value: confirmed, secondary or unconfirmed. */
int lp_status_ok(const char *s);

/* A syntax error of line `line`: OT_EINVAL with code and "line N: what 'tok'". */
int lp_syntax(ot_err_t *err, const char *code, int line, const char *what, const char *tok);

#endif
