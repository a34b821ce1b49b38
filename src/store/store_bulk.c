/* Bulk loading: see store_bulk.h. */
#include "store/store_bulk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"
#include "store/store_seal.h"
#include "util/log.h"
#include "store/store_report.h"
#include "store/store_search.h"

/* the page cache of the writer during a bulk load, and after it (db_sqlite.c's default) */
#define BULK_CACHE   "-2097152" /* KiB: 2 GiB */
#define WRITER_CACHE "-65536"
/* During a load no automatic checkpoint at commit: the loader checkpoints after every chunk
 * itself (svc_write_bulk). The connection's own setting is read first and set back at the
 * end (the batch writer checkpoints every 8,192 pages, a plain connection every 1,000). */
#define BULK_PRAGMAS "PRAGMA wal_autocheckpoint=0"

typedef struct dropped {
    char *drop; /* DROP INDEX "name" */
    char *make; /* its CREATE statement, as sqlite_master keeps it */
} dropped_t;

/* The end of a load goes in steps (store_bulk_end_step), each its own transaction when the
 * caller wants (svc_write_bulk), so that the WAL stays bounded: at 1,000,000 demo appeals
 * the end in one transaction wrote about as much as the load (indexes, a seal per record,
 * the search index) into one WAL. */
enum { END_MAKE, END_SEAL, END_REPORT, END_SEARCH, END_DONE };
#define SEAL_SPAN   100000 /* records sealed per step */
#define SEARCH_SPAN 200000 /* appeal ids indexed per step */

struct store_bulk {
    dropped_t *objs;
    size_t n;
    int phase;
    size_t made;             /* END_MAKE: objects made again so far */
    int64_t at;              /* END_SEAL: the time of the seals */
    seal_cursor_t sealed;    /* END_SEAL: where the next span of seals begins */
    search_rebuild_t search; /* END_SEARCH: where the rebuild of the search index is */
    int64_t autockpt;        /* the connection's wal_autocheckpoint before the load */
};

void store_bulk_free(store_bulk_t *b)
{
    if (!b)
        return;
    for (size_t i = 0; i < b->n; i++) {
        free(b->objs[i].drop);
        free(b->objs[i].make);
    }
    free(b->objs);
    free(b);
}

/* sql ("CREATE [UNIQUE] INDEX ..." or "CREATE TRIGGER ...", as sqlite_master keeps it)
 * with IF NOT EXISTS, malloc'd: making it again is then harmless, so that a load stopped
 * half way through its end (some made, some not) is recovered by running them all */
static char *if_not_exists(const char *sql)
{
    static const char *const heads[] = {"CREATE UNIQUE INDEX ", "CREATE INDEX ", "CREATE TRIGGER "};
    for (size_t i = 0; i < sizeof heads / sizeof heads[0]; i++) {
        size_t h = strlen(heads[i]);
        if (strncmp(sql, heads[i], h) || !strncmp(sql + h, "IF NOT EXISTS ", 14))
            continue;
        char *out = malloc(strlen(sql) + 15);
        if (out)
            sprintf(out, "%sIF NOT EXISTS %s", heads[i], sql + h);
        return out;
    }
    return strdup(sql);
}

static int keep(store_bulk_t *b, const char *type, const char *name, const char *sql)
{
    dropped_t *grown = realloc(b->objs, (b->n + 1) * sizeof *grown);
    if (!grown)
        return -1;
    b->objs = grown;
    dropped_t *o = &b->objs[b->n];
    size_t n = strlen(type) + strlen(name) + 16;
    o->drop = malloc(n);
    o->make = if_not_exists(sql);
    if (o->drop)
        snprintf(o->drop, n, "DROP %s \"%s\"", type, name);
    b->n++; /* freed with b even when half made */
    return o->drop && o->make ? 0 : -1;
}

/* What is dropped, as the SQL that makes it again, in meta (key bulk_pending) in the same
 * transaction as the drops: a load committed in chunks that stops half way (a crash, a full
 * disk) leaves the schema without them, and store_bulk_recover makes them again. */
