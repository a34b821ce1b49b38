/* Problems over HTTP (issue 17): the list (chronic problems with state=recurring,
 * min_appeals and sort=appeals), one problem with its appeals on a timeline, and the staff's
 * corrections of the grouping (confirm, split, merge). */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/handlers.h"
#include "http/input.h"
#include "service/problem.h"
#include "util/log.h"
#include "util/str.h"

static void jw_instant(jw_t *w, const char *key, const svc_t *svc, int64_t us)
{
    char buf[40];
    jw_key(w, key);
    if (us) {
        instant_format(us, svc_utc_offset(svc, NULL), buf, sizeof buf);
        jw_str(w, buf);
    } else
        jw_null(w);
}

static void problem_write(jw_t *w, const svc_t *svc, const problem_view_t *v)
{
    const problem_rec_t *p = &v->p;
    jw_kint(w, "id", p->id);
    jw_kstr(w, "body", p->body);
    jw_kstr(w, "category", p->category);
    jw_kstr_opt(w, "district", p->district);
    jw_kstr_opt(w, "address", p->address);
    if (p->has_coords) {
        jw_key(w, "lat");
        jw_real(w, p->lat);
        jw_key(w, "lon");
        jw_real(w, p->lon);
    }
    jw_kstr(w, "title", p->title);
    jw_kstr(w, "state", p->state);
    jw_key(w, "confirmed");
    jw_bool(w, p->confirmed);
    jw_kint(w, "appeals", p->n_appeals);
    jw_kint(w, "open_appeals", p->n_open);
    jw_kint(w, "recurrences", p->recurrences);
    jw_instant(w, "first_at", svc, p->first_at);
    jw_instant(w, "last_at", svc, p->last_at);
    jw_instant(w, "recurred_at", svc, p->recurred_at);
    /* how long it has been raised: days from the first appeal to the last */
    jw_kint(w, "days_raised", (p->last_at - p->first_at) / (86400LL * 1000000LL));
    jw_key(w, "per_year");
    jw_obj(w);
    for (int i = 0; i < v->n_years; i++) {
        char y[8];
        snprintf(y, sizeof y, "%d", v->years[i].year);
        jw_kint(w, y, v->years[i].n);
    }
    jw_end(w);
    if (p->merged_into)
        jw_kint(w, "merged_into", p->merged_into);
}

struct list_out {
    const svc_t *svc;
    jw_t w;
    int n;
    problem_rec_t last; /* the page's last row: its keys make the next cursor */
};

static int add_item(const problem_view_t *v, void *arg)
{
    struct list_out *l = arg;
    jw_obj(&l->w);
    problem_write(&l->w, l->svc, v);
    jw_end(&l->w);
    l->n++;
    l->last = v->p;
    return 0;
}

/* The keyset cursor of the list (issue 23 point 1): the last row's keys in the sort's order,
 * "LAST_AT.ID" newest first, "FIRST_AT.ID" by age, "N_APPEALS.FIRST_AT.ID" by number of
 * appeals (instants in µs). */
static int list_cursor_parse(const char *a, problem_filter_t *f)
{
    /* each key whole digits in range (str_to_long): sscanf's %lld took a sign, blanks and
     * a number past the range of its type */
    char buf[80], *key[3];
    int want = f->sort && !strcmp(f->sort, "appeals") ? 3 : 2, n = 0;
    long v[3] = {0, 0, 0};
    if (strlen(a) >= sizeof buf)
        return -1;
    memcpy(buf, a, strlen(a) + 1);
    for (char *s = buf; s && n < 3; n++) {
        key[n] = s;
        if ((s = strchr(s, '.')))
            *s++ = '\0';
        if (n == want - 1 && s)
            return -1; /* more keys than the sort's */
    }
    if (n != want)
        return -1;
    for (int i = 0; i < n; i++)
        if (!(key[i][0] >= '0' && key[i][0] <= '9') ||
            str_to_long(key[i], i == n - 1 ? 1 : 0, LONG_MAX, &v[i]))
            return -1;
    f->after = 1;
    f->after_n = want == 3 ? v[0] : 0;
    f->after_at = v[want - 2];
    f->after_id = v[want - 1];
    return 0;
}

static void list_cursor_write(jw_t *w, const problem_filter_t *f, const problem_rec_t *p)
{
    char c[80];
    if (f->sort && !strcmp(f->sort, "appeals"))
        snprintf(c, sizeof c, "%lld.%lld.%lld", (long long)p->n_appeals, (long long)p->first_at,
                 (long long)p->id);
    else
        snprintf(c, sizeof c, "%lld.%lld",
                 (long long)(f->sort && !strcmp(f->sort, "age") ? p->first_at : p->last_at),
                 (long long)p->id);
    jw_str(w, c);
}

