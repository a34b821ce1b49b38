/* The tamper-evident audit chain (docs/audit-chain.md).
 *
 * Every state change appends an event. Its hash is
 *   SHA-256(prev_hash || canonical(event))
 * where canonical() is a fixed, unambiguous byte encoding: seq and at as 8-byte big-endian
 * integers, then each text field as a 4-byte big-endian length and its bytes (the state, the
 * record's seal, only when the event has one, so older events hash as they did). Changing,
 * removing or reordering any event breaks every hash after it; pinning the head hash
 * (otinish audit head) outside the system also catches truncation. */
#ifndef OT_DOMAIN_CHAIN_H
#define OT_DOMAIN_CHAIN_H

#include <stddef.h>
#include <stdint.h>

#define CHAIN_HASH_LEN 32

typedef struct chain_event {
    int64_t seq;             /* 1, 2, 3, ... without gaps */
    int64_t at;              /* microseconds since the epoch, UTC */
    const char *actor;       /* "user:12", "citizen", "system" */
    const char *action;      /* "appeal.register", "user.add", ... */
    const char *object_type; /* "appeal", "user", ... */
    const char *object_id;   /* "Z-2026-000123", "12" */
    const char *data;        /* canonical JSON text of the change */
    const char *state;       /* the seal of the record after the change (domain/seal.h);
                                NULL for events on records that carry none, and for every
                                event written before seals existed */
} chain_event_t;

/* The hash before the first event: 32 zero bytes. */
extern const unsigned char chain_genesis[CHAIN_HASH_LEN];

void chain_hash(const unsigned char prev[CHAIN_HASH_LEN], const chain_event_t *ev,
                unsigned char out[CHAIN_HASH_LEN]);

/* Lower-case hex of a hash; out must hold 2 * CHAIN_HASH_LEN + 1 bytes. */
void chain_hex(const unsigned char h[CHAIN_HASH_LEN], char *out);

#endif
