/* Violation use cases for staff: list (scoped by the role table), the discipline actions,
 * head flags, the control queue. Each runs in one transaction. */
#ifndef OT_SERVICE_VIOLATION_H
#define OT_SERVICE_VIOLATION_H

#include "domain/violation_rec.h"
#include "service/auth.h"
#include "service/svc.h"

/* The filter is narrowed to what the user may see (ACT_VIOLATION_READ). */
int violation_list(const svc_t *svc, const auth_user_t *user, viol_filter_t *f,
                   int (*fn)(viol_rec_t *v, void *arg), void *arg, ot_err_t *err);
/* Every body's violations, as the operator sees them (`otinish violations list`): the
 * filter is used as given. */
int violation_list_all(store_t *s, viol_filter_t *f, int (*fn)(viol_rec_t *v, void *arg), void *arg,
                       ot_err_t *err);

typedef struct viol_input {
    const char *order_number, *on; /* proceedings; on: the order's or penalty's date */
    const char *penalty;           /* penalty: remark, reprimand, ... */
    const char *reason;            /* dismiss */
} viol_input_t;

/* proceedings | penalty | dismiss by a head of the violation's body (ACT_VIOLATION_ACT).
 * *out is the violation after the action. */
int violation_act(const svc_t *svc, const auth_user_t *user, int64_t id, const char *action,
                  const viol_input_t *in, int64_t now, viol_rec_t *out, ot_err_t *err);

/* A page of the head flags the user may read, newest first: up to limit with ids below
 * before_id (0: from the newest). */
int violation_flags(const svc_t *svc, const auth_user_t *user, int64_t before_id, int limit,
                    int (*fn)(flag_rec_t *f, void *arg), void *arg, ot_err_t *err);

#define CONTROL_PAGE_MAX 500

/* A page of the control queue (ACT_APPEAL_READ scope): its open appeals by due date, then
 * id, up to limit of them after (after_due, after_id) (NULL, 0: from the first). */
int violation_control(const svc_t *svc, const auth_user_t *user, const char *after_due,
                      int64_t after_id, int limit, int (*fn)(const control_row_t *r, void *arg),
                      void *arg, ot_err_t *err);

#endif
