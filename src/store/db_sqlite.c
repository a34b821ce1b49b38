/* SQLite engine of the database driver (db.h). */
#include "store/db.h"
#include "store/db_engine.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/search_sqlite.h"
#include "store/sqlite_walbuf.h"

/* Prepared statements are cached per connection, keyed by the address of the SQL literal:
 * a repository's query is prepared once per connection and then only reset. */
struct sq_stmt {
    db_stmt_t base; /* the engine's table (db_engine.h) */
    sqlite3_stmt *h;
};

struct cache_slot {
    const char *sql;
    struct sq_stmt *st;
};

struct sq_db {
    db_t base;
    sqlite3 *h;
    struct cache_slot *slots;
    size_t n_slots, n_used;
};

#define ST(x) (((struct sq_stmt *)(x))->h)
#define SQ(x) ((struct sq_db *)(x))

static int fail(struct sq_db *db, ot_err_t *err, int src, const char *what)
{
    int status = OT_EINTERNAL;
    const char *code = "store_error";
    int prim = src & 0xff;
    if (prim == SQLITE_CONSTRAINT) {
        status = OT_ECONFLICT;
        code = "constraint";
    } else if (prim == SQLITE_BUSY || prim == SQLITE_LOCKED) {
        status = OT_EUNAVAIL;
        code = "store_busy";
    } else if (prim == SQLITE_FULL) { /* the disk (or a quota) is full: retry once there is room */
        status = OT_EUNAVAIL;
        code = "disk_full";
    }
    return ot_err(err, status, code, NULL, "%s: %s", what, db ? sqlite3_errmsg(db->h) : "?");
}

/* SQLite counts the memory it uses under one global mutex taken on every allocation, for
 * sqlite3_memory_used() which nothing here reads: off. Must run before SQLite initialises
 * itself. */
static void sq_close(db_t *dbh);
static int sq_exec(db_t *dbh, const char *sql, ot_err_t *err);

static int walbuf_rc = SQLITE_ERROR;

static void engine_config(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    walbuf_rc = walbuf_register();
}

static int sq_open(const char *path, int create, db_t **out, ot_err_t *err)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, engine_config);
    struct sq_db *db = calloc(1, sizeof *db);
    if (!db)
        return ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
    db->base.ops = &db_sqlite_ops;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
    int rc = sqlite3_open_v2(path, &db->h, flags, walbuf_rc == SQLITE_OK ? WALBUF_VFS : NULL);
    if (rc != SQLITE_OK) {
        int r = ot_err(err, rc == SQLITE_CANTOPEN ? OT_ENOTFOUND : OT_EINTERNAL, "store_open", NULL,
                       "cannot open database %s: %s", path,
                       db->h ? sqlite3_errmsg(db->h) : sqlite3_errstr(rc));
        sq_close(&db->base);
        return r;
    }
    sqlite3_extended_result_codes(db->h, 1);
    sqlite3_busy_timeout(db->h, 10000);
    /* the search index's tokenizer: every connection may write or read it */
    if ((rc = search_sqlite_register(db->h)) != SQLITE_OK) {
        int r = fail(db, err, rc, "search tokenizer");
        sq_close(&db->base);
        return r;
    }
    /* A committed transaction must survive a power cut: WAL + synchronous=FULL fsyncs the
     * WAL on every commit. Group commit (store.c) makes that one fsync per batch. */
    rc = sq_exec(&db->base,
                 "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
                 /* temp_store stays FILE here: see db_batch_writer */
                 "PRAGMA cache_size=-65536;"
                 /* reads go through the OS page cache, which every connection shares:
                  * the database is mapped in (up to SQLite's compile-time limit, 2 GB in
                  * Debian's build; the part beyond is read into the connection's cache) */
                 "PRAGMA mmap_size=68719476736;",
                 err);
    if (rc) {
        sq_close(&db->base);
        return rc;
    }
    *out = &db->base;
    return OT_OK;
}

static void sq_close(db_t *dbh)
{
    struct sq_db *db = SQ(dbh);
    if (!db)
        return;
    for (size_t i = 0; i < db->n_slots; i++)
        if (db->slots[i].st) {
            sqlite3_finalize(db->slots[i].st->h);
            free(db->slots[i].st);
        }
    free(db->slots);
    sqlite3_close(db->h);
    free(db);
}

