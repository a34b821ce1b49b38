/* Unit tests for src/domain/calendar.c with the calendar text given in each test (the
 * shipped calendars: tests/unit/data/calendar.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "domain/calendar.h"

static ot_day_t D(const char *s)
{
    ot_day_t d;
    if (date_parse(s, &d) != OT_OK)
        fail_msg("bad date in test table: %s", s);
    return d;
}

/* A made-up calendar, given here rather than read from data/ (tests/unit/data/calendar.c
 * checks the shipped ones): a Saturday-Sunday week, two holidays of which one falls on a
 * Saturday and is carried to Monday, a one-off day off, and a transfer that works a Saturday
 * for a Friday off. */
static const char CAL_TEXT[] = "jurisdiction tt | confirmed | test\n"
                               "utc_offset +05:00 | confirmed | test\n"
                               "years 2026 2026 | confirmed | test\n"
                               "weekend sat sun | confirmed | test\n"
                               "holiday 03-21 Spring | confirmed | test\n" /* Saturday */
                               "holiday 05-01 Unity | confirmed | test\n"  /* Friday */
                               "carryover next_working_day | confirmed | test\n"
                               "dayoff 2026-06-03 Feast | confirmed | test\n" /* Wednesday */
                               "transfer 2026-10-10 2026-10-09 Order | confirmed | test\n";

static cal_t *tt;

