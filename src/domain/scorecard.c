#include "domain/scorecard.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define EPS 1e-9 /* so that 6 of a baseline of 10 is exactly a 40 % drop */

const sc_alert_cfg_t sc_default_alert_cfg = {
    .window = 6,
    .drop = 0.40,
    .min_baseline = 3,
    .surge = 1.00,
    .surge_min = 10,
};

void sc_counts_add(sc_counts_t *to, const sc_counts_t *from)
{
    /* every member is an int64_t */
    int64_t *t = (int64_t *)to;
    const int64_t *f = (const int64_t *)from;
    for (size_t i = 0; i < sizeof *to / sizeof(int64_t); i++)
        t[i] += f[i];
}

void sc_counts_add_days(sc_counts_t *c, int days, int64_t n)
{
    if (days < 0)
        days = 0;
    if (days >= SC_DAYS_MAX)
        days = SC_DAYS_MAX - 1;
    c->days[days] += n;
}

/* The weights by name, in sc_weights_t's order, and their fields in w. */
static const char *const weight_names[] = {"resolution", "recurring",  "verdict",
                                           "repeat",     "on_time",    "satisfaction",
                                           "complaints", "escalation", "receptions"};
#define N_WEIGHTS (sizeof weight_names / sizeof weight_names[0])

static void weight_fields(sc_weights_t *w, double *f[N_WEIGHTS])
{
    double *all[N_WEIGHTS] = {&w->resolution, &w->recurring,  &w->verdict,
                              &w->repeat,     &w->on_time,    &w->satisfaction,
                              &w->complaints, &w->escalation, &w->receptions};
    memcpy(f, all, sizeof all);
}

/* The field of the weight called name[0..len), or NULL. */
static double *weight_field(sc_weights_t *w, const char *name, size_t len)
{
    double *f[N_WEIGHTS];
    weight_fields(w, f);
    for (size_t i = 0; i < N_WEIGHTS; i++)
        if (strlen(weight_names[i]) == len && !strncmp(weight_names[i], name, len))
            return f[i];
    return NULL;
}

/* Sets the weight name[0..len) from value[0..vlen). */
static int weight_set(sc_weights_t *w, const char *name, size_t len, const char *value, size_t vlen,
                      ot_err_t *err)
{
    double *field = weight_field(w, name, len);
    if (!field)
        return ot_err(err, OT_EINVAL, "bad_weights", "weights", "unknown weight '%.*s'", (int)len,
                      name);
    char buf[32], *stop;
    if (vlen == 0 || vlen >= sizeof buf)
        return ot_err(err, OT_EINVAL, "bad_weights", "weights", "bad weight value");
    memcpy(buf, value, vlen);
    buf[vlen] = '\0';
    double v = strtod(buf, &stop);
    if (*stop || !(v >= 0 && v <= 100))
        return ot_err(err, OT_EINVAL, "bad_weights", "weights", "a weight is a number 0..100");
    *field = v;
    return OT_OK;
}

void sc_weights_unset(sc_weights_t *w)
{
    double *d = (double *)w; /* every member is a double */
    for (size_t i = 0; i < sizeof *w / sizeof(double); i++)
        d[i] = -1;
}

int sc_weight_set(sc_weights_t *w, const char *name, const char *value, ot_err_t *err)
{
    return weight_set(w, name, strlen(name), value, strlen(value), err);
}

const char *sc_weights_missing(const sc_weights_t *w)
{
    sc_weights_t copy = *w;
    double *f[N_WEIGHTS];
    weight_fields(&copy, f);
    for (size_t i = 0; i < N_WEIGHTS; i++)
        if (*f[i] < 0)
            return weight_names[i];
    return NULL;
}

