/* Problems (issue 17): the appeals about one real-world problem, grouped at intake, their
 * state, the citizen's verdict, and the staff's corrections of the grouping. */
#ifndef OT_SERVICE_PROBLEM_H
#define OT_SERVICE_PROBLEM_H

#include <stdint.h>

#include "domain/appeal_rec.h"
#include "domain/problem.h"
#include "service/auth.h"
#include "service/svc.h"

/* Makes the problems' place keys again when the settings they depend on (address_drop,
 * address_flat, address_ends of the default jurisdiction's problems.tsv) are not those the
 * stored keys were made with (meta "problem_places", problem_place_fingerprint): 10,000
 * problems per transaction, then the fingerprint. Nothing to do costs one read. Run at the
 * start of serve and by init; *changed (may be NULL) gets the keys that changed. */
int problem_places_sync(const svc_t *svc, long *changed, ot_err_t *err);

/* ==== Inside the appeal use cases' transactions (service/appeal.c) ==== */

/* Before the appeal a is inserted: its applicant key, the problem it belongs to (a live
 * problem of its category at its place -- address key or coordinates within distance_m --
 * raised within group_days, with a similar text; else a new one), and the earlier appeal of
 * the same applicant on that problem that was decided (a->repeat_of; issue 16 point 4).
 * Complaints and appeals without text are not grouped. */
int problem_intake(store_tx_t *tx, const svc_t *svc, appeal_rec_t *a, int64_t now, int *created,
                   ot_err_t *err);

/* After a's insert: a re-raise (the problem's latest answer came within reraise_days before
 * a) marks that answered appeal, and the problem's state is derived again. Nothing to do
 * when problem_intake created the problem for a (*created): it was written whole. */
int problem_after_intake(store_tx_t *tx, const svc_t *svc, const appeal_rec_t *a, int created,
                         int64_t now, ot_err_t *err);

/* Derives problem id's state and counts again from its appeals and writes them; when it
 * has come back once more than before, records when and appends a "problem.recurring"
 * event (the alert the head and the oblast supervisor see: GET /api/v1/alerts). */
int problem_refresh(store_tx_t *tx, const svc_t *svc, int64_t id, int64_t now, const char *actor,
                    ot_err_t *err);
/* The same, told that appeal a (of problem id, as just written) changed from before (as it
 * was read, of the same problem): the stored counts move by the difference, without reading
 * the problem's appeals (at most its latest one). */
int problem_refresh_with(store_tx_t *tx, const svc_t *svc, int64_t id, const appeal_rec_t *a,
                         const appeal_rec_t *before, int64_t now, const char *actor, ot_err_t *err);

/* ==== The citizen's verdict ==== */

/* "Was your problem solved?": yes, partly or no, with an optional comment, by the applicant
 * (number and access code), once, after the answer. OT_ENOTFOUND "track_not_found" for a
 * wrong number or code, OT_ECONFLICT "not_answered" / "already_given", OT_EINVAL
 * "unknown_value" (field "verdict"). */
int problem_verdict(const svc_t *svc, const char *number, const char *code, const char *verdict,
                    const char *comment, int64_t now, ot_err_t *err);
/* The same inside the caller's transaction (the demo generator). */
int problem_verdict_in(store_tx_t *tx, const svc_t *svc, const char *number, const char *code,
                       const char *verdict, const char *comment, int64_t now, ot_err_t *err);

/* ==== Reading ==== */

typedef struct problem_year {
    int year;
    int64_t n;
} problem_year_t;

#define PROBLEM_YEARS_MAX 12

typedef struct problem_view {
    problem_rec_t p;
    problem_year_t years[PROBLEM_YEARS_MAX];
    int n_years;
} problem_view_t;

/* A page of problems the user may see (the scope of their appeal list: a body's staff see
 * the problems of their body and its sub-bodies, supervisors and auditors all; executors
 * their body's), with the appeals per year. f->scope_path is set here. */
int problem_list(const svc_t *svc, const auth_user_t *user, problem_filter_t *f,
                 int (*fn)(const problem_view_t *v, void *arg), void *arg, ot_err_t *err);

/* One appeal of a problem's timeline. text is NULL when the user may not read the appeal. */
typedef struct problem_entry {
    const appeal_rec_t *a;
    int readable;
} problem_entry_t;

/* A page of a problem's appeals: up to limit of them received after (after_at, after_id),
 * oldest first (after_at INT64_MIN: from the first). */
typedef struct problem_page {
    int64_t after_at, after_id;
    int limit;
} problem_page_t;

/* Problem id with a page of its appeals (fn; NULL: none) oldest first (OT_ENOTFOUND
 * "problem_not_found" when absent or outside the user's scope). */
int problem_get(const svc_t *svc, const auth_user_t *user, int64_t id, const problem_page_t *page,
                problem_view_t *out, int (*fn)(const problem_entry_t *e, void *arg), void *arg,
                ot_err_t *err);

/* The problem of an appeal the user has read, and the earlier decided appeals on it (for the
 * appeal page): has = 0 when the appeal has no problem. */
typedef struct problem_prior {
    char number[40], body[64], decision[20], answered_on[11], verdict[8];
} problem_prior_t;
#define PROBLEM_PRIOR_MAX 20
typedef struct problem_context {
    int has;
    problem_rec_t p;
    problem_prior_t prior[PROBLEM_PRIOR_MAX];
    int n_prior;
} problem_context_t;
/* Inside the caller's read (the appeal page, appeal_page): out->p is p, the problem appeal a
 * is grouped into; the earlier decisions are read when has_prior says there are any. */
int problem_context_in(store_tx_t *tx, const appeal_rec_t *a, const problem_rec_t *p, int has_prior,
                       problem_context_t *out, ot_err_t *err);

/* ==== Staff corrections, each an audit event ==== */

/* confirm: the grouping is right. split: the appeals named (numbers) leave problem id for a
 * new problem of their own (*new_id). merge: problem id is merged into problem `into` (its
 * appeals move; it is kept, merged_into set). Who may forward appeals may do these, in their
 * scope (registrars and heads of the body, the oblast supervisors). */
typedef struct problem_act_in {
    const char *const *appeals; /* split */
    size_t n_appeals;
    int64_t into; /* merge */
    const char *reason;
} problem_act_in_t;
int problem_act(const svc_t *svc, const auth_user_t *user, int64_t id, const char *action,
                const problem_act_in_t *in, int64_t now, int64_t *new_id, ot_err_t *err);

#endif
