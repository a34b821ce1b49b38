/* The report aggregates and counters of the writer's transactions on PostgreSQL (issue 19
 * point 7).
 *
 * stat_appeal_ins (migration 5, a PL/pgSQL trigger) adds each new appeal to stat_day (whose
 * own trigger carries it on to stat_month), stat_cd and, for an appeal inserted answered,
 * stat_wd_day and stat_ans_month; stat_open_ins (migration 41) adds an open one to
 * stat_day.still_open and stat_open; stat_outbox_ins (migration 41) adds each notice to
 * stat_outbox: per appeal of the portal about eight upserts and five PL/pgSQL calls, each
 * with its executor start-up. In the writer's transaction these triggers are off (their
 * WHEN reads otinish.stat_batch, set here for the transaction: migrations 39 and 42), the
 * ids of the appeals inserted are kept here, the notices are the outbox's ids above a mark
 * taken at BEGIN (otinish.outbox_mark: ids are the largest + 1 under the writer's lock), and
 * one statement counts them all as the triggers would have, row by row: the same sums, one
 * upsert per counter row the batch touches.
 *
 * The statement reads the rows as they are when it runs, the triggers read them as they
 * were inserted: so the appeals are counted before anything changes an appeal
 * (store_appeal_update, store_appeal_set_terms) or recounts the aggregates
 * (store_stat_flush), the notices before anything changes a notice (store_outbox.c), and
 * both before the commit (store_stat_flush_all). A unit rolled back takes its rows with it
 * (their ids match no row) and, when it ran the statement, the counts and the mark too (a
 * savepoint rolls a set_config back): store.c sets stat.n and stat.folded back to where they
 * were before it.
 *
 * On SQLite (migration 48) the same for stat_appeal_ins alone, the one trigger every intake
 * fires (three upserts, each carried on to stat_month by stat_day's trigger: 36 % of an
 * appeal's INSERT by instructions); the others fire for appeals inserted answered, a
 * complaint or a repeat, and stay. Its WHEN reads the meta key 'stat.batched', which the
 * transaction takes before its first appeal (store_stat_arm, inside that unit's savepoint:
 * a unit rolled back takes it back with its appeal) and takes out when it counts them before
 * the commit (store_stat_flush_all): no other connection ever sees it. The notices keep their
 * trigger on SQLite. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"
#include "store/store_search.h"

int store_stat_begin(store_tx_t *tx, ot_err_t *err)
{
    tx->stat.on = tx->stat.armed = 0;
    tx->stat.n = tx->stat.folded = 0;
    if (!store_is_pg(tx)) {
        /* a bulk load drops the trigger and counts everything at its end (store_bulk.c) */
        tx->stat.on = !(tx->store && store_search_deferred(tx->store));
        return OT_OK;
    }
    /* sent with the first statement of the transaction, before any savepoint: a unit's
     * savepoint rolled back would take a SET LOCAL made inside it back. The outbox's mark is
     * its largest id, read under the writer's lock: the notices this transaction adds are
     * the ids above it (max + 1, migration 38) */
    PREPARE(tx, "SELECT set_config('otinish.stat_batch', 'on', true),"
                " set_config('otinish.outbox_mark',"
                " CAST((SELECT coalesce(max(id), 0) FROM outbox) AS TEXT), true)");
    int rc = db_send(st, err);
    tx->stat.on = !rc;
    return rc;
}

int store_stat_added(store_tx_t *tx, int64_t appeal_id, ot_err_t *err)
{
    struct stat_batch *b = &tx->stat;
    if (!b->on)
        return OT_OK;
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 64;
        int64_t *ids = realloc(b->ids, cap * sizeof *ids);
        if (!ids)
            return ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
        b->ids = ids;
        b->cap = cap;
    }
    b->ids[b->n++] = appeal_id;
    return OT_OK;
}

int store_stat_arm(store_tx_t *tx, ot_err_t *err)
{
    if (!tx->stat.on || tx->stat.armed || store_is_pg(tx))
        return OT_OK;
    PREPARE(tx, "INSERT INTO meta (key, value) VALUES ('stat.batched', '1')");
    int rc = db_run(st, NULL, err);
    tx->stat.armed = !rc;
    return rc;
}

