/* The statutory terms of the shipped data (data/jurisdictions/kz, ru: terms.txt over
 * calendar.txt) as the server loads them (juris_load): worked examples of the law, errors,
 * extensions, and properties over every day of the data. Run from the repository root. The
 * engine's own unit tests, with their data in the test, are tests/unit/domain/deadline.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "domain/deadline.h"
#include "shipped.h"

static ot_day_t D(const char *s)
{
    ot_day_t d;
    if (!s)
        return OT_DAY_NONE;
    if (date_parse(s, &d) != OT_OK)
        fail_msg("bad date in test table: %s", s);
    return d;
}

static const char *F(ot_day_t d, char buf[11])
{
    if (d == OT_DAY_NONE)
        return "none";
    date_format(d, buf);
    return buf;
}

typedef struct row {
    int ru;
    const char *kind, *received;
    int workday_end; /* -1 = policy default (KZ 18:30, RU 18:00) */
    const char *registered, *due, *forward, *max_ext, *register_by;
} row_t;

static const row_t rows[] = {
    /* KZ, domain-law.md 1.9 worked examples: 15 and 20 working days from Mon 2026-02-02 */
    {0, "statement", "2026-02-02T10:00:00+05:00", -1, "2026-02-02", "2026-02-23", "2026-02-05",
     "2026-04-02", "2026-02-02"},
    {0, "complaint", "2026-02-02T10:00:00+05:00", -1, "2026-02-02", "2026-03-02", "2026-02-05",
     "2026-03-02", "2026-02-02"}, /* complaint: no extension, max == due */
    /* АППК 64(3) cut-off: before 18:30 same day; Nauryz 21-25 March follows */
    {0, "statement", "2026-03-20T17:00:00+05:00", -1, "2026-03-20", "2026-04-15", "2026-03-30",
     "2026-05-20", "2026-03-20"},
    {0, "statement", "2026-03-20T18:29:59+05:00", -1, "2026-03-20", "2026-04-15", "2026-03-30",
     "2026-05-20", "2026-03-20"}, /* one second before the end of the day */
    {0, "statement", "2026-03-20T18:30:00+05:00", -1, "2026-03-26", "2026-04-16", "2026-03-31",
     "2026-05-26", "2026-03-26"}, /* at 18:30 sharp: after hours -> after the Nauryz days off */
    {0, "statement", "2026-03-20T17:00:00+05:00", 17 * 60, "2026-03-26", "2026-04-16", "2026-03-31",
     "2026-05-26", "2026-03-26"}, /* a body that closes at 17:00 */
    {0, "statement", "2026-03-20T12:29:00Z", -1, "2026-03-20", "2026-04-15", "2026-03-30",
     "2026-05-20", "2026-03-20"}, /* UTC input, 17:29 local */
    {0, "statement", "2026-03-19T20:00:00Z", -1, "2026-03-20", "2026-04-15", "2026-03-30",
     "2026-05-20", "2026-03-20"}, /* UTC evening of the 19th is the 20th in Kazakhstan */
    /* received on a day off: registered on the next working day */
    {0, "statement", "2026-05-09T10:00:00+05:00", -1, "2026-05-12", "2026-06-03", "2026-05-15",
     "2026-07-13", "2026-05-12"}, /* Sat holiday + Mon carry-over; 27 May Kurban Ait in term;
                                     12 Jul is a Sunday -> 13 Jul */
    /* year boundary: 31 Dec after hours -> New Year, weekend -> Mon 5 Jan; 7 Jan in the term */
    {0, "statement", "2025-12-31T19:00:00+05:00", -1, "2026-01-05", "2026-01-27", "2026-01-09",
     "2026-03-05", "2026-01-05"},
    /* transfers: 2024 Sat 4 May is a working day, so an after-hours Friday registers on it */
    {0, "request", "2024-05-03T19:00:00+05:00", -1, "2024-05-04", "2024-05-29", "2024-05-13",
     "2024-07-04", "2024-05-04"},
    /* 2025 Order No. 436: Fri 3 Jan off, Sun 5 Jan worked */
    {0, "proposal", "2025-01-03T10:00:00+05:00", -1, "2025-01-05", "2025-01-27", "2025-01-09",
     "2025-03-05", "2025-01-05"},
    /* 2027: Kurban Ait on Sunday 16 May is not carried; carry-over of 9 May to Mon 10 May */
    {0, "report", "2027-05-07T09:00:00+05:00", -1, "2027-05-11", "2027-06-01", "2027-05-14",
     "2027-07-12", "2027-05-11"}, /* Fri 7 May holiday; 11 Jul 2027 is a Sunday -> 12 Jul */
    /* RU 59-ФЗ: 30 calendar days from registration, +30 extension, 7-day forwarding */
    {1, "statement", "2026-02-02T10:00:00+03:00", -1, "2026-02-02", "2026-03-04", "2026-02-09",
     "2026-04-03", "2026-02-05"},
    {1, "complaint", "2026-04-09T10:00:00+03:00", -1, "2026-04-09", "2026-05-12", "2026-04-16",
     "2026-06-08", "2026-04-13"}, /* term ends Sat 9 May holiday -> Tue 12 May; register_by
                                     12 Apr is a Sunday -> 13 Apr; max: 9 May + 30 = 8 Jun */
    {1, "proposal", "2025-12-30T19:00:00+03:00", -1, "2026-01-12", "2026-02-11", "2026-01-19",
     "2026-03-13", "2026-01-12"}, /* after hours before the New Year break (31 Dec transfer,
                                     1-8 Jan, 9 Jan transfer); register_by 2 Jan -> 12 Jan */
};

