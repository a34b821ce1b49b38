/* Repository: Open311 requests. */
#include "store/store_open311.h"

#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

/* Open = the term is running (domain/appeal.h appeal_is_open). */
#define OPEN_STATUSES "('registered', 'assigned', 'in_work')"

#define O311_SELECT                                                                                \
    "SELECT a.number, a.status, a.category, c.name_kk, c.name_ru, c.name_en, b.name_kk,"           \
    " b.name_ru, b.name_en, a.jurisdiction, b.workday_end_min, a.text, a.address,"                 \
    " o.media_url, o.address_id, a.lat, a.lon, a.received_at, a.updated_at, a.answered_at,"        \
    " a.closed_at, a.due_on, a.decision, a.terminate_reason"                                       \
    " FROM open311_requests o JOIN appeals a ON a.id = o.appeal_id"                                \
    " JOIN categories c ON c.code = a.category JOIN bodies b ON b.id = a.body "

#define COPY(i, f) store_copy_col(st, i, r->f, sizeof r->f)

static void read_rec(db_stmt_t *st, o311_rec_t *r)
{
    memset(r, 0, sizeof *r);
    COPY(0, number);
    COPY(1, status);
    COPY(2, category);
    for (int k = 0; k < 3; k++) {
        COPY(3 + k, category_name[k]);
        COPY(6 + k, body_name[k]);
    }
    COPY(9, jurisdiction);
    r->workday_end_min = (int)db_col_int64(st, 10);
    r->text = store_dup_col(st, 11);
    r->address = store_dup_col(st, 12);
    r->media_url = store_dup_col(st, 13);
    COPY(14, address_id);
    r->has_coords = !db_col_is_null(st, 15);
    r->lat = db_col_double(st, 15);
    r->lon = db_col_double(st, 16);
    r->received_at = db_col_int64(st, 17);
    r->updated_at = db_col_int64(st, 18);
    r->answered_at = db_col_int64(st, 19);
    r->closed_at = db_col_int64(st, 20);
    COPY(21, due_on);
    COPY(22, decision);
    COPY(23, terminate_reason);
}

int store_o311_insert(store_tx_t *tx, const char *number, int64_t api_key, const char *media_url,
                      const char *address_id, const char *device_id, const char *account_id,
                      ot_err_t *err)
{
    PREPARE(tx, "INSERT INTO open311_requests (appeal_id, api_key, media_url, address_id,"
                " device_id, account_id, received_at) SELECT id, ?, ?, ?, ?, ?, received_at"
                " FROM appeals WHERE number = ? RETURNING appeal_id");
    db_bind_int64(st, 1, api_key);
    store_bind_opt(st, 2, media_url);
    store_bind_opt(st, 3, address_id);
    store_bind_opt(st, 4, device_id);
    store_bind_opt(st, 5, account_id);
    db_bind_text(st, 6, number);
    int64_t id;
    return db_run(st, &id, err);
}

int store_o311_get(store_tx_t *tx, const char *number, o311_rec_t *out, ot_err_t *err)
{
    PREPARE(tx, O311_SELECT "WHERE a.number = ?");
    db_bind_text(st, 1, number);
    int rc = db_step(st, err);
    if (rc == DB_ROW)
        read_rec(st, out);
    db_reset(st);
    if (rc == DB_DONE)
        return ot_err(err, OT_ENOTFOUND, "not_found", "service_request_id", "no service request %s",
                      number);
    return rc < 0 ? (err ? err->status : OT_EINTERNAL) : OT_OK;
}

#define Q8  "?,?,?,?,?,?,?,?"
#define Q64 Q8 "," Q8 "," Q8 "," Q8 "," Q8 "," Q8 "," Q8 "," Q8

int store_o311_list(store_tx_t *tx, const o311_filter_t *f,
                    int (*fn)(const o311_rec_t *r, void *arg), void *arg, ot_err_t *err)
{
    /* one fixed statement (cached): unused code slots are bound NULL, which IN never
     * matches; the placeholder count must equal O311_MAX_CODES. The requests are walked
     * newest first by their own copy of the receipt instant (open311_received): by the
     * appeals' it read every appeal of the period to find the few filed through Open311
     * (0.5 s at the 1M demo for an empty answer, issue 23). */
    PREPARE(tx, O311_SELECT "WHERE (? = 0 OR a.category IN (" Q64 "))"
                            " AND (? = 1 OR a.status NOT IN " OPEN_STATUSES ")"
                            " AND (? = 1 OR a.status IN " OPEN_STATUSES ")"
                            " AND o.received_at >= ? AND o.received_at <= ?"
                            " ORDER BY o.received_at DESC, o.appeal_id DESC LIMIT ? OFFSET ?");
    int i = 1;
    db_bind_int64(st, i++, f->n_codes);
    for (int k = 0; k < O311_MAX_CODES; k++, i++)
        db_bind_text(st, i, k < f->n_codes ? f->codes[k] : NULL);
    db_bind_int64(st, i++, f->want_open);
    db_bind_int64(st, i++, f->want_closed);
    db_bind_int64(st, i++, f->from);
    db_bind_int64(st, i++, f->to);
    db_bind_int64(st, i++, f->limit);
    db_bind_int64(st, i, f->offset);
    int rc, stop = 0;
    while (!stop && (rc = db_step(st, err)) == DB_ROW) {
        o311_rec_t r;
        read_rec(st, &r);
        stop = fn(&r, arg);
        o311_rec_free(&r);
    }
    db_reset(st);
    if (stop)
        return OT_OK;
    return rc < 0 ? (err ? err->status : OT_EINTERNAL) : OT_OK;
}

