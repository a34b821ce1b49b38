/* Accountability over HTTP: violations and their actions, head flags, the control queue. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "http/handlers.h"
#include "http/i18n.h"
#include "service/staff.h"
#include "http/input.h"
#include "http/query.h"
#include "service/violation.h"
#include "util/json_out.h"
#include "util/log.h"
#include "util/str.h"

/* key: an id, null for none */
static void kid(jw_t *w, const char *key, int64_t id)
{
    jw_key(w, key);
    if (id)
        jw_int(w, id);
    else
        jw_null(w);
}

/* "evidence": as the sweep wrote it (json_out: valid JSON), parsed so that a damaged one is an
 * empty object, not a broken reply */
static void evidence(jw_t *w, const char *text)
{
    json_t *e = json_loads(text, 0, NULL);
    jw_key(w, "evidence");
    if (json_is_object(e))
        jw_json(w, e);
    else {
        jw_obj(w);
        jw_end(w);
    }
    json_decref(e);
}

/* A person named by name and position (issue 18): person_open writes {id, name, position,
 * then the caller's fields; person_close the position in the other languages and }. */
static void person_open(jw_t *w, int64_t id, const char *name, const char *position)
{
    jw_obj(w);
    jw_kint(w, "id", id);
    jw_kstr(w, "name", name);
    jw_kstr(w, "position", position);
}

static void person_close(jw_t *w, const svc_t *svc, const char *position)
{
    http_jw_forms(w, "position_forms", svc, position);
    jw_end(w);
}

/* One violation, written straight from its record (a page of 500 built as Jansson trees and
 * then encoded spent 70 % of its time in Jansson and malloc: 6-9 ms at the 1M demo). The
 * person who answers for it is {id, name, position, body, via, position_forms}. */
static void viol_jw(jw_t *w, const svc_t *svc, const viol_rec_t *v)
{
    jw_obj(w);
    jw_kint(w, "id", v->id);
    jw_kstr_opt(w, "appeal", v->appeal_number);
    jw_kstr(w, "kind", v->kind);
    jw_kstr(w, "term_on", v->term_on);
    jw_kstr(w, "detected_on", v->detected_on);
    jw_kint(w, "days_late", v->days_late);
    jw_kstr(w, "body", v->body);
    kid(w, "executor", v->executor);
    kid(w, "head", v->head);
    jw_key(w, "responsible");
    if (v->responsible) {
        person_open(w, v->responsible, v->responsible_name, v->responsible_position);
        jw_kstr(w, "body", v->responsible_body);
        jw_kstr(w, "via", v->responsible_via);
        person_close(w, svc, v->responsible_position);
    } else
        jw_null(w);
    jw_kstr(w, "status", v->status);
    jw_kstr_opt(w, "order_number", v->order_number);
    jw_kstr_opt(w, "proceedings_on", v->proceedings_on);
    jw_kstr_opt(w, "penalty", v->penalty);
    jw_kstr_opt(w, "penalty_on", v->penalty_on);
    jw_kstr_opt(w, "dismiss_reason", v->dismiss_reason);
    kid(w, "about_violation", v->about_violation);
    evidence(w, v->evidence);
    /* outside the akimat's discipline: to be reported to the body's own superior */
    jw_key(w, "external");
    jw_bool(w, v->external);
    jw_kstr_opt(w, "report_to", v->external ? v->report_to : NULL);
    jw_end(w);
}

/* A page being written ({"items":[...],"next":...}): its count and last row, for the cursor;
 * flags and the control queue name people by name and position (issue 18). */
struct page_out {
    const svc_t *svc;
    jw_t w;
    long n;
    int64_t last_id;
    char last_due[11]; /* the control queue's cursor: the last row's due date and id */
    staff_names_t names;
};

static void page_open(struct page_out *o, const svc_t *svc)
{
    memset(o, 0, sizeof *o);
    o->svc = svc;
    jw_obj(&o->w);
    jw_key(&o->w, "items");
    jw_arr(&o->w);
}

