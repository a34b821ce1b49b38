#include "service/metrics.h"

#include <string.h>

#include "domain/date.h"
#include "service/sweep.h"
#include "store/store.h"
#include "store/store_gauges.h"

_Static_assert(SVC_BATCH_BUCKETS == STORE_BATCH_BUCKETS, "batch buckets");
_Static_assert(SVC_WAIT_BUCKETS == STORE_WAIT_BUCKETS, "wait buckets");

struct gauges_arg {
    const char *today;
    store_gauges_t g;
};

static int gauges_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct gauges_arg *a = arg;
    return store_gauges_read(tx, a->today, &a->g, err);
}

int svc_metrics_read(const svc_t *svc, int64_t now, svc_metrics_t *m, ot_err_t *err)
{
    memset(m, 0, sizeof *m);
    char today[11];
    ot_day_t d = svc_today(svc, NULL, now);
    date_format(d, today);
    struct gauges_arg a = {today, {0}};
    int rc = store_read_one(svc->store, gauges_tx, &a, err);
    if (rc)
        return rc;
    m->open_appeals = a.g.open_appeals;
    m->overdue_appeals = a.g.overdue_appeals;
    m->open_violations = a.g.open_violations;
    m->outbox_backlog = a.g.outbox_backlog;
    store_stats_t st;
    store_stats(svc->store, &st);
    m->batches = st.batches;
    m->units = st.units;
    m->store_errors = st.errors;
    m->wait_sum_us = st.wait_sum_us;
    memcpy(m->batch_le, store_batch_le, sizeof m->batch_le);
    memcpy(m->batch_hist, st.batch_hist, sizeof m->batch_hist);
    memcpy(m->wait_le_us, store_wait_le_us, sizeof m->wait_le_us);
    memcpy(m->wait_hist, st.wait_hist, sizeof m->wait_hist);
    sweep_stats(&m->sweeps, &m->sweep_sum_us, &m->sweep_last_us);
    return OT_OK;
}
