/* Staff accounts and sessions: add, disable, change password, log in, authenticate, log out.
 *
 * Passwords are hashed with Argon2id (libsodium crypto_pwhash_str, "moderate" limits) outside
 * any transaction: hashing takes tens of milliseconds and must not hold the writer.
 * Session tokens are 256 random bits; only their SHA-256 is stored. */
#ifndef OT_SERVICE_AUTH_H
#define OT_SERVICE_AUTH_H

#include <stdint.h>

#include "domain/perm.h"
#include "service/svc.h"

#define AUTH_TOKEN_LEN 64 /* buffer size for a token or CSRF string, with the NUL */

typedef struct auth_user {
    int64_t id;
    char login[64];
    char name[160];
    char position[160];
    role_t role;
    char body[64];
    char body_path[256];
} auth_user_t;

typedef struct auth_policy {
    int64_t ttl_us;  /* a session ends this long after login (default 12 h) */
    int64_t idle_us; /* ... or after this long without a request (default 30 min) */
    /* Password verifications (Argon2id, 64 MiB and tens of ms each) that may run at once in
     * this process; a login over the cap gets OT_EUNAVAIL ("login_busy") at once instead of
     * queueing. 0: no cap. Bounds the memory and CPU an unauthenticated flood can take. */
    int max_hashing;
} auth_policy_t;

extern const auth_policy_t auth_default_policy;

/* actor: who does it, for the audit event ("cli", "user:3"). */
int auth_user_add(store_t *s, const char *actor, const char *login, const char *name,
                  const char *position, const char *role, const char *body, const char *password,
                  int64_t now, int64_t *id_out, ot_err_t *err);
/* Argon2id hashes as auth_user_add stores them (the password is checked first). */
#define AUTH_HASH_LEN 128 /* crypto_pwhash_STRBYTES */
int auth_password_hash(const char *password, char out[AUTH_HASH_LEN], ot_err_t *err);
/* auth_user_add with the password already hashed: many accounts that share one password
 * (the demo's) cost one Argon2id run instead of one each. */
int auth_user_add_hashed(store_t *s, const char *actor, const char *login, const char *name,
                         const char *position, const char *role, const char *body,
                         const char *pw_hash, int64_t now, int64_t *id_out, ot_err_t *err);
int auth_user_disable(store_t *s, const char *actor, const char *login, int64_t now, ot_err_t *err);
int auth_user_passwd(store_t *s, const char *actor, const char *login, const char *password,
                     int64_t now, ot_err_t *err);
/* Forces a password change (an admin's `otinish user expire`): the user's sessions end and
 * the next login must give a new password (auth_login's new_password). */
int auth_user_expire(store_t *s, const char *actor, const char *login, int64_t now, ot_err_t *err);

/* Sets (or with NULL/"" clears) the e-mail address staff notices go to. */
int auth_user_email(store_t *s, const char *actor, const char *login, const char *email,
                    int64_t now, ot_err_t *err);

/* The account with that login (disabled ones too); OT_ENOTFOUND when there is none. The _in
 * form runs inside the caller's transaction. */
int auth_user_get(store_t *s, const char *login, auth_user_t *out, ot_err_t *err);
int auth_user_get_in(store_tx_t *tx, const char *login, auth_user_t *out, ot_err_t *err);

/* Checks an e-mail address as auth_user_email does (before an account is added with one). */
int auth_email_check(const char *email, ot_err_t *err);

/* A staff account as `otinish user list` shows it (no password hash). */
typedef struct auth_account {
    char login[64], name[160], position[160], role[16], body[64];
    int disabled;
} auth_account_t;
/* Every account, ordered by login; fn returning non-zero stops the walk. */
int auth_user_list(store_t *s, int (*fn)(const auth_account_t *a, void *arg), void *arg,
                   ot_err_t *err);

/* Checks a password against the rules: length 10..256, valid UTF-8, at least 4 different
 * characters ("password_too_simple"), not on the list of common passwords in
 * DATA-DIR/passwords/common.txt, case ignored ("password_common"). */
int auth_password_check(const char *password, ot_err_t *err);
/* The data folder the list of common passwords is read from: svc_init sets it from its
 * --data-dir, before the first check (the list is read once); else paths_data_dir(). */
void auth_data_dir(const char *data_dir);

/* Logs in. On success fills token and csrf (NUL-terminated, < AUTH_TOKEN_LEN) and user.
 * A wrong login and a wrong password give the same OT_EUNAUTH answer; OT_EUNAVAIL
 * ("login_busy") when p->max_hashing verifications are already running. new_password (NULL
 * or "": none) changes the password in the same step, ending the user's other sessions; an
 * expired password (auth_user_expire) without it is OT_EFORBIDDEN "password_expired". */
int auth_login(store_t *s, const auth_policy_t *p, const char *login, const char *password,
               const char *new_password, int64_t now, char *token, char *csrf, auth_user_t *user,
               ot_err_t *err);

/* Resolves a token to its user; fills csrf (may be NULL). Expired, idle, revoked sessions
 * and disabled users give OT_EUNAUTH. */
int auth_session(store_t *s, const auth_policy_t *p, const char *token, int64_t now,
                 auth_user_t *user, char *csrf, ot_err_t *err);

int auth_logout(store_t *s, const char *token, int64_t now, ot_err_t *err);

#endif
