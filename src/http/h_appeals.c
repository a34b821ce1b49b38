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
#include "http/i18n.h"
#include "http/input.h"
#include "http/intake.h"
#include "http/query.h"
#include "service/appeal.h"
#include "service/approval.h"
#include "service/attachment.h"
#include "service/forward.h"
#include "service/staff.h"
#include "service/problem.h"
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

/* The answer awaiting the head's approval (issue 16), on the appeal page. */
static void held_write(jw_t *w, const svc_t *svc, const appeal_rec_t *a, const approval_rec_t *r)
{
    jw_key(w, "awaiting_approval");
    jw_obj(w);
    jw_kint(w, "id", r->id);
    jw_kstr(w, "decision", r->decision);
    jw_kstr_opt(w, "text", r->text);
    jw_kstr_opt(w, "grounds", r->grounds);
    jw_key(w, "submitted_by");
    jw_obj(w);
    jw_kint(w, "id", r->submitted_by);
    jw_kstr(w, "login", r->submitted_login);
    jw_end(w);
    jw_instant(w, "submitted_at", svc, a->jurisdiction, r->submitted_at);
    jw_kstr(w, "submitted_on", r->submitted_on);
    jw_key(w, "submitted_on_time");
    jw_bool(w, strcmp(r->submitted_on, a->due_on) <= 0);
    jw_end(w);
}

static void person_write(jw_t *w, const char *key, const svc_t *svc, const staff_person_t *p)
{
    jw_key(w, key);
    if (!p) {
        jw_null(w);
        return;
    }
    jw_obj(w);
    jw_kint(w, "id", p->id);
    jw_kstr(w, "name", p->name);
    jw_kstr(w, "position", p->position);
    http_jw_forms(w, "position_forms", svc, p->position);
    jw_end(w);
}

/* The appeal page's problem (issue 17): the problem it is grouped into with its state, and
 * the earlier decisions on it; the decision of the appeal it repeats (issue 16 point 4). */
static void problem_write(jw_t *w, const problem_context_t *pc)
{
    jw_key(w, "problem");
    if (!pc->has) {
        jw_null(w);
        return;
    }
    jw_obj(w);
    jw_kint(w, "id", pc->p.id);
    jw_kstr(w, "state", pc->p.state);
    jw_kint(w, "appeals", pc->p.n_appeals);
    jw_kint(w, "recurrences", pc->p.recurrences);
    jw_key(w, "confirmed");
    jw_bool(w, pc->p.confirmed);
    jw_key(w, "earlier_decisions");
    jw_arr(w);
    for (int i = 0; i < pc->n_prior; i++) {
        const problem_prior_t *e = &pc->prior[i];
        jw_obj(w);
        jw_kstr(w, "number", e->number);
        jw_kstr(w, "body", e->body);
        jw_kstr(w, "decision", e->decision);
        jw_kstr_opt(w, "answered_on", e->answered_on);
        jw_kstr_opt(w, "verdict", e->verdict);
        jw_end(w);
    }
    jw_end(w);
    jw_end(w);
}

/* What the staff view of an appeal carries besides the record; named at each call site, what
 * is left out is 0/NULL. */
typedef struct appeal_view {
    const svc_t *svc;
    staff_names_t *names;        /* the people already looked up */
    int with_text;               /* the essence (lists leave it out) */
    const char *part;            /* the number of a part split off by a forward */
    const approval_rec_t *held;  /* the answer awaiting approval */
    const problem_context_t *pc; /* the problem (NULL in lists) */
} appeal_view_t;

/* The staff view of an appeal (personal data as masked or not by the service), written
 * straight from the record: this is the hottest reply of the API. */
