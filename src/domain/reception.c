#include "domain/reception.h"

int rec_schedule_check(const rec_schedule_t *s, ot_err_t *err)
{
    if (s->weekday < 1 || s->weekday > 7)
        return ot_err(err, OT_EINVAL, "out_of_range", "weekday", "weekday is 1 (Mon) .. 7 (Sun)");
    if (s->start_min < 0 || s->start_min >= 1440)
        return ot_err(err, OT_EINVAL, "out_of_range", "start", "start is HH:MM");
    if (s->end_min <= s->start_min || s->end_min > 1440)
        return ot_err(err, OT_EINVAL, "out_of_range", "end", "end is after start");
    if (s->slot_min < 5 || s->slot_min > 240)
        return ot_err(err, OT_EINVAL, "out_of_range", "slot_min", "a slot is 5..240 minutes");
    if (s->end_min - s->start_min < s->slot_min)
        return ot_err(err, OT_EINVAL, "out_of_range", "slot_min", "the hours hold no whole slot");
    if (s->valid_to != OT_DAY_NONE && s->valid_to < s->valid_from)
        return ot_err(err, OT_EINVAL, "bad_period", "valid_to", "valid_to is before valid_from");
    return OT_OK;
}

int rec_runs_on(const rec_schedule_t *s, ot_day_t day)
{
    return date_weekday(day) == s->weekday && day >= s->valid_from &&
           (s->valid_to == OT_DAY_NONE || day <= s->valid_to);
}

int rec_slots(const rec_schedule_t *s, int starts[REC_SLOTS_MAX])
{
    int n = 0;
    if (s->slot_min <= 0)
        return 0;
    for (int m = s->start_min; m + s->slot_min <= s->end_min && n < REC_SLOTS_MAX; m += s->slot_min)
        starts[n++] = m;
    return n;
}

int rec_is_slot(const rec_schedule_t *s, int start_min)
{
    return s->slot_min > 0 && start_min >= s->start_min && start_min + s->slot_min <= s->end_min &&
           (start_min - s->start_min) % s->slot_min == 0;
}