void store_stat_off(store_tx_t *tx)
{
    tx->stat.on = 0;
}

void store_stat_end(store_tx_t *tx)
{
    free(tx->stat.ids);
    memset(&tx->stat, 0, sizeof tx->stat);
}

/* clang-format off */
/* 1 when the condition holds, else 0 */
#define B(cond)  "CASE WHEN " cond " THEN 1 ELSE 0 END"
#define RESOLVED "decision IN ('satisfied', 'partly_satisfied')"
#define OPEN     "status IN ('registered', 'assigned', 'in_work')"
#define WD(col) \
    "(SELECT wd FROM cal_wd w WHERE w.jurisdiction = n.jurisdiction AND w.day = n." col ")"
/* The columns a stat_day row adds up, as the union below gives them */
#define SUMS \
    "sum(received), sum(answered), sum(on_time), sum(resolved), sum(explained), sum(refused)," \
    " sum(complaints), sum(upheld), sum(repeats), sum(r1), sum(r2), sum(r3), sum(r4), sum(r5)," \
    " sum(still_open)"
#define ADD(c) c " = stat_day." c " + excluded." c
/* migration 5's stat_appeal_ins (as migration 38 left it) and migration 41's stat_open_ins
 * over the appeals of ?1 at once: n the appeals, d stat_day (with still_open), w
 * stat_wd_day, m stat_ans_month, c stat_cd, o stat_open */
#define APPEAL_CTES \
    "n AS (SELECT * FROM appeals WHERE id = ANY (CAST(?1 AS BIGINT[])))," \
    " d AS (INSERT INTO stat_day (body, day, received, answered, on_time, resolved, explained," \
    "  refused, complaints, upheld, repeats, r1, r2, r3, r4, r5, still_open)" \
    "  SELECT body, day, " SUMS " FROM (" \
    "   SELECT body, registered_on AS day, 1 AS received," \
    "    " B("answered_on IS NOT NULL") " AS answered, " B("answered_on <= due_on") " AS on_time," \
    "    " B(RESOLVED) " AS resolved, " B("decision = 'explained'") " AS explained," \
    "    " B("decision = 'refused'") " AS refused, 0 AS complaints, 0 AS upheld, 0 AS repeats," \
    "    " B("rating = 1") " AS r1, " B("rating = 2") " AS r2, " B("rating = 3") " AS r3," \
    "    " B("rating = 4") " AS r4, " B("rating = 5") " AS r5, " B(OPEN) " AS still_open FROM n" \
    "   UNION ALL SELECT p.body, n.registered_on, 0, 0, 0, 0, 0, 0, 1, " B("n." RESOLVED) "," \
    "    0, 0, 0, 0, 0, 0, 0 FROM n JOIN appeals p ON p.id = n.parent_id" \
    "    WHERE n.link = 'complaint'" \
    "   UNION ALL SELECT o.body, n.registered_on, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0" \
    "    FROM n JOIN appeals o ON o.id = n.repeat_of WHERE o.answered_at IS NOT NULL" \
    "    AND o.answered_at <= n.received_at" \
    "    AND n.received_at - o.answered_at <= 365 * 86400000000) x" \
    "  GROUP BY day, body" \
    "  ON CONFLICT (day, body) DO UPDATE SET " ADD("received") ", " ADD("answered") "," \
    "   " ADD("on_time") ", " ADD("resolved") ", " ADD("explained") ", " ADD("refused") "," \
    "   " ADD("complaints") ", " ADD("upheld") ", " ADD("repeats") ", " ADD("r1") "," \
    "   " ADD("r2") ", " ADD("r3") ", " ADD("r4") ", " ADD("r5") ", " ADD("still_open") ")," \
    " w AS (INSERT INTO stat_wd_day (day, body, days, n)" \
    "  SELECT registered_on, body, coalesce(" WD("answered_on") " - " WD("registered_on") "," \
    "   answered_on::date - registered_on::date) AS days, count(*)" \
    "  FROM n WHERE answered_on IS NOT NULL GROUP BY registered_on, body, days" \
    "  ON CONFLICT (day, body, days) DO UPDATE SET n = stat_wd_day.n + excluded.n)," \
    " m AS (INSERT INTO stat_ans_month (month, body, n)" \
    "  SELECT substr(answered_on, 1, 7), body, count(*) FROM n WHERE answered_on IS NOT NULL" \
    "  GROUP BY substr(answered_on, 1, 7), body" \
    "  ON CONFLICT (month, body) DO UPDATE SET n = stat_ans_month.n + excluded.n)," \
    " c AS (INSERT INTO stat_cd (month, category, district, n)" \
    "  SELECT substr(registered_on, 1, 7), category, coalesce(district, ''), count(*) FROM n" \
    "  GROUP BY substr(registered_on, 1, 7), category, coalesce(district, '')" \
    "  ON CONFLICT (month, category, district) DO UPDATE SET n = stat_cd.n + excluded.n)," \
    " o AS (INSERT INTO stat_open (due_on, body, registered_on, n)" \
    "  SELECT due_on, body, registered_on, count(*) FROM n WHERE " OPEN \
    "  GROUP BY due_on, body, registered_on" \
    "  ON CONFLICT (due_on, body, registered_on) DO UPDATE SET n = stat_open.n + excluded.n)"
