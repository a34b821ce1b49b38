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

static json_t *id_or_null(int64_t id)
{
    return id ? json_integer(id) : json_null();
}

/* One violation, written straight from its record (a page of 500 built as Jansson trees and
 * then encoded spent 70 % of its time in Jansson and malloc: 6-9 ms at the 1M demo). The
 * person who answers for it is {id, name, position, body, via, position_forms}. */
/* key: an id, null for none */
static void kid(jw_t *w, const char *key, int64_t id)
{
    jw_key(w, key);
    if (id)
        jw_int(w, id);
    else
        jw_null(w);
}

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
        jw_obj(w);
        jw_kint(w, "id", v->responsible);
        jw_kstr(w, "name", v->responsible_name);
        jw_kstr(w, "position", v->responsible_position);
        jw_kstr(w, "body", v->responsible_body);
        jw_kstr(w, "via", v->responsible_via);
        http_jw_forms(w, "position_forms", svc, v->responsible_position);
        jw_end(w);
    } else
        jw_null(w);
    jw_kstr(w, "status", v->status);
    jw_kstr_opt(w, "order_number", v->order_number);
    jw_kstr_opt(w, "proceedings_on", v->proceedings_on);
    jw_kstr_opt(w, "penalty", v->penalty);
    jw_kstr_opt(w, "penalty_on", v->penalty_on);
    jw_kstr_opt(w, "dismiss_reason", v->dismiss_reason);
    kid(w, "about_violation", v->about_violation);
    /* the evidence as the sweep wrote it (json_out: valid JSON), parsed so that a damaged
     * one is an empty object, not a broken reply */
    json_t *e = json_loads(v->evidence, 0, NULL);
    jw_key(w, "evidence");
    if (json_is_object(e))
        jw_json(w, e);
    else {
        jw_obj(w);
        jw_end(w);
    }
    json_decref(e);
    /* outside the akimat's discipline: to be reported to the body's own superior */
    jw_key(w, "external");
    jw_bool(w, v->external);
    jw_kstr_opt(w, "report_to", v->external ? v->report_to : NULL);
    jw_end(w);
}

/* A page of violations being written: its count and last id, for the cursor. */
struct viol_page {
    const svc_t *svc;
    jw_t w;
    long n;
    int64_t last;
};

static int add_viol(viol_rec_t *v, void *arg)
{
    struct viol_page *pg = arg;
    viol_jw(&pg->w, pg->svc, v);
    pg->n++;
    pg->last = v->id;
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

/* The cursor of the next page of a list by id: the last item's id when the page is full,
 * else null. */
static json_t *next_id(json_t *items, long limit)
{
    size_t n = json_array_size(items);
    return n == (size_t)limit ? json_sprintf("%lld", (long long)json_integer_value(json_object_get(
                                                         json_array_get(items, n - 1), "id")))
                              : json_null();
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
    struct viol_page pg = {&req->app->svc, JW_INIT, 0, 0};
    jw_obj(&pg.w);
    jw_key(&pg.w, "items");
    jw_arr(&pg.w);
    ot_err_t err;
    if (violation_list(&req->app->svc, &u, &f, add_viol, &pg, &err)) {
        free(jw_finish(&pg.w, NULL));
        http_reply_err(req, &err);
        return;
    }
    jw_end(&pg.w);
    /* the next page's cursor: the last violation's id when the page is full */
    jw_key(&pg.w, "next");
    if (pg.n == limit) {
        char next[24];
        snprintf(next, sizeof next, "%lld", (long long)pg.last);
        jw_str(&pg.w, next);
    } else
        jw_null(&pg.w);
    jw_end(&pg.w);
    http_reply_jw(req, 200, &pg.w);
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

/* Flags and the control queue name people by name and position (issue 18). */
struct people_out {
    const svc_t *svc;
    json_t *items;
    staff_names_t names;
    char last_due[11]; /* the control queue's cursor: the last row's due date and id */
    int64_t last_id;
};

static json_t *person_of(struct people_out *o, int64_t id)
{
    const staff_person_t *p = staff_person(o->svc, &o->names, id);
    if (!p)
        return json_null();
    json_t *x = json_pack("{s:I, s:s, s:s}", "id", (json_int_t)p->id, "name", p->name, "position",
                          p->position);
    json_t *f = http_forms(o->svc, p->position);
    if (f)
        json_object_set_new(x, "position_forms", f);
    return x;
}

static int add_flag(flag_rec_t *f, void *arg)
{
    struct people_out *o = arg;
    json_t *e = json_loads(f->evidence, 0, NULL);
    json_t *x = json_pack("{s:I, s:s, s:o, s:I, s:I, s:o}", "id", (json_int_t)f->id, "body",
                          f->body, "head", id_or_null(f->head), "violation",
                          (json_int_t)f->violation_id, "prior_violation",
                          (json_int_t)f->prior_violation_id, "evidence", e ? e : json_object());
    json_object_set_new(x, "head_person", person_of(o, f->head));
    json_array_append_new(o->items, x);
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
    struct people_out o = {&req->app->svc, json_array(), {{{0}}, 0}, "", 0};
    ot_err_t err;
    if (violation_flags(&req->app->svc, &u, before, (int)limit, add_flag, &o, &err)) {
        json_decref(o.items);
        http_reply_err(req, &err);
        return;
    }
    http_reply_json(req, 200,
                    json_pack("{s:o, s:o}", "items", o.items, "next", next_id(o.items, limit)));
}

static int add_control(const control_row_t *r, void *arg)
{
    struct people_out *o = arg;
    json_t *x = json_pack(
        "{s:s, s:s, s:s, s:o, s:s, s:s, s:o, s:o}", "number", r->number, "body", r->body, "due_on",
        r->due_on, "control_on", http_json_opt_str(r->control_on), "reason", r->reason, "status",
        r->status, "by_user", id_or_null(r->by_user), "report_to", http_json_opt_str(r->report_to));
    json_object_set_new(x, "by_person", person_of(o, r->by_user));
    json_array_append_new(o->items, x);
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
    struct people_out o = {&req->app->svc, json_array(), {{{0}}, 0}, "", 0};
    if (violation_control(&req->app->svc, &u, after ? due : NULL, after, (int)limit, add_control,
                          &o, &err)) {
        json_decref(o.items);
        http_reply_err(req, &err);
        return;
    }
    size_t n = json_array_size(o.items);
    json_t *next = n == (size_t)limit ? json_sprintf("%s.%lld", o.last_due, (long long)o.last_id)
                                      : json_null();
    http_reply_json(req, 200, json_pack("{s:o, s:o}", "items", o.items, "next", next));
}
