/* Repository: staff accounts and their sessions. */
#ifndef OT_STORE_USER_H
#define OT_STORE_USER_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

typedef struct user_rec {
    int64_t id;
    char login[64];
    char name[160];
    char position[160];
    char role[16];
    char body[64];
    char body_path[256]; /* bodies.path of the user's body, for scope checks */
    char pw_hash[160];   /* crypto_pwhash_str output */
    int disabled;
    int64_t created_at;
    int64_t pw_changed_at;
    int pw_expired; /* an admin forced a change: the next login must set a new password */
} user_rec_t;

/* Inserts u (id is filled in). A taken login is OT_ECONFLICT, an unknown body OT_EINVAL. */
int store_user_insert(store_tx_t *tx, user_rec_t *u, ot_err_t *err);
/* OT_ENOTFOUND when absent. */
int store_user_by_login(store_tx_t *tx, const char *login, user_rec_t *out, ot_err_t *err);
int store_user_by_id(store_tx_t *tx, int64_t id, user_rec_t *out, ot_err_t *err);
int store_user_set_disabled(store_tx_t *tx, int64_t id, int disabled, ot_err_t *err);
int store_user_set_password(store_tx_t *tx, int64_t id, const char *pw_hash, int64_t at,
                            ot_err_t *err);
/* Marks the password as expired (set_password clears the mark). */
int store_user_set_expired(store_tx_t *tx, int64_t id, ot_err_t *err);
/* Calls fn for every user ordered by login; fn returning non-zero stops the walk. */
int store_user_each(store_tx_t *tx, int (*fn)(const user_rec_t *u, void *arg), void *arg,
                    ot_err_t *err);

/* The executors of the bodies under scope (a path prefix), not disabled, by name, with
 * their open appeals and of them those due before today (the assignment picker, issue 18). */
typedef struct executor_load {
    int64_t id;
    char login[64], name[160], position[160], body[64];
    int64_t open, overdue;
} executor_load_t;
int store_user_executors(store_tx_t *tx, const char *scope, const char *today,
                         int (*fn)(const executor_load_t *e, void *arg), void *arg, ot_err_t *err);

typedef struct session_rec {
    char token_hash[65]; /* hex SHA-256 of the token: the token itself is never stored */
    int64_t user_id;
    char csrf[48];
    int64_t created_at, last_seen, expires_at;
    int revoked;
} session_rec_t;

int store_session_insert(store_tx_t *tx, const session_rec_t *s, ot_err_t *err);
int store_session_get(store_tx_t *tx, const char *token_hash, session_rec_t *out, ot_err_t *err);
int store_session_touch(store_tx_t *tx, const char *token_hash, int64_t now, ot_err_t *err);
int store_session_revoke(store_tx_t *tx, const char *token_hash, int64_t now, ot_err_t *err);
/* Revokes every live session of a user (on disable and password change). */
int store_session_revoke_user(store_tx_t *tx, int64_t user_id, int64_t now, ot_err_t *err);

/* ==== Staff contacts (for notices) ==== */
/* The e-mail of an active user ("" when none or disabled). */
int store_staff_email(store_tx_t *tx, int64_t user_id, char *out, size_t n, ot_err_t *err);
int store_staff_set_email(store_tx_t *tx, const char *login, const char *email, ot_err_t *err);
/* Ids of active users with a role (at most max). */
int store_staff_with_role(store_tx_t *tx, const char *role, int64_t *ids, size_t max, size_t *n,
                          ot_err_t *err);

#endif
