/* Repository: the notification outbox. See store_outbox.h. */
#include "store/store_outbox.h"

#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

int store_outbox_add(store_tx_t *tx, int64_t now, int64_t appeal_id, const char *recipient,
                     const char *channel, const char *template_name, const char *language,
                     const char *data_json, ot_err_t *err)
{
    PREPARE(tx, "INSERT INTO outbox (created_at, appeal_id, recipient, channel, template,"
                " language, data, next_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    db_bind_int64(st, 1, now);
    store_bind_id(st, 2, appeal_id);
    db_bind_text(st, 3, recipient);
    db_bind_text(st, 4, channel);
    db_bind_text(st, 5, template_name);
    db_bind_text(st, 6, language);
    db_bind_text(st, 7, data_json);
    db_bind_int64(st, 8, now);
    return db_run(st, NULL, err);
}

int store_outbox_claim(store_tx_t *tx, int64_t now, int64_t lease_us, size_t max,
                       outbox_row_t **rows, size_t *n, ot_err_t *err)
{
    PREPARE(tx, "UPDATE outbox SET status = 'sending', next_at = ?1"
                " WHERE id IN (SELECT id FROM outbox WHERE status IN ('pending', 'sending')"
                " AND next_at <= ?2 ORDER BY next_at, id LIMIT ?3)"
                " RETURNING id, coalesce(appeal_id, 0), attempts, recipient, channel, template,"
                " language, data");
    db_bind_int64(st, 1, now + lease_us);
    db_bind_int64(st, 2, now);
    db_bind_int64(st, 3, (int64_t)max);
    size_t cap = 0;
    int rc;
    *rows = NULL;
    *n = 0;
    while ((rc = db_step(st, err)) == DB_ROW) {
        if (*n == cap) {
            size_t c = cap ? cap * 2 : 64;
            outbox_row_t *p = realloc(*rows, c * sizeof *p);
            if (!p) {
                db_reset(st);
                return ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
            }
            *rows = p;
            cap = c;
        }
        outbox_row_t *r = &(*rows)[(*n)++];
        memset(r, 0, sizeof *r);
        r->id = db_col_int64(st, 0);
        r->appeal_id = db_col_int64(st, 1);
        r->attempts = db_col_int64(st, 2);
        store_copy_col(st, 3, r->recipient, sizeof r->recipient);
        store_copy_col(st, 4, r->channel, sizeof r->channel);
        store_copy_col(st, 5, r->template_name, sizeof r->template_name);
        store_copy_col(st, 6, r->language, sizeof r->language);
        const char *d = db_col_text(st, 7);
        r->data = strdup(d ? d : "{}");
    }
    db_reset(st);
    return rc < 0 ? -rc : OT_OK;
}

void store_outbox_rows_free(outbox_row_t *rows, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(rows[i].data);
    free(rows);
}

int store_outbox_result(store_tx_t *tx, int64_t id, const char *status, int64_t attempts,
                        int64_t next_at, int64_t now, const char *error, ot_err_t *err)
{
    PREPARE(tx, "UPDATE outbox SET status = ?, attempts = ?, next_at = ?,"
                " sent_at = CASE WHEN ? = 'sent' THEN ? ELSE sent_at END, last_error = ?"
                " WHERE id = ?");
    db_bind_text(st, 1, status);
    db_bind_int64(st, 2, attempts);
    db_bind_int64(st, 3, next_at);
    db_bind_text(st, 4, status);
    db_bind_int64(st, 5, now);
    db_bind_text(st, 6, error);
    db_bind_int64(st, 7, id);
    return db_run(st, NULL, err);
}
