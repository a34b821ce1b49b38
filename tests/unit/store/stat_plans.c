/* The plans of SQLite's count of a writer's batch of appeals (store_stat.c, migration 48:
 * issue 23 point 7, intake): each statement seeks the batch's appeals by id, one by one from
 * the JSON array of their ids. A filter on the status made SQLite walk appeals_open_reg, every
 * open appeal, for each batch: a count whose cost grows with the database, not the batch. */
#include "plan.h"

static void test_fold_plans(void **state)
{
    (void)state;
    int failed = 0;
    for (int i = 0; i < STORE_STAT_SQLITE_FOLDS; i++) {
        struct plan_arg p;
        plan_of(&p, store_stat_sqlite_fold_sql[i], "batch count");
        if (!strstr(p.plan, "SEARCH appeals USING INTEGER PRIMARY KEY (rowid=?)") ||
            strstr(p.plan, "SCAN appeals") || strstr(p.plan, "USING INDEX appeals_") ||
            strstr(p.plan, "USING COVERING INDEX appeals_")) {
            fprintf(stderr, "%s\n  wants the batch's appeals by id, no index walk; plan:\n%s\n",
                    p.sql, p.plan);
            failed++;
        }
    }
    assert_int_equal(failed, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fold_plans),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
