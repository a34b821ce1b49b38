/* The search index: see store_search.h. SQLite: the contentless FTS5 table search_fts
 * (migration "full-text search"), whose tokenizer is search_sqlite.c. PostgreSQL: the table
 * search_doc, one tsvector per text with a GIN index, whose lexemes are the same tokens,
 * made here by the same C code (domain/search_text.h: words, folding, stems; the scope
 * tokens of search_sqlite.h), so that both engines find the same texts (docs/search.md). */
#include "store/store_search.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/text.h"
#include "store/search_sqlite.h"
#include "store/store_int.h"
#include "util/str.h"

/* What a problem's text in the index is: its title (the first appeal's text, cut), the
 * personal data in it masked as the problems list shows it (an executor finds no problem by
 * a phone number he may not read), then its address. The SQLite twin is PROBLEM_DOC_SQL. */
static char *problem_doc(const char *title, const char *address)
{
    size_t tn = strlen(title ? title : ""), an = strlen(address ? address : "");
    char *out = malloc(tn + an + 2);
    if (!out)
        return NULL;
    text_mask_personal(title ? title : "", tn, out, tn + 1);
    size_t k = strlen(out);
    out[k++] = '\n';
    memcpy(out + k, address ? address : "", an + 1);
    return out;
}

/* ==== PostgreSQL: the tokens as a tsvector, the query as a tsquery ==== */

typedef struct sbuf {
    char *p;
    size_t n, cap;
    int oom;
} sbuf_t;

static void sb_add(sbuf_t *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 256;
        while (cap < b->n + n + 1)
            cap *= 2;
        char *q = realloc(b->p, cap);
        if (!q) {
            b->oom = 1;
            return;
        }
        b->p = q;
        b->cap = cap;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
}

static void sb_str(sbuf_t *b, const char *s)
{
    sb_add(b, s, strlen(s));
}

/* a lexeme quoted for tsvector and tsquery input: ' doubled, \ escaped */
static void sb_lex(sbuf_t *b, const char *s, size_t n)
{
    sb_add(b, "'", 1);
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\'' || s[i] == '\\')
            sb_add(b, s[i] == '\'' ? "'" : "\\", 1);
        sb_add(b, s + i, 1);
    }
    sb_add(b, "'", 1);
}

/* The tsvector of a text: the stems of its words at their positions (colocated stems at one
 * position) and the scope tokens of search_sqlite.h, without positions: one per level of
 * path, and SEARCH_EXEC_MARK exec unless exec is "0" or "" */
static int pg_tsvector(ot_analyzer_t *an, const char *lang, const char *path, const char *exec,
                       const char *text, sbuf_t *b)
{
    char tok[512];
    for (size_t i = 0; path && path[i]; i++)
        if (path[i] == '/' && i + 2 < sizeof tok) {
            tok[0] = SEARCH_SCOPE_MARK[0];
            memcpy(tok + 1, path, i + 1);
            sb_add(b, " ", 1);
            sb_lex(b, tok, i + 2);
        }
    if (exec && *exec && strcmp(exec, "0")) {
        snprintf(tok, sizeof tok, SEARCH_EXEC_MARK "%s", exec);
        sb_add(b, " ", 1);
        sb_lex(b, tok, strlen(tok));
    }
    int l = ot_lang_of(lang && strlen(lang) == 2 ? lang : "--");
    size_t n = strlen(text), pos = 0;
    int at = 0;
    ot_word_t w;
    while (ot_next_word(text, n, &pos, &w)) {
        char st[2][OT_WORD_MAX];
        size_t len[2];
        int k = ot_stems(an, l, &w, st, len);
        if (at < 16383) /* the largest position of a tsvector */
            at++;
        char p[16];
        snprintf(p, sizeof p, ":%d", at);
        for (int j = 0; j < k; j++) {
            sb_add(b, " ", 1);
            sb_lex(b, st[j], len[j]);
            sb_str(b, p);
        }
    }
    return b->oom ? -1 : 0;
}

/* The spans of a row id, for the walk of the newest matches (pg_newest): r >> 12, >> 16 and
 * >> 20 (1,024, 16,384 and 262,144 ids of each kind), each a lexeme of SPAN_MARK, the shift
 * and the span's number ("%12:102"), which no word gives (a word is letters and digits).
 * Migration 71 wrote the same lexemes in SQL for the texts before it: other shifts or another
 * mark need a migration that writes them again. */
#define SPAN_MARK   "%"
#define SPAN_LEVELS 3
static const int span_shift[SPAN_LEVELS] = {12, 16, 20};

static void sb_span(sbuf_t *b, int level, int64_t n)
{
    char tok[48];
    snprintf(tok, sizeof tok, "%s%d:%lld", SPAN_MARK, span_shift[level], (long long)n);
    sb_lex(b, tok, strlen(tok));
}

/* an analyzer for one write (libstemmer's stemmer is not thread-safe: one per use) */
static ot_analyzer_t *analyzer(void)
{
    const ot_kk_stemmer_t *kk = store_search_kk();
    return kk ? ot_analyzer_new(kk) : NULL;
}

/* an: the caller's analyzer (a rebuild reuses one), NULL for one of its own. The scope
 * tokens come from path, or, with path NULL, from the path of body, read by the INSERT
 * itself (PG_SCOPE_OF): the intake's texts cost no statement and no round trip of their own
 * for it (issue 19 point 7). tsvector || tsvector shifts only the right side's positions, and
 * scope tokens have none, so the value is the one pg_tsvector makes with the path. */
#define PG_SCOPE_OF                                                                                \
    "coalesce((SELECT array_to_tsvector(array_agg('" SEARCH_SCOPE_MARK "' || left(b.path, i)))"    \
    " FROM bodies b, generate_series(1, length(b.path)) i"                                         \
    " WHERE b.id = ? AND substr(b.path, i, 1) = '/'), CAST('' AS tsvector))"
