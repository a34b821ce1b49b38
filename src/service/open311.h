/* Open311 GeoReport v2 use cases (the HTTP adapter is src/http/h_open311.c; the rules and
 * our choices are in docs/open311.md).
 *
 * A service request is an appeal filed through the same intake as the portal
 * (appeal_intake_in: same validation, same receipt number = service_request_id), plus a row
 * in open311_requests in the same transaction. Reading shows only those appeals, and only
 * their public part (store_open311.h). */
#ifndef OT_SERVICE_OPEN311_H
#define OT_SERVICE_OPEN311_H

#include <stdint.h>

#include "domain/o311_rec.h"
#include "domain/region.h"
#include "service/appeal.h"
#include "service/svc.h"

typedef struct o311_intake {
    intake_t in;     /* channel "open311", no registrar */
    int64_t api_key; /* the client application's key id (apikey_check) */
    const char *media_url, *address_id, *device_id, *account_id; /* NULL: not given */
    /* attributes the service does not define, as a JSON object text (NULL: none): kept
     * with the appeal and shown to staff in its history, never used for routing */
    const char *extra_attributes;
} o311_intake_t;

/* Files the request; fills the receipt like appeal_intake. */
int o311_submit(const svc_t *svc, const o311_intake_t *req, int64_t now, receipt_t *out,
                ot_err_t *err);

/* The public view of one request; OT_ENOTFOUND unless it came over Open311. The caller
 * frees *out with o311_rec_free. The description and address are published: personal data in
 * them (phone numbers, IINs/BINs, e-mail addresses) is masked (text_mask_personal). */
int o311_get(const svc_t *svc, const char *number, o311_rec_t *out, ot_err_t *err);
int o311_list(const svc_t *svc, const o311_filter_t *f, int (*fn)(const o311_rec_t *r, void *arg),
              void *arg, ot_err_t *err);

/* The public changes of Open311 requests with at in [from, to), oldest first, at most limit:
 * each with its description in the appeal's language, personal data masked. */
int o311_updates(const svc_t *svc, int64_t from, int64_t to, int limit,
                 int (*fn)(const o311_update_t *u, void *arg), void *arg, ot_err_t *err);

/* The reference data services are built from; strings live until fn returns. */
int o311_categories(const svc_t *svc, int (*fn)(const region_category_t *c, void *arg), void *arg,
                    ot_err_t *err);
int o311_districts(const svc_t *svc, int (*fn)(const region_district_t *d, void *arg), void *arg,
                   ot_err_t *err);

#endif
