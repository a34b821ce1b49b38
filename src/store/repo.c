/* Small helpers shared by the repositories (declared in store_int.h). */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"
#include "util/jw.h"
#include "util/str.h"

int store_is_pg(const store_tx_t *tx)
{
    return !strcmp(db_engine(tx->db), "postgresql");
}

int store_returning(const store_tx_t *tx)
{
    return store_is_pg(tx);
}

void store_copy_col(db_stmt_t *st, int i, char *out, size_t n)
{
    /* columns are bounded by validation; never overflow the buffer */
    str_copy(out, n, db_col_text(st, i));
}

void store_bind_opt(db_stmt_t *st, int i, const char *s)
{
    db_bind_text(st, i, s && *s ? s : NULL);
}

void store_bind_id(db_stmt_t *st, int i, int64_t id)
{
    if (id)
        db_bind_int64(st, i, id);
    else
        db_bind_null(st, i);
}

int store_insert_rows(store_tx_t *tx, const char *many, const char *one, int cols, size_t n,
                      void (*bind)(db_stmt_t *st, int b, size_t i, void *arg), void *arg,
                      ot_err_t *err)
{
    int rc = OT_OK;
    for (size_t i = 0; !rc && i < n;) {
        size_t k = n - i >= STORE_INSERT_ROWS ? STORE_INSERT_ROWS : 1;
        db_stmt_t *st = db_prepare(tx->db, k > 1 ? many : one, err);
        if (!st)
            return err ? err->status : OT_EINTERNAL;
        for (size_t r = 0; r < k; r++, i++)
            bind(st, (int)r * cols, i, arg);
        rc = db_run(st, NULL, err);
    }
    return rc;
}

char *store_dup_col(db_stmt_t *st, int i)
{
    const char *s = db_col_text(st, i);
    return s ? strdup(s) : NULL;
}

char *store_json_ids(const int64_t *ids, size_t n)
{
    jw_t w = JW_INIT;
    jw_arr(&w);
    for (size_t i = 0; i < n; i++)
        jw_int(&w, ids[i]);
    jw_end(&w);
    return jw_finish(&w, NULL);
}

char *store_json_keys(const char *const *keys, size_t n)
{
    jw_t w = JW_INIT;
    jw_arr(&w);
    for (size_t i = 0; i < n; i++) {
        jw_arr(&w);
        jw_str(&w, keys[i]);
        jw_end(&w);
    }
    jw_end(&w);
    return jw_finish(&w, NULL);
}

/* The caps of the list walks divided by OTINISH_LIST_SCALE (default 1), read once: the API
 * tests set it so that a few dozen rows take the walks a million take (every walk must give
 * the page the SQL gives); never less than 1. */
static int list_scale = 1;
static pthread_once_t list_scale_once = PTHREAD_ONCE_INIT;

static void list_scale_read(void)
{
    const char *e = getenv("OTINISH_LIST_SCALE");
    int v = e ? atoi(e) : 1;
    list_scale = v > 0 ? v : 1;
}

int64_t store_list_cap(int64_t cap)
{
    pthread_once(&list_scale_once, list_scale_read);
    return cap / list_scale > 0 ? cap / list_scale : 1;
}

int store_pg_plans(store_tx_t *tx, const char *mode, char saved[32], ot_err_t *err)
{
    PREPARE(tx,
            "SELECT current_setting('plan_cache_mode'), set_config('plan_cache_mode', ?1, true)");
    db_bind_text(st, 1, mode);
    int rc = db_step(st, err);
    if (rc == DB_ROW && saved)
        store_copy_col(st, 0, saved, 32);
    db_reset(st);
    return rc < 0 ? -rc : OT_OK;
}

int64_t store_chunk_next(int64_t chunk)
{
    return chunk < STORE_CHUNK_MAX ? chunk * 2 : chunk;
}

int store_list_driver(store_tx_t *tx, const char *const *probe, const char *const *vals, int n,
                      int64_t cap, void (*bind)(db_stmt_t *st, int d, const void *arg),
                      const void *arg, int *driver, int64_t *size, ot_err_t *err)
{
    int64_t best = cap;
    for (int d = 0; d < n; d++) {
        if (!vals[d] || !probe[d])
            continue;
        PREPARE(tx, probe[d]);
        db_bind_text(st, 1, vals[d]);
        db_bind_int64(st, 2, best);
        if (bind)
            bind(st, d, arg);
        int64_t k = best;
        int rc = db_run(st, &k, err);
        if (rc)
            return rc;
        if (k < best) {
            best = k;
            *driver = d;
            if (size)
                *size = k;
        }
    }
    return OT_OK;
}

int store_body_under(store_tx_t *tx, const char *body, const char *scope, int *under, ot_err_t *err)
{
    PREPARE(tx, "SELECT count(*) FROM bodies WHERE id = ?1 AND substr(path, 1, length(?2)) = ?2");
    db_bind_text(st, 1, body);
    db_bind_text(st, 2, scope);
    int64_t n = 0;
    int rc = db_run(st, &n, err);
    *under = !rc && n > 0;
    return rc;
}
