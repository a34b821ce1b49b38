/* Repository: reception schedules and bookings (migration 5). */
#ifndef OT_STORE_RECEPTION_H
#define OT_STORE_RECEPTION_H

#include <stdint.h>

#include "store/store.h"

typedef struct rec_schedule_rec {
    int64_t id, official;
    char official_name[160], official_position[160];
    char body[64], body_path[256];
    int weekday, start_min, end_min, slot_min;
    char place[256], video_url[256];
    char valid_from[11], valid_to[11]; /* valid_to "" = open-ended */
    int64_t created_at;
} rec_schedule_rec_t;

typedef struct rec_booking_rec {
    int64_t id, schedule_id;
    char day[11];
    int start_min;
    char citizen_name[320], citizen_phone[40], topic[1024];
    char code_hash[65];
    char status[12]; /* booked, cancelled, held, no_show */
    int64_t held_at;
    int attended;
    char outcome[2048];
    int64_t appeal_id;
    char appeal_number[40]; /* read only */
    char body[64];          /* read only: the schedule's body */
    int64_t created_at;
    int walk_in; /* recorded without a booking */
} rec_booking_rec_t;

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
/* Bookings of bodies under path_prefix for days from..to, by day and time. */
int store_rec_booking_each(store_tx_t *tx, const char *path_prefix, const char *from,
                           const char *to, int (*fn)(const rec_booking_rec_t *b, void *arg),
                           void *arg, ot_err_t *err);

#endif
