/* A streaming JSON writer into one growable buffer: the single way replies are encoded.
 * Jansson trees are written through it (json_out.c); the hottest records (appeals) are
 * written straight from their C structs, with no tree in between (measured in bench: the
 * tree for one appeal cost more than the rest of the request).
 *
 *   jw_t w = JW_INIT;
 *   jw_obj(&w); jw_key(&w, "n"); jw_int(&w, 1); jw_end(&w);
 *   size_t len; char *text = jw_finish(&w, &len);   // malloc'd; NULL when out of memory
 *
 * Strings must be valid UTF-8 (they are: input is validated before it is stored). */
#ifndef OT_UTIL_JW_H
#define OT_UTIL_JW_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define JW_MAX_DEPTH 64

typedef struct jw {
    char *p;
    size_t n, cap;
    int failed;
    int depth;
    int after_key;                          /* the next value follows "key": */
    unsigned char comma[JW_MAX_DEPTH + 1];  /* a value was written at this level */
    unsigned char is_arr[JW_MAX_DEPTH + 1]; /* this level is an array */
} jw_t;

#define JW_INIT                                                                                    \
    {                                                                                              \
        0                                                                                          \
    }

void jw_obj(jw_t *w);
void jw_arr(jw_t *w);
void jw_end(jw_t *w); /* closes the innermost object or array */
void jw_key_n(jw_t *w, const char *key, size_t n);
void jw_str(jw_t *w, const char *s); /* NULL writes null */
void jw_strn(jw_t *w, const char *s, size_t n);
void jw_int(jw_t *w, int64_t v);
void jw_real(jw_t *w, double v);
void jw_bool(jw_t *w, int v);
void jw_null(jw_t *w);

/* key + value shorthands; jw_kstr_opt writes null for NULL or "" */
void jw_kstr_n(jw_t *w, const char *key, size_t n, const char *s);
void jw_kstr_opt_n(jw_t *w, const char *key, size_t n, const char *s);
void jw_kint_n(jw_t *w, const char *key, size_t n, int64_t v);

/* The keys' lengths are taken here, inline, so that the compiler counts a literal key once at
 * build time (strlen was 5 % of the staff list's server time, mostly of keys) */
static inline void jw_key(jw_t *w, const char *key)
{
    jw_key_n(w, key, strlen(key));
}

static inline void jw_kstr(jw_t *w, const char *key, const char *s)
{
    jw_kstr_n(w, key, strlen(key), s);
}

static inline void jw_kstr_opt(jw_t *w, const char *key, const char *s)
{
    jw_kstr_opt_n(w, key, strlen(key), s);
}

static inline void jw_kint(jw_t *w, const char *key, int64_t v)
{
    jw_kint_n(w, key, strlen(key), v);
}

/* The text (NUL-terminated, malloc'd, the caller frees) or NULL after a failure. */
char *jw_finish(jw_t *w, size_t *len);

#endif
