/* Unit tests for src/domain/date.c: civil dates, strict parsing, instants and offsets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "domain/date.h"
#include "util/err.h"

static ot_day_t ymd(int y, int m, int d)
{
    ot_day_t day;
    assert_int_equal(date_from_ymd(y, m, d, &day), OT_OK);
    return day;
}

/* Every day 1600..2400 converts to y-m-d and back, days are consecutive, weekdays cycle. */
static void test_civil_roundtrip(void **state)
{
    (void)state;
    ot_day_t prev = ymd(1600, 1, 1) - 1;
    int prev_wd = date_weekday(prev);
    for (int y = 1600; y <= 2400; y++)
        for (int m = 1; m <= 12; m++)
            for (int d = 1; d <= date_days_in_month(y, m); d++) {
                ot_day_t day = ymd(y, m, d);
                assert_int_equal(day, prev + 1);
                int yy, mm, dd;
                date_to_ymd(day, &yy, &mm, &dd);
                assert_true(yy == y && mm == m && dd == d);
                assert_int_equal(date_weekday(day), prev_wd % 7 + 1);
                prev = day;
                prev_wd = date_weekday(day);
            }
}

static void test_known_days(void **state)
{
    (void)state;
    static const struct {
        int y, m, d;
        ot_day_t day;
        int wd;
    } rows[] = {
        {1970, 1, 1, 0, 4},      /* the epoch was a Thursday */
        {1969, 12, 31, -1, 3},   /* negative day numbers */
        {2000, 2, 29, 11016, 2}, /* 400-year leap rule */
        {2026, 3, 20, 20532, 5}, /* a Friday, used in the CLI example */
        {2024, 5, 4, 19847, 6},  /* the worked Saturday of 2024 */
        {1900, 3, 1, -25508, 4}, /* 1900 is not a leap year */
        {2038, 1, 19, 24855, 2}, /* beyond 32-bit time_t seconds */
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        assert_int_equal(ymd(rows[i].y, rows[i].m, rows[i].d), rows[i].day);
        assert_int_equal(date_weekday(rows[i].day), rows[i].wd);
    }
    assert_string_equal(date_weekday_name(1), "mon");
    assert_string_equal(date_weekday_name(7), "sun");
}

static void test_date_parse(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        int ok;
    } rows[] = {
        {"2026-03-20", 1},           /* plain */
        {"2024-02-29", 1},           /* leap day */
        {"2026-02-29", 0},           /* not a leap year */
        {"2026-02-30", 0},           /* no such day */
        {"2026-04-31", 0},           /* 30-day month */
        {"2026-13-01", 0},           /* month 13 */
        {"2026-00-10", 0},           /* month 0 */
        {"2026-01-00", 0},           /* day 0 */
        {"0000-01-01", 0},           /* year 0 outside 1..9999 */
        {"2026-3-20", 0},            /* digits missing */
        {"2026-03-20 ", 0},          /* trailing junk */
        {"2026/03/20", 0},           /* wrong separator */
        {"2026-03-2x", 0},           /* not a digit */
        {"+026-03-20", 0},           /* sign */
        {"", 0},                     /* empty */
        {"2026-03-20T00:00:00Z", 0}, /* an instant is not a date */
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        ot_day_t d = 12345;
        int rc = date_parse(rows[i].s, &d);
        if (rows[i].ok) {
            assert_int_equal(rc, OT_OK);
            char out[11];
            date_format(d, out);
            assert_string_equal(out, rows[i].s);
        } else {
            assert_int_equal(rc, OT_EINVAL);
            assert_int_equal(d, 12345); /* untouched on error */
        }
    }
    assert_int_equal(date_parse(NULL, &(ot_day_t){0}), OT_EINVAL);
}

