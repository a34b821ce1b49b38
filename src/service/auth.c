#include "service/auth.h"

#include <jansson.h>
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/text.h"
#include "service/audit.h"
#include "store/store_user.h"
#include "util/log.h"
#include "util/paths.h"
#include "util/str.h"

const auth_policy_t auth_default_policy = {12LL * 3600 * 1000000, 30LL * 60 * 1000000, 0};

/* last_seen is written at most this often, so reads do not each cost a write. */
#define TOUCH_EVERY_US (60LL * 1000000)

_Static_assert(AUTH_HASH_LEN == crypto_pwhash_STRBYTES, "auth.h's AUTH_HASH_LEN");

static int hash_password(const char *password, char out[crypto_pwhash_STRBYTES], ot_err_t *err)
{
    if (sodium_init() < 0)
        return ot_err(err, OT_EINTERNAL, "crypto_init", NULL, "libsodium failed to start");
    if (crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        return ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory hashing the password");
    return OT_OK;
}

/* ==== Common passwords: data/passwords/common.txt, read once ==== */

static pthread_once_t common_once = PTHREAD_ONCE_INIT;
static char **common;
static size_t n_common;
static char common_dir[1024]; /* the data folder svc_init was given; else paths_data_dir() */

void auth_data_dir(const char *data_dir)
{
    snprintf(common_dir, sizeof common_dir, "%s", data_dir ? data_dir : "");
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void lower_ascii(char *s)
{
    for (; *s; s++)
        if (*s >= 'A' && *s <= 'Z')
            *s = (char)(*s - 'A' + 'a');
}

/* Without the file the other rules still hold; the server says so in its log. */
static void load_common(void)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/passwords/common.txt",
             common_dir[0] ? common_dir : paths_data_dir());
    FILE *f = fopen(path, "r");
    if (!f) {
        log_error("no list of common passwords at %s: only the length rules apply", path);
        return;
    }
    char *line = NULL;
    size_t cap = 0, room = 0;
    ssize_t len;
    while ((len = getline(&line, &cap, f)) >= 0) {
        line[strcspn(line, "\r\n")] = '\0';
        if (!line[0] || line[0] == '#')
            continue;
        if (n_common == room) {
            room = room ? room * 2 : 256;
            char **grown = realloc(common, room * sizeof *common);
            if (!grown)
                break;
            common = grown;
        }
        lower_ascii(line);
        if (!(common[n_common] = strdup(line)))
            break;
        n_common++;
    }
    free(line);
    fclose(f);
    qsort(common, n_common, sizeof *common, cmp_str);
}

static int is_common(const char *password)
{
    pthread_once(&common_once, load_common);
    char low[257];
    snprintf(low, sizeof low, "%s", password);
    lower_ascii(low);
    const char *key = low;
    return n_common && bsearch(&key, common, n_common, sizeof *common, cmp_str) != NULL;
}

/* The number of different bytes in s ("aaaaaaaaaa": 1, "1212121212": 2). */
static int distinct_bytes(const char *s)
{
    unsigned char seen[256] = {0};
    int n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (!seen[*p]++)
            n++;
    return n;
}

int auth_password_check(const char *password, ot_err_t *err)
{
    size_t n = password ? strlen(password) : 0;
    if (n == 0)
        return ot_err(err, OT_EINVAL, "required", "password", "a password is required");
    int rc = text_check(password, n, 256, 0, "password", err);
    if (rc)
        return rc;
    if (text_utf8_chars(password, n) < 10)
        return ot_err(err, OT_EINVAL, "password_too_short", "password",
                      "the password must have at least 10 characters");
    if (distinct_bytes(password) < 4)
        return ot_err(err, OT_EINVAL, "password_too_simple", "password",
                      "the password must have at least 4 different characters");
    if (is_common(password))
        return ot_err(err, OT_EINVAL, "password_common", "password",
                      "that password is on the list of common passwords: choose another");
    return OT_OK;
}

