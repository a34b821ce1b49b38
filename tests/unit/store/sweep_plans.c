/* The query plans of the first sweep's two largest reads (issue 23 point 5): the assignment
 * notices over a backlog read the open appeals' assignments through events_assign alone (not
 * every event of each appeal through events_object, then its row), and the stuck-notice count
 * reads the pending e-mails and SMS through outbox_unsent alone (not every outbox row), each
 * with no sort of the rows it reads but the one by seq the notices are queued in; a steady
 * sweep's few assignments are read by seq, not from every open appeal through events_assign;
 * the events a sweep follows are read from events_sweep alone, and the stuck-notice count's
 * probes go through outbox_delivered by the time of queueing; the no-proceedings rule walks
 * violations_unstarted by the time of record from its mark, not every open violation. And the
 * staff lists besides the appeals' (issue 23 point 1): the violations, the print queue, the
 * forwards, each walked or read from a small filter's index, never scanned.
 *
 * Plans depend on the schema, not on the rows (the store keeps no sqlite_stat tables), so an
 * empty database gives the plans of a full one. */
#include "plan.h"
#include "domain/violation.h"
#include "store/store_forward.h"
#include "store/store_outbox.h"
#include "store/store_violation.h"

/* Whether the plan scans a table of the database (not the materialized sets s and g of the
 * assignment notices' one-per-executor grouping, a row per assignment told) */
static int scans_a_table(const char *plan)
{
    for (const char *l = strstr(plan, "SCAN "); l; l = strstr(l + 1, "SCAN "))
        if (strncmp(l, "SCAN s\n", 7) && strncmp(l, "SCAN g\n", 7))
            return 1;
    return 0;
}

static void test_sweep_plans(void **state)
{
    (void)state;
    struct plan_arg p;
    plan_of(&p, store_sweep_assign_backlog_sql, "assignment notices");
    if (!strstr(p.plan, "SEARCH e USING COVERING INDEX events_assign (object_id=?") ||
        strstr(p.plan, "events_object") || scans_a_table(p.plan))
        fail_msg("assignment notices want events_assign, covering, no scan; plan:\n%s", p.plan);
    /* a steady sweep's few assignments: by seq, not every open appeal first */
    plan_of(&p, store_sweep_assign_recent_sql, "recent assignment notices");
    if (!strstr(p.plan, "SEARCH e USING INTEGER PRIMARY KEY (rowid>? AND rowid<?)") ||
        strstr(p.plan, "events_assign") || scans_a_table(p.plan))
        fail_msg("recent assignment notices want the events by seq; plan:\n%s", p.plan);
    plan_of(&p, store_outbox_stuck_sql, "stuck notices");
    if (!strstr(p.plan, "SEARCH o USING COVERING INDEX outbox_unsent (id>? AND id<?)") ||
        strstr(p.plan, "B-TREE") || strstr(p.plan, "SCAN"))
        fail_msg("stuck notices want outbox_unsent, covering, no sort or scan; plan:\n%s", p.plan);
    /* each pending notice's probe for another row of it delivered: by the time of queueing
     * first, so that probes made in id order walk the index in its order; one seek of the
     * three columns, not one per channel and status (migration 47) */
    if (!strstr(p.plan, "USING COVERING INDEX outbox_delivered (created_at=? AND appeal_id=?"
                        " AND template=?)"))
        fail_msg("stuck notices want outbox_delivered by created_at first, one seek; plan:\n%s",
                 p.plan);
    /* the events a sweep follows: events_sweep alone, not each one's row in events */
    plan_of(&p, store_sweep_events_sql, "followed events");
    if (!strstr(p.plan, "SEARCH e USING COVERING INDEX events_sweep (seq>? AND seq<?)") ||
        strstr(p.plan, "B-TREE") || strstr(p.plan, "SCAN"))
        fail_msg("followed events want events_sweep, covering, no sort or scan; plan:\n%s", p.plan);
    plan_of(&p, store_sweep_unstarted_sql, "violations not started");
    if (!strstr(p.plan,
                "SEARCH v USING INDEX violations_unstarted (created_at>? AND created_at<?)") ||
        strstr(p.plan, "B-TREE") || scans_a_table(p.plan))
        fail_msg("violations not started want violations_unstarted's range, no sort or scan; "
                 "plan:\n%s",
                 p.plan);
    /* the control dates a run told of (issue 23 point 5): the events it followed again, from
     * events_sweep alone, each one's appeal and queue entry by key */
    plan_of(&p, store_control_notify_sql, "control notices");
    if (!strstr(p.plan, "SEARCH e USING COVERING INDEX events_sweep (seq>? AND seq<?)") ||
        !strstr(p.plan, "SEARCH q USING INTEGER PRIMARY KEY (rowid=?)") ||
        strstr(p.plan, "SCAN e") || strstr(p.plan, "SCAN a") || strstr(p.plan, "SCAN q"))
        fail_msg("control notices want events_sweep and keys, no scan; plan:\n%s", p.plan);
    /* the reminders made: each appeal by its id */
    plan_of(&p, store_reminder_notify_sql, "reminder notices");
    if (!strstr(p.plan, "SEARCH a USING INTEGER PRIMARY KEY (rowid=?)") || strstr(p.plan, "SCAN a"))
        fail_msg("reminder notices want each appeal by id; plan:\n%s", p.plan);
}

