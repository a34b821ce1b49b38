/* Repository: the seals of records (store_seal.h). */
#include "store/store_seal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_event.h"
#include "store/store_int.h"

/* A related table: its rows whose column points at the main row's id, in a fixed order. */
typedef struct seal_part {
    const char *table;
    const char *sql; /* ? = the event's object_id, as in main_sql (the main row found again by
                      * it, so that every part can be asked for at once: db_prefetch) */
} seal_part_t;

/* What a record of each object type is made of. The main row comes from main_sql with ? =
 * the event's object_id; every column of every row is sealed (SELECT *), so a column added
 * later is covered from the record's next event on. unlogged_sql lists the records that no
 * event speaks of. Open311's own row of an appeal (open311_requests) is written after the
 * appeal's registration event, so it is not part of the appeal's seal. */
typedef struct seal_kind {
    const char *object_type;
    const char *table;
    const char *main_sql;
    seal_part_t related[5];
    const char *unlogged_sql;
    /* the records whose latest event has no seal, with their id, from id > ? in id order */
    const char *unsealed_sql;
} seal_kind_t;

/* Which of an appeal's related parts have rows, as the last column of its main read (bit i:
 * related[i]): only those are read (issue 19 point 7: a new appeal has none, so its seal
 * is one statement, not five); the column itself is not sealed. */
#define PART_BIT(table, bit)                                                                       \
    " + (CASE WHEN EXISTS (SELECT 1 FROM " table " t WHERE t.appeal_id = a.id) THEN " bit          \
    " ELSE 0 END)"
#define APPEAL_PARTS                                                                               \
    "0" PART_BIT("attachments", "1") PART_BIT("forwards", "2") PART_BIT("appeal_addressee", "4")   \
        PART_BIT("appeal_signatories", "8")

static const seal_kind_t kinds[] = {
    {"appeal",
     "appeals",
     "SELECT a.*, " APPEAL_PARTS " FROM appeals a WHERE a.number = ?",
     {{"attachments", "SELECT * FROM attachments WHERE appeal_id ="
                      " (SELECT id FROM appeals WHERE number = ?) ORDER BY id"},
      {"forwards", "SELECT * FROM forwards WHERE appeal_id ="
                   " (SELECT id FROM appeals WHERE number = ?) ORDER BY id"},
      {"appeal_addressee", "SELECT * FROM appeal_addressee WHERE appeal_id ="
                           " (SELECT id FROM appeals WHERE number = ?)"},
      {"appeal_signatories", "SELECT * FROM appeal_signatories WHERE appeal_id ="
                             " (SELECT id FROM appeals WHERE number = ?) ORDER BY n"}},
     "SELECT number FROM appeals a WHERE NOT EXISTS (SELECT 1 FROM events e"
     " WHERE e.object_type = 'appeal' AND e.object_id = a.number)",
     "SELECT a.number, a.id FROM appeals a WHERE a.id > ? AND (SELECT e.state IS NULL FROM events e"
     " WHERE e.object_type = 'appeal' AND e.object_id = a.number ORDER BY e.seq DESC LIMIT 1)"
     " ORDER BY a.id"},
    {"violation",
     "violations",
     "SELECT * FROM violations WHERE id = CAST(? AS INTEGER)",
     {{NULL, NULL}},
     "SELECT CAST(id AS TEXT) FROM violations v WHERE NOT EXISTS (SELECT 1 FROM events e"
     " WHERE e.object_type = 'violation' AND e.object_id = CAST(v.id AS TEXT))",
     "SELECT CAST(v.id AS TEXT), v.id FROM violations v WHERE v.id > ? AND (SELECT e.state IS NULL"
     " FROM events e WHERE e.object_type = 'violation' AND e.object_id = CAST(v.id AS TEXT)"
     " ORDER BY e.seq DESC LIMIT 1) ORDER BY v.id"},
    {"head_flag",
     "head_flags",
     "SELECT * FROM head_flags WHERE id = CAST(? AS INTEGER)",
     {{NULL, NULL}},
     "SELECT CAST(id AS TEXT) FROM head_flags h WHERE NOT EXISTS (SELECT 1 FROM events e"
     " WHERE e.object_type = 'head_flag' AND e.object_id = CAST(h.id AS TEXT))",
     "SELECT CAST(h.id AS TEXT), h.id FROM head_flags h WHERE h.id > ? AND (SELECT e.state IS NULL"
     " FROM events e WHERE e.object_type = 'head_flag' AND e.object_id = CAST(h.id AS TEXT)"
     " ORDER BY e.seq DESC LIMIT 1) ORDER BY h.id"},
    {"user",
     "users",
     "SELECT * FROM users WHERE id = CAST(? AS INTEGER)",
     {{NULL, NULL}},
     "SELECT CAST(id AS TEXT) FROM users u WHERE NOT EXISTS (SELECT 1 FROM events e"
     " WHERE e.object_type = 'user' AND e.object_id = CAST(u.id AS TEXT))",
     "SELECT CAST(u.id AS TEXT), u.id FROM users u WHERE u.id > ? AND (SELECT e.state IS NULL"
     " FROM events e WHERE e.object_type = 'user' AND e.object_id = CAST(u.id AS TEXT)"
     " ORDER BY e.seq DESC LIMIT 1) ORDER BY u.id"},
    {"api_key",
     "api_keys",
     "SELECT * FROM api_keys WHERE id = CAST(? AS INTEGER)",
     {{NULL, NULL}},
     "SELECT CAST(id AS TEXT) FROM api_keys k WHERE NOT EXISTS (SELECT 1 FROM events e"
     " WHERE e.object_type = 'api_key' AND e.object_id = CAST(k.id AS TEXT))",
     "SELECT CAST(k.id AS TEXT), k.id FROM api_keys k WHERE k.id > ? AND (SELECT e.state IS NULL"
     " FROM events e WHERE e.object_type = 'api_key' AND e.object_id = CAST(k.id AS TEXT)"
     " ORDER BY e.seq DESC LIMIT 1) ORDER BY k.id"},
};
#define N_KINDS (sizeof kinds / sizeof kinds[0])

