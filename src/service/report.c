/* Scorecards, alerts and open data over the aggregate tables (docs/scorecards.md). */
#include "service/report.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "domain/date.h"
#include "domain/perm.h"
#include "store/store.h"
#include "store/store_appeal.h"
#include "store/store_event.h"
#include "store/store_problem.h"
#include "store/store_ref.h"
#include "store/store_report.h"
#include "util/log.h"
#include "util/str.h"

void report_query_init(report_query_t *q, const svc_t *svc)
{
    memset(q, 0, sizeof *q);
    q->weights = svc->weights;
}

/* Who may read reports: supervisors and auditors everything, heads their own subtree
 * (the violation.read scope of the permission matrix). *scope_path is the path the user is
 * limited to ("" = none). */
int report_reader_scope(const auth_user_t *u, const char **scope_path, ot_err_t *err)
{
    *scope_path = "";
    if (!u)
        return OT_OK;
    scope_t s = perm_scope(u->role, ACT_VIOLATION_READ);
    if (s == SCOPE_ALL)
        return OT_OK;
    if (s == SCOPE_BODY) {
        *scope_path = u->body_path;
        return OT_OK;
    }
    return ot_err(err, OT_EFORBIDDEN, "forbidden", NULL, "a %s does not read reports",
                  role_name(u->role));
}

static int starts_with(const char *s, const char *prefix)
{
    return !strncmp(s, prefix, strlen(prefix));
}

/* ==== The body tree ==== */

typedef struct body {
    char id[64], parent[64], path[256], name[256], type[24];
    sc_counts_t own, total;
    sc_figures_t fig;
    int rank;
} body_t;

typedef struct tree {
    body_t *b;
    size_t n, cap;
    size_t *by_id; /* indexes into b sorted by id */
} tree_t;

static int add_body(const char *const *k, const int64_t *v, void *arg)
{
    (void)v;
    tree_t *t = arg;
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 128;
        body_t *b = realloc(t->b, cap * sizeof *b);
        if (!b)
            return 1;
        t->b = b;
        t->cap = cap;
    }
    body_t *b = &t->b[t->n++];
    memset(b, 0, sizeof *b);
    str_copy(b->id, sizeof b->id, k[0]);
    str_copy(b->parent, sizeof b->parent, k[1]);
    str_copy(b->path, sizeof b->path, k[2]);
    str_copy(b->name, sizeof b->name, k[3]);
    str_copy(b->type, sizeof b->type, k[4]);
    b->rank = 0;
    return 0;
}

static int tree_load(store_tx_t *tx, tree_t *t, ot_err_t *err)
{
    int rc = store_report_bodies(tx, add_body, t, err);
    if (rc)
        return rc;
    t->by_id = malloc((t->n ? t->n : 1) * sizeof *t->by_id);
    if (!t->by_id)
        return ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
    for (size_t i = 0; i < t->n; i++)
        t->by_id[i] = i;
    /* ids are few (a hundred): an insertion sort, without qsort's global comparator state */
    for (size_t i = 1; i < t->n; i++) {
        size_t x = t->by_id[i], j = i;
        while (j > 0 && strcmp(t->b[t->by_id[j - 1]].id, t->b[x].id) > 0) {
            t->by_id[j] = t->by_id[j - 1];
            j--;
        }
        t->by_id[j] = x;
    }
    return OT_OK;
}

static void tree_free(tree_t *t)
{
    free(t->b);
    free(t->by_id);
    memset(t, 0, sizeof *t);
}

static body_t *find(const tree_t *t, const char *id)
{
    size_t lo = 0, hi = t->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(t->b[t->by_id[mid]].id, id);
        if (!c)
            return &t->b[t->by_id[mid]];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* ==== Working-day numbers (cal_wd) ==== */

struct cal_ctx {
    const svc_t *svc;
    int stale; /* a jurisdiction whose stored numbers are not of its current calendar */
};

static void meta_key(const juris_t *j, char out[64])
{
    snprintf(out, 64, "stat_calendar:%s", j->code);
}

static int cal_check_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct cal_ctx *c = arg;
    (void)err;
    for (int i = 0; i < c->svc->n_juris && !c->stale; i++) {
        const juris_t *j = c->svc->juris[i];
        char key[64], fp[32] = "";
        meta_key(j, key);
        c->stale = store_meta_get(tx, key, fp, sizeof fp, NULL) || strcmp(fp, j->fingerprint_hex);
    }
    return OT_OK;
}

static int cal_sync_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct cal_ctx *c = arg;
    int rc = OT_OK;
    c->stale = 0;
    if ((rc = cal_check_tx(tx, c, err)) || !c->stale)
        return rc; /* another writer got here first */
    for (int i = 0; i < c->svc->n_juris && !rc; i++) {
        const juris_t *j = c->svc->juris[i];
        ot_day_t first, last;
        date_from_ymd(cal_first_year(j->cal), 1, 1, &first);
        date_from_ymd(cal_last_projected_year(j->cal), 12, 31, &last);
        int n = last - first + 1;
        char(*days)[11] = malloc((size_t)n * sizeof *days);
        int *wd = malloc((size_t)n * sizeof *wd);
        if (!days || !wd)
            rc = ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
        for (int k = 0; !rc && k < n; k++) {
            date_format(first + k, days[k]);
            rc = cal_count_working_days(j->cal, first, first + k, &wd[k], err);
        }
        char key[64];
        meta_key(j, key);
        if (!rc)
            rc = store_report_cal_put(tx, j->code, (const char(*)[11])days, wd, n, err);
        if (!rc)
            rc = store_meta_put(tx, key, j->fingerprint_hex, err);
        free(days);
        free(wd);
    }
    return rc ? rc : store_report_rebuild_wd(tx, err);
}

int report_calendar_sync(const svc_t *svc, int64_t now, ot_err_t *err)
{
    (void)now;
    struct cal_ctx c = {svc, 0};
    int rc = store_read(svc->store, cal_check_tx, &c, err);
    if (!rc && c.stale)
        rc = store_write(svc->store, cal_sync_tx, &c, err);
    return rc;
}

/* ==== Scorecards ==== */

struct sc_ctx {
    const svc_t *svc;
    const report_query_t *q;
    const char *scope_path;
    int64_t now;
    char from[11], to[11];
    tree_t t;
    body_t *last_body; /* working-day rows come grouped by body */
};

static int on_stat_day(const char *const *k, const int64_t *v, void *arg)
{
    struct sc_ctx *c = arg;
    body_t *b = find(&c->t, k[0]);
    if (!b)
        return 0;
    sc_counts_t *o = &b->own;
    o->received += v[0];
    o->answered += v[1];
    o->on_time += v[2];
    o->resolved += v[3];
    o->explained += v[4];
    o->refused += v[5];
    o->complaints += v[6];
    o->upheld += v[7];
    o->repeats += v[8];
    for (int i = 0; i < 5; i++)
        o->rating[i] += v[9 + i];
    o->overdue_open += v[14]; /* still open; less those not due yet (on_not_due) */
    return 0;
}

static int on_prev(const char *const *k, const int64_t *v, void *arg)
{
    struct sc_ctx *c = arg;
    body_t *b = find(&c->t, k[0]);
    if (b)
        b->own.received_prev += v[0];
    return 0;
}

