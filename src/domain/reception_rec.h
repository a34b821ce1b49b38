/* Reception schedules and bookings as records: what the store keeps and the use cases hand
 * out. Plain values, no I/O. */
#ifndef OT_DOMAIN_RECEPTION_REC_H
#define OT_DOMAIN_RECEPTION_REC_H

#include <stdint.h>

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
    int walk_in;          /* recorded without a booking */
    char phone_key[40];   /* the phone's digits, for the limit per phone ("" when none) */
    char source_addr[64]; /* the client address a citizen booked from ("" when none) */
    int64_t official;     /* read only: the schedule's official */
} rec_booking_rec_t;

#endif
