/* libmicrohttpd glue: per-connection request state, body limits, dispatch, access log.
 *
 * The response is queued on the *second* call of the access handler (after the headers, and
 * after the upload data for bodies): replying on the first call makes libmicrohttpd close
 * the connection and keep-alive is lost. */
#include "http/server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <unistd.h>

#include "http/cache.h"
#include "http/form.h"
#include "http/handlers.h"
#include "http/metrics.h"
#include "http/router.h"
#include "service/appeal.h"
#include "util/file.h"
#include "util/json_out.h"
#include "util/log.h"

/* more query parameters than this are refused with 414 (on_uri, below) */
#define QUERY_MAX_PARAMS 200
#define QUERY_MAX_BYTES  (32 * 1024) /* a longer query is refused (414 query_too_long) */

/* Requests that may wait run off the polling threads (issue 23; issue 19 point 7). A request
 * that writes blocks its thread until the group commit has made it durable (store_write), and
 * libmicrohttpd's pool gives each thread its connections for good (it accepts up to 10 at once
 * on one thread), so a thread waiting on one commit left the requests of its other connections
 * unread: with 64 clients about 6 requests were ever in the writer's queue, batches of 2-3
 * units. On PostgreSQL a read waits too, for its round trips. Such a request's connection is
 * suspended and the request handed to one of the request threads (--threads), which runs it
 * and resumes the connection: as many requests wait together as there are request threads.
 * The polling threads, one per core, do not wait: they read the requests and serve those
 * that need no round trip (RUNS_HERE: /healthz, the reference lists, the appeal page from
 * the node's cache; on SQLite every read). Few polling threads each serve several
 * connections per wake-up; with 16 per core, as before, each slept and woke for about every
 * request (docs/group-commit.md "Threads"). */
struct offload {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct conn_ctx *head, *tail;
    int stop;
    int n;    /* threads started */
    int nice; /* each thread's nice value (Linux: a thread's own), 0 as the process */
    pthread_t *th;
};

/* The long reads (RUNS_LONG: reports, the dashboard, search; exports) run on threads of their
 * own, SLOW_PER_CORE a core, at a lower CPU priority than the writer, the polling threads and
 * the request threads (nice SLOW_NICE: a twelfth of their weight), so that on a busy machine
 * intake and the quick reads go first and a report or an export takes what they leave. At 1M
 * appeals, one core taken by other work, four clients reading exports, reports and the
 * dashboard cut intake of varied appeals from ~530/s to ~180/s (docs/group-commit.md). */
#define SLOW_PER_CORE 4
#define SLOW_NICE     10
#define SPOOL_CHUNK   (256 * 1024) /* an export read into its file this much at a time */

struct http_server {
    struct MHD_Daemon *d;
    app_t *app;
    atomic_int in_flight;
    atomic_int stopping;      /* http_server_stop has begun: new requests get 503 */
    int reads_wait;           /* the store's reads wait (PostgreSQL): they are set aside too */
    struct offload off, slow; /* the request threads; the long reads' (SLOW_PER_CORE) */
};

struct conn_ctx {
    struct conn_ctx *next; /* in the offload queue */
    struct http_server *srv;
    int offloaded;  /* handed to an offload thread, which made the reply */
    int want_aside; /* the handler asked to be set aside: 1 http_set_aside, 2 ..._long */
    http_req_t req;
    const http_route_t *route;
    int route_rc;
    char allow[64];
    size_t limit; /* body bytes accepted */
    size_t cap;
    int too_big;
    /* QUERY_OK, or why on_uri blanked the query before libmicrohttpd parsed it */
    enum { QUERY_OK, QUERY_TOO_MANY, QUERY_TOO_LONG } query;
    int64_t t0;
    int late; /* arrived after the stop began */
};

/* ==== Replies ==== */

int http_status_of(int s)
{
    switch (s) {
    case OT_OK:
        return 200;
    case OT_EBADREQ:
        return 400;
    case OT_EUNAUTH:
        return 401;
    case OT_EFORBIDDEN:
        return 403;
    case OT_ENOTFOUND:
        return 404;
    case OT_ECONFLICT:
        return 409;
    case OT_ETOOBIG:
        return 413;
    case OT_EINVAL:
        return 422;
    case OT_ELIMIT:
        return 429;
    case OT_EUNAVAIL:
        return 503;
    case OT_EMETHOD:
        return 405;
    case OT_EMEDIATYPE:
        return 415;
    case OT_EURITOOLONG:
        return 414;
    default:
        return 500;
    }
}

