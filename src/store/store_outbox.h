/* Repository: the notification outbox (docs/accountability.md). Use cases queue a notice in
 * their own transaction (store_outbox_add); the delivery worker (service/notify.c) claims due
 * rows with a lease and records each attempt's outcome. */
#ifndef OT_STORE_OUTBOX_H
#define OT_STORE_OUTBOX_H

#include <stddef.h>
#include <stdint.h>

#include "domain/notice_rec.h"
#include "store/store.h"

/* Queues a notification; delivered later by the outbox worker. */
int store_outbox_add(store_tx_t *tx, int64_t now, int64_t appeal_id, const char *recipient,
                     const char *channel, const char *template_name, const char *language,
                     const char *data_json, ot_err_t *err);
typedef struct outbox_row {
    int64_t id, appeal_id, attempts;
    char recipient[256], channel[16], template_name[48], language[4];
    char *data; /* malloc'd */
} outbox_row_t;
/* Claims up to max due rows (pending, or 'sending' whose lease ran out): marks them
 * 'sending' until now + lease_us. *rows malloc'd; free with store_outbox_rows_free. */
int store_outbox_claim(store_tx_t *tx, int64_t now, int64_t lease_us, size_t max,
                       outbox_row_t **rows, size_t *n, ot_err_t *err);
void store_outbox_rows_free(outbox_row_t *rows, size_t n);
/* Records a delivery: sent (sent_at = now) or a retry at next_at (status pending) or
 * failed for good. */
int store_outbox_result(store_tx_t *tx, int64_t id, const char *status, int64_t attempts,
                        int64_t next_at, int64_t now, const char *error, ot_err_t *err);

/* Of the notice outbox row id belongs to (the rows one use case queued for one notice: same
 * appeal, template and instant), how many other rows by e-mail, SMS or post were delivered,
 * are still on their way or wait in the print queue (*others), and its appeal's number. */
int store_outbox_notice_reach(store_tx_t *tx, int64_t id, int64_t *others, char number[40],
                              ot_err_t *err);

/* The notices of one appeal, oldest first (at most 1,000): the record of each notice's
 * channel, attempts and outcome; staff's recipient ("user:ID") kept, applicants' left out. */
int store_outbox_notices(store_tx_t *tx, int64_t appeal_id,
                         int (*fn)(const outbox_notice_t *n, void *arg), void *arg, ot_err_t *err);

/* Applicants' e-mail and SMS notices (but the extension's, which the sweep follows on its
 * own) queued before `before` and still not delivered (pending or sending), with no other
 * row of the same notice delivered or in the print queue, after row id `after`: *count of
 * them, the appeal numbers of the first (up to max, "" for none) joined by ", " into
 * numbers, and *last the highest outbox id queued before `before` (the next watermark; ids
 * follow the time of queueing). */
/* The count of store_outbox_stuck (its query plan is tested). */
extern const char store_outbox_stuck_sql[];

int store_outbox_stuck(store_tx_t *tx, int64_t after, int64_t before, int64_t *count, char *numbers,
                       size_t n, int64_t *last, ot_err_t *err);

/* ==== Letters by post: the print queue ==== */

typedef struct outbox_letter {
    int64_t id, created_at, queued_at; /* queued_at: next_at, the queue's order (and cursor) */
    char number[40];
    char address[512]; /* the applicant's postal address */
    char template_name[48], language[4];
    char *data; /* freed after fn returns */
} outbox_letter_t;

/* Letters waiting to be printed and sent (status print) about appeals of bodies under
 * scope_path (NULL: all), oldest first (queued_at, id), after the letter queued at after_at
 * with id after_id (0, 0: from the first), at most limit. Its statements (the print queue
 * walked; a small scope's appeals' letters; the walk on PostgreSQL) and the count that
 * chooses, for plan tests. */
extern const char *const store_outbox_letters_sql[3];
extern const char store_outbox_letters_probe_sql[];
int store_outbox_letters(store_tx_t *tx, const char *scope_path, int64_t after_at, int64_t after_id,
                         int limit, int (*fn)(const outbox_letter_t *l, void *arg), void *arg,
                         ot_err_t *err);
/* The body path of the appeal of waiting letter id; OT_ENOTFOUND "letter_not_found". */
int store_outbox_letter_body(store_tx_t *tx, int64_t id, char *path, size_t n, ot_err_t *err);
/* Records that waiting letter id was sent by post at `at`. */
int store_outbox_letter_sent(store_tx_t *tx, int64_t id, int64_t at, ot_err_t *err);

#endif
