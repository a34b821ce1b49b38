#include "util/jw.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int grow_slow(jw_t *w, size_t more)
{
    if (w->failed)
        return -1;
    size_t cap = w->cap ? w->cap : 1024;
    while (cap < w->n + more)
        cap *= 2;
    char *np = realloc(w->p, cap);
    if (!np) {
        w->failed = 1;
        return -1;
    }
    w->p = np;
    w->cap = cap;
    return 0;
}

/* The common case (room left) inline: the staff list's profile had grow() at 5 % of the
 * server's time, called for every piece written. */
static inline int grow(jw_t *w, size_t more)
{
    return w->n + more <= w->cap && !w->failed ? 0 : grow_slow(w, more);
}

static inline void put(jw_t *w, const char *s, size_t n)
{
    if (grow(w, n))
        return;
    memcpy(w->p + w->n, s, n);
    w->n += n;
}

static inline void put1(jw_t *w, char c)
{
    if (grow(w, 1))
        return;
    w->p[w->n++] = c;
}

/* Before a value or a key: the comma that separates it from the previous one. */
static void sep(jw_t *w)
{
    if (w->after_key) {
        w->after_key = 0;
        return;
    }
    if (w->comma[w->depth])
        put1(w, ',');
    w->comma[w->depth] = 1;
}

/* 1: the byte needs an escape (", \, control characters). */
static const unsigned char needs_escape[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, ['\\'] = 1,
};

/* Whether any of the 8 bytes of v needs an escape: one below 0x20, a '"' or a '\\' (the
 * "has a byte less than" and "has a zero byte" word tests; bytes of 0x80 and up, UTF-8, never
 * match). Strings are scanned a word at a time and only a word that holds one is looked at
 * byte by byte: the byte loop was 11 % of the server's time on the staff list's first page. */
static inline int word_needs_escape(uint64_t v)
{
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    uint64_t q = v ^ (ones * '"'), b = v ^ (ones * '\\');
    return (((v - ones * 0x20) & ~v) | ((q - ones) & ~q) | ((b - ones) & ~b)) & highs ? 1 : 0;
}

static void put_string(jw_t *w, const char *s, size_t n)
{
    static const char hex[] = "0123456789ABCDEF"; /* as json_dumps */
    /* room for the worst case (every byte \u00XX) reserved once, then written in place */
    if (grow(w, n * 6 + 2))
        return;
    char *o = w->p + w->n;
    *o++ = '"';
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        if (!(i & 7) && i + 8 <= n) { /* a word at a time while none needs an escape */
            uint64_t v;
            memcpy(&v, s + i, 8);
            if (!word_needs_escape(v)) {
                i += 7;
                continue;
            }
        }
        unsigned char c = (unsigned char)s[i];
        if (!needs_escape[c])
            continue;
        memcpy(o, s + run, i - run);
        o += i - run;
        run = i + 1;
        char e = 0;
        switch (c) {
        case '"':
            e = '"';
            break;
        case '\\':
            e = '\\';
            break;
        case '\n':
            e = 'n';
            break;
        case '\r':
            e = 'r';
            break;
        case '\t':
            e = 't';
            break;
        case '\b':
            e = 'b';
            break;
        case '\f':
            e = 'f';
            break;
        }
        *o++ = '\\';
        if (e)
            *o++ = e;
        else {
            memcpy(o, "u00", 3);
            o[3] = hex[c >> 4];
            o[4] = hex[c & 15];
            o += 5;
        }
    }
    memcpy(o, s + run, n - run);
    o += n - run;
    *o++ = '"';
    w->n = (size_t)(o - w->p);
}

static void open_(jw_t *w, char c)
{
    sep(w);
    put1(w, c);
    if (w->depth == JW_MAX_DEPTH) {
        w->failed = 1;
        return;
    }
    w->depth++;
    w->comma[w->depth] = 0;
    w->is_arr[w->depth] = c == '[';
}

void jw_obj(jw_t *w)
{
    open_(w, '{');
}

void jw_arr(jw_t *w)
{
    open_(w, '[');
}

void jw_end(jw_t *w)
{
    if (w->depth == 0 || w->failed) {
        w->failed = 1;
        return;
    }
    put1(w, w->is_arr[w->depth] ? ']' : '}');
    w->depth--;
}

void jw_key_n(jw_t *w, const char *key, size_t n)
{
    sep(w);
    put_string(w, key, n);
    put1(w, ':');
    w->after_key = 1;
}

void jw_strn(jw_t *w, const char *s, size_t n)
{
    sep(w);
    put_string(w, s, n);
}

void jw_str(jw_t *w, const char *s)
{
    if (!s)
        jw_null(w);
    else
        jw_strn(w, s, strlen(s));
}

void jw_int(jw_t *w, int64_t v)
{
    char num[24], *e = num + sizeof num, *d = e;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do
        *--d = (char)('0' + u % 10);
    while (u /= 10);
    if (v < 0)
        *--d = '-';
    sep(w);
    put(w, d, (size_t)(e - d));
}

void jw_real(jw_t *w, double v)
{
    char num[40];
    int n = snprintf(num, sizeof num, "%.17g", v);
    char *e = strchr(num, 'e');
    if (e) { /* as json_dumps: 1e+300 -> 1e300, 1e-05 -> 1e-5 */
        char *d = e + 1, *s = d;
        if (*s == '+')
            s++;
        else if (*s == '-')
            d++, s++;
        while (*s == '0' && s[1])
            s++;
        memmove(d, s, strlen(s) + 1);
        n = (int)strlen(num);
    }
    sep(w);
    put(w, num, (size_t)n);
    if (!strpbrk(num, ".eEn")) /* keep it a real: 2 -> 2.0, as json_dumps does */
        put(w, ".0", 2);
}

void jw_bool(jw_t *w, int v)
{
    sep(w);
    put(w, v ? "true" : "false", v ? 4 : 5);
}

void jw_null(jw_t *w)
{
    sep(w);
    put(w, "null", 4);
}

void jw_kstr_n(jw_t *w, const char *key, size_t n, const char *s)
{
    jw_key_n(w, key, n);
    jw_str(w, s);
}

void jw_kstr_opt_n(jw_t *w, const char *key, size_t n, const char *s)
{
    jw_key_n(w, key, n);
    jw_str(w, s && *s ? s : NULL);
}

void jw_kint_n(jw_t *w, const char *key, size_t n, int64_t v)
{
    jw_key_n(w, key, n);
    jw_int(w, v);
}

char *jw_finish(jw_t *w, size_t *len)
{
    put1(w, '\0');
    if (w->failed || w->depth != 0) {
        free(w->p);
        w->p = NULL;
        return NULL;
    }
    if (len)
        *len = w->n - 1;
    return w->p;
}