/* A {number} in the path as the registry writes it, however it was typed (Latin look-alikes,
 * the ASCII form, any case, missing zeros): one place for every route that takes one. Left as
 * it is when it is not a number (the handler then answers 404). */
static void canonical_number(http_req_t *req, const http_route_t *r)
{
    const char *at = strstr(r->pattern, "{number}");
    if (!at)
        return;
    int idx = 0;
    for (const char *p = r->pattern; p < at; p++)
        idx += *p == '{';
    if (idx < HTTP_MAX_PARAMS && req->params[idx] &&
        !appeal_number_canonical(&req->app->svc, req->params[idx], req->number_buf,
                                 sizeof req->number_buf))
        req->params[idx] = req->number_buf;
}

static void common_headers(const http_req_t *req, struct MHD_Response *r)
{
    /* cookies marked Secure mean the server is behind TLS: browsers should stay on it */
    if (req->app && req->app->cfg.cookie_secure)
        MHD_add_response_header(r, "Strict-Transport-Security", "max-age=31536000");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    /* no inline scripts or styles anywhere: the UI loads its modules and CSS from 'self' */
    MHD_add_response_header(r, "Content-Security-Policy",
                            "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; "
                            "base-uri 'none'; form-action 'self'");
}

void http_set_response(http_req_t *req, int status, struct MHD_Response *resp, size_t len)
{
    if (req->resp)
        MHD_destroy_response(req->resp);
    common_headers(req, resp);
    req->resp = resp;
    req->status = status;
    req->resp_len = len;
}

static void reply_text(http_req_t *req, int status, char *text, size_t len);

void http_reply_json(http_req_t *req, int status, json_t *body)
{
    http_reply_json_cached(req, status, body, NULL, 0);
}

void http_reply_json_cached(http_req_t *req, int status, json_t *body, const char *key,
                            int64_t ttl_us)
{
    size_t len = 0;
    char *text = body ? json_out(body, &len) : NULL;
    json_decref(body);
    if (text && key)
        reply_cache_put(key, text, len, clock_mono_us(), ttl_us);
    reply_text(req, status, text, len);
}

int http_reply_from_cache(http_req_t *req, const char *key)
{
    size_t len;
    char *text = reply_cache_get(key, clock_mono_us(), &len);
    if (text)
        reply_text(req, 200, text, len);
    return text != NULL;
}

void http_reply_text(http_req_t *req, int status, char *text, size_t len)
{
    reply_text(req, status, text, len);
}

void http_reply_jw(http_req_t *req, int status, jw_t *w)
{
    size_t len = 0;
    char *text = jw_finish(w, &len);
    reply_text(req, status, text, len);
}

/* Takes ownership of text (NULL: the encoder failed). */
static void reply_text(http_req_t *req, int status, char *text, size_t len)
{
    if (!text) {
        text = strdup("{\"error\":{\"code\":\"internal\",\"message\":\"cannot encode\","
                      "\"field\":null}}");
        status = 500;
        if (!text)
            return;
        len = strlen(text);
    }
    if (req->resp)
        MHD_destroy_response(req->resp);
    req->resp = MHD_create_response_from_buffer(len, text, MHD_RESPMEM_MUST_FREE);
    if (!req->resp) {
        free(text);
        return;
    }
    MHD_add_response_header(req->resp, "Content-Type", "application/json; charset=utf-8");
    MHD_add_response_header(req->resp, "Cache-Control", "no-store");
    /* every 401 says how to authenticate (RFC 9110 11.6.1), whichever layer refused */
    if (status == 401)
        MHD_add_response_header(req->resp, "WWW-Authenticate", "Bearer");
    common_headers(req, req->resp);
    req->status = status;
    req->resp_len = len;
}

/* The headers of a file the client saves (an export, an attachment) on req->resp, and the
 * reply's status and length. */
