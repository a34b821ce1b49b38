/* Copying an SQLite database into PostgreSQL, and a small PostgreSQL database back into a new
 * SQLite file: see store_copy.h. Engine-specific by nature: it reads SQLite's catalogue and
 * switches PostgreSQL's triggers off (SQLite's: dropped and made again). The way in is
 * chunked: memory holds one INSERT's rows, and each transaction of the target 10,000 rows
 * (issue 19 point 6). The way back is one transaction, each table read whole. */
#include "store/store_copy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"
#include "store/store_search.h"

#define MAX_TABLES 128
#define MAX_COLS   96

/* Parents before the tables that point at them; the rest follow in name order. */
static const char *const first[] = {
    "meta",
    "bodies",
    "districts",
    "categories",
    "routes",
    "users",
    "sessions",
    "events",
    "number_seq",
    "problems",
    "appeals",
    "outbox",
    "violations",
    "head_flags",
    "control_queue",
    "reminders_sent",
    "api_keys",
    "open311_requests",
    "attachments",
    "reception_schedules",
    "reception_bookings",
};

struct tables {
    char *name[MAX_TABLES];
    int64_t rows[MAX_TABLES];
    int n;
};

static void tables_free(struct tables *t)
{
    for (int i = 0; i < t->n; i++)
        free(t->name[i]);
    t->n = 0;
}

static int first_rank(const char *name)
{
    for (size_t i = 0; i < sizeof first / sizeof first[0]; i++)
        if (strcmp(first[i], name) == 0)
            return (int)i;
    return (int)(sizeof first / sizeof first[0]);
}

static int cmp_tables(const void *a, const void *b)
{
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;
    int rx = first_rank(x), ry = first_rank(y);
    return rx != ry ? rx - ry : strcmp(x, y);
}

/* The source's tables: SQLite's own, the schema's version and virtual tables (with the
 * tables a virtual table keeps its data in, named after it: the search index's) left out. */
static int source_tables(store_tx_t *tx, struct tables *t, ot_err_t *err)
{
    PREPARE(tx, "SELECT t.name FROM sqlite_master t WHERE t.type = 'table'"
                " AND t.name NOT LIKE 'sqlite_%' AND t.name <> 'schema_version'"
                " AND t.sql NOT LIKE 'CREATE VIRTUAL%'"
                " AND NOT EXISTS (SELECT 1 FROM sqlite_master v WHERE v.type = 'table'"
                "  AND v.sql LIKE 'CREATE VIRTUAL%'"
                "  AND substr(t.name, 1, length(v.name) + 1) = v.name || '_')");
    int rc;
    while ((rc = db_step(st, err)) == DB_ROW && t->n < MAX_TABLES)
        if (!(t->name[t->n++] = store_dup_col(st, 0))) {
            db_reset(st);
            return ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
        }
    db_reset(st);
    if (rc < 0)
        return -rc;
    qsort(t->name, (size_t)t->n, sizeof t->name[0], cmp_tables);
    return OT_OK;
}

static int count_rows(db_t *db, const char *table, int64_t *n, ot_err_t *err)
{
    char sql[200];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM \"%s\"", table);
    db_stmt_t *st = db_prepare_temp(db, sql, err);
    if (!st)
        return err ? err->status : OT_EINTERNAL;
    int rc = db_run(st, n, err);
    db_finalize(st);
    return rc;
}

static int target_has(store_tx_t *tx, const char *table, int *has, ot_err_t *err)
{
    int64_t n = 0;
    PREPARE(tx, "SELECT count(*) FROM information_schema.tables"
                " WHERE table_schema = current_schema() AND table_name = ?");
    db_bind_text(st, 1, table);
    int rc = db_run(st, &n, err);
    *has = n > 0;
    return rc;
}

/* Rows per transaction of the target, and rows per INSERT statement (one round trip). */
#define CHUNK_ROWS      10000
#define ROWS_PER_INSERT 100

struct copy {
    store_tx_t *src;
    store_t *to;
    struct tables *t;
    int64_t have[MAX_TABLES]; /* the target's rows before this run; -1: no such table */
    store_copy_fn fn;
    void *arg;
    int *already;
};

