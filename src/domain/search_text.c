/* Search text: words, folding, stems, fragments (search_text.h). */
#include "domain/search_text.h"

#include <libstemmer.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- UTF-8 ---- */

/* Decodes one code point at s[*i] (i < n) and advances *i; 0xFFFFFFFF on a bad sequence
 * (then *i moves one byte). */
static uint32_t utf8_next(const unsigned char *s, size_t n, size_t *i)
{
    unsigned char c = s[*i];
    uint32_t cp;
    int more;
    if (c < 0x80) {
        (*i)++;
        return c;
    } else if ((c & 0xE0) == 0xC0) {
        cp = c & 0x1F;
        more = 1;
    } else if ((c & 0xF0) == 0xE0) {
        cp = c & 0x0F;
        more = 2;
    } else if ((c & 0xF8) == 0xF0) {
        cp = c & 0x07;
        more = 3;
    } else {
        (*i)++;
        return 0xFFFFFFFFu;
    }
    if (*i + (size_t)more >= n) {
        (*i)++;
        return 0xFFFFFFFFu;
    }
    for (int k = 1; k <= more; k++) {
        unsigned char d = s[*i + (size_t)k];
        if ((d & 0xC0) != 0x80) {
            (*i)++;
            return 0xFFFFFFFFu;
        }
        cp = (cp << 6) | (d & 0x3F);
    }
    *i += (size_t)more + 1;
    return cp;
}

static size_t utf8_put(uint32_t cp, char *o)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | (cp >> 18));
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

static size_t utf8_chars(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += ((unsigned char)s[i] & 0xC0) != 0x80;
    return c;
}

/* ---- folding and words ---- */

uint32_t ot_fold_cp(uint32_t cp)
{
    if (cp >= 'A' && cp <= 'Z')
        return cp + 32;
    if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7)
        return cp + 32;
    if (cp >= 0x410 && cp <= 0x42F) /* А-Я */
        return cp + 0x20;
    if (cp >= 0x400 && cp <= 0x40F) /* Ѐ-Џ, Ё, І, Ў ... */
        cp += 0x50;
    if (cp == 0x451) /* ё -> е: Russian writes them as one letter */
        return 0x435;
    /* the extended Cyrillic block: upper/lower in pairs, even upper (Ғ Қ Ң Ү Ұ Һ Ә Ө) */
    if ((cp >= 0x460 && cp <= 0x481) || (cp >= 0x48A && cp <= 0x4BF) ||
        (cp >= 0x4D0 && cp <= 0x4FF))
        return cp | 1;
    if (cp >= 0x4C1 && cp <= 0x4CE) /* odd upper */
        return (cp & 1) ? cp + 1 : cp;
    if (cp == 0x4C0)
        return 0x4CF;
    return cp;
}

static int is_word_cp(uint32_t cp)
{
    return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
           (cp >= 0xC0 && cp <= 0xFF && cp != 0xD7 && cp != 0xF7) ||
           (cp >= 0x400 && cp <= 0x4FF && !(cp >= 0x482 && cp <= 0x489));
}

int ot_next_word(const char *text, size_t n, size_t *pos, ot_word_t *w)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t i = *pos;
    for (;;) { /* skip separators */
        if (i >= n) {
            *pos = n;
            return 0;
        }
        size_t at = i;
        uint32_t cp = utf8_next(s, n, &i);
        if (cp != 0xFFFFFFFFu && is_word_cp(cp)) {
            i = at;
            break;
        }
    }
    w->start = i;
    w->len = 0;
    while (i < n) {
        size_t at = i;
        uint32_t cp = utf8_next(s, n, &i);
        if (cp == 0xFFFFFFFFu || !is_word_cp(cp)) {
            i = at;
            break;
        }
        char buf[4];
        size_t k = utf8_put(ot_fold_cp(cp), buf);
        if (w->len + k < OT_WORD_MAX) { /* longer words are cut, still one word */
            memcpy(w->folded + w->len, buf, k);
            w->len += k;
        }
    }
    w->folded[w->len] = '\0';
    w->end = i;
    *pos = i;
    return 1;
}

