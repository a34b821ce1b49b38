/* Appeals over HTTP: intake (POST /api/v1/appeals), staff reading and actions, citizen
 * tracking and rating. Handlers parse JSON into C structs and call service/appeal.c. */
#include <limits.h>
#include <microhttpd.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "http/handlers.h"
#include "http/input.h"
#include "http/intake.h"
#include "http/query.h"
#include "service/appeal.h"
#include "service/attachment.h"
#include "service/forward.h"
#include "util/log.h"
#include "util/str.h"

/* An instant in the offset of the jurisdiction (NULL: the default), into buf. */
static const char *fmt_instant(const svc_t *svc, const char *jur, int64_t us, char buf[40])
{
    instant_format(us, svc_utc_offset(svc, jur), buf, 40);
    return buf;
}

static json_t *instant(const svc_t *svc, const char *jur, int64_t us)
{
    char buf[40];
    return us ? json_string(fmt_instant(svc, jur, us, buf)) : json_null();
}

static void jw_instant(jw_t *w, const char *key, const svc_t *svc, const char *jur, int64_t us)
{
    char buf[40];
    jw_key(w, key);
    jw_str(w, us ? fmt_instant(svc, jur, us, buf) : NULL);
}

/* The staff view of an appeal (personal data as masked or not by the service), written
 * straight from the record: this is the hottest reply of the API. with_text: include the
 * essence (lists leave it out); part: the number of a part split off by a forward. */
static void appeal_write(jw_t *w, const svc_t *svc, const appeal_rec_t *a, int with_text,
                         const char *part)
{
    char ascii[64];
    jw_obj(w);
    jw_kstr(w, "number", a->number);
    jw_kstr(w, "number_ascii", appeal_number_ascii(a->number, ascii, sizeof ascii) ? "" : ascii);
    jw_kstr(w, "kind", a->kind);
    jw_kstr(w, "channel", a->channel);
    jw_kstr(w, "status", a->status);
    jw_kstr(w, "jurisdiction", a->jurisdiction);
    jw_kstr(w, "category", a->category);
    jw_kstr_opt(w, "district", a->district);
    jw_kstr(w, "body", a->body);
    jw_kstr(w, "receiving_body", a->receiving_body);
    jw_kstr(w, "language", a->language);
    if (with_text)
        jw_kstr_opt(w, "text", a->text);
    jw_kstr_opt(w, "address", a->address);
    if (a->has_coords) {
        jw_key(w, "lat");
        jw_real(w, a->lat);
        jw_key(w, "lon");
        jw_real(w, a->lon);
    }
    jw_kstr(w, "applicant_type", a->applicant_type);
    jw_key(w, "applicant");
    jw_obj(w);
    jw_kstr(w, "type", a->applicant_type);
    jw_kstr_opt(w, "name", a->applicant_name);
    jw_kstr_opt(w, "id_number", a->applicant_id);
    jw_kstr_opt(w, "postal_address", a->applicant_address);
    jw_kstr_opt(w, "phone", a->applicant_phone);
    jw_kstr_opt(w, "email", a->applicant_email);
    if (a->signatories)
        jw_kint(w, "signatories", a->signatories);
    jw_end(w);
    jw_instant(w, "received_at", svc, a->jurisdiction, a->received_at);
    jw_kstr(w, "registered_on", a->registered_on);
    jw_kstr(w, "due_on", a->due_on);
    jw_kstr_opt(w, "forward_by", a->forward_by);
    jw_kstr_opt(w, "max_due_on", a->max_due_on);
    jw_kstr_opt(w, "control_on", a->control_on);
    jw_kstr_opt(w, "suspended_on", a->suspended_on);
    jw_kint(w, "suspended_days", a->suspended_days);
    jw_key(w, "personal_control");
    jw_bool(w, a->personal_control);
    jw_instant(w, "updated_at", svc, a->jurisdiction, a->updated_at);
    jw_key(w, "executor");
    if (a->executor)
        jw_int(w, a->executor);
    else
        jw_null(w);
    if (a->extended_on[0]) {
        jw_key(w, "extension");
        jw_obj(w);
        jw_kstr(w, "on", a->extended_on);
        jw_kstr_opt(w, "reason", a->extension_reason);
        jw_end(w);
    }
    if (a->forwarded_at) {
        jw_key(w, "forwarded");
        jw_obj(w);
        jw_instant(w, "at", svc, a->jurisdiction, a->forwarded_at);
        jw_key(w, "within_term");
        jw_bool(w, !a->forward_late);
        jw_end(w);
    }
    if (a->decision[0]) {
        jw_key(w, "answer");
        jw_obj(w);
        jw_kstr(w, "decision", a->decision);
        jw_kstr_opt(w, "text", a->answer_text);
        jw_kstr_opt(w, "grounds", a->answer_grounds);
        jw_instant(w, "at", svc, a->jurisdiction, a->answered_at);
        jw_kstr_opt(w, "on", a->answered_on);
        jw_end(w);
    }
    if (a->rating) {
        jw_key(w, "rating");
        jw_obj(w);
        jw_kint(w, "value", a->rating);
        jw_kstr_opt(w, "comment", a->rating_comment);
        jw_end(w);
    }
    if (a->terminate_reason[0])
        jw_kstr(w, "terminate_reason", a->terminate_reason);
    jw_kstr_opt(w, "repeat_of", a->repeat_number);
    jw_key(w, "repeated");
    jw_bool(w, a->repeat_of != 0);
    if (a->parent_id)
        jw_kstr_opt(w, a->link[0] == 'c' ? "complaint_of" : "part_of", a->parent_number);
    if (part && *part)
        jw_kstr(w, "part", part);
    jw_end(w);
}

