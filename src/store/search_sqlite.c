/* The FTS5 tokenizer "otinish": see search_sqlite.h. */
#include "store/search_sqlite.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "domain/search_text.h"

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

/* one per FTS5 table per connection: a connection is used by one thread at a time */
typedef struct {
    ot_analyzer_t *an;
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
    if (t)
        ot_analyzer_free(t->an);
    free(t);
}

static int tok_tokenize(Fts5Tokenizer *p, void *ctx, int flags, const char *text, int n_text,
                        int (*token)(void *, int, const char *, int, int, int))
{
    tok_t *t = (tok_t *)p;
    size_t n = n_text > 0 ? (size_t)n_text : 0, pos = 0;
    int lang = OT_LANG_ANY;
    if (!(flags & FTS5_TOKENIZE_QUERY) && n >= 4 && text[0] == '\x01' && text[3] == '\x01') {
        char code[3] = {text[1], text[2], '\0'};
        lang = ot_lang_of(code);
        pos = 4;
    }
    ot_word_t w;
    while (ot_next_word(text, n, &pos, &w)) {
        char st[2][OT_WORD_MAX];
        size_t len[2];
        int k = ot_stems(t->an, lang, &w, st, len);
        for (int j = 0; j < k; j++) {
            int rc = token(ctx, j ? FTS5_TOKEN_COLOCATED : 0, st[j], (int)len[j], (int)w.start,
                           (int)w.end);
            if (rc != SQLITE_OK)
                return rc;
        }
    }
    return SQLITE_OK;
}

int search_sqlite_register(sqlite3 *h)
{
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
    return api->xCreateTokenizer(api, "otinish", NULL, &tok, NULL);
}