int ot_word_is_kk(const char *w, size_t len)
{
    const unsigned char *s = (const unsigned char *)w;
    for (size_t i = 0; i < len;) {
        uint32_t cp = utf8_next(s, len, &i);
        if (cp == 0x4D9 || cp == 0x493 || cp == 0x49B || cp == 0x4A3 || cp == 0x4E9 ||
            cp == 0x4B1 || cp == 0x4AF || cp == 0x4BB || cp == 0x456)
            return 1;
    }
    return 0;
}

/* whether a folded word is all letters of the Cyrillic block (stemmed) */
static int is_cyrillic(const char *w, size_t len)
{
    const unsigned char *s = (const unsigned char *)w;
    for (size_t i = 0; i < len;) {
        uint32_t cp = utf8_next(s, len, &i);
        if (cp < 0x400 || cp > 0x4FF)
            return 0;
    }
    return len > 0;
}

/* ---- the Kazakh stemmer ---- */

typedef struct {
    char s[32];
    size_t len, chars;
} suffix_t;

typedef struct {
    char name[32];
    suffix_t *suf; /* longest first */
    size_t n;
} group_t;

struct ot_kk_stemmer {
    size_t min_stem;
    uint32_t vowels[32];
    size_t n_vowels;
    group_t *g;
    size_t n_g;
};

void ot_kk_stemmer_free(ot_kk_stemmer_t *k)
{
    if (!k)
        return;
    for (size_t i = 0; i < k->n_g; i++)
        free(k->g[i].suf);
    free(k->g);
    free(k);
}

static int by_len_desc(const void *a, const void *b)
{
    const suffix_t *x = a, *y = b;
    return x->len < y->len ? 1 : x->len > y->len ? -1 : 0;
}

static group_t *group_named(ot_kk_stemmer_t *k, const char *name)
{
    for (size_t i = 0; i < k->n_g; i++)
        if (!strcmp(k->g[i].name, name))
            return &k->g[i];
    group_t *g = realloc(k->g, (k->n_g + 1) * sizeof *g);
    if (!g)
        return NULL;
    k->g = g;
    g = &k->g[k->n_g++];
    memset(g, 0, sizeof *g);
    snprintf(g->name, sizeof g->name, "%s", name);
    return g;
}

ot_kk_stemmer_t *ot_kk_stemmer_parse(const char *text, char *msg, size_t n)
{
    ot_kk_stemmer_t *k = calloc(1, sizeof *k);
    if (!k) {
        snprintf(msg, n, "out of memory");
        return NULL;
    }
    k->min_stem = 2;
    int line = 0;
    const char *p = text;
    while (*p) {
        line++;
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        char buf[1024];
        if (len >= sizeof buf) {
            snprintf(msg, n, "line %d: too long", line);
            goto bad;
        }
        memcpy(buf, p, len);
        buf[len] = '\0';
        p += len + (e != NULL);
        char *hash = strchr(buf, '#');
        if (hash)
            *hash = '\0';
        char *save = NULL, *key = strtok_r(buf, " \t\r", &save);
        if (!key)
            continue;
        if (!strcmp(key, "min_stem")) {
            char *v = strtok_r(NULL, " \t\r", &save);
            long m = v ? strtol(v, NULL, 10) : 0;
            if (m < 1 || m > 10) {
                snprintf(msg, n, "line %d: min_stem is 1..10", line);
                goto bad;
            }
            k->min_stem = (size_t)m;
            continue;
        }
        if (!strcmp(key, "vowels")) {
            for (char *v; (v = strtok_r(NULL, " \t\r", &save));) {
                size_t i = 0;
                uint32_t cp = utf8_next((const unsigned char *)v, strlen(v), &i);
                if (k->n_vowels < sizeof k->vowels / sizeof k->vowels[0])
                    k->vowels[k->n_vowels++] = ot_fold_cp(cp);
            }
            continue;
        }
        if (strlen(key) >= sizeof k->g[0].name) {
            snprintf(msg, n, "line %d: group name too long", line);
            goto bad;
        }
        group_t *g = group_named(k, key);
        if (!g) {
            snprintf(msg, n, "out of memory");
            goto bad;
        }
        int any = 0;
        for (char *v; (v = strtok_r(NULL, " \t\r", &save)); any = 1) {
            size_t vl = strlen(v);
            if (vl >= sizeof g->suf[0].s) {
                snprintf(msg, n, "line %d: suffix too long", line);
                goto bad;
            }
            suffix_t *s = realloc(g->suf, (g->n + 1) * sizeof *s);
            if (!s) {
                snprintf(msg, n, "out of memory");
                goto bad;
            }
            g->suf = s;
            memcpy(s[g->n].s, v, vl + 1);
            s[g->n].len = vl;
            s[g->n].chars = utf8_chars(v, vl);
            g->n++;
        }
        if (!any) {
            snprintf(msg, n, "line %d: group %s lists no suffix", line, key);
            goto bad;
        }
    }
    for (size_t i = 0; i < k->n_g; i++)
        qsort(k->g[i].suf, k->g[i].n, sizeof k->g[i].suf[0], by_len_desc);
    return k;
bad:
    ot_kk_stemmer_free(k);
    return NULL;
}

