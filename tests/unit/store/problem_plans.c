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

/* The latest appeal of a problem (store_problem_latest, what a change of one of its appeals
 * reads when the summary is kept by deltas, issue 23): one seek of appeals_problem, from the
 * index alone, no sort, whatever the problem's size. */
static void test_latest_plan(void **state)
{
    (void)state;
    const char *want = "USING COVERING INDEX appeals_problem (problem_id=?)";
    struct plan_arg p;
    plan_of(&p, store_problem_latest_sql, "latest");
    if (!strstr(p.plan, want) || strstr(p.plan, "B-TREE"))
        fail_msg("%s\n  wants %s, no sort; plan:\n%s", p.sql, want, p.plan);
}

/* A problem's appeals per year (store_problem_years, every problem of a list page): its first
 * and last appeal, and each year's count, are seeks and ranges of appeals_problem alone. */
static void test_years_plans(void **state)
{
    (void)state;
    static const char *const want[2] = {
        "USING COVERING INDEX appeals_problem (problem_id=?)",
        "USING COVERING INDEX appeals_problem (problem_id=? AND received_at>? AND received_at<?)",
    };
    int failed = 0;
    for (int i = 0; i < 2; i++) {
        struct plan_arg p;
        plan_of(&p, store_problem_years_sql[i], "years");
        if (!strstr(p.plan, want[i]) || strstr(p.plan, "B-TREE") ||
            strstr(p.plan, "SCAN appeals")) {
            fprintf(stderr, "%s\n  wants %s; plan:\n%s\n", p.sql, want[i], p.plan);
            failed++;
        }
    }
    assert_int_equal(failed, 0);
}

/* The problems list (store_problem_list): every driver in every order, on the first page and
 * from a keyset cursor, reads the index named for it, never the whole table; a walk in an
 * index's own order sorts nothing and starts at the cursor (a range of the index), and the
 * pages a driver reads sorted are its filter's few problems (under the probe's cap). The
 * probes count from the filter's index. */
