/* Repository: appeals. */
#include "store/store_appeal.h"

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/bitset.h"
#include "store/store_int.h"
#include "store/store_problem.h"
#include "store/store_search.h"

/* text: the column read as the appeal's text (lists read "NULL": they leave it out) */
#define APPEAL_COLS_WITH(text)                                                                     \
    "a.id, a.number, a.kind, a.channel, a.status, a.jurisdiction, a.language,"                     \
    " a.category, a.district, a.body, a.receiving_body, b.path, a.executor, a.registrar, " text    \
    ", a.address, a.lat, a.lon, a.applicant_type, a.applicant_id, a.applicant_name,"               \
    " a.applicant_address, a.applicant_phone, a.applicant_email, a.signatories,"                   \
    " a.received_at, a.registered_on, a.due_on, a.forward_by, a.max_due_on, a.extended_on,"        \
    " a.extension_reason, a.forwarded_at, a.forward_late, a.answered_at, a.closed_at,"             \
    " a.answered_by, a.answered_on, a.decision, a.answer_text, a.answer_grounds, a.rating,"        \
    " a.rated_at, a.rating_comment, a.control_on, a.terminate_reason, a.access_hash,"              \
    " a.parent_id, a.repeat_of, a.link, p.number, r.number, a.updated_at, a.suspended_on,"         \
    " a.suspended_days, a.personal_control, a.problem_id, a.applicant_key, a.verdict,"             \
    " a.verdict_comment, a.verdict_at, a.reraised"
#define APPEAL_COLS_N 62 /* the columns read_rec reads */
#define APPEAL_FROM                                                                                \
    " FROM appeals a JOIN bodies b ON b.id = a.body"                                               \
    " LEFT JOIN appeals p ON p.id = a.parent_id LEFT JOIN appeals r ON r.id = a.repeat_of "
#define APPEAL_SELECT_WITH(text) "SELECT " APPEAL_COLS_WITH(text) APPEAL_FROM
#define APPEAL_SELECT            APPEAL_SELECT_WITH("a.text")
/* lists and exports: everything but the text (a.text NULL), which only the appeal's own
 * page shows; copying it out of every row was a part of the first page's cost */
#define APPEAL_LIST_SELECT APPEAL_SELECT_WITH("NULL")

#define COPY(i, f) store_copy_col(st, i, a->f, sizeof a->f)

static void read_rec(db_stmt_t *st, appeal_rec_t *a)
{
    appeal_rec_free(a);
    a->id = db_col_int64(st, 0);
    COPY(1, number);
    COPY(2, kind);
    COPY(3, channel);
    COPY(4, status);
    COPY(5, jurisdiction);
    COPY(6, language);
    COPY(7, category);
    COPY(8, district);
    COPY(9, body);
    COPY(10, receiving_body);
    COPY(11, body_path);
    a->executor = db_col_int64(st, 12);
    a->registrar = db_col_int64(st, 13);
    a->text = store_dup_col(st, 14);
    a->address = store_dup_col(st, 15);
    a->has_coords = !db_col_is_null(st, 16);
    a->lat = db_col_double(st, 16);
    a->lon = db_col_double(st, 17);
    COPY(18, applicant_type);
    COPY(19, applicant_id);
    a->applicant_name = store_dup_col(st, 20);
    a->applicant_address = store_dup_col(st, 21);
    a->applicant_phone = store_dup_col(st, 22);
    a->applicant_email = store_dup_col(st, 23);
    a->signatories = db_col_int64(st, 24);
    a->received_at = db_col_int64(st, 25);
    COPY(26, registered_on);
    COPY(27, due_on);
    COPY(28, forward_by);
    COPY(29, max_due_on);
    COPY(30, extended_on);
    a->extension_reason = store_dup_col(st, 31);
    a->forwarded_at = db_col_int64(st, 32);
    a->forward_late = (int)db_col_int64(st, 33);
    a->answered_at = db_col_int64(st, 34);
    a->closed_at = db_col_int64(st, 35);
    a->answered_by = db_col_int64(st, 36);
    COPY(37, answered_on);
    COPY(38, decision);
    a->answer_text = store_dup_col(st, 39);
    a->answer_grounds = store_dup_col(st, 40);
    a->rating = db_col_int64(st, 41);
    a->rated_at = db_col_int64(st, 42);
    a->rating_comment = store_dup_col(st, 43);
    COPY(44, control_on);
    COPY(45, terminate_reason);
    COPY(46, access_hash);
    a->parent_id = db_col_int64(st, 47);
    a->repeat_of = db_col_int64(st, 48);
    COPY(49, link);
    COPY(50, parent_number);
    COPY(51, repeat_number);
    a->updated_at = db_col_int64(st, 52);
    COPY(53, suspended_on);
    a->suspended_days = (int)db_col_int64(st, 54);
    a->personal_control = (int)db_col_int64(st, 55);
    a->problem_id = db_col_int64(st, 56);
    COPY(57, applicant_key);
    COPY(58, verdict);
    a->verdict_comment = store_dup_col(st, 59);
    a->verdict_at = db_col_int64(st, 60);
    a->reraised = (int)db_col_int64(st, 61);
}

/* SQLite: two statements, not one with RETURNING: SQLite (3.40) builds RETURNING's rows in
 * an ephemeral table, 11 us a statement against 2 us for both of these. PostgreSQL: one, with
 * RETURNING (store_returning). */
#define NUMBER_NEXT                                                                                \
    "INSERT INTO number_seq (prefix, year, last) VALUES (?, ?, 1)"                                 \
    " ON CONFLICT (prefix, year) DO UPDATE SET last = number_seq.last + 1"
int store_number_ask(store_tx_t *tx, const char *prefix, int year, ot_err_t *err)
{
    tx->number_asked = NULL;
    if (store_returning(tx)) {
        PREPARE(tx, NUMBER_NEXT " RETURNING last");
        db_bind_text(st, 1, prefix);
        db_bind_int64(st, 2, year);
        int rc = db_prefetch(st, err);
        if (!rc)
            tx->number_asked = st;
        return rc;
    }
    PREPARE(tx, NUMBER_NEXT);
    db_bind_text(st, 1, prefix);
    db_bind_int64(st, 2, year);
    return db_send(st, err); /* sent with the SELECT that follows */
}

int store_number_take(store_tx_t *tx, const char *prefix, int year, int64_t *out, ot_err_t *err)
{
    db_stmt_t *asked = tx->number_asked;
    tx->number_asked = NULL;
    if (asked)
        return db_run(asked, out, err);
    PREPARE(tx, "SELECT last FROM number_seq WHERE prefix = ? AND year = ?");
    db_bind_text(st, 1, prefix);
    db_bind_int64(st, 2, year);
    return db_run(st, out, err);
}

#define APPEAL_INSERT                                                                              \
    "INSERT INTO appeals (number, kind, channel, status, jurisdiction, language,"                  \
    " category, district, body, receiving_body, executor, registrar, text, address, lat,"          \
    " lon, applicant_type, applicant_id, applicant_name, applicant_address,"                       \
    " applicant_phone, applicant_email, signatories, received_at, registered_on, due_on,"          \
    " forward_by, max_due_on, access_hash, parent_id, link, repeat_of, updated_at,"                \
    " problem_id, applicant_key)"                                                                  \
    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
int store_appeal_insert(store_tx_t *tx, appeal_rec_t *a, ot_err_t *err)
{
    int rc0 = store_stat_arm(tx, err); /* the batch counts it, not the trigger */
    if (rc0)
        return rc0;
    int ret = store_returning(tx);
    PREPARE(tx, ret ? APPEAL_INSERT " RETURNING id" : APPEAL_INSERT);
    db_bind_text(st, 1, a->number);
    db_bind_text(st, 2, a->kind);
    db_bind_text(st, 3, a->channel);
    db_bind_text(st, 4, a->status);
    db_bind_text(st, 5, a->jurisdiction);
    db_bind_text(st, 6, a->language);
    db_bind_text(st, 7, a->category);
    store_bind_opt(st, 8, a->district);
    db_bind_text(st, 9, a->body);
    db_bind_text(st, 10, a->receiving_body);
    store_bind_id(st, 11, a->executor);
    store_bind_id(st, 12, a->registrar);
    db_bind_text(st, 13, a->text);
    db_bind_text(st, 14, a->address);
    if (a->has_coords) {
        db_bind_double(st, 15, a->lat);
        db_bind_double(st, 16, a->lon);
    }
    db_bind_text(st, 17, a->applicant_type);
    store_bind_opt(st, 18, a->applicant_id);
    db_bind_text(st, 19, a->applicant_name);
    db_bind_text(st, 20, a->applicant_address);
    db_bind_text(st, 21, a->applicant_phone);
    db_bind_text(st, 22, a->applicant_email);
    if (a->signatories)
        db_bind_int64(st, 23, a->signatories);
    db_bind_int64(st, 24, a->received_at);
    db_bind_text(st, 25, a->registered_on);
    db_bind_text(st, 26, a->due_on);
    store_bind_opt(st, 27, a->forward_by);
    db_bind_text(st, 28, a->max_due_on);
    db_bind_text(st, 29, a->access_hash);
    store_bind_id(st, 30, a->parent_id);
    store_bind_opt(st, 31, a->link);
    store_bind_id(st, 32, a->repeat_of);
    db_bind_int64(st, 33, a->updated_at);
    store_bind_id(st, 34, a->problem_id);
    store_bind_opt(st, 35, a->applicant_key);
    int rc = db_run(st, ret ? &a->id : NULL, err); /* RETURNING: see store_returning */
    if (!rc && !ret)
        a->id = db_last_id(tx->db);
    if (!rc)
        rc = store_stat_added(tx, a->id, err);
    if (!rc && !store_search_deferred(tx->store))
        rc = store_search_put(tx, a->id, SEARCH_APPEAL, a->language, a->body, a->executor, a->text,
                              0, err);
    if (rc == OT_ECONFLICT)
        ot_err(err, OT_EINVAL, "unknown_reference", NULL, "%s", err ? err->message : "");
    return rc == OT_ECONFLICT ? OT_EINVAL : rc;
}

/* The mutable columns, their field in appeal_rec_t and how each is bound. */
enum { M_TEXT, M_OPT, M_PTR, M_ID, M_INT64, M_INT };
static const struct mcol {
    const char *name;
    int kind;
    size_t off;
} mcols[] = {
#define M(name, kind)                                                                              \
    {                                                                                              \
#name, kind, offsetof(appeal_rec_t, name)                                                  \
    }
    M(status, M_TEXT),          M(body, M_TEXT),
    M(executor, M_ID),          M(due_on, M_TEXT),
    M(forward_by, M_OPT),       M(max_due_on, M_TEXT),
    M(extended_on, M_OPT),      M(extension_reason, M_PTR),
    M(forwarded_at, M_ID),      M(forward_late, M_INT),
    M(answered_at, M_ID),       M(closed_at, M_ID),
    M(answered_by, M_ID),       M(answered_on, M_OPT),
    M(decision, M_OPT),         M(answer_text, M_PTR),
    M(answer_grounds, M_PTR),   M(rating, M_ID),
    M(rated_at, M_ID),          M(rating_comment, M_PTR),
    M(control_on, M_OPT),       M(terminate_reason, M_OPT),
    M(repeat_of, M_ID),         M(updated_at, M_INT64),
    M(suspended_on, M_OPT),     M(suspended_days, M_INT),
    M(personal_control, M_INT), M(problem_id, M_ID),
    M(verdict, M_OPT),          M(verdict_comment, M_PTR),
    M(verdict_at, M_ID),        M(reraised, M_INT),
#undef M
};
#define N_MCOLS  (sizeof mcols / sizeof mcols[0])
#define ALL_COLS (N_MCOLS >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << N_MCOLS) - 1)

#define FIELD(rec, c, type) ((const type *)(const void *)((const char *)(rec) + (c)->off))

static int mcol_same(const struct mcol *c, const appeal_rec_t *x, const appeal_rec_t *y)
{
    switch (c->kind) {
    case M_PTR: {
        const char *p = *FIELD(x, c, char *), *q = *FIELD(y, c, char *);
        return p == q || (p && q && !strcmp(p, q));
    }
    case M_ID:
    case M_INT64:
        return *FIELD(x, c, int64_t) == *FIELD(y, c, int64_t);
    case M_INT:
        return *FIELD(x, c, int) == *FIELD(y, c, int);
    default:
        return !strcmp(FIELD(x, c, char), FIELD(y, c, char));
    }
}

static void mcol_bind(db_stmt_t *st, int i, const struct mcol *c, const appeal_rec_t *a)
{
    switch (c->kind) {
    case M_TEXT:
        db_bind_text(st, i, FIELD(a, c, char));
        break;
    case M_OPT:
        store_bind_opt(st, i, FIELD(a, c, char));
        break;
    case M_PTR:
        db_bind_text(st, i, *FIELD(a, c, char *));
        break;
    case M_ID:
        store_bind_id(st, i, *FIELD(a, c, int64_t));
        break;
    case M_INT64:
        db_bind_int64(st, i, *FIELD(a, c, int64_t));
        break;
    default:
        db_bind_int64(st, i, *FIELD(a, c, int));
    }
}

/* The UPDATE statement of each set of changed columns, made once per process and kept for
 * its life: the driver caches prepared statements by the address of their SQL. An action
 * changes a handful of columns, so there are a few dozen sets at most; past the table's
 * size every column is written. */
static struct {
    uint64_t mask;
    char sql[40 + N_MCOLS * 24];
} update_sql[64];
static int n_update_sql;
static pthread_mutex_t update_sql_lock = PTHREAD_MUTEX_INITIALIZER;

static const char *update_sql_for(uint64_t *mask)
{
    const char *sql = NULL;
    pthread_mutex_lock(&update_sql_lock);
    for (int i = 0; i < n_update_sql && !sql; i++)
        if (update_sql[i].mask == *mask)
            sql = update_sql[i].sql;
    if (!sql && n_update_sql == (int)(sizeof update_sql / sizeof update_sql[0]))
        *mask = ALL_COLS; /* update_sql[0] is every column: see store_appeal_update */
    else if (!sql) {
        char *out = update_sql[n_update_sql].sql;
        size_t n = sizeof update_sql[0].sql, len = 0;
        len += (size_t)snprintf(out, n, "UPDATE appeals SET ");
        for (size_t c = 0; c < N_MCOLS; c++)
            if (*mask & ((uint64_t)1 << c))
                len += (size_t)snprintf(out + len, n - len, "%s%s = ?",
                                        out[len - 1] == '?' ? ", " : "", mcols[c].name);
        snprintf(out + len, n - len, " WHERE id = ?");
        update_sql[n_update_sql].mask = *mask;
        sql = update_sql[n_update_sql++].sql;
    }
    if (!sql)
        sql = update_sql[0].sql;
    pthread_mutex_unlock(&update_sql_lock);
    return sql;
}

/* What the search index holds of an appeal: its texts and its scope (store_search.h) */
typedef struct indexed {
    char lang[4], body[64];
    int64_t executor;
    char *text, *answer;
} indexed_t;

static int indexed_read(store_tx_t *tx, int64_t id, indexed_t *x, ot_err_t *err)
{
    memset(x, 0, sizeof *x);
    PREPARE(tx, "SELECT language, body, coalesce(executor, 0), text, answer_text"
                " FROM appeals WHERE id = ?");
    db_bind_int64(st, 1, id);
    int rc = db_step(st, err);
    if (rc == DB_ROW) {
        store_copy_col(st, 0, x->lang, sizeof x->lang);
        store_copy_col(st, 1, x->body, sizeof x->body);
        x->executor = db_col_int64(st, 2);
        x->text = store_dup_col(st, 3);
        x->answer = store_dup_col(st, 4);
        if (!x->text || (!db_col_is_null(st, 4) && !x->answer))
            rc = -ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
    }
    db_reset(st);
    return rc < 0 ? -rc : OT_OK;
}

/* Brings the index from x (before the update) to a: the texts again when the scope changed
 * (a forwarded or assigned appeal), else the answer when it changed */
static int reindex(store_tx_t *tx, const indexed_t *x, const appeal_rec_t *a, ot_err_t *err)
{
    int scope = strcmp(x->body, a->body) || x->executor != a->executor;
    int answer = scope || !(x->answer == a->answer_text ||
                            (x->answer && a->answer_text && !strcmp(x->answer, a->answer_text)));
    int rc = OT_OK;
    if (scope && x->text)
        rc = store_search_put(tx, a->id, SEARCH_APPEAL, x->lang, x->body, x->executor, x->text, 1,
                              err);
    if (!rc && scope)
        rc = store_search_put(tx, a->id, SEARCH_APPEAL, x->lang, a->body, a->executor, x->text, 0,
                              err);
    if (!rc && answer && x->answer)
        rc = store_search_put(tx, a->id, SEARCH_ANSWER, x->lang, x->body, x->executor, x->answer, 1,
                              err);
    if (!rc && answer && a->answer_text)
        rc = store_search_put(tx, a->id, SEARCH_ANSWER, x->lang, a->body, a->executor,
                              a->answer_text, 0, err);
    return rc;
}

int store_appeal_update(store_tx_t *tx, const appeal_rec_t *old, const appeal_rec_t *a,
                        ot_err_t *err)
{
    if (!n_update_sql) { /* the first entry writes every column: the fallback */
        uint64_t all = ALL_COLS;
        update_sql_for(&all);
    }
    uint64_t mask = 0;
    for (size_t c = 0; c < N_MCOLS; c++)
        if (!old || !mcol_same(&mcols[c], old, a))
            mask |= (uint64_t)1 << c;
    if (!mask)
        return OT_OK;
    int rc0 = store_stat_flush(tx, err); /* the batch's new appeals counted as inserted */
    if (rc0)
        return rc0;
    /* the search index holds the texts with their scope (body, executor): what it holds is
     * read before the update, to be taken out as it was indexed */
    static const char *const watched[] = {"answer_text", "body", "executor"};
    int watch = !old;
    for (size_t c = 0; c < N_MCOLS && !watch; c++)
        for (size_t k = 0; k < 3; k++)
            if ((mask & ((uint64_t)1 << c)) && !strcmp(mcols[c].name, watched[k]))
                watch = 1;
    indexed_t x = {0};
    int rc;
    if (watch && !store_search_deferred(tx->store) && (rc = indexed_read(tx, a->id, &x, err)))
        goto out;
    watch = watch && !store_search_deferred(tx->store);
    const char *sql = update_sql_for(&mask);
    db_stmt_t *st = db_prepare(tx->db, sql, err);
    if (!st) {
        rc = err ? err->status : OT_EINTERNAL;
        goto out;
    }
    int i = 1;
    for (size_t c = 0; c < N_MCOLS; c++)
        if (mask & ((uint64_t)1 << c))
            mcol_bind(st, i++, &mcols[c], a);
    db_bind_int64(st, i, a->id);
    rc = db_run(st, NULL, err);
    if (!rc && watch)
        rc = reindex(tx, &x, a, err);
out:
    free(x.text);
    free(x.answer);
    if (rc == OT_ECONFLICT)
        return ot_err(err, OT_EINVAL, "unknown_reference", NULL, "%s", err ? err->message : "");
    return rc;
}

static int one(db_stmt_t *st, appeal_rec_t *out, ot_err_t *err)
{
    int rc = db_step(st, err);
    if (rc < 0)
        return -rc;
    if (rc == DB_DONE) {
        db_reset(st);
        return ot_err(err, OT_ENOTFOUND, "appeal_not_found", "number", "no such appeal");
    }
    read_rec(st, out);
    db_reset(st);
    return OT_OK;
}

int store_appeal_get(store_tx_t *tx, const char *number, appeal_rec_t *out, ot_err_t *err)
{
    PREPARE(tx, APPEAL_SELECT "WHERE a.number = ?");
    db_bind_text(st, 1, number);
    return one(st, out, err);
}

int store_appeal_get_id(store_tx_t *tx, int64_t id, appeal_rec_t *out, ot_err_t *err)
{
    PREPARE(tx, APPEAL_SELECT "WHERE a.id = ?");
    db_bind_int64(st, 1, id);
    return one(st, out, err);
}

/* The appeal page (issue 19 point 7): one statement, one round trip on PostgreSQL, for what
 * four read transactions gave (the appeal, its executor's name, its problem, its answer held
 * for approval, whether its problem has earlier decisions). answer_approvals_pending makes
 * the pending answer one row at most. */
/* clang-format off */
#define APPEAL_PAGE_SQL                                                                            \
    "SELECT " APPEAL_COLS_WITH("a.text") ", e.id, e.login, e.name, e.position, "                   \
    PROBLEM_COLS_OF("pr", "pb") ", " APPROVAL_COLS_OF("ap", "a", "au")                             \
    ", EXISTS (SELECT 1 FROM appeals q WHERE q.problem_id = a.problem_id"                          \
    " AND q.received_at <= a.received_at AND q.id <> a.id"                                         \
    " AND q.decision IS NOT NULL AND q.decision <> '')" APPEAL_FROM                                \
    " LEFT JOIN users e ON e.id = a.executor LEFT JOIN problems pr ON pr.id = a.problem_id"        \
    " LEFT JOIN bodies pb ON pb.id = pr.body"                                                      \
    " LEFT JOIN answer_approvals ap ON ap.appeal_id = a.id AND ap.status = 'pending'"              \
    " LEFT JOIN users au ON au.id = ap.submitted_by WHERE a.number = ?"
/* clang-format on */

/* The node's page cache (issue 19 point 7, store_cache.h) serves a page read outside a
 * transaction (appeal_page's: no snapshot); inside one, the transaction's own view counts. */
static page_cache_t *page_cache_of(store_tx_t *tx)
{
    return db_in_tx(tx->db) ? NULL : store_page_cache(tx->store);
}

