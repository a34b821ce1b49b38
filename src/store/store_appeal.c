/* Repository: appeals. */
#include "store/store_appeal.h"

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

#define APPEAL_SELECT                                                                              \
    "SELECT a.id, a.number, a.kind, a.channel, a.status, a.jurisdiction, a.language,"              \
    " a.category, a.district, a.body, a.receiving_body, b.path, a.executor, a.registrar,"          \
    " a.text, a.address, a.lat, a.lon, a.applicant_type, a.applicant_id, a.applicant_name,"        \
    " a.applicant_address, a.applicant_phone, a.applicant_email, a.signatories,"                   \
    " a.received_at, a.registered_on, a.due_on, a.forward_by, a.max_due_on, a.extended_on,"        \
    " a.extension_reason, a.forwarded_at, a.forward_late, a.answered_at, a.closed_at,"             \
    " a.answered_by, a.answered_on, a.decision, a.answer_text, a.answer_grounds, a.rating,"        \
    " a.rated_at, a.rating_comment, a.control_on, a.terminate_reason, a.access_hash,"              \
    " a.parent_id, a.repeat_of, a.link, p.number, r.number, a.updated_at"                          \
    " FROM appeals a JOIN bodies b ON b.id = a.body"                                               \
    " LEFT JOIN appeals p ON p.id = a.parent_id LEFT JOIN appeals r ON r.id = a.repeat_of "

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
}

/* Two statements, not one with RETURNING: SQLite (3.40) builds RETURNING's rows in an
 * ephemeral table, 11 us a statement against 2 us for both of these. */
int store_number_next(store_tx_t *tx, const char *prefix, int year, int64_t *out, ot_err_t *err)
{
    int rc;
    {
        PREPARE(tx, "INSERT INTO number_seq (prefix, year, last) VALUES (?, ?, 1)"
                    " ON CONFLICT (prefix, year) DO UPDATE SET last = number_seq.last + 1");
        db_bind_text(st, 1, prefix);
        db_bind_int64(st, 2, year);
        if ((rc = db_run(st, NULL, err)))
            return rc;
    }
    PREPARE(tx, "SELECT last FROM number_seq WHERE prefix = ? AND year = ?");
    db_bind_text(st, 1, prefix);
    db_bind_int64(st, 2, year);
    return db_run(st, out, err);
}

int store_appeal_insert(store_tx_t *tx, appeal_rec_t *a, ot_err_t *err)
{
    PREPARE(tx,
            "INSERT INTO appeals (number, kind, channel, status, jurisdiction, language,"
            " category, district, body, receiving_body, executor, registrar, text, address, lat,"
            " lon, applicant_type, applicant_id, applicant_name, applicant_address,"
            " applicant_phone, applicant_email, signatories, received_at, registered_on, due_on,"
            " forward_by, max_due_on, access_hash, parent_id, link, repeat_of, updated_at)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
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
    int rc = db_run(st, NULL, err); /* no RETURNING: see store_number_next */
    if (!rc)
        a->id = db_last_id(tx->db);
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
    M(status, M_TEXT),        M(body, M_TEXT),
    M(executor, M_ID),        M(due_on, M_TEXT),
    M(forward_by, M_OPT),     M(max_due_on, M_TEXT),
    M(extended_on, M_OPT),    M(extension_reason, M_PTR),
    M(forwarded_at, M_ID),    M(forward_late, M_INT),
    M(answered_at, M_ID),     M(closed_at, M_ID),
    M(answered_by, M_ID),     M(answered_on, M_OPT),
    M(decision, M_OPT),       M(answer_text, M_PTR),
    M(answer_grounds, M_PTR), M(rating, M_ID),
    M(rated_at, M_ID),        M(rating_comment, M_PTR),
    M(control_on, M_OPT),     M(terminate_reason, M_OPT),
    M(repeat_of, M_ID),       M(updated_at, M_INT64),
#undef M
};
#define N_MCOLS  (sizeof mcols / sizeof mcols[0])
#define ALL_COLS ((1u << N_MCOLS) - 1)

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
    uint32_t mask;
    char sql[40 + N_MCOLS * 24];
} update_sql[64];
static int n_update_sql;
static pthread_mutex_t update_sql_lock = PTHREAD_MUTEX_INITIALIZER;

static const char *update_sql_for(uint32_t *mask)
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
            if (*mask & (1u << c))
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