static int keep_pending(store_tx_t *tx, const store_bulk_t *b, ot_err_t *err)
{
    size_t n = 1;
    for (size_t i = 0; i < b->n; i++)
        n += strlen(b->objs[i].make) + 2;
    char *sql = malloc(n), *o = sql;
    if (!sql)
        return ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
    for (size_t i = 0; i < b->n; i++)
        o += sprintf(o, "%s;\n", b->objs[i].make);
    *o = '\0';
    int rc;
    {
        PREPARE(tx, "INSERT INTO meta (key, value) VALUES ('bulk_pending', ?)"
                    " ON CONFLICT (key) DO UPDATE SET value = excluded.value");
        db_bind_text(st, 1, sql);
        rc = db_run(st, NULL, err);
    }
    free(sql);
    return rc;
}

static int drop_pending(store_tx_t *tx, ot_err_t *err)
{
    PREPARE(tx, "DELETE FROM meta WHERE key = 'bulk_pending'");
    return db_run(st, NULL, err);
}

int store_bulk_pending(store_tx_t *tx, int *pending, ot_err_t *err)
{
    int64_t n = 0;
    PREPARE(tx, "SELECT count(*) FROM meta WHERE key = 'bulk_pending'");
    int rc = db_run(st, &n, err);
    *pending = n > 0;
    return rc;
}

int store_bulk_recover(store_tx_t *tx, int *recovered, ot_err_t *err)
{
    *recovered = 0;
    char *sql = NULL;
    {
        PREPARE(tx, "SELECT value FROM meta WHERE key = 'bulk_pending'");
        int rc = db_step(st, err);
        if (rc < 0)
            return -rc;
        if (rc == DB_ROW)
            sql = store_dup_col(st, 0);
        db_reset(st);
        if (rc == DB_ROW && !sql)
            return ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
    }
    if (!sql)
        return OT_OK;
    int rc = db_exec(tx->db, sql, err);
    free(sql);
    int64_t sealed;
    if (!rc)
        rc = drop_pending(tx, err);
    if (!rc)
        rc = store_seal_unsealed(tx, clock_now_us(), &sealed, err);
    if (!rc)
        rc = store_report_rebuild(tx, err);
    if (!rc)
        rc = store_search_rebuild(tx, err);
    *recovered = !rc;
    return rc;
}

/* Dropped: the secondary indexes of appeals, events and outbox (the notices), the
 * problems' indexes that only staff lists read, the statistics triggers of appeals; the
 * search index is not kept in step (store_search_defer) and is rebuilt at the end.
 * Kept: appeals_parent (a partial index of the few linked appeals), which every complaint's
 * intake reads for the first complaint on its appeal (without it each one scanned the table:
 * init --demo 10000 1.7 -> 3.0 s); appeals_problem (the covering index of the appeals grouped
 * into problems), which every intake and action reads for the problem's summary, its
 * earlier answers and the repeat rule (issue 17); problems_place and problems_cell, the
 * grouping's look-up of candidate problems at intake; the UNIQUE constraints (they have no
 * SQL of their own here); the triggers that keep events append-only. */
