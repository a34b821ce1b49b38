/* The query plans of the staff list (store_appeal_list, issue 23): every shape of filters
 * must reach appeals through an index that matches one of its filters, never by reading the
 * table through. The shapes whose filters include one that an index keeps in id order (an
 * equality, overdue, repeated) must also come out in that order without a sort, so that a
 * page at any depth reads about as many entries as it shows.
 *
 * Plans depend on the schema, not on the rows (the store keeps no sqlite_stat tables), so an
 * empty database gives the plans of a full one. */
#include "plan.h"
#include "store/store_appeal.h"
#include "store/store_report.h"

enum {
    F_STATUS,
    F_BODY,
    F_KIND,
    F_CATEGORY,
    F_DISTRICT,
    F_CHANNEL,
    F_EXECUTOR,
    F_OVERDUE,
    F_REPEATED,
    F_DUE_BEFORE,
    F_DUE_AFTER,
    F_RECEIVED_FROM,
    F_RECEIVED_TO,
    F_COUNT,
    F_ORDERED = F_DUE_BEFORE /* filters before this one come in id order from their index */
};

static const char *const names[F_COUNT] = {
    "status",  "body",     "kind",       "category",  "district",      "channel",     "executor",
    "overdue", "repeated", "due_before", "due_after", "received_from", "received_to",
};

static void set(appeal_filter_t *f, int which)
{
    switch (which) {
    case F_STATUS:
        f->status = "registered";
        break;
    case F_BODY:
        f->body = "ridder";
        break;
    case F_KIND:
        f->kind = "complaint";
        break;
    case F_CATEGORY:
        f->category = "housing";
        break;
    case F_DISTRICT:
        f->district = "ridder";
        break;
    case F_CHANNEL:
        f->channel = "mail";
        break;
    case F_EXECUTOR:
        f->executor = 7;
        break;
    case F_OVERDUE:
        f->overdue = 1;
        f->today = "2026-03-20";
        break;
    case F_REPEATED:
        f->repeated = 1;
        break;
    case F_DUE_BEFORE:
        f->due_before = "2026-03-20";
        break;
    case F_DUE_AFTER:
        f->due_after = "2026-03-01";
        break;
    case F_RECEIVED_FROM:
        f->received_from = 1;
        break;
    case F_RECEIVED_TO:
        f->received_to = 2;
        break;
    }
}

static int n_checked, n_failed;

/* Every failing shape is shown, then the test fails. */
#define bad(...) (n_failed++, fprintf(stderr, __VA_ARGS__), fputc('\n', stderr))

/* The plan of the shape f (with a scope of n_scope bodies) and what it must hold. */
static void check(const appeal_filter_t *f, int n_scope, int ordered, const char *what)
{
    char *sql = store_appeal_list_sql(f, n_scope);
    n_scope = n_scope > 0; /* a near-total scope (< 0) is walked as no scope, bodies skipped */
    assert_non_null(sql);
    struct plan_arg p;
    plan_of(&p, sql, what);
    free(sql);
    if (getenv("PLAN_VERBOSE"))
        printf("== %s\n%s", what, p.plan);
    int filtered = strstr(p.plan, "SEARCH a ") != NULL || n_scope;
    /* "SCAN a" reads appeals in rowid order: right only with no filter, where the first page
     * is the first rows; any other SCAN of appeals or of one of its indexes reads it all */
    int any_filter = f->status || f->body || f->kind || f->category || f->district || f->channel ||
                     f->executor || f->overdue || f->repeated || f->due_before || f->due_after ||
                     f->received_from || f->received_to || n_scope;
    if (any_filter && (strstr(p.plan, "SCAN a") || !filtered))
        bad("%s: a full scan of appeals:\n%s", what, p.plan);
    if (!any_filter && (strstr(p.plan, "SCAN a USING") || strstr(p.plan, "TEMP B-TREE")))
        bad("%s: the unfiltered list does not walk appeals in id order:\n%s", what, p.plan);
    /* the walks of a scope come in id order; their merge sorts at most limit rows a walk */
    if (ordered && !n_scope && strstr(p.plan, "TEMP B-TREE FOR ORDER BY"))
        bad("%s: sorts instead of walking an index in id order:\n%s", what, p.plan);
    if ((n_scope || (!ordered && any_filter)) && strstr(p.plan, "SCAN a"))
        bad("%s: a walk of the scope scans appeals:\n%s", what, p.plan);
    n_checked++;
}

/* The plan of the shape f (a scope of n_scope bodies) driven by driver
 * (store_appeal_list_sql_by). */
static void plan_by(struct plan_arg *p, const appeal_filter_t *f, int n_scope, const char *driver,
                    const char *what)
{
    char *sql = store_appeal_list_sql_by(f, n_scope, driver);
    assert_non_null(sql);
    plan_of(p, sql, what);
    free(sql);
    if (getenv("PLAN_VERBOSE"))
        printf("== %s%s driven by %s\n%s", what, f->from_id ? " within its ids," : "", driver,
               p->plan);
}

