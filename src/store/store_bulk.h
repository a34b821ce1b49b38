/* Bulk loading of appeals and their events (the demo generator; later imports from other
 * systems).
 *
 * Keeping every secondary index and the statistics triggers up to date row by row costs most
 * of a large load. Inside one write transaction, store_bulk_begin drops what a loader does
 * not read: the secondary indexes of appeals and events, except the ones the service's own
 * lookups during intake need, and the triggers that keep the aggregates. store_bulk_end
 * makes them again from their saved definitions (CREATE INDEX sorts once) and recomputes the
 * aggregates (store_report_rebuild). Both must run in the same transaction as the load: when
 * anything fails, the rollback brings the dropped objects back too, so the schema is never
 * left without them. */
#ifndef OT_STORE_BULK_H
#define OT_STORE_BULK_H

#include "store/store.h"

typedef struct store_bulk store_bulk_t;

int store_bulk_begin(store_tx_t *tx, store_bulk_t **out, ot_err_t *err);
/* Rebuilds and frees b. */
int store_bulk_end(store_tx_t *tx, store_bulk_t *b, ot_err_t *err);
/* Frees b without rebuilding (the transaction is being rolled back). NULL is fine. */
void store_bulk_free(store_bulk_t *b);

#endif