/* migration 41's stat_outbox_ins over the notices above the mark (x, read once: its scan
 * reads the mark before the statement moves it), then the mark moved past them. With no
 * notice the mark stays (no row: HAVING). */
#define OUTBOX_CTES \
    "x AS MATERIALIZED (SELECT id, channel, status FROM outbox" \
    "  WHERE id > CAST(current_setting('otinish.outbox_mark') AS BIGINT))," \
    " s AS (INSERT INTO stat_outbox (channel, status, n)" \
    "  SELECT channel, status, count(*) FROM x GROUP BY channel, status" \
    "  ON CONFLICT (channel, status) DO UPDATE SET n = stat_outbox.n + excluded.n)"
#define MOVE_MARK \
    " SELECT set_config('otinish.outbox_mark', CAST(max(id) AS TEXT), true) FROM x" \
    " HAVING count(*) > 0"
/* clang-format on */

/* stat_appeal_ins (migrations 41 and 48) over the appeals of the JSON array ?1 at once, on
 * SQLite: the same sums, one upsert per counter row the batch touches */
#define SQ_BATCH "id IN (SELECT value FROM json_each(?1))"
/* clang-format off */
const char *const store_stat_sqlite_fold_sql[STORE_STAT_SQLITE_FOLDS] = {
    "INSERT INTO stat_day (body, day, received, answered, on_time, resolved, explained,"
    " refused, r1, r2, r3, r4, r5, still_open)"
    " SELECT body, registered_on, count(*), sum(answered_on IS NOT NULL),"
    " sum(coalesce(answered_on <= due_on, 0)), sum(coalesce(" RESOLVED ", 0)),"
    " sum(coalesce(decision = 'explained', 0)), sum(coalesce(decision = 'refused', 0)),"
    " sum(coalesce(rating = 1, 0)), sum(coalesce(rating = 2, 0)), sum(coalesce(rating = 3, 0)),"
    " sum(coalesce(rating = 4, 0)), sum(coalesce(rating = 5, 0)), sum(" OPEN ")"
    " FROM appeals WHERE " SQ_BATCH " GROUP BY registered_on, body"
    " ON CONFLICT (day, body) DO UPDATE SET received = received + excluded.received,"
    " answered = answered + excluded.answered, on_time = on_time + excluded.on_time,"
    " resolved = resolved + excluded.resolved, explained = explained + excluded.explained,"
    " refused = refused + excluded.refused, r1 = r1 + excluded.r1, r2 = r2 + excluded.r2,"
    " r3 = r3 + excluded.r3, r4 = r4 + excluded.r4, r5 = r5 + excluded.r5,"
    " still_open = still_open + excluded.still_open",
    "INSERT INTO stat_cd (month, category, district, n)"
    " SELECT substr(registered_on, 1, 7), category, coalesce(district, ''), count(*)"
    " FROM appeals WHERE " SQ_BATCH
    " GROUP BY substr(registered_on, 1, 7), category, coalesce(district, '')"
    " ON CONFLICT (month, category, district) DO UPDATE SET n = n + excluded.n",
    /* the open ones counted, not filtered on: SQLite would walk appeals_open_reg by the
     * status, every open appeal, rather than seek the batch's ids */
    "INSERT INTO stat_open (due_on, body, registered_on, n)"
    " SELECT due_on, body, registered_on, sum(" OPEN ") FROM appeals"
    " WHERE " SQ_BATCH " GROUP BY due_on, body, registered_on HAVING sum(" OPEN ") > 0"
    " ON CONFLICT (due_on, body, registered_on) DO UPDATE SET n = n + excluded.n",
};
/* clang-format on */