static void download_headers(http_req_t *req, int status, const char *content_type,
                             const char *filename, size_t len)
{
    MHD_add_response_header(req->resp, "Content-Type", content_type);
    MHD_add_response_header(req->resp, "Cache-Control", "no-store");
    if (filename) {
        /* RFC 6266: a name with other than ASCII (a translated report's) goes in filename*
         * as UTF-8, and filename gets it with those bytes as '_' for old clients */
        char cd[1024], ascii[256];
        size_t n = 0, k = 0;
        int other = 0;
        for (const unsigned char *p = (const unsigned char *)filename; *p && n + 1 < sizeof ascii;
             p++) {
            if (*p >= 0x80) {
                other = 1;
                if ((*p & 0xC0) != 0x80)
                    ascii[n++] = '_';
            } else
                ascii[n++] = (char)*p;
        }
        ascii[n] = '\0';
        k = (size_t)snprintf(cd, sizeof cd, "attachment; filename=\"%s\"", ascii);
        if (other && k < sizeof cd) {
            k += (size_t)snprintf(cd + k, sizeof cd - k, "; filename*=UTF-8''");
            for (const unsigned char *p = (const unsigned char *)filename; *p && k + 4 < sizeof cd;
                 p++) {
                if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                    (*p >= '0' && *p <= '9') || strchr("-._~", *p))
                    cd[k++] = (char)*p;
                else
                    k += (size_t)snprintf(cd + k, sizeof cd - k, "%%%02X", *p);
            }
            cd[k < sizeof cd ? k : sizeof cd - 1] = '\0';
        }
        MHD_add_response_header(req->resp, "Content-Disposition", cd);
    }
    common_headers(req, req->resp);
    req->status = status;
    req->resp_len = len;
}

/* An export's rows are read to their end here, on the thread that runs the request (a long
 * reads' thread, at a lower priority: docs/group-commit.md), into a temporary file with the
 * name taken away (constant memory), which libmicrohttpd then sends from the file (sendfile).
 * Read in libmicrohttpd's content reader instead, 64 KB at a time as the client took them,
 * the rows were made on the polling thread that sends them, whose other connections waited
 * meanwhile, and the read's snapshot lasted as long as the client's download (the log grew
 * past 300 MB at 1M appeals beside a few clients). An error part-way is a whole reply. */
static int spool_fd(void)
{
    char path[512];
    int fd = file_temp("export", path, sizeof path);
    if (fd >= 0)
        unlink(path);
    return fd;
}

void http_reply_spooled(http_req_t *req, int status, const char *content_type, const char *filename,
                        long (*read)(void *arg, char *buf, size_t n), void (*free_arg)(void *arg),
                        void *arg)
{
    int fd = spool_fd(), rc = fd < 0 ? OT_EUNAVAIL : OT_OK;
    uint64_t size = 0;
    char *buf = rc ? NULL : malloc(SPOOL_CHUNK);
    if (!rc && !buf)
        rc = OT_EINTERNAL;
    while (!rc) {
        long n = read(arg, buf, SPOOL_CHUNK);
        if (n == 0)
            break;
        if (n < 0)
            rc = OT_EINTERNAL;
        else if (pwrite(fd, buf, (size_t)n, (off_t)size) != n)
            rc = OT_EUNAVAIL; /* the temporary directory is full */
        else
            size += (uint64_t)n;
    }
    free(buf);
    free_arg(arg);
    if (rc) {
        if (fd >= 0)
            close(fd);
        ot_err_t err;
        if (rc == OT_EUNAVAIL)
            ot_err(&err, rc, "no_space", NULL, "no room for the export's temporary file; retry");
        else
            ot_err(&err, rc, "export_failed", NULL, "the export could not be read to its end");
        http_reply_err(req, &err);
        return;
    }
    if (req->resp)
        MHD_destroy_response(req->resp);
    req->resp = MHD_create_response_from_fd(size, fd); /* closes fd when sent */
    if (!req->resp) {
        close(fd);
        return;
    }
    download_headers(req, status, content_type, filename, (size_t)size);
}

void http_reply_bytes(http_req_t *req, int status, const char *content_type, void *data, size_t len,
                      const char *filename)
{
    if (req->resp)
        MHD_destroy_response(req->resp);
    req->resp = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
    if (!req->resp) {
        free(data);
        return;
    }
    download_headers(req, status, content_type, filename, len);
}

json_t *http_error_json(const char *code, const char *field, const char *message)
{
    return json_pack("{s:{s:s, s:s, s:s?}}", "error", "code", code, "message", message, "field",
                     field && *field ? field : NULL);
}

void http_reply_error(http_req_t *req, int ot_status, const char *code, const char *field,
                      const char *message)
{
    http_reply_json(req, http_status_of(ot_status), http_error_json(code, field, message));
}

