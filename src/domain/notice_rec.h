/* One notice's record (an outbox row) as the staff see it on an appeal (issue 16): channel,
 * attempts and outcome. Plain values, no I/O. */
#ifndef OT_DOMAIN_NOTICE_REC_H
#define OT_DOMAIN_NOTICE_REC_H

#include <stdint.h>

typedef struct outbox_notice {
    int64_t id, attempts, created_at, sent_at;
    char channel[16]; /* email, sms, post, staff, none */
    char template_name[48], language[4];
    char status[16]; /* pending, sending, sent, failed, print */
    char last_error[256];
    char staff[32]; /* "user:ID" for a staff notice, "" for the applicant's */
} outbox_notice_t;

#endif