/* One table being copied: the source's rows read in order, the target's INSERT of up to
 * ROWS_PER_INSERT rows. */
struct table_copy {
    const char *table;
    int nc;
    db_stmt_t *r;      /* the source's rows, from where the target's copy stops */
    const char *ins;   /* INSERT INTO t (cols) VALUES, without the rows */
    const char *full;  /* the INSERT of ROWS_PER_INSERT rows */
    db_stmt_t *w_full; /* that INSERT, on the target's writer connection */
    int64_t done, total;
    int eof;
};

static char *values_sql(const struct table_copy *tc, int rows)
{
    size_t cap = strlen(tc->ins) + (size_t)rows * ((size_t)tc->nc * 3 + 4) + 8;
    char *sql = malloc(cap);
    if (!sql)
        return NULL;
    size_t b = (size_t)snprintf(sql, cap, "%s", tc->ins);
    for (int r = 0; r < rows; r++) {
        b += (size_t)snprintf(sql + b, cap - b, "%s(", r ? ", " : "");
        for (int i = 0; i < tc->nc; i++)
            b += (size_t)snprintf(sql + b, cap - b, "%s?", i ? ", " : "");
        b += (size_t)snprintf(sql + b, cap - b, ")");
    }
    return sql;
}

/* One transaction of the target: up to CHUNK_ROWS rows with the table's own triggers off
 * (switched off and on again inside the transaction, so that a copy stopped between two
 * chunks leaves them on), in INSERTs of ROWS_PER_INSERT rows. */
static int copy_chunk(store_tx_t *dst, void *p, ot_err_t *err)
{
    struct table_copy *tc = p;
    store_stat_off(dst); /* as the triggers: the counter tables come over as they are */
    char sql[200];
    snprintf(sql, sizeof sql, "ALTER TABLE \"%s\" DISABLE TRIGGER USER", tc->table);
    int rc = db_exec(dst->db, sql, err);
    if (!rc && !tc->w_full && !(tc->w_full = db_prepare_temp(dst->db, tc->full, err)))
        rc = err && err->status ? err->status : OT_EINTERNAL;
    int64_t in_chunk = 0;
    /* the values of the rows of one INSERT, as text: the target's column types read them
     * back (integers, reals, text; the schema has no blobs) */
    char **vals = calloc((size_t)ROWS_PER_INSERT * (size_t)tc->nc, sizeof *vals);
    if (!rc && !vals)
        rc = ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
    while (!rc && !tc->eof && in_chunk < CHUNK_ROWS) {
        int rows = 0, step = DB_DONE;
        while (!rc && rows < ROWS_PER_INSERT && (step = db_step(tc->r, err)) == DB_ROW) {
            for (int i = 0; i < tc->nc; i++) {
                const char *v = db_col_text(tc->r, i);
                if (v && !(vals[rows * tc->nc + i] = strdup(v)))
                    rc = ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
            }
            rows++;
        }
        if (!rc && step < 0)
            rc = -step;
        if (!rc && step != DB_ROW)
            tc->eof = 1;
        if (!rc && rows) {
            db_stmt_t *w = tc->w_full;
            if (rows < ROWS_PER_INSERT) { /* the table's last rows */
                char *last = values_sql(tc, rows);
                w = last ? db_prepare_temp(dst->db, last, err) : NULL;
                free(last);
                if (!w)
                    rc = err && err->status ? err->status : OT_EINTERNAL;
            }
            for (int k = 0; !rc && k < rows * tc->nc; k++)
                db_bind_text(w, k + 1, vals[k]);
            if (!rc)
                rc = db_run(w, NULL, err);
            if (w && w != tc->w_full)
                db_finalize(w);
        }
        for (int k = 0; k < rows * tc->nc; k++) {
            free(vals[k]);
            vals[k] = NULL;
        }
        in_chunk += rows;
    }
    free(vals);
    snprintf(sql, sizeof sql, "ALTER TABLE \"%s\" ENABLE TRIGGER USER", tc->table);
    if (!rc)
        rc = db_exec(dst->db, sql, err);
    if (!rc)
        tc->done += in_chunk;
    return rc;
}