int store_appeal_page(store_tx_t *tx, const char *number, store_appeal_page_t *out, ot_err_t *err)
{
    enum { EXEC = APPEAL_COLS_N, PROB = EXEC + 4, HELD = PROB + 22, PRIOR = HELD + 15 };
    page_cache_t *cache = page_cache_of(tx);
    uint64_t mark = 0;
    if (cache) {
        free(tx->prior.rows);
        memset(&tx->prior, 0, sizeof tx->prior);
        if (page_cache_get(cache, number, out, &tx->prior))
            return OT_OK;
        mark = page_cache_mark(cache); /* before the read: a change heard after it is news */
    }
    PREPARE(tx, APPEAL_PAGE_SQL);
    db_bind_text(st, 1, number);
    int rc = db_step(st, err);
    if (rc < 0)
        return -rc;
    if (rc == DB_DONE) {
        db_reset(st);
        return ot_err(err, OT_ENOTFOUND, "appeal_not_found", "number", "no such appeal");
    }
    read_rec(st, &out->a);
    out->has_executor = !db_col_is_null(st, EXEC);
    out->executor_id = db_col_int64(st, EXEC);
    store_copy_col(st, EXEC + 1, out->executor_login, sizeof out->executor_login);
    store_copy_col(st, EXEC + 2, out->executor_name, sizeof out->executor_name);
    store_copy_col(st, EXEC + 3, out->executor_position, sizeof out->executor_position);
    out->has_problem = !db_col_is_null(st, PROB);
    if (out->has_problem)
        store_read_problem(st, PROB, &out->p);
    out->has_held = !db_col_is_null(st, HELD);
    if (out->has_held)
        store_read_approval(st, HELD, &out->held);
    out->has_prior = (int)db_col_int64(st, PRIOR);
    db_reset(st);
    if (cache && (out->serial = page_cache_put(cache, mark, out)))
        out->mark = mark;
    return OT_OK;
}

/* The earlier decisions from the page cache, when they came with this request's page. */
static int prior_from_cache(store_tx_t *tx, int64_t problem_id, int64_t appeal_id,
                            int64_t received_at, int limit, int (*fn)(appeal_rec_t *a, void *arg),
                            void *arg)
{
    page_prior_hit_t *h = &tx->prior;
    if (!h->rows || h->problem_id != problem_id || h->appeal_id != appeal_id ||
        h->received_at != received_at || h->limit != limit)
        return 0;
    appeal_rec_t rec, *a = &rec;
    memset(a, 0, sizeof *a);
    for (int i = 0; i < h->n; i++) {
        const page_prior_t *r = &h->rows[i];
        a->id = r->id;
        a->received_at = r->received_at;
        memcpy(a->number, r->number, sizeof a->number);
        memcpy(a->body, r->body, sizeof a->body);
        memcpy(a->decision, r->decision, sizeof a->decision);
        memcpy(a->answered_on, r->answered_on, sizeof a->answered_on);
        memcpy(a->verdict, r->verdict, sizeof a->verdict);
        if (fn(a, arg))
            break;
    }
    free(h->rows);
    memset(h, 0, sizeof *h);
    return 1;
}

int store_problem_prior(store_tx_t *tx, int64_t problem_id, int64_t appeal_id, int64_t received_at,
                        int limit, int (*fn)(appeal_rec_t *a, void *arg), void *arg, ot_err_t *err)
{
    page_cache_t *cache = page_cache_of(tx);
    if (cache && prior_from_cache(tx, problem_id, appeal_id, received_at, limit, fn, arg))
        return OT_OK;
    PREPARE(tx, "SELECT a.id, a.received_at, a.number, a.body, a.decision, a.answered_on,"
                " a.verdict FROM appeals a WHERE a.problem_id = ? AND a.received_at <= ?"
                " AND a.id <> ? AND a.decision IS NOT NULL AND a.decision <> ''"
                " ORDER BY a.received_at, a.id LIMIT ?");
    page_prior_hit_t keep = {problem_id, appeal_id, received_at, limit, 0, NULL};
    uint64_t mark = 0;
    if (cache && limit > 0 && limit <= 1000) {
        mark = page_cache_mark(cache); /* before the read, as for the page */
        keep.rows = malloc((size_t)limit * sizeof *keep.rows);
    }
    db_bind_int64(st, 1, problem_id);
    db_bind_int64(st, 2, received_at);
    db_bind_int64(st, 3, appeal_id);
    db_bind_int64(st, 4, limit);
    appeal_rec_t rec, *a = &rec;
    memset(a, 0, sizeof *a);
    int rc, stop = 0;
    while (!stop && (rc = db_step(st, err)) == DB_ROW) {
        a->id = db_col_int64(st, 0);
        a->received_at = db_col_int64(st, 1);
        COPY(2, number);
        COPY(3, body);
        COPY(4, decision);
        COPY(5, answered_on);
        COPY(6, verdict);
        if (keep.rows && keep.n < limit) {
            page_prior_t *r = &keep.rows[keep.n++];
            r->id = a->id;
            r->received_at = a->received_at;
            memcpy(r->number, a->number, sizeof r->number);
            memcpy(r->body, a->body, sizeof r->body);
            memcpy(r->decision, a->decision, sizeof r->decision);
            memcpy(r->answered_on, a->answered_on, sizeof r->answered_on);
            memcpy(r->verdict, a->verdict, sizeof r->verdict);
        }
        stop = fn(a, arg);
    }
    db_reset(st);
    /* kept only when read whole (fn did not stop it early) */
    if (keep.rows && !stop && rc >= 0)
        page_cache_put_prior(cache, mark, &keep);
    free(keep.rows);
    return stop || rc >= 0 ? OT_OK : -rc;
}

int store_problem_appeals(store_tx_t *tx, int64_t id, int64_t after_at, int64_t after_id, int limit,
                          int (*fn)(appeal_rec_t *a, void *arg), void *arg, ot_err_t *err)
{
    /* a page of appeals_problem (problem_id, received_at, id, ...) from the cursor on */
    PREPARE(tx, APPEAL_SELECT "WHERE a.problem_id = ?1 AND a.received_at >= ?2"
                              " AND (a.received_at > ?2 OR a.id > ?3)"
                              " ORDER BY a.received_at, a.id LIMIT ?4");
    db_bind_int64(st, 1, id);
    db_bind_int64(st, 2, after_at);
    db_bind_int64(st, 3, after_id);
    db_bind_int64(st, 4, limit);
    appeal_rec_t a;
    memset(&a, 0, sizeof a);
    int rc, stop = 0;
    while (!stop && (rc = db_step(st, err)) == DB_ROW) {
        read_rec(st, &a);
        stop = fn(&a, arg);
    }
    appeal_rec_free(&a);
    db_reset(st);
    return stop || rc >= 0 ? OT_OK : -rc;
}

int store_appeal_first_complaint(store_tx_t *tx, int64_t parent_id, int64_t *id, ot_err_t *err)
{
    PREPARE(tx, "SELECT min(id) FROM appeals WHERE parent_id = ? AND link = 'complaint'");
    db_bind_int64(st, 1, parent_id);
    *id = 0;
    int rc = db_run(st, id, err);
    return rc == OT_ENOTFOUND ? OT_OK : rc;
}

/* ==== The staff list ====
 *
 * The SQL is built from the filters given: each filter adds its own condition, so SQLite
 * sees only what constrains the query and walks an index that matches it. The indexes of
 * migration 8 are on one column each; SQLite orders an index on (x) by (x, id), so for one
 * value of x the appeals come in id order and a page of the newest-first list, at any depth
 * of the keyset, reads about as many index entries as it shows. A body scope (a head's or a
 * registrar's bodies) is a set of bodies: one newest-first walk per body of the set, each cut
 * at the page size, merged (UNION ALL) and cut again; a scope that holds every body is no
 * filter at all. */

enum {
    LF_STATUS,
    LF_BODY,
    LF_KIND,
    LF_CATEGORY,
    LF_DISTRICT,
    LF_CHANNEL,
    LF_EXECUTOR,
    LF_OVERDUE,
    LF_DUE_BEFORE,
    LF_DUE_AFTER,
    LF_RECEIVED_FROM,
    LF_RECEIVED_TO,
    LF_REPEATED,
    LF_CONTROL,
    LF_BEFORE_ID,
    LF_FROM_ID,
    LF_COUNT
};

#define LF_DUE     ((1u << LF_DUE_BEFORE) | (1u << LF_DUE_AFTER))
#define LF_RECEIPT ((1u << LF_RECEIVED_FROM) | (1u << LF_RECEIVED_TO))
#define LF_RANGES  (LF_DUE | LF_RECEIPT)
#define LF_IDS     ((1u << LF_BEFORE_ID) | (1u << LF_FROM_ID))

/* The open states as the WHERE clauses of the partial indexes of open appeals word for word,
 * so that SQLite may use them: ">= 1" for all open appeals (appeals_queue), "> 0" for an
 * executor's or a body's (appeals_queue_exec, appeals_queue_body; migrations_sqlite.c). */
#define QUEUE_OPEN      "(a.status IN ('registered', 'assigned', 'in_work')) >= 1"
#define QUEUE_OPEN_SOME "(a.status IN ('registered', 'assigned', 'in_work')) > 0"

/* Each filter's condition, one `?` each except LF_REPEATED and LF_CONTROL (none): as the
 * index that drives the walk sees it, and as a check on the rows that walk finds (written so that
 * no index serves it: SQLite would otherwise take the index that matches most terms, such as
 * (status, due_on) for status and overdue, and sort all it finds). */
#define CONTROL_COND                                                                               \
    "(a.control_on IS NOT NULL OR EXISTS (SELECT 1 FROM control_queue q"                           \
    " WHERE q.appeal_id = a.id AND q.released_at IS NULL))"
static const char *const lf_cond[LF_COUNT][2] = {
    [LF_STATUS] = {"a.status = ?", "a.status || '' = ?"},
    [LF_BODY] = {"a.body = ?", "a.body || '' = ?"},
    [LF_KIND] = {"a.kind = ?", "a.kind || '' = ?"},
    [LF_CATEGORY] = {"a.category = ?", "a.category || '' = ?"},
    [LF_DISTRICT] = {"a.district = ?", "a.district || '' = ?"},
    [LF_CHANNEL] = {"a.channel = ?", "a.channel || '' = ?"},
    [LF_EXECUTOR] = {"a.executor = ?", "a.executor + 0 = ?"},
    /* the expressions of the indexes appeals_open_id and appeals_repeated, word for word */
    [LF_OVERDUE] = {"(a.status IN ('registered', 'assigned', 'in_work')) = 1 AND a.due_on < ?",
                    "a.status || '' IN ('registered', 'assigned', 'in_work')"
                    " AND a.due_on || '' < ?"},
    [LF_DUE_BEFORE] = {"a.due_on < ?", "a.due_on || '' < ?"},
    [LF_DUE_AFTER] = {"a.due_on >= ?", "a.due_on || '' >= ?"},
    [LF_RECEIVED_FROM] = {"a.received_at >= ?", "a.received_at + 0 >= ?"},
    [LF_RECEIVED_TO] = {"a.received_at < ?", "a.received_at + 0 < ?"},
    [LF_REPEATED] = {"(a.repeat_of IS NOT NULL) = 1", "a.repeat_of + 0 IS NOT NULL"},
    /* never a driver: checked on the rows of the walk (the control queue is a few open
     * appeals of each body, walked as the work queue) */
    [LF_CONTROL] = {CONTROL_COND, CONTROL_COND},
    /* the cursor and a range's ids: a range of every index (x, id) as of the table; checked
     * on the entries of a range's index when that drives (sput_conds) */
    [LF_BEFORE_ID] = {"a.id < ?", "a.id + 0 < ?"},
    [LF_FROM_ID] = {"a.id >= ?", "a.id + 0 >= ?"},
};

/* Which filter's index drives the walk, the first present of: those whose index yields
 * the appeals in id order, the narrowest first on average (an executor's, a body's
 * appeals), then the ranges, whose index is read and sorted. The keyset cursor is a range
 * of every index. */
static const int lf_drivers[] = {LF_EXECUTOR, LF_BODY,       LF_CATEGORY,      LF_DISTRICT,
                                 LF_REPEATED, LF_OVERDUE,    LF_STATUS,        LF_KIND,
                                 LF_CHANNEL,  LF_DUE_BEFORE, LF_RECEIVED_FROM, LF_RECEIVED_TO,
                                 LF_DUE_AFTER};

static int lf_driver(uint32_t mask)
{
    for (size_t i = 0; i < sizeof lf_drivers / sizeof lf_drivers[0]; i++)
        if (mask & (1u << lf_drivers[i]))
            return lf_drivers[i];
    return -1;
}

static uint32_t lf_mask(const appeal_filter_t *f)
{
    uint32_t m = 0;
    m |= (uint32_t)(f->status != NULL) << LF_STATUS;
    m |= (uint32_t)(f->body != NULL) << LF_BODY;
    m |= (uint32_t)(f->kind != NULL) << LF_KIND;
    m |= (uint32_t)(f->category != NULL) << LF_CATEGORY;
    m |= (uint32_t)(f->district != NULL) << LF_DISTRICT;
    m |= (uint32_t)(f->channel != NULL) << LF_CHANNEL;
    m |= (uint32_t)(f->executor != 0) << LF_EXECUTOR;
    m |= (uint32_t)(f->overdue != 0) << LF_OVERDUE;
    m |= (uint32_t)(f->due_before != NULL) << LF_DUE_BEFORE;
    m |= (uint32_t)(f->due_after != NULL) << LF_DUE_AFTER;
    m |= (uint32_t)(f->received_from != 0) << LF_RECEIVED_FROM;
    m |= (uint32_t)(f->received_to != 0) << LF_RECEIVED_TO;
    m |= (uint32_t)(f->repeated != 0) << LF_REPEATED;
    m |= (uint32_t)(f->control != 0) << LF_CONTROL;
    m |= (uint32_t)(f->before_id != 0) << LF_BEFORE_ID;
    m |= (uint32_t)(f->from_id != 0) << LF_FROM_ID;
    return m;
}

/* Binds the conditions of mask from parameter *i on, in lf_cond's order. */
static void lf_bind(db_stmt_t *st, int *i, uint32_t mask, const appeal_filter_t *f)
{
    const char *text[LF_COUNT] = {
        [LF_STATUS] = f->status,
        [LF_BODY] = f->body,
        [LF_KIND] = f->kind,
        [LF_CATEGORY] = f->category,
        [LF_DISTRICT] = f->district,
        [LF_CHANNEL] = f->channel,
        [LF_OVERDUE] = f->today ? f->today : "",
        [LF_DUE_BEFORE] = f->due_before,
        [LF_DUE_AFTER] = f->due_after,
    };
    const int64_t num[LF_COUNT] = {
        [LF_EXECUTOR] = f->executor,       [LF_RECEIVED_FROM] = f->received_from,
        [LF_RECEIVED_TO] = f->received_to, [LF_BEFORE_ID] = f->before_id,
        [LF_FROM_ID] = f->from_id,
    };
    for (int c = 0; c < LF_COUNT; c++) {
        if (!(mask & (1u << c)) || c == LF_REPEATED || c == LF_CONTROL)
            continue;
        if (text[c])
            db_bind_text(st, (*i)++, text[c]);
        else
            db_bind_int64(st, (*i)++, num[c]);
    }
}

typedef struct sbuf {
    char *p;
    size_t len, cap;
    int oom;
} sbuf_t;

static void sput(sbuf_t *b, const char *s)
{
    size_t n = strlen(s);
    if (b->oom)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 2048;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p) {
            b->oom = 1;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n + 1);
    b->len += n;
}

/* The statement built in b, or NULL when it ran out of memory (b freed). */
static char *sfinish(sbuf_t *b)
{
    if (b->oom) {
        free(b->p);
        return NULL;
    }
    return b->p;
}

/* " AND a.body || '' NOT IN (?, ...)": n bodies outside a scope, skipped (a scope of every
 * body but those); the parameters numbered from *num on, unless num is NULL. */
static void sput_outside(sbuf_t *b, int n, int *num)
{
    for (int k = 0; k < n; k++) {
        char piece[16] = "?";
        if (num)
            snprintf(piece, sizeof piece, "?%d", (*num)++);
        sput(b, k ? ", " : " AND a.body || '' NOT IN (");
        sput(b, piece);
    }
    sput(b, n ? ")" : "");
}

/* The conditions of mask; the driver's indexable, the other ones not (lf_cond). A range
 * drives with both of its ends. The ids (cursor, a range's) are indexable unless a range
 * drives: its ids bound the range's own (receipt_narrow), and as a range of rowids SQLite
 * would read the rows between them rather than the range's index entries (a Ridder
 * registrar's appeals due after a date: 22,797 rows read for 558 entries, 150 ms at 1M).
 * driver LF_COUNT: every condition indexable (a set's ids, ids_sql); BODY_QUEUE: overdue as
 * a range of a body's index of open appeals (list_sql), the others as with no driver;
 * OPEN_STATES: overdue as a range of each open state's (its WHERE clause word for word). */
#define OPEN_STATES_PAST_DUE                                                                       \
    "(a.status IN ('registered', 'assigned', 'in_work')) <> 0"                                     \
    " AND a.status IN ('registered', 'assigned', 'in_work') AND a.due_on < ?"
#define BODY_QUEUE  (-2)
#define OPEN_STATES (-3) /* overdue as ranges of the open states' index, appeals_open_status */
static void sput_conds(sbuf_t *b, uint32_t mask, int driver, int first)
{
    int range = driver >= LF_DUE_BEFORE && driver <= LF_RECEIVED_TO;
    for (int c = 0; c < LF_COUNT; c++)
        if (mask & ((uint64_t)1 << c)) {
            int ix = c == driver || driver == LF_COUNT ||
                     (driver == LF_DUE_BEFORE && c == LF_DUE_AFTER) ||
                     (driver == LF_RECEIVED_FROM && c == LF_RECEIVED_TO) ||
                     ((c == LF_BEFORE_ID || c == LF_FROM_ID) && !range);
            sput(b, first ? " WHERE " : " AND ");
            sput(b, c != LF_OVERDUE         ? lf_cond[c][!ix]
                    : driver == BODY_QUEUE  ? QUEUE_OPEN_SOME " AND a.due_on < ?"
                    : driver == OPEN_STATES ? OPEN_STATES_PAST_DUE
                                            : lf_cond[c][!ix]);
            first = 0;
        }
}

/* A shape's driver when the filters' sizes chose it (choose_driver): its LF_ index + 1 in
 * these bits of the mask (DRIVER_NONE: no index, appeals walked in id order), and whether a
 * scope's bodies are then a list checked on the rows (SCOPE_IN_SHAPE) instead of a walk per
 * body. */
#define DRIVER_SHIFT   24
#define DRIVER_BITS    (0x1fu << DRIVER_SHIFT)
#define DRIVER_NONE    0x1fu
#define DRIVER_OPEN    0x1eu /* the overdue's ids from the open states' index (OPEN_STATES) */
#define SCOPE_IN_SHAPE (1u << 29)
/* PostgreSQL: a page's ids from its driver's index in a subquery, ordered and limited there
 * (list_sql; one more parameter, the limit, before the page's) */
#define PG_SHAPE (1u << 23)
/* A scope and equality filters met in spans of ids (choose_driver, bits_walk); the filters
 * that can be sets there (overdue's index is on an expression of every open appeal, which
 * SQLite reads from the row: checked on the rows; repeated's is on an expression too, but its
 * entries are few, 15,070 at the 1M demo, and a span's read in 2 ms whole) */
#define BITS_IN_SHAPE (1u << 30)
#define BITS_EQ       (~(1u << LF_OVERDUE))

/* The statement of a shape: the conditions of mask and, when n_scope > 0, a walk per body of
 * the scope (n_scope of them). Parameters: without scope, the conditions then the limit; with
 * it, per walk the body, the conditions and the walk's limit, then the limit; with
 * SCOPE_IN_SHAPE, the conditions, the n_scope bodies, then the limit. */
static char *list_sql(uint32_t mask, int n_scope)
{
    sbuf_t b = {0};
    sput(&b, APPEAL_LIST_SELECT);
    uint32_t forced = (mask & DRIVER_BITS) >> DRIVER_SHIFT;
    int scope_in = (mask & SCOPE_IN_SHAPE) != 0, pg = (mask & PG_SHAPE) != 0;
    mask &= ~(DRIVER_BITS | SCOPE_IN_SHAPE | PG_SHAPE);
    int driver = forced == DRIVER_NONE   ? -1
                 : forced == DRIVER_OPEN ? OPEN_STATES
                 : forced                ? (int)forced - 1
                                         : lf_driver(mask);
    if (pg) {
        /* PostgreSQL: the page's ids in a subquery, every condition as it is (an index may
         * serve any), the scope's bodies a list, ordered and limited there; planned for the
         * request's values (store_pg_plans, in store_appeal_list). Planned once for any
         * values (force_generic_plan, docs/postgresql.md), PostgreSQL took a filter's value
         * to match as many appeals as the average one and a range of ids to hold few, and
         * walked the primary key for a rare value (no appeal by post: 40-250 ms at 100k), or
         * every appeal for a Ridder head's due before April (211 ms in EXPLAIN ANALYZE); the
         * sets of SQLite's large filters met in spans of ids (bits_walk) were 400 statements
         * and as many round trips. */
        sput(&b, "WHERE a.id IN (SELECT a.id FROM appeals a");
        sput_conds(&b, mask, LF_COUNT, 1);
        for (int k = 0; scope_in && k < n_scope; k++)
            sput(&b, k ? ", ?" : " AND a.body IN (?");
        sput(&b, scope_in && n_scope > 0 ? ")" : "");
        sput_outside(&b, n_scope < 0 ? -n_scope : 0, NULL);
        sput(&b, " ORDER BY a.id DESC LIMIT ?) ORDER BY a.id DESC LIMIT ?");
        return sfinish(&b);
    }
    if (scope_in) {
        /* the walk of one filter's index, the scope's bodies checked on its rows (padding
         * binds NULL); a range's ids from its index with the scope checked on its entries
         * (appeals_due_on holds the body: migration 57), then sorted, as without a scope */
        int range = driver >= LF_DUE_BEFORE && driver <= LF_RECEIVED_TO;
        sput(&b, range ? "WHERE a.id IN (SELECT a.id FROM appeals a" : "");
        sput_conds(&b, mask, driver, 1);
        for (int k = 0; k < n_scope; k++)
            sput(&b, k ? ", ?" : " AND a.body || '' IN (?");
        sput(&b, range ? "))" : ")");
        n_scope = 0;
    } else if (n_scope <= 0 &&
               ((driver >= LF_DUE_BEFORE && driver <= LF_RECEIVED_TO) || driver == OPEN_STATES)) {
        /* only ranges: the ids in the range from its index, then sorted (in id order, SQLite
         * would rather walk the whole table than sort); the overdue with other large filters:
         * the ids past due of each open state from appeals_open_status, which holds every
         * filter's column, then sorted (the first filter's index walked in id order read the
         * row of each of its appeals for the overdue: the heating appeals past due of every
         * body as CSV, 7,073 rows, read 94,852 rows, 450 ms at the 1M demo) */
        sput(&b, "WHERE a.id IN (SELECT a.id FROM appeals a");
        sput_conds(&b, mask, driver, 1);
        sput(&b, ")");
    } else if (n_scope <= 0) {
        sput_conds(&b, mask, driver, 1);
    }
    if (n_scope < 0) {
        /* a scope of nearly every body: the walk of no scope, the few bodies outside it
         * skipped (padding binds '', no body's id) */
        sput(&b, mask ? " AND a.body || '' NOT IN (" : " WHERE a.body || '' NOT IN (");
        for (int k = 0; k < -n_scope; k++)
            sput(&b, k ? ", ?" : "?");
        sput(&b, ")");
    } else if (n_scope > 0) {
        /* a body's overdue: the range of its index of open appeals past due, which holds every
         * filter's column (migration 66), its ids sorted; walked in id order, each body read
         * the row of every appeal it passed until it had a page, or all of them (the past due
         * are a few of a body's appeals, and its newest are not yet due): a CSV of the
         * overdue of Ust-Kamenogorsk's bodies, 24,000 rows, read 3 s warm at the 1M demo */
        int late = (mask & (1u << LF_OVERDUE)) != 0;
        sput(&b, "WHERE a.id IN (");
        for (int k = 0; k < n_scope; k++) {
            sput(&b, k ? " UNION ALL " : "");
            sput(&b, "SELECT id FROM (SELECT a.id FROM appeals a WHERE a.body = ?");
            sput_conds(&b, mask, late ? BODY_QUEUE : -1, 0);
            /* PostgreSQL wants the name */
            sput(&b,
                 late ? " ORDER BY +a.id DESC LIMIT ?) AS w" : " ORDER BY a.id DESC LIMIT ?) AS w");
        }
        sput(&b, ")");
    }
    sput(&b, " ORDER BY a.id DESC LIMIT ?");
    return sfinish(&b);
}

