/* The shipped calendars (data/jurisdictions/kz, ru) as the server loads them (juris_load):
 * every rule of every year of the data, counts, and the arithmetic over the whole range.
 * Run from the repository root. The engine's own unit tests, with their data in the test,
 * are tests/unit/domain/calendar.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "domain/calendar.h"
#include "shipped.h"

static ot_day_t D(const char *s)
{
    ot_day_t d;
    if (date_parse(s, &d) != OT_OK)
        fail_msg("bad date in test table: %s", s);
    return d;
}

enum { WORK = 1, OFF = 0 };

typedef struct day_row {
    const char *date;
    int working;
    int kind;            /* the first (most important) mark; 0 = no mark at all */
    const char *related; /* carry-over: the holiday; transfer: the other day; NULL = none */
} day_row_t;

/* Kazakhstan, every rule in every year of the data. */
static const day_row_t kz_rows[] = {
    /* 2024 */
    {"2024-01-01", OFF, CAL_HOLIDAY, NULL}, /* New Year, Law «О праздниках» */
    {"2024-01-02", OFF, CAL_HOLIDAY, NULL}, /* New Year, second day */
    {"2024-01-03", WORK, 0, NULL},          /* ordinary Wednesday */
    {"2024-01-07", OFF, CAL_DAYOFF, NULL},  /* 7 Jan on a Sunday: no carry-over (LC 84(5)) */
    {"2024-01-08", WORK, 0, NULL},          /* ... so Monday 8 Jan is worked */
    {"2024-03-23", OFF, CAL_HOLIDAY, NULL}, /* Nauryz on a Saturday */
    {"2024-03-25", OFF, CAL_CARRYOVER, "2024-03-23"},    /* art. 5 carry-over to Monday */
    {"2024-03-26", WORK, 0, NULL},                       /* only one carried day */
    {"2024-05-04", WORK, CAL_WEEKEND, "2024-05-08"},     /* transfer order: Saturday worked */
    {"2024-05-08", OFF, CAL_TRANSFER_OFF, "2024-05-04"}, /* ... Wednesday off */
    {"2024-06-17", OFF, CAL_DAYOFF, NULL},               /* Kurban Ait 2024 */
    {"2024-07-06", OFF, CAL_HOLIDAY, NULL},              /* Capital Day on a Saturday */
    {"2024-07-08", OFF, CAL_CARRYOVER, "2024-07-06"},    /* carried to Monday */
    {"2024-10-25", OFF, CAL_HOLIDAY, NULL},              /* Republic Day (restored 2022) */
    {"2024-12-01", OFF, CAL_WEEKEND, NULL}, /* 1 Dec no longer a holiday (Sunday anyway) */
    {"2024-12-16", OFF, CAL_HOLIDAY, NULL}, /* Independence Day */
    {"2024-12-17", WORK, 0, NULL},          /* 17 Dec removed in 2022 */
    /* 2025 */
    {"2025-01-03", OFF, CAL_TRANSFER_OFF, "2025-01-05"}, /* Order No. 436: Friday off */
    {"2025-01-05", WORK, CAL_WEEKEND, "2025-01-03"},     /* ... Sunday worked */
    {"2025-01-07", OFF, CAL_DAYOFF, NULL},               /* Orthodox Christmas on Tuesday */
    {"2025-03-08", OFF, CAL_HOLIDAY, NULL},              /* 8 March on Saturday */
    {"2025-03-10", OFF, CAL_CARRYOVER, "2025-03-08"},    /* carried to Monday */
    {"2025-03-24", OFF, CAL_CARRYOVER, "2025-03-22"},    /* Nauryz Sat -> Mon */
    {"2025-03-25", OFF, CAL_CARRYOVER, "2025-03-23"},    /* Nauryz Sun -> Tue */
    {"2025-03-26", WORK, 0, NULL},
    {"2025-05-08", WORK, 0, NULL},                    /* no 2025 transfer for 8 May */
    {"2025-06-06", OFF, CAL_DAYOFF, NULL},            /* Kurban Ait 2025 */
    {"2025-07-07", OFF, CAL_CARRYOVER, "2025-07-06"}, /* Capital Day Sun -> Mon */
    {"2025-09-01", OFF, CAL_CARRYOVER, "2025-08-30"}, /* Constitution Day Sat -> Mon (month edge) */
    {"2025-10-27", OFF, CAL_CARRYOVER, "2025-10-25"}, /* Republic Day Sat -> Mon (alau.kz) */
    {"2025-12-31", WORK, 0, NULL},                    /* year end, ordinary Wednesday */
    /* 2026 (domain-law.md 2.3 table) */
    {"2026-01-01", OFF, CAL_HOLIDAY, NULL}, /* Thursday */
    {"2026-01-02", OFF, CAL_HOLIDAY, NULL}, /* Friday, no transfer */
    {"2026-01-05", WORK, 0, NULL},
    {"2026-01-07", OFF, CAL_DAYOFF, NULL},            /* Wednesday */
    {"2026-03-08", OFF, CAL_HOLIDAY, NULL},           /* Sunday */
    {"2026-03-09", OFF, CAL_CARRYOVER, "2026-03-08"}, /* Monday 9 March (confirmed) */
    {"2026-03-21", OFF, CAL_HOLIDAY, NULL},           /* Nauryz Sat */
    {"2026-03-23", OFF, CAL_HOLIDAY, NULL},           /* Nauryz Mon */
    {"2026-03-24", OFF, CAL_CARRYOVER, "2026-03-21"}, /* Tue 24 (confirmed) */
    {"2026-03-25", OFF, CAL_CARRYOVER, "2026-03-22"}, /* Wed 25 (confirmed) */
    {"2026-03-26", WORK, 0, NULL},
    {"2026-05-08", WORK, 0, NULL},                    /* no 2026 transfer order known */
    {"2026-05-11", OFF, CAL_CARRYOVER, "2026-05-09"}, /* Victory Day Sat -> Mon */
    {"2026-05-27", OFF, CAL_DAYOFF, NULL},            /* Kurban Ait 2026 (provisional) */
    {"2026-07-06", OFF, CAL_HOLIDAY, NULL},           /* Monday, nothing to carry */
    {"2026-07-07", WORK, 0, NULL},
    {"2026-08-31", OFF, CAL_CARRYOVER, "2026-08-30"}, /* Constitution Day Sun -> Mon */
    {"2026-10-26", OFF, CAL_CARRYOVER, "2026-10-25"}, /* Republic Day Sun -> Mon */
    {"2026-12-16", OFF, CAL_HOLIDAY, NULL},
    /* 2027 */
    {"2027-01-02", OFF, CAL_HOLIDAY, NULL},           /* New Year on Saturday */
    {"2027-01-04", OFF, CAL_CARRYOVER, "2027-01-02"}, /* carried to Monday */
    {"2027-01-05", WORK, 0, NULL},
    {"2027-03-24", OFF, CAL_CARRYOVER, "2027-03-21"}, /* Nauryz Sun -> Wed after Mon-Tue */
    {"2027-03-25", WORK, 0, NULL},
    {"2027-05-03", OFF, CAL_CARRYOVER, "2027-05-01"}, /* Unity Day Sat -> Mon */
    {"2027-05-10", OFF, CAL_CARRYOVER, "2027-05-09"}, /* Victory Day Sun -> Mon */
    {"2027-05-16", OFF, CAL_DAYOFF, NULL},            /* Kurban Ait on Sunday: never carried */
    {"2027-05-17", WORK, 0, NULL},                    /* ... so Monday is worked */
    {"2027-12-31", WORK, 0, NULL},                    /* last day of the data */
};

