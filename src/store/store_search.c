/* The search index: see store_search.h. SQLite: the contentless FTS5 table search_fts
 * (migration "full-text search"), whose tokenizer is search_sqlite.c. PostgreSQL: not done
 * yet (no FTS5; the plan is a tsvector of the same tokens, docs/search.md): the index is
 * not kept and a query fails with OT_EUNAVAIL search_unavailable (503), so that intake,
 * answers and forwards work on that engine without it (docs/postgresql.md). */
#include "store/store_search.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/search_sqlite.h"
#include "store/store_int.h"

/* Whether this store has no index: the PostgreSQL engine */
static int no_index(store_tx_t *tx)
{
    return strcmp(db_engine(tx->db), "sqlite") != 0;
}

const ot_kk_stemmer_t *store_search_kk(void)
{
    return search_sqlite_kk();
}

/* The text as it is given to the tokenizer: the header (search_sqlite.h) and the text */
#define DOC_OF(lang, path, executor, text)                                                         \
    "char(1) || " lang " || char(2) || " path " || char(2) || coalesce(" executor                  \
    ", 0) || char(1) || " text

int store_search_put(store_tx_t *tx, int64_t id, search_kind_t kind, const char *lang,
                     const char *body, int64_t executor, const char *text, int drop, ot_err_t *err)
{
    if (!text || no_index(tx))
        return OT_OK;
        /* a contentless table takes a row out by being given what it indexed */
#define PATH_OF "coalesce((SELECT path FROM bodies WHERE id = ?3), '')"
    static const char add_sql[] = "INSERT INTO search_fts (rowid, doc)"
                                  " VALUES (?1, " DOC_OF("?2", PATH_OF, "?4", "?5") ")";
    static const char drop_sql[] = "INSERT INTO search_fts (search_fts, rowid, doc)"
                                   " VALUES ('delete', ?1, " DOC_OF("?2", PATH_OF, "?4", "?5") ")";
#undef PATH_OF
    PREPARE(tx, drop ? drop_sql : add_sql);
    db_bind_int64(st, 1, id * 4 + (int64_t)kind);
    db_bind_text(st, 2, lang && strlen(lang) == 2 ? lang : "--");
    db_bind_text(st, 3, body);
    db_bind_int64(st, 4, executor);
    db_bind_text(st, 5, text);
    return db_run(st, NULL, err);
}

int store_search_rebuild(store_tx_t *tx, ot_err_t *err)
{
    if (no_index(tx))
        return OT_OK;
    return db_exec(
        tx->db,
        "INSERT INTO search_fts (search_fts) VALUES ('delete-all');"
        "INSERT INTO search_fts (rowid, doc)"
        " SELECT a.id * 4, " DOC_OF(
            "a.language", "b.path", "a.executor",
            "a.text") " FROM appeals a JOIN bodies b ON b.id = a.body;"
                      "INSERT INTO search_fts (rowid, doc)"
                      " SELECT a.id * 4 + 1, " DOC_OF(
                          "a.language", "b.path", "a.executor",
                          "a.answer_text") " FROM appeals a JOIN bodies b ON b.id = a.body"
                                           " WHERE a.answer_text IS NOT NULL;"
                                           "INSERT INTO search_fts (search_fts) VALUES "
                                           "('optimize');",
        err);
}

int store_search_rebuild_span(store_tx_t *tx, int64_t *next_id, int64_t span, int *done,
                              ot_err_t *err)
{
    *done = 0;
    if (no_index(tx)) {
        *done = 1;
        return OT_OK;
    }
    int rc;
    if (*next_id <= 0) {
        if ((rc =
                 db_exec(tx->db, "INSERT INTO search_fts (search_fts) VALUES ('delete-all')", err)))
            return rc;
        *next_id = 1;
    }
    static const char text_sql[] = "INSERT INTO search_fts (rowid, doc) SELECT a.id * 4, " DOC_OF(
        "a.language", "b.path", "a.executor",
        "a.text") " FROM appeals a JOIN bodies b ON b.id = a.body WHERE a.id >= ? AND a.id < ?";
    static const char answer_sql[] =
        "INSERT INTO search_fts (rowid, doc) SELECT a.id * 4 + 1, " DOC_OF(
            "a.language", "b.path", "a.executor",
            "a.answer_text") " FROM appeals a JOIN bodies b ON b.id = a.body"
                             " WHERE a.id >= ? AND a.id < ? AND a.answer_text IS NOT NULL";
    for (int k = 0; k < 2; k++) {
        PREPARE(tx, k ? answer_sql : text_sql);
        db_bind_int64(st, 1, *next_id);
        db_bind_int64(st, 2, *next_id + span);
        if ((rc = db_run(st, NULL, err)))
            return rc;
    }
    *next_id += span;
    int64_t more = 0;
    {
        PREPARE(tx, "SELECT count(*) FROM (SELECT 1 FROM appeals WHERE id >= ? LIMIT 1)");
        db_bind_int64(st, 1, *next_id);
        if ((rc = db_run(st, &more, err)))
            return rc;
    }
    if (more)
        return OT_OK;
    *done = 1;
    return db_exec(tx->db, "INSERT INTO search_fts (search_fts) VALUES ('optimize')", err);
}

