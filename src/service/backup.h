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

#endif
