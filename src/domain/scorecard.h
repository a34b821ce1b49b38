/* Effectiveness scorecards and alert rules: pure arithmetic over counts (docs/scorecards.md).
 *
 * The store sums raw counts per body; this module turns them into the figures the governor
 * reads (on-time %, percentiles of working days to answer, share resolved, repeat rate...),
 * the composite index that ranks bodies, and the drop and surge rules of the alerts. No I/O,
 * no clock: the caller supplies everything, so tests can compute every figure by hand. */
#ifndef OT_DOMAIN_SCORECARD_H
#define OT_DOMAIN_SCORECARD_H

#include <stdint.h>

#include "util/err.h"

/* Working days to answer are counted in buckets 0..SC_DAYS_MAX-1; the last bucket holds
 * everything from SC_DAYS_MAX-1 up. */
#define SC_DAYS_MAX 128

/* Raw counts of one body (or of a subtree, summed with sc_counts_add) over a period. */
typedef struct sc_counts {
    int64_t received, received_prev;      /* registered in the period / a year before */
    int64_t answered, on_time;            /* of those registered: answered; answered by due_on */
    int64_t overdue_open;                 /* of those registered: still open past due_on */
    int64_t resolved, explained, refused; /* decisions */
    int64_t complaints, upheld;           /* complaints about the body; upheld (satisfied/partly) */
    int64_t repeats;                      /* repeated within 12 months of the body's answer */
    int64_t escalations;                  /* taken into the oblast control queue */
    int64_t violations, penalties;        /* deadline violations; of them ended in a penalty */
    int64_t rating[5];                    /* citizens' ratings 1..5 */
    int64_t rec_scheduled, rec_held;      /* reception bookings (not cancelled); held */
    /* problems (issue 17), of the appeals registered in the period that belong to one:
     * decided on the merits; solved (the decision solved it, the citizen did not say "no",
     * no new appeal on it within the re-raise window); re-raised; verdicts yes/partly/no */
    int64_t prob_decided, prob_solved, prob_reraised;
    int64_t verdict[3];
    /* receptions held in the SC_REC_BASE_DAYS before the last SC_REC_RECENT_DAYS of the
     * period, and in those last days: the body's own baseline and its recent level */
    int64_t rec_base_held, rec_recent_held;
    /* receptions the body is expected to hold in those last days for the people it serves,
     * in thousandths (sc_rec_expected_milli); 0: no expectation (no population or rate in
     * the data, or a body that keeps no receptions in the system) */
    int64_t rec_expected_milli;
    int64_t days[SC_DAYS_MAX]; /* answered appeals by working days to answer */
} sc_counts_t;

/* The receptions' windows: the recent days up to the period's end, the baseline the year
 * before them; a baseline of fewer than SC_REC_MIN_BASE held receptions says nothing. */
#define SC_REC_RECENT_DAYS 61
#define SC_REC_BASE_DAYS   365
#define SC_REC_MIN_BASE    6

void sc_counts_add(sc_counts_t *to, const sc_counts_t *from);
/* Adds n answers that took `days` working days (negative counts as 0). */
void sc_counts_add_days(sc_counts_t *c, int days, int64_t n);

/* The composite index: weights of its components (any non-negative numbers; they are
 * normalised over the components that have data). */
typedef struct sc_weights {
    double resolution;   /* problems solved / decided (issue 17); without problems:
                            resolved / (resolved + explained + refused) */
    double recurring;    /* 1 - problems re-raised / decided */
    double verdict;      /* (yes + partly / 2) / verdicts: the citizens' own word */
    double repeat;       /* 1 - repeats / answered */
    double on_time;      /* on_time / (answered + overdue_open) */
    double satisfaction; /* (mean rating - 1) / 4 */
    double complaints;   /* 1 - upheld / answered */
    double escalation;   /* 1 - escalations / received */
    double receptions;   /* held / scheduled, times the lower of the recent level against the
                            baseline and against the population's expected volume */
} sc_weights_t;

/* The weights are data (data/scorecard.tsv, read by svc_init), not constants here.
 * sc_weights_unset marks every weight unset (-1); sc_weight_set sets one by name (OT_EINVAL
 * "bad_weights" on an unknown name or a value outside 0..100); sc_weights_missing gives the
 * name of the first weight still unset, or NULL. */
