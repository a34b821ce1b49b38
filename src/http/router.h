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

typedef struct http_route {
    const char *method;
    const char *pattern;
    http_handler_fn fn;
    enum http_body body;
} http_route_t;

extern const http_route_t http_routes[];

enum { ROUTE_OK, ROUTE_NOT_FOUND, ROUTE_BAD_METHOD };

/* Finds the route for method and path. On ROUTE_OK fills req->params from the {name}
 * segments. On ROUTE_BAD_METHOD writes the allowed methods ("GET, POST") into allow. */
int http_route_find(const char *method, const char *path, http_req_t *req, const http_route_t **out,
                    char *allow, size_t allow_n);

#endif
