/* The query of GET /api/v1/appeals read into the list's filter (h_appeals.c), through a
 * lookup so that tests/unit/fuzz/query.c can drive it without a connection. */
#ifndef OT_HTTP_QUERY_H
#define OT_HTTP_QUERY_H

#include "service/appeal.h"
#include "util/err.h"

/* A query parameter's value; NULL when absent or empty. */
typedef const char *(*query_get_fn)(void *ctx, const char *name);

/* A flag parameter: "1" or "true" is set, anything else (or absent) is not. */
int query_bool(const char *v);

/* A cursor of a list by due date, "YYYY-MM-DD.ID" (the work queue's, the control queue's),
 * into due and *id; 422 bad_cursor naming `after` when it is not one. */
int query_due_cursor(const char *v, char due[11], int64_t *id, ot_err_t *err);

/* Fills f (zeroed first; today is the caller's) with the filter parameters, f->limit (1..500,
 * default 50) and f->before_id (the cursor `after`). On error err names the parameter. */
int query_appeal_filter(query_get_fn get, void *ctx, appeal_filter_t *f, ot_err_t *err);

#endif
