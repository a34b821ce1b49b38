#include "store/store_attachment.h"

#include <string.h>

#include "store/store_int.h"

#define ATT_COLS "appeal_id, sha256, name, type, size, added_by, created_at"

static void read_att(db_stmt_t *st, attachment_rec_t *a)
{
    a->appeal_id = db_col_int64(st, 0);
    store_copy_col(st, 1, a->sha256, sizeof a->sha256);
    store_copy_col(st, 2, a->name, sizeof a->name);
    store_copy_col(st, 3, a->type, sizeof a->type);
    a->size = db_col_int64(st, 4);
    store_copy_col(st, 5, a->added_by, sizeof a->added_by);
    a->created_at = db_col_int64(st, 6);
}

int store_attachment_insert(store_tx_t *tx, const attachment_rec_t *a, ot_err_t *err)
{
    PREPARE(tx,
            "INSERT INTO attachments (" ATT_COLS ", source_addr) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    db_bind_int64(st, 1, a->appeal_id);
    db_bind_text(st, 2, a->sha256);
    db_bind_text(st, 3, a->name);
    db_bind_text(st, 4, a->type);
    db_bind_int64(st, 5, a->size);
    db_bind_text(st, 6, a->added_by);
    db_bind_int64(st, 7, a->created_at);
    if (a->source_addr[0])
        db_bind_text(st, 8, a->source_addr);
    else
        db_bind_null(st, 8);
    int rc = db_run(st, NULL, err);
    if (rc == OT_ECONFLICT)
        return ot_err(err, OT_ECONFLICT, "already_attached", "file",
                      "this file is already attached to the appeal");
    return rc;
}

int store_attachment_each(store_tx_t *tx, int64_t appeal_id,
                          int (*fn)(const attachment_rec_t *a, void *arg), void *arg, ot_err_t *err)
{
    PREPARE(tx, "SELECT " ATT_COLS " FROM attachments WHERE appeal_id = ? ORDER BY id");
    db_bind_int64(st, 1, appeal_id);
    int rc, stop = 0;
    attachment_rec_t a;
    while (!stop && (rc = db_step(st, err)) == DB_ROW) {
        read_att(st, &a);
        stop = fn(&a, arg);
    }
    db_reset(st);
    return stop || rc >= 0 ? OT_OK : -rc;
}

/* Reads the one row of count(*), sum(size). */
static int usage_row(db_stmt_t *st, int64_t *files, int64_t *bytes, int64_t *oldest, ot_err_t *err)
{
    int rc = db_step(st, err);
    if (rc < 0)
        return -rc;
    *files = rc == DB_ROW ? db_col_int64(st, 0) : 0;
    *bytes = rc == DB_ROW ? db_col_int64(st, 1) : 0;
    if (oldest)
        *oldest = rc == DB_ROW ? db_col_int64(st, 2) : 0;
    db_reset(st);
    return OT_OK;
}

static int usage_of_addr(store_tx_t *tx, const char *addr, int64_t since, int64_t *files,
                         int64_t *bytes, int64_t *oldest, ot_err_t *err)
{
    PREPARE(tx, "SELECT count(*), coalesce(sum(size), 0), coalesce(min(created_at), 0)"
                " FROM attachments WHERE source_addr = ? AND created_at >= ?");
    db_bind_text(st, 1, addr);
    db_bind_int64(st, 2, since);
    return usage_row(st, files, bytes, oldest, err);
}

int store_attachment_usage(store_tx_t *tx, int64_t appeal_id, const char *addr, int64_t since,
                           int64_t *files, int64_t *bytes, int64_t *oldest, ot_err_t *err)
{
    if (addr)
        return usage_of_addr(tx, addr, since, files, bytes, oldest, err);
    PREPARE(tx, "SELECT count(*), coalesce(sum(size), 0), 0 FROM attachments"
                " WHERE appeal_id = ? AND added_by = 'citizen'");
    db_bind_int64(st, 1, appeal_id);
    return usage_row(st, files, bytes, oldest, err);
}

int store_attachment_get(store_tx_t *tx, int64_t appeal_id, const char *sha256,
                         attachment_rec_t *out, ot_err_t *err)
{
    PREPARE(tx, "SELECT " ATT_COLS " FROM attachments WHERE appeal_id = ? AND sha256 = ?");
    db_bind_int64(st, 1, appeal_id);
    db_bind_text(st, 2, sha256);
    int rc = db_step(st, err);
    if (rc < 0)
        return -rc;
    if (rc == DB_DONE) {
        db_reset(st);
        return ot_err(err, OT_ENOTFOUND, "not_found", "sha256", "no such attachment");
    }
    read_att(st, out);
    db_reset(st);
    return OT_OK;
}
