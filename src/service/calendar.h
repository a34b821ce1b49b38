/* JSON views of the calendar and of deadlines, shared by the CLI and the HTTP API. */
#ifndef OT_SERVICE_CALENDAR_H
#define OT_SERVICE_CALENDAR_H

#include <jansson.h>

#include "service/juris.h"
#include "service/svc.h"
#include "util/err.h"

/* {"jurisdiction":"kz","year":2026,"working_days":246,"non_working_days":[{"date":"2026-01-01",
 *  "weekday":"thu","reasons":[{"kind":"holiday","text":"...","name":"...","status":"...",
 *  "source":"...","related":"YYYY-MM-DD"?}]}...]}. On success the caller owns *out
 * (json_decref). Out-of-range year: OT_EINVAL "calendar_out_of_range" (field "year"). */
int svc_calendar_year_json(const juris_t *j, int year, json_t **out, ot_err_t *err);

/* {"jurisdiction","kind","received_at","registered_on","register_by","due_on","forward_by"?,
 *  "max_extended_due_on","extension_notice_within_working_days"?, "workday_end":"18:30",
 *  "term":{"value":15,"unit":"working_days","status":"confirmed","source":"..."},
 *  "extension":{...}?, "calendar_fingerprint":"..."}; dates are YYYY-MM-DD, received_at is in
 * the jurisdiction's offset. workday_end_min -1 = policy default. On success the caller owns
 * *out. Errors (OT_EINVAL): field "received" (bad instant), "kind" (unknown kind),
 * "workday_end", code "calendar_out_of_range". */
int svc_deadline_json(const juris_t *j, const char *kind, const char *received_iso,
                      int workday_end_min, json_t **out, ot_err_t *err);

/* The receiving body's part of a deadline, the one rule for the API and the CLI: when body
 * is given (not NULL or ""), its end of working day goes into *workday_end_min unless that
 * is already >= 0, and its jurisdiction into code_buf (with *code pointing there) unless
 * *code is already given. An unknown body is OT_EINVAL "unknown_body" (field "body"). s may
 * be NULL when no body is given. */
int svc_deadline_body(store_t *s, const char *body, int *workday_end_min, const char **code,
                      char code_buf[8], ot_err_t *err);

#endif
