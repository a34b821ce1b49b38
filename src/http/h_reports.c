/* Reports over HTTP: scorecards, alerts, open data, and the export of the staff appeal
 * list. Each answers JSON by default and the same rows as CSV or XLSX with
 * ?format=csv|xlsx (csv: ?bom=1 for Excel). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/handlers.h"
#include "http/i18n.h"
#include "service/dashboard.h"
#include "service/report.h"
#include "util/log.h"

#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

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

/* The file name of an export: the report's name in the language asked for (the UI's
 * "export.<name>", else name) and its period, "<name>_<from>_<to>.<ext>". */
static void file_name(http_req_t *req, const char *name, const char *lang, const char *from,
                      const char *to, const char *ext, char *out, size_t n)
{
    char key[64];
    snprintf(key, sizeof key, "export.%s", name);
    const char *title = http_i18n(req->app, lang, key);
    if (!from)
        from = http_query_opt(req, "from");
    if (!to)
        to = http_query_opt(req, "to");
    if (from && to && strlen(from) <= 10 && strlen(to) <= 10)
        snprintf(out, n, "%s_%s_%s.%s", title ? title : name, from, to, ext);
    else if (from && strlen(from) <= 10)
        snprintf(out, n, "%s_%s.%s", title ? title : name, from, ext);
    else
        snprintf(out, n, "%s.%s", title ? title : name, ext);
    /* a file name has no path separators or quotes, whatever a translation holds */
    for (char *p = out; *p; p++)
        if (*p == '/' || *p == '\\' || *p == '"' || (unsigned char)*p < 0x20)
            *p = '_';
}

/* The first cell of a column of the table ("from", "to" of the scorecards), or NULL. */
static const char *first_cell(const ex_table_t *t, const char *col)
{
    for (size_t c = 0; c < t->ncols; c++)
        if (!strcmp(t->cols[c].name, col))
            return t->nrows ? ex_cell(t, 0, c) : NULL;
    return NULL;
}

/* Replies with the table in the format asked for; frees the table. CSV and XLSX for people
 * take ?lang=kk|ru|en: headers and codes in that language, and the file named after the
 * report and its period in it. */
static void reply_table(http_req_t *req, ex_table_t *t, const char *name)
{
    const char *fmt = http_query_opt(req, "format");
    const char *bom = http_query_opt(req, "bom");
    const char *lang;
    char file[256];
    char *data = NULL;
    size_t len = 0;
    ot_err_t err;
    http_xlang_t xl;
    if (http_lang(req, &lang)) {
        ex_table_free(t);
        return;
    }
    /* the same cells in the language asked for (the view shares t's cells) */
    ex_table_t view = *t;
    if (lang) {
        http_xlang_init(&xl, req->app, lang);
        view.lang = &xl.lang;
    }
    const char *from = first_cell(t, "from"), *to = first_cell(t, "to");
    if (!fmt || !strcmp(fmt, "json")) {
        http_reply_json(req, 200, table_json(t));
    } else if (!strcmp(fmt, "csv")) {
        file_name(req, name, lang, from, to, "csv", file, sizeof file);
        if (ex_csv(&view, bom ? !strcmp(bom, "1") : lang != NULL, &data, &len, &err))
            http_reply_err(req, &err);
        else
            http_reply_bytes(req, 200, "text/csv; charset=utf-8", data, len, file);
    } else if (!strcmp(fmt, "xlsx")) {
        file_name(req, name, lang, from, to, "xlsx", file, sizeof file);
        if (ex_xlsx(&view, &data, &len, &err))
            http_reply_err(req, &err);
        else
            http_reply_bytes(req, 200, XLSX_TYPE, data, len, file);
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
    report_query_init(&q, &req->app->svc);
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

/* The language of a CSV export lives until its rows are read to their end. */
typedef struct lang_stream {
    report_stream_t *s;
    http_xlang_t xl;
} lang_stream_t;

static long lang_stream_read(void *arg, char *buf, size_t n)
{
    return report_stream_read(((lang_stream_t *)arg)->s, buf, n);
}

static void lang_stream_free(void *arg)
{
    lang_stream_t *l = arg;
    report_stream_free(l->s);
    free(l);
}

void h_appeal_export(http_req_t *req, const auth_user_t *u, struct appeal_filter *f)
{
    ot_err_t err;
    const char *fmt = http_query_opt(req, "format"), *bom = http_query_opt(req, "bom");
    const char *lang;
    if (http_lang(req, &lang))
        return;
    int xlsx = !strcmp(fmt, "xlsx");
    if (!xlsx && strcmp(fmt, "csv")) {
        http_reply_error(req, OT_EINVAL, "unknown_value", "format", "format is json, csv or xlsx");
        return;
    }
    /* read row by row into a temporary file, then sent */
    lang_stream_t *l = calloc(1, sizeof *l);
    if (!l) {
        http_reply_error(req, OT_EINTERNAL, "oom", NULL, "out of memory");
        return;
    }
    if (lang)
        http_xlang_init(&l->xl, req->app, lang);
    char file[256];
    file_name(req, "appeals", lang, NULL, NULL, xlsx ? "xlsx" : "csv", file, sizeof file);
    if (report_appeal_stream(&req->app->svc, u, f, xlsx, bom ? !strcmp(bom, "1") : lang != NULL,
                             lang ? &l->xl.lang : NULL, &l->s, &err)) {
        free(l);
        http_reply_err(req, &err);
    } else
        http_reply_spooled(req, 200, xlsx ? XLSX_TYPE : "text/csv; charset=utf-8", file,
                           lang_stream_read, lang_stream_free, l);
}