/* The walks the filters' sizes choose (store_appeal_list's choose_driver): each equality
 * filter of the shape driving it alone, a scope checked on its rows; a range alone, appeals
 * in id order. Each must read its index (or the table by id) in id order: no sort. */
static void check_driven(const appeal_filter_t *f, int n_scope, const char *driver,
                         const char *what, int sorts)
{
    struct plan_arg p;
    plan_by(&p, f, n_scope, driver, what);
    if (!sorts && strstr(p.plan, "TEMP B-TREE"))
        bad("%s driven by %s: sorts:\n%s", what, driver, p.plan);
    if (strcmp(driver, "id") && strstr(p.plan, "SCAN a"))
        bad("%s driven by %s: scans appeals:\n%s", what, driver, p.plan);
    /* a range of due dates, day by day: every day and every step one seek of the index */
    if (!strncmp(driver, "day", 3) &&
        (!strstr(p.plan, "USING COVERING INDEX appeals_due_on") || strstr(p.plan, "SCAN appeals")))
        bad("%s driven by %s: not seeks of appeals_due_on:\n%s", what, driver, p.plan);
    /* the ids of a range of receipt: a seek of appeals_received_day for each day */
    if (!strcmp(driver, "receipt") &&
        (!strstr(p.plan, "USING COVERING INDEX appeals_received_day (<expr>=?)") ||
         strstr(p.plan, "SCAN appeals")))
        bad("%s: the ids of its range of receipt not from appeals_received_day:\n%s", what, p.plan);
    /* sets met in spans (bits_walk): a filter's ids within a span from its index alone; an
     * id's row by its key */
    if (!strncmp(driver, "ids:", 4) && (!strstr(p.plan, "SEARCH a USING COVERING INDEX") ||
                                        !strstr(p.plan, "rowid>? AND rowid<?)")))
        bad("%s: the ids of %s in a span not from its index alone:\n%s", what, driver + 4, p.plan);
    if (!strcmp(driver, "row") && !strstr(p.plan, "SEARCH a USING INTEGER PRIMARY KEY (rowid=?)"))
        bad("%s: an id's row not read by its key:\n%s", what, p.plan);
    n_checked++;
}

/* A range of receipt narrowed to its ids (store_appeal_list, receipt_ids): every walk, by id
 * or by the equality filter's index, each body's of a scope, is bounded by both ids. */
static void check_ids(const appeal_filter_t *f, int n_scope, const char *driver, const char *what)
{
    appeal_filter_t g = *f;
    g.from_id = 10;
    g.before_id = g.before_id ? g.before_id : 1000;
    struct plan_arg p;
    plan_by(&p, &g, n_scope, driver, what);
    if (strstr(p.plan, "SCAN a") ||
        (!strstr(p.plan, "rowid>? AND rowid<?)") && !strstr(p.plan, " id>? AND id<?)")) ||
        (n_scope <= 0 && strstr(p.plan, "TEMP B-TREE")))
        bad("%s within its ids, driven by %s: not a walk between them:\n%s", what, driver, p.plan);
    n_checked++;
}

