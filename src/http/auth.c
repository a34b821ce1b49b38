/* Authentication of staff requests and the public rate limit. */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "http/http.h"
#include "util/log.h"

#define SESSION_COOKIE "otinish_session"

const char *http_client_addr(http_req_t *req, char *out, size_t n)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(req->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    out[0] = '\0';
    if (!ci || !ci->client_addr)
        return out;
    const struct sockaddr *sa = ci->client_addr;
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, out, (socklen_t)n);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, out, (socklen_t)n);
    return out;
}

static int is_safe_method(const char *m)
{
    return strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0 || strcmp(m, "OPTIONS") == 0;
}

int http_auth(http_req_t *req, auth_user_t *user)
{
    const char *authz = http_header(req, "Authorization");
    const char *token = NULL;
    int by_cookie = 0;
    if (authz && strncasecmp(authz, "Bearer ", 7) == 0)
        token = authz + 7;
    else {
        token = MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND, SESSION_COOKIE);
        by_cookie = token != NULL;
    }
    if (!token) {
        http_reply_error(req, OT_EUNAUTH, "unauthenticated", NULL, "sign in first");
        return 1;
    }
    char csrf[AUTH_TOKEN_LEN];
    ot_err_t err;
    if (auth_session(req->app->svc.store, &req->app->cfg.auth, token, clock_now_us(), user, csrf,
                     &err)) {
        http_reply_err(req, &err);
        return 1;
    }
    if (by_cookie && !is_safe_method(req->method)) {
        const char *sent = http_header(req, "X-CSRF-Token");
        if (!sent || strcmp(sent, csrf) != 0) {
            http_reply_error(req, OT_EFORBIDDEN, "csrf", "X-CSRF-Token",
                             "a state-changing request signed in by cookie needs the "
                             "X-CSRF-Token header from the login answer");
            return 1;
        }
    }
    return 0;
}

void http_reply_retry(http_req_t *req, int retry_after)
{
    char ra[16];
    snprintf(ra, sizeof ra, "%d", retry_after);
    http_reply_error(req, OT_ELIMIT, "rate_limited", NULL, "too many requests: try again later");
    http_reply_header(req, "Retry-After", ra);
}

int http_public_limit(http_req_t *req)
{
    char addr[64];
    int ra = rl_hit(req->app->rl, "public", http_client_addr(req, addr, sizeof addr),
                    &req->app->cfg.public_per_ip, clock_now_us());
    if (ra)
        http_reply_retry(req, ra);
    return ra;
}
