/* Unit tests for src/domain/deadline.c and policy.c with the calendar and the terms given
 * here (the shipped kz and ru data: tests/unit/data/deadline.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "domain/deadline.h"

/* A Saturday-Sunday week in 2026 with a holiday on Saturday 21 March carried to Monday 23 and
 * a holiday on Friday 1 May. */
static const char CAL_TEXT[] = "jurisdiction tt | confirmed | test\n"
                               "utc_offset +05:00 | confirmed | test\n"
                               "years 2026 2026 | confirmed | test\n"
                               "weekend sat sun | confirmed | test\n"
                               "holiday 03-21 Spring | confirmed | test\n"
                               "holiday 05-01 Unity | confirmed | test\n"
                               "carryover next_working_day | confirmed | test\n";

/* Terms shaped like the Kazakh ones: registration the same day before 18:00, 15 working days
 * from registration, forwarding within 3, extension to 2 months in all; complaints 20 working
 * days and no extension. */
static const char TERMS_TEXT[] = "jurisdiction tt | confirmed | test\n"
                                 "kinds statement complaint | confirmed | test\n"
                                 "*  registration cutoff | confirmed | test\n"
                                 "*  workday_end  18:00 | confirmed | test\n"
                                 "*  start        registration | confirmed | test\n"
                                 "*  term         15 working | confirmed | test\n"
                                 "*  forward      3 working | confirmed | test\n"
                                 "*  extension    total 2 months | confirmed | test\n"
                                 "*  extension_notice 3 working | confirmed | test\n"
                                 "complaint term      20 working | confirmed | test\n"
                                 "complaint extension none | confirmed | test\n";

static cal_t *cal;
static policy_t *pol;

static int setup(void **state)
{
    (void)state;
    ot_err_t err;
    if (cal_parse(CAL_TEXT, strlen(CAL_TEXT), &cal, &err) ||
        policy_parse(TERMS_TEXT, strlen(TERMS_TEXT), &pol, &err)) {
        fprintf(stderr, "parse: %s\n", err.message);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    cal_free(cal);
    policy_free(pol);
    return 0;
}

static ot_day_t D(const char *s)
{
    ot_day_t d;
    if (date_parse(s, &d) != OT_OK)
        fail_msg("bad date in test table: %s", s);
    return d;
}

static void test_table(void **state)
{
    (void)state;
    static const struct {
        const char *kind, *received;
        int workday_end; /* -1: the terms' 18:00 */
        const char *registered, *due, *forward, *max_ext;
    } rows[] = {
        /* before the end of the day: registered that day; the carried holiday is skipped */
        {"statement", "2026-03-20T17:00:00+05:00", -1, "2026-03-20", "2026-04-13", "2026-03-26",
         "2026-05-20"},
        /* at 18:00 sharp: after hours -> the next working day, past Sat, Sun and the carry-over */
        {"statement", "2026-03-20T18:00:00+05:00", -1, "2026-03-24", "2026-04-14", "2026-03-27",
         "2026-05-25"}, /* 24 May is a Sunday */
        /* a body that closes at 17:00 */
        {"statement", "2026-03-20T17:00:00+05:00", 17 * 60, "2026-03-24", "2026-04-14",
         "2026-03-27", "2026-05-25"},
        /* UTC input: 12:59Z is 17:59 local */
        {"statement", "2026-03-20T12:59:00Z", -1, "2026-03-20", "2026-04-13", "2026-03-26",
         "2026-05-20"},
        /* a complaint: 20 working days over the Friday holiday, no extension (max == due) */
        {"complaint", "2026-04-27T10:00:00+05:00", -1, "2026-04-27", "2026-05-26", "2026-04-30",
         "2026-05-26"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        int64_t us;
        assert_int_equal(instant_parse(rows[i].received, &us), OT_OK);
        deadline_t d;
        ot_err_t err;
        if (deadline_compute(pol, cal, rows[i].kind, us, rows[i].workday_end, &d, &err))
            fail_msg("row %zu: %s", i, err.message);
        char got[4][11];
        date_format(d.registered_on, got[0]);
        date_format(d.due_on, got[1]);
        date_format(d.forward_by, got[2]);
        date_format(d.max_extended_due, got[3]);
        const char *want[4] = {rows[i].registered, rows[i].due, rows[i].forward, rows[i].max_ext};
        static const char *const names[4] = {"registered_on", "due_on", "forward_by",
                                             "max_extended_due"};
        for (int k = 0; k < 4; k++)
            if (strcmp(got[k], want[k]))
                fail_msg("row %zu: %s %s, want %s", i, names[k], got[k], want[k]);
    }
}

static void test_errors(void **state)
{
    (void)state;
    int64_t us;
    deadline_t d;
    ot_err_t err;
    assert_int_equal(instant_parse("2026-03-20T10:00:00+05:00", &us), OT_OK);
    assert_int_equal(deadline_compute(pol, cal, "petition", us, -1, &d, &err), OT_EINVAL);
    assert_string_equal(err.code, "unknown_kind");
    assert_string_equal(err.field, "kind");
    assert_int_equal(deadline_compute(pol, cal, NULL, us, -1, &d, &err), OT_EINVAL);
    assert_int_equal(deadline_compute(pol, cal, "statement", us, 1441, &d, &err), OT_EINVAL);
    assert_string_equal(err.field, "workday_end");
    /* a due date past the years of the calendar */
    assert_int_equal(instant_parse("2026-12-20T10:00:00+05:00", &us), OT_OK);
    assert_int_equal(deadline_compute(pol, cal, "statement", us, -1, &d, &err), OT_EINVAL);
    assert_string_equal(err.code, "calendar_out_of_range");
    /* registration is on working days only */
    assert_int_equal(deadline_from_registration(pol, cal, "statement", D("2026-03-21"), &d, &err),
                     OT_EINVAL);
    assert_string_equal(err.code, "not_working_day");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
