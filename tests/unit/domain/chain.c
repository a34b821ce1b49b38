/* Unit tests for src/domain/chain.c: the hash of one audit event (docs/audit-chain.md).
 *
 * The canonical encoding is a stored format: every event already on disk was hashed with it,
 * so a change to it breaks every existing chain. The known vectors below pin it byte by
 * byte: one is built by hand here and hashed with libsodium, one is a literal computed
 * outside this code base (Python hashlib). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sodium.h>
#include <string.h>

#include "domain/chain.h"

/* The base event every test varies. */
static chain_event_t base_event(void)
{
    chain_event_t ev = {
        1,         1767225600000000, /* 2026-01-01T00:00:00Z */
        "user:12", "appeal.register", "appeal", "Z-2026-000123", "{\"kind\":\"statement\"}", NULL};
    return ev;
}

static void hash_hex(const unsigned char prev[CHAIN_HASH_LEN], const chain_event_t *ev,
                     char out[2 * CHAIN_HASH_LEN + 1])
{
    unsigned char h[CHAIN_HASH_LEN];
    chain_hash(prev, ev, h);
    chain_hex(h, out);
}

/* ==== Canonical bytes built by hand, independent of chain.c ==== */

struct buf {
    unsigned char b[1024];
    size_t n;
};

static void put_be(struct buf *b, uint64_t v, int width)
{
    for (int i = width - 1; i >= 0; i--)
        b->b[b->n++] = (unsigned char)(v >> (8 * i));
}

static void put_text(struct buf *b, const char *s)
{
    size_t n = strlen(s);
    assert_true(b->n + 4 + n <= sizeof b->b);
    put_be(b, n, 4);
    memcpy(b->b + b->n, s, n);
    b->n += n;
}

static void canonical(const unsigned char prev[CHAIN_HASH_LEN], const chain_event_t *ev,
                      struct buf *b)
{
    b->n = 0;
    memcpy(b->b, prev, CHAIN_HASH_LEN);
    b->n = CHAIN_HASH_LEN;
    put_be(b, (uint64_t)ev->seq, 8);
    put_be(b, (uint64_t)ev->at, 8);
    put_text(b, ev->actor);
    put_text(b, ev->action);
    put_text(b, ev->object_type);
    put_text(b, ev->object_id);
    put_text(b, ev->data);
}

/* ==== Tests ==== */

static void test_deterministic(void **state)
{
    (void)state;
    chain_event_t a = base_event(), b = base_event();
    char h1[2 * CHAIN_HASH_LEN + 1], h2[2 * CHAIN_HASH_LEN + 1], h3[2 * CHAIN_HASH_LEN + 1];
    hash_hex(chain_genesis, &a, h1);
    hash_hex(chain_genesis, &a, h2);
    /* equal content in different buffers: the hash depends on the bytes, not the pointers */
    char actor[] = "user:12";
    b.actor = actor;
    hash_hex(chain_genesis, &b, h3);
    assert_string_equal(h1, h2);
    assert_string_equal(h1, h3);
}

/* One row per field of the event (and the previous hash): a change to it alone must change
 * the hash, or that field could be rewritten unnoticed. */
typedef struct {
    const char *field;
    void (*change)(chain_event_t *ev, unsigned char prev[CHAIN_HASH_LEN]);
} field_case_t;

static void ch_seq(chain_event_t *ev, unsigned char prev[CHAIN_HASH_LEN])
{
    (void)prev;
    ev->seq = 2;
}
static void ch_seq_high(chain_event_t *ev, unsigned char prev[CHAIN_HASH_LEN])
{
    (void)prev;
    ev->seq += (int64_t)1 << 56;
}
static void ch_at(chain_event_t *ev, unsigned char prev[CHAIN_HASH_LEN])
{
    (void)prev;
    ev->at += 1;
}
static void ch_actor(chain_event_t *ev, unsigned char prev[CHAIN_HASH_LEN])
{
    (void)prev;
    ev->actor = "user:13";
}
static void ch_action(chain_event_t *ev, unsigned char prev[CHAIN_HASH_LEN])
{
    (void)prev;
    ev->action = "appeal.close";
}
static void ch_object_type(chain_event_t *ev, unsigned char prev[CHAIN_HASH_LEN])
{
    (void)prev;
    ev->object_type = "user";
}
static void ch_object_id(chain_event_t *ev, unsigned char prev[CHAIN_HASH_LEN])
{
    (void)prev;
    ev->object_id = "Z-2026-000124";
}
static void ch_data(chain_event_t *ev, unsigned char prev[CHAIN_HASH_LEN])
{
    (void)prev;
    ev->data = "{\"kind\":\"complaint\"}";
}
static void ch_prev_first(chain_event_t *ev, unsigned char prev[CHAIN_HASH_LEN])
{
    (void)ev;
    prev[0] ^= 1;
}
static void ch_prev_last(chain_event_t *ev, unsigned char prev[CHAIN_HASH_LEN])
{
    (void)ev;
    prev[CHAIN_HASH_LEN - 1] ^= 0x80;
}