static int on_wd(const char *const *k, const int64_t *v, void *arg)
{
    struct sc_ctx *c = arg;
    body_t *b = c->last_body && !strcmp(c->last_body->id, k[0]) ? c->last_body : find(&c->t, k[0]);
    if (!b)
        return 0;
    c->last_body = b;
    sc_counts_add_days(&b->own, v[0] > SC_DAYS_MAX ? SC_DAYS_MAX : (int)v[0], v[1]);
    return 0;
}

typedef int (*range_fn)(store_tx_t *tx, const char *from, const char *to, store_row_fn fn,
                        void *arg, ot_err_t *err);

/* Reads the days from..to of an aggregate kept per day (by_day, "YYYY-MM-DD" bounds) and
 * per month (by_month, "YYYY-MM" bounds): the whole months inside the period from the
 * monthly table, the partial months at its edges day by day. */
static int read_split(store_tx_t *tx, ot_day_t from, ot_day_t to, range_fn by_month,
                      range_fn by_day, store_row_fn fn, void *arg, ot_err_t *err)
{
    int y, m, d;
    ot_day_t first, last, next; /* the whole months inside from..to: first day .. last day */
    date_to_ymd(from, &y, &m, &d);
    if (d == 1)
        first = from;
    else
        date_add_months(from - d + 1, 1, &first);
    date_to_ymd(to, &y, &m, &d);
    date_add_months(to - d + 1, 1, &next);
    last = next - 1 == to ? to : to - d;
    char a[11], b[11];
    int rc;
    if (first > last) {
        date_format(from, a);
        date_format(to, b);
        return by_day(tx, a, b, fn, arg, err);
    }
    date_format(first, a);
    date_format(last, b);
    a[7] = b[7] = '\0';
    if ((rc = by_month(tx, a, b, fn, arg, err)))
        return rc;
    if (from < first) {
        date_format(from, a);
        date_format(first - 1, b);
        if ((rc = by_day(tx, a, b, fn, arg, err)))
            return rc;
    }
    if (last < to) {
        date_format(last + 1, a);
        date_format(to, b);
        if ((rc = by_day(tx, a, b, fn, arg, err)))
            return rc;
    }
    return OT_OK;
}

static int on_not_due(const char *const *k, const int64_t *v, void *arg)
{
    body_t *b = find(&((struct sc_ctx *)arg)->t, k[0]);
    if (b)
        b->own.overdue_open -= v[0];
    return 0;
}

static int on_escalation(const char *const *k, const int64_t *v, void *arg)
{
    body_t *b = find(&((struct sc_ctx *)arg)->t, k[0]);
    if (b)
        b->own.escalations += v[0];
    return 0;
}

static int on_violation(const char *const *k, const int64_t *v, void *arg)
{
    body_t *b = find(&((struct sc_ctx *)arg)->t, k[0]);
    if (b) {
        b->own.violations += v[0];
        b->own.penalties += v[1];
    }
    return 0;
}

static int on_reception(const char *const *k, const int64_t *v, void *arg)
{
    body_t *b = find(&((struct sc_ctx *)arg)->t, k[0]);
    if (b) {
        b->own.rec_scheduled += v[0];
        b->own.rec_held += v[1];
    }
    return 0;
}

static int on_prob(const char *const *k, const int64_t *v, void *arg)
{
    body_t *b = find(&((struct sc_ctx *)arg)->t, k[0]);
    if (b) {
        b->own.prob_decided += v[0];
        b->own.prob_solved += v[1];
        b->own.prob_reraised += v[2];
        b->own.verdict[0] += v[3];
        b->own.verdict[1] += v[4];
        b->own.verdict[2] += v[5];
    }
    return 0;
}

static int on_rec_base(const char *const *k, const int64_t *v, void *arg)
{
    body_t *b = find(&((struct sc_ctx *)arg)->t, k[0]);
    if (b)
        b->own.rec_base_held += v[1];
    return 0;
}

static int on_rec_recent(const char *const *k, const int64_t *v, void *arg)
{
    body_t *b = find(&((struct sc_ctx *)arg)->t, k[0]);
    if (b)
        b->own.rec_recent_held += v[1];
    return 0;
}

/* Receptions held against the body's own baseline (issue 17): the last SC_REC_RECENT_DAYS
 * days up to the period's end (today at the latest) against the SC_REC_BASE_DAYS before. */
static int rec_trend(store_tx_t *tx, struct sc_ctx *c, ot_day_t to, ot_err_t *err)
{
    ot_day_t today = svc_today(c->svc, NULL, c->now), end = to < today ? to : today;
    ot_day_t rfrom = end - SC_REC_RECENT_DAYS + 1, bto = rfrom - 1,
             bfrom = bto - SC_REC_BASE_DAYS + 1;
    char a[11], b[11], d[11];
    date_format(bfrom, a);
    date_format(bto, b);
    int rc = store_report_receptions(tx, a, b, on_rec_base, c, err);
    date_format(rfrom, a);
    date_format(end, d);
    return rc ? rc : store_report_receptions(tx, a, d, on_rec_recent, c, err);
}

static int sc_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct sc_ctx *c = arg;
    ot_day_t from, to, pfrom, pto;
    date_parse(c->from, &from);
    date_parse(c->to, &to);
    date_add_months(from, -12, &pfrom);
    date_add_months(to, -12, &pto);
    char today[11];
    date_format(svc_today(c->svc, NULL, c->now), today);
    int off = svc_utc_offset(c->svc, NULL);
    int rc;
    if ((rc = tree_load(tx, &c->t, err)) ||
        (rc = read_split(tx, from, to, store_report_stat_month, store_report_stat_day, on_stat_day,
                         c, err)) ||
        (rc = read_split(tx, pfrom, pto, store_report_stat_month, store_report_stat_day, on_prev, c,
                         err)) ||
        (rc = read_split(tx, from, to, store_report_wd_months, store_report_wd_days, on_wd, c,
                         err)) ||
        (rc = store_report_not_due(tx, today, c->from, c->to, on_not_due, c, err)) ||
        (rc =
             store_report_escalations(tx, instant_from_local(from, 0, off),
                                      instant_from_local(to + 1, 0, off), on_escalation, c, err)) ||
        (rc = store_report_violations(tx, c->from, c->to, on_violation, c, err)) ||
        (rc = store_report_receptions(tx, c->from, c->to, on_reception, c, err)) ||
        (rc = store_report_problems(tx, c->from, c->to, on_prob, c, err)) ||
        (rc = rec_trend(tx, c, to, err)))
        return rc;
    return OT_OK;
}

static int check_day(const char *s, const char *field, ot_day_t *d, ot_err_t *err)
{
    if (date_parse(s, d))
        return ot_err(err, OT_EINVAL, "bad_date", field, "%s must be YYYY-MM-DD", field);
    return OT_OK;
}

/* Loads and computes the tree; on success c->t holds every body with own and total counts,
 * figures and ranks. */
