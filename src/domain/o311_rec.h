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
