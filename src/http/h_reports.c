/* Reports over HTTP: scorecards, alerts, open data, and the export of the staff appeal
 * list. Each answers JSON by default and the same rows as CSV or XLSX with
 * ?format=csv|xlsx (csv: ?bom=1 for Excel). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/handlers.h"
#include "service/dashboard.h"
#include "service/report.h"
#include "util/log.h"

/* {"items":[{col: value, ...}]} with numbers as numbers and empty cells as null. */
static json_t *table_json(const ex_table_t *t)
{
    json_t *items = json_array();
    for (size_t r = 0; r < t->nrows; r++) {
        json_t *o = json_object();
        for (size_t c = 0; c < t->ncols; c++) {
            const char *s = ex_cell(t, r, c);
            json_t *v;
            if (!s || !*s)
                v = json_null();
            else if (t->cols[c].type == EX_INT)
                v = json_integer(strtoll(s, NULL, 10));
            else if (t->cols[c].type == EX_NUM)
                v = json_real(strtod(s, NULL));
            else
                v = json_string(s);
            json_object_set_new(o, t->cols[c].name, v);
        }
        json_array_append_new(items, o);
    }
    return json_pack("{s:o}", "items", items);
}

/* Replies with the table in the format asked for; frees the table. */
static void reply_table(http_req_t *req, ex_table_t *t, const char *name)
{
    const char *fmt = http_query_opt(req, "format");
    const char *bom = http_query_opt(req, "bom");
    char file[64];
    char *data = NULL;
    size_t len = 0;
    ot_err_t err;
    if (!fmt || !strcmp(fmt, "json")) {
        http_reply_json(req, 200, table_json(t));
    } else if (!strcmp(fmt, "csv")) {
        snprintf(file, sizeof file, "%s.csv", name);
        if (ex_csv(t, bom && !strcmp(bom, "1"), &data, &len, &err))
            http_reply_err(req, &err);
        else
            http_reply_bytes(req, 200, "text/csv; charset=utf-8", data, len, file);
    } else if (!strcmp(fmt, "xlsx")) {
        snprintf(file, sizeof file, "%s.xlsx", name);
        if (ex_xlsx(t, &data, &len, &err))
            http_reply_err(req, &err);
        else
            http_reply_bytes(req, 200,
                             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                             data, len, file);
    } else {
        http_reply_error(req, OT_EINVAL, "unknown_value", "format", "format is json, csv or xlsx");
    }
    ex_table_free(t);
}

void h_scorecards(http_req_t *req)
{
    auth_user_t u;
    if (http_auth(req, &u))
        return;
    report_query_t q;
    report_query_init(&q);
    q.from = http_query_opt(req, "from");
    q.to = http_query_opt(req, "to");
    q.body = http_query_opt(req, "body");
    ot_err_t err;
    ex_table_t t;
    const char *w = http_query_opt(req, "weights");
    if ((w && sc_weights_parse(w, &q.weights, &err)) ||
        report_scorecards(&req->app->svc, &u, &q, clock_now_us(), &t, &err)) {
        http_reply_err(req, &err);
        return;
    }
    reply_table(req, &t, "scorecards");
}

static int q_num(http_req_t *req, const char *name, double min, double max, double *out)
{
    const char *v = http_query_opt(req, name);
    if (!v)
        return 0;
    char *end;
    double d = strtod(v, &end);
    if (*end || !(d >= min && d <= max)) {
        char msg[96];
        snprintf(msg, sizeof msg, "%s must be a number %g..%g", name, min, max);
        http_reply_error(req, OT_EINVAL, "out_of_range", name, msg);
        return -1;
    }
    *out = d;
    return 0;
}

void h_alerts(http_req_t *req)
{
    auth_user_t u;
    if (http_auth(req, &u))
        return;
    sc_alert_cfg_t cfg = sc_default_alert_cfg;
    double months = 3, window = cfg.window, surge_min = (double)cfg.surge_min;
    if (q_num(req, "months", 1, 24, &months) || q_num(req, "window", 1, 24, &window) ||
        q_num(req, "drop", 0.01, 1, &cfg.drop) ||
        q_num(req, "min_baseline", 0, 1e9, &cfg.min_baseline) ||
        q_num(req, "surge", 0, 1000, &cfg.surge) || q_num(req, "surge_min", 0, 1e9, &surge_min))
        return;
    cfg.window = (int)window;
    cfg.surge_min = (int64_t)surge_min;
    ot_err_t err;
    ex_table_t t;
    if (report_alerts(&req->app->svc, &u, http_query_opt(req, "month"), (int)months, &cfg,
                      clock_now_us(), &t, &err)) {
        http_reply_err(req, &err);
        return;
    }
    reply_table(req, &t, "alerts");
}

void h_dashboard(http_req_t *req)
{
    auth_user_t u;
    if (http_auth(req, &u))
        return;
    json_t *out;
    ot_err_t err;
    if (report_dashboard(&req->app->svc, &u, http_query_opt(req, "from"), http_query_opt(req, "to"),
                         clock_now_us(), &out, &err)) {
        http_reply_err(req, &err);
        return;
    }
    http_reply_json(req, 200, out);
}

void h_public_stats(http_req_t *req)
{
    if (http_public_limit(req))
        return;
    ot_err_t err;
    ex_table_t t;
    if (report_public_stats(&req->app->svc, http_query_opt(req, "from"), http_query_opt(req, "to"),
                            clock_now_us(), &t, &err)) {
        http_reply_err(req, &err);
        return;
    }
    reply_table(req, &t, "open-data");
}

static long stream_read(void *arg, char *buf, size_t n)
{
    return report_stream_read(arg, buf, n);
}

static void stream_free(void *arg)
{
    report_stream_free(arg);
}

void h_appeal_export(http_req_t *req, const auth_user_t *u, struct appeal_filter *f)
{
    ot_err_t err;
    const char *fmt = http_query_opt(req, "format"), *bom = http_query_opt(req, "bom");
    if (fmt && !strcmp(fmt, "csv")) { /* streamed: rows leave as they are read */
        report_stream_t *s;
        if (report_appeal_stream(&req->app->svc, u, f, bom && !strcmp(bom, "1"), &s, &err))
            http_reply_err(req, &err);
        else
            http_reply_stream(req, 200, "text/csv; charset=utf-8", "appeals.csv", stream_read,
                              stream_free, s);
        return;
    }
    ex_table_t t;
    f->limit = 500; /* the page size of the walk, not a limit on the export */
    if (report_appeal_list(&req->app->svc, u, f, &t, &err)) {
        http_reply_err(req, &err);
        return;
    }
    reply_table(req, &t, "appeals");
}