/* The reply: the page with its next cursor (NULL: null, the last page), or the error. */
static void page_reply(http_req_t *req, struct page_out *o, int rc, const ot_err_t *err,
                       const char *next)
{
    if (rc) {
        free(jw_finish(&o->w, NULL));
        http_reply_err(req, err);
        return;
    }
    jw_end(&o->w);
    jw_kstr(&o->w, "next", next);
    jw_end(&o->w);
    http_reply_jw(req, 200, &o->w);
}

/* The next page's cursor of a list by id: the last row's id when the page is full, else
 * NULL. */
static const char *next_id(const struct page_out *o, long limit, char buf[24])
{
    if (o->n != limit)
        return NULL;
    snprintf(buf, 24, "%lld", (long long)o->last_id);
    return buf;
}

static int add_viol(viol_rec_t *v, void *arg)
{
    struct page_out *o = arg;
    viol_jw(&o->w, o->svc, v);
    o->n++;
    o->last_id = v->id;
    return 0;
}

/* limit (1..500, default 50) of a page; 0, or -1 after a 422 */
static int page_limit(http_req_t *req, long *limit)
{
    const char *s = http_query_opt(req, "limit");
    *limit = 50;
    if (s && str_to_long(s, 1, 500, limit)) {
        http_reply_error(req, OT_EINVAL, "out_of_range", "limit", "limit must be 1..500");
        return -1;
    }
    return 0;
}

void h_violation_list(http_req_t *req)
{
    auth_user_t u;
    if (http_auth(req, &u))
        return;
    viol_filter_t f;
    memset(&f, 0, sizeof f);
    f.body = http_query_opt(req, "body");
    f.status = http_query_opt(req, "status");
    f.kind = http_query_opt(req, "kind");
    f.from = http_query_opt(req, "from");
    f.to = http_query_opt(req, "to");
    long limit, v;
    const char *s;
    ot_day_t d;
    if (page_limit(req, &limit))
        return;
    if ((s = http_query_opt(req, "person"))) {
        if (str_to_long(s, 1, LONG_MAX, &v)) {
            http_reply_error(req, OT_EINVAL, "bad_value", "person", "person is a user id");
            return;
        }
        f.person = v;
    }
    if ((s = http_query_opt(req, "after"))) {
        if (str_to_long(s, 1, LONG_MAX, &v)) {
            http_reply_error(req, OT_EINVAL, "bad_cursor", "after", "after is a violation id");
            return;
        }
        f.before_id = v;
    }
    if ((f.from && date_parse(f.from, &d)) || (f.to && date_parse(f.to, &d))) {
        http_reply_error(req, OT_EINVAL, "bad_date",
                         f.from && date_parse(f.from, &d) ? "from" : "to", "dates are YYYY-MM-DD");
        return;
    }
    f.limit = (int)limit;
    struct page_out o;
    char next[24];
    page_open(&o, &req->app->svc);
    ot_err_t err;
    int rc = violation_list(&req->app->svc, &u, &f, add_viol, &o, &err);
    page_reply(req, &o, rc, &err, next_id(&o, limit, next));
}

void h_violation_action(http_req_t *req)
{
    auth_user_t u;
    if (http_auth(req, &u))
        return;
    long id;
    if (str_to_long(req->params[0], 1, LONG_MAX, &id)) {
        http_reply_error(req, OT_ENOTFOUND, "violation_not_found", "id", "no such violation");
        return;
    }
    json_t *b = req->body_len ? http_body_json(req) : json_object();
    if (!b)
        return;
    static const char *const keys[] = {"order_number", "on", "penalty", "reason", NULL};
    viol_input_t in;
    memset(&in, 0, sizeof in);
    ot_err_t err;
    viol_rec_t *v = malloc(sizeof *v);
    if (!v || in_only(b, keys, NULL, &err) ||
        in_str(b, "order_number", "order_number", 0, 60, 0, &in.order_number, &err) ||
        in_str(b, "on", "on", 0, 10, 0, &in.on, &err) ||
        in_str(b, "penalty", "penalty", 0, 32, 0, &in.penalty, &err) ||
        in_str(b, "reason", "reason", 0, 500, 1, &in.reason, &err) ||
        violation_act(&req->app->svc, &u, id, req->params[1], &in, clock_now_us(), v, &err)) {
        if (!v)
            ot_err(&err, OT_EINTERNAL, "oom", NULL, "out of memory");
        http_reply_err(req, &err);
    } else {
        jw_t w = JW_INIT;
        viol_jw(&w, &req->app->svc, v);
        http_reply_jw(req, 200, &w);
    }
    free(v);
    json_decref(b);
}