static void check_shape(int a, int b, int cursor, int n_scope)
{
    appeal_filter_t f;
    memset(&f, 0, sizeof f);
    if (a >= 0)
        set(&f, a);
    if (b >= 0)
        set(&f, b);
    if (n_scope)
        f.scope_path = "vko/ridder/";
    if (cursor)
        f.before_id = 1000;
    char what[160];
    snprintf(what, sizeof what, "%s%s%s%s, scope %d", a >= 0 ? names[a] : "no filter",
             b >= 0 ? " + " : "", b >= 0 ? names[b] : "", cursor ? " + after" : "", n_scope);
    int ordered = (a >= 0 && a < F_ORDERED) || (b >= 0 && b < F_ORDERED);
    check(&f, n_scope, ordered, what);
    /* the overdue of a scope's body: a range of its index of open appeals past due, every
     * other filter checked on its entries (no row read but the page's) */
    if (f.overdue && n_scope > 0) {
        char *sql = store_appeal_list_sql(&f, n_scope);
        assert_non_null(sql);
        struct plan_arg p;
        plan_of(&p, sql, what);
        free(sql);
        /* each walk a range of it, from its entries alone: no other index of a */
        static const char want[] =
            "SEARCH a USING COVERING INDEX appeals_queue_body (body=? AND due_on<?)";
        if (!strstr(p.plan, want) || strstr(p.plan, "SEARCH a USING INDEX") ||
            strstr(p.plan, "SEARCH a USING COVERING INDEX appeals_body"))
            bad("%s: a body's overdue not a range of appeals_queue_body alone:\n%s", what, p.plan);
        n_checked++;
        /* and counted so (an export's cap): the scope's bodies' ranges, no row read */
        plan_by(&p, &f, n_scope, "count", what);
        if (!strstr(p.plan, want) || strstr(p.plan, "SCAN a") ||
            strstr(p.plan, "SEARCH a USING INDEX"))
            bad("%s: the scope's overdue not counted on appeals_queue_body alone:\n%s", what,
                p.plan);
        n_checked++;
    }
    /* the overdue with another large filter, of every body (or all but a few): the ids past
     * due of each open state from appeals_open_status alone, every filter on its entries */
    if (f.overdue && n_scope <= 0 && ((a >= 0 && a != F_OVERDUE) || (b >= 0 && b != F_OVERDUE))) {
        struct plan_arg p;
        plan_by(&p, &f, n_scope, "open_states", what);
        if (!strstr(p.plan, "SEARCH a USING COVERING INDEX appeals_open_status (status=? AND "
                            "due_on<?)") ||
            strstr(p.plan, "SCAN a") || strstr(p.plan, "SEARCH a USING INDEX"))
            bad("%s: the overdue's ids not from appeals_open_status alone:\n%s", what, p.plan);
        n_checked++;
    }
    /* a scope narrower than its filters counted (an export's cap) by its bodies' appeals,
     * the filters checked on their rows */
    if (n_scope > 0 && !f.overdue && !f.due_before && !f.due_after && a >= 0 && a < F_DUE_BEFORE) {
        struct plan_arg p;
        plan_by(&p, &f, n_scope, "count_by_scope", what);
        if (!strstr(p.plan, "SEARCH a USING INDEX appeals_body_id (body=?") &&
            !strstr(p.plan, "SEARCH a USING COVERING INDEX appeals_body_id (body=?"))
            bad("%s: the scope's bodies do not drive its count:\n%s", what, p.plan);
        n_checked++;
    }
    /* a scope's due dates counted (an export's cap): the range's entries, the scope checked
     * on them (appeals_due_on holds the body), no row read */
    if (n_scope > 0 && (a == F_DUE_BEFORE || a == F_DUE_AFTER) && (b < 0 || b == F_DUE_AFTER)) {
        struct plan_arg p;
        plan_by(&p, &f, n_scope, "count", what);
        if (!strstr(p.plan, "SEARCH a USING COVERING INDEX appeals_due_on (due_on"))
            bad("%s: the scope's due dates not counted on appeals_due_on alone:\n%s", what, p.plan);
        n_checked++;
    }
    /* large equality filters, a scope (bits_walk): each filter's ids in a span, the rows
     * (overdue and repeated, whose indexes are on expressions, checked on the rows) */
    if (a >= 0 && a < F_OVERDUE) {
        char ids[64];
        snprintf(ids, sizeof ids, "ids:%s", names[a]);
        check_driven(&f, n_scope, ids, what, 0);
        check_driven(&f, n_scope, "row", what, 0);
    }
    /* an executor's, a district's, a category's, a kind's ids in a span of one body of a
     * scope: one range of their index by body (migrations 58, 60, 68), no entry of another
     * body read */
    if ((a == F_EXECUTOR || a == F_DISTRICT || a == F_CATEGORY || a == F_KIND) && n_scope > 0) {
        char ids[64], want[128];
        snprintf(ids, sizeof ids, "ids:scope+%s", names[a]);
        snprintf(want, sizeof want, "USING COVERING INDEX appeals_%s_body (%s=? AND body=? AND",
                 a == F_EXECUTOR ? "exec" : names[a], names[a]);
        struct plan_arg p;
        plan_by(&p, &f, n_scope, ids, what);
        if (!strstr(p.plan, want) || !strstr(p.plan, " id>? AND id<?)"))
            bad("%s: a body's ids of its %s in a span not one range of its index:\n%s", what,
                names[a], p.plan);
        n_checked++;
    }
    if (n_scope >= 0) {
        if (a >= 0 && a < F_ORDERED)
            check_driven(&f, n_scope, names[a], what, 0);
        if (b >= 0 && b < F_ORDERED)
            check_driven(&f, n_scope, names[b], what, 0);
        if (!ordered && !n_scope && a >= 0)
            check_driven(&f, n_scope, "id", what, 0);
        /* a range of due dates alone, unscoped: walked day by day (due_walk) */
        if (!n_scope && (a == F_DUE_BEFORE || a == F_DUE_AFTER) && (b < 0 || b == F_DUE_AFTER)) {
            check_driven(&f, 0, "days", what, 0);
            check_driven(&f, 0, "day", what, 0);
        }

        /* a range's newest appeal (a scope's walks start there): each day's, one seek a day */
        if (!ordered && n_scope > 0 && (a == F_DUE_BEFORE || a == F_DUE_AFTER) && b < 0 && !cursor)
            check_driven(&f, n_scope, "days", what, 0);
        /* a small range under a scope: its ids from its index, sorted (no scan) */
        if (!ordered && n_scope > 0 && a >= 0)
            check_driven(&f, n_scope, names[a], what, 1);
    }
    /* a range of receipt: walked between its first and last id */
    if (a == F_RECEIVED_FROM || a == F_RECEIVED_TO || b == F_RECEIVED_FROM || b == F_RECEIVED_TO) {
        check_ids(&f, n_scope, !ordered ? "id" : names[a >= 0 && a < F_ORDERED ? a : b], what);
        if (!n_scope && !cursor)
            check_driven(&f, 0, "receipt", what, 0);
    }
}

