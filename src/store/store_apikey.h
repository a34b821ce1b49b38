/* Repository: API keys of Open311 client applications (table api_keys, migration 6). Only
 * the SHA-256 of a key is stored; the key itself is shown once when it is issued. */
#ifndef OT_STORE_APIKEY_H
#define OT_STORE_APIKEY_H

#include <stdint.h>

#include "domain/apikey_rec.h"
#include "store/store.h"

/* Inserts a key (hash_hex: 64 hex digits) and returns its id in *id. */
int store_apikey_insert(store_tx_t *tx, const char *name, const char *hash_hex, int64_t now,
                        int64_t *id, ot_err_t *err);
/* Marks key id revoked. OT_ENOTFOUND (field "id") when there is no such active key. */
int store_apikey_revoke(store_tx_t *tx, int64_t id, int64_t now, ot_err_t *err);
/* The id of the active key with that hash; OT_ENOTFOUND when none. */
int store_apikey_find(store_tx_t *tx, const char *hash_hex, int64_t *id, ot_err_t *err);
/* Walks every key (revoked ones too) in id order; fn returning non-zero stops. */
int store_apikey_each(store_tx_t *tx, int (*fn)(const apikey_rec_t *k, void *arg), void *arg,
                      ot_err_t *err);

#endif
