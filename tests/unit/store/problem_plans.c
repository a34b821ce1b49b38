/* The query plans of intake's looks at the problems (store_problem_sql, issues 19 and 23):
 * each is one seek of the index named for it, with no sort, so that intake into a problem
 * costs the same whatever its size (a mass complaint: 10,000 citizens about one pothole).
 * The last answered appeal read every appeal of the problem and sorted them once
 * (appeals_problem, then a temporary B-tree): make bench's intake at 1M ran at 145-400/s.
 *
 * Plans depend on the schema, not on the rows (the store keeps no sqlite_stat tables), so an
 * empty database gives the plans of a full one. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/db.h"
#include "store/store.h"
#include "store/store_int.h"
#include "store/store_problem.h"

static char dir[] = "/tmp/otinish-problem-plan-XXXXXX";
static char path[256];
static store_t *store;

struct plan_arg {
    const char *sql;
    char plan[4096];
};

static int plan_fn(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct plan_arg *p = arg;
    size_t n = strlen(p->sql) + 32;
    char *q = malloc(n);
    assert_non_null(q);
    snprintf(q, n, "EXPLAIN QUERY PLAN %s", p->sql);
    db_stmt_t *st = db_prepare_temp(tx->db, q, err);
    free(q);
    if (!st)
        return err->status;
    size_t len = 0;
    p->plan[0] = '\0';
    int rc;
    while ((rc = db_step(st, err)) == DB_ROW && len < sizeof p->plan)
        len += (size_t)snprintf(p->plan + len, sizeof p->plan - len, "%s\n",
                                db_col_text(st, 3) ? db_col_text(st, 3) : "");
    db_finalize(st);
    return rc < 0 ? -rc : OT_OK;
}

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
        struct plan_arg p = {store_problem_sql[want[i].which], ""};
        ot_err_t err;
        assert_int_equal(store_read(store, plan_fn, &p, &err), OT_OK);
        if (!strstr(p.plan, want[i].index) || strstr(p.plan, "B-TREE") || strstr(p.plan, "SCAN")) {
            fprintf(stderr, "%s\n  wants %s, no sort, no scan; plan:\n%s\n", p.sql, want[i].index,
                    p.plan);
            failed++;
        }
    }
    assert_int_equal(failed, 0);
}

static int setup(void **state)
{
    (void)state;
    if (!mkdtemp(dir))
        return -1;
    snprintf(path, sizeof path, "%s/plan.db", dir);
    ot_err_t err;
    return store_open(path, STORE_CREATE, &store, &err);
}

static int teardown(void **state)
{
    (void)state;
    store_close(store);
    char p[300];
    static const char *const ext[] = {"", "-wal", "-shm"};
    for (size_t i = 0; i < 3; i++) {
        snprintf(p, sizeof p, "%s%s", path, ext[i]);
        unlink(p);
    }
    return rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_intake_plans),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