static int sq_exec(db_t *dbh, const char *sql, ot_err_t *err)
{
    struct sq_db *db = SQ(dbh);
    char *msg = NULL;
    int rc = sqlite3_exec(db->h, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        int r = fail(db, err, rc, "exec");
        if (err && msg)
            snprintf(err->message, sizeof err->message, "exec: %s", msg);
        sqlite3_free(msg);
        return r;
    }
    return OT_OK;
}

static size_t slot_of(const char *sql, size_t n)
{
    uintptr_t h = (uintptr_t)sql;
    h ^= h >> 17;
    h *= 0x9E3779B97F4A7C15ull;
    return (size_t)(h >> 7) & (n - 1);
}

static int cache_grow(struct sq_db *db)
{
    size_t n = db->n_slots ? db->n_slots * 2 : 64;
    struct cache_slot *s = calloc(n, sizeof *s);
    if (!s)
        return -1;
    for (size_t i = 0; i < db->n_slots; i++) {
        if (!db->slots[i].sql)
            continue;
        size_t j = slot_of(db->slots[i].sql, n);
        while (s[j].sql)
            j = (j + 1) & (n - 1);
        s[j] = db->slots[i];
    }
    free(db->slots);
    db->slots = s;
    db->n_slots = n;
    return 0;
}

static db_stmt_t *sq_prepare(db_t *dbh, const char *sql, ot_err_t *err)
{
    struct sq_db *db = SQ(dbh);
    if (db->n_slots) {
        size_t j = slot_of(sql, db->n_slots);
        while (db->slots[j].sql) {
            if (db->slots[j].sql == sql) {
                struct sq_stmt *st = db->slots[j].st;
                sqlite3_reset(st->h);
                sqlite3_clear_bindings(st->h);
                return &st->base;
            }
            j = (j + 1) & (db->n_slots - 1);
        }
    }
    if ((db->n_used + 1) * 2 > db->n_slots && cache_grow(db)) {
        ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
        return NULL;
    }
    struct sq_stmt *st = calloc(1, sizeof *st);
    if (!st) {
        ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
        return NULL;
    }
    st->base.ops = &db_sqlite_ops;
    int rc = sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st->h, NULL);
    if (rc != SQLITE_OK) {
        fail(db, err, rc, "prepare");
        free(st);
        return NULL;
    }
    size_t j = slot_of(sql, db->n_slots);
    while (db->slots[j].sql)
        j = (j + 1) & (db->n_slots - 1);
    db->slots[j].sql = sql;
    db->slots[j].st = st;
    db->n_used++;
    return &st->base;
}

static db_stmt_t *sq_prepare_temp(db_t *dbh, const char *sql, ot_err_t *err)
{
    struct sq_db *db = SQ(dbh);
    struct sq_stmt *st = calloc(1, sizeof *st);
    if (!st) {
        ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
        return NULL;
    }
    st->base.ops = &db_sqlite_ops;
    int rc = sqlite3_prepare_v2(db->h, sql, -1, &st->h, NULL);
    if (rc != SQLITE_OK) {
        fail(db, err, rc, "prepare");
        free(st);
        return NULL;
    }
    return &st->base;
}

static void sq_finalize(db_stmt_t *st)
{
    sqlite3_finalize(ST(st));
    free(st);
}

static int sq_bind_int64(db_stmt_t *st, int i, int64_t v)
{
    return sqlite3_bind_int64(ST(st), i, v) == SQLITE_OK ? OT_OK : OT_EINTERNAL;
}

static int sq_bind_double(db_stmt_t *st, int i, double v)
{
    return sqlite3_bind_double(ST(st), i, v) == SQLITE_OK ? OT_OK : OT_EINTERNAL;
}

