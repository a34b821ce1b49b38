#include "domain/deadline.h"

#include <string.h>

static const policy_kind_t *kind_of(const policy_t *policy, const char *kind, ot_err_t *err)
{
    const policy_kind_t *k = policy_find_kind(policy, kind);
    if (!k)
        ot_err(err, OT_EINVAL, "unknown_kind", "kind", "unknown appeal kind '%s'",
               kind ? kind : "");
    return k;
}

/* A term of n units counted from `from` (the day after `from` is day 1). Working days: the
 * n-th working day after. Calendar days and months: the end day, moved to the next working
 * day when it is not one (docs/law.md 1.9; RU Civil Code art. 193). */
static int apply_term(const cal_t *cal, ot_day_t from, int n, policy_unit_t unit, ot_day_t *out,
                      ot_err_t *err)
{
    ot_day_t end;
    switch (unit) {
    case POLICY_WORKING_DAYS:
        return cal_add_working_days(cal, from, n, out, err);
    case POLICY_CALENDAR_DAYS:
        return cal_add_calendar_days_to_working(cal, from, n, out, err);
    case POLICY_MONTHS:
        if (date_add_months(from, n, &end) != OT_OK)
            return cal_check_range(cal, OT_DAY_NONE, err);
        return cal_add_calendar_days_to_working(cal, end, 0, out, err);
    }
    return ot_err(err, OT_EINTERNAL, "bad_unit", NULL, "unknown term unit");
}

/* The unshifted end of a term, the base an "add" extension lengthens: for calendar units the
 * raw end day (an extension adds to the term, not to the day it was moved to), for working
 * days the due day itself. */
static int raw_end(const cal_t *cal, ot_day_t from, const policy_value_t *t, ot_day_t due,
                   ot_day_t *out, ot_err_t *err)
{
    switch (t->unit) {
    case POLICY_WORKING_DAYS:
        *out = due;
        return OT_OK;
    case POLICY_CALENDAR_DAYS:
        *out = from + t->value;
        return cal_check_range(cal, *out, err);
    case POLICY_MONTHS:
        if (date_add_months(from, t->value, out) != OT_OK)
            return cal_check_range(cal, OT_DAY_NONE, err);
        return cal_check_range(cal, *out, err);
    }
    return ot_err(err, OT_EINTERNAL, "bad_unit", NULL, "unknown term unit");
}

/* Everything after the registration day is known. */
static int terms_from(const cal_t *cal, const policy_kind_t *k, deadline_t *d, ot_err_t *err)
{
    int rc;
    d->start_on = d->registered_on;
    if (k->start.mode == POLICY_START_RECEIPT && d->received_on != OT_DAY_NONE)
        d->start_on = d->received_on;
    if ((rc = apply_term(cal, d->start_on, k->term.value, k->term.unit, &d->due_on, err)))
        return rc;
    d->forward_by = OT_DAY_NONE;
    if (k->forward.set && (rc = apply_term(cal, d->registered_on, k->forward.value, k->forward.unit,
                                           &d->forward_by, err)))
        return rc;
    d->max_extended_due = d->due_on;
    if (k->extension.mode == POLICY_EXT_TOTAL) {
        rc = apply_term(cal, d->start_on, k->extension.value, k->extension.unit,
                        &d->max_extended_due, err);
    } else if (k->extension.mode == POLICY_EXT_ADD) {
        ot_day_t base;
        if ((rc = raw_end(cal, d->start_on, &k->term, d->due_on, &base, err)))
            return rc;
        rc =
            apply_term(cal, base, k->extension.value, k->extension.unit, &d->max_extended_due, err);
    }
    if (rc)
        return rc;
    /* A total limit shorter than the term itself would forbid nothing but shorten nothing. */
    if (d->max_extended_due < d->due_on)
        d->max_extended_due = d->due_on;
    return OT_OK;
}