/* Copies one table from the target's row `have` on, in the source's rowid order (a row
 * that points at an earlier one of its table comes after it; the tables without a rowid,
 * aggregates, are read in their key's order and point at nothing), one chunk per
 * transaction of the target. */
/* The start of a copy's two statements over the columns cols[0..nc) of table, each in a new
 * buffer of *cap bytes: "SELECT c1, c2, ..." into *sel (its length *a) and "INSERT INTO
 * table (c1, c2, ..." into *ins (its length *b); the callers finish them. */
static int column_lists(const char *table, char (*cols)[64], int nc, char **sel, size_t *a,
                        char **ins, size_t *b, size_t *cap, ot_err_t *err)
{
    *cap = 256 + (size_t)nc * 72;
    *sel = malloc(*cap);
    *ins = malloc(*cap);
    if (!*sel || !*ins) {
        free(*sel);
        free(*ins);
        return ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
    }
    *a = (size_t)snprintf(*sel, *cap, "SELECT ");
    *b = (size_t)snprintf(*ins, *cap, "INSERT INTO \"%s\" (", table);
    for (int k = 0; k < nc; k++) {
        *a += (size_t)snprintf(*sel + *a, *cap - *a, "%s\"%s\"", k ? ", " : "", cols[k]);
        *b += (size_t)snprintf(*ins + *b, *cap - *b, "%s\"%s\"", k ? ", " : "", cols[k]);
    }
    return OT_OK;
}

static int copy_table(struct copy *c, int i, ot_err_t *err)
{
    const char *table = c->t->name[i];
    char cols[MAX_COLS][64];
    int nc = 0, rc;
    int64_t rowid = 0;
    store_tx_t *src = c->src;
    {
        PREPARE(src, "SELECT count(*) FROM sqlite_master WHERE name = ?"
                     " AND sql NOT LIKE '%WITHOUT ROWID%'");
        db_bind_text(st, 1, table);
        if ((rc = db_run(st, &rowid, err)))
            return rc;
    }
    {
        PREPARE(src, "SELECT name FROM pragma_table_info(?) ORDER BY cid");
        db_bind_text(st, 1, table);
        while ((rc = db_step(st, err)) == DB_ROW && nc < MAX_COLS)
            store_copy_col(st, 0, cols[nc++], sizeof cols[0]);
        db_reset(st);
        if (rc < 0)
            return -rc;
    }
    size_t cap, a, b;
    char *sel, *ins;
    if (column_lists(table, cols, nc, &sel, &a, &ins, &b, &cap, err))
        return OT_EINTERNAL;
    snprintf(sel + a, cap - a, " FROM \"%s\"%s LIMIT -1 OFFSET %lld", table,
             rowid ? " ORDER BY rowid" : "", (long long)c->have[i]);
    snprintf(ins + b, cap - b, ") VALUES ");
    struct table_copy tc = {table, nc, NULL, ins, NULL, NULL, c->have[i], c->t->rows[i], 0};
    char *full = values_sql(&tc, ROWS_PER_INSERT);
    tc.full = full;
    tc.r = db_prepare_temp(src->db, sel, err);
    rc = tc.r && full ? OT_OK : ot_err(err, OT_EINTERNAL, "copy_prepare", NULL, "%s", table);
    while (!rc && !tc.eof) {
        rc = store_write(c->to, copy_chunk, &tc, err);
        if (!rc && c->fn)
            c->fn(table, tc.done, tc.total, c->arg);
    }
    if (!rc && tc.done != tc.total)
        rc = ot_err(err, OT_EINTERNAL, "copy_count", NULL,
                    "%s: %lld rows copied, %lld in the source", table, (long long)tc.done,
                    (long long)tc.total);
    db_finalize(tc.r);
    db_finalize(tc.w_full);
    free(full);
    free(sel);
    free(ins);
    return rc;
}

/* After rows with explicit ids, each identity sequence moves past its column's largest
 * value (SQLite takes the largest rowid + 1). */