/* No filter, each filter alone and every pair, each with and without a keyset cursor and
 * under a scope of one, a few and many bodies, and of every body but one or three. */
static void test_list_plans(void **state)
{
    (void)state;
    static const int scopes[] = {0, 1, 3, 40, -1, -3};
    for (size_t s = 0; s < sizeof scopes / sizeof scopes[0]; s++)
        for (int cursor = 0; cursor < 2; cursor++) {
            check_shape(-1, -1, cursor, scopes[s]);
            for (int a = 0; a < F_COUNT; a++) {
                if (a == F_BODY && scopes[s])
                    continue; /* a body inside a scope is a body without one */
                check_shape(a, -1, cursor, scopes[s]);
                for (int b = a + 1; b < F_COUNT; b++)
                    if (!(b == F_BODY && scopes[s]))
                        check_shape(a, b, cursor, scopes[s]);
            }
        }
    /* the repeated's queue, with every filter and a cursor, and their tabs, of all, of a
     * scope, of an executor in a body: the open repeated appeals' own index (migration 67)
     * walked in the queue's order, the rest checked on its entries */
    for (int k = 0; k < 4; k++) {
        appeal_filter_t q = {.by_due = 1, .repeated = 1};
        q.executor = k >= 2 ? 7 : 0;
        q.body = k == 3 ? "ridder" : NULL;
        q.scope_path = k == 1 ? "vko/ridder/" : NULL;
        if (k == 2)
            q.kind = "request", q.category = "heating", q.district = "ridder", q.channel = "portal",
            q.received_from = 1, q.received_to = 2, q.due_before = "2026-06-01",
            q.due_after = "2026-01-01", q.status = "assigned", q.overdue = 1,
            q.today = "2026-03-01", q.after_due = "2026-02-01", q.before_id = 10;
        struct plan_arg p;
        if (k != 1) {
            plan_by(&p, &q, k == 3 ? -2 : 0, "repeated_queue", "the repeated's queue");
            if (!strstr(p.plan, "INDEX appeals_open_repeated") || strstr(p.plan, "TEMP B-TREE"))
                bad("the repeated's queue (%d): not their index in order:\n%s", k, p.plan);
            n_checked++;
        }
        char *sums = store_appeal_repeated_sums_sql(&q);
        plan_of(&p, sums, "the repeated's tabs");
        free(sums);
        if (getenv("PLAN_VERBOSE"))
            printf("== the repeated's tabs (%d)\n%s", k, p.plan);
        if (!strstr(p.plan, "COVERING INDEX appeals_open_repeated") ||
            strstr(p.plan, "TEMP B-TREE"))
            bad("the repeated's tabs (%d): not summed on their index alone:\n%s", k, p.plan);
        n_checked++;
    }
    /* an executor's queue in a body with fewer open appeals (queue_by_body): the body's
     * index of open appeals in the queue's order, alone for the walk of ids */
    for (int w = 0; w < 2; w++) {
        appeal_filter_t q = {.by_due = 1, .executor = 7, .body = "ridder", .channel = "portal"};
        struct plan_arg p;
        plan_by(&p, &q, 0, w ? "body_walk" : "body_queue", "an executor's queue in a body");
        if (!strstr(p.plan, w ? "USING COVERING INDEX appeals_queue_body (body=?)"
                              : "USING INDEX appeals_queue_body (body=?)") ||
            strstr(p.plan, "TEMP B-TREE") || strstr(p.plan, "SCAN a"))
            bad("an executor's queue in a body (%s): not the body's queue in order:\n%s",
                w ? "ids" : "rows", p.plan);
    }
    /* an executor's bodies (bits_walk's scope of his appeals): one seek of appeals_exec_body
     * a body, never his appeals read */
    appeal_filter_t e = {.executor = 7};
    struct plan_arg p;
    plan_by(&p, &e, 0, "exec_bodies", "an executor's bodies");
    int seeks = 0;
    for (const char *q = p.plan; (q = strstr(q, "COVERING INDEX appeals_exec_body (executor=?"));
         q++)
        seeks++;
    if (seeks != 2 || !strstr(p.plan, "appeals_exec_body (executor=? AND body>?)") ||
        strstr(p.plan, "SCAN a"))
        bad("an executor's bodies: not a seek of appeals_exec_body a body:\n%s", p.plan);
    assert_int_equal(n_failed, 0);
    assert_true(n_checked > 600);
}

