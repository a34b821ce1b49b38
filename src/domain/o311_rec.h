/* The public view of an appeal filed over Open311 (no personal data of the applicant) and
 * the filter of GET requests. Plain values, no I/O: the store fills them, the service hands
 * them to the Open311 adapter. */
#ifndef OT_DOMAIN_O311_REC_H
#define OT_DOMAIN_O311_REC_H

#include <stdint.h>

#define O311_MAX_CODES 64 /* service codes in one GET requests filter */

/* One public row. text, address and media_url are malloc'd and owned by the record: free
 * them with o311_rec_free. */
typedef struct o311_rec {
    char number[40];
    char status[16];            /* the appeal's status (registered ... not_considered) */
    char category[64];          /* the service code */
    char category_name[3][256]; /* kk, ru, en */
    char body_name[3][256];     /* kk, ru, en: agency_responsible */
    char jurisdiction[8];
    int workday_end_min; /* of the body: expected_datetime is due_on at this time */
    char *text, *address, *media_url;
    char address_id[128];
    int has_coords;
    double lat, lon;
    int64_t received_at, updated_at, answered_at, closed_at;
    char due_on[11];
    char decision[20];
    char terminate_reason[32];
} o311_rec_t;

void o311_rec_free(o311_rec_t *r);

/* One public change of an Open311 request (mySociety's servicerequestupdates extension): the
 * audit event that made it. description is malloc'd by the service (public text in the
 * appeal's language, personal data masked). */
typedef struct o311_update {
    int64_t id; /* the event's seq: stable, ordered */
    int64_t at;
    char number[40];
    char action[32];        /* appeal.register, appeal.forward, ... */
    char to_status[16];     /* the appeal's status after it */
    char language[4];       /* of the appeal */
    char jurisdiction[8];   /* of the appeal */
    char detail[64];        /* forward: the new body's name is in body_name; extend: the date */
    char body_name[2][256]; /* forward: kk, ru names of the body it went to */
    char decision[20];      /* answer */
    char *answer;           /* answer: the answer text (malloc'd by the store) */
    char *description;      /* set by the service */
} o311_update_t;

/* GET requests: codes (n_codes 0 = every service), open/closed, requested_datetime in
 * [from, to] (microseconds), newest first, limit/offset. */
typedef struct o311_filter {
    const char *codes[O311_MAX_CODES];
    int n_codes;
    int want_open, want_closed;
    int64_t from, to;
    int limit, offset;
} o311_filter_t;

#endif