static int has_vowel(const ot_kk_stemmer_t *k, const char *w, size_t len)
{
    if (!k->n_vowels)
        return 1;
    for (size_t i = 0; i < len;) {
        uint32_t cp = utf8_next((const unsigned char *)w, len, &i);
        for (size_t v = 0; v < k->n_vowels; v++)
            if (k->vowels[v] == cp)
                return 1;
    }
    return 0;
}

size_t ot_kk_stem(const ot_kk_stemmer_t *k, const char *w, size_t len, char *out)
{
    if (len >= OT_WORD_MAX - 1)
        len = OT_WORD_MAX - 2;
    memcpy(out, w, len);
    out[len] = '\0';
    if (!k)
        return len;
    size_t chars = utf8_chars(out, len);
    for (size_t gi = 0; gi < k->n_g; gi++) {
        const group_t *g = &k->g[gi];
        for (size_t si = 0; si < g->n; si++) {
            const suffix_t *s = &g->suf[si];
            if (s->len >= len || chars - s->chars < k->min_stem ||
                memcmp(out + len - s->len, s->s, s->len) || !has_vowel(k, out, len - s->len))
                continue;
            len -= s->len;
            chars -= s->chars;
            out[len] = '\0';
            break; /* one suffix per group */
        }
    }
    return len;
}

/* ---- the analyzer ---- */

struct ot_analyzer {
    struct sb_stemmer *ru;
    const ot_kk_stemmer_t *kk;
};

ot_analyzer_t *ot_analyzer_new(const ot_kk_stemmer_t *kk)
{
    ot_analyzer_t *a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    a->ru = sb_stemmer_new("russian", "UTF_8");
    if (!a->ru) {
        free(a);
        return NULL;
    }
    a->kk = kk;
    return a;
}

void ot_analyzer_free(ot_analyzer_t *a)
{
    if (!a)
        return;
    sb_stemmer_delete(a->ru);
    free(a);
}

int ot_lang_of(const char *code)
{
    if (code && !strcmp(code, "kk"))
        return OT_LANG_KK;
    if (code && !strcmp(code, "ru"))
        return OT_LANG_RU;
    return OT_LANG_ANY;
}

static size_t ru_stem(ot_analyzer_t *a, const char *w, size_t len, char *out)
{
    const sb_symbol *s = sb_stemmer_stem(a->ru, (const sb_symbol *)w, (int)len);
    int n = s ? sb_stemmer_length(a->ru) : -1;
    if (n <= 0 || n >= OT_WORD_MAX) { /* out of memory: the word itself */
        memcpy(out, w, len);
        n = (int)len;
    } else
        memcpy(out, s, (size_t)n);
    out[n] = '\0';
    return (size_t)n;
}

/* A Kazakh stem carries OT_KK_MARK before it, so that it never equals a Russian stem of
 * another word (жылы, Kazakh "warm", is жыл; жылу, "heat", is жыл to the Russian stemmer) */
