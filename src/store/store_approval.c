/* Repository: body settings and answers held for approval. See store_approval.h. */
#include "store/store_approval.h"

#include <string.h>

#include "store/store_int.h"

int store_body_settings_get(store_tx_t *tx, const char *body, body_settings_t *out, ot_err_t *err)
{
    PREPARE(tx, "SELECT answer_approval, updated_at, coalesce(updated_by, 0) FROM body_settings"
                " WHERE body = ?");
    db_bind_text(st, 1, body);
    memset(out, 0, sizeof *out);
    int rc = db_step(st, err);
    if (rc == DB_ROW) {
        out->answer_approval = (int)db_col_int64(st, 0);
        out->updated_at = db_col_int64(st, 1);
        out->updated_by = db_col_int64(st, 2);
    }
    db_reset(st);
    return rc < 0 ? -rc : OT_OK;
}

int store_body_settings_set(store_tx_t *tx, const char *body, const body_settings_t *s,
                            ot_err_t *err)
{
    PREPARE(tx, "INSERT INTO body_settings (body, answer_approval, updated_at, updated_by)"
                " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (body) DO UPDATE SET"
                " answer_approval = excluded.answer_approval, updated_at = excluded.updated_at,"
                " updated_by = excluded.updated_by");
    db_bind_text(st, 1, body);
    db_bind_int64(st, 2, s->answer_approval);
    db_bind_int64(st, 3, s->updated_at);
    store_bind_id(st, 4, s->updated_by);
    return db_run(st, NULL, err);
}

int store_approval_add(store_tx_t *tx, approval_rec_t *r, ot_err_t *err)
{
    PREPARE(tx, "INSERT INTO answer_approvals (appeal_id, decision, text, grounds, submitted_by,"
                " submitted_at, submitted_on) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id");
    db_bind_int64(st, 1, r->appeal_id);
    db_bind_text(st, 2, r->decision);
    db_bind_text(st, 3, r->text);
    db_bind_text(st, 4, r->grounds);
    db_bind_int64(st, 5, r->submitted_by);
    db_bind_int64(st, 6, r->submitted_at);
    db_bind_text(st, 7, r->submitted_on);
    strcpy(r->status, "pending");
    return db_run(st, &r->id, err);
}

#define APPROVAL_COLS APPROVAL_COLS_OF("p", "a", "u")
#define APPROVAL_FROM                                                                              \
    " FROM answer_approvals p JOIN appeals a ON a.id = p.appeal_id"                                \
    " LEFT JOIN users u ON u.id = p.submitted_by"

void store_read_approval(db_stmt_t *st, int o, approval_rec_t *r)
{
    memset(r, 0, sizeof *r);
    r->id = db_col_int64(st, o);
    r->appeal_id = db_col_int64(st, o + 1);
    store_copy_col(st, o + 2, r->decision, sizeof r->decision);
    r->text = store_dup_col(st, o + 3);
    r->grounds = store_dup_col(st, o + 4);
    r->submitted_by = db_col_int64(st, o + 5);
    r->submitted_at = db_col_int64(st, o + 6);
    store_copy_col(st, o + 7, r->submitted_on, sizeof r->submitted_on);
    store_copy_col(st, o + 8, r->status, sizeof r->status);
    store_copy_col(st, o + 9, r->number, sizeof r->number);
    store_copy_col(st, o + 10, r->body, sizeof r->body);
    store_copy_col(st, o + 11, r->kind, sizeof r->kind);
    store_copy_col(st, o + 12, r->language, sizeof r->language);
    store_copy_col(st, o + 13, r->due_on, sizeof r->due_on);
    store_copy_col(st, o + 14, r->submitted_login, sizeof r->submitted_login);
}

int store_approval_pending(store_tx_t *tx, int64_t appeal_id, approval_rec_t *out, int *found,
                           ot_err_t *err)
{
    PREPARE(tx, "SELECT " APPROVAL_COLS APPROVAL_FROM
                " WHERE p.appeal_id = ? AND p.status = 'pending'");
    db_bind_int64(st, 1, appeal_id);
    int rc = db_step(st, err);
    *found = rc == DB_ROW;
    if (*found)
        store_read_approval(st, 0, out);
    db_reset(st);
    return rc < 0 ? -rc : OT_OK;
}

int store_approval_decide(store_tx_t *tx, int64_t id, const char *status, int64_t by, int64_t at,
                          const char *comment, ot_err_t *err)
{
    PREPARE(tx, "UPDATE answer_approvals SET status = ?, decided_by = ?, decided_at = ?,"
                " comment = ? WHERE id = ? AND status = 'pending'");
    db_bind_text(st, 1, status);
    db_bind_int64(st, 2, by);
    db_bind_int64(st, 3, at);
    db_bind_text(st, 4, comment);
    db_bind_int64(st, 5, id);
    return db_run(st, NULL, err);
}

int store_approval_list(store_tx_t *tx, const char *scope_path, int64_t submitted_by, int limit,
                        int (*fn)(const approval_rec_t *r, void *arg), void *arg, ot_err_t *err)
{
    PREPARE(tx, "SELECT " APPROVAL_COLS APPROVAL_FROM " JOIN bodies b ON b.id = a.body"
                " WHERE p.status = 'pending'"
                " AND (?1 IS NULL OR substr(b.path, 1, length(?1)) = ?1)"
                " AND (?2 = 0 OR p.submitted_by = ?2) ORDER BY p.submitted_at, p.id LIMIT ?3");
    db_bind_text(st, 1, scope_path);
    db_bind_int64(st, 2, submitted_by);
    db_bind_int64(st, 3, limit > 0 && limit <= 500 ? limit : 500);
    approval_rec_t r;
    int rc, stop = 0;
    while (!stop && (rc = db_step(st, err)) == DB_ROW) {
        store_read_approval(st, 0, &r);
        stop = fn(&r, arg);
        approval_rec_free(&r);
    }
    db_reset(st);
    return stop || rc >= 0 ? OT_OK : -rc;
}
