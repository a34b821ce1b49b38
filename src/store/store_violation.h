/* Repository: violations and their discipline, head flags, the control queue, reminders,
 * the sweeper's scans over appeals and events (the outbox is store_outbox.h, staff contacts
 * store_user.h).
 * Inserts that the sweeper may repeat use INSERT ... ON CONFLICT DO NOTHING on the tables'
 * UNIQUE keys: *created tells whether this call made the row (two sweepers, one row). */
#ifndef OT_STORE_VIOLATION_H
#define OT_STORE_VIOLATION_H

#include <stddef.h>
#include <stdint.h>

#include "domain/violation_rec.h"
#include "store/store.h"

/* Inserts v unless a violation with the same (appeal, kind, term) or (about, kind) exists.
 * On creation sets v->id and *created = 1. */
int store_viol_insert(store_tx_t *tx, viol_rec_t *v, int *created, ot_err_t *err);
/* The same for vs[0..n) in one statement (the sweep's set-based insert, issue 23): rows in
 * array order, each skipped when its key exists (or came earlier in vs); sets vs[i].id for
 * the rows created and 0 for the others. */
int store_viol_insert_many(store_tx_t *tx, viol_rec_t *vs, size_t n, ot_err_t *err);
/* Queues the notices of the violations with id > after (those a sweep's run made) to their
 * executors and heads, one per person, in one statement: to one told of a single violation,
 * "violation" with the data of its event and its id, the appeal's language ("ru" without
 * one); to one told of several, "violations": the same of the first (smallest id) with
 * "count" in front, about no appeal. *notices gets the number queued. */
int store_viol_notify_new(store_tx_t *tx, int64_t after, int64_t now, int64_t *notices,
                          ot_err_t *err);
/* The largest violation id (0 for none). */
int store_viol_max_id(store_tx_t *tx, int64_t *id, ot_err_t *err);
int store_viol_get(store_tx_t *tx, int64_t id, viol_rec_t *out, ot_err_t *err);
/* Writes the discipline columns and days_late of v (by id). */
int store_viol_update(store_tx_t *tx, const viol_rec_t *v, ot_err_t *err);
/* Sets days_late of the violation (appeal, kind, term) when it differs; *id gets the
 * violation's id when it changed, else 0. */
int store_viol_set_days(store_tx_t *tx, int64_t appeal_id, const char *kind, const char *term_on,
                        int days, int64_t *id, ot_err_t *err);

/* Newest first. fn returning non-zero stops. */
/* What a page of store_viol_list is read through (store_violation.c): one filter's index (the
 * scope's bodies, the body, the status, the person, the kind, the window of terms) when it
 * matches few, else the ids walked down from the cursor, the filters' sets met in a bitmap
 * when the walk's first span leaves the page short; its statements and the drivers' counts
 * (?1 the value, ?2 the cap), for the plan tests. */
enum {
    STORE_VIOL_WALK,
    STORE_VIOL_BY_SCOPE,
    STORE_VIOL_BY_BODY,
    STORE_VIOL_BY_STATUS,
    STORE_VIOL_BY_PERSON, /* executor, head or responsible, of the body, scope and kind asked */
    STORE_VIOL_BY_KIND,   /* through violations_open (status, kind): each status's kind */
    STORE_VIOL_BY_TERM,   /* a window of terms (from, to): violations_term */
    STORE_VIOL_DRIVERS
};
extern const char *const store_viol_list_sql[STORE_VIOL_DRIVERS];
extern const char *const store_viol_probe_sql[STORE_VIOL_DRIVERS];
/* a filter's set below a cursor (?1 its value, ?2 the cursor, ?3 the cap), one row checked
 * (the list's ?1-?7, ?8 its id): the bitmap's reads when no filter drives */
extern const char *const store_viol_ids_sql[STORE_VIOL_DRIVERS];
extern const char store_viol_row_sql[];
/* A person's statements when a kind is asked for too (the person's index's entries of that
 * kind alone): the list's driver, the probe, the set's ids. */