static void test_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const row_t *r = &rows[i];
        const juris_t *j = r->ru ? ru : kz;
        int64_t us;
        assert_int_equal(instant_parse(r->received, &us), OT_OK);
        deadline_t d;
        ot_err_t err;
        int rc = deadline_compute(j->policy, j->cal, r->kind, us, r->workday_end, &d, &err);
        if (rc)
            fail_msg("row %zu: %s", i, err.message);
        char a[11], b[11];
        const struct {
            const char *name;
            ot_day_t got, want;
        } f[] = {
            {"registered_on", d.registered_on, D(r->registered)},
            {"due_on", d.due_on, D(r->due)},
            {"forward_by", d.forward_by, D(r->forward)},
            {"max_extended_due", d.max_extended_due, D(r->max_ext)},
            {"register_by", d.register_by, D(r->register_by)},
        };
        for (size_t k = 0; k < sizeof f / sizeof f[0]; k++)
            if (f[k].got != f[k].want)
                fail_msg("row %zu (%s %s): %s %s, want %s", i, r->kind, r->received, f[k].name,
                         F(f[k].got, a), F(f[k].want, b));
    }
}

static void test_errors(void **state)
{
    (void)state;
    int64_t us;
    deadline_t d;
    ot_err_t err;
    assert_int_equal(instant_parse("2026-03-20T10:00:00+05:00", &us), OT_OK);
    /* Unknown kind; RU has no "request". */
    assert_int_equal(deadline_compute(kz->policy, kz->cal, "petition", us, -1, &d, &err),
                     OT_EINVAL);
    assert_string_equal(err.code, "unknown_kind");
    assert_string_equal(err.field, "kind");
    assert_int_equal(deadline_compute(ru->policy, ru->cal, "request", us, -1, &d, &err), OT_EINVAL);
    assert_string_equal(err.code, "unknown_kind");
    assert_int_equal(deadline_compute(kz->policy, kz->cal, NULL, us, -1, &d, &err), OT_EINVAL);
    assert_int_equal(deadline_compute(kz->policy, kz->cal, "statement", us, 1441, &d, &err),
                     OT_EINVAL);
    assert_string_equal(err.field, "workday_end");
    /* Outside the data: before it, and a due date that would fall after it. */
    static const char *outside[] = {"2023-12-29T10:00:00+05:00", "2030-12-20T10:00:00+05:00",
                                    "2031-01-10T10:00:00+05:00"};
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(instant_parse(outside[i], &us), OT_OK);
        assert_int_equal(deadline_compute(kz->policy, kz->cal, "statement", us, -1, &d, &err),
                         OT_EINVAL);
        assert_string_equal(err.code, "calendar_out_of_range");
    }
    assert_int_equal(
        deadline_from_registration(kz->policy, kz->cal, "statement", D("2026-03-21"), &d, &err),
        OT_EINVAL);
    assert_string_equal(err.code, "not_working_day");
}

