/* GET /api/v1/calendar/{year} and GET /api/v1/deadline: the calendar and deadline engine
 * over HTTP, the same JSON as `otinish calendar --json` and `otinish deadline --json`. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "http/handlers.h"
#include "service/calendar.h"
#include "service/juris.h"
#include "util/str.h"

static juris_t *juris_or_reply(http_req_t *req, const char *code)
{
    juris_t *j = svc_juris(&req->app->svc, code);
    if (!j)
        http_reply_error(req, OT_EINVAL, "unknown_jurisdiction", "jurisdiction",
                         "no such jurisdiction (try kz or ru)");
    return j;
}

void h_calendar(http_req_t *req)
{
    const char *y = req->params[0];
    long year;
    if (str_to_long(y, 1, 9999, &year)) {
        http_reply_error(req, OT_EINVAL, "bad_year", "year", "year must be a number like 2026");
        return;
    }
    juris_t *j = juris_or_reply(req, http_query(req, "jurisdiction"));
    if (!j)
        return;
    /* a year of a loaded calendar never changes while the server runs */
    char key[32];
    snprintf(key, sizeof key, "calendar:%s:%ld", j->code, year);
    if (http_reply_from_cache(req, key))
        return;
    json_t *out;
    ot_err_t err;
    if (svc_calendar_year_json(j, (int)year, &out, &err)) {
        http_reply_err(req, &err);
        return;
    }
    http_reply_json_cached(req, 200, out, key, INT64_MAX);
}

void h_deadline(http_req_t *req)
{
    const char *kind = http_query(req, "kind"), *received = http_query(req, "received");
    const char *body = http_query(req, "body"), *code = http_query(req, "jurisdiction");
    int workday_end = -1;
    ot_err_t err;
    char body_code[8]; /* code may point here */
    if (!kind || !*kind) {
        http_reply_error(req, OT_EINVAL, "required", "kind", "kind is required");
        return;
    }
    if (!received || !*received) {
        http_reply_error(req, OT_EINVAL, "required", "received", "received is required");
        return;
    }
    if (body && *body && http_set_aside(req)) /* the body's hours are read from the store */
        return;
    if (svc_deadline_body(req->app->svc.store, body, &workday_end, &code, body_code, &err)) {
        http_reply_err(req, &err);
        return;
    }
    juris_t *j = juris_or_reply(req, code);
    if (!j)
        return;
    json_t *out;
    if (svc_deadline_json(j, kind, received, workday_end, &out, &err)) {
        http_reply_err(req, &err);
        return;
    }
    if (body && *body)
        json_object_set_new(out, "body", json_string(body));
    http_reply_json(req, 200, out);
}