/* count_sql's flags: in f's scope; the scope's bodies walked, every filter checked on their
 * rows (a scope narrower than its filters: a city housing department's 81,721 portal appeals
 * of its 141,077 were counted by the channel's index, the row of each of the oblast's 500,000
 * portal appeals read for its body, 1 s at the 1M demo; by the body's 0.2 s) */
#define COUNT_SCOPED   1
#define COUNT_BY_SCOPE 2

/* The count of a shape, up to a cap: no order, so a scope is a plain list of bodies. The
 * parameters: the conditions, the scope path twice when scoped, the cap. */
static char *count_sql(uint32_t mask, int flags)
{
    sbuf_t b = {0};
    int scoped = flags & COUNT_SCOPED;
    sput(&b, "SELECT count(*) FROM (SELECT a.id FROM appeals a");
    /* a scope's overdue: the range of each of its bodies' index of open appeals past due, as
     * list_sql walks it (by the overdue's own index, the row of every appeal past due was read
     * for its body: an export's cap of Ridder's 262 overdue complaints, 170 ms at 1M) */
    int d = flags & COUNT_BY_SCOPE ? -1 : lf_driver(mask);
    sput_conds(&b, mask, scoped && (mask & (1u << LF_OVERDUE)) ? BODY_QUEUE : d, 1);
    if (scoped) {
        /* the scope checked on the entries of a range of due dates (appeals_due_on holds the
         * body), not a walk of each body reading rows to check the dates (an export's cap of a
         * head's appeals due after a date, 1.6 s at the 1M demo) */
        int due = !(mask & (1u << LF_OVERDUE)) && (d == LF_DUE_BEFORE || d == LF_DUE_AFTER);
        sput(&b, mask ? " AND" : " WHERE");
        sput(&b, due ? " a.body || '' IN" : " a.body IN");
        sput(&b, " (SELECT id FROM bodies WHERE substr(path, 1, length(?)) = ?)");
    }
    sput(&b, " LIMIT ?) AS c");
    return sfinish(&b);
}

/* A scope's walks come in powers of two up to 8, then in multiples of 8 (unused ones bind
 * body NULL and find nothing), so that the shapes, and the statements each connection keeps
 * prepared, stay few, and a scope of 73 bodies does not run 55 empty walks. */
static int scope_walks(size_t n_bodies)
{
    int k = 1;
    while ((size_t)k < n_bodies && k < 8)
        k *= 2;
    while ((size_t)k < n_bodies)
        k += 8;
    return k;
}

/* ==== The work queue (issue 18) ====
 *
 * Open appeals by due date, overdue first: one of the partial indexes of open appeals
 * (appeals_queue_exec on (executor, due_on), appeals_queue_body on (body, due_on),
 * appeals_queue on (due_on)) is walked in (due_on, id) order, the other filters checked on
 * the rows it gives (lf_cond's unindexable forms); a scope is a walk per body, merged and
 * cut like the list's, and a scope of nearly every body the walk of none with the few
 * others skipped. The cursor (after_due, before_id) is a range of the walked index:
 * due_on >= after_due, then past the ids of that same day. The open statuses are written as
 * the indexes' WHERE clauses, word for word, so that SQLite may use them: ">= 1" for all open
 * appeals, "> 0" for an executor's or a body's (migrations_sqlite.c). */
#define QUEUE_CURSOR " AND a.due_on >= ? AND (a.due_on > ? OR a.id > ?)"
#define QUEUE_SHAPE  (1u << 31) /* the bit of a queue's shape in the statement cache */

/* The queue's conditions on due_on, as ranges of the walked index (x, due_on): overdue is
 * due_on < today there (the index holds only open appeals), so the overdue list reads the
 * overdue range and stops at its end instead of walking on through the appeals not yet due
 * to fill, or fail to fill, its last page. */
static const char *const queue_due_cond[LF_COUNT] = {
    [LF_OVERDUE] = "a.due_on < ?",
    [LF_DUE_BEFORE] = "a.due_on < ?",
    [LF_DUE_AFTER] = "a.due_on >= ?",
};

/* The queue's conditions of mask, those of the filters ix indexable (lf_cond). */
static void sput_queue_conds(sbuf_t *b, uint32_t mask, uint32_t ix)
{
    for (int c = 0; c < LF_COUNT; c++)
        if (mask & (1u << c) && c != LF_BEFORE_ID) {
            sput(b, " AND ");
            sput(b, queue_due_cond[c] ? queue_due_cond[c] : lf_cond[c][!(ix & (1u << c))]);
        }
    if (mask & (1u << LF_BEFORE_ID))
        sput(b, QUEUE_CURSOR);
}

/* The index a queue walks: the open repeated appeals' with QUEUE_BY_REPEATED, an executor's,
 * else a body's (an executor's and a body's: the body's with QUEUE_BY_BODY, queue_by_body),
 * else all open appeals'. */
#define QUEUE_BY_BODY     ((uint32_t)(LF_BODY + 1) << DRIVER_SHIFT)
#define QUEUE_BY_REPEATED ((uint32_t)(LF_REPEATED + 1) << DRIVER_SHIFT)
static int queue_driver(uint32_t mask)
{
    uint32_t forced = mask & DRIVER_BITS;
    return forced == QUEUE_BY_REPEATED                             ? LF_REPEATED
           : mask & (1u << LF_EXECUTOR) && forced != QUEUE_BY_BODY ? LF_EXECUTOR
           : mask & (1u << LF_BODY)                                ? LF_BODY
                                                                   : -1;
}

/* The open repeated appeals: the WHERE clause of their index (appeals_open_repeated,
 * migration 67), word for word. */
#define OPEN_REPEATED                                                                              \
    "CASE WHEN a.repeat_of IS NOT NULL"                                                            \
    " AND a.status IN ('registered', 'assigned', 'in_work') THEN 1 END = 1"

static char *queue_sql(uint32_t mask, int n_scope)
{
    sbuf_t b = {0};
    sput(&b, APPEAL_LIST_SELECT);
    int driver = queue_driver(mask);
    if (driver == LF_REPEATED && n_scope <= 0) {
        /* the repeated: their index walked whole in the queue's order (2,061 open at the 1M
         * demo), every filter, the due dates and the cursor checked on its entries, written so
         * that no other index serves them (a range of appeals_due_on would be read instead) */
        sput(&b, "WHERE " OPEN_REPEATED);
        for (int c = 0; c < LF_COUNT; c++)
            if (mask & (1u << c) && c != LF_BEFORE_ID) {
                sput(&b, " AND ");
                sput(&b, lf_cond[c][1]);
            }
        if (mask & (1u << LF_BEFORE_ID))
            sput(&b, " AND a.due_on || '' >= ? AND (a.due_on || '' > ? OR a.id + 0 > ?)");
        sput_outside(&b, -n_scope, NULL);
        sput(&b, " ORDER BY a.due_on, a.id LIMIT ?");
    } else if (n_scope <= 0) {
        sput(&b, driver < 0 ? "WHERE " QUEUE_OPEN : "WHERE " QUEUE_OPEN_SOME);
        sput_queue_conds(&b, mask, driver < 0 ? 0 : 1u << driver);
        /* a scope of nearly every body: the walk of no scope, the few bodies outside it
         * skipped (as the list's) */
        sput_outside(&b, -n_scope, NULL);
        sput(&b, " ORDER BY a.due_on, a.id LIMIT ?");
    } else {
        /* the walks' entries cut to the page by their due dates, and only the page's rows
         * read: cut after reading, a Ridder head's page of 500 read up to 500 whole rows a
         * body of the city (15 ms at the 1M demo; the control queue's 35 ms). The last `?` is
         * the cut's, as it was the outer limit's. */
        sput(&b, "WHERE a.id IN (SELECT id FROM (");
        for (int k = 0; k < n_scope; k++) {
            sput(&b, k ? " UNION ALL " : "");
            sput(&b, "SELECT id, due_on FROM (SELECT a.id, a.due_on FROM appeals a"
                     " WHERE a.body = ? AND " QUEUE_OPEN_SOME);
            sput_queue_conds(&b, mask, 0);
            sput(&b, " ORDER BY a.due_on, a.id LIMIT ?) AS w"); /* PostgreSQL wants the name */
        }
        sput(&b, " ORDER BY due_on, id LIMIT ?) AS u) ORDER BY a.due_on, a.id");
    }
    return sfinish(&b);
}

/* the columns of the filters the indexes of open appeals hold (migration 56), as
 * held_by reads them */
#define QUEUE_HELD ", a.kind, a.category, a.district, a.channel, a.repeat_of, a.received_at"
/* The filters whose columns QUEUE_HELD gives. */
#define HELD                                                                                       \
    ((1u << LF_KIND) | (1u << LF_CATEGORY) | (1u << LF_DISTRICT) | (1u << LF_CHANNEL) |            \
     (1u << LF_REPEATED) | LF_RECEIPT)

static int text_is(db_stmt_t *st, int i, const char *want)
{
    const char *v = db_col_text(st, i);
    return v && !strcmp(v, want);
}

/* Whether the appeal of a row whose columns from i on are QUEUE_HELD's passes f's filters of
 * mask (within HELD). */
static int held_by(db_stmt_t *st, int i, uint32_t mask, const appeal_filter_t *f)
{
    return (!(mask & (1u << LF_KIND)) || text_is(st, i, f->kind)) &&
           (!(mask & (1u << LF_CATEGORY)) || text_is(st, i + 1, f->category)) &&
           (!(mask & (1u << LF_DISTRICT)) || text_is(st, i + 2, f->district)) &&
           (!(mask & (1u << LF_CHANNEL)) || text_is(st, i + 3, f->channel)) &&
           (!(mask & (1u << LF_REPEATED)) || !db_col_is_null(st, i + 4)) &&
           (!(mask & (1u << LF_RECEIVED_FROM)) || db_col_int64(st, i + 5) >= f->received_from) &&
           (!(mask & (1u << LF_RECEIVED_TO)) || db_col_int64(st, i + 5) < f->received_to);
}

/* The ids of a queue's walk (its driver, executor or body or none, and its due dates and
 * cursor: mask holds only those), from the index alone, in the queue's order, no limit
 * (queue_bits). */
static char *queue_ids_sql(uint32_t mask)
{
    sbuf_t b = {0};
    int driver = queue_driver(mask);
    /* the body and the filters' columns the index holds (migration 56): an executor's few in a
     * scope, and the filters, are checked there before their rows are read */
    sput(&b, driver < 0 ? "SELECT a.id, a.body" QUEUE_HELD " FROM appeals a WHERE " QUEUE_OPEN
                        : "SELECT a.id, a.body" QUEUE_HELD
                          " FROM appeals a WHERE " QUEUE_OPEN_SOME);
    sput_queue_conds(&b, mask, driver < 0 ? 0 : 1u << driver);
    sput(&b, " ORDER BY a.due_on, a.id");
    return sfinish(&b);
}

/* Binds a queue's conditions and its cursor (queue_sql's order). */
static void queue_bind(db_stmt_t *st, int *i, uint32_t mask, const appeal_filter_t *f)
{
    lf_bind(st, i, mask & ~(1u << LF_BEFORE_ID), f);
    if (mask & (1u << LF_BEFORE_ID)) {
        db_bind_text(st, (*i)++, f->after_due);
        db_bind_text(st, (*i)++, f->after_due);
        db_bind_int64(st, (*i)++, f->before_id);
    }
}

static uint32_t queue_mask(const appeal_filter_t *f)
{
    uint32_t m = lf_mask(f) & ~(1u << LF_BEFORE_ID);
    return m | (uint32_t)(f->after_due && f->before_id) << LF_BEFORE_ID;
}

/* The conditions of queue_bits' walk of a queue's mask: its driver, due dates and cursor, and
 * the filters its index holds, which SQLite checks as it reads the entries; only the entries
 * that pass come out (each one out and checked here cost 0.2 us: the oblast's queue of a
 * district's e-mailed repeats, none open, walked its 166,773 open appeals in 37 ms at the 1M
 * demo). */
#define QUEUE_DRIVE                                                                                \
    ((1u << LF_EXECUTOR) | (1u << LF_BODY) | (1u << LF_OVERDUE) | LF_DUE | (1u << LF_BEFORE_ID))
static uint32_t queue_walk(uint32_t mask)
{
    return mask & (QUEUE_DRIVE | HELD | QUEUE_BY_BODY);
}

/* ==== A range of due dates alone, walked day by day ====
 *
 * Due dates are days, and working days only: the 1M demo's ten months hold about 220 of
 * them, a decade about 2,500, however many appeals there are. The index on (due_on), which
 * orders each day's appeals by id, is then as many newest-first walks as the range has days:
 * the days are found one seek each (the largest day below the one before), each day's newest
 * appeal below the cursor one seek more, and the page is their merge, newest first, one seek
 * a row. A page costs the range's days plus its rows, whatever the range leaves out or holds:
 * the id walk passed every appeal the range leaves out (everything due before a day of next
 * week passed the last weeks' 50,000-100,000 appeals, 105 ms of CPU at the 1M demo) and the
 * sort read all it holds. Parameters of DAYS_SQL: the range's upper end (exclusive), its lower
 * end, the cursor, the lowest id (a range of receipt's, receipt_ids). */
static const char DAYS_SQL[] =
    "WITH RECURSIVE d(day) AS ("
    " SELECT (SELECT max(due_on) FROM appeals WHERE due_on < ?1 AND due_on >= ?2)"
    " UNION ALL SELECT (SELECT max(due_on) FROM appeals WHERE due_on < d.day AND due_on >= ?2)"
    " FROM d WHERE d.day IS NOT NULL)"
    " SELECT day, (SELECT max(id) FROM appeals WHERE due_on = d.day AND id < ?3 AND id >= ?4)"
    " FROM d WHERE day IS NOT NULL";
/* the next appeal of one day's walk: the day, the id the walk stands on, the lowest id */
static const char DAY_NEXT_SQL[] =
    "SELECT max(id) FROM appeals WHERE due_on = ?1 AND id < ?2 AND id >= ?3";
/* receipt_ids' statement (see there) */
#define RECEIPT_DAY "86400000000" /* microseconds a day; the index's expression, word for word */
static const char RECEIPT_IDS_SQL[] =
    "WITH RECURSIVE d(day) AS (SELECT ?1 UNION ALL SELECT day - 1 FROM d WHERE day > ?2)"
    " SELECT max(hi), min(lo) FROM (SELECT"
    " (SELECT max(id) FROM appeals WHERE received_at / " RECEIPT_DAY " = d.day"
    " AND received_at >= ?3 AND received_at < ?4) AS hi,"
    " (SELECT min(id) FROM appeals WHERE received_at / " RECEIPT_DAY " = d.day"
    " AND received_at >= ?3 AND received_at < ?4) AS lo FROM d) AS x";
/* exec_bodies' statement: an executor's bodies, one seek of appeals_exec_body each (the
 * next body after the one before), up to ?2 + 1 of them */
#define EXEC_BODIES 8
static const char EXEC_BODIES_SQL[] =
    "WITH RECURSIVE b(body, k) AS ("
    "SELECT (SELECT min(a.body) FROM appeals a WHERE a.executor = ?1), 0"
    " UNION ALL SELECT (SELECT min(a.body) FROM appeals a WHERE a.executor = ?1"
    " AND a.body > b.body), b.k + 1 FROM b WHERE b.body IS NOT NULL AND b.k < ?2)"
    " SELECT body FROM b WHERE body IS NOT NULL";

/* The ids of one filter's appeals (mask: it and LF_IDS), or of a body's with an executor, a
 * district, a category or a kind (SCOPED's indexes), within a span of ids, from an index
 * alone, lowest first (bits_walk): parameters the filters' values in lf_cond's order (none for
 * LF_REPEATED), the span's end (exclusive), its start, a limit. Every condition indexable. */
static char *ids_sql(uint32_t mask)
{
    sbuf_t b = {0};
    sput(&b, "SELECT a.id FROM appeals a");
    sput_conds(&b, mask, LF_COUNT, 1);
    sput(&b, " ORDER BY a.id LIMIT ?");
    return sfinish(&b);
}

/* One appeal's row when it meets mask's conditions (checked on the row): parameters the id,
 * then the conditions. */
static char *row_sql(uint32_t mask)
{
    sbuf_t b = {0};
    sput(&b, APPEAL_LIST_SELECT "WHERE a.id = ?");
    sput_conds(&b, mask, -1, 0);
    return sfinish(&b);
}

static char *open_by_sql(uint32_t mask, int driver, int n_out);
static int tabs_driver(uint32_t rest);
static int tabs_pick(store_tx_t *tx, const appeal_filter_t *f, uint32_t rest, int always, int *d,
                     int64_t *fewest, ot_err_t *err);
/* the queue's own filters beside those tabs_driver takes */
#define OPEN_BY_OWN ((1u << LF_STATUS) | (1u << LF_OVERDUE) | (1u << LF_BEFORE_ID))

char *store_appeal_list_sql_by(const appeal_filter_t *f, int n_scope, const char *driver)
{
    static const char *const names[LF_COUNT] = {
        [LF_STATUS] = "status",
        [LF_BODY] = "body",
        [LF_KIND] = "kind",
        [LF_CATEGORY] = "category",
        [LF_DISTRICT] = "district",
        [LF_CHANNEL] = "channel",
        [LF_EXECUTOR] = "executor",
        [LF_OVERDUE] = "overdue",
        [LF_REPEATED] = "repeated",
        [LF_DUE_BEFORE] = "due_before",
        [LF_DUE_AFTER] = "due_after",
        [LF_RECEIVED_FROM] = "received_from",
        [LF_RECEIVED_TO] = "received_to",
    };
    if (!strcmp(driver, "days") || !strcmp(driver, "day")) /* due_walk's */
        return f->by_due ? NULL : strdup(driver[3] ? DAYS_SQL : DAY_NEXT_SQL);
    if (!strcmp(driver, "receipt")) /* receipt_ids' */
        return f->by_due ? NULL : strdup(RECEIPT_IDS_SQL);
    if (!strcmp(driver, "exec_bodies")) /* an executor's bodies (exec_bodies) */
        return strdup(EXEC_BODIES_SQL);
    if (!strcmp(driver, "open")) { /* the queue by a filter's index (open_by_sql) */
        int by = tabs_driver(queue_mask(f) & ~OPEN_BY_OWN);
        return f->by_due && by >= 0 && (!f->body || f->executor)
                   ? open_by_sql(queue_mask(f), by, n_scope < 0 ? -n_scope : 0)
                   : NULL;
    }
    if (!strcmp(driver, "walk")) /* queue_bits' walk of the queue's index */
        return f->by_due ? queue_ids_sql(queue_walk(queue_mask(f))) : NULL;
    if (!strcmp(driver, "repeated_queue")) /* the repeated's queue (migration 67) */
        return f->by_due && f->repeated && n_scope <= 0
                   ? queue_sql(queue_mask(f) | QUEUE_BY_REPEATED,
                               n_scope < 0 ? -scope_walks((size_t)-n_scope) : 0)
                   : NULL;
    if (!strcmp(driver, "body_queue") || !strcmp(driver, "body_walk")) /* queue_by_body's */
        return !f->by_due || !f->body || !f->executor ? NULL
               : driver[5] == 'q'                     ? queue_sql(queue_mask(f) | QUEUE_BY_BODY, 0)
                                  : queue_ids_sql(queue_walk(queue_mask(f) | QUEUE_BY_BODY));
    if (!strcmp(driver, "open_states")) /* the overdue's ids from appeals_open_status */
        return f->by_due || n_scope > 0
                   ? NULL
                   : list_sql(lf_mask(f) | DRIVER_OPEN << DRIVER_SHIFT,
                              n_scope < 0 ? -scope_walks((size_t)-n_scope) : 0);
    if (!strcmp(driver, "count") || !strcmp(driver, "count_by_scope")) /* store_appeal_over's */
        return f->by_due ? NULL
                         : count_sql(lf_mask(f), f->scope_path == NULL ? 0
                                                 : driver[5] ? COUNT_SCOPED | COUNT_BY_SCOPE
                                                             : COUNT_SCOPED);
    /* bits_walk's: "ids:FILTER", a filter's ids in a span ("ids:scope+FILTER": a body's of
     * them); "row", the row of an id with the filters checked on it */
    if (!strcmp(driver, "row"))
        return f->by_due ? NULL : row_sql(lf_mask(f) & ~LF_IDS);
    const char *ids = !strncmp(driver, "ids:", 4) ? driver + 4 : NULL;
    uint32_t scoped = ids && !strncmp(ids, "scope+", 6) ? 1u << LF_BODY : 0;
    ids += scoped ? 6 : 0;
    uint32_t d = !strcmp(driver, "id") ? DRIVER_NONE : 0;
    for (int c = 0; c < LF_COUNT; c++)
        if (names[c] && !d && !strcmp(names[c], ids ? ids : driver))
            d = (uint32_t)c + 1;
    if (!d || f->by_due)
        return NULL;
    if (ids)
        return ids_sql(1u << (d - 1) | scoped | LF_IDS);
    int walks = n_scope > 0 ? scope_walks((size_t)n_scope) : 0;
    uint32_t shape = d << DRIVER_SHIFT | (walks > 0 && d != DRIVER_NONE ? SCOPE_IN_SHAPE : 0);
    return list_sql((lf_mask(f) & ~(n_scope ? 1u << LF_BODY : 0u)) | shape, walks);
}

