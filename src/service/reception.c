#include "service/reception.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "domain/reception.h"
#include "service/audit.h"
#include "service/secret.h"
#include "store/store_appeal.h"
#include "store/store_reception.h"
#include "store/store_ref.h"
#include "store/store_user.h"
#include "util/str.h"

static int starts_with(const char *s, const char *prefix)
{
    return !strncmp(s, prefix, strlen(prefix));
}

static void actor_of(const auth_user_t *u, char *out, size_t n)
{
    if (u)
        snprintf(out, n, "user:%lld", (long long)u->id);
    else
        snprintf(out, n, "citizen");
}

static int event(store_tx_t *tx, int64_t now, const char *actor, const char *action, int64_t id,
                 json_t *data, ot_err_t *err)
{
    char oid[24];
    snprintf(oid, sizeof oid, "%lld", (long long)id);
    int rc = audit_append(tx, now, actor, action, "reception", oid, data, err);
    json_decref(data);
    return rc;
}

static void to_domain(const rec_schedule_rec_t *r, rec_schedule_t *s)
{
    s->weekday = r->weekday;
    s->start_min = r->start_min;
    s->end_min = r->end_min;
    s->slot_min = r->slot_min;
    if (date_parse(r->valid_from, &s->valid_from))
        s->valid_from = 0;
    if (!r->valid_to[0] || date_parse(r->valid_to, &s->valid_to))
        s->valid_to = OT_DAY_NONE;
}

/* ==== Schedules ==== */

struct sched_ctx {
    const auth_user_t *user;
    const rec_schedule_in_t *in;
    int64_t now;
    rec_schedule_rec_t *out;
};

static int sched_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct sched_ctx *c = arg;
    user_rec_t off;
    body_info_t body;
    int rc;
    if (c->in->official) {
        if ((rc = store_user_by_login(tx, c->in->official, &off, err)))
            return rc == OT_ENOTFOUND
                       ? ot_err(err, OT_EINVAL, "unknown_user", "official", "no such official")
                       : rc;
    } else if ((rc = store_user_by_id(tx, c->user->id, &off, err)))
        return rc;
    if ((rc = store_body_get(tx, c->in->body ? c->in->body : off.body, &body, err)))
        return rc == OT_ENOTFOUND ? ot_err(err, OT_EINVAL, "unknown_body", "body", "no such body")
                                  : rc;
    /* an official publishes their own hours; a head those of its body's officials */
    int self = off.id == c->user->id;
    int head = c->user->role == ROLE_HEAD && starts_with(body.path, c->user->body_path);
    if (!self && !head)
        return ot_err(err, OT_EFORBIDDEN, "forbidden", "official",
                      "only the official or the head of the body publishes a schedule");
    if (!starts_with(body.path, off.body_path) && !head)
        return ot_err(err, OT_EFORBIDDEN, "forbidden", "body",
                      "an official receives for their own body");
    rec_schedule_rec_t *r = c->out;
    r->official = off.id;
    str_copy(r->official_name, sizeof r->official_name, off.name);
    str_copy(r->official_position, sizeof r->official_position, off.position);
    str_copy(r->body, sizeof r->body, body.id);
    str_copy(r->body_path, sizeof r->body_path, body.path);
    r->created_at = c->now;
    if ((rc = store_rec_schedule_insert(tx, r, err)))
        return rc;
    char actor[32];
    actor_of(c->user, actor, sizeof actor);
    return event(tx, c->now, actor, "reception.schedule", r->id,
                 json_pack("{s:I, s:s, s:i, s:i, s:i, s:i, s:s}", "official", (json_int_t)off.id,
                           "body", body.id, "weekday", r->weekday, "start_min", r->start_min,
                           "end_min", r->end_min, "slot_min", r->slot_min, "valid_from",
                           r->valid_from),
                 err);
}