/* The violations list (store_viol_list): the walk is a range of ids from the cursor, never a
 * scan; a driver reads its own index and sorts only the ids it found; each probe counts from
 * its index alone. */
static void test_viol_list_plans(void **state)
{
    (void)state;
    static const char *const want[STORE_VIOL_DRIVERS] = {
        [STORE_VIOL_WALK] = "SEARCH v USING INTEGER PRIMARY KEY (rowid>? AND rowid<?)",
        [STORE_VIOL_BY_SCOPE] = "SEARCH w USING INDEX violations_body (body=?)",
        [STORE_VIOL_BY_BODY] = "SEARCH w USING INDEX violations_body (body=?)",
        [STORE_VIOL_BY_STATUS] = "SEARCH w USING INDEX violations_open (status=?)",
        [STORE_VIOL_BY_PERSON] = "USING COVERING INDEX violations_head (head=? AND body=?)",
        [STORE_VIOL_BY_KIND] = "SEARCH w USING INDEX violations_open (status=? AND kind=? AND"
                               " body=? AND term_on>? AND term_on<?)",
        [STORE_VIOL_BY_TERM] =
            "SEARCH w USING COVERING INDEX violations_term_of (term_on>? AND term_on<?)",
    };
    static const char *const probe[STORE_VIOL_DRIVERS] = {
        [STORE_VIOL_BY_SCOPE] = "USING COVERING INDEX violations_body (body=?)",
        [STORE_VIOL_BY_BODY] = "USING COVERING INDEX violations_body (body=?)",
        [STORE_VIOL_BY_STATUS] = "USING COVERING INDEX violations_open (status=?)",
        [STORE_VIOL_BY_PERSON] = "USING COVERING INDEX violations_head (head=? AND body=?)",
        [STORE_VIOL_BY_KIND] = "USING COVERING INDEX violations_open (status=? AND kind=? AND"
                               " body=? AND term_on>? AND term_on<?)",
        [STORE_VIOL_BY_TERM] = "USING COVERING INDEX violations_term (term_on>? AND term_on<?)",
    };
    int failed = 0;
    /* the kind's driver names every status a violation can have */
    for (int k = 0; k < VS_COUNT; k++) {
        char quoted[40];
        snprintf(quoted, sizeof quoted, "'%s'", viol_status_name((viol_status_t)k));
        if (!strstr(store_viol_list_sql[STORE_VIOL_BY_KIND], quoted) ||
            !strstr(store_viol_probe_sql[STORE_VIOL_BY_KIND], quoted)) {
            fprintf(stderr, "the kind's driver leaves out the status %s\n", quoted);
            failed++;
        }
    }
    for (int d = 0; d < STORE_VIOL_DRIVERS; d++) {
        struct plan_arg p;
        plan_of(&p, store_viol_list_sql[d], "list");
        /* a driver's page: its rows by id (the outer query's seek), nothing else scanned */
        if (!strstr(p.plan, want[d]) || strstr(p.plan, "SCAN v") || strstr(p.plan, "SCAN w") ||
            (d && !strstr(p.plan, "SEARCH v USING INTEGER PRIMARY KEY (rowid=?)"))) {
            fprintf(stderr, "%s\n  wants %s; plan:\n%s\n", p.sql, want[d], p.plan);
            failed++;
        }
        if (!d)
            continue;
        plan_of(&p, store_viol_probe_sql[d], "probe");
        if (!strstr(p.plan, probe[d]) || strstr(p.plan, "SCAN v")) {
            fprintf(stderr, "%s\n  wants %s; plan:\n%s\n", p.sql, probe[d], p.plan);
            failed++;
        }
    }
    /* when no filter drives: each set below the cursor from its index alone (a person's from
     * each of its three), and one row by its id */
    static const char *const ids[STORE_VIOL_DRIVERS] = {
        [STORE_VIOL_BY_SCOPE] = "SEARCH v USING COVERING INDEX violations_body (body=?)",
        [STORE_VIOL_BY_BODY] = "SEARCH v USING COVERING INDEX violations_body (body=?)",
        [STORE_VIOL_BY_STATUS] = "SEARCH v USING COVERING INDEX violations_open (status=?)",
        [STORE_VIOL_BY_PERSON] =
            "SEARCH x USING COVERING INDEX violations_executor (executor=? AND body=?)",
        [STORE_VIOL_BY_KIND] = "SEARCH v USING COVERING INDEX violations_open (status=? AND"
                               " kind=? AND body=? AND term_on>? AND term_on<?)",
        [STORE_VIOL_BY_TERM] =
            "SEARCH v USING COVERING INDEX violations_term (term_on>? AND term_on<?)",
    };
    for (int d = 1; d < STORE_VIOL_DRIVERS; d++) {
        struct plan_arg p;
        plan_of(&p, store_viol_ids_sql[d], "set");
        if (!strstr(p.plan, ids[d]) || strstr(p.plan, "SCAN v") || strstr(p.plan, "B-TREE") ||
            (d == STORE_VIOL_BY_PERSON &&
             (!strstr(p.plan, "COVERING INDEX violations_head (head=? AND body=?)") ||
              !strstr(p.plan,
                      "COVERING INDEX violations_responsible (responsible=? AND body=?)")))) {
            fprintf(stderr, "%s\n  wants %s; plan:\n%s\n", p.sql, ids[d], p.plan);
            failed++;
        }
    }
    /* a person's with a kind: each of the three indexes sought by the body, the kind and the
     * window, nothing scanned (migration 62) */
    for (int m = 0; m < STORE_VIOL_MINE; m++) {
        struct plan_arg p;
        plan_of(&p, store_viol_mine_kind_sql[m], "a person's with a kind");
        static const char *const col[] = {"executor", "head", "responsible"};
        for (int c = 0; c < 3; c++) {
            char want_c[160];
            snprintf(want_c, sizeof want_c,
                     "USING COVERING INDEX violations_%s (%s=? AND body=? AND kind=? AND"
                     " term_on>? AND term_on<?)",
                     col[c], col[c]);
            if (!strstr(p.plan, want_c) || strstr(p.plan, "SCAN v") || strstr(p.plan, "SCAN w") ||
                strstr(p.plan, "SCAN x")) {
                fprintf(stderr, "%s\n  wants %s; plan:\n%s\n", p.sql, want_c, p.plan);
                failed++;
            }
        }
    }
    struct plan_arg p;
    plan_of(&p, store_viol_row_sql, "row");
    if (!strstr(p.plan, "SEARCH v USING INTEGER PRIMARY KEY (rowid=?)") ||
        strstr(p.plan, "SCAN v")) {
        fprintf(stderr, "%s\n  wants the row by its id; plan:\n%s\n", p.sql, p.plan);
        failed++;
    }
    assert_int_equal(failed, 0);
}

