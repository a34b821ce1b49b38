/* Repository: the appeals filed over Open311 (table open311_requests, migration 6) and the
 * public view of them that GET requests shows. The view holds no personal data of the
 * applicant: only the problem (category, text, place, media) and how the body handles it. */
#ifndef OT_STORE_OPEN311_H
#define OT_STORE_OPEN311_H

#include <stdint.h>

#include "domain/o311_rec.h"
#include "store/store.h"

/* Records that the appeal numbered `number` came over Open311 with key api_key. */
int store_o311_insert(store_tx_t *tx, const char *number, int64_t api_key, const char *media_url,
                      const char *address_id, const char *device_id, const char *account_id,
                      ot_err_t *err);

/* OT_ENOTFOUND when no appeal with that number came over Open311. */
int store_o311_get(store_tx_t *tx, const char *number, o311_rec_t *out, ot_err_t *err);

/* The public changes of Open311 requests with at in [from, to), oldest first, at most limit:
 * the events register, forward, extend, answer, return, close and terminate. fn gets each
 * (its answer freed after fn returns); non-zero stops. */
int store_o311_updates(store_tx_t *tx, int64_t from, int64_t to, int limit,
                       int (*fn)(o311_update_t *u, void *arg), void *arg, ot_err_t *err);

/* Keeps the attributes a client sent that the service does not define (JSON object text). */
int store_o311_set_extra(store_tx_t *tx, const char *number, const char *json, ot_err_t *err);

/* fn gets each row (the record is freed after fn returns); non-zero stops. */
int store_o311_list(store_tx_t *tx, const o311_filter_t *f,
                    int (*fn)(const o311_rec_t *r, void *arg), void *arg, ot_err_t *err);

#endif