/* The work queue (issue 18): open appeals by due date. Every shape walks one of the partial
 * indexes of open appeals (appeals_queue*), never the table; without a scope it comes out
 * in (due_on, id) order without a sort, so a page at any depth reads what it shows. */
static int queue_control; /* the control queue's filter on every queue shape */

static void check_queue(int a, int b, int cursor, int n_scope)
{
    appeal_filter_t f;
    memset(&f, 0, sizeof f);
    f.by_due = 1;
    f.control = queue_control;
    if (a >= 0)
        set(&f, a);
    if (b >= 0)
        set(&f, b);
    if (n_scope)
        f.scope_path = "vko/ridder/";
    if (cursor) {
        f.after_due = "2026-03-01";
        f.before_id = 1000;
    }
    char *sql = store_appeal_list_sql(&f, n_scope);
    assert_non_null(sql);
    struct plan_arg p;
    plan_of(&p, sql, "queue");
    /* a scope's page is cut from the walks' entries (their ids and due dates) before its
     * rows are read: one row a line of the page, not one for each entry of every walk */
    int cut = strstr(sql, "SELECT id FROM (SELECT id, due_on FROM (") &&
              strstr(sql, " ORDER BY due_on, id LIMIT ?) AS u)");
    free(sql);
    char what[120];
    snprintf(what, sizeof what, "queue%s %s%s%s%s, scope %d", queue_control ? " of control" : "",
             a >= 0 ? names[a] : "no filter", b >= 0 ? " + " : "", b >= 0 ? names[b] : "",
             cursor ? " + after" : "", n_scope);
    if (getenv("PLAN_VERBOSE"))
        printf("== %s\n%s", what, p.plan);
    if ((!strstr(p.plan, "USING INDEX appeals_queue") &&
         !strstr(p.plan, "USING COVERING INDEX appeals_queue")) ||
        strstr(p.plan, "SCAN a\n"))
        bad("%s: does not walk an index of open appeals:\n%s", what, p.plan);
    /* the overdue list (the list's overdue=1 is this queue, issue 23) reads the overdue range
     * of the index, due_on < today, and stops at its end */
    if (f.overdue && !strstr(p.plan, "due_on<?"))
        bad("%s: walks past the overdue range of the index:\n%s", what, p.plan);
    /* each body's walk of a scope comes in (due_on, id) order too: the index keeps the id
     * before the columns it carries for the counts */
    if (strstr(p.plan, "RIGHT PART OF ORDER BY"))
        bad("%s: sorts a body's walk within each due date:\n%s", what, p.plan);
    if (n_scope <= 0 && strstr(p.plan, "TEMP B-TREE FOR ORDER BY"))
        bad("%s: sorts instead of walking the index in due order:\n%s", what, p.plan);
    /* queue_bits' walk of the queue's index: in due order, with each filter the index holds
     * a condition of the statement (checked on the entries inside SQLite; the open status is
     * the index's own condition, so no row is read for it) */
    if (n_scope == 0 && !f.control) {
        static const struct {
            int filter;
            const char *cond;
        } held[] = {{F_KIND, "a.kind || '' = ?"},
                    {F_CATEGORY, "a.category || '' = ?"},
                    {F_DISTRICT, "a.district || '' = ?"},
                    {F_CHANNEL, "a.channel || '' = ?"},
                    {F_REPEATED, "a.repeat_of + 0 IS NOT NULL"},
                    {F_RECEIVED_FROM, "a.received_at + 0 >= ?"},
                    {F_RECEIVED_TO, "a.received_at + 0 < ?"}};
        char *walk = store_appeal_list_sql_by(&f, 0, "walk");
        assert_non_null(walk);
        struct plan_arg w;
        plan_of(&w, walk, "queue walk");
        if (!strstr(w.plan, "INDEX appeals_queue") || strstr(w.plan, "TEMP B-TREE") ||
            strstr(w.plan, "SCAN a\n"))
            bad("%s: the walk does not read an index of open appeals in order:\n%s", what, w.plan);
        for (size_t k = 0; k < sizeof held / sizeof held[0]; k++)
            if ((a == held[k].filter || b == held[k].filter) && !strstr(walk, held[k].cond))
                bad("%s: the walk does not check %s on the entries:\n%s", what,
                    names[held[k].filter], walk);
        free(walk);
        n_checked++;
    }
    /* a scope's queue of one executor: each body's walk checks him on the index's entries
     * (migration 59), no row read for another's appeal */
    if (n_scope > 0 && f.executor && !f.control &&
        !strstr(p.plan, "USING COVERING INDEX appeals_queue_body"))
        bad("%s: a body's walk reads rows to check the executor:\n%s", what, p.plan);
    /* the control queue of a scope (GET /api/v1/control: the scope and the cursor) checks
     * the control date on the index's entries (migration 66), no row read for an appeal not
     * in control (without a scope the rows read are the page's: SQLite seeks a row only for
     * an entry that passes) */
    if (f.control && a < 0 && b < 0 && n_scope > 0 &&
        !strstr(p.plan, "USING COVERING INDEX appeals_queue_body"))
        bad("%s: the walk reads rows to check the control date:\n%s", what, p.plan);
    if (n_scope > 0 && !cut)
        bad("%s: reads the rows of every walk before cutting the page:\n%s", what, p.plan);
    n_checked++;
}