static int setup(void **state)
{
    (void)state;
    ot_err_t err;
    if (cal_parse(CAL_TEXT, strlen(CAL_TEXT), &tt, &err)) {
        fprintf(stderr, "cal_parse: %s\n", err.message);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    cal_free(tt);
    return 0;
}

/* One row per rule of the made-up data. */
static void test_days(void **state)
{
    (void)state;
    static const struct {
        const char *date;
        int working, kind; /* kind: the first mark, 0 = none */
    } rows[] = {
        {"2026-03-20", 1, 0},                /* ordinary Friday */
        {"2026-03-21", 0, CAL_HOLIDAY},      /* holiday on a Saturday */
        {"2026-03-22", 0, CAL_WEEKEND},      /* Sunday */
        {"2026-03-23", 0, CAL_CARRYOVER},    /* carried to Monday */
        {"2026-03-24", 1, 0},                /* only one day carried */
        {"2026-05-01", 0, CAL_HOLIDAY},      /* holiday on a Friday: nothing to carry */
        {"2026-05-04", 1, 0},                /* ... so Monday is worked */
        {"2026-06-03", 0, CAL_DAYOFF},       /* one-off day off */
        {"2026-10-09", 0, CAL_TRANSFER_OFF}, /* transfer: Friday off */
        {"2026-10-10", 1, CAL_WEEKEND},      /* ... Saturday worked */
        {"2026-10-11", 0, CAL_WEEKEND},      /* Sunday stays off */
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        ot_day_t d = D(rows[i].date);
        const cal_mark_t *m;
        size_t nm = cal_marks(tt, d, &m);
        if (cal_is_working(tt, d) != rows[i].working)
            fail_msg("%s: working=%d, want %d", rows[i].date, cal_is_working(tt, d),
                     rows[i].working);
        if (!rows[i].kind) {
            assert_int_equal(nm, 0);
            continue;
        }
        if (nm == 0 || (int)m[0].kind != rows[i].kind)
            fail_msg("%s: first mark %s, want %s", rows[i].date,
                     nm ? cal_kind_name(m[0].kind) : "none", cal_kind_name(rows[i].kind));
    }
    assert_string_equal(cal_jurisdiction(tt), "tt");
    assert_int_equal(cal_utc_offset_min(tt), 300);
    int n;
    ot_err_t err;
    /* 261 weekdays in 2026, minus 03-23, 05-01, 06-03, 10-09, plus Saturday 10-10 */
    assert_int_equal(cal_year_working_count(tt, 2026, &n, &err), OT_OK);
    assert_int_equal(n, 261 - 4 + 1);
}

/* Arithmetic against the definition: a day-by-day walk over cal_is_working. */
static void test_arithmetic_matches_walk(void **state)
{
    (void)state;
    ot_day_t a = D("2026-01-01"), b = D("2026-12-31");
    int checked = 0;
    for (ot_day_t d = a; d <= b; d++) {
        ot_day_t w = d;
        for (int n = 1; n <= 30; n++) {
            do
                w++;
            while (w <= b && cal_is_working(tt, w) != 1);
            ot_day_t got;
            ot_err_t err;
            int rc = cal_add_working_days(tt, d, n, &got, &err);
            if (w > b) {
                assert_int_equal(rc, OT_EINVAL);
                assert_string_equal(err.code, "calendar_out_of_range");
                break;
            }
            assert_int_equal(rc, OT_OK);
            assert_int_equal(got, w);
            int cnt;
            assert_int_equal(cal_count_working_days(tt, d, got, &cnt, &err), OT_OK);
            assert_int_equal(cnt, n);
            checked++;
        }
    }
    assert_true(checked > 300 * 25); /* the loop did check something */
    /* outside the years of the data */
    ot_day_t out;
    ot_err_t err;
    assert_int_equal(cal_is_working(tt, D("2025-12-31")), -1);
    assert_int_equal(cal_add_working_days(tt, D("2025-12-31"), 1, &out, &err), OT_EINVAL);
    assert_string_equal(err.code, "calendar_out_of_range");
}

/* Parse errors name the line. */
static void test_parse_errors(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int line;
    } rows[] = {
        {"years 2026 2026 | confirmed | x\nholiday 02-30 X | confirmed | x\n", 2}, /* no date */
        {"years 2026 2026 | confirmed | x\n# c\nholiday 01-01 X\n", 3}, /* no status/source */
        {"years 2026 2026 | sure | x\n", 1},                            /* bad status */
        {"years 2026 2026 | confirmed | \n", 1},                        /* empty source */
        {"years 2026 2026 | confirmed | x\nfeast 01-01 X | confirmed | x\n", 2}, /* directive */
        {"years 2026 2026 | confirmed | x\nweekend sat sonntag | confirmed | x\n", 2},
        {"years 2026 2026 | confirmed | x\ntransfer 2026-01-03 X | confirmed | x\n", 2},
        {"years 2026 2026 | confirmed | x\ndayoff 2027-01-07 X | confirmed | x\n", 2}, /* range */
        {"years 2026 2026 | confirmed | x\nwork 01-03 X | confirmed | x\n", 2}, /* needs year */
        {"years 2027 2026 | confirmed | x\n", 1},                               /* reversed years */
        {"utc_offset +5 | confirmed | x\n", 1},                                 /* offset format */
        {"weekend sat sun | confirmed | x\n", 1}, /* no years at all */
        {"years 2026 2026 | confirmed | x\nholiday 01-01 | confirmed | x\n", 2}, /* no name */
        {"years 2026 2026 | confirmed | x\nproject 11 | confirmed | x\n", 2},    /* too far */
        {"years 2026 2026 | confirmed | x\nproject | confirmed | x\n", 2},       /* no count */
        {"years 2026 2026 | confirmed | x\nunknown | confirmed | x\n", 2},       /* says nothing */
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        cal_t *cal = NULL;
        ot_err_t err;
        ot_err_clear(&err);
        int rc = cal_parse(rows[i].text, strlen(rows[i].text), &cal, &err);
        if (rc != OT_EINVAL)
            fail_msg("row %zu: accepted", i);
        assert_null(cal);
        assert_string_equal(err.code, "calendar_syntax");
        char want[16];
        snprintf(want, sizeof want, "line %d:", rows[i].line);
        if (strncmp(err.message, want, strlen(want)))
            fail_msg("row %zu: '%s' does not start with '%s'", i, err.message, want);
    }
}

/* The engine has no country in it: a made-up jurisdiction with a Friday-Saturday weekend,
 * carry-over off, and one-line "work"/"off" entries behaves as its data says. */
