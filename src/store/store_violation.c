/* Repository: violations, head flags, control queue, reminders, sweeper scans. See
 * store_violation.h. */
#include "store/store_violation.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/bitset.h"
#include "store/store_int.h"
#include "util/jw.h"

/* The set-based sweep reads its rows from one JSON array (json_each: SQLite's own, a function
 * of migration 21 on PostgreSQL, docs/postgresql.md); an element is read as an integer with
 * CAST(... AS BIGINT), and whether a member of an event's data is false with
 * CAST(json_extract(...) AS TEXT) IN ('0', 'false'): both engines take them. */

#define OPEN_STATUSES "('registered', 'assigned', 'in_work')"

/* Grows *arr (of elem bytes) to hold one more; returns the new slot or NULL. */
static void *push(void **arr, size_t *n, size_t *cap, size_t elem)
{
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 64;
        void *p = realloc(*arr, c * elem);
        if (!p)
            return NULL;
        *arr = p;
        *cap = c;
    }
    void *slot = (char *)*arr + (*n)++ * elem;
    memset(slot, 0, elem);
    return slot;
}

static int oom(db_stmt_t *st, ot_err_t *err)
{
    db_reset(st);
    return ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
}

/* ==== Violations ==== */

#define VIOL_SELECT                                                                                \
    "SELECT v.id, v.appeal_id, a.number, v.kind, v.term_on, v.detected_on, v.days_late,"           \
    " v.body, b.path, v.executor, v.head, v.status, v.order_number, v.proceedings_on,"             \
    " v.penalty, v.penalty_on, v.dismiss_reason, v.about_violation, v.evidence,"                   \
    " v.created_at, v.updated_at, v.responsible, v.responsible_via, r.name, r.position, r.body,"   \
    " b.type = 'external', coalesce(b.superior, '')"                                               \
    " FROM violations v JOIN bodies b ON b.id = v.body LEFT JOIN appeals a ON a.id = v.appeal_id"  \
    " LEFT JOIN users r ON r.id = v.responsible "

#define COPY(i, f) store_copy_col(st, i, v->f, sizeof v->f)

static void read_viol(db_stmt_t *st, viol_rec_t *v)
{
    memset(v, 0, sizeof *v);
    v->id = db_col_int64(st, 0);
    v->appeal_id = db_col_int64(st, 1);
    COPY(2, appeal_number);
    COPY(3, kind);
    COPY(4, term_on);
    COPY(5, detected_on);
    v->days_late = (int)db_col_int64(st, 6);
    COPY(7, body);
    COPY(8, body_path);
    v->executor = db_col_int64(st, 9);
    v->head = db_col_int64(st, 10);
    COPY(11, status);
    COPY(12, order_number);
    COPY(13, proceedings_on);
    COPY(14, penalty);
    COPY(15, penalty_on);
    COPY(16, dismiss_reason);
    v->about_violation = db_col_int64(st, 17);
    COPY(18, evidence);
    v->created_at = db_col_int64(st, 19);
    v->updated_at = db_col_int64(st, 20);
    v->responsible = db_col_int64(st, 21);
    COPY(22, responsible_via);
    COPY(23, responsible_name);
    COPY(24, responsible_position);
    COPY(25, responsible_body);
    v->external = (int)db_col_int64(st, 26);
    COPY(27, report_to);
}

/* A violation's insert, and a batch's (store_insert_rows): the rows' columns bound (issue 23 point
 * 5: a JSON array read back through json_each with ->> for every column cost a fifth of the
 * insert); rows go in in order, so new ids follow the batch's order. */
#define VIOL_INSERT                                                                                \
    "INSERT INTO violations (appeal_id, kind, term_on, detected_on, days_late, body, executor,"    \
    " head, about_violation, evidence, created_at, updated_at, responsible, responsible_via)"      \
    " VALUES "
#define VIOL_ROW1 "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
static const char VIOL_INSERT_ONE[] = VIOL_INSERT VIOL_ROW1 " ON CONFLICT DO NOTHING";
static const char VIOL_INSERT_MANY[] =
    VIOL_INSERT STORE_ROWS64(VIOL_ROW1) " ON CONFLICT DO NOTHING";

static void bind_viol(db_stmt_t *st, int b, size_t i, void *arg)
{
    const viol_rec_t *v = (const viol_rec_t *)arg + i;
    store_bind_id(st, b + 1, v->appeal_id);
    db_bind_text(st, b + 2, v->kind);
    db_bind_text(st, b + 3, v->term_on);
    db_bind_text(st, b + 4, v->detected_on);
    db_bind_int64(st, b + 5, v->days_late);
    db_bind_text(st, b + 6, v->body);
    store_bind_id(st, b + 7, v->executor);
    store_bind_id(st, b + 8, v->head);
    store_bind_id(st, b + 9, v->about_violation);
    db_bind_text(st, b + 10, v->evidence[0] ? v->evidence : "{}");
    db_bind_int64(st, b + 11, v->created_at);
    db_bind_int64(st, b + 12, v->created_at);
    store_bind_id(st, b + 13, v->responsible);
    store_bind_opt(st, b + 14, v->responsible_via);
}

int store_viol_insert(store_tx_t *tx, viol_rec_t *v, int *created, ot_err_t *err)
{
    PREPARE(tx, VIOL_INSERT VIOL_ROW1 " ON CONFLICT DO NOTHING RETURNING id");
    bind_viol(st, 0, 0, v);
    int rc = db_run(st, &v->id, err);
    *created = rc == OT_OK;
    return rc == OT_ENOTFOUND ? OT_OK : rc;
}

int store_viol_max_id(store_tx_t *tx, int64_t *id, ot_err_t *err)
{
    PREPARE(tx, "SELECT coalesce(max(id), 0) FROM violations");
    return db_run(st, id, err);
}

int store_viol_insert_many(store_tx_t *tx, viol_rec_t *vs, size_t n, ot_err_t *err)
{
    if (!n)
        return OT_OK;
    int64_t last = 0;
    int rc = store_viol_max_id(tx, &last, err);
    if (!rc)
        rc = store_insert_rows(tx, VIOL_INSERT_MANY, VIOL_INSERT_ONE, 14, n, bind_viol, vs, err);
    if (rc)
        return rc;
    /* which rows were made: the new ids in order, matched to vs by their keys */
    PREPARE(tx, "SELECT id, coalesce(appeal_id, 0), kind, term_on, coalesce(about_violation, 0)"
                " FROM violations WHERE id > ? ORDER BY id");
    db_bind_int64(st, 1, last);
    size_t i = 0;
    for (size_t k = 0; k < n; k++)
        vs[k].id = 0;
    int step;
    while ((step = db_step(st, err)) == DB_ROW) {
        int64_t appeal = db_col_int64(st, 1), about = db_col_int64(st, 4);
        const char *kind = db_col_text(st, 2), *term = db_col_text(st, 3);
        while (i < n && !(vs[i].appeal_id == appeal && vs[i].about_violation == about && kind &&
                          !strcmp(vs[i].kind, kind) && term && !strcmp(vs[i].term_on, term)))
            i++;
        if (i == n)
            break;
        vs[i++].id = db_col_int64(st, 0);
    }
    db_reset(st);
    if (step < 0)
        return -step;
    return i == n && step == DB_ROW
               ? ot_err(err, OT_EINTERNAL, "viol_batch", NULL, "a new violation not in its batch")
               : OT_OK;
}

int store_viol_notify_new(store_tx_t *tx, int64_t after, int64_t now, int64_t *notices,
                          ot_err_t *err)
{
    /* each person once: g holds each recipient's first violation and how many there are;
     * only those firsts are joined to their appeals (a first sweep over the 1M demo makes
     * 211,289 violations for a few hundred people). One: the data of the violation's event
     * and its id, as ever; several: the same of the first, with "count" in front, under the
     * template "violations", about no one appeal. */
    PREPARE(tx, "WITH r AS (SELECT id, executor AS uid FROM violations WHERE id > ?1"
                " AND executor IS NOT NULL UNION SELECT id, head FROM violations WHERE id > ?1"
                " AND head IS NOT NULL),"
                " g AS MATERIALIZED (SELECT uid, min(id) AS id, count(*) AS n FROM r GROUP BY uid),"
                " v AS MATERIALIZED (SELECT v.*, coalesce(a.number, (SELECT oa.number"
                " FROM violations o JOIN appeals oa ON oa.id = o.appeal_id"
                " WHERE o.id = v.about_violation), '') AS number,"
                " coalesce(a.language, 'ru') AS lang FROM violations v"
                " LEFT JOIN appeals a ON a.id = v.appeal_id"
                " WHERE v.id IN (SELECT id FROM g)),"
                " d AS (SELECT id, number, lang, CAST(CASE WHEN about_violation IS NULL THEN"
                " json_object('kind', kind, 'term_on', term_on, 'detected_on', detected_on,"
                " 'days_late', days_late, 'body', body, 'executor', coalesce(executor, 0),"
                " 'head', coalesce(head, 0), 'responsible', coalesce(responsible, 0),"
                " 'responsible_via', coalesce(responsible_via, ''), 'appeal', number, 'id', id)"
                " ELSE json_object('kind', kind, 'term_on', term_on, 'detected_on', detected_on,"
                " 'days_late', days_late, 'body', body, 'executor', coalesce(executor, 0),"
                " 'head', coalesce(head, 0), 'responsible', coalesce(responsible, 0),"
                " 'responsible_via', coalesce(responsible_via, ''), 'appeal', number,"
                " 'about_violation', about_violation, 'id', id) END AS TEXT) AS data,"
                " appeal_id FROM v)"
                " INSERT INTO outbox (created_at, appeal_id, recipient, channel, template,"
                " language, data, next_at)"
                " SELECT ?2, CASE WHEN g.n = 1 THEN d.appeal_id END, 'user:' || g.uid, 'staff',"
                " CASE WHEN g.n = 1 THEN 'violation' ELSE 'violations' END, d.lang,"
                " CASE WHEN g.n = 1 THEN d.data"
                " ELSE '{\"count\":' || g.n || ',' || substr(d.data, 2) END, ?2"
                " FROM g JOIN d ON d.id = g.id ORDER BY g.id, g.uid");
    db_bind_int64(st, 1, after);
    db_bind_int64(st, 2, now);
    int rc = db_run(st, NULL, err);
    *notices = rc ? 0 : db_changes(tx->db);
    return rc;
}

int store_viol_get(store_tx_t *tx, int64_t id, viol_rec_t *out, ot_err_t *err)
{
    PREPARE(tx, VIOL_SELECT "WHERE v.id = ?");
    db_bind_int64(st, 1, id);
    int rc = db_step(st, err);
    if (rc < 0)
        return -rc;
    if (rc == DB_DONE) {
        db_reset(st);
        return ot_err(err, OT_ENOTFOUND, "violation_not_found", "id", "no such violation");
    }
    read_viol(st, out);
    db_reset(st);
    return OT_OK;
}

