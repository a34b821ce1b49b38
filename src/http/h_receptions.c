/* Personal receptions over HTTP (/api/v1/receptions): schedules, free slots, booking and
 * cancellation by citizens, the official's record of a held reception. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/handlers.h"
#include "http/i18n.h"
#include "http/input.h"
#include "service/reception.h"
#include "util/log.h"
#include "util/str.h"

static void hhmm(int min, char out[6])
{
    unsigned m = min < 0 ? 0 : (unsigned)min;
    snprintf(out, 6, "%02u:%02u", (m / 60) % 100, m % 60);
}

static json_t *schedule_json_plain(const rec_schedule_rec_t *s)
{
    char a[6], b[6];
    hhmm(s->start_min, a);
    hhmm(s->end_min, b);
    return json_pack("{s:I, s:{s:s, s:s}, s:s, s:i, s:s, s:s, s:i, s:o, s:o, s:s, s:o}", "id",
                     (json_int_t)s->id, "official", "name", s->official_name, "position",
                     s->official_position, "body", s->body, "weekday", s->weekday, "start", a,
                     "end", b, "slot_min", s->slot_min, "place", http_json_opt_str(s->place),
                     "video_url", http_json_opt_str(s->video_url), "valid_from", s->valid_from,
                     "valid_to", http_json_opt_str(s->valid_to));
}

/* The official's position and the place in their other language forms (issue 18). */
static json_t *schedule_json_in(const svc_t *svc, const rec_schedule_rec_t *s)
{
    json_t *o = schedule_json_plain(s);
    json_t *f = http_forms(svc, s->official_position);
    if (f)
        json_object_set_new(json_object_get(o, "official"), "position_forms", f);
    if ((f = http_forms(svc, s->place)))
        json_object_set_new(o, "place_forms", f);
    return o;
}

static json_t *booking_json(const rec_booking_rec_t *b)
{
    char t[6];
    hhmm(b->start_min, t);
    json_t *o = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o}", "id",
                          (json_int_t)b->id, "schedule_id", (json_int_t)b->schedule_id, "body",
                          b->body, "day", b->day, "start", t, "status", b->status, "citizen_name",
                          http_json_opt_str(b->citizen_name), "citizen_phone",
                          http_json_opt_str(b->citizen_phone), "topic", http_json_opt_str(b->topic),
                          "outcome", http_json_opt_str(b->outcome));
    json_object_set_new(o, "attended", b->attended < 0 ? json_null() : json_boolean(b->attended));
    json_object_set_new(o, "appeal", http_json_opt_str(b->appeal_number));
    json_object_set_new(o, "walk_in", json_boolean(b->walk_in));
    return o;
}

static int param_id(http_req_t *req, int64_t *id)
{
    long v;
    if (str_to_long(req->params[0], 1, 0x7fffffffL, &v)) {
        http_reply_error(req, OT_ENOTFOUND, "not_found", "id", "no such booking");
        return -1;
    }
    *id = v;
    return 0;
}

/* ==== Schedules ==== */

