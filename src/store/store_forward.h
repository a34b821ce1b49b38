/* Repository: the outgoing register of forwards by competence (table forwards, migration 8).
 * A body that forwarded an appeal keeps reading it and sees where it went. */
#ifndef OT_STORE_FORWARD_H
#define OT_STORE_FORWARD_H

#include <stdint.h>

#include "domain/forward_rec.h"
#include "store/store.h"

int store_forward_add(store_tx_t *tx, const forward_rec_t *f, ot_err_t *err);
/* *yes = 1 when a body under path forwarded the appeal. */
int store_forward_sent_from(store_tx_t *tx, int64_t appeal_id, const char *path, int *yes,
                            ot_err_t *err);
/* Forwards from bodies under scope_path (NULL: all), newest first (by instant, then id),
 * at most limit, those before (before_at, before_id) when before_at is not 0 (before_id 0:
 * before the instant). fn returning non-zero stops. */
/* store_forward_list's statements (the forwards walked newest first; a small scope's read
 * from forwards_from) and the count that chooses (?1 the scope, ?2 the cap): for plan tests. */
extern const char *const store_forward_list_sql[2];
extern const char store_forward_probe_sql[];
int store_forward_list(store_tx_t *tx, const char *scope_path, int64_t before_at, int64_t before_id,
                       int limit, int (*fn)(const forward_rec_t *f, void *arg), void *arg,
                       ot_err_t *err);

#endif
