/* The route table: method + path pattern -> handler. Patterns are literal segments and
 * {name} segments that match one non-empty path segment. */
#ifndef OT_HTTP_ROUTER_H
#define OT_HTTP_ROUTER_H

#include "http/http.h"

enum http_body {
    BODY_NONE,     /* any body is ignored */
    BODY_JSON,     /* application/json, at most cfg.json_limit bytes */
    BODY_JSON_OPT, /* the same, or no body at all */
    BODY_UPLOAD,   /* raw bytes of a file, at most cfg.upload_limit bytes */
    BODY_FORM,     /* any body up to cfg.json_limit bytes, raw: the handler checks the type
                      (Open311: application/x-www-form-urlencoded, h_open311.c) */
};

/* Where a request runs (docs/group-commit.md "Threads"). The polling threads are few (one per
 * core) and must never wait; a request that may wait on the store is set aside to the request
 * threads (server.c, "offload"), its connection suspended until its reply is made. */
enum http_runs {
    RUNS_ASIDE, /* on a request thread when it writes, or reads a store whose reads wait */
    RUNS_HERE,  /* on the polling thread: quick, and reads nothing from the store, or only now
                   and then (a cache's refill), or sets itself aside when the read would wait
                   (http_set_aside: on PostgreSQL) */
    RUNS_LONG,  /* on a request thread on every engine: a report that may run long, during
                   which a polling thread would leave its other connections unread (an
                   export sets itself aside: http_set_aside_long) */
};

typedef struct http_route {
    const char *method;
    const char *pattern;
    http_handler_fn fn;
    enum http_body body;
    enum http_runs runs;
} http_route_t;

extern const http_route_t http_routes[];

enum { ROUTE_OK, ROUTE_NOT_FOUND, ROUTE_BAD_METHOD };

/* Finds the route for method and path. On ROUTE_OK fills req->params from the {name}
 * segments. On ROUTE_BAD_METHOD writes the allowed methods ("GET, POST") into allow. */
int http_route_find(const char *method, const char *path, http_req_t *req, const http_route_t **out,
                    char *allow, size_t allow_n);

#endif