static int scorecards_load(const svc_t *svc, const auth_user_t *user, const report_query_t *q,
                           int64_t now, struct sc_ctx *c, const char **root_path, ot_err_t *err)
{
    memset(c, 0, sizeof *c);
    c->svc = svc;
    c->q = q;
    c->now = now;
    int rc = report_reader_scope(user, &c->scope_path, err);
    if (rc)
        return rc;
    ot_day_t from, to, today = svc_today(svc, NULL, now);
    if (q->from) {
        if ((rc = check_day(q->from, "from", &from, err)))
            return rc;
    } else {
        int y;
        date_to_ymd(today, &y, NULL, NULL);
        date_from_ymd(y, 1, 1, &from);
    }
    if (q->to) {
        if ((rc = check_day(q->to, "to", &to, err)))
            return rc;
    } else
        to = today;
    if (to < from)
        return ot_err(err, OT_EINVAL, "bad_period", "to", "to is before from");
    if (to - from > 366 * 5)
        return ot_err(err, OT_EINVAL, "bad_period", "to", "a period is at most 5 years");
    date_format(from, c->from);
    date_format(to, c->to);
    if ((rc = report_calendar_sync(svc, now, err)) ||
        (rc = store_read_replica(svc->store, sc_tx, c, err)))
        return rc;
    tree_t *t = &c->t;
    /* the receptions each body is expected to hold for the people of its territory (issue
     * 17): a body that keeps receptions in the system (any booking in the period or held in
     * the baseline or recent days) and has a population and a rate for its type in the data */
    for (size_t i = 0; i < t->n; i++) {
        sc_counts_t *o = &t->b[i].own;
        if (o->rec_scheduled > 0 || o->rec_base_held > 0 || o->rec_recent_held > 0)
            o->rec_expected_milli = sc_rec_expected_milli(svc_population(svc, t->b[i].path),
                                                          svc_rec_rate(svc, t->b[i].type));
    }
    /* the subtree asked for */
    const char *body = q->body && *q->body ? q->body : NULL;
    if (!body && user && c->scope_path[0])
        body = user->body;
    *root_path = "";
    if (body) {
        body_t *b = find(t, body);
        if (!b)
            return ot_err(err, OT_ENOTFOUND, "body_not_found", "body", "no such body");
        *root_path = b->path;
    }
    if (c->scope_path[0] && !starts_with(*root_path, c->scope_path))
        return ot_err(err, OT_EFORBIDDEN, "forbidden", "body",
                      "you read reports of your own body and its sub-bodies");
    /* roll up: a body's total is its own plus every body under it (path prefix) */
    for (size_t i = 0; i < t->n; i++)
        for (size_t k = 0; k < t->n; k++)
            if (starts_with(t->b[k].path, t->b[i].path))
                sc_counts_add(&t->b[i].total, &t->b[k].own);
    for (size_t i = 0; i < t->n; i++)
        sc_compute(&t->b[i].total, &q->weights, &t->b[i].fig);
    /* rank among siblings shown in the report */
    for (size_t i = 0; i < t->n; i++) {
        body_t *b = &t->b[i];
        if (!b->fig.has_index || !starts_with(b->path, *root_path))
            continue;
        b->rank = 1;
        for (size_t k = 0; k < t->n; k++) {
            const body_t *o = &t->b[k];
            if (k != i && o->fig.has_index && !strcmp(o->parent, b->parent) &&
                starts_with(o->path, *root_path) && o->fig.index > b->fig.index + 1e-9)
                b->rank++;
        }
    }
    return OT_OK;
}

int report_scorecard_rows(const svc_t *svc, const auth_user_t *user, const report_query_t *q,
                          int64_t now, sc_row_t **rows, size_t *n, char from[11], char to[11],
                          ot_err_t *err)
{
    struct sc_ctx c;
    const char *root = "";
    *rows = NULL;
    *n = 0;
    int rc = scorecards_load(svc, user, q, now, &c, &root, err);
    if (!rc) {
        *rows = calloc(c.t.n ? c.t.n : 1, sizeof **rows);
        if (!*rows)
            rc = ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
        for (size_t i = 0; !rc && i < c.t.n; i++) {
            const body_t *b = &c.t.b[i];
            if (!starts_with(b->path, root))
                continue;
            sc_row_t *r = &(*rows)[(*n)++];
            str_copy(r->body, sizeof r->body, b->id);
            str_copy(r->parent, sizeof r->parent, b->parent);
            str_copy(r->path, sizeof r->path, b->path);
            str_copy(r->name, sizeof r->name, b->name);
            r->total = b->total;
            r->fig = b->fig;
            r->rank = b->rank;
        }
        str_copy(from, 11, c.from);
        str_copy(to, 11, c.to);
    }
    tree_free(&c.t);
    return rc;
}

enum {
    C_BODY,
    C_NAME,
    C_PARENT,
    C_FROM,
    C_TO,
    C_RANK,
    C_INDEX,
    C_RECEIVED,
    C_RECEIVED_PREV,
    C_GROWTH,
    C_ANSWERED,
    C_ON_TIME,
    C_OVERDUE,
    C_ON_TIME_PCT,
    C_MEDIAN,
    C_P90,
    C_RESOLVED,
    C_EXPLAINED,
    C_REFUSED,
    C_RESOLVED_PCT,
    C_EXPLAINED_PCT,
    C_REFUSED_PCT,
    C_REPEATS,
    C_REPEAT_PCT,
    C_COMPLAINTS,
    C_UPHELD,
    C_UPHELD_PCT,
    C_ESCALATIONS,
    C_VIOLATIONS,
    C_PENALTIES,
    C_RATING_N,
    C_RATING_MEAN,
    C_R1,
    C_R2,
    C_R3,
    C_R4,
    C_R5,
    C_REC_SCHEDULED,
    C_REC_HELD,
    C_PROB_DECIDED,
    C_PROB_SOLVED,
    C_SOLVED_PCT,
    C_PROB_RERAISED,
    C_RERAISED_PCT,
    C_VERDICT_N,
    C_VERDICT_YES,
    C_VERDICT_PARTLY,
    C_VERDICT_NO,
    C_VERDICT_NO_PCT,
    C_REC_BASE,
    C_REC_RECENT,
    C_REC_TREND,
    C_REC_EXPECTED,
    C_REC_EXPECTED_PCT,
    C_COUNT
};

