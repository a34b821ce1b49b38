/* Repository: the aggregate reads behind scorecards, alerts and open data.
 *
 * Most figures come from the per-day aggregate tables that triggers keep in step with
 * appeals (migration 5: stat_day and stat_month, stat_wd_day and stat_wd_month,
 * stat_ans_month, stat_cd), and from the counters of migration 41 (open appeals by
 * registration and due day, escalations); receptions from indexed live queries. Each function calls
 * fn once per result row with its text keys and integer values, in the order documented;
 * fn returning non-zero stops the walk. Days are "YYYY-MM-DD", months "YYYY-MM", both
 * inclusive. */
#ifndef OT_STORE_REPORT_H
#define OT_STORE_REPORT_H

#include <stdint.h>

#include "store/store.h"

typedef int (*store_row_fn)(const char *const *keys, const int64_t *vals, void *arg);

/* keys: id, parent ("" for none), path, name_ru, type; no values. Ordered by path. */
int store_report_bodies(store_tx_t *tx, store_row_fn fn, void *arg, ot_err_t *err);

/* keys: body; vals: received, answered, on_time, resolved, explained, refused, complaints,
 * upheld, repeats, r1, r2, r3, r4, r5, still open now (registered from..to). */
#define STORE_STAT_DAY_VALS 15
int store_report_stat_day(store_tx_t *tx, const char *from, const char *to, store_row_fn fn,
                          void *arg, ot_err_t *err);
/* The same for the months from_month..to_month ("YYYY-MM"), from the monthly aggregate. */
int store_report_stat_month(store_tx_t *tx, const char *from_month, const char *to_month,
                            store_row_fn fn, void *arg, ot_err_t *err);

/* Answered appeals by working days to answer (raw: may be negative or large). keys: body;
 * vals: days, n, several rows per body and days (the caller sums them). _months: registered in
 * months from_month..to_month; _days: on days from..to. */
int store_report_wd_months(store_tx_t *tx, const char *from_month, const char *to_month,
                           store_row_fn fn, void *arg, ot_err_t *err);
int store_report_wd_days(store_tx_t *tx, const char *from, const char *to, store_row_fn fn,
                         void *arg, ot_err_t *err);

/* keys: body; vals: open appeals registered from..to whose due_on is today or later (the
 * overdue are the open ones, store_report_stat_day's last value, less these). */
int store_report_not_due(store_tx_t *tx, const char *today, const char *from, const char *to,
                         store_row_fn fn, void *arg, ot_err_t *err);

/* keys: body; vals: appeals that entered the control queue in [from_us, to_us); several
 * rows per body (the caller sums them). */
int store_report_escalations(store_tx_t *tx, int64_t from_us, int64_t to_us, store_row_fn fn,
                             void *arg, ot_err_t *err);

/* keys: body; vals: violations detected from..to, of them with status 'penalty'; several
 * rows per body (the caller sums them). */
int store_report_violations(store_tx_t *tx, const char *from, const char *to, store_row_fn fn,
                            void *arg, ot_err_t *err);

/* keys: body; vals: bookings for days from..to not cancelled, of them held. */
int store_report_receptions(store_tx_t *tx, const char *from, const char *to, store_row_fn fn,
                            void *arg, ot_err_t *err);

/* Monthly series for the alerts. keys: body, month; vals: appeals answered in the month
 * (months from_month..to_month). */
/* Per body, appeals registered from..to with a problem (issue 17): decided, solved (the
 * decision solved it, no "no" verdict, not re-raised), re-raised, verdicts yes/partly/no;
 * several rows per body (the caller sums them). */
int store_report_problems(store_tx_t *tx, const char *from, const char *to, store_row_fn fn,
                          void *arg, ot_err_t *err);
int store_report_month_answered(store_tx_t *tx, const char *from_month, const char *to_month,
                                store_row_fn fn, void *arg, ot_err_t *err);
/* keys: body, month; vals: receptions held in the month. */
int store_report_month_held(store_tx_t *tx, const char *from, const char *to, store_row_fn fn,
                            void *arg, ot_err_t *err);
/* keys: month, category, district ("" for none); vals: appeals registered (months
 * from_month..to_month). */
int store_report_month_cd(store_tx_t *tx, const char *from_month, const char *to_month,
                          store_row_fn fn, void *arg, ot_err_t *err);

/* Open data. keys: month; vals: received, answered, on_time (registered in months
 * from_month..to_month). */
int store_report_months(store_tx_t *tx, const char *from_month, const char *to_month,
                        store_row_fn fn, void *arg, ot_err_t *err);

/* The governor's dashboard (issue 18). keys: body, due_on; vals: open appeals (registered,
 * assigned, in work) with that body and due date, for the due dates from today on. Reads
 * the counter stat_open. */
int store_report_open_due(store_tx_t *tx, const char *today, store_row_fn fn, void *arg,
                          ot_err_t *err);
/* its statement, for plan tests */
extern const char *const store_report_open_due_sql;
/* keys: body; vals: its open appeals (the bodies with any), from stat_month. */
int store_report_open_bodies(store_tx_t *tx, store_row_fn fn, void *arg, ot_err_t *err);
/* keys: body, month; vals: received, answered, on_time (registered in months
 * from_month..to_month), from the monthly aggregate. */
int store_report_month_body(store_tx_t *tx, const char *from_month, const char *to_month,
                            store_row_fn fn, void *arg, ot_err_t *err);
/* keys: body; vals: heads flagged (distinct) with flags raised in [from_us, to_us). */
int store_report_flags(store_tx_t *tx, int64_t from_us, int64_t to_us, store_row_fn fn, void *arg,
                       ot_err_t *err);

/* Replaces the working-day numbers of a jurisdiction's calendar (cal_wd): days[i] has
 * number wd[i]. */
int store_report_cal_put(store_tx_t *tx, const char *jurisdiction, const char (*days)[11],
                         const int *wd, int n, ot_err_t *err);
/* Recomputes stat_wd_day, stat_wd_month and stat_ans_month from the appeals (after the
 * calendar changed). */
int store_report_rebuild_wd(store_tx_t *tx, ot_err_t *err);
/* Recomputes every aggregate table from the appeals, in one pass each: what the triggers
 * would have made row by row (store_bulk.h loads without them). One difference: a repeat
 * counts for the earlier appeal's body when that appeal had been answered before the repeat
 * arrived; the trigger judges it at the repeat's registration, the rebuild by the answer the
 * earlier appeal has now (they differ only when it was returned and answered again later). */
int store_report_rebuild(store_tx_t *tx, ot_err_t *err);

#endif