int reception_schedule_add(const svc_t *svc, const auth_user_t *user, const rec_schedule_in_t *in,
                           int64_t now, rec_schedule_rec_t *out, ot_err_t *err)
{
    memset(out, 0, sizeof *out);
    rec_schedule_t s = {in->weekday, 0, 0, in->slot_min, 0, OT_DAY_NONE};
    if (!in->start || date_parse_hhmm(in->start, &s.start_min))
        return ot_err(err, OT_EINVAL, "bad_time", "start", "start is HH:MM");
    if (!in->end || date_parse_hhmm(in->end, &s.end_min))
        return ot_err(err, OT_EINVAL, "bad_time", "end", "end is HH:MM");
    s.valid_from = svc_today(svc, NULL, now);
    if (in->valid_from && date_parse(in->valid_from, &s.valid_from))
        return ot_err(err, OT_EINVAL, "bad_date", "valid_from", "valid_from is YYYY-MM-DD");
    if (in->valid_to && date_parse(in->valid_to, &s.valid_to))
        return ot_err(err, OT_EINVAL, "bad_date", "valid_to", "valid_to is YYYY-MM-DD");
    int rc = rec_schedule_check(&s, err);
    if (rc)
        return rc;
    out->weekday = s.weekday;
    out->start_min = s.start_min;
    out->end_min = s.end_min;
    out->slot_min = s.slot_min;
    str_copy(out->place, sizeof out->place, in->place);
    str_copy(out->video_url, sizeof out->video_url, in->video_url);
    date_format(s.valid_from, out->valid_from);
    if (s.valid_to != OT_DAY_NONE)
        date_format(s.valid_to, out->valid_to);
    struct sched_ctx c = {user, in, now, out};
    return store_write(svc->store, sched_tx, &c, err);
}

struct list_ctx {
    const char *body;
    char day[11];
    int (*fn)(const rec_schedule_rec_t *s, void *arg);
    void *arg;
};

static int schedules_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct list_ctx *c = arg;
    const char *path = "";
    body_info_t b;
    if (c->body) {
        int rc = store_body_get(tx, c->body, &b, err);
        if (rc)
            return rc;
        path = b.path;
    }
    return store_rec_schedule_each(tx, path, c->day, c->fn, c->arg, err);
}

int reception_schedules(const svc_t *svc, const char *body, int64_t now,
                        int (*fn)(const rec_schedule_rec_t *s, void *arg), void *arg, ot_err_t *err)
{
    struct list_ctx c = {body, "", fn, arg};
    date_format(svc_today(svc, NULL, now), c.day);
    return store_read(svc->store, schedules_tx, &c, err);
}

/* ==== Slots and booking ==== */

struct slots_ctx {
    const svc_t *svc;
    int64_t id;
    ot_day_t from, to;
    int64_t now; /* a slot that has begun is not offered: booking it is 422 in_past */
    int (*fn)(const char *day, int start_min, void *arg);
    void *arg;
};

static int slots_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct slots_ctx *c = arg;
    rec_schedule_rec_t r;
    rec_schedule_t s;
    int rc = store_rec_schedule_get(tx, c->id, &r, err);
    if (rc)
        return rc;
    to_domain(&r, &s);
    const juris_t *j = svc_juris(c->svc, NULL);
    int starts[REC_SLOTS_MAX], booked[REC_SLOTS_MAX];
    int n = rec_slots(&s, starts), off = svc_utc_offset(c->svc, NULL);
    for (ot_day_t d = c->from; d <= c->to; d++) {
        if (!rec_runs_on(&s, d) || (j && cal_is_working(j->cal, d) != 1))
            continue;
        char day[11];
        int nb;
        date_format(d, day);
        if ((rc = store_rec_booked_starts(tx, c->id, day, booked, REC_SLOTS_MAX, &nb, err)))
            return rc;
        for (int i = 0; i < n; i++) {
            int taken = instant_from_local(d, starts[i], off) <= c->now;
            for (int k = 0; k < nb && !taken; k++)
                taken = booked[k] == starts[i];
            if (!taken && c->fn(day, starts[i], c->arg))
                return OT_OK;
        }
    }
    return OT_OK;
}

