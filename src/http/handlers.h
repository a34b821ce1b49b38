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
void h_search(http_req_t *req);
void h_appeal_get(http_req_t *req);
void h_appeal_history(http_req_t *req);
void h_appeal_action(http_req_t *req);
void h_attachment_add(http_req_t *req);
void h_attachment_list(http_req_t *req);
void h_attachment_get(http_req_t *req);
void h_track(http_req_t *req);
void h_track_rate(http_req_t *req);
void h_track_verdict(http_req_t *req);
/* problems (h_problems.c, issue 17) */
void h_problem_list(http_req_t *req);
void h_problem_get(http_req_t *req);
void h_problem_action(http_req_t *req);
void h_session_create(http_req_t *req);
void h_session_get(http_req_t *req);
void h_session_delete(http_req_t *req);
/* Open311 GeoReport v2 (h_open311.c) */
void h_o311_discovery(http_req_t *req);
void h_o311_get(http_req_t *req);
void h_o311_post(http_req_t *req);
void h_o311_service(http_req_t *req);
void h_o311_request(http_req_t *req);
void h_o311_token(http_req_t *req);
void h_violation_list(http_req_t *req);
void h_violation_action(http_req_t *req);
void h_head_flags(http_req_t *req);
void h_control(http_req_t *req);
void h_rec_schedule_create(http_req_t *req);
void h_rec_schedules(http_req_t *req);
void h_rec_slots(http_req_t *req);
void h_rec_book(http_req_t *req);
void h_rec_bookings(http_req_t *req);
void h_rec_cancel(http_req_t *req);
void h_rec_record(http_req_t *req);
void h_rec_walkin(http_req_t *req);
void h_forward_list(http_req_t *req);
void h_post_list(http_req_t *req);
void h_approvals(http_req_t *req);
void h_appeal_notices(http_req_t *req);
void h_body_settings_get(http_req_t *req);
void h_body_settings_set(http_req_t *req);
void h_post_sent(http_req_t *req);
void h_scorecards(http_req_t *req);
void h_alerts(http_req_t *req);
void h_dashboard(http_req_t *req);
void h_executors(http_req_t *req);
void h_tasks(http_req_t *req);
void h_applicant_appeals(http_req_t *req);
void h_public_stats(http_req_t *req);
void h_openapi(http_req_t *req); /* GET /api/v1/openapi.json (h_openapi.c) */
/* GET /api/v1/appeals?format=csv|xlsx: h_appeal_list's filters (already checked and scoped
 * to the user by the service) exported without personal data (h_reports.c). */
struct appeal_filter;
void h_appeal_export(http_req_t *req, const auth_user_t *u, struct appeal_filter *f);

/* {"id","login","name","position","role","body"} of a staff user; the caller owns it. */
json_t *user_json(const auth_user_t *u);

#endif