static void token_hash_hex(const char *token, char out[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
    sodium_bin2hex(out, 65, h, sizeof h);
}

static void random_token(char *out, size_t n_bytes)
{
    unsigned char b[32];
    randombytes_buf(b, n_bytes);
    sodium_bin2base64(out, AUTH_TOKEN_LEN, b, n_bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

static void fill_user(const user_rec_t *r, auth_user_t *u)
{
    memset(u, 0, sizeof *u);
    u->id = r->id;
    snprintf(u->login, sizeof u->login, "%s", r->login);
    snprintf(u->name, sizeof u->name, "%s", r->name);
    snprintf(u->position, sizeof u->position, "%s", r->position);
    int role = role_parse(r->role);
    u->role = role < 0 ? ROLE_AUDITOR : (role_t)role;
    snprintf(u->body, sizeof u->body, "%s", r->body);
    snprintf(u->body_path, sizeof u->body_path, "%s", r->body_path);
}

static void cache_clear(void);

/* ==== Accounts ==== */

struct add {
    user_rec_t u;
    const char *actor;
};

static int add_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct add *a = arg;
    int rc = store_user_insert(tx, &a->u, err);
    if (rc)
        return rc;
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)a->u.id);
    json_t *d = json_pack("{s:s, s:s, s:s, s:s, s:s}", "login", a->u.login, "name", a->u.name,
                          "position", a->u.position, "role", a->u.role, "body", a->u.body);
    rc = audit_append(tx, a->u.created_at, a->actor, "user.add", "user", id, d, err);
    json_decref(d);
    return rc;
}

static int check_field(const char *v, size_t max, const char *field, ot_err_t *err)
{
    size_t n = v ? strlen(v) : 0;
    if (n == 0)
        return ot_err(err, OT_EINVAL, "required", field, "%s is required", field);
    return text_check(v, n, max, 0, field, err);
}

int auth_password_hash(const char *password, char out[AUTH_HASH_LEN], ot_err_t *err)
{
    int rc = auth_password_check(password, err);
    return rc ? rc : hash_password(password, out, err);
}

static int user_add(store_t *s, const char *actor, const char *login, const char *name,
                    const char *position, const char *role, const char *body, const char *password,
                    const char *pw_hash, int64_t now, int64_t *id_out, ot_err_t *err)
{
    struct add a;
    memset(&a, 0, sizeof a);
    int rc;
    if ((rc = check_field(login, 60, "login", err)) || (rc = check_field(name, 150, "name", err)) ||
        (rc = check_field(position, 150, "position", err)) ||
        (rc = check_field(body, 60, "body", err)))
        return rc;
    for (const char *p = login; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' ||
              *p == '-'))
            return ot_err(err, OT_EINVAL, "login_format", "login",
                          "a login is lower-case latin letters, digits, '.', '_' or '-'");
    if (role_parse(role) < 0)
        return ot_err(err, OT_EINVAL, "unknown_role", "role",
                      "role must be registrar, executor, head, supervisor, auditor or admin");
    snprintf(a.u.login, sizeof a.u.login, "%s", login);
    snprintf(a.u.name, sizeof a.u.name, "%s", name);
    snprintf(a.u.position, sizeof a.u.position, "%s", position);
    snprintf(a.u.role, sizeof a.u.role, "%s", role);
    snprintf(a.u.body, sizeof a.u.body, "%s", body);
    a.u.created_at = now;
    a.actor = actor;
    if (pw_hash)
        snprintf(a.u.pw_hash, sizeof a.u.pw_hash, "%s", pw_hash);
    else if ((rc = auth_password_check(password, err)) ||
             (rc = hash_password(password, a.u.pw_hash, err)))
        return rc;
    rc = store_write(s, add_tx, &a, err);
    if (!rc && id_out)
        *id_out = a.u.id;
    return rc;
}

