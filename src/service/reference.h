/* Reference data use cases: load a region folder into the store. */
#ifndef OT_SERVICE_REFERENCE_H
#define OT_SERVICE_REFERENCE_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

typedef struct ref_counts {
    size_t bodies, districts, categories, rules;
} ref_counts_t;

/* Reads <dir>/{bodies,districts,categories,routing}.tsv, checks them (domain/region.c) and
 * writes them in one transaction, with one audit event; running it again updates the rows. */
int ref_load_region(store_t *s, const char *dir, const char *actor, int64_t now,
                    ref_counts_t *counts, ot_err_t *err);

#endif
