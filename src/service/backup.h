/* Backups and restores of the database, as an operator runs them (`otinish backup`,
 * `otinish restore`, docs/operations.md). */
#ifndef OT_SERVICE_BACKUP_H
#define OT_SERVICE_BACKUP_H

#include <stdint.h>

#include "domain/chain.h"
#include "service/svc.h"

/* Writes a consistent copy of the open database s to the new file to, while a server may be
 * writing to the same database: the copy holds every transaction committed before it
 * started. to is complete or absent; an existing to is refused (OT_ECONFLICT, field "to"). */
int svc_backup(store_t *s, const char *to, ot_err_t *err);

typedef struct svc_restore_report {
    int64_t events;                    /* audit events verified */
    char head[2 * CHAIN_HASH_LEN + 1]; /* the chain's head hash in the restored database */
    int schema_version;                /* after migrating the copy */
    int replaced;                      /* there was a database at db: kept as db.before-restore */
} svc_restore_report_t;

/* Puts the backup from in place of the database at db, after checking a copy of it: the
 * engine's integrity check and the whole audit chain must hold (OT_EINVAL, field "from",
 * otherwise: nothing is changed). A database at db that something still has open (a running
 * server) is refused (OT_ECONFLICT, field "db"); an existing one is kept as
 * db.before-restore. */
int svc_restore(const char *from, const char *db, svc_restore_report_t *report, ot_err_t *err);

/* Moving over to PostgreSQL (`otinish migrate-db`, issue 19, docs/postgresql.md). */
typedef struct svc_migrate_report {
    int already;                       /* the target already held this copy: nothing written */
    int tables;                        /* tables copied */
    int64_t rows;                      /* rows copied */
    int64_t events;                    /* audit events verified on the target */
    char head[2 * CHAIN_HASH_LEN + 1]; /* the target's chain head (the source's, the same bytes) */
} svc_migrate_report_t;

/* Progress: called after each chunk of a table with its rows in the target so far and in
 * the source (rows == total: the table is whole; -1: left out, the target has no such
 * table, as an engine's own search index). */
typedef void (*svc_migrate_fn)(const char *table, int64_t rows, int64_t total, void *arg);

/* Copies the SQLite database at from into the PostgreSQL database at the URI to (empty, or
 * migrated by an earlier otinish and empty: its schema is created), in transactions of
 * 10,000 rows (a copy stopped part way goes on from where it stopped when run again),
 * compares every table's row count, then verifies the whole audit chain on the target
 * (OT_EINVAL, field "to", when it does not hold). A target that already holds the same
 * rows is left as it is (report->already); one holding other rows is refused
 * (OT_ECONFLICT, field "to"). */
int svc_migrate_db(const char *from, const char *to, svc_migrate_fn fn, void *arg,
                   svc_migrate_report_t *report, ot_err_t *err);

#endif