static void test_queue_plans(void **state)
{
    (void)state;
    static const int scopes[] = {0, 1, 3, 40, -1, -3};
    int before = n_checked;
    n_failed = 0;
    /* the work queue, then the control queue (GET /api/v1/control: the queue of appeals under
     * control) */
    for (queue_control = 0; queue_control < 2; queue_control++)
        for (size_t s = 0; s < sizeof scopes / sizeof scopes[0]; s++)
            for (int cursor = 0; cursor < 2; cursor++) {
                check_queue(-1, -1, cursor, scopes[s]);
                for (int a = 0; a < F_COUNT; a++)
                    if (!(a == F_BODY && scopes[s])) {
                        check_queue(a, -1, cursor, scopes[s]);
                        if (a != F_OVERDUE) /* the overdue list with each other filter */
                            check_queue(F_OVERDUE, a, cursor, scopes[s]);
                    }
            }
    queue_control = 0;
    /* the queue of every body (or of all but a few), or of an executor, in one state with a
     * filter of executor, kind, category, district or channel: a range of that filter's index
     * of open appeals (migration 61), in due order; in every open state, its three ranges
     * (their entries that pass sorted); with two of them, the first of executor, category,
     * district, channel, kind */
    static const int by[] = {F_EXECUTOR, F_CATEGORY, F_DISTRICT, F_CHANNEL, F_KIND};
    static const int other[] = {-1,          F_REPEATED, F_RECEIVED_FROM, F_DUE_BEFORE,
                                F_DUE_AFTER, F_OVERDUE,  F_KIND,          F_CHANNEL};
    for (size_t d = 0; d < 5; d++)
        for (size_t o = 0; o < sizeof other / sizeof other[0]; o++)
            for (int n_scope = 0; n_scope > -4; n_scope -= 3)
                for (int cursor = 0; cursor < 4; cursor++) {
                    appeal_filter_t f;
                    memset(&f, 0, sizeof f);
                    f.by_due = 1;
                    f.status = cursor < 2 ? "assigned" : NULL;
                    set(&f, by[d]);
                    if (other[o] >= 0)
                        set(&f, other[o]);
                    if (cursor & 1) {
                        f.after_due = "2026-03-01";
                        f.before_id = 1000;
                    }
                    int drive = by[d];
                    for (size_t k = 0; k < 5; k++)
                        if (by[k] == by[d] || by[k] == other[o]) {
                            drive = by[k];
                            break;
                        }
                    char *sql = store_appeal_list_sql_by(&f, n_scope, "open");
                    assert_non_null(sql);
                    struct plan_arg p;
                    plan_of(&p, sql, "queue open");
                    free(sql);
                    char want[96];
                    snprintf(want, sizeof want, "INDEX appeals_open_%s (%s=? AND status=?",
                             names[drive], names[drive]);
                    if (getenv("PLAN_VERBOSE"))
                        printf("== queue open %s + %s, scope %d%s%s\n%s", names[by[d]],
                               other[o] >= 0 ? names[other[o]] : "-", n_scope,
                               cursor & 1 ? " + after" : "", f.status ? " + status" : "", p.plan);
                    /* in every state the sorted entries are the index's alone, no row */
                    if (!f.status)
                        snprintf(want, sizeof want,
                                 "COVERING INDEX appeals_open_%s (%s=? AND status=?", names[drive],
                                 names[drive]);
                    if (!strstr(p.plan, want) || (f.status && strstr(p.plan, "TEMP B-TREE")) ||
                        strstr(p.plan, "SCAN a\n"))
                        bad("queue by %s + %s, scope %d%s%s: not a range of appeals_open_%s%s:\n%s",
                            names[by[d]], other[o] >= 0 ? names[other[o]] : "-", n_scope,
                            cursor & 1 ? " + after" : "", f.status ? " in one state" : "",
                            names[drive], f.status ? " in order" : "", p.plan);
                    n_checked++;
                }
    /* the queue in one state with none of those filters: a range of the states' own index
     * (appeals_open_status) in due order */
    for (size_t o = 0; o < sizeof other / sizeof other[0]; o++)
        for (int n_scope = 0; n_scope > -4; n_scope -= 3)
            for (int cursor = 0; cursor < 2; cursor++) {
                if (other[o] == F_KIND || other[o] == F_CHANNEL)
                    continue;
                appeal_filter_t f;
                memset(&f, 0, sizeof f);
                f.by_due = 1;
                f.status = "assigned";
                if (other[o] >= 0)
                    set(&f, other[o]);
                if (cursor) {
                    f.after_due = "2026-03-01";
                    f.before_id = 1000;
                }
                char *sql = store_appeal_list_sql_by(&f, n_scope, "open");
                assert_non_null(sql);
                struct plan_arg p;
                plan_of(&p, sql, "queue open status");
                free(sql);
                if (!strstr(p.plan, "INDEX appeals_open_status (status=?") ||
                    strstr(p.plan, "TEMP B-TREE") || strstr(p.plan, "SCAN a\n"))
                    bad("queue in one state + %s, scope %d%s: not a range of appeals_open_status "
                        "in order:\n%s",
                        other[o] >= 0 ? names[other[o]] : "-", n_scope, cursor ? " + after" : "",
                        p.plan);
                n_checked++;
            }
    assert_int_equal(n_failed, 0);
    assert_true(n_checked - before > 300);
}

