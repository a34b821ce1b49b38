/* The FTS5 tokenizer "otinish": see search_sqlite.h. */
#include "store/search_sqlite.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/search_text.h"
#include "domain/text.h"

/* The Kazakh suffix list, parsed once per process from the copy compiled into the binary;
 * read only afterwards, shared by every tokenizer */
static ot_kk_stemmer_t *kk_list;
static pthread_once_t kk_once = PTHREAD_ONCE_INIT;

static void kk_load(void)
{
    char msg[128];
    kk_list = ot_kk_stemmer_parse(ot_data_kk_suffixes, msg, sizeof msg);
}

const ot_kk_stemmer_t *search_sqlite_kk(void)
{
    pthread_once(&kk_once, kk_load);
    return kk_list;
}

/* The stems of the words last seen, by (language, folded word): a document's words repeat
 * across documents (a bulk rebuild tokenizes every appeal's text and answer, init --demo's
 * from a few hundred templates), and stemming them again was most of the tokenizer's cost.
 * Direct-mapped; words of STEM_KEY bytes or more are stemmed every time. Made on the first
 * document (not for queries), so only a connection that writes the index holds one. */
#define STEM_SLOTS 4096
#define STEM_KEY   48
typedef struct {
    uint8_t lang, klen, k, len[2];
    char key[STEM_KEY], st[2][STEM_KEY];
} stem_memo_t;

/* one per FTS5 table per connection: a connection is used by one thread at a time */
typedef struct {
    ot_analyzer_t *an;
    stem_memo_t *memo; /* STEM_SLOTS, or NULL */
} tok_t;

static int tok_create(void *ctx, const char **args, int n_args, Fts5Tokenizer **out)
{
    (void)ctx;
    (void)args;
    (void)n_args;
    pthread_once(&kk_once, kk_load);
    if (!kk_list)
        return SQLITE_ERROR; /* the compiled-in list does not parse: the build is broken */
    tok_t *t = calloc(1, sizeof *t);
    if (!t)
        return SQLITE_NOMEM;
    t->an = ot_analyzer_new(kk_list);
    if (!t->an) {
        free(t);
        return SQLITE_NOMEM;
    }
    *out = (Fts5Tokenizer *)t;
    return SQLITE_OK;
}

static void tok_delete(Fts5Tokenizer *p)
{
    tok_t *t = (tok_t *)p;
    if (t) {
        ot_analyzer_free(t->an);
        free(t->memo);
    }
    free(t);
}

/* ot_stems through t's memo (see stem_memo_t) */
static int stems_of(tok_t *t, int lang, const ot_word_t *w, char out[2][OT_WORD_MAX], size_t len[2])
{
    if (!t->memo || w->len >= STEM_KEY)
        return ot_stems(t->an, lang, w, out, len);
    uint32_t h = 2166136261u ^ (uint32_t)lang; /* FNV-1a */
    for (size_t i = 0; i < w->len; i++)
        h = (h ^ (uint8_t)w->folded[i]) * 16777619u;
    stem_memo_t *m = &t->memo[h % STEM_SLOTS];
    if (m->k && m->lang == (uint8_t)lang && m->klen == w->len &&
        !memcmp(m->key, w->folded, w->len)) {
        for (int j = 0; j < m->k; j++) {
            memcpy(out[j], m->st[j], m->len[j]);
            out[j][m->len[j]] = '\0';
            len[j] = m->len[j];
        }
        return m->k;
    }
    int k = ot_stems(t->an, lang, w, out, len);
    m->k = 0; /* kept only when every stem fits */
    for (int j = 0; j < k; j++)
        if (len[j] >= STEM_KEY)
            return k;
    for (int j = 0; j < k; j++) {
        memcpy(m->st[j], out[j], len[j]);
        m->len[j] = (uint8_t)len[j];
    }
    memcpy(m->key, w->folded, w->len);
    m->klen = (uint8_t)w->len;
    m->lang = (uint8_t)lang;
    m->k = (uint8_t)k;
    return k;
}

