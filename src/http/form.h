/* Decoding what a client sends %-escaped: application/x-www-form-urlencoded bodies (Open311
 * POST requests, h_open311.c) and the path and query of a URL (server.c gives the decoder to
 * libmicrohttpd). Pure string work, no I/O, so tests/unit/fuzz/ can drive it. */
#ifndef OT_HTTP_FORM_H
#define OT_HTTP_FORM_H

#include <stddef.h>

#define FORM_MAX_FIELDS 64

typedef struct form {
    char *buf;
    int n;
    char *key[FORM_MAX_FIELDS], *val[FORM_MAX_FIELDS];
} form_t;

/* Parses a form body body[0..len) into fields (keys and values decoded, valid UTF-8, no NUL;
 * a key given twice is refused unless it ends in "[]", a list). 0 on success; -1 with msg
 * filled otherwise. form_free releases fm in both cases. */
int form_parse(form_t *fm, const char *body, size_t len, char *msg, size_t n);
void form_free(form_t *fm);

/* A field's value; empty is the same as missing (NULL). */
const char *form_get(const form_t *fm, const char *name);

/* Percent-decodes s in place as a URL's path or query ('+' stays), except that "%00" stays
 * as it is: a decoded NUL would cut the text short. Returns the new length. */
size_t url_unescape(char *s);

/* Splits a comma list in place into at most max trimmed, non-empty, distinct items; the
 * count, or -1 when there are more than max. */
int form_split_list(char *s, char **out, int max);

#endif