int store_viol_update(store_tx_t *tx, const viol_rec_t *v, ot_err_t *err)
{
    PREPARE(tx, "UPDATE violations SET status = ?, order_number = ?, proceedings_on = ?,"
                " penalty = ?, penalty_on = ?, dismiss_reason = ?, days_late = ?, updated_at = ?"
                " WHERE id = ?");
    db_bind_text(st, 1, v->status);
    store_bind_opt(st, 2, v->order_number);
    store_bind_opt(st, 3, v->proceedings_on);
    store_bind_opt(st, 4, v->penalty);
    store_bind_opt(st, 5, v->penalty_on);
    store_bind_opt(st, 6, v->dismiss_reason);
    db_bind_int64(st, 7, v->days_late);
    db_bind_int64(st, 8, v->updated_at);
    db_bind_int64(st, 9, v->id);
    return db_run(st, NULL, err);
}

int store_viol_set_days(store_tx_t *tx, int64_t appeal_id, const char *kind, const char *term_on,
                        int days, int64_t *id, ot_err_t *err)
{
    PREPARE(tx, "UPDATE violations SET days_late = ? WHERE appeal_id = ? AND kind = ?"
                " AND term_on = ? AND days_late <> ? RETURNING id");
    db_bind_int64(st, 1, days);
    db_bind_int64(st, 2, appeal_id);
    db_bind_text(st, 3, kind);
    db_bind_text(st, 4, term_on);
    db_bind_int64(st, 5, days);
    *id = 0;
    int rc = db_run(st, id, err);
    return rc == OT_ENOTFOUND ? OT_OK : rc;
}

/* The list (issue 23: a staff list reads through an index that matches it, at any depth of
 * its cursor). The cursor was a catch-all too (`?8 = 0 OR v.id < ?8`), so every page walked
 * from the newest violation: 22 ms for a page below the 20,000th at the 1M demo's first
 * sweep (211,568 violations), 27-29 ms to find that a body or a status has none, growing
 * with the table. Now the cursor is a range of ids, always (the newest: none given), and as
 * in the problems list (store_problem.c) a body, a scope, a status, a person (an executor's
 * own list: the executor, head or responsible, migration 52) or a kind that matches fewer
 * than 2,000 violations (counted on its index up to that cap), or else a window of terms
 * that matches fewer than 20,000 (TERM_CAP), drives: its rows from its index, the
 * other filters checked on them, their ids sorted. Otherwise the ids are walked down from the
 * cursor with every filter checked on the rows: a span of them first, then, when the page is
 * not full, the filters' sets meet in a bitmap (viol_bits). */
/* every status a violation can have (domain/violation.c's names; sweep_plans checks the two
 * agree): a kind alone has no index of its own, but with each status it is a range of
 * violations_open (status, kind) */
#define VIOL_STATUSES "('open', 'proceedings', 'penalty', 'dismissed')"
#define VIOL_CHECKS(v)                                                                             \
    "(?1 IS NULL OR " v ".body = ?1) AND (?2 IS NULL OR " v ".body IN (SELECT id FROM bodies"      \
    " WHERE substr(path, 1, length(?2)) = ?2)) AND (?3 = 0 OR " v ".executor = ?3 OR " v           \
    ".head = ?3 OR " v ".responsible = ?3) AND (?4 IS NULL OR (" v ".status || '') = ?4)"          \
    " AND (?5 IS NULL OR " v ".kind = ?5) AND (?6 IS NULL OR " v ".term_on >= ?6)"                 \
    " AND (?7 IS NULL OR " v ".term_on <= ?7)"
/* driven: the page's ids first (the driver's entries, their rows checked, the ids sorted), then
 * those rows with what they join: sorting the driver's whole rows with their evidence and
 * joins took 11 ms for 2,000 violations, the ids 0.7-0.9 ms */
#define VIOL_DRIVEN(cond)                                                                          \
    VIOL_SELECT "WHERE v.id IN (SELECT w.id FROM violations w WHERE " VIOL_CHECKS(                 \
        "w") " AND " cond " AND +w.id < ?8 ORDER BY w.id DESC LIMIT ?9) ORDER BY v.id DESC"
/* What narrows a person's set and a kind's, each a seek on an index whose next columns are
 * the body, then the kind and the term (migration 62): the bodies of the body b and the scope s
 * asked for (parameters; neither: every body), and the window of terms f-t. Only what such
 * seeks reach: a condition checked on the entries would count among a set's capped ids only
 * the entries that pass, and read any number that do not (a person's window without a kind:
 * the oblast executor's 287,848 entries to find that a window held none, 58 ms). */
#define VIOL_BODIES(x, b, s)                                                                       \
    " AND " x ".body IN (SELECT id FROM bodies WHERE (" b " IS NULL OR id = " b ") AND (" s        \
    " IS NULL OR substr(path, 1, length(" s ")) = " s "))"
#define VIOL_WINDOW(x, f, t)                                                                       \
    " AND " x ".term_on >= coalesce(" f ", '') AND " x ".term_on <= coalesce(" t ", '9999-12-31')"
/* A person's violations (executor, head or responsible: each its own index, ordered by the
 * person, the body, the kind and the term) of the body or scope asked for, and with a kind of
 * that kind and the window: one seek per body (and kind) in each index, the entries read and
 * nothing else. The person's whole set met the kind's or the body's in a bitmap, 24-30 ms at
 * the 1M demo for the oblast executor's 143,924 violations and a kind or body of none of them.
 * p the person's parameter, n the narrowing (VIOL_BODIES and the kind's conditions on x). */
#define VIOL_MINE_OF(col, p, n) "SELECT x.id FROM violations x WHERE x." col " = " p n
#define VIOL_MINE(p, n)                                                                            \
    VIOL_MINE_OF("executor", p, n)                                                                 \
    " UNION ALL " VIOL_MINE_OF("head", p, n) " UNION ALL " VIOL_MINE_OF("responsible", p, n)
/* in the list's parameters: ?1 the body, ?2 the scope, ?3 the person, ?5 the kind, ?6-?7 the
 * window; k the kind's conditions */
#define VIOL_MINE_LIST(k)    VIOL_MINE("?3", VIOL_BODIES("x", "?1", "?2") k)
#define VIOL_KIND_LIST(x, k) " AND " x ".kind = " k VIOL_WINDOW(x, "?6", "?7")
/* the walk: the ids in [?10, ?8) downward */
const char *const store_viol_list_sql[STORE_VIOL_DRIVERS] = {
    [STORE_VIOL_WALK] = VIOL_SELECT "WHERE " VIOL_CHECKS("v") " AND v.id < ?8 AND v.id >= ?10"
                                                              " ORDER BY v.id DESC LIMIT ?9",
    [STORE_VIOL_BY_SCOPE] =
        VIOL_DRIVEN("w.body IN (SELECT id FROM bodies WHERE substr(path, 1, length(?2)) = ?2)"),
    [STORE_VIOL_BY_BODY] = VIOL_DRIVEN("w.body = ?1"),
    [STORE_VIOL_BY_STATUS] = VIOL_DRIVEN("w.status = ?4"),
    [STORE_VIOL_BY_PERSON] = VIOL_DRIVEN("w.id IN (" VIOL_MINE_LIST("") ")"),
    [STORE_VIOL_BY_KIND] = VIOL_DRIVEN("w.status IN " VIOL_STATUSES VIOL_KIND_LIST("w", "?5")
                                           VIOL_BODIES("w", "?1", "?2")),
    [STORE_VIOL_BY_TERM] =
        VIOL_DRIVEN("w.term_on >= coalesce(?6, '') AND w.term_on <= coalesce(?7, '9999-12-31')"),
};
/* one violation's row, every filter checked (viol_bits) */
const char store_viol_row_sql[] = VIOL_SELECT "WHERE " VIOL_CHECKS("v") " AND v.id = ?8";
/* Each filter's set on its index, ?1 the value (a person as text, a window "FROM TO"): the
 * probe counts it up to ?2; the ids read the set below ?2 into a bitmap, up to ?3 of them. A
 * person's set and a kind's are those of the body or scope asked for too (?5 the body, ?6 the
 * scope), a kind's and a person's with a kind (?4, store_viol_mine_kind_sql's) of the window
 * (?7-?8). */
#define VIOL_KIND_SET(x, k) " AND " x ".kind = " k VIOL_WINDOW(x, "?7", "?8")
#define VIOL_PERSON                                                                                \
    "(v.executor = CAST(?1 AS BIGINT) OR v.head = CAST(?1 AS BIGINT) OR v.responsible ="           \
    " CAST(?1 AS BIGINT))" VIOL_BODIES(                                                            \
        "v", "?5", "?6") " AND (?4 IS NULL OR (v.kind = ?4" VIOL_WINDOW("v", "?7", "?8") "))"
#define VIOL_MINE_SET(k) VIOL_MINE("CAST(?1 AS BIGINT)", VIOL_BODIES("x", "?5", "?6") k)
/* the probe counts the person's entries up to the cap, and when they are fewer his violations
 * (an id is in up to three of the indexes: Ridder's head answers for his own no-proceedings
 * violations as their executor, head and responsible); counting the distinct ids of three
 * times the cap entries took 2-4 ms for every list of the demo's executor */
#define VIOL_MINE_PROBE(k)                                                                         \
    "SELECT CASE WHEN n < ?2 THEN (SELECT count(DISTINCT id) FROM (" VIOL_MINE_SET(                \
        k) ") AS d)"                                                                               \
           " ELSE n END FROM (SELECT count(*) AS n FROM (" VIOL_MINE_SET(                          \
               k) " LIMIT ?2) AS e) AS t"
#define VIOL_MINE_IDS(k) VIOL_MINE_SET(" AND x.id < ?2" k) " LIMIT ?3"
#define VIOL_MINE_KIND   VIOL_KIND_SET("x", "?4")
#define VIOL_SETS(form, person)                                                                    \
    {                                                                                              \
        [STORE_VIOL_BY_SCOPE] =                                                                    \
            form("v.body IN (SELECT id FROM bodies WHERE substr(path, 1, length(?1)) = ?1)"),      \
        [STORE_VIOL_BY_BODY] = form("v.body = ?1"),                                                \
        [STORE_VIOL_BY_STATUS] = form("v.status = ?1"), [STORE_VIOL_BY_PERSON] = person,           \
        [STORE_VIOL_BY_KIND] = form("v.status IN " VIOL_STATUSES VIOL_KIND_SET("v", "?1")          \
                                        VIOL_BODIES("v", "?5", "?6")),                             \
        [STORE_VIOL_BY_TERM] =                                                                     \
            form("v.term_on >= substr(?1, 1, 10) AND v.term_on <= substr(?1, 12, 10)"),            \
    }
#define VIOL_PROBE(cond)                                                                           \
    "SELECT count(*) FROM (SELECT 1 FROM violations v WHERE " cond " LIMIT ?2) AS t"
#define VIOL_ID(cond)  "SELECT v.id FROM violations v WHERE " cond " AND v.id < ?2"
#define VIOL_IDS(cond) VIOL_ID(cond) " LIMIT ?3"
#define VIOL_IN(cond)  "SELECT count(*) FROM violations v WHERE " cond " AND v.id = ?2"
const char *const store_viol_probe_sql[STORE_VIOL_DRIVERS] =
    VIOL_SETS(VIOL_PROBE, VIOL_MINE_PROBE(""));