int auth_user_add(store_t *s, const char *actor, const char *login, const char *name,
                  const char *position, const char *role, const char *body, const char *password,
                  int64_t now, int64_t *id_out, ot_err_t *err)
{
    return user_add(s, actor, login, name, position, role, body, password, NULL, now, id_out, err);
}

int auth_user_add_hashed(store_t *s, const char *actor, const char *login, const char *name,
                         const char *position, const char *role, const char *body,
                         const char *pw_hash, int64_t now, int64_t *id_out, ot_err_t *err)
{
    return user_add(s, actor, login, name, position, role, body, NULL, pw_hash, now, id_out, err);
}

struct change {
    const char *actor;
    const char *login;
    const char *pw_hash; /* NULL: disable (or expire) */
    int64_t now;
    int expire; /* mark the password expired */
};

static int change_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct change *c = arg;
    user_rec_t u;
    int rc = store_user_by_login(tx, c->login, &u, err);
    if (rc)
        return rc;
    rc = c->pw_hash  ? store_user_set_password(tx, u.id, c->pw_hash, c->now, err)
         : c->expire ? store_user_set_expired(tx, u.id, err)
                     : store_user_set_disabled(tx, u.id, 1, err);
    if (!rc)
        rc = store_session_revoke_user(tx, u.id, c->now, err);
    if (rc)
        return rc;
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)u.id);
    json_t *d = json_pack("{s:s}", "login", u.login);
    rc = audit_append(tx, c->now, c->actor,
                      c->pw_hash  ? "user.passwd"
                      : c->expire ? "user.expire"
                                  : "user.disable",
                      "user", id, d, err);
    json_decref(d);
    return rc;
}

int auth_user_disable(store_t *s, const char *actor, const char *login, int64_t now, ot_err_t *err)
{
    struct change c = {actor, login, NULL, now, 0};
    int rc = store_write(s, change_tx, &c, err);
    cache_clear();
    return rc;
}

int auth_user_passwd(store_t *s, const char *actor, const char *login, const char *password,
                     int64_t now, ot_err_t *err)
{
    char h[crypto_pwhash_STRBYTES];
    int rc = auth_password_check(password, err);
    if (rc || (rc = hash_password(password, h, err)))
        return rc;
    struct change c = {actor, login, h, now, 0};
    rc = store_write(s, change_tx, &c, err);
    cache_clear();
    return rc;
}

int auth_user_expire(store_t *s, const char *actor, const char *login, int64_t now, ot_err_t *err)
{
    struct change c = {actor, login, NULL, now, 1};
    int rc = store_write(s, change_tx, &c, err);
    cache_clear();
    return rc;
}

struct email {
    const char *actor, *login, *email;
    int64_t now;
};

static int email_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct email *e = arg;
    user_rec_t u;
    int rc = store_user_by_login(tx, e->login, &u, err);
    if (!rc)
        rc = store_staff_set_email(tx, e->login, e->email, err);
    if (rc)
        return rc;
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)u.id);
    json_t *d = json_pack("{s:s, s:b}", "login", u.login, "email_set", e->email && *e->email);
    rc = audit_append(tx, e->now, e->actor, "user.email", "user", id, d, err);
    json_decref(d);
    return rc;
}

int auth_email_check(const char *email, ot_err_t *err)
{
    return text_email_check(email, strlen(email), "email", err);
}

int auth_user_email(store_t *s, const char *actor, const char *login, const char *email,
                    int64_t now, ot_err_t *err)
{
    if (email && *email) {
        int rc = auth_email_check(email, err);
        if (rc)
            return rc;
    }
    struct email e = {actor, login, email, now};
    return store_write(s, email_tx, &e, err);
}

int auth_user_get_in(store_tx_t *tx, const char *login, auth_user_t *out, ot_err_t *err)
{
    user_rec_t r;
    int rc = store_user_by_login(tx, login, &r, err);
    if (!rc)
        fill_user(&r, out);
    return rc;
}

