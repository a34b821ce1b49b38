/* Repository: the event log. */
#include "store/store_event.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"
#include "util/jw.h"
#include "store/store_seal.h"

#define HEAD_SQL "SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1"

/* the head from st, a run of HEAD_SQL */
static int head_of(db_stmt_t *st, int64_t *seq, char hash_hex[2 * CHAIN_HASH_LEN + 1],
                   ot_err_t *err)
{
    int rc = db_step(st, err);
    if (rc < 0)
        return -rc;
    if (rc == DB_ROW) {
        *seq = db_col_int64(st, 0);
        store_copy_col(st, 1, hash_hex, 2 * CHAIN_HASH_LEN + 1);
    } else {
        *seq = 0;
        chain_hex(chain_genesis, hash_hex);
    }
    db_reset(st);
    return OT_OK;
}

int store_event_head(store_tx_t *tx, int64_t *seq, char hash_hex[2 * CHAIN_HASH_LEN + 1],
                     ot_err_t *err)
{
    PREPARE(tx, HEAD_SQL);
    return head_of(st, seq, hash_hex, err);
}

static int unhex(const char *s, unsigned char out[CHAIN_HASH_LEN])
{
    if (strlen(s) != 2 * CHAIN_HASH_LEN)
        return -1;
    for (int i = 0; i < CHAIN_HASH_LEN; i++) {
        int v = 0;
        for (int k = 0; k < 2; k++) {
            char c = s[2 * i + k];
            int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
            if (d < 0)
                return -1;
            v = v * 16 + d;
        }
        out[i] = (unsigned char)v;
    }
    return 0;
}

/* The head of the chain from st (a run of HEAD_SQL): its seq and hash, as hex and as bytes. */
static int chain_head(db_stmt_t *st, int64_t *seq, char prev_hex[2 * CHAIN_HASH_LEN + 1],
                      unsigned char prev[CHAIN_HASH_LEN], ot_err_t *err)
{
    int rc = head_of(st, seq, prev_hex, err);
    if (!rc && unhex(prev_hex, prev))
        rc = ot_err(err, OT_EINTERNAL, "audit_chain_broken", NULL,
                    "the head event's hash is not valid hex");
    return rc;
}

