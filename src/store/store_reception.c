/* Repository: reception schedules and bookings. */
#include "store/store_reception.h"

#include <string.h>

#include "store/store_int.h"

#define SCHEDULE_SELECT                                                                            \
    "SELECT s.id, s.official, u.name, u.position, s.body, b.path, s.weekday, s.start_min,"         \
    " s.end_min, s.slot_min, s.place, s.video_url, s.valid_from, s.valid_to, s.created_at"         \
    " FROM reception_schedules s JOIN users u ON u.id = s.official"                                \
    " JOIN bodies b ON b.id = s.body "

#define BOOKING_SELECT                                                                             \
    "SELECT k.id, k.schedule_id, k.day, k.start_min, k.citizen_name, k.citizen_phone,"             \
    " k.topic, k.code_hash, k.status, k.held_at, k.attended, k.outcome, k.appeal_id,"              \
    " a.number, s.body, k.created_at, k.walk_in, s.official FROM reception_bookings k"             \
    " JOIN reception_schedules s ON s.id = k.schedule_id JOIN bodies b ON b.id = s.body"           \
    " LEFT JOIN appeals a ON a.id = k.appeal_id "

static void read_schedule(db_stmt_t *st, rec_schedule_rec_t *s)
{
    memset(s, 0, sizeof *s);
    s->id = db_col_int64(st, 0);
    s->official = db_col_int64(st, 1);
    store_copy_col(st, 2, s->official_name, sizeof s->official_name);
    store_copy_col(st, 3, s->official_position, sizeof s->official_position);
    store_copy_col(st, 4, s->body, sizeof s->body);
    store_copy_col(st, 5, s->body_path, sizeof s->body_path);
    s->weekday = (int)db_col_int64(st, 6);
    s->start_min = (int)db_col_int64(st, 7);
    s->end_min = (int)db_col_int64(st, 8);
    s->slot_min = (int)db_col_int64(st, 9);
    store_copy_col(st, 10, s->place, sizeof s->place);
    store_copy_col(st, 11, s->video_url, sizeof s->video_url);
    store_copy_col(st, 12, s->valid_from, sizeof s->valid_from);
    store_copy_col(st, 13, s->valid_to, sizeof s->valid_to);
    s->created_at = db_col_int64(st, 14);
}

static void read_booking(db_stmt_t *st, rec_booking_rec_t *b)
{
    memset(b, 0, sizeof *b);
    b->id = db_col_int64(st, 0);
    b->schedule_id = db_col_int64(st, 1);
    store_copy_col(st, 2, b->day, sizeof b->day);
    b->start_min = (int)db_col_int64(st, 3);
    store_copy_col(st, 4, b->citizen_name, sizeof b->citizen_name);
    store_copy_col(st, 5, b->citizen_phone, sizeof b->citizen_phone);
    store_copy_col(st, 6, b->topic, sizeof b->topic);
    store_copy_col(st, 7, b->code_hash, sizeof b->code_hash);
    store_copy_col(st, 8, b->status, sizeof b->status);
    b->held_at = db_col_int64(st, 9);
    b->attended = db_col_is_null(st, 10) ? -1 : (int)db_col_int64(st, 10);
    store_copy_col(st, 11, b->outcome, sizeof b->outcome);
    b->appeal_id = db_col_int64(st, 12);
    store_copy_col(st, 13, b->appeal_number, sizeof b->appeal_number);
    store_copy_col(st, 14, b->body, sizeof b->body);
    b->created_at = db_col_int64(st, 15);
    b->walk_in = (int)db_col_int64(st, 16);
    b->official = db_col_int64(st, 17);
}

static void bind_opt(db_stmt_t *st, int i, const char *s)
{
    db_bind_text(st, i, s && *s ? s : NULL);
}