struct user_get {
    const char *login;
    auth_user_t *out;
};

static int user_get_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct user_get *g = arg;
    return auth_user_get_in(tx, g->login, g->out, err);
}

int auth_user_get(store_t *s, const char *login, auth_user_t *out, ot_err_t *err)
{
    struct user_get g = {login, out};
    return store_read(s, user_get_tx, &g, err);
}

struct user_list {
    int (*fn)(const auth_account_t *a, void *arg);
    void *arg;
};

static int account_of(const user_rec_t *u, void *arg)
{
    struct user_list *l = arg;
    auth_account_t a;
    memset(&a, 0, sizeof a);
    str_copy(a.login, sizeof a.login, u->login);
    str_copy(a.name, sizeof a.name, u->name);
    str_copy(a.position, sizeof a.position, u->position);
    str_copy(a.role, sizeof a.role, u->role);
    str_copy(a.body, sizeof a.body, u->body);
    a.disabled = u->disabled;
    return l->fn(&a, l->arg);
}

static int user_list_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    return store_user_each(tx, account_of, arg, err);
}

int auth_user_list(store_t *s, int (*fn)(const auth_account_t *a, void *arg), void *arg,
                   ot_err_t *err)
{
    struct user_list l = {fn, arg};
    return store_read(s, user_list_tx, &l, err);
}

/* ==== Sessions ==== */

static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;
static char dummy_hash[crypto_pwhash_STRBYTES];

static void make_dummy(void)
{
    char pw[AUTH_TOKEN_LEN];
    random_token(pw, 24);
    if (hash_password(pw, dummy_hash, NULL))
        dummy_hash[0] = '\0';
}

static int user_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    user_rec_t *u = arg;
    return store_user_by_login(tx, u->login, u, err);
}

struct login {
    session_rec_t sess;
    int64_t at;
    char uid[24];
    char new_hash[crypto_pwhash_STRBYTES]; /* "": the password stays */
};

static int login_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct login *l = arg;
    int rc = OT_OK;
    if (l->new_hash[0]) { /* a change at login: the other sessions end, as with user passwd */
        char actor[32];
        snprintf(actor, sizeof actor, "user:%s", l->uid);
        if ((rc = store_user_set_password(tx, l->sess.user_id, l->new_hash, l->at, err)) ||
            (rc = store_session_revoke_user(tx, l->sess.user_id, l->at, err)) ||
            (rc = audit_append(tx, l->at, actor, "user.passwd", "user", l->uid, NULL, err)))
            return rc;
    }
    rc = store_session_insert(tx, &l->sess, err);
    if (!rc)
        rc = audit_append(tx, l->at, "system", "session.login", "user", l->uid, NULL, err);
    return rc;
}

/* Password verifications running now (auth_policy_t.max_hashing). */
static atomic_int hashing;

/* Verifies password against hash within the cap; 1 when it matches, 0 when not, -1 when the
 * cap is reached (nothing was run). */
static int verify_capped(const auth_policy_t *p, const char *hash, const char *password)
{
    if (p->max_hashing > 0 && atomic_fetch_add(&hashing, 1) >= p->max_hashing) {
        atomic_fetch_sub(&hashing, 1);
        return -1;
    }
    int ok = crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
    if (p->max_hashing > 0)
        atomic_fetch_sub(&hashing, 1);
    return ok;
}

