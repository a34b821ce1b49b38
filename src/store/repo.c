/* Small helpers shared by the repositories (declared in store_int.h). */
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"
#include "util/jw.h"
#include "util/str.h"

int store_returning(const store_tx_t *tx)
{
    return !strcmp(db_engine(tx->db), "postgresql");
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

char *store_dup_col(db_stmt_t *st, int i)
{
    const char *s = db_col_text(st, i);
    return s ? strdup(s) : NULL;
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
