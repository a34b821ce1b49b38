/* Repository: users and sessions. */
#include "store/store_user.h"

#include <stdio.h>
#include <string.h>

#include "store/store_int.h"

#define USER_COLS                                                                                  \
    "u.id, u.login, u.name, u.position, u.role, u.body, b.path, u.pw_hash, u.disabled, "           \
    "u.created_at, u.pw_changed_at, u.pw_expired FROM users u JOIN bodies b ON b.id = u.body "

static void read_user(db_stmt_t *st, user_rec_t *u)
{
    u->id = db_col_int64(st, 0);
    store_copy_col(st, 1, u->login, sizeof u->login);
    store_copy_col(st, 2, u->name, sizeof u->name);
    store_copy_col(st, 3, u->position, sizeof u->position);
    store_copy_col(st, 4, u->role, sizeof u->role);
    store_copy_col(st, 5, u->body, sizeof u->body);
    store_copy_col(st, 6, u->body_path, sizeof u->body_path);
    store_copy_col(st, 7, u->pw_hash, sizeof u->pw_hash);
    u->disabled = (int)db_col_int64(st, 8);
    u->created_at = db_col_int64(st, 9);
    u->pw_changed_at = db_col_int64(st, 10);
    u->pw_expired = (int)db_col_int64(st, 11);
}

static int one_user(db_stmt_t *st, user_rec_t *out, ot_err_t *err)
{
    int rc = db_step(st, err);
    if (rc < 0)
        return -rc;
    if (rc == DB_DONE) {
        db_reset(st);
        return ot_err(err, OT_ENOTFOUND, "user_not_found", "login", "no such user");
    }
    read_user(st, out);
    db_reset(st);
    return OT_OK;
}

int store_user_insert(store_tx_t *tx, user_rec_t *u, ot_err_t *err)
{
    int64_t n = 0;
    {
        PREPARE(tx, "SELECT count(*) FROM bodies WHERE id = ?");
        db_bind_text(st, 1, u->body);
        int rc = db_run(st, &n, err);
        if (rc)
            return rc;
        if (n == 0)
            return ot_err(err, OT_EINVAL, "unknown_body", "body", "no body with id '%s'", u->body);
    }
    PREPARE(tx, "INSERT INTO users (login, name, position, role, body, pw_hash, disabled,"
                " created_at, pw_changed_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?) RETURNING id");
    db_bind_text(st, 1, u->login);
    db_bind_text(st, 2, u->name);
    db_bind_text(st, 3, u->position);
    db_bind_text(st, 4, u->role);
    db_bind_text(st, 5, u->body);
    db_bind_text(st, 6, u->pw_hash);
    db_bind_int64(st, 7, u->created_at);
    db_bind_int64(st, 8, u->created_at);
    int rc = db_run(st, &u->id, err);
    if (rc == OT_ECONFLICT)
        return ot_err(err, OT_ECONFLICT, "login_taken", "login", "login '%s' is taken", u->login);
    return rc;
}

int store_user_by_login(store_tx_t *tx, const char *login, user_rec_t *out, ot_err_t *err)
{
    PREPARE(tx, "SELECT " USER_COLS "WHERE u.login = ?");
    db_bind_text(st, 1, login);
    return one_user(st, out, err);
}

int store_user_by_id(store_tx_t *tx, int64_t id, user_rec_t *out, ot_err_t *err)
{
    PREPARE(tx, "SELECT " USER_COLS "WHERE u.id = ?");
    db_bind_int64(st, 1, id);
    return one_user(st, out, err);
}

static int changed_one(store_tx_t *tx, ot_err_t *err)
{
    if (db_changes(tx->db) == 0)
        return ot_err(err, OT_ENOTFOUND, "user_not_found", "login", "no such user");
    return OT_OK;
}