char *store_appeal_list_sql(const appeal_filter_t *f, int n_scope)
{
    if (f->by_due)
        return queue_sql(queue_mask(f) & ~(n_scope ? 1u << LF_BODY : 0u),
                         n_scope > 0   ? scope_walks((size_t)n_scope)
                         : n_scope < 0 ? -scope_walks((size_t)-n_scope)
                                       : 0);
    return list_sql(lf_mask(f) & ~(n_scope ? 1u << LF_BODY : 0u),
                    n_scope > 0   ? scope_walks((size_t)n_scope)
                    : n_scope < 0 ? -scope_walks((size_t)-n_scope)
                                  : 0);
}

/* The statements of the shapes met so far, made once per process and kept for its life (the
 * driver caches prepared statements by the address of their SQL). Past the table's size a
 * shape's statement is prepared for the one call. */
static struct {
    uint32_t mask;
    int n_scope;
    char *sql;
} list_shapes[128];
static int n_list_shapes;
static pthread_mutex_t list_shapes_lock = PTHREAD_MUTEX_INITIALIZER;

#define QIDS_SHAPE   (1 << 24) /* n_scope of a queue's ids (queue_ids_sql) */
#define ROW_SHAPE    (1 << 25) /* n_scope of one appeal's row under conditions (row_sql) */
#define IDS_SHAPE    (1 << 26) /* n_scope of a set's ids in a span (ids_sql) */
#define COUNT_SHAPE  (1 << 30) /* n_scope of a count's statement (count_sql) */
#define WINDOW_SHAPE (1 << 28) /* n_scope of a window's count (window_sql) */
#define SUMS_SHAPE   (1 << 27) /* n_scope of the tabs' sums with filters (sums_sql), | driver */
#define TABS_SHAPE                                                                                 \
    (1 << 29) /* n_scope of the tabs by a filter (tabs_sql), | driver | n_out << 5                 \
               */
static char *sums_sql(uint32_t mask, int driver);
static char *tabs_sql(uint32_t mask, int driver, int scoped);

/* How many of the newest appeals (below a cursor, a window of them) match mask's
 * conditions, checked on the rows: parameters the cursor, the window, the conditions. */
static char *window_sql(uint32_t mask)
{
    sbuf_t b = {0};
    sput(&b, "SELECT count(*) FROM (SELECT * FROM appeals a WHERE a.id < ?"
             " ORDER BY a.id DESC LIMIT ?) AS a");
    sput_conds(&b, mask, -1, 1);
    return sfinish(&b);
}

/* The tabs (tabs_sql) or, with QUEUE_SHAPE, the queue (open_by_sql) by a filter's index of
 * open appeals: n_scope TABS_SHAPE | the driver | the bodies outside << 5. */
static char *tabs_shape_sql(uint32_t mask, int n_scope)
{
    return mask & QUEUE_SHAPE ? open_by_sql(mask & ~QUEUE_SHAPE, n_scope & 31, (n_scope >> 5) & 255)
                              : tabs_sql(mask, n_scope & 31, (n_scope >> 5) & 255);
}

/* The SQL of a shape: a window's or a count's (by n_scope's bit), a queue's (by mask's) or a
 * list's. */
static char *shape_sql(uint32_t mask, int n_scope)
{
    return n_scope > 0 && (n_scope & QIDS_SHAPE)     ? queue_ids_sql(mask)
           : n_scope > 0 && (n_scope & ROW_SHAPE)    ? row_sql(mask)
           : n_scope > 0 && (n_scope & IDS_SHAPE)    ? ids_sql(mask)
           : n_scope > 0 && (n_scope & WINDOW_SHAPE) ? window_sql(mask)
           : n_scope > 0 && (n_scope & COUNT_SHAPE)  ? count_sql(mask, n_scope & 3)
           : n_scope > 0 && (n_scope & SUMS_SHAPE)   ? sums_sql(mask, n_scope & 7)
           : n_scope > 0 && (n_scope & TABS_SHAPE)   ? tabs_shape_sql(mask, n_scope)
           : mask & QUEUE_SHAPE                      ? queue_sql(mask & ~QUEUE_SHAPE, n_scope)
                                                     : list_sql(mask, n_scope);
}

static const char *list_sql_kept(uint32_t mask, int n_scope)
{
    const char *sql = NULL;
    pthread_mutex_lock(&list_shapes_lock);
    for (int i = 0; i < n_list_shapes && !sql; i++)
        if (list_shapes[i].mask == mask && list_shapes[i].n_scope == n_scope)
            sql = list_shapes[i].sql;
    if (!sql && n_list_shapes < (int)(sizeof list_shapes / sizeof list_shapes[0])) {
        char *made = shape_sql(mask, n_scope);
        if (made) {
            list_shapes[n_list_shapes].mask = mask;
            list_shapes[n_list_shapes].n_scope = n_scope;
            list_shapes[n_list_shapes++].sql = made;
            sql = made;
        }
    }
    pthread_mutex_unlock(&list_shapes_lock);
    return sql;
}

/* A shape's statement: the kept one, or one prepared for the call, its SQL in *own (free
 * both with shape_done), past the kept shapes or with fresh (a statement open beside another
 * of its shape: store_appeal_each's walks). NULL with err set when it cannot be prepared. */
static db_stmt_t *shape_prepare(store_tx_t *tx, uint32_t mask, int n_scope, int fresh, char **own,
                                ot_err_t *err)
{
    const char *sql = fresh ? NULL : list_sql_kept(mask, n_scope);
    *own = NULL;
    if (sql)
        return db_prepare(tx->db, sql, err);
    if (!(*own = shape_sql(mask, n_scope))) {
        ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
        return NULL;
    }
    db_stmt_t *st = db_prepare_temp(tx->db, *own, err);
    if (!st) {
        free(*own);
        *own = NULL;
    }
    return st;
}

/* Done with a statement of shape_prepare: reset when kept, finalized with its SQL when not. */
static void shape_done(db_stmt_t *st, char *own)
{
    if (own) {
        db_finalize(st);
        free(own);
    } else
        db_reset(st);
}

static int count_mask(store_tx_t *tx, const appeal_filter_t *f, uint32_t mask, int scoped,
                      int64_t cap, int64_t *n, ot_err_t *err);

static int receipt_narrow(store_tx_t *tx, const appeal_filter_t **f, appeal_filter_t *ids,
                          uint32_t *mask, int *by_ids, ot_err_t *err);

/* A range of receipt is counted within its ids (receipt_narrow): an equality filter's index
 * is then read between them, not through (an export's count of a month's closed appeals read
 * every closed appeal, 0.5 s at the 1M demo). Each equality filter, then the scope, is first
 * counted alone on its own index: one under max decides it (a department's answered appeals,
 * counted together, read the row of every answered appeal of the oblast to check its body:
 * 0.7 s at the 1M demo, where the department has 9,464 appeals in all). */
int store_appeal_over(store_tx_t *tx, const appeal_filter_t *f, int64_t max, int *over,
                      ot_err_t *err)
{
    uint32_t mask = lf_mask(f);
    appeal_filter_t ids;
    int by_ids, rc = receipt_narrow(tx, &f, &ids, &mask, &by_ids, err);
    int64_t n = 0;
    *over = 0;
    if (rc || by_ids < 0)
        return rc;
    if ((mask & LF_IDS) == LF_IDS && f->before_id - f->from_id <= max)
        return OT_OK; /* a range of receipt of fewer ids */
    /* each equality filter alone, the due dates, the scope: one under max decides */
    uint32_t eq = mask & ~(LF_RANGES | LF_IDS | (1u << LF_CONTROL));
    for (int c = 0; c <= LF_COUNT + 1; c++) {
        uint32_t one = c < LF_COUNT ? eq & (1u << c) : c == LF_COUNT ? mask & LF_DUE : 0;
        int scoped = c == LF_COUNT + 1 && f->scope_path;
        if (!one && !scoped)
            continue;
        if ((rc = count_mask(tx, f, one, scoped, max + 1, &n, err)))
            return rc;
        if (n <= max)
            return OT_OK;
    }
    /* together: by the first filter's index, the scope checked on its rows (or its entries);
     * by the scope's bodies when every filter holds twice as many appeals or more (the scope
     * counted further, up to 8 max, and each filter up to twice the scope's count): either
     * walk reads rows until the count, and each reads about as many as its index holds (a
     * city's 315,481 appeals against the oblast's 325,688 closed ones: 10 % slower by the
     * city's bodies) */
    int flags = f->scope_path ? COUNT_SCOPED : 0;
    if (f->scope_path && eq && !(mask & (LF_DUE | (1u << LF_OVERDUE)))) {
        int64_t in_scope = 0;
        if ((rc = count_mask(tx, f, 0, COUNT_SCOPED, 8 * max + 1, &in_scope, err)))
            return rc;
        flags |= COUNT_BY_SCOPE;
        for (int c = 0; c < LF_COUNT && (flags & COUNT_BY_SCOPE); c++)
            if (eq & (1u << c)) {
                if ((rc = count_mask(tx, f, 1u << c, 0, 2 * in_scope, &n, err)))
                    return rc;
                if (n < 2 * in_scope)
                    flags &= ~COUNT_BY_SCOPE;
            }
    }
    if ((rc = count_mask(tx, f, mask, flags, max + 1, &n, err)))
        return rc;
    *over = n > max;
    return OT_OK;
}

/* The appeals of mask's conditions (f's values), counted up to cap; with scoped, in f's
 * scope. */
static int count_mask(store_tx_t *tx, const appeal_filter_t *f, uint32_t mask, int scoped,
                      int64_t cap, int64_t *n, ot_err_t *err)
{
    char *own;
    db_stmt_t *st = shape_prepare(tx, mask, COUNT_SHAPE | scoped, 0, &own, err);
    if (!st)
        return err ? err->status : OT_EINTERNAL;
    int i = 1;
    lf_bind(st, &i, mask, f);
    if (scoped) {
        db_bind_text(st, i++, f->scope_path);
        db_bind_text(st, i++, f->scope_path);
    }
    db_bind_int64(st, i, cap);
    int rc = db_run(st, n, err);
    if (own) /* db_run reset it */
        shape_done(st, own);
    return rc;
}

/* Of the filters of cands (mask's bits), the one that matches fewest appeals, each counted
 * on its own index up to cap: *best (-1 when every one matches cap or more) and its count. */
static int smallest(store_tx_t *tx, const appeal_filter_t *f, uint32_t cands, int64_t cap,
                    int *best, int64_t *best_n, ot_err_t *err)
{
    int64_t n;
    *best = -1;
    *best_n = cap;
    for (int c = 0; c < LF_COUNT; c++) {
        if (!(cands & (1u << c)))
            continue;
        int rc = count_mask(tx, f, 1u << c, 0, cap, &n, err);
        if (rc)
            return rc;
        if (n < *best_n)
            *best_n = n, *best = c;
    }
    return OT_OK;
}

/* The bodies under scope (a path prefix), into *ids (malloc'd, *n of them); *all is set when
 * they are every body there is. */
static int scope_bodies(store_tx_t *tx, const char *scope, char (**ids)[64], size_t *n, int *all,
                        ot_err_t *err)
{
    int64_t total = 0;
    {
        PREPARE(tx, "SELECT count(*) FROM bodies");
        int rc = db_run(st, &total, err);
        if (rc)
            return rc;
    }
    PREPARE(tx, "SELECT id FROM bodies WHERE substr(path, 1, length(?1)) = ?1 ORDER BY id");
    db_bind_text(st, 1, scope);
    char(*v)[64] = NULL;
    size_t len = 0, cap = 0;
    int rc;
    while ((rc = db_step(st, err)) == DB_ROW) {
        if (len == cap) {
            cap = cap ? cap * 2 : 16;
            char(*nv)[64] = realloc(v, cap * sizeof *v);
            if (!nv) {
                db_reset(st);
                free(v);
                return ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
            }
            v = nv;
        }
        store_copy_col(st, 0, v[len++], sizeof v[0]);
    }
    db_reset(st);
    if (rc < 0) {
        free(v);
        return -rc;
    }
    *ids = v;
    *n = len;
    *all = (int64_t)len == total;
    return OT_OK;
}

/* A scope with at most COMPLEMENT_MAX bodies outside it (and more inside) is walked as no
 * scope with those few skipped: one walk instead of one per body (a registrar of every body
 * but the police: 73 merged walks were 5 times slower than the supervisor's list at 100k
 * appeals). The bodies outside go into out (NUL-terminated ids), *n of them. */
#define COMPLEMENT_MAX 8

static int scope_outside(store_tx_t *tx, const char *scope, char out[COMPLEMENT_MAX][64], size_t *n,
                         ot_err_t *err)
{
    PREPARE(tx, "SELECT id FROM bodies WHERE substr(path, 1, length(?1)) <> ?1 ORDER BY id"
                " LIMIT ?2");
    db_bind_text(st, 1, scope);
    db_bind_int64(st, 2, COMPLEMENT_MAX + 1);
    int rc;
    *n = 0;
    while ((rc = db_step(st, err)) == DB_ROW) {
        if (*n < COMPLEMENT_MAX)
            store_copy_col(st, 0, out[*n], 64);
        (*n)++;
    }
    db_reset(st);
    return rc < 0 ? -rc : OT_OK;
}

/* Which walk a newest-first page takes is decided by the sizes of its filters, counted up
 * to a cap on their own indexes (a fraction of a millisecond), not by a fixed order alone:
 * - a filter that few appeals match (under PROBE_CAP) drives the walk, the others and a
 *   scope's bodies checked on its rows: a head's list of one category, or a kind with a
 *   channel, read every appeal of the scope or of the kind when that category or channel
 *   had none (120 ms and 88 ms at the 1M demo, issue 23);
 * - a range alone (due dates, receipt) that many appeals match (RANGE_CAP or more), and
 *   that holds a page's worth of the WINDOW newest appeals (below the cursor), is checked on
 *   the appeals walked in id order, which meet the page within the window, instead of its
 *   index read whole and sorted (180 to 260 ms at the 1M demo for a range of months);
 *   other ranges are read from their index and sorted (an old range: walking from the
 *   newest appeals would pass every newer one, a second at the 1M demo); with a scope, a
 *   range under SCOPED_RANGE_CAP is read from its index and sorted too, the scope's bodies
 *   checked on its rows (a head's appeals due before an old date: one walk per body passed
 *   every newer appeal of each, 126-162 ms at the 1M demo), a wider one walked per body
 *   (everything due before a date to come: 12 ms that way);
 * - a range alone that leaves out fewer than OUTSIDE_CAP appeals (range_outside: the other
 *   side of its bounds counted on their indexes), and fewer than half as many as it holds
 *   (the newest id less those), is walked in id order too, whatever the window holds: the
 *   walk passes at most those it leaves out, where the sort reads all it holds (everything
 *   due before a date just ahead of the newest appeals' terms sorted its million: 0.2-0.4 s
 *   at the 1M demo);
 * - under a scope, a range of SCOPED_RANGE_CAP or more with an upper bound is walked per
 *   body from its newest appeal down (due_top: one seek a due day), not from the newest
 *   appeals of each body: a head's appeals due before a date 100,000 appeals back passed
 *   every newer appeal of his bodies (117-123 ms at the 1M demo). No appeal above the
 *   range's newest is in the range, so the bound changes no page; session 24 took it from
 *   the days rather than from the range's entries counted up to 200,000 (a Ridder head's
 *   appeals due before June: 28 ms, most of it counting);
 * - unscoped, a range that none of the above walks has its newest appeal read the same way
 *   and is walked from there when the window below it holds a page: everything due before a
 *   date months back, 91 -> 52 ms of CPU at the 1M demo; a band of due dates and receipt,
 *   333-377 -> 45-47 ms.
 * Since session 13 a range of due dates alone does not come here when it is unscoped, in a
 * scope of every body but a few, or in a scope of a sixteenth of the appeals: due_walk takes
 * it (the due-date figures above are from before). Since session 14 a range of receipt does
 * not come here either: its ids bound the walk (receipt_ids), and without an equality filter
 * the ids are the walk. What comes here is a small scope's range of due dates, and equality
 * filters (their sizes probed).
 * *shape gets the driver bits of list_sql (0: the fixed order's). */
#define PROBE_CAP        STORE_PROBE_CAP
#define RANGE_CAP        store_list_cap(20000)
#define SCOPED_RANGE_CAP store_list_cap(50000)
#define WINDOW           store_list_cap(4000)
#define OUTSIDE_CAP      store_list_cap(100000)

/* How many of the WINDOW newest appeals below f's cursor match mask's conditions. */
static int window_count(store_tx_t *tx, const appeal_filter_t *f, uint32_t mask, int64_t *n,
                        ot_err_t *err)
{
    char *own;
    db_stmt_t *st = shape_prepare(tx, mask, WINDOW_SHAPE, 0, &own, err);
    if (!st)
        return err ? err->status : OT_EINTERNAL;
    int i = 1;
    db_bind_int64(st, i++, f->before_id > 0 ? f->before_id : INT64_MAX);
    db_bind_int64(st, i++, WINDOW);
    lf_bind(st, &i, mask, f);
    int rc = db_run(st, n, err);
    if (own) /* db_run reset it */
        shape_done(st, own);
    return rc;
}

/* How many appeals the due dates of r leave out, up to OUTSIDE_CAP (or a little more): the
 * other side of each bound, counted on its index (due_on >= due_before, due_on < due_after;
 * the column is NOT NULL, so the two sides are the table; a range of receipt never comes
 * here: receipt_narrow bounds it by its ids).
 * Walked in id order, a page of the ranges passes at most that many appeals. In
 * *n OUTSIDE_CAP or more when at least that many. */
static int range_outside(store_tx_t *tx, const appeal_filter_t *f, uint32_t r, int64_t *n,
                         ot_err_t *err)
{
    static const struct {
        int bound, other;
    } sides[] = {{LF_DUE_BEFORE, LF_DUE_AFTER}, {LF_DUE_AFTER, LF_DUE_BEFORE}};
    *n = 0;
    for (size_t k = 0; k < sizeof sides / sizeof sides[0] && *n < OUTSIDE_CAP; k++) {
        if (!(r & (1u << sides[k].bound)))
            continue;
        appeal_filter_t g;
        memset(&g, 0, sizeof g);
        g.due_before = sides[k].other == LF_DUE_BEFORE ? f->due_after : NULL;
        g.due_after = sides[k].other == LF_DUE_AFTER ? f->due_before : NULL;
        int64_t m = 0;
        int rc = count_mask(tx, &g, 1u << sides[k].other, 0, OUTSIDE_CAP, &m, err);
        if (rc)
            return rc;
        *n += m;
    }
    return OT_OK;
}

/* The newest appeal of f's range of due dates (its ends, not the cursor) in *top, 0 when
 * none: each day's newest, one seek a day (DAYS_SQL), the days one seek each (about 220 at
 * the 1M demo), not the range's entries counted (a wide range under a scope, 200,000 and
 * more: 25-40 ms at the 1M demo). */
static int due_top(store_tx_t *tx, const appeal_filter_t *f, int64_t *top, ot_err_t *err)
{
    PREPARE(tx, DAYS_SQL);
    db_bind_text(st, 1, f->due_before ? f->due_before : "9999-12-31");
    db_bind_text(st, 2, f->due_after ? f->due_after : "");
    db_bind_int64(st, 3, INT64_MAX);
    db_bind_int64(st, 4, 0);
    int step;
    *top = 0;
    while ((step = db_step(st, err)) == DB_ROW)
        if (!db_col_is_null(st, 1) && db_col_int64(st, 1) > *top)
            *top = db_col_int64(st, 1);
    db_reset(st);
    return step < 0 ? -step : OT_OK;
}

