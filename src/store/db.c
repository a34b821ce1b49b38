/* The database driver's dispatch (db.h): db_open picks the engine from the address, every
 * other call goes through the engine's table (db_engine.h) held by the connection or the
 * statement. */
#include "store/db.h"

#include <string.h>

#include "store/db_engine.h"

int db_is_uri(const char *path)
{
    return path &&
           (strncmp(path, "postgresql://", 13) == 0 || strncmp(path, "postgres://", 11) == 0);
}

int db_open(const char *path, int create, db_t **out, ot_err_t *err)
{
    return (db_is_uri(path) ? &db_pg_ops : &db_sqlite_ops)->open(path, create, out, err);
}

void db_close(db_t *db)
{
    if (db)
        db->ops->close(db);
}

const char *db_engine(const db_t *db)
{
    return db->ops->name;
}

int db_exec(db_t *db, const char *sql, ot_err_t *err)
{
    return db->ops->exec(db, sql, err);
}

db_stmt_t *db_prepare(db_t *db, const char *sql, ot_err_t *err)
{
    return db->ops->prepare(db, sql, err);
}

db_stmt_t *db_prepare_temp(db_t *db, const char *sql, ot_err_t *err)
{
    return db->ops->prepare_temp(db, sql, err);
}

void db_finalize(db_stmt_t *st)
{
    if (st)
        st->ops->finalize(st);
}

int db_bind_int64(db_stmt_t *st, int i, int64_t v)
{
    return st->ops->bind_int64(st, i, v);
}

int db_bind_double(db_stmt_t *st, int i, double v)
{
    return st->ops->bind_double(st, i, v);
}

int db_bind_text(db_stmt_t *st, int i, const char *s)
{
    return st->ops->bind_text(st, i, s);
}

int db_bind_blob(db_stmt_t *st, int i, const void *p, size_t n)
{
    return st->ops->bind_blob(st, i, p, n);
}

int db_bind_null(db_stmt_t *st, int i)
{
    return st->ops->bind_null(st, i);
}

int db_step(db_stmt_t *st, ot_err_t *err)
{
    return st->ops->step(st, err);
}

int64_t db_col_int64(db_stmt_t *st, int i)
{
    return st->ops->col_int64(st, i);
}

double db_col_double(db_stmt_t *st, int i)
{
    return st->ops->col_double(st, i);
}

const char *db_col_text(db_stmt_t *st, int i)
{
    return st->ops->col_text(st, i);
}

const void *db_col_blob(db_stmt_t *st, int i, size_t *n)
{
    return st->ops->col_blob(st, i, n);
}

int db_col_is_null(db_stmt_t *st, int i)
{
    return st->ops->col_is_null(st, i);
}

const char *db_col_name(db_stmt_t *st, int i)
{
    return st->ops->col_name(st, i);
}

int db_col_count(db_stmt_t *st)
{
    return st->ops->col_count(st);
}

int db_run(db_stmt_t *st, int64_t *out, ot_err_t *err)
{
    return st->ops->run(st, out, err);
}

void db_reset(db_stmt_t *st)
{
    st->ops->reset(st);
}

int64_t db_changes(db_t *db)
{
    return db->ops->changes(db);
}

int64_t db_last_id(db_t *db)
{
    return db->ops->last_id(db);
}

int db_begin(db_t *db, int write, ot_err_t *err)
{
    return db->ops->begin(db, write, err);
}

int db_commit(db_t *db, ot_err_t *err)
{
    return db->ops->commit(db, err);
}

void db_rollback(db_t *db)
{
    db->ops->rollback(db);
}

int db_savepoint(db_t *db, ot_err_t *err)
{
    return db->ops->savepoint(db, err);
}

int db_release(db_t *db, ot_err_t *err)
{
    return db->ops->release(db, err);
}

void db_rollback_to(db_t *db)
{
    db->ops->rollback_to(db);
}

int db_reader(db_t *db, ot_err_t *err)
{
    return db->ops->reader(db, err);
}

int db_batch_writer(db_t *db, ot_err_t *err)
{
    return db->ops->batch_writer(db, err);
}

int db_checkpoint(db_t *db, int keep, int64_t *wal_bytes, ot_err_t *err)
{
    int64_t bytes = 0;
    int rc = db->ops->checkpoint(db, keep, &bytes, err);
    if (wal_bytes)
        *wal_bytes = bytes;
    return rc;
}

int db_in_tx(db_t *db)
{
    return db->ops->in_tx(db);
}

int db_backup(db_t *src, const char *dest, ot_err_t *err)
{
    return src->ops->backup(src, dest, err);
}

int db_integrity_check(db_t *db, char *problem, size_t n, ot_err_t *err)
{
    return db->ops->integrity_check(db, problem, n, err);
}

int db_session_lock(db_t *db, int64_t key, int lapse_ms, int *held, ot_err_t *err)
{
    return db->ops->session_lock(db, key, lapse_ms, held, err);
}

int db_fence(db_t *db, int64_t key, int holder, ot_err_t *err)
{
    return db->ops->fence(db, key, holder, err);
}

int db_idle_limit(db_t *db, int ms, ot_err_t *err)
{
    return db->ops->idle_limit(db, ms, err);
}

int db_read_only(db_t *db, ot_err_t *err)
{
    return db->ops->read_only(db, err);
}

int db_send(db_stmt_t *st, ot_err_t *err)
{
    return st->ops->send(st, err);
}

int db_prefetch(db_stmt_t *st, ot_err_t *err)
{
    return st->ops->prefetch(st, err);
}

int db_notifies(db_t *db, const char *channel, int sync, void (*fn)(const char *payload, void *arg),
                void *arg, int *fresh, ot_err_t *err)
{
    return db->ops->notifies(db, channel, sync, fn, arg, fresh, err);
}