/* ==== Failures: logged at most once per LOG_EVERY_US, the rest counted ====
 * A full disk fails every write the same way; one line per failed request would fill what
 * is left of it with the log. The last store failure is kept for GET /healthz. */
#define LOG_EVERY_US (10LL * 1000000)

static pthread_mutex_t fail_mu = PTHREAD_MUTEX_INITIALIZER;
static int64_t fail_logged_at, fail_at;
static long fail_suppressed;
static char fail_why[320];

/* A 503 the server gives by its own choice, not for a failure: too many password checks at
 * once, a server stopping */
static int by_choice(const ot_err_t *err)
{
    return strcmp(err->code, "login_busy") == 0 || strcmp(err->code, "shutting_down") == 0;
}

/* A 503 that says nothing of the store: the above, and no room for an export's temporary
 * file (logged, but the store takes writes) */
static int not_the_store(const ot_err_t *err)
{
    return by_choice(err) || strcmp(err->code, "no_space") == 0;
}

static void failure(const http_req_t *req, int status, const ot_err_t *err)
{
    int64_t now = clock_now_us();
    long suppressed = -1;
    pthread_mutex_lock(&fail_mu);
    if (status == 503 && !not_the_store(err)) {
        fail_at = now;
        snprintf(fail_why, sizeof fail_why, "%s: %s", err->code, err->message);
    }
    if (now - fail_logged_at >= LOG_EVERY_US) {
        suppressed = fail_suppressed;
        fail_suppressed = 0;
        fail_logged_at = now;
    } else
        fail_suppressed++;
    pthread_mutex_unlock(&fail_mu);
    if (suppressed > 0)
        log_error("%s %s: %d %s: %s (and %ld more failures in the last %lld s)", req->method,
                  req->path, status, err->code, err->message, suppressed,
                  (long long)(LOG_EVERY_US / 1000000));
    else if (suppressed == 0)
        log_error("%s %s: %d %s: %s", req->method, req->path, status, err->code, err->message);
}

int http_store_failed_since(int64_t since, char *why, size_t n)
{
    pthread_mutex_lock(&fail_mu);
    int failed = fail_at && fail_at >= since;
    if (failed)
        snprintf(why, n, "%s", fail_why);
    pthread_mutex_unlock(&fail_mu);
    return failed;
}

void http_reply_err(http_req_t *req, const ot_err_t *err)
{
    int status = http_status_of(err->status);
    if (status == 500 || (status == 503 && !by_choice(err)))
        failure(req, status, err);
    http_reply_json(req, status,
                    http_error_json(err->code[0] ? err->code : "error", err->field,
                                    status == 500 ? "internal error" : err->message));
    /* 503: the server cannot take it now; a full disk needs an operator, the rest a moment */
    if (status == 503)
        http_reply_header(req, "Retry-After",
                          !strcmp(err->code, "disk_full") || !strcmp(err->code, "no_space") ? "30"
                                                                                            : "1");
}

void http_reply_header(http_req_t *req, const char *name, const char *value)
{
    if (req->resp)
        MHD_add_response_header(req->resp, name, value);
}

/* ==== Request input ==== */