static void appeal_write(jw_t *w, const appeal_rec_t *a, const appeal_view_t *v)
{
    const svc_t *svc = v->svc;
    staff_names_t *names = v->names;
    const int with_text = v->with_text;
    const char *part = v->part;
    const approval_rec_t *held = v->held;
    const problem_context_t *pc = v->pc;
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
    /* the executor by name and position (issue 18: people are never shown by id) */
    person_write(w, "executor_person", svc, staff_person(svc, names, a->executor));
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
    if (a->verdict[0]) {
        jw_key(w, "verdict");
        jw_obj(w);
        jw_kstr(w, "value", a->verdict);
        jw_kstr_opt(w, "comment", a->verdict_comment);
        jw_instant(w, "at", svc, a->jurisdiction, a->verdict_at);
        jw_end(w);
    }
    if (a->problem_id)
        jw_kint(w, "problem_id", a->problem_id);
    if (pc)
        problem_write(w, pc);
    if (a->terminate_reason[0])
        jw_kstr(w, "terminate_reason", a->terminate_reason);
    jw_kstr_opt(w, "repeat_of", a->repeat_number);
    jw_key(w, "repeated");
    jw_bool(w, a->repeat_of != 0);
    if (a->parent_id)
        jw_kstr_opt(w, a->link[0] == 'c' ? "complaint_of" : "part_of", a->parent_number);
    if (part && *part)
        jw_kstr(w, "part", part);
    if (held)
        held_write(w, svc, a, held);
    jw_end(w);
}

/* The answer of the appeal awaiting approval, if any, into r (*held 1); a failure to read
 * it leaves it out: the appeal itself was read. */
static const approval_rec_t *held_of(http_req_t *req, const auth_user_t *u, const char *number,
                                     approval_rec_t *r)
{
    int found = 0;
    ot_err_t err;
    if (approval_of_appeal(&req->app->svc, u, number, r, &found, &err) || !found)
        return NULL;
    return r;
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
    json_t *reg_forms = r.has_registrar ? http_forms(svc, r.registrar_position) : NULL;
    if (reg_forms)
        json_object_set_new(reg, "position_forms", reg_forms);
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
    /* a page the node keeps waits for its sync with the connection put aside, not the
     * thread (issue 19 point 7): the thread serves its other connections meanwhile. The
     * request is authenticated once, when it is taken up again (a request without
     * credentials is answered 401 at once) */
    if (!req->waited && !req->aside && has_credentials(req) &&
        appeal_page_await(&req->app->svc, req->params[0], &req->synced, http_alone(req),
                          http_suspend, http_resume, req))
        return;
    /* a page the node does not keep is read from the store: on PostgreSQL on a request
     * thread, which waits for the round trips (the polling thread does not) */
    if (!req->synced && http_set_aside(req))
        return;
    auth_user_t u;
    if (http_auth(req, &u))
        return;
    const char *unmask = http_query(req, "unmask");
    appeal_page_t pg;
    ot_err_t err;
    if (appeal_page(&req->app->svc, &u, req->params[0], unmask && !strcmp(unmask, "1"), req->synced,
                    clock_now_us(), &pg, &err)) {
        http_reply_err(req, &err);
        return;
    }
    if (pg.text) { /* this view of the page as rendered before (the node's page cache) */
        http_reply_text(req, 200, pg.text, pg.text_len);
        pg.text = NULL;
        appeal_page_free(&pg);
        return;
    }
    jw_t w = JW_INIT;
    /* the executor came with the page: appeal_write finds them without a read of its own */
    staff_names_t names = {{{0}}, 0};
    if (pg.a.executor > 0)
        names.p[names.n++] = pg.executor;
    appeal_write(&w, &pg.a,
                 &(appeal_view_t){.svc = &req->app->svc,
                                  .names = &names,
                                  .with_text = 1,
                                  .held = pg.has_held ? &pg.held : NULL,
                                  .pc = &pg.pc});
    /* kept for the next readers of the same view: the page as written depends on the page
     * and the view alone (not on the reader, the request or the time) */
    size_t len = 0;
    char *text = jw_finish(&w, &len);
    appeal_page_keep(&req->app->svc, &pg, text, len);
    http_reply_text(req, 200, text, len);
    appeal_page_free(&pg);
}

struct list_out {
    const svc_t *svc;
    jw_t w;
    int n;
    int64_t last_id;
    char last_due[11];
    staff_names_t names;
};

