/* Use cases on the audit chain: append an event, verify the chain, read its head. */
#ifndef OT_SERVICE_AUDIT_H
#define OT_SERVICE_AUDIT_H

#include <jansson.h>
#include <stdint.h>

#include "domain/chain.h"
#include "service/svc.h"

/* Appends one event inside the caller's transaction. data is encoded as compact JSON (keys
 * in insertion order; the chain hashes the stored text); it is borrowed, not stolen. */
int audit_append(store_tx_t *tx, int64_t at, const char *actor, const char *action,
                 const char *object_type, const char *object_id, json_t *data, ot_err_t *err);

typedef struct audit_report {
    int ok;
    int64_t count;    /* events checked */
    int64_t bad_seq;  /* first event that does not match (0 when ok) */
    char problem[16]; /* "changed", "missing", "reordered" */
    char detail[256];
    char head[2 * CHAIN_HASH_LEN + 1];
} audit_report_t;

/* Walks the whole chain. Returns OT_OK when the walk ran (report->ok says whether the chain
 * holds), an error when the store could not be read. */
int audit_verify(store_t *s, audit_report_t *report, ot_err_t *err);

int audit_head(store_t *s, int64_t *seq, char hash_hex[2 * CHAIN_HASH_LEN + 1], ot_err_t *err);

#endif
