#include "http/metrics.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/handlers.h"
#include "service/metrics.h"
#include "util/log.h"

#define MAX_ROUTES 256 /* http_routes, then two pseudo routes */
#define N_CLASSES  5   /* 1xx .. 5xx */
#define N_BUCKETS  14

/* seconds, the upper bounds of the latency histogram's buckets */
static const double le_s[N_BUCKETS] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                       0.1,    0.25,  0.5,    1,     2.5,  5,     10};

struct route_stats {
    atomic_uint_least64_t by_class[N_CLASSES];
    atomic_uint_least64_t hist[N_BUCKETS + 1]; /* per bucket, summed up when written */
    atomic_uint_least64_t sum_us;
    atomic_uint_least64_t aside; /* of them, run on a request thread */
};

static struct route_stats stats[MAX_ROUTES + 2];

static int n_routes(void)
{
    static atomic_int n = -1;
    int v = atomic_load(&n);
    if (v < 0) {
        for (v = 0; v < MAX_ROUTES && http_routes[v].method; v++)
            ;
        atomic_store(&n, v);
    }
    return v;
}

void http_metrics_record(const http_route_t *route, int status, int64_t us, int aside)
{
    int nr = n_routes(), i;
    if (route && route >= http_routes && route < http_routes + nr)
        i = (int)(route - http_routes);
    else
        i = status < 400 ? nr : nr + 1; /* the web UI; unmatched (404, 405) */
    int cls = status / 100 - 1;
    if (cls < 0 || cls >= N_CLASSES)
        cls = N_CLASSES - 1;
    int b = 0;
    while (b < N_BUCKETS && (double)us > le_s[b] * 1e6)
        b++;
    atomic_fetch_add(&stats[i].by_class[cls], 1);
    atomic_fetch_add(&stats[i].hist[b], 1);
    atomic_fetch_add(&stats[i].sum_us, (uint64_t)(us > 0 ? us : 0));
    if (aside)
        atomic_fetch_add(&stats[i].aside, 1);
}

/* Whether addr is one of the comma-separated addresses in list. */
static int allowed(const char *list, const char *addr)
{
    size_t n = strlen(addr);
    for (const char *p = list; p && *p;) {
        while (*p == ' ' || *p == ',')
            p++;
        size_t len = strcspn(p, ", ");
        if (len && len == n && strncmp(p, addr, n) == 0)
            return 1;
        p += len;
    }
    return 0;
}

static void labels(FILE *f, int i, int nr)
{
    if (i < nr)
        fprintf(f, "method=\"%s\",route=\"%s\"", http_routes[i].method, http_routes[i].pattern);
    else
        fprintf(f, "method=\"GET\",route=\"%s\"", i == nr ? "(static)" : "(unmatched)");
}

static void write_http(FILE *f)
{
    int nr = n_routes();
    fputs("# HELP otinish_http_requests_total HTTP requests finished, by route and status "
          "class.\n# TYPE otinish_http_requests_total counter\n",
          f);
    for (int i = 0; i < nr + 2; i++)
        for (int c = 0; c < N_CLASSES; c++) {
            uint64_t v = atomic_load(&stats[i].by_class[c]);
            if (!v)
                continue;
            fputs("otinish_http_requests_total{", f);
            labels(f, i, nr);
            fprintf(f, ",code=\"%dxx\"} %llu\n", c + 1, (unsigned long long)v);
        }
    fputs("# HELP otinish_http_requests_set_aside_total HTTP requests finished that ran on a "
          "request thread (a write, or a read that may wait or run long), by route.\n"
          "# TYPE otinish_http_requests_set_aside_total counter\n",
          f);
    for (int i = 0; i < nr; i++) {
        uint64_t v = atomic_load(&stats[i].aside);
        if (!v)
            continue;
        fputs("otinish_http_requests_set_aside_total{", f);
        labels(f, i, nr);
        fprintf(f, "} %llu\n", (unsigned long long)v);
    }
    fputs("# HELP otinish_http_request_duration_seconds Time from a request's headers to its "
          "reply, by route.\n# TYPE otinish_http_request_duration_seconds histogram\n",
          f);
    for (int i = 0; i < nr + 2; i++) {
        uint64_t cum = 0, per[N_BUCKETS + 1];
        for (int b = 0; b <= N_BUCKETS; b++)
            per[b] = atomic_load(&stats[i].hist[b]);
        uint64_t total = 0;
        for (int b = 0; b <= N_BUCKETS; b++)
            total += per[b];
        if (!total)
            continue;
        for (int b = 0; b <= N_BUCKETS; b++) {
            cum += per[b];
            fputs("otinish_http_request_duration_seconds_bucket{", f);
            labels(f, i, nr);
            if (b < N_BUCKETS)
                fprintf(f, ",le=\"%g\"} %llu\n", le_s[b], (unsigned long long)cum);
            else
                fprintf(f, ",le=\"+Inf\"} %llu\n", (unsigned long long)cum);
        }
        fputs("otinish_http_request_duration_seconds_sum{", f);
        labels(f, i, nr);
        fprintf(f, "} %.6f\n", (double)atomic_load(&stats[i].sum_us) / 1e6);
        fputs("otinish_http_request_duration_seconds_count{", f);
        labels(f, i, nr);
        fprintf(f, "} %llu\n", (unsigned long long)cum);
    }
}

