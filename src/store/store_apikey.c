/* Repository: API keys. */
#include "store/store_apikey.h"

#include <string.h>

#include "store/store_int.h"

int store_apikey_insert(store_tx_t *tx, const char *name, const char *hash_hex, int64_t now,
                        int64_t *id, ot_err_t *err)
{
    PREPARE(tx, "INSERT INTO api_keys (name, key_hash, created_at) VALUES (?, ?, ?)"
                " RETURNING id");
    db_bind_text(st, 1, name);
    db_bind_text(st, 2, hash_hex);
    db_bind_int64(st, 3, now);
    return db_run(st, id, err);
}

int store_apikey_revoke(store_tx_t *tx, int64_t id, int64_t now, ot_err_t *err)
{
    PREPARE(tx, "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL"
                " RETURNING id");
    db_bind_int64(st, 1, now);
    db_bind_int64(st, 2, id);
    int64_t got;
    int rc = db_run(st, &got, err);
    if (rc == OT_ENOTFOUND)
        return ot_err(err, OT_ENOTFOUND, "not_found", "id", "no active API key with id %lld",
                      (long long)id);
    return rc;
}

int store_apikey_find(store_tx_t *tx, const char *hash_hex, int64_t *id, ot_err_t *err)
{
    PREPARE(tx, "SELECT id FROM api_keys WHERE key_hash = ? AND revoked_at IS NULL");
    db_bind_text(st, 1, hash_hex);
    int rc = db_run(st, id, err);
    if (rc == OT_ENOTFOUND)
        return ot_err(err, OT_ENOTFOUND, "not_found", "api_key", "no such API key");
    return rc;
}

int store_apikey_each(store_tx_t *tx, int (*fn)(const apikey_rec_t *k, void *arg), void *arg,
                      ot_err_t *err)
{
    PREPARE(tx, "SELECT id, name, created_at, revoked_at FROM api_keys ORDER BY id");
    int rc;
    while ((rc = db_step(st, err)) == DB_ROW) {
        apikey_rec_t k;
        memset(&k, 0, sizeof k);
        k.id = db_col_int64(st, 0);
        store_copy_col(st, 1, k.name, sizeof k.name);
        k.created_at = db_col_int64(st, 2);
        k.revoked_at = db_col_int64(st, 3);
        if (fn(&k, arg))
            break;
    }
    db_reset(st);
    return rc < 0 ? (err ? err->status : OT_EINTERNAL) : OT_OK;
}