static void test_list_plans(void **state)
{
    (void)state;
    static const char *const sorts[3] = {"recent", "appeals", "age"};
    static const struct {
        int driver, sort;
        const char *index;
        int sorted; /* 0: no sort; 1: a sort of the rest of the order; 2: a sort */
    } want[] = {
        {STORE_PROBLEM_BY_SCOPE, 0, "USING INDEX problems_body (body=? AND last_at>?)", 2},
        {STORE_PROBLEM_BY_SCOPE, 1, "USING INDEX problems_body (body=? AND last_at>?)", 2},
        {STORE_PROBLEM_BY_SCOPE, 2, "USING INDEX problems_body (body=? AND last_at>?)", 2},
        {STORE_PROBLEM_BY_BODY, 0, "USING INDEX problems_body (body=? AND last_at>?)", 0},
        {STORE_PROBLEM_BY_BODY, 1, "USING INDEX problems_body (body=? AND last_at>?)", 2},
        {STORE_PROBLEM_BY_BODY, 2, "USING INDEX problems_body (body=? AND last_at>?)", 2},
        {STORE_PROBLEM_BY_CATEGORY, 0, "USING INDEX problems_category (category=? AND last_at>?)",
         0},
        {STORE_PROBLEM_BY_CATEGORY, 1, "USING INDEX problems_category (category=? AND last_at>?)",
         2},
        {STORE_PROBLEM_BY_CATEGORY, 2, "USING INDEX problems_category (category=? AND last_at>?)",
         2},
        {STORE_PROBLEM_BY_STATE, 0, "USING INDEX problems_state (state=? AND last_at>?)", 0},
        {STORE_PROBLEM_BY_STATE, 1, "USING INDEX problems_state (state=? AND last_at>?)", 2},
        {STORE_PROBLEM_BY_STATE, 2, "USING INDEX problems_state (state=? AND last_at>?)", 2},
        {STORE_PROBLEM_BY_APPEALS, 0, "USING INDEX problems_appeals (n_appeals>?)", 2},
        {STORE_PROBLEM_BY_APPEALS, 1, "USING INDEX problems_appeals (n_appeals>?)", 0},
        {STORE_PROBLEM_BY_APPEALS, 2, "USING INDEX problems_appeals (n_appeals>?)", 2},
        {STORE_PROBLEM_BY_SINCE, 0, "USING INDEX problems_recent (last_at>?)", 0},
        {STORE_PROBLEM_BY_SINCE, 1, "USING INDEX problems_recent (last_at>?)", 2},
        {STORE_PROBLEM_BY_SINCE, 2, "USING INDEX problems_recent (last_at>?)", 2},
        {STORE_PROBLEM_BY_DISTRICT, 0,
         "USING INDEX problems_district (district=? AND body=? AND last_at>?)", 2},
        {STORE_PROBLEM_BY_DISTRICT, 1,
         "USING INDEX problems_district (district=? AND body=? AND last_at>?)", 2},
        {STORE_PROBLEM_BY_DISTRICT, 2,
         "USING INDEX problems_district (district=? AND body=? AND last_at>?)", 2},
        {STORE_PROBLEM_BY_CATEGORY_IN, 0,
         "USING INDEX problems_category_body (category=? AND body=? AND last_at>?)", 2},
        {STORE_PROBLEM_BY_CATEGORY_IN, 1,
         "USING INDEX problems_category_body (category=? AND body=? AND last_at>?)", 2},
        {STORE_PROBLEM_BY_CATEGORY_IN, 2,
         "USING INDEX problems_category_body (category=? AND body=? AND last_at>?)", 2},
        {STORE_PROBLEM_BY_STATE_IN, 0,
         "USING INDEX problems_state_body (state=? AND body=? AND last_at>?)", 2},
        {STORE_PROBLEM_BY_STATE_IN, 1,
         "USING INDEX problems_state_body (state=? AND body=? AND last_at>?)", 2},
        {STORE_PROBLEM_BY_STATE_IN, 2,
         "USING INDEX problems_state_body (state=? AND body=? AND last_at>?)", 2},
        {STORE_PROBLEM_BY_DISTRICT_APPEALS, 0,
         "USING INDEX problems_district_appeals (district=? AND n_appeals>?)", 2},
        {STORE_PROBLEM_BY_DISTRICT_APPEALS, 1,
         "USING INDEX problems_district_appeals (district=? AND n_appeals>?)", 0},
        {STORE_PROBLEM_BY_DISTRICT_APPEALS, 2,
         "USING INDEX problems_district_appeals (district=? AND n_appeals>?)", 2},
        {STORE_PROBLEM_BY_STATE_APPEALS, 0,
         "USING INDEX problems_state_appeals (state=? AND n_appeals>?)", 2},
        {STORE_PROBLEM_BY_STATE_APPEALS, 1,
         "USING INDEX problems_state_appeals (state=? AND n_appeals>?)", 0},
        {STORE_PROBLEM_BY_STATE_APPEALS, 2,
         "USING INDEX problems_state_appeals (state=? AND n_appeals>?)", 2},
        {STORE_PROBLEM_BY_APPEALS_IN, 0,
         "USING INDEX problems_body_appeals (body=? AND n_appeals>?)", 2},
        {STORE_PROBLEM_BY_APPEALS_IN, 1,
         "USING INDEX problems_body_appeals (body=? AND n_appeals>?)", 2},
        {STORE_PROBLEM_BY_APPEALS_IN, 2,
         "USING INDEX problems_body_appeals (body=? AND n_appeals>?)", 2},
    };
    /* from a cursor the same index; where the first page walks it in order, the cursor is a
     * range of it (the page starts there: no row before it is read) */
    static const char *const cursor_range[3][STORE_PROBLEM_CURSORS] = {
        {"", "last_at<?", NULL},
        {"", "n_appeals=? AND first_at>?", "n_appeals<?"},
        {"", "first_at>?", NULL},
    };
    int failed = 0;
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        for (int cur = 0; cur < STORE_PROBLEM_CURSORS; cur++) {
            problem_filter_t f;
            memset(&f, 0, sizeof f);
            f.sort = sorts[want[i].sort];
            const char *sql = store_problem_list_sql(&f, want[i].driver, cur);
            if (!cursor_range[want[i].sort][cur]) {
                if (sql) {
                    fprintf(stderr, "%s: no statement from cursor %d expected\n", f.sort, cur);
                    failed++;
                }
                continue;
            }
            struct plan_arg p;
            plan_of(&p, sql, f.sort);
            int sorted = strstr(p.plan, "RIGHT PART OF ORDER BY") ? 1
                         : strstr(p.plan, "B-TREE")               ? 2
                                                                  : 0;
            /* the index named, up to its first constraint */
            char index[96];
            snprintf(index, sizeof index, "%s", want[i].index);
            char *paren = strchr(index, '(');
            if (cur && paren)
                *paren = '\0';
            int ranged =
                !cur || want[i].sorted || strstr(p.plan, cursor_range[want[i].sort][cur]) != NULL;
            if (!strstr(p.plan, index) || strstr(p.plan, "SCAN p\n") || sorted != want[i].sorted ||
                !ranged) {
                fprintf(stderr, "%s\n  wants %s%s%s, sort %d; plan:\n%s\n", p.sql, index,
                        cur && !want[i].sorted ? " from " : "",
                        cur && !want[i].sorted ? cursor_range[want[i].sort][cur] : "",
                        want[i].sorted, p.plan);
                failed++;
            }
        }
    static const char *const probe[STORE_PROBLEM_DRIVERS] = {
        [STORE_PROBLEM_BY_SCOPE] = "USING INDEX problems_body (body=? AND last_at>?)",
        [STORE_PROBLEM_BY_BODY] = "USING INDEX problems_body (body=? AND last_at>?)",
        [STORE_PROBLEM_BY_CATEGORY] = "USING INDEX problems_category (category=? AND last_at>?)",
        [STORE_PROBLEM_BY_STATE] = "USING INDEX problems_state (state=? AND last_at>?)",
        [STORE_PROBLEM_BY_APPEALS] = "USING INDEX problems_appeals (n_appeals>?)",
        [STORE_PROBLEM_BY_SINCE] = "USING INDEX problems_recent (last_at>?)",
        [STORE_PROBLEM_BY_DISTRICT] =
            "INDEX problems_district (district=? AND body=? AND last_at>?)",
        [STORE_PROBLEM_BY_CATEGORY_IN] =
            "INDEX problems_category_body (category=? AND body=? AND last_at>?)",
        [STORE_PROBLEM_BY_STATE_IN] =
            "INDEX problems_state_body (state=? AND body=? AND last_at>?)",
        [STORE_PROBLEM_BY_DISTRICT_APPEALS] =
            "INDEX problems_district_appeals (district=? AND n_appeals>?)",
        [STORE_PROBLEM_BY_STATE_APPEALS] = "INDEX problems_state_appeals (state=? AND n_appeals>?)",
        [STORE_PROBLEM_BY_APPEALS_IN] = "INDEX problems_body_appeals (body=? AND n_appeals>?)",
    };
    for (int d = STORE_PROBLEM_BY_SCOPE; d < STORE_PROBLEM_DRIVERS; d++) {
        struct plan_arg p;
        plan_of(&p, store_problem_probe_sql[d], "probe");
        if (!strstr(p.plan, probe[d]) || strstr(p.plan, "SCAN p")) {
            fprintf(stderr, "%s\n  wants %s; plan:\n%s\n", p.sql, probe[d], p.plan);
            failed++;
        }
    }
    assert_int_equal(failed, 0);
}

