/* Violations of appeal terms and their discipline workflow; the accountability policy.
 * Pure: no I/O, no clock.
 *
 *   open --proceedings (order number, date)--> proceedings --penalty (kind, date)--> penalty
 *     |                                           |
 *     +--dismiss (reason)--> dismissed <----------+
 *
 * Kinds of breach (docs/law.md 1.5, 1.6, 1.8):
 *   late_answer            no answer by the due date (АППК art. 76)
 *   late_complaint         a complaint not decided in its term (20 working days, art. 99/100)
 *   late_forward           forwarded by competence later than 3 working days (art. 65)
 *   late_extension_notice  the applicant not told of an extension in 3 working days (art. 76)
 *   no_proceedings         the head did not start proceedings on a violation in the term
 *                          set by the accountability policy (regional practice, not a statute) */
#ifndef OT_DOMAIN_VIOLATION_H
#define OT_DOMAIN_VIOLATION_H

#include "domain/date.h"

typedef enum viol_status {
    VS_OPEN,
    VS_PROCEEDINGS,
    VS_PENALTY,
    VS_DISMISSED,
    VS_COUNT
} viol_status_t;
typedef enum viol_action { VA_PROCEEDINGS, VA_PENALTY, VA_DISMISS, VA_COUNT } viol_action_t;

#define VIOL_MAX_REMINDERS 4
#define VIOL_REPEAT_MONTHS 12 /* when neither an option nor the data sets the window */

/* Policy knobs of accountability. None is fixed by a statute we could confirm
 * (docs/law.md 1.10 UNCONFIRMED): they come from the governor's demand in the source
 * article (docs/context.md) and regional practice, so they are options, not constants. */
typedef struct viol_policy {
    int proceedings_days; /* working days for the head to start proceedings (default 10) */
    int repeat_months;    /* window of the repeat rule; 0: the jurisdiction's repeat_window
                             (terms.txt), else VIOL_REPEAT_MONTHS */
    int n_reminders;      /* reminders before the due date, in working days, descending */
    int reminders[VIOL_MAX_REMINDERS]; /* default 3 and 1 */
    int chunk; /* a sweep over a backlog: overdue appeals and repeat pairs per transaction,
                * 12 times as many events; 0: the default (sweep.c) */
} viol_policy_t;

extern const viol_policy_t viol_default_policy;

/* Parses "3,1" into the policy's reminders (sorted descending, each 1..30, no repeats).
 * Returns 0 on success, -1 on a malformed list. */
int viol_parse_reminders(const char *s, viol_policy_t *p);

const char *viol_status_name(viol_status_t s);
int viol_status_parse(const char *s);
const char *viol_action_name(viol_action_t a);
int viol_action_parse(const char *s);

/* The status after action, or -1 when the action is not allowed from `from`. */
int viol_next(viol_status_t from, viol_action_t action);

/* Disciplinary penalties (Law «О государственной службе РК», UNCONFIRMED list):
 * remark, reprimand, severe_reprimand, incomplete_compliance, demotion, dismissal. */
extern const char *const viol_penalties[];
int viol_penalty_valid(const char *s);

/* The repeat rule: a new violation whose term passed on `term` repeats an earlier violation
 * of the same body that ended in a penalty when prior_term < term and prior_term is within
 * window_months before term. */
int viol_is_repeat(ot_day_t prior_term, ot_day_t term, int window_months);

/* Which configured reminder (days before due) is due now: the largest d whose band
 * (next smaller reminder, d] holds `working_days_left`; 0 when none. */
int viol_reminder_due(const viol_policy_t *p, int working_days_left);

#endif