int sc_weights_parse(const char *s, sc_weights_t *w, ot_err_t *err)
{
    while (s && *s) {
        const char *colon = strchr(s, ':');
        const char *end = strchr(s, ',');
        if (!end)
            end = s + strlen(s);
        if (!colon || colon > end)
            return ot_err(err, OT_EINVAL, "bad_weights", "weights",
                          "weights are name:value pairs separated by commas");
        int rc = weight_set(w, s, (size_t)(colon - s), colon + 1, (size_t)(end - colon - 1), err);
        if (rc)
            return rc;
        s = *end ? end + 1 : end;
    }
    return OT_OK;
}

int sc_percentile(const int64_t *hist, int n, int p)
{
    int64_t total = 0;
    for (int i = 0; i < n; i++)
        total += hist[i];
    if (total <= 0)
        return -1;
    int64_t rank = (p * total + 99) / 100; /* ceil(p * total / 100) */
    if (rank < 1)
        rank = 1;
    int64_t seen = 0;
    for (int i = 0; i < n; i++) {
        seen += hist[i];
        if (seen >= rank)
            return i;
    }
    return n - 1;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double sc_median(double *values, int n)
{
    if (n <= 0)
        return 0;
    qsort(values, (size_t)n, sizeof *values, cmp_double);
    return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

static double clamp01(double x)
{
    return x < 0 ? 0 : x > 1 ? 1 : x;
}

double sc_rec_trend(int64_t base_held, int64_t recent_held)
{
    if (base_held < SC_REC_MIN_BASE)
        return -1;
    double base = (double)base_held / SC_REC_BASE_DAYS;
    return clamp01((double)recent_held / SC_REC_RECENT_DAYS / base);
}

int64_t sc_rec_expected_milli(int64_t population, double per_10k_year)
{
    if (population <= 0 || !(per_10k_year > 0))
        return 0;
    return (int64_t)((double)population / 10000.0 * per_10k_year * SC_REC_RECENT_DAYS / 365.0 *
                         1000.0 +
                     0.5);
}

double sc_rec_expected_ratio(int64_t expected_milli, int64_t recent_held)
{
    if (expected_milli <= 0)
        return -1;
    return clamp01((double)recent_held * 1000.0 / (double)expected_milli);
}

void sc_compute(const sc_counts_t *c, const sc_weights_t *w, sc_figures_t *f)
{
    memset(f, 0, sizeof *f);
    double sum_w = 0, sum = 0;
#define COMPONENT(weight, value)                                                                   \
    do {                                                                                           \
        sum_w += (weight);                                                                         \
        sum += (weight)*clamp01(value);                                                            \
    } while (0)

    if (c->received_prev > 0) {
        f->has_growth = 1;
        f->growth_pct = 100.0 * (double)(c->received - c->received_prev) / (double)c->received_prev;
    }
    int64_t due = c->answered + c->overdue_open;
    if (due > 0) {
        f->has_on_time = 1;
        f->on_time_pct = 100.0 * (double)c->on_time / (double)due;
        COMPONENT(w->on_time, (double)c->on_time / (double)due);
    }
    f->median_days = sc_percentile(c->days, SC_DAYS_MAX, 50);
    f->p90_days = sc_percentile(c->days, SC_DAYS_MAX, 90);
    f->has_days = f->median_days >= 0;
    int64_t decided = c->resolved + c->explained + c->refused;
    if (decided > 0) {
        f->has_resolved = 1;
        f->resolved_pct = 100.0 * (double)c->resolved / (double)decided;
        f->explained_pct = 100.0 * (double)c->explained / (double)decided;
        f->refused_pct = 100.0 * (double)c->refused / (double)decided;
    }
    /* issue 17: resolution counts problems solved, not decisions that say so */
    if (c->prob_decided > 0) {
        double d = (double)c->prob_decided;
        f->has_problems = 1;
        f->solved_pct = 100.0 * (double)c->prob_solved / d;
        f->reraised_pct = 100.0 * (double)c->prob_reraised / d;
        COMPONENT(w->resolution, (double)c->prob_solved / d);
        COMPONENT(w->recurring, 1 - (double)c->prob_reraised / d);
    } else if (decided > 0)
        COMPONENT(w->resolution, (double)c->resolved / (double)decided);
    f->verdict_n = c->verdict[0] + c->verdict[1] + c->verdict[2];
    if (f->verdict_n > 0) {
        double n = (double)f->verdict_n;
        f->has_verdicts = 1;
        f->verdict_no_pct = 100.0 * (double)c->verdict[2] / n;
        COMPONENT(w->verdict, ((double)c->verdict[0] + 0.5 * (double)c->verdict[1]) / n);
    }
    if (c->answered > 0) {
        f->has_repeat = f->has_upheld = 1;
        f->repeat_pct = 100.0 * (double)c->repeats / (double)c->answered;
        f->upheld_pct = 100.0 * (double)c->upheld / (double)c->answered;
        COMPONENT(w->repeat, 1 - (double)c->repeats / (double)c->answered);
        COMPONENT(w->complaints, 1 - (double)c->upheld / (double)c->answered);
    }
    int64_t rsum = 0;
    for (int i = 0; i < 5; i++) {
        f->rating_n += c->rating[i];
        rsum += c->rating[i] * (i + 1);
    }
    if (f->rating_n > 0) {
        f->has_rating = 1;
        f->rating_mean = (double)rsum / (double)f->rating_n;
        COMPONENT(w->satisfaction, (f->rating_mean - 1) / 4);
    }
    if (c->received > 0)
        COMPONENT(w->escalation, 1 - (double)c->escalations / (double)c->received);
    /* receptions held, and held as often as the body's own baseline: a collapse (few
     * citizens received, or none booked at all) drags the index down */
    double trend = sc_rec_trend(c->rec_base_held, c->rec_recent_held);
    if (trend >= 0) {
        f->has_rec_trend = 1;
        f->rec_trend = trend;
    }
    /* ... and as often as the people the body serves call for (issue 17): the lower of the
     * two levels counts, so neither a body that was always small for its territory nor one
     * that collapsed from a large baseline escapes */
    double expect = sc_rec_expected_ratio(c->rec_expected_milli, c->rec_recent_held);
    if (expect >= 0) {
        f->has_rec_expected = 1;
        f->rec_expected = (double)c->rec_expected_milli / 1000.0;
        f->rec_expected_pct = 100.0 * expect;
    }
    if (c->rec_scheduled > 0 || trend >= 0 || expect >= 0) {
        double held = c->rec_scheduled > 0 ? (double)c->rec_held / (double)c->rec_scheduled : 1;
        double level = 1;
        if (trend >= 0)
            level = trend;
        if (expect >= 0 && expect < level)
            level = expect;
        COMPONENT(w->receptions, held * level);
    }
#undef COMPONENT
    if (sum_w > 0) {
        f->has_index = 1;
        f->index = 100.0 * sum / sum_w;
    }
}

static double baseline_of(const double *prev, int n)
{
    double tmp[64];
    if (n > 64)
        n = 64;
    memcpy(tmp, prev, (size_t)n * sizeof *tmp);
    return sc_median(tmp, n);
}

sc_verdict_t sc_drop_check(const double *prev, int n, double current, const sc_alert_cfg_t *cfg)
{
    sc_verdict_t v = {0, 0, 0};
    if (n <= 0)
        return v;
    v.baseline = baseline_of(prev, n);
    if (v.baseline > 0)
        v.change = (current - v.baseline) / v.baseline;
    v.alert = v.baseline > 0 && v.baseline >= cfg->min_baseline &&
              (v.baseline - current) >= cfg->drop * v.baseline - EPS;
    return v;
}

sc_verdict_t sc_surge_check(const double *prev, int n, double current, const sc_alert_cfg_t *cfg)
{
    sc_verdict_t v = {0, 0, 0};
    if (n <= 0)
        return v;
    v.baseline = baseline_of(prev, n);
    if (v.baseline > 0)
        v.change = (current - v.baseline) / v.baseline;
    double base = v.baseline > 1 ? v.baseline : 1;
    v.alert = current >= (double)cfg->surge_min && current >= base * (1 + cfg->surge) - EPS;
    return v;
}