/* q's words as an FTS5 expression: each word a quoted string (our tokenizer turns it into
 * its stems, alternatives of one another), all of them required */
static char *match_of(const ot_query_t *q, const search_filter_t *f)
{
    char scope[300] = "";
    if (f->scope_path)
        snprintf(scope, sizeof scope, " \"" SEARCH_SCOPE_MARK "%s\"", f->scope_path);
    else if (f->executor)
        snprintf(scope, sizeof scope, " \"" SEARCH_EXEC_MARK "%lld\"", (long long)f->executor);
    if (strchr(scope + 2, '"') && strchr(scope + 2, '"')[1]) /* a path with a quote: none */
        scope[0] = '\0';
    size_t n = 1 + strlen(scope);
    for (int i = 0; i < q->n_words; i++)
        n += 2 * strlen(q->word[i]) + 3;
    char *m = malloc(n), *o = m;
    if (!m)
        return NULL;
    for (int i = 0; i < q->n_words; i++) {
        if (i)
            *o++ = ' ';
        *o++ = '"';
        for (const char *c = q->word[i]; *c; c++) {
            if (*c == '"')
                *o++ = '"';
            *o++ = *c;
        }
        *o++ = '"';
    }
    strcpy(o, scope);
    return m;
}

/* the matches ranked: the newest this many in scope (see below) */
#define SEARCH_NEWEST 1000

/* Whether some body lies outside the scope path (else the scope is every body) */
static int scope_narrow(store_tx_t *tx, const char *path, int64_t *outside, ot_err_t *err)
{
    PREPARE(tx, "SELECT count(*) FROM bodies WHERE substr(path, 1, length(?1)) <> ?1");
    db_bind_text(st, 1, path);
    return db_run(st, outside, err);
}

