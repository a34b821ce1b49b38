#include "service/apikey.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "domain/text.h"
#include "service/audit.h"
#include "store/store.h"
#include "store/store_apikey.h"

#define KEY_PREFIX "o311_"

static void key_hash_hex(const char *key, char out[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)key, strlen(key));
    sodium_bin2hex(out, 65, h, sizeof h);
}

struct add_ctx {
    const char *actor, *name, *hash;
    int64_t now, id;
};

static int add_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct add_ctx *c = arg;
    int rc = store_apikey_insert(tx, c->name, c->hash, c->now, &c->id, err);
    if (rc)
        return rc;
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)c->id);
    json_t *d = json_pack("{s:s}", "name", c->name);
    rc = audit_append(tx, c->now, c->actor, "apikey.add", "api_key", id, d, err);
    json_decref(d);
    return rc;
}

int apikey_add(store_t *s, const char *actor, const char *name, int64_t now, char key[APIKEY_LEN],
               int64_t *id, ot_err_t *err)
{
    size_t n = name ? strlen(name) : 0;
    int rc = n ? text_check(name, n, 120, 0, "name", err)
               : ot_err(err, OT_EINVAL, "required", "name", "a name is required");
    if (!rc)
        rc = text_required(name, n, "name", err);
    if (rc)
        return rc;
    if (sodium_init() < 0)
        return ot_err(err, OT_EINTERNAL, "crypto_init", NULL, "libsodium failed to start");
    unsigned char b[32];
    randombytes_buf(b, sizeof b);
    memcpy(key, KEY_PREFIX, sizeof KEY_PREFIX);
    sodium_bin2base64(key + sizeof KEY_PREFIX - 1, APIKEY_LEN - (sizeof KEY_PREFIX - 1), b,
                      sizeof b, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(b, sizeof b);
    char hash[65];
    key_hash_hex(key, hash);
    struct add_ctx c = {actor, name, hash, now, 0};
    rc = store_write(s, add_tx, &c, err);
    if (rc)
        sodium_memzero(key, APIKEY_LEN);
    else
        *id = c.id;
    return rc;
}

struct revoke_ctx {
    const char *actor;
    int64_t id, now;
};

static int revoke_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct revoke_ctx *c = arg;
    int rc = store_apikey_revoke(tx, c->id, c->now, err);
    if (rc)
        return rc;
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)c->id);
    json_t *d = json_object();
    rc = audit_append(tx, c->now, c->actor, "apikey.revoke", "api_key", id, d, err);
    json_decref(d);
    return rc;
}

int apikey_revoke(store_t *s, const char *actor, int64_t id, int64_t now, ot_err_t *err)
{
    struct revoke_ctx c = {actor, id, now};
    return store_write(s, revoke_tx, &c, err);
}

struct list_ctx {
    int (*fn)(const apikey_rec_t *k, void *arg);
    void *arg;
};

static int list_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct list_ctx *c = arg;
    return store_apikey_each(tx, c->fn, c->arg, err);
}

int apikey_list(store_t *s, int (*fn)(const apikey_rec_t *k, void *arg), void *arg, ot_err_t *err)
{
    struct list_ctx c = {fn, arg};
    return store_read(s, list_tx, &c, err);
}

struct check_ctx {
    const char *hash;
    int64_t id;
};

static int check_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct check_ctx *c = arg;
    return store_apikey_find(tx, c->hash, &c->id, err);
}

int apikey_check(store_t *s, const char *key, int64_t *id, ot_err_t *err)
{
    if (!key || !*key)
        return ot_err(err, OT_EFORBIDDEN, "api_key_missing", "api_key",
                      "api_key is required to create a service request");
    if (strlen(key) >= APIKEY_LEN || sodium_init() < 0)
        return ot_err(err, OT_EFORBIDDEN, "api_key_invalid", "api_key",
                      "Invalid api_key received -- can't proceed with create_request.");
    struct check_ctx c;
    char hash[65];
    key_hash_hex(key, hash);
    c.hash = hash;
    c.id = 0;
    int rc = store_read(s, check_tx, &c, err);
    if (rc == OT_ENOTFOUND)
        return ot_err(err, OT_EFORBIDDEN, "api_key_invalid", "api_key",
                      "Invalid api_key received -- can't proceed with create_request.");
    if (!rc)
        *id = c.id;
    return rc;
}
