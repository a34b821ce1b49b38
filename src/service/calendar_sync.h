/* When a jurisdiction's calendar or terms change (a late transfer order, a corrected holiday),
 * the deadlines of appeals already running must follow: the statutory dates of every open
 * appeal are computed again from its receipt and the new data. */
#ifndef OT_SERVICE_CALENDAR_SYNC_H
#define OT_SERVICE_CALENDAR_SYNC_H

#include <stddef.h>
#include <stdint.h>

#include "service/svc.h"

typedef struct sync_report {
    int changed_jurisdictions; /* whose data differ from what the database last saw */
    size_t checked, moved;     /* open appeals recomputed; of them, with a changed date */
} sync_report_t;

/* Compares each loaded jurisdiction's fingerprint with the one stored in the database and,
 * when they differ (or none is stored yet), recomputes the open appeals of that jurisdiction
 * in one transaction with an audit event per moved appeal, then stores the new fingerprint.
 * A due date set by an extension stays as it is (the head decided it). */
int calendar_sync(const svc_t *svc, int64_t now, sync_report_t *rep, ot_err_t *err);

#endif
