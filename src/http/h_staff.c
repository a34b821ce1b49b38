/* Staff as other staff see them (issue 18): GET /api/v1/executors, the assignment picker, and
 * GET /api/v1/tasks, what waits for a head's decision. People come by name and position, the
 * position with its other language forms (position_forms) when the region's tables know it. */
#include <string.h>

#include "http/handlers.h"
#include "http/i18n.h"
#include "service/staff.h"
#include "util/log.h"

struct ex_out {
    const svc_t *svc;
    json_t *items;
};

static json_t *with_forms(const svc_t *svc, json_t *person, const char *position)
{
    json_t *f = http_forms(svc, position);
    if (f)
        json_object_set_new(person, "position_forms", f);
    return person;
}

static int add_executor(const staff_executor_t *e, void *arg)
{
    struct ex_out *o = arg;
    json_t *x = json_pack("{s:I, s:s, s:s, s:s, s:s, s:I, s:I}", "id", (json_int_t)e->id, "login",
                          e->login, "name", e->name, "position", e->position, "body", e->body,
                          "open", (json_int_t)e->open, "overdue", (json_int_t)e->overdue);
    json_array_append_new(o->items, with_forms(o->svc, x, e->position));
    return 0;
}

void h_executors(http_req_t *req)
{
    auth_user_t u;
    if (http_auth(req, &u))
        return;
    struct ex_out o = {&req->app->svc, json_array()};
    ot_err_t err;
    if (staff_executors(&req->app->svc, &u, http_query_opt(req, "body"), clock_now_us(),
                        add_executor, &o, &err)) {
        json_decref(o.items);
        http_reply_err(req, &err);
        return;
    }
    http_reply_json(req, 200, json_pack("{s:o}", "items", o.items));
}

struct task_out {
    const svc_t *svc;
    json_t *items;
    staff_names_t names;
};

static int add_task(const staff_task_t *t, void *arg)
{
    struct task_out *o = arg;
    const staff_person_t *p = staff_person(o->svc, &o->names, t->by);
    json_t *d = json_loads(t->data ? t->data : "{}", 0, NULL);
    char at[40];
    instant_format(t->at, svc_utc_offset(o->svc, NULL), at, sizeof at);
    json_t *by = p ? with_forms(o->svc,
                                json_pack("{s:I, s:s, s:s}", "id", (json_int_t)p->id, "name",
                                          p->name, "position", p->position),
                                p->position)
                   : json_null();
    json_array_append_new(o->items,
                          json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:o}", "kind", t->kind,
                                    "number", t->number, "body", t->body, "due_on", t->due_on, "at",
                                    at, "data", d ? d : json_object(), "by", by));
    return 0;
}

void h_tasks(http_req_t *req)
{
    auth_user_t u;
    if (http_auth(req, &u))
        return;
    struct task_out o = {&req->app->svc, json_array(), {{{0}}, 0}};
    ot_err_t err;
    if (staff_tasks(&req->app->svc, &u, add_task, &o, &err)) {
        json_decref(o.items);
        http_reply_err(req, &err);
        return;
    }
    http_reply_json(req, 200, json_pack("{s:o}", "items", o.items));
}