static int choose_driver(store_tx_t *tx, const appeal_filter_t *f, uint32_t mask, int walks,
                         int limit, uint32_t *shape, int64_t *top, ot_err_t *err)
{
    *shape = 0;
    *top = 0;
    uint32_t eq = mask & ~(LF_RANGES | LF_IDS | (1u << LF_CONTROL));
    int n_eq = __builtin_popcount(eq), best = -1, rc;
    int64_t best_n, n;
    if (n_eq > 1 || (n_eq == 1 && walks > 0)) {
        /* a filter under four pages drives: an export's page of 10,000 walks a filter of fewer
         * than 40,000 appeals reading their rows, where the sets met over spans of ids read
         * every entry of the larger ones (a department's 5,029 answered appeals of the 1M demo
         * as CSV: 750 ms so) */
        int64_t cap = store_list_cap(4 * (int64_t)limit);
        if ((rc = smallest(tx, f, eq, cap > PROBE_CAP ? cap : PROBE_CAP, &best, &best_n, err)))
            return rc;
        if (best >= 0 && walks > 0)
            *shape = SCOPE_IN_SHAPE | (uint32_t)(best + 1) << DRIVER_SHIFT;
        else if (walks > 0 && (eq & (1u << LF_OVERDUE)))
            ; /* each body's overdue from its index of open appeals, the rest on its entries */
        else if (walks > 0 && (eq & BITS_EQ)) /* every filter large, and a scope */
            *shape = BITS_IN_SHAPE;
        else if (best >= 0 && best != lf_driver(mask))
            *shape = (uint32_t)(best + 1) << DRIVER_SHIFT;
        else if (best < 0 && (eq & (1u << LF_OVERDUE)))
            *shape = DRIVER_OPEN << DRIVER_SHIFT;
        else if (best < 0 && __builtin_popcount(eq & BITS_EQ) > 1) /* every filter large */
            *shape = BITS_IN_SHAPE;
        return OT_OK;
    }
    if (!n_eq && (mask & LF_DUE)) {
        /* the range whose index would be read (with its other end), as list_sql reads it */
        uint32_t r = mask & LF_DUE;
        int d = lf_driver(r);
        uint32_t pm = 1u << d | (d == LF_DUE_BEFORE ? r & (1u << LF_DUE_AFTER) : 0);
        if ((rc = count_mask(tx, f, pm, 0, walks > 0 ? SCOPED_RANGE_CAP : RANGE_CAP, &n, err)))
            return rc;
        if (walks > 0) { /* a scope: a range under the cap sorted, else a walk of each body */
            if (n < SCOPED_RANGE_CAP)
                *shape = SCOPE_IN_SHAPE | (uint32_t)(d + 1) << DRIVER_SHIFT;
            else if (r & (1u << LF_DUE_BEFORE)) /* from the range's newest appeal */
                return due_top(tx, f, top, err);
            return OT_OK; /* no upper bound: the range reaches the newest appeals */
        }
        int64_t w = 0, out = 0, last = 0;
        if (n < RANGE_CAP)
            return OT_OK;
        if ((rc = window_count(tx, f, mask & ~(1u << LF_BEFORE_ID), &w, err)))
            return rc;
        if (w >= limit) {
            *shape = DRIVER_NONE << DRIVER_SHIFT;
            return OT_OK;
        }
        /* walked in id order, the page passes at most the appeals the range leaves out;
         * sorted, it reads the whole range (about the newest id less those) */
        if ((rc = range_outside(tx, f, r, &out, err)))
            return rc;
        if (out < OUTSIDE_CAP) {
            PREPARE(tx, "SELECT coalesce(max(id), 0) FROM appeals");
            if ((rc = db_run(st, &last, err)))
                return rc;
            if (out * 2 < last - out) {
                *shape = DRIVER_NONE << DRIVER_SHIFT;
                return OT_OK;
            }
        }
        /* an old range: walked from its newest appeal down when the window there holds a
         * page (its ids read from its index: a fourth of the sort's cost per appeal) */
        int64_t t = 0;
        if ((rc = due_top(tx, f, &t, err)))
            return rc;
        if (t > 0 && (f->before_id <= 0 || t + 1 < f->before_id)) {
            appeal_filter_t g = *f;
            g.before_id = t + 1;
            if ((rc = window_count(tx, &g, mask & ~(1u << LF_BEFORE_ID), &w, err)))
                return rc;
            if (w >= limit) {
                *top = t;
                *shape = DRIVER_NONE << DRIVER_SHIFT;
            }
        }
    }
    return OT_OK;
}

/* Whether a walk that reads every body's appeals keeps one of body: of the n_in bodies of
 * in (a scope), when there are any, and not of the n_out bodies of out. */
static int body_kept(const char *body, char (*in)[64], size_t n_in, char (*out)[64], size_t n_out)
{
    int kept = !n_in;
    for (size_t i = 0; i < n_in && !kept; i++)
        kept = !strcmp(body, in[i]);
    for (size_t i = 0; i < n_out && kept; i++)
        kept = strcmp(body, out[i]) != 0;
    return kept;
}

/* ==== Sets of ids met in spans (a scope with filters that match many) ====
 *
 * A scope of several bodies with equality filters that each match many appeals (2,000 or
 * more) but few of the scope's: a head's list of one category, of one channel and status,
 * of an executor of another body. Walked per body of the scope, a page passed every appeal of
 * the scope's bodies that the filters refuse, each read whole (a city's head's appeals of one
 * category: 60 ms at the 1M demo, two filters 120-160 ms); walked by a filter's index it
 * passes as many of the filter's appeals outside the scope. Here the page meets the sets in
 * spans of ids below the cursor, newest first, each BITS_GROWTH times the one before: in a
 * span each set's ids are read from its index alone (one range of the filter's index, one of
 * each body's) into a bitmap of the span, smallest set first, the bitmaps ANDed, and only the
 * ids left are read whole (the other filters checked on those rows). What a page costs is
 * the index entries of its sets in the spans it needs, about 0.1 us each, not a row each. */
#define BITS_SPAN   16 /* the first span: this many ids a row of the page */
#define BITS_GROWTH 4
#define BITS_MAX    ((int64_t)1 << 20) /* the largest span: a bitmap of 128 KB */

/* One set's ids in [lo, hi) into bits (bit i: id lo + i), lowest first: the filter c's (scope
 * NULL) or the appeals of each of the n bodies of scope, of the filter c too when c >= 0 (an
 * executor, a district, a category: SCOPED), at most cap of them (0: all), *got of
 * them, the last *last; *full is set when it stopped at cap. */
static int bits_fill(store_tx_t *tx, const appeal_filter_t *f, int c, char (*scope)[64], size_t n,
                     int64_t lo, int64_t hi, int64_t cap, uint64_t *bits, int *full, int64_t *got,
                     int64_t *last, ot_err_t *err)
{
    uint32_t m = (scope ? 1u << LF_BODY | (c >= 0 ? 1u << c : 0) : 1u << c) | LF_IDS;
    char *own;
    db_stmt_t *st = shape_prepare(tx, m, IDS_SHAPE, 0, &own, err);
    if (!st)
        return err ? err->status : OT_EINTERNAL;
    appeal_filter_t g = *f;
    g.before_id = hi;
    g.from_id = lo;
    int rc = DB_DONE;
    int64_t left = cap > 0 ? cap : INT64_MAX;
    *full = 0;
    *got = 0;
    for (size_t k = 0; k < (scope ? n : 1) && rc >= 0 && !*full; k++) {
        if (scope)
            g.body = scope[k];
        int i = 1;
        lf_bind(st, &i, m, &g);
        db_bind_int64(st, i, left);
        while ((rc = db_step(st, err)) == DB_ROW) {
            *last = db_col_int64(st, 0);
            int64_t b = *last - lo;
            bitset_add(bits, b);
            ++*got;
            *full = --left == 0;
        }
        db_reset(st);
    }
    shape_done(st, own);
    return rc < 0 ? -rc : OT_OK;
}

/* Filter c's ids into a bitmap of every id (*bits, calloc'd; *top ids, the largest + 1). */
static int set_bitmap(store_tx_t *tx, const appeal_filter_t *f, int c, uint64_t **bits,
                      int64_t *top, ot_err_t *err)
{
    int full, rc;
    int64_t got, last;
    *bits = NULL;
    {
        PREPARE(tx, "SELECT coalesce(max(id), 0) + 1 FROM appeals");
        if ((rc = db_run(st, top, err)))
            return rc;
    }
    if (!(*bits = calloc((size_t)((*top + 63) / 64), sizeof **bits)))
        return ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
    return bits_fill(tx, f, c, NULL, 0, 0, *top, 0, *bits, &full, &got, &last, err);
}

/* One set (bits_fill's c, scope) ANDed into all over [lo, lo + 64 words), unless nearly all of
 * a sample of the ids still in all are in it: read from its index up to BITS_READ entries an
 * id still in all. When it has more, the ids above the last one
 * read stay in all when the set is dense there (a quarter of the ids read; a scope's bodies,
 * read in turn, stay whole), or else each is sought in it: the rows are checked for every
 * filter and the scope anyway. */
#define BITS_READ   16
#define BITS_SAMPLE 32

/* How many of the newest (up to BITS_SAMPLE) ids left in all the set holds (*in of *tried),
 * each sought in it. */
static int bits_sample(store_tx_t *tx, const appeal_filter_t *f, int c, char (*scope)[64], size_t n,
                       int64_t lo, const uint64_t *all, size_t words, int *in, int *tried,
                       ot_err_t *err)
{
    int rc = OT_OK, full = 0;
    int64_t got;
    *in = *tried = 0;
    for (size_t w = words; !rc && *tried < BITS_SAMPLE && w-- > 0;)
        for (uint64_t x = all[w]; x && !rc && *tried < BITS_SAMPLE; ++*tried) {
            int bit = 63 - __builtin_clzll(x);
            int64_t id = lo + (int64_t)w * 64 + bit, at;
            uint64_t hit = 0;
            x &= ~((uint64_t)1 << bit);
            rc = bits_fill(tx, f, c, scope, n, id, id + 1, 0, &hit, &full, &got, &at, err);
            *in += hit != 0;
        }
    return rc;
}

static int bits_and(store_tx_t *tx, const appeal_filter_t *f, int c, char (*scope)[64], size_t n,
                    int64_t lo, uint64_t *all, uint64_t *one, size_t words, ot_err_t *err)
{
    int64_t left = 0, got, last = lo;
    for (size_t w = 0; w < words; w++)
        left += __builtin_popcountll(all[w]);
    int full = 0, rc = OT_OK;
    if (left > BITS_SAMPLE) { /* the newest ids left sought first: a set they are nearly all
                               * in filters little, and is left to the rows */
        int tried, in;
        rc = bits_sample(tx, f, c, scope, n, lo, all, words, &in, &tried, err);
        if (rc || in * 4 >= tried * 3)
            return rc;
    }
    memset(one, 0, words * sizeof *one);
    rc = bits_fill(tx, f, c, scope, n, lo, lo + (int64_t)words * 64,
                   left * store_list_cap(BITS_READ * 1000) / 1000 + store_list_cap(256), one, &full,
                   &got, &last, err);
    if (!rc && full && scope) /* its bodies read in turn: none known to be left out */
        memcpy(one, all, words * sizeof *one);
    else if (!rc && full) {
        int dense = got * 4 > last - lo;
        for (size_t w = (size_t)((last + 1 - lo) >> 6); !rc && w < words; w++)
            for (uint64_t x = all[w]; x && !rc; x &= x - 1) {
                int64_t id = lo + (int64_t)w * 64 + __builtin_ctzll(x);
                uint64_t hit = dense, bit = x & -x;
                int64_t at;
                if (id <= last)
                    continue;
                if (!dense) /* a sparse set for the few ids left: each sought */
                    rc = bits_fill(tx, f, c, scope, n, id, id + 1, 0, &hit, &full, &got, &at, err);
                one[w] |= hit ? bit : 0;
            }
    }
    for (size_t w = 0; w < words; w++)
        all[w] &= one[w];
    return rc;
}

/* A set of bits_walk: a filter's (its LF_ index), the scope's (-1), or a filter's within the
 * scope (its index + LF_COUNT): an executor's, a district's, a category's, a kind's, read from
 * appeals_exec_body, appeals_district_body, appeals_category_body and appeals_kind_body
 * (migrations 58, 60, 68) one range a body of the scope. Met as two sets, a city's head's appeals
 * of another city's executor read each of that executor's rows to find none (60-170 ms at the 1M
 * demo), of another district each of the scope's entries, of a category rare in the city each of
 * that category's rows (42 ms). */
#define SCOPED        ((1u << LF_EXECUTOR) | (1u << LF_DISTRICT) | (1u << LF_CATEGORY) | (1u << LF_KIND))
#define SET_FILTER(s) ((s) < 0 ? -1 : (s) % LF_COUNT)
#define SET_SCOPED(s) ((s) < 0 || (s) >= LF_COUNT)

/* The bodies of an executor's appeals, one seek of appeals_exec_body each, into out (*n of
 * them), or *n = -1 when he has more than EXEC_BODIES. */
static int exec_bodies(store_tx_t *tx, int64_t executor, char out[EXEC_BODIES][64], size_t *n,
                       ot_err_t *err)
{
    PREPARE(tx, EXEC_BODIES_SQL);
    db_bind_int64(st, 1, executor);
    db_bind_int64(st, 2, EXEC_BODIES);
    int rc;
    size_t len = 0;
    while ((rc = db_step(st, err)) == DB_ROW)
        if (len++ < EXEC_BODIES)
            store_copy_col(st, 0, out[len - 1], sizeof out[0]);
    db_reset(st);
    *n = len > EXEC_BODIES ? (size_t)-1 : len;
    return rc < 0 ? -rc : OT_OK;
}

/* The page of f's equality filters eq (mask's) and, with n_scope bodies, its scope, met in
 * spans as bitmaps, the rest of mask's conditions checked on the rows left, and the n_outside
 * bodies of outside (a scope of every body but those) skipped. */
static int bits_walk(store_tx_t *tx, const appeal_filter_t *f, uint32_t mask, uint32_t eq,
                     int limit, char (*scope)[64], size_t n_scope, char (*outside)[64],
                     size_t n_outside, int (*fn)(appeal_rec_t *a, void *arg), void *arg,
                     ot_err_t *err)
{
    int set[LF_COUNT + 1], n_set = 0, rc = OT_OK;
    int64_t size[LF_COUNT + 1]; /* each set's ids in the span before, or at least that many */
    /* an executor's, a district's, a category's and a kind's sets are of the scope's bodies
     * (SCOPED), so
     * that one outside the scope is an empty set; the scope is a set of its own without them. A
     * body asked for is a scope of one for them (a department's appeals of one district). */
    char one_body[1][64];
    if (!n_scope && (eq & (1u << LF_BODY)) && (eq & SCOPED) && strlen(f->body) < 64) {
        snprintf(one_body[0], sizeof one_body[0], "%s", f->body);
        scope = one_body;
        n_scope = 1;
        eq &= ~(1u << LF_BODY);
    }
    /* an executor's few bodies are a scope that holds all of his appeals: a district's or a
     * category's set is then read within them (an executor's appeals of another district:
     * none, where the district's and his sets met over spans of ids read each of the
     * district's 409,392 entries, 40 ms at the 1M demo) */
    char his[EXEC_BODIES][64];
    size_t n_his = 0;
    if (!n_scope && (eq & (1u << LF_EXECUTOR)) && (eq & SCOPED & ~(1u << LF_EXECUTOR)) &&
        (rc = exec_bodies(tx, f->executor, his, &n_his, err)))
        return rc;
    if (n_his != (size_t)-1 && n_his > 0) {
        scope = his;
        n_scope = n_his;
    }
    uint32_t scoped = n_scope ? eq & SCOPED : 0;
    for (int c = 0; c < LF_COUNT; c++)
        if (eq & (1u << c))
            set[n_set] = c + (scoped & (1u << c) ? LF_COUNT : 0), size[n_set++] = 0;
    if (n_scope && !scoped)
        set[n_set] = -1, size[n_set++] = 0;
    uint32_t rows = mask & ~LF_IDS; /* every filter: a set may be left to them (bits_and) */
    char *own;
    db_stmt_t *row = shape_prepare(tx, rows, ROW_SHAPE, 0, &own, err);
    if (!row)
        return err ? err->status : OT_EINTERNAL;
    int64_t hi = 0;
    {
        PREPARE(tx, "SELECT coalesce(max(id), 0) + 1 FROM appeals WHERE id < ?");
        db_bind_int64(st, 1, f->before_id > 0 ? f->before_id : INT64_MAX);
        if ((rc = db_run(st, &hi, err))) {
            shape_done(row, own);
            return rc;
        }
    }
    int64_t bottom = f->from_id > 0 ? f->from_id : 0;
    int64_t span = store_list_cap((int64_t)BITS_SPAN * limit), start = hi, wanted = limit;
    uint64_t *all = malloc((size_t)(BITS_MAX / 64) * sizeof *all);
    uint64_t *one = malloc((size_t)(BITS_MAX / 64) * sizeof *one);
    if (!all || !one)
        rc = ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
    appeal_rec_t a;
    memset(&a, 0, sizeof a);
    int stop = 0;
    while (!rc && !stop && limit > 0 && hi > bottom) {
        if (span > BITS_MAX)
            span = BITS_MAX;
        int64_t lo = hi - bottom > span ? hi - span : bottom;
        size_t words = (size_t)((hi - lo + 63) / 64);
        /* the smallest set of this span read whole: each set counted up to the smallest
         * so far, in the order of the span before (a set's size there, or a bound of it) */
        for (int k = 1; k < n_set; k++)
            for (int j = k; j > 0 && size[j - 1] > size[j]; j--) {
                int t = set[j];
                int64_t z = size[j];
                set[j] = set[j - 1], size[j] = size[j - 1];
                set[j - 1] = t, size[j - 1] = z;
            }
        int best = -1, full = 0;
        for (int k = 0; !rc && k < n_set && (best < 0 || size[best] > 0); k++) {
            memset(one, 0, words * sizeof *one);
            int64_t last = lo;
            rc = bits_fill(tx, f, SET_FILTER(set[k]), SET_SCOPED(set[k]) ? scope : NULL, n_scope,
                           lo, hi, best < 0 ? 0 : size[best], one, &full, &size[k], &last, err);
            if (!rc && !full) {
                uint64_t *t = all;
                all = one, one = t;
                best = k;
            }
        }
        /* the other sets ANDed in, the one that holds fewest of a sample of the ids left first:
         * each is read up to BITS_READ entries an id left, so one that holds most of them read
         * before the others narrowed the ids read them all (a Ridder head's 500 statements by
         * mail: the statements, 77 % of every appeal, read before the mail over a span of
         * 512,000 ids, 394,000 entries: 60-75 ms at the 1M demo) */
        int order[LF_COUNT + 1], n_order = 0, hits[LF_COUNT + 1];
        int sampled = best >= 0 && size[best] > BITS_SAMPLE;
        for (int k = 0; !rc && best >= 0 && size[best] > 0 && k < n_set; k++) {
            if (k == best)
                continue;
            int tried = 0, j = n_order++;
            hits[k] = 0;
            if (sampled)
                rc = bits_sample(tx, f, SET_FILTER(set[k]), SET_SCOPED(set[k]) ? scope : NULL,
                                 n_scope, lo, all, words, &hits[k], &tried, err);
            for (; j > 0 && hits[order[j - 1]] > hits[k]; j--)
                order[j] = order[j - 1];
            order[j] = k;
        }
        for (int i = 0; !rc && i < n_order; i++)
            rc =
                bits_and(tx, f, SET_FILTER(set[order[i]]), SET_SCOPED(set[order[i]]) ? scope : NULL,
                         n_scope, lo, all, one, words, err);
        if (best >= 0 && !size[best])
            memset(all, 0, words * sizeof *all);
        for (size_t w = words; !rc && !stop && limit > 0 && w-- > 0;) {
            while (all[w] && !stop && limit > 0) {
                int bit = 63 - __builtin_clzll(all[w]);
                all[w] &= ~((uint64_t)1 << bit);
                int i = 1;
                db_bind_int64(row, i++, lo + (int64_t)w * 64 + bit);
                lf_bind(row, &i, rows, f);
                int step = db_step(row, err);
                if (step == DB_ROW) {
                    read_rec(row, &a);
                    if (body_kept(a.body, scope, n_scope, outside, n_outside)) {
                        limit--;
                        stop = fn(&a, arg);
                    }
                }
                db_reset(row);
                if (step < 0)
                    rc = -step;
            }
        }
        hi = lo;
        /* the next span BITS_GROWTH times this one, or what the page's rest needs at the rate
         * the spans so far gave its rows, half again, when that is less (a Ridder head's 500
         * statements by mail: 292 rows in 168,000 ids, then a span of 512,000) */
        int64_t need = limit < wanted ? (start - hi) * limit / (wanted - limit) : 0,
                least = store_list_cap((int64_t)BITS_SPAN * limit);
        need = need + need / 2 > least ? need + need / 2 : least;
        span = limit < wanted && need < span * BITS_GROWTH ? need : span * BITS_GROWTH;
    }
    appeal_rec_free(&a);
    free(all);
    free(one);
    shape_done(row, own);
    return rc;
}

/* ==== The work queue with a filter that matches few of many ====
 *
 * The queue walks the open appeals of its driver (an executor's, a body's, all) by due date
 * and checks the other filters on each row: a filter that few open appeals meet read every
 * open appeal (152,142 at the 1M demo: the oblast's queue of one district's repeated appeals,
 * 190-230 ms). When one of its filters matches fewer than QBITS_CAP appeals in all, its ids
 * are read from its index alone into a bitmap of every id, and the queue's walk reads its
 * index alone, the rows only of the ids in the bitmap: a page costs that filter's entries
 * and the walk's, about 0.1 us each, not a row each. When every filter matches more, the
 * walk reads each row first, QBITS_FIRST and 16 a row of the page (filters that meet often fill
 * it there); then the filters' sets of up to QBITS_AND appeals each are read and ANDed into the
 * bitmap (an oblast head's queue of one category's requests in one district: three sets of
 * 25,909-66,614 appeals meeting in no open one, 237 ms of rows) and the walk goes on with it;
 * no set that small: on with the rows. */
#define QBITS_CAP   store_list_cap(20000)
#define QBITS_FIRST 256
#define QBITS_AND   store_list_cap(100000)

/* The sets of eq's filters of up to QBITS_AND appeals each ANDed into *bits (calloc'd, top ids;
 * NULL when none was that small). */
