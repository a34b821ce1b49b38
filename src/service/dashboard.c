/* The governor's dashboard in one answer (service/dashboard.h). */
#include "service/dashboard.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/date.h"
#include "service/report.h"
#include "store/store_report.h"
#include "util/str.h"

#define MAX_MONTHS 36 /* Jan of the year before .. the end of a period of up to one more year */

typedef struct dctx {
    const svc_t *svc;
    const sc_row_t *rows;
    size_t n;
    size_t top;      /* the row the ranked group hangs under */
    size_t *members; /* the group: the top row's children */
    size_t nmem;
    ot_day_t today;
    /* months */
    int first_month, nm; /* month index y*12+m-1 of months[0] */
    char from_m[8], to_m[8];
    int64_t m_recv[MAX_MONTHS], m_ans[MAX_MONTHS], m_on[MAX_MONTHS];
    /* receptions held by group member and month of the year of `to` */
    char rec_from[11], rec_to[11];
    int rec_first, rec_nm;
    int64_t *held; /* nmem * 12 */
    /* open appeals: overdue, then by working days to due */
    int64_t due[5];
    /* head flags */
    int64_t f_from, f_to, p_from, p_to;
    int64_t flags_now, flags_prev;
    /* last row looked up (rows come grouped by body) */
    char last_body[64];
    long last_row;
} dctx_t;

static long row_of(dctx_t *c, const char *body)
{
    if (c->last_body[0] && !strcmp(c->last_body, body))
        return c->last_row;
    long r = -1;
    for (size_t i = 0; i < c->n && r < 0; i++)
        if (!strcmp(c->rows[i].body, body))
            r = (long)i;
    str_copy(c->last_body, sizeof c->last_body, body);
    c->last_row = r;
    return r;
}

static int starts_with(const char *s, const char *prefix)
{
    return !strncmp(s, prefix, strlen(prefix));
}

/* The group member a body counts for (its path under the member's), or -1. */
static long member_of(const dctx_t *c, long row)
{
    for (size_t k = 0; k < c->nmem; k++)
        if (starts_with(c->rows[row].path, c->rows[c->members[k]].path))
            return (long)k;
    return -1;
}

static int month_idx(const char *s)
{
    int y, m;
    if (!s || sscanf(s, "%4d-%2d", &y, &m) != 2)
        return -1;
    return y * 12 + m - 1;
}

static void month_fmt(int idx, char out[8])
{
    unsigned u = idx < 0 ? 0 : (unsigned)idx;
    snprintf(out, 8, "%04u-%02u", (u / 12) % 10000, u % 12 + 1);
}

static int on_month(const char *const *k, const int64_t *v, void *arg)
{
    dctx_t *c = arg;
    if (row_of(c, k[0]) < 0)
        return 0;
    int i = month_idx(k[1]) - c->first_month;
    if (i < 0 || i >= c->nm)
        return 0;
    c->m_recv[i] += v[0];
    c->m_ans[i] += v[1];
    c->m_on[i] += v[2];
    return 0;
}

static int on_held(const char *const *k, const int64_t *v, void *arg)
{
    dctx_t *c = arg;
    long r = row_of(c, k[0]);
    long m = r < 0 ? -1 : member_of(c, r);
    int i = month_idx(k[1]) - c->rec_first;
    if (m >= 0 && i >= 0 && i < c->rec_nm)
        c->held[m * 12 + i] += v[0];
    return 0;
}

/* a body's open appeals: all overdue, until on_due takes out those due from today on */
static int on_open(const char *const *k, const int64_t *v, void *arg)
{
    dctx_t *c = arg;
    if (row_of(c, k[0]) >= 0)
        c->due[0] += v[0];
    return 0;
}

static int on_due(const char *const *k, const int64_t *v, void *arg)
{
    dctx_t *c = arg;
    if (row_of(c, k[0]) < 0)
        return 0;
    ot_day_t due;
    if (date_parse(k[1], &due))
        return 0;
    if (due < c->today)
        return 0;                  /* not read: stat_open from today on */
    int n = (int)(due - c->today); /* calendar days when the calendar does not reach */
    const juris_t *j = svc_juris(c->svc, NULL);
    if (j)
        cal_count_working_days(j->cal, c->today, due, &n, NULL);
    int b = n <= 3 ? 1 : n <= 7 ? 2 : n <= 14 ? 3 : 4;
    c->due[b] += v[0];
    c->due[0] -= v[0];
    return 0;
}

struct flag_arg {
    dctx_t *c;
    int64_t *sum;
};

static int on_flag(const char *const *k, const int64_t *v, void *arg)
{
    struct flag_arg *f = arg;
    if (row_of(f->c, k[0]) >= 0)
        *f->sum += v[0];
    return 0;
}

