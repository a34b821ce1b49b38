/* The governor's dashboard (issue 18): everything the dashboard page draws, in one answer,
 * computed on the server from the aggregate tables (stat_day, stat_month, stat_viol_day,
 * stat_flag_slot, stat_open, stat_esc_slot), never from the appeals themselves, so that it
 * costs the same at 1,000,000 appeals as at 1,000 (docs/scorecards.md). */
#ifndef OT_SERVICE_DASHBOARD_H
#define OT_SERVICE_DASHBOARD_H

#include <jansson.h>
#include <stdint.h>

#include "service/auth.h"
#include "service/svc.h"

/* from..to "YYYY-MM-DD" (NULL: Jan 1 of this year .. today). The answer (docs/api.md):
 * {"from","to","prev_from","prev_to","today","root",
 *  "headline":{"received":{"now","prev"},"answered","on_time_pct","resolved_pct",
 *              "rating_mean","rating_n","violations","heads_flagged":{"now","prev"},
 *              "overdue_now"},
 *  "bodies":[{"body","parent","rank","index","received","answered","on_time_pct",
 *             "overdue_open","resolved_pct","rating_mean","violations","receptions_held"}],
 *  "months":[{"month","received","answered","on_time"}],   Jan of the year before .. to
 *  "open_due":{"overdue","d0_3","d4_7","d8_14","d15"},     open now, working days to due
 *  "receptions":{"months":["YYYY-MM"...],"series":[{"body","held":[...]}]},
 *  "alerts":[{"month","kind","metric","body","category","district","baseline","current",
 *             "change_pct"}]}
 * Who may read it: as the scorecards (supervisors and auditors everything, heads their
 * subtree). *out is the caller's (json_decref). */
int report_dashboard(const svc_t *svc, const auth_user_t *user, const char *from, const char *to,
                     int64_t now, json_t **out, ot_err_t *err);

#endif