static int add_item(const appeal_rec_t *a, void *arg)
{
    struct list_out *l = arg;
    /* lists carry the summary; the text is on the appeal page */
    appeal_write(&l->w, a, &(appeal_view_t){.svc = l->svc, .names = &l->names});
    l->n++;
    l->last_id = a->id;
    str_copy(l->last_due, sizeof l->last_due, a->due_on);
    return 0;
}

static const char *query_get(void *req, const char *name)
{
    return http_query_opt(req, name);
}

#define COUNT_CAP 10000 /* the counts of the queue's tabs stop here ("10000+") */

void h_appeal_list(http_req_t *req)
{
    /* an export reads every page: on a request thread, whatever the engine */
    const char *fmt = http_query_opt(req, "format");
    if (fmt && strcmp(fmt, "json") && http_set_aside_long(req))
        return;
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
    appeal_today(&req->app->svc, NULL, clock_now_us(), today);
    f.today = today;
    if (fmt && strcmp(fmt, "json")) { /* csv, xlsx: every page, in id order */
        f.by_due = 0;
        h_appeal_export(req, &u, &f);
        return;
    }
    /* counts per state of the same filters but status (the work queue's tabs), each up to
     * COUNT_CAP: "counts":{"registered","assigned","in_work","overdue"} */
    json_t *counts = NULL;
    if (query_bool(http_query(req, "counts"))) {
        static const char *const open[] = {"registered", "assigned", "in_work"};
        int64_t n[4] = {0};
        appeal_filter_t c = f;
        if (appeal_queue_counts(&req->app->svc, &u, &c, COUNT_CAP, n, &err)) {
            http_reply_err(req, &err);
            return;
        }
        counts = json_object();
        for (size_t k = 0; k < 4; k++)
            json_object_set_new(counts, k < 3 ? open[k] : "overdue", json_integer(n[k]));
    }
    struct list_out l = {&req->app->svc, JW_INIT, 0, 0, "", {{{0}}, 0}};
    jw_obj(&l.w);
    jw_key(&l.w, "items");
    jw_arr(&l.w);
    if (appeal_list(&req->app->svc, &u, &f, add_item, &l, &err)) {
        size_t n;
        json_decref(counts);
        free(jw_finish(&l.w, &n));
        http_reply_err(req, &err);
        return;
    }
    jw_end(&l.w);
    jw_key(&l.w, "next"); /* the keyset cursor of the next page, null on the last */
    if (l.n == f.limit && l.last_id) {
        char cur[40];
        if (f.by_due)
            snprintf(cur, sizeof cur, "%s.%lld", l.last_due, (long long)l.last_id);
        else
            snprintf(cur, sizeof cur, "%lld", (long long)l.last_id);
        jw_str(&l.w, cur);
    } else
        jw_null(&l.w);
    if (counts) {
        jw_key(&l.w, "counts");
        jw_obj(&l.w);
        const char *k;
        json_t *n;
        json_object_foreach(counts, k, n)
        {
            jw_kint(&l.w, k, json_integer_value(n));
        }
        jw_end(&l.w);
        json_decref(counts);
    }
    jw_end(&l.w);
    http_reply_jw(req, 200, &l.w);
}

void h_applicant_appeals(http_req_t *req)
{
    auth_user_t u;
    if (http_auth(req, &u))
        return;
    struct list_out l = {&req->app->svc, JW_INIT, 0, 0, "", {{{0}}, 0}};
    jw_obj(&l.w);
    jw_key(&l.w, "items");
    jw_arr(&l.w);
    ot_err_t err;
    if (appeal_by_applicant(&req->app->svc, &u, req->params[0], add_item, &l, &err)) {
        size_t n;
        free(jw_finish(&l.w, &n));
        http_reply_err(req, &err);
        return;
    }
    jw_end(&l.w);
    jw_end(&l.w);
    http_reply_jw(req, 200, &l.w);
}

struct hist_out {
    const svc_t *svc;
    json_t *events;
    staff_names_t names;
};

