/* API keys of Open311 client applications: issued by an admin (`otinish apikey add NAME`),
 * revocable, required on POST requests.
 *
 * A key is "o311_" + 256 random bits (base64url). Only its SHA-256 is stored (like session
 * tokens in auth.c): the key has full entropy, so a slow hash would add nothing. */
#ifndef OT_SERVICE_APIKEY_H
#define OT_SERVICE_APIKEY_H

#include <stdint.h>

#include "domain/apikey_rec.h"
#include "service/svc.h"

#define APIKEY_LEN 64 /* buffer size for a key, with the NUL */

/* Issues a key for the application `name` (1..120 characters). The key is written into
 * key (shown once; never stored), its id into *id. actor: for the audit event ("cli"). */
int apikey_add(store_t *s, const char *actor, const char *name, int64_t now, char key[APIKEY_LEN],
               int64_t *id, ot_err_t *err);
/* Revokes key id; OT_ENOTFOUND when there is no such active key. */
int apikey_revoke(store_t *s, const char *actor, int64_t id, int64_t now, ot_err_t *err);
int apikey_list(store_t *s, int (*fn)(const apikey_rec_t *k, void *arg), void *arg, ot_err_t *err);
/* The id of the active key `key`; OT_EFORBIDDEN when it is missing, unknown or revoked. */
int apikey_check(store_t *s, const char *key, int64_t *id, ot_err_t *err);

#endif
