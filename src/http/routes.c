/* The route table. Order does not matter: a path matches at most one pattern per method. */
#include "http/handlers.h"
#include "http/router.h"

const http_route_t http_routes[] = {
    {"GET", "/healthz", h_healthz, BODY_NONE},
    {"GET", "/api/v1/calendar/{year}", h_calendar, BODY_NONE},
    {"GET", "/api/v1/deadline", h_deadline, BODY_NONE},
    {"GET", "/api/v1/bodies", h_bodies, BODY_NONE},
    {"GET", "/api/v1/districts", h_districts, BODY_NONE},
    {"GET", "/api/v1/categories", h_categories, BODY_NONE},
    {"POST", "/api/v1/session", h_session_create, BODY_JSON},
    {"GET", "/api/v1/session", h_session_get, BODY_NONE},
    {"DELETE", "/api/v1/session", h_session_delete, BODY_NONE},
    {NULL, NULL, NULL, BODY_NONE},
};