int reception_free_slots(const svc_t *svc, int64_t schedule_id, const char *from, const char *to,
                         int64_t now, int (*fn)(const char *day, int start_min, void *arg),
                         void *arg, ot_err_t *err)
{
    struct slots_ctx c = {svc, schedule_id, svc_today(svc, NULL, now), 0, now, fn, arg};
    if (from && date_parse(from, &c.from))
        return ot_err(err, OT_EINVAL, "bad_date", "from", "from is YYYY-MM-DD");
    c.to = c.from + 13;
    if (to && date_parse(to, &c.to))
        return ot_err(err, OT_EINVAL, "bad_date", "to", "to is YYYY-MM-DD");
    if (c.to < c.from || c.to - c.from > 62)
        return ot_err(err, OT_EINVAL, "bad_period", "to", "from..to is at most 62 days");
    return store_read(svc->store, slots_tx, &c, err);
}

/* The confirmation code: 10 characters of Crockford base32 (50 bits). Only its hash,
 * salted with the slot, is stored (service/secret.h). */
static void make_code(char out[REC_CODE_LEN + 1])
{
    secret_code(out, REC_CODE_LEN);
}

static void code_hash(int64_t schedule_id, const char *day, int start, const char *code,
                      char out[65])
{
    char salt[64];
    snprintf(salt, sizeof salt, "%lld:%s:%d", (long long)schedule_id, day, start);
    secret_hash(salt, code, out);
}

/* The digits of a phone number ("+7 (705) 111-22-33" -> "77051112233"), "" when none. */
static void phone_key(const char *phone, char *out, size_t n)
{
    size_t k = 0;
    for (const char *p = phone ? phone : ""; *p && k + 1 < n; p++)
        if (*p >= '0' && *p <= '9')
            out[k++] = *p;
    out[k] = '\0';
}

struct book_ctx {
    const svc_t *svc;
    const rec_book_in_t *in;
    int64_t now;
    ot_day_t day;
    int start;
    int64_t *id;
    char *code;
};

static int book_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct book_ctx *c = arg;
    rec_schedule_rec_t r;
    rec_schedule_t s;
    int rc = store_rec_schedule_get(tx, c->in->schedule_id, &r, err);
    if (rc)
        return rc == OT_ENOTFOUND ? (err->status = OT_EINVAL) : rc;
    to_domain(&r, &s);
    const juris_t *j = svc_juris(c->svc, NULL);
    if (!rec_runs_on(&s, c->day) || (j && cal_is_working(j->cal, c->day) != 1))
        return ot_err(err, OT_EINVAL, "no_reception", "day", "there is no reception on that day");
    if (!rec_is_slot(&s, c->start))
        return ot_err(err, OT_EINVAL, "not_a_slot", "start", "that time is not a slot start");
    rec_booking_rec_t b;
    memset(&b, 0, sizeof b);
    b.schedule_id = r.id;
    date_format(c->day, b.day);
    b.start_min = c->start;
    str_copy(b.citizen_name, sizeof b.citizen_name, c->in->name);
    str_copy(b.citizen_phone, sizeof b.citizen_phone, c->in->phone);
    str_copy(b.topic, sizeof b.topic, c->in->topic);
    str_copy(b.source_addr, sizeof b.source_addr, c->in->addr);
    phone_key(c->in->phone, b.phone_key, sizeof b.phone_key);
    char today[11];
    date_format(svc_today(c->svc, NULL, c->now), today);
    int by_phone, by_addr;
    if ((rc = store_rec_booking_live(tx, b.phone_key, b.source_addr, today, &by_phone, &by_addr,
                                     err)))
        return rc;
    if (c->svc->book_per_phone && b.phone_key[0] && by_phone >= c->svc->book_per_phone)
        return ot_err(err, OT_ECONFLICT, "too_many_bookings", "phone",
                      "this phone number already holds %d bookings: cancel one to book another",
                      by_phone);
    if (c->svc->book_per_addr && b.source_addr[0] && by_addr >= c->svc->book_per_addr)
        return ot_err(err, OT_ECONFLICT, "too_many_bookings", NULL,
                      "%d bookings were made from this address: cancel one to book another",
                      by_addr);
    make_code(c->code);
    code_hash(r.id, b.day, b.start_min, c->code, b.code_hash);
    b.created_at = c->now;
    if ((rc = store_rec_booking_insert(tx, &b, err)))
        return rc == OT_ECONFLICT
                   ? ot_err(err, OT_ECONFLICT, "slot_taken", "start", "that slot is already booked")
                   : rc;
    *c->id = b.id;
    return event(tx, c->now, "citizen", "reception.book", b.id,
                 json_pack("{s:I, s:s, s:i}", "schedule_id", (json_int_t)r.id, "day", b.day,
                           "start_min", b.start_min),
                 err);
}

