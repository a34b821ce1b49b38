/* The query plans of intake's looks at the problems (store_problem_sql, issues 19 and 23):
 * each is one seek of the index named for it, with no sort, so that intake into a problem
 * costs the same whatever its size (a mass complaint: 10,000 citizens about one pothole).
 * The last answered appeal read every appeal of the problem and sorted them once
 * (appeals_problem, then a temporary B-tree): make bench's intake at 1M ran at 145-400/s.
 *
 * Plans depend on the schema, not on the rows (the store keeps no sqlite_stat tables), so an
 * empty database gives the plans of a full one. */
#include "plan.h"
#include "store/store_problem.h"

static void test_intake_plans(void **state)
{
    (void)state;
    static const struct {
        int which;
        const char *index;
    } want[] = {
        {STORE_PROBLEM_SQL_BY_PLACE, "USING INDEX problems_place (category=? AND place=?"},
        {STORE_PROBLEM_SQL_BY_CELL, "USING INDEX problems_cell (category=? AND cell=?"},
        {STORE_PROBLEM_SQL_LAST_ANSWERED, "USING INDEX appeals_problem_answered (problem_id=?"},
        {STORE_PROBLEM_SQL_DECIDED_BY,
         "USING INDEX appeals_problem_applicant (problem_id=? AND applicant_key=?"},
    };
    int failed = 0;
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        struct plan_arg p;
        plan_of(&p, store_problem_sql[want[i].which], want[i].index);
        if (!strstr(p.plan, want[i].index) || strstr(p.plan, "B-TREE") || strstr(p.plan, "SCAN")) {
            fprintf(stderr, "%s\n  wants %s, no sort, no scan; plan:\n%s\n", p.sql, want[i].index,
                    p.plan);
            failed++;
        }
    }
    assert_int_equal(failed, 0);
}

/* The problems of a category, newest first (with a state or not), read that category's
 * entries of problems_category in order: no walk of every problem, no sort. */
static void test_category_plans(void **state)
{
    (void)state;
    int failed = 0;
    for (int with_state = 0; with_state < 2; with_state++) {
        problem_filter_t f;
        memset(&f, 0, sizeof f);
        f.category = "heating";
        f.state = with_state ? "open" : NULL;
        struct plan_arg p;
        plan_of(&p, store_problem_list_sql(&f), "category");
        if (!strstr(p.plan, "USING INDEX problems_category (category=?") ||
            strstr(p.plan, "B-TREE")) {
            fprintf(stderr, "%s\n  wants problems_category, no sort; plan:\n%s\n", p.sql, p.plan);
            failed++;
        }
    }
    assert_int_equal(failed, 0);
}

/* The recurring problems of a scope (a head's alerts and dashboard) read the scope's bodies'
 * entries of problems_recurring: no walk of every recurring problem of the region (on the
 * 1M demo, 116,000 rows for a head of Ridder's few). */
static void test_recurred_plan(void **state)
{
    (void)state;
    struct plan_arg p;
    plan_of(&p, store_problem_recurred_sql[1], "scope");
    if (!strstr(p.plan, "USING INDEX problems_recurring (body=? AND recurred_at>? AND "
                        "recurred_at<?)") ||
        strstr(p.plan, "SCAN p")) {
        fprintf(stderr, "%s\n  wants problems_recurring, no walk of problems; plan:\n%s\n", p.sql,
                p.plan);
        fail();
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_intake_plans),
        cmocka_unit_test(test_category_plans),
        cmocka_unit_test(test_recurred_plan),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
