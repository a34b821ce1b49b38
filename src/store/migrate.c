/* Applies schema migrations at start and records them in schema_version. */
#include <inttypes.h>
#include <stdint.h>
#include <string.h>
#include <sys/time.h>

#include "store/migrations.h"
#include "store/store_int.h"

int store_migrations_count(void)
{
    return store_migrations_sqlite_count;
}

static int64_t now_us(void)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (int64_t)tv.tv_sec * 1000000 + tv.tv_usec;
}

/* Each step reads the version and applies the next migration inside one write
 * transaction, so two processes opening a new database at once cannot both apply it (on
 * PostgreSQL, where a transaction does not lock the database, each step first takes a
 * transaction-level advisory lock). */
int store_migrate(db_t *db, int target, int *version, ot_err_t *err)
{
    int latest = store_migrations_count();
    int pg = strcmp(db_engine(db), "postgresql") == 0;
    const char *const *list = pg ? store_migrations_pg : store_migrations_sqlite;
    if (pg && store_migrations_pg_count != latest)
        return ot_err(err, OT_EINTERNAL, "schema_no_pg_twin", NULL,
                      "this otinish has %d SQLite migrations but %d PostgreSQL ones:"
                      " src/store/migrations_pg.c needs the twin of each",
                      latest, store_migrations_pg_count);
    /* A read first: an open of a database already up to date (nearly every one: a backup or
     * the CLI beside a running server) takes no write lock, which a busy group-commit
     * writer can hold for longer than the busy timeout. */
    ot_err_t e;
    if (!db_begin(db, 0, &e)) {
        int64_t cur = 0;
        db_stmt_t *st =
            db_prepare_temp(db, "SELECT coalesce(max(version), 0) FROM schema_version", &e);
        int read = st && !db_run(st, &cur, &e);
        if (st)
            db_finalize(st);
        db_rollback(db);
        if (read && cur >= target && cur <= latest) {
            *version = (int)cur;
            return OT_OK;
        }
    }
    for (;;) {
        int64_t cur = 0;
        int rc = db_begin(db, 1, err);
        if (rc)
            return rc;
        rc = db_exec(db,
                     pg ? "SELECT pg_advisory_xact_lock(190001);"
                          "CREATE TABLE IF NOT EXISTS schema_version ("
                          " version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)"
                        : "CREATE TABLE IF NOT EXISTS schema_version ("
                          " version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)",
                     err);
        db_stmt_t *st = NULL;
        if (!rc) {
            st = db_prepare(db, "SELECT coalesce(max(version), 0) FROM schema_version", err);
            rc = st ? db_run(st, &cur, err) : err->status;
        }
        if (!rc && cur > latest)
            rc = ot_err(err, OT_EINTERNAL, "schema_too_new", NULL,
                        "the database has schema version %" PRId64
                        ", newer than this otinish knows (%d): use a newer otinish",
                        cur, latest);
        if (!rc && cur >= target) {
            db_rollback(db);
            *version = (int)cur;
            return OT_OK;
        }
        if (!rc)
            rc = db_exec(db, list[cur], err);
        if (!rc) {
            st = db_prepare(db, "INSERT INTO schema_version (version, applied_at) VALUES (?, ?)",
                            err);
            rc = st ? OT_OK : err->status;
        }
        if (!rc) {
            db_bind_int64(st, 1, cur + 1);
            db_bind_int64(st, 2, now_us());
            rc = db_run(st, NULL, err);
        }
        if (!rc)
            rc = db_commit(db, err);
        if (rc) {
            db_rollback(db);
            return rc;
        }
    }
}
