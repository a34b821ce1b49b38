/* Every route handler, one line each; the table is in routes.c. */
#ifndef OT_HTTP_HANDLERS_H
#define OT_HTTP_HANDLERS_H

#include "http/http.h"

void h_healthz(http_req_t *req);
/* The static UI: the fallback for GET paths outside the API (h_static.c). */
int http_static_wants(const char *method, const char *path);
void h_static(http_req_t *req);
void h_calendar(http_req_t *req);
void h_deadline(http_req_t *req);
void h_bodies(http_req_t *req);
void h_districts(http_req_t *req);
void h_categories(http_req_t *req);
void h_appeal_create(http_req_t *req);
void h_appeal_list(http_req_t *req);
void h_appeal_get(http_req_t *req);
void h_appeal_history(http_req_t *req);
void h_appeal_action(http_req_t *req);
void h_track(http_req_t *req);
void h_track_rate(http_req_t *req);
void h_session_create(http_req_t *req);
void h_session_get(http_req_t *req);
void h_session_delete(http_req_t *req);

/* {"id","login","name","position","role","body"} of a staff user; the caller owns it. */
json_t *user_json(const auth_user_t *u);

#endif
