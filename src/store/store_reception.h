/* Repository: reception schedules and bookings (migration 5). */
#ifndef OT_STORE_RECEPTION_H
#define OT_STORE_RECEPTION_H

#include <stdint.h>

#include "domain/reception_rec.h"
#include "store/store.h"

int store_rec_schedule_insert(store_tx_t *tx, rec_schedule_rec_t *s, ot_err_t *err);
/* OT_ENOTFOUND (field "schedule_id") when absent. */
int store_rec_schedule_get(store_tx_t *tx, int64_t id, rec_schedule_rec_t *out, ot_err_t *err);
/* Schedules of bodies under path_prefix ("" = all) valid on or after day. */
int store_rec_schedule_each(store_tx_t *tx, const char *path_prefix, const char *day,
                            int (*fn)(const rec_schedule_rec_t *s, void *arg), void *arg,
                            ot_err_t *err);

/* A second live booking of the same slot is OT_ECONFLICT (the partial unique index). */
int store_rec_booking_insert(store_tx_t *tx, rec_booking_rec_t *b, ot_err_t *err);
/* OT_ENOTFOUND (field "id") when absent. */
int store_rec_booking_get(store_tx_t *tx, int64_t id, rec_booking_rec_t *out, ot_err_t *err);
/* Writes status, held_at, attended, outcome, topic, appeal_id. */
int store_rec_booking_update(store_tx_t *tx, const rec_booking_rec_t *b, ot_err_t *err);
/* Live (not cancelled) bookings of a schedule on a day: their start minutes. */
int store_rec_booked_starts(store_tx_t *tx, int64_t schedule_id, const char *day, int *starts,
                            int max, int *n, ot_err_t *err);
/* The live bookings (booked, from from_day on) with that phone key and from that client
 * address (either may be NULL or "": then 0). */
int store_rec_booking_live(store_tx_t *tx, const char *phone_key, const char *addr,
                           const char *from_day, int *by_phone, int *by_addr, ot_err_t *err);
/* Bookings of bodies under path_prefix for days from..to, by day and time. */
int store_rec_booking_each(store_tx_t *tx, const char *path_prefix, const char *from,
                           const char *to, int (*fn)(const rec_booking_rec_t *b, void *arg),
                           void *arg, ot_err_t *err);

#endif