int store_appeal_update(store_tx_t *tx, const appeal_rec_t *old, const appeal_rec_t *a,
                        ot_err_t *err)
{
    if (!n_update_sql) { /* the first entry writes every column: the fallback */
        uint32_t all = ALL_COLS;
        update_sql_for(&all);
    }
    uint32_t mask = 0;
    for (size_t c = 0; c < N_MCOLS; c++)
        if (!old || !mcol_same(&mcols[c], old, a))
            mask |= 1u << c;
    if (!mask)
        return OT_OK;
    const char *sql = update_sql_for(&mask);
    PREPARE(tx, sql);
    int i = 1;
    for (size_t c = 0; c < N_MCOLS; c++)
        if (mask & (1u << c))
            mcol_bind(st, i++, &mcols[c], a);
    db_bind_int64(st, i, a->id);
    int rc = db_run(st, NULL, err);
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

int store_appeal_first_complaint(store_tx_t *tx, int64_t parent_id, int64_t *id, ot_err_t *err)
{
    PREPARE(tx, "SELECT min(id) FROM appeals WHERE parent_id = ? AND link = 'complaint'");
    db_bind_int64(st, 1, parent_id);
    *id = 0;
    int rc = db_run(st, id, err);
    return rc == OT_ENOTFOUND ? OT_OK : rc;
}

int store_appeal_find_repeat(store_tx_t *tx, const char *applicant_id, const char *category,
                             const char *district, int64_t since_us, int64_t *id, ot_err_t *err)
{
    PREPARE(tx, "SELECT id FROM appeals WHERE applicant_id = ? AND category = ?"
                " AND coalesce(district, '') = ? AND received_at >= ?"
                " ORDER BY received_at DESC LIMIT 1");
    db_bind_text(st, 1, applicant_id);
    db_bind_text(st, 2, category);
    db_bind_text(st, 3, district ? district : "");
    db_bind_int64(st, 4, since_us);
    *id = 0;
    int rc = db_run(st, id, err);
    return rc == OT_ENOTFOUND ? OT_OK : rc;
}

int store_appeal_list(store_tx_t *tx, const appeal_filter_t *f,
                      int (*fn)(appeal_rec_t *a, void *arg), void *arg, ot_err_t *err)
{
    PREPARE(tx, APPEAL_SELECT
            "WHERE (?1 IS NULL OR a.status = ?1) AND (?2 IS NULL OR a.body = ?2)"
            " AND (?3 IS NULL OR a.kind = ?3) AND (?4 IS NULL OR a.category = ?4)"
            " AND (?5 IS NULL OR a.district = ?5) AND (?6 IS NULL OR a.channel = ?6)"
            " AND (?7 IS NULL OR substr(b.path, 1, length(?7)) = ?7)"
            " AND (?8 = 0 OR a.executor = ?8)"
            " AND (?9 = 0 OR (a.status IN ('registered', 'assigned', 'in_work')"
            "                 AND a.due_on < ?10))"
            " AND (?11 IS NULL OR a.due_on < ?11) AND (?12 IS NULL OR a.due_on >= ?12)"
            " AND (?13 = 0 OR a.received_at >= ?13) AND (?14 = 0 OR a.received_at < ?14)"
            " AND (?15 = 0 OR a.repeat_of IS NOT NULL) AND (?16 = 0 OR a.id < ?16)"
            " ORDER BY a.id DESC LIMIT ?17");
    db_bind_text(st, 1, f->status);
    db_bind_text(st, 2, f->body);
    db_bind_text(st, 3, f->kind);
    db_bind_text(st, 4, f->category);
    db_bind_text(st, 5, f->district);
    db_bind_text(st, 6, f->channel);
    db_bind_text(st, 7, f->scope_path);
    db_bind_int64(st, 8, f->executor);
    db_bind_int64(st, 9, f->overdue);
    db_bind_text(st, 10, f->today ? f->today : "");
    db_bind_text(st, 11, f->due_before);
    db_bind_text(st, 12, f->due_after);
    db_bind_int64(st, 13, f->received_from);
    db_bind_int64(st, 14, f->received_to);
    db_bind_int64(st, 15, f->repeated);
    db_bind_int64(st, 16, f->before_id);
    db_bind_int64(st, 17, f->limit > 0 ? f->limit : 50);
    int rc, stop = 0;
    appeal_rec_t a;
    memset(&a, 0, sizeof a);
    while (!stop && (rc = db_step(st, err)) == DB_ROW) {
        read_rec(st, &a);
        stop = fn(&a, arg);
    }
    appeal_rec_free(&a);
    db_reset(st);
    return stop || rc >= 0 ? OT_OK : -rc;
}

int store_appeal_open_terms(store_tx_t *tx, const char *jurisdiction, appeal_terms_t **out,
                            size_t *n, ot_err_t *err)
{
    PREPARE(tx, "SELECT a.id, a.number, a.kind, a.received_at, b.workday_end_min,"
                " a.registered_on, a.due_on, a.forward_by, a.max_due_on, a.extended_on"
                " FROM appeals a JOIN bodies b ON b.id = a.receiving_body"
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
