/* The seal of a record: what binds the audit chain to the rows it speaks of
 * (docs/audit-chain.md, "Records").
 *
 * A sealed record is a main row (an appeal, a violation, a user...) and the rows that belong
 * to it (an appeal's attachments, forwards...), each part a table. The store feeds every
 * column of every row in a fixed order (seal_part, seal_row, seal_field); seal_final writes the
 * state text an event carries:
 *
 *   "2:" SHA-256 (43 characters of base64url) ":" fingerprints
 *
 * The canonical encoding is each part's name, then each row as a marker and its non-empty
 * fields (name and value, each 4-byte big-endian length then bytes). NULL, "" and "0" count
 * as empty, so a column added later with such a default leaves every old seal as it was.
 * The fingerprints, two characters for each column of the main row in the table's order and
 * for each related table, are 12 bits of the column's name and value (FNV-1a), ".." when it
 * is empty: too few to tell a value (an IIN, a phone), enough to name the column a direct
 * edit changed. Pure. */
#ifndef OT_DOMAIN_SEAL_H
#define OT_DOMAIN_SEAL_H

#include <stddef.h>
#include <stdint.h>

#define SEAL_MAX_FIELDS 128

typedef struct seal {
    uint64_t sha[32];             /* the running SHA-256 (libsodium's state, 104 bytes) */
    int keep_names;               /* names are kept only to name a difference (seal_diff) */
    int part;                     /* parts begun so far */
    int part_rows;                /* rows of the related part being fed */
    uint32_t part_fnv;            /* and their fingerprint */
    int n;                        /* entries: the main row's columns, then the related tables */
    unsigned fp[SEAL_MAX_FIELDS]; /* 12 bits, or 0xffff when empty */
    char names[SEAL_MAX_FIELDS][48];
} seal_t;

/* keep_names: remember the columns' names, for seal_diff. */
void seal_init(seal_t *s, int keep_names);
/* Begins a part: the first is the main row, each later one a table of related rows. */
void seal_part(seal_t *s, const char *table);
/* Begins a row of the current part. */
void seal_row(seal_t *s);
/* One column of the current row; value NULL, "" and "0" are empty. */
void seal_field(seal_t *s, const char *name, const char *value);

#define SEAL_DIGEST_CHARS 43
/* The state text into out (at most n bytes, always terminated); its length. */
size_t seal_final(seal_t *s, char *out, size_t n);

/* Whether state (from an event) and cur (the state text seal_final gave for the rows now) are
 * the same; when not, seal_diff names what differs, comma-separated, into out: the columns
 * and related tables whose fingerprints differ (now sealed with keep_names). */
int seal_same(const char *state, const char *cur);
/* Whether state is a seal of the format seal_final writes (an older format is not compared). */
int seal_current(const char *state);
void seal_diff(const seal_t *now, const char *state, char *out, size_t n);

#endif
