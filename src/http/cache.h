/* A small cache of rendered replies for public data that changes rarely or never (a year's
 * calendar, the reference lists): the JSON is built once and copied out. Bounded: a fixed
 * number of slots, a new key replaces the oldest. */
#ifndef OT_HTTP_CACHE_H
#define OT_HTTP_CACHE_H

#include <stddef.h>
#include <stdint.h>

/* A malloc'd copy of the text cached under key (the caller frees it), or NULL when absent or
 * expired. */
char *reply_cache_get(const char *key, int64_t now, size_t *len);

/* Keeps a copy of text under key until now + ttl_us. */
void reply_cache_put(const char *key, const char *text, size_t len, int64_t now, int64_t ttl_us);

#endif
