/* What the query-plan tests share: an empty store in a temporary directory (plans depend on
 * the schema, not on the rows: the store keeps no sqlite_stat tables) and the plan of one
 * statement, the detail column of EXPLAIN QUERY PLAN one line per step. Included by one
 * test program each. */
#ifndef OTINISH_TESTS_UNIT_STORE_PLAN_H
#define OTINISH_TESTS_UNIT_STORE_PLAN_H

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

static char plan_dir[] = "/tmp/otinish-plan-test-XXXXXX";
static char plan_path[256];
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

/* The plan of sql into p (p->sql set to it); fails the test when it cannot be had. */
static void plan_of(struct plan_arg *p, const char *sql, const char *what)
{
    p->sql = sql;
    ot_err_t err;
    if (store_read(store, plan_fn, p, &err))
        fail_msg("%s: %s", what, err.message);
}

static int setup(void **state)
{
    (void)state;
    if (!mkdtemp(plan_dir))
        return -1;
    snprintf(plan_path, sizeof plan_path, "%s/plan.db", plan_dir);
    ot_err_t err;
    return store_open(plan_path, STORE_CREATE, &store, &err);
}

static int teardown(void **state)
{
    (void)state;
    store_close(store);
    char p[300];
    static const char *const ext[] = {"", "-wal", "-shm"};
    for (size_t i = 0; i < 3; i++) {
        snprintf(p, sizeof p, "%s%s", plan_path, ext[i]);
        unlink(p);
    }
    return rmdir(plan_dir);
}

#endif
