/* The head's approval of his executors' answers (issue 16; docs/accountability.md "The
 * head's approval"): a body's setting, the answer awaiting approval on an appeal, and the
 * head's queue of them. The approve and return_answer actions themselves are appeal actions
 * (service/appeal.h). */
#ifndef OT_SERVICE_APPROVAL_H
#define OT_SERVICE_APPROVAL_H

#include <stdint.h>

#include "domain/approval_rec.h"
#include "service/auth.h"
#include "service/svc.h"

/* The settings of body: any staff user reads them; OT_ENOTFOUND "body_not_found". */
int body_settings_read(const svc_t *svc, const auth_user_t *user, const char *body,
                       body_settings_t *out, ot_err_t *err);
/* Sets them: the head of the body or of a body above it, an admin anywhere (body.settings in
 * `otinish roles`); an audit event body.settings with the values before and after. */
int body_settings_write(const svc_t *svc, const auth_user_t *user, const char *body,
                        int answer_approval, int64_t now, body_settings_t *out, ot_err_t *err);

/* The answer of appeal number awaiting approval (*found 0: none), for a user who may read
 * the appeal. Free with approval_rec_free. */
int approval_of_appeal(const svc_t *svc, const auth_user_t *user, const char *number,
                       approval_rec_t *out, int *found, ot_err_t *err);

/* Answers awaiting approval that user may see, oldest first (at most limit, ≤ 500): a head
 * or registrar those of his body and below, supervisors and auditors all, an executor his
 * own; admins 403. */
int approval_list(const svc_t *svc, const auth_user_t *user, int limit,
                  int (*fn)(const approval_rec_t *r, void *arg), void *arg, ot_err_t *err);

#endif