static void test_extension(void **state)
{
    (void)state;
    static const struct {
        int ru;
        const char *kind, *registered, *proposed, *code; /* code NULL = allowed */
    } ext[] = {
        {0, "statement", "2026-02-02", "2026-04-02", NULL}, /* exactly 2 months: allowed */
        {0, "statement", "2026-02-02", "2026-03-16", NULL}, /* inside the limit */
        {0, "statement", "2026-02-02", "2026-04-03", "extension_too_long"},  /* a day over */
        {0, "statement", "2026-02-02", "2026-02-23", "extension_not_later"}, /* not later */
        {0, "statement", "2026-02-02", "2026-03-21", "not_working_day"},     /* Saturday holiday */
        {0, "complaint", "2026-02-02", "2026-03-10", "extension_not_allowed"}, /* art. 99/100 */
        {1, "statement", "2026-02-02", "2026-04-03", NULL},                    /* RU +30 days */
        {1, "statement", "2026-02-02", "2026-04-06", "extension_too_long"},
        {0, "statement", "2030-11-15", "2031-01-10", "calendar_out_of_range"},
    };
    for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++) {
        const juris_t *j = ext[i].ru ? ru : kz;
        ot_err_t err;
        ot_err_clear(&err);
        int rc = deadline_extension_check(j->policy, j->cal, ext[i].kind, D(ext[i].registered),
                                          D(ext[i].proposed), &err);
        if (!ext[i].code) {
            if (rc)
                fail_msg("row %zu: refused: %s", i, err.message);
            continue;
        }
        if (rc != OT_EINVAL || strcmp(err.code, ext[i].code))
            fail_msg("row %zu: rc %d code '%s', want %s", i, rc, err.code, ext[i].code);
    }
    /* АППК art. 76: notice within 3 working days of the extension; none in RU data. */
    ot_day_t by;
    ot_err_t err;
    assert_int_equal(
        deadline_extension_notice_by(kz->policy, kz->cal, "statement", D("2026-03-20"), &by, &err),
        OT_OK);
    assert_int_equal(by, D("2026-03-30"));
    assert_int_equal(
        deadline_extension_notice_by(ru->policy, ru->cal, "statement", D("2026-03-20"), &by, &err),
        OT_EINVAL);
}

static void test_policy_values(void **state)
{
    (void)state;
    const policy_kind_t *k = policy_find_kind(kz->policy, "statement");
    assert_non_null(k);
    assert_int_equal(k->term.value, 15);
    assert_int_equal(k->term.unit, POLICY_WORKING_DAYS);
    assert_string_equal(k->term.status, "confirmed");
    assert_non_null(strstr(k->term.source, "76"));
    assert_int_equal(k->workday_end.value, 18 * 60 + 30);
    assert_string_equal(k->prefix.status, "unconfirmed"); /* letter table not retrieved */
    assert_int_equal(k->registration.mode, POLICY_REG_CUTOFF);
    assert_int_equal(policy_kind_count(kz->policy), 6);
    static const char *kz_kinds[] = {"statement", "complaint", "proposal",
                                     "request",   "response",  "report"};
    for (size_t i = 0; i < 6; i++)
        assert_string_equal(policy_kind_at(kz->policy, i)->id, kz_kinds[i]);
    assert_int_equal(policy_kind_count(ru->policy), 3);
    k = policy_find_kind(ru->policy, "complaint");
    assert_int_equal(k->term.unit, POLICY_CALENDAR_DAYS);
    assert_int_equal(k->extension.mode, POLICY_EXT_ADD);
    assert_false(k->extension_notice.set);
    /* Policy syntax errors name the line. */
    static const char *bad[] = {
        "kinds a b | confirmed | x\na term 15 weeks | confirmed | x\n",   /* unit */
        "kinds a b | confirmed | x\nc term 15 working | confirmed | x\n", /* unknown kind */
        "kinds a | confirmed | x\na term 15 working\n",                   /* no status */
        "kinds a | confirmed | x\na colour red | confirmed | x\n",        /* unknown key */
        "kinds a | confirmed | x\na term 1 working | confirmed | x\n",    /* missing keys */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        policy_t *p = NULL;
        ot_err_t err;
        assert_int_equal(policy_parse(bad[i], strlen(bad[i]), &p, &err), OT_EINVAL);
        assert_null(p);
        assert_string_equal(err.code, "policy_syntax");
        assert_non_null(strstr(err.message, "line 2:"));
    }
}