/* ==== Intake ==== */

static int has_credentials(http_req_t *req)
{
    return http_header(req, "Authorization") ||
           MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND, "otinish_session");
}

void h_appeal_create(http_req_t *req)
{
    auth_user_t user, *registrar = NULL;
    if (has_credentials(req)) {
        if (http_auth(req, &user))
            return;
        registrar = &user;
    } else if (http_public_limit(req))
        return;
    json_t *b = http_body_json(req);
    if (!b)
        return;
    intake_t in;
    receipt_t r;
    ot_err_t err;
    const svc_t *svc = &req->app->svc;
    if (intake_parse(b, &in, &err) ||
        appeal_intake(svc, registrar, &in, clock_now_us(), &r, &err)) {
        intake_free(&in);
        http_reply_err(req, &err);
        json_decref(b);
        return;
    }
    intake_free(&in);
    char at[40];
    fmt_instant(svc, NULL, r.received_at, at);
    json_t *reg = r.has_registrar ? json_pack("{s:s, s:s}", "name", r.registrar_name, "position",
                                              r.registrar_position)
                                  : json_null();
    json_t *out = json_pack("{s:s, s:s, s:s, s:s, s:{s:s, s:s}, s:o, s:s, s:s, s:s, s:o}", "number",
                            r.number, "received_at", at, "registered_on", r.registered_on, "due_on",
                            r.due_on, "body", "id", r.body_id, "name", r.body_name, "registrar",
                            reg, "access_code", r.access_code, "status", r.status, "routed_to",
                            r.routed_to, "repeat_of", http_json_opt_str(r.repeat_of));
    sodium_memzero(r.access_code, sizeof r.access_code);
    char loc[96], ascii[64];
    if (r.addressed_to[0])
        json_object_set_new(out, "addressed_to", json_string(r.addressed_to));
    if (!appeal_number_ascii(r.number, ascii, sizeof ascii))
        json_object_set_new(out, "number_ascii", json_string(ascii));
    snprintf(loc, sizeof loc, "/api/v1/appeals/%s", r.number);
    http_reply_json(req, 201, out);
    http_reply_header(req, "Location", loc);
    json_decref(b);
}

/* ==== Staff reading ==== */

void h_appeal_get(http_req_t *req)
{
    auth_user_t u;
    if (http_auth(req, &u))
        return;
    const char *unmask = http_query(req, "unmask");
    appeal_rec_t a;
    ot_err_t err;
    if (appeal_read(&req->app->svc, &u, req->params[0], unmask && !strcmp(unmask, "1"),
                    clock_now_us(), &a, &err)) {
        http_reply_err(req, &err);
        return;
    }
    jw_t w = JW_INIT;
    appeal_write(&w, &req->app->svc, &a, 1, NULL);
    http_reply_jw(req, 200, &w);
    appeal_rec_free(&a);
}