static int sq_bind_text(db_stmt_t *st, int i, const char *s)
{
    int rc =
        s ? sqlite3_bind_text(ST(st), i, s, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(ST(st), i);
    return rc == SQLITE_OK ? OT_OK : OT_EINTERNAL;
}

static int sq_bind_blob(db_stmt_t *st, int i, const void *p, size_t n)
{
    return sqlite3_bind_blob64(ST(st), i, p, n, SQLITE_TRANSIENT) == SQLITE_OK ? OT_OK
                                                                               : OT_EINTERNAL;
}

static int sq_bind_null(db_stmt_t *st, int i)
{
    return sqlite3_bind_null(ST(st), i) == SQLITE_OK ? OT_OK : OT_EINTERNAL;
}

static int sq_step(db_stmt_t *st, ot_err_t *err)
{
    int rc = sqlite3_step(ST(st));
    if (rc == SQLITE_ROW)
        return DB_ROW;
    if (rc == SQLITE_DONE)
        return DB_DONE;
    sqlite3 *h = sqlite3_db_handle(ST(st));
    int prim = rc & 0xff;
    int status = prim == SQLITE_CONSTRAINT ? OT_ECONFLICT
                 : (prim == SQLITE_BUSY || prim == SQLITE_LOCKED || prim == SQLITE_FULL)
                     ? OT_EUNAVAIL
                     : OT_EINTERNAL;
    ot_err(err, status,
           status == OT_ECONFLICT ? "constraint"
           : prim == SQLITE_FULL  ? "disk_full"
                                  : "store_error",
           NULL, "%s", sqlite3_errmsg(h));
    sqlite3_reset(ST(st));
    return -status;
}

static int64_t sq_col_int64(db_stmt_t *st, int i)
{
    return sqlite3_column_int64(ST(st), i);
}

static double sq_col_double(db_stmt_t *st, int i)
{
    return sqlite3_column_double(ST(st), i);
}

static const char *sq_col_text(db_stmt_t *st, int i)
{
    return (const char *)sqlite3_column_text(ST(st), i);
}

static const void *sq_col_blob(db_stmt_t *st, int i, size_t *n)
{
    const void *p = sqlite3_column_blob(ST(st), i);
    *n = (size_t)sqlite3_column_bytes(ST(st), i);
    return p;
}

static int sq_col_count(db_stmt_t *st)
{
    return sqlite3_column_count(ST(st));
}

static const char *sq_col_name(db_stmt_t *st, int i)
{
    return sqlite3_column_name(ST(st), i);
}

static int sq_col_is_null(db_stmt_t *st, int i)
{
    return sqlite3_column_type(ST(st), i) == SQLITE_NULL;
}

static int sq_run(db_stmt_t *st, int64_t *out, ot_err_t *err)
{
    int rc = sq_step(st, err);
    if (rc < 0)
        return -rc;
    if (out) {
        if (rc != DB_ROW) {
            sqlite3_reset(ST(st));
            return ot_err(err, OT_ENOTFOUND, "not_found", NULL, "no row");
        }
        *out = sqlite3_column_int64(ST(st), 0);
    }
    sqlite3_reset(ST(st));
    return OT_OK;
}

static void sq_reset(db_stmt_t *st)
{
    sqlite3_reset(ST(st));
}

/* 2 MiB: bench/scale.sh at 1,050,831 appeals gave the same list throughput with 2 and 8 MiB,
 * and with the 64 MiB every connection had before */
static int sq_reader(db_t *dbh, ot_err_t *err)
{
    return sq_exec(dbh, "PRAGMA cache_size=-2048", err);
}

/* The writer's connection: savepoint journals in memory (docs/group-commit.md), and the WAL
 * checkpointed every 8,192 pages (32 MB) instead of 1,000: a checkpoint, run by the committing
 * writer, copies every page of the WAL into the database file and fsyncs it, and the pages
 * that most intakes touch (the tails of the appeals' indexes, the events, the outbox, the
 * counters) were copied once per 1,000 pages of WAL, i.e. every few batches at 1M appeals.
 * Measured at 1,051,600 appeals, 64 clients, the same run (load 12-15): varied appeals 294 ->
 * 403/s, one appeal again and again 849 -> 1,179/s; bytes written per appeal 110 -> 86 KB. */
static int sq_batch_writer(db_t *dbh, ot_err_t *err)
{
    return sq_exec(dbh, "PRAGMA temp_store=MEMORY; PRAGMA wal_autocheckpoint=8192", err);
}

static int64_t sq_changes(db_t *dbh)
{
    struct sq_db *db = SQ(dbh);
    return sqlite3_changes64(db->h);
}

static int64_t sq_last_id(db_t *dbh)
{
    struct sq_db *db = SQ(dbh);
    return sqlite3_last_insert_rowid(db->h);
}

/* Transaction statements go through the statement cache too: sqlite3_exec would parse the
 * text again on every request. */
static int run_literal(db_t *db, const char *sql, ot_err_t *err)
{
    db_stmt_t *st = sq_prepare(db, sql, err);
    return st ? sq_run(st, NULL, err) : (err ? err->status : OT_EINTERNAL);
}

static int sq_begin(db_t *dbh, int write, ot_err_t *err)
{
    return run_literal(dbh, write ? "BEGIN IMMEDIATE" : "BEGIN", err);
}

static int sq_commit(db_t *dbh, ot_err_t *err)
{
    return run_literal(dbh, "COMMIT", err);
}

static void sq_rollback(db_t *dbh)
{
    struct sq_db *db = SQ(dbh);
    if (!sqlite3_get_autocommit(db->h))
        run_literal(dbh, "ROLLBACK", NULL);
}

static int sq_savepoint(db_t *dbh, ot_err_t *err)
{
    return sq_exec(dbh, "SAVEPOINT unit", err);
}

static int sq_release(db_t *dbh, ot_err_t *err)
{
    return sq_exec(dbh, "RELEASE unit", err);
}

static void sq_rollback_to(db_t *dbh)
{
    struct sq_db *db = SQ(dbh);
    sqlite3_exec(db->h, "ROLLBACK TO unit; RELEASE unit", NULL, NULL, NULL);
}

static int sq_checkpoint(db_t *dbh, int keep, int64_t *wal_bytes, ot_err_t *err)
{
    struct sq_db *db = SQ(dbh);
    int log = 0, done = 0;
    int rc = sqlite3_wal_checkpoint_v2(
        db->h, NULL, keep ? SQLITE_CHECKPOINT_RESTART : SQLITE_CHECKPOINT_TRUNCATE, &log, &done);
    if (rc == SQLITE_BUSY && keep)
        rc = SQLITE_OK; /* a reader holds the log's start: what could be copied was */
    if (rc != SQLITE_OK)
        return fail(db, err, rc, "checkpoint");
    sqlite3_stmt *st = NULL;
    int64_t page = 0;
    if (log > 0 && sqlite3_prepare_v2(db->h, "PRAGMA page_size", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        page = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    /* the WAL's header, then each frame: its header and one page */
    *wal_bytes = log > 0 ? (int64_t)log * (page + 24) + 32 : 0;
    return OT_OK;
}

static int sq_in_tx(db_t *dbh)
{
    struct sq_db *db = SQ(dbh);
    return !sqlite3_get_autocommit(db->h);
}

/* ==== Online backup (store_backup.c) ==== */

static int sq_backup(db_t *src, const char *dest, ot_err_t *err)
{
    sqlite3 *out = NULL;
    int rc = sqlite3_open_v2(dest, &out, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc != SQLITE_OK) {
        int r = ot_err(err, OT_EINTERNAL, "backup_open", "to", "cannot create %s: %s", dest,
                       out ? sqlite3_errmsg(out) : sqlite3_errstr(rc));
        sqlite3_close(out);
        return r;
    }
    /* one step of all pages: the copy is one read transaction of the source, a consistent
     * snapshot, while the writer goes on committing into the WAL (readers do not block it) */
    sqlite3_backup *b = sqlite3_backup_init(out, "main", SQ(src)->h, "main");
    if (!b) {
        int r = ot_err(err, OT_EINTERNAL, "backup_failed", NULL, "backup: %s", sqlite3_errmsg(out));
        sqlite3_close(out);
        return r;
    }
    rc = sqlite3_backup_step(b, -1);
    sqlite3_backup_finish(b);
    int r = OT_OK;
    if (rc != SQLITE_DONE)
        r = ot_err(err, rc == SQLITE_BUSY || rc == SQLITE_LOCKED ? OT_EUNAVAIL : OT_EINTERNAL,
                   "backup_failed", NULL, "backup: %s", sqlite3_errstr(rc));
    if (sqlite3_close(out) != SQLITE_OK && !r)
        r = ot_err(err, OT_EINTERNAL, "backup_failed", NULL, "backup: cannot close %s", dest);
    return r;
}

static int sq_integrity_check(db_t *dbh, char *problem, size_t n, ot_err_t *err)
{
    struct sq_db *db = SQ(dbh);
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db->h, "PRAGMA integrity_check(1)", -1, &st, NULL);
    if (rc != SQLITE_OK)
        return fail(db, err, rc, "integrity_check");
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const char *r = (const char *)sqlite3_column_text(st, 0);
        snprintf(problem, n, "%s", r && strcmp(r, "ok") == 0 ? "" : r ? r : "no answer");
        for (char *c = problem; *c; c++) /* one line: "*** in database main ***\nOn page..." */
            if (*c == '\n')
                *c = ' ';
        rc = OT_OK;
    } else
        rc = fail(db, err, rc, "integrity_check");
    sqlite3_finalize(st);
    return rc;
}

/* One process serves an SQLite file (its own lock keeps a second `serve` out of the
 * writer's way): whoever asks holds the role. */
static int sq_session_lock(db_t *dbh, int64_t key, int lapse_ms, int *held, ot_err_t *err)
{
    (void)dbh;
    (void)key;
    (void)lapse_ms;
    (void)err;
    *held = 1;
    return OT_OK;
}

/* Nothing to fence: no other process runs a job on this file. */
static int sq_fence(db_t *dbh, int64_t key, int holder, ot_err_t *err)
{
    (void)dbh;
    (void)key;
    (void)holder;
    (void)err;
    return OT_OK;
}

/* Nothing to limit: a stopped process holds up no other (one process serves a file). */
static int sq_idle_limit(db_t *dbh, int ms, ot_err_t *err)
{
    (void)dbh;
    (void)ms;
    (void)err;
    return OT_OK;
}

static int sq_read_only(db_t *dbh, ot_err_t *err)
{
    return sq_exec(dbh, "PRAGMA query_only = 1", err);
}

/* db_send: at once (an in-process call has no round trip to save) */
static int sq_send(db_stmt_t *st, ot_err_t *err)
{
    return sq_run(st, NULL, err);
}

/* db_prefetch: nothing ahead of time (db_step runs it in process) */
static int sq_prefetch(db_stmt_t *st, ot_err_t *err)
{
    (void)st;
    (void)err;
    return OT_OK;
}

/* one process serves an SQLite file: nothing to hear from other nodes */
static int sq_notifies(db_t *dbh, const char *channel, int sync,
                       void (*fn)(const char *payload, void *arg), void *arg, int *fresh,
                       ot_err_t *err)
{
    (void)dbh;
    (void)channel;
    (void)sync;
    (void)fn;
    (void)arg;
    *fresh = 0;
    return ot_err(err, OT_EINTERNAL, "no_notifications", NULL,
                  "SQLite has no change notifications");
}

/* clang-format off */
const struct db_ops db_sqlite_ops = {
    "sqlite",        sq_open,       sq_close,       sq_exec,        sq_prepare,
    sq_prepare_temp, sq_finalize,   sq_bind_int64,  sq_bind_double, sq_bind_text,
    sq_bind_blob,    sq_bind_null,  sq_step,        sq_col_int64,   sq_col_double,
    sq_col_text,     sq_col_blob,   sq_col_is_null, sq_col_count,   sq_run,
    sq_reset,        sq_changes,    sq_last_id,     sq_begin,       sq_commit,
    sq_rollback,     sq_savepoint,  sq_release,     sq_rollback_to, sq_reader,
    sq_batch_writer, sq_checkpoint, sq_in_tx,       sq_backup,      sq_integrity_check,
    sq_col_name,
    sq_session_lock, sq_fence,     sq_idle_limit,  sq_read_only, /* issue 19: roles, replica */
    sq_send,         sq_prefetch,
    sq_notifies, /* issue 19 point 7: the page cache's invalidations */
};
/* clang-format on */
