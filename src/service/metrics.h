/* What GET /metrics reports about the store and the background work: the group-commit
 * writer's batches and waits, counts an operator watches, the sweeps. */
#ifndef OT_SERVICE_METRICS_H
#define OT_SERVICE_METRICS_H

#include <stdint.h>

#include "service/svc.h"

#define SVC_BATCH_BUCKETS 10
#define SVC_WAIT_BUCKETS  10

typedef struct svc_metrics {
    /* gauges, read from the database */
    int64_t open_appeals, overdue_appeals, open_violations, outbox_backlog;
    /* group commit since start: batch sizes (batch_le[i] the upper bound of bucket i,
     * batch_hist[i] the batches in it, not cumulative; the last bucket is above them all),
     * per unit the wait for its commit (wait_le_us) */
    uint64_t batches, units, store_errors, wait_sum_us;
    int batch_le[SVC_BATCH_BUCKETS];
    uint64_t batch_hist[SVC_BATCH_BUCKETS + 1];
    int64_t wait_le_us[SVC_WAIT_BUCKETS];
    uint64_t wait_hist[SVC_WAIT_BUCKETS + 1];
    /* sweeps run by this process */
    uint64_t sweeps, sweep_sum_us, sweep_last_us;
} svc_metrics_t;

/* Fills m as of now (overdue: due before today in the default jurisdiction). */
int svc_metrics_read(const svc_t *svc, int64_t now, svc_metrics_t *m, ot_err_t *err);

#endif
