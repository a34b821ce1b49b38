/* Inside src/store/ only: what the repositories see of a transaction. */
#ifndef OT_STORE_INT_H
#define OT_STORE_INT_H

#include "store/db.h"
#include "store/store.h"

struct store_tx {
    db_t *db;
    store_t *store;
};

/* Migrations (migrate.c). Brings db up to version `target` (<= latest) and returns the
 * resulting version in *version. */
int store_migrate(db_t *db, int target, int *version, ot_err_t *err);
int store_migrations_count(void);

#endif