static int dash_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    dctx_t *c = arg;
    struct flag_arg now = {c, &c->flags_now}, prev = {c, &c->flags_prev};
    int rc = store_report_month_body(tx, c->from_m, c->to_m, on_month, c, err);
    if (!rc)
        rc = store_report_month_held(tx, c->rec_from, c->rec_to, on_held, c, err);
    char today[11];
    date_format(c->today, today);
    if (!rc)
        rc = store_report_open_bodies(tx, on_open, c, err);
    if (!rc)
        rc = store_report_open_due(tx, today, on_due, c, err);
    if (!rc)
        rc = store_report_flags(tx, c->f_from, c->f_to, on_flag, &now, err);
    if (!rc)
        rc = store_report_flags(tx, c->p_from, c->p_to, on_flag, &prev, err);
    return rc;
}

static json_t *num_or_null(int has, double v)
{
    return has ? json_real((double)(int64_t)(v * 10 + (v >= 0 ? 0.5 : -0.5)) / 10) : json_null();
}

static json_t *pair_int(int64_t now, int64_t prev)
{
    return json_pack("{s:I, s:I}", "now", (json_int_t)now, "prev", (json_int_t)prev);
}

static json_t *pair_num(int has_now, double now, int has_prev, double prev)
{
    return json_pack("{s:o, s:o}", "now", num_or_null(has_now, now), "prev",
                     num_or_null(has_prev, prev));
}

/* The totals of the roots of the rows (the rows whose parent is not among them). */
static void roots_total(const sc_row_t *rows, size_t n, sc_counts_t *out)
{
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < n; i++) {
        int has_parent = 0;
        for (size_t k = 0; k < n && !has_parent; k++)
            has_parent = rows[i].parent[0] && !strcmp(rows[k].body, rows[i].parent);
        if (!has_parent)
            sc_counts_add(out, &rows[i].total);
    }
}

/* The top of the ranked group: the root of the rows with the most children. */
static size_t pick_top(const sc_row_t *rows, size_t n)
{
    size_t best = 0;
    int best_kids = -1;
    for (size_t i = 0; i < n; i++) {
        int has_parent = 0, kids = 0;
        for (size_t k = 0; k < n; k++) {
            has_parent |= rows[i].parent[0] && !strcmp(rows[k].body, rows[i].parent);
            kids += !strcmp(rows[k].parent, rows[i].body);
        }
        if (!has_parent && kids > best_kids) {
            best = i;
            best_kids = kids;
        }
    }
    return best;
}

/* The dashboard's alerts stay a page's worth whatever the number of appeals: every drop (a
 * body's receptions or answers; bodies x months), and of the surges and the problems that
 * came back (issue 17: up to 500 rows from /alerts, 150 KB on the 35,000 demo) the
 * DASH_ALERTS_PER_KIND latest and largest; alerts_total counts them all. */
#define DASH_ALERTS_PER_KIND 25

static double abs_change(json_t *a)
{
    double v = json_number_value(json_object_get(a, "change_pct"));
    return v < 0 ? -v : v;
}

/* month desc, then the largest change, then the most appeals */
static int alert_cmp(const void *pa, const void *pb)
{
    json_t *a = *(json_t *const *)pa, *b = *(json_t *const *)pb;
    const char *ma = json_string_value(json_object_get(a, "month")),
               *mb = json_string_value(json_object_get(b, "month"));
    int c = strcmp(mb ? mb : "", ma ? ma : "");
    if (c)
        return c;
    double x = abs_change(a), y = abs_change(b);
    if (x != y)
        return x < y ? 1 : -1;
    x = json_number_value(json_object_get(a, "current"));
    y = json_number_value(json_object_get(b, "current"));
    return x < y ? 1 : x > y ? -1 : 0;
}

static json_t *alerts_trim(json_t *all)
{
    size_t n = json_array_size(all);
    json_t **v = calloc(n ? n : 1, sizeof *v);
    json_t *out = json_array();
    if (!v || !out) {
        free(v);
        json_decref(out);
        return NULL;
    }
    for (size_t i = 0; i < n; i++)
        v[i] = json_array_get(all, i);
    qsort(v, n, sizeof *v, alert_cmp);
    size_t surges = 0, recurring = 0;
    for (size_t i = 0; i < n; i++) {
        const char *kind = json_string_value(json_object_get(v[i], "kind"));
        size_t *cap = !kind                        ? NULL
                      : !strcmp(kind, "surge")     ? &surges
                      : !strcmp(kind, "recurring") ? &recurring
                                                   : NULL;
        if (cap && (*cap)++ >= DASH_ALERTS_PER_KIND)
            continue;
        json_array_append(out, v[i]);
    }
    free(v);
    return out;
}

