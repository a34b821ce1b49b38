/* What handlers see of the HTTP layer: the request, the application context, replies.
 * Handlers live in src/http/h_*.c, parse input into C structs, call a service, and reply
 * with JSON. Only this layer includes microhttpd.h and jansson for HTTP. */
#ifndef OT_HTTP_HTTP_H
#define OT_HTTP_HTTP_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "http/ratelimit.h"
#include "service/auth.h"
#include "service/svc.h"
#include "util/err.h"
#include "util/jw.h"

struct MHD_Connection;
struct MHD_Response;

typedef struct http_config {
    const char *listen_addr;     /* "127.0.0.1" */
    int port;                    /* 0: any free port (printed on stdout) */
    int poll_threads;            /* libmicrohttpd's polling threads (epoll pool) */
    int threads;                 /* request threads: the requests that may wait (RUNS_ASIDE) */
    size_t json_limit;           /* max JSON request body, bytes */
    size_t upload_limit;         /* max attachment upload, bytes */
    int access_log;              /* one line per request on stderr */
    int cookie_secure;           /* add Secure to the session cookie (behind TLS) */
    const char *web_dir;         /* the static UI (web/); NULL: none */
    rl_rule_t login_per_account; /* failed logins per account */
    rl_rule_t login_per_ip;      /* failed logins per client address */
    rl_rule_t public_per_ip;     /* public intake and tracking per client address */
    auth_policy_t auth;
    const char *metrics_allow; /* addresses that may GET /metrics, comma-separated */
} http_config_t;

/* Everything a handler may use; lives as long as the server. */
typedef struct app {
    svc_t svc; /* the store, the jurisdictions, policy knobs */
    const char *data_dir;
    http_config_t cfg;
    rl_t *rl;
} app_t;

#define HTTP_MAX_PARAMS 4

typedef struct http_req {
    struct MHD_Connection *conn;
    app_t *app;
    const char *method;
    const char *path;
    char *body; /* NUL-terminated; NULL when the request had none */
    size_t body_len;
    const char *params[HTTP_MAX_PARAMS]; /* {name} segments of the route, in order */
    char param_buf[512];
    char number_buf[48]; /* a {number} segment as the registry writes it (see server.c) */
    /* the reply, set by one of the http_reply_* calls */
    int status;
    struct MHD_Response *resp;
    size_t resp_len;
    /* a handler that waits without its thread (issue 19 point 7: GET appeal, for the page
     * cache's sync): http_suspend puts the connection aside and the handler returns with no
     * reply; http_resume (from any thread) has the handler called again for the same request,
     * with waited set and what it kept (synced) */
    int suspended, waited;
    uint64_t synced;
    int aside; /* set aside from the polling thread: 1 on a request thread, 2 on a long reads' */
} http_req_t;

typedef void (*http_handler_fn)(http_req_t *req);

/* The request (an http_req_t *) put aside, and taken up again: see http_req_t.suspended. */
void http_suspend(void *req);
void http_resume(void *req);

/* A handler that would wait on the store now (a read the node's cache cannot answer) calls
 * this on the polling thread: 1 when the request is set aside, to be run again from the
 * start on a request thread (req->aside set there), and the handler must return at once
 * without a reply; 0 when it runs here (already aside, or the store's reads do not wait). */
int http_set_aside(http_req_t *req);

/* The same for a request that may run long on any engine (an export): set aside whatever the
 * store, since a polling thread left working on it leaves its other connections unread, and
 * to the long reads' threads, also from a request thread (an export of a route whose reads
 * are set aside on PostgreSQL), so that as many exports as there are request threads do not
 * leave writes without one. */
int http_set_aside_long(http_req_t *req);

/* 1 when req is the only request the server is working on: its polling thread has nothing
 * else to serve while it waits for one round trip (a lone client is not put aside). */
int http_alone(http_req_t *req);

