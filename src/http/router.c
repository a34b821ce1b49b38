/* Route matching. The table itself is in routes.c. */
#include "http/router.h"

#include <string.h>

/* Matches path against pattern; on success copies {name} segments into req->param_buf. */
static int match(const char *pattern, const char *path, http_req_t *req)
{
    const char *p = pattern, *s = path;
    int n = 0;
    size_t used = 0;
    while (*p && *s) {
        if (*p == '{') {
            const char *pe = strchr(p, '}');
            size_t len = strcspn(s, "/");
            if (!pe || len == 0)
                return 0;
            if (req) {
                if (n == HTTP_MAX_PARAMS || used + len + 1 > sizeof req->param_buf)
                    return 0;
                memcpy(req->param_buf + used, s, len);
                req->param_buf[used + len] = '\0';
                req->params[n++] = req->param_buf + used;
                used += len + 1;
            }
            p = pe + 1;
            s += len;
        } else if (*p == *s) {
            p++;
            s++;
        } else
            return 0;
    }
    return *p == '\0' && *s == '\0';
}

int http_route_find(const char *method, const char *path, http_req_t *req, const http_route_t **out,
                    char *allow, size_t allow_n)
{
    int path_seen = 0;
    size_t al = 0;
    if (allow_n)
        allow[0] = '\0';
    for (const http_route_t *r = http_routes; r->method; r++) {
        if (!match(r->pattern, path, NULL))
            continue;
        if (strcmp(r->method, method) == 0) {
            match(r->pattern, path, req);
            *out = r;
            return ROUTE_OK;
        }
        path_seen = 1;
        size_t ml = strlen(r->method);
        if (allow_n && al + ml + 3 < allow_n && !strstr(allow, r->method)) {
            if (al) {
                memcpy(allow + al, ", ", 2);
                al += 2;
            }
            memcpy(allow + al, r->method, ml + 1);
            al += ml;
        }
    }
    return path_seen ? ROUTE_BAD_METHOD : ROUTE_NOT_FOUND;
}
