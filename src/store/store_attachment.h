/* Repository: which appeal has which attachment (the bytes are in blob.h). */
#ifndef OT_STORE_ATTACHMENT_H
#define OT_STORE_ATTACHMENT_H

#include <stdint.h>

#include "domain/attachment_rec.h"
#include "store/store.h"

/* Inserts; attaching the same content to the same appeal again is OT_ECONFLICT. */
int store_attachment_insert(store_tx_t *tx, const attachment_rec_t *a, ot_err_t *err);
int store_attachment_each(store_tx_t *tx, int64_t appeal_id,
                          int (*fn)(const attachment_rec_t *a, void *arg), void *arg,
                          ot_err_t *err);
/* What citizens attached: to the appeal appeal_id (addr NULL), or from the client address
 * addr since the instant since (appeal_id ignored): the number of files, their bytes and
 * (oldest, may be NULL; by address only) the instant of the first of them. */
int store_attachment_usage(store_tx_t *tx, int64_t appeal_id, const char *addr, int64_t since,
                           int64_t *files, int64_t *bytes, int64_t *oldest, ot_err_t *err);
/* OT_ENOTFOUND (field "sha256") when the appeal has no such attachment. */
int store_attachment_get(store_tx_t *tx, int64_t appeal_id, const char *sha256,
                         attachment_rec_t *out, ot_err_t *err);

#endif
