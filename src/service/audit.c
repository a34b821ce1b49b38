#include "service/audit.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_event.h"
#include "store/store_seal.h"
#include "util/json_out.h"

int audit_append(store_tx_t *tx, int64_t at, const char *actor, const char *action,
                 const char *object_type, const char *object_id, json_t *data, ot_err_t *err)
{
    char *text = json_out(data, NULL);
    chain_event_t ev = {0, at, actor, action, object_type, object_id, text ? text : "{}", NULL};
    int rc = store_event_append(tx, &ev, err);
    free(text);
    return rc;
}

struct walk {
    audit_report_t *r;
    const audit_pin_t *pin;
    unsigned char prev[CHAIN_HASH_LEN];
    char prev_hex[2 * CHAIN_HASH_LEN + 1];
};

static int fail_at(struct walk *w, int64_t seq, const char *problem, const char *why,
                   int64_t at_seq)
{
    w->r->ok = 0;
    w->r->bad_seq = seq;
    snprintf(w->r->problem, sizeof w->r->problem, "%s", problem);
    snprintf(w->r->detail, sizeof w->r->detail, "event %" PRId64 " %s", at_seq, why);
    return 1;
}

static int check_one(const event_row_t *row, void *arg)
{
    struct walk *w = arg;
    int64_t expect = w->r->count + 1;
    if (row->ev.seq != expect)
        return fail_at(w, expect, "missing", "is missing: the chain jumps past it", expect);
    if (!row->prev_hash || strcmp(row->prev_hash, w->prev_hex) != 0)
        return fail_at(w, row->ev.seq, "reordered",
                       "does not follow the event before it (prev_hash differs)", row->ev.seq);
    unsigned char h[CHAIN_HASH_LEN];
    char hex[2 * CHAIN_HASH_LEN + 1];
    chain_hash(w->prev, &row->ev, h);
    chain_hex(h, hex);
    if (!row->hash || strcmp(hex, row->hash) != 0)
        return fail_at(w, row->ev.seq, "changed",
                       "was changed: its content does not match its hash", row->ev.seq);
    if (w->pin && w->pin->seq == row->ev.seq && strcmp(hex, w->pin->hash) != 0)
        return fail_at(w, row->ev.seq, "rewritten",
                       "is not the pinned head: the chain was rewritten up to it", row->ev.seq);
    memcpy(w->prev, h, sizeof h);
    memcpy(w->prev_hex, hex, sizeof hex);
    w->r->count++;
    return 0;
}

static void list_record(audit_report_t *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void list_record(audit_report_t *r, const char *fmt, ...)
{
    r->ok = 0;
    if (r->records_bad++ >= AUDIT_LISTED)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->listed[r->n_listed++], sizeof r->listed[0], fmt, ap);
    va_end(ap);
}

struct rec_walk {
    store_tx_t *tx;
    audit_report_t *r;
    ot_err_t *err;
    int rc;
};

static int check_record(const char *type, const char *id, const char *state, int64_t seq,
                        const char *action, void *arg)
{
    struct rec_walk *w = arg;
    seal_t now;
    char cur[SEAL_STATE_MAX];
    int exists = 0;
    seal_init(&now, 1);
    int rc = store_seal_record(w->tx, type, id, &now, cur, &exists, w->err);
    if (rc == OT_ENOTFOUND) /* a type no longer sealed */
        return 0;
    if (strncmp(state, cur, 2) != 0) /* a seal of another format: not comparable */
        return 0;
    if (rc)
        return w->rc = rc, 1;
    w->r->records++;
    if (seal_same(state, cur))
        return 0;
    if (!exists) {
        list_record(w->r, "%s %s: its row is gone (sealed by event %lld, %s)", type, id,
                    (long long)seq, action);
        return 0;
    }
    char fields[300];
    seal_diff(&now, state, fields, sizeof fields);
    list_record(w->r, "%s %s: %s differs from the seal of event %lld (%s)", type, id, fields,
                (long long)seq, action);
    return 0;
}

static int check_unlogged(const char *type, const char *id, void *arg)
{
    struct rec_walk *w = arg;
    list_record(w->r, "%s %s: no event records it (a row put in directly)", type, id);
    return 0;
}

static int verify_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct walk *w = arg;
    int rc = store_event_each(tx, NULL, NULL, check_one, w, err);
    if (rc && rc != 1)
        return rc;
    if (w->r->ok && w->pin && w->pin->seq > w->r->count) {
        w->r->ok = 0;
        w->r->bad_seq = w->r->count + 1;
        snprintf(w->r->problem, sizeof w->r->problem, "truncated");
        snprintf(w->r->detail, sizeof w->r->detail,
                 "the chain ends at event %lld, before the pinned event %lld: events were removed"
                 " from its end",
                 (long long)w->r->count, (long long)w->pin->seq);
    }
    /* the records: each one's rows now against the seal of its latest event */
    struct rec_walk rw = {tx, w->r, err, OT_OK};
    rc = store_seal_latest_each(tx, check_record, &rw, err);
    if (!rc || rc == 1)
        rc = store_seal_unlogged_each(tx, check_unlogged, &rw, err);
    if (rw.rc)
        return rw.rc;
    return rc == 1 ? OT_OK : rc;
}

int audit_pin_parse(const char *s, audit_pin_t *pin)
{
    char *end;
    memset(pin, 0, sizeof *pin);
    long long seq = strtoll(s, &end, 10);
    if (end == s || seq < 1 || (*end != ':' && *end != ' '))
        return -1;
    end++;
    if (strlen(end) != 2 * CHAIN_HASH_LEN || strspn(end, "0123456789abcdef") != strlen(end))
        return -1;
    pin->seq = seq;
    memcpy(pin->hash, end, sizeof pin->hash);
    return 0;
}

int audit_verify(store_t *s, const audit_pin_t *pin, audit_report_t *report, ot_err_t *err)
{
    struct walk w;
    memset(report, 0, sizeof *report);
    report->ok = 1;
    w.r = report;
    w.pin = pin && pin->seq ? pin : NULL;
    memcpy(w.prev, chain_genesis, CHAIN_HASH_LEN);
    chain_hex(w.prev, w.prev_hex);
    int rc = store_read(s, verify_tx, &w, err);
    memcpy(report->head, w.prev_hex, sizeof report->head);
    return rc;
}

struct head {
    int64_t *seq;
    char *hex;
};

static int head_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct head *h = arg;
    return store_event_head(tx, h->seq, h->hex, err);
}

int audit_head(store_t *s, int64_t *seq, char hash_hex[2 * CHAIN_HASH_LEN + 1], ot_err_t *err)
{
    struct head h = {seq, hash_hex};
    return store_read(s, head_tx, &h, err);
}

struct seal_all {
    int64_t now, *n;
};

static int seal_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct seal_all *a = arg;
    return store_seal_unsealed(tx, a->now, a->n, err);
}

int audit_seal(store_t *s, int64_t now, int64_t *n, ot_err_t *err)
{
    struct seal_all a = {now, n};
    return store_write(s, seal_tx, &a, err);
}