/* The walks of a page whose every filter is large (store_problem_walk_sql): each follows the
 * index of its order (newest first with a body, a category or a state: that filter's own) in
 * order, with no sort, from a cursor as a range of it; every filter is checked on the index's
 * entries (migration 55: the indexes hold every filter's column), so no row is read but the
 * page's. */
static void test_walk_plans(void **state)
{
    (void)state;
    static const struct {
        int sort, own, cursor;
        const char *index;
    } want[] = {
        {0, 0, 0, "USING INDEX problems_recent (last_at>?)"},
        {0, 0, 1, "USING INDEX problems_recent (last_at>? AND last_at<?)"},
        {0, 1, 0, "USING INDEX problems_body (body=? AND last_at>?)"},
        {0, 1, 1, "USING INDEX problems_body (body=? AND last_at>? AND last_at<?)"},
        {0, 2, 0, "USING INDEX problems_category (category=? AND last_at>?)"},
        {0, 2, 1, "USING INDEX problems_category (category=? AND last_at>? AND last_at<?)"},
        {0, 3, 0, "USING INDEX problems_state (state=? AND last_at>?)"},
        {0, 3, 1, "USING INDEX problems_state (state=? AND last_at>? AND last_at<?)"},
        {1, 0, 0, "USING INDEX problems_appeals (n_appeals>?)"},
        {1, 0, 1, "USING INDEX problems_appeals (n_appeals=? AND first_at>?)"},
        {1, 0, 2, "USING INDEX problems_appeals (n_appeals>? AND n_appeals<?)"},
        {1, 3, 0, "USING INDEX problems_state_appeals (state=? AND n_appeals>?)"},
        {1, 3, 1, "USING INDEX problems_state_appeals (state=? AND n_appeals=? AND first_at>?)"},
        {1, 3, 2, "USING INDEX problems_state_appeals (state=? AND n_appeals>? AND n_appeals<?)"},
        {1, 4, 0, "USING INDEX problems_district_appeals (district=? AND n_appeals>?)"},
        {1, 4, 1,
         "USING INDEX problems_district_appeals (district=? AND n_appeals=? AND first_at>?)"},
        {1, 4, 2,
         "USING INDEX problems_district_appeals (district=? AND n_appeals>? AND n_appeals<?)"},
        {2, 0, 0, "USING INDEX problems_age"},
        {2, 0, 1, "USING INDEX problems_age (first_at>?)"},
    };
    int failed = 0, n = 0;
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        struct plan_arg p;
        plan_of(&p, store_problem_walk_sql[want[i].sort][want[i].own][want[i].cursor], "walk");
        if (!strstr(p.plan, want[i].index) || strstr(p.plan, "B-TREE") ||
            strstr(p.plan, "SCAN p\n")) {
            fprintf(stderr, "%s\n  wants %s, no sort; plan:\n%s\n", p.sql, want[i].index, p.plan);
            failed++;
        }
    }
    /* and no other statement: each walk above is every one there is */
    for (int s = 0; s < 3; s++)
        for (int o = 0; o < 5; o++)
            for (int c = 0; c < STORE_PROBLEM_CURSORS; c++)
                n += store_problem_walk_sql[s][o][c] != NULL;
    assert_int_equal(n, (int)(sizeof want / sizeof want[0]));
    assert_int_equal(failed, 0);
}