const char *const store_viol_ids_sql[STORE_VIOL_DRIVERS] = VIOL_SETS(VIOL_IDS, VIOL_MINE_IDS(""));
static const char *const store_viol_in_sql[STORE_VIOL_DRIVERS] =
    VIOL_SETS(VIOL_IN, VIOL_IN(VIOL_PERSON));
const char *const store_viol_mine_kind_sql[STORE_VIOL_MINE] = {
    [STORE_VIOL_MINE_LIST] = VIOL_DRIVEN("w.id IN (" VIOL_MINE_LIST(VIOL_KIND_LIST("x", "?5")) ")"),
    [STORE_VIOL_MINE_PROBE] = VIOL_MINE_PROBE(VIOL_MINE_KIND),
    [STORE_VIOL_MINE_IDS] = VIOL_MINE_IDS(VIOL_MINE_KIND),
};
#undef VIOL_MINE_KIND
#undef VIOL_MINE_IDS
#undef VIOL_MINE_PROBE
#undef VIOL_MINE_SET
#undef VIOL_MINE_LIST
#undef VIOL_MINE
#undef VIOL_MINE_OF
#undef VIOL_KIND_SET
#undef VIOL_KIND_LIST
#undef VIOL_WINDOW
#undef VIOL_BODIES
#undef VIOL_ID
#undef VIOL_PERSON
#undef VIOL_IN
#undef VIOL_IDS
#undef VIOL_PROBE
#undef VIOL_SETS
#undef VIOL_STATUSES
#undef VIOL_DRIVEN
#undef VIOL_CHECKS

/* Set d's statement of kind m (STORE_VIOL_MINE_*: arr that kind's array): a person's with the
 * kind asked for reads that kind's entries alone. */
static const char *viol_sql(const char *const *arr, int m, int d, const viol_filter_t *f)
{
    return d == STORE_VIOL_BY_PERSON && f->kind ? store_viol_mine_kind_sql[m] : arr[d];
}

/* Binds what narrows a person's or a kind's set (VIOL_BODIES, VIOL_KIND_SET): ?4 the kind (a
 * person's), ?5 the body, ?6 the scope, ?7-?8 the window; arg is the filter. */
static void viol_bind_mine(db_stmt_t *st, int d, const void *arg)
{
    const viol_filter_t *f = arg;
    if (d != STORE_VIOL_BY_PERSON && d != STORE_VIOL_BY_KIND)
        return;
    db_bind_text(st, 4, f->kind);
    db_bind_text(st, 5, f->body);
    db_bind_text(st, 6, f->scope_path);
    db_bind_text(st, 7, f->from);
    db_bind_text(st, 8, f->to);
}

/* The term window's statement reads its index's entries and sorts their ids, no row (the
 * other filters absent), 0.25 us an entry: it drives up to ten times the others' cap, tried
 * when none of them did (a window in the past walked by id passed every later violation). */
#define TERM_CAP store_list_cap(20000)

/* Each filter's value as its set's statements take it (?1). */
struct viol_vals {
    char person[24], window[24];
    const char *val[STORE_VIOL_DRIVERS];
};

static void viol_vals(const viol_filter_t *f, struct viol_vals *v)
{
    snprintf(v->person, sizeof v->person, "%lld", (long long)f->person);
    snprintf(v->window, sizeof v->window, "%.10s %.10s", f->from ? f->from : "0000-00-00",
             f->to ? f->to : "9999-12-31");
    memset(v->val, 0, sizeof v->val);
    v->val[STORE_VIOL_BY_SCOPE] = f->scope_path;
    v->val[STORE_VIOL_BY_BODY] = f->body;
    v->val[STORE_VIOL_BY_STATUS] = f->status;
    v->val[STORE_VIOL_BY_PERSON] = f->person ? v->person : NULL;
    v->val[STORE_VIOL_BY_KIND] = f->kind;
    v->val[STORE_VIOL_BY_TERM] = f->from || f->to ? v->window : NULL;
}

/* The filter whose set is the smallest under the cap (a person's and a kind's sets narrowed as
 * VIOL_MINE and VIOL_KIND_SET), else STORE_VIOL_WALK; a window of terms then up to TERM_CAP. */
static int viol_driver(store_tx_t *tx, const viol_filter_t *f, const struct viol_vals *v,
                       int *driver, ot_err_t *err)
{
    const char *probe[STORE_VIOL_DRIVERS];
    for (int d = 0; d < STORE_VIOL_DRIVERS; d++)
        probe[d] = viol_sql(store_viol_probe_sql, STORE_VIOL_MINE_PROBE, d, f);
    *driver = STORE_VIOL_WALK;
    int rc = store_list_driver(tx, probe, v->val, STORE_VIOL_DRIVERS, STORE_PROBE_CAP,
                               viol_bind_mine, f, driver, NULL, err);
    if (rc || *driver != STORE_VIOL_WALK || !v->val[STORE_VIOL_BY_TERM])
        return rc;
    const char *term[STORE_VIOL_DRIVERS] = {[STORE_VIOL_BY_TERM] = v->window};
    return store_list_driver(tx, store_viol_probe_sql, term, STORE_VIOL_DRIVERS, TERM_CAP, NULL,
                             NULL, driver, NULL, err);
}

static void viol_bind(db_stmt_t *st, const viol_filter_t *f)
{
    db_bind_text(st, 1, f->body);
    db_bind_text(st, 2, f->scope_path);
    db_bind_int64(st, 3, f->person);
    db_bind_text(st, 4, f->status);
    db_bind_text(st, 5, f->kind);
    db_bind_text(st, 6, f->from);
    db_bind_text(st, 7, f->to);
}

/* Reads a statement's rows (read_viol) into fn, those under scope (NULL: all) only; *rows
 * counts them, *stop when fn stops. */
static int viol_rows(db_stmt_t *st, const char *scope, int (*fn)(viol_rec_t *v, void *arg),
                     void *arg, int *rows, int *stop, ot_err_t *err)
{
    viol_rec_t *v = malloc(sizeof *v);
    if (!v)
        return oom(st, err);
    int rc = DB_DONE;
    while (!*stop && (rc = db_step(st, err)) == DB_ROW) {
        read_viol(st, v);
        if (scope && strncmp(v->body_path, scope, strlen(scope)))
            continue;
        (*rows)++;
        *stop = fn(v, arg);
    }
    free(v);
    db_reset(st);
    return *stop || rc >= 0 ? OT_OK : -rc;
}

/* When no filter drives, the walk reads the rows of the ids below the cursor, VIOL_SPAN and four
 * a row of the page first: filters that meet often fill the page there (a supervisor's newest
 * page: 50 rows). Filters that meet rarely walked every violation below: a department head
 * asking for a person's violations or a rare kind in his scope read 30,000-40,000 rows, 30-60 ms
 * at the 1M demo. So when the span leaves the page short, the filters' sets below the span are
 * read from their indexes into a bitmap, 0.05-0.1 us an id, and ANDed; then only the rows of the
 * ids left are read, each sought by id (about 2 us) with every filter checked on it (the scope
 * in C: its statement's list of bodies was made again for every row, 12 us).
 * The sets' sizes are not known: each is read up to a cap that grows fourfold from VIOL_CAP_FIRST
 * (a set read in part is read again at the next cap, a third more at most), until one is
 * whole; up to VIOL_BITS_CAP while none is, then up to VIOL_READ_RATIO ids an id left, where
 * reading a set costs less than seeking the rows it would refuse (a scope's 13,598 violations
 * against a person's 144,447: the person read whole, 10 ms, not 13,598 rows sought, 160 ms).
 * A set that holds most of a sample of the ids left (the newest, read first) is left to the rows:
 * a head's scope of the oblast akimat holds 210,268 of the 211,568. None read whole: the walk
 * goes on. */
#define VIOL_SPAN       2000
#define VIOL_CAP_FIRST  store_list_cap(4000)
#define VIOL_BITS_CAP   store_list_cap(64000)
#define VIOL_READ_RATIO 20
#define VIOL_SAMPLE     32

static int viol_set(store_tx_t *tx, const viol_filter_t *f, int d, const char *val, int64_t below,
                    int64_t cap, uint64_t *bits, int *whole, ot_err_t *err)
{
    PREPARE(tx, viol_sql(store_viol_ids_sql, STORE_VIOL_MINE_IDS, d, f));
    int64_t n = 0, read = 0; /* ids set, entries read: a person's id may be in each index */
    db_bind_text(st, 1, val);
    db_bind_int64(st, 2, below);
    db_bind_int64(st, 3, 3 * cap + 1);
    viol_bind_mine(st, d, f);
    int rc = DB_DONE;
    while (n <= cap && (rc = db_step(st, err)) == DB_ROW) {
        int64_t id = db_col_int64(st, 0);
        read++;
        if (id > 0 && id < below && !bitset_has(bits, id)) {
            bitset_add(bits, id);
            n++;
        }
    }
    db_reset(st);
    *whole = rc == DB_DONE && n <= cap && read <= 3 * cap;
    return rc < 0 ? -rc : OT_OK;
}

/* The newest (up to VIOL_SAMPLE) ids in all below `below`, the first the walk would read. */
static int newest(const uint64_t *all, int64_t below, int64_t ids[VIOL_SAMPLE])
{
    int n = 0;
    for (int64_t id = below; n < VIOL_SAMPLE && (id = bitset_last(all, id)) >= 0;)
        ids[n++] = id;
    return n;
}

/* How many of ids[0..n) set d holds (each sought in it). */
static int viol_sample(store_tx_t *tx, const viol_filter_t *f, int d, const char *val,
                       const int64_t *ids, int n, int *hits, ot_err_t *err)
{
    PREPARE(tx, store_viol_in_sql[d]);
    int rc = OT_OK;
    *hits = 0;
    for (int i = 0; i < n && !rc; i++) {
        int64_t k = 0;
        db_bind_text(st, 1, val);
        db_bind_int64(st, 2, ids[i]);
        viol_bind_mine(st, d, f);
        rc = db_run(st, &k, err);
        *hits += k > 0;
    }
    return rc;
}

/* Violation id's row into fn when every filter of f takes it (the scope checked in C: the
 * statement's list of the scope's bodies was made again for every row, 12 us). */
static int viol_seek(store_tx_t *tx, const viol_filter_t *f, int64_t id,
                     int (*fn)(viol_rec_t *v, void *arg), void *arg, int *rows, int *stop,
                     ot_err_t *err)
{
    viol_filter_t g = *f;
    g.scope_path = NULL;
    PREPARE(tx, store_viol_row_sql);
    viol_bind(st, &g);
    db_bind_int64(st, 8, id);
    return viol_rows(st, f->scope_path, fn, arg, rows, stop, err);
}

static int count_row(viol_rec_t *v, void *arg)
{
    (void)v;
    ++*(int *)arg;
    return 0;
}

/* How many of ids[0..n) every filter of f takes (each row sought). */
static int viol_sample_rows(store_tx_t *tx, const viol_filter_t *f, const int64_t *ids, int n,
                            int *hits, ot_err_t *err)
{
    int rc = OT_OK, rows = 0, stop = 0;
    *hits = 0;
    for (int i = 0; i < n && !rc; i++)
        rc = viol_seek(tx, f, ids[i], count_row, hits, &rows, &stop, err);
    return rc;
}

/* The sets met in all (words of ids below `below`), for a page of `want` rows more; *met when
 * one was read whole. */