int store_event_append(store_tx_t *tx, chain_event_t *ev, ot_err_t *err)
{
    char prev_hex[2 * CHAIN_HASH_LEN + 1], hash_hex[2 * CHAIN_HASH_LEN + 1];
    unsigned char prev[CHAIN_HASH_LEN], h[CHAIN_HASH_LEN];
    int64_t seq;
    /* the head is asked for with the seal's reads, in one round trip (db_prefetch) */
    db_stmt_t *hst = db_prepare(tx->db, HEAD_SQL, err);
    if (!hst)
        return err ? err->status : OT_EINTERNAL;
    int rc = db_prefetch(hst, err);
    if (rc)
        return rc;
    if (!ev->data)
        ev->data = "{}"; /* store exactly what is hashed */
    /* the seal of the record as this transaction has left it so far: the change is made
     * before its event is appended */
    char state[SEAL_STATE_MAX];
    ev->state = NULL;
    if (!store_is_unsealed(tx->store) && store_seal_kind(ev->object_type)) {
        seal_t seal;
        int exists;
        seal_init(&seal, 0);
        if ((rc = store_seal_record(tx, ev->object_type, ev->object_id, &seal, state, &exists,
                                    err))) {
            db_reset(hst);
            return rc;
        }
        ev->state = state;
    }
    if ((rc = chain_head(hst, &seq, prev_hex, prev, err)))
        return rc;
    ev->seq = seq + 1;
    chain_hash(prev, ev, h);
    chain_hex(h, hash_hex);
    PREPARE(tx, "INSERT INTO events (seq, at, actor, action, object_type, object_id, data,"
                " prev_hash, hash, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    db_bind_int64(st, 1, ev->seq);
    db_bind_int64(st, 2, ev->at);
    db_bind_text(st, 3, ev->actor);
    db_bind_text(st, 4, ev->action);
    db_bind_text(st, 5, ev->object_type);
    db_bind_text(st, 6, ev->object_id);
    db_bind_text(st, 7, ev->data);
    db_bind_text(st, 8, prev_hex);
    db_bind_text(st, 9, hash_hex);
    db_bind_text(st, 10, ev->state);
    rc = db_send(st, err); /* goes with the next statement (PostgreSQL: one round trip less) */
    ev->state = NULL;      /* state was on this stack */
    return rc;
}

struct states {
    char (*state)[SEAL_STATE_MAX];
    size_t i;
};

static int take_state(int64_t id, const char *state, void *arg)
{
    (void)id;
    struct states *s = arg;
    snprintf(s->state[s->i++], SEAL_STATE_MAX, "%s", state);
    return 0;
}

/* The seals of evs' records, as store_event_append makes them, into states[i]. */
static int seal_many(store_tx_t *tx, chain_event_t *evs, size_t n, char (*states)[SEAL_STATE_MAX],
                     ot_err_t *err)
{
    int by_range = 1;
    int64_t *ids = calloc(n, sizeof *ids);
    if (!ids)
        return ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
    for (size_t i = 0; i < n; i++) {
        char *end;
        ids[i] = strtoll(evs[i].object_id, &end, 10);
        by_range &= !*end && strcmp(evs[i].object_type, evs[0].object_type) == 0 &&
                    (!i || ids[i] > ids[i - 1]);
    }
    struct states s = {states, 0};
    int rc = by_range ? store_seal_many(tx, evs[0].object_type, ids, n, take_state, &s, err)
                      : OT_ENOTFOUND;
    free(ids);
    if (rc != OT_ENOTFOUND)
        return rc;
    /* the others (appeals, by their numbers) one by one */
    for (size_t i = 0; i < n; i++) {
        int exists;
        seal_t seal;
        seal_init(&seal, 0);
        if ((rc = store_seal_record(tx, evs[i].object_type, evs[i].object_id, &seal, states[i],
                                    &exists, err)))
            return rc;
    }
    return OT_OK;
}

/* The seals of evs' records for events that leave the rows as they are: each record's latest
 * seal carried on (store_seal_latest_keys), and where it has none, its rows sealed
 * (seal_many). */
static int carry_seals(store_tx_t *tx, chain_event_t *evs, size_t n, char (*states)[SEAL_STATE_MAX],
                       ot_err_t *err)
{
    const char **keys = malloc(n * sizeof *keys);
    size_t *miss = malloc(n * sizeof *miss);
    chain_event_t *sub = malloc(n * sizeof *sub);
    char(*sub_states)[SEAL_STATE_MAX] = NULL;
    int rc = keys && miss && sub ? OT_OK : ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
    for (size_t i = 0; !rc && i < n; i++)
        keys[i] = evs[i].object_id;
    if (!rc)
        rc = store_seal_latest_keys(tx, evs[0].object_type, keys, n, states, err);
    size_t m = 0;
    for (size_t i = 0; !rc && i < n; i++)
        if (!states[i][0]) {
            miss[m] = i;
            sub[m++] = evs[i];
        }
    if (!rc && m && !(sub_states = malloc(m * sizeof *sub_states)))
        rc = ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
    if (!rc && m)
        rc = seal_many(tx, sub, m, sub_states, err);
    for (size_t k = 0; !rc && k < m; k++)
        memcpy(states[miss[k]], sub_states[k], SEAL_STATE_MAX);
    free(keys);
    free(miss);
    free(sub);
    free(sub_states);
    return rc;
}

/* store_event_append_many's inserts (store_insert_rows): 64 rows a statement (640
 * parameters), the rest one by one */
#define EV_INSERT                                                                                  \
    "INSERT INTO events (seq, at, actor, action, object_type, object_id, data, prev_hash, hash,"   \
    " state) VALUES "
#define EV_ROW1 "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
static const char EV_INSERT_ONE[] = EV_INSERT EV_ROW1;
static const char EV_INSERT_MANY[] = EV_INSERT STORE_ROWS64(EV_ROW1);

/* The events to insert, with each one's previous and own hash in hex. */
struct ev_rows {
    const chain_event_t *evs;
    char (*hex)[2][2 * CHAIN_HASH_LEN + 1];
};

static void bind_event(db_stmt_t *st, int b, size_t i, void *arg)
{
    const struct ev_rows *rows = arg;
    const chain_event_t *ev = &rows->evs[i];
    db_bind_int64(st, b + 1, ev->seq);
    db_bind_int64(st, b + 2, ev->at);
    db_bind_text(st, b + 3, ev->actor);
    db_bind_text(st, b + 4, ev->action);
    db_bind_text(st, b + 5, ev->object_type);
    db_bind_text(st, b + 6, ev->object_id);
    db_bind_text(st, b + 7, ev->data);
    db_bind_text(st, b + 8, rows->hex[i][0]);
    db_bind_text(st, b + 9, rows->hex[i][1]);
    db_bind_text(st, b + 10, ev->state);
}

static int append_many(store_tx_t *tx, chain_event_t *evs, size_t n, int unchanged, ot_err_t *err)
{
    if (!n)
        return OT_OK;
    /* the seals first: all the rows are there (made before their events) */
    char(*states)[SEAL_STATE_MAX] = NULL;
    if (!store_is_unsealed(tx->store) && store_seal_kind(evs[0].object_type)) {
        int same = 1;
        for (size_t i = 1; i < n; i++)
            same &= !strcmp(evs[i].object_type, evs[0].object_type);
        if (!same)
            return ot_err(err, OT_EINTERNAL, "event_batch", NULL,
                          "a batch of events on records of several types");
        if (!(states = malloc(n * sizeof *states)))
            return ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
        int rc =
            unchanged ? carry_seals(tx, evs, n, states, err) : seal_many(tx, evs, n, states, err);
        if (rc) {
            free(states);
            return rc;
        }
        for (size_t i = 0; i < n; i++)
            evs[i].state = states[i];
    } else
        for (size_t i = 0; i < n; i++)
            evs[i].state = NULL;
    char prev_hex[2 * CHAIN_HASH_LEN + 1], hash_hex[2 * CHAIN_HASH_LEN + 1];
    unsigned char prev[CHAIN_HASH_LEN], h[CHAIN_HASH_LEN];
    int64_t seq;
    db_stmt_t *hst = db_prepare(tx->db, HEAD_SQL, err);
    int rc = hst ? chain_head(hst, &seq, prev_hex, prev, err) : err ? err->status : OT_EINTERNAL;
    if (rc) {
        free(states);
        return rc;
    }
    /* the rows bound as they are, 64 to a statement (issue 23 point 5: a JSON array read
     * back through json_each, ten `->>` a row, was a sixth of a first sweep's instructions),
     * the rest one by one; each row's hashes kept for its binding */
    char(*hex)[2][2 * CHAIN_HASH_LEN + 1] = malloc(n * sizeof *hex);
    if (!hex) {
        free(states);
        return ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        chain_event_t *ev = &evs[i];
        ev->seq = ++seq;
        if (!ev->data)
            ev->data = "{}";
        chain_hash(prev, ev, h);
        chain_hex(h, hash_hex);
        memcpy(hex[i][0], prev_hex, sizeof prev_hex);
        memcpy(hex[i][1], hash_hex, sizeof hash_hex);
        memcpy(prev, h, sizeof h);
        memcpy(prev_hex, hash_hex, sizeof hash_hex);
    }
    struct ev_rows rows = {evs, hex};
    rc = store_insert_rows(tx, EV_INSERT_MANY, EV_INSERT_ONE, 10, n, bind_event, &rows, err);
    for (size_t i = 0; i < n; i++)
        evs[i].state = NULL; /* states was ours */
    free(states);
    free(hex);
    return rc;
}

int store_event_append_many(store_tx_t *tx, chain_event_t *evs, size_t n, ot_err_t *err)
{
    return append_many(tx, evs, n, 0, err);
}

int store_event_append_same_many(store_tx_t *tx, chain_event_t *evs, size_t n, ot_err_t *err)
{
    return append_many(tx, evs, n, 1, err);
}

/* The whole chain is read in pages of EVENT_PAGE by seq: on PostgreSQL a statement's result
 * is held whole in memory, and a chain of millions of events would be (audit verify,
 * migrate-db's check of its copy). */
#define EVENT_PAGE 4096
#define STR_(x)    #x
#define STR(x)     STR_(x)

int store_event_each(store_tx_t *tx, const char *object_type, const char *object_id,
                     int (*fn)(const event_row_t *row, void *arg), void *arg, ot_err_t *err)
{
    db_stmt_t *st;
    int64_t after = -1;
    int paged = !object_type;
again:
    if (object_type) {
        st = db_prepare(
            tx->db,
            "SELECT seq, at, actor, action, object_type, object_id, data, prev_hash,"
            " hash, state FROM events WHERE object_type = ? AND object_id = ? ORDER BY seq",
            err);
        if (st) {
            db_bind_text(st, 1, object_type);
            db_bind_text(st, 2, object_id);
        }
    } else {
        st =
            db_prepare(tx->db,
                       "SELECT seq, at, actor, action, object_type, object_id, data, prev_hash,"
                       " hash, state FROM events WHERE seq > ? ORDER BY seq LIMIT " STR(EVENT_PAGE),
                       err);
        if (st)
            db_bind_int64(st, 1, after);
    }
    if (!st)
        return err ? err->status : OT_EINTERNAL;
    int rc, stop = 0, rows = 0;
    while (!stop && (rc = db_step(st, err)) == DB_ROW) {
        event_row_t r = {{db_col_int64(st, 0), db_col_int64(st, 1), db_col_text(st, 2),
                          db_col_text(st, 3), db_col_text(st, 4), db_col_text(st, 5),
                          db_col_text(st, 6), db_col_text(st, 9)},
                         db_col_text(st, 7),
                         db_col_text(st, 8)};
        after = r.ev.seq;
        rows++;
        stop = fn(&r, arg);
    }
    db_reset(st);
    if (stop)
        return stop;
    if (rc < 0)
        return -rc;
    if (paged && rows == EVENT_PAGE)
        goto again;
    return OT_OK;
}

int store_event_ops_alerts(store_tx_t *tx, int64_t since, int max,
                           int (*fn)(const chain_event_t *ev, const char *body, void *arg),
                           void *arg, ot_err_t *err)
{
    /* the action list is the partial index's own predicate, word for word */
    PREPARE(tx, "SELECT e.seq, e.at, e.actor, e.action, e.object_type, e.object_id, e.data,"
                " CASE WHEN e.object_type = 'body' THEN e.object_id ELSE a.body END"
                " FROM events e LEFT JOIN appeals a ON e.object_type = 'appeal'"
                " AND a.number = e.object_id"
                " WHERE e.action IN ('notice.undelivered', 'body.no_head') AND e.at >= ?"
                " ORDER BY e.seq DESC LIMIT ?");
    db_bind_int64(st, 1, since);
    db_bind_int64(st, 2, max);
    int rc, stop = 0;
    while (!stop && (rc = db_step(st, err)) == DB_ROW) {
        chain_event_t ev = {
            db_col_int64(st, 0), db_col_int64(st, 1), db_col_text(st, 2), db_col_text(st, 3),
            db_col_text(st, 4),  db_col_text(st, 5),  db_col_text(st, 6), NULL};
        stop = fn(&ev, db_col_text(st, 7), arg);
    }
    db_reset(st);
    if (stop)
        return stop;
    return rc < 0 ? -rc : OT_OK;
}