/* The recurring problems of the alerts and the dashboard (store_problem_recurred) read two
 * indexes alone, never the table: the walk by number of appeals follows problems_recurring_top
 * in order (no sort), a scope's bodies' entries of the period come from problems_recurring.
 * Read from the table, a cold region head's dashboard read 2 GB on the 1M demo (11 s). */
static void test_recurred_plan(void **state)
{
    (void)state;
    static const char *const want[2] = {
        "USING COVERING INDEX problems_recurring_top",
        "USING COVERING INDEX problems_recurring (body=? AND recurred_at>? AND recurred_at<?)",
    };
    int failed = 0;
    for (int i = 0; i < 2; i++) {
        struct plan_arg p;
        plan_of(&p, store_problem_recurred_sql[i], i ? "scope" : "walk");
        if (!strstr(p.plan, want[i]) || strstr(p.plan, "SCAN p") ||
            (!i && strstr(p.plan, "B-TREE"))) {
            fprintf(stderr, "%s\n  wants %s%s; plan:\n%s\n", p.sql, want[i], i ? "" : ", no sort",
                    p.plan);
            failed++;
        }
    }
    assert_int_equal(failed, 0);
}

/* The walk by number of appeals stops after RECURRED_WALK times the limit (10): a scope
 * whose problems are not among the first entries gets its own from problems_recurring, in the
 * same order. Rows: body a (path a/) has 11 recurring problems with 100..110 appeals, body z
 * (z/) one with 5 and one with 7 that came back before the period. */
