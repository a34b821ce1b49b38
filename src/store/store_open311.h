/* Repository: the appeals filed over Open311 (table open311_requests, migration 6) and the
 * public view of them that GET requests shows. The view holds no personal data of the
 * applicant: only the problem (category, text, place, media) and how the body handles it. */
#ifndef OT_STORE_OPEN311_H
#define OT_STORE_OPEN311_H

#include <stdint.h>

#include "store/store.h"

#define O311_MAX_CODES 64 /* service codes in one GET requests filter */

/* One public row. text, address and media_url are malloc'd and owned by the record: free
 * them with o311_rec_free. */
typedef struct o311_rec {
    char number[40];
    char status[16];            /* the appeal's status (registered ... not_considered) */
    char category[64];          /* the service code */
    char category_name[3][256]; /* kk, ru, en */
    char body_name[3][256];     /* kk, ru, en: agency_responsible */
    char jurisdiction[8];
    int workday_end_min; /* of the body: expected_datetime is due_on at this time */
    char *text, *address, *media_url;
    char address_id[128];
    int has_coords;
    double lat, lon;
    int64_t received_at, updated_at, answered_at, closed_at;
    char due_on[11];
    char decision[20];
    char terminate_reason[32];
} o311_rec_t;

void o311_rec_free(o311_rec_t *r);

/* Records that the appeal numbered `number` came over Open311 with key api_key. */
int store_o311_insert(store_tx_t *tx, const char *number, int64_t api_key, const char *media_url,
                      const char *address_id, const char *device_id, const char *account_id,
                      ot_err_t *err);

/* OT_ENOTFOUND when no appeal with that number came over Open311. */
int store_o311_get(store_tx_t *tx, const char *number, o311_rec_t *out, ot_err_t *err);

/* GET requests: codes (n_codes 0 = every service), open/closed, requested_datetime in
 * [from, to] (microseconds), newest first, limit/offset. */
typedef struct o311_filter {
    const char *codes[O311_MAX_CODES];
    int n_codes;
    int want_open, want_closed;
    int64_t from, to;
    int limit, offset;
} o311_filter_t;

/* fn gets each row (the record is freed after fn returns); non-zero stops. */
int store_o311_list(store_tx_t *tx, const o311_filter_t *f,
                    int (*fn)(const o311_rec_t *r, void *arg), void *arg, ot_err_t *err);

#endif
