/* Personal receptions (личный приём): the slots a weekly schedule offers. Pure. */
#ifndef OT_DOMAIN_RECEPTION_H
#define OT_DOMAIN_RECEPTION_H

#include "domain/date.h"
#include "util/err.h"

typedef struct rec_schedule {
    int weekday;            /* ISO 1 = Monday .. 7 = Sunday */
    int start_min, end_min; /* local minutes of the day: the reception's hours */
    int slot_min;           /* minutes per citizen */
    ot_day_t valid_from;    /* first day it runs */
    ot_day_t valid_to;      /* last day, OT_DAY_NONE: open-ended */
} rec_schedule_t;

#define REC_SLOTS_MAX 288 /* 24 h of 5-minute slots */

/* Checks a schedule's shape: weekday 1..7, 0 <= start < end <= 1440, slot 5..240 minutes
 * and at least one slot, valid_to not before valid_from. OT_EINVAL naming the field. */
int rec_schedule_check(const rec_schedule_t *s, ot_err_t *err);

/* Whether the schedule runs on day (its weekday, within validity). The caller also asks the
 * calendar whether day is a working day. */
int rec_runs_on(const rec_schedule_t *s, ot_day_t day);

/* The start minutes of the day's slots: start, start + slot, ... while a slot fits before
 * end. Returns their number (<= REC_SLOTS_MAX). */
int rec_slots(const rec_schedule_t *s, int starts[REC_SLOTS_MAX]);

/* Whether start_min is the start of one of the schedule's slots. */
int rec_is_slot(const rec_schedule_t *s, int start_min);

#endif