static const seal_kind_t *find(const char *object_type)
{
    for (size_t i = 0; i < N_KINDS; i++)
        if (!strcmp(kinds[i].object_type, object_type))
            return &kinds[i];
    return NULL;
}

int store_seal_kind(const char *object_type)
{
    return object_type && find(object_type) != NULL;
}

/* Seals the row st is on (but its last column with parts: the bits of the parts with rows,
 * into *parts); its "id" column's value (0 without one). */
static int64_t seal_one_row(db_stmt_t *st, seal_t *s, int64_t *parts)
{
    int64_t id = 0;
    seal_row(s);
    int n = db_col_count(st);
    if (parts)
        *parts = db_col_int64(st, --n);
    for (int i = 0; i < n; i++) {
        const char *name = db_col_name(st, i);
        if (!strcmp(name, "id"))
            id = db_col_int64(st, i);
        seal_field(s, name, db_col_text(st, i));
    }
    return id;
}

/* Seals every row st gives (one part); the main part also hands back its "id" and, with
 * parts, the bits of its related parts that have rows. */
static int seal_rows(db_stmt_t *st, seal_t *s, int64_t *id, int64_t *parts, int *rows,
                     ot_err_t *err)
{
    int rc;
    *rows = 0;
    while ((rc = db_step(st, err)) == DB_ROW) {
        int64_t row_id = seal_one_row(st, s, parts);
        if (id)
            *id = row_id;
        (*rows)++;
    }
    db_reset(st);
    return rc < 0 ? -rc : OT_OK;
}

