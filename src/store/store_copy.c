/* Copying an SQLite database into PostgreSQL: see store_copy.h. Engine-specific by nature:
 * it reads SQLite's catalogue and switches PostgreSQL's triggers off. */
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

struct copy {
    store_tx_t *src;
    struct tables *t;
    int skip[MAX_TABLES];
    store_copy_fn fn;
    void *arg;
    int *already;
};

static int copy_table(store_tx_t *src, store_tx_t *dst, const char *table, int64_t *rows,
                      ot_err_t *err)
{
    char cols[MAX_COLS][64];
    int nc = 0, rc;
    int64_t rowid = 0;
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
    size_t cap = 256 + (size_t)nc * 72;
    char *sel = malloc(cap), *ins = malloc(cap);
    if (!sel || !ins) {
        free(sel);
        free(ins);
        return ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
    }
    size_t a = (size_t)snprintf(sel, cap, "SELECT "),
           b = (size_t)snprintf(ins, cap, "INSERT INTO \"%s\" (", table);
    for (int i = 0; i < nc; i++) {
        a += (size_t)snprintf(sel + a, cap - a, "%s\"%s\"", i ? ", " : "", cols[i]);
        b += (size_t)snprintf(ins + b, cap - b, "%s\"%s\"", i ? ", " : "", cols[i]);
    }
    /* in rowid order: a row that points at an earlier one of its table comes after it (the
     * tables without a rowid, aggregates, point at nothing) */
    snprintf(sel + a, cap - a, " FROM \"%s\"%s", table, rowid ? " ORDER BY rowid" : "");
    b += (size_t)snprintf(ins + b, cap - b, ") VALUES (");
    for (int i = 0; i < nc; i++)
        b += (size_t)snprintf(ins + b, cap - b, "%s?", i ? ", " : "");
    snprintf(ins + b, cap - b, ")");
    db_stmt_t *r = db_prepare_temp(src->db, sel, err);
    db_stmt_t *w = r ? db_prepare_temp(dst->db, ins, err) : NULL;
    rc = r && w ? OT_OK : (err ? err->status : OT_EINTERNAL);
    *rows = 0;
    int step = DB_DONE;
    while (!rc && (step = db_step(r, err)) == DB_ROW) {
        /* every value as text: the target's column types read it back (integers, reals,
         * text; the schema has no blobs) */
        for (int i = 0; i < nc; i++)
            db_bind_text(w, i + 1, db_col_text(r, i));
        rc = db_run(w, NULL, err);
        (*rows)++;
    }
    if (!rc && step < 0)
        rc = -step;
    db_finalize(r);
    db_finalize(w);
    free(sel);
    free(ins);
    return rc;
}

static int switch_triggers(store_tx_t *dst, const char *table, int on, ot_err_t *err)
{
    char sql[200];
    snprintf(sql, sizeof sql, "ALTER TABLE \"%s\" %s TRIGGER USER", table,
             on ? "ENABLE" : "DISABLE");
    return db_exec(dst->db, sql, err);
}

/* After rows with explicit ids, each identity sequence moves past its column's largest
 * value (SQLite takes the largest rowid + 1). */
#define SYNC_IDS                                                                                   \
    "DO $$DECLARE r record; BEGIN FOR r IN SELECT table_name t, column_name c"                     \
    " FROM information_schema.columns WHERE is_identity = 'YES'"                                   \
    " AND table_schema = current_schema() LOOP EXECUTE format('SELECT setval("                     \
    "pg_get_serial_sequence(%L, %L), coalesce((SELECT max(%I) FROM %I), 0) + 1, false)',"          \
    " r.t, r.c, r.c, r.t); END LOOP; END$$"

static int copy_all(store_tx_t *dst, void *p, ot_err_t *err)
{
    struct copy *c = p;
    int rc = OT_OK, all_same = 1, any_rows = 0;
    for (int i = 0; !rc && i < c->t->n; i++) {
        int has = 0;
        rc = target_has(dst, c->t->name[i], &has, err);
        c->skip[i] = !has;
        if (rc || !has)
            continue;
        int64_t n = 0;
        rc = count_rows(dst->db, c->t->name[i], &n, err);
        if (n)
            any_rows = 1;
        if (n != c->t->rows[i])
            all_same = 0;
    }
    if (rc)
        return rc;
    if (any_rows && all_same) {
        *c->already = 1;
        return OT_OK;
    }
    if (any_rows)
        return ot_err(err, OT_ECONFLICT, "target_not_empty", "to",
                      "the target database already holds rows (and not those of this source):"
                      " copy into an empty database");
    for (int i = 0; !rc && i < c->t->n; i++) {
        int64_t rows = -1;
        if (!c->skip[i]) {
            rc = switch_triggers(dst, c->t->name[i], 0, err);
            if (!rc)
                rc = copy_table(c->src, dst, c->t->name[i], &rows, err);
            if (!rc)
                rc = switch_triggers(dst, c->t->name[i], 1, err);
            if (!rc && rows != c->t->rows[i])
                rc = ot_err(err, OT_EINTERNAL, "copy_count", NULL,
                            "%s: %lld rows read, %lld in the source", c->t->name[i],
                            (long long)rows, (long long)c->t->rows[i]);
        }
        if (!rc && c->fn)
            c->fn(c->t->name[i], rows, c->arg);
    }
    if (!rc)
        rc = db_exec(dst->db, SYNC_IDS, err);
    /* the search index is not copied (FTS5's tables are left out): the target builds its
     * own from the copied rows (store_search.h) */
    if (!rc)
        rc = store_search_rebuild(dst, err);
    /* the counts once more, as the target's commit will hold them */
    for (int i = 0; !rc && i < c->t->n; i++) {
        int64_t n = 0;
        if (c->skip[i])
            continue;
        rc = count_rows(dst->db, c->t->name[i], &n, err);
        if (!rc && n != c->t->rows[i])
            rc = ot_err(err, OT_EINTERNAL, "copy_count", NULL,
                        "%s: %lld rows in the target, %lld in the source", c->t->name[i],
                        (long long)n, (long long)c->t->rows[i]);
    }
    return rc;
}

struct outer {
    store_t *to;
    struct copy *c;
};

static int read_source(store_tx_t *src, void *p, ot_err_t *err)
{
    struct outer *o = p;
    o->c->src = src;
    int rc = source_tables(src, o->c->t, err);
    for (int i = 0; !rc && i < o->c->t->n; i++)
        rc = count_rows(src->db, o->c->t->name[i], &o->c->t->rows[i], err);
    if (!rc)
        rc = store_write(o->to, copy_all, o->c, err);
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
    struct copy c = {NULL, &t, {0}, fn, arg, already};
    struct outer o = {to, &c};
    int rc = store_read(from, read_source, &o, err);
    tables_free(&t);
    return rc;
}
