/* Demo data for personal receptions (issue 7): schedules of the heads of city and district
 * akimats and their bookings over the twelve months before now, held or not attended in the
 * past and booked ahead, with Ridder's receptions falling sharply in the last two months so
 * that GET /api/v1/alerts shows the drop right after `make run`. */
#ifndef OT_DEMO_DEMO_RECEPTION_H
#define OT_DEMO_DEMO_RECEPTION_H

#include <stdint.h>

#include "service/svc.h"

/* Needs the demo accounts (demo_generate makes them). Deterministic for a given now;
 * written in one transaction with an audit event per schedule. Returns OT_OK or an error. */
int demo_receptions(const svc_t *svc, int64_t now, ot_err_t *err);

#endif