int reception_book(const svc_t *svc, const rec_book_in_t *in, int64_t now, int64_t *id,
                   char code[REC_CODE_LEN + 1], ot_err_t *err)
{
    struct book_ctx c = {svc, in, now, 0, 0, id, code};
    memset(code, 0, REC_CODE_LEN + 1);
    if (sodium_init() < 0)
        return ot_err(err, OT_EINTERNAL, "crypto_init", NULL, "libsodium failed to start");
    if (!in->day || date_parse(in->day, &c.day))
        return ot_err(err, OT_EINVAL, "bad_date", "day", "day is YYYY-MM-DD");
    if (!in->start || date_parse_hhmm(in->start, &c.start))
        return ot_err(err, OT_EINVAL, "bad_time", "start", "start is HH:MM");
    if (!in->name || !*in->name)
        return ot_err(err, OT_EINVAL, "required", "name", "name is required");
    int off = svc_utc_offset(svc, NULL);
    if (instant_from_local(c.day, c.start, off) <= now)
        return ot_err(err, OT_EINVAL, "in_past", "day", "that slot has passed");
    int rc = store_write(svc->store, book_tx, &c, err);
    if (rc)
        memset(code, 0, REC_CODE_LEN + 1);
    return rc;
}

struct cancel_ctx {
    int64_t id;
    const char *code;
    int64_t now;
};

static int cancel_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct cancel_ctx *c = arg;
    rec_booking_rec_t b;
    char h[65];
    int rc = store_rec_booking_get(tx, c->id, &b, err);
    if (rc)
        return rc;
    code_hash(b.schedule_id, b.day, b.start_min, c->code ? c->code : "", h);
    if (!c->code || strlen(c->code) != REC_CODE_LEN || sodium_memcmp(h, b.code_hash, 64))
        return ot_err(err, OT_ENOTFOUND, "booking_not_found", "id",
                      "no booking with that id and code");
    if (strcmp(b.status, "booked"))
        return ot_err(err, OT_ECONFLICT, "not_booked", "id", "the booking is %s", b.status);
    str_copy(b.status, sizeof b.status, "cancelled");
    if ((rc = store_rec_booking_update(tx, &b, err)))
        return rc;
    return event(tx, c->now, "citizen", "reception.cancel", b.id, json_object(), err);
}

int reception_cancel(const svc_t *svc, int64_t id, const char *code, int64_t now, ot_err_t *err)
{
    struct cancel_ctx c = {id, code, now};
    if (sodium_init() < 0)
        return ot_err(err, OT_EINTERNAL, "crypto_init", NULL, "libsodium failed to start");
    return store_write(svc->store, cancel_tx, &c, err);
}

/* ==== Held receptions ==== */

struct record_ctx {
    const svc_t *svc;
    const auth_user_t *user;
    int64_t id;
    const rec_record_in_t *in;
    int64_t now;
    rec_booking_rec_t *out;
    receipt_t *receipt;
};

