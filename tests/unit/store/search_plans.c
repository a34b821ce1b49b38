/* The plan of SQLite's walk of a search's matches (store_search.c): FTS5 walks the matches
 * newest first, and a status filter is a seek in appeals_status_id by each match's appeal
 * id, never a read of the appeal's row (a page per match: a rare status among common words
 * read every match's row, 22 s cold at 1.9M appeals) nor a walk of the status's appeals. */
#include "plan.h"

static void test_walk_plan(void **state)
{
    (void)state;
    struct plan_arg p;
    plan_of(&p, store_search_fts_walk_sql, "search walk");
    if (!strstr(p.plan, "SCAN search_fts VIRTUAL TABLE") ||
        !strstr(p.plan, "SEARCH x USING COVERING INDEX appeals_status_id (status=? AND rowid=?)") ||
        strstr(p.plan, "SCAN appeals") || strstr(p.plan, "SCAN x") || strstr(p.plan, "LEFT-JOIN")) {
        fprintf(stderr, "%s\n  wants the matches walked, the status sought by id; plan:\n%s\n",
                p.sql, p.plan);
        fail();
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_walk_plan),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