static int viol_meet(store_tx_t *tx, const viol_filter_t *f, const struct viol_vals *v,
                     int64_t below, int want, uint64_t *all, uint64_t *one, size_t words, int *met,
                     ot_err_t *err)
{
    int64_t tried[STORE_VIOL_DRIVERS], left = 0; /* the cap a set was read up to; -1 whole */
    int rc = OT_OK, whole = 0;
    for (int d = 0; d < STORE_VIOL_DRIVERS; d++)
        tried[d] = v->val[d] ? 0 : -1;
    *met = 0;
    /* the first set read whole, the caps growing; the scope last (a head's is most of his
     * violations) */
    for (int64_t cap = VIOL_CAP_FIRST; !*met; cap *= 4) {
        int64_t c = cap < VIOL_BITS_CAP ? cap : VIOL_BITS_CAP;
        for (int i = STORE_VIOL_BY_SCOPE; i < STORE_VIOL_DRIVERS && !*met; i++) {
            int d = i + 1 < STORE_VIOL_DRIVERS ? i + 1 : STORE_VIOL_BY_SCOPE;
            if (tried[d] < 0 || c <= tried[d])
                continue;
            memset(all, 0, words * sizeof *all);
            if ((rc = viol_set(tx, f, d, v->val[d], below, c, all, &whole, err)))
                return rc;
            tried[d] = whole ? -1 : c;
            *met = whole;
        }
        if (c == VIOL_BITS_CAP)
            break;
    }
    if (!*met) {
        memset(all, 0, words * sizeof *all);
        return OT_OK;
    }
    /* each other set, when reading it costs less than seeking the rows it would refuse: the
     * rows the page needs from a sample of the ids left, each row checked for every filter (the
     * sets' own samples multiplied assumed them independent: a county's violations and a
     * person's each held some of the ids left, and none together; 31,519 rows sought, 134 ms);
     * a set that holds most of the sample refuses little */
    left = bitset_count(all, words);
    int64_t ids[VIOL_SAMPLE];
    int n = newest(all, below, ids), pass = 0; /* the sample of the ids left, and its rows */
    if ((rc = viol_sample_rows(tx, f, ids, n, &pass, err)))
        return rc;
    for (int d = 0; d < STORE_VIOL_DRIVERS && left; d++) {
        int hits = 0;
        if (tried[d] < 0)
            continue;
        if ((rc = viol_sample(tx, f, d, v->val[d], ids, n, &hits, err)))
            break;
        if (hits * 4 >= n * 3)
            continue;
        int64_t rows = pass ? (int64_t)want * n / pass : left, cap;
        cap = VIOL_READ_RATIO * ((rows < left ? rows : left) - want);
        if (cap <= tried[d])
            continue;
        memset(one, 0, words * sizeof *one);
        if ((rc = viol_set(tx, f, d, v->val[d], below, cap, one, &whole, err)))
            break;
        if (!whole)
            continue;
        for (size_t w = 0; w < words; w++)
            all[w] &= one[w];
        left = bitset_count(all, words);
        n = newest(all, below, ids);
        if ((rc = viol_sample_rows(tx, f, ids, n, &pass, err)))
            break;
    }
    return rc;
}

static int viol_bits(store_tx_t *tx, const viol_filter_t *f, const struct viol_vals *v,
                     int64_t below, int want, int (*fn)(viol_rec_t *v, void *arg), void *arg,
                     int *rows, int *stop, int *met, ot_err_t *err)
{
    size_t words = (size_t)((below + 63) / 64);
    uint64_t *all = calloc(words ? words : 1, sizeof *all),
             *one = calloc(words ? words : 1, sizeof *one);
    int rc = all && one ? viol_meet(tx, f, v, below, want - *rows, all, one, words, met, err)
                        : ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
    for (int64_t id = below;
         !rc && *met && *rows < want && !*stop && (id = bitset_last(all, id)) >= 0;)
        rc = viol_seek(tx, f, id, fn, arg, rows, stop, err);
    free(all);
    free(one);
    return rc;
}

/* A window of terms bounds the walk by its ids: a violation is recorded soon after its term, so
 * the window's ids are close together (as an appeal list's due dates, store_appeal.c's
 * DUE_IDS_SQL): the largest and smallest id of each term day in it, one seek each, the days one
 * seek each. An executor's violations with a term before June walked his 50,000 later ones
 * first (30 ms at the 1M demo). Parameters: the window's first day, its last. */
static const char TERM_IDS_SQL[] =
    "WITH RECURSIVE d(day) AS ("
    " SELECT (SELECT max(term_on) FROM violations WHERE term_on <= ?2 AND term_on >= ?1)"
    " UNION ALL SELECT (SELECT max(term_on) FROM violations WHERE term_on < d.day"
    " AND term_on >= ?1) FROM d WHERE d.day IS NOT NULL)"
    " SELECT max((SELECT max(id) FROM violations WHERE term_on = d.day)),"
    " min((SELECT min(id) FROM violations WHERE term_on = d.day)) FROM d WHERE day IS NOT NULL";

/* The ids of f's window of terms (none: every id), from *lo to below *top; *top 0 when it holds
 * no violation. */
static int viol_ids(store_tx_t *tx, const viol_filter_t *f, int64_t *lo, int64_t *top,
                    ot_err_t *err)
{
    *lo = *top = 0;
    if (!f->from && !f->to) {
        PREPARE(tx, "SELECT coalesce(max(id), 0) + 1 FROM violations");
        return db_run(st, top, err);
    }
    const char *from = f->from ? f->from : "", *to = f->to ? f->to : "9999-12-31";
    if (strcmp(from, to) > 0)
        return OT_OK;
    PREPARE(tx, TERM_IDS_SQL);
    db_bind_text(st, 1, from);
    db_bind_text(st, 2, to);
    int rc = db_step(st, err);
    if (rc == DB_ROW && !db_col_is_null(st, 0)) {
        *top = db_col_int64(st, 0) + 1;
        *lo = db_col_int64(st, 1);
    }
    db_reset(st);
    return rc < 0 ? -rc : OT_OK;
}

/* The walk's rows of ids in [lo, before) into fn, up to limit in all. */
static int viol_walk(store_tx_t *tx, const viol_filter_t *f, int64_t lo, int64_t before, int limit,
                     int (*fn)(viol_rec_t *v, void *arg), void *arg, int *rows, int *stop,
                     ot_err_t *err)
{
    PREPARE(tx, store_viol_list_sql[STORE_VIOL_WALK]);
    viol_bind(st, f);
    db_bind_int64(st, 8, before);
    db_bind_int64(st, 9, limit - *rows);
    db_bind_int64(st, 10, lo);
    return viol_rows(st, NULL, fn, arg, rows, stop, err);
}

int store_viol_list(store_tx_t *tx, const viol_filter_t *f, int (*fn)(viol_rec_t *v, void *arg),
                    void *arg, ot_err_t *err)
{
    struct viol_vals v;
    viol_vals(f, &v);
    int driver, under = 1, rows = 0, stop = 0, limit = f->limit > 0 ? f->limit : 50;
    /* a body outside the scope: nothing to see, at once (it walked every violation, 1.7 s cold
     * at the 1M demo's 211,568) */
    int rc = f->body && f->scope_path ? store_body_under(tx, f->body, f->scope_path, &under, err)
                                      : OT_OK;
    if (!rc && under)
        rc = viol_driver(tx, f, &v, &driver, err);
    if (rc || !under)
        return rc;
    int64_t before = f->before_id > 0 ? f->before_id : INT64_MAX;
    if (driver != STORE_VIOL_WALK) {
        PREPARE(tx, viol_sql(store_viol_list_sql, STORE_VIOL_MINE_LIST, driver, f));
        viol_bind(st, f);
        db_bind_int64(st, 8, before);
        db_bind_int64(st, 9, limit);
        return viol_rows(st, NULL, fn, arg, &rows, &stop, err);
    }
    int64_t floor, top, span = store_list_cap(VIOL_SPAN + 4 * (int64_t)limit);
    if ((rc = viol_ids(tx, f, &floor, &top, err)) || !top)
        return rc;
    before = before < top ? before : top;
    int64_t lo = before - span > floor ? before - span : floor;
    if (before <= lo)
        return OT_OK;
    if ((rc = viol_walk(tx, f, lo, before, limit, fn, arg, &rows, &stop, err)) || stop ||
        rows >= limit || lo <= floor)
        return rc;
    int met = 0;
    if ((rc = viol_bits(tx, f, &v, lo, limit, fn, arg, &rows, &stop, &met, err)) || met || stop)
        return rc;
    return viol_walk(tx, f, floor, lo, limit, fn, arg, &rows, &stop, err);
}

int store_viol_head_of(store_tx_t *tx, const char *body, int64_t *head, char head_body[64],
                       ot_err_t *err)
{
    /* the body's own path starts with the path of every body above it: the longest matching
     * path with an active head is the nearest */
    PREPARE(tx, "SELECT u.id, u.body FROM bodies me JOIN bodies up"
                " ON substr(me.path, 1, length(up.path)) = up.path"
                " JOIN users u ON u.body = up.id AND u.role = 'head' AND u.disabled = 0"
                " WHERE me.id = ? ORDER BY length(up.path) DESC, u.id LIMIT 1");
    db_bind_text(st, 1, body);
    *head = 0;
    if (head_body)
        head_body[0] = '\0';
    int rc = db_step(st, err);
    if (rc == DB_ROW) {
        *head = db_col_int64(st, 0);
        if (head_body)
            store_copy_col(st, 1, head_body, 64);
    }
    db_reset(st);
    return rc < 0 ? -rc : OT_OK;
}

int store_viol_event_seqs_many(store_tx_t *tx, const char *const *numbers, size_t n,
                               int (*fn)(size_t i, int64_t seq, void *arg), void *arg,
                               ot_err_t *err)
{
    if (!n)
        return OT_OK;
    char *list = store_json_keys(numbers, n);
    if (!list)
        return ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
    db_stmt_t *st = db_prepare(tx->db,
                               "SELECT CAST(j.key AS BIGINT), e.seq FROM json_each(?) j"
                               " JOIN events e ON e.object_type = 'appeal'"
                               " AND e.object_id = j.value ->> 0 ORDER BY j.key, e.seq",
                               err);
    if (!st) {
        free(list);
        return err ? err->status : OT_EINTERNAL;
    }
    db_bind_text(st, 1, list);
    int rc, stop = 0;
    while (!stop && (rc = db_step(st, err)) == DB_ROW) {
        int64_t i = db_col_int64(st, 0);
        if (i >= 0 && (size_t)i < n)
            stop = fn((size_t)i, db_col_int64(st, 1), arg);
    }
    db_reset(st);
    free(list);
    return stop ? stop : rc < 0 ? -rc : OT_OK;
}

/* ==== Sweeper scans ==== */

/* A sweep row from columns 0-7 of st: id, number, kind, due_on, body, executor, language and
 * (with_extra) extra. */