int auth_login(store_t *s, const auth_policy_t *p, const char *login, const char *password,
               const char *new_password, int64_t now, char *token, char *csrf, auth_user_t *user,
               ot_err_t *err)
{
    user_rec_t u;
    memset(&u, 0, sizeof u);
    if (sodium_init() < 0)
        return ot_err(err, OT_EINTERNAL, "crypto_init", NULL, "libsodium failed to start");
    if (!login || !password || strlen(login) >= sizeof u.login)
        return ot_err(err, OT_EUNAUTH, "bad_credentials", NULL, "wrong login or password");
    snprintf(u.login, sizeof u.login, "%s", login);
    ot_err_t lerr;
    int rc = store_read(s, user_tx, &u, &lerr);
    if (rc && rc != OT_ENOTFOUND)
        return ot_err(err, rc, lerr.code, NULL, "%s", lerr.message);
    /* Verify even for an unknown login, so timing does not tell which logins exist. */
    pthread_once(&dummy_once, make_dummy);
    int good = verify_capped(p, rc ? dummy_hash : u.pw_hash, password);
    if (good < 0)
        return ot_err(err, OT_EUNAVAIL, "login_busy", NULL,
                      "too many sign-ins at once: try again in a moment");
    if (rc || !good || u.disabled)
        return ot_err(err, OT_EUNAUTH, "bad_credentials", NULL, "wrong login or password");
    struct login l;
    memset(&l, 0, sizeof l);
    int change = new_password && *new_password;
    if (u.pw_expired && !change)
        return ot_err(err, OT_EFORBIDDEN, "password_expired", "new_password",
                      "the password has expired: sign in with new_password to set another");
    if (change) {
        if ((rc = auth_password_check(new_password, err))) {
            snprintf(err->field, sizeof err->field, "new_password");
            return rc;
        }
        if (strcmp(new_password, password) == 0)
            return ot_err(err, OT_EINVAL, "password_unchanged", "new_password",
                          "the new password must differ from the old one");
        if ((rc = hash_password(new_password, l.new_hash, err)))
            return rc;
    }
    random_token(token, 32);
    random_token(csrf, 24);
    token_hash_hex(token, l.sess.token_hash);
    l.sess.user_id = u.id;
    snprintf(l.sess.csrf, sizeof l.sess.csrf, "%s", csrf);
    l.sess.created_at = l.sess.last_seen = l.at = now;
    l.sess.expires_at = now + p->ttl_us;
    snprintf(l.uid, sizeof l.uid, "%lld", (long long)u.id);
    if ((rc = store_write(s, login_tx, &l, err)))
        return rc;
    if (change)
        cache_clear();
    fill_user(&u, user);
    return OT_OK;
}

struct sess_lookup {
    session_rec_t sess;
    user_rec_t user;
};

static int sess_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct sess_lookup *l = arg;
    int rc = store_session_get(tx, l->sess.token_hash, &l->sess, err);
    if (!rc)
        rc = store_user_by_id(tx, l->sess.user_id, &l->user, err);
    return rc;
}

struct touch {
    const char *token_hash;
    int64_t now;
};

static int touch_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct touch *t = arg;
    return store_session_touch(tx, t->token_hash, t->now, err);
}

/* ==== Session cache ====
 * A read transaction per request costs more than the request itself (WAL locks), so the
 * session and its user are remembered for SESSION_FRESH_US. Logout in this process drops the
 * entry at once; disabling a user or changing a password here clears the cache; the same
 * done by another process (the CLI, another node) is seen within SESSION_FRESH_US. */
#define SESSION_SLOTS    1024 /* power of two */
#define SESSION_FRESH_US 1000000

struct cached {
    struct sess_lookup l;
    int64_t checked_at; /* 0: empty */
};

static struct cached session_cache[SESSION_SLOTS];
static pthread_mutex_t session_mu = PTHREAD_MUTEX_INITIALIZER;

static struct cached *slot_of(const char *token_hash)
{
    unsigned h = 0;
    for (int i = 0; i < 8; i++)
        h = h * 16 +
            (unsigned)(token_hash[i] <= '9' ? token_hash[i] - '0' : token_hash[i] - 'a' + 10);
    return &session_cache[h & (SESSION_SLOTS - 1)];
}