/* The queue's counts per state (store_appeal_queue_counts) and the executor picker's
 * workload read the queue's own indexes of open appeals alone (covering: no row of the
 * table), and sum them as they are read: no sort of a body's open appeals for a GROUP BY. */
static void check_counts(const appeal_filter_t *f, const char *index, const char *what)
{
    /* the counts, and each appeal they count (counts_bits) */
    for (int ids = 0; ids < 2; ids++) {
        struct plan_arg p;
        plan_of(&p, store_appeal_counts_sql_of(f, ids), what);
        if (getenv("PLAN_VERBOSE"))
            printf("== counts %s%s\n%s", what, ids ? " (ids)" : "", p.plan);
        char want[96];
        snprintf(want, sizeof want, "USING COVERING INDEX %s", index);
        if (!strstr(p.plan, want) || strstr(p.plan, "SCAN a\n") || strstr(p.plan, "TEMP B-TREE"))
            bad("counts %s%s: not read from %s alone, or sorted:\n%s", what, ids ? " (ids)" : "",
                index, p.plan);
        n_checked++;
    }
    /* one appeal of a small set sought among them: by its key */
    struct plan_arg p;
    plan_of(&p, store_appeal_counts_sql_of(f, 2), what);
    if (!strstr(p.plan, "SEARCH a USING INTEGER PRIMARY KEY (rowid=?)"))
        bad("counts %s (one): not sought by its key:\n%s", what, p.plan);
    n_checked++;
    /* with every filter the index holds, summed in the statement (counts_sums): the same
     * index alone, no row */
    appeal_filter_t g = *f;
    g.kind = "request";
    g.category = "heating";
    g.district = "ridder";
    g.channel = "portal";
    g.repeated = 1;
    g.received_from = 1;
    g.received_to = 2;
    g.due_before = "2026-06-01";
    g.due_after = "2026-01-01";
    char *sums = store_appeal_sums_sql(&g);
    plan_of(&p, sums, what);
    free(sums);
    char want[96];
    snprintf(want, sizeof want, "USING COVERING INDEX %s", index);
    if (!strstr(p.plan, want) || strstr(p.plan, "SCAN a\n") || strstr(p.plan, "TEMP B-TREE"))
        bad("counts %s with filters: not summed on %s alone:\n%s", what, index, p.plan);
    n_checked++;
    if (!f->executor || (!f->body && !f->scope_path))
        return;
    /* an executor in a place with fewer open appeals than his: the place's index alone, the
     * executor checked on its entries with the other filters */
    sums = store_appeal_place_sums_sql(&g);
    plan_of(&p, sums, what);
    free(sums);
    if (getenv("PLAN_VERBOSE"))
        printf("== counts %s by the place\n%s", what, p.plan);
    if (!strstr(p.plan, "USING COVERING INDEX appeals_queue_body") || strstr(p.plan, "SCAN a\n") ||
        strstr(p.plan, "TEMP B-TREE"))
        bad("counts %s by the place: not summed on appeals_queue_body alone:\n%s", what, p.plan);
    n_checked++;
}