/* Russia (Labour Code of RF art. 112 and the 2025/2026 decrees). */
static const day_row_t ru_rows[] = {
    {"2025-01-04", OFF, CAL_HOLIDAY, NULL},           /* New Year holiday on Saturday */
    {"2025-01-08", OFF, CAL_HOLIDAY, NULL},           /* last New Year holiday */
    {"2025-01-09", WORK, 0, NULL},                    /* nocarry: January holidays do not carry */
    {"2025-02-24", OFF, CAL_CARRYOVER, "2025-02-23"}, /* art. 112(2) carry-over */
    {"2025-03-10", OFF, CAL_CARRYOVER, "2025-03-08"}, /* art. 112(2) carry-over */
    {"2025-05-02", OFF, CAL_TRANSFER_OFF, "2025-01-04"}, /* decree: 4 Jan -> 2 May */
    {"2025-05-08", WORK, 0, NULL},
    {"2025-11-01", WORK, CAL_WEEKEND, "2025-11-03"},     /* decree: Saturday worked */
    {"2025-11-03", OFF, CAL_TRANSFER_OFF, "2025-11-01"}, /* ... Monday off */
    {"2025-12-31", OFF, CAL_TRANSFER_OFF, "2025-01-05"}, /* decree: 5 Jan -> 31 Dec */
    {"2026-01-09", OFF, CAL_TRANSFER_OFF, "2026-01-03"}, /* decree: 3 Jan -> 9 Jan */
    {"2026-01-12", WORK, 0, NULL},
    {"2026-02-23", OFF, CAL_HOLIDAY, NULL}, /* Monday */
    {"2026-03-09", OFF, CAL_CARRYOVER, "2026-03-08"},
    {"2026-05-11", OFF, CAL_CARRYOVER, "2026-05-09"},
    {"2026-11-04", OFF, CAL_HOLIDAY, NULL},
    {"2026-12-31", OFF, CAL_TRANSFER_OFF, "2026-01-04"}, /* decree: 4 Jan -> 31 Dec */
};