int store_rec_schedule_insert(store_tx_t *tx, rec_schedule_rec_t *s, ot_err_t *err)
{
    PREPARE(tx, "INSERT INTO reception_schedules (official, body, weekday, start_min, end_min,"
                " slot_min, place, video_url, valid_from, valid_to, created_at)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?) RETURNING id");
    db_bind_int64(st, 1, s->official);
    db_bind_text(st, 2, s->body);
    db_bind_int64(st, 3, s->weekday);
    db_bind_int64(st, 4, s->start_min);
    db_bind_int64(st, 5, s->end_min);
    db_bind_int64(st, 6, s->slot_min);
    bind_opt(st, 7, s->place);
    bind_opt(st, 8, s->video_url);
    db_bind_text(st, 9, s->valid_from);
    bind_opt(st, 10, s->valid_to);
    db_bind_int64(st, 11, s->created_at);
    return db_run(st, &s->id, err);
}

int store_rec_schedule_get(store_tx_t *tx, int64_t id, rec_schedule_rec_t *out, ot_err_t *err)
{
    PREPARE(tx, SCHEDULE_SELECT "WHERE s.id = ?");
    db_bind_int64(st, 1, id);
    int rc = db_step(st, err);
    if (rc == DB_ROW)
        read_schedule(st, out);
    db_reset(st);
    if (rc < 0)
        return -rc;
    if (rc == DB_DONE)
        return ot_err(err, OT_ENOTFOUND, "schedule_not_found", "schedule_id",
                      "no such reception schedule");
    return OT_OK;
}

int store_rec_schedule_each(store_tx_t *tx, const char *path_prefix, const char *day,
                            int (*fn)(const rec_schedule_rec_t *s, void *arg), void *arg,
                            ot_err_t *err)
{
    PREPARE(tx, SCHEDULE_SELECT "WHERE substr(b.path, 1, length(?1)) = ?1"
                                " AND (s.valid_to IS NULL OR s.valid_to >= ?2)"
                                " ORDER BY b.path, s.weekday, s.start_min");
    db_bind_text(st, 1, path_prefix ? path_prefix : "");
    db_bind_text(st, 2, day);
    rec_schedule_rec_t s;
    int rc, stop = 0;
    while (!stop && (rc = db_step(st, err)) == DB_ROW) {
        read_schedule(st, &s);
        stop = fn(&s, arg);
    }
    db_reset(st);
    return stop || rc >= 0 ? OT_OK : -rc;
}

int store_rec_booking_insert(store_tx_t *tx, rec_booking_rec_t *b, ot_err_t *err)
{
    PREPARE(tx, "INSERT INTO reception_bookings (schedule_id, day, start_min, citizen_name,"
                " citizen_phone, topic, code_hash, status, created_at, walk_in, phone_key,"
                " source_addr) VALUES (?,?,?,?,?,?,?,'booked',?,?,?,?) RETURNING id");
    db_bind_int64(st, 1, b->schedule_id);
    db_bind_text(st, 2, b->day);
    db_bind_int64(st, 3, b->start_min);
    db_bind_text(st, 4, b->citizen_name);
    bind_opt(st, 5, b->citizen_phone);
    bind_opt(st, 6, b->topic);
    db_bind_text(st, 7, b->code_hash);
    db_bind_int64(st, 8, b->created_at);
    db_bind_int64(st, 9, b->walk_in);
    bind_opt(st, 10, b->phone_key);
    bind_opt(st, 11, b->source_addr);
    return db_run(st, &b->id, err);
}

/* The number of live bookings (booked, not walk-ins) on or after from_day whose column col
 * (phone_key or source_addr: chosen by the caller, never from input) equals v. */
static int count_live(db_stmt_t *st, const char *v, const char *from_day, int *n, ot_err_t *err)
{
    db_bind_text(st, 1, v);
    db_bind_text(st, 2, from_day);
    int rc = db_step(st, err);
    *n = rc == DB_ROW ? (int)db_col_int64(st, 0) : 0;
    db_reset(st);
    return rc < 0 ? -rc : OT_OK;
}

static int live_by_phone(store_tx_t *tx, const char *phone_key, const char *from_day, int *n,
                         ot_err_t *err)
{
    PREPARE(tx, "SELECT count(*) FROM reception_bookings WHERE phone_key = ? AND day >= ?"
                " AND status = 'booked' AND walk_in = 0");
    return count_live(st, phone_key, from_day, n, err);
}

