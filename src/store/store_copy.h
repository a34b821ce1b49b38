/* Copying a whole database from one engine to another (otinish migrate-db, issue 19): an
 * SQLite file into an empty PostgreSQL database of the same schema version. */
#ifndef OT_STORE_COPY_H
#define OT_STORE_COPY_H

#include <stdint.h>

#include "store/store.h"

/* Progress: called after each chunk of a table and for each table already whole, with the
 * table's name, its rows in the target so far (rows == total when it is whole; -1 when the
 * target has no such table and it was left out, as an engine's own search index) and its
 * rows in the source. */
typedef void (*store_copy_fn)(const char *table, int64_t rows, int64_t total, void *arg);

/* Copies every table of from into to, table by table in one snapshot of from, in
 * transactions of 10,000 rows of to (INSERTs of 100 rows) with the table's own triggers
 * off inside each (the aggregate tables are copied as they are); then moves to's id
 * sequences past the largest ids and compares the row count of every table copied. Memory
 * stays bounded by one INSERT's rows. to must be a PostgreSQL store at from's schema
 * version. Resumable: a copy stopped part way (some first tables whole, one partly there,
 * the rest empty) goes on from where it stopped; *already is set (and nothing written)
 * when every table of to already has from's row count; any other target with rows is
 * refused (OT_ECONFLICT, field "to"). */
int store_copy(store_t *from, store_t *to, store_copy_fn fn, void *arg, int *already,
               ot_err_t *err);

/* The way back, for small databases (a test's round trip, a trial moved back): copies every
 * table of the SQLite file's schema from the PostgreSQL store from into to, a new SQLite
 * file at the same schema version (its rows made by the migrations are replaced), in one
 * transaction of to, each table read whole from one snapshot of from; to's triggers are
 * dropped for the copy and made again, its search index rebuilt from the copied rows, and
 * every table's row count compared. */
int store_copy_back(store_t *from, store_t *to, store_copy_fn fn, void *arg, ot_err_t *err);

#endif
