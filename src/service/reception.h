/* Personal receptions (личный приём): officials publish weekly schedules, citizens book a
 * slot with a confirmation code (shown once; only its hash is kept) and may cancel with it,
 * the official records each held reception and may turn it into an appeal with channel
 * "reception" in the same transaction. Each use case is one transaction with its audit
 * event. */
#ifndef OT_SERVICE_RECEPTION_H
#define OT_SERVICE_RECEPTION_H

#include <stdint.h>

#include "domain/reception_rec.h"
#include "service/appeal.h"
#include "service/auth.h"
#include "service/svc.h"

#define REC_CODE_LEN 10

typedef struct rec_schedule_in {
    const char *official; /* login; NULL: the user */
    const char *body;     /* NULL: the official's body */
    int weekday;
    const char *start, *end; /* "HH:MM" */
    int slot_min;
    const char *place, *video_url;
    const char *valid_from, *valid_to; /* NULL: today / open-ended */
} rec_schedule_in_t;

/* A head publishes for officials of its body and sub-bodies; any official for themself. */
int reception_schedule_add(const svc_t *svc, const auth_user_t *user, const rec_schedule_in_t *in,
                           int64_t now, rec_schedule_rec_t *out, ot_err_t *err);

/* Public: schedules of bodies under body (NULL: all) still valid today. */
int reception_schedules(const svc_t *svc, const char *body, int64_t now,
                        int (*fn)(const rec_schedule_rec_t *s, void *arg), void *arg,
                        ot_err_t *err);

/* Public: the free slots of a schedule on working days from..to (at most 62 days). fn gets
 * the day and the start minute. */
int reception_free_slots(const svc_t *svc, int64_t schedule_id, const char *from, const char *to,
                         int64_t now, int (*fn)(const char *day, int start_min, void *arg),
                         void *arg, ot_err_t *err);

typedef struct rec_book_in {
    int64_t schedule_id;
    const char *day, *start; /* "YYYY-MM-DD", "HH:MM" */
    const char *name, *phone, *topic;
    const char *addr; /* the citizen's client address (the limit per address) */
} rec_book_in_t;

/* Public booking. A slot already booked is OT_ECONFLICT "slot_taken". code receives the
 * confirmation code (shown once). A citizen holds at most svc->book_per_phone live bookings
 * with one phone number (its digits) and svc->book_per_addr from one client address: over
 * either, OT_ECONFLICT "too_many_bookings" (field "phone" for the phone); cancelling one, or
 * its being held, makes room. */
int reception_book(const svc_t *svc, const rec_book_in_t *in, int64_t now, int64_t *id,
                   char code[REC_CODE_LEN + 1], ot_err_t *err);

/* Cancels with the confirmation code; a wrong code is the same 404 as an unknown id. */
int reception_cancel(const svc_t *svc, int64_t id, const char *code, int64_t now, ot_err_t *err);

typedef struct rec_record_in {
    int attended;
    const char *topics, *outcome;
    const intake_t *appeal; /* non-NULL: also register an appeal (channel reception) */
} rec_record_in_t;

/* The official (or a head or registrar of the body) records a booked reception as held or
 * not attended; with in->appeal, registers the appeal in the same transaction (*receipt). */
int reception_record(const svc_t *svc, const auth_user_t *user, int64_t id,
                     const rec_record_in_t *in, int64_t now, rec_booking_rec_t *out,
                     receipt_t *receipt, ot_err_t *err);

typedef struct rec_walkin_in {
    int64_t schedule_id;               /* the official's reception schedule */
    const char *name, *phone, *topics; /* the citizen and the question (name, topics required) */
    const char *outcome;
    const intake_t *appeal; /* non-NULL: also register an appeal (channel reception) */
} rec_walkin_in_t;

/* A reception held without a booking, recorded now by the official or the body's registry
 * (the same rights as reception_record); counts as held like any reception. */
int reception_walk_in(const svc_t *svc, const auth_user_t *user, const rec_walkin_in_t *in,
                      int64_t now, rec_booking_rec_t *out, receipt_t *receipt, ot_err_t *err);

/* Staff: bookings of the user's visible bodies (or under body) for days from..to, as
 * booking.read of the permission matrix allows: an executor sees only the bookings of their
 * own receptions. */
int reception_bookings(const svc_t *svc, const auth_user_t *user, const char *body,
                       const char *from, const char *to,
                       int (*fn)(const rec_booking_rec_t *b, void *arg), void *arg, ot_err_t *err);

/* ==== Loading history (the demo; an import from an earlier system) ====
 * Rows written as given inside the caller's transaction: backdated, without the checks,
 * codes and notices of the live use cases above; the caller appends the audit events
 * (audit_append). */

/* Counts the schedules there are (any body, any date) into *n. */
int rec_schedule_count_in(store_tx_t *tx, int *n, ot_err_t *err);
/* Inserts r (r->id is set). */
int rec_schedule_import_in(store_tx_t *tx, rec_schedule_rec_t *r, ot_err_t *err);
/* Inserts b (b->id is set); a second live booking of the slot is OT_ECONFLICT. */
int rec_booking_import_in(store_tx_t *tx, rec_booking_rec_t *b, ot_err_t *err);
/* Writes b's status, held_at, attended, outcome, topic and appeal. */
int rec_booking_import_update_in(store_tx_t *tx, const rec_booking_rec_t *b, ot_err_t *err);

#endif