enum { STORE_VIOL_MINE_LIST, STORE_VIOL_MINE_PROBE, STORE_VIOL_MINE_IDS, STORE_VIOL_MINE };
extern const char *const store_viol_mine_kind_sql[STORE_VIOL_MINE];
int store_viol_list(store_tx_t *tx, const viol_filter_t *f, int (*fn)(viol_rec_t *v, void *arg),
                    void *arg, ot_err_t *err);

/* The active head of a body (lowest id among active users with role head there), else the
 * head of the nearest body above it that has one; 0 if no body up to the root has a head.
 * head_body (may be NULL) gets the body whose head it is. */
int store_viol_head_of(store_tx_t *tx, const char *body, int64_t *head, char head_body[64],
                       ot_err_t *err);

/* The seqs of the audit events of each appeal numbers[i] (numbers[0..n) may repeat), in one
 * statement: fn(i, seq) for each, in order of i and then of seq; a non-zero return stops. */
int store_viol_event_seqs_many(store_tx_t *tx, const char *const *numbers, size_t n,
                               int (*fn)(size_t i, int64_t seq, void *arg), void *arg,
                               ot_err_t *err);

/* ==== Sweeper scans ==== */

/* A compact appeal row for scans. */
typedef struct sweep_row {
    int64_t id;
    char number[40];
    char kind[16];
    char due_on[11];
    char body[64];
    int64_t executor;
    char extra[11]; /* extended_on for notice scans */
    char language[4];
} sweep_row_t;

/* Open appeals of the jurisdiction due before `today` with no late_answer/late_complaint
 * violation for their current due date, in due date and id order. With a watermark `from`
 * ("" for none) only those due on or after it, and those due before it that an appeal event
 * after seq `touched` speaks of (reopened, resumed: an appeal changes only with an event),
 * are read: a steady sweep reads what became due since the last one (issue 23), not every
 * overdue appeal. *rows is malloc'd (caller frees). */
int store_sweep_overdue(store_tx_t *tx, const char *jurisdiction, const char *today,
                        const char *from, int64_t touched, sweep_row_t **rows, size_t *n,
                        ot_err_t *err);
/* The due date of the n-th open appeal of the jurisdiction due on or after `from` and
 * before `before`, in due date order, into day ("" when there are fewer): where a chunk of
 * a first sweep over a backlog of overdue appeals ends. */
int store_sweep_overdue_bound(store_tx_t *tx, const char *jurisdiction, const char *from,
                              const char *before, int64_t n, char day[11], ot_err_t *err);
/* An extension notice not yet delivered and its appeal (for store_sweep_ext_notices). */
typedef struct ext_notice {
    sweep_row_t a;     /* the appeal; extra = extended_on */
    int64_t outbox_id; /* the notice */
    int64_t queued_at; /* its created_at */
} ext_notice_t;

/* Extension notices not yet delivered (pending, sending, failed) with an outbox id after
 * `after_id`, of appeals of the jurisdiction that have an extended_on, but those whose
 * operations alert was raised already (meta notice_undelivered:NUMBER), in (status, id)
 * order (that of outbox_template). *rows is malloc'd (caller frees). */
int store_sweep_ext_notices(store_tx_t *tx, const char *jurisdiction, int64_t after_id,
                            ext_notice_t **rows, size_t *n, ot_err_t *err);
/* The reminders a sweep's transaction made (store_sweep_remind_all adds them in the order made,
 * store_reminder_notify tells of them); items malloc'd. */
typedef struct remind_item {
    int64_t appeal_id, days_before;
} remind_item_t;
typedef struct reminded {
    remind_item_t *items;
    size_t n, cap;
} reminded_t;
/* Records reminder (due_on, days_before) for every open appeal due in (lo, hi] that has none
 * yet, set-based, and adds the ones made to *made (their notices: store_reminder_notify).
 * Only the appeals due in
 * (seen, hi] (seen: the watermark, >= lo; lo for none) and those due in (lo, seen] that an
 * appeal event after seq `touched` speaks of are read: the rest of the band was seen by an
 * earlier sweep. */
int store_sweep_remind_all(store_tx_t *tx, const char *jurisdiction, const char *lo, const char *hi,
                           const char *seen, int64_t touched, int days_before, int64_t now,
                           reminded_t *made, ot_err_t *err);