static const field_case_t field_cases[] = {
    {"seq", ch_seq},                    /* the position in the log (reordering) */
    {"seq high byte", ch_seq_high},     /* all 8 bytes of seq are hashed, not only the low ones */
    {"at", ch_at},                      /* the time, to the microsecond */
    {"actor", ch_actor},                /* who did it */
    {"action", ch_action},              /* what was done */
    {"object_type", ch_object_type},    /* what kind of object */
    {"object_id", ch_object_id},        /* which object */
    {"data", ch_data},                  /* the change itself */
    {"prev first byte", ch_prev_first}, /* the link to the previous event */
    {"prev last byte", ch_prev_last},   /* ... all 32 bytes of it */
};

static void test_every_field_counts(void **state)
{
    (void)state;
    chain_event_t base = base_event();
    char h0[2 * CHAIN_HASH_LEN + 1];
    hash_hex(chain_genesis, &base, h0);
    for (size_t i = 0; i < sizeof field_cases / sizeof *field_cases; i++) {
        chain_event_t ev = base_event();
        unsigned char prev[CHAIN_HASH_LEN];
        memcpy(prev, chain_genesis, sizeof prev);
        field_cases[i].change(&ev, prev);
        char h[2 * CHAIN_HASH_LEN + 1];
        hash_hex(prev, &ev, h);
        if (strcmp(h, h0) == 0)
            fail_msg("changing %s does not change the hash", field_cases[i].field);
    }
}

/* Two events whose text fields concatenate to the same bytes must hash differently: each
 * field is length-prefixed, so a byte cannot move from one field to its neighbour. */
typedef struct {
    const char *what;
    const char *a[5]; /* actor, action, object_type, object_id, data */
    const char *b[5];
} split_case_t;

static const split_case_t split_cases[] = {
    /* actor|action: "ab","c" against "a","bc" */
    {"actor|action", {"ab", "c", "t", "i", "d"}, {"a", "bc", "t", "i", "d"}},
    /* action|object_type */
    {"action|object_type", {"u", "ab", "c", "i", "d"}, {"u", "a", "bc", "i", "d"}},
    /* object_type|object_id */
    {"object_type|object_id", {"u", "x", "ab", "c", "d"}, {"u", "x", "a", "bc", "d"}},
    /* object_id|data */
    {"object_id|data", {"u", "x", "t", "ab", "c"}, {"u", "x", "t", "a", "bc"}},
    /* a whole field moving into its neighbour: "", "x" against "x", "" */
    {"empty|non-empty", {"", "x", "t", "i", "d"}, {"x", "", "t", "i", "d"}},
};

static void fill(chain_event_t *ev, const char *const f[5])
{
    ev->actor = f[0];
    ev->action = f[1];
    ev->object_type = f[2];
    ev->object_id = f[3];
    ev->data = f[4];
}

static void test_fields_length_prefixed(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof split_cases / sizeof *split_cases; i++) {
        chain_event_t a = base_event(), b = base_event();
        fill(&a, split_cases[i].a);
        fill(&b, split_cases[i].b);
        char ha[2 * CHAIN_HASH_LEN + 1], hb[2 * CHAIN_HASH_LEN + 1];
        hash_hex(chain_genesis, &a, ha);
        hash_hex(chain_genesis, &b, hb);
        if (strcmp(ha, hb) == 0)
            fail_msg("%s: a byte moved between fields without changing the hash",
                     split_cases[i].what);
    }
}

/* NULL text is hashed as "" (a 4-byte zero length and no bytes). This is the contract of
 * chain_hash, not an accident: an absent field and an empty one are the same fact. The
 * store must therefore write what it hashed: if it stores a replacement for NULL (as
 * store_event_append does for data, writing "{}"), it has to hash the replacement too. */
static void test_null_is_empty(void **state)
{
    (void)state;
    for (int f = 0; f < 5; f++) {
        chain_event_t a = base_event(), b = base_event();
        const char **fa[5] = {&a.actor, &a.action, &a.object_type, &a.object_id, &a.data};
        const char **fb[5] = {&b.actor, &b.action, &b.object_type, &b.object_id, &b.data};
        *fa[f] = NULL;
        *fb[f] = "";
        char ha[2 * CHAIN_HASH_LEN + 1], hb[2 * CHAIN_HASH_LEN + 1];
        hash_hex(chain_genesis, &a, ha);
        hash_hex(chain_genesis, &b, hb);
        assert_string_equal(ha, hb);
        /* and empty is still different from the base value */
        chain_event_t base = base_event();
        char h0[2 * CHAIN_HASH_LEN + 1];
        hash_hex(chain_genesis, &base, h0);
        assert_string_not_equal(ha, h0);
    }
}