static const ex_col_t sc_cols[C_COUNT] = {
    {"body", EX_TEXT},
    {"name", EX_TEXT},
    {"parent", EX_TEXT},
    {"from", EX_TEXT},
    {"to", EX_TEXT},
    {"rank", EX_INT},
    {"index", EX_NUM},
    {"received", EX_INT},
    {"received_prev_year", EX_INT},
    {"growth_pct", EX_NUM},
    {"answered", EX_INT},
    {"answered_on_time", EX_INT},
    {"overdue_open", EX_INT},
    {"on_time_pct", EX_NUM},
    {"median_days", EX_INT},
    {"p90_days", EX_INT},
    {"resolved", EX_INT},
    {"explained", EX_INT},
    {"refused", EX_INT},
    {"resolved_pct", EX_NUM},
    {"explained_pct", EX_NUM},
    {"refused_pct", EX_NUM},
    {"repeats", EX_INT},
    {"repeat_pct", EX_NUM},
    {"complaints", EX_INT},
    {"complaints_upheld", EX_INT},
    {"upheld_pct", EX_NUM},
    {"escalations", EX_INT},
    {"violations", EX_INT},
    {"penalties", EX_INT},
    {"rating_n", EX_INT},
    {"rating_mean", EX_NUM},
    {"rating_1", EX_INT},
    {"rating_2", EX_INT},
    {"rating_3", EX_INT},
    {"rating_4", EX_INT},
    {"rating_5", EX_INT},
    {"receptions_scheduled", EX_INT},
    {"receptions_held", EX_INT},
    {"problems_decided", EX_INT},
    {"problems_solved", EX_INT},
    {"solved_pct", EX_NUM},
    {"problems_reraised", EX_INT},
    {"reraised_pct", EX_NUM},
    {"verdicts", EX_INT},
    {"verdict_yes", EX_INT},
    {"verdict_partly", EX_INT},
    {"verdict_no", EX_INT},
    {"verdict_no_pct", EX_NUM},
    {"receptions_baseline", EX_INT},
    {"receptions_recent", EX_INT},
    {"receptions_trend_pct", EX_NUM},
    {"receptions_expected", EX_NUM},
    {"receptions_expected_pct", EX_NUM},
};

int report_scorecards(const svc_t *svc, const auth_user_t *user, const report_query_t *q,
                      int64_t now, ex_table_t *out, ot_err_t *err)
{
    ex_table_init(out, "scorecards", sc_cols, C_COUNT);
    sc_row_t *rows;
    size_t n;
    char from[11], to[11];
    int rc = report_scorecard_rows(svc, user, q, now, &rows, &n, from, to, err);
    for (size_t i = 0; !rc && i < n; i++) {
        const sc_row_t *r = &rows[i];
        const sc_counts_t *c = &r->total;
        const sc_figures_t *f = &r->fig;
        long row = ex_row(out);
        if (row < 0) {
            rc = ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
            break;
        }
        ex_text(out, row, C_BODY, r->body);
        ex_text(out, row, C_NAME, r->name);
        ex_text(out, row, C_PARENT, r->parent[0] ? r->parent : NULL);
        ex_text(out, row, C_FROM, from);
        ex_text(out, row, C_TO, to);
        if (r->rank)
            ex_int(out, row, C_RANK, r->rank);
        ex_num(out, row, C_INDEX, f->index, f->has_index, 1);
        ex_int(out, row, C_RECEIVED, c->received);
        ex_int(out, row, C_RECEIVED_PREV, c->received_prev);
        ex_num(out, row, C_GROWTH, f->growth_pct, f->has_growth, 1);
        ex_int(out, row, C_ANSWERED, c->answered);
        ex_int(out, row, C_ON_TIME, c->on_time);
        ex_int(out, row, C_OVERDUE, c->overdue_open);
        ex_num(out, row, C_ON_TIME_PCT, f->on_time_pct, f->has_on_time, 1);
        if (f->has_days) {
            ex_int(out, row, C_MEDIAN, f->median_days);
            ex_int(out, row, C_P90, f->p90_days);
        }
        ex_int(out, row, C_RESOLVED, c->resolved);
        ex_int(out, row, C_EXPLAINED, c->explained);
        ex_int(out, row, C_REFUSED, c->refused);
        ex_num(out, row, C_RESOLVED_PCT, f->resolved_pct, f->has_resolved, 1);
        ex_num(out, row, C_EXPLAINED_PCT, f->explained_pct, f->has_resolved, 1);
        ex_num(out, row, C_REFUSED_PCT, f->refused_pct, f->has_resolved, 1);
        ex_int(out, row, C_REPEATS, c->repeats);
        ex_num(out, row, C_REPEAT_PCT, f->repeat_pct, f->has_repeat, 1);
        ex_int(out, row, C_COMPLAINTS, c->complaints);
        ex_int(out, row, C_UPHELD, c->upheld);
        ex_num(out, row, C_UPHELD_PCT, f->upheld_pct, f->has_upheld, 1);
        ex_int(out, row, C_ESCALATIONS, c->escalations);
        ex_int(out, row, C_VIOLATIONS, c->violations);
        ex_int(out, row, C_PENALTIES, c->penalties);
        ex_int(out, row, C_RATING_N, f->rating_n);
        ex_num(out, row, C_RATING_MEAN, f->rating_mean, f->has_rating, 2);
        for (int k = 0; k < 5; k++)
            ex_int(out, row, (size_t)(C_R1 + k), c->rating[k]);
        ex_int(out, row, C_REC_SCHEDULED, c->rec_scheduled);
        ex_int(out, row, C_REC_HELD, c->rec_held);
        ex_int(out, row, C_PROB_DECIDED, c->prob_decided);
        ex_int(out, row, C_PROB_SOLVED, c->prob_solved);
        ex_num(out, row, C_SOLVED_PCT, f->solved_pct, f->has_problems, 1);
        ex_int(out, row, C_PROB_RERAISED, c->prob_reraised);
        ex_num(out, row, C_RERAISED_PCT, f->reraised_pct, f->has_problems, 1);
        ex_int(out, row, C_VERDICT_N, f->verdict_n);
        ex_int(out, row, C_VERDICT_YES, c->verdict[0]);
        ex_int(out, row, C_VERDICT_PARTLY, c->verdict[1]);
        ex_int(out, row, C_VERDICT_NO, c->verdict[2]);
        ex_num(out, row, C_VERDICT_NO_PCT, f->verdict_no_pct, f->has_verdicts, 1);
        ex_int(out, row, C_REC_BASE, c->rec_base_held);
        ex_int(out, row, C_REC_RECENT, c->rec_recent_held);
        ex_num(out, row, C_REC_TREND, 100.0 * f->rec_trend, f->has_rec_trend, 1);
        ex_num(out, row, C_REC_EXPECTED, f->rec_expected, f->has_rec_expected, 1);
        ex_num(out, row, C_REC_EXPECTED_PCT, f->rec_expected_pct, f->has_rec_expected, 1);
    }
    free(rows);
    if (rc)
        ex_table_free(out);
    return rc;
}

/* ==== Alerts ==== */

#define MAX_MONTHS 48

static int month_parse(const char *s, int *idx)
{
    int y, m;
    char tail;
    if (!s || strlen(s) != 7 || sscanf(s, "%4d-%2d%c", &y, &m, &tail) != 2 || s[4] != '-' ||
        y < 1900 || y > 9999 || m < 1 || m > 12)
        return -1;
    *idx = y * 12 + m - 1;
    return 0;
}

static void month_format(int idx, char out[8])
{
    unsigned u = idx < 0 ? 0 : (unsigned)idx;
    snprintf(out, 8, "%04u-%02u", (u / 12) % 10000, u % 12 + 1);
}

typedef struct cd_series {
    char category[64], district[64];
    double v[MAX_MONTHS];
} cd_series_t;

struct alert_ctx {
    tree_t t;
    int first; /* month index of v[0] */
    int nm;
    double (*answered)[MAX_MONTHS], (*held)[MAX_MONTHS];
    cd_series_t *cd;
    size_t ncd, capcd, cd_last;
    char from_day[11], to_day[11], from_month[8], to_month[8];
};