static int q_long(http_req_t *req, const char *name, long min, long max, long *out)
{
    const char *s = http_query_opt(req, name);
    if (s && str_to_long(s, min, max, out)) {
        char msg[96];
        snprintf(msg, sizeof msg, "%s must be a whole number %ld..%ld", name, min, max);
        http_reply_error(req, OT_EINVAL, "out_of_range", name, msg);
        return -1;
    }
    return 0;
}

void h_problem_list(http_req_t *req)
{
    auth_user_t u;
    if (http_auth(req, &u))
        return;
    problem_filter_t f;
    memset(&f, 0, sizeof f);
    f.body = http_query_opt(req, "body");
    f.district = http_query_opt(req, "district");
    f.category = http_query_opt(req, "category");
    f.state = http_query_opt(req, "state");
    f.sort = http_query_opt(req, "sort");
    long limit = 50, min = 0;
    if (q_long(req, "limit", 1, 200, &limit) || q_long(req, "min_appeals", 0, 1000000, &min))
        return;
    f.limit = (int)limit;
    f.min_appeals = min;
    if (f.sort && strcmp(f.sort, "recent") && strcmp(f.sort, "appeals") && strcmp(f.sort, "age")) {
        http_reply_error(req, OT_EINVAL, "unknown_value", "sort",
                         "sort is recent, appeals (most often raised) or age (longest raised)");
        return;
    }
    /* pages by keyset (issue 23 point 1); an offset read every row before the page */
    if (http_query_opt(req, "offset")) {
        http_reply_error(req, OT_EINVAL, "bad_cursor", "offset",
                         "pages follow next: after=<next> of the page before, not offset");
        return;
    }
    const char *after = http_query_opt(req, "after");
    if (after && list_cursor_parse(after, &f)) {
        http_reply_error(req, OT_EINVAL, "bad_cursor", "after",
                         "after is the next of a page in the same sort");
        return;
    }
    const char *since = http_query_opt(req, "since");
    if (since) {
        ot_day_t d;
        if (date_parse(since, &d)) {
            http_reply_error(req, OT_EINVAL, "bad_date", "since", "since must be YYYY-MM-DD");
            return;
        }
        f.since_us = instant_from_local(d, 0, svc_utc_offset(&req->app->svc, NULL));
    }
    struct list_out l = {&req->app->svc, JW_INIT, 0, {0}};
    jw_obj(&l.w);
    jw_key(&l.w, "items");
    jw_arr(&l.w);
    ot_err_t err;
    if (problem_list(&req->app->svc, &u, &f, add_item, &l, &err)) {
        free(l.w.p);
        http_reply_err(req, &err);
        return;
    }
    jw_end(&l.w);
    jw_kint(&l.w, "count", l.n);
    jw_key(&l.w, "next");
    if (l.n == f.limit)
        list_cursor_write(&l.w, &f, &l.last);
    else
        jw_null(&l.w);
    jw_end(&l.w);
    http_reply_jw(req, 200, &l.w);
}

static int id_param(http_req_t *req, int64_t *id)
{
    long v;
    if (str_to_long(req->params[0], 1, LONG_MAX, &v)) {
        http_reply_error(req, OT_ENOTFOUND, "problem_not_found", "id", "no such problem");
        return -1;
    }
    *id = v;
    return 0;
}

struct timeline {
    const svc_t *svc;
    jw_t *w;
    int n;                    /* entries written */
    int64_t last_at, last_id; /* the last one's, the cursor of the next page */
};

static int add_entry(const problem_entry_t *e, void *arg)
{
    struct timeline *t = arg;
    const appeal_rec_t *a = e->a;
    jw_t *w = t->w;
    t->n++;
    t->last_at = a->received_at;
    t->last_id = a->id;
    jw_obj(w);
    jw_kstr(w, "number", a->number);
    jw_kstr(w, "kind", a->kind);
    jw_kstr(w, "status", a->status);
    jw_kstr(w, "body", a->body);
    jw_instant(w, "received_at", t->svc, a->received_at);
    jw_kstr(w, "registered_on", a->registered_on);
    jw_kstr_opt(w, "answered_on", a->answered_on);
    jw_kstr_opt(w, "decision", a->decision);
    jw_kstr_opt(w, "verdict", a->verdict);
    jw_key(w, "reraised");
    jw_bool(w, a->reraised);
    jw_kstr_opt(w, "repeat_of", a->repeat_number);
    jw_kstr_opt(w, "address", e->readable ? a->address : NULL);
    jw_kstr_opt(w, "text", e->readable ? a->text : NULL);
    jw_end(w);
    return 0;
}