static void read_row(db_stmt_t *st, int with_extra, sweep_row_t *r)
{
    r->id = db_col_int64(st, 0);
    store_copy_col(st, 1, r->number, sizeof r->number);
    store_copy_col(st, 2, r->kind, sizeof r->kind);
    store_copy_col(st, 3, r->due_on, sizeof r->due_on);
    store_copy_col(st, 4, r->body, sizeof r->body);
    r->executor = db_col_int64(st, 5);
    store_copy_col(st, 6, r->language, sizeof r->language);
    if (with_extra)
        store_copy_col(st, 7, r->extra, sizeof r->extra);
}

static int collect_rows(db_stmt_t *st, int with_extra, sweep_row_t **rows, size_t *n, ot_err_t *err)
{
    size_t cap = 0;
    int rc;
    *rows = NULL;
    *n = 0;
    while ((rc = db_step(st, err)) == DB_ROW) {
        sweep_row_t *r = push((void **)rows, n, &cap, sizeof **rows);
        if (!r)
            return oom(st, err);
        read_row(st, with_extra, r);
    }
    db_reset(st);
    return rc < 0 ? -rc : OT_OK;
}

/* The appeals an appeal event after seq ?N speaks of, as `appeals a` (`object_type || ''`:
 * read by seq, the events after a watermark, not through events_object). The few events
 * lead, and each appeal is one seek by number (issue 23: `a.number IN (those events)` made
 * SQLite walk every open appeal of the date range and test each one, 1.2 s of a steady
 * sweep of 150,000 open appeals, and it grows with them) */
#define TOUCHED_APPEALS(n)                                                                         \
    " (SELECT DISTINCT e.object_id AS number FROM events e WHERE e.seq > ?" #n                     \
    " AND e.object_type || '' = 'appeal') t CROSS JOIN appeals a"
#define TOUCHED_IS " a.number = t.number"

#define OVERDUE_SEL                                                                                \
    "SELECT a.id, a.number, a.kind, a.due_on, a.body, a.executor, a.language,"                     \
    " (SELECT p.submitted_on FROM answer_approvals p WHERE p.appeal_id = a.id"                     \
    " AND p.status = 'pending')"
#define OVERDUE_COLS(from)                                                                         \
    OVERDUE_SEL " FROM " from " WHERE a.status IN " OPEN_STATUSES " AND a.due_on < ?1"             \
                " AND a.jurisdiction = ?2 AND a.suspended_on IS NULL"                              \
                " AND NOT EXISTS (SELECT 1 FROM violations v"                                      \
                " WHERE v.appeal_id = a.id AND v.kind IN ('late_answer', 'late_complaint')"        \
                " AND v.term_on = a.due_on)"

int store_sweep_overdue(store_tx_t *tx, const char *jurisdiction, const char *today,
                        const char *from, int64_t touched, sweep_row_t **rows, size_t *n,
                        ot_err_t *err)
{
    /* extra: the day an answer awaiting the head's approval was given (issue 16); the due
     * dates since the watermark are a range of appeals_open_due, the touched ones a few */
    PREPARE(tx,
            OVERDUE_COLS("appeals a") " AND a.due_on >= ?3"
                                      " UNION " OVERDUE_COLS(TOUCHED_APPEALS(
                                          4)) " AND a.due_on < ?3 AND" TOUCHED_IS " ORDER BY 4, 1");
    db_bind_text(st, 1, today);
    db_bind_text(st, 2, jurisdiction);
    db_bind_text(st, 3, from ? from : "");
    /* no mark: nothing is due before it, and the touched appeals are not read */
    db_bind_int64(st, 4, from && *from ? touched : INT64_MAX);
    return collect_rows(st, 1, rows, n, err);
}

int store_sweep_overdue_bound(store_tx_t *tx, const char *jurisdiction, const char *from,
                              const char *before, int64_t n, char day[11], ot_err_t *err)
{
    /* the n-th entry of appeals_open_due from `from`: a walk of n index entries */
    PREPARE(tx, "SELECT a.due_on FROM appeals a WHERE a.jurisdiction = ?1"
                " AND a.status IN " OPEN_STATUSES " AND a.due_on >= ?2 AND a.due_on < ?3"
                " ORDER BY a.due_on LIMIT 1 OFFSET ?4");
    db_bind_text(st, 1, jurisdiction);
    db_bind_text(st, 2, from ? from : "");
    db_bind_text(st, 3, before);
    db_bind_int64(st, 4, n > 0 ? n - 1 : 0);
    day[0] = '\0';
    int rc = db_step(st, err);
    if (rc == DB_ROW)
        store_copy_col(st, 0, day, 11);
    db_reset(st);
    return rc < 0 ? -rc : OT_OK;
}

int store_sweep_ext_notices(store_tx_t *tx, const char *jurisdiction, int64_t after_id,
                            ext_notice_t **rows, size_t *n, ot_err_t *err)
{
    /* the notices after the sweep's watermark (sweep.c sweep_ext_notices): a steady sweep
     * read every undelivered extension notice there is, and its appeal, each time (59,000
     * on the 1M demo, whose notices are never delivered: 1.4 s) */
    PREPARE(tx, "SELECT a.id, a.number, a.kind, a.due_on, a.body, a.executor,"
                " a.language, a.extended_on, o.id, o.created_at FROM outbox o"
                " JOIN appeals a ON a.id = o.appeal_id"
                " WHERE o.template = 'extended' AND o.status IN ('pending', 'sending', 'failed')"
                " AND o.id > ?2 AND a.extended_on IS NOT NULL AND a.jurisdiction = ?1"
                /* the ones alerted already (sweep.c notice_undelivered, once per appeal) are
                 * not read again by every sweep */
                " AND NOT EXISTS (SELECT 1 FROM meta m"
                " WHERE m.key = 'notice_undelivered:' || a.number) ORDER BY o.status, o.id");
    db_bind_text(st, 1, jurisdiction);
    db_bind_int64(st, 2, after_id);
    size_t cap = 0;
    int rc;
    *rows = NULL;
    *n = 0;
    while ((rc = db_step(st, err)) == DB_ROW) {
        ext_notice_t *x = push((void **)rows, n, &cap, sizeof **rows);
        if (!x)
            return oom(st, err);
        memset(&x->a, 0, sizeof x->a);
        read_row(st, 1, &x->a);
        x->outbox_id = db_col_int64(st, 8);
        x->queued_at = db_col_int64(st, 9);
    }
    db_reset(st);
    return rc < 0 ? -rc : OT_OK;
}

int store_sweep_remind_all(store_tx_t *tx, const char *jurisdiction, const char *lo, const char *hi,
                           const char *seen, int64_t touched, int days_before, int64_t now,
                           reminded_t *made, ot_err_t *err)
{
    /* Set-based (issue 6: 1,000,000 open appeals in under 2 s): the reminders of the band in
     * one statement; their notices go out at the end of the sweep's run, one per person
     * (store_reminder_notify: the rows made, as the insert returns them). The band's appeals are
     * read in two parts (issue 23): those due after the watermark ?6, a range of appeals_open_due,
     * and the few an event after seq ?7 speaks of. */
    if (!seen || strcmp(seen, lo) < 0)
        seen = lo;
    /* no due date in (lo, seen]: the touched appeals are not read (on a first sweep the events
     * after the mark are the sweep's own, 500,000 on the 1M demo: 3 s) */
    if (strcmp(seen, lo) <= 0)
        touched = INT64_MAX;
    /* the reminders, suspended appeals too (as they always were) */
    PREPARE(tx, "INSERT INTO reminders_sent (appeal_id, due_on, days_before, sent_at)"
                " SELECT a.id, a.due_on, ?4, ?5 FROM appeals a WHERE a.status IN " OPEN_STATUSES
                " AND a.due_on > ?6 AND a.due_on <= ?2 AND a.jurisdiction = ?3"
                " UNION ALL SELECT a.id, a.due_on, ?4, ?5 FROM" TOUCHED_APPEALS(
                    7) " WHERE a.status IN " OPEN_STATUSES " AND a.due_on > ?1 AND a.due_on <= ?6"
                       " AND a.jurisdiction = ?3 AND" TOUCHED_IS " ON CONFLICT DO NOTHING"
                       " RETURNING appeal_id");
    db_bind_text(st, 1, lo);
    db_bind_text(st, 2, hi);
    db_bind_text(st, 3, jurisdiction);
    db_bind_int64(st, 4, days_before);
    db_bind_int64(st, 5, now);
    db_bind_text(st, 6, seen);
    db_bind_int64(st, 7, touched);
    int rc;
    while ((rc = db_step(st, err)) == DB_ROW) {
        remind_item_t *x = push((void **)&made->items, &made->n, &made->cap, sizeof *made->items);
        if (!x)
            return oom(st, err);
        *x = (remind_item_t){db_col_int64(st, 0), days_before};
    }
    db_reset(st);
    return rc < 0 ? -rc : OT_OK;
}

int store_event_last_seq(store_tx_t *tx, int64_t *seq, ot_err_t *err)
{
    PREPARE(tx, "SELECT coalesce(max(seq), 0) FROM events");
    return db_run(st, seq, err);
}

int store_sweep_events_pass(store_tx_t *tx, int64_t *mark, ot_err_t *err)
{
    /* by seq from the mark (`object_type || ''`: not through events_object): the first event
     * of an appeal that is not the sweep's own escalation or alert */
    PREPARE(tx, "SELECT coalesce((SELECT e.seq - 1 FROM events e WHERE e.seq > ?1"
                " AND e.object_type || '' = 'appeal' AND NOT (e.actor = 'system'"
                " AND e.action IN ('appeal.escalate', 'notice.undelivered'))"
                " ORDER BY e.seq LIMIT 1), (SELECT coalesce(max(seq), 0) FROM events))");
    db_bind_int64(st, 1, *mark);
    int64_t to = *mark;
    int rc = db_run(st, &to, err);
    if (!rc && to > *mark)
        *mark = to;
    return rc;
}

/* One notice per executor (issue 23 point 5: a first sweep over the 1M demo told a handful of
 * executors of 150,000 assignments one by one): `s` is each assignment of an open appeal with
 * its executor, `g` each executor's first (by seq) and how many; one is told as ever
 * ("assigned", about its appeal), several as "assigned_many": the first's data with "count"
 * in front, about no one appeal. */
#define ASSIGN_SQL(rows)                                                                           \
    "WITH s AS MATERIALIZED (SELECT e.seq, a.id, u.id AS uid,"                                     \
    " coalesce(nullif(a.language, ''), 'ru') AS lang,"                                             \
    " CAST(json_object('number', a.number, 'due_on', a.due_on) AS TEXT) AS data " rows "),"        \
    " g AS MATERIALIZED (SELECT uid, min(seq) AS seq, count(*) AS n FROM s GROUP BY uid)"          \
    " INSERT INTO outbox (created_at, appeal_id, recipient, channel, template,"                    \
    " language, data, next_at)"                                                                    \
    " SELECT ?3, CASE WHEN g.n = 1 THEN s.id END, 'user:' || g.uid, 'staff',"                      \
    " CASE WHEN g.n = 1 THEN 'assigned' ELSE 'assigned_many' END, s.lang,"                         \
    " CASE WHEN g.n = 1 THEN s.data ELSE '{\"count\":' || g.n || ',' || substr(s.data, 2) END, ?3" \
    " FROM g JOIN s ON s.seq = g.seq AND s.uid = g.uid ORDER BY g.seq, g.uid"
