/* Inside the driver only (db.c, db_sqlite.c, db_pg.c): the table of one engine's functions.
 * db.c implements db.h by calling through the table of the connection or statement, whose
 * first member is that table; the engine is chosen by db_open from the address given. */
#ifndef OT_STORE_DB_ENGINE_H
#define OT_STORE_DB_ENGINE_H

#include "store/db.h"

struct db_ops {
    const char *name;
    int (*open)(const char *path, int create, db_t **out, ot_err_t *err);
    void (*close)(db_t *db);
    int (*exec)(db_t *db, const char *sql, ot_err_t *err);
    db_stmt_t *(*prepare)(db_t *db, const char *sql, ot_err_t *err);
    db_stmt_t *(*prepare_temp)(db_t *db, const char *sql, ot_err_t *err);
    void (*finalize)(db_stmt_t *st);
    int (*bind_int64)(db_stmt_t *st, int i, int64_t v);
    int (*bind_double)(db_stmt_t *st, int i, double v);
    int (*bind_text)(db_stmt_t *st, int i, const char *s);
    int (*bind_blob)(db_stmt_t *st, int i, const void *p, size_t n);
    int (*bind_null)(db_stmt_t *st, int i);
    int (*step)(db_stmt_t *st, ot_err_t *err);
    int64_t (*col_int64)(db_stmt_t *st, int i);
    double (*col_double)(db_stmt_t *st, int i);
    const char *(*col_text)(db_stmt_t *st, int i);
    const void *(*col_blob)(db_stmt_t *st, int i, size_t *n);
    int (*col_is_null)(db_stmt_t *st, int i);
    int (*col_count)(db_stmt_t *st);
    int (*run)(db_stmt_t *st, int64_t *out, ot_err_t *err);
    void (*reset)(db_stmt_t *st);
    int64_t (*changes)(db_t *db);
    int64_t (*last_id)(db_t *db);
    int (*begin)(db_t *db, int write, ot_err_t *err);
    int (*commit)(db_t *db, ot_err_t *err);
    void (*rollback)(db_t *db);
    int (*savepoint)(db_t *db, ot_err_t *err);
    int (*release)(db_t *db, ot_err_t *err);
    void (*rollback_to)(db_t *db);
    int (*reader)(db_t *db, ot_err_t *err);
    int (*batch_writer)(db_t *db, ot_err_t *err);
    int (*checkpoint)(db_t *db, int keep, int64_t *wal_bytes, ot_err_t *err);
    int (*in_tx)(db_t *db);
    int (*backup)(db_t *src, const char *dest, ot_err_t *err);
    int (*integrity_check)(db_t *db, char *problem, size_t n, ot_err_t *err);
    const char *(*col_name)(db_stmt_t *st, int i);
    int (*session_lock)(db_t *db, int64_t key, int lapse_ms, int *held, ot_err_t *err);
    int (*fence)(db_t *db, int64_t key, int holder, ot_err_t *err);
    int (*idle_limit)(db_t *db, int ms, ot_err_t *err);
    int (*read_only)(db_t *db, ot_err_t *err);
    int (*send)(db_stmt_t *st, ot_err_t *err);
    int (*prefetch)(db_stmt_t *st, ot_err_t *err);
    int (*notifies)(db_t *db, const char *channel, int sync,
                    void (*fn)(const char *payload, void *arg), void *arg, int *fresh,
                    ot_err_t *err);
};

/* The common head of every engine's connection and statement. */
struct db {
    const struct db_ops *ops;
};
struct db_stmt {
    const struct db_ops *ops;
};

extern const struct db_ops db_sqlite_ops;
extern const struct db_ops db_pg_ops;

#endif