/* The last event's seq (0 for none). */
int store_event_last_seq(store_tx_t *tx, int64_t *seq, ot_err_t *err);
/* Moves the event watermark *mark past the events after it up to the first appeal event
 * that is not a sweep's own (an escalation or an alert by "system"), or to the last event:
 * the events a sweep appended itself are not read again by the next. */
int store_sweep_events_pass(store_tx_t *tx, int64_t *mark, ot_err_t *err);
/* Events with seq in (after_seq, upto] that may make a violation or a control entry: a
 * control date, an answer not on time, a forward not within its term; at most max of them,
 * in seq order (the caller pages on from the last one's seq). */
typedef struct sweep_event {
    int64_t seq, at;
    char actor[32], action[32], object_id[40];
    char *data; /* malloc'd JSON */
    /* the appeal as it is now, read in the same statement (a first sweep follows hundreds of
     * thousands of events): appeal_id 0 when it is not there */
    int64_t appeal_id, executor;
    char kind[16], jurisdiction[8], language[4], answered_on[11], due_on[11], forward_by[11];
    char body[64], receiving_body[64], status[16];
} sweep_event_t;
int store_sweep_events(store_tx_t *tx, int64_t after_seq, int64_t upto, size_t max,
                       sweep_event_t **evs, size_t *n, ot_err_t *err);
/* Queues the "assigned" notice of every assignment among the events in (after_seq, upto] to
 * its executor, in one statement (data: the appeal's number and current due date; the
 * appeal's language), for the appeals still open: an appeal answered or closed since needs
 * no work from anyone (a first sweep over a backlog told every executor of every appeal
 * ever assigned). *notices gets the number queued. backlog: a long span, read from the open
 * appeals rather than from the events. */
/* The statements of store_sweep_assign_notices over a backlog and over a few events (their
 * query plans are tested). */
extern const char store_sweep_assign_backlog_sql[];
extern const char store_sweep_assign_recent_sql[];
/* The events a sweep follows (store_sweep_events), for its plan test. */
extern const char store_sweep_events_sql[];

int store_sweep_assign_notices(store_tx_t *tx, int64_t after_seq, int64_t upto, int backlog,
                               int64_t now, int64_t *notices, ot_err_t *err);
void store_sweep_events_free(sweep_event_t *evs, size_t n);

/* Open violations (not no_proceedings) recorded before the instant before_us and at or after
 * (from_at, from_id) in the order (created_at, id), with no no_proceedings violation about
 * them and not of an external body: at most max, in that order (the caller pages and keeps
 * where it stopped). */
typedef struct unstarted {
    int64_t id, head;
    char appeal_number[40], detected_on[11], body[64];
    int64_t created_at; /* when the violation was recorded */
} unstarted_t;
extern const char store_sweep_unstarted_sql[];
int store_sweep_unstarted(store_tx_t *tx, int64_t before_us, int64_t from_at, int64_t from_id,
                          size_t max, unstarted_t **out, size_t *n, ot_err_t *err);
/* Of the violations with id > after_id: the largest id (after_id when none) and the earliest
 * recording time of the open ones not no_proceedings (INT64_MAX when none). */
int store_sweep_unstarted_since(store_tx_t *tx, int64_t after_id, int64_t *max_id, int64_t *min_at,
                                ot_err_t *err);
/* Violations without a head flag, each paired with the latest earlier violation of its body
 * not dismissed; each side with what the flag and its evidence show of it (read in the same
 * statement: a first sweep over a backlog flags hundreds of thousands). */
typedef struct repeat_side {
    int64_t id, head;
    char kind[24], appeal_number[40], term_on[11], status[16], penalty[32], penalty_on[11];
    char body[64];
    int days_late;
} repeat_side_t;
typedef struct repeat_pair {
    repeat_side_t v, prior;
} repeat_pair_t;
/* Only violations with id > after_id are looked at (the sweep keeps the watermark: a
 * violation's earlier ones exist when it is made), at most max, in id order (the caller
 * pages); *max_id gets the largest violation id. */
int store_sweep_repeats(store_tx_t *tx, int64_t after_id, size_t max, repeat_pair_t **out,
                        size_t *n, int64_t *max_id, ot_err_t *err);

