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
    {"POST", "/api/v1/appeals", h_appeal_create, BODY_JSON},
    {"GET", "/api/v1/appeals", h_appeal_list, BODY_NONE},
    {"GET", "/api/v1/appeals/{number}", h_appeal_get, BODY_NONE},
    {"GET", "/api/v1/appeals/{number}/history", h_appeal_history, BODY_NONE},
    {"POST", "/api/v1/appeals/{number}/{action}", h_appeal_action, BODY_JSON_OPT},
    {"GET", "/api/v1/track/{number}", h_track, BODY_NONE},
    {"POST", "/api/v1/track/{number}/rating", h_track_rate, BODY_JSON},
    {"POST", "/api/v1/session", h_session_create, BODY_JSON},
    {"GET", "/api/v1/session", h_session_get, BODY_NONE},
    {"DELETE", "/api/v1/session", h_session_delete, BODY_NONE},
    {NULL, NULL, NULL, BODY_NONE},
};
