/* The route table. Order does not matter: a path matches at most one pattern per method. */
#include "http/handlers.h"
#include "http/router.h"

const http_route_t http_routes[] = {
    {"GET", "/healthz", h_healthz, BODY_NONE},
    {NULL, NULL, NULL, BODY_NONE},
};