static int month_slot(const struct alert_ctx *c, const char *month)
{
    int idx;
    if (month_parse(month, &idx))
        return -1;
    idx -= c->first;
    return idx >= 0 && idx < c->nm ? idx : -1;
}

static int on_month_answered(const char *const *k, const int64_t *v, void *arg)
{
    struct alert_ctx *c = arg;
    body_t *b = find(&c->t, k[0]);
    int m = month_slot(c, k[1]);
    if (b && m >= 0)
        c->answered[b - c->t.b][m] += (double)v[0];
    return 0;
}

static int on_month_held(const char *const *k, const int64_t *v, void *arg)
{
    struct alert_ctx *c = arg;
    body_t *b = find(&c->t, k[0]);
    int m = month_slot(c, k[1]);
    if (b && m >= 0)
        c->held[b - c->t.b][m] += (double)v[0];
    return 0;
}

static int on_month_cd(const char *const *k, const int64_t *v, void *arg)
{
    struct alert_ctx *c = arg;
    int m = month_slot(c, k[0]);
    if (m < 0)
        return 0;
    /* rows come in key order (month, category, district), so each month meets the series
     * in the order of the month before: look from after the last one found, round */
    size_t i = c->ncd, k0 = c->ncd ? (c->cd_last + 1) % c->ncd : 0;
    for (size_t n = 0; n < c->ncd; n++) {
        size_t x = (k0 + n) % c->ncd;
        if (!strcmp(c->cd[x].category, k[1]) && !strcmp(c->cd[x].district, k[2])) {
            i = x;
            break;
        }
    }
    if (i == c->ncd) {
        if (c->ncd == c->capcd) {
            size_t cap = c->capcd ? c->capcd * 2 : 256;
            cd_series_t *p = realloc(c->cd, cap * sizeof *p);
            if (!p)
                return 1;
            c->cd = p;
            c->capcd = cap;
        }
        memset(&c->cd[i], 0, sizeof c->cd[i]);
        str_copy(c->cd[i].category, sizeof c->cd[i].category, k[1]);
        str_copy(c->cd[i].district, sizeof c->cd[i].district, k[2]);
        c->ncd++;
    }
    c->cd[i].v[m] += (double)v[0];
    c->cd_last = i;
    return 0;
}

static int alerts_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct alert_ctx *c = arg;
    int rc;
    if ((rc = tree_load(tx, &c->t, err)))
        return rc;
    c->answered = calloc(c->t.n ? c->t.n : 1, sizeof *c->answered);
    c->held = calloc(c->t.n ? c->t.n : 1, sizeof *c->held);
    if (!c->answered || !c->held)
        return ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
    if ((rc = store_report_month_answered(tx, c->from_month, c->to_month, on_month_answered, c,
                                          err)) ||
        (rc = store_report_month_held(tx, c->from_day, c->to_day, on_month_held, c, err)) ||
        (rc = store_report_month_cd(tx, c->from_month, c->to_month, on_month_cd, c, err)))
        return rc;
    return OT_OK;
}

enum {
    A_MONTH,
    A_KIND,
    A_METRIC,
    A_BODY,
    A_NAME,
    A_CATEGORY,
    A_DISTRICT,
    A_BASELINE,
    A_CURRENT,
    A_CHANGE,
    A_PROBLEM,
    A_COUNT
};

static const ex_col_t alert_cols[A_COUNT] = {
    {"month", EX_TEXT},  {"kind", EX_TEXT},      {"metric", EX_TEXT},   {"body", EX_TEXT},
    {"name", EX_TEXT},   {"category", EX_TEXT},  {"district", EX_TEXT}, {"baseline", EX_NUM},
    {"current", EX_NUM}, {"change_pct", EX_NUM}, {"problem", EX_INT},
};

/* Problems that came back (issue 17): a "no" on a satisfied decision or a new appeal within
 * the window; one row each, in the month it recurred, for the head of its body and the
 * oblast supervisors (the scope of the reader). */
struct recur_ctx {
    ex_table_t *out;
    const tree_t *t;
    int off;
};

static int on_recurred(const problem_rec_t *p, void *arg)
{
    struct recur_ctx *c = arg;
    int y, m;
    date_to_ymd(instant_local_day(p->recurred_at, c->off), &y, &m, NULL);
    char month[8];
    snprintf(month, sizeof month, "%04d-%02d", y, m);
    long row = ex_row(c->out);
    if (row < 0)
        return 1;
    ex_text(c->out, row, A_MONTH, month);
    ex_text(c->out, row, A_KIND, "recurring");
    ex_text(c->out, row, A_METRIC, "problem");
    ex_text(c->out, row, A_BODY, p->body);
    const body_t *b = find(c->t, p->body);
    if (b)
        ex_text(c->out, row, A_NAME, b->name);
    ex_text(c->out, row, A_CATEGORY, p->category);
    ex_text(c->out, row, A_DISTRICT, p->district[0] ? p->district : NULL);
    ex_num(c->out, row, A_BASELINE, (double)p->recurrences, 1, 0);
    ex_num(c->out, row, A_CURRENT, (double)p->n_appeals, 1, 0);
    ex_int(c->out, row, A_PROBLEM, p->id);
    return 0;
}

struct recur_read {
    struct recur_ctx c;
    int64_t from_us, to_us;
    const char *scope;
};

static int recurred_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct recur_read *r = arg;
    return store_problem_recurred(tx, r->from_us, r->to_us, r->scope, 500, on_recurred, &r->c, err);
}

static void alert_row(ex_table_t *out, int month, const char *kind, const char *metric,
                      const body_t *b, const cd_series_t *cd, sc_verdict_t v, double current)
{
    char m[8];
    month_format(month, m);
    long row = ex_row(out);
    ex_text(out, row, A_MONTH, m);
    ex_text(out, row, A_KIND, kind);
    ex_text(out, row, A_METRIC, metric);
    if (b) {
        ex_text(out, row, A_BODY, b->id);
        ex_text(out, row, A_NAME, b->name);
    }
    if (cd) {
        ex_text(out, row, A_CATEGORY, cd->category);
        ex_text(out, row, A_DISTRICT, cd->district[0] ? cd->district : NULL);
    }
    ex_num(out, row, A_BASELINE, v.baseline, 1, 2);
    ex_num(out, row, A_CURRENT, current, 1, 2);
    ex_num(out, row, A_CHANGE, 100 * v.change, v.baseline > 0, 1);
}

/* The months of an alerts report: the last (given, else the last complete month) as a month
 * index into *last_idx; checks months. */
static int alert_months(const svc_t *svc, const char *last, int months, int64_t now, int *last_idx,
                        ot_err_t *err)
{
    if (months < 1 || months > 24)
        return ot_err(err, OT_EINVAL, "out_of_range", "months", "months must be 1..24");
    if (last) {
        if (month_parse(last, last_idx))
            return ot_err(err, OT_EINVAL, "bad_month", "month", "month must be YYYY-MM");
    } else {
        int y, m;
        date_to_ymd(svc_today(svc, NULL, now), &y, &m, NULL);
        *last_idx = y * 12 + m - 1 - 1; /* the last complete month */
    }
    return OT_OK;
}

/* ==== Operations alerts (issue 16) ==== */