static int record_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct record_ctx *c = arg;
    rec_booking_rec_t *b = c->out;
    rec_schedule_rec_t s;
    int rc;
    if ((rc = store_rec_booking_get(tx, c->id, b, err)) ||
        (rc = store_rec_schedule_get(tx, b->schedule_id, &s, err)))
        return rc;
    int official = s.official == c->user->id;
    int in_body = starts_with(s.body_path, c->user->body_path);
    scope_t sc = perm_scope(c->user->role, ACT_APPEAL_INTAKE);
    if (!official && !(in_body && sc == SCOPE_BODY) && sc != SCOPE_ALL)
        return ot_err(err, in_body ? OT_EFORBIDDEN : OT_ENOTFOUND,
                      in_body ? "forbidden" : "booking_not_found", "id",
                      "only the official or the body's registry records a reception");
    if (strcmp(b->status, "booked"))
        return ot_err(err, OT_ECONFLICT, "not_booked", "id", "the booking is %s", b->status);
    /* a reception is recorded as held (or missed) only once it has begun */
    ot_day_t day;
    int64_t starts = date_parse(b->day, &day)
                         ? 0
                         : instant_from_local(day, b->start_min, svc_utc_offset(c->svc, NULL));
    if (c->now < starts)
        return ot_err(err, OT_ECONFLICT, "not_started", "id",
                      "the reception begins on %s at %02d:%02d: it can be recorded after that",
                      b->day, b->start_min / 60 % 24, b->start_min % 60);
    str_copy(b->status, sizeof b->status, c->in->attended ? "held" : "no_show");
    b->attended = c->in->attended;
    b->held_at = c->now;
    if (c->in->topics)
        str_copy(b->topic, sizeof b->topic, c->in->topics);
    str_copy(b->outcome, sizeof b->outcome, c->in->outcome);
    if (c->in->appeal) {
        if (!c->in->attended)
            return ot_err(err, OT_EINVAL, "not_attended", "appeal",
                          "an appeal comes from a reception that was held");
        intake_t in = *c->in->appeal;
        in.channel = "reception";
        if ((rc = appeal_intake_in(tx, c->svc, c->user, &in, c->now, c->receipt, err)))
            return rc;
        appeal_rec_t a;
        memset(&a, 0, sizeof a);
        if ((rc = store_appeal_get(tx, c->receipt->number, &a, err)))
            return rc;
        b->appeal_id = a.id;
        str_copy(b->appeal_number, sizeof b->appeal_number, a.number);
        appeal_rec_free(&a);
    }
    if ((rc = store_rec_booking_update(tx, b, err)))
        return rc;
    char actor[32];
    actor_of(c->user, actor, sizeof actor);
    json_t *d = json_pack("{s:s, s:b}", "status", b->status, "attended", b->attended);
    if (b->appeal_number[0])
        json_object_set_new(d, "appeal", json_string(b->appeal_number));
    return event(tx, c->now, actor, "reception.record", b->id, d, err);
}

struct walkin_ctx {
    struct record_ctx rec;
    const rec_walkin_in_t *in;
};

/* A walk-in: the citizen came without a booking. The row is made now, at the current minute,
 * and recorded as held in the same transaction, like a booking. */
static int walkin_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct walkin_ctx *w = arg;
    const rec_walkin_in_t *in = w->in;
    rec_schedule_rec_t s;
    int rc = store_rec_schedule_get(tx, in->schedule_id, &s, err);
    if (rc)
        return rc == OT_ENOTFOUND ? (err->status = OT_EINVAL) : rc;
    if (!in->name || !*in->name)
        return ot_err(err, OT_EINVAL, "required", "name", "name is required");
    if (!in->topics || !*in->topics)
        return ot_err(err, OT_EINVAL, "required", "topics", "topics is required: the question");
    rec_booking_rec_t b;
    memset(&b, 0, sizeof b);
    b.schedule_id = s.id;
    int off = svc_utc_offset(w->rec.svc, NULL);
    date_format(instant_local_day(w->rec.now, off), b.day);
    int64_t local_min = ((w->rec.now / 60000000) + off) % (24 * 60);
    b.start_min = (int)(local_min < 0 ? local_min + 24 * 60 : local_min);
    str_copy(b.citizen_name, sizeof b.citizen_name, in->name);
    str_copy(b.citizen_phone, sizeof b.citizen_phone, in->phone);
    str_copy(b.topic, sizeof b.topic, in->topics);
    b.created_at = w->rec.now;
    b.walk_in = 1;
    if ((rc = store_rec_booking_insert(tx, &b, err)))
        return rc;
    w->rec.id = b.id;
    return record_tx(tx, &w->rec, err);
}

