/* Which appeal has which attachment: the record the store keeps and the use cases hand out
 * (plain values, no I/O; the bytes themselves are in the blob store). */
#ifndef OT_DOMAIN_ATTACHMENT_REC_H
#define OT_DOMAIN_ATTACHMENT_REC_H

#include <stdint.h>

typedef struct attachment_rec {
    int64_t appeal_id;
    char sha256[65];
    char name[256];
    char type[64];
    int64_t size;
    char added_by[32];
    int64_t created_at;
    char source_addr[64]; /* a citizen's client address (quotas); "" for staff */
} attachment_rec_t;

#endif
