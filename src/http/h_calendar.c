/* GET /api/v1/calendar/{year} and GET /api/v1/deadline: the calendar and deadline engine
 * over HTTP, the same JSON as `otinish calendar --json` and `otinish deadline --json`. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cli/opts.h"
#include "http/handlers.h"
#include "service/calendar.h"
#include "service/juris.h"
#include "store/store_ref.h"

static juris_t *juris_or_reply(http_req_t *req, const char *code)
{
    juris_t *j = svc_juris(&req->app->svc, code);
    if (!j)
        http_reply_error(req, 422, "unknown_jurisdiction", "jurisdiction",
                         "no such jurisdiction (try kz or ru)");
    return j;
}

void h_calendar(http_req_t *req)
{
    const char *y = req->params[0];
    long year;
    if (opt_int(y, 1, 9999, &year)) {
        http_reply_error(req, 422, "bad_year", "year", "year must be a number like 2026");
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

static int body_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    body_info_t *b = arg;
    return store_body_get(tx, b->id, b, err);
}

void h_deadline(http_req_t *req)
{
    const char *kind = http_query(req, "kind"), *received = http_query(req, "received");
    const char *body = http_query(req, "body"), *code = http_query(req, "jurisdiction");
    int workday_end = -1;
    ot_err_t err;
    body_info_t b; /* outlives the block below: code may point into it */
    if (!kind || !*kind) {
        http_reply_error(req, 422, "required", "kind", "kind is required");
        return;
    }
    if (!received || !*received) {
        http_reply_error(req, 422, "required", "received", "received is required");
        return;
    }
    if (body && *body) {
        memset(&b, 0, sizeof b);
        if (strlen(body) >= sizeof b.id) {
            http_reply_error(req, 422, "unknown_body", "body", "no such body");
            return;
        }
        strcpy(b.id, body);
        if (store_read(req->app->svc.store, body_tx, &b, &err)) {
            if (err.status == OT_ENOTFOUND)
                err.status = OT_EINVAL;
            http_reply_err(req, &err);
            return;
        }
        workday_end = b.workday_end_min;
        if (!code || !*code)
            code = b.jurisdiction;
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