static size_t kk_stem_marked(ot_analyzer_t *a, const ot_word_t *w, char *out)
{
    size_t m = strlen(OT_KK_MARK);
    size_t n = ot_kk_stem(a->kk, w->folded, w->len, out + m);
    if (m + n >= OT_WORD_MAX)
        n = OT_WORD_MAX - 1 - m;
    memcpy(out, OT_KK_MARK, m);
    out[m + n] = '\0';
    return m + n;
}

int ot_stems(ot_analyzer_t *a, int lang, const ot_word_t *w, char out[2][OT_WORD_MAX],
             size_t len[2])
{
    if (!is_cyrillic(w->folded, w->len)) { /* numbers, Latin: whole */
        memcpy(out[0], w->folded, w->len + 1);
        len[0] = w->len;
        return 1;
    }
    if (lang == OT_LANG_KK || ot_word_is_kk(w->folded, w->len)) {
        len[0] = kk_stem_marked(a, w, out[0]);
        return 1;
    }
    len[0] = ru_stem(a, w->folded, w->len, out[0]);
    if (lang == OT_LANG_RU)
        return 1;
    len[1] = kk_stem_marked(a, w, out[1]);
    return 2;
}

int ot_query_parse(ot_analyzer_t *a, const char *text, size_t n, ot_query_t *q)
{
    memset(q, 0, sizeof *q);
    size_t pos = 0;
    ot_word_t w;
    while (q->n_words < OT_QUERY_WORDS && ot_next_word(text, n, &pos, &w)) {
        int dup = 0;
        for (int i = 0; i < q->n_words && !dup; i++)
            dup = !strcmp(q->word[i], w.folded);
        if (dup)
            continue;
        memcpy(q->word[q->n_words++], w.folded, w.len + 1);
        char st[2][OT_WORD_MAX];
        size_t sl[2];
        int k = ot_stems(a, OT_LANG_ANY, &w, st, sl);
        for (int j = 0; j < k; j++) {
            int seen = 0;
            for (int i = 0; i < q->n_stems && !seen; i++)
                seen = !strcmp(q->stem[i], st[j]);
            if (!seen)
                memcpy(q->stem[q->n_stems++], st[j], sl[j] + 1);
        }
    }
    return q->n_words;
}

static int word_hits(ot_analyzer_t *a, int lang, const ot_word_t *w, const ot_query_t *q)
{
    char st[2][OT_WORD_MAX];
    size_t sl[2];
    int k = ot_stems(a, lang, w, st, sl);
    for (int j = 0; j < k; j++)
        for (int i = 0; i < q->n_stems; i++)
            if (!strcmp(q->stem[i], st[j]))
                return 1;
    return 0;
}

int ot_fragment(ot_analyzer_t *a, int lang, const char *text, size_t n, const ot_query_t *q,
                int words, void (*fn)(const char *s, size_t len, int hit, void *arg), void *arg)
{
    if (words < 1)
        words = 1;
    /* the first matched word, and the word LEAD words before it */
    enum { LEAD = 8 };
    size_t ring[LEAD + 1];
    int seen = 0, found = 0;
    size_t pos = 0, from = 0;
    ot_word_t w;
    while (ot_next_word(text, n, &pos, &w)) {
        ring[seen % (LEAD + 1)] = w.start;
        seen++;
        if (word_hits(a, lang, &w, q)) {
            found = 1;
            from = seen > LEAD ? ring[(seen - 1 - LEAD) % (LEAD + 1)] : 0;
            break;
        }
    }
    if (!found)
        from = 0;
    if (from > 0)
        fn("…", strlen("…"), 0, arg);
    /* from `from`, `words` words, the hits marked; the text between words as is */
    pos = from;
    size_t done = from;
    int count = 0, hits = 0;
    while (count < words && ot_next_word(text, n, &pos, &w)) {
        count++;
        if (word_hits(a, lang, &w, q)) {
            if (w.start > done)
                fn(text + done, w.start - done, 0, arg);
            fn(text + w.start, w.end - w.start, 1, arg);
            done = w.end;
            hits++;
        }
    }
    size_t end = count < words ? n : pos;
    if (end > done)
        fn(text + done, end - done, 0, arg);
    if (end < n) {
        size_t rest = end;
        if (ot_next_word(text, n, &rest, &w))
            fn("…", strlen("…"), 0, arg);
    }
    return hits;
}
