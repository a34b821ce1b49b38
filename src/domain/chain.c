#include "domain/chain.h"

#include <sodium.h>
#include <string.h>

const unsigned char chain_genesis[CHAIN_HASH_LEN] = {0};

static void put_u64(crypto_hash_sha256_state *st, uint64_t v)
{
    unsigned char b[8];
    for (int i = 7; i >= 0; i--, v >>= 8)
        b[i] = (unsigned char)(v & 0xff);
    crypto_hash_sha256_update(st, b, 8);
}

static void put_text(crypto_hash_sha256_state *st, const char *s)
{
    size_t n = s ? strlen(s) : 0;
    unsigned char b[4] = {(unsigned char)(n >> 24), (unsigned char)(n >> 16),
                          (unsigned char)(n >> 8), (unsigned char)n};
    crypto_hash_sha256_update(st, b, 4);
    if (n)
        crypto_hash_sha256_update(st, (const unsigned char *)s, n);
}

void chain_hash(const unsigned char prev[CHAIN_HASH_LEN], const chain_event_t *ev,
                unsigned char out[CHAIN_HASH_LEN])
{
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, prev, CHAIN_HASH_LEN);
    put_u64(&st, (uint64_t)ev->seq);
    put_u64(&st, (uint64_t)ev->at);
    put_text(&st, ev->actor);
    put_text(&st, ev->action);
    put_text(&st, ev->object_type);
    put_text(&st, ev->object_id);
    put_text(&st, ev->data);
    if (ev->state)
        put_text(&st, ev->state);
    crypto_hash_sha256_final(&st, out);
}

void chain_hex(const unsigned char h[CHAIN_HASH_LEN], char *out)
{
    static const char hex[] = "0123456789abcdef";
    for (int i = 0; i < CHAIN_HASH_LEN; i++) {
        out[2 * i] = hex[h[i] >> 4];
        out[2 * i + 1] = hex[h[i] & 15];
    }
    out[2 * CHAIN_HASH_LEN] = '\0';
}
