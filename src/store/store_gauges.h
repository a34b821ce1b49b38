/* Counts an operator watches (GET /metrics): open and overdue appeals, violations not yet
 * decided, notices waiting in the outbox. */
#ifndef OT_STORE_GAUGES_H
#define OT_STORE_GAUGES_H

#include <stdint.h>

#include "store/store.h"

typedef struct store_gauges {
    int64_t open_appeals;    /* registered, assigned, in work */
    int64_t overdue_appeals; /* open with due_on before today */
    int64_t open_violations; /* open or in proceedings */
    int64_t outbox_backlog;  /* notices pending or being sent */
} store_gauges_t;

/* today: YYYY-MM-DD. */
int store_gauges_read(store_tx_t *tx, const char *today, store_gauges_t *g, ot_err_t *err);

#endif