void h_rec_schedule_create(http_req_t *req)
{
    auth_user_t u;
    if (http_auth(req, &u))
        return;
    json_t *b = http_body_json(req);
    if (!b)
        return;
    static const char *const keys[] = {"official",   "body",     "weekday", "start",
                                       "end",        "slot_min", "place",   "video_url",
                                       "valid_from", "valid_to", NULL};
    rec_schedule_in_t in;
    memset(&in, 0, sizeof in);
    int64_t wd = 0, slot = 0;
    rec_schedule_rec_t out;
    ot_err_t err;
    if (in_only(b, keys, NULL, &err) ||
        in_str(b, "official", "official", 0, 64, 0, &in.official, &err) ||
        in_str(b, "body", "body", 0, 64, 0, &in.body, &err) ||
        in_int(b, "weekday", "weekday", 1, 1, 7, &wd, &err) ||
        in_str(b, "start", "start", 1, 5, 0, &in.start, &err) ||
        in_str(b, "end", "end", 1, 5, 0, &in.end, &err) ||
        in_int(b, "slot_min", "slot_min", 1, 5, 240, &slot, &err) ||
        in_str(b, "place", "place", 0, 250, 0, &in.place, &err) ||
        in_str(b, "video_url", "video_url", 0, 250, 0, &in.video_url, &err) ||
        in_str(b, "valid_from", "valid_from", 0, 10, 0, &in.valid_from, &err) ||
        in_str(b, "valid_to", "valid_to", 0, 10, 0, &in.valid_to, &err) ||
        (in.weekday = (int)wd, in.slot_min = (int)slot, 0) ||
        reception_schedule_add(&req->app->svc, &u, &in, clock_now_us(), &out, &err)) {
        http_reply_err(req, &err);
        json_decref(b);
        return;
    }
    http_reply_json(req, 201, schedule_json_in(&req->app->svc, &out));
    json_decref(b);
}

struct sched_out {
    const svc_t *svc;
    json_t *items;
};

static int add_schedule(const rec_schedule_rec_t *s, void *arg)
{
    struct sched_out *o = arg;
    json_array_append_new(o->items, schedule_json_in(o->svc, s));
    return 0;
}

void h_rec_schedules(http_req_t *req)
{
    struct sched_out o = {&req->app->svc, json_array()};
    ot_err_t err;
    if (reception_schedules(&req->app->svc, http_query_opt(req, "body"), clock_now_us(),
                            add_schedule, &o, &err)) {
        json_decref(o.items);
        http_reply_err(req, &err);
        return;
    }
    http_reply_json(req, 200, json_pack("{s:o}", "items", o.items));
}

static int add_slot(const char *day, int start, void *arg)
{
    char t[6];
    hhmm(start, t);
    json_array_append_new(arg, json_pack("{s:s, s:s}", "day", day, "start", t));
    return 0;
}

void h_rec_slots(http_req_t *req)
{
    int64_t id;
    if (param_id(req, &id))
        return;
    json_t *items = json_array();
    ot_err_t err;
    if (reception_free_slots(&req->app->svc, id, http_query_opt(req, "from"),
                             http_query_opt(req, "to"), clock_now_us(), add_slot, items, &err)) {
        json_decref(items);
        http_reply_err(req, &err);
        return;
    }
    http_reply_json(req, 200,
                    json_pack("{s:I, s:o}", "schedule_id", (json_int_t)id, "free", items));
}

/* ==== Citizens ==== */

void h_rec_book(http_req_t *req)
{
    if (http_public_limit(req))
        return;
    json_t *b = http_body_json(req);
    if (!b)
        return;
    static const char *const keys[] = {"schedule_id", "day",   "start", "name",
                                       "phone",       "topic", NULL};
    rec_book_in_t in;
    memset(&in, 0, sizeof in);
    int64_t id = 0;
    char code[REC_CODE_LEN + 1], addr[64];
    in.addr = http_client_addr(req, addr, sizeof addr);
    ot_err_t err;
    if (in_only(b, keys, NULL, &err) ||
        in_int(b, "schedule_id", "schedule_id", 1, 1, INT64_MAX, &in.schedule_id, &err) ||
        in_str(b, "day", "day", 1, 10, 0, &in.day, &err) ||
        in_str(b, "start", "start", 1, 5, 0, &in.start, &err) ||
        in_str(b, "name", "name", 1, 300, 0, &in.name, &err) ||
        in_str(b, "phone", "phone", 0, 32, 0, &in.phone, &err) ||
        in_str(b, "topic", "topic", 0, 1000, 1, &in.topic, &err) ||
        reception_book(&req->app->svc, &in, clock_now_us(), &id, code, &err)) {
        http_reply_err(req, &err);
        json_decref(b);
        return;
    }
    /* the code is shown once, here; only its hash is stored */
    http_reply_json(req, 201,
                    json_pack("{s:I, s:I, s:s, s:s, s:s, s:s}", "id", (json_int_t)id, "schedule_id",
                              (json_int_t)in.schedule_id, "day", in.day, "start", in.start, "code",
                              code, "status", "booked"));
    sodium_memzero(code, sizeof code);
    json_decref(b);
}