static json_t *person_json(const svc_t *svc, const staff_person_t *p)
{
    if (!p)
        return json_null();
    json_t *o = json_pack("{s:I, s:s, s:s}", "id", (json_int_t)p->id, "name", p->name, "position",
                          p->position);
    json_t *f = http_forms(svc, p->position);
    if (f)
        json_object_set_new(o, "position_forms", f);
    return o;
}

static int add_event(int64_t seq, int64_t at, const char *actor, const char *action,
                     const char *data, void *arg)
{
    struct hist_out *h = arg;
    json_t *d = json_loads(data ? data : "{}", 0, NULL);
    if (!d)
        d = json_object();
    /* the people an event names, by name and position (issue 18): who acted ("user:ID"),
     * and the executor an assignment names by login */
    const staff_person_t *who = NULL, *ex = NULL;
    long long uid;
    if (actor && sscanf(actor, "user:%lld", &uid) == 1)
        who = staff_person(h->svc, &h->names, (int64_t)uid);
    json_t *e = json_object_get(d, "executor");
    if (json_is_string(e))
        ex = staff_person_login(h->svc, &h->names, json_string_value(e));
    else if (json_is_integer(e))
        ex = staff_person(h->svc, &h->names, (int64_t)json_integer_value(e));
    json_t *ev =
        json_pack("{s:I, s:o, s:s, s:s, s:o, s:o}", "seq", (json_int_t)seq, "at",
                  instant(h->svc, NULL, at), "actor", actor ? actor : "", "action",
                  action ? action : "", "data", d, "actor_person", person_json(h->svc, who));
    if (ex)
        json_object_set_new(ev, "executor_person", person_json(h->svc, ex));
    json_array_append_new(h->events, ev);
    return 0;
}

void h_appeal_history(http_req_t *req)
{
    auth_user_t u;
    if (http_auth(req, &u))
        return;
    struct hist_out h = {&req->app->svc, json_array(), {{{0}}, 0}};
    ot_err_t err;
    if (appeal_history(&req->app->svc, &u, req->params[0], add_event, &h, &err)) {
        json_decref(h.events);
        http_reply_err(req, &err);
        return;
    }
    http_reply_json(req, 200,
                    json_pack("{s:s, s:o}", "number", req->params[0], "events", h.events));
}

static int add_notice(const outbox_notice_t *n, void *arg)
{
    struct hist_out *h = arg;
    json_t *o = json_pack(
        "{s:I, s:s, s:s, s:s, s:s, s:I, s:o, s:o, s:o}", "id", (json_int_t)n->id, "to",
        n->staff[0] ? n->staff : "applicant", "channel", n->channel, "template", n->template_name,
        "status", n->status, "attempts", (json_int_t)n->attempts, "created_at",
        instant(h->svc, NULL, n->created_at), "sent_at", instant(h->svc, NULL, n->sent_at),
        "last_error", http_json_opt_str(n->last_error));
    json_object_set_new(o, "language", json_string(n->language));
    json_array_append_new(h->events, o);
    return 0;
}

/* The record of every notice about the appeal: channel, attempts, outcome (issue 16). */
void h_appeal_notices(http_req_t *req)
{
    auth_user_t u;
    if (http_auth(req, &u))
        return;
    struct hist_out h = {&req->app->svc, json_array(), {{{0}}, 0}};
    ot_err_t err;
    if (appeal_notices(&req->app->svc, &u, req->params[0], add_notice, &h, &err)) {
        json_decref(h.events);
        http_reply_err(req, &err);
        return;
    }
    http_reply_json(req, 200, json_pack("{s:o}", "items", h.events));
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
    approval_rec_t r;
    const approval_rec_t *held = held_of(req, &u, a.number, &r);
    jw_t w = JW_INIT;
    staff_names_t names = {{{0}}, 0};
    appeal_write(
        &w, &a,
        &(appeal_view_t){
            .svc = &req->app->svc, .names = &names, .with_text = 1, .part = part, .held = held});
    http_reply_jw(req, 200, &w);
    if (held)
        approval_rec_free(&r);
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
    /* the topic and place (no personal data): a complaint starts from number and code and
     * need not ask them again (issue 18) */
    json_object_set_new(o, "category", json_string(a->category));
    json_object_set_new(o, "district", http_json_opt_str(a->district));
    /* "Was your problem solved?" (issue 17): asked once an answer is given */
    json_object_set_new(o, "verdict", a->verdict[0] ? json_string(a->verdict) : json_null());
    json_object_set_new(o, "verdict_open", json_boolean(a->decision[0] && !a->verdict[0]));
    return o;
}