static int queue_meet(store_tx_t *tx, const appeal_filter_t *f, uint32_t eq, uint64_t **bits,
                      int64_t *top, ot_err_t *err)
{
    int rc;
    *bits = NULL;
    {
        PREPARE(tx, "SELECT coalesce(max(id), 0) + 1 FROM appeals");
        if ((rc = db_run(st, top, err)))
            return rc;
    }
    size_t words = (size_t)((*top + 63) / 64);
    uint64_t *one = calloc(words ? words : 1, sizeof *one);
    if (!one)
        return ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
    for (int c = 0; !rc && c < LF_COUNT; c++) {
        if (!(eq & (1u << c)))
            continue;
        int full = 0;
        int64_t got = 0, last = 0;
        memset(one, 0, words * sizeof *one);
        if ((rc = bits_fill(tx, f, c, NULL, 0, 0, *top, QBITS_AND, one, &full, &got, &last, err)) ||
            full)
            continue;
        if (!*bits) {
            *bits = one;
            if (!(one = calloc(words ? words : 1, sizeof *one)))
                rc = ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
            continue;
        }
        for (size_t w = 0; w < words; w++)
            (*bits)[w] &= one[w];
    }
    free(one);
    if (rc) {
        free(*bits);
        *bits = NULL;
    }
    return rc;
}

static int queue_bits(store_tx_t *tx, const appeal_filter_t *f, uint32_t mask, int limit,
                      char (*in)[64], size_t n_in, char (*outside)[64], size_t n_outside, int *done,
                      int (*fn)(appeal_rec_t *a, void *arg), void *arg, ot_err_t *err)
{
    uint32_t walk = mask & QUEUE_DRIVE;
    uint32_t eq = mask & ~walk & BITS_EQ & ~(LF_RANGES | LF_IDS | (1u << LF_CONTROL) | DRIVER_BITS);
    int best = -1, rc = OT_OK;
    int64_t best_n = 0, top = 0, first = INT64_MAX;
    uint64_t *bits = NULL;
    *done = 0;
    if (!eq && !n_in)
        return OT_OK; /* no filter to meet: the walk checks them on the rows */
    if (eq && (rc = smallest(tx, f, eq, QBITS_CAP, &best, &best_n, err)))
        return rc;
    /* no filter to meet (an executor's few in a scope, exec_in_scope): each row read, its body
     * checked in the scope */
    if (eq && best >= 0)
        rc = set_bitmap(tx, f, best, &bits, &top, err);
    else if (eq) /* every filter large: rows first, then the sets */
        first = store_list_cap(QBITS_FIRST + 16 * (int64_t)limit);
    char *own_w = NULL, *own_r = NULL;
    uint32_t rows = mask & ~((1u << LF_BEFORE_ID) | QUEUE_BY_BODY);
    uint32_t in_walk = queue_walk(mask);
    db_stmt_t *w = rc ? NULL : shape_prepare(tx, in_walk, QIDS_SHAPE, 0, &own_w, err);
    db_stmt_t *row = w ? shape_prepare(tx, rows, ROW_SHAPE, 0, &own_r, err) : NULL;
    if (!rc && !row)
        rc = err ? err->status : OT_EINTERNAL;
    int i = 1;
    if (!rc)
        queue_bind(w, &i, in_walk, f);
    appeal_rec_t a;
    memset(&a, 0, sizeof a);
    int stop = 0, step = DB_DONE;
    while (!rc && !stop && limit > 0 && (step = db_step(w, err)) == DB_ROW) {
        int64_t id = db_col_int64(w, 0);
        if (first-- == 0 && (rc = queue_meet(tx, f, eq, &bits, &top, err)))
            break;
        if (bits && (id >= top || !bitset_has(bits, id)))
            continue;
        if ((n_in && !db_col_is_null(w, 1) &&
             !body_kept(db_col_text(w, 1), in, n_in, outside, n_outside)))
            continue;
        int j = 1, r;
        db_bind_int64(row, j++, id);
        lf_bind(row, &j, rows, f);
        if ((r = db_step(row, err)) == DB_ROW) {
            read_rec(row, &a);
            if (body_kept(a.body, in, n_in, outside, n_outside)) {
                limit--;
                stop = fn(&a, arg);
            }
        }
        db_reset(row);
        if (r < 0)
            rc = -r;
    }
    if (!rc && step < 0)
        rc = -step;
    appeal_rec_free(&a);
    if (row)
        shape_done(row, own_r);
    if (w)
        shape_done(w, own_w);
    free(bits);
    *done = !rc;
    return rc;
}

/* f's executor's (by LF_EXECUTOR) or body's open appeals, up to cap, on his or its queue's
 * index alone. */
static int open_count(store_tx_t *tx, const appeal_filter_t *f, int by, int64_t cap, int64_t *n,
                      ot_err_t *err)
{
    static const char *const sql[2] = {
        "SELECT count(*) FROM (SELECT 1 FROM appeals a WHERE a.executor = ?1"
        " AND " QUEUE_OPEN_SOME " LIMIT ?2) AS t",
        "SELECT count(*) FROM (SELECT 1 FROM appeals a WHERE a.body = ?1"
        " AND " QUEUE_OPEN_SOME " LIMIT ?2) AS t",
    };
    PREPARE(tx, sql[by == LF_BODY]);
    if (by == LF_BODY)
        db_bind_text(st, 1, f->body);
    else
        db_bind_int64(st, 1, f->executor);
    db_bind_int64(st, 2, cap);
    *n = 0;
    return db_run(st, n, err);
}

/* Whether an executor has fewer than QBITS_CAP open appeals (his queue's index alone). A
 * head's queue of one executor walked each body of the scope and read every open appeal's row
 * for the executor (a city head's queue of an executor with none there: 140-176 ms at the 1M
 * demo); an executor's few are his queue's walk, each row's body checked in the scope. */
static int exec_in_scope(store_tx_t *tx, const appeal_filter_t *f, int *few, ot_err_t *err)
{
    int64_t n = 0;
    int rc = open_count(tx, f, LF_EXECUTOR, QBITS_CAP, &n, err);
    *few = !rc && n < QBITS_CAP;
    return rc;
}

/* Whether f's body has fewer open appeals than its executor (counted on their queues' indexes,
 * the executor's up to QBITS_CAP, the body's up to his): the queue of both then walks the
 * body's, the executor checked on its entries. A registrar's queue of the demo's oblast
 * executor in one Ridder department walked his 119,000 open appeals for none there (17 ms
 * at the 1M demo). */
static int queue_by_body(store_tx_t *tx, const appeal_filter_t *f, int *yes, ot_err_t *err)
{
    int64_t n_exec = 0, n_body = 0;
    int rc = open_count(tx, f, LF_EXECUTOR, QBITS_CAP, &n_exec, err);
    if (!rc)
        rc = open_count(tx, f, LF_BODY, n_exec, &n_body, err);
    *yes = !rc && n_body < n_exec;
    return rc;
}

struct day_walk {
    char day[11];
    int64_t id; /* the newest appeal of the day not yet taken */
};

/* max-heap of the days' walks by id: sift w[i] down among n */
static void day_sift(struct day_walk *w, size_t n, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < n && w[l].id > w[m].id)
            m = l;
        if (r < n && w[r].id > w[m].id)
            m = r;
        if (m == i)
            return;
        struct day_walk t = w[i];
        w[i] = w[m];
        w[m] = t;
        i = m;
    }
}

/* A scope whose bodies received at least 1/DUE_SHARE of all appeals (the counters of
 * stat_month) takes the due-date walk with the other bodies' appeals skipped on the rows: a
 * page then reads about DUE_SHARE times its rows at most. A smaller scope keeps its walks per
 * body (a body's few appeals would be sought among everyone's). */
#define DUE_SHARE 16

/* Whether f is a range of due dates alone (the cursor and a range of receipt aside: checked on
 * the rows, within its ids), unscoped, in a scope of every body but a few (walks < 0: those
 * skipped on the rows) or in a scope that holds at least 1/DUE_SHARE of the appeals:
 * due_walk's shape. */
static int due_only(store_tx_t *tx, const appeal_filter_t *f, uint32_t mask, int walks, int *yes,
                    ot_err_t *err)
{
    mask &= ~(LF_IDS | LF_RECEIPT);
    *yes = !f->by_due && mask && !(mask & ~LF_DUE);
    if (!*yes || walks <= 0)
        return OT_OK;
    PREPARE(tx, "SELECT coalesce(sum(received), 0), coalesce(sum(CASE WHEN body IN"
                " (SELECT id FROM bodies WHERE substr(path, 1, length(?1)) = ?1)"
                " THEN received END), 0) FROM stat_month");
    db_bind_text(st, 1, f->scope_path);
    int rc = db_step(st, err);
    *yes = rc == DB_ROW && db_col_int64(st, 1) * DUE_SHARE >= db_col_int64(st, 0);
    db_reset(st);
    return rc < 0 ? -rc : OT_OK;
}

/* The page of f's range of due dates (due_only): the appeals of the n_scope bodies of scope
 * when there are any, not of the n_outside bodies of outside. */
static int due_walk(store_tx_t *tx, const appeal_filter_t *f, int limit, char (*scope)[64],
                    size_t n_scope, char (*outside)[64], size_t n_outside,
                    int (*fn)(appeal_rec_t *a, void *arg), void *arg, ot_err_t *err)
{
    struct day_walk *w = NULL;
    size_t n = 0, cap = 0;
    int rc = OT_OK, step;
    {
        PREPARE(tx, DAYS_SQL);
        db_bind_text(st, 1, f->due_before ? f->due_before : "9999-12-31");
        db_bind_text(st, 2, f->due_after ? f->due_after : "");
        db_bind_int64(st, 3, f->before_id > 0 ? f->before_id : INT64_MAX);
        db_bind_int64(st, 4, f->from_id);
        while ((step = db_step(st, err)) == DB_ROW) {
            if (db_col_is_null(st, 1)) /* every appeal of the day is past the cursor */
                continue;
            if (n == cap) {
                struct day_walk *m = realloc(w, (cap = cap ? 2 * cap : 256) * sizeof *w);
                if (!m) {
                    step = -ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
                    break;
                }
                w = m;
            }
            store_copy_col(st, 0, w[n].day, sizeof w[n].day);
            w[n++].id = db_col_int64(st, 1);
        }
        db_reset(st);
        if (step < 0) {
            free(w);
            return -step;
        }
    }
    for (size_t i = n / 2; i-- > 0;)
        day_sift(w, n, i);
    db_stmt_t *row = db_prepare(tx->db, APPEAL_LIST_SELECT "WHERE a.id = ?", err);
    db_stmt_t *next = row ? db_prepare(tx->db, DAY_NEXT_SQL, err) : NULL;
    /* in a scope, an appeal's body before its row: most of what a walk passes is skipped */
    db_stmt_t *body = next && (n_scope || n_outside)
                          ? db_prepare(tx->db, "SELECT body FROM appeals WHERE id = ?", err)
                          : NULL;
    if (!next || ((n_scope || n_outside) && !body)) {
        free(w);
        return err ? err->status : OT_EINTERNAL;
    }
    appeal_rec_t a;
    memset(&a, 0, sizeof a);
    for (int stop = 0; !rc && !stop && n > 0 && limit > 0;) {
        int kept = 1;
        if (body) {
            db_bind_int64(body, 1, w[0].id);
            if ((step = db_step(body, err)) == DB_ROW)
                kept = body_kept(db_col_text(body, 0), scope, n_scope, outside, n_outside);
            db_reset(body);
            if (step < 0) {
                rc = -step;
                break;
            }
        }
        step = DB_DONE;
        if (kept) {
            db_bind_int64(row, 1, w[0].id);
            if ((step = db_step(row, err)) == DB_ROW) {
                read_rec(row, &a);
                if ((!f->received_from || a.received_at >= f->received_from) &&
                    (!f->received_to || a.received_at < f->received_to)) {
                    limit--;
                    stop = fn(&a, arg);
                }
            }
            db_reset(row);
        }
        if (step < 0)
            rc = -step;
        else if (!stop) { /* the day's walk one appeal on, or done */
            db_bind_text(next, 1, w[0].day);
            db_bind_int64(next, 2, w[0].id);
            db_bind_int64(next, 3, f->from_id);
            if ((step = db_step(next, err)) == DB_ROW && !db_col_is_null(next, 0))
                w[0].id = db_col_int64(next, 0);
            else
                w[0] = w[--n];
            db_reset(next);
            if (step < 0)
                rc = -step;
            day_sift(w, n, 0);
        }
    }
    appeal_rec_free(&a);
    free(w);
    return rc;
}

/* ==== A range of receipt as a range of ids ====
 *
 * Appeals are numbered as they are registered, and registered about when they are received:
 * a range of receipt holds ids close together, but not in order (a letter is registered days
 * after it came, an appeal of the demo up to six days), so neither index alone gives the ids
 * of the range: appeals_received orders by receipt (its largest id is a read of the whole
 * range: 23 ms for half the 1M demo) and the id walk passes every appeal received after the
 * range (94 ms for everything received before June, 595 ms with status=closed beside it).
 * The index appeals_received_day on (the UTC day of receipt, id, received_at) orders each
 * day's appeals by id: the range's largest and smallest ids are one seek per day each, and
 * every walk of the list (by id, by a filter's index, per body of a scope) is then bounded
 * by them and passes only the appeals registered within the range's ids that were received
 * outside it. Parameters of RECEIPT_IDS_SQL: the last day, the first day, the range's start
 * (inclusive) and end (exclusive) in microseconds. */
/* The ids of f's range of receipt, from *lo to *hi; both 0 when it holds no appeal. */
static int receipt_ids(store_tx_t *tx, const appeal_filter_t *f, int64_t *lo, int64_t *hi,
                       ot_err_t *err)
{
    const int64_t day = 86400000000; /* RECEIPT_DAY */
    int64_t first = 0, last = 0;
    int rc;
    *lo = *hi = 0;
    {
        PREPARE(tx, "SELECT (SELECT min(received_at) FROM appeals),"
                    " (SELECT max(received_at) FROM appeals)");
        if ((rc = db_step(st, err)) == DB_ROW && !db_col_is_null(st, 0)) {
            first = db_col_int64(st, 0) / day;
            last = db_col_int64(st, 1) / day;
        }
        db_reset(st);
        if (rc != DB_ROW)
            return rc < 0 ? -rc : OT_OK; /* no appeals at all */
    }
    int64_t from = f->received_from ? f->received_from : INT64_MIN;
    int64_t to = f->received_to ? f->received_to : INT64_MAX;
    if (f->received_from && f->received_from / day > first)
        first = f->received_from / day;
    if (f->received_to && (f->received_to - 1) / day < last)
        last = (f->received_to - 1) / day;
    if (first > last || from >= to)
        return OT_OK;
    PREPARE(tx, RECEIPT_IDS_SQL);
    db_bind_int64(st, 1, last);
    db_bind_int64(st, 2, first);
    db_bind_int64(st, 3, from);
    db_bind_int64(st, 4, to);
    if ((rc = db_step(st, err)) == DB_ROW && !db_col_is_null(st, 0)) {
        *hi = db_col_int64(st, 0);
        *lo = db_col_int64(st, 1);
    }
    db_reset(st);
    return rc < 0 ? -rc : OT_OK;
}

/* ==== A range of due dates as a range of ids ====
 *
 * An appeal is due a term after its registration, so a range of due dates too holds ids
 * close together: everything due before a day of May is among the appeals registered up to
 * some weeks before it, everything due from a day of October among those registered from
 * some weeks (an extension's length) before. Whatever walk a page takes (an executor's
 * appeals, a body's, a category's), a page of an old range of due dates passed every newer
 * appeal of its driver first (an executor's appeals due before 11 May: 821 ms at the 1M demo,
 * the walk passing the 600,000 appeals of his due later). The range's largest and smallest
 * ids are one seek per due day each, the days found one seek each (as DAYS_SQL: about 220
 * days at the 1M demo, 2 ms; a decade about 2,500). Parameters: the range's end (exclusive),
 * its start. */
static const char DUE_IDS_SQL[] =
    "WITH RECURSIVE d(day) AS ("
    " SELECT (SELECT max(due_on) FROM appeals WHERE due_on < ?1 AND due_on >= ?2)"
    " UNION ALL SELECT (SELECT max(due_on) FROM appeals WHERE due_on < d.day AND due_on >= ?2)"
    " FROM d WHERE d.day IS NOT NULL)"
    " SELECT max((SELECT max(id) FROM appeals WHERE due_on = d.day)),"
    " min((SELECT min(id) FROM appeals WHERE due_on = d.day)) FROM d WHERE day IS NOT NULL";

/* The ids of f's range of due dates, from *lo to *hi; both 0 when it holds no appeal. */
static int due_ids(store_tx_t *tx, const appeal_filter_t *f, int64_t *lo, int64_t *hi,
                   ot_err_t *err)
{
    *lo = *hi = 0;
    const char *before = f->due_before ? f->due_before : "9999-12-31";
    const char *after = f->due_after ? f->due_after : "";
    if (strcmp(after, before) >= 0)
        return OT_OK;
    PREPARE(tx, DUE_IDS_SQL);
    db_bind_text(st, 1, before);
    db_bind_text(st, 2, after);
    int rc = db_step(st, err);
    if (rc == DB_ROW && !db_col_is_null(st, 0)) {
        *hi = db_col_int64(st, 0);
        *lo = db_col_int64(st, 1);
    }
    db_reset(st);
    return rc < 0 ? -rc : OT_OK;
}

/* When *f has a range of receipt or of due dates: *f becomes ids, a copy of it within the
 * ids the ranges hold (before_id, from_id; LF_IDS in *mask), and *by_ids 1 when it has a
 * range of receipt and no filter of *mask has an index of its own (the ids are then the
 * walk), -1 when the ranges hold no appeal. */
static int receipt_narrow(store_tx_t *tx, const appeal_filter_t **f, appeal_filter_t *ids,
                          uint32_t *mask, int *by_ids, ot_err_t *err)
{
    int64_t lo = 0, hi = INT64_MAX - 1, l, h;
    int rc = OT_OK;
    *by_ids = 0;
    if (!(*mask & (LF_RECEIPT | LF_DUE)))
        return OT_OK;
    if ((*mask & LF_RECEIPT) && ((rc = receipt_ids(tx, *f, &l, &h, err)) || !h)) {
        *by_ids = -1;
        return rc;
    }
    if (*mask & LF_RECEIPT)
        lo = l, hi = h;
    if ((*mask & LF_DUE) && ((rc = due_ids(tx, *f, &l, &h, err)) || !h || h < lo || l > hi)) {
        *by_ids = -1;
        return rc;
    }
    if (*mask & LF_DUE) {
        lo = l > lo ? l : lo;
        hi = h < hi ? h : hi;
    }
    *ids = **f;
    if (ids->before_id <= 0 || hi + 1 < ids->before_id)
        ids->before_id = hi + 1;
    if (lo > ids->from_id)
        ids->from_id = lo;
    *f = ids;
    *mask |= LF_IDS;
    *by_ids = (*mask & LF_RECEIPT) && !(*mask & ~(LF_RANGES | LF_IDS | (1u << LF_CONTROL)));
    return OT_OK;
}

