#include "store/store_gauges.h"

#include "store/store_int.h"

int store_gauges_read(store_tx_t *tx, const char *today, store_gauges_t *g, ot_err_t *err)
{
    /* the counters of migration 41, not the rows: on the 1M demo these counts read 150,000
     * open appeals, 330,000 open violations and 2.7M pending notices (0.3 s a request);
     * the overdue are the open appeals less those due from today on */
    PREPARE(
        tx,
        "SELECT (SELECT coalesce(sum(still_open), 0) FROM stat_month),"
        " (SELECT coalesce(sum(n), 0) FROM stat_open WHERE due_on >= ?),"
        " (SELECT coalesce(sum(n), 0) FROM stat_viol_status"
        " WHERE status IN ('open', 'proceedings')),"
        " (SELECT coalesce(sum(n), 0) FROM stat_outbox WHERE status IN ('pending', 'sending'))");
    db_bind_text(st, 1, today);
    int rc = db_step(st, err);
    if (rc == DB_ROW) {
        g->open_appeals = db_col_int64(st, 0);
        g->overdue_appeals = g->open_appeals - db_col_int64(st, 1);
        g->open_violations = db_col_int64(st, 2);
        g->outbox_backlog = db_col_int64(st, 3);
        rc = OT_OK;
    } else if (rc == DB_DONE)
        rc = ot_err(err, OT_EINTERNAL, "no_row", NULL, "gauges: no row");
    db_reset(st);
    return rc < 0 ? -rc : rc;
}
