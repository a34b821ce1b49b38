/* The head's approval of answers over HTTP (issue 16): a body's settings, the queue of
 * answers awaiting approval. The approve and return_answer actions go through
 * POST /api/v1/appeals/{number}/{action} (h_appeals.c). */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "http/handlers.h"
#include "http/input.h"
#include "service/appeal.h"
#include "service/approval.h"
#include "util/log.h"
#include "util/str.h"

static json_t *instant_json(const svc_t *svc, int64_t us)
{
    char buf[40];
    if (!us)
        return json_null();
    instant_format(us, svc_utc_offset(svc, NULL), buf, sizeof buf);
    return json_string(buf);
}

static json_t *approval_json(const svc_t *svc, const approval_rec_t *r)
{
    char ascii[64];
    json_t *o =
        json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:{s:I, s:s}, s:o, s:s, s:b}",
                  "id", (json_int_t)r->id, "number", r->number, "body", r->body, "kind", r->kind,
                  "language", r->language, "due_on", r->due_on, "decision", r->decision, "text",
                  http_json_opt_str(r->text), "grounds", http_json_opt_str(r->grounds),
                  "submitted_by", "id", (json_int_t)r->submitted_by, "login", r->submitted_login,
                  "submitted_at", instant_json(svc, r->submitted_at), "submitted_on",
                  r->submitted_on, "submitted_on_time", strcmp(r->submitted_on, r->due_on) <= 0);
    if (!appeal_number_ascii(r->number, ascii, sizeof ascii))
        json_object_set_new(o, "number_ascii", json_string(ascii));
    return o;
}

static int add_approval(const approval_rec_t *r, void *arg)
{
    void **a = arg;
    json_array_append_new(a[0], approval_json(a[1], r));
    return 0;
}

void h_approvals(http_req_t *req)
{
    auth_user_t u;
    if (http_auth(req, &u))
        return;
    long limit = 500;
    const char *v;
    if ((v = http_query_opt(req, "limit")) && str_to_long(v, 1, 500, &limit)) {
        http_reply_error(req, OT_EINVAL, "out_of_range", "limit", "limit must be 1..500");
        return;
    }
    void *arg[2] = {json_array(), (void *)&req->app->svc};
    ot_err_t err;
    if (approval_list(&req->app->svc, &u, (int)limit, add_approval, arg, &err)) {
        json_decref(arg[0]);
        http_reply_err(req, &err);
        return;
    }
    http_reply_json(req, 200, json_pack("{s:o}", "items", (json_t *)arg[0]));
}

static json_t *settings_json(const svc_t *svc, const char *body, const body_settings_t *s)
{
    return json_pack("{s:s, s:b, s:o, s:o}", "body", body, "answer_approval", s->answer_approval,
                     "updated_at", instant_json(svc, s->updated_at), "updated_by",
                     s->updated_by ? json_integer(s->updated_by) : json_null());
}

void h_body_settings_get(http_req_t *req)
{
    auth_user_t u;
    if (http_auth(req, &u))
        return;
    body_settings_t s;
    ot_err_t err;
    if (body_settings_read(&req->app->svc, &u, req->params[0], &s, &err)) {
        http_reply_err(req, &err);
        return;
    }
    http_reply_json(req, 200, settings_json(&req->app->svc, req->params[0], &s));
}

void h_body_settings_set(http_req_t *req)
{
    auth_user_t u;
    if (http_auth(req, &u))
        return;
    json_t *b = http_body_json(req);
    if (!b)
        return;
    static const char *const keys[] = {"answer_approval", NULL};
    ot_err_t err;
    body_settings_t s;
    json_t *v = json_object_get(b, "answer_approval");
    if (in_only(b, keys, NULL, &err) ||
        (!v &&
         ot_err(&err, OT_EINVAL, "required", "answer_approval", "answer_approval is required")) ||
        (!json_is_boolean(v) && ot_err(&err, OT_EINVAL, "wrong_type", "answer_approval",
                                       "answer_approval is true or false")) ||
        body_settings_write(&req->app->svc, &u, req->params[0], json_is_true(v), clock_now_us(), &s,
                            &err)) {
        http_reply_err(req, &err);
        json_decref(b);
        return;
    }
    json_decref(b);
    http_reply_json(req, 200, settings_json(&req->app->svc, req->params[0], &s));
}
