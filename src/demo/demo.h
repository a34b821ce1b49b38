/* Demo data: staff accounts and ten months of appeals with their life (issue "Appeals",
 * point 8; "Staff accounts", point 1), made through the same use cases as real work
 * (auth_user_add, appeal_intake_in, appeal_act_in), so every row has its audit event.
 *
 * The appeals are a simulation run in time order: arrivals over the ten months before `now`
 * (office hours mostly, some evenings, nights and days off), then for each appeal its
 * assignment, work, answer (on time or late), forwarding, extension, return for rework,
 * control, closing, termination, the citizen's rating and complaints, each at its own
 * backdated moment and done by a user the permission matrix allows. Steps that would fall
 * after `now` do not happen, so recent appeals are still open and some old ones overdue.
 * Ridder's appeals fall sharply in the last two months (the drop the seed article names).
 *
 * Deterministic for a given (n, now): one seeded generator (splitmix64); only the access
 * codes are random. The appeals are written in bulk mode (store/store_bulk.h,
 * svc_write_bulk), committed in chunks of n / 2 steps (50,000 to 500,000; demo.c). */
#ifndef OT_DEMO_DEMO_H
#define OT_DEMO_DEMO_H

#include <stdint.h>

#include "domain/appeal.h"
#include "service/svc.h"

#define DEMO_PASSWORD "otinish-demo-2026"

typedef struct demo_report {
    int users_created, users_existing;
    long appeals;             /* intakes, complaints included */
    long complaints;          /* kind complaint about an earlier appeal */
    long by_status[ST_COUNT]; /* final status */
    long by_kind[6];          /* in the order of appeal_kinds */
    long by_channel[6];       /* in the order of appeal_channels */
    long kk, ru;              /* language */
    long legal, collective, anonymous;
    long repeated; /* flagged as a repeat at intake */
    long forwarded, forwarded_late, extended, returned, controlled, terminated;
    long answered, answered_late; /* answers (the last one counts once per appeal) */
    long rated;
    long overdue_open;       /* open and past due at `now` */
    long ridder_monthly[10]; /* Ridder appeals per 30-day window, oldest first */
    long actions;            /* lifecycle steps done (not counting intakes) */
} demo_report_t;

/* One demo account: logins are stable (see demo.c); all have DEMO_PASSWORD. */
typedef struct demo_account {
    const char *login, *role, *body, *name, *position;
} demo_account_t;
extern const demo_account_t demo_accounts[];
extern const int demo_n_accounts;

/* Creates the demo accounts (those that exist are kept) and n appeals received in the ten
 * months before now. progress_fd >= 0: a progress bar is drawn there. svc must have its
 * store and jurisdictions. On failure no appeal is kept and err says which appeal and step
 * failed. */
int demo_generate(const svc_t *svc, long n, int64_t now, int progress_fd, demo_report_t *rep,
                  ot_err_t *err);

#endif