static int live_by_addr(store_tx_t *tx, const char *addr, const char *from_day, int *n,
                        ot_err_t *err)
{
    PREPARE(tx, "SELECT count(*) FROM reception_bookings WHERE source_addr = ? AND day >= ?"
                " AND status = 'booked' AND walk_in = 0");
    return count_live(st, addr, from_day, n, err);
}

int store_rec_booking_live(store_tx_t *tx, const char *phone_key, const char *addr,
                           const char *from_day, int *by_phone, int *by_addr, ot_err_t *err)
{
    *by_phone = *by_addr = 0;
    int rc = OT_OK;
    if (phone_key && *phone_key)
        rc = live_by_phone(tx, phone_key, from_day, by_phone, err);
    if (!rc && addr && *addr)
        rc = live_by_addr(tx, addr, from_day, by_addr, err);
    return rc;
}

int store_rec_booking_get(store_tx_t *tx, int64_t id, rec_booking_rec_t *out, ot_err_t *err)
{
    PREPARE(tx, BOOKING_SELECT "WHERE k.id = ?");
    db_bind_int64(st, 1, id);
    int rc = db_step(st, err);
    if (rc == DB_ROW)
        read_booking(st, out);
    db_reset(st);
    if (rc < 0)
        return -rc;
    if (rc == DB_DONE)
        return ot_err(err, OT_ENOTFOUND, "booking_not_found", "id", "no such booking");
    return OT_OK;
}

int store_rec_booking_update(store_tx_t *tx, const rec_booking_rec_t *b, ot_err_t *err)
{
    PREPARE(tx, "UPDATE reception_bookings SET status = ?, held_at = ?, attended = ?,"
                " outcome = ?, topic = ?, appeal_id = ? WHERE id = ?");
    db_bind_text(st, 1, b->status);
    if (b->held_at)
        db_bind_int64(st, 2, b->held_at);
    if (b->attended >= 0)
        db_bind_int64(st, 3, b->attended);
    bind_opt(st, 4, b->outcome);
    bind_opt(st, 5, b->topic);
    if (b->appeal_id)
        db_bind_int64(st, 6, b->appeal_id);
    db_bind_int64(st, 7, b->id);
    return db_run(st, NULL, err);
}

int store_rec_booked_starts(store_tx_t *tx, int64_t schedule_id, const char *day, int *starts,
                            int max, int *n, ot_err_t *err)
{
    PREPARE(tx, "SELECT start_min FROM reception_bookings WHERE schedule_id = ? AND day = ?"
                " AND status <> 'cancelled' ORDER BY start_min");
    db_bind_int64(st, 1, schedule_id);
    db_bind_text(st, 2, day);
    int rc;
    *n = 0;
    while ((rc = db_step(st, err)) == DB_ROW)
        if (*n < max)
            starts[(*n)++] = (int)db_col_int64(st, 0);
    db_reset(st);
    return rc < 0 ? -rc : OT_OK;
}

int store_rec_booking_each(store_tx_t *tx, const char *path_prefix, const char *from,
                           const char *to, int (*fn)(const rec_booking_rec_t *b, void *arg),
                           void *arg, ot_err_t *err)
{
    PREPARE(tx, BOOKING_SELECT "WHERE k.day >= ?2 AND k.day <= ?3"
                               " AND substr(b.path, 1, length(?1)) = ?1"
                               " ORDER BY k.day, k.start_min, k.id LIMIT 5000");
    db_bind_text(st, 1, path_prefix ? path_prefix : "");
    db_bind_text(st, 2, from);
    db_bind_text(st, 3, to);
    rec_booking_rec_t b;
    int rc, stop = 0;
    while (!stop && (rc = db_step(st, err)) == DB_ROW) {
        read_booking(st, &b);
        stop = fn(&b, arg);
    }
    db_reset(st);
    return stop || rc >= 0 ? OT_OK : -rc;
}