void h_rec_cancel(http_req_t *req)
{
    if (http_public_limit(req))
        return;
    int64_t id;
    if (param_id(req, &id))
        return;
    json_t *b = http_body_json(req);
    if (!b)
        return;
    static const char *const keys[] = {"code", NULL};
    const char *code = NULL;
    ot_err_t err;
    if (in_only(b, keys, NULL, &err) || in_str(b, "code", "code", 1, 32, 0, &code, &err) ||
        reception_cancel(&req->app->svc, id, code, clock_now_us(), &err)) {
        http_reply_err(req, &err);
        json_decref(b);
        return;
    }
    http_reply_json(req, 200, json_pack("{s:I, s:s}", "id", (json_int_t)id, "status", "cancelled"));
    json_decref(b);
}

/* ==== Staff ==== */

static int parse_appeal(json_t *a, intake_t *in, ot_err_t *err)
{
    static const char *const keys[] = {"kind", "category", "district",  "language",
                                       "text", "address",  "applicant", NULL};
    static const char *const akeys[] = {"type",  "full_name", "iin", "postal_address",
                                        "phone", "email",     NULL};
    json_t *ap;
    memset(in, 0, sizeof *in);
    int rc;
    if ((rc = in_only(a, keys, "appeal", err)) ||
        (rc = in_str(a, "kind", "appeal.kind", 1, 32, 0, &in->kind, err)) ||
        (rc = in_str(a, "category", "appeal.category", 1, 64, 0, &in->category, err)) ||
        (rc = in_str(a, "district", "appeal.district", 0, 64, 0, &in->district, err)) ||
        (rc = in_str(a, "language", "appeal.language", 1, 8, 0, &in->language, err)) ||
        (rc = in_str(a, "text", "appeal.text", 1, APPEAL_TEXT_MAX, 1, &in->text, err)) ||
        (rc = in_str(a, "address", "appeal.address", 0, 500, 0, &in->address, err)) ||
        (rc = in_obj(a, "applicant", "appeal.applicant", 1, &ap, err)) ||
        (rc = in_only(ap, akeys, "appeal.applicant", err)) ||
        (rc = in_str(ap, "type", "appeal.applicant.type", 1, 16, 0, &in->applicant_type, err)) ||
        (rc = in_str(ap, "full_name", "appeal.applicant.full_name", 0, 300, 0, &in->full_name,
                     err)) ||
        (rc = in_str(ap, "iin", "appeal.applicant.iin", 0, 12, 0, &in->iin, err)) ||
        (rc = in_str(ap, "postal_address", "appeal.applicant.postal_address", 0, 500, 0,
                     &in->postal_address, err)) ||
        (rc = in_str(ap, "phone", "appeal.applicant.phone", 0, 32, 0, &in->phone, err)) ||
        (rc = in_str(ap, "email", "appeal.applicant.email", 0, 254, 0, &in->email, err)))
        return rc;
    in->channel = "reception";
    return OT_OK;
}

/* The reply of a recorded reception: the booking, and the appeal's receipt when one was
 * registered (the access code is shown once). */
static void reply_recorded(http_req_t *req, const rec_booking_rec_t *out, receipt_t *r, int status)
{
    json_t *o = booking_json(out);
    if (r->number[0])
        json_object_set_new(o, "receipt",
                            json_pack("{s:s, s:s, s:s, s:s}", "number", r->number, "access_code",
                                      r->access_code, "registered_on", r->registered_on, "due_on",
                                      r->due_on));
    sodium_memzero(r->access_code, sizeof r->access_code);
    http_reply_json(req, status, o);
}

