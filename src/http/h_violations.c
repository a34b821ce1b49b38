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
#include "util/log.h"
#include "util/str.h"

static json_t *id_or_null(int64_t id)
{
    return id ? json_integer(id) : json_null();
}

/* The person who answers for the violation: {id, name, position, body, via}. */
static json_t *responsible_json(const viol_rec_t *v)
{
    if (!v->responsible)
        return json_null();
    return json_pack("{s:I, s:s, s:s, s:s, s:s}", "id", (json_int_t)v->responsible, "name",
                     v->responsible_name, "position", v->responsible_position, "body",
                     v->responsible_body, "via", v->responsible_via);
}

static json_t *viol_json(const viol_rec_t *v)
{
    json_t *e = json_loads(v->evidence, 0, NULL);
    json_t *o = json_pack(
        "{s:I, s:o, s:s, s:s, s:s, s:i, s:s, s:o, s:o, s:o, s:s, s:o, s:o, s:o, s:o,"
        " s:o, s:o, s:o}",
        "id", (json_int_t)v->id, "appeal", http_json_opt_str(v->appeal_number), "kind", v->kind,
        "term_on", v->term_on, "detected_on", v->detected_on, "days_late", v->days_late, "body",
        v->body, "executor", id_or_null(v->executor), "head", id_or_null(v->head), "responsible",
        responsible_json(v), "status", v->status, "order_number",
        http_json_opt_str(v->order_number), "proceedings_on", http_json_opt_str(v->proceedings_on),
        "penalty", http_json_opt_str(v->penalty), "penalty_on", http_json_opt_str(v->penalty_on),
        "dismiss_reason", http_json_opt_str(v->dismiss_reason), "about_violation",
        id_or_null(v->about_violation), "evidence", e ? e : json_object());
    /* outside the akimat's discipline: to be reported to the body's own superior */
    json_object_set_new(o, "external", json_boolean(v->external));
    json_object_set_new(o, "report_to",
                        v->external ? http_json_opt_str(v->report_to) : json_null());
    return o;
}

/* The responsible person's position in the other languages (issue 18). */
static json_t *with_forms(const svc_t *svc, json_t *viol)
{
    json_t *r = json_object_get(viol, "responsible");
    json_t *f = json_is_object(r)
                    ? http_forms(svc, json_string_value(json_object_get(r, "position")))
                    : NULL;
    if (f)
        json_object_set_new(r, "position_forms", f);
    return viol;
}

static int add_viol(viol_rec_t *v, void *arg)
{
    json_array_append_new(arg, viol_json(v));
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
    json_t *items = json_array();
    ot_err_t err;
    if (violation_list(&req->app->svc, &u, &f, add_viol, items, &err)) {
        json_decref(items);
        http_reply_err(req, &err);
        return;
    }
    for (size_t i = 0; i < json_array_size(items); i++)
        with_forms(&req->app->svc, json_array_get(items, i));
    http_reply_json(req, 200,
                    json_pack("{s:o, s:o}", "items", items, "next", next_id(items, limit)));
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
    } else
        http_reply_json(req, 200, with_forms(&req->app->svc, viol_json(v)));
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