int deadline_compute(const policy_t *policy, const cal_t *cal, const char *kind,
                     int64_t received_us, int workday_end_min, deadline_t *out, ot_err_t *err)
{
    const policy_kind_t *k = kind_of(policy, kind, err);
    if (!k)
        return OT_EINVAL;
    if (workday_end_min < -1 || workday_end_min > 24 * 60)
        return ot_err(err, OT_EINVAL, "bad_workday_end", "workday_end",
                      "end of working day must be 00:00..24:00");
    deadline_t d;
    memset(&d, 0, sizeof d);
    d.kind = k;
    d.received_us = received_us;
    d.workday_end_min = workday_end_min < 0 ? k->workday_end.value : workday_end_min;
    int off = cal_utc_offset_min(cal);
    d.received_on = instant_local_day(received_us, off);
    int rc = cal_check_range(cal, d.received_on, err);
    if (rc)
        return rc;
    /* АППК art. 64(3): registered on the day of receipt; after the end of the working day or
     * on a non-working day, on the nearest following working day. A "within N" rule (RU
     * 59-ФЗ art. 8(2)) registers at the same first working moment and only adds a limit. */
    if (cal_is_working(cal, d.received_on) == 1 &&
        instant_local_minute(received_us, off) < d.workday_end_min)
        d.registered_on = d.received_on;
    else if ((rc = cal_next_working_day(cal, d.received_on, &d.registered_on, err)))
        return rc;
    d.register_by = d.registered_on;
    if (k->registration.mode == POLICY_REG_WITHIN &&
        (rc = apply_term(cal, d.received_on, k->registration.value, k->registration.unit,
                         &d.register_by, err)))
        return rc;
    if ((rc = terms_from(cal, k, &d, err)))
        return rc;
    *out = d;
    return OT_OK;
}

int deadline_from_registration(const policy_t *policy, const cal_t *cal, const char *kind,
                               ot_day_t registered_on, deadline_t *out, ot_err_t *err)
{
    const policy_kind_t *k = kind_of(policy, kind, err);
    if (!k)
        return OT_EINVAL;
    int rc = cal_check_range(cal, registered_on, err);
    if (rc)
        return rc;
    if (cal_is_working(cal, registered_on) != 1) {
        char s[11];
        date_format(registered_on, s);
        return ot_err(err, OT_EINVAL, "not_working_day", "registered_on",
                      "%s is not a working day: %s", s, cal_reason(cal, registered_on));
    }
    deadline_t d;
    memset(&d, 0, sizeof d);
    d.kind = k;
    d.received_on = OT_DAY_NONE;
    d.workday_end_min = k->workday_end.value;
    d.registered_on = d.register_by = registered_on;
    if ((rc = terms_from(cal, k, &d, err)))
        return rc;
    *out = d;
    return OT_OK;
}

int deadline_extension_notice_by(const policy_t *policy, const cal_t *cal, const char *kind,
                                 ot_day_t extended_on, ot_day_t *out, ot_err_t *err)
{
    const policy_kind_t *k = kind_of(policy, kind, err);
    if (!k)
        return OT_EINVAL;
    if (!k->extension_notice.set)
        return ot_err(err, OT_EINVAL, "no_extension_notice", "kind",
                      "no extension-notice term for kind '%s'", k->id);
    return apply_term(cal, extended_on, k->extension_notice.value, k->extension_notice.unit, out,
                      err);
}

int deadline_extension_check(const policy_t *policy, const cal_t *cal, const char *kind,
                             ot_day_t registered_on, ot_day_t proposed_due, ot_err_t *err)
{
    deadline_t d;
    int rc = deadline_from_registration(policy, cal, kind, registered_on, &d, err);
    if (rc)
        return rc;
    char due[11], max[11], prop[11];
    date_format(d.due_on, due);
    date_format(d.max_extended_due, max);
    if (d.kind->extension.mode == POLICY_EXT_NONE)
        return ot_err(err, OT_EINVAL, "extension_not_allowed", "due_on",
                      "the term of a %s cannot be extended (%s)", d.kind->id,
                      d.kind->extension.source);
    if ((rc = cal_check_range(cal, proposed_due, err)))
        return rc;
    date_format(proposed_due, prop);
    if (proposed_due <= d.due_on)
        return ot_err(err, OT_EINVAL, "extension_not_later", "due_on",
                      "new due date %s is not after the current due date %s", prop, due);
    if (proposed_due > d.max_extended_due)
        return ot_err(err, OT_EINVAL, "extension_too_long", "due_on",
                      "new due date %s is after the legal limit %s (%s)", prop, max,
                      d.kind->extension.source);
    if (cal_is_working(cal, proposed_due) != 1)
        return ot_err(err, OT_EINVAL, "not_working_day", "due_on", "%s is not a working day: %s",
                      prop, cal_reason(cal, proposed_due));
    return OT_OK;
}
