/* GET /metrics: the Prometheus text exposition format (version 0.0.4), checked line by line
 * by a strict parser written here from the format's specification; the figures follow what
 * the server did; only the configured addresses may read it. */
#include "harness.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static srv_t S;

/* ==== A strict parser of the text format ==== */

#define MAX_SERIES 4096

struct family {
    char name[128], type[16];
    int has_help, has_type, closed;
};

struct parsed {
    struct family fam[256];
    int n_fam, cur; /* cur: the family whose samples are being read, -1 none */
    char series[MAX_SERIES][512];
    double value[MAX_SERIES];
    int n_series;
    char err[256];
};

static int bad(struct parsed *p, int line, const char *why)
{
    snprintf(p->err, sizeof p->err, "line %d: %s", line, why);
    return -1;
}

static int is_name(const char *s, size_t n, int colon)
{
    if (!n || !(isalpha((unsigned char)s[0]) || s[0] == '_' || (colon && s[0] == ':')))
        return 0;
    for (size_t i = 1; i < n; i++)
        if (!(isalnum((unsigned char)s[i]) || s[i] == '_' || (colon && s[i] == ':')))
            return 0;
    return 1;
}

static int parse_value(const char *s, double *v)
{
    if (!strcmp(s, "+Inf") || !strcmp(s, "-Inf") || !strcmp(s, "NaN")) {
        *v = !strcmp(s, "NaN") ? NAN : s[0] == '+' ? INFINITY : -INFINITY;
        return 0;
    }
    char *end;
    if (!*s || isspace((unsigned char)*s))
        return -1;
    *v = strtod(s, &end);
    return *end ? -1 : 0;
}

static struct family *family_of(struct parsed *p, const char *name, int create)
{
    for (int i = 0; i < p->n_fam; i++)
        if (!strcmp(p->fam[i].name, name))
            return &p->fam[i];
    if (!create || p->n_fam == 256)
        return NULL;
    struct family *f = &p->fam[p->n_fam++];
    memset(f, 0, sizeof *f);
    snprintf(f->name, sizeof f->name, "%s", name);
    return f;
}

/* The family a sample name belongs to, given the TYPE lines seen. */
static struct family *family_of_sample(struct parsed *p, const char *name)
{
    struct family *f = family_of(p, name, 0);
    if (f && strcmp(f->type, "histogram"))
        return f;
    static const char *const sfx[] = {"_bucket", "_sum", "_count"};
    for (int i = 0; i < 3; i++) {
        size_t n = strlen(name), k = strlen(sfx[i]);
        if (n > k && !strcmp(name + n - k, sfx[i])) {
            char base[128];
            snprintf(base, sizeof base, "%.*s", (int)(n - k), name);
            struct family *h = family_of(p, base, 0);
            if (h && !strcmp(h->type, "histogram"))
                return h;
        }
    }
    return NULL;
}

