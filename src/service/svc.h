/* What every use case needs: the store, the jurisdictions, the policy knobs. Built once by
 * `serve` (or a CLI command) and shared, read-only, by all threads. */
#ifndef OT_SERVICE_SVC_H
#define OT_SERVICE_SVC_H

#include <stdint.h>

#include "service/juris.h"
#include "store/store.h"

#define SVC_MAX_JURIS 8

typedef struct svc {
    store_t *store;
    juris_t *juris[SVC_MAX_JURIS]; /* [0] is the default (kz) */
    int n_juris;
    int repeat_window_days; /* same applicant, category, district within this: repeated */
} svc_t;

/* The jurisdiction with that code (NULL or "": the default); NULL when unknown. */
juris_t *svc_juris(const svc_t *svc, const char *code);

/* Loads the jurisdictions under data_dir and sets defaults; the store is set by the caller. */
int svc_init(svc_t *svc, store_t *store, const char *data_dir, ot_err_t *err);
void svc_free(svc_t *svc);

#endif