int store_appeal_list(store_tx_t *tx, const appeal_filter_t *f,
                      int (*fn)(appeal_rec_t *a, void *arg), void *arg, ot_err_t *err)
{
    int limit = f->limit > 0 ? f->limit : 50;
    uint32_t mask = f->by_due ? queue_mask(f) : lf_mask(f);
    char(*scope)[64] = NULL;
    char outside[COMPLEMENT_MAX][64];
    size_t n_scope = 0, n_outside = 0;
    int rc = OT_OK, walks = 0, none = 0;
    appeal_filter_t one; /* f with a scope of one body as that body */
    char one_body[64];
    if (f->scope_path) {
        int all = 0;
        if ((rc = scope_bodies(tx, f->scope_path, &scope, &n_scope, &all, err)))
            return rc;
        if (f->body) { /* one body: in the scope or nothing */
            int in = 0;
            for (size_t i = 0; i < n_scope && !in; i++)
                in = !strcmp(scope[i], f->body);
            none = !in;
            n_scope = 0;
        } else if (all)
            n_scope = 0;
        else
            none = !n_scope;
        if (none) {
            free(scope);
            return OT_OK;
        }
        if (n_scope == 1) { /* a scope of one body is that body's filter: every walk of it */
            one = *f;
            snprintf(one_body, sizeof one_body, "%s", scope[0]);
            one.body = one_body;
            one.scope_path = NULL;
            f = &one;
            mask |= 1u << LF_BODY;
            n_scope = 0;
        }
        walks = n_scope ? scope_walks(n_scope) : 0;
        if (walks > 1) {
            size_t n_out = 0;
            if ((rc = scope_outside(tx, f->scope_path, outside, &n_out, err))) {
                free(scope);
                return rc;
            }
            if (n_out && n_out <= COMPLEMENT_MAX && n_out < n_scope) {
                n_outside = n_out;
                walks = -scope_walks(n_out);
            }
        }
    }
    if (walks)
        mask &= ~(1u << LF_BODY);
    int64_t top = 0;
    appeal_filter_t ids; /* f within the ids of its range of receipt */
    int by_ids = 0;
    if (!f->by_due && ((rc = receipt_narrow(tx, &f, &ids, &mask, &by_ids, err)) || by_ids < 0)) {
        free(scope);
        return rc;
    }
    uint32_t shape = by_ids ? DRIVER_NONE << DRIVER_SHIFT : 0;
    int days = 0;
    if ((rc = due_only(tx, f, mask, walks, &days, err)) || days) {
        if (!rc)
            rc = due_walk(tx, f, limit, scope, walks > 0 ? n_scope : 0, outside, n_outside, fn, arg,
                          err);
        free(scope);
        return rc;
    }
    /* PostgreSQL plans a filtered page for its values itself (list_sql): no driver chosen,
     * no sets met in spans of ids; a scope is a list of its bodies */
    int pg_plans = store_is_pg(tx) && !f->by_due && (mask & ~LF_IDS & ((1u << LF_COUNT) - 1));
    if (pg_plans && walks > 0)
        shape |= SCOPE_IN_SHAPE;
    if (!f->by_due && !shape && !pg_plans &&
        (rc = choose_driver(tx, f, mask, walks, limit, &shape, &top, err))) {
        free(scope);
        return rc;
    }
    appeal_filter_t below; /* f with the cursor at the range's newest appeal, when lower */
    if (top > 0 && (f->before_id <= 0 || top + 1 < f->before_id)) {
        below = *f;
        below.before_id = top + 1;
        f = &below;
        mask |= 1u << LF_BEFORE_ID;
    }
    if (shape & BITS_IN_SHAPE) {
        rc = bits_walk(tx, f, mask, mask & BITS_EQ & ~(LF_RANGES | LF_IDS | (1u << LF_CONTROL)),
                       limit, scope, walks > 0 ? n_scope : 0, outside, n_outside, fn, arg, err);
        free(scope);
        return rc;
    }
    if (f->by_due && f->status && strcmp(f->status, "registered") &&
        strcmp(f->status, "assigned") && strcmp(f->status, "in_work")) {
        free(scope); /* the queue holds open appeals only */
        return OT_OK;
    }
    /* the repeated: the walk of their own index (migration 67), whatever else is asked; an
     * executor in a body with fewer open appeals than his: the body's (queue_by_body) */
    int by_rep = f->by_due && walks <= 0 && f->repeated, by_body = 0;
    if (f->by_due && !walks && !by_rep && f->body && f->executor &&
        (rc = queue_by_body(tx, f, &by_body, err))) {
        free(scope);
        return rc;
    }
    mask |= by_body ? QUEUE_BY_BODY : by_rep ? QUEUE_BY_REPEATED : 0;
    /* the queue of every body (or of all but a few), or of an executor, in one state with a
     * filter of tabs_by: a range of that filter's index of open appeals, in the queue's order */
    int by = f->by_due && walks <= 0 && !by_body && !by_rep && (!f->body || f->executor)
                 ? tabs_driver(mask & ~OPEN_BY_OWN)
                 : -1;
    int64_t by_n = -1;
    if (by >= 0 && (rc = tabs_pick(tx, f, mask & ~OPEN_BY_OWN, !f->status, &by, &by_n, err))) {
        free(scope);
        return rc;
    }
    /* in every open state: the three ranges sorted, when they hold fewer than TABS_PROBE (the
     * supervisor's repeats about gas in Samar by due date walked every open appeal for none:
     * 25 ms at the 1M demo); more, the walk in due order meets the page sooner */
    if (by >= 0 && !f->status && by_n < 0)
        by = -1;
    int few = 0;
    if (f->by_due && walks > 0 && f->executor && !f->body &&
        (rc = exec_in_scope(tx, f, &few, err))) {
        free(scope);
        return rc;
    }
    if (f->by_due && by < 0 && !by_rep && (walks <= 0 || few)) {
        int done = 0;
        if ((rc = queue_bits(tx, f, mask, limit, few ? scope : NULL, few ? n_scope : 0, outside,
                             n_outside, &done, fn, arg, err)) ||
            done) {
            free(scope);
            return rc;
        }
    }
    uint32_t pg = pg_plans ? PG_SHAPE : 0u;
    char *own, plans[32] = "";
    if (pg && (rc = store_pg_plans(tx, "force_custom_plan", plans, err))) {
        free(scope);
        return rc;
    }
    db_stmt_t *st = shape_prepare(tx, mask | shape | pg | (f->by_due ? QUEUE_SHAPE : 0u),
                                  by < 0 ? walks : TABS_SHAPE | by | -walks << 5, 0, &own, err);
    if (!st) {
        free(scope);
        return err ? err->status : OT_EINTERNAL;
    }
    int i = 1;
    void (*bind)(db_stmt_t *, int *, uint32_t, const appeal_filter_t *) =
        f->by_due ? queue_bind : lf_bind;
    if (walks <= 0 || (shape & SCOPE_IN_SHAPE))
        bind(st, &i, mask, f);
    for (int k = 0; k < -walks; k++)
        db_bind_text(st, i++, (size_t)k < n_outside ? outside[k] : "");
    for (int k = 0; k < walks && (shape & SCOPE_IN_SHAPE); k++)
        db_bind_text(st, i++, (size_t)k < n_scope ? scope[k] : NULL);
    for (int k = 0; k < walks && !(shape & SCOPE_IN_SHAPE); k++) {
        db_bind_text(st, i++, (size_t)k < n_scope ? scope[k] : NULL);
        bind(st, &i, mask, f);
        db_bind_int64(st, i++, limit);
    }
    if (pg) /* the subquery's limit */
        db_bind_int64(st, i++, limit);
    db_bind_int64(st, i, limit);
    if (by >= 0 && !f->status) /* the sorted ids' page, then the rows' (open_by_sql) */
        db_bind_int64(st, i + 1, limit);
    free(scope);
    int stop = 0;
    appeal_rec_t a;
    memset(&a, 0, sizeof a);
    while (!stop && (rc = db_step(st, err)) == DB_ROW) {
        read_rec(st, &a);
        stop = fn(&a, arg);
    }
    appeal_rec_free(&a);
    shape_done(st, own);
    int rc2 = plans[0] ? store_pg_plans(tx, plans, NULL, err) : OT_OK;
    return stop || rc >= 0 ? rc2 : -rc;
}

/* A walk of store_appeal_each reads its rows in chunks on PostgreSQL: libpq reads a
 * statement's whole result, and a walk with no limit held every row of an export at once
 * (the 100k demo's 105,092 appeals as CSV: 223 MB). Each chunk is EACH_CHUNK rows, the next
 * from the last one's id (the walk's order is the id's, descending). SQLite steps a walk with
 * no limit (-1). */
#define EACH_CHUNK store_list_cap(1000) /* 1 in tests that scale the caps down */

struct each_walk {
    db_stmt_t *st;
    char *own;
    const char *body; /* the walk's body (a scope's), or NULL */
    int64_t id;       /* of the row the walk stands on; 0 when it is done */
    int64_t got;      /* rows of its chunk read so far */
};

/* Binds a walk: f's conditions (its body the walk's), the ids below before (0: f's cursor),
 * at most limit rows (-1: all). */
static void each_bind(db_stmt_t *st, uint32_t mask, const appeal_filter_t *f, const char *body,
                      int64_t before, int64_t limit)
{
    appeal_filter_t g = *f;
    if (body)
        g.body = body;
    if (before)
        g.before_id = before;
    int i = 1;
    lf_bind(st, &i, mask, &g);
    db_bind_int64(st, i, limit);
}

/* The walk's next row (w->id its id, 0 at the end); a chunk read whole goes on from its last
 * row. DB_ROW, DB_DONE or a negative error, as db_step. */
static int each_next(struct each_walk *w, uint32_t mask, const appeal_filter_t *f, int64_t chunk,
                     ot_err_t *err)
{
    int step = db_step(w->st, err);
    if (step == DB_DONE && chunk && w->got == chunk) {
        db_reset(w->st);
        each_bind(w->st, mask, f, w->body, w->id, chunk);
        w->got = 0;
        step = db_step(w->st, err);
    }
    w->got += step == DB_ROW;
    w->id = step == DB_ROW ? db_col_int64(w->st, 0) : 0;
    return step;
}

int store_appeal_each(store_tx_t *tx, const appeal_filter_t *f,
                      int (*fn)(appeal_rec_t *a, void *arg), void *arg, ot_err_t *err)
{
    uint32_t mask = lf_mask(f);
    char(*scope)[64] = NULL;
    size_t n = 0;
    int rc = OT_OK, all = 0, none = 0;
    if (f->scope_path) {
        if ((rc = scope_bodies(tx, f->scope_path, &scope, &n, &all, err)))
            return rc;
        if (f->body) {
            int in = 0;
            for (size_t i = 0; i < n && !in; i++)
                in = !strcmp(scope[i], f->body);
            none = !in;
            n = 0;
        } else if (all)
            n = 0;
        else
            none = !n;
    }
    if (none) {
        free(scope);
        return OT_OK;
    }
    /* no scope: one statement; a scope: one walk per body, merged here (the newest head of
     * the walks first), each read only as far as the merge takes it */
    size_t k = n ? n : 1;
    struct each_walk *w = calloc(k, sizeof *w);
    if (!w) {
        free(scope);
        return ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
    }
    if (n)
        mask |= 1u << LF_BODY;
    appeal_filter_t ids; /* f within the ids of its range of receipt, as the list's */
    int by_ids = 0;
    if ((rc = receipt_narrow(tx, &f, &ids, &mask, &by_ids, err)) || by_ids < 0) {
        free(w);
        free(scope);
        return rc;
    }
    mask |= by_ids ? DRIVER_NONE << DRIVER_SHIFT : 0;
    int64_t chunk = store_is_pg(tx) ? EACH_CHUNK : 0;
    if (chunk)
        mask |= 1u << LF_BEFORE_ID; /* the chunks' cursor (INT64_MAX: from the newest) */
    int64_t before = chunk && !f->before_id ? INT64_MAX : 0;
    for (size_t i = 0; !rc && i < k; i++) {
        w[i].body = n ? scope[i] : NULL;
        w[i].st = shape_prepare(tx, mask, 0, w[i].body != NULL, &w[i].own, err);
        if (!w[i].st)
            rc = err ? err->status : OT_EINTERNAL;
        else
            each_bind(w[i].st, mask, f, w[i].body, before, chunk ? chunk : -1);
    }
    for (size_t i = 0; !rc && i < k; i++) {
        int step = each_next(&w[i], mask, f, chunk, err);
        if (step < 0)
            rc = -step;
    }
    appeal_rec_t a;
    memset(&a, 0, sizeof a);
    int stop = 0;
    while (!rc && !stop) {
        size_t best = k;
        for (size_t i = 0; i < k; i++)
            if (w[i].id && (best == k || w[i].id > w[best].id))
                best = i;
        if (best == k)
            break;
        read_rec(w[best].st, &a);
        stop = fn(&a, arg);
        int step = stop ? DB_DONE : each_next(&w[best], mask, f, chunk, err);
        if (step < 0)
            rc = -step;
    }
    appeal_rec_free(&a);
    for (size_t i = 0; i < k; i++)
        if (w[i].st)
            shape_done(w[i].st, w[i].own);
    free(w);
    free(scope);
    return rc;
}
int store_appeal_open_terms(store_tx_t *tx, const char *jurisdiction, appeal_terms_t **out,
                            size_t *n, ot_err_t *err)
{
    PREPARE(tx, "SELECT a.id, a.number, a.kind, a.received_at, b.workday_end_min,"
                " a.registered_on, a.due_on, a.forward_by, a.max_due_on, a.extended_on,"
                " a.forwarded_at, c.workday_end_min, a.suspended_days"
                " FROM appeals a JOIN bodies b ON b.id = a.receiving_body"
                " JOIN bodies c ON c.id = a.body"
                " WHERE a.jurisdiction = ? AND a.status IN ('registered', 'assigned', 'in_work')"
                " ORDER BY a.id");
    db_bind_text(st, 1, jurisdiction);
    appeal_terms_t *v = NULL;
    size_t len = 0, cap = 0;
    int rc;
    while ((rc = db_step(st, err)) == DB_ROW) {
        if (len == cap) {
            cap = cap ? cap * 2 : 256;
            appeal_terms_t *nv = realloc(v, cap * sizeof *v);
            if (!nv) {
                db_reset(st);
                free(v);
                return ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
            }
            v = nv;
        }
        appeal_terms_t *t = &v[len++];
        memset(t, 0, sizeof *t);
        t->id = db_col_int64(st, 0);
        store_copy_col(st, 1, t->number, sizeof t->number);
        store_copy_col(st, 2, t->kind, sizeof t->kind);
        t->received_at = db_col_int64(st, 3);
        t->workday_end_min = (int)db_col_int64(st, 4);
        store_copy_col(st, 5, t->registered_on, sizeof t->registered_on);
        store_copy_col(st, 6, t->due_on, sizeof t->due_on);
        store_copy_col(st, 7, t->forward_by, sizeof t->forward_by);
        store_copy_col(st, 8, t->max_due_on, sizeof t->max_due_on);
        store_copy_col(st, 9, t->extended_on, sizeof t->extended_on);
        t->forwarded_at = db_col_int64(st, 10);
        t->body_workday_end_min = (int)db_col_int64(st, 11);
        t->suspended_days = (int)db_col_int64(st, 12);
    }
    db_reset(st);
    if (rc < 0) {
        free(v);
        return -rc;
    }
    *out = v;
    *n = len;
    return OT_OK;
}

int store_appeal_set_terms(store_tx_t *tx, const appeal_terms_t *t, ot_err_t *err)
{
    int rc0 = store_stat_flush(tx, err); /* the batch's new appeals counted as inserted */
    if (rc0)
        return rc0;
    PREPARE(tx, "UPDATE appeals SET registered_on = ?, due_on = ?, forward_by = ?,"
                " max_due_on = ? WHERE id = ?");
    db_bind_text(st, 1, t->registered_on);
    db_bind_text(st, 2, t->due_on);
    store_bind_opt(st, 3, t->forward_by);
    db_bind_text(st, 4, t->max_due_on);
    db_bind_int64(st, 5, t->id);
    return db_run(st, NULL, err);
}

int store_meta_get(store_tx_t *tx, const char *key, char *out, size_t n, ot_err_t *err)
{
    PREPARE(tx, "SELECT value FROM meta WHERE key = ?");
    db_bind_text(st, 1, key);
    int rc = db_step(st, err);
    if (rc < 0)
        return -rc;
    if (rc == DB_DONE) {
        db_reset(st);
        return ot_err(err, OT_ENOTFOUND, "not_found", NULL, "no meta value %s", key);
    }
    store_copy_col(st, 0, out, n);
    db_reset(st);
    return OT_OK;
}