static int parse_sample(struct parsed *p, int ln, char *line)
{
    char *s = line;
    size_t n = strcspn(s, "{ ");
    char name[128];
    if (n >= sizeof name || !is_name(s, n, 1))
        return bad(p, ln, "bad metric name");
    snprintf(name, sizeof name, "%.*s", (int)n, s);
    s += n;
    char labels[256] = "", seen[16][64];
    int n_seen = 0;
    if (*s == '{') {
        s++;
        size_t lp = 0;
        while (*s != '}') {
            size_t k = strcspn(s, "=");
            if (!is_name(s, k, 0) || k >= 64 || s[k] != '=' || s[k + 1] != '"')
                return bad(p, ln, "bad label name");
            for (int i = 0; i < n_seen; i++)
                if (strlen(seen[i]) == k && !strncmp(seen[i], s, k))
                    return bad(p, ln, "label twice");
            if (n_seen == 16)
                return bad(p, ln, "too many labels");
            snprintf(seen[n_seen++], 64, "%.*s", (int)k, s);
            lp += (size_t)snprintf(labels + lp, sizeof labels - lp, "%.*s=\"", (int)k, s);
            s += k + 2;
            while (*s != '"') {
                if (!*s || *s == '\n')
                    return bad(p, ln, "unterminated label value");
                if (*s == '\\') {
                    if (s[1] != '\\' && s[1] != '"' && s[1] != 'n')
                        return bad(p, ln, "bad escape in a label value");
                    if (lp + 2 < sizeof labels) {
                        labels[lp++] = s[0];
                        labels[lp++] = s[1];
                    }
                    s += 2;
                    continue;
                }
                if (lp + 1 < sizeof labels)
                    labels[lp++] = *s;
                s++;
            }
            s++;
            if (lp + 2 < sizeof labels)
                labels[lp++] = '"';
            if (*s == ',') {
                s++;
                if (lp + 1 < sizeof labels)
                    labels[lp++] = ',';
            } else if (*s != '}')
                return bad(p, ln, "expected , or } after a label");
            labels[lp] = '\0';
        }
        s++;
    }
    if (*s != ' ')
        return bad(p, ln, "expected one space before the value");
    s++;
    char *sp = strchr(s, ' ');
    if (sp) {
        char *end;
        *sp = '\0';
        strtoll(sp + 1, &end, 10);
        if (*end || end == sp + 1)
            return bad(p, ln, "bad timestamp");
    }
    double v;
    if (parse_value(s, &v))
        return bad(p, ln, "bad value");
    struct family *f = family_of_sample(p, name);
    if (!f || !f->has_type)
        return bad(p, ln, "a sample before its # TYPE");
    int idx = (int)(f - p->fam);
    if (p->cur != idx) {
        if (f->closed)
            return bad(p, ln, "the samples of a family are not together");
        if (p->cur >= 0)
            p->fam[p->cur].closed = 1;
        p->cur = idx;
    }
    if (!strcmp(f->type, "counter") && (v < 0 || isnan(v)))
        return bad(p, ln, "a counter below zero");
    if (!strcmp(f->type, "histogram") && strcmp(name, f->name) == 0)
        return bad(p, ln, "a histogram sample without _bucket/_sum/_count");
    if (!strcmp(f->type, "histogram") && strstr(name, "_bucket") && !strstr(labels, "le=\""))
        return bad(p, ln, "a bucket without le");
    char key[512];
    snprintf(key, sizeof key, "%.127s{%.255s}", name, labels);
    for (int i = 0; i < p->n_series; i++)
        if (!strcmp(p->series[i], key))
            return bad(p, ln, "the same series twice");
    if (p->n_series == MAX_SERIES)
        return bad(p, ln, "too many series");
    snprintf(p->series[p->n_series], sizeof p->series[0], "%s", key);
    p->value[p->n_series++] = v;
    return 0;
}

/* The series "name{labels}" and its value; NAN when absent. */
static double series(const struct parsed *p, const char *key)
{
    for (int i = 0; i < p->n_series; i++)
        if (!strcmp(p->series[i], key))
            return p->value[i];
    return NAN;
}

/* Histogram rules: for each label set, le ascending to +Inf, counts not decreasing,
 * _count equal to the +Inf bucket, and a _sum. */