/* The ids of ids[from..n) as a list between open and close, {1,2,3} or [1,2,3]; NULL when
 * out of memory */
static char *id_array(const int64_t *ids, size_t from, size_t n, char open, char close)
{
    char *arr = malloc(3 + (n - from) * 21), *o = arr;
    if (!arr)
        return NULL;
    *o++ = open;
    for (size_t i = from; i < n; i++)
        o += sprintf(o, "%s%" PRId64, i > from ? "," : "", ids[i]);
    *o++ = close;
    *o = '\0';
    return arr;
}

/* SQLite's fold: the batch's appeals not yet counted; with notices (before the commit) the
 * meta key taken out, so that the commit leaves no trace of it */
static int sq_fold(store_tx_t *tx, int notices, ot_err_t *err)
{
    struct stat_batch *b = &tx->stat;
    int rc = OT_OK;
    if (b->folded < b->n) {
        char *arr = id_array(b->ids, b->folded, b->n, '[', ']');
        if (!arr)
            return ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
        for (size_t i = 0; !rc && i < STORE_STAT_SQLITE_FOLDS; i++) {
            db_stmt_t *st = db_prepare(tx->db, store_stat_sqlite_fold_sql[i], err);
            if (!st) {
                rc = err ? err->status : OT_EINTERNAL;
                break;
            }
            db_bind_text(st, 1, arr);
            rc = db_run(st, NULL, err);
        }
        free(arr);
        if (!rc)
            b->folded = b->n;
    }
    if (!rc && notices && b->armed) {
        PREPARE(tx, "DELETE FROM meta WHERE key = 'stat.batched'");
        rc = db_run(st, NULL, err);
        if (!rc)
            b->armed = 0;
    }
    return rc;
}

/* The batch's appeals not yet counted, and with notices its notices above the mark, counted
 * by one statement. It is sent with the next statement that waits (db_send): the UPDATE it
 * precedes, or the COMMIT. */
static int fold(store_tx_t *tx, int notices, ot_err_t *err)
{
    struct stat_batch *b = &tx->stat;
    if (!b->on || (!notices && b->folded >= b->n))
        return OT_OK;
    if (!store_is_pg(tx))
        return sq_fold(tx, notices, err);
    if (b->folded >= b->n) {
        PREPARE(tx, "WITH " OUTBOX_CTES MOVE_MARK);
        return db_send(st, err);
    }
    char *arr = id_array(b->ids, b->folded, b->n, '{', '}');
    if (!arr)
        return ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
    int rc;
    {
        PREPARE(tx, notices ? "WITH " APPEAL_CTES ", " OUTBOX_CTES MOVE_MARK
                            : "WITH " APPEAL_CTES " SELECT 1");
        db_bind_text(st, 1, arr);
        rc = db_send(st, err);
    }
    free(arr);
    if (!rc)
        b->folded = b->n;
    return rc;
}

int store_stat_flush(store_tx_t *tx, ot_err_t *err)
{
    return fold(tx, 0, err);
}

int store_stat_flush_all(store_tx_t *tx, ot_err_t *err)
{
    return fold(tx, 1, err);
}
