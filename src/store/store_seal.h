/* Repository: the seals of the records the audit chain speaks of (domain/seal.h,
 * docs/audit-chain.md "Records"). Which rows make up a record of each object type is here,
 * in one table (store_seal.c); everything else is generic: every event on a record of a
 * sealed type carries the seal of its rows as they are after the change (store_event_append),
 * and `audit verify` compares each record's latest seal with its rows now. */
#ifndef OT_STORE_SEAL_H
#define OT_STORE_SEAL_H

#include <stddef.h>

#include "domain/seal.h"
#include "store/store.h"

#define SEAL_STATE_MAX (2 + SEAL_DIGEST_CHARS + 1 + 2 * SEAL_MAX_FIELDS + 1)

/* Whether events on object_type carry a seal. */
int store_seal_kind(const char *object_type);

/* Seals the rows of one record as they are now into s (seal_init first) and writes its
 * state text into state (SEAL_STATE_MAX bytes). *exists says whether its main row is there.
 * OT_ENOTFOUND when object_type is not sealed. */
int store_seal_record(store_tx_t *tx, const char *object_type, const char *object_id, seal_t *s,
                      char state[SEAL_STATE_MAX], int *exists, ot_err_t *err);

/* The seals of the records of object_type with ids ids[0..n) (ascending), each as
 * store_seal_record would make it, read in one statement over their id range (a sweep seals
 * thousands of new violations and flags at once): fn gets each record's id and state, in id
 * order. Only for types whose record is one row of a table with an integer id (violation,
 * head_flag): OT_ENOTFOUND for the others. */
int store_seal_many(store_tx_t *tx, const char *object_type, const int64_t *ids, size_t n,
                    int (*fn)(int64_t id, const char *state, void *arg), void *arg, ot_err_t *err);

/* The state of the latest event of each record object_type keys[i] (its id as events name
 * it), into states[i]: "" when that event carries no seal of the current format, or the record
 * has no event. One statement for all (a sweep's escalations and alerts: events that leave
 * their appeals' rows as they are). */
int store_seal_latest_keys(store_tx_t *tx, const char *object_type, const char *const *keys,
                           size_t n, char (*states)[SEAL_STATE_MAX], ot_err_t *err);

/* The latest sealed event of every record that has one (seq order per record not given):
 * fn returning non-zero stops the walk. */
int store_seal_latest_each(store_tx_t *tx,
                           int (*fn)(const char *object_type, const char *object_id,
                                     const char *state, int64_t seq, const char *action, void *arg),
                           void *arg, ot_err_t *err);

/* The records of sealed types that no event speaks of (rows put in without the code). */
int store_seal_unlogged_each(store_tx_t *tx,
                             int (*fn)(const char *object_type, const char *object_id, void *arg),
                             void *arg, ot_err_t *err);

/* Appends an "audit.seal" event (actor "system", at `at`) for every record of a sealed type
 * whose latest event carries no seal: those a bulk load wrote, and those last changed before
 * seals existed. *n gets how many. */
int store_seal_unsealed(store_tx_t *tx, int64_t at, int64_t *n, ot_err_t *err);
/* Where store_seal_unsealed_upto goes on: the kind of record and the id after which
 * (start at {0, 0}). */
typedef struct seal_cursor {
    size_t kind;
    int64_t id;
} seal_cursor_t;
/* The same for at most limit records (0: all), from *from on, which it moves past what it
 * sealed; *n < limit when none is left. */
int store_seal_unsealed_upto(store_tx_t *tx, int64_t at, int64_t limit, seal_cursor_t *from,
                             int64_t *n, ot_err_t *err);

#endif