#define SYNC_IDS                                                                                   \
    "DO $$DECLARE r record; BEGIN FOR r IN SELECT table_name t, column_name c"                     \
    " FROM information_schema.columns WHERE is_identity = 'YES'"                                   \
    " AND table_schema = current_schema() LOOP EXECUTE format('SELECT setval("                     \
    "pg_get_serial_sequence(%L, %L), coalesce((SELECT max(%I) FROM %I), 0) + 1, false)',"          \
    " r.t, r.c, r.c, r.t); END LOOP; END$$"

/* The target's row count of every source table (-1: the target has no such table). */
static int target_state(store_tx_t *dst, void *p, ot_err_t *err)
{
    struct copy *c = p;
    int rc = OT_OK;
    for (int i = 0; !rc && i < c->t->n; i++) {
        int has = 0;
        c->have[i] = -1;
        rc = target_has(dst, c->t->name[i], &has, err);
        if (!rc && has)
            rc = count_rows(dst->db, c->t->name[i], &c->have[i], err);
    }
    return rc;
}

/* The ids' sequences, and the counts once more as the target's commit holds them. */
static int finish(store_tx_t *dst, void *p, ot_err_t *err)
{
    struct copy *c = p;
    int rc = db_exec(dst->db, SYNC_IDS, err);
    /* the search index is not copied (FTS5's tables are left out): the target builds its
     * own from the copied rows (store_search.h) */
    if (!rc)
        rc = store_search_rebuild(dst, err);
    for (int i = 0; !rc && i < c->t->n; i++) {
        int64_t n = 0;
        if (c->have[i] < 0)
            continue;
        rc = count_rows(dst->db, c->t->name[i], &n, err);
        if (!rc && n != c->t->rows[i])
            rc = ot_err(err, OT_EINTERNAL, "copy_count", NULL,
                        "%s: %lld rows in the target, %lld in the source", c->t->name[i],
                        (long long)n, (long long)c->t->rows[i]);
    }
    return rc;
}

/* A target is empty, complete, or a copy of this source stopped part way: the tables are
 * copied in order, so some first tables are whole, at most one is partly there and the rest
 * are empty. Anything else holds other rows. (A stopped copy of another source with the
 * same shape would pass here; the audit chain's check at the end catches its events.) */
static int judge_target(struct copy *c, int *all_same, ot_err_t *err)
{
    int seen_short = 0;
    *all_same = 1;
    for (int i = 0; i < c->t->n; i++) {
        int64_t have = c->have[i], want = c->t->rows[i];
        if (have < 0)
            continue;
        if (have != want)
            *all_same = 0;
        if (have > want || (seen_short && have > 0))
            return ot_err(err, OT_ECONFLICT, "target_not_empty", "to",
                          "the target database already holds rows (and not those of this"
                          " source, or of a copy of it stopped part way: table %s): copy into"
                          " an empty database",
                          c->t->name[i]);
        if (have < want)
            seen_short = 1;
    }
    return OT_OK;
}

struct outer {
    store_t *to;
    struct copy *c;
};

static int read_source(store_tx_t *src, void *p, ot_err_t *err)
{
    struct outer *o = p;
    struct copy *c = o->c;
    c->src = src;
    int rc = source_tables(src, c->t, err);
    for (int i = 0; !rc && i < c->t->n; i++)
        rc = count_rows(src->db, c->t->name[i], &c->t->rows[i], err);
    if (!rc)
        rc = store_read(o->to, target_state, c, err);
    int all_same = 0;
    if (!rc)
        rc = judge_target(c, &all_same, err);
    if (!rc && all_same) {
        *c->already = 1;
        return OT_OK;
    }
    for (int i = 0; !rc && i < c->t->n; i++) {
        if (c->have[i] >= 0 && c->have[i] < c->t->rows[i])
            rc = copy_table(c, i, err);
        else if (c->fn)
            c->fn(c->t->name[i], c->have[i] < 0 ? -1 : c->t->rows[i], c->t->rows[i], c->arg);
    }
    if (!rc)
        rc = store_write(o->to, finish, c, err);
    return rc;
}

