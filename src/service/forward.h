/* The outgoing register: the appeals a body forwarded by competence (АППК art. 65), where they
 * went and where they are now. A body keeps reading what it forwarded. */
#ifndef OT_SERVICE_FORWARD_H
#define OT_SERVICE_FORWARD_H

#include <stdint.h>

#include "service/auth.h"
#include "service/svc.h"
#include "domain/forward_rec.h"

/* Forwards from the user's bodies (heads, registrars: their body and below; supervisors and
 * auditors: all), newest first; after the forward (before_at, before_id) of the last page's
 * end, before_at 0 for the first page. Executors and admins: 403. */
int forward_list(const svc_t *svc, const auth_user_t *user, int64_t before_at, int64_t before_id,
                 int limit, int (*fn)(const forward_rec_t *f, void *arg), void *arg, ot_err_t *err);

#endif