int store_seal_record(store_tx_t *tx, const char *object_type, const char *object_id, seal_t *s,
                      char state[SEAL_STATE_MAX], int *exists, ot_err_t *err)
{
    const seal_kind_t *k = find(object_type);
    if (!k)
        return ot_err(err, OT_ENOTFOUND, "not_sealed", NULL, "%s records carry no seal",
                      object_type);
    db_stmt_t *st = db_prepare(tx->db, k->main_sql, err), *rel[5] = {NULL};
    if (!st)
        return err ? err->status : OT_EINTERNAL;
    db_bind_text(st, 1, object_id);
    int64_t id = 0, have = 0;
    int rows = 0, rc = OT_OK;
    int parts = 0;
    while (parts < 5 && k->related[parts].table)
        parts++;
    seal_part(s, k->table);
    rc = seal_rows(st, s, &id, parts ? &have : NULL, &rows, err);
    if (!rc)
        *exists = rows > 0;
    /* the parts that have rows, asked for at once: one round trip on PostgreSQL */
    for (int i = 0; i < parts && !rc && rows; i++) {
        if (!(have & ((int64_t)1 << i)))
            continue;
        if (!(rel[i] = db_prepare(tx->db, k->related[i].sql, err)))
            rc = err ? err->status : OT_EINTERNAL;
        else {
            db_bind_text(rel[i], 1, object_id);
            rc = db_prefetch(rel[i], err);
        }
    }
    for (int i = 0; i < parts; i++) {
        int n;
        if (!rc && rows) {
            seal_part(s, k->related[i].table);
            if (rel[i])
                rc = seal_rows(rel[i], s, NULL, NULL, &n, err);
        }
        if (rel[i])
            db_reset(rel[i]);
    }
    if (rc) {
        db_reset(st);
        return rc;
    }
    seal_final(s, state, SEAL_STATE_MAX);
    return OT_OK;
}

int store_seal_many(store_tx_t *tx, const char *object_type, const int64_t *ids, size_t n,
                    int (*fn)(int64_t id, const char *state, void *arg), void *arg, ot_err_t *err)
{
    const seal_kind_t *k = find(object_type);
    if (!k || k->related[0].table ||
        strcmp(k->main_sql + strlen(k->main_sql) - strlen("WHERE id = CAST(? AS INTEGER)"),
               "WHERE id = CAST(? AS INTEGER)"))
        return ot_err(err, OT_ENOTFOUND, "not_sealed", NULL,
                      "%s records are not sealed by id range", object_type);
    if (!n)
        return OT_OK;
    /* the same columns as the record's own SELECT *, over the ids' range in id order */
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT * FROM %s WHERE id >= ? AND id <= ? ORDER BY id", k->table);
    db_stmt_t *st = db_prepare_temp(tx->db, sql, err);
    if (!st)
        return err ? err->status : OT_EINTERNAL;
    db_bind_int64(st, 1, ids[0]);
    db_bind_int64(st, 2, ids[n - 1]);
    size_t i = 0;
    int rc = DB_DONE, stop = 0;
    char state[SEAL_STATE_MAX];
    while (!stop && i < n && (rc = db_step(st, err)) == DB_ROW) {
        seal_t seal;
        seal_init(&seal, 0);
        seal_part(&seal, k->table);
        int64_t id = seal_one_row(st, &seal, NULL);
        if (id != ids[i])
            continue; /* a row in the range that is not asked for */
        seal_final(&seal, state, sizeof state);
        i++;
        stop = fn(id, state, arg);
    }
    db_finalize(st);
    if (stop)
        return stop;
    if (rc < 0)
        return -rc;
    return i == n ? OT_OK
                  : ot_err(err, OT_EINTERNAL, "seal_missing", NULL, "a %s to seal is not there",
                           object_type);
}

int store_seal_latest_keys(store_tx_t *tx, const char *object_type, const char *const *keys,
                           size_t n, char (*states)[SEAL_STATE_MAX], ot_err_t *err)
{
    for (size_t i = 0; i < n; i++)
        states[i][0] = '\0';
    if (!n)
        return OT_OK;
    /* each record's latest event through events_object, read backwards from its end */
    PREPARE(tx, "SELECT CAST(j.key AS BIGINT), (SELECT e.state FROM events e"
                " WHERE e.object_type = ?2 AND e.object_id = j.value ->> 0"
                " ORDER BY e.seq DESC LIMIT 1) FROM json_each(?1) j");
    char *list = store_json_keys(keys, n);
    if (!list)
        return ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
    db_bind_text(st, 1, list);
    db_bind_text(st, 2, object_type);
    int rc;
    while ((rc = db_step(st, err)) == DB_ROW) {
        int64_t i = db_col_int64(st, 0);
        const char *state = db_col_text(st, 1);
        if (i >= 0 && (size_t)i < n && seal_current(state))
            snprintf(states[i], SEAL_STATE_MAX, "%s", state);
    }
    db_reset(st);
    free(list);
    return rc < 0 ? -rc : OT_OK;
}