static int check_histograms(struct parsed *p)
{
    for (int i = 0; i < p->n_series; i++) {
        char *b = strstr(p->series[i], "_bucket{");
        if (!b || !strstr(p->series[i], "le=\"+Inf\""))
            continue;
        /* the other series of the same label set: same prefix without le */
        char base[128], rest[256];
        snprintf(base, sizeof base, "%.*s", (int)(b - p->series[i]), p->series[i]);
        snprintf(rest, sizeof rest, "%s", b + 8);
        char *le = strstr(rest, "le=\"+Inf\"");
        *le = '\0'; /* the labels before le */
        size_t lrest = strlen(rest);
        double prev_le = -INFINITY, prev_v = 0;
        int n = 0;
        for (int j = 0; j < p->n_series; j++) {
            char pre[512];
            snprintf(pre, sizeof pre, "%.127s_bucket{%.255s", base, rest);
            if (strncmp(p->series[j], pre, strlen(pre)) ||
                strncmp(p->series[j] + strlen(pre), "le=\"", 4))
                continue;
            double lev;
            char lebuf[32];
            snprintf(lebuf, sizeof lebuf, "%.*s",
                     (int)strcspn(p->series[j] + strlen(pre) + 4, "\""),
                     p->series[j] + strlen(pre) + 4);
            if (parse_value(lebuf, &lev) || lev <= prev_le)
                return bad(p, 0, "histogram buckets not in ascending le");
            if (p->value[j] < prev_v)
                return bad(p, 0, "histogram buckets not cumulative");
            prev_le = lev;
            prev_v = p->value[j];
            n++;
        }
        if (!isinf(prev_le) || n < 2)
            return bad(p, 0, "a histogram without its buckets up to +Inf");
        char key[512];
        if (lrest && rest[lrest - 1] == ',')
            rest[lrest - 1] = '\0';
        snprintf(key, sizeof key, "%.127s_count{%.255s}", base, rest);
        if (series(p, key) != prev_v)
            return bad(p, 0, "histogram _count differs from its +Inf bucket");
        snprintf(key, sizeof key, "%.127s_sum{%.255s}", base, rest);
        if (isnan(series(p, key)))
            return bad(p, 0, "a histogram without _sum");
    }
    return 0;
}

static int parse_exposition(const char *text, struct parsed *p)
{
    memset(p, 0, sizeof *p);
    p->cur = -1;
    size_t len = strlen(text);
    if (!len || text[len - 1] != '\n')
        return bad(p, 0, "the text does not end with a newline");
    char *copy = strdup(text), *save = NULL;
    int ln = 0, rc = 0;
    for (char *line = strtok_r(copy, "\n", &save); line && !rc;
         line = strtok_r(NULL, "\n", &save)) {
        ln++;
        if (line[0] == '#') {
            char kind[8], name[128];
            int off = 0;
            if (sscanf(line, "# %7s %127s %n", kind, name, &off) < 2 ||
                (strcmp(kind, "HELP") && strcmp(kind, "TYPE")) || !is_name(name, strlen(name), 1))
                rc = bad(p, ln, "a comment that is neither # HELP nor # TYPE");
            else {
                struct family *f = family_of(p, name, 1);
                if (!f)
                    rc = bad(p, ln, "too many families");
                else if (!strcmp(kind, "HELP")) {
                    if (f->has_help++)
                        rc = bad(p, ln, "HELP twice");
                } else {
                    const char *t = line + off;
                    if (f->has_type++)
                        rc = bad(p, ln, "TYPE twice");
                    else if (strcmp(t, "counter") && strcmp(t, "gauge") && strcmp(t, "histogram") &&
                             strcmp(t, "summary") && strcmp(t, "untyped"))
                        rc = bad(p, ln, "unknown TYPE");
                    else if (p->cur >= 0 && f->closed)
                        rc = bad(p, ln, "TYPE after the family's samples");
                    else if (!strcmp(t, "counter") &&
                             (strlen(name) < 6 || strcmp(name + strlen(name) - 6, "_total")))
                        rc = bad(p, ln, "a counter whose name does not end in _total");
                    snprintf(f->type, sizeof f->type, "%s", t);
                }
            }
        } else
            rc = parse_sample(p, ln, line);
    }
    free(copy);
    return rc ? rc : check_histograms(p);
}

/* ==== Tests ==== */

static char page[1 << 18];