enum {
    O_MONTH,
    O_KIND,
    O_METRIC,
    O_AT,
    O_OBJECT_TYPE,
    O_OBJECT,
    O_BODY,
    O_NAME,
    O_LOGIN,
    O_NOTICE,
    O_REASON,
    O_N,
    O_COUNT
};

static const ex_col_t ops_cols[O_COUNT] = {
    {"month", EX_TEXT},       {"kind", EX_TEXT},   {"metric", EX_TEXT}, {"at", EX_TEXT},
    {"object_type", EX_TEXT}, {"object", EX_TEXT}, {"body", EX_TEXT},   {"name", EX_TEXT},
    {"login", EX_TEXT},       {"notice", EX_TEXT}, {"reason", EX_TEXT}, {"count", EX_INT},
};

struct ops_ctx {
    ex_table_t *out;
    tree_t t;
    int off;
    int64_t since;
};

static int on_ops_alert(const chain_event_t *ev, const char *body, void *arg)
{
    struct ops_ctx *c = arg;
    long row = ex_row(c->out);
    if (row < 0)
        return 1;
    int y, m;
    date_to_ymd(instant_local_day(ev->at, c->off), &y, &m, NULL);
    char month[8], at[40];
    snprintf(month, sizeof month, "%04d-%02d", y, m);
    instant_format(ev->at, c->off, at, sizeof at);
    ex_text(c->out, row, O_MONTH, month);
    ex_text(c->out, row, O_KIND, "operations");
    ex_text(c->out, row, O_METRIC, ev->action);
    ex_text(c->out, row, O_AT, at);
    ex_text(c->out, row, O_OBJECT_TYPE, ev->object_type);
    ex_text(c->out, row, O_OBJECT, ev->object_id);
    if (body) {
        ex_text(c->out, row, O_BODY, body);
        const body_t *b = find(&c->t, body);
        if (b)
            ex_text(c->out, row, O_NAME, b->name);
    }
    json_t *d = json_loads(ev->data ? ev->data : "{}", 0, NULL);
    const char *s;
    if ((s = json_string_value(json_object_get(d, "login"))))
        ex_text(c->out, row, O_LOGIN, s);
    if ((s = json_string_value(json_object_get(d, "notice"))))
        ex_text(c->out, row, O_NOTICE, s);
    if ((s = json_string_value(json_object_get(d, "reason"))) && *s)
        ex_text(c->out, row, O_REASON, s);
    json_t *n = json_object_get(d, "count");
    ex_int(c->out, row, O_N, json_is_integer(n) ? (int64_t)json_integer_value(n) : 1);
    json_decref(d);
    return 0;
}

static int ops_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct ops_ctx *c = arg;
    int rc = tree_load(tx, &c->t, err);
    return rc ? rc : store_event_ops_alerts(tx, c->since, 1000, on_ops_alert, c, err);
}

static int ops_alerts(const svc_t *svc, const char *last, int months, int64_t now, ex_table_t *out,
                      ot_err_t *err)
{
    ex_table_init(out, "alerts", ops_cols, O_COUNT);
    int last_idx;
    int rc = alert_months(svc, last, months, now, &last_idx, err);
    if (rc)
        return rc;
    char first_day[11];
    month_format(last_idx - months + 1, first_day);
    snprintf(first_day + 7, sizeof first_day - 7, "-01");
    ot_day_t d;
    date_parse(first_day, &d);
    struct ops_ctx c = {out, {0}, svc_utc_offset(svc, NULL), 0};
    c.since = instant_from_local(d, 0, c.off);
    rc = store_read(svc->store, ops_tx, &c, err);
    tree_free(&c.t);
    if (rc)
        ex_table_free(out);
    return rc;
}

int report_alerts(const svc_t *svc, const auth_user_t *user, const char *last, int months,
                  const sc_alert_cfg_t *cfg, int64_t now, ex_table_t *out, ot_err_t *err)
{
    if (user && perm_scope(user->role, ACT_VIOLATION_READ) == SCOPE_NONE &&
        perm_scope(user->role, ACT_AUDIT_READ) == SCOPE_ALL)
        return ops_alerts(svc, last, months, now, out, err);
    ex_table_init(out, "alerts", alert_cols, A_COUNT);
    if (!cfg)
        cfg = &sc_default_alert_cfg;
    const char *scope;
    int rc = report_reader_scope(user, &scope, err);
    if (rc)
        return rc;
    if (cfg->window < 1 || cfg->window > 24)
        return ot_err(err, OT_EINVAL, "out_of_range", "window", "window must be 1..24");
    int last_idx;
    if ((rc = alert_months(svc, last, months, now, &last_idx, err)))
        return rc;
    struct alert_ctx c;
    memset(&c, 0, sizeof c);
    int first_eval = last_idx - months + 1;
    c.first = first_eval - cfg->window;
    c.nm = months + cfg->window;
    month_format(c.first, c.from_month);
    month_format(last_idx, c.to_month);
    snprintf(c.from_day, sizeof c.from_day, "%s-01", c.from_month);
    snprintf(c.to_day, sizeof c.to_day, "%s-31", c.to_month);
    rc = report_calendar_sync(svc, now, err);
    if (!rc)
        rc = store_read_replica(svc->store, alerts_tx, &c, err);
    for (int mi = cfg->window; !rc && mi < c.nm; mi++) {
        int month = c.first + mi;
        for (size_t i = 0; i < c.t.n; i++) {
            const body_t *b = &c.t.b[i];
            if (scope[0] && !starts_with(b->path, scope))
                continue;
            sc_verdict_t v =
                sc_drop_check(&c.held[i][mi - cfg->window], cfg->window, c.held[i][mi], cfg);
            if (v.alert)
                alert_row(out, month, "drop", "receptions_held", b, NULL, v, c.held[i][mi]);
            v = sc_drop_check(&c.answered[i][mi - cfg->window], cfg->window, c.answered[i][mi],
                              cfg);
            if (v.alert)
                alert_row(out, month, "drop", "appeals_answered", b, NULL, v, c.answered[i][mi]);
        }
        for (size_t i = 0; i < c.ncd; i++) {
            sc_verdict_t v =
                sc_surge_check(&c.cd[i].v[mi - cfg->window], cfg->window, c.cd[i].v[mi], cfg);
            if (v.alert)
                alert_row(out, month, "surge", "appeals", NULL, &c.cd[i], v, c.cd[i].v[mi]);
        }
    }
    if (!rc) { /* from the first month evaluated up to now */
        int off = svc_utc_offset(svc, NULL);
        char first_day[11];
        month_format(first_eval, first_day);
        snprintf(first_day + 7, sizeof first_day - 7, "-01");
        ot_day_t d;
        date_parse(first_day, &d);
        struct recur_read r = {
            {out, &c.t, off}, instant_from_local(d, 0, off), now + 1, scope[0] ? scope : NULL};
        rc = store_read_replica(svc->store, recurred_tx, &r, err);
    }
    free(c.answered);
    free(c.held);
    free(c.cd);
    tree_free(&c.t);
    if (rc)
        ex_table_free(out);
    return rc;
}

/* ==== Open data ==== */

enum { P_DIMENSION, P_KEY, P_RECEIVED, P_ANSWERED, P_ON_TIME, P_ON_TIME_PCT, P_COUNT };