int store_seal_latest_each(store_tx_t *tx,
                           int (*fn)(const char *object_type, const char *object_id,
                                     const char *state, int64_t seq, const char *action, void *arg),
                           void *arg, ot_err_t *err)
{
    PREPARE(tx, "SELECT e.object_type, e.object_id, e.state, e.seq, e.action FROM events e"
                " WHERE e.state IS NOT NULL AND NOT EXISTS (SELECT 1 FROM events f"
                " WHERE f.object_type = e.object_type AND f.object_id = e.object_id"
                " AND f.seq > e.seq AND f.state IS NOT NULL)");
    int rc, stop = 0;
    while (!stop && (rc = db_step(st, err)) == DB_ROW)
        stop = fn(db_col_text(st, 0), db_col_text(st, 1), db_col_text(st, 2), db_col_int64(st, 3),
                  db_col_text(st, 4), arg);
    db_reset(st);
    if (stop)
        return stop;
    return rc < 0 ? -rc : OT_OK;
}

int store_seal_unlogged_each(store_tx_t *tx,
                             int (*fn)(const char *object_type, const char *object_id, void *arg),
                             void *arg, ot_err_t *err)
{
    for (size_t i = 0; i < N_KINDS; i++) {
        db_stmt_t *st = db_prepare(tx->db, kinds[i].unlogged_sql, err);
        if (!st)
            return err ? err->status : OT_EINTERNAL;
        int rc, stop = 0;
        while (!stop && (rc = db_step(st, err)) == DB_ROW)
            stop = fn(kinds[i].object_type, db_col_text(st, 0), arg);
        db_reset(st);
        if (stop)
            return stop;
        if (rc < 0)
            return -rc;
    }
    return OT_OK;
}

int store_seal_unsealed(store_tx_t *tx, int64_t at, int64_t *n, ot_err_t *err)
{
    seal_cursor_t from = {0, 0};
    return store_seal_unsealed_upto(tx, at, 0, &from, n, err);
}

int store_seal_unsealed_upto(store_tx_t *tx, int64_t at, int64_t limit, seal_cursor_t *from,
                             int64_t *n, ot_err_t *err)
{
    *n = 0;
    for (; from->kind < N_KINDS && (!limit || *n < limit); from->kind++, from->id = 0) {
        size_t i = from->kind;
        /* the ids first: the events are appended after the walk */
        db_stmt_t *st = db_prepare(tx->db, kinds[i].unsealed_sql, err);
        if (!st)
            return err ? err->status : OT_EINTERNAL;
        /* from the id where the span before stopped: a span that walked again over the
         * records the spans before it sealed made the end of a load quadratic */
        db_bind_int64(st, 1, from->id);
        char **ids = NULL;
        size_t k = 0, cap = 0;
        int rc, step = 0, oom = 0;
        int64_t last = from->id;
        /* at most limit records in all (0: every one): a large load seals in spans, one
         * transaction each, so that the WAL stays bounded (store_bulk.c) */
        while ((!limit || *n + (int64_t)k < limit) && (step = db_step(st, err)) == DB_ROW) {
            if (k == cap) {
                cap = cap ? 2 * cap : 256;
                char **more = realloc(ids, cap * sizeof *ids);
                if (!more && (oom = 1))
                    break;
                ids = more;
            }
            if (!(ids[k] = strdup(db_col_text(st, 0))) && (oom = 1))
                break;
            last = db_col_int64(st, 1);
            k++;
        }
        db_reset(st);
        rc = step < 0 ? -step
             : oom    ? ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory")
                      : OT_OK;
        for (size_t j = 0; !rc && j < k; j++) {
            chain_event_t ev = {0,      at,   "system", "audit.seal", kinds[i].object_type,
                                ids[j], "{}", NULL};
            rc = store_event_append(tx, &ev, err);
        }
        for (size_t j = 0; j < k; j++)
            free(ids[j]);
        free(ids);
        if (rc)
            return rc;
        *n += (int64_t)k;
        if (limit && *n >= limit && step == DB_ROW) {
            from->id = last; /* this kind goes on from here in the next span */
            return OT_OK;
        }
    }
    return OT_OK;
}
