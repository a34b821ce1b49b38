#include "store/store_gauges.h"

#include "store/store_int.h"

#define OPEN_STATUSES "('registered', 'assigned', 'in_work')"

int store_gauges_read(store_tx_t *tx, const char *today, store_gauges_t *g, ot_err_t *err)
{
    PREPARE(tx, "SELECT (SELECT count(*) FROM appeals WHERE status IN " OPEN_STATUSES "),"
                " (SELECT count(*) FROM appeals WHERE status IN " OPEN_STATUSES " AND due_on < ?),"
                " (SELECT count(*) FROM violations WHERE status IN ('open', 'proceedings')),"
                " (SELECT count(*) FROM outbox WHERE status IN ('pending', 'sending'))");
    db_bind_text(st, 1, today);
    int rc = db_step(st, err);
    if (rc == DB_ROW) {
        g->open_appeals = db_col_int64(st, 0);
        g->overdue_appeals = db_col_int64(st, 1);
        g->open_violations = db_col_int64(st, 2);
        g->outbox_backlog = db_col_int64(st, 3);
        rc = OT_OK;
    } else if (rc == DB_DONE)
        rc = ot_err(err, OT_EINTERNAL, "no_row", NULL, "gauges: no row");
    db_reset(st);
    return rc < 0 ? -rc : rc;
}