/* Properties over every day of the data, four times of day, every kind, both jurisdictions:
 * the due date is a working day; counting working days back from it gives the term (working
 * units) or it is the first working day on or after the calendar end (calendar units); a later
 * receipt never gives an earlier registration or due date. Only the last weeks of the data
 * may fail, and only with calendar_out_of_range. */
static void test_properties(void **state)
{
    (void)state;
    static const int minutes[] = {0, 9 * 60, 18 * 60 + 29, 18 * 60 + 30, 23 * 60 + 59};
    const juris_t *js[2] = {kz, ru};
    long checked = 0;
    for (int ji = 0; ji < 2; ji++) {
        const juris_t *j = js[ji];
        const cal_t *cal = j->cal;
        int off = cal_utc_offset_min(cal);
        ot_day_t a, b, limit;
        date_from_ymd(cal_first_year(cal), 1, 1, &a);
        date_from_ymd(cal_last_projected_year(cal), 12, 31, &b);
        limit = b - 100; /* every due date starting before this must fit in the data */
        for (size_t ki = 0; ki < policy_kind_count(j->policy); ki++) {
            const policy_kind_t *k = policy_kind_at(j->policy, ki);
            deadline_t prev = {0};
            int have_prev = 0;
            for (ot_day_t day = a; day <= b; day++) {
                for (size_t mi = 0; mi < sizeof minutes / sizeof minutes[0]; mi++) {
                    int64_t us = instant_from_local(day, minutes[mi], off);
                    deadline_t d;
                    ot_err_t err;
                    int rc = deadline_compute(j->policy, cal, k->id, us, -1, &d, &err);
                    if (rc) {
                        assert_true(day > limit);
                        assert_string_equal(err.code, "calendar_out_of_range");
                        continue;
                    }
                    checked++;
                    assert_int_equal(cal_is_working(cal, d.registered_on), 1);
                    assert_int_equal(cal_is_working(cal, d.due_on), 1);
                    assert_true(d.registered_on >= day);
                    assert_true(d.max_extended_due >= d.due_on);
                    assert_true(d.register_by >= d.registered_on);
                    if (d.forward_by != OT_DAY_NONE)
                        assert_int_equal(cal_is_working(cal, d.forward_by), 1);
                    if (k->term.unit == POLICY_WORKING_DAYS) {
                        int n;
                        assert_int_equal(
                            cal_count_working_days(cal, d.registered_on, d.due_on, &n, &err),
                            OT_OK);
                        assert_int_equal(n, k->term.value);
                    } else {
                        ot_day_t end = d.registered_on + k->term.value;
                        assert_true(d.due_on >= end);
                        for (ot_day_t x = end; x < d.due_on; x++)
                            assert_int_equal(cal_is_working(cal, x), 0);
                    }
                    if (have_prev) {
                        assert_true(d.registered_on >= prev.registered_on);
                        assert_true(d.due_on >= prev.due_on);
                    }
                    prev = d;
                    have_prev = 1;
                }
            }
        }
    }
    /* 2 jurisdictions x kinds x ~4 years x 5 times; guards against a loop that checks nothing */
    assert_true(checked > 40000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),      cmocka_unit_test(test_errors),
        cmocka_unit_test(test_extension),  cmocka_unit_test(test_policy_values),
        cmocka_unit_test(test_properties),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
