/* Unit tests for src/domain/violation.c: the discipline workflow, penalties, the repeat rule
 * and the reminder bands (docs/accountability.md), table-driven. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "domain/date.h"
#include "domain/violation.h"

static void workflow_table(void **state)
{
    (void)state;
    /* every (status, action) pair: the one legal path and nothing else */
    static const struct {
        viol_status_t from;
        viol_action_t action;
        int to;
    } cases[] = {
        {VS_OPEN, VA_PROCEEDINGS, VS_PROCEEDINGS},
        {VS_OPEN, VA_PENALTY, -1}, /* no penalty without proceedings */
        {VS_OPEN, VA_DISMISS, VS_DISMISSED},
        {VS_PROCEEDINGS, VA_PROCEEDINGS, -1},
        {VS_PROCEEDINGS, VA_PENALTY, VS_PENALTY},
        {VS_PROCEEDINGS, VA_DISMISS, VS_DISMISSED},
        {VS_PENALTY, VA_PROCEEDINGS, -1},
        {VS_PENALTY, VA_PENALTY, -1},
        {VS_PENALTY, VA_DISMISS, -1},
        {VS_DISMISSED, VA_PROCEEDINGS, -1},
        {VS_DISMISSED, VA_PENALTY, -1},
        {VS_DISMISSED, VA_DISMISS, -1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_int_equal(viol_next(cases[i].from, cases[i].action), cases[i].to);
    assert_int_equal(viol_next(VS_COUNT, VA_DISMISS), -1);
    assert_int_equal(viol_next(VS_OPEN, VA_COUNT), -1);
}

static void names_round_trip(void **state)
{
    (void)state;
    for (int s = 0; s < VS_COUNT; s++)
        assert_int_equal(viol_status_parse(viol_status_name((viol_status_t)s)), s);
    for (int a = 0; a < VA_COUNT; a++)
        assert_int_equal(viol_action_parse(viol_action_name((viol_action_t)a)), a);
    assert_int_equal(viol_status_parse("closed"), -1);
    assert_int_equal(viol_action_parse(NULL), -1);
    assert_string_equal(viol_status_name(VS_COUNT), "?");
}

static void penalties(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        int ok;
    } cases[] = {
        {"remark", 1},   {"reprimand", 1}, {"severe_reprimand", 1}, {"incomplete_compliance", 1},
        {"demotion", 1}, {"dismissal", 1}, {"Reprimand", 0},        {"", 0},
        {"fine", 0},     {NULL, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_int_equal(viol_penalty_valid(cases[i].s), cases[i].ok);
}

static void repeat_rule(void **state)
{
    (void)state;
    static const struct {
        const char *prior, *term;
        int months, repeat;
    } cases[] = {
        {"2026-03-20", "2026-04-09", 12, 1}, /* weeks later */
        {"2026-03-20", "2027-03-20", 12, 1}, /* exactly at the window's edge */
        {"2026-03-20", "2027-03-21", 12, 0}, /* a day past the window */
        {"2026-03-20", "2026-03-20", 12, 0}, /* the same term is not "after" */
        {"2026-04-01", "2026-03-20", 12, 0}, /* the prior came later */
        {"2026-01-31", "2026-02-28", 1, 1},  /* month arithmetic clamps to the month's end */
        {"2026-01-27", "2026-02-28", 1, 0},  {"2025-02-28", "2026-02-28", 12, 1},
        {"2025-09-30", "2026-03-31", 6, 1},  {"2025-09-29", "2026-03-31", 6, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ot_day_t p, t;
        assert_int_equal(date_parse(cases[i].prior, &p), 0);
        assert_int_equal(date_parse(cases[i].term, &t), 0);
        if (viol_is_repeat(p, t, cases[i].months) != cases[i].repeat)
            fail_msg("case %zu: %s then %s in %d months", i, cases[i].prior, cases[i].term,
                     cases[i].months);
    }
    assert_int_equal(viol_is_repeat(OT_DAY_NONE, 100, 12), 0);
}

static void reminder_bands(void **state)
{
    (void)state;
    viol_policy_t p = viol_default_policy; /* 3 and 1 */
    static const struct {
        int left, due;
    } def[] = {{0, 0}, {1, 1}, {2, 3}, {3, 3}, {4, 0}, {-1, 0}, {30, 0}};
    for (size_t i = 0; i < sizeof def / sizeof def[0]; i++)
        assert_int_equal(viol_reminder_due(&p, def[i].left), def[i].due);
    assert_int_equal(viol_parse_reminders("1,5,10", &p), 0);
    static const struct {
        int left, due;
    } three[] = {{1, 1}, {2, 5}, {5, 5}, {6, 10}, {10, 10}, {11, 0}};
    for (size_t i = 0; i < sizeof three / sizeof three[0]; i++)
        assert_int_equal(viol_reminder_due(&p, three[i].left), three[i].due);
}

static void parse_reminders(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        int ok, n, first;
    } cases[] = {
        {"3,1", 0, 2, 3}, {"1,3", 0, 2, 3},  {"5", 0, 1, 5},   {"30,1,2,3", 0, 4, 30},
        {"", 0, 0, 0},    {"0", -1, 0, 0},   {"31", -1, 0, 0}, {"3,3", -1, 0, 0},
        {"3,", 0, 1, 3},  {"3;1", -1, 0, 0}, {"a", -1, 0, 0},  {"1,2,3,4,5", -1, 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        viol_policy_t p = viol_default_policy;
        int rc = viol_parse_reminders(cases[i].s, &p);
        if (rc != cases[i].ok)
            fail_msg("'%s': %d", cases[i].s, rc);
        if (!rc) {
            assert_int_equal(p.n_reminders, cases[i].n);
            assert_int_equal(p.reminders[0], cases[i].first);
        } else
            assert_int_equal(p.n_reminders, 2); /* a bad list leaves the policy alone */
    }
    assert_int_equal(viol_default_policy.proceedings_days, 10);
    assert_int_equal(viol_default_policy.repeat_months, 0); /* from the data (terms.txt) */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(workflow_table), cmocka_unit_test(names_round_trip),
        cmocka_unit_test(penalties),      cmocka_unit_test(repeat_rule),
        cmocka_unit_test(reminder_bands), cmocka_unit_test(parse_reminders),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