int reception_walk_in(const svc_t *svc, const auth_user_t *user, const rec_walkin_in_t *in,
                      int64_t now, rec_booking_rec_t *out, receipt_t *receipt, ot_err_t *err)
{
    memset(receipt, 0, sizeof *receipt);
    rec_record_in_t rec = {1, in->topics, in->outcome, in->appeal};
    struct walkin_ctx w = {{svc, user, 0, &rec, now, out, receipt}, in};
    int rc = store_write(svc->store, walkin_tx, &w, err);
    if (rc)
        memset(receipt, 0, sizeof *receipt);
    return rc;
}

int reception_record(const svc_t *svc, const auth_user_t *user, int64_t id,
                     const rec_record_in_t *in, int64_t now, rec_booking_rec_t *out,
                     receipt_t *receipt, ot_err_t *err)
{
    memset(receipt, 0, sizeof *receipt);
    struct record_ctx c = {svc, user, id, in, now, out, receipt};
    int rc = store_write(svc->store, record_tx, &c, err);
    if (rc)
        memset(receipt, 0, sizeof *receipt);
    return rc;
}

struct bookings_ctx {
    const auth_user_t *user;
    const char *body, *from, *to;
    int (*fn)(const rec_booking_rec_t *b, void *arg);
    void *arg;
};

/* Passes on the bookings the user may read (the body is already the store's filter). */
static int visible_booking(const rec_booking_rec_t *b, void *arg)
{
    struct bookings_ctx *c = arg;
    perm_obj_t o = {1, b->official == c->user->id};
    if (perm_decide(c->user->role, ACT_BOOKING_READ, ACT_BOOKING_READ, &o) != PERM_ALLOW)
        return 0;
    return c->fn(b, c->arg);
}

static int bookings_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct bookings_ctx *c = arg;
    const char *path =
        perm_scope(c->user->role, ACT_BOOKING_READ) == SCOPE_ALL ? "" : c->user->body_path;
    body_info_t b;
    if (c->body) {
        int rc = store_body_get(tx, c->body, &b, err);
        if (rc)
            return rc;
        if (!starts_with(b.path, path))
            return ot_err(err, OT_EFORBIDDEN, "forbidden", "body", "not your body");
        path = b.path;
    }
    return store_rec_booking_each(tx, path, c->from, c->to, visible_booking, c, err);
}

int reception_bookings(const svc_t *svc, const auth_user_t *user, const char *body,
                       const char *from, const char *to,
                       int (*fn)(const rec_booking_rec_t *b, void *arg), void *arg, ot_err_t *err)
{
    ot_day_t d;
    if (perm_scope(user->role, ACT_BOOKING_READ) == SCOPE_NONE)
        return ot_err(err, OT_EFORBIDDEN, "forbidden", NULL, "a %s does not read bookings",
                      role_name(user->role));
    if (!from || date_parse(from, &d) || !to || date_parse(to, &d))
        return ot_err(err, OT_EINVAL, "bad_date", "from", "from and to are YYYY-MM-DD");
    struct bookings_ctx c = {user, body, from, to, fn, arg};
    return store_read(svc->store, bookings_tx, &c, err);
}

/* ==== Loading history ==== */

static int count_one(const rec_schedule_rec_t *s, void *arg)
{
    (void)s;
    (*(int *)arg)++;
    return 0;
}

int rec_schedule_count_in(store_tx_t *tx, int *n, ot_err_t *err)
{
    *n = 0;
    return store_rec_schedule_each(tx, "", "0000-01-01", count_one, n, err);
}

int rec_schedule_import_in(store_tx_t *tx, rec_schedule_rec_t *r, ot_err_t *err)
{
    return store_rec_schedule_insert(tx, r, err);
}

int rec_booking_import_in(store_tx_t *tx, rec_booking_rec_t *b, ot_err_t *err)
{
    return store_rec_booking_insert(tx, b, err);
}

int rec_booking_import_update_in(store_tx_t *tx, const rec_booking_rec_t *b, ot_err_t *err)
{
    return store_rec_booking_update(tx, b, err);
}
