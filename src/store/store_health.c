#include "store/store_health.h"

#include "store/store_int.h"

int store_health_touch(store_tx_t *tx, int64_t now, ot_err_t *err)
{
    PREPARE(tx, "INSERT INTO health_probe (id, at) VALUES (1, ?)"
                " ON CONFLICT (id) DO UPDATE SET at = excluded.at");
    db_bind_int64(st, 1, now);
    return db_run(st, NULL, err);
}
