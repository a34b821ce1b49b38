/* The seal of a record: what binds the audit chain to the rows it speaks of
 * (docs/audit-chain.md, "Records").
 *
 * A sealed record is a main row (an appeal, a violation, a user...) and the rows that belong
 * to it (an appeal's attachments, forwards...), each part a table. The store feeds every
 * column of every row in a fixed order (seal_part, seal_row, seal_field); seal_final writes the
 * state text an event carries:
 *
 *   "1:" SHA-256 hex of the canonical encoding ":" fingerprints
 *
 * The canonical encoding is each part's name, then each row as a marker and its non-empty
 * fields (name and value, each 4-byte big-endian length then bytes). NULL, "" and "0" count
 * as empty, so a column added later with such a default leaves every old seal as it was.
 * The fingerprints, 6 hex digits per non-empty field of the main row and one per related part,
 * are 8 bits of the field's name and 16 of its name and value (FNV-1a): too few to tell a
 * value (an IIN, a phone), enough to name the field a direct edit changed. Pure. */
#ifndef OT_DOMAIN_SEAL_H
#define OT_DOMAIN_SEAL_H

#include <stddef.h>
#include <stdint.h>

#define SEAL_MAX_FIELDS 128

typedef struct seal {
    uint64_t sha[32];  /* the running SHA-256 (libsodium's state, 104 bytes) */
    int part;          /* parts begun so far */
    int part_rows;     /* rows of the related part being fed */
    uint32_t part_fnv; /* and their fingerprint */
    int n;             /* fields known, the empty ones too (to name an emptied one) */
    char names[SEAL_MAX_FIELDS][48];
    int present[SEAL_MAX_FIELDS];
    unsigned fp[SEAL_MAX_FIELDS]; /* 24 bits: name (8), name and value (16) */
} seal_t;

void seal_init(seal_t *s);
/* Begins a part: the first is the main row, each later one a table of related rows. */
void seal_part(seal_t *s, const char *table);
/* Begins a row of the current part. */
void seal_row(seal_t *s);
/* One column of the current row; value NULL, "" and "0" are empty. */
void seal_field(seal_t *s, const char *name, const char *value);

#define SEAL_DIGEST_HEX 64
/* The state text into out (at most n bytes, always terminated); its length. */
size_t seal_final(seal_t *s, char *out, size_t n);

/* Whether state (from an event) and cur (the state text seal_final gave for the rows now) are
 * the same; when not, names what differs, comma-separated, into out: the fields and parts
 * whose fingerprints changed, came or went. */
int seal_same(const char *state, const char *cur);
void seal_diff(const seal_t *now, const char *state, char *out, size_t n);

#endif
