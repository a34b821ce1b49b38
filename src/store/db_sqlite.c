/* SQLite engine of the database driver (db.h). */
#include "store/db.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Prepared statements are cached per connection, keyed by the address of the SQL literal:
 * a repository's query is prepared once per connection and then only reset. */
struct cache_slot {
    const char *sql;
    sqlite3_stmt *st;
};

struct db {
    sqlite3 *h;
    struct cache_slot *slots;
    size_t n_slots, n_used;
};

#define ST(x) ((sqlite3_stmt *)(x))

static int fail(db_t *db, ot_err_t *err, int src, const char *what)
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
static void engine_config(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int db_open(const char *path, int create, db_t **out, ot_err_t *err)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, engine_config);
    db_t *db = calloc(1, sizeof *db);
    if (!db)
        return ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
    int rc = sqlite3_open_v2(path, &db->h, flags, NULL);
    if (rc != SQLITE_OK) {
        int r = ot_err(err, rc == SQLITE_CANTOPEN ? OT_ENOTFOUND : OT_EINTERNAL, "store_open", NULL,
                       "cannot open database %s: %s", path,
                       db->h ? sqlite3_errmsg(db->h) : sqlite3_errstr(rc));
        db_close(db);
        return r;
    }
    sqlite3_extended_result_codes(db->h, 1);
    sqlite3_busy_timeout(db->h, 10000);
    /* A committed transaction must survive a power cut: WAL + synchronous=FULL fsyncs the
     * WAL on every commit. Group commit (store.c) makes that one fsync per batch. */
    rc = db_exec(db,
                 "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
                 /* temp_store stays FILE here: see db_batch_writer */
                 "PRAGMA cache_size=-65536;"
                 /* reads go through the OS page cache, which every connection shares:
                  * the database is mapped in (up to SQLite's compile-time limit, 2 GB in
                  * Debian's build; the part beyond is read into the connection's cache) */
                 "PRAGMA mmap_size=68719476736;",
                 err);
    if (rc) {
        db_close(db);
        return rc;
    }
    *out = db;
    return OT_OK;
}

void db_close(db_t *db)
{
    if (!db)
        return;
    for (size_t i = 0; i < db->n_slots; i++)
        if (db->slots[i].st)
            sqlite3_finalize(db->slots[i].st);
    free(db->slots);
    sqlite3_close(db->h);
    free(db);
}

const char *db_engine(const db_t *db)
{
    (void)db;
    return "sqlite";
}

int db_exec(db_t *db, const char *sql, ot_err_t *err)
{
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

static int cache_grow(db_t *db)
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

db_stmt_t *db_prepare(db_t *db, const char *sql, ot_err_t *err)
{
    if (db->n_slots) {
        size_t j = slot_of(sql, db->n_slots);
        while (db->slots[j].sql) {
            if (db->slots[j].sql == sql) {
                sqlite3_stmt *st = db->slots[j].st;
                sqlite3_reset(st);
                sqlite3_clear_bindings(st);
                return (db_stmt_t *)st;
            }
            j = (j + 1) & (db->n_slots - 1);
        }
    }
    if ((db->n_used + 1) * 2 > db->n_slots && cache_grow(db)) {
        ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
        return NULL;
    }
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
    if (rc != SQLITE_OK) {
        fail(db, err, rc, "prepare");
        return NULL;
    }
    size_t j = slot_of(sql, db->n_slots);
    while (db->slots[j].sql)
        j = (j + 1) & (db->n_slots - 1);
    db->slots[j].sql = sql;
    db->slots[j].st = st;
    db->n_used++;
    return (db_stmt_t *)st;
}

db_stmt_t *db_prepare_temp(db_t *db, const char *sql, ot_err_t *err)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db->h, sql, -1, &st, NULL);
    if (rc != SQLITE_OK) {
        fail(db, err, rc, "prepare");
        return NULL;
    }
    return (db_stmt_t *)st;
}

void db_finalize(db_stmt_t *st)
{
    sqlite3_finalize(ST(st));
}

int db_bind_int64(db_stmt_t *st, int i, int64_t v)
{
    return sqlite3_bind_int64(ST(st), i, v) == SQLITE_OK ? OT_OK : OT_EINTERNAL;
}

int db_bind_double(db_stmt_t *st, int i, double v)
{
    return sqlite3_bind_double(ST(st), i, v) == SQLITE_OK ? OT_OK : OT_EINTERNAL;
}

