/* Staff sign-in: POST/GET/DELETE /api/v1/session. */
#include <microhttpd.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "http/handlers.h"
#include "http/input.h"
#include "util/log.h"

json_t *user_json(const auth_user_t *u)
{
    return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)u->id, "login", u->login,
                     "name", u->name, "position", u->position, "role", role_name(u->role), "body",
                     u->body);
}

static void set_cookie(http_req_t *req, const char *token, int64_t max_age_s)
{
    char c[256];
    snprintf(c, sizeof c, "otinish_session=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%lld%s",
             token, (long long)max_age_s, req->app->cfg.cookie_secure ? "; Secure" : "");
    http_reply_header(req, "Set-Cookie", c);
}

void h_session_create(http_req_t *req)
{
    json_t *body = http_body_json(req);
    if (!body)
        return;
    static const char *const keys[] = {"login", "password", "new_password", NULL};
    const char *login, *password, *new_password = NULL;
    ot_err_t err;
    if (in_only(body, keys, NULL, &err) || in_str(body, "login", "login", 1, 64, 0, &login, &err) ||
        in_str(body, "password", "password", 1, 256, 0, &password, &err) ||
        in_str(body, "new_password", "new_password", 0, 256, 0, &new_password, &err)) {
        http_reply_err(req, &err);
        goto out;
    }
    /* The throttle counts an attempt before the password work and gives it back after a
     * success, so a parallel burst cannot get past the limit between check and count. The
     * account's lockout is per account and address: guesses from one place do not lock the
     * real user out from another. The address's own limit is checked first, so a throttled
     * address cannot push its entry out of the table with new logins. */
    char addr[64], pair[160];
    http_client_addr(req, addr, sizeof addr);
    snprintf(pair, sizeof pair, "%s %s", addr, login);
    const http_config_t *cfg = &req->app->cfg;
    int64_t now = clock_now_us();
    int ra = rl_hit(req->app->rl, "login-ip", addr, &cfg->login_per_ip, now);
    if (!ra && (ra = rl_hit(req->app->rl, "login-account", pair, &cfg->login_per_account, now)))
        rl_undo(req->app->rl, "login-ip", addr, &cfg->login_per_ip, now);
    if (ra) {
        http_reply_retry(req, ra);
        goto out;
    }
    char token[AUTH_TOKEN_LEN], csrf[AUTH_TOKEN_LEN];
    auth_user_t u;
    int rc = auth_login(req->app->svc.store, &cfg->auth, login, password, new_password, now, token,
                        csrf, &u, &err);
    if (rc != OT_EUNAUTH) { /* only a wrong guess counts */
        rl_undo(req->app->rl, "login-account", pair, &cfg->login_per_account, now);
        rl_undo(req->app->rl, "login-ip", addr, &cfg->login_per_ip, now);
    }
    if (rc) {
        http_reply_err(req, &err); /* 503 comes with Retry-After */
        goto out;
    }
    http_reply_json(
        req, 200,
        json_pack("{s:s, s:s, s:o}", "token", token, "csrf", csrf, "user", user_json(&u)));
    set_cookie(req, token, cfg->auth.ttl_us / 1000000);
out:
    json_decref(body);
}

void h_session_get(http_req_t *req)
{
    auth_user_t u;
    if (http_auth(req, &u))
        return;
    http_reply_json(req, 200, json_pack("{s:o}", "user", user_json(&u)));
}

void h_session_delete(http_req_t *req)
{
    auth_user_t u;
    if (http_auth(req, &u))
        return;
    const char *authz = http_header(req, "Authorization");
    const char *token =
        authz && strncasecmp(authz, "Bearer ", 7) == 0
            ? authz + 7
            : MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND, "otinish_session");
    ot_err_t err;
    if (auth_logout(req->app->svc.store, token, clock_now_us(), &err)) {
        http_reply_err(req, &err);
        return;
    }
    http_reply_json(req, 200, json_pack("{s:b}", "signed_out", 1));
    set_cookie(req, "", 0);
}
