/* Repository: forwards by competence. See store_forward.h. */
#include "store/store_forward.h"

#include <stdint.h>
#include <string.h>

#include "store/store_int.h"

int store_forward_add(store_tx_t *tx, const forward_rec_t *f, ot_err_t *err)
{
    PREPARE(tx, "INSERT INTO forwards (appeal_id, from_body, to_body, at, within_term, reason)"
                " VALUES (?, ?, ?, ?, ?, ?)");
    db_bind_int64(st, 1, f->appeal_id);
    db_bind_text(st, 2, f->from_body);
    db_bind_text(st, 3, f->to_body);
    db_bind_int64(st, 4, f->at);
    db_bind_int64(st, 5, f->within_term);
    db_bind_text(st, 6, f->reason);
    return db_run(st, NULL, err);
}

int store_forward_sent_from(store_tx_t *tx, int64_t appeal_id, const char *path, int *yes,
                            ot_err_t *err)
{
    PREPARE(tx, "SELECT 1 FROM forwards f JOIN bodies b ON b.id = f.from_body"
                " WHERE f.appeal_id = ? AND substr(b.path, 1, length(?2)) = ?2 LIMIT 1");
    db_bind_int64(st, 1, appeal_id);
    db_bind_text(st, 2, path);
    int64_t v = 0;
    int rc = db_run(st, &v, err);
    *yes = rc == OT_OK;
    return rc == OT_ENOTFOUND ? OT_OK : rc;
}

/* The list, newest first. The cursor is the last row's (at, id): forwards made in one
 * transaction share their instant (282 pairs on the 1M demo), and a cursor of the instant
 * alone skipped the rest of them at a page's end. A range of forwards_at is walked, the scope
 * checked on each (the cursor as a catch-all, ?2 = 0 OR ..., had SQLite read every forward
 * and sort them: 0.3 to 3 s at the 1M demo, issue 23); a scope whose bodies forwarded fewer
 * than FORWARD_IDS_CAP (counted on forwards_from) reads those from forwards_from, their ids
 * sorted: the walk passed every forward of every other body (a department's head at the 1M
 * demo: 7 ms for a page, growing with the forwards; Ridder's head, whose bodies made 3,134
 * of 62,688, 31-36 ms for a page of 500). The ids are the index's entries alone (about 0.3 µs
 * each, their sort included), a walked forward its row and its body's. */
#define FORWARD_IDS_CAP store_list_cap(20000)
#define FORWARD_COLS                                                                               \
    "SELECT f.appeal_id, f.at, a.number, f.from_body, f.to_body, f.within_term, f.reason,"         \
    " a.body, a.status, a.due_on, f.id FROM forwards f JOIN bodies b ON b.id = f.from_body"        \
    " JOIN appeals a ON a.id = f.appeal_id"
#define IN_SCOPE(x) x ".from_body IN (SELECT id FROM bodies WHERE substr(path, 1, length(?1)) = ?1)"
const char *const store_forward_list_sql[2] = {
    FORWARD_COLS " WHERE (?1 IS NULL OR substr(b.path, 1, length(?1)) = ?1)"
                 " AND (f.at, f.id) < (?2, ?4) ORDER BY f.at DESC, f.id DESC LIMIT ?3",
    FORWARD_COLS " WHERE f.id IN (SELECT g.id FROM forwards g WHERE " IN_SCOPE(
        "g") " AND (g.at, g.id) < (?2, ?4) ORDER BY g.at DESC, g.id DESC LIMIT ?3)"
             " ORDER BY f.at DESC, f.id DESC",
};
const char store_forward_probe_sql[] =
    "SELECT count(*) FROM (SELECT 1 FROM forwards g WHERE " IN_SCOPE("g") " LIMIT ?2) AS t";
#undef IN_SCOPE

int store_forward_list(store_tx_t *tx, const char *scope_path, int64_t before_at, int64_t before_id,
                       int limit, int (*fn)(const forward_rec_t *f, void *arg), void *arg,
                       ot_err_t *err)
{
    const char *const probe[2] = {NULL, store_forward_probe_sql}, *val[2] = {NULL, scope_path};
    int driver = 0;
    int rc = store_list_driver(tx, probe, val, 2, FORWARD_IDS_CAP, NULL, NULL, &driver, NULL, err);
    if (rc)
        return rc;
    PREPARE(tx, store_forward_list_sql[driver]);
    db_bind_text(st, 1, scope_path);
    db_bind_int64(st, 2, before_at > 0 ? before_at : INT64_MAX);
    db_bind_int64(st, 3, limit > 0 ? limit : 50);
    db_bind_int64(st, 4, before_at > 0 ? before_id : 0);
    forward_rec_t f;
    int stop = 0;
    while (!stop && (rc = db_step(st, err)) == DB_ROW) {
        memset(&f, 0, sizeof f);
        f.appeal_id = db_col_int64(st, 0);
        f.at = db_col_int64(st, 1);
        store_copy_col(st, 2, f.number, sizeof f.number);
        store_copy_col(st, 3, f.from_body, sizeof f.from_body);
        store_copy_col(st, 4, f.to_body, sizeof f.to_body);
        f.within_term = (int)db_col_int64(st, 5);
        store_copy_col(st, 6, f.reason, sizeof f.reason);
        store_copy_col(st, 7, f.body, sizeof f.body);
        store_copy_col(st, 8, f.status, sizeof f.status);
        store_copy_col(st, 9, f.due_on, sizeof f.due_on);
        f.id = db_col_int64(st, 10);
        stop = fn(&f, arg);
    }
    db_reset(st);
    return stop || rc >= 0 ? OT_OK : -rc;
}