static json_t *alerts_json(const svc_t *svc, const auth_user_t *user, int64_t now, ot_err_t *err)
{
    ex_table_t t;
    if (report_alerts(svc, user, NULL, 3, NULL, now, &t, err))
        return NULL;
    json_t *a = json_array();
    for (size_t r = 0; r < t.nrows; r++) {
        json_t *o = json_object();
        for (size_t k = 0; k < t.ncols; k++) {
            const char *s = ex_cell(&t, r, k);
            json_t *v = !s || !*s                   ? json_null()
                        : t.cols[k].type != EX_TEXT ? json_real(strtod(s, NULL))
                                                    : json_string(s);
            json_object_set_new(o, t.cols[k].name, v);
        }
        json_array_append_new(a, o);
    }
    ex_table_free(&t);
    return a;
}

int report_dashboard(const svc_t *svc, const auth_user_t *user, const char *from, const char *to,
                     int64_t now, json_t **out, ot_err_t *err)
{
    *out = NULL;
    report_query_t q;
    report_query_init(&q, svc);
    q.from = from;
    q.to = to;
    sc_row_t *rows = NULL, *prows = NULL;
    size_t n = 0, pn = 0;
    char f[11], t[11], pf[11], pt[11];
    int rc = report_scorecard_rows(svc, user, &q, now, &rows, &n, f, t, err);
    if (rc)
        return rc;
    ot_day_t df, dt;
    date_parse(f, &df);
    date_parse(t, &dt);
    date_format(df - 1, pt);
    date_format(df - 1 - (dt - df), pf);
    report_query_t pq = q;
    pq.from = pf;
    pq.to = pt;
    char x1[11], x2[11];
    rc = report_scorecard_rows(svc, user, &pq, now, &prows, &pn, x1, x2, err);
    if (rc) {
        free(rows);
        return rc;
    }
    dctx_t c;
    memset(&c, 0, sizeof c);
    c.svc = svc;
    c.rows = rows;
    c.n = n;
    c.today = svc_today(svc, NULL, now);
    c.top = pick_top(rows, n);
    c.members = calloc(n ? n : 1, sizeof *c.members);
    c.held = calloc((n ? n : 1) * 12, sizeof *c.held);
    if (!c.members || !c.held) {
        rc = ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
        goto done;
    }
    for (size_t i = 0; n && i < n; i++)
        if (!strcmp(rows[i].parent, rows[c.top].body))
            c.members[c.nmem++] = i;
    /* months: Jan of the year before `to` .. to's month */
    int ty, tm;
    date_to_ymd(dt, &ty, &tm, NULL);
    c.first_month = (ty - 1) * 12;
    c.nm = ty * 12 + tm - 1 - c.first_month + 1;
    month_fmt(c.first_month, c.from_m);
    month_fmt(c.first_month + c.nm - 1, c.to_m);
    c.rec_first = ty * 12;
    c.rec_nm = tm;
    snprintf(c.rec_from, sizeof c.rec_from, "%04d-01-01", ty);
    str_copy(c.rec_to, sizeof c.rec_to, t);
    /* flags: by instant, the days in the jurisdiction's zone */
    int64_t day_us = 86400LL * 1000000, off = (int64_t)svc_utc_offset(svc, NULL) * 60 * 1000000;
    c.f_from = df * day_us - off;
    c.f_to = (dt + 1) * day_us - off;
    c.p_from = (df - 1 - (dt - df)) * day_us - off;
    c.p_to = df * day_us - off;
    if ((rc = store_read_replica(svc->store, dash_tx, &c, err)))
        goto done;
    json_t *all_alerts = alerts_json(svc, user, now, err);
    if (!all_alerts) {
        rc = err ? err->status : OT_EINTERNAL;
        goto done;
    }
    size_t alerts_total = json_array_size(all_alerts);
    json_t *alerts = alerts_trim(all_alerts);
    json_decref(all_alerts);
    if (!alerts) {
        rc = ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
        goto done;
    }
    sc_counts_t cur, prev;
    sc_figures_t fc, fp;
    roots_total(rows, n, &cur);
    roots_total(prows, pn, &prev);
    sc_compute(&cur, &q.weights, &fc);
    sc_compute(&prev, &q.weights, &fp);
    char today[11];
    date_format(c.today, today);
    json_t *head = json_object();
    json_object_set_new(head, "received", pair_int(cur.received, prev.received));
    json_object_set_new(head, "answered", pair_int(cur.answered, prev.answered));
    json_object_set_new(head, "on_time_pct",
                        pair_num(fc.has_on_time, fc.on_time_pct, fp.has_on_time, fp.on_time_pct));
    /* problems actually solved (issue 17's definition, the scorecards' resolution): of the
     * appeals with a problem decided on the merits, those whose decision solved it, whose
     * applicant did not say "no" and whose problem did not come back within the re-raise
     * window; read from stat_prob_day, not from the decisions' labels */
    json_object_set_new(head, "solved_pct",
                        pair_num(fc.has_problems, fc.solved_pct, fp.has_problems, fp.solved_pct));
    json_object_set_new(head, "problems_decided", pair_int(cur.prob_decided, prev.prob_decided));
    json_object_set_new(head, "problems_solved", pair_int(cur.prob_solved, prev.prob_solved));
    json_object_set_new(head, "verdict_n", pair_int(fc.verdict_n, fp.verdict_n));
    json_object_set_new(
        head, "verdict_no_pct",
        pair_num(fc.has_verdicts, fc.verdict_no_pct, fp.has_verdicts, fp.verdict_no_pct));
    json_object_set_new(head, "rating_mean",
                        pair_num(fc.has_rating, fc.rating_mean, fp.has_rating, fp.rating_mean));
    json_object_set_new(head, "rating_n", pair_int(fc.rating_n, fp.rating_n));
    json_object_set_new(head, "violations", pair_int(cur.violations, prev.violations));
    json_object_set_new(head, "heads_flagged", pair_int(c.flags_now, c.flags_prev));
    json_object_set_new(head, "overdue_now", json_integer(c.due[0]));
    json_t *bodies = json_array();
    for (size_t k = 0; k < c.nmem; k++) {
        const sc_row_t *r = &rows[c.members[k]];
        json_array_append_new(
            bodies,
            json_pack(
                "{s:s, s:s, s:o, s:o, s:I, s:I, s:o, s:I, s:o, s:o, s:I, s:I}", "body", r->body,
                "parent", r->parent, "rank", r->rank ? json_integer(r->rank) : json_null(), "index",
                num_or_null(r->fig.has_index, r->fig.index), "received",
                (json_int_t)r->total.received, "answered", (json_int_t)r->total.answered,
                "on_time_pct", num_or_null(r->fig.has_on_time, r->fig.on_time_pct), "overdue_open",
                (json_int_t)r->total.overdue_open, "solved_pct",
                num_or_null(r->fig.has_problems, r->fig.solved_pct), "rating_mean",
                num_or_null(r->fig.has_rating, r->fig.rating_mean), "violations",
                (json_int_t)r->total.violations, "receptions_held", (json_int_t)r->total.rec_held));
    }
    json_t *months = json_array();
    for (int i = 0; i < c.nm; i++) {
        char m[8];
        month_fmt(c.first_month + i, m);
        json_array_append_new(months,
                              json_pack("{s:s, s:I, s:I, s:I}", "month", m, "received",
                                        (json_int_t)c.m_recv[i], "answered", (json_int_t)c.m_ans[i],
                                        "on_time", (json_int_t)c.m_on[i]));
    }
    json_t *rmonths = json_array(), *series = json_array();
    for (int i = 0; i < c.rec_nm; i++) {
        char m[8];
        month_fmt(c.rec_first + i, m);
        json_array_append_new(rmonths, json_string(m));
    }
    for (size_t k = 0; k < c.nmem; k++) {
        json_t *h = json_array();
        int64_t sum = 0;
        for (int i = 0; i < c.rec_nm; i++) {
            sum += c.held[k * 12 + (size_t)i];
            json_array_append_new(h, json_integer(c.held[k * 12 + (size_t)i]));
        }
        if (sum)
            json_array_append_new(
                series, json_pack("{s:s, s:o}", "body", rows[c.members[k]].body, "held", h));
        else
            json_decref(h);
    }
    *out =
        json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:{s:I, s:I, s:I, s:I, s:I},"
                  " s:{s:o, s:o}, s:o}",
                  "from", f, "to", t, "prev_from", pf, "prev_to", pt, "today", today, "root",
                  n ? rows[c.top].body : "", "headline", head, "bodies", bodies, "months", months,
                  "open_due", "overdue", (json_int_t)c.due[0], "d0_3", (json_int_t)c.due[1], "d4_7",
                  (json_int_t)c.due[2], "d8_14", (json_int_t)c.due[3], "d15", (json_int_t)c.due[4],
                  "receptions", "months", rmonths, "series", series, "alerts", alerts);
    if (*out)
        json_object_set_new(*out, "alerts_total", json_integer((json_int_t)alerts_total));
    if (!*out)
        rc = ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
done:
    free(c.members);
    free(c.held);
    free(rows);
    free(prows);
    return rc;
}
