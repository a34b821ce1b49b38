/* Repository: who an appeal is addressed to and who signed it (tables appeal_addressee and
 * appeal_signatories, migration 8). The applicant names the body addressed (АППК art. 63);
 * a collective appeal keeps the list of its signatories, not only their count. */
#ifndef OT_STORE_PARTIES_H
#define OT_STORE_PARTIES_H

#include <stdint.h>

#include "store/store.h"

int store_addressee_put(store_tx_t *tx, int64_t appeal_id, const char *body, ot_err_t *err);
/* The body the appeal is addressed to into body ("" when none). */
int store_addressee_get(store_tx_t *tx, int64_t appeal_id, char body[64], ot_err_t *err);
/* Signatory n (1-based) of the appeal; iin may be NULL. */
int store_signatory_add(store_tx_t *tx, int64_t appeal_id, int64_t n, const char *name,
                        const char *iin, ot_err_t *err);
/* How many signatories the appeal's list holds. */
int store_signatory_count(store_tx_t *tx, int64_t appeal_id, int64_t *n, ot_err_t *err);

#endif