int store_meta_get_int(store_tx_t *tx, const char *key, int64_t *out, ot_err_t *err);
int store_meta_set_int(store_tx_t *tx, const char *key, int64_t v, ot_err_t *err);
/* store_meta_set_int for each of keys[0..n), one statement. */
int store_meta_set_int_many(store_tx_t *tx, const char *const *keys, size_t n, int64_t v,
                            ot_err_t *err);

/* ==== Head flags ==== */
int store_flag_insert(store_tx_t *tx, flag_rec_t *f, int *created, ot_err_t *err);
/* The same for fs[0..n) in one statement, in array order; sets fs[i].id for the flags
 * created, 0 for those that existed. */
int store_flag_insert_many(store_tx_t *tx, flag_rec_t *fs, size_t n, ot_err_t *err);
/* Queues the "head_flag" notices of the flags with id > after (just created), in one
 * statement: one for each body and head among them, to the head and every supervisor, each
 * person once. Its data is the latest such flag's evidence with its body and head, as its
 * event has it, and `flags`, how many of the body's and head's flags it stands for (a first
 * sweep over a backlog flags a head thousands of times: one notice says it). *notices gets
 * the number queued. */
int store_flag_notify_new(store_tx_t *tx, int64_t after, int64_t now, int64_t *notices,
                          ot_err_t *err);
/* The largest head flag id (0 for none). */
int store_flag_max_id(store_tx_t *tx, int64_t *id, ot_err_t *err);
/* Flags of bodies under scope_path (NULL: all), newest first: up to limit of them with ids
 * below before_id (0: from the newest). */
int store_flag_list(store_tx_t *tx, const char *scope_path, int64_t before_id, int limit,
                    int (*fn)(flag_rec_t *f, void *arg), void *arg, ot_err_t *err);
/* Its statements (for the plan tests): [0] a narrow scope's, [1] the walk newest first. */
extern const char *const store_flag_list_sql[2];

/* ==== Control queue ==== */
int store_control_add(store_tx_t *tx, int64_t appeal_id, const char *reason, int64_t since,
                      const char *control_on, int64_t by_user, int *created, ot_err_t *err);
/* Puts the appeals of ids[0..n) in the queue for reason since `since`, in one statement,
 * those already there left as they are; created[i] = 1 for the ones put there. */
int store_control_add_many(store_tx_t *tx, const int64_t *ids, size_t n, const char *reason,
                           int64_t since, unsigned char *created, ot_err_t *err);
/* Queues one notice to every supervisor (at most 64) of the appeals put in the control queue
 * as overdue at times since..until (a sweep's run), in one statement: with one appeal, "escalated"
 * (data: reason "overdue", due date, body, number; the appeal's language); with several,
 * "escalated_many", the first appeal's data (smallest id) with "count" in front, about no
 * appeal. *notices gets the number queued. */
int store_escalation_notify_new(store_tx_t *tx, int64_t since, int64_t until, int64_t now,
                                int64_t *notices, ot_err_t *err);
/* One notice per person (issue 23 point 5), in one statement: one item as ever, several as
 * the "_many" template with the first item's data and "count" in front, about no appeal;
 * *notices gets the number queued. store_reminder_notify: the reminders made (of appeals not
 * suspended), to the executor and the head of the body or the nearest above ("reminder" /
 * "reminder_many"); store_control_notify_new: the control dates of the events with seq in
 * (after_seq, upto] that made their control queue entry, of open appeals, to the same
 * ("control" / "control_many"). */
int store_reminder_notify(store_tx_t *tx, const reminded_t *made, int64_t now, int64_t *notices,
                          ot_err_t *err);
int store_control_notify_new(store_tx_t *tx, int64_t after_seq, int64_t upto, int64_t now,
                             int64_t *notices, ot_err_t *err);
/* their statements, for the plans' test */
extern const char store_reminder_notify_sql[], store_control_notify_sql[];
/* The control rows of the appeals ids[0..n) (a page of the work queue filtered by
 * appeal_filter_t.control), by due date then id. */
int store_control_rows(store_tx_t *tx, const int64_t *ids, size_t n,
                       int (*fn)(const control_row_t *r, void *arg), void *arg, ot_err_t *err);

#endif