static int pg_put_in(store_tx_t *tx, ot_analyzer_t *an, int64_t r, const char *lang,
                     const char *path, const char *body, const char *exec, const char *text,
                     ot_err_t *err)
{
    sbuf_t b = {0};
    sb_str(&b, "");
    ot_analyzer_t *own = an ? NULL : analyzer();
    int bad = !(an || own) || pg_tsvector(an ? an : own, lang, path, exec, text, &b);
    for (int i = 0; i < SPAN_LEVELS && !bad; i++) {
        sb_add(&b, " ", 1);
        sb_span(&b, i, r >> span_shift[i]);
    }
    bad = bad || b.oom;
    ot_analyzer_free(own);
    if (bad) {
        free(b.p);
        return ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
    }
    db_stmt_t *st = db_prepare(
        tx->db,
        path ? "INSERT INTO search_doc (r, tsv) VALUES (?, CAST(? AS tsvector))"
               " ON CONFLICT (r) DO UPDATE SET tsv = excluded.tsv"
             : "INSERT INTO search_doc (r, tsv) VALUES (?, CAST(? AS tsvector) || " PG_SCOPE_OF
               ") ON CONFLICT (r) DO UPDATE SET tsv = excluded.tsv",
        err);
    if (!st) {
        free(b.p);
        return err ? err->status : OT_EINTERNAL;
    }
    db_bind_int64(st, 1, r);
    db_bind_text(st, 2, b.p);
    if (!path)
        db_bind_text(st, 3, body);
    int rc = db_send(st, err);
    free(b.p);
    return rc;
}

static int pg_put(store_tx_t *tx, ot_analyzer_t *an, int64_t r, const char *lang, const char *path,
                  const char *exec, const char *text, ot_err_t *err)
{
    return pg_put_in(tx, an, r, lang, path ? path : "", NULL, exec, text, err);
}

static int pg_drop(store_tx_t *tx, int64_t r, ot_err_t *err)
{
    PREPARE(tx, "DELETE FROM search_doc WHERE r = ?");
    db_bind_int64(st, 1, r);
    return db_run(st, NULL, err);
}

/* ==== The writer's batch ====
 * FTS5 writes what it holds in memory to a new segment of the index at every savepoint, and
 * SQLite opens a statement savepoint for each statement that writes to a virtual table inside
 * a transaction: so each text put in on its own was a segment of its own (two per intake: the
 * appeal's and its problem's), each a few pages written, merged again and again later.
 * Measured at 1,051,600 appeals, 64 clients of varied intake (SQL profile of the writer): the
 * index took about a fifth of the writer's time. In the writer's batch a new text is computed
 * as before but written to temp.search_pending, and the batch's texts go into FTS5 in one
 * statement just before the commit: one segment per batch. A unit that fails rolls its own
 * rows of temp.search_pending back with its savepoint. Anything else that writes or reads the
 * index in the batch (taking a text out, a rebuild, a query) flushes first, so the index
 * sees every change in its order. */
int store_search_batch_open(store_tx_t *tx, int *on, ot_err_t *err)
{
    *on = 0;
    if (store_is_pg(tx))
        return OT_OK;
    int rc = db_exec(
        tx->db, "CREATE TEMP TABLE IF NOT EXISTS search_pending (r INTEGER NOT NULL, doc TEXT)",
        err);
    if (!rc)
        *on = 1;
    return rc;
}

int store_search_flush(store_tx_t *tx, ot_err_t *err)
{
    if (!tx->search_batch || !tx->search_pending)
        return OT_OK;
    tx->search_pending = 0;
    int rc;
    {
        PREPARE(tx, "INSERT INTO search_fts (rowid, doc) SELECT r, doc FROM temp.search_pending"
                    " ORDER BY rowid");
        rc = db_run(st, NULL, err);
    }
    if (!rc) {
        PREPARE(tx, "DELETE FROM temp.search_pending");
        rc = db_run(st, NULL, err);
    }
    return rc;
}

const ot_kk_stemmer_t *store_search_kk(void)
{
    return search_sqlite_kk();
}

/* Which statement puts a text in (add), queues it for the batch's one insert (queue: in the
 * writer's batch, store_search_flush) or takes it out (drop, after the queue went into the
 * index, so that it sees every change in order); NULL when that flush failed (err). */
static const char *index_sql(store_tx_t *tx, int drop, const char *add, const char *queue,
                             const char *drop_sql, ot_err_t *err)
{
    if (drop && store_search_flush(tx, err))
        return NULL;
    if (!drop && tx->search_batch)
        tx->search_pending++;
    return drop ? drop_sql : tx->search_batch ? queue : add;
}
/* The text as it is given to the tokenizer: the header (search_sqlite.h) and the text */
#define DOC_OF(lang, path, executor, text)                                                         \
    "char(1) || " lang " || char(2) || " path " || char(2) || coalesce(" executor                  \
    ", 0) || char(1) || " text

int store_search_put(store_tx_t *tx, int64_t id, search_kind_t kind, const char *lang,
                     const char *body, int64_t executor, const char *text, int drop, ot_err_t *err)
{
    if (!text)
        return OT_OK;
    if (store_is_pg(tx)) {
        if (drop)
            return pg_drop(tx, id * 4 + (int64_t)kind, err);
        char ex[24];
        snprintf(ex, sizeof ex, "%lld", (long long)executor);
        return pg_put_in(tx, NULL, id * 4 + (int64_t)kind, lang, NULL, body, ex, text, err);
    }
    /* a contentless table takes a row out by being given what it indexed */
#define PATH_OF "coalesce((SELECT path FROM bodies WHERE id = ?3), '')"
    static const char add_sql[] = "INSERT INTO search_fts (rowid, doc)"
                                  " VALUES (?1, " DOC_OF("?2", PATH_OF, "?4", "?5") ")";
    static const char queue_sql[] = "INSERT INTO temp.search_pending (r, doc)"
                                    " VALUES (?1, " DOC_OF("?2", PATH_OF, "?4", "?5") ")";
    static const char drop_sql[] = "INSERT INTO search_fts (search_fts, rowid, doc)"
                                   " VALUES ('delete', ?1, " DOC_OF("?2", PATH_OF, "?4", "?5") ")";
#undef PATH_OF
    const char *sql = index_sql(tx, drop, add_sql, queue_sql, drop_sql, err);
    if (!sql)
        return err ? err->status : OT_EINTERNAL;
    PREPARE(tx, sql);
    db_bind_int64(st, 1, id * 4 + (int64_t)kind);
    db_bind_text(st, 2, lang && strlen(lang) == 2 ? lang : "--");
    db_bind_text(st, 3, body);
    db_bind_int64(st, 4, executor);
    db_bind_text(st, 5, text);
    return db_run(st, NULL, err);
}

