/* A forward by competence as a record: the outgoing register's row, what the store keeps and
 * the use case hands out. Plain values, no I/O. */
#ifndef OT_DOMAIN_FORWARD_REC_H
#define OT_DOMAIN_FORWARD_REC_H

#include <stdint.h>

typedef struct forward_rec {
    int64_t id, appeal_id, at; /* id: read only, the forward's own */
    char number[40];
    char from_body[64], to_body[64];
    int within_term;
    char reason[512];
    char body[64], status[16], due_on[11]; /* read only: where the appeal is now */
} forward_rec_t;

#endif