int store_user_set_disabled(store_tx_t *tx, int64_t id, int disabled, ot_err_t *err)
{
    PREPARE(tx, "UPDATE users SET disabled = ? WHERE id = ?");
    db_bind_int64(st, 1, disabled);
    db_bind_int64(st, 2, id);
    int rc = db_run(st, NULL, err);
    return rc ? rc : changed_one(tx, err);
}

int store_user_set_expired(store_tx_t *tx, int64_t id, ot_err_t *err)
{
    PREPARE(tx, "UPDATE users SET pw_expired = 1 WHERE id = ?");
    db_bind_int64(st, 1, id);
    int rc = db_run(st, NULL, err);
    return rc ? rc : changed_one(tx, err);
}

int store_user_set_password(store_tx_t *tx, int64_t id, const char *pw_hash, int64_t at,
                            ot_err_t *err)
{
    PREPARE(tx, "UPDATE users SET pw_hash = ?, pw_changed_at = ?, pw_expired = 0 WHERE id = ?");
    db_bind_text(st, 1, pw_hash);
    db_bind_int64(st, 2, at);
    db_bind_int64(st, 3, id);
    int rc = db_run(st, NULL, err);
    return rc ? rc : changed_one(tx, err);
}

int store_user_each(store_tx_t *tx, int (*fn)(const user_rec_t *u, void *arg), void *arg,
                    ot_err_t *err)
{
    PREPARE(tx, "SELECT " USER_COLS "ORDER BY u.login");
    int rc;
    user_rec_t u;
    while ((rc = db_step(st, err)) == DB_ROW) {
        read_user(st, &u);
        if (fn(&u, arg))
            break;
    }
    db_reset(st);
    return rc < 0 ? -rc : OT_OK;
}

int store_session_insert(store_tx_t *tx, const session_rec_t *s, ot_err_t *err)
{
    PREPARE(tx, "INSERT INTO sessions (token_hash, user_id, csrf, created_at, last_seen,"
                " expires_at) VALUES (?, ?, ?, ?, ?, ?)");
    db_bind_text(st, 1, s->token_hash);
    db_bind_int64(st, 2, s->user_id);
    db_bind_text(st, 3, s->csrf);
    db_bind_int64(st, 4, s->created_at);
    db_bind_int64(st, 5, s->last_seen);
    db_bind_int64(st, 6, s->expires_at);
    return db_run(st, NULL, err);
}

int store_session_get(store_tx_t *tx, const char *token_hash, session_rec_t *out, ot_err_t *err)
{
    PREPARE(tx, "SELECT token_hash, user_id, csrf, created_at, last_seen, expires_at,"
                " revoked_at IS NOT NULL FROM sessions WHERE token_hash = ?");
    db_bind_text(st, 1, token_hash);
    int rc = db_step(st, err);
    if (rc < 0)
        return -rc;
    if (rc == DB_DONE) {
        db_reset(st);
        return ot_err(err, OT_EUNAUTH, "session_invalid", NULL, "not signed in");
    }
    store_copy_col(st, 0, out->token_hash, sizeof out->token_hash);
    out->user_id = db_col_int64(st, 1);
    store_copy_col(st, 2, out->csrf, sizeof out->csrf);
    out->created_at = db_col_int64(st, 3);
    out->last_seen = db_col_int64(st, 4);
    out->expires_at = db_col_int64(st, 5);
    out->revoked = (int)db_col_int64(st, 6);
    db_reset(st);
    return OT_OK;
}

int store_session_touch(store_tx_t *tx, const char *token_hash, int64_t now, ot_err_t *err)
{
    PREPARE(tx, "UPDATE sessions SET last_seen = ? WHERE token_hash = ? AND last_seen < ?");
    db_bind_int64(st, 1, now);
    db_bind_text(st, 2, token_hash);
    db_bind_int64(st, 3, now);
    return db_run(st, NULL, err);
}