/* A problem's text as the SQLite tokenizer is given it (problem_doc's twin: otinish_mask is
 * text_mask_personal, search_sqlite.c): no language (its words stand for both stems, as a
 * query's do), its body's path, and SEARCH_PROBLEM_TOKEN in the executor's place */
#define PROBLEM_EXEC "problem" /* SEARCH_PROBLEM_TOKEN after its mark */
#define PROBLEM_DOC_SQL                                                                            \
    DOC_OF("'--'", "b.path", "'" PROBLEM_EXEC "'", "otinish_mask(p.title) || char(10) || p.address")
/* the live (not merged) problems' rows of the index: row id and text */
#define LIVE_PROBLEM_ROWS                                                                          \
    "SELECT p.id * 4 + 2, " PROBLEM_DOC_SQL " FROM problems p JOIN bodies b ON b.id = p.body"      \
    " WHERE p.merged_into IS NULL"

static int problem_put(store_tx_t *tx, ot_analyzer_t *an, int64_t id, int drop, ot_err_t *err)
{
    if (store_is_pg(tx)) {
        if (drop)
            return pg_drop(tx, id * 4 + SEARCH_PROBLEM, err);
        char path[256] = "", *title = NULL, *address = NULL;
        int found = 0;
        {
            PREPARE(tx, "SELECT b.path, p.title, p.address FROM problems p"
                        " JOIN bodies b ON b.id = p.body WHERE p.id = ? AND p.merged_into IS NULL");
            db_bind_int64(st, 1, id);
            int rc = db_step(st, err);
            if (rc == DB_ROW) {
                found = 1;
                store_copy_col(st, 0, path, sizeof path);
                title = store_dup_col(st, 1);
                address = store_dup_col(st, 2);
            }
            db_reset(st);
            if (rc < 0)
                return -rc;
        }
        char *doc = found ? problem_doc(title, address) : NULL;
        free(title);
        free(address);
        if (!found)
            return OT_OK;
        if (!doc)
            return ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
        int rc = pg_put(tx, an, id * 4 + SEARCH_PROBLEM, "--", path, PROBLEM_EXEC, doc, err);
        free(doc);
        return rc;
    }
    /* a contentless table takes a row out by being given what it indexed: the row as it is
     * before the change (a merged problem is in the index no more) */
    static const char add_sql[] =
        "INSERT INTO search_fts (rowid, doc) " LIVE_PROBLEM_ROWS " AND p.id = ?";
    static const char queue_sql[] =
        "INSERT INTO temp.search_pending (r, doc) " LIVE_PROBLEM_ROWS " AND p.id = ?";
    static const char drop_sql[] =
        "INSERT INTO search_fts (search_fts, rowid, doc) SELECT 'delete', p.id * 4 + "
        "2, " PROBLEM_DOC_SQL " FROM problems p JOIN bodies b ON b.id = p.body"
        " WHERE p.id = ? AND p.merged_into IS NULL";
    const char *sql = index_sql(tx, drop, add_sql, queue_sql, drop_sql, err);
    if (!sql)
        return err ? err->status : OT_EINTERNAL;
    PREPARE(tx, sql);
    db_bind_int64(st, 1, id);
    return db_run(st, NULL, err);
}

int store_search_problem(store_tx_t *tx, int64_t id, int drop, ot_err_t *err)
{
    if (store_search_deferred(tx->store))
        return OT_OK;
    return problem_put(tx, NULL, id, drop, err);
}

int store_search_problem_new(store_tx_t *tx, int64_t id, const char *body, const char *title,
                             const char *address, ot_err_t *err)
{
    if (store_search_deferred(tx->store))
        return OT_OK;
    if (!store_is_pg(tx))
        return problem_put(tx, NULL, id, 0, err);
    char *doc = problem_doc(title, address);
    if (!doc)
        return ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
    int rc = pg_put_in(tx, NULL, id * 4 + SEARCH_PROBLEM, "--", NULL, body, PROBLEM_EXEC, doc, err);
    free(doc);
    return rc;
}

/* PostgreSQL: every text again, in batches by id (the driver reads a whole result), with
 * one analyzer */