struct list_out {
    const svc_t *svc;
    jw_t w;
    int n;
    int64_t last_id;
};

static int add_item(const appeal_rec_t *a, void *arg)
{
    struct list_out *l = arg;
    /* lists carry the summary; the text is on the appeal page */
    appeal_write(&l->w, l->svc, a, 0, NULL);
    l->n++;
    l->last_id = a->id;
    return 0;
}

static const char *query_get(void *req, const char *name)
{
    return http_query_opt(req, name);
}

void h_appeal_list(http_req_t *req)
{
    auth_user_t u;
    if (http_auth(req, &u))
        return;
    appeal_filter_t f;
    ot_err_t err;
    char today[11];
    if (query_appeal_filter(query_get, req, &f, &err)) {
        http_reply_err(req, &err);
        return;
    }
    const char *v;
    appeal_today(&req->app->svc, NULL, clock_now_us(), today);
    f.today = today;
    if ((v = http_query_opt(req, "format")) && strcmp(v, "json")) { /* csv, xlsx: every page */
        h_appeal_export(req, &u, &f);
        return;
    }
    struct list_out l = {&req->app->svc, JW_INIT, 0, 0};
    jw_obj(&l.w);
    jw_key(&l.w, "items");
    jw_arr(&l.w);
    if (appeal_list(&req->app->svc, &u, &f, add_item, &l, &err)) {
        size_t n;
        free(jw_finish(&l.w, &n));
        http_reply_err(req, &err);
        return;
    }
    jw_end(&l.w);
    jw_key(&l.w, "next"); /* the keyset cursor of the next page, null on the last */
    if (l.n == f.limit && l.last_id) {
        char cur[24];
        snprintf(cur, sizeof cur, "%lld", (long long)l.last_id);
        jw_str(&l.w, cur);
    } else
        jw_null(&l.w);
    jw_end(&l.w);
    http_reply_jw(req, 200, &l.w);
}

struct hist_out {
    const svc_t *svc;
    json_t *events;
};

static int add_event(int64_t seq, int64_t at, const char *actor, const char *action,
                     const char *data, void *arg)
{
    struct hist_out *h = arg;
    json_t *d = json_loads(data ? data : "{}", 0, NULL);
    json_array_append_new(h->events,
                          json_pack("{s:I, s:o, s:s, s:s, s:o}", "seq", (json_int_t)seq, "at",
                                    instant(h->svc, NULL, at), "actor", actor ? actor : "",
                                    "action", action ? action : "", "data", d ? d : json_object()));
    return 0;
}

void h_appeal_history(http_req_t *req)
{
    auth_user_t u;
    if (http_auth(req, &u))
        return;
    struct hist_out h = {&req->app->svc, json_array()};
    ot_err_t err;
    if (appeal_history(&req->app->svc, &u, req->params[0], add_event, &h, &err)) {
        json_decref(h.events);
        http_reply_err(req, &err);
        return;
    }
    http_reply_json(req, 200,
                    json_pack("{s:s, s:o}", "number", req->params[0], "events", h.events));
}

/* ==== Staff actions ==== */

/* "personal": true takes an appeal under the akim's personal control (action control). */
static int in_personal(json_t *b, act_input_t *in, ot_err_t *err)
{
    json_t *v = json_object_get(b, "personal");
    if (!v)
        return OT_OK;
    if (!json_is_boolean(v))
        return ot_err(err, OT_EINVAL, "wrong_type", "personal", "personal is true or false");
    in->personal = json_is_true(v);
    return OT_OK;
}