/* The print queue (store_outbox_letters): walked in its order on outbox_pending from the
 * cursor, or a small scope's appeals (appeals_body_id, from the index alone) and their letters
 * after the cursor through outbox_print, the ids sorted. The forwards list (store_forward_list):
 * walked newest first on forwards_at from the cursor, or a small scope's from forwards_from alone
 * (its ids sorted). The head flags (store_flag_list): walked newest first, or a narrow scope's ids
 * from head_flags_body alone, sorted, and a page of rows. None scans a table. */
static void test_small_scope_plans(void **state)
{
    (void)state;
    const struct {
        const char *sql, *want, *also;
    } rows[] = {
        {store_outbox_letters_sql[0],
         "SEARCH o USING INDEX outbox_pending (status=? AND next_at>?)", NULL},
        {store_outbox_letters_sql[1],
         "SEARCH p USING INDEX outbox_print (appeal_id=? AND next_at>?)",
         "SEARCH s USING COVERING INDEX appeals_body_id (body=?)"},
        {store_outbox_letters_probe_sql, "SEARCH s USING COVERING INDEX appeals_body_id (body=?)",
         NULL},
        {store_forward_list_sql[0], "SEARCH f USING INDEX forwards_at (at<?)", NULL},
        {store_forward_list_sql[1],
         "SEARCH g USING COVERING INDEX forwards_from (from_body=? AND at<?)", NULL},
        {store_forward_probe_sql, "SEARCH g USING COVERING INDEX forwards_from (from_body=?)",
         NULL},
        /* a narrow scope's flags: their ids from head_flags_body, a page of rows read */
        {store_flag_list_sql[0], "SEARCH g USING COVERING INDEX head_flags_body (body=? AND",
         "SEARCH f USING INTEGER PRIMARY KEY (rowid=?)"},
        {store_flag_list_sql[1], "SEARCH f USING INTEGER PRIMARY KEY (rowid<?)", NULL},
    };
    static const char *const scans[] = {"SCAN o", "SCAN p", "SCAN s", "SCAN f", "SCAN g"};
    int failed = 0;
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        struct plan_arg p;
        plan_of(&p, rows[i].sql, "small scope");
        int bad = !strstr(p.plan, rows[i].want) || (rows[i].also && !strstr(p.plan, rows[i].also));
        for (size_t k = 0; k < sizeof scans / sizeof scans[0]; k++)
            bad |= strstr(p.plan, scans[k]) != NULL;
        if (bad) {
            fprintf(stderr, "%s\n  wants %s; plan:\n%s\n", p.sql, rows[i].want, p.plan);
            failed++;
        }
    }
    assert_int_equal(failed, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sweep_plans),
        cmocka_unit_test(test_viol_list_plans),
        cmocka_unit_test(test_small_scope_plans),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