int store_session_revoke(store_tx_t *tx, const char *token_hash, int64_t now, ot_err_t *err)
{
    PREPARE(tx, "UPDATE sessions SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL");
    db_bind_int64(st, 1, now);
    db_bind_text(st, 2, token_hash);
    return db_run(st, NULL, err);
}

int store_session_revoke_user(store_tx_t *tx, int64_t user_id, int64_t now, ot_err_t *err)
{
    PREPARE(tx, "UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL");
    db_bind_int64(st, 1, now);
    db_bind_int64(st, 2, user_id);
    return db_run(st, NULL, err);
}

/* ==== Staff contacts ==== */

int store_staff_email(store_tx_t *tx, int64_t user_id, char *out, size_t n, ot_err_t *err)
{
    PREPARE(tx, "SELECT email FROM users WHERE id = ? AND disabled = 0");
    db_bind_int64(st, 1, user_id);
    out[0] = '\0';
    int rc = db_step(st, err);
    if (rc == DB_ROW)
        store_copy_col(st, 0, out, n);
    db_reset(st);
    return rc < 0 ? -rc : OT_OK;
}

int store_staff_set_email(store_tx_t *tx, const char *login, const char *email, ot_err_t *err)
{
    PREPARE(tx, "UPDATE users SET email = ? WHERE login = ?");
    store_bind_opt(st, 1, email);
    db_bind_text(st, 2, login);
    int rc = db_run(st, NULL, err);
    if (!rc && db_changes(tx->db) != 1)
        return ot_err(err, OT_ENOTFOUND, "user_not_found", "login", "no user '%.64s'", login);
    return rc;
}

int store_staff_with_role(store_tx_t *tx, const char *role, int64_t *ids, size_t max, size_t *n,
                          ot_err_t *err)
{
    PREPARE(tx, "SELECT id FROM users WHERE role = ? AND disabled = 0 ORDER BY id");
    db_bind_text(st, 1, role);
    int rc;
    *n = 0;
    while ((rc = db_step(st, err)) == DB_ROW)
        if (*n < max)
            ids[(*n)++] = db_col_int64(st, 0);
    db_reset(st);
    return rc < 0 ? -rc : OT_OK;
}

int store_user_executors(store_tx_t *tx, const char *scope, const char *today,
                         int (*fn)(const executor_load_t *e, void *arg), void *arg, ot_err_t *err)
{
    /* the counts read appeals_queue_exec (executor, due_on, id, status, body) alone, the
     * overdue one a range of it (worded as the index's condition) */
    PREPARE(tx, "SELECT u.id, u.login, u.name, u.position, u.body,"
                " (SELECT count(*) FROM appeals a WHERE a.executor = u.id"
                "   AND (a.status IN ('registered', 'assigned', 'in_work')) > 0),"
                " (SELECT count(*) FROM appeals a WHERE a.executor = u.id"
                "   AND (a.status IN ('registered', 'assigned', 'in_work')) > 0 AND a.due_on < ?2)"
                " FROM users u JOIN bodies b ON b.id = u.body"
                " WHERE u.role = 'executor' AND u.disabled = 0"
                " AND substr(b.path, 1, length(?1)) = ?1 ORDER BY u.name, u.id");
    db_bind_text(st, 1, scope);
    db_bind_text(st, 2, today);
    executor_load_t e;
    int rc, stop = 0;
    while (!stop && (rc = db_step(st, err)) == DB_ROW) {
        memset(&e, 0, sizeof e);
        e.id = db_col_int64(st, 0);
        store_copy_col(st, 1, e.login, sizeof e.login);
        store_copy_col(st, 2, e.name, sizeof e.name);
        store_copy_col(st, 3, e.position, sizeof e.position);
        store_copy_col(st, 4, e.body, sizeof e.body);
        e.open = db_col_int64(st, 5);
        e.overdue = db_col_int64(st, 6);
        stop = fn(&e, arg);
    }
    db_reset(st);
    return stop || rc >= 0 ? OT_OK : -rc;
}