static void get_metrics(srv_t *s, struct parsed *p)
{
    resp_t r = api(s, "GET", "/metrics", NULL);
    assert_int_equal(r.status, 200);
    char ct[128];
    assert_non_null(resp_header(&r, "Content-Type", ct, sizeof ct));
    assert_string_equal(ct, "text/plain; version=0.0.4; charset=utf-8");
    snprintf(page, sizeof page, "%s", r.body);
    resp_free(&r);
    if (parse_exposition(page, p))
        fail_msg("GET /metrics: %s\n%s", p->err, page);
}

static int setup(void **state)
{
    const char *serve[] = {"--public-limit", "0", "--sweep-interval", "1", NULL};
    if (srv_start(&S, NULL, serve))
        return -1;
    *state = &S;
    return 0;
}

static int teardown(void **state)
{
    return srv_stop(*state);
}

static void the_parser_is_strict(void **state)
{
    (void)state;
    static struct parsed p;
    static const char *const wrong[] = {
        "x_total 1\n",                       /* no TYPE */
        "# TYPE x_total counter\nx_total 1", /* no final newline */
        "# TYPE x counter\nx 1\n",           /* counter without _total */
        "# TYPE x_total counter\nx_total{a=\"1\"} 1\nx_total{a=\"1\"} 2\n", /* twice */
        "# TYPE x gauge\nx{a=\"\\q\"} 1\n",                                 /* bad escape */
        "# TYPE x gauge\nx{a=\"1\",a=\"2\"} 1\n",                           /* label twice */
        "# TYPE x gauge\nx one\n",                                          /* bad value */
        "# TYPE x gauge\n# TYPE y gauge\nx 1\ny 1\nx{b=\"2\"} 1\n",         /* not together */
        "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n",
        "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 2\nh_sum 1\nh_count 3\n",
        "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 2\nh_count 2\n",
        "# comment\n",
    };
    for (size_t i = 0; i < sizeof wrong / sizeof wrong[0]; i++)
        if (parse_exposition(wrong[i], &p) == 0)
            fail_msg("the parser took wrong case %zu: %s", i, wrong[i]);
    const char *right = "# HELP h A histogram.\n# TYPE h histogram\n"
                        "h_bucket{r=\"a\",le=\"0.5\"} 1\nh_bucket{r=\"a\",le=\"+Inf\"} 2\n"
                        "h_sum{r=\"a\"} 1.5\nh_count{r=\"a\"} 2\n"
                        "# TYPE g gauge\ng{p=\"a\\\"b\\\\\"} -3.5e2\n";
    if (parse_exposition(right, &p))
        fail_msg("the parser refused a right text: %s", p.err);
}

static void metrics_follow_what_the_server_did(void **state)
{
    srv_t *s = *state;
    static struct parsed p;
    const char *appeal = "{\"kind\":\"statement\",\"channel\":\"portal\",\"category\":\"heating\","
                         "\"district\":\"ridder\",\"language\":\"ru\",\"text\":\"Нет тепла\","
                         "\"applicant\":{\"type\":\"individual\",\"full_name\":\"Иванов Иван\","
                         "\"iin\":\"900101300007\",\"phone\":\"+7 705 123 45 67\"}}";
    for (int i = 0; i < 5; i++) {
        resp_t r = api(s, "POST", "/api/v1/appeals", appeal);
        assert_int_equal(r.status, 201);
        resp_free(&r);
    }
    resp_t r = api(s, "GET", "/api/v1/nothing", NULL);
    resp_free(&r);
    /* the sweeper runs every second here */
    usleep(1500000);
    get_metrics(s, &p);
    assert_true(series(&p, "otinish_http_requests_total{method=\"POST\",route=\"/api/v1/appeals\","
                           "code=\"2xx\"}") == 5);
    assert_true(series(&p, "otinish_http_request_duration_seconds_count{method=\"POST\","
                           "route=\"/api/v1/appeals\"}") == 5);
    assert_true(series(&p, "otinish_http_requests_total{method=\"GET\",route=\"(unmatched)\","
                           "code=\"4xx\"}") >= 1);
    assert_true(series(&p, "otinish_appeals_open{}") == 5);
    assert_true(series(&p, "otinish_appeals_overdue{}") == 0);
    assert_false(isnan(series(&p, "otinish_violations_open{}")));
    assert_false(isnan(series(&p, "otinish_outbox_backlog{}")));
    /* five intakes and the sweeps went through the group-commit writer */
    assert_true(series(&p, "otinish_store_batch_size_sum{}") >= 5);
    assert_true(series(&p, "otinish_store_batch_size_count{}") >= 1);
    assert_true(series(&p, "otinish_store_commit_wait_seconds_count{}") >= 5);
    assert_true(series(&p, "otinish_store_errors_total{}") == 0);
    assert_true(series(&p, "otinish_sweeps_total{}") >= 1);
    assert_false(isnan(series(&p, "otinish_sweep_seconds_total{}")));
    /* the scrape itself is counted by the next one */
    get_metrics(s, &p);
    assert_true(series(&p, "otinish_http_requests_total{method=\"GET\",route=\"/metrics\","
                           "code=\"2xx\"}") >= 1);
}