static int pg_rebuild_with(store_tx_t *tx, ot_analyzer_t *an, ot_err_t *err)
{
    int rc = db_exec(tx->db, "DELETE FROM search_doc", err);
    int64_t after = 0;
    for (int more = 1; !rc && more;) {
        more = 0;
        PREPARE(tx, "SELECT a.id, a.language, b.path, coalesce(a.executor, 0), a.text,"
                    " a.answer_text FROM appeals a JOIN bodies b ON b.id = a.body"
                    " WHERE a.id > ? ORDER BY a.id LIMIT 500");
        db_bind_int64(st, 1, after);
        int s = DB_DONE;
        while (!rc && (s = db_step(st, err)) == DB_ROW) {
            char lang[4], path[256], ex[24];
            int64_t id = db_col_int64(st, 0);
            store_copy_col(st, 1, lang, sizeof lang);
            store_copy_col(st, 2, path, sizeof path);
            snprintf(ex, sizeof ex, "%lld", (long long)db_col_int64(st, 3));
            const char *text = db_col_text(st, 4), *answer = db_col_text(st, 5);
            if (text)
                rc = pg_put(tx, an, id * 4 + SEARCH_APPEAL, lang, path, ex, text, err);
            if (!rc && answer)
                rc = pg_put(tx, an, id * 4 + SEARCH_ANSWER, lang, path, ex, answer, err);
            after = id;
            more = 1;
        }
        if (!rc && s < 0)
            rc = -s;
        db_reset(st);
    }
    after = 0;
    for (int more = 1; !rc && more;) {
        more = 0;
        PREPARE(tx, "SELECT id FROM problems WHERE id > ? AND merged_into IS NULL"
                    " ORDER BY id LIMIT 500");
        db_bind_int64(st, 1, after);
        int64_t ids[500];
        int n = 0, s;
        while ((s = db_step(st, err)) == DB_ROW && n < 500)
            ids[n++] = db_col_int64(st, 0);
        db_reset(st);
        if (s < 0)
            rc = -s;
        for (int i = 0; !rc && i < n; i++)
            rc = problem_put(tx, an, ids[i], 0, err);
        if (n) {
            after = ids[n - 1];
            more = 1;
        }
    }
    return rc;
}

static int pg_rebuild(store_tx_t *tx, ot_err_t *err)
{
    ot_analyzer_t *an = analyzer();
    if (!an)
        return ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
    int rc = pg_rebuild_with(tx, an, err);
    ot_analyzer_free(an);
    return rc;
}

int store_search_rebuild(store_tx_t *tx, ot_err_t *err)
{
    /* the bulk rebuild in one span over every id, merged by 'optimize' */
    search_rebuild_t at = {0, 0};
    int done = 0, rc = OT_OK;
    while (!rc && !done)
        rc = store_search_rebuild_span(tx, &at, INT64_MAX / 2, &done, err);
    return rc;
}

/* The scope's part of a query, as FTS5 (pg 0) or tsquery (pg 1) text: a body scope's token;
 * an executor's own token or, for problems, their body's token with SEARCH_PROBLEM_TOKEN;
 * "" for every body. Then body_term, the body filter's (body_term below). 0, or -1 for a
 * scope no token can name (a quote in a path). */
#define TOKEN(t)                                                                                   \
    (pg ? (void)0 : sb_str(b, "\"")), (pg ? sb_lex(b, t, strlen(t)) : sb_str(b, t)),               \
        (pg ? (void)0 : sb_str(b, "\""))
static int scope_expr(const search_filter_t *f, const char *body_term, int pg, sbuf_t *b)
{
    char t1[300], t2[300];
    const char *and = pg ? " & " : " AND ", * or = pg ? " | " : " OR ";
    if (body_term) {
        sb_str(b, and);
        sb_str(b, body_term);
    }
    if (f->scope_path) {
        snprintf(t1, sizeof t1, SEARCH_SCOPE_MARK "%s", f->scope_path);
    } else if (f->executor) {
        snprintf(t1, sizeof t1, SEARCH_EXEC_MARK "%lld", (long long)f->executor);
        snprintf(t2, sizeof t2, SEARCH_SCOPE_MARK "%s", f->exec_path ? f->exec_path : "");
    } else
        return 0;
    if (strchr(t1, '"') || strchr(t1, '\'') ||
        (f->executor && !f->scope_path && (strchr(t2, '"') || strchr(t2, '\''))))
        return -1;
    sb_str(b, and);
    if (f->scope_path || !f->exec_path || !f->exec_path[0]) {
        TOKEN(t1);
        return 0;
    }
    sb_str(b, "(");
    TOKEN(t1);
    sb_str(b, or);
    sb_str(b, "(");
    TOKEN(t2);
    sb_str(b, and);
    TOKEN(SEARCH_PROBLEM_TOKEN);
    sb_str(b, "))");
    return 0;
}

/* The body filter as a term of the query (*term, malloc'd): the body's token (its texts and
 * those of the bodies under it) without its children's, so that the walk meets only the
 * body's own texts. Checked on the rows alone, the filter read every match of a common word
 * for a body of few appeals (отопление and a body with none: 0.9-1.4 s at 1.9M appeals);
 * FTS5's NOT and tsquery's ! are the index's work, not a row read per match. *found 0 when
 * there is no such body; *term NULL when no token can name it (a quote: the rows are
 * checked all the same). */
static int body_term(store_tx_t *tx, const char *body, int pg, char **term, int *found,
                     ot_err_t *err)
{
    *term = NULL;
    *found = 0;
    PREPARE(tx, "SELECT path, 0 FROM bodies WHERE id = ?1"
                " UNION ALL SELECT path, 1 FROM bodies WHERE parent = ?1 ORDER BY 2");
    db_bind_text(st, 1, body);
    sbuf_t buf = {0}, *b = &buf;
    int rc, kids = 0, bad = 0;
    char t[300];
    sb_str(b, "(");
    while ((rc = db_step(st, err)) == DB_ROW) {
        const char *path = db_col_text(st, 0);
        snprintf(t, sizeof t, SEARCH_SCOPE_MARK "%s", path ? path : "");
        bad |= !path || strchr(t, '"') || strchr(t, '\'');
        if (db_col_int64(st, 1))
            sb_str(b, kids++ ? (pg ? " | " : " OR ") : (pg ? " & !(" : " NOT ("));
        else
            *found = 1;
        TOKEN(t);
    }
    db_reset(st);
    sb_str(b, kids ? "))" : ")");
    if (rc < 0 || bad || b->oom || !*found) {
        free(b->p);
        if (rc >= 0 && b->oom)
            return ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
        return rc < 0 ? -rc : OT_OK;
    }
    *term = b->p;
    return OT_OK;
}
#undef TOKEN

