#include "service/audit.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_event.h"
#include "util/json_out.h"

int audit_append(store_tx_t *tx, int64_t at, const char *actor, const char *action,
                 const char *object_type, const char *object_id, json_t *data, ot_err_t *err)
{
    char *text = json_out(data, NULL);
    chain_event_t ev = {0, at, actor, action, object_type, object_id, text ? text : "{}"};
    int rc = store_event_append(tx, &ev, err);
    free(text);
    return rc;
}

struct walk {
    audit_report_t *r;
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
    memcpy(w->prev, h, sizeof h);
    memcpy(w->prev_hex, hex, sizeof hex);
    w->r->count++;
    return 0;
}

static int verify_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct walk *w = arg;
    int rc = store_event_each(tx, NULL, NULL, check_one, w, err);
    return rc == 1 ? OT_OK : rc;
}

int audit_verify(store_t *s, audit_report_t *report, ot_err_t *err)
{
    struct walk w;
    memset(report, 0, sizeof *report);
    report->ok = 1;
    w.r = report;
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