void h_appeal_action(http_req_t *req)
{
    auth_user_t u;
    if (http_auth(req, &u))
        return;
    json_t *b = req->body_len ? http_body_json(req) : json_object();
    if (!b)
        return;
    static const char *const keys[] = {"executor", "body", "reason",  "part_text", "due_on",
                                       "decision", "text", "grounds", "personal",  NULL};
    act_input_t in;
    memset(&in, 0, sizeof in);
    ot_err_t err;
    appeal_rec_t a;
    char part[40];
    if (in_only(b, keys, NULL, &err) ||
        in_str(b, "executor", "executor", 0, 64, 0, &in.executor, &err) ||
        in_str(b, "body", "body", 0, 64, 0, &in.body, &err) ||
        in_str(b, "reason", "reason", 0, 2000, 1, &in.reason, &err) ||
        in_str(b, "part_text", "part_text", 0, APPEAL_TEXT_MAX, 1, &in.part_text, &err) ||
        in_str(b, "due_on", "due_on", 0, 10, 0, &in.due_on, &err) ||
        in_str(b, "decision", "decision", 0, 32, 0, &in.decision, &err) ||
        in_str(b, "text", "text", 0, APPEAL_TEXT_MAX, 1, &in.text, &err) ||
        in_str(b, "grounds", "grounds", 0, 2000, 1, &in.grounds, &err) ||
        in_personal(b, &in, &err) ||
        appeal_act(&req->app->svc, &u, req->params[0], req->params[1], &in, clock_now_us(), &a,
                   part, &err)) {
        http_reply_err(req, &err);
        json_decref(b);
        return;
    }
    appeal_mask(&a);
    jw_t w = JW_INIT;
    appeal_write(&w, &req->app->svc, &a, 1, part);
    http_reply_jw(req, 200, &w);
    appeal_rec_free(&a);
    json_decref(b);
}

/* ==== The citizen ==== */

static json_t *track_json(const svc_t *svc, const appeal_rec_t *a)
{
    json_t *o =
        json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:o}", "number", a->number, "kind", a->kind,
                  "status", a->status, "body", a->body, "registered_on", a->registered_on, "due_on",
                  a->due_on, "received_at", instant(svc, a->jurisdiction, a->received_at));
    char ascii[64];
    if (!appeal_number_ascii(a->number, ascii, sizeof ascii))
        json_object_set_new(o, "number_ascii", json_string(ascii));
    if (a->decision[0])
        json_object_set_new(o, "answer",
                            json_pack("{s:s, s:o, s:o, s:o}", "decision", a->decision, "text",
                                      http_json_opt_str(a->answer_text), "grounds",
                                      http_json_opt_str(a->answer_grounds), "on",
                                      http_json_opt_str(a->answered_on)));
    json_object_set_new(o, "rating", a->rating ? json_integer(a->rating) : json_null());
    return o;
}

void h_track(http_req_t *req)
{
    if (http_public_limit(req))
        return;
    appeal_rec_t a;
    ot_err_t err;
    if (appeal_track(&req->app->svc, req->params[0], http_query(req, "code"), &a, &err)) {
        http_reply_err(req, &err);
        return;
    }
    http_reply_json(req, 200, track_json(&req->app->svc, &a));
    appeal_rec_free(&a);
}

void h_track_rate(http_req_t *req)
{
    if (http_public_limit(req))
        return;
    json_t *b = http_body_json(req);
    if (!b)
        return;
    static const char *const keys[] = {"code", "rating", "comment", NULL};
    const char *code, *comment;
    int64_t rating = 0;
    ot_err_t err;
    if (in_only(b, keys, NULL, &err) || in_str(b, "code", "code", 1, 32, 0, &code, &err) ||
        in_int(b, "rating", "rating", 1, 1, 5, &rating, &err) ||
        in_str(b, "comment", "comment", 0, 2000, 1, &comment, &err) ||
        appeal_rate(&req->app->svc, req->params[0], code, (int)rating, comment, clock_now_us(),
                    &err)) {
        http_reply_err(req, &err);
        json_decref(b);
        return;
    }
    http_reply_json(
        req, 200, json_pack("{s:s, s:I}", "number", req->params[0], "rating", (json_int_t)rating));
    json_decref(b);
}

/* ==== Attachments ==== */

static json_t *attachment_json(const attachment_rec_t *a)
{
    return json_pack("{s:s, s:s, s:s, s:I}", "sha256", a->sha256, "name", a->name, "type", a->type,
                     "size", (json_int_t)a->size);
}