static int recurred_rows(store_tx_t *tx, void *arg, ot_err_t *err)
{
    (void)arg;
    char sql[4096];
    int n = snprintf(sql, sizeof sql,
                     "INSERT INTO bodies (id, type, name_kk, name_ru, name_en, workday_end_min,"
                     " jurisdiction, path) VALUES ('a', 'external', 'a', 'a', 'a', 1080, 'kz',"
                     " 'a/'), ('z', 'external', 'z', 'z', 'z', 1080, 'kz', 'z/');"
                     "INSERT INTO problems (id, body, category, state, n_appeals, recurrences,"
                     " first_at, last_at, recurred_at, updated_at) VALUES"
                     " (1, 'z', 'roads', 'recurring', 5, 1, 0, 0, 2000, 0),"
                     " (2, 'z', 'roads', 'recurring', 7, 1, 0, 0, 500, 0)");
    for (int i = 0; i < 11; i++)
        n += snprintf(sql + n, sizeof sql - (size_t)n,
                      ", (%d, 'a', 'heating', 'recurring', %d, 2, 0, 0, 1500, 0)", 10 + i, 100 + i);
    return db_exec(tx->db, sql, err);
}

struct recurred_got {
    int64_t id[16];
    int n;
};

static int on_recurred(const problem_rec_t *p, void *arg)
{
    struct recurred_got *g = arg;
    g->id[g->n++] = p->id;
    return g->n == 16;
}

struct recurred_q {
    const char *scope;
    int limit;
    struct recurred_got got;
};

static int recurred_read(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct recurred_q *q = arg;
    return store_problem_recurred(tx, 1000, 3000, q->scope, q->limit, on_recurred, &q->got, err);
}

static void test_recurred_walk_and_scope(void **state)
{
    (void)state;
    ot_err_t err;
    assert_int_equal(store_write(store, recurred_rows, NULL, &err), 0);
    struct recurred_q q[] = {{"z/", 1, {{0}, 0}}, {NULL, 2, {{0}, 0}}, {"a/", 20, {{0}, 0}}};
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(store_read(store, recurred_read, &q[i], &err), 0);
    assert_int_equal(q[0].got.n, 1); /* the walk of 10 finds none of z's: its own entries */
    assert_int_equal(q[0].got.id[0], 1);
    assert_int_equal(q[1].got.n, 2); /* found by the walk */
    assert_int_equal(q[1].got.id[0], 20);
    assert_int_equal(q[1].got.id[1], 19);
    assert_int_equal(q[2].got.n, 11); /* every entry walked: the walk's answer is whole */
    assert_int_equal(q[2].got.id[10], 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_intake_plans),
        cmocka_unit_test(test_latest_plan),
        cmocka_unit_test(test_years_plans),
        cmocka_unit_test(test_list_plans),
        cmocka_unit_test(test_walk_plans),
        cmocka_unit_test(test_recurred_plan),
        cmocka_unit_test(test_recurred_walk_and_scope),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
