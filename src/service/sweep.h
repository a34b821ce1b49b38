/* The sweeper: the clock-driven use case of accountability (docs/accountability.md).
 *
 * One sweep runs in a sequence of write transactions, each committed with the watermarks of
 * what it did, so that one stopped midway and run again ends as one that was not
 * (sweep.c sweep_run; docs/accountability.md), and, for the instant `now`:
 *   - records a violation for each breach of a term (late answer, late complaint decision,
 *     late forwarding, extension notice not delivered in 3 working days), with the body, the
 *     executor, the head of the body at the time and the appeal's event seqs as evidence;
 *   - puts every overdue appeal in the oblast control queue, and supervisors' control dates;
 *   - records a violation against the head when proceedings were not started in the term;
 *   - flags the head of a body when a violation repeats one that ended in a penalty within
 *     the window;
 *   - queues reminders before due dates and notices to staff in the durable outbox.
 * Every insert is INSERT ... ON CONFLICT DO NOTHING on a UNIQUE key, and audit events and
 * notices follow only rows this sweep created: running twice, or two sweepers at once,
 * creates nothing twice. */
#ifndef OT_SERVICE_SWEEP_H
#define OT_SERVICE_SWEEP_H

#include <jansson.h>
#include <stdint.h>

#include "domain/violation.h"
#include "service/svc.h"

/* The parts of a sweep, timed (sweep_run logs them when a sweep is slow). */
enum {
    SWEEP_PH_BACKLOG,   /* events followed in spans of their own transactions */
    SWEEP_PH_OVERDUE,   /* terms that passed: violations, escalations */
    SWEEP_PH_EXT,       /* extension notices undelivered */
    SWEEP_PH_REMIND,    /* reminders */
    SWEEP_PH_STUCK,     /* applicants' notices stuck */
    SWEEP_PH_EVENTS,    /* the events that came since the sweep began */
    SWEEP_PH_UNSTARTED, /* proceedings not started */
    SWEEP_PH_REPEATS,   /* the repeat rule */
    SWEEP_PH_COMMIT,    /* the rest and the commits */
    SWEEP_PH_N
};

typedef struct sweep_report {
    int64_t violations, flags, escalations, reminders, notices;
    int64_t scanned_overdue, scanned_events;
    int64_t phase_us[SWEEP_PH_N];
    int64_t phase_cpu_us[SWEEP_PH_N]; /* the process's CPU time in each part */
} sweep_report_t;

int sweep_run(const svc_t *svc, const viol_policy_t *policy, int64_t now, sweep_report_t *rep,
              ot_err_t *err);

/* The sweeps sweep_run made in this process: how many, their total and last duration. */
void sweep_stats(uint64_t *count, uint64_t *sum_us, uint64_t *last_us);

/* Queues a notice to a staff user (recipient "user:ID", channel "staff"); the outbox worker
 * resolves the address. data is borrowed. */
int sweep_notify_user(store_tx_t *tx, int64_t now, int64_t user_id, int64_t appeal_id,
                      const char *template_name, const char *language, const char *data_json,
                      ot_err_t *err);

/* An operations alert, once per key (the meta table remembers it): an audit event `action`
 * on (object_type, object_id) with data d (not stolen) and a notice `tmpl` to every
 * administrator. *notices (may be NULL) gets the notices queued. */
int sweep_alert_once(store_tx_t *tx, int64_t now, const char *key, const char *action,
                     const char *object_type, const char *object_id, int64_t appeal_id,
                     const char *tmpl, json_t *d, int64_t *notices, ot_err_t *err);

#endif