const char *http_query(http_req_t *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *http_query_opt(http_req_t *req, const char *name)
{
    const char *v = http_query(req, name);
    return v && *v ? v : NULL;
}

json_t *http_json_opt_str(const char *s)
{
    return s && *s ? json_string(s) : json_null();
}

const char *http_header(http_req_t *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

json_t *http_body_json(http_req_t *req)
{
    json_error_t je;
    if (!req->body || req->body_len == 0) {
        http_reply_error(req, OT_EBADREQ, "empty_body", NULL, "a JSON object is required");
        return NULL;
    }
    json_t *j = json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &je);
    if (!j) {
        char msg[256];
        snprintf(msg, sizeof msg, "invalid JSON at line %d column %d: %s", je.line, je.column,
                 je.text);
        http_reply_error(req, OT_EBADREQ, "bad_json", NULL, msg);
        return NULL;
    }
    if (!json_is_object(j)) {
        json_decref(j);
        http_reply_error(req, OT_EBADREQ, "bad_json", NULL, "the body must be a JSON object");
        return NULL;
    }
    return j;
}

/* ==== Dispatch ==== */

static int is_json_type(const char *ct)
{
    if (!ct)
        return 0;
    size_t n = strcspn(ct, ";");
    while (n && (ct[n - 1] == ' ' || ct[n - 1] == '\t'))
        n--;
    return n == 16 && strncasecmp(ct, "application/json", 16) == 0;
}

static void dispatch(struct conn_ctx *c)
{
    http_req_t *req = &c->req;
    if (c->query != QUERY_OK) {
        char msg[96];
        if (c->query == QUERY_TOO_MANY)
            snprintf(msg, sizeof msg, "the query has more than %d parameters", QUERY_MAX_PARAMS);
        else
            snprintf(msg, sizeof msg, "the query is longer than %d bytes", QUERY_MAX_BYTES);
        http_reply_error(req, OT_EURITOOLONG,
                         c->query == QUERY_TOO_MANY ? "too_many_parameters" : "query_too_long",
                         NULL, msg);
        return;
    }
    if (c->route_rc == ROUTE_NOT_FOUND && http_static_wants(req->method, req->path)) {
        h_static(req);
        return;
    }
    if (c->route_rc == ROUTE_NOT_FOUND) {
        http_reply_error(req, OT_ENOTFOUND, "not_found", NULL, "no such resource");
        return;
    }
    if (c->route_rc == ROUTE_BAD_METHOD) {
        http_reply_error(req, OT_EMETHOD, "method_not_allowed", NULL, "method not allowed here");
        http_reply_header(req, "Allow", c->allow);
        return;
    }
    if (c->too_big) {
        char msg[96];
        snprintf(msg, sizeof msg, "the body is larger than %zu bytes", c->limit);
        http_reply_error(req, OT_ETOOBIG, "body_too_large", NULL, msg);
        return;
    }
    int json_needed =
        c->route->body == BODY_JSON || (c->route->body == BODY_JSON_OPT && req->body_len);
    if (json_needed && !is_json_type(http_header(req, "Content-Type"))) {
        http_reply_error(req, OT_EMEDIATYPE, "unsupported_media_type", NULL,
                         "Content-Type must be application/json");
        return;
    }
    c->route->fn(req);
    if (!req->resp && !req->suspended && !c->want_aside)
        http_reply_error(req, OT_EINTERNAL, "internal", NULL, "the handler gave no reply");
}

static int offload_push(struct offload *o, struct conn_ctx *c);

/* Whether the request runs on a request thread: a write (any method but GET, HEAD,
 * OPTIONS), and a read of a RUNS_ASIDE route when the store's reads wait (PostgreSQL), 1; a
 * read of a RUNS_LONG route, 2 (the long reads' threads). On SQLite a read runs here, on
 * pages the OS keeps: set aside, a list of 20 appeals went from 9,700 to 6,600-7,300 req/s
 * (docs/postgresql.md "Polling threads that never wait"). */
static int runs_aside(const struct http_server *srv, const struct conn_ctx *c)
{
    if (c->route_rc != ROUTE_OK)
        return 0;
    const char *m = c->req.method;
    if (strcmp(m, "GET") && strcmp(m, "HEAD") && strcmp(m, "OPTIONS"))
        return 1;
    return c->route->runs == RUNS_LONG ? 2 : c->route->runs == RUNS_ASIDE && srv->reads_wait;
}

static struct conn_ctx *ctx_of(http_req_t *req)
{
    return (struct conn_ctx *)((char *)req - offsetof(struct conn_ctx, req));
}

int http_alone(http_req_t *req)
{
    return atomic_load(&ctx_of(req)->srv->in_flight) <= 1;
}

/* To the request threads (pool 1) or the long reads' (2), unless it runs there already (or,
 * for 1, the store's reads do not wait); on_request or offload_main hands it over once the
 * handler returned. */
static int set_aside(http_req_t *req, int pool)
{
    struct conn_ctx *c = ctx_of(req);
    if (req->aside >= pool || (pool == 1 && !c->srv->reads_wait))
        return 0;
    c->want_aside = pool;
    return 1;
}

int http_set_aside(http_req_t *req)
{
    return set_aside(req, 1);
}

int http_set_aside_long(http_req_t *req)
{
    return set_aside(req, 2);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_size, void **con_cls)
{
    (void)version;
    struct http_server *srv = cls;
    struct conn_ctx *c = *con_cls;
    if (!c || !c->req.conn) {
        if (!c && !(c = calloc(1, sizeof *c)))
            return MHD_NO;
        if (!c->t0)
            c->t0 = clock_mono_us();
        c->req.conn = conn;
        c->req.app = srv->app;
        c->srv = srv;
        c->req.method = method;
        c->req.path = url;
        c->route_rc = http_route_find(method, url, &c->req, &c->route, c->allow, sizeof c->allow);
        if (c->route_rc == ROUTE_OK)
            canonical_number(&c->req, c->route);
        if (c->route_rc == ROUTE_OK && c->route->body != BODY_NONE)
            c->limit = c->route->body == BODY_UPLOAD ? srv->app->cfg.upload_limit
                                                     : srv->app->cfg.json_limit;
        const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
        if (cl && c->limit && strtoull(cl, NULL, 10) > c->limit)
            c->too_big = 1;
        c->late = atomic_load(&srv->stopping);
        if (!c->late) /* the stop waits for these (a late one is answered at once) */
            atomic_fetch_add(&srv->in_flight, 1);
        *con_cls = c;
        return MHD_YES;
    }
    if (*upload_size) {
        size_t n = *upload_size;
        *upload_size = 0;
        if (c->too_big || c->limit == 0)
            return MHD_YES; /* discarded: keep the connection readable */
        if (c->req.body_len + n > c->limit) {
            c->too_big = 1;
            free(c->req.body);
            c->req.body = NULL;
            c->req.body_len = 0;
            return MHD_YES;
        }
        if (c->req.body_len + n + 1 > c->cap) {
            size_t cap = c->cap ? c->cap : 1024;
            while (cap < c->req.body_len + n + 1)
                cap *= 2;
            char *nb = realloc(c->req.body, cap);
            if (!nb)
                return MHD_NO;
            c->req.body = nb;
            c->cap = cap;
        }
        memcpy(c->req.body + c->req.body_len, upload_data, n);
        c->req.body_len += n;
        c->req.body[c->req.body_len] = '\0';
        return MHD_YES;
    }
    if (c->offloaded) /* resumed: the offload thread ran it */
        return c->req.resp ? MHD_queue_response(conn, (unsigned)c->req.status, c->req.resp)
                           : MHD_NO;
    if (c->late) { /* another node, or this one restarted, takes it */
        ot_err_t err;
        ot_err(&err, OT_EUNAVAIL, "shutting_down", NULL, "the server is stopping; retry");
        http_reply_err(&c->req, &err);
        http_reply_header(&c->req, "Connection", "close");
        return c->req.resp ? MHD_queue_response(conn, (unsigned)c->req.status, c->req.resp)
                           : MHD_NO;
    }
    int aside = runs_aside(srv, c);
    if (aside && offload_push(aside == 2 ? &srv->slow : &srv->off, c))
        return MHD_YES;
    dispatch(c);
    if (c->want_aside) { /* the handler would wait here: it runs again on a request thread */
        aside = c->want_aside;
        c->want_aside = 0;
        if (offload_push(aside == 2 ? &srv->slow : &srv->off, c))
            return MHD_YES;
        c->req.aside = aside; /* the threads are stopping: it runs here after all */
        dispatch(c);
    }
    if (c->req.suspended) { /* the handler waits (http_suspend): it is called again */
        c->req.suspended = 0;
        return MHD_YES;
    }
    if (!c->req.resp)
        return MHD_NO;
    return MHD_queue_response(conn, (unsigned)c->req.status, c->req.resp);
}

void http_suspend(void *arg)
{
    http_req_t *req = arg;
    req->suspended = 1;
    req->waited = 1;
    MHD_suspend_connection(req->conn);
}

void http_resume(void *arg)
{
    MHD_resume_connection(((http_req_t *)arg)->conn);
}

/* Hands c to the offload threads, its connection suspended (already, when it comes from
 * other offload threads); 0 when they are stopping (the request then runs where it is). */
static int offload_push(struct offload *o, struct conn_ctx *c)
{
    pthread_mutex_lock(&o->mu);
    if (o->stop || !o->n) {
        pthread_mutex_unlock(&o->mu);
        return 0;
    }
    if (!c->offloaded)
        MHD_suspend_connection(c->req.conn);
    c->offloaded = 1;
    c->req.aside = o == &c->srv->slow ? 2 : 1;
    if (o->tail)
        o->tail->next = c;
    else
        o->head = c;
    o->tail = c;
    pthread_cond_signal(&o->cv);
    pthread_mutex_unlock(&o->mu);
    return 1;
}

static void *offload_main(void *p)
{
    struct offload *o = p;
    if (o->nice) /* raising one's own nice needs no privilege; failing leaves it as it was */
        (void)setpriority(PRIO_PROCESS, (id_t)gettid(), o->nice);
    pthread_mutex_lock(&o->mu);
    for (;;) {
        while (!o->head && !o->stop)
            pthread_cond_wait(&o->cv, &o->mu);
        if (!o->head) /* stopping, and the queue is drained */
            break;
        struct conn_ctx *c = o->head;
        o->head = c->next;
        if (!o->head)
            o->tail = NULL;
        c->next = NULL;
        pthread_mutex_unlock(&o->mu);
        dispatch(c);
        if (c->want_aside) { /* a long read on a request thread: to the long reads' threads */
            c->want_aside = 0;
            if (offload_push(&c->srv->slow, c)) {
                pthread_mutex_lock(&o->mu);
                continue;
            }
            c->req.aside = 2; /* they are stopping: it runs here after all */
            dispatch(c);
        }
        MHD_resume_connection(c->req.conn);
        pthread_mutex_lock(&o->mu);
    }
    pthread_mutex_unlock(&o->mu);
    return NULL;
}

/* Stops the offload threads once every request handed to them has run and been resumed. */
static void offload_stop(struct offload *o)
{
    pthread_mutex_lock(&o->mu);
    o->stop = 1;
    pthread_cond_broadcast(&o->cv);
    pthread_mutex_unlock(&o->mu);
    for (int i = 0; i < o->n; i++)
        pthread_join(o->th[i], NULL);
    free(o->th);
    o->th = NULL;
}

static int offload_start(struct offload *o, int n)
{
    pthread_mutex_init(&o->mu, NULL);
    pthread_cond_init(&o->cv, NULL);
    o->th = calloc((size_t)n, sizeof *o->th);
    if (!o->th)
        return -1;
    for (; o->n < n; o->n++)
        if (pthread_create(&o->th[o->n], NULL, offload_main, o)) {
            offload_stop(o);
            return -1;
        }
    return 0;
}

static void offload_free(struct offload *o)
{
    pthread_cond_destroy(&o->cv);
    pthread_mutex_destroy(&o->mu);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)conn;
    struct http_server *srv = cls;
    struct conn_ctx *c = *con_cls;
    if (!c)
        return;
    if (!c->req.conn) { /* made by on_uri, never dispatched: libmicrohttpd answered (431) */
        free(c);
        *con_cls = NULL;
        return;
    }
    http_metrics_record(c->route_rc == ROUTE_OK ? c->route : NULL, c->req.status,
                        clock_mono_us() - c->t0, c->offloaded);
    if (srv->app->cfg.access_log) {
        char client[64];
        log_access(http_client_addr(&c->req, client, sizeof client), c->req.method, c->req.path,
                   c->req.status, c->req.resp_len, clock_mono_us() - c->t0,
                   toe != MHD_REQUEST_TERMINATED_COMPLETED_OK);
    }
    int late = c->late;
    if (c->req.resp)
        MHD_destroy_response(c->req.resp);
    free(c->req.body);
    free(c);
    *con_cls = NULL;
    if (!late)
        atomic_fetch_sub(&srv->in_flight, 1);
}