static void test_other_data(void **state)
{
    (void)state;
    const char *text = "jurisdiction xx | confirmed | test\n"
                       "years 2026 2026 | confirmed | test\n"
                       "utc_offset -03:30 | confirmed | test\n"
                       "weekend fri sat | confirmed | test\n"
                       "carryover none | confirmed | test\n"
                       "holiday 03-21 Spring | confirmed | test\n" /* a Saturday */
                       "off 2026-03-23 Mourning day | unconfirmed | test\n"
                       "work 2026-03-27 Worked Friday | unconfirmed | test\r\n";
    cal_t *cal;
    ot_err_t err;
    assert_int_equal(cal_parse(text, strlen(text), &cal, &err), OT_OK);
    assert_int_equal(cal_utc_offset_min(cal), -210);
    assert_int_equal(cal_is_working(cal, D("2026-03-22")), 1); /* Sunday works here */
    assert_int_equal(cal_is_working(cal, D("2026-03-20")), 0); /* Friday off */
    assert_int_equal(cal_is_working(cal, D("2026-03-23")), 0); /* one-off day off */
    assert_int_equal(cal_is_working(cal, D("2026-03-24")), 1); /* carry-over disabled */
    assert_int_equal(cal_is_working(cal, D("2026-03-27")), 1); /* worked Friday */
    assert_non_null(strstr(cal_reason(cal, D("2026-03-23")), "Mourning day"));
    cal_free(cal);
}

/* Years after the published ones follow the annual rules only (weekly days off, annual
 * holidays and days off, carry-over); dated lines (a lunar day off, a transfer order) stay in
 * their year, every projected date is provisional, and the unknowns are listed. */
static void test_projection(void **state)
{
    (void)state;
    const char *text = "years 2026 2026 | confirmed | test\n"
                       "project 2 | secondary | annual rules\n"
                       "weekend sat sun | confirmed | test\n"
                       "carryover next_working_day | confirmed | test\n"
                       "holiday 12-16 Independence | confirmed | test\n"
                       "dayoff 2026-05-27 Lunar feast | confirmed | test\n"
                       "transfer 2026-01-03 2026-01-05 Order | confirmed | test\n"
                       "unknown Lunar feast date | confirmed | test\n"
                       "unknown Transfer orders | confirmed | test\n";
    cal_t *cal;
    ot_err_t err;
    assert_int_equal(cal_parse(text, strlen(text), &cal, &err), OT_OK);
    assert_int_equal(cal_last_year(cal), 2026);
    assert_int_equal(cal_last_projected_year(cal), 2028);
    assert_int_equal(cal_is_provisional(cal, D("2026-12-31")), 0);
    assert_int_equal(cal_is_provisional(cal, D("2027-01-01")), 1);
    assert_int_equal(cal_is_provisional(cal, D("2029-01-01")), 0); /* outside: not a date */
    /* annual rules hold: 16 Dec 2028 is a Saturday, carried over to Monday the 18th */
    assert_int_equal(cal_is_working(cal, D("2027-12-16")), 0);
    assert_int_equal(cal_is_working(cal, D("2028-12-18")), 0);
    /* dated lines do not repeat: 27 May 2027 and 5 Jan 2027 are plain working days */
    assert_int_equal(cal_is_working(cal, D("2027-05-27")), 1);
    assert_int_equal(cal_is_working(cal, D("2027-01-05")), 1);
    const char *names[4];
    assert_int_equal(cal_unknowns(cal, names, 4), 2);
    assert_string_equal(names[0], "Lunar feast date");
    assert_string_equal(cal_projection_source(cal), "annual rules");
    ot_day_t out;
    assert_int_equal(cal_add_working_days(cal, D("2028-12-20"), 15, &out, &err), OT_EINVAL);
    assert_non_null(strstr(err.message, "2029"));
    assert_non_null(strstr(err.message, "projected"));
    cal_free(cal);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_days),         cmocka_unit_test(test_arithmetic_matches_walk),
        cmocka_unit_test(test_parse_errors), cmocka_unit_test(test_other_data),
        cmocka_unit_test(test_projection),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