/* the stages of a rebuild in spans (search_rebuild_t.stage) */
enum { RB_START, RB_APPEALS, RB_PROBLEMS, RB_MERGE };
/* FTS5 pages (about 4 KB) a merge step writes: a step's WAL stays near 32 MB */
#define MERGE_PAGES 8000

static int any_from(store_tx_t *tx, const char *sql, int64_t id, int64_t *more, ot_err_t *err)
{
    PREPARE(tx, sql);
    db_bind_int64(st, 1, id);
    return db_run(st, more, err);
}

static int total_changes(store_tx_t *tx, int64_t *n, ot_err_t *err)
{
    PREPARE(tx, "SELECT total_changes()");
    return db_run(st, n, err);
}

int store_search_rebuild_span(store_tx_t *tx, search_rebuild_t *at, int64_t span, int *done,
                              ot_err_t *err)
{
    *done = 0;
    if (store_is_pg(tx)) {
        *done = 1;
        return pg_rebuild(tx, err);
    }
    int rc = store_search_flush(tx, err);
    int64_t more = 0;
    if (rc)
        return rc;
    /* FTS5 writes what it has tokenized as a new segment every megabyte and, by default,
     * merges segments as they pile up (automerge 4, crisismerge 16): a rebuild merged its
     * index several times over, and then 'optimize' merged it all once more. During the
     * rebuild the segments are merged only 64 at a time (automerge 0, crisismerge 64; FTS5
     * holds at most 2,000 segments, and 300,000 demo appeals made more than that) and
     * what is left is merged once at the end; the defaults are set back before it. */
    switch (at->stage) {
    case RB_START:
        if ((rc = db_exec(tx->db,
                          "INSERT INTO search_fts (search_fts) VALUES ('delete-all');"
                          "INSERT INTO search_fts (search_fts, rank) VALUES ('automerge', 0);"
                          "INSERT INTO search_fts (search_fts, rank) VALUES ('crisismerge', 64)",
                          err)))
            return rc;
        at->next = 1;
        at->stage = RB_APPEALS;
        /* fall through */
    case RB_APPEALS: {
        static const char text_sql[] =
            "INSERT INTO search_fts (rowid, doc) SELECT a.id * 4, " DOC_OF(
                "a.language", "b.path", "a.executor",
                "a.text") " FROM appeals a JOIN bodies b ON b.id = a.body WHERE a.id >= ? AND "
                          "a.id < ?";
        static const char answer_sql[] =
            "INSERT INTO search_fts (rowid, doc) SELECT a.id * 4 + 1, " DOC_OF(
                "a.language", "b.path", "a.executor",
                "a.answer_text") " FROM appeals a JOIN bodies b ON b.id = a.body"
                                 " WHERE a.id >= ? AND a.id < ? AND a.answer_text IS NOT NULL";
        for (int k = 0; k < 2; k++) {
            PREPARE(tx, k ? answer_sql : text_sql);
            db_bind_int64(st, 1, at->next);
            db_bind_int64(st, 2, at->next + span);
            if ((rc = db_run(st, NULL, err)))
                return rc;
        }
        at->next += span;
        if ((rc = any_from(tx, "SELECT count(*) FROM (SELECT 1 FROM appeals WHERE id >= ? LIMIT 1)",
                           at->next, &more, err)) ||
            more)
            return rc;
        at->next = 1;
        at->stage = RB_PROBLEMS;
        return OT_OK;
    }
    case RB_PROBLEMS: {
        /* the problems in spans of ids too: a demo makes almost as many as appeals */
        PREPARE(tx, "INSERT INTO search_fts (rowid, doc) " LIVE_PROBLEM_ROWS
                    " AND p.id >= ? AND p.id < ?");
        db_bind_int64(st, 1, at->next);
        db_bind_int64(st, 2, at->next + span);
        if ((rc = db_run(st, NULL, err)))
            return rc;
        at->next += span;
        if ((rc =
                 any_from(tx, "SELECT count(*) FROM (SELECT 1 FROM problems WHERE id >= ? LIMIT 1)",
                          at->next, &more, err)) ||
            more)
            return rc;
        at->stage = RB_MERGE;
        if ((rc = db_exec(tx->db,
                          "INSERT INTO search_fts (search_fts, rank) VALUES ('automerge', 4);"
                          "INSERT INTO search_fts (search_fts, rank) VALUES ('crisismerge', 16)",
                          err)))
            return rc;
        if (span < INT64_MAX / 2)
            return OT_OK;
        /* in one transaction: merged at once */
        *done = 1;
        return db_exec(tx->db, "INSERT INTO search_fts (search_fts) VALUES ('optimize')", err);
    }
    default: {
        /* merged a bounded amount at a time, each step its own transaction (the WAL of
         * 'optimize' is as large as the whole index): FTS5's 'merge' with a negative page
         * count, again until a step changes less than 2 rows, merges the index the same way
         * as 'optimize' (fts5.html, "The 'merge' Command") */
        int64_t before = 0, after = 0;
        if ((rc = total_changes(tx, &before, err)))
            return rc;
        {
            PREPARE(tx, "INSERT INTO search_fts (search_fts, rank) VALUES ('merge', ?)");
            db_bind_int64(st, 1, -MERGE_PAGES);
            if ((rc = db_run(st, NULL, err)))
                return rc;
        }
        if ((rc = total_changes(tx, &after, err)))
            return rc;
        *done = after - before < 2; /* the 'merge' row itself counts one */
        return OT_OK;
    }
    }
}

/* q's words as an FTS5 expression: each word a quoted string (our tokenizer turns it into
 * its stems, alternatives of one another), all of them required, then the scope */