/* libmicrohttpd keeps a request's line, headers and parsed query parameters in one pool per
 * connection; when the parameters overflowed it, the connection hung until the timeout
 * (issue 20: ~480 parameters in 32 KiB). So on_uri, which libmicrohttpd calls with the whole
 * URI before it parses the query, blanks a query of more than QUERY_MAX_PARAMS parameters or
 * QUERY_MAX_BYTES bytes (no route reads more than a few dozen short ones) and the request is
 * answered 414: what is left to parse always fits. libmicrohttpd 0.9.75 zeroes the whole pool
 * after every request of a kept-alive connection: a pool of 256 KiB cost four fifths of the
 * instructions of a /healthz (callgrind: 430,000 per request against 85,000 with 32 KiB), so
 * the pool is no larger than a request needs. A request line beyond it gets libmicrohttpd's
 * 414 and headers beyond it its 431, at once. */
#define CONN_MEMORY (64 * 1024)

/* Percent-decoding of the path and the query, as libmicrohttpd's own except that "%00" stays
 * as it is: a decoded NUL would cut the path short ("/healthz%00.png" served /healthz) and
 * a value silently. A path with "%00" then matches no route, and a value with it fails its
 * field's check. */
/* The URI log callback: runs once per request before the query is parsed; what it returns is
 * the request's *con_cls, so it makes the connection's context (on_request fills it). */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
    (void)cls;
    (void)conn;
    struct conn_ctx *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->t0 = clock_mono_us();
    char *q = strchr(uri, '?');
    if (q) {
        int n = 1;
        const char *p = q + 1;
        for (; *p && n <= QUERY_MAX_PARAMS && p - q <= QUERY_MAX_BYTES; p++)
            n += *p == '&';
        if (n > QUERY_MAX_PARAMS || *p) {
            /* libmicrohttpd's own buffer, which it cuts up in place next: the parameters
             * after the '?' are dropped and the request is refused in dispatch() */
            q[1] = '\0';
            c->query = n > QUERY_MAX_PARAMS ? QUERY_TOO_MANY : QUERY_TOO_LONG;
        }
    }
    return c;
}

