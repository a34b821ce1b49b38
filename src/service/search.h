/* Full-text search for staff (issue 17, docs/search.md): appeals' texts, answers and
 * problems within the caller's scope (the scope of the staff appeals list; an executor also
 * finds the problems of their body, as GET /api/v1/problems shows them), ranked, each hit
 * with the fragment around its matched words. */
#ifndef OT_SERVICE_SEARCH_H
#define OT_SERVICE_SEARCH_H

#include <stddef.h>

#include "domain/search_rec.h"
#include "service/auth.h"
#include "service/svc.h"

#define SEARCH_Q_MAX          200 /* characters of a query */
#define SEARCH_LIMIT_MAX      100 /* hits per page */
#define SEARCH_OFFSET_MAX     1000
#define SEARCH_FRAGMENT_WORDS 24

typedef struct search_in {
    const char *q;
    const char *status, *body; /* NULL: any */
    int kind;                  /* -1 any, SEARCH_APPEAL, SEARCH_ANSWER, SEARCH_PROBLEM */
    int limit, offset;
} search_in_t;

/* One piece of a hit's fragment: a byte range of the text (or "…" where it is cut), hit = 1
 * for a matched word. The adapter escapes each piece itself. */
typedef struct search_piece {
    const char *s;
    size_t len;
    int hit;
} search_piece_t;

/* Calls fn for each hit, best first (fn returning non-zero stops). Errors: OT_EINVAL (422) with
 * field "q" (required, too_long, invalid_utf8, control_char, no_words), "limit", "offset";
 * OT_EFORBIDDEN for a role that does not read appeals. */
int search_run(const svc_t *svc, const auth_user_t *user, const search_in_t *in,
               int (*fn)(const search_hit_t *h, const search_piece_t *pieces, size_t n, void *arg),
               void *arg, ot_err_t *err);

#endif