static void gauge(FILE *f, const char *name, const char *help, long long v)
{
    fprintf(f, "# HELP %s %s\n# TYPE %s gauge\n%s %lld\n", name, help, name, name, v);
}

static void counter(FILE *f, const char *name, const char *help, unsigned long long v)
{
    fprintf(f, "# HELP %s %s\n# TYPE %s counter\n%s %llu\n", name, help, name, name, v);
}

static void write_store(FILE *f, const svc_metrics_t *m)
{
    gauge(f, "otinish_appeals_open", "Appeals registered, assigned or in work.", m->open_appeals);
    gauge(f, "otinish_appeals_overdue", "Open appeals whose due date has passed.",
          m->overdue_appeals);
    gauge(f, "otinish_violations_open", "Violations open or in proceedings.", m->open_violations);
    gauge(f, "otinish_outbox_backlog", "Notices pending or being sent.", m->outbox_backlog);
    fputs("# HELP otinish_store_batch_size Write units committed together by the group-commit "
          "writer.\n# TYPE otinish_store_batch_size histogram\n",
          f);
    uint64_t cum = 0;
    for (int b = 0; b <= SVC_BATCH_BUCKETS; b++) {
        cum += m->batch_hist[b];
        if (b < SVC_BATCH_BUCKETS)
            fprintf(f, "otinish_store_batch_size_bucket{le=\"%d\"} %llu\n", m->batch_le[b],
                    (unsigned long long)cum);
        else
            fprintf(f, "otinish_store_batch_size_bucket{le=\"+Inf\"} %llu\n",
                    (unsigned long long)cum);
    }
    /* every unit written through the writer is in exactly one batch */
    fprintf(f, "otinish_store_batch_size_sum %llu\notinish_store_batch_size_count %llu\n",
            (unsigned long long)m->units, (unsigned long long)m->batches);
    fputs("# HELP otinish_store_commit_wait_seconds Time a write waited for its group "
          "commit.\n# TYPE otinish_store_commit_wait_seconds histogram\n",
          f);
    cum = 0;
    for (int b = 0; b <= SVC_WAIT_BUCKETS; b++) {
        cum += m->wait_hist[b];
        if (b < SVC_WAIT_BUCKETS)
            fprintf(f, "otinish_store_commit_wait_seconds_bucket{le=\"%g\"} %llu\n",
                    (double)m->wait_le_us[b] / 1e6, (unsigned long long)cum);
        else
            fprintf(f, "otinish_store_commit_wait_seconds_bucket{le=\"+Inf\"} %llu\n",
                    (unsigned long long)cum);
    }
    fprintf(f,
            "otinish_store_commit_wait_seconds_sum %.6f\n"
            "otinish_store_commit_wait_seconds_count %llu\n",
            (double)m->wait_sum_us / 1e6, (unsigned long long)cum);
    counter(f, "otinish_store_errors_total",
            "Writes that failed in the store (I/O, busy), not by a use case's refusal.",
            (unsigned long long)m->store_errors);
    counter(f, "otinish_sweeps_total", "Accountability sweeps run by this process.",
            (unsigned long long)m->sweeps);
    fprintf(f,
            "# HELP otinish_sweep_seconds_total Time spent in accountability sweeps.\n"
            "# TYPE otinish_sweep_seconds_total counter\notinish_sweep_seconds_total %.6f\n",
            (double)m->sweep_sum_us / 1e6);
    fprintf(f, "# HELP otinish_sweep_last_duration_seconds Duration of the last sweep.\n"
               "# TYPE otinish_sweep_last_duration_seconds gauge\n");
    fprintf(f, "otinish_sweep_last_duration_seconds %.6f\n", (double)m->sweep_last_us / 1e6);
}

void h_metrics(http_req_t *req)
{
    char client[64];
    http_client_addr(req, client, sizeof client);
    if (!allowed(req->app->cfg.metrics_allow, client)) {
        http_reply_error(req, OT_EFORBIDDEN, "forbidden", NULL,
                         "metrics are served to the configured addresses only");
        return;
    }
    svc_metrics_t m;
    ot_err_t err = {0};
    if (svc_metrics_read(&req->app->svc, clock_now_us(), &m, &err)) {
        http_reply_err(req, &err);
        return;
    }
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) {
        http_reply_error(req, OT_EINTERNAL, "internal", NULL, "out of memory");
        return;
    }
    write_http(f);
    write_store(f, &m);
    /* the jobs that run on one node at a time (issue 19): whether this node runs them now */
    svc_store_info_t si;
    svc_store_info(req->app->svc.store, &si);
    fprintf(f,
            "# HELP otinish_role Whether this node runs the job now (several nodes: one does).\n"
            "# TYPE otinish_role gauge\notinish_role{role=\"sweeper\"} %d\n"
            "otinish_role{role=\"delivery\"} %d\notinish_role{role=\"publisher\"} %d\n",
            si.sweeper, si.delivery, si.publisher);
    fclose(f);
    http_reply_bytes(req, 200, "text/plain; version=0.0.4; charset=utf-8", buf, len, NULL);
}