static char *match_of(const ot_query_t *q, const search_filter_t *f, const char *body)
{
    sbuf_t b = {0};
    sb_str(&b, "");
    for (int i = 0; i < q->n_words; i++) {
        if (i)
            sb_str(&b, " AND ");
        sb_str(&b, "\"");
        for (const char *c = q->word[i]; *c; c++) {
            if (*c == '"')
                sb_add(&b, "\"", 1);
            sb_add(&b, c, 1);
        }
        sb_str(&b, "\"");
    }
    /* a scope no token names: none; the join checks the rows */
    (void)scope_expr(f, body, 0, &b);
    if (b.oom) {
        free(b.p);
        return NULL;
    }
    return b.p;
}

/* q's words as a tsquery: each word its stems as alternatives, all of them required; with
 * scope, the scope (scope_expr) after them. NULL when out of memory. */
static char *tsquery_of(const ot_query_t *q, const search_filter_t *f, const char *body, int scope)
{
    const ot_kk_stemmer_t *kk = store_search_kk();
    ot_analyzer_t *an = kk ? ot_analyzer_new(kk) : NULL;
    if (!an)
        return NULL;
    sbuf_t b = {0};
    sb_str(&b, "");
    for (int i = 0; i < q->n_words; i++) {
        ot_word_t w;
        size_t pos = 0, n = strlen(q->word[i]);
        if (!ot_next_word(q->word[i], n, &pos, &w))
            continue;
        char st[2][OT_WORD_MAX];
        size_t len[2];
        int k = ot_stems(an, OT_LANG_ANY, &w, st, len);
        if (b.n)
            sb_str(&b, " & ");
        sb_str(&b, "(");
        for (int j = 0; j < k; j++) {
            if (j)
                sb_str(&b, " | ");
            sb_lex(&b, st[j], len[j]);
        }
        sb_str(&b, ")");
    }
    ot_analyzer_free(an);
    if (scope)
        (void)scope_expr(f, body, 1, &b);
    if (b.oom) {
        free(b.p);
        return NULL;
    }
    return b.p;
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

/* The page: the matches walked newest first (h: r the row id, s the rank; materialized, read
 * by both halves), each half joined with what its rows are of -- appeals for kinds 0 and 1,
 * the live problems for kind 2 -- and the scope checked once more on the rows: ?2 a body
 * path, ?3 an executor (and ?11 their body's path, for problems); then ranked. Each half
 * joins one table by its key, as the search of appeals alone did. */
#define HIT_WITH "WITH h AS MATERIALIZED ("
#define HIT_PAGE(order)                                                                            \
    " ORDER BY " order " DESC LIMIT ?9)"                                                           \
    " SELECT h.r & 3, h.r >> 2, a.number, a.status, a.body, a.category, a.registered_on,"          \
    " a.language, CASE h.r & 3 WHEN 1 THEN a.answer_text ELSE a.text END, h.s AS s_, NULL,"        \
    " 0, NULL, NULL, h.r AS r_ FROM h JOIN appeals a ON a.id = h.r >> 2"                           \
    " JOIN bodies b ON b.id = a.body WHERE (h.r & 3) < 2 AND (?5 IS NULL OR a.body = ?5)"          \
    " AND (?2 IS NULL OR substr(b.path, 1, length(?2)) = ?2) AND (?3 = 0 OR a.executor = ?3)"      \
    " UNION ALL"                                                                                   \
    " SELECT 2, h.r >> 2, NULL, NULL, p.body, p.category, NULL, NULL, NULL, h.s, p.state,"         \
    " p.n_appeals, p.title, p.address, h.r FROM h JOIN problems p ON p.id = h.r >> 2"              \
    " JOIN bodies b ON b.id = p.body WHERE (h.r & 3) = 2 AND p.merged_into IS NULL"                \
    " AND (?5 IS NULL OR p.body = ?5)"                                                             \
    " AND (?2 IS NULL OR substr(b.path, 1, length(?2)) = ?2)"                                      \
    " AND (?3 = 0 OR substr(b.path, 1, length(?11)) = ?11)"                                        \
    " ORDER BY s_, r_ DESC LIMIT ?7 OFFSET ?8"
/* SQLite: FTS5 walks the matches newest first (by row id: no rank) and otinish_rank is
 * computed for those only (search_sqlite.c). A status filter is checked in the status's
 * index (appeals_status_id: the status, then the row id) by the match's appeal id, a seek
 * in a small index and not a read of the appeal's row: rows are large (their texts), so
 * each match cost a page of its own, and a rare status among common words (вода and
 * not_considered, 5,168 of 1.9M appeals) walked every match's row: 0.5 s warm, 22 s cold.
 * The body filter is a term of ?1 (body_term), checked again on the page's rows.
 * tests/unit/store/search_plans.c checks the plan. */
const char store_search_fts_walk_sql[] = HIT_WITH
    "SELECT search_fts.rowid AS r, otinish_rank(search_fts, ?10) AS s FROM search_fts"
    " WHERE search_fts MATCH ?1 AND (?6 < 0 OR (search_fts.rowid & 3) = ?6)"
    " AND (?4 IS NULL OR (search_fts.rowid & 3) < 2 AND EXISTS (SELECT 1 FROM appeals x"
    " INDEXED BY appeals_status_id WHERE x.status = ?4 AND x.id = search_fts.rowid >> 2))" HIT_PAGE(
        "search_fts.rowid");
/* PostgreSQL: the GIN index finds the matches (?1 the tsquery with the scope and the body
 * filter's term), the newest SEARCH_NEWEST are ranked by ts_rank over the words only (?10),
 * negated: lower is better. A status filter is checked in appeals_status_id ((status, id):
 * PostgreSQL hashes the status's ids from the index alone, or probes it per match), not by
 * joining each match's appeal: at 100k appeals вода (10,615 matches) with not_considered
 * read every match's row, 100 ms in EXPLAIN ANALYZE, 14 ms so (closed, 32,515 ids: 32 ms).
 * Without a status filter the test is not evaluated. */
#define PG_MATCH(q, status, kind, id_is)                                                           \
    " FROM search_doc d WHERE d.tsv @@ CAST(" q " AS tsquery) AND (" kind                          \
    " < 0 OR (d.r & 3) = " kind ") AND (" status                                                   \
    " IS NULL OR (d.r & 3) < 2 AND EXISTS (SELECT 1 FROM appeals x"                                \
    " WHERE x.status = " status " AND x.id " id_is "))"
static const char pg_walk[] =
    HIT_WITH "SELECT d.r AS r, -ts_rank(d.tsv, CAST(?10 AS tsquery)) AS s" PG_MATCH(
        "?1", "?4", "?6", "= d.r >> 2") HIT_PAGE("d.r");

/* GIN gives every match of the words at once, in no order, so the walk's newest
 * SEARCH_NEWEST were taken from all of them, each read from the table with its rank: вода on
 * the 100k demo, 8,716 texts, 19 ms as the supervisor, не 75 ms, and about ten times that at
 * 1M. Each text carries its row id's spans (sb_span), and the walk first counts the matches
 * in a window of the newest spans, the words AND the spans (at most SEARCH_NEWEST read): when
 * it holds SEARCH_NEWEST that pass the filters, the newest SEARCH_NEWEST of all are those of
 * the window, and *m becomes the window's query. Else the window is widened to where the
 * matches' density seen so far would give twice as many, up to PG_WINDOW_MAX spans of 1,024
 * ids each. A window's cost is its spans' lists, which GIN reads whole, then at most
 * SEARCH_NEWEST rows: a span's list (about 3,000 texts) costs about what PG_SPAN_MATCHES
 * matches read from the table with their rank do (at 2.9M texts: 0.13 us a text of a
 * window, 3.7 us a match of a walk). So with none in the first window (a rare word, a small
 * scope), or a wider window than every match would cost at the density seen, or half the
 * spans or more, the walk takes every match, as before. At most PG_WINDOW_TRIES counts. */
#define PG_WINDOW_FIRST 8
#define PG_WINDOW_MAX   2048
#define PG_WINDOW_TRIES 3
#define PG_SPAN_MATCHES 100
/* The status sought per match (the id as a range of one: not hashable), where the walk may
 * hash every id of the status: a window reads few matches, and a status of many appeals
 * (closed) is a hash of hundreds of thousands of ids at 1M, for each count */
static const char pg_count[] = "SELECT count(*) FROM (SELECT 1" PG_MATCH(
    "?1", "?2", "?3", "BETWEEN d.r >> 2 AND d.r >> 2") " LIMIT ?4) n";

/* the spans of r >= lo << span_shift[0] as a tsquery: the finest until the next is aligned,
 * then each level's, the coarsest up to top's */
static void sb_window(sbuf_t *b, int64_t lo, int64_t top)
{
    sb_str(b, "(");
    int any = 0;
    for (int i = 0; i < SPAN_LEVELS; i++) {
        int64_t hi = top >> span_shift[i];
        int last = i == SPAN_LEVELS - 1, step = last ? 0 : span_shift[i + 1] - span_shift[i];
        for (; lo <= hi && (last || (lo & ((INT64_C(1) << step) - 1))); lo++) {
            if (any++)
                sb_str(b, " | ");
            sb_span(b, i, lo);
        }
        if (lo > hi)
            break;
        lo >>= step;
    }
    sb_str(b, ")");
}

static int pg_newest(store_tx_t *tx, const search_filter_t *f, char **m, ot_err_t *err)
{
    int64_t top = 0, n = 0;
    int rc;
    { /* the newest row id, of the kind asked: problems' ids are fewer than appeals', so the
       * appeals' newest spans hold no problem */
        PREPARE(tx, "SELECT CASE ?1 WHEN -1 THEN (SELECT coalesce(max(r), 0) FROM search_doc)"
                    " WHEN 2 THEN (SELECT coalesce(max(id), 0) * 4 + 2 FROM problems)"
                    " ELSE (SELECT coalesce(max(id), 0) * 4 + ?1 FROM appeals) END");
        db_bind_int64(st, 1, f->kind);
        if ((rc = db_run(st, &top, err)))
            return rc;
    }
    PREPARE(tx, pg_count);
    int64_t hi = top >> span_shift[0], w = PG_WINDOW_FIRST; /* the newest span, the window's */
    for (int k = 0; k < PG_WINDOW_TRIES && w <= PG_WINDOW_MAX; k++) {
        int64_t lo = hi - w + 1;
        if (lo <= hi / 2)
            return OT_OK; /* half the spans or more: GIN would read their lists */
        sbuf_t b = {0};
        sb_str(&b, "(");
        sb_str(&b, *m);
        sb_str(&b, ") & ");
        sb_window(&b, lo, top);
        if (b.oom) {
            free(b.p);
            return ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
        }
        db_bind_text(st, 1, b.p);
        db_bind_text(st, 2, f->status);
        db_bind_int64(st, 3, f->kind);
        db_bind_int64(st, 4, SEARCH_NEWEST);
        if ((rc = db_run(st, &n, err))) {
            free(b.p);
            return rc;
        }
        if (n >= SEARCH_NEWEST) {
            free(*m);
            *m = b.p;
            return OT_OK;
        }
        free(b.p);
        if (!n)
            return OT_OK;
        int64_t all = n * (hi + 1) / w; /* the matches, at this density */
        w = w * 2 * SEARCH_NEWEST / n + 1;
        if (w * PG_SPAN_MATCHES > all)
            return OT_OK; /* the window's spans would cost more than every match */
    }
    return OT_OK;
}

int store_search_query(store_tx_t *tx, const ot_query_t *q, const search_filter_t *f0,
                       int (*fn)(const search_hit_t *h, void *arg), void *arg, ot_err_t *err)
{
    /* a scope of every body (the oblast akimat's head) is no scope: its token would be in
     * every text, and the walk would read its whole list */
    search_filter_t fs = *f0;
    const search_filter_t *f = &fs;
    int64_t outside = 1;
    int rc_flush = store_search_flush(tx, err); /* a query in the writer's batch */
    if (rc_flush)
        return rc_flush;
    if (fs.scope_path) {
        int rc0 = scope_narrow(tx, fs.scope_path, &outside, err);
        if (rc0)
            return rc0;
        if (!outside)
            fs.scope_path = NULL;
    }
    char *bterm = NULL; /* the body filter's term (body_term) */
    if (fs.body) {
        int found = 0;
        int rc0 = body_term(tx, fs.body, store_is_pg(tx), &bterm, &found, err);
        if (rc0)
            return rc0;
        if (!found)
            return OT_OK; /* no such body: no hits */
    }
    /* Ranking every match of a common word costs a rank per match (отопление: 32,000
     * appeals of the 1,000,000 demo ones, 200 ms by FTS5's ORDER BY rank), so the ranking is
     * among the SEARCH_NEWEST newest matches (by row id), then they are ordered by it. The
     * scope is a term of the query (the scope tokens of search_sqlite.h), so the walk meets
     * only texts in scope; the join checks it again on the rows of the page. */
    int pg = store_is_pg(tx);
    char *m = NULL, *words = NULL;
    if (pg) {
        m = tsquery_of(q, f, bterm, 1);
        words = tsquery_of(q, f, NULL, 0);
    } else
        m = match_of(q, f, bterm);
    free(bterm);
    if (!m || (pg && !words)) {
        free(m);
        free(words);
        return ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
    }
    int rc0 = pg ? pg_newest(tx, f, &m, err) : OT_OK;
    if (rc0) {
        free(m);
        free(words);
        return rc0;
    }
    db_stmt_t *st = db_prepare(tx->db, pg ? pg_walk : store_search_fts_walk_sql, err);
    if (!st) {
        free(m);
        free(words);
        return err ? err->status : OT_EINTERNAL;
    }
    db_bind_text(st, 1, m);
    db_bind_text(st, 2, f->scope_path);
    db_bind_int64(st, 3, f->executor);
    db_bind_text(st, 4, f->status);
    db_bind_text(st, 5, f->body);
    db_bind_int64(st, 6, f->kind);
    db_bind_int64(st, 7, f->limit > 0 ? f->limit : 20);
    db_bind_int64(st, 8, f->offset);
    db_bind_int64(st, 9, SEARCH_NEWEST);
    if (pg)
        db_bind_text(st, 10, words); /* the words ranked, not the scope */
    else
        db_bind_int64(st, 10, q->n_words); /* the phrases ranked: the words, not the scope */
    db_bind_text(st, 11, f->exec_path ? f->exec_path : "");
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
        h.rank = db_col_double(st, 9);
        char *doc = NULL;
        if (h.kind == SEARCH_PROBLEM) {
            store_copy_col(st, 10, h.state, sizeof h.state);
            h.n_appeals = db_col_int64(st, 11);
            doc = problem_doc(db_col_text(st, 12), db_col_text(st, 13));
            if (!doc) {
                rc = -ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
                break;
            }
            h.text = doc;
        } else
            h.text = db_col_text(st, 8);
        stop = fn(&h, arg);
        free(doc);
    }
    db_reset(st);
    free(m);
    free(words);
    return rc < 0 ? -rc : OT_OK;
}

