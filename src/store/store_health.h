/* Repository: the one row GET /healthz rewrites to learn whether the store takes writes. */
#ifndef OT_STORE_HEALTH_H
#define OT_STORE_HEALTH_H

#include <stdint.h>

#include "store/store.h"

/* Writes now into the probe row (inside the caller's write transaction). */
int store_health_touch(store_tx_t *tx, int64_t now, ot_err_t *err);

#endif
