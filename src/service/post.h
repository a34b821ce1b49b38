/* Letters by post: the print queue of the applicants' notices that go to a postal address
 * (an applicant without e-mail or phone still hears of every decision). The registry prints
 * them, in one batch, and records each as sent by post. */
#ifndef OT_SERVICE_POST_H
#define OT_SERVICE_POST_H

#include <stdint.h>

#include "service/auth.h"
#include "service/svc.h"

typedef struct post_letter {
    int64_t id, created_at, queued_at; /* queued_at and id: the queue's order and cursor */
    char number[40];
    char address[512];
    char language[4];
    const char *subject, *text; /* rendered from data/templates/<language>/ */
} post_letter_t;

/* A page of the print queue: after the letter queued at after_at with id after_id (0, 0:
 * from the first), at most limit (1..POST_LIMIT_MAX). */
#define POST_LIMIT_MAX 1000
typedef struct post_page {
    int64_t after_at, after_id;
    int limit;
} post_page_t;

/* The letters waiting about appeals of the user's bodies (registrars and heads: their body
 * and below; others 403), oldest first, a page of them, each rendered from its template under
 * data_dir. */
int post_letters(const svc_t *svc, const auth_user_t *user, const char *data_dir,
                 const post_page_t *page, int (*fn)(const post_letter_t *l, void *arg), void *arg,
                 ot_err_t *err);

/* Records that letter id was sent by post on day `on` (YYYY-MM-DD, not after today; NULL:
 * today): status sent, an audit event notice.post_sent with sent_on. */
int post_sent(const svc_t *svc, const auth_user_t *user, int64_t id, const char *on, int64_t now,
              ot_err_t *err);

#endif