void sc_weights_unset(sc_weights_t *w);
int sc_weight_set(sc_weights_t *w, const char *name, const char *value, ot_err_t *err);
const char *sc_weights_missing(const sc_weights_t *w);

/* Parses "resolution:0.3,repeat:0.25,..." over *w (names as the fields above; the names not
 * given keep their value). OT_EINVAL code "bad_weights" on an unknown name or a value outside
 * 0..100. */
int sc_weights_parse(const char *s, sc_weights_t *w, ot_err_t *err);

/* The figures of one scorecard. A figure without data (a zero denominator) has its has_*
 * flag 0 and is reported as null. Percentages are 0..100. */
typedef struct sc_figures {
    int has_growth, has_on_time, has_days, has_resolved, has_repeat, has_upheld, has_rating,
        has_index;
    double growth_pct;  /* (received - received_prev) / received_prev */
    double on_time_pct; /* on_time / (answered + overdue_open) */
    int median_days, p90_days;
    double resolved_pct; /* resolved / (resolved + explained + refused) */
    double explained_pct, refused_pct;
    double repeat_pct; /* repeats / answered */
    double upheld_pct; /* upheld / answered */
    int has_problems, has_verdicts, has_rec_trend;
    double solved_pct;     /* problems solved / decided */
    double reraised_pct;   /* problems re-raised / decided */
    double verdict_no_pct; /* "no" / verdicts */
    int64_t verdict_n;
    double rec_trend; /* recent receptions held per day / baseline per day, 0..1 */
    int has_rec_expected;
    double rec_expected;     /* receptions expected in the recent days (rec_expected_milli) */
    double rec_expected_pct; /* recent receptions held / expected, capped at 100 */
    double rating_mean;
    int64_t rating_n;
    double index; /* composite, 0..100 */
} sc_figures_t;

/* w: the weights (svc_t's, or a request's over them); never NULL. */
void sc_compute(const sc_counts_t *c, const sc_weights_t *w, sc_figures_t *out);

/* The recent level of receptions held against the baseline, per day, capped at 1; -1 when the
 * baseline is under SC_REC_MIN_BASE. */
double sc_rec_trend(int64_t base_held, int64_t recent_held);

/* The receptions a body is expected to hold in the SC_REC_RECENT_DAYS for population people
 * at per_10k_year receptions a year per 10,000 people, in thousandths; 0 when either is not
 * positive. */
int64_t sc_rec_expected_milli(int64_t population, double per_10k_year);

/* The recent receptions held against the expected volume, capped at 1; -1 without one. */
double sc_rec_expected_ratio(int64_t expected_milli, int64_t recent_held);

/* The nearest-rank percentile (p in 1..100) of a histogram hist[0..n): the smallest v with
 * count(<= v) >= ceil(p * total / 100). Returns -1 when the histogram is empty. */
int sc_percentile(const int64_t *hist, int n, int p);

/* The median of values[0..n) (n >= 1; the mean of the two middle ones for even n). The
 * array is sorted in place. */
double sc_median(double *values, int n);

/* ==== Alert rules ==== */

typedef struct sc_alert_cfg {
    int window;          /* months of trailing baseline (default 6) */
    double drop;         /* a drop of this share or more of the baseline alerts (0.40) */
    double min_baseline; /* no drop alert below this baseline (default 3) */
    double surge;        /* a rise of this share over the baseline alerts (1.00 = x2) */
    int64_t surge_min;   /* ... when the month has at least this many appeals (10) */
} sc_alert_cfg_t;

extern const sc_alert_cfg_t sc_default_alert_cfg;

/* The verdict on one month against its trailing months prev[0..n) (n <= 0: no verdict). */
typedef struct sc_verdict {
    double baseline; /* median of prev */
    double change;   /* (current - baseline) / baseline; 0 when baseline is 0 */
    int alert;
} sc_verdict_t;

/* Drop: baseline >= min_baseline and (baseline - current) / baseline >= drop. */
sc_verdict_t sc_drop_check(const double *prev, int n, double current, const sc_alert_cfg_t *cfg);
/* Surge: current >= surge_min and current >= max(baseline, 1) * (1 + surge). */
sc_verdict_t sc_surge_check(const double *prev, int n, double current, const sc_alert_cfg_t *cfg);

#endif