static void test_hex(void **state)
{
    (void)state;
    unsigned char h[CHAIN_HASH_LEN];
    for (int i = 0; i < CHAIN_HASH_LEN; i++)
        h[i] = (unsigned char)(i * 8 + 7); /* 0x07, 0x0f, ..., 0xff: every nibble value */
    char out[2 * CHAIN_HASH_LEN + 2];
    memset(out, 'Z', sizeof out);
    chain_hex(h, out);
    assert_int_equal(strlen(out), 64);
    assert_int_equal(out[2 * CHAIN_HASH_LEN + 1], 'Z'); /* writes exactly 65 bytes */
    for (int i = 0; i < 64; i++)
        if (!((out[i] >= '0' && out[i] <= '9') || (out[i] >= 'a' && out[i] <= 'f')))
            fail_msg("chain_hex char %d is '%c', not lower-case hex", i, out[i]);
    assert_string_equal(out, "070f171f272f373f474f575f676f777f878f979fa7afb7bfc7cfd7dfe7eff7ff");

    char g[2 * CHAIN_HASH_LEN + 1];
    chain_hex(chain_genesis, g);
    assert_string_equal(g, "0000000000000000000000000000000000000000000000000000000000000000");
}

/* Known vectors: SHA-256 over canonical bytes built by hand. */
typedef struct {
    const char *what;
    int64_t seq, at;
    const char *text[5];
    unsigned char prev_fill; /* every byte of prev; 0 = the genesis */
} vector_t;

static const vector_t vectors[] = {
    /* the first event of a log, ordinary values */
    {"first event",
     1,
     1767225600000000,
     {"user:12", "appeal.register", "appeal", "Z-2026-000123", "{\"kind\":\"statement\"}"},
     0},
    /* big-endian order of every byte of seq and at */
    {"byte order",
     0x0102030405060708,
     0x1112131415161718,
     {"system", "sweep", "appeal", "1", "{}"},
     0xab},
    /* a negative instant (before 1970) is its two's complement */
    {"negative at", 7, -1, {"a", "b", "c", "d", "e"}, 0x01},
    /* UTF-8 text: the length counts bytes, not characters */
    {"utf-8",
     3,
     0,
     {"user:1", "appeal.answer", "appeal", "Ж-2026-000001", "{\"text\":\"Өскемен\"}"},
     0xff},
    /* all fields empty */
    {"empty texts", 0, 0, {"", "", "", "", ""}, 0},
};

static void test_known_vectors(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof vectors / sizeof *vectors; i++) {
        const vector_t *v = &vectors[i];
        chain_event_t ev = {v->seq,     v->at,      v->text[0], v->text[1],
                            v->text[2], v->text[3], v->text[4], NULL};
        unsigned char prev[CHAIN_HASH_LEN], want[CHAIN_HASH_LEN], got[CHAIN_HASH_LEN];
        memset(prev, v->prev_fill, sizeof prev);
        struct buf b;
        canonical(prev, &ev, &b);
        crypto_hash_sha256(want, b.b, b.n);
        chain_hash(prev, &ev, got);
        if (memcmp(want, got, CHAIN_HASH_LEN) != 0)
            fail_msg("vector '%s': chain_hash differs from SHA-256 of the canonical bytes",
                     v->what);
    }

    /* The first vector's bytes, checked piece by piece, then its hash as a literal from
     * Python: hashlib.sha256(b"\0"*32 + pack(">q", 1) + pack(">q", 1767225600000000) +
     * b"".join(pack(">I", len(t)) + t for t in texts)). */
    struct buf b;
    chain_event_t ev = base_event();
    canonical(chain_genesis, &ev, &b);
    assert_int_equal(b.n, 32 + 8 + 8 + (4 + 7) + (4 + 15) + (4 + 6) + (4 + 13) + (4 + 20));
    static const unsigned char head[] = {0,    0,    0,    0,    0,    0,    0,    1,    /* seq 1 */
                                         0x00, 0x06, 0x47, 0x48, 0x46, 0x20, 0x40, 0x00, /* at */
                                         0,    0,    0,    7,    'u',  's',  'e',  'r',
                                         ':',  '1',  '2'};
    assert_memory_equal(b.b + 32, head, sizeof head);
    char hex[2 * CHAIN_HASH_LEN + 1];
    hash_hex(chain_genesis, &ev, hex);
    assert_string_equal(hex, "e598899b1e7c430f0c5ca188e1816ea0eea2172b499f7f5f9c23de8eb147ab96");
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_every_field_counts),
        cmocka_unit_test(test_fields_length_prefixed),
        cmocka_unit_test(test_null_is_empty),
        cmocka_unit_test(test_hex),
        cmocka_unit_test(test_known_vectors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