void h_rec_record(http_req_t *req)
{
    auth_user_t u;
    if (http_auth(req, &u))
        return;
    int64_t id;
    if (param_id(req, &id))
        return;
    json_t *b = http_body_json(req);
    if (!b)
        return;
    static const char *const keys[] = {"attended", "topics", "outcome", "appeal", NULL};
    rec_record_in_t in;
    intake_t appeal;
    memset(&in, 0, sizeof in);
    json_t *att = json_object_get(b, "attended"), *ap = NULL;
    rec_booking_rec_t out;
    receipt_t r;
    ot_err_t err;
    if (!in_only(b, keys, NULL, &err) && !json_is_boolean(att))
        ot_err(&err, OT_EINVAL, "required", "attended", "attended is true or false");
    else if (!in_only(b, keys, NULL, &err) &&
             !in_str(b, "topics", "topics", 0, 1000, 1, &in.topics, &err) &&
             !in_str(b, "outcome", "outcome", 0, 2000, 1, &in.outcome, &err) &&
             !in_obj(b, "appeal", "appeal", 0, &ap, &err) &&
             (!ap || !parse_appeal(ap, &appeal, &err))) {
        in.attended = json_is_true(att);
        in.appeal = ap ? &appeal : NULL;
        if (!reception_record(&req->app->svc, &u, id, &in, clock_now_us(), &out, &r, &err)) {
            reply_recorded(req, &out, &r, 200);
            json_decref(b);
            return;
        }
    }
    http_reply_err(req, &err);
    json_decref(b);
}

void h_rec_walkin(http_req_t *req)
{
    auth_user_t u;
    if (http_auth(req, &u))
        return;
    json_t *b = http_body_json(req);
    if (!b)
        return;
    static const char *const keys[] = {"schedule_id", "name",   "phone", "topics",
                                       "outcome",     "appeal", NULL};
    rec_walkin_in_t in;
    intake_t appeal;
    memset(&in, 0, sizeof in);
    json_t *ap = NULL;
    rec_booking_rec_t out;
    receipt_t r;
    ot_err_t err;
    if (!in_only(b, keys, NULL, &err) &&
        !in_int(b, "schedule_id", "schedule_id", 1, 1, INT64_MAX, &in.schedule_id, &err) &&
        !in_str(b, "name", "name", 1, 300, 1, &in.name, &err) &&
        !in_str(b, "phone", "phone", 0, 32, 1, &in.phone, &err) &&
        !in_str(b, "topics", "topics", 1, 1000, 1, &in.topics, &err) &&
        !in_str(b, "outcome", "outcome", 0, 2000, 1, &in.outcome, &err) &&
        !in_obj(b, "appeal", "appeal", 0, &ap, &err) && (!ap || !parse_appeal(ap, &appeal, &err))) {
        in.appeal = ap ? &appeal : NULL;
        if (!reception_walk_in(&req->app->svc, &u, &in, clock_now_us(), &out, &r, &err)) {
            reply_recorded(req, &out, &r, 201);
            json_decref(b);
            return;
        }
    }
    http_reply_err(req, &err);
    json_decref(b);
}

static int add_booking(const rec_booking_rec_t *b, void *arg)
{
    json_array_append_new(arg, booking_json(b));
    return 0;
}

void h_rec_bookings(http_req_t *req)
{
    auth_user_t u;
    if (http_auth(req, &u))
        return;
    json_t *items = json_array();
    ot_err_t err;
    if (reception_bookings(&req->app->svc, &u, http_query_opt(req, "body"),
                           http_query_opt(req, "from"), http_query_opt(req, "to"), add_booking,
                           items, &err)) {
        json_decref(items);
        http_reply_err(req, &err);
        return;
    }
    http_reply_json(req, 200, json_pack("{s:o}", "items", items));
}