/* key: the person {id, name, position, position_forms}, null for none */
static void person_jw(struct page_out *o, const char *key, int64_t id)
{
    const staff_person_t *p = staff_person(o->svc, &o->names, id);
    jw_key(&o->w, key);
    if (!p) {
        jw_null(&o->w);
        return;
    }
    person_open(&o->w, p->id, p->name, p->position);
    person_close(&o->w, o->svc, p->position);
}

static int add_flag(flag_rec_t *f, void *arg)
{
    struct page_out *o = arg;
    jw_t *w = &o->w;
    jw_obj(w);
    jw_kint(w, "id", f->id);
    jw_kstr(w, "body", f->body);
    kid(w, "head", f->head);
    jw_kint(w, "violation", f->violation_id);
    jw_kint(w, "prior_violation", f->prior_violation_id);
    evidence(w, f->evidence);
    person_jw(o, "head_person", f->head);
    jw_end(w);
    o->n++;
    o->last_id = f->id;
    return 0;
}

void h_head_flags(http_req_t *req)
{
    auth_user_t u;
    if (http_auth(req, &u))
        return;
    long limit, before = 0;
    const char *s = http_query_opt(req, "after");
    if (page_limit(req, &limit))
        return;
    if (s && str_to_long(s, 1, LONG_MAX, &before)) {
        http_reply_error(req, OT_EINVAL, "bad_cursor", "after", "after is a head flag id");
        return;
    }
    struct page_out o;
    char next[24];
    page_open(&o, &req->app->svc);
    ot_err_t err;
    int rc = violation_flags(&req->app->svc, &u, before, (int)limit, add_flag, &o, &err);
    page_reply(req, &o, rc, &err, next_id(&o, limit, next));
}

static int add_control(const control_row_t *r, void *arg)
{
    struct page_out *o = arg;
    jw_t *w = &o->w;
    jw_obj(w);
    jw_kstr(w, "number", r->number);
    jw_kstr(w, "body", r->body);
    jw_kstr(w, "due_on", r->due_on);
    jw_kstr_opt(w, "control_on", r->control_on);
    jw_kstr(w, "reason", r->reason);
    jw_kstr(w, "status", r->status);
    kid(w, "by_user", r->by_user);
    jw_kstr_opt(w, "report_to", r->report_to);
    person_jw(o, "by_person", r->by_user);
    jw_end(w);
    o->n++;
    snprintf(o->last_due, sizeof o->last_due, "%s", r->due_on);
    o->last_id = r->id;
    return 0;
}

void h_control(http_req_t *req)
{
    auth_user_t u;
    if (http_auth(req, &u))
        return;
    long limit;
    char due[11] = "";
    int64_t after = 0;
    const char *s = http_query_opt(req, "after");
    ot_err_t err;
    if (page_limit(req, &limit))
        return;
    if (s && query_due_cursor(s, due, &after, &err)) {
        http_reply_err(req, &err);
        return;
    }
    struct page_out o;
    char next[40];
    page_open(&o, &req->app->svc);
    int rc = violation_control(&req->app->svc, &u, after ? due : NULL, after, (int)limit,
                               add_control, &o, &err);
    if (o.n == limit)
        snprintf(next, sizeof next, "%s.%lld", o.last_due, (long long)o.last_id);
    page_reply(req, &o, rc, &err, o.n == limit ? next : NULL);
}
