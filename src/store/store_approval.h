/* Repository: a body's own settings and the answers held for its head's approval (issue 16,
 * docs/accountability.md "The head's approval"). */
#ifndef OT_STORE_APPROVAL_H
#define OT_STORE_APPROVAL_H

#include <stdint.h>

#include "domain/approval_rec.h"
#include "store/store.h"

/* The settings of body (the defaults when none were set). */
int store_body_settings_get(store_tx_t *tx, const char *body, body_settings_t *out, ot_err_t *err);
int store_body_settings_set(store_tx_t *tx, const char *body, const body_settings_t *s,
                            ot_err_t *err);

/* Holds an answer for approval (status pending; r's id set). */
int store_approval_add(store_tx_t *tx, approval_rec_t *r, ot_err_t *err);
/* The answer of appeal_id awaiting approval into out (*found 0 when none; out then
 * untouched). Free with approval_rec_free. */
int store_approval_pending(store_tx_t *tx, int64_t appeal_id, approval_rec_t *out, int *found,
                           ot_err_t *err);
/* Records the head's decision on pending answer id: approved or returned (with comment). */
int store_approval_decide(store_tx_t *tx, int64_t id, const char *status, int64_t by, int64_t at,
                          const char *comment, ot_err_t *err);
/* Answers awaiting approval, oldest first, at most limit (≤ 500): of appeals of bodies under
 * scope_path (NULL: all); submitted_by > 0: only that user's. */
int store_approval_list(store_tx_t *tx, const char *scope_path, int64_t submitted_by, int limit,
                        int (*fn)(const approval_rec_t *r, void *arg), void *arg, ot_err_t *err);

#endif