void h_problem_get(http_req_t *req)
{
    auth_user_t u;
    if (http_auth(req, &u))
        return;
    int64_t id;
    if (id_param(req, &id))
        return;
    /* the timeline a page at a time (issue 23: a mass complaint's problem of 3,231 appeals
     * was 1.7 MB at the 1M demo, every appeal's text included): limit 1..1000 (default
     * 200), after the cursor "RECEIVED_US.ID" of timeline_next */
    problem_page_t page = {INT64_MIN, 0, 200};
    long limit = 200, pid = 0;
    long long at = 0;
    const char *s = http_query_opt(req, "limit"), *a = http_query_opt(req, "after");
    char tail = 0;
    if (s && str_to_long(s, 1, 1000, &limit)) {
        http_reply_error(req, OT_EINVAL, "out_of_range", "limit", "limit must be 1..1000");
        return;
    }
    if (a && (sscanf(a, "%lld.%ld%c", &at, &pid, &tail) != 2 || pid < 1)) {
        http_reply_error(req, OT_EINVAL, "bad_cursor", "after",
                         "after is the timeline_next of a page");
        return;
    }
    page.limit = (int)limit;
    if (a) {
        page.after_at = at;
        page.after_id = pid;
    }
    problem_view_t v;
    jw_t w = JW_INIT;
    struct timeline t = {&req->app->svc, &w, 0, 0, 0};
    jw_obj(&w);
    jw_key(&w, "timeline");
    jw_arr(&w);
    ot_err_t err;
    if (problem_get(&req->app->svc, &u, id, &page, &v, add_entry, &t, &err)) {
        free(w.p);
        http_reply_err(req, &err);
        return;
    }
    jw_end(&w);
    jw_key(&w, "timeline_next");
    if (t.n == page.limit) {
        char next[48];
        snprintf(next, sizeof next, "%lld.%lld", (long long)t.last_at, (long long)t.last_id);
        jw_str(&w, next);
    } else
        jw_null(&w);
    problem_write(&w, &req->app->svc, &v);
    jw_end(&w);
    http_reply_jw(req, 200, &w);
}

void h_problem_action(http_req_t *req)
{
    auth_user_t u;
    if (http_auth(req, &u))
        return;
    int64_t id;
    if (id_param(req, &id))
        return;
    json_t *b = req->body_len ? http_body_json(req) : json_object();
    if (!b)
        return;
    static const char *const keys[] = {"appeals", "into", "reason", NULL};
    problem_act_in_t in;
    memset(&in, 0, sizeof in);
    ot_err_t err;
    int64_t into = 0, new_id = 0;
    const char **numbers = NULL;
    json_t *list = json_object_get(b, "appeals");
    int rc = in_only(b, keys, NULL, &err) ||
             in_int(b, "into", "into", 0, 1, INT64_MAX, &into, &err) ||
             in_str(b, "reason", "reason", 0, 2000, 1, &in.reason, &err);
    if (!rc && list) {
        size_t n = json_is_array(list) ? json_array_size(list) : 0;
        if (!json_is_array(list) || n > 1000)
            rc = ot_err(&err, OT_EINVAL, "wrong_type", "appeals",
                        "appeals is a list of at most 1000 appeal numbers");
        else if (!(numbers = calloc(n + 1, sizeof *numbers)))
            rc = ot_err(&err, OT_EINTERNAL, "oom", NULL, "out of memory");
        for (size_t i = 0; !rc && i < n; i++)
            if (!(numbers[i] = json_string_value(json_array_get(list, i))))
                rc = ot_err(&err, OT_EINVAL, "wrong_type", "appeals",
                            "appeals is a list of appeal numbers");
        in.appeals = numbers;
        in.n_appeals = n;
    }
    in.into = into;
    if (!rc)
        rc =
            problem_act(&req->app->svc, &u, id, req->params[1], &in, clock_now_us(), &new_id, &err);
    free(numbers);
    json_decref(b);
    if (rc) {
        http_reply_err(req, &err);
        return;
    }
    problem_view_t v;
    if (problem_get(&req->app->svc, &u, new_id ? new_id : id, NULL, &v, NULL, NULL, &err)) {
        http_reply_err(req, &err);
        return;
    }
    jw_t w = JW_INIT;
    jw_obj(&w);
    problem_write(&w, &req->app->svc, &v);
    jw_end(&w);
    http_reply_jw(req, 200, &w);
}
