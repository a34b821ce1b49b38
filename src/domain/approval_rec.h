/* An answer held for the head's approval (issue 16): what the store keeps and the use case
 * hands out. Plain values, no I/O. */
#ifndef OT_DOMAIN_APPROVAL_REC_H
#define OT_DOMAIN_APPROVAL_REC_H

#include <stdint.h>
#include <stdlib.h>

typedef struct approval_rec {
    int64_t id, appeal_id;
    char decision[32];
    char *text, *grounds; /* malloc'd (approval_rec_free) */
    int64_t submitted_by, submitted_at;
    char submitted_on[11];
    char status[16]; /* pending, approved, returned */
    int64_t decided_by, decided_at;
    char *comment;
    /* read only, from the appeal and the users */
    char number[40], body[64], kind[16], language[4], due_on[11];
    char submitted_login[64];
} approval_rec_t;

/* A body's own settings (table body_settings), set by its head. */
typedef struct body_settings {
    int answer_approval;            /* the head approves an executor's answer before it is sent */
    int64_t updated_at, updated_by; /* 0: never set (the defaults) */
} body_settings_t;

static inline void approval_rec_free(approval_rec_t *r)
{
    free(r->text);
    free(r->grounds);
    free(r->comment);
    r->text = r->grounds = r->comment = NULL;
}

#endif