/* How many requests of a route ran on a request thread (0 when none did). */
static double aside(const struct parsed *p, const char *route)
{
    char key[256];
    snprintf(key, sizeof key, "otinish_http_requests_set_aside_total{method=\"GET\",route=\"%s\"}",
             route);
    double v = series(p, key);
    return isnan(v) ? 0 : v;
}

/* Writes and the reads that may run long run on the request threads, on every engine; the
 * quick reads stay on the polling threads on SQLite (there a read never waits). */
static void requests_that_may_run_long_run_aside(void **state)
{
    srv_t *s = *state;
    static struct parsed p;
    add_user(s, "sup.m", "supervisor", "vko.apparat", "correct horse battery");
    assert_int_equal(login(s, "sup.m", "correct horse battery", NULL), 200);
    get_metrics(s, &p);
    double dash = aside(&p, "/api/v1/dashboard"), list = aside(&p, "/api/v1/appeals"),
           health = aside(&p, "/healthz");
    static const char *const urls[] = {"/api/v1/dashboard", "/api/v1/appeals?format=csv",
                                       "/api/v1/appeals?format=xlsx", "/api/v1/appeals?limit=5",
                                       "/healthz"};
    for (size_t i = 0; i < sizeof urls / sizeof urls[0]; i++) {
        resp_t r = api(s, "GET", urls[i], NULL);
        if (r.status != 200)
            fail_msg("GET %s: %ld %s", urls[i], r.status, r.body);
        resp_free(&r);
    }
    get_metrics(s, &p);
    assert_true(aside(&p, "/api/v1/dashboard") == dash + 1);
    /* the two exports; on PostgreSQL the page of five too (its reads wait) */
    assert_true(aside(&p, "/api/v1/appeals") == list + (srv_pg() ? 3 : 2));
    assert_true(aside(&p, "/healthz") == health);
    s->bearer[0] = '\0';
}

static void only_configured_addresses_may_read(void **state)
{
    (void)state;
    srv_t t;
    const char *serve[] = {"--metrics-allow", "10.1.2.3, 192.168.0.7", NULL};
    assert_int_equal(srv_start(&t, NULL, serve), 0);
    resp_t r = api(&t, "GET", "/metrics", NULL);
    expect_error(&r, 403, "forbidden", NULL);
    resp_free(&r);
    assert_int_equal(srv_stop(&t), 0);
    const char *none[] = {"--metrics-allow", "", NULL};
    assert_int_equal(srv_start(&t, NULL, none), 0);
    r = api(&t, "GET", "/metrics", NULL);
    assert_int_equal(r.status, 403);
    resp_free(&r);
    assert_int_equal(srv_stop(&t), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_parser_is_strict),
        cmocka_unit_test(metrics_follow_what_the_server_did),
        cmocka_unit_test(requests_that_may_run_long_run_aside),
        cmocka_unit_test(only_configured_addresses_may_read),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