/* Request input. */
const char *http_query(http_req_t *req, const char *name); /* NULL when absent */
/* The same, NULL also when present but empty ("?status=" does not filter). */
const char *http_query_opt(http_req_t *req, const char *name);
const char *http_header(http_req_t *req, const char *name); /* NULL when absent */

/* Parses the body as a JSON object. On failure replies 400 and returns NULL. The caller
 * owns the returned reference (json_decref). */
json_t *http_body_json(http_req_t *req);

/* Replies. http_reply_json takes ownership of body (steals the reference). */
void http_reply_json(http_req_t *req, int status, json_t *body);
/* The same, keeping the rendered text under key for ttl_us (http/cache.h). */
void http_reply_json_cached(http_req_t *req, int status, json_t *body, const char *key,
                            int64_t ttl_us);
/* Replies 200 with the text cached under key; 0 when there is none. */
int http_reply_from_cache(http_req_t *req, const char *key);
/* Replies with a ready JSON text (taking ownership of the malloc'd text). */
void http_reply_text(http_req_t *req, int status, char *text, size_t len);
/* Replies with what a streaming writer wrote (jw.h); frees the writer's buffer. */
void http_reply_jw(http_req_t *req, int status, jw_t *w);
/* Error replies {"error":{"code","message","field"}}: the HTTP status comes from the
 * ot_status (OT_EINVAL, ...) through http_status_of, the one mapping; no handler writes a
 * status code of its own. */
void http_reply_err(http_req_t *req, const ot_err_t *err);
void http_reply_error(http_req_t *req, int ot_status, const char *code, const char *field,
                      const char *message);
void http_reply_header(http_req_t *req, const char *name, const char *value);
/* Sets a ready libmicrohttpd response (taking ownership) with the common headers. */
void http_set_response(http_req_t *req, int status, struct MHD_Response *resp, size_t len);
/* A non-JSON reply (CSV, XLSX): takes ownership of data (malloc'd, freed by the server);
 * filename, when given, sets Content-Disposition: attachment. */
void http_reply_bytes(http_req_t *req, int status, const char *content_type, void *data, size_t len,
                      const char *filename);
/* A body of unknown length, read to its end here into a temporary file (constant memory) and
 * sent from it: read(arg, buf, n) gives up to n bytes, 0 at the end, < 0 on a failure (the
 * reply is then a 500 export_failed; a full temporary directory, 503 no_space). free_arg(arg)
 * runs before this returns. Call it on a request thread (an export sets itself aside). */
void http_reply_spooled(http_req_t *req, int status, const char *content_type, const char *filename,
                        long (*read)(void *arg, char *buf, size_t n), void (*free_arg)(void *arg),
                        void *arg);
/* 429 with Retry-After. */
void http_reply_retry(http_req_t *req, int retry_after);

/* The client's address as text ("127.0.0.1"), for rate limits and logs. */
const char *http_client_addr(http_req_t *req, char *out, size_t n);

/* Authenticates a staff request: `Authorization: Bearer TOKEN`, or the session cookie plus
 * the X-CSRF-Token header on state-changing methods. On failure replies (401/403) and
 * returns non-zero; the handler then just returns. */
int http_auth(http_req_t *req, auth_user_t *user);

/* Counts one public request of the client against cfg.public_per_ip; on 429 replies and
 * returns non-zero. */
int http_public_limit(http_req_t *req);

/* Whether a request failed for the store (503, not "login_busy") at or after the instant
 * since; why gets the last such failure. For GET /healthz. */
int http_store_failed_since(int64_t since, char *why, size_t n);

/* The single place that maps an ot_status to an HTTP status code. */
int http_status_of(int ot_status);

/* A JSON string, or null for NULL and "" (optional fields in replies); the caller owns it. */
json_t *http_json_opt_str(const char *s);

/* Builds {"error":{"code","message","field"}}; the caller owns it. */
json_t *http_error_json(const char *code, const char *field, const char *message);

#endif
