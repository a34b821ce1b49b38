/* Staff as other staff see them (issue 18): GET /api/v1/executors, the assignment picker. */
#include <string.h>

#include "http/handlers.h"
#include "service/staff.h"
#include "util/log.h"

static int add_executor(const staff_executor_t *e, void *arg)
{
    json_array_append_new(arg, json_pack("{s:I, s:s, s:s, s:s, s:s, s:I, s:I}", "id",
                                         (json_int_t)e->id, "login", e->login, "name", e->name,
                                         "position", e->position, "body", e->body, "open",
                                         (json_int_t)e->open, "overdue", (json_int_t)e->overdue));
    return 0;
}

void h_executors(http_req_t *req)
{
    auth_user_t u;
    if (http_auth(req, &u))
        return;
    json_t *items = json_array();
    ot_err_t err;
    if (staff_executors(&req->app->svc, &u, http_query_opt(req, "body"), clock_now_us(),
                        add_executor, items, &err)) {
        json_decref(items);
        http_reply_err(req, &err);
        return;
    }
    http_reply_json(req, 200, json_pack("{s:o}", "items", items));
}