/* over a backlog: CROSS JOIN, so that SQLite keeps the open appeals outside; the assignments
 * of each through events_assign alone (`object_type || ''`), not every event of the appeal
 * through events_object (900,000 random reads of the events table on the 1M demo) */
const char store_sweep_assign_backlog_sql[] =
    ASSIGN_SQL("FROM appeals a CROSS JOIN events e"
               " JOIN users u ON u.login = json_extract(e.data, '$.executor')"
               " WHERE e.object_type || '' = 'appeal' AND e.object_id = a.number"
               " AND e.seq > ?1 AND e.seq <= ?2 AND e.action = 'appeal.assign'"
               " AND a.status IN " OPEN_STATUSES);
/* over a few events (a steady sweep): by seq (`action || ''`: not the open appeals first
 * through events_assign, which SQLite takes otherwise, 150,000 probes on the 1M demo) */
const char store_sweep_assign_recent_sql[] =
    ASSIGN_SQL("FROM events e JOIN appeals a ON a.number = e.object_id"
               " JOIN users u ON u.login = json_extract(e.data, '$.executor')"
               " WHERE e.seq > ?1 AND e.seq <= ?2 AND e.object_type || '' = 'appeal'"
               " AND e.action || '' = 'appeal.assign' AND a.status IN " OPEN_STATUSES);
#undef ASSIGN_SQL

int store_sweep_assign_notices(store_tx_t *tx, int64_t after_seq, int64_t upto, int backlog,
                               int64_t now, int64_t *notices, ot_err_t *err)
{
    /* the same rows either way, in seq order: over a few events, from the events (by seq);
     * over a backlog, from the open appeals (their assignments through events_assign): a
     * first sweep over a 1M demo has a million assignments and 150,000 open appeals, and
     * looking each assignment's appeal up read the appeals table at random */
    db_stmt_t *st = db_prepare(
        tx->db, backlog ? store_sweep_assign_backlog_sql : store_sweep_assign_recent_sql, err);
    if (!st)
        return err ? err->status : OT_EINTERNAL;
    db_bind_int64(st, 1, after_seq);
    db_bind_int64(st, 2, upto);
    db_bind_int64(st, 3, now);
    int rc = db_run(st, NULL, err);
    *notices = rc ? 0 : db_changes(tx->db);
    return rc;
}

/* the events after the mark, in seq (rowid) order: `object_type || ''` so that SQLite does not
 * take events_object for object_type = 'appeal' and read (and sort) every appeal event there
 * is, 5.2M after a 1M demo; answers on time and forwards within their term (nearly all) are
 * passed over here. The partial index events_sweep holds every column read and tested, so
 * the scan reads the index alone (issue 23 point 5). */
const char store_sweep_events_sql[] =
    "SELECT e.seq, e.at, e.actor, e.action, e.object_id, e.data, a.id, a.executor,"
    " a.kind, a.jurisdiction, a.language, a.answered_on, a.due_on, a.forward_by,"
    " a.body, a.receiving_body, a.status FROM events e"
    " LEFT JOIN appeals a ON a.number = e.object_id"
    " WHERE e.seq > ?1 AND e.seq <= ?2 AND e.object_type || '' = 'appeal'"
    " AND (e.action = 'appeal.control'"
    " OR (e.action IN ('appeal.answer', 'appeal.approve')"
    " AND CAST(json_extract(e.data, '$.on_time') AS TEXT) IN ('0', 'false'))"
    " OR (e.action = 'appeal.forward'"
    " AND CAST(json_extract(e.data, '$.within_term') AS TEXT) IN ('0', 'false')))"
    " ORDER BY e.seq LIMIT ?3";

int store_sweep_events(store_tx_t *tx, int64_t after_seq, int64_t upto, size_t max,
                       sweep_event_t **evs, size_t *n, ot_err_t *err)
{
    PREPARE(tx, store_sweep_events_sql);
    db_bind_int64(st, 1, after_seq);
    db_bind_int64(st, 2, upto);
    db_bind_int64(st, 3, (int64_t)max);
    size_t cap = 0;
    int rc;
    *evs = NULL;
    *n = 0;
    while ((rc = db_step(st, err)) == DB_ROW) {
        sweep_event_t *e = push((void **)evs, n, &cap, sizeof **evs);
        if (!e)
            return oom(st, err);
        e->seq = db_col_int64(st, 0);
        e->at = db_col_int64(st, 1);
        store_copy_col(st, 2, e->actor, sizeof e->actor);
        store_copy_col(st, 3, e->action, sizeof e->action);
        store_copy_col(st, 4, e->object_id, sizeof e->object_id);
        const char *d = db_col_text(st, 5);
        e->data = strdup(d ? d : "{}");
        e->appeal_id = db_col_int64(st, 6);
        e->executor = db_col_int64(st, 7);
        store_copy_col(st, 8, e->kind, sizeof e->kind);
        store_copy_col(st, 9, e->jurisdiction, sizeof e->jurisdiction);
        store_copy_col(st, 10, e->language, sizeof e->language);
        store_copy_col(st, 11, e->answered_on, sizeof e->answered_on);
        store_copy_col(st, 12, e->due_on, sizeof e->due_on);
        store_copy_col(st, 13, e->forward_by, sizeof e->forward_by);
        store_copy_col(st, 14, e->body, sizeof e->body);
        store_copy_col(st, 15, e->receiving_body, sizeof e->receiving_body);
        store_copy_col(st, 16, e->status, sizeof e->status);
    }
    db_reset(st);
    return rc < 0 ? -rc : OT_OK;
}

void store_sweep_events_free(sweep_event_t *evs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(evs[i].data);
    free(evs);
}

const char store_sweep_unstarted_sql[] =
    "SELECT v.id, v.head, a.number, v.detected_on, v.body, v.created_at"
    " FROM violations v"
    " JOIN bodies b ON b.id = v.body LEFT JOIN appeals a ON a.id = v.appeal_id"
    " WHERE v.status || '' = 'open' AND v.kind <> 'no_proceedings'"
    " AND v.created_at < ? AND (v.created_at, v.id) >= (?, ?)"
    " AND b.type <> 'external'"
    " AND NOT EXISTS (SELECT 1 FROM violations w"
    " WHERE w.about_violation = v.id AND w.kind = 'no_proceedings')"
    " ORDER BY v.created_at, v.id LIMIT ?";

int store_sweep_unstarted(store_tx_t *tx, int64_t before_us, int64_t from_at, int64_t from_id,
                          size_t max, unstarted_t **out, size_t *n, ot_err_t *err)
{
    /* what the rule needs of each, not the whole record (a first sweep over a 1M demo reads
     * 330,000 of them), a page at a time in the order of violations_unstarted: only those
     * recorded before the instant can be late, and those recorded since are not read (a
     * sweep's own 130,000 violations were read again by each sweep for days) */
    PREPARE(tx, store_sweep_unstarted_sql);
    db_bind_int64(st, 1, before_us);
    db_bind_int64(st, 2, from_at);
    db_bind_int64(st, 3, from_id);
    db_bind_int64(st, 4, (int64_t)max);
    size_t cap = 0;
    int rc;
    *out = NULL;
    *n = 0;
    while ((rc = db_step(st, err)) == DB_ROW) {
        unstarted_t *v = push((void **)out, n, &cap, sizeof **out);
        if (!v)
            return oom(st, err);
        v->id = db_col_int64(st, 0);
        v->head = db_col_int64(st, 1);
        store_copy_col(st, 2, v->appeal_number, sizeof v->appeal_number);
        store_copy_col(st, 3, v->detected_on, sizeof v->detected_on);
        store_copy_col(st, 4, v->body, sizeof v->body);
        v->created_at = db_col_int64(st, 5);
    }
    db_reset(st);
    return rc < 0 ? -rc : OT_OK;
}

int store_sweep_unstarted_since(store_tx_t *tx, int64_t after_id, int64_t *max_id, int64_t *min_at,
                                ot_err_t *err)
{
    /* the violations recorded since the last walk, by the primary key */
    PREPARE(tx, "SELECT coalesce(max(id), ?), coalesce(min(CASE WHEN status = 'open' AND kind <>"
                " 'no_proceedings' THEN created_at END), ?) FROM violations WHERE id > ?");
    db_bind_int64(st, 1, after_id);
    db_bind_int64(st, 2, INT64_MAX);
    db_bind_int64(st, 3, after_id);
    int rc = db_step(st, err);
    if (rc == DB_ROW) {
        *max_id = db_col_int64(st, 0);
        *min_at = db_col_int64(st, 1);
    }
    db_reset(st);
    return rc < 0 ? -rc : OT_OK;
}

int store_sweep_repeats(store_tx_t *tx, int64_t after_id, size_t max, repeat_pair_t **out,
                        size_t *n, int64_t *max_id, ot_err_t *err)
{
    {
        PREPARE(tx, "SELECT coalesce(max(id), 0) FROM violations");
        int rc = db_run(st, max_id, err);
        if (rc)
            return rc;
    }
    /* For each violation not yet flagged, the latest earlier violation of the same body that
     * its reviewer did not dismiss (one index probe on violations(body, term_on) each); a
     * dismissal is the only way out of the count, so a head whose violations are never
     * decided is flagged all the same. The window is checked by the caller (month
     * arithmetic differs between engines). */
#define SIDE(x)                                                                                    \
    " " x ".id, " x ".head, " x ".kind, " x "a.number, " x ".term_on, " x ".status, " x            \
    ".penalty, " x ".penalty_on, " x ".body, " x ".days_late"
    PREPARE(tx,
            "SELECT" SIDE("v") "," SIDE(
                "p") " FROM violations v"
                     " JOIN violations p ON p.id = (SELECT q.id FROM violations q"
                     "  WHERE q.body = v.body AND q.term_on < v.term_on AND q.status <> 'dismissed'"
                     "  ORDER BY q.term_on DESC, q.id DESC LIMIT 1)"
                     " LEFT JOIN appeals va ON va.id = v.appeal_id"
                     " LEFT JOIN appeals pa ON pa.id = p.appeal_id"
                     " WHERE v.id > ? AND v.status <> 'dismissed'"
                     " AND v.body NOT IN (SELECT id FROM bodies WHERE type = 'external')"
                     " AND NOT EXISTS (SELECT 1 FROM head_flags f WHERE f.violation_id = v.id)"
                     " ORDER BY v.id LIMIT ?");
    db_bind_int64(st, 2, (int64_t)max);
    db_bind_int64(st, 1, after_id);
    size_t cap = 0;
    int rc;
    *out = NULL;
    *n = 0;
    while ((rc = db_step(st, err)) == DB_ROW) {
        int64_t id = db_col_int64(st, 0);
        if (*n && (*out)[*n - 1].v.id == id)
            continue; /* keep the latest prior of each */
        repeat_pair_t *p = push((void **)out, n, &cap, sizeof **out);
        if (!p)
            return oom(st, err);
        for (int k = 0; k < 2; k++) {
            repeat_side_t *s = k ? &p->prior : &p->v;
            int c = 10 * k;
            s->id = db_col_int64(st, c);
            s->head = db_col_int64(st, c + 1);
            store_copy_col(st, c + 2, s->kind, sizeof s->kind);
            store_copy_col(st, c + 3, s->appeal_number, sizeof s->appeal_number);
            store_copy_col(st, c + 4, s->term_on, sizeof s->term_on);
            store_copy_col(st, c + 5, s->status, sizeof s->status);
            store_copy_col(st, c + 6, s->penalty, sizeof s->penalty);
            store_copy_col(st, c + 7, s->penalty_on, sizeof s->penalty_on);
            store_copy_col(st, c + 8, s->body, sizeof s->body);
            s->days_late = (int)db_col_int64(st, c + 9);
        }
    }
    db_reset(st);
    return rc < 0 ? -rc : OT_OK;
#undef SIDE
}