/* The scope tokens of a document's header: one per level of its body's path
 * (SEARCH_SCOPE_MARK "vko/", "vko/ridder/", ...) and its executor (SEARCH_EXEC_MARK "42") */
static int scope_tokens(void *ctx, int (*token)(void *, int, const char *, int, int, int),
                        const char *path, size_t n, const char *exec, size_t en)
{
    char buf[512];
    for (size_t i = 0; i < n && i + 1 < sizeof buf; i++)
        if (path[i] == '/') {
            buf[0] = SEARCH_SCOPE_MARK[0];
            memcpy(buf + 1, path, i + 1);
            int rc = token(ctx, 0, buf, (int)i + 2, 0, 0);
            if (rc != SQLITE_OK)
                return rc;
        }
    if (en && en + 1 < sizeof buf && !(en == 1 && exec[0] == '0')) {
        buf[0] = SEARCH_EXEC_MARK[0];
        memcpy(buf + 1, exec, en);
        return token(ctx, 0, buf, (int)en + 1, 0, 0);
    }
    return SQLITE_OK;
}

static int tok_tokenize(Fts5Tokenizer *p, void *ctx, int flags, const char *text, int n_text,
                        int (*token)(void *, int, const char *, int, int, int))
{
    tok_t *t = (tok_t *)p;
    size_t n = n_text > 0 ? (size_t)n_text : 0, pos = 0;
    int lang = OT_LANG_ANY;
    if (flags & FTS5_TOKENIZE_QUERY) {
        /* a scope token of the query (store_search.c) is one token, as it is */
        if (n && (text[0] == SEARCH_SCOPE_MARK[0] || text[0] == SEARCH_EXEC_MARK[0]))
            return token(ctx, 0, text, (int)n, 0, (int)n);
    } else if (!t->memo)
        t->memo = calloc(STEM_SLOTS, sizeof *t->memo); /* NULL: no memo, stemmed each time */
    if (!(flags & FTS5_TOKENIZE_QUERY) && n >= 4 && text[0] == '\x01') {
        /* the header: U+0001 lang [U+0002 body path U+0002 executor] U+0001 */
        const char *end = memchr(text + 1, '\x01', n - 1);
        if (end) {
            size_t hn = (size_t)(end - text - 1);
            const char *h = text + 1, *f1 = memchr(h, '\x02', hn);
            char code[3] = {h[0], hn > 1 ? h[1] : '\0', '\0'};
            lang = ot_lang_of(code);
            if (f1) {
                const char *path = f1 + 1, *f2 = memchr(path, '\x02', (size_t)(h + hn - path));
                size_t pn = f2 ? (size_t)(f2 - path) : (size_t)(h + hn - path);
                const char *ex = f2 ? f2 + 1 : h + hn;
                int rc = scope_tokens(ctx, token, path, pn, ex, (size_t)(h + hn - ex));
                if (rc != SQLITE_OK)
                    return rc;
            }
            pos = (size_t)(end - text) + 1;
        }
    }
    ot_word_t w;
    while (ot_next_word(text, n, &pos, &w)) {
        char st[2][OT_WORD_MAX];
        size_t len[2];
        int k = stems_of(t, lang, &w, st, len);
        for (int j = 0; j < k; j++) {
            int rc = token(ctx, j ? FTS5_TOKEN_COLOCATED : 0, st[j], (int)len[j], (int)w.start,
                           (int)w.end);
            if (rc != SQLITE_OK)
                return rc;
        }
    }
    return SQLITE_OK;
}

/* otinish_rank(search_fts, n): BM25 (k1 1.2, b 0.75) over the first n phrases of the query
 * (its words; the scope term after them is left out), negated like FTS5's bm25 (lower is
 * better). Every word of a query is required, so every hit holds every word and the words'
 * inverse document frequencies would only weigh their repetitions against each other: they
 * are taken as equal, which spares the scan of every word's whole posting list that FTS5's
 * bm25 makes per query (16 ms of a 25 ms search at 1,000,000 appeals, most of it for the
 * scope term). The average length is computed once per query. */
