#include "service/secret.h"

#include <sodium.h>
#include <string.h>

void secret_code(char *out, size_t n)
{
    static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"; /* Crockford */
    unsigned char b[64];
    if (n > sizeof b)
        n = sizeof b;
    randombytes_buf(b, n);
    for (size_t i = 0; i < n; i++)
        out[i] = alphabet[b[i] & 31];
    out[n] = '\0';
}

void secret_hash(const char *salt, const char *code, char out[65])
{
    crypto_hash_sha256_state st;
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, (const unsigned char *)salt, strlen(salt));
    crypto_hash_sha256_update(&st, (const unsigned char *)":", 1);
    crypto_hash_sha256_update(&st, (const unsigned char *)code, strlen(code));
    crypto_hash_sha256_final(&st, h);
    sodium_bin2hex(out, 65, h, sizeof h);
}
