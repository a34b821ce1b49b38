/* Copying a whole database from one engine to another (otinish migrate-db, issue 19): an
 * SQLite file into an empty PostgreSQL database of the same schema version. */
#ifndef OT_STORE_COPY_H
#define OT_STORE_COPY_H

#include <stdint.h>

#include "store/store.h"

/* Called after each table: its name, the rows copied (or -1 when the target has no such
 * table and it was left out, as an engine's own search index). */
typedef void (*store_copy_fn)(const char *table, int64_t rows, void *arg);

/* Copies every table of from into to in one transaction of to, with to's own triggers off
 * (the aggregate tables are copied as they are), then moves to's id sequences past the
 * largest ids and compares the row count of every table copied. to must be a PostgreSQL
 * store at from's schema version, with no rows yet: *already is set (and nothing written)
 * when every table of to already has from's row count (a copy that finished before);
 * otherwise a target with rows is refused (OT_ECONFLICT, field "to"). */
int store_copy(store_t *from, store_t *to, store_copy_fn fn, void *arg, int *already,
               ot_err_t *err);

#endif
