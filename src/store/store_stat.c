/* The report aggregates of the writer's transactions on PostgreSQL (issue 19 point 7).
 *
 * stat_appeal_ins (migration 5, a PL/pgSQL trigger) adds each new appeal to stat_day (whose
 * own trigger carries it on to stat_month), stat_cd and, for an appeal inserted answered,
 * stat_wd_day and stat_ans_month: three or four upserts and two PL/pgSQL calls per appeal,
 * about a tenth of PostgreSQL's CPU under intake (perf, docs/postgresql.md). In the writer's
 * transaction the trigger is off (its WHEN reads otinish.stat_batch, set here for the
 * transaction, migration 39), the ids of the appeals inserted are kept here, and
 * store_stat_flush counts them with one statement, as the trigger would have, row by row:
 * the same sums, one upsert per aggregate row the batch touches.
 *
 * The statement reads the appeals as they are when it runs, the trigger read them as they
 * were inserted: so it runs before anything changes an appeal (store_appeal_update,
 * store_appeal_set_terms) or recounts the aggregates, and before the commit. A unit rolled
 * back takes its appeals with it (their ids match no row) and, when it ran the statement,
 * the counts too: store.c sets stat.n and stat.folded back to where they were before it.
 * SQLite keeps its triggers (in-process, cheap). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

int store_stat_begin(store_tx_t *tx, ot_err_t *err)
{
    tx->stat.on = 0;
    tx->stat.n = tx->stat.folded = 0;
    if (strcmp(db_engine(tx->db), "postgresql"))
        return OT_OK;
    /* sent with the first statement of the transaction, before any savepoint: a unit's
     * savepoint rolled back would take a SET LOCAL made inside it back */
    PREPARE(tx, "SELECT set_config('otinish.stat_batch', 'on', true)");
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

void store_stat_end(store_tx_t *tx)
{
    free(tx->stat.ids);
    memset(&tx->stat, 0, sizeof tx->stat);
}

/* clang-format off */
/* 1 when the condition holds, else 0 */
#define B(cond)  "CASE WHEN " cond " THEN 1 ELSE 0 END"
#define RESOLVED "decision IN ('satisfied', 'partly_satisfied')"
#define WD(col) \
    "(SELECT wd FROM cal_wd w WHERE w.jurisdiction = n.jurisdiction AND w.day = n." col ")"
/* The columns a stat_day row adds up, as the union below gives them */
#define SUMS \
    "sum(received), sum(answered), sum(on_time), sum(resolved), sum(explained), sum(refused)," \
    " sum(complaints), sum(upheld), sum(repeats), sum(r1), sum(r2), sum(r3), sum(r4), sum(r5)"
#define ADD(c) c " = stat_day." c " + excluded." c
/* migration 5's stat_appeal_ins (as migration 38 left it) over the appeals of ? at once */
#define FOLD_SQL \
    "WITH n AS (SELECT * FROM appeals WHERE id = ANY (CAST(? AS BIGINT[])))," \
    " d AS (INSERT INTO stat_day (body, day, received, answered, on_time, resolved, explained," \
    "  refused, complaints, upheld, repeats, r1, r2, r3, r4, r5)" \
    "  SELECT body, day, " SUMS " FROM (" \
    "   SELECT body, registered_on AS day, 1 AS received," \
    "    " B("answered_on IS NOT NULL") " AS answered, " B("answered_on <= due_on") " AS on_time," \
    "    " B(RESOLVED) " AS resolved, " B("decision = 'explained'") " AS explained," \
    "    " B("decision = 'refused'") " AS refused, 0 AS complaints, 0 AS upheld, 0 AS repeats," \
    "    " B("rating = 1") " AS r1, " B("rating = 2") " AS r2, " B("rating = 3") " AS r3," \
    "    " B("rating = 4") " AS r4, " B("rating = 5") " AS r5 FROM n" \
    "   UNION ALL SELECT p.body, n.registered_on, 0, 0, 0, 0, 0, 0, 1, " B("n." RESOLVED) "," \
    "    0, 0, 0, 0, 0, 0 FROM n JOIN appeals p ON p.id = n.parent_id WHERE n.link = 'complaint'" \
    "   UNION ALL SELECT o.body, n.registered_on, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0" \
    "    FROM n JOIN appeals o ON o.id = n.repeat_of WHERE o.answered_at IS NOT NULL" \
    "    AND o.answered_at <= n.received_at" \
    "    AND n.received_at - o.answered_at <= 365 * 86400000000) x" \
    "  GROUP BY day, body" \
    "  ON CONFLICT (day, body) DO UPDATE SET " ADD("received") ", " ADD("answered") "," \
    "   " ADD("on_time") ", " ADD("resolved") ", " ADD("explained") ", " ADD("refused") "," \
    "   " ADD("complaints") ", " ADD("upheld") ", " ADD("repeats") ", " ADD("r1") "," \
    "   " ADD("r2") ", " ADD("r3") ", " ADD("r4") ", " ADD("r5") ")," \
    " w AS (INSERT INTO stat_wd_day (day, body, days, n)" \
    "  SELECT registered_on, body, coalesce(" WD("answered_on") " - " WD("registered_on") "," \
    "   answered_on::date - registered_on::date) AS days, count(*)" \
    "  FROM n WHERE answered_on IS NOT NULL GROUP BY registered_on, body, days" \
    "  ON CONFLICT (day, body, days) DO UPDATE SET n = stat_wd_day.n + excluded.n)," \
    " m AS (INSERT INTO stat_ans_month (month, body, n)" \
    "  SELECT substr(answered_on, 1, 7), body, count(*) FROM n WHERE answered_on IS NOT NULL" \
    "  GROUP BY substr(answered_on, 1, 7), body" \
    "  ON CONFLICT (month, body) DO UPDATE SET n = stat_ans_month.n + excluded.n)" \
    " INSERT INTO stat_cd (month, category, district, n)" \
    "  SELECT substr(registered_on, 1, 7), category, coalesce(district, ''), count(*) FROM n" \
    "  GROUP BY substr(registered_on, 1, 7), category, coalesce(district, '')" \
    "  ON CONFLICT (month, category, district) DO UPDATE SET n = stat_cd.n + excluded.n"
/* clang-format on */

int store_stat_flush(store_tx_t *tx, ot_err_t *err)
{
    struct stat_batch *b = &tx->stat;
    if (!b->on || b->folded >= b->n)
        return OT_OK;
    /* the ids as an array literal: {1,2,3} */
    size_t len = 3 + (b->n - b->folded) * 21;
    char *arr = malloc(len), *o = arr;
    if (!arr)
        return ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
    *o++ = '{';
    for (size_t i = b->folded; i < b->n; i++)
        o += sprintf(o, "%s%" PRId64, i > b->folded ? "," : "", b->ids[i]);
    strcpy(o, "}");
    int rc;
    {
        PREPARE(tx, FOLD_SQL);
        db_bind_text(st, 1, arr);
        rc = db_run(st, NULL, err);
    }
    free(arr);
    if (!rc)
        b->folded = b->n;
    return rc;
}