static void check_rows(const cal_t *cal, const day_row_t *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        ot_day_t d = D(rows[i].date);
        const cal_mark_t *m;
        size_t nm = cal_marks(cal, d, &m);
        if (cal_is_working(cal, d) != rows[i].working)
            fail_msg("%s: working=%d, want %d", rows[i].date, cal_is_working(cal, d),
                     rows[i].working);
        if (!rows[i].kind) {
            assert_int_equal(nm, 0);
            assert_null(cal_reason(cal, d));
            continue;
        }
        if (nm == 0 || (int)m[0].kind != rows[i].kind)
            fail_msg("%s: first mark %s, want %s", rows[i].date,
                     nm ? cal_kind_name(m[0].kind) : "none", cal_kind_name(rows[i].kind));
        /* Non-working days explain themselves; working days do not. */
        if (rows[i].working)
            assert_null(cal_reason(cal, d));
        else
            assert_string_equal(cal_reason(cal, d), m[0].reason);
        /* The related day (a carry-over's holiday, a transfer's other day) is on some mark. */
        ot_day_t rel = rows[i].related ? D(rows[i].related) : OT_DAY_NONE;
        int found = rel == OT_DAY_NONE;
        for (size_t k = 0; k < nm; k++)
            found |= m[k].related == rel;
        if (!found)
            fail_msg("%s: no mark related to %s", rows[i].date, rows[i].related);
        for (size_t k = 0; k < nm; k++) {
            assert_non_null(m[k].source);
            assert_true(!strcmp(m[k].status, "confirmed") || !strcmp(m[k].status, "secondary") ||
                        !strcmp(m[k].status, "unconfirmed"));
        }
    }
}

static void test_kz_days(void **state)
{
    (void)state;
    check_rows(kz->cal, kz_rows, sizeof kz_rows / sizeof kz_rows[0]);
}

static void test_ru_days(void **state)
{
    (void)state;
    check_rows(ru->cal, ru_rows, sizeof ru_rows / sizeof ru_rows[0]);
}

static void test_meta_and_counts(void **state)
{
    (void)state;
    assert_string_equal(cal_jurisdiction(kz->cal), "kz");
    assert_int_equal(cal_utc_offset_min(kz->cal), 300);
    assert_int_equal(cal_utc_offset_min(ru->cal), 180);
    assert_int_equal(cal_first_year(kz->cal), 2024);
    assert_int_equal(cal_last_year(kz->cal), 2027);
    /* Working days per year. RU 2025 and 2026: 247 in the official production calendars. KZ:
     * weekdays minus the non-working weekdays listed in domain-law.md 2, plus worked weekend
     * days (2024: +Sat 4 May; 2025: +Sun 5 Jan). */
    static const struct {
        int ru, year, n;
    } rows[] = {
        {0, 2024, 262 - 15 + 1}, {0, 2025, 261 - 16 + 1}, {0, 2026, 261 - 15},
        {0, 2027, 261 - 14},     {1, 2025, 247},          {1, 2026, 247},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        int n = -1;
        ot_err_t err;
        assert_int_equal(
            cal_year_working_count(rows[i].ru ? ru->cal : kz->cal, rows[i].year, &n, &err), OT_OK);
        if (n != rows[i].n)
            fail_msg("%s %d: %d working days, want %d", rows[i].ru ? "ru" : "kz", rows[i].year, n,
                     rows[i].n);
    }
    /* The year listing agrees with cal_is_working and carries reasons. */
    cal_day_info_t *v;
    size_t n;
    ot_err_t err;
    assert_int_equal(cal_year_non_working(kz->cal, 2026, &v, &n, &err), OT_OK);
    assert_int_equal(n, 365 - (261 - 15));
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(cal_is_working(kz->cal, v[i].day), 0);
        assert_true(v[i].n_marks > 0);
        assert_true(i == 0 || v[i].day > v[i - 1].day);
    }
    free(v);
}