static void test_count_plans(void **state)
{
    (void)state;
    n_failed = 0;
    appeal_filter_t f;
    memset(&f, 0, sizeof f);
    check_counts(&f, "appeals_open_reg", "of all");
    f.scope_path = "vko/ridder/";
    check_counts(&f, "appeals_queue_body", "of a scope");
    f.body = "ridder";
    check_counts(&f, "appeals_queue_body", "of a body in a scope");
    f.scope_path = NULL;
    check_counts(&f, "appeals_queue_body", "of a body");
    f.executor = 7;
    check_counts(&f, "appeals_queue_exec", "of an executor and a body");
    f.body = NULL;
    check_counts(&f, "appeals_queue_exec", "of an executor");
    f.scope_path = "vko/ridder/";
    check_counts(&f, "appeals_queue_exec", "of an executor in a scope");
    /* the tabs of all bodies, and of a scope, with a filter of executor, kind,
     * category, district or channel: each state's count and its past due a range of that
     * filter's index of open appeals (migration 61), the other filters and the scope checked on
     * its entries; with all four, the category's */
    struct plan_arg p;
    static const char *const by[] = {"kind",     "category", "district", "channel", "category",
                                     "executor", "executor", "status",   "status"};
    for (int scoped = 0; scoped < 2; scoped++)
        for (int d = 0; d < 9; d++) {
            appeal_filter_t g;
            memset(&g, 0, sizeof g);
            g.scope_path = scoped ? "vko/" : NULL;
            g.status = "closed";
            g.overdue = 1;
            g.today = "2026-03-20";
            g.repeated = 1;
            g.received_from = 1;
            g.received_to = 2;
            g.due_after = "2026-01-01";
            g.due_before = "2026-06-01";
            /* 4: all four filters, the category's range; 5: an executor's with all of them and
             * a body; 6: an executor's alone; 7: none of them, the states' own index; 8: no
             * filter at all */
            g.kind = d == 0 || d == 4 || d == 5 ? "request" : NULL;
            g.category = d == 1 || d == 4 || d == 5 ? "heating" : NULL;
            g.district = d == 2 || d == 4 || d == 5 ? "ridder" : NULL;
            g.channel = d == 3 || d == 4 || d == 5 ? "portal" : NULL;
            g.executor = d == 5 || d == 6 ? 7 : 0;
            g.body = d == 5 ? "ridder" : NULL;
            if (d == 6 || d == 8)
                g.repeated = 0, g.received_from = g.received_to = 0, g.due_after = NULL,
                g.due_before = NULL;
            char *sql = store_appeal_tabs_sql(&g);
            assert_non_null(sql);
            plan_of(&p, sql, by[d]);
            free(sql);
            if (getenv("PLAN_VERBOSE"))
                printf("== tabs by %s%s\n%s", by[d], scoped ? " in a scope" : "", p.plan);
            char want[128];
            if (d >= 7)
                snprintf(want, sizeof want, "COVERING INDEX appeals_open_status (status=?");
            else
                snprintf(want, sizeof want, "COVERING INDEX appeals_open_%s (%s=? AND status=?",
                         by[d], by[d]);
            int n = 0;
            for (const char *q = p.plan; (q = strstr(q, want)); q++)
                n++;
            /* one range a state, read in due order (its past due first: no sort) */
            if (n != 3 || strstr(p.plan, "SCAN a") || strstr(p.plan, "TEMP B-TREE"))
                bad("tabs by %s%s: not three ranges of appeals_open_%s alone:\n%s", by[d],
                    scoped ? " in a scope" : "", by[d], p.plan);
            n_checked++;
        }
    /* the executor picker (store_user_executors): its two counts per executor */
    plan_of(&p,
            "SELECT (SELECT count(*) FROM appeals a WHERE a.executor = u.id"
            " AND (a.status IN ('registered', 'assigned', 'in_work')) > 0),"
            " (SELECT count(*) FROM appeals a WHERE a.executor = u.id"
            " AND (a.status IN ('registered', 'assigned', 'in_work')) > 0 AND a.due_on < ?2)"
            " FROM users u",
            "picker");
    if (!strstr(p.plan, "COVERING INDEX appeals_queue_exec (executor=?)") ||
        !strstr(p.plan, "COVERING INDEX appeals_queue_exec (executor=? AND due_on<?)"))
        bad("executor picker: not read from appeals_queue_exec alone:\n%s", p.plan);
    /* the dashboard's open appeals by due date (store_report_open_due): the days from today
     * on of the counter stat_open, in its key's order */
    plan_of(&p, store_report_open_due_sql, "open by due");
    if (!strstr(p.plan, "stat_open USING PRIMARY KEY (due_on>?)") || strstr(p.plan, "TEMP B-TREE"))
        bad("open by due: not a range of stat_open in order:\n%s", p.plan);
    assert_int_equal(n_failed, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_list_plans),
        cmocka_unit_test(test_queue_plans),
        cmocka_unit_test(test_count_plans),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