static const ex_col_t public_cols[P_COUNT] = {
    {"dimension", EX_TEXT}, {"key", EX_TEXT},    {"received", EX_INT},
    {"answered", EX_INT},   {"on_time", EX_INT}, {"on_time_pct", EX_NUM},
};

struct pub_ctx {
    ex_table_t *out;
    char from[11], to[11], from_month[8], to_month[8];
    /* category and district totals (few: tens) */
    struct kv {
        char key[64];
        int64_t n;
    } cat[256], dist[64];
    size_t ncat, ndist;
};

static void pub_row(ex_table_t *out, const char *dim, const char *key, int64_t received,
                    int has_answers, int64_t answered, int64_t on_time)
{
    long row = ex_row(out);
    ex_text(out, row, P_DIMENSION, dim);
    ex_text(out, row, P_KEY, key);
    ex_int(out, row, P_RECEIVED, received);
    if (has_answers) {
        ex_int(out, row, P_ANSWERED, answered);
        ex_int(out, row, P_ON_TIME, on_time);
        ex_num(out, row, P_ON_TIME_PCT, answered ? 100.0 * (double)on_time / (double)answered : 0,
               answered > 0, 1);
    }
}

static int on_pub_body(const char *const *k, const int64_t *v, void *arg)
{
    struct pub_ctx *c = arg;
    pub_row(c->out, "body", k[0], v[0], 1, v[1], v[2]);
    return 0;
}

static int on_pub_month(const char *const *k, const int64_t *v, void *arg)
{
    struct pub_ctx *c = arg;
    pub_row(c->out, "month", k[0], v[0], 1, v[1], v[2]);
    return 0;
}

static void kv_add(struct kv *kv, size_t *n, size_t max, const char *key, int64_t v)
{
    size_t i;
    for (i = 0; i < *n; i++)
        if (!strcmp(kv[i].key, key))
            break;
    if (i == *n) {
        if (*n == max)
            return;
        str_copy(kv[i].key, sizeof kv[i].key, key);
        kv[i].n = 0;
        (*n)++;
    }
    kv[i].n += v;
}

static int on_pub_cd(const char *const *k, const int64_t *v, void *arg)
{
    struct pub_ctx *c = arg;
    kv_add(c->cat, &c->ncat, sizeof c->cat / sizeof c->cat[0], k[1], v[0]);
    if (k[2][0])
        kv_add(c->dist, &c->ndist, sizeof c->dist / sizeof c->dist[0], k[2], v[0]);
    return 0;
}

static int public_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct pub_ctx *c = arg;
    int rc;
    if ((rc = store_report_stat_month(tx, c->from_month, c->to_month, on_pub_body, c, err)) ||
        (rc = store_report_month_cd(tx, c->from_month, c->to_month, on_pub_cd, c, err)) ||
        (rc = store_report_months(tx, c->from_month, c->to_month, on_pub_month, c, err)))
        return rc;
    return OT_OK;
}

int report_public_stats(const svc_t *svc, const char *from, const char *to, int64_t now,
                        ex_table_t *out, ot_err_t *err)
{
    ex_table_init(out, "open_data", public_cols, P_COUNT);
    int fi, ti;
    int y, m;
    date_to_ymd(svc_today(svc, NULL, now), &y, &m, NULL);
    ti = y * 12 + m - 1;
    fi = ti - 11;
    if (from && month_parse(from, &fi))
        return ot_err(err, OT_EINVAL, "bad_month", "from", "from must be YYYY-MM");
    if (to && month_parse(to, &ti))
        return ot_err(err, OT_EINVAL, "bad_month", "to", "to must be YYYY-MM");
    if (ti < fi || ti - fi > 120)
        return ot_err(err, OT_EINVAL, "bad_period", "to", "from..to is 1..120 months");
    struct pub_ctx *c = calloc(1, sizeof *c);
    if (!c)
        return ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
    c->out = out;
    month_format(fi, c->from_month);
    month_format(ti, c->to_month);
    snprintf(c->from, sizeof c->from, "%s-01", c->from_month);
    snprintf(c->to, sizeof c->to, "%s-31", c->to_month);
    int rc = store_read_replica(svc->store, public_tx, c, err);
    for (size_t i = 0; !rc && i < c->ncat; i++)
        pub_row(out, "category", c->cat[i].key, c->cat[i].n, 0, 0, 0);
    for (size_t i = 0; !rc && i < c->ndist; i++)
        pub_row(out, "district", c->dist[i].key, c->dist[i].n, 0, 0, 0);
    free(c);
    if (rc)
        ex_table_free(out);
    return rc;
}

/* ==== Appeal lists ==== */

enum {
    L_NUMBER,
    L_KIND,
    L_CHANNEL,
    L_STATUS,
    L_CATEGORY,
    L_DISTRICT,
    L_BODY,
    L_REGISTERED,
    L_DUE,
    L_ANSWERED,
    L_DECISION,
    L_RATING,
    L_REPEATED,
    L_COUNT
};

static const ex_col_t appeal_cols[L_COUNT] = {
    {"number", EX_TEXT},      {"kind", EX_TEXT},          {"channel", EX_TEXT},
    {"status", EX_TEXT},      {"category", EX_TEXT},      {"district", EX_TEXT},
    {"body", EX_TEXT},        {"registered_on", EX_TEXT}, {"due_on", EX_TEXT},
    {"answered_on", EX_TEXT}, {"decision", EX_TEXT},      {"rating", EX_INT},
    {"repeated", EX_INT},
};

struct list_ctx {
    ex_table_t *out; /* one row at a time, for row_fn */
    int (*row_fn)(const ex_table_t *t, void *arg);
    void *row_arg;
    appeal_filter_t f;
    const char *body;
    size_t page;
    int oom;
};

/* One row of an appeal: the facts, no applicant, text or address. */
static void appeal_row(ex_table_t *out, long row, const appeal_rec_t *a)
{
    ex_text(out, row, L_NUMBER, a->number);
    ex_text(out, row, L_KIND, a->kind);
    ex_text(out, row, L_CHANNEL, a->channel);
    ex_text(out, row, L_STATUS, a->status);
    ex_text(out, row, L_CATEGORY, a->category);
    ex_text(out, row, L_DISTRICT, a->district);
    ex_text(out, row, L_BODY, a->body);
    ex_text(out, row, L_REGISTERED, a->registered_on);
    ex_text(out, row, L_DUE, a->due_on);
    ex_text(out, row, L_ANSWERED, a->answered_on);
    ex_text(out, row, L_DECISION, a->decision);
    if (a->rating)
        ex_int(out, row, L_RATING, a->rating);
    ex_int(out, row, L_REPEATED, a->repeat_of != 0);
}

/* t, a table of one row reused for every appeal of a stream, holds a's row (-1: out of
 * memory). The previous appeal's cells are freed first (ex_row clears without freeing, and a
 * cell this appeal leaves empty must not keep the last one's value). */
static int one_row(ex_table_t *t, const appeal_rec_t *a)
{
    for (size_t c = 0; t->nrows && c < t->ncols; c++)
        ex_text(t, 0, c, NULL);
    t->nrows = 0;
    long r = ex_row(t);
    if (r < 0)
        return -1;
    appeal_row(t, r, a);
    return 0;
}