/* Arithmetic against the definition: a day-by-day walk over cal_is_working. */
static void test_arithmetic_matches_walk(void **state)
{
    (void)state;
    const juris_t *js[2] = {kz, ru};
    for (int j = 0; j < 2; j++) {
        const cal_t *cal = js[j]->cal;
        ot_day_t a, b;
        date_from_ymd(cal_first_year(cal), 1, 1, &a);
        date_from_ymd(cal_last_projected_year(cal), 12, 31, &b);
        for (ot_day_t d = a; d <= b; d++) {
            ot_day_t w = d;
            for (int n = 1; n <= 45; n++) {
                do
                    w++;
                while (w <= b && cal_is_working(cal, w) != 1);
                ot_day_t got;
                ot_err_t err;
                int rc = cal_add_working_days(cal, d, n, &got, &err);
                if (w > b) {
                    assert_int_equal(rc, OT_EINVAL);
                    assert_string_equal(err.code, "calendar_out_of_range");
                    break;
                }
                assert_int_equal(rc, OT_OK);
                assert_int_equal(got, w);
                int cnt;
                assert_int_equal(cal_count_working_days(cal, d, got, &cnt, &err), OT_OK);
                assert_int_equal(cnt, n);
                /* And backwards from the result. */
                ot_day_t back;
                if (cal_is_working(cal, d) == 1 &&
                    cal_add_working_days(cal, got, -n, &back, &err) == OT_OK)
                    assert_int_equal(back, d);
            }
            /* On-or-after and next. */
            ot_day_t nx, on;
            ot_err_t err;
            if (cal_working_on_or_after(cal, d, &on, &err) == OT_OK) {
                assert_int_equal(cal_is_working(cal, on), 1);
                assert_true(on >= d && (on == d) == (cal_is_working(cal, d) == 1));
                for (ot_day_t k = d; k < on; k++)
                    assert_int_equal(cal_is_working(cal, k), 0);
            }
            if (cal_next_working_day(cal, d, &nx, &err) == OT_OK) {
                assert_true(nx > d);
                assert_int_equal(cal_is_working(cal, nx), 1);
            }
        }
    }
}

static void test_calendar_days_to_working(void **state)
{
    (void)state;
    static const struct {
        const char *from;
        int n;
        const char *want;
    } rows[] = {
        {"2026-04-09", 30, "2026-05-12"}, /* ends Sat 9 May (holiday) -> Sun -> Mon carry -> Tue */
        {"2026-02-02", 30, "2026-03-04"}, /* ends on a working Wednesday */
        {"2025-12-02", 30, "2026-01-12"}, /* ends 1 Jan, New Year holidays + 9 Jan transfer */
        {"2025-10-02", 30, "2025-11-01"}, /* ends Sat 1 Nov, a working day by the 2025 decree */
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        ot_day_t got;
        ot_err_t err;
        assert_int_equal(
            cal_add_calendar_days_to_working(ru->cal, D(rows[i].from), rows[i].n, &got, &err),
            OT_OK);
        assert_int_equal(got, D(rows[i].want));
    }
}

static void test_out_of_range(void **state)
{
    (void)state;
    ot_err_t err;
    ot_day_t out;
    int n;
    static const char *outside[] = {"2023-12-31", "2031-01-01", "1970-01-01", "9999-12-31"};
    for (size_t i = 0; i < sizeof outside / sizeof outside[0]; i++) {
        ot_day_t d = D(outside[i]);
        assert_int_equal(cal_is_working(kz->cal, d), -1);
        assert_null(cal_reason(kz->cal, d));
        assert_int_equal(cal_add_working_days(kz->cal, d, 1, &out, &err), OT_EINVAL);
        assert_string_equal(err.code, "calendar_out_of_range");
        char year[5];
        memcpy(year, outside[i], 4);
        year[4] = '\0';
        assert_non_null(strstr(err.message, year)); /* the message names the year */
    }
    /* Counting past the last projected day names the first missing year. */
    assert_int_equal(cal_add_working_days(kz->cal, D("2030-12-20"), 15, &out, &err), OT_EINVAL);
    assert_string_equal(err.code, "calendar_out_of_range");
    assert_non_null(strstr(err.message, "2031"));
    assert_int_equal(cal_count_working_days(kz->cal, D("2030-01-01"), D("2031-01-03"), &n, &err),
                     OT_EINVAL);
    assert_int_equal(cal_year_working_count(kz->cal, 2031, &n, &err), OT_EINVAL);
    assert_int_equal(cal_add_calendar_days_to_working(ru->cal, D("2029-12-15"), 30, &out, &err),
                     OT_EINVAL);
    assert_string_equal(err.code, "calendar_out_of_range");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kz_days),
        cmocka_unit_test(test_ru_days),
        cmocka_unit_test(test_meta_and_counts),
        cmocka_unit_test(test_arithmetic_matches_walk),
        cmocka_unit_test(test_calendar_days_to_working),
        cmocka_unit_test(test_out_of_range),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
