/* Statutory deadlines of an appeal: a pure function of the policy, the calendar, the kind and
 * the instant of receipt. No clock, no I/O. */
#ifndef OT_DOMAIN_DEADLINE_H
#define OT_DOMAIN_DEADLINE_H

#include <stdint.h>

#include "domain/calendar.h"
#include "domain/date.h"
#include "domain/policy.h"
#include "util/err.h"

typedef struct deadline {
    const policy_kind_t *kind; /* owned by the policy */
    int64_t received_us;       /* 0 when computed from a registration day */
    ot_day_t received_on;      /* local date of receipt; OT_DAY_NONE from a registration day */
    int workday_end_min;       /* the registration cut-off used */
    ot_day_t registered_on;    /* KZ АППК art. 64(3): receipt day, or next working day */
    ot_day_t register_by;      /* latest lawful registration day (== registered_on for cutoff) */
    ot_day_t start_on;         /* the day the term counts from (the next day is day 1) */
    ot_day_t due_on;           /* always a working day */
    ot_day_t forward_by;       /* forward to the competent body by; OT_DAY_NONE if no rule */
    ot_day_t max_extended_due; /* the latest due date an extension may set; == due_on if none */
} deadline_t;

/* Computes every term of an appeal of `kind` received at received_us (UTC microseconds).
 * workday_end_min is the body's end of working day in minutes after local midnight, or -1
 * for the policy default. A person filing after hours or on a day off is registered on the
 * next working day. Errors (OT_EINVAL): "unknown_kind" (field "kind"), "bad_workday_end"
 * (field "workday_end"), "calendar_out_of_range" (a date falls outside the calendar data). */
int deadline_compute(const policy_t *policy, const cal_t *cal, const char *kind,
                     int64_t received_us, int workday_end_min, deadline_t *out, ot_err_t *err);

/* The same from a known registration day (registration already happened): received_* are
 * unset, register_by == registered_on. registered_on must be a working day
 * ("not_working_day", field "registered_on"). */
int deadline_from_registration(const policy_t *policy, const cal_t *cal, const char *kind,
                               ot_day_t registered_on, deadline_t *out, ot_err_t *err);

/* The day by which the applicant must be told of an extension decided on extended_on
 * (KZ АППК art. 76: 3 working days). "no_extension_notice" if the kind has no such term. */
int deadline_extension_notice_by(const policy_t *policy, const cal_t *cal, const char *kind,
                                 ot_day_t extended_on, ot_day_t *out, ot_err_t *err);

/* OT_OK if proposed_due is a lawful new due date for an appeal of `kind` registered on
 * registered_on: a working day after the original due date and not after max_extended_due.
 * Else OT_EINVAL, field "due_on", code "extension_not_allowed", "extension_not_later",
 * "extension_too_long" (message names the limit) or "not_working_day". */
int deadline_extension_check(const policy_t *policy, const cal_t *cal, const char *kind,
                             ot_day_t registered_on, ot_day_t proposed_due, ot_err_t *err);

#endif