int store_meta_get_int(store_tx_t *tx, const char *key, int64_t *out, ot_err_t *err)
{
    PREPARE(tx, "SELECT CAST(value AS BIGINT) FROM meta WHERE key = ?");
    db_bind_text(st, 1, key);
    *out = 0;
    int rc = db_run(st, out, err);
    return rc == OT_ENOTFOUND ? OT_OK : rc;
}

int store_meta_set_int(store_tx_t *tx, const char *key, int64_t v, ot_err_t *err)
{
    PREPARE(tx, "INSERT INTO meta (key, value) VALUES (?, ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    char buf[24];
    snprintf(buf, sizeof buf, "%lld", (long long)v);
    db_bind_text(st, 1, key);
    db_bind_text(st, 2, buf);
    return db_run(st, NULL, err);
}

int store_meta_set_int_many(store_tx_t *tx, const char *const *keys, size_t n, int64_t v,
                            ot_err_t *err)
{
    if (!n)
        return OT_OK;
    char *list = store_json_keys(keys, n), buf[24];
    if (!list)
        return ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
    snprintf(buf, sizeof buf, "%lld", (long long)v);
    PREPARE(tx,
            "INSERT INTO meta (key, value) SELECT j.value ->> 0, ?2 FROM json_each(?1) j"
            " WHERE true ORDER BY j.key ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    db_bind_text(st, 1, list);
    db_bind_text(st, 2, buf);
    int rc = db_run(st, NULL, err);
    free(list);
    return rc;
}

/* ==== Head flags ==== */

int store_flag_insert(store_tx_t *tx, flag_rec_t *f, int *created, ot_err_t *err)
{
    PREPARE(tx, "INSERT INTO head_flags (body, head, violation_id, prior_violation_id, evidence,"
                " created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id");
    db_bind_text(st, 1, f->body);
    store_bind_id(st, 2, f->head);
    db_bind_int64(st, 3, f->violation_id);
    db_bind_int64(st, 4, f->prior_violation_id);
    db_bind_text(st, 5, f->evidence);
    db_bind_int64(st, 6, f->created_at);
    int rc = db_run(st, &f->id, err);
    *created = rc == OT_OK;
    return rc == OT_ENOTFOUND ? OT_OK : rc;
}

int store_flag_max_id(store_tx_t *tx, int64_t *id, ot_err_t *err)
{
    PREPARE(tx, "SELECT coalesce(max(id), 0) FROM head_flags");
    return db_run(st, id, err);
}

#define FLAG_INSERT                                                                                \
    "INSERT INTO head_flags (body, head, violation_id, prior_violation_id, evidence, created_at)"  \
    " VALUES "
#define FLAG_ROW1 "(?, ?, ?, ?, ?, ?)"
static const char FLAG_INSERT_ONE[] = FLAG_INSERT FLAG_ROW1 " ON CONFLICT DO NOTHING";
static const char FLAG_INSERT_MANY[] =
    FLAG_INSERT STORE_ROWS64(FLAG_ROW1) " ON CONFLICT DO NOTHING";

static void bind_flag(db_stmt_t *st, int b, size_t i, void *arg)
{
    const flag_rec_t *f = (const flag_rec_t *)arg + i;
    db_bind_text(st, b + 1, f->body);
    store_bind_id(st, b + 2, f->head);
    db_bind_int64(st, b + 3, f->violation_id);
    db_bind_int64(st, b + 4, f->prior_violation_id);
    db_bind_text(st, b + 5, f->evidence);
    db_bind_int64(st, b + 6, f->created_at);
}

int store_flag_insert_many(store_tx_t *tx, flag_rec_t *fs, size_t n, ot_err_t *err)
{
    if (!n)
        return OT_OK;
    int64_t last = 0;
    int rc = store_flag_max_id(tx, &last, err);
    if (!rc)
        rc = store_insert_rows(tx, FLAG_INSERT_MANY, FLAG_INSERT_ONE, 6, n, bind_flag, fs, err);
    for (size_t i = 0; i < n; i++)
        fs[i].id = 0;
    if (rc)
        return rc;
    PREPARE(tx, "SELECT id, violation_id FROM head_flags WHERE id > ? ORDER BY id");
    db_bind_int64(st, 1, last);
    size_t i = 0;
    int step;
    while ((step = db_step(st, err)) == DB_ROW) {
        int64_t vid = db_col_int64(st, 1);
        while (i < n && fs[i].violation_id != vid)
            i++;
        if (i == n)
            break;
        fs[i++].id = db_col_int64(st, 0);
    }
    db_reset(st);
    if (step < 0)
        return -step;
    return i == n && step == DB_ROW
               ? ot_err(err, OT_EINTERNAL, "flag_batch", NULL, "a new flag not in its batch")
               : OT_OK;
}

int store_flag_notify_new(store_tx_t *tx, int64_t after, int64_t now, int64_t *notices,
                          ot_err_t *err)
{
    /* `flags` goes first in the data: '{"flags":N,' and the rest of the object */
    PREPARE(tx, "WITH g AS MATERIALIZED (SELECT max(id) AS id, count(*) AS n FROM head_flags"
                " WHERE id > ?1 GROUP BY body, head),"
                " f AS MATERIALIZED (SELECT f.id, f.head, v.appeal_id,"
                " '{\"flags\":' || g.n || ',' || substr(json_insert(f.evidence, '$.body',"
                " f.body, '$.head', coalesce(f.head, 0)), 2) AS data FROM g"
                " JOIN head_flags f ON f.id = g.id JOIN violations v ON v.id = f.violation_id),"
                " rcpt AS (SELECT id, head AS uid FROM f WHERE head IS NOT NULL"
                " UNION SELECT f.id, u.id FROM f JOIN users u ON u.role = 'supervisor'"
                " AND u.disabled = 0)"
                " INSERT INTO outbox (created_at, appeal_id, recipient, channel, template,"
                " language, data, next_at)"
                " SELECT ?2, f.appeal_id, 'user:' || r.uid, 'staff', 'head_flag', 'ru', f.data, ?2"
                " FROM rcpt r JOIN f ON f.id = r.id ORDER BY r.id, r.uid");
    db_bind_int64(st, 1, after);
    db_bind_int64(st, 2, now);
    int rc = db_run(st, NULL, err);
    *notices = rc ? 0 : db_changes(tx->db);
    return rc;
}

#define FLAG_COLS                                                                                  \
    "SELECT f.id, f.body, f.head, f.violation_id, f.prior_violation_id, f.evidence, f.created_at"
const char *const store_flag_list_sql[2] = {
    /* a narrow scope: its flags' ids from head_flags_body, the newest, then their rows */
    FLAG_COLS " FROM head_flags f WHERE f.id IN (SELECT g.id FROM head_flags g"
              " WHERE g.body IN (SELECT id FROM bodies WHERE substr(path, 1, length(?1)) = ?1)"
              " AND g.id < ?2 ORDER BY g.id DESC LIMIT ?3) ORDER BY f.id DESC",
    /* every flag, or a wide scope: newest first, those outside the scope skipped */
    FLAG_COLS " FROM head_flags f JOIN bodies b ON b.id = f.body"
              " WHERE (?1 IS NULL OR substr(b.path, 1, length(?1)) = ?1)"
              " AND f.id < ?2 ORDER BY f.id DESC LIMIT ?3",
};
#undef FLAG_COLS

/* A scope of at most this share of the bodies reads its bodies' flags' ids through
 * head_flags_body, keeps the newest and reads their rows (cost: the scope's index entries
 * and a page of rows; the rows of every flag of the scope were read and sorted for a page:
 * a Ridder head's page of 500 among the city's 13,680 flags, 20-56 ms at the 1M demo); a wider
 * one walks every flag newest first and skips those outside it (cost: about a page, the
 * scope holding most of them). */
#define FLAG_SCOPE_WALK_PCT 50

int store_flag_list(store_tx_t *tx, const char *scope_path, int64_t before_id, int limit,
                    int (*fn)(flag_rec_t *f, void *arg), void *arg, ot_err_t *err)
{
    int narrow = 0;
    if (scope_path) {
        PREPARE(tx, "SELECT 100 * count(*) <= ?2 * (SELECT count(*) FROM bodies) FROM bodies"
                    " WHERE substr(path, 1, length(?1)) = ?1");
        db_bind_text(st, 1, scope_path);
        db_bind_int64(st, 2, FLAG_SCOPE_WALK_PCT);
        int64_t v = 0;
        int rc = db_run(st, &v, err);
        if (rc)
            return rc;
        narrow = v != 0;
    }
    db_stmt_t *st = db_prepare(tx->db, store_flag_list_sql[!narrow], err);
    if (!st)
        return err ? err->status : OT_EINTERNAL;
    db_bind_text(st, 1, scope_path);
    db_bind_int64(st, 2, before_id > 0 ? before_id : INT64_MAX);
    db_bind_int64(st, 3, limit);
    flag_rec_t *f = malloc(sizeof *f);
    if (!f)
        return oom(st, err);
    int rc, stop = 0;
    while (!stop && (rc = db_step(st, err)) == DB_ROW) {
        memset(f, 0, sizeof *f);
        f->id = db_col_int64(st, 0);
        store_copy_col(st, 1, f->body, sizeof f->body);
        f->head = db_col_int64(st, 2);
        f->violation_id = db_col_int64(st, 3);
        f->prior_violation_id = db_col_int64(st, 4);
        store_copy_col(st, 5, f->evidence, sizeof f->evidence);
        f->created_at = db_col_int64(st, 6);
        stop = fn(f, arg);
    }
    free(f);
    db_reset(st);
    return stop || rc >= 0 ? OT_OK : -rc;
}

/* ==== Control queue ==== */

int store_control_add(store_tx_t *tx, int64_t appeal_id, const char *reason, int64_t since,
                      const char *control_on, int64_t by_user, int *created, ot_err_t *err)
{
    /* a supervisor's date replaces the queue's; an automatic entry never overwrites one */
    PREPARE(tx, "INSERT INTO control_queue (appeal_id, reason, since, control_on, by_user)"
                " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (appeal_id) DO UPDATE SET"
                " control_on = excluded.control_on, by_user = excluded.by_user,"
                " released_at = NULL"
                " WHERE excluded.by_user IS NOT NULL AND (control_queue.control_on IS NULL"
                " OR control_queue.control_on <> excluded.control_on)");
    db_bind_int64(st, 1, appeal_id);
    db_bind_text(st, 2, reason);
    db_bind_int64(st, 3, since);
    store_bind_opt(st, 4, control_on);
    store_bind_id(st, 5, by_user);
    int rc = db_run(st, NULL, err);
    *created = !rc && db_changes(tx->db) == 1;
    return rc;
}

int store_control_add_many(store_tx_t *tx, const int64_t *ids, size_t n, const char *reason,
                           int64_t since, unsigned char *created, ot_err_t *err)
{
    if (!n)
        return OT_OK;
    char *list = store_json_ids(ids, n);
    if (!list)
        return ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
    for (size_t i = 0; i < n; i++)
        created[i] = 1;
    int rc;
    {
        /* which are there already (ids come in ascending order from the sweep's scan, but
         * any order works: each is looked up) */
        PREPARE(tx, "SELECT j.key FROM json_each(?) j"
                    " JOIN control_queue q ON q.appeal_id = CAST(j.value AS BIGINT)");
        db_bind_text(st, 1, list);
        while ((rc = db_step(st, err)) == DB_ROW) {
            int64_t k = db_col_int64(st, 0);
            if (k >= 0 && (size_t)k < n)
                created[k] = 0;
        }
        db_reset(st);
        rc = rc < 0 ? -rc : OT_OK;
    }
    if (!rc) {
        PREPARE(tx, "INSERT INTO control_queue (appeal_id, reason, since)"
                    " SELECT CAST(value AS BIGINT), ?2, ?3 FROM json_each(?1) WHERE true"
                    " ORDER BY key"
                    " ON CONFLICT (appeal_id) DO NOTHING");
        db_bind_text(st, 1, list);
        db_bind_text(st, 2, reason);
        db_bind_int64(st, 3, since);
        rc = db_run(st, NULL, err);
    }
    free(list);
    return rc;
}

int store_escalation_notify_new(store_tx_t *tx, int64_t since, int64_t until, int64_t now,
                                int64_t *notices, ot_err_t *err)
{
    /* e: the appeals the sweep put in the queue as overdue from `since` to `until`
     * (control_queue_since); one notice per supervisor: the first one's (the smallest appeal id) as
     * ever when it is the only one, else the same with "count" in front under "escalated_many" */
    PREPARE(tx, "WITH e AS MATERIALIZED (SELECT appeal_id FROM control_queue"
                " WHERE since >= ?1 AND since <= ?2 AND reason = 'overdue'),"
                " g AS MATERIALIZED (SELECT min(appeal_id) AS id, count(*) AS n FROM e),"
                " d AS (SELECT g.n, a.id, coalesce(a.language, 'ru') AS lang,"
                " CAST(json_object('reason', 'overdue', 'due_on', a.due_on, 'body', a.body,"
                " 'number', a.number) AS TEXT) AS data FROM g JOIN appeals a ON a.id = g.id"
                " WHERE g.n > 0)"
                " INSERT INTO outbox (created_at, appeal_id, recipient, channel, template,"
                " language, data, next_at)"
                " SELECT ?3, CASE WHEN d.n = 1 THEN d.id END, 'user:' || u.id, 'staff',"
                " CASE WHEN d.n = 1 THEN 'escalated' ELSE 'escalated_many' END, d.lang,"
                " CASE WHEN d.n = 1 THEN d.data"
                " ELSE '{\"count\":' || d.n || ',' || substr(d.data, 2) END, ?3"
                " FROM d CROSS JOIN (SELECT id FROM users WHERE role = 'supervisor'"
                " AND disabled = 0 ORDER BY id LIMIT 64) u ORDER BY u.id");
    db_bind_int64(st, 1, since);
    db_bind_int64(st, 2, until);
    db_bind_int64(st, 3, now);
    int rc = db_run(st, NULL, err);
    *notices = rc ? 0 : db_changes(tx->db);
    return rc;
}

/* The head of each body, or of the nearest body above it that has one (a body without a
 * head account still tells a real person), looked up once per statement */
#define HEADS_CTE                                                                                  \
    "heads AS (SELECT me.id AS body, (SELECT u.id FROM bodies up"                                  \
    " JOIN users u ON u.body = up.id AND u.role = 'head' AND u.disabled = 0"                       \
    " WHERE substr(me.path, 1, length(up.path)) = up.path"                                         \
    " ORDER BY length(up.path) DESC, u.id LIMIT 1) AS head FROM bodies me)"

/* One notice per person (issue 23 point 5) of the items in `c` (one row per item: appeal id
 * `id`, its `executor`, `body`, `lang` and the order `k`), to the executor and the head of
 * the body (each person once per item): t numbers each person's items; the first is told
 * as ever under `one` (`data`, an expression of c's columns), several as `many`, the first's
 * data with "count" in front, about no one appeal, at `clock` (a parameter). */
#define PER_PERSON_SQL(one, many, data, clock)                                                     \
    ", " HEADS_CTE ","                                                                             \
    " r AS (SELECT k, executor AS uid FROM c WHERE executor IS NOT NULL"                           \
    " UNION SELECT c.k, h.head FROM c JOIN heads h ON h.body = c.body WHERE h.head IS NOT NULL),"  \
    " t AS (SELECT k, uid, row_number() OVER (PARTITION BY uid ORDER BY k) AS i,"                  \
    " count(*) OVER (PARTITION BY uid) AS n FROM r),"                                              \
    " d AS (SELECT t.uid, t.n, c.k, c.id, c.lang, CAST(" data " AS TEXT) AS data"                  \
    " FROM t JOIN c ON c.k = t.k WHERE t.i = 1)"                                                   \
    " INSERT INTO outbox (created_at, appeal_id, recipient, channel, template,"                    \
    " language, data, next_at)"                                                                    \
    " SELECT " clock ", CASE WHEN n = 1 THEN id END, 'user:' || uid, 'staff',"                     \
    " CASE WHEN n = 1 THEN '" one "' ELSE '" many "' END, lang,"                                   \
    " CASE WHEN n = 1 THEN data ELSE '{\"count\":' || n || ',' || substr(data, 2) END, " clock     \
    " FROM d ORDER BY k, uid"

/* the reminders ?1 ([appeal id, days_before] in the order the bands made them) of appeals
 * not suspended */
const char store_reminder_notify_sql[] =
    "WITH c AS MATERIALIZED (SELECT CAST(j.key AS BIGINT) AS k, a.id, a.executor, a.body,"
    " a.language AS lang, CAST(j.value ->> 1 AS BIGINT) AS days_before, a.due_on, a.number"
    " FROM json_each(?1) j JOIN appeals a ON a.id = CAST(j.value ->> 0 AS BIGINT)"
    " WHERE a.suspended_on IS NULL)" PER_PERSON_SQL(
        "reminder", "reminder_many",
        "json_object('days_before', c.days_before, 'due_on', c.due_on, 'number', c.number)", "?2");

/* the supervisors' control dates the run put in the control queue: each control event it
 * followed (seq in ?1..?2, through events_sweep) whose entry it made (the entry's `since` is
 * the event's time), of an appeal still open (issue 23: a first sweep over the 1M demo's
 * backlog told of 53,754 control dates on appeals closed months before) */
const char store_control_notify_sql[] =
    "WITH c AS MATERIALIZED (SELECT DISTINCT a.id AS k, a.id, a.executor, a.body,"
    " coalesce(nullif(a.language, ''), 'ru') AS lang, a.number, a.due_on, q.control_on"
    " FROM events e JOIN appeals a ON a.number = e.object_id"
    " JOIN control_queue q ON q.appeal_id = a.id AND q.since = e.at"
    " WHERE e.seq > ?1 AND e.seq <= ?2 AND e.object_type || '' = 'appeal'"
    " AND e.action = 'appeal.control' AND q.reason IN ('akim', 'supervisor')"
    " AND a.status IN " OPEN_STATUSES
    ")" PER_PERSON_SQL("control", "control_many",
                       "json_object('number', c.number, 'control_on', coalesce(c.control_on, ''),"
                       " 'due_on', c.due_on)",
                       "?3");
#undef PER_PERSON_SQL
#undef HEADS_CTE

int store_reminder_notify(store_tx_t *tx, const reminded_t *made, int64_t now, int64_t *notices,
                          ot_err_t *err)
{
    *notices = 0;
    if (!made->n)
        return OT_OK;
    jw_t w = JW_INIT;
    jw_arr(&w);
    for (size_t i = 0; i < made->n; i++) {
        jw_arr(&w);
        jw_int(&w, made->items[i].appeal_id);
        jw_int(&w, made->items[i].days_before);
        jw_end(&w);
    }
    jw_end(&w);
    char *list = jw_finish(&w, NULL);
    if (!list)
        return ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
    PREPARE(tx, store_reminder_notify_sql);
    db_bind_text(st, 1, list);
    db_bind_int64(st, 2, now);
    int rc = db_run(st, NULL, err);
    *notices = rc ? 0 : db_changes(tx->db);
    free(list);
    return rc;
}

int store_control_notify_new(store_tx_t *tx, int64_t after_seq, int64_t upto, int64_t now,
                             int64_t *notices, ot_err_t *err)
{
    PREPARE(tx, store_control_notify_sql);
    db_bind_int64(st, 1, after_seq);
    db_bind_int64(st, 2, upto);
    db_bind_int64(st, 3, now);
    int rc = db_run(st, NULL, err);
    *notices = rc ? 0 : db_changes(tx->db);
    return rc;
}

int store_control_rows(store_tx_t *tx, const int64_t *ids, size_t n,
                       int (*fn)(const control_row_t *r, void *arg), void *arg, ot_err_t *err)
{
    if (!n)
        return OT_OK;
    PREPARE(
        tx,
        "SELECT a.number, a.body, a.due_on, coalesce(q.control_on, a.control_on),"
        " coalesce(q.reason, 'supervisor'), a.status, coalesce(q.since, a.updated_at),"
        " q.by_user, a.executor, CASE WHEN b.type = 'external' THEN"
        " coalesce(b.superior, '') ELSE '' END, a.id FROM appeals a JOIN bodies b ON b.id = a.body"
        " LEFT JOIN control_queue q ON q.appeal_id = a.id AND q.released_at IS NULL"
        " WHERE a.id IN (SELECT CAST(value AS BIGINT) FROM json_each(?1))"
        " ORDER BY a.due_on, a.id");
    char *list = store_json_ids(ids, n); /* after PREPARE, which returns on a failure */
    if (!list)
        return oom(st, err);
    db_bind_text(st, 1, list);
    control_row_t r;
    int rc, stop = 0;
    while (!stop && (rc = db_step(st, err)) == DB_ROW) {
        memset(&r, 0, sizeof r);
        store_copy_col(st, 0, r.number, sizeof r.number);
        store_copy_col(st, 1, r.body, sizeof r.body);
        store_copy_col(st, 2, r.due_on, sizeof r.due_on);
        store_copy_col(st, 3, r.control_on, sizeof r.control_on);
        store_copy_col(st, 4, r.reason, sizeof r.reason);
        store_copy_col(st, 5, r.status, sizeof r.status);
        r.since = db_col_int64(st, 6);
        r.by_user = db_col_int64(st, 7);
        r.executor = db_col_int64(st, 8);
        store_copy_col(st, 9, r.report_to, sizeof r.report_to);
        r.id = db_col_int64(st, 10);
        stop = fn(&r, arg);
    }
    db_reset(st);
    free(list);
    return stop || rc >= 0 ? OT_OK : -rc;
}