int store_copy(store_t *from, store_t *to, store_copy_fn fn, void *arg, int *already, ot_err_t *err)
{
    *already = 0;
    if (strcmp(store_engine(from), "sqlite") != 0 || strcmp(store_engine(to), "postgresql") != 0)
        return ot_err(err, OT_EINVAL, "not_supported", "to",
                      "migrate-db copies an SQLite file into a PostgreSQL database");
    if (store_schema_version(from) != store_schema_version(to))
        return ot_err(err, OT_ECONFLICT, "schema_mismatch", "from",
                      "schema versions differ (%d and %d)", store_schema_version(from),
                      store_schema_version(to));
    struct tables t = {0};
    struct copy c = {NULL, to, &t, {0}, fn, arg, already};
    struct outer o = {to, &c};
    int rc = store_read(from, read_source, &o, err);
    tables_free(&t);
    return rc;
}

/* ==== PostgreSQL back into SQLite (small databases: tests, a trial moved back) ==== */

#define MAX_TRIGGERS 256

struct back {
    store_tx_t *src; /* the PostgreSQL source's snapshot */
    struct tables *t;
    store_copy_fn fn;
    void *arg;
};

/* One table: the target's rows made by its migrations go, the source's rows come, in id
 * order where the table has an id (a row that points at an earlier one of its table comes
 * after it). Values travel as text; the SQLite columns' types read them back. */
static int back_table(store_tx_t *dst, struct back *b, int i, ot_err_t *err)
{
    const char *table = b->t->name[i];
    char cols[MAX_COLS][64];
    int real[MAX_COLS];
    int nc = 0, has_id = 0, rc;
    {
        PREPARE(dst, "SELECT name, upper(type) = 'REAL' FROM pragma_table_info(?) ORDER BY cid");
        db_bind_text(st, 1, table);
        while ((rc = db_step(st, err)) == DB_ROW && nc < MAX_COLS) {
            store_copy_col(st, 0, cols[nc], sizeof cols[0]);
            real[nc] = (int)db_col_int64(st, 1);
            has_id |= !strcmp(cols[nc++], "id");
        }
        db_reset(st);
        if (rc < 0)
            return -rc;
    }
    size_t cap, a, n;
    char *sel, *ins;
    if (column_lists(table, cols, nc, &sel, &a, &ins, &n, &cap, err))
        return OT_EINTERNAL;
    snprintf(sel + a, cap - a, " FROM \"%s\"%s", table, has_id ? " ORDER BY id" : "");
    n += (size_t)snprintf(ins + n, cap - n, ") VALUES (");
    for (int k = 0; k < nc; k++)
        n += (size_t)snprintf(ins + n, cap - n, "%s?", k ? ", " : "");
    snprintf(ins + n, cap - n, ")");
    char del[200];
    snprintf(del, sizeof del, "DELETE FROM \"%s\"", table);
    rc = db_exec(dst->db, del, err);
    db_stmt_t *r = rc ? NULL : db_prepare_temp(b->src->db, sel, err);
    db_stmt_t *w = r ? db_prepare_temp(dst->db, ins, err) : NULL;
    if (!rc && (!r || !w))
        rc = err && err->status ? err->status : OT_EINTERNAL;
    int64_t rows = 0;
    int step = DB_DONE;
    while (!rc && (step = db_step(r, err)) == DB_ROW) {
        /* a REAL goes as the double it is: strtod rounds PostgreSQL's shortest text
         * exactly, SQLite's own text-to-real conversion may miss by one unit in the last
         * place, and the audit chain's seals hash the value */
        for (int k = 0; k < nc; k++)
            if (real[k] && !db_col_is_null(r, k))
                db_bind_double(w, k + 1, strtod(db_col_text(r, k), NULL));
            else
                db_bind_text(w, k + 1, db_col_text(r, k));
        rc = db_run(w, NULL, err);
        rows++;
    }
    if (!rc && step < 0)
        rc = -step;
    db_finalize(w);
    db_finalize(r);
    free(sel);
    free(ins);
    if (!rc && rows != b->t->rows[i])
        rc = ot_err(err, OT_EINTERNAL, "copy_count", NULL,
                    "%s: %lld rows read, %lld counted in the source", table, (long long)rows,
                    (long long)b->t->rows[i]);
    if (!rc && b->fn)
        b->fn(table, rows, rows, b->arg);
    return rc;
}