int store_bulk_begin(store_tx_t *tx, store_bulk_t **out, ot_err_t *err)
{
    *out = NULL;
    if (store_is_pg(tx)) {
        /* PostgreSQL (issue 19, first stage): nothing is dropped, the load keeps every index
         * and trigger up to date as it goes (slower, not wrong); store_bulk_end still
         * rebuilds the aggregates, and seals the load's records at its end as on SQLite
         * (below): sealed event by event, an appeal the load changed later without an event
         * of its own (an earlier appeal of a problem marked re-raised at the intake of the
         * next) kept the seal of its last event, and `audit verify` on the demo found 16 of
         * 2,656 records differing (tests/api/sweep_resume.c) */
        *out = calloc(1, sizeof **out);
        if (*out)
            store_set_unsealed(tx->store, 1);
        return *out ? OT_OK : ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
    }
    PREPARE(tx, "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND"
                " ((type = 'trigger' AND tbl_name = 'appeals') OR (type = 'index'"
                " AND tbl_name IN ('appeals', 'events', 'outbox', 'problems')"
                " AND name NOT IN ('appeals_parent', 'appeals_problem', 'problems_place',"
                " 'problems_cell')))"
                " ORDER BY type, name");
    store_bulk_t *b = calloc(1, sizeof *b);
    if (!b)
        return ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
    int rc = OT_OK, step;
    while ((step = db_step(st, err)) == DB_ROW)
        if (keep(b, db_col_text(st, 0), db_col_text(st, 1), db_col_text(st, 2))) {
            step = -ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
            break;
        }
    db_reset(st); /* the walk of the schema ends before the schema changes */
    if (step < 0)
        rc = -step;
    for (size_t i = 0; !rc && i < b->n; i++)
        rc = db_exec(tx->db, b->objs[i].drop, err);
    if (!rc)
        rc = keep_pending(tx, b, err);
    /* a large page cache for the load (BULK_CACHE): Debian's SQLite maps at most 2 GB of
     * the file in, and beyond that (about 300,000 demo appeals) every page the load touches
     * again went through the writer's 64 MiB cache: the recent weeks' appeals, problems and
     * notices no longer fitted, pages were read back and dirty ones spilled to the WAL
     * mid-transaction. 2 GiB since the demo's chunks grew to 500,000 steps (demo.c): such
     * a chunk leaves about 0.8 GB of dirty pages at 1M appeals, besides the pages it reads */
    if (!rc && !(st = db_prepare(tx->db, "PRAGMA wal_autocheckpoint", err)))
        rc = err ? err->status : OT_EINTERNAL;
    if (!rc) /* set back at the end (store_bulk_end_step) */
        rc = db_run(st, &b->autockpt, err);
    if (!rc)
        rc = db_exec(tx->db, "PRAGMA cache_size=" BULK_CACHE "; " BULK_PRAGMAS, err);
    if (rc) {
        store_bulk_free(b);
        return rc;
    }
    /* the search index too is made once at the end (store_search_rebuild) */
    store_search_defer(tx->store, 1);
    /* the load's events are sealed once per record at its end, not one by one: a record's
     * latest seal is what verify compares (4.7 events an appeal in the demo) */
    store_set_unsealed(tx->store, 1);
    *out = b;
    return OT_OK;
}

int store_bulk_end_step(store_tx_t *tx, store_bulk_t *b, int *done, ot_err_t *err)
{
    int rc = OT_OK, last = 0;
    int64_t n;
    *done = 0;
    switch (b->phase) {
    case END_MAKE: /* one index (a sort of its table) per step */
        if (b->made < b->n && (rc = db_exec(tx->db, b->objs[b->made].make, err)))
            return rc;
        if (++b->made < b->n)
            return OT_OK;
        store_search_defer(tx->store, 0);
        store_set_unsealed(tx->store, 0);
        b->at = clock_now_us();
        b->phase = END_SEAL;
        return OT_OK;
    case END_SEAL:
        if ((rc = store_seal_unsealed_upto(tx, b->at, SEAL_SPAN, &b->sealed, &n, err)))
            return rc;
        if (n >= SEAL_SPAN)
            return OT_OK;
        b->phase = END_REPORT;
        return OT_OK;
    case END_REPORT:
        if ((rc = store_report_rebuild(tx, err)))
            return rc;
        b->phase = END_SEARCH;
        return OT_OK;
    case END_SEARCH:
        if ((rc = store_search_rebuild_span(tx, &b->search, SEARCH_SPAN, &last, err)) || !last)
            return rc;
        /* what was dropped is whole again: nothing left to recover */
        if ((rc = drop_pending(tx, err)))
            return rc;
        if (!store_is_pg(tx)) {
            char sql[96];
            snprintf(sql, sizeof sql,
                     "PRAGMA cache_size=" WRITER_CACHE "; PRAGMA wal_autocheckpoint=%d",
                     (int)b->autockpt);
            if ((rc = db_exec(tx->db, sql, err)))
                return rc;
        }
        b->phase = END_DONE;
        *done = 1;
        return OT_OK;
    default:
        *done = 1;
        return OT_OK;
    }
}

void store_bulk_seal(store_tx_t *tx, int on)
{
    store_set_unsealed(tx->store, !on);
}

const char *store_bulk_phase(const store_bulk_t *b)
{
    static const char *const names[] = {"index", "seal", "report", "search", "done"};
    return b && b->phase >= 0 && b->phase <= END_DONE ? names[b->phase] : "done";
}

int store_bulk_end(store_tx_t *tx, store_bulk_t *b, ot_err_t *err)
{
    int rc = OT_OK, done = 0;
    while (!rc && !done)
        rc = store_bulk_end_step(tx, b, &done, err);
    store_bulk_free(b);
    return rc;
}
