/* An Open311 client application's API key as listed (never the key nor its hash). Plain
 * values, no I/O. */
#ifndef OT_DOMAIN_APIKEY_REC_H
#define OT_DOMAIN_APIKEY_REC_H

#include <stdint.h>

typedef struct apikey_rec {
    int64_t id;
    char name[128];
    int64_t created_at, revoked_at; /* revoked_at 0: active */
} apikey_rec_t;

#endif