/* REPORT_LIST_MAX divided as the lists' caps are (store_list_cap), so that the API tests
 * meet it. */
#define LIST_MAX store_list_cap(REPORT_LIST_MAX)

/* The page sizes of an export's walk (a read transaction each): a first page soon, then
 * pages large enough that what each page costs anew stays small. A range filter (received,
 * due) collects its ids from its index on every page: at 1M appeals, a month's 96,350 rows
 * of CSV took 2.2 s in pages of 1,000 and 0.69 s with these (docs/staff-list.md). */
#define WALK_PAGE_FIRST store_list_cap(1000)
#define WALK_PAGE       store_list_cap(10000)

/* The cap of an export, decided before any of its work: OT_EINVAL "too_large" past it. */
static int check_cap(const svc_t *svc, const auth_user_t *user, appeal_filter_t *f, ot_err_t *err)
{
    int over = 0;
    int rc = appeal_over(svc, user, f, LIST_MAX, &over, err);
    if (!rc && over)
        rc = ot_err(err, OT_EINVAL, "too_large", NULL, "more than %lld appeals: narrow the filters",
                    (long long)LIST_MAX);
    return rc;
}

/* ==== The staff appeal list as CSV or XLSX, streamed ==== */

struct report_stream {
    const svc_t *svc;
    auth_user_t user;
    appeal_filter_t f; /* its strings must outlive the stream (the caller's) but today */
    char today[11];
    ex_table_t row; /* one row at a time: the cells of appeal_row */
    ex_buf_t b;     /* CSV not yet read */
    ex_xlsx_t *x;   /* XLSX: the workbook being written, then */
    int fd;         /* the workbook written, read from here (-1: CSV) */
    size_t off;     /* read up to here */
    size_t page;    /* rows in the page being read */
    int done, fail;
};

static int on_stream_appeal(const appeal_rec_t *a, void *arg)
{
    report_stream_t *s = arg;
    if (one_row(&s->row, a)) {
        s->fail = 1;
        return 1;
    }
    if (s->x)
        ex_xlsx_line(s->x, &s->row, 0);
    else
        ex_csv_line(&s->b, &s->row, 0);
    s->f.before_id = a->id;
    s->page++;
    return s->b.oom;
}

int report_appeal_stream(const svc_t *svc, const auth_user_t *user, const appeal_filter_t *f,
                         int xlsx, int bom, const ex_lang_t *lang, report_stream_t **out,
                         ot_err_t *err)
{
    *out = NULL;
    report_stream_t *s = calloc(1, sizeof *s);
    if (!s)
        return ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
    s->svc = svc;
    s->fd = -1;
    s->user = *user;
    s->f = *f;
    if (f->today) {
        snprintf(s->today, sizeof s->today, "%s", f->today);
        s->f.today = s->today;
    }
    s->f.limit = WALK_PAGE_FIRST;
    ex_table_init(&s->row, "appeals", appeal_cols, L_COUNT);
    s->row.lang = lang;
    int rc = check_cap(svc, &s->user, &s->f, err);
    if (rc) {
        report_stream_free(s);
        return rc;
    }
    if (xlsx)
        rc = ex_xlsx_open(&s->x, NULL, "appeals", appeal_cols, L_COUNT, lang, err);
    else
        ex_csv_header(&s->b, appeal_cols, L_COUNT, bom, lang);
    if (rc) {
        report_stream_free(s);
        return rc;
    }
    *out = s;
    return OT_OK;
}

/* The next page of the walk, its rows into the CSV buffer or the workbook. */
static void stream_page(report_stream_t *s)
{
    ot_err_t err;
    s->page = 0;
    if (appeal_list_export(s->svc, &s->user, &s->f, on_stream_appeal, s, &err) || s->b.oom) {
        log_error("appeal export: %s", s->b.oom ? "out of memory" : err.message);
        s->fail = 1;
    }
    s->done = (int64_t)s->page < s->f.limit;
    s->f.limit = WALK_PAGE;
}

long report_stream_read(report_stream_t *s, char *buf, size_t n)
{
    if (s->x) { /* a workbook is finished before its first byte: every page, then its bytes */
        while (!s->done && !s->fail)
            stream_page(s);
        ot_err_t err;
        if (s->fail)
            ex_xlsx_abandon(s->x);
        else if (ex_xlsx_close(s->x, &s->fd, &err)) {
            log_error("appeal export: %s", err.message);
            s->fail = 1;
        }
        s->x = NULL;
    }
    if (s->fail)
        return -1;
    if (s->fd >= 0) {
        ssize_t k = read(s->fd, buf, n);
        if (k < 0)
            s->fail = 1;
        return k < 0 ? -1 : (long)k;
    }
    while (s->off == s->b.len && !s->done && !s->fail) {
        s->b.len = s->off = 0;
        stream_page(s);
    }
    if (s->fail)
        return -1;
    size_t k = s->b.len - s->off < n ? s->b.len - s->off : n;
    memcpy(buf, s->b.p + s->off, k);
    s->off += k;
    return (long)k;
}

void report_stream_free(report_stream_t *s)
{
    if (!s)
        return;
    ex_table_free(&s->row);
    free(s->b.p);
    ex_xlsx_abandon(s->x);
    if (s->fd >= 0)
        close(s->fd);
    free(s);
}

static int on_appeal(appeal_rec_t *a, void *arg)
{
    struct list_ctx *c = arg;
    if (one_row(c->out, a))
        return c->oom = 1;
    c->page++;
    return c->row_fn(c->out, c->row_arg);
}

static int list_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct list_ctx *c = arg;
    body_info_t b;
    int rc;
    if (c->body) {
        if ((rc = store_body_get(tx, c->body, &b, err)))
            return rc;
        c->f.scope_path = b.path;
    }
    return store_appeal_each(tx, &c->f, on_appeal, c, err);
}

int report_appeals_each(const svc_t *svc, const char *from, const char *to, const char *body,
                        int64_t now, int (*row)(const ex_table_t *t, void *arg), void *arg,
                        size_t *n, ot_err_t *err)
{
    ex_table_t one;
    ex_table_init(&one, "appeals", appeal_cols, L_COUNT);
    ot_day_t f, t, today = svc_today(svc, NULL, now);
    int y, rc;
    date_to_ymd(today, &y, NULL, NULL);
    date_from_ymd(y, 1, 1, &f);
    t = today;
    if ((from && (rc = check_day(from, "from", &f, err))) ||
        (to && (rc = check_day(to, "to", &t, err))))
        return rc;
    struct list_ctx c;
    memset(&c, 0, sizeof c);
    c.out = &one;
    c.row_fn = row;
    c.row_arg = arg;
    c.body = body;
    int off = svc_utc_offset(svc, NULL);
    c.f.received_from = instant_from_local(f, 0, off);
    c.f.received_to = instant_from_local(t + 1, 0, off);
    c.f.limit = 1000;
    if (row(&one, arg)) /* the columns alone, before any row */
        return OT_OK;
    rc = store_read_replica(svc->store, list_tx, &c, err);
    if (!rc && c.oom)
        rc = ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
    if (n)
        *n = c.page;
    ex_table_free(&one);
    return rc;
}