static int cache_get(const char *token_hash, int64_t now, struct sess_lookup *out)
{
    pthread_mutex_lock(&session_mu);
    struct cached *c = slot_of(token_hash);
    int hit = c->checked_at && now - c->checked_at < SESSION_FRESH_US && now >= c->checked_at &&
              strcmp(c->l.sess.token_hash, token_hash) == 0;
    if (hit)
        *out = c->l;
    pthread_mutex_unlock(&session_mu);
    return hit;
}

static void cache_put(const struct sess_lookup *l, int64_t checked_at)
{
    pthread_mutex_lock(&session_mu);
    struct cached *c = slot_of(l->sess.token_hash);
    c->l = *l;
    c->checked_at = checked_at;
    pthread_mutex_unlock(&session_mu);
}

static void cache_drop(const char *token_hash)
{
    pthread_mutex_lock(&session_mu);
    struct cached *c = slot_of(token_hash);
    if (strcmp(c->l.sess.token_hash, token_hash) == 0)
        c->checked_at = 0;
    pthread_mutex_unlock(&session_mu);
}

static void cache_clear(void)
{
    pthread_mutex_lock(&session_mu);
    for (int i = 0; i < SESSION_SLOTS; i++)
        session_cache[i].checked_at = 0;
    pthread_mutex_unlock(&session_mu);
}

int auth_session(store_t *s, const auth_policy_t *p, const char *token, int64_t now,
                 auth_user_t *user, char *csrf, ot_err_t *err)
{
    struct sess_lookup l;
    memset(&l, 0, sizeof l);
    if (!token || !*token || strlen(token) >= AUTH_TOKEN_LEN)
        return ot_err(err, OT_EUNAUTH, "session_invalid", NULL, "not signed in");
    token_hash_hex(token, l.sess.token_hash);
    ot_err_t lerr;
    int rc = OT_OK;
    if (!cache_get(l.sess.token_hash, now, &l)) {
        rc = store_read(s, sess_tx, &l, &lerr);
        if (!rc)
            cache_put(&l, now);
    }
    if (rc == OT_ENOTFOUND || rc == OT_EUNAUTH)
        return ot_err(err, OT_EUNAUTH, "session_invalid", NULL, "not signed in");
    if (rc)
        return ot_err(err, rc, lerr.code, NULL, "%s", lerr.message);
    if (l.sess.revoked)
        return ot_err(err, OT_EUNAUTH, "session_revoked", NULL, "the session has ended");
    if (now >= l.sess.expires_at || now - l.sess.last_seen >= p->idle_us)
        return ot_err(err, OT_EUNAUTH, "session_expired", NULL, "the session has expired");
    if (l.user.disabled)
        return ot_err(err, OT_EUNAUTH, "user_disabled", NULL, "the account is disabled");
    /* touch often enough that a short idle timeout still sees the activity */
    int64_t every = p->idle_us / 4 < TOUCH_EVERY_US ? p->idle_us / 4 : TOUCH_EVERY_US;
    if (now - l.sess.last_seen >= every) {
        struct touch t = {l.sess.token_hash, now};
        if ((rc = store_write(s, touch_tx, &t, err)))
            return rc;
        l.sess.last_seen = now;
        cache_put(&l, now);
    }
    fill_user(&l.user, user);
    if (csrf)
        snprintf(csrf, AUTH_TOKEN_LEN, "%s", l.sess.csrf);
    return OT_OK;
}

struct logout {
    char token_hash[65];
    int64_t now;
};

static int logout_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct logout *l = arg;
    return store_session_revoke(tx, l->token_hash, l->now, err);
}

int auth_logout(store_t *s, const char *token, int64_t now, ot_err_t *err)
{
    struct logout l;
    if (!token || strlen(token) >= AUTH_TOKEN_LEN)
        return ot_err(err, OT_EUNAUTH, "session_invalid", NULL, "not signed in");
    token_hash_hex(token, l.token_hash);
    l.now = now;
    cache_drop(l.token_hash);
    return store_write(s, logout_tx, &l, err);
}