void h_attachment_add(http_req_t *req)
{
    auth_user_t u, *user = NULL;
    if (has_credentials(req)) {
        if (http_auth(req, &u))
            return;
        user = &u;
    } else if (http_public_limit(req))
        return;
    const char *ct = http_header(req, "Content-Type");
    char type[64] = "";
    if (ct) /* "image/png; name=x" -> "image/png" */
        snprintf(type, sizeof type, "%.*s", (int)strcspn(ct, "; "), ct);
    attachment_rec_t a;
    ot_err_t err;
    char addr[64];
    int retry_after = 0;
    if (attachment_add(&req->app->svc, user, http_query(req, "code"),
                       http_client_addr(req, addr, sizeof addr), req->params[0],
                       http_query(req, "name"), type, req->body ? req->body : "", req->body_len,
                       clock_now_us(), &a, &retry_after, &err)) {
        http_reply_err(req, &err);
        if (err.status == OT_ELIMIT) {
            char ra[16];
            snprintf(ra, sizeof ra, "%d", retry_after > 0 ? retry_after : 1);
            http_reply_header(req, "Retry-After", ra);
        }
        return;
    }
    http_reply_json(req, 201, attachment_json(&a));
}

static int add_attachment(const attachment_rec_t *a, void *arg)
{
    json_array_append_new(arg, attachment_json(a));
    return 0;
}

void h_attachment_list(http_req_t *req)
{
    auth_user_t u;
    if (http_auth(req, &u))
        return;
    json_t *items = json_array();
    ot_err_t err;
    if (attachment_list(&req->app->svc, &u, req->params[0], add_attachment, items, &err)) {
        json_decref(items);
        http_reply_err(req, &err);
        return;
    }
    http_reply_json(req, 200, json_pack("{s:o}", "items", items));
}

void h_attachment_get(http_req_t *req)
{
    auth_user_t u;
    if (http_auth(req, &u))
        return;
    attachment_rec_t a;
    int fd;
    size_t size;
    ot_err_t err;
    if (attachment_open(&req->app->svc, &u, req->params[0], req->params[1], &a, &fd, &size, &err)) {
        http_reply_err(req, &err);
        return;
    }
    struct MHD_Response *r = MHD_create_response_from_fd(size, fd);
    if (!r) {
        close(fd);
        http_reply_error(req, OT_EINTERNAL, "internal", NULL, "cannot send the file");
        return;
    }
    http_set_response(req, 200, r, size);
    http_reply_header(req, "Content-Type", a.type);
    /* always a download: an uploaded file is never rendered in the site's origin */
    http_reply_header(req, "Content-Disposition", "attachment");
    http_reply_header(req, "Cache-Control", "private, no-store");
}

/* ==== The outgoing register ==== */

struct fwd_out {
    const svc_t *svc;
    json_t *items;
    int64_t last_at;
};

static int add_forward(const forward_rec_t *f, void *arg)
{
    struct fwd_out *o = arg;
    o->last_at = f->at;
    json_array_append_new(o->items,
                          json_pack("{s:s, s:s, s:s, s:o, s:b, s:s, s:{s:s, s:s, s:s}}", "number",
                                    f->number, "from", f->from_body, "to", f->to_body, "at",
                                    instant(o->svc, NULL, f->at), "within_term", f->within_term,
                                    "reason", f->reason, "now", "body", f->body, "status",
                                    f->status, "due_on", f->due_on));
    return 0;
}

void h_forward_list(http_req_t *req)
{
    auth_user_t u;
    if (http_auth(req, &u))
        return;
    long limit = 50, before = 0;
    const char *v;
    if ((v = http_query_opt(req, "limit")) && str_to_long(v, 1, 500, &limit)) {
        http_reply_error(req, 422, "out_of_range", "limit", "limit must be 1..500");
        return;
    }
    if ((v = http_query_opt(req, "after")) && str_to_long(v, 1, LONG_MAX, &before)) {
        http_reply_error(req, 422, "bad_cursor", "after", "after is the cursor of a page");
        return;
    }
    struct fwd_out o = {&req->app->svc, json_array(), 0};
    ot_err_t err;
    if (forward_list(&req->app->svc, &u, before, (int)limit, add_forward, &o, &err)) {
        json_decref(o.items);
        http_reply_err(req, &err);
        return;
    }
    json_t *next =
        json_array_size(o.items) == (size_t)limit ? json_integer(o.last_at) : json_null();
    http_reply_json(req, 200, json_pack("{s:o, s:o}", "items", o.items, "next", next));
}