static void test_instant_parse(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        const char *utc; /* NULL = must be refused */
        int offset;
    } rows[] = {
        {"2026-03-20T17:00:00+05:00", "2026-03-20T12:00:00Z", 300},    /* KZ offset */
        {"2026-03-20T12:00:00Z", "2026-03-20T12:00:00Z", 0},           /* Z */
        {"2026-03-20T02:00:00+05:00", "2026-03-19T21:00:00Z", 300},    /* previous UTC day */
        {"2026-01-01T01:00:00+05:00", "2025-12-31T20:00:00Z", 300},    /* previous UTC year */
        {"2026-03-20T17:00:00-03:30", "2026-03-20T20:30:00Z", -210},   /* negative offset */
        {"2026-03-20T17:00:00.25Z", "2026-03-20T17:00:00.250000Z", 0}, /* fraction */
        {"2026-03-20T17:00:00.123456789Z", "2026-03-20T17:00:00.123456Z", 0}, /* ns truncated */
        {"1969-12-31T23:59:59.5Z", "1969-12-31T23:59:59.500000Z", 0},         /* before the epoch */
        {"2026-03-20T17:00Z", NULL, 0},                                       /* seconds required */
        {"2026-03-20T17:00:00", NULL, 0},             /* no zone: ambiguous */
        {"2026-03-20 17:00:00Z", NULL, 0},            /* space instead of T */
        {"2026-03-20T24:00:00Z", NULL, 0},            /* hour 24 */
        {"2026-03-20T23:60:00Z", NULL, 0},            /* minute 60 */
        {"2026-03-20T23:59:60Z", NULL, 0},            /* leap second */
        {"2026-02-30T10:00:00Z", NULL, 0},            /* no such date */
        {"2026-03-20T17:00:00+0500", NULL, 0},        /* offset without colon */
        {"2026-03-20T17:00:00+19:00", NULL, 0},       /* offset beyond 18:00 */
        {"2026-03-20T17:00:00Zjunk", NULL, 0},        /* trailing junk */
        {"2026-03-20T17:00:00.Z", NULL, 0},           /* empty fraction */
        {"2026-03-20T17:00:00.1234567890Z", NULL, 0}, /* over 9 fraction digits */
        {"2026-03-20t17:00:00z", NULL, 0},            /* lower case */
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        int64_t us = 0;
        int off = 9999;
        int rc = instant_parse_offset(rows[i].s, &us, &off);
        if (!rows[i].utc) {
            assert_int_equal(rc, OT_EINVAL);
            continue;
        }
        assert_int_equal(rc, OT_OK);
        assert_int_equal(off, rows[i].offset);
        char out[40];
        assert_int_equal(instant_format(us, 0, out, sizeof out), OT_OK);
        assert_string_equal(out, rows[i].utc);
        /* Formatting in the original offset gives the input back (when canonical). */
        assert_int_equal(instant_format(us, off, out, sizeof out), OT_OK);
        if (!strchr(rows[i].s, '.'))
            assert_string_equal(out, rows[i].s);
    }
}

static void test_local_day_and_minute(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        int offset;
        int y, m, d, minute;
    } rows[] = {
        {"2026-03-20T12:59:59Z", 300, 2026, 3, 20, 17 * 60 + 59},  /* 17:59 local */
        {"2026-03-20T19:00:00Z", 300, 2026, 3, 21, 0},             /* local midnight */
        {"2026-03-20T18:59:59Z", 300, 2026, 3, 20, 23 * 60 + 59},  /* one second before */
        {"1969-12-31T23:00:00Z", 0, 1969, 12, 31, 23 * 60},        /* negative instant */
        {"1970-01-01T00:30:00Z", -60, 1969, 12, 31, 23 * 60 + 30}, /* west of UTC */
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        int64_t us;
        assert_int_equal(instant_parse(rows[i].s, &us), OT_OK);
        assert_int_equal(instant_local_day(us, rows[i].offset),
                         ymd(rows[i].y, rows[i].m, rows[i].d));
        assert_int_equal(instant_local_minute(us, rows[i].offset), rows[i].minute);
        assert_true(instant_from_local(instant_local_day(us, rows[i].offset), rows[i].minute,
                                       rows[i].offset) <= us);
    }
    char small[8];
    assert_int_equal(instant_format(0, 0, small, sizeof small), OT_EINVAL);
    /* the longest form, a fraction and an offset west of UTC: 32 characters and the NUL */
    char longest[33];
    int64_t us;
    assert_int_equal(instant_parse("2026-03-20T20:30:00.000001Z", &us), OT_OK);
    assert_int_equal(instant_format(us, -210, longest, sizeof longest), OT_OK);
    assert_string_equal(longest, "2026-03-20T17:00:00.000001-03:30");
    assert_int_equal(instant_format(us, -210, longest, sizeof longest - 1), OT_EINVAL);
}

static void test_add_months_and_hhmm(void **state)
{
    (void)state;
    static const struct {
        int y, m, d, add, ey, em, ed;
    } rows[] = {
        {2026, 2, 2, 2, 2026, 4, 2},     /* KZ 2-month extension limit, plain */
        {2026, 1, 31, 1, 2026, 2, 28},   /* clamp to month end */
        {2024, 12, 31, 2, 2025, 2, 28},  /* across the year, clamp */
        {2023, 12, 31, 2, 2024, 2, 29},  /* leap February */
        {2026, 3, 15, -3, 2025, 12, 15}, /* backwards */
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        ot_day_t out;
        assert_int_equal(date_add_months(ymd(rows[i].y, rows[i].m, rows[i].d), rows[i].add, &out),
                         OT_OK);
        assert_int_equal(out, ymd(rows[i].ey, rows[i].em, rows[i].ed));
    }
    int min;
    assert_int_equal(date_parse_hhmm("18:30", &min), OT_OK);
    assert_int_equal(min, 1110);
    assert_int_equal(date_parse_hhmm("24:00", &min), OT_OK);
    assert_int_equal(min, 1440);
    assert_int_equal(date_parse_hhmm("24:01", &min), OT_EINVAL);
    assert_int_equal(date_parse_hhmm("18:60", &min), OT_EINVAL);
    assert_int_equal(date_parse_hhmm("8:30", &min), OT_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_civil_roundtrip),      cmocka_unit_test(test_known_days),
        cmocka_unit_test(test_date_parse),           cmocka_unit_test(test_instant_parse),
        cmocka_unit_test(test_local_day_and_minute), cmocka_unit_test(test_add_months_and_hhmm),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