int store_search_query(store_tx_t *tx, const ot_query_t *q, const search_filter_t *f0,
                       int (*fn)(const search_hit_t *h, void *arg), void *arg, ot_err_t *err)
{
    /* a scope of every body (the oblast akimat's head) is no scope: its token would be in
     * every text, and bm25 reads the whole list of each term of the query */
    if (no_index(tx))
        return ot_err(err, OT_EUNAVAIL, "search_unavailable", NULL,
                      "search is not available on the %s engine yet", db_engine(tx->db));
    search_filter_t fs = *f0;
    const search_filter_t *f = &fs;
    int64_t outside = 1;
    if (fs.scope_path) {
        int rc0 = scope_narrow(tx, fs.scope_path, &outside, err);
        if (rc0)
            return rc0;
        if (!outside)
            fs.scope_path = NULL;
    }
    /* Ranking every match of a common word by FTS5's ORDER BY rank costs a rank per match
     * (отопление: 32,000 appeals of the 1,000,000 demo ones, 200 ms), so the ranking is
     * among the SEARCH_NEWEST newest matches: FTS5 walks the matches newest first (by row
     * id: no rank) and BM25 (otinish_rank, search_sqlite.c) is computed for those only,
     * then they are ordered by it. The scope is a term of the FTS5
     * query (the header tokens of search_sqlite.h), so the walk meets only appeals in
     * scope; the join checks it again on the rows of the page. Kinds above SEARCH_ANSWER
     * (problems) are not appeals' rows. */
#define HIT_COLS                                                                                   \
    "SELECT h.r & 3, a.id, a.number, a.status, a.body, a.category, a.registered_on, a.language,"   \
    " CASE h.r & 3 WHEN 1 THEN a.answer_text ELSE a.text END, h.s FROM ("
#define HIT_PAGE                                                                                   \
    " ORDER BY search_fts.rowid DESC LIMIT ?9) h"                                                  \
    " JOIN appeals a ON a.id = h.r >> 2 JOIN bodies b ON b.id = a.body"                            \
    " WHERE (?2 IS NULL OR substr(b.path, 1, length(?2)) = ?2) AND (?3 = 0 OR a.executor = ?3)"    \
    " ORDER BY h.s, h.r DESC LIMIT ?7 OFFSET ?8"
    /* without a filter on the appeal's row the walk reads the index only; the page's rows
     * are checked against the scope again */
    static const char index_only[] =
        HIT_COLS "SELECT search_fts.rowid AS r, otinish_rank(search_fts, ?10) AS s FROM search_fts"
                 " WHERE search_fts MATCH ?1 AND (search_fts.rowid & 3) <= 1"
                 " AND (?6 < 0 OR (search_fts.rowid & 3) = ?6)" HIT_PAGE;
    static const char filtered[] =
        HIT_COLS "SELECT search_fts.rowid AS r, otinish_rank(search_fts, ?10) AS s FROM search_fts"
                 " JOIN appeals a ON a.id = search_fts.rowid >> 2"
                 " WHERE search_fts MATCH ?1 AND (search_fts.rowid & 3) <= 1"
                 " AND (?4 IS NULL OR a.status = ?4) AND (?5 IS NULL OR a.body = ?5)"
                 " AND (?6 < 0 OR (search_fts.rowid & 3) = ?6)" HIT_PAGE;
#undef HIT_COLS
#undef HIT_PAGE
    PREPARE(tx, f->status || f->body ? filtered : index_only);
    char *m = match_of(q, f);
    if (!m)
        return ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
    db_bind_text(st, 1, m);
    db_bind_text(st, 2, f->scope_path);
    db_bind_int64(st, 3, f->executor);
    db_bind_text(st, 4, f->status);
    db_bind_text(st, 5, f->body);
    db_bind_int64(st, 6, f->kind);
    db_bind_int64(st, 7, f->limit > 0 ? f->limit : 20);
    db_bind_int64(st, 8, f->offset);
    db_bind_int64(st, 9, SEARCH_NEWEST);
    db_bind_int64(st, 10, q->n_words); /* the phrases ranked: the words, not the scope */
    int rc, stop = 0;
    while (!stop && (rc = db_step(st, err)) == DB_ROW) {
        search_hit_t h;
        memset(&h, 0, sizeof h);
        h.kind = (search_kind_t)db_col_int64(st, 0);
        h.appeal_id = db_col_int64(st, 1);
        store_copy_col(st, 2, h.number, sizeof h.number);
        store_copy_col(st, 3, h.status, sizeof h.status);
        store_copy_col(st, 4, h.body, sizeof h.body);
        store_copy_col(st, 5, h.category, sizeof h.category);
        store_copy_col(st, 6, h.registered_on, sizeof h.registered_on);
        store_copy_col(st, 7, h.language, sizeof h.language);
        h.text = db_col_text(st, 8);
        h.rank = db_col_double(st, 9);
        stop = fn(&h, arg);
    }
    db_reset(st);
    free(m);
    return rc < 0 ? -rc : OT_OK;
}

/* What the index's tokens depend on: the rules of domain/search_text.c and of the header
 * (raise SEARCH_STEMS_VERSION when they change what a text gives; 2: the scope tokens,
 * 3: their marks printable) and
 * the Kazakh suffix list (hashed, FNV-1a). */
#define SEARCH_STEMS_VERSION 3
static void stems_sig(char out[40])
{
    uint64_t h = 1469598103934665603ull;
    for (const unsigned char *p = (const unsigned char *)ot_data_kk_suffixes; *p; p++)
        h = (h ^ *p) * 1099511628211ull;
    snprintf(out, 40, "%d:%016llx", SEARCH_STEMS_VERSION, (unsigned long long)h);
}

int store_search_stale(store_tx_t *tx, int *stale, ot_err_t *err)
{
    char sig[40], have[40] = "";
    if (no_index(tx)) {
        *stale = 0;
        return OT_OK;
    }
    stems_sig(sig);
    PREPARE(tx, "SELECT value FROM meta WHERE key = 'search_stems'");
    int rc = db_step(st, err);
    if (rc == DB_ROW)
        store_copy_col(st, 0, have, sizeof have);
    db_reset(st);
    if (rc < 0)
        return -rc;
    *stale = !have[0] ? 1 : strcmp(have, sig) ? 2 : 0;
    return OT_OK;
}

int store_search_sync(store_tx_t *tx, ot_err_t *err)
{
    int stale = 0, rc = store_search_stale(tx, &stale, err);
    if (no_index(tx))
        return rc;
    if (!rc && stale == 2)
        rc = store_search_rebuild(tx, err);
    if (rc || !stale)
        return rc;
    char sig[40];
    stems_sig(sig);
    PREPARE(tx, "INSERT INTO meta (key, value) VALUES ('search_stems', ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    db_bind_text(st, 1, sig);
    return db_run(st, NULL, err);
}
