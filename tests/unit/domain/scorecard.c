/* Unit tests for src/domain/scorecard.c: percentiles, the composite index, the weights, and
 * the drop and surge rules of the alerts (docs/scorecards.md), table-driven with every
 * expected value worked out by hand in the comments. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "domain/scorecard.h"

#define NEAR(a, b) assert_true(fabs((a) - (b)) < 1e-6)

/* The weights the hand-worked figures below assume: those data/scorecard.tsv ships (whose own
 * test is tests/unit/data/scorecard.c). */
static const sc_weights_t W = {
    .resolution = 0.25,
    .recurring = 0.15,
    .verdict = 0.10,
    .repeat = 0.05,
    .on_time = 0.15,
    .satisfaction = 0.05,
    .complaints = 0.10,
    .escalation = 0.05,
    .receptions = 0.10,
};

static void percentiles(void **state)
{
    (void)state;
    /* histograms given as the list of values (days), -1 terminated */
    static const struct {
        int values[12];
        int p, expect;
        const char *rule;
    } cases[] = {
        {{-1}, 50, -1, "empty: no percentile"},
        {{7, -1}, 50, 7, "one value is every percentile"},
        {{7, -1}, 90, 7, "one value is every percentile"},
        {{3, 5, 10, 19, -1}, 50, 5, "rank ceil(0.5 * 4) = 2"},
        {{3, 5, 10, 19, -1}, 90, 19, "rank ceil(0.9 * 4) = ceil(3.6) = 4"},
        {{3, 5, 10, 19, -1}, 25, 3, "rank ceil(1.0) = 1: exact ranks do not round up"},
        {{3, 5, 10, 19, -1}, 1, 3, "rank ceil(0.04) = 1"},
        {{3, 5, 10, 19, -1}, 100, 19, "rank 4: the maximum"},
        {{2, 3, 3, 5, 10, 19, -1}, 50, 3, "rank 3 of 6 (nearest rank: no mean of the middle)"},
        {{2, 3, 3, 5, 10, 19, -1}, 90, 19, "rank ceil(5.4) = 6"},
        {{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, -1}, 90, 8, "rank 9 of 10"},
        {{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, -1}, 50, 4, "rank 5 of 10"},
        {{0, 0, 0, 1, -1}, 50, 0, "answered the same day counts as 0"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int64_t hist[SC_DAYS_MAX] = {0};
        for (int k = 0; cases[i].values[k] >= 0; k++)
            hist[cases[i].values[k]]++;
        int got = sc_percentile(hist, SC_DAYS_MAX, cases[i].p);
        if (got != cases[i].expect)
            fail_msg("case %zu (%s): p%d = %d, expected %d", i, cases[i].rule, cases[i].p, got,
                     cases[i].expect);
    }
}

static void days_buckets(void **state)
{
    (void)state;
    sc_counts_t c;
    memset(&c, 0, sizeof c);
    sc_counts_add_days(&c, -3, 1);              /* an answer dated before registration: 0 */
    sc_counts_add_days(&c, 500, 2);             /* beyond the last bucket: into it */
    sc_counts_add_days(&c, SC_DAYS_MAX - 1, 1); /* the last bucket itself */
    sc_counts_add_days(&c, 4, 3);
    assert_int_equal(c.days[0], 1);
    assert_int_equal(c.days[4], 3);
    assert_int_equal(c.days[SC_DAYS_MAX - 1], 3);
    sc_counts_t t;
    memset(&t, 0, sizeof t);
    c.received = 5;
    c.rating[2] = 2;
    sc_counts_add(&t, &c);
    sc_counts_add(&t, &c); /* a roll-up adds every member */
    assert_int_equal(t.received, 10);
    assert_int_equal(t.rating[2], 4);
    assert_int_equal(t.days[4], 6);
}

static void medians(void **state)
{
    (void)state;
    static const struct {
        double v[6];
        int n;
        double expect;
    } cases[] = {
        {{5}, 1, 5},
        {{3, 1, 2}, 3, 2},                 /* odd: the middle one */
        {{10, 10, 10, 10, 10, 10}, 6, 10}, /* a flat baseline */
        {{1, 20, 20, 20, 2, 2}, 6, 11},    /* 1 2 2 | 20 20 20: (2 + 20) / 2 */
        {{0, 0, 0, 4, 4, 4}, 6, 2},        /* even: the mean of the two middle ones */
        {{9, 7, 8, 6, 0, 100}, 6, 7.5},    /* unsorted input */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double v[6];
        memcpy(v, cases[i].v, sizeof v);
        NEAR(sc_median(v, cases[i].n), cases[i].expect);
    }
}

/* The counts of ridder.housing in tests/api/scorecards.c: 5 received (1 a year before),
 * answered 4 of them, 3 on time, 1 open past due; decisions 2 resolved, 1 explained, 1
 * refused; 1 repeat, 1 complaint upheld, 1 escalation; ratings 1, 4, 5; answered in 3, 5,
 * 10, 19 working days. */
static sc_counts_t housing(void)
{
    sc_counts_t c;
    memset(&c, 0, sizeof c);
    c.received = 5;
    c.received_prev = 1;
    c.answered = 4;
    c.on_time = 3;
    c.overdue_open = 1;
    c.resolved = 2;
    c.explained = 1;
    c.refused = 1;
    c.repeats = 1;
    c.complaints = 1;
    c.upheld = 1;
    c.escalations = 1;
    c.rating[0] = c.rating[3] = c.rating[4] = 1;
    c.days[3] = c.days[5] = c.days[10] = c.days[19] = 1;
    return c;
}

static void figures(void **state)
{
    (void)state;
    sc_counts_t c = housing();
    sc_figures_t f;
    sc_compute(&c, &W, &f);
    assert_true(f.has_growth && f.has_on_time && f.has_days && f.has_resolved && f.has_repeat &&
                f.has_upheld && f.has_rating && f.has_index);
    NEAR(f.growth_pct, 400); /* (5 - 1) / 1 */
    NEAR(f.on_time_pct, 60); /* 3 / (4 + 1) */
    assert_int_equal(f.median_days, 5);
    assert_int_equal(f.p90_days, 19);
    NEAR(f.resolved_pct, 50);  /* 2 / 4 */
    NEAR(f.explained_pct, 25); /* 1 / 4 */
    NEAR(f.refused_pct, 25);
    NEAR(f.repeat_pct, 25); /* 1 / 4 answered */
    NEAR(f.upheld_pct, 25);
    NEAR(f.rating_mean, 10.0 / 3);
    assert_int_equal(f.rating_n, 3);
    /* no problems data, so resolution is the decisions' resolved / decided (issue 17's
     * fallback): on_time .15 * .6 + resolution .25 * .5 + repeat .05 * .75 + complaints .10 *
     * .75 + satisfaction .05 * (10/3 - 1) / 4 + escalation .05 * (1 - 1/5) over the weights of
     * the components with data, .65 (no recurring, verdict, receptions): 61.0256 */
    NEAR(f.index, 100 * (0.09 + 0.125 + 0.0375 + 0.075 + 0.05 * 7.0 / 12 + 0.04) / 0.65);

    /* nothing at all: every figure null, no index */
    sc_counts_t z;
    memset(&z, 0, sizeof z);
    sc_compute(&z, &W, &f);
    assert_false(f.has_growth || f.has_on_time || f.has_days || f.has_resolved || f.has_repeat ||
                 f.has_upheld || f.has_rating || f.has_index);
    assert_int_equal(f.median_days, -1);

    /* fewer appeals than a year before: negative growth */
    z.received = 3;
    z.received_prev = 4;
    sc_compute(&z, &W, &f);
    NEAR(f.growth_pct, -25);
}

static void composite_index(void **state)
{
    (void)state;
    sc_weights_t only_on_time = {.on_time = 1};
    static const struct {
        const char *rule;
        sc_counts_t c;
        int use_on_time_weights;
        int has_index;
        double expect;
    } cases[] = {
        /* a component without data drops out and the others are renormalised: receptions
         * alone, 3 of 4 held */
        {"receptions only", {.rec_scheduled = 4, .rec_held = 3}, 0, 1, 75},
        /* received only: the escalation component, 1 - 0/5 */
        {"escalation only", {.received = 5}, 0, 1, 100},
        /* 1 - 2/5 */
        {"escalations", {.received = 5, .escalations = 2}, 0, 1, 60},
        /* more repeats than answers clamps the repeat component at 0: repeat .05 * 0,
         * complaints .10 * 1, on time .15 * 0/2, over .30 */
        {"repeat clamp", {.answered = 2, .repeats = 5}, 0, 1, 100 * 0.10 / 0.30},
        /* resolution .25 * 1 + on_time .15 * 0 (2 overdue, none answered) over .40 */
        {"resolution beats paperwork", {.resolved = 3, .overdue_open = 2}, 0, 1, 100 * 0.25 / 0.40},
        /* issue 17: problems solved, not decisions: 3 of 4 decided problems solved, none
         * re-raised: resolution .25 * .75 + recurring .15 * 1 over .40 */
        {"problems solved",
         {.prob_decided = 4, .prob_solved = 3},
         0,
         1,
         100 * (0.25 * 0.75 + 0.15) / 0.40},
        /* the decisions say all 4 resolved, but only 1 problem stayed solved: resolution
         * counts the problem, .25 * .25 + recurring .15 * (1 - 2/4) over .40 */
        {"decisions do not count",
         {.resolved = 4, .prob_decided = 4, .prob_solved = 1, .prob_reraised = 2},
         0,
         1,
         100 * (0.25 * 0.25 + 0.15 * 0.5) / 0.40},
        /* the citizens' verdicts: 2 yes, 2 no: verdict .10 * (2 + 0) / 4, with the problems
         * above: (.1875 + .15 + .05) / .50 */
        {"verdicts",
         {.prob_decided = 4, .prob_solved = 3, .verdict = {2, 0, 2}},
         0,
         1,
         100 * (0.1875 + 0.15 + 0.05) / 0.50},
        /* a "no" verdict weighs against: the same with 4 no -> verdict .10 * 0 */
        {"verdicts no",
         {.prob_decided = 4, .prob_solved = 3, .verdict = {0, 0, 4}},
         0,
         1,
         100 * (0.1875 + 0.15) / 0.50},
        /* "partly" counts half: 2 partly of 2 -> .10 * .5 */
        {"verdicts partly",
         {.prob_decided = 4, .prob_solved = 3, .verdict = {0, 2, 0}},
         0,
         1,
         100 * (0.1875 + 0.15 + 0.05) / 0.50},
        /* receptions as often as the baseline: 365 held in a year before, 61 in the last 61
         * days: trend 1, every booking held: 100 */
        {"receptions steady",
         {.rec_scheduled = 10, .rec_held = 10, .rec_base_held = 365, .rec_recent_held = 61},
         0,
         1,
         100},
        /* a collapse: 6 in the last 61 days against one a day: trend 6/61 */
        {"receptions collapse",
         {.rec_scheduled = 10, .rec_held = 10, .rec_base_held = 365, .rec_recent_held = 6},
         0,
         1,
         100 * 6.0 / 61},
        /* none booked any more, after a baseline: the component is 0 */
        {"receptions stopped", {.rec_base_held = 100}, 0, 1, 0},
        /* a baseline under SC_REC_MIN_BASE (6) says nothing: held / scheduled */
        {"receptions thin baseline",
         {.rec_scheduled = 4, .rec_held = 3, .rec_base_held = 5, .rec_recent_held = 0},
         0,
         1,
         75},
        /* issue 17, the population's expected volume: held at the baseline (trend 1) but
         * 61 expected in the recent days and 6 held: the lower level, 6/61, counts */
        {"receptions at baseline, far below the expected volume",
         {.rec_scheduled = 6,
          .rec_held = 6,
          .rec_base_held = 35,
          .rec_recent_held = 6,
          .rec_expected_milli = 61000},
         0,
         1,
         100 * 6.0 / 61},
        /* above the expected volume: the baseline's level counts (a collapse still shows) */
        {"receptions above the expected volume",
         {.rec_scheduled = 10,
          .rec_held = 10,
          .rec_base_held = 365,
          .rec_recent_held = 6,
          .rec_expected_milli = 3000},
         0,
         1,
         100 * 6.0 / 61},
        /* no baseline yet: the expected volume alone, 3 of 4 expected held */
        {"receptions without a baseline",
         {.rec_recent_held = 3, .rec_expected_milli = 4000},
         0,
         1,
         75},
        /* weights: only the on-time rate counts, 1 of 4 */
        {"weights", {.answered = 4, .on_time = 1, .resolved = 4}, 1, 1, 25},
        /* with those weights, data only for zero-weight components: no index */
        {"zero weights", {.resolved = 4}, 1, 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sc_figures_t f;
        sc_compute(&cases[i].c, cases[i].use_on_time_weights ? &only_on_time : &W, &f);
        if (f.has_index != cases[i].has_index ||
            (f.has_index && fabs(f.index - cases[i].expect) > 1e-6))
            fail_msg("%s: index %d %.4f, expected %d %.4f", cases[i].rule, f.has_index, f.index,
                     cases[i].has_index, cases[i].expect);
    }
    /* a body holding receptions at its own baseline but far below its population's
     * expected volume scores lower on that component than the same body without an
     * expected volume in the data (issue 17) */
    {
        sc_weights_t only_rec = {.receptions = 1};
        sc_counts_t c = {
            .rec_scheduled = 6, .rec_held = 6, .rec_base_held = 35, .rec_recent_held = 6};
        sc_figures_t without, with;
        sc_compute(&c, &only_rec, &without);
        /* Ridder's 52,057 people at 10 a year per 10,000: 52 a year, 8.7 in 61 days */
        c.rec_expected_milli = sc_rec_expected_milli(52057, 10);
        assert_int_equal(c.rec_expected_milli, 8700);
        c.rec_expected_milli *= 10; /* ten times the people */
        sc_compute(&c, &only_rec, &with);
        assert_true(without.has_index && with.has_index);
        assert_true(fabs(without.index - 100) < 1e-6);
        assert_true(with.index < without.index - 50);
        assert_true(with.has_rec_expected && fabs(with.rec_expected - 87) < 1e-6);
        assert_true(fabs(with.rec_expected_pct - 100 * 6.0 / 87) < 1e-6);
        assert_int_equal(sc_rec_expected_milli(0, 10), 0);
        assert_true(sc_rec_expected_ratio(0, 5) < 0);
    }
}

static void weights(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        int ok;
        double resolution, repeat; /* after parsing over the defaults */
    } cases[] = {
        {"", 1, 0.25, 0.05},
        {"resolution:0.5", 1, 0.5, 0.05},
        {"resolution:1,repeat:2", 1, 1, 2},
        {"repeat:0", 1, 0.25, 0},
        {"repeat:100", 1, 0.25, 100},
        {"speed:1", 0, 0, 0},        /* unknown name */
        {"resolution", 0, 0, 0},     /* no value */
        {"resolution:", 0, 0, 0},    /* empty value */
        {"resolution:-1", 0, 0, 0},  /* negative */
        {"resolution:101", 0, 0, 0}, /* above 100 */
        {"resolution:x", 0, 0, 0},   /* not a number */
        {"resolutio:1", 0, 0, 0},    /* a prefix is not a name */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sc_weights_t w = W;
        ot_err_t err = {0};
        int rc = sc_weights_parse(cases[i].s, &w, &err);
        if (!cases[i].ok) {
            assert_int_equal(rc, OT_EINVAL);
            assert_string_equal(err.code, "bad_weights");
            continue;
        }
        assert_int_equal(rc, OT_OK);
        NEAR(w.resolution, cases[i].resolution);
        NEAR(w.repeat, cases[i].repeat);
    }
}

/* the loader's rules: unset weights are found by name, in the struct's order */
static void weights_missing(void **state)
{
    (void)state;
    sc_weights_t w;
    ot_err_t err = {0};
    sc_weights_unset(&w);
    assert_string_equal(sc_weights_missing(&w), "resolution");
    static const char *const names[] = {"resolution", "recurring",    "verdict",    "repeat",
                                        "on_time",    "satisfaction", "complaints", "escalation"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        assert_int_equal(sc_weight_set(&w, names[i], "0", &err), OT_OK);
    assert_string_equal(sc_weights_missing(&w), "receptions");
    assert_int_equal(sc_weight_set(&w, "receptions", "0.1", &err), OT_OK);
    assert_null(sc_weights_missing(&w));
    NEAR(w.receptions, 0.1);
    assert_int_equal(sc_weight_set(&w, "speed", "1", &err), OT_EINVAL);
    assert_int_equal(sc_weight_set(&w, "receptions", "", &err), OT_EINVAL);
}

static void drop_rule(void **state)
{
    (void)state;
    const sc_alert_cfg_t *cfg = &sc_default_alert_cfg; /* drop 40 %, baseline >= 3 */
    static const struct {
        const char *rule;
        double prev[6];
        int n;
        double current;
        int alert;
        double baseline;
    } cases[] = {
        {"61 of 100: a 39 % drop, just under the threshold",
         {100, 100, 100, 100, 100, 100},
         6,
         61,
         0,
         100},
        {"60 of 100: exactly 40 %, alerts", {100, 100, 100, 100, 100, 100}, 6, 60, 1, 100},
        {"59 of 100: 41 %, just over", {100, 100, 100, 100, 100, 100}, 6, 59, 1, 100},
        {"6 of 10: exactly 40 % in small numbers", {10, 10, 10, 10, 10, 10}, 6, 6, 1, 10},
        {"7 of 10: 30 %", {10, 10, 10, 10, 10, 10}, 6, 7, 0, 10},
        {"a baseline of 2 is too small to judge", {2, 2, 2, 2, 2, 2}, 6, 0, 0, 2},
        {"a baseline of exactly 3 is enough", {3, 3, 3, 3, 3, 3}, 6, 1, 1, 3},
        {"the baseline is the median, not the mean: 11; 6 is a 45 % drop",
         {1, 20, 20, 20, 2, 2},
         6,
         6,
         1,
         11},
        {"median 11, 7 is a 36 % drop", {1, 20, 20, 20, 2, 2}, 6, 7, 0, 11},
        {"one bad month in the window does not move the median",
         {10, 10, 0, 10, 10, 10},
         6,
         5,
         1,
         10},
        {"a rise is no drop", {10, 10, 10, 10, 10, 10}, 6, 30, 0, 10},
        {"no history: no verdict", {0}, 0, 0, 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double prev[6];
        memcpy(prev, cases[i].prev, sizeof prev);
        sc_verdict_t v = sc_drop_check(prev, cases[i].n, cases[i].current, cfg);
        if (v.alert != cases[i].alert || fabs(v.baseline - cases[i].baseline) > 1e-9)
            fail_msg("%s: alert %d baseline %g", cases[i].rule, v.alert, v.baseline);
        /* the series is the caller's: not sorted in place */
        assert_memory_equal(prev, cases[i].prev, sizeof prev);
    }
    double prev[] = {10, 10, 10, 10, 10, 10};
    sc_verdict_t v = sc_drop_check(prev, 6, 6, cfg);
    NEAR(v.change, -0.4);
    /* a configured threshold: 30 % catches 7 of 10 */
    sc_alert_cfg_t c30 = *cfg;
    c30.drop = 0.30;
    assert_true(sc_drop_check(prev, 6, 7, &c30).alert);
    assert_false(sc_drop_check(prev, 6, 7.01, &c30).alert);
    /* a window of 3 months */
    double prev3[] = {4, 8, 6};
    v = sc_drop_check(prev3, 3, 3, cfg); /* median 6, 50 % */
    assert_true(v.alert);
    NEAR(v.baseline, 6);
}

static void surge_rule(void **state)
{
    (void)state;
    const sc_alert_cfg_t *cfg = &sc_default_alert_cfg; /* x2 and at least 10 */
    static const struct {
        const char *rule;
        double prev[6];
        double current;
        int alert;
    } cases[] = {
        {"10 on a baseline of 5: exactly x2 and 10", {5, 5, 5, 5, 5, 5}, 10, 1},
        {"9 on 4: x2.25 but under 10 appeals", {4, 4, 4, 4, 4, 4}, 9, 0},
        {"11 on 6: under x2", {6, 6, 6, 6, 6, 6}, 11, 0},
        {"12 on 6: x2", {6, 6, 6, 6, 6, 6}, 12, 1},
        {"39 on 20: just under x2", {20, 20, 20, 20, 20, 20}, 39, 0},
        {"40 on 20: x2", {20, 20, 20, 20, 20, 20}, 40, 1},
        {"10 out of nothing (baseline counts as 1)", {0, 0, 0, 0, 0, 0}, 10, 1},
        {"9 out of nothing: under the minimum", {0, 0, 0, 0, 0, 0}, 9, 0},
        {"one earlier spike is not the baseline", {5, 5, 50, 5, 5, 5}, 10, 1},
        {"a drop is no surge", {20, 20, 20, 20, 20, 20}, 5, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sc_verdict_t v = sc_surge_check(cases[i].prev, 6, cases[i].current, cfg);
        if (v.alert != cases[i].alert)
            fail_msg("%s: alert %d", cases[i].rule, v.alert);
    }
    double prev[] = {5, 5, 5, 5, 5, 5};
    sc_verdict_t v = sc_surge_check(prev, 6, 10, cfg);
    NEAR(v.baseline, 5);
    NEAR(v.change, 1.0);
    assert_false(sc_surge_check(prev, 0, 100, cfg).alert); /* no history: no verdict */
    sc_alert_cfg_t c = *cfg;
    c.surge = 0.5; /* x1.5 */
    c.surge_min = 5;
    assert_true(sc_surge_check(prev, 6, 7.5, &c).alert);
    assert_false(sc_surge_check(prev, 6, 7, &c).alert);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(percentiles),     cmocka_unit_test(days_buckets),
        cmocka_unit_test(medians),         cmocka_unit_test(figures),
        cmocka_unit_test(composite_index), cmocka_unit_test(weights),
        cmocka_unit_test(weights_missing), cmocka_unit_test(drop_rule),
        cmocka_unit_test(surge_rule),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