void h_track(http_req_t *req)
{
    if (http_public_limit(req))
        return;
    appeal_rec_t a;
    char addressed_to[64];
    ot_err_t err;
    if (appeal_track(&req->app->svc, req->params[0], http_query(req, "code"), &a, addressed_to,
                     &err)) {
        http_reply_err(req, &err);
        return;
    }
    json_t *o = track_json(&req->app->svc, &a);
    /* the body the applicant addressed (АППК art. 63), beside the one that answers */
    json_object_set_new(o, "addressed_to",
                        addressed_to[0] ? json_string(addressed_to) : json_null());
    http_reply_json(req, 200, o);
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

/* "Was your problem solved?" (issue 17): the applicant's verdict, by number and access code,
 * once. Staff cannot give it: a request with staff credentials is refused. */
void h_track_verdict(http_req_t *req)
{
    if (has_credentials(req)) {
        http_reply_error(req, OT_EFORBIDDEN, "applicant_only", "verdict",
                         "the verdict is the applicant's: staff cannot give it");
        return;
    }
    if (http_public_limit(req))
        return;
    json_t *b = http_body_json(req);
    if (!b)
        return;
    static const char *const keys[] = {"code", "verdict", "comment", NULL};
    const char *code, *verdict, *comment;
    ot_err_t err;
    if (in_only(b, keys, NULL, &err) || in_str(b, "code", "code", 1, 32, 0, &code, &err) ||
        in_str(b, "verdict", "verdict", 1, 16, 0, &verdict, &err) ||
        in_str(b, "comment", "comment", 0, 2000, 1, &comment, &err) ||
        problem_verdict(&req->app->svc, req->params[0], code, verdict, comment, clock_now_us(),
                        &err)) {
        http_reply_err(req, &err);
        json_decref(b);
        return;
    }
    http_reply_json(req, 200,
                    json_pack("{s:s, s:s}", "number", req->params[0], "verdict", verdict));
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
    int64_t last_at, last_id;
};

static int add_forward(const forward_rec_t *f, void *arg)
{
    struct fwd_out *o = arg;
    o->last_at = f->at;
    o->last_id = f->id;
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
    long limit = 50, before_id = 0;
    long long before = 0;
    char tail = 0;
    const char *v;
    if ((v = http_query_opt(req, "limit")) && str_to_long(v, 1, 500, &limit)) {
        http_reply_error(req, OT_EINVAL, "out_of_range", "limit", "limit must be 1..500");
        return;
    }
    /* the cursor "AT.ID" of next (the last row's instant and id); "AT" alone, as next was
     * before, is before that instant */
    if ((v = http_query_opt(req, "after")) &&
        (!((sscanf(v, "%lld.%ld%c", &before, &before_id, &tail) == 2 && before_id > 0) ||
           sscanf(v, "%lld%c", &before, &tail) == 1) ||
         before < 1)) {
        http_reply_error(req, OT_EINVAL, "bad_cursor", "after", "after is the next of a page");
        return;
    }
    struct fwd_out o = {&req->app->svc, json_array(), 0, 0};
    ot_err_t err;
    if (forward_list(&req->app->svc, &u, (int64_t)before, before_id, (int)limit, add_forward, &o,
                     &err)) {
        json_decref(o.items);
        http_reply_err(req, &err);
        return;
    }
    char cur[48];
    snprintf(cur, sizeof cur, "%lld.%lld", (long long)o.last_at, (long long)o.last_id);
    json_t *next = json_array_size(o.items) == (size_t)limit ? json_string(cur) : json_null();
    http_reply_json(req, 200, json_pack("{s:o, s:o}", "items", o.items, "next", next));
}