/* The target's triggers go for the copy (the aggregates are copied as they are, as on the
 * way in) and are made again from their own text at the end, in the same transaction. */
static int back_tx(store_tx_t *dst, void *p, ot_err_t *err)
{
    struct back *b = p;
    char *names[MAX_TRIGGERS], *sqls[MAX_TRIGGERS];
    /* the keys are checked at the commit, when every table is there (the tables' order
     * puts parents first, but rows of one table may point at rows of a later one) */
    int nt = 0, rc = db_exec(dst->db, "PRAGMA defer_foreign_keys = ON", err);
    if (!rc) {
        PREPARE(dst, "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name");
        while ((rc = db_step(st, err)) == DB_ROW && nt < MAX_TRIGGERS) {
            names[nt] = store_dup_col(st, 0);
            sqls[nt] = store_dup_col(st, 1);
            nt++;
            if (!names[nt - 1] || !sqls[nt - 1]) {
                rc = -ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
                break;
            }
        }
        db_reset(st);
        rc = rc < 0 ? -rc : OT_OK;
    }
    for (int i = 0; !rc && i < nt; i++) {
        char drop[200];
        snprintf(drop, sizeof drop, "DROP TRIGGER \"%s\"", names[i]);
        rc = db_exec(dst->db, drop, err);
    }
    for (int i = 0; !rc && i < b->t->n; i++)
        rc = back_table(dst, b, i, err);
    for (int i = 0; !rc && i < nt; i++)
        rc = db_exec(dst->db, sqls[i], err);
    for (int i = 0; i < nt; i++) {
        free(names[i]);
        free(sqls[i]);
    }
    if (!rc)
        rc = store_search_rebuild(dst, err);
    for (int i = 0; !rc && i < b->t->n; i++) {
        int64_t n = 0;
        rc = count_rows(dst->db, b->t->name[i], &n, err);
        if (!rc && n != b->t->rows[i])
            rc = ot_err(err, OT_EINTERNAL, "copy_count", NULL,
                        "%s: %lld rows in the target, %lld in the source", b->t->name[i],
                        (long long)n, (long long)b->t->rows[i]);
    }
    return rc;
}

struct back_outer {
    store_t *to;
    struct back *b;
};

static int back_read(store_tx_t *src, void *p, ot_err_t *err)
{
    struct back_outer *o = p;
    o->b->src = src;
    int rc = OT_OK;
    for (int i = 0; !rc && i < o->b->t->n; i++) {
        int has = 0;
        rc = target_has(src, o->b->t->name[i], &has, err);
        if (!rc && !has)
            rc = ot_err(err, OT_EINVAL, "copy_table", "from", "the source has no table %s",
                        o->b->t->name[i]);
        if (!rc)
            rc = count_rows(src->db, o->b->t->name[i], &o->b->t->rows[i], err);
    }
    return rc ? rc : store_write(o->to, back_tx, o->b, err);
}

static int target_tables(store_tx_t *dst, void *p, ot_err_t *err)
{
    return source_tables(dst, p, err);
}

int store_copy_back(store_t *from, store_t *to, store_copy_fn fn, void *arg, ot_err_t *err)
{
    if (strcmp(store_engine(from), "postgresql") != 0 || strcmp(store_engine(to), "sqlite") != 0)
        return ot_err(err, OT_EINVAL, "not_supported", "to",
                      "this copies a PostgreSQL database into an SQLite file");
    if (store_schema_version(from) != store_schema_version(to))
        return ot_err(err, OT_ECONFLICT, "schema_mismatch", "from",
                      "schema versions differ (%d and %d)", store_schema_version(from),
                      store_schema_version(to));
    struct tables t = {0};
    struct back b = {NULL, &t, fn, arg};
    struct back_outer o = {to, &b};
    int rc = store_read(to, target_tables, &t, err);
    if (!rc)
        rc = store_read(from, back_read, &o, err);
    tables_free(&t);
    return rc;
}
