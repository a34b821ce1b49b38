/* Bulk loading of appeals and their events (the demo generator; later imports from other
 * systems).
 *
 * Keeping every secondary index and the statistics triggers up to date row by row costs most
 * of a large load. Inside one write transaction, store_bulk_begin drops what a loader does
 * not read: the secondary indexes of appeals and events, except the ones the service's own
 * lookups during intake need, and the triggers that keep the aggregates. store_bulk_end
 * makes them again from their saved definitions (CREATE INDEX sorts once) and recomputes the
 * aggregates (store_report_rebuild).
 *
 * A large load commits in chunks (so that the WAL stays bounded: store_checkpoint between
 * them): store_bulk_begin in the first, store_bulk_end in the last. What was dropped is
 * recorded in the database with the drops; should the load stop half way, the next
 * store_open makes it again (store_bulk_recover) and the schema is whole, with the rows
 * loaded so far. A load in one transaction needs none of this: a rollback brings the
 * dropped objects back too. */
#ifndef OT_STORE_BULK_H
#define OT_STORE_BULK_H

#include "store/store.h"

typedef struct store_bulk store_bulk_t;

int store_bulk_begin(store_tx_t *tx, store_bulk_t **out, ot_err_t *err);
/* Rebuilds and frees b. */
int store_bulk_end(store_tx_t *tx, store_bulk_t *b, ot_err_t *err);
/* The same in steps, each small enough for a transaction of its own: the dropped objects
 * made again one by one, the records sealed, the aggregates and the search index rebuilt
 * in spans. Call again (in the same or the next transaction) until *done; then free b.
 * The record of what was dropped goes with the last step: a load stopped before it is
 * recovered by store_bulk_recover. */
int store_bulk_end_step(store_tx_t *tx, store_bulk_t *b, int *done, ot_err_t *err);
/* The part of the end the next store_bulk_end_step works on ("index", "seal", "report",
 * "search", "done"): for tracing a load. */
const char *store_bulk_phase(const store_bulk_t *b);
/* Whether a bulk load left things to make again (read only). */
int store_bulk_pending(store_tx_t *tx, int *pending, ot_err_t *err);
/* Makes again what an unfinished bulk load dropped, if any (*recovered = 1), and recomputes
 * the aggregates. store_open runs it. */
int store_bulk_recover(store_tx_t *tx, int *recovered, ot_err_t *err);
/* Inside a load: whether the events appended from now on carry their records' seals (on:
 * 1), as outside a load, or not (0, the load's default; the end then seals each record
 * whose latest event has none). A loader that knows a write is a record's last turns it on
 * for that write: the record is then sealed once, in the same pass, not by an extra
 * `audit.seal` event at the end (issue 23 point 6). */
void store_bulk_seal(store_tx_t *tx, int on);
/* Frees b without rebuilding (the transaction is being rolled back). NULL is fine. */
void store_bulk_free(store_bulk_t *b);

#endif