static size_t unescape(void *cls, struct MHD_Connection *conn, char *s)
{
    (void)cls;
    (void)conn;
    return url_unescape(s);
}

int http_server_start(app_t *app, http_server_t **out, int *port_out, ot_err_t *err)
{
    struct http_server *srv = calloc(1, sizeof *srv);
    if (!srv)
        return ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
    srv->app = app;
    svc_store_info_t si;
    svc_store_info(app->svc.store, &si);
    srv->reads_wait = si.reads_wait;
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)app->cfg.port);
    if (inet_pton(AF_INET, app->cfg.listen_addr, &sa.sin_addr) != 1) {
        free(srv);
        return ot_err(err, OT_EINVAL, "listen_address", "listen", "not an IPv4 address: %s",
                      app->cfg.listen_addr);
    }
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_TURBO | MHD_USE_ITC |
                     MHD_ALLOW_SUSPEND_RESUME;
    srv->slow.nice = SLOW_NICE;
    int off_ok = !offload_start(&srv->off, app->cfg.threads),
        ok = off_ok && !offload_start(&srv->slow, SLOW_PER_CORE * app->cfg.poll_threads);
    if (!ok) {
        if (off_ok) { /* the slow ones were tried: initialised, and stopped by their start */
            offload_stop(&srv->off);
            offload_free(&srv->slow);
        }
        offload_free(&srv->off);
        free(srv);
        return ot_err(err, OT_EINTERNAL, "threads", NULL, "cannot start the request threads");
    }
    srv->d = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, srv, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)app->cfg.poll_threads, MHD_OPTION_NOTIFY_COMPLETED,
        on_completed, srv, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30, MHD_OPTION_CONNECTION_LIMIT,
        (unsigned)10000, MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned)1024,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONN_MEMORY, MHD_OPTION_UNESCAPE_CALLBACK,
        unescape, NULL, MHD_OPTION_URI_LOG_CALLBACK, on_uri, NULL, MHD_OPTION_END);
    if (!srv->d) {
        offload_stop(&srv->off);
        offload_stop(&srv->slow);
        offload_free(&srv->off);
        offload_free(&srv->slow);
        free(srv);
        return ot_err(err, OT_EINTERNAL, "listen", "listen", "cannot listen on %s:%d",
                      app->cfg.listen_addr, app->cfg.port);
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(srv->d, MHD_DAEMON_INFO_BIND_PORT);
    *port_out = di ? di->port : app->cfg.port;
    *out = srv;
    return OT_OK;
}

void http_server_stop(http_server_t *srv, int grace_ms)
{
    if (!srv)
        return;
    /* Requests that arrive from now on are answered 503 (late), not refused at the socket:
     * MHD_quiesce_daemon on an epoll daemon with its own threads races its workers for the
     * listening socket and can abort the process (an open libmicrohttpd defect, seen here
     * once in a test's stop). */
    atomic_store(&srv->stopping, 1);
    for (int waited = 0; waited < grace_ms && atomic_load(&srv->in_flight) > 0; waited += 10)
        usleep(10000);
    offload_stop(&srv->off); /* no connection stays suspended: libmicrohttpd refuses to stop */
    offload_stop(&srv->slow);
    MHD_stop_daemon(srv->d);
    offload_free(&srv->off);
    offload_free(&srv->slow);
    free(srv);
}
