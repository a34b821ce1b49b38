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

#define AUDIT_LISTED 20 /* record problems listed in a report; the rest are counted */

typedef struct audit_report {
    int ok;           /* the chain holds, the records match, the pinned head is in it */
    int64_t count;    /* events checked */
    int64_t bad_seq;  /* first event that does not match (0 when the chain holds) */
    char problem[16]; /* "changed", "missing", "reordered", "truncated", "rewritten" */
    char detail[256];
    char head[2 * CHAIN_HASH_LEN + 1];
    /* the records (docs/audit-chain.md "Records") */
    int64_t records;     /* sealed records compared with their rows */
    int64_t records_bad; /* records whose rows differ from their latest seal, or with none */
    int n_listed;
    char listed[AUDIT_LISTED][400]; /* "appeal Z-2026-000005: status (event 12, appeal.close)" */
} audit_report_t;

/* A head pinned elsewhere (audit head): event seq must be in the chain with this hash. */
typedef struct audit_pin {
    int64_t seq; /* 0: none */
    char hash[2 * CHAIN_HASH_LEN + 1];
} audit_pin_t;

/* Parses "SEQ:HASH" (or "SEQ HASH", as `audit head` prints it); -1 when malformed. */
int audit_pin_parse(const char *s, audit_pin_t *pin);

/* Walks the whole chain, then compares every sealed record's rows with the seal of its latest
 * event, and lists records of sealed types that no event speaks of; with a pin (may be NULL),
 * checks that the chain holds the pinned head. Returns OT_OK when the walk ran (report->ok
 * says whether all holds), an error when the store could not be read. */
int audit_verify(store_t *s, const audit_pin_t *pin, audit_report_t *report, ot_err_t *err);

/* Seals every record of a sealed type whose latest event carries no seal (one last changed
 * before seals existed) with an "audit.seal" event; *n gets how many. */
int audit_seal(store_t *s, int64_t now, int64_t *n, ot_err_t *err);

int audit_head(store_t *s, int64_t *seq, char hash_hex[2 * CHAIN_HASH_LEN + 1], ot_err_t *err);

#endif
