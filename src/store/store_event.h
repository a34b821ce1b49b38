/* Repository: the append-only event log, chained by hash (domain/chain.h). Every state
 * change of appeals, users, reference data and violations appends one event in the same
 * transaction as the change. */
#ifndef OT_STORE_EVENT_H
#define OT_STORE_EVENT_H

#include <stdint.h>

#include "domain/chain.h"
#include "store/store.h"

/* Appends an event after the current head; seq, prev_hash and hash are computed here.
 * ev->seq is ignored and set on return. Writers are serialised (one writer per database),
 * so reading the head and appending cannot interleave. */
int store_event_append(store_tx_t *tx, chain_event_t *ev, ot_err_t *err);

/* Appends evs[0..n) after the current head, in order, in one statement: the same events,
 * hashes and seals as n calls of store_event_append (the sweep's events on the rows it made
 * set-based). Records of a type sealed by id range (store_seal_many) are sealed in one
 * statement when the events' object ids are ascending; others one by one. Sets each seq. */
int store_event_append_many(store_tx_t *tx, chain_event_t *evs, size_t n, ot_err_t *err);

/* As store_event_append_many, for events that leave their records' rows as they are (an
 * escalation, an alert about an appeal): each carries its record's latest seal on rather than
 * sealing the rows again. The same state when the rows are as that seal found them; when
 * something changed them past the code, the difference stays for `audit verify` to find, where
 * a new seal would have taken the change in. A record whose latest event carries no seal is
 * sealed from its rows. */
int store_event_append_same_many(store_tx_t *tx, chain_event_t *evs, size_t n, ot_err_t *err);

/* The last event: *seq = 0 and the genesis hash when the log is empty. */
int store_event_head(store_tx_t *tx, int64_t *seq, char hash_hex[2 * CHAIN_HASH_LEN + 1],
                     ot_err_t *err);

/* Stored fields of an event as they are on disk (for verification and history). */
typedef struct event_row {
    chain_event_t ev;
    const char *prev_hash; /* hex */
    const char *hash;      /* hex */
} event_row_t;

/* Calls fn for each event in seq order: all events when object_type is NULL, else those of
 * one object. fn returning non-zero stops the walk (its value is returned). */
int store_event_each(store_tx_t *tx, const char *object_type, const char *object_id,
                     int (*fn)(const event_row_t *row, void *arg), void *arg, ot_err_t *err);

/* The operations alerts (issue 16: notices that reach nobody, a body with no head; actions
 * `notice.undelivered` and `body.no_head`, appended by service/sweep.c sweep_alert_once),
 * newest first, from the instant since on, at most max: fn gets each event with the body it
 * concerns (the appeal's body for an appeal, the body itself for a body; NULL otherwise).
 * Read through the partial index events_ops_alert. */
int store_event_ops_alerts(store_tx_t *tx, int64_t since, int max,
                           int (*fn)(const chain_event_t *ev, const char *body, void *arg),
                           void *arg, ot_err_t *err);

#endif
