#include "domain/seal.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

_Static_assert(sizeof(crypto_hash_sha256_state) <= sizeof(((seal_t *)0)->sha),
               "seal_t.sha too small");

#define SHA(s) ((crypto_hash_sha256_state *)(void *)(s)->sha)

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

static unsigned name_bits(const char *name)
{
    return (fnv(2166136261u, name, strlen(name)) & 0xffu) << 16;
}

static void add_name(seal_t *s, const char *name, int present, unsigned fp)
{
    if (s->n == SEAL_MAX_FIELDS)
        return; /* named only in the digest */
    snprintf(s->names[s->n], sizeof s->names[0], "%s", name);
    s->present[s->n] = present;
    s->fp[s->n++] = fp;
}

/* Ends a related part: one fingerprint for all its rows, on its entry (the last one). */
static void close_related(seal_t *s)
{
    if (s->part >= 2 && s->n > 0) {
        s->present[s->n - 1] = s->part_rows > 0;
        s->fp[s->n - 1] = name_bits(s->names[s->n - 1]) | (s->part_fnv & 0xffffu);
    }
}

void seal_init(seal_t *s)
{
    memset(s, 0, sizeof *s);
    crypto_hash_sha256_init(SHA(s));
}

void seal_part(seal_t *s, const char *table)
{
    close_related(s);
    s->part++;
    put_text(s, table, strlen(table));
    if (s->part >= 2) {
        add_name(s, table, 0, 0);
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
    int empty = !value || !*value || !strcmp(value, "0");
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
    unsigned fp = 0;
    if (!empty) {
        uint32_t h = fnv(2166136261u, name, nl + 1);
        fp = name_bits(name) | (fnv(h, value, vl) & 0xffffu);
    }
    add_name(s, name, !empty, fp);
}

size_t seal_final(seal_t *s, char *out, size_t n)
{
    close_related(s);
    s->part = 1; /* a second call writes no new fingerprint */
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(SHA(s), h);
    static const char hex[] = "0123456789abcdef";
    size_t len = 0;
    if (n < 2 + 2 * sizeof h + 2)
        return out && n ? (out[0] = '\0', 0) : 0;
    out[len++] = '1';
    out[len++] = ':';
    for (size_t i = 0; i < sizeof h; i++) {
        out[len++] = hex[h[i] >> 4];
        out[len++] = hex[h[i] & 15];
    }
    out[len++] = ':';
    for (int i = 0; i < s->n && len + 7 < n; i++)
        if (s->present[i])
            len += (size_t)snprintf(out + len, n - len, "%06x", s->fp[i] & 0xffffffu);
    out[len] = '\0';
    return len;
}

int seal_same(const char *state, const char *cur)
{
    /* the digest decides; the fingerprints only name */
    return state && cur && !strncmp(state, cur, 2 + SEAL_DIGEST_HEX + 1) &&
           strlen(state) >= 2 + SEAL_DIGEST_HEX;
}

static void add_out(char *out, size_t n, const char *name)
{
    size_t len = strlen(out);
    /* once */
    const char *p = out;
    size_t nl = strlen(name);
    while ((p = strstr(p, name))) {
        if ((p == out || p[-1] == ' ') && (p[nl] == ',' || p[nl] == '\0'))
            return;
        p += nl;
    }
    snprintf(out + len, n - len, "%s%s", len ? ", " : "", name);
}

void seal_diff(const seal_t *now, const char *state, char *out, size_t n)
{
    out[0] = '\0';
    unsigned old[SEAL_MAX_FIELDS];
    int used[SEAL_MAX_FIELDS] = {0}, n_old = 0;
    const char *fps = state ? strchr(state, ':') : NULL;
    fps = fps ? strchr(fps + 1, ':') : NULL;
    for (const char *p = fps ? fps + 1 : ""; n_old < SEAL_MAX_FIELDS && strlen(p) >= 6; p += 6) {
        unsigned v = 0;
        if (sscanf(p, "%6x", &v) != 1)
            break;
        old[n_old++] = v;
    }
    /* fields that are not what they were, or came */
    for (int i = 0; i < now->n; i++) {
        if (!now->present[i])
            continue;
        int k = 0;
        while (k < n_old && (used[k] || old[k] != now->fp[i]))
            k++;
        if (k < n_old)
            used[k] = 1;
        else
            add_out(out, n, now->names[i]);
    }
    /* fingerprints left over: a field that changed (named above) or went */
    for (int k = 0; k < n_old; k++) {
        if (used[k])
            continue;
        int named = 0;
        for (int i = 0; i < now->n && !named; i++)
            if ((now->fp[i] >> 16) == (old[k] >> 16) && now->present[i] &&
                strstr(out, now->names[i]))
                named = 1;
        for (int i = 0; i < now->n && !named; i++)
            if (!now->present[i] && (name_bits(now->names[i]) >> 16) == (old[k] >> 16)) {
                add_out(out, n, now->names[i]);
                named = 1;
            }
        if (!named)
            add_out(out, n, "(a field no longer in the table)");
    }
    if (!out[0])
        snprintf(out, n, "(no field named: the digest differs)");
}
