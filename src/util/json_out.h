/* Compact JSON serialisation of a Jansson value (replies, audit event data, notices), several
 * times cheaper than json_dumps: one growable buffer, a table-driven escape, no second UTF-8
 * validation (Jansson validated every string when it was created). Output is what json_dumps
 * gives with JSON_COMPACT, keys in insertion order. */
#ifndef OT_UTIL_JSON_OUT_H
#define OT_UTIL_JSON_OUT_H

#include <jansson.h>
#include <stddef.h>

/* Returns a malloc'd NUL-terminated text (the caller frees it) and its length (len may be
 * NULL), or NULL for a NULL value, when out of memory or nested deeper than 64 levels. */
char *json_out(const json_t *v, size_t *len);

/* Writes v into w (as json_out does; nothing for a NULL value). */
struct jw;
void jw_json(struct jw *w, const json_t *v);

#endif
