#include "domain/seal.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

_Static_assert(sizeof(crypto_hash_sha256_state) <= sizeof(((seal_t *)0)->sha),
               "seal_t.sha too small");

#define SHA(s) ((crypto_hash_sha256_state *)(void *)(s)->sha)

/* base64url without padding: 6 bits a character */
static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
#define FP_EMPTY 0xffffu /* not a 12-bit value: the column was empty */

static uint32_t fnv(uint32_t h, const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)p[i];
        h *= 16777619u;
    }
    return h;
}

static void put_text(seal_t *s, const char *p, size_t n)
{
    unsigned char b[4] = {(unsigned char)(n >> 24), (unsigned char)(n >> 16),
                          (unsigned char)(n >> 8), (unsigned char)n};
    crypto_hash_sha256_update(SHA(s), b, 4);
    crypto_hash_sha256_update(SHA(s), (const unsigned char *)p, n);
}

static void add_entry(seal_t *s, const char *name, unsigned fp)
{
    if (s->n == SEAL_MAX_FIELDS)
        return; /* named only in the digest */
    if (s->keep_names)
        snprintf(s->names[s->n], sizeof s->names[0], "%s", name);
    s->fp[s->n++] = fp;
}

/* Ends a related part: one fingerprint for all its rows, on its entry (the last one). */
static void close_related(seal_t *s)
{
    if (s->part >= 2 && s->n > 0)
        s->fp[s->n - 1] = s->part_rows ? (s->part_fnv ^ (s->part_fnv >> 12)) & 0xfffu : FP_EMPTY;
}

void seal_init(seal_t *s, int keep_names)
{
    s->part = s->part_rows = s->n = 0;
    s->part_fnv = 0;
    s->keep_names = keep_names;
    crypto_hash_sha256_init(SHA(s));
}

void seal_part(seal_t *s, const char *table)
{
    close_related(s);
    s->part++;
    put_text(s, table, strlen(table));
    if (s->part >= 2) {
        add_entry(s, table, FP_EMPTY);
        s->part_rows = 0;
        s->part_fnv = 2166136261u;
    }
}

void seal_row(seal_t *s)
{
    static const unsigned char mark[4] = {0xff, 0xff, 0xff, 0xff};
    crypto_hash_sha256_update(SHA(s), mark, 4);
    if (s->part >= 2) {
        s->part_rows++;
        s->part_fnv = fnv(s->part_fnv, "\n", 1);
    }
}

void seal_field(seal_t *s, const char *name, const char *value)
{
    int empty = !value || !*value || (value[0] == '0' && !value[1]);
    size_t nl = strlen(name), vl = empty ? 0 : strlen(value);
    if (!empty) {
        put_text(s, name, nl);
        put_text(s, value, vl);
    }
    if (s->part >= 2) {
        if (!empty) {
            s->part_fnv = fnv(s->part_fnv, name, nl + 1);
            s->part_fnv = fnv(s->part_fnv, value, vl + 1);
        }
        return;
    }
    unsigned fp = FP_EMPTY;
    if (!empty) {
        uint32_t h = fnv(fnv(2166136261u, name, nl + 1), value, vl);
        fp = (h ^ (h >> 12) ^ (h >> 24)) & 0xfffu;
    }
    add_entry(s, name, fp);
}

size_t seal_final(seal_t *s, char *out, size_t n)
{
    close_related(s);
    s->part = 1; /* a second call writes no new fingerprint */
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(SHA(s), h);
    size_t len = 0;
    if (n < 2 + SEAL_DIGEST_CHARS + 2)
        return n ? (out[0] = '\0', 0) : 0;
    out[len++] = '2';
    out[len++] = ':';
    /* 32 bytes: ten groups of 3 (4 characters each), then 2 bytes (3 characters) */
    for (size_t i = 0; i < 32; i += 3) {
        unsigned v = (unsigned)h[i] << 16 | (i + 1 < 32 ? (unsigned)h[i + 1] << 8 : 0) |
                     (i + 2 < 32 ? h[i + 2] : 0);
        int chars = i + 2 < 32 ? 4 : 3;
        for (int k = 0; k < chars; k++)
            out[len++] = b64[(v >> (18 - 6 * k)) & 63];
    }
    out[len++] = ':';
    for (int i = 0; i < s->n && len + 3 < n; i++) {
        if (s->fp[i] == FP_EMPTY) {
            out[len++] = '.';
            out[len++] = '.';
        } else {
            out[len++] = b64[s->fp[i] >> 6];
            out[len++] = b64[s->fp[i] & 63];
        }
    }
    out[len] = '\0';
    return len;
}

int seal_current(const char *state)
{
    return state && state[0] == '2' && state[1] == ':' &&
           strlen(state) >= 2 + SEAL_DIGEST_CHARS + 1 && state[2 + SEAL_DIGEST_CHARS] == ':';
}

int seal_same(const char *state, const char *cur)
{
    /* the digest decides; the fingerprints only name */
    size_t k = 2 + SEAL_DIGEST_CHARS + 1;
    return state && cur && strlen(state) >= k && strlen(cur) >= k && !strncmp(state, cur, k);
}

static int b64val(char c)
{
    const char *p = c ? strchr(b64, c) : NULL;
    return p ? (int)(p - b64) : -1;
}

static void add_out(char *out, size_t n, const char *name)
{
    size_t len = strlen(out);
    snprintf(out + len, n - len, "%s%s", len ? ", " : "", name);
}

void seal_diff(const seal_t *now, const char *state, char *out, size_t n)
{
    out[0] = '\0';
    const char *fps = state ? strchr(state, ':') : NULL;
    fps = fps ? strchr(fps + 1, ':') : NULL;
    fps = fps ? fps + 1 : "";
    size_t have = strlen(fps) / 2;
    /* entry i is column i of the main row (in the table's order: columns are only ever added
     * at the end), then each related table; one sealed before a column was added has fewer */
    for (int i = 0; i < now->n; i++) {
        unsigned old = FP_EMPTY;
        if ((size_t)i < have && fps[2 * i] != '.') {
            int hi = b64val(fps[2 * i]), lo = b64val(fps[2 * i + 1]);
            old = hi < 0 || lo < 0 ? FP_EMPTY - 1 : (unsigned)(hi << 6 | lo);
        }
        if (old != now->fp[i])
            add_out(out, n, now->keep_names ? now->names[i] : "?");
    }
    if (!out[0])
        snprintf(out, n, "(no field named: the digest differs)");
}
