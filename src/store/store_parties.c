/* Repository: addressee and signatories. See store_parties.h. */
#include "store/store_parties.h"

#include "store/store_int.h"

int store_addressee_put(store_tx_t *tx, int64_t appeal_id, const char *body, ot_err_t *err)
{
    PREPARE(tx, "INSERT INTO appeal_addressee (appeal_id, body) VALUES (?, ?)");
    db_bind_int64(st, 1, appeal_id);
    db_bind_text(st, 2, body);
    return db_run(st, NULL, err);
}

int store_addressee_get(store_tx_t *tx, int64_t appeal_id, char body[64], ot_err_t *err)
{
    PREPARE(tx, "SELECT body FROM appeal_addressee WHERE appeal_id = ?");
    db_bind_int64(st, 1, appeal_id);
    int rc = db_step(st, err);
    body[0] = '\0';
    if (rc == DB_ROW)
        store_copy_col(st, 0, body, 64);
    db_reset(st);
    return rc < 0 ? -rc : OT_OK;
}

int store_signatory_add(store_tx_t *tx, int64_t appeal_id, int64_t n, const char *name,
                        const char *iin, ot_err_t *err)
{
    PREPARE(tx, "INSERT INTO appeal_signatories (appeal_id, n, name, iin) VALUES (?, ?, ?, ?)");
    db_bind_int64(st, 1, appeal_id);
    db_bind_int64(st, 2, n);
    db_bind_text(st, 3, name);
    store_bind_opt(st, 4, iin);
    return db_run(st, NULL, err);
}

int store_signatory_count(store_tx_t *tx, int64_t appeal_id, int64_t *n, ot_err_t *err)
{
    PREPARE(tx, "SELECT count(*) FROM appeal_signatories WHERE appeal_id = ?");
    db_bind_int64(st, 1, appeal_id);
    return db_run(st, n, err);
}