int store_meta_put(store_tx_t *tx, const char *key, const char *value, ot_err_t *err)
{
    PREPARE(tx, "INSERT INTO meta (key, value) VALUES (?, ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    db_bind_text(st, 1, key);
    db_bind_text(st, 2, value);
    return db_run(st, NULL, err);
}

int store_appeal_ext_requests(store_tx_t *tx, const char *scope,
                              int (*fn)(const ext_request_t *r, void *arg), void *arg,
                              ot_err_t *err)
{
    /* events_ext_request gives the requests; events_object whether an answer followed */
    /* no condition on e.object_type: it would let SQLite walk events_object, every event of
     * every appeal (4.5 million on the 1M demo: 90 s), instead of the partial index */
    PREPARE(tx, "SELECT a.number, a.body, a.due_on, e.data, e.actor, e.at FROM events e"
                " JOIN appeals a ON a.number = e.object_id JOIN bodies b ON b.id = a.body"
                " WHERE e.action = 'appeal.request_extension'"
                " AND a.status IN ('registered', 'assigned', 'in_work')"
                " AND substr(b.path, 1, length(?1)) = ?1"
                " AND NOT EXISTS (SELECT 1 FROM events x WHERE x.object_type = 'appeal'"
                "  AND x.object_id = e.object_id AND x.seq > e.seq"
                "  AND x.action IN ('appeal.extend', 'appeal.refuse_extension'))"
                " ORDER BY e.seq DESC LIMIT 500");
    db_bind_text(st, 1, scope);
    ext_request_t r;
    int rc, stop = 0;
    while (!stop && (rc = db_step(st, err)) == DB_ROW) {
        memset(&r, 0, sizeof r);
        store_copy_col(st, 0, r.number, sizeof r.number);
        store_copy_col(st, 1, r.body, sizeof r.body);
        store_copy_col(st, 2, r.due_on, sizeof r.due_on);
        r.data = db_col_text(st, 3);
        store_copy_col(st, 4, r.actor, sizeof r.actor);
        r.at = db_col_int64(st, 5);
        stop = fn(&r, arg);
    }
    db_reset(st);
    return stop || rc >= 0 ? OT_OK : -rc;
}

int store_appeal_by_applicant(store_tx_t *tx, const char *applicant_id, const char *scope,
                              int limit, int (*fn)(appeal_rec_t *a, void *arg), void *arg,
                              ot_err_t *err)
{
    PREPARE(tx, APPEAL_SELECT "WHERE a.applicant_id = ?1 AND substr(b.path, 1, length(?2)) = ?2"
                              " ORDER BY a.received_at DESC LIMIT ?3");
    db_bind_text(st, 1, applicant_id);
    db_bind_text(st, 2, scope);
    db_bind_int64(st, 3, limit);
    appeal_rec_t a;
    memset(&a, 0, sizeof a);
    int rc, stop = 0;
    while (!stop && (rc = db_step(st, err)) == DB_ROW) {
        read_rec(st, &a);
        stop = fn(&a, arg);
    }
    appeal_rec_free(&a);
    db_reset(st);
    return stop || rc >= 0 ? OT_OK : -rc;
}

/* The open appeals per state and of them past due, from the queue's indexes of an
 * executor's and a body's open appeals, appeals_queue_exec (executor, due_on, id, status, body)
 * and appeals_queue_body (body, due_on, id, status), read alone (or appeals_open_reg for all),
 * never the table. Worded as the queue's condition (QUEUE_OPEN_SOME), which those indexes
 * are partial on. */
#define COUNT_OPEN QUEUE_OPEN_SOME
/* each count a sum(CASE ...), not sum(a.due_on < ?2), which PostgreSQL runs
 * through the compat sum(boolean) aggregate, an SQL function called once per row (5,300
 * calls a request on a 35,000-appeal demo); sum of an integer is built in on both engines */
#define COUNT_IF(cond) "coalesce(sum(CASE WHEN " cond " THEN 1 ELSE 0 END), 0)"
/* one row, each state's count and the overdue, summed as the index is read: the queue's
 * indexes are in due order, and a GROUP BY status would sort every open appeal of a body
 * first (a city's: 138,000 on the 1M demo) */
/* clang-format off */
#define COUNT_COLS                                                                                 \
    "SELECT " COUNT_IF("a.status = 'registered'") ", " COUNT_IF("a.status = 'assigned'") ", "    \
    COUNT_IF("a.status = 'in_work'") ", " COUNT_IF("a.due_on < ?2") " FROM appeals a"
/* clang-format on */

/* each open appeal the counts read, with its state, whether past due, its due date and the
 * columns of the filters checked on it (counts_bits), from the same indexes (migration 56) */
#define COUNT_IDS                                                                                  \
    "SELECT a.id, a.status, CASE WHEN a.due_on < ?2 THEN 1 ELSE 0 END, a.due_on" QUEUE_HELD        \
    " FROM appeals a"
#define COUNT_WHERE_EXEC                                                                           \
    " WHERE a.executor = ?1 AND " COUNT_OPEN " AND (?3 IS NULL OR a.body IN"                       \
    " (SELECT id FROM bodies WHERE substr(path, 1, length(?3)) = ?3))"                             \
    " AND (?4 IS NULL OR a.body = ?4)"
#define COUNT_WHERE_BODY                                                                           \
    " WHERE a.body = ?1 AND " COUNT_OPEN " AND (?3 IS NULL OR a.body IN"                           \
    " (SELECT id FROM bodies WHERE substr(path, 1, length(?3)) = ?3)) AND ?4 IS NULL"
#define COUNT_WHERE_SCOPE                                                                          \
    " WHERE a.body IN (SELECT id FROM bodies WHERE substr(path, 1, length(?3)) = ?3)"              \
    " AND " COUNT_OPEN " AND ?1 IS NULL AND ?4 IS NULL"
/* appeals_open_reg (status, registered_on, due_on, body) covers it */
#define COUNT_WHERE_ALL                                                                            \
    " WHERE a.status IN ('registered', 'assigned', 'in_work') AND ?1 IS NULL"                      \
    " AND ?3 IS NULL AND ?4 IS NULL"

/* the open repeated appeals (appeals_open_repeated, migration 67: its WHERE word for word),
 * within a scope; an executor and a body are among the filters checked on its entries */
#define COUNT_WHERE_REPEATED                                                                       \
    " WHERE " OPEN_REPEATED " AND ?1 IS NULL"                                                      \
    " AND (?3 IS NULL OR a.body || '' IN"                                                          \
    " (SELECT id FROM bodies WHERE substr(path, 1, length(?3)) = ?3)) AND ?4 IS NULL"
#define COUNTS_REPEATED 4 /* sums_sql's driver of COUNT_WHERE_REPEATED */

/* Which WHERE of the counts f takes: 0 an executor's, 1 a body's, 2 a scope's, 3 all. */
static int counts_driver(const appeal_filter_t *f)
{
    return f->executor ? 0 : f->body ? 1 : f->scope_path ? 2 : 3;
}

const char *store_appeal_counts_sql_of(const appeal_filter_t *f, int ids)
{
#define ONE " AND a.id = ?5"
    static const char *const sql[4][3] = {
        {COUNT_COLS COUNT_WHERE_EXEC, COUNT_IDS COUNT_WHERE_EXEC, COUNT_IDS COUNT_WHERE_EXEC ONE},
        {COUNT_COLS COUNT_WHERE_BODY, COUNT_IDS COUNT_WHERE_BODY, COUNT_IDS COUNT_WHERE_BODY ONE},
        {COUNT_COLS COUNT_WHERE_SCOPE, COUNT_IDS COUNT_WHERE_SCOPE,
         COUNT_IDS COUNT_WHERE_SCOPE ONE},
        /* every body's tabs without filters are tabs_sql's */
        {COUNT_COLS COUNT_WHERE_ALL, COUNT_IDS COUNT_WHERE_ALL, COUNT_IDS COUNT_WHERE_ALL ONE},
    };
#undef ONE
    return sql[counts_driver(f)][ids];
}

const char *store_appeal_counts_sql(const appeal_filter_t *f)
{
    return store_appeal_counts_sql_of(f, 0);
}

/* The conditions of mask, each " AND " one, their parameters numbered from *n on (a
 * statement that repeats them): the driver's and the due dates' indexable, the others not
 * (lf_cond); driver -1: none indexable. */
static void sput_numbered(sbuf_t *b, uint32_t mask, int driver, int *n)
{
    for (int c = 0; c < LF_COUNT; c++) {
        if (!(mask & (1u << c)))
            continue;
        sput(b, " AND ");
        int ix = driver >= 0 && (c == driver || c == LF_DUE_BEFORE || c == LF_DUE_AFTER);
        for (const char *p = lf_cond[c][!ix]; *p; p++) {
            char piece[16];
            if (*p == '?')
                snprintf(piece, sizeof piece, "?%d", (*n)++);
            else
                piece[0] = *p, piece[1] = '\0';
            sput(b, piece);
        }
    }
}

/* The tabs' sums with the filters of mask (within HELD and the due dates) checked in the
 * statement, on the entries of the counts' index as SQLite reads it: driver the counts' WHERE
 * (counts_driver); the
 * parameters theirs (?1 to ?4), then mask's from ?5. */
static char *sums_sql(uint32_t mask, int driver)
{
    static const char *const where[5] = {COUNT_WHERE_EXEC, COUNT_WHERE_BODY, COUNT_WHERE_SCOPE,
                                         COUNT_WHERE_ALL, COUNT_WHERE_REPEATED};
    sbuf_t b = {0};
    sput(&b, COUNT_COLS);
    sput(&b, where[driver]);
    int n = 5;
    sput_numbered(&b, mask, -1, &n);
    return sfinish(&b);
}

char *store_appeal_sums_sql(const appeal_filter_t *f)
{
    return sums_sql(lf_mask(f) & (HELD | LF_DUE), counts_driver(f));
}

char *store_appeal_repeated_sums_sql(const appeal_filter_t *f)
{
    uint32_t m = lf_mask(f) & (HELD | LF_DUE | (1u << LF_EXECUTOR) | (1u << LF_BODY));
    return sums_sql(m | 1u << LF_REPEATED, COUNTS_REPEATED);
}

char *store_appeal_place_sums_sql(const appeal_filter_t *f)
{
    appeal_filter_t place = *f;
    place.executor = 0;
    return sums_sql((lf_mask(f) & (HELD | LF_DUE)) | 1u << LF_EXECUTOR, counts_driver(&place));
}

static void counts_bind(db_stmt_t *st, const appeal_filter_t *f, const char *today);

/* The statement of f's counts (ids: each appeal, for counts_bits), bound. */
static db_stmt_t *counts_stmt(store_tx_t *tx, const appeal_filter_t *f, const char *today, int ids,
                              ot_err_t *err)
{
    db_stmt_t *st = db_prepare(tx->db, store_appeal_counts_sql_of(f, ids), err);
    if (st)
        counts_bind(st, f, today);
    return st;
}

/* The counts' parameters ?1 to ?4 (store_appeal_counts_sql_of). */
static void counts_bind(db_stmt_t *st, const appeal_filter_t *f, const char *today)
{
    if (f->executor)
        db_bind_int64(st, 1, f->executor);
    else if (f->body)
        db_bind_text(st, 1, f->body);
    else
        db_bind_null(st, 1);
    db_bind_text(st, 2, today);
    if (f->scope_path)
        db_bind_text(st, 3, f->scope_path);
    else
        db_bind_null(st, 3);
    if (f->executor && f->body)
        db_bind_text(st, 4, f->body);
    else
        db_bind_null(st, 4);
}

/* The tabs with the filters of rest (their values f's), each checked on the entries of the
 * counts' index of place (driver: counts_driver's, or COUNTS_REPEATED) within one statement
 * (sums_sql): nothing of an entry comes out to be checked here. */
static int counts_sums(store_tx_t *tx, const appeal_filter_t *place, const appeal_filter_t *f,
                       int driver, const char *today, uint32_t rest, int64_t out[4], ot_err_t *err)
{
    char *own;
    db_stmt_t *st = shape_prepare(tx, rest, SUMS_SHAPE | driver, 0, &own, err);
    if (!st)
        return err ? err->status : OT_EINTERNAL;
    counts_bind(st, place, today);
    int i = 5;
    lf_bind(st, &i, rest, f);
    int rc;
    while ((rc = db_step(st, err)) == DB_ROW)
        for (int k = 0; k < 4; k++)
            out[k] = db_col_int64(st, k);
    shape_done(st, own);
    return rc < 0 ? -rc : OT_OK;
}

/* ==== The tabs by a filter's index of open appeals ====
 *
 * The whole oblast's tabs with a filter walked every open appeal and checked the filter on
 * each (166,773 at the 1M demo: 25-45 ms, the same for a registrar of every body but the
 * police); an executor's walked all of his (the demo's oblast executor: 106,055, 21-28 ms).
 * Migration 61 orders the open appeals by executor, by kind, by category, by district and by
 * channel, each then by state and due date: each state's count is a range of one of them
 * and the overdue three more (one a state, due before today), each range stopping at the
 * cap, as the tabs say "10,000+" past it. A filter's common value (a statement among
 * 166,773 open appeals: 150,083) stops at the cap after about as many entries; a rare one
 * reads its own. The other filters, a body and a scope are checked on the same entries. */
static const int tabs_by[] = {LF_EXECUTOR, LF_CATEGORY, LF_DISTRICT, LF_CHANNEL, LF_KIND};

#define TABS_OPEN "(a.status IN ('registered', 'assigned', 'in_work')) <> 0"
#define TABS_SCOPE                                                                                 \
    " AND a.body || '' IN (SELECT id FROM bodies WHERE substr(path, 1, length(?3)) = ?3)"

/* The tabs with the filters of mask, driver's index (tabs_by) giving each range, within a
 * scope (scoped): parameters the cap, today, the scope, then mask's conditions. One row a
 * state: its count up to the cap and of those the past due, from one range read in due order,
 * where the past due come first: when the count stops at the cap inside them, they are the cap
 * too, else all of them are counted. (The overdue were a fourth count, a range of each state
 * again: a whole region's tabs of a window of receipt read the 180,000 open appeals and then
 * the 80,000 past due once more.) */
static char *tabs_sql(uint32_t mask, int driver, int scoped)
{
    static const char *const state[3] = {"registered", "assigned", "in_work"};
    sbuf_t b = {0};
    for (int k = 0; k < 3; k++) {
        char head[256];
        snprintf(head, sizeof head,
                 "%sSELECT %d, count(*), " COUNT_IF(
                     "t.due_on < ?2") " FROM (SELECT a.due_on FROM appeals a WHERE a.status = '%s'",
                 k ? " UNION ALL " : "", k, state[k]);
        sput(&b, head);
        sput(&b, " AND " TABS_OPEN);
        sput(&b, scoped ? TABS_SCOPE : "");
        int n = scoped ? 4 : 3;
        sput_numbered(&b, mask, driver, &n);
        sput(&b, " ORDER BY a.due_on LIMIT ?1) AS t");
    }
    return sfinish(&b);
}

/* The first filter of tabs_by in rest when every one of rest is on their indexes' entries
 * (a body is, but drives none), LF_STATUS when none of them is (the states' own index); -1
 * when one of rest is not. */
static int tabs_driver(uint32_t rest)
{
    if (rest & ~(HELD | LF_DUE | (1u << LF_EXECUTOR) | (1u << LF_BODY)))
        return -1;
    for (size_t i = 0; i < sizeof tabs_by / sizeof tabs_by[0]; i++)
        if (rest & (1u << tabs_by[i]))
            return tabs_by[i];
    return rest & (1u << LF_BODY) ? -1 : LF_STATUS;
}

/* Which filter of tabs_by in rest gives the range (tabs_driver), by their open appeals
 * counted on their indexes when two or more are given: each up to the fewest so far, from
 * TABS_PROBE (none under it: the first). A registrar's tabs of Ust-Kamenogorsk's phoned
 * appeals walked the city's (half the oblast's) for its 7,059 in work; the 11,265 phoned
 * are the range. */
#define TABS_PROBE store_list_cap(20000)
static int tabs_pick(store_tx_t *tx, const appeal_filter_t *f, uint32_t rest, int always, int *d,
                     int64_t *fewest, ot_err_t *err)
{
    static const char *const sql[LF_COUNT] = {
#define PROBE_BY(c)                                                                                \
    "SELECT count(*) FROM (SELECT 1 FROM appeals a WHERE a." c " = ?1 AND " TABS_OPEN              \
    " LIMIT ?2) AS t"
        [LF_KIND] = PROBE_BY("kind"),         [LF_CATEGORY] = PROBE_BY("category"),
        [LF_DISTRICT] = PROBE_BY("district"), [LF_CHANNEL] = PROBE_BY("channel"),
        [LF_EXECUTOR] = PROBE_BY("executor"),
#undef PROBE_BY
    };
    const char *value[LF_COUNT] = {[LF_KIND] = f->kind,
                                   [LF_CATEGORY] = f->category,
                                   [LF_DISTRICT] = f->district,
                                   [LF_CHANNEL] = f->channel};
    *d = tabs_driver(rest);
    int many = 0;
    for (size_t i = 0; i < sizeof tabs_by / sizeof tabs_by[0]; i++)
        many += !!(rest & (1u << tabs_by[i]));
    int64_t best = TABS_PROBE;
    for (size_t i = 0; *d >= 0 && (many > 1 || always) && i < sizeof tabs_by / sizeof tabs_by[0];
         i++) {
        int c = tabs_by[i];
        if (!(rest & (1u << c)))
            continue;
        PREPARE(tx, sql[c]);
        if (c == LF_EXECUTOR)
            db_bind_int64(st, 1, f->executor);
        else
            db_bind_text(st, 1, value[c]);
        db_bind_int64(st, 2, best);
        int64_t n = 0;
        int rc = db_run(st, &n, err);
        if (rc)
            return rc;
        if (n < best) {
            best = n;
            *d = c;
        }
    }
    *fewest = best < TABS_PROBE ? best : -1;
    return OT_OK;
}

/* The work queue of every body (but n_out, skipped) in one open state with a filter of
 * tabs_by: a range of driver's index of open appeals, which after the filter's value and the
 * state is in the queue's order (the supervisor's assigned appeals about gas by due date
 * walked every open appeal for its 66: 20 ms at the 1M demo). Parameters as queue_sql's. */
static char *open_by_sql(uint32_t mask, int driver, int n_out)
{
    sbuf_t b = {0};
    int sorted = !(mask & (1u << LF_STATUS));
    /* in every open state: the three states' ranges, the ids of the entries that pass sorted
     * (the rows read for the page only); parameters then the page's limit once more */
    sput(&b, sorted ? APPEAL_LIST_SELECT "WHERE a.id IN (SELECT id FROM (SELECT a.id"
                                         " FROM appeals a WHERE " TABS_OPEN
                                         " AND a.status IN ('registered', 'assigned', 'in_work')"
                    : APPEAL_LIST_SELECT "WHERE " TABS_OPEN);
    sput_queue_conds(&b, mask, 1u << driver | 1u << LF_STATUS);
    sput_outside(&b, n_out, NULL);
    sput(&b, " ORDER BY a.due_on, a.id LIMIT ?");
    if (sorted) /* PostgreSQL wants the name */
        sput(&b, ") AS w) ORDER BY a.due_on, a.id LIMIT ?");
    return sfinish(&b);
}

char *store_appeal_tabs_sql(const appeal_filter_t *f)
{
    uint32_t rest = lf_mask(f) & ~((1u << LF_STATUS) | (1u << LF_OVERDUE) | LF_IDS);
    int d = tabs_driver(rest);
    return d < 0 ? NULL : tabs_sql(rest, d, f->scope_path != NULL);
}

/* The tabs of f with the filters rest, a range of driver's index for each, each up to cap. */
static int counts_tabs(store_tx_t *tx, const appeal_filter_t *f, const char *today, uint32_t rest,
                       int driver, int64_t cap, int64_t out[4], ot_err_t *err)
{
    char *own;
    int scoped = f->scope_path != NULL;
    db_stmt_t *st = shape_prepare(tx, rest, TABS_SHAPE | driver | scoped << 5, 0, &own, err);
    if (!st)
        return err ? err->status : OT_EINTERNAL;
    db_bind_int64(st, 1, cap);
    db_bind_text(st, 2, today);
    int i = 3;
    if (scoped)
        db_bind_text(st, i++, f->scope_path);
    lf_bind(st, &i, rest, f);
    int rc;
    while ((rc = db_step(st, err)) == DB_ROW) { /* a state's count and its past due */
        int k = (int)db_col_int64(st, 0);
        if (k >= 0 && k < 3)
            out[k] = db_col_int64(st, 1);
        out[3] += db_col_int64(st, 2);
    }
    out[3] = out[3] < cap ? out[3] : cap;
    shape_done(st, own);
    return rc < 0 ? -rc : OT_OK;
}

/* The counts with other filters: the open appeals of the counts' own index walked, each
 * counted by its state and due date from the index when the other filters hold (read from
 * its row). When one of them matches fewer than QBITS_CAP appeals its ids are a bitmap the
 * walk checks first (fewer than STORE_PROBE_CAP: each sought by its key instead of the
 * walk). Four counts through the list, each up to 10,000, could pass every appeal: an
 * executor's tabs of one category read his 754,748 appeals, 2.2-2.7 s at the 1M demo. */
static int counts_bits(store_tx_t *tx, const appeal_filter_t *f, const char *today, uint32_t rest,
                       int64_t out[4], ot_err_t *err)
{
    uint32_t sets = (1u << LF_KIND) | (1u << LF_CATEGORY) | (1u << LF_DISTRICT) |
                    (1u << LF_CHANNEL) | (1u << LF_REPEATED);
    int best, rc;
    int64_t best_n, top = 0;
    uint64_t *bits = NULL;
    /* every filter on the index's entries and none of few: summed in one statement, each
     * entry checked as SQLite reads it (out here, 0.2-0.3 us an entry: an executor's tabs of
     * one district, his 106,055 open appeals, 33 ms at the 1M demo) */
    int held = !(rest & ~(HELD | LF_DUE));
    if (held && (rc = smallest(tx, f, rest & sets, STORE_PROBE_CAP, &best, &best_n, err)))
        return rc;
    if (held && best < 0)
        return counts_sums(tx, f, f, counts_driver(f), today, rest, out, err);
    /* a set under STORE_PROBE_CAP found there is the smallest under QBITS_CAP too */
    if (!held && (rc = smallest(tx, f, rest & sets, QBITS_CAP, &best, &best_n, err)))
        return rc;
    /* no filter of few: the sets of up to QBITS_AND appeals met in a bitmap (queue_meet; the
     * oblast's tabs of one district's requests of one category read every open appeal's row,
     * 0.5 s at the 1M demo); none that small: every open appeal of the walk read (the open
     * appeals bound it, where a count through the list could pass every appeal) */
    if (best >= 0)
        rc = set_bitmap(tx, f, best, &bits, &top, err);
    else if (rest & sets)
        rc = queue_meet(tx, f, rest & sets, &bits, &top, err);
    /* due dates and the columns the counts' indexes hold: checked on its entries */
    uint32_t left = rest & ~(best < 0 ? 0u : 1u << best);
    uint32_t cols = left & HELD;
    uint32_t rows = left & ~LF_DUE & ~HELD;
    char *own = NULL;
    db_stmt_t *row = !rc && rows ? shape_prepare(tx, rows, ROW_SHAPE, 0, &own, err) : NULL;
    /* a set of few: each of its appeals sought in the counts' statement; else that
     * statement's walk of every open appeal it counts, each checked in the set */
    int few = bits && best >= 0 && best_n < STORE_PROBE_CAP;
    db_stmt_t *st = !rc && (row || !rows) ? counts_stmt(tx, f, today, few ? 2 : 1, err) : NULL;
    if (!rc && !st)
        rc = err ? err->status : OT_EINTERNAL;
    int step = DB_DONE;
    size_t w = 0;
    uint64_t x = few ? bits[0] : 0;
    while (!rc) {
        if (few) { /* the set's next appeal, sought: none when it is not counted */
            while (!x && ++w < (size_t)((top + 63) / 64))
                x = bits[w];
            if (!x)
                break;
            db_reset(st);
            db_bind_int64(st, 5, (int64_t)w * 64 + __builtin_ctzll(x));
            x &= x - 1;
        }
        if ((step = db_step(st, err)) == DB_DONE && few)
            continue;
        if (step != DB_ROW)
            break;
        int64_t id = db_col_int64(st, 0);
        const char *due = db_col_text(st, 3);
        if ((bits && (id >= top || !bitset_has(bits, id))) ||
            (f->due_before && strcmp(due, f->due_before) >= 0) ||
            (f->due_after && strcmp(due, f->due_after) < 0) || !held_by(st, 4, cols, f))
            continue;
        const char *status = db_col_text(st, 1);
        int k = !strcmp(status, "registered") ? 0 : !strcmp(status, "assigned") ? 1 : 2;
        int late = db_col_int64(st, 2) != 0, r = DB_ROW;
        if (rows) {
            int i = 1;
            db_bind_int64(row, i++, id);
            lf_bind(row, &i, rows, f);
            r = db_step(row, err);
            db_reset(row);
        }
        if (r == DB_ROW) {
            out[k]++;
            out[3] += late;
        } else if (r < 0)
            rc = -r;
    }
    if (!rc && step < 0)
        rc = -step;
    if (st)
        db_reset(st);
    if (row)
        shape_done(row, own);
    free(bits);
    return rc;
}

/* The counts of f under its executor, body or scope alone (exact, no cap). */
static int counts_plain(store_tx_t *tx, const appeal_filter_t *f, const char *today, int64_t out[4],
                        ot_err_t *err)
{
    db_stmt_t *st = counts_stmt(tx, f, today, 0, err);
    if (!st)
        return err ? err->status : OT_EINTERNAL;
    int rc;
    while ((rc = db_step(st, err)) == DB_ROW)
        for (int k = 0; k < 4; k++)
            out[k] = db_col_int64(st, k);
    db_reset(st);
    return rc < 0 ? -rc : OT_OK;
}

/* Whether scope holds every body but at most COMPLEMENT_MAX, and more than those (*most). */
static int scope_most(store_tx_t *tx, const char *scope, int *most, ot_err_t *err)
{
    char out[COMPLEMENT_MAX][64];
    size_t n;
    int64_t total = 0;
    int rc = scope_outside(tx, scope, out, &n, err);
    if (!rc && n && n <= COMPLEMENT_MAX) {
        PREPARE(tx, "SELECT count(*) FROM bodies");
        rc = db_run(st, &total, err);
    }
    *most = !n || (n <= COMPLEMENT_MAX && (int64_t)n * 2 < total);
    return rc;
}

/* The four counts of the tabs by the walk that reads fewest entries; the caller caps them. */
static int queue_counts(store_tx_t *tx, const appeal_filter_t *f, const char *today, int64_t cap,
                        int64_t out[4], ot_err_t *err)
{
    uint32_t own = (1u << LF_STATUS) | (1u << LF_OVERDUE) | LF_IDS; /* what the tabs count */
    uint32_t rest = lf_mask(f) & ~(own | (1u << LF_EXECUTOR) | (1u << LF_BODY));
    /* an executor's, or without a body, a filter's index of open appeals (tabs_by; none of
     * them: the states' own): its ranges, with no scope, or one of every body but a few, or
     * when the filter's open appeals are fewer than TABS_PROBE, or an executor's in any scope
     * (the other way reads every open appeal of his too, through his queue's index: the
     * ranges stop at the cap, a city head's tabs of the oblast executor 24 -> 13 ms at the 1M
     * demo); else a narrower scope's own walk of its bodies' open appeals reads fewer */
    int most = !f->scope_path, d = f->body && !f->executor ? -1 : tabs_driver(lf_mask(f) & ~own),
        rc, fewer = 0;
    /* the repeated: the open repeated appeals' own index summed (migration 67), every filter,
     * the executor and the body checked on its entries */
    if ((rest & (1u << LF_REPEATED)) && !(rest & ~(HELD | LF_DUE))) {
        appeal_filter_t place = *f;
        place.executor = 0;
        place.body = NULL;
        uint32_t m = rest | (f->executor ? 1u << LF_EXECUTOR : 0) | (f->body ? 1u << LF_BODY : 0);
        return counts_sums(tx, &place, f, COUNTS_REPEATED, today, m, out, err);
    }
    int64_t fewest = -1;
    if (d == LF_STATUS && (rest & (1u << LF_REPEATED)))
        d = -1; /* a repeat: each state's whole range checked, where counts_bits reads the set
                 * (the oblast's repeats: 22 -> 34 ms at the 1M demo); a window of receipt is
                 * checked on the ranges' entries, which stop at the cap when most pass */
    if (d >= 0 &&
        (rc = tabs_pick(tx, f, lf_mask(f) & ~own, f->scope_path != NULL, &d, &fewest, err)))
        return rc;
    if (d >= 0 && !most && fewest < 0 && (rc = scope_most(tx, f->scope_path, &most, err)))
        return rc;
    /* an executor in a body with fewer open appeals than his (queue_by_body), or with
     * TABS_PROBE or more in a scope of not nearly every body: the body's or the scope's open
     * appeals summed, the executor checked on their entries with the other filters. By his
     * states' ranges, each of his entries was read for its body (a registrar's tabs of the
     * demo's oblast executor in one Ridder department: his 119,000 open appeals for none
     * there, 18 ms at the 1M demo; in the city, whose 45,604 open appeals are fewer, 14 ms) */
    if (d == LF_EXECUTOR && !(rest & ~(HELD | LF_DUE))) {
        if (f->body && (rc = queue_by_body(tx, f, &fewer, err)))
            return rc;
        fewer |= !f->body && !most && fewest < 0;
    }
    if (fewer) {
        appeal_filter_t place = *f;
        place.executor = 0;
        return counts_sums(tx, &place, f, counts_driver(&place), today, rest | 1u << LF_EXECUTOR,
                           out, err);
    }
    if (d >= 0 && (most || fewest >= 0 || d == LF_EXECUTOR))
        return counts_tabs(tx, f, today, lf_mask(f) & ~own, d, cap, out, err);
    return rest ? counts_bits(tx, f, today, rest, out, err) /* each open appeal checked */
                : counts_plain(tx, f, today, out, err);
}

int store_appeal_queue_counts(store_tx_t *tx, const appeal_filter_t *f, const char *today,
                              int64_t cap, int64_t out[4], ot_err_t *err)
{
    memset(out, 0, 4 * sizeof out[0]);
    cap = store_list_cap(cap); /* the API tests' scale: a few appeals reach it */
    int rc = queue_counts(tx, f, today, cap, out, err);
    for (int k = 0; k < 4; k++) /* each count stops at the cap, whichever walk counted it */
        out[k] = out[k] < cap ? out[k] : cap;
    return rc;
}