typedef struct rank_aux {
    double avgdl;
} rank_aux_t;

static void rank_fn(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx, int n_val,
                    sqlite3_value **val)
{
    int n = n_val > 0 ? sqlite3_value_int(val[0]) : 0;
    rank_aux_t *aux = api->xGetAuxdata(fts, 0);
    if (!aux) {
        sqlite3_int64 rows = 0, toks = 0;
        aux = sqlite3_malloc(sizeof *aux);
        if (!aux || api->xRowCount(fts, &rows) != SQLITE_OK ||
            api->xColumnTotalSize(fts, -1, &toks) != SQLITE_OK) {
            sqlite3_free(aux);
            sqlite3_result_error_code(ctx, SQLITE_NOMEM);
            return;
        }
        aux->avgdl = rows > 0 ? (double)toks / (double)rows : 1.0;
        if (aux->avgdl <= 0)
            aux->avgdl = 1.0;
        if (api->xSetAuxdata(fts, aux, sqlite3_free) != SQLITE_OK) {
            sqlite3_result_error_code(ctx, SQLITE_NOMEM);
            return;
        }
    }
    double tf[OT_QUERY_WORDS] = {0};
    if (n > OT_QUERY_WORDS)
        n = OT_QUERY_WORDS;
    int n_inst = 0, dl = 0;
    if (api->xInstCount(fts, &n_inst) != SQLITE_OK || api->xColumnSize(fts, -1, &dl) != SQLITE_OK) {
        sqlite3_result_error_code(ctx, SQLITE_ERROR);
        return;
    }
    for (int i = 0; i < n_inst; i++) {
        int phrase, col, off;
        if (api->xInst(fts, i, &phrase, &col, &off) == SQLITE_OK && phrase >= 0 && phrase < n)
            tf[phrase] += 1;
    }
    const double k1 = 1.2, b = 0.75;
    double score = 0, norm = k1 * (1 - b + b * (double)dl / aux->avgdl);
    for (int p = 0; p < n; p++)
        score += tf[p] * (k1 + 1) / (tf[p] + norm);
    sqlite3_result_double(ctx, -score);
}

/* otinish_mask(text): the text with its personal data masked (text_mask_personal) */
static void mask_fn(sqlite3_context *ctx, int n_val, sqlite3_value **val)
{
    const char *t = n_val > 0 ? (const char *)sqlite3_value_text(val[0]) : NULL;
    if (!t) {
        sqlite3_result_null(ctx);
        return;
    }
    size_t n = strlen(t);
    char *out = sqlite3_malloc64(n + 1);
    if (!out) {
        sqlite3_result_error_nomem(ctx);
        return;
    }
    text_mask_personal(t, n, out, n + 1);
    sqlite3_result_text(ctx, out, -1, sqlite3_free);
}

int search_sqlite_register(sqlite3 *h)
{
    int rc0 = sqlite3_create_function(h, "otinish_mask", 1,
                                      SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
                                      mask_fn, NULL, NULL);
    if (rc0 != SQLITE_OK)
        return rc0;
    fts5_api *api = NULL;
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(h, "SELECT fts5(?1)", -1, &st, NULL);
    if (rc != SQLITE_OK)
        return rc;
    sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
    sqlite3_step(st);
    rc = sqlite3_finalize(st);
    if (rc != SQLITE_OK || !api)
        return rc != SQLITE_OK ? rc : SQLITE_ERROR;
    static fts5_tokenizer tok = {tok_create, tok_delete, tok_tokenize};
    rc = api->xCreateTokenizer(api, "otinish", NULL, &tok, NULL);
    if (rc == SQLITE_OK)
        rc = api->xCreateFunction(api, "otinish_rank", NULL, rank_fn, NULL);
    return rc;
}