int db_bind_text(db_stmt_t *st, int i, const char *s)
{
    int rc =
        s ? sqlite3_bind_text(ST(st), i, s, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(ST(st), i);
    return rc == SQLITE_OK ? OT_OK : OT_EINTERNAL;
}

int db_bind_blob(db_stmt_t *st, int i, const void *p, size_t n)
{
    return sqlite3_bind_blob64(ST(st), i, p, n, SQLITE_TRANSIENT) == SQLITE_OK ? OT_OK
                                                                               : OT_EINTERNAL;
}

int db_bind_null(db_stmt_t *st, int i)
{
    return sqlite3_bind_null(ST(st), i) == SQLITE_OK ? OT_OK : OT_EINTERNAL;
}

int db_step(db_stmt_t *st, ot_err_t *err)
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

int64_t db_col_int64(db_stmt_t *st, int i)
{
    return sqlite3_column_int64(ST(st), i);
}

double db_col_double(db_stmt_t *st, int i)
{
    return sqlite3_column_double(ST(st), i);
}

const char *db_col_text(db_stmt_t *st, int i)
{
    return (const char *)sqlite3_column_text(ST(st), i);
}

const void *db_col_blob(db_stmt_t *st, int i, size_t *n)
{
    const void *p = sqlite3_column_blob(ST(st), i);
    *n = (size_t)sqlite3_column_bytes(ST(st), i);
    return p;
}

int db_col_count(db_stmt_t *st)
{
    return sqlite3_column_count(ST(st));
}

int db_col_is_null(db_stmt_t *st, int i)
{
    return sqlite3_column_type(ST(st), i) == SQLITE_NULL;
}

int db_run(db_stmt_t *st, int64_t *out, ot_err_t *err)
{
    int rc = db_step(st, err);
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

void db_reset(db_stmt_t *st)
{
    sqlite3_reset(ST(st));
}

/* 2 MiB: bench/scale.sh at 1,050,831 appeals gave the same list throughput with 2 and 8 MiB,
 * and with the 64 MiB every connection had before */
int db_reader(db_t *db, ot_err_t *err)
{
    return db_exec(db, "PRAGMA cache_size=-2048", err);
}

int db_batch_writer(db_t *db, ot_err_t *err)
{
    return db_exec(db, "PRAGMA temp_store=MEMORY", err);
}

int64_t db_changes(db_t *db)
{
    return sqlite3_changes64(db->h);
}

int64_t db_last_id(db_t *db)
{
    return sqlite3_last_insert_rowid(db->h);
}

/* Transaction statements go through the statement cache too: sqlite3_exec would parse the
 * text again on every request. */
static int run_literal(db_t *db, const char *sql, ot_err_t *err)
{
    db_stmt_t *st = db_prepare(db, sql, err);
    return st ? db_run(st, NULL, err) : (err ? err->status : OT_EINTERNAL);
}

int db_begin(db_t *db, int write, ot_err_t *err)
{
    return run_literal(db, write ? "BEGIN IMMEDIATE" : "BEGIN", err);
}

int db_commit(db_t *db, ot_err_t *err)
{
    return run_literal(db, "COMMIT", err);
}

void db_rollback(db_t *db)
{
    if (!sqlite3_get_autocommit(db->h))
        run_literal(db, "ROLLBACK", NULL);
}

int db_savepoint(db_t *db, ot_err_t *err)
{
    return db_exec(db, "SAVEPOINT unit", err);
}

int db_release(db_t *db, ot_err_t *err)
{
    return db_exec(db, "RELEASE unit", err);
}

void db_rollback_to(db_t *db)
{
    sqlite3_exec(db->h, "ROLLBACK TO unit; RELEASE unit", NULL, NULL, NULL);
}

int db_checkpoint(db_t *db, ot_err_t *err)
{
    int log = 0, done = 0;
    int rc = sqlite3_wal_checkpoint_v2(db->h, NULL, SQLITE_CHECKPOINT_TRUNCATE, &log, &done);
    return rc == SQLITE_OK ? OT_OK : fail(db, err, rc, "checkpoint");
}

int db_in_tx(db_t *db)
{
    return !sqlite3_get_autocommit(db->h);
}

/* ==== Online backup (store_backup.c) ==== */

int db_backup(db_t *src, const char *dest, ot_err_t *err)
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
    sqlite3_backup *b = sqlite3_backup_init(out, "main", src->h, "main");
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

int db_integrity_check(db_t *db, char *problem, size_t n, ot_err_t *err)
{
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