/* What the index's tokens depend on: the rules of domain/search_text.c and of the header
 * (raise SEARCH_STEMS_VERSION when they change what a text gives; 2: the scope tokens,
 * 3: their marks printable) and
 * the Kazakh suffix list (hashed, FNV-1a). */
#define SEARCH_STEMS_VERSION 3
static void stems_sig(char out[40])
{
    /* this seed (not STR_FNV1A_INIT, a digit short) is kept: the signature stored with every
     * index must stay the same, or each database would rebuild its index */
    uint64_t h =
        str_fnv1a(UINT64_C(1469598103934665603), ot_data_kk_suffixes, strlen(ot_data_kk_suffixes));
    snprintf(out, 40, "%d:%016llx", SEARCH_STEMS_VERSION, (unsigned long long)h);
}

int store_search_stale(store_tx_t *tx, int *stale, ot_err_t *err)
{
    char sig[40], have[40] = "";
    stems_sig(sig);
    /* PostgreSQL keeps the signature in a table of its own (search_stems), which migrate-db
     * does not copy (a copied meta row would say the empty index is current); not recorded
     * there: the index was never built (its migration does not index) */
    PREPARE(tx, store_is_pg(tx) ? "SELECT sig FROM search_stems"
                                : "SELECT value FROM meta WHERE key = 'search_stems'");
    int rc = db_step(st, err);
    if (rc == DB_ROW)
        store_copy_col(st, 0, have, sizeof have);
    db_reset(st);
    if (rc < 0)
        return -rc;
    *stale = !have[0] ? (store_is_pg(tx) ? 2 : 1) : strcmp(have, sig) ? 2 : 0;
    return OT_OK;
}

int store_search_sync(store_tx_t *tx, ot_err_t *err)
{
    int stale = 0, rc = store_search_stale(tx, &stale, err);
    if (!rc && stale == 2)
        rc = store_search_rebuild(tx, err);
    if (rc || !stale)
        return rc;
    char sig[40];
    stems_sig(sig);
    if (store_is_pg(tx)) {
        if ((rc = db_exec(tx->db, "DELETE FROM search_stems", err)))
            return rc;
        PREPARE(tx, "INSERT INTO search_stems (sig) VALUES (?)");
        db_bind_text(st, 1, sig);
        return db_run(st, NULL, err);
    }
    PREPARE(tx, "INSERT INTO meta (key, value) VALUES ('search_stems', ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    db_bind_text(st, 1, sig);
    return db_run(st, NULL, err);
}