/* The feed's columns (E the event's prefix, A the appeal's), the public events of the
 * window, the body a forward went to */
#define UPD_SELECT(E, A)                                                                           \
    "SELECT " E "seq, " E "at, " A "number, " E "action,"                                          \
    " coalesce(json_extract(" E "data, '$.to_status'), json_extract(" E "data, '$.status'),"       \
    " " A "status), " A "language, " A "jurisdiction,"                                             \
    " coalesce(json_extract(" E "data, '$.to'), ''), coalesce(tb.name_kk, ''),"                    \
    " coalesce(tb.name_ru, ''), coalesce(json_extract(" E "data, '$.decision'), ''),"              \
    " CASE WHEN " E "action IN ('appeal.answer', 'appeal.approve') THEN " A "answer_text END"
#define UPD_EVENTS(E)                                                                              \
    E "at >= ?1 AND " E "at < ?2 AND " E "action IN ('appeal.register', 'appeal.forward',"         \
      " 'appeal.extend', 'appeal.answer', 'appeal.approve', 'appeal.return', 'appeal.close',"      \
      " 'appeal.terminate')"
#define UPD_BODY(E)                                                                                \
    " LEFT JOIN bodies tb ON " E "action = 'appeal.forward'"                                       \
    " AND tb.id = json_extract(" E "data, '$.to')"

/* clang-format off */
static const char upd_sqlite[] =
    UPD_SELECT("e.", "a.")
    " FROM open311_requests o CROSS JOIN appeals a CROSS JOIN events e" UPD_BODY("e.")
    " WHERE o.changed_at >= ?1 AND a.id = o.appeal_id"
    " AND e.object_type = 'appeal' AND e.object_id = a.number AND " UPD_EVENTS("e.")
    " ORDER BY e.seq LIMIT ?3";
static const char upd_pg[] =
    UPD_SELECT("x.", "x.")
    " FROM open311_requests o CROSS JOIN LATERAL (SELECT e.seq, e.at, e.action, e.data,"
    " a.number, a.status, a.language, a.jurisdiction, a.answer_text"
    " FROM appeals a JOIN events e ON e.object_type = 'appeal' AND e.object_id = a.number"
    " WHERE a.id = o.appeal_id AND " UPD_EVENTS("e.") " OFFSET 0) x" UPD_BODY("x.")
    " WHERE o.changed_at >= ?1 ORDER BY x.seq LIMIT ?3";
/* clang-format on */

int store_o311_updates(store_tx_t *tx, int64_t from, int64_t to, int limit,
                       int (*fn)(o311_update_t *u, void *arg), void *arg, ot_err_t *err)
{
    /* from the Open311 requests whose appeal changed since the window's start (their
     * changed_at, migration 69: an event's appeal changed when it was written) to their
     * events by the events' object index; walking every Open311 request read all their
     * events at each poll, 0.5-0.7 s with 35,000 of them. The order is kept by CROSS JOIN on
     * SQLite (its planner read every appeal event by the object index first) and by a
     * LATERAL subquery that is not pulled up (OFFSET 0) on PostgreSQL, whose generic plan
     * read every event by seq, or every appeal into a hash */
    PREPARE(tx, store_is_pg(tx) ? upd_pg : upd_sqlite);
    db_bind_int64(st, 1, from);
    db_bind_int64(st, 2, to);
    db_bind_int64(st, 3, limit);
    o311_update_t u;
    int rc, stop = 0;
    while (!stop && (rc = db_step(st, err)) == DB_ROW) {
        memset(&u, 0, sizeof u);
        u.id = db_col_int64(st, 0);
        u.at = db_col_int64(st, 1);
        store_copy_col(st, 2, u.number, sizeof u.number);
        store_copy_col(st, 3, u.action, sizeof u.action);
        store_copy_col(st, 4, u.to_status, sizeof u.to_status);
        store_copy_col(st, 5, u.language, sizeof u.language);
        store_copy_col(st, 6, u.jurisdiction, sizeof u.jurisdiction);
        store_copy_col(st, 7, u.detail, sizeof u.detail);
        store_copy_col(st, 8, u.body_name[0], sizeof u.body_name[0]);
        store_copy_col(st, 9, u.body_name[1], sizeof u.body_name[1]);
        store_copy_col(st, 10, u.decision, sizeof u.decision);
        u.answer = store_dup_col(st, 11);
        stop = fn(&u, arg);
        free(u.answer);
    }
    db_reset(st);
    return stop || rc >= 0 ? OT_OK : -rc;
}

int store_o311_set_extra(store_tx_t *tx, const char *number, const char *json, ot_err_t *err)
{
    PREPARE(tx, "UPDATE open311_requests SET attributes = ?"
                " WHERE appeal_id = (SELECT id FROM appeals WHERE number = ?)");
    db_bind_text(st, 1, json);
    db_bind_text(st, 2, number);
    return db_run(st, NULL, err);
}
