/* Reference data use cases: load a region folder into the store. */
#ifndef OT_SERVICE_REFERENCE_H
#define OT_SERVICE_REFERENCE_H

#include <stddef.h>
#include <stdint.h>

#include "domain/region.h"
#include "service/svc.h"

typedef struct ref_counts {
    size_t bodies, districts, categories, rules;
} ref_counts_t;

/* Reads <dir>/{bodies,districts,categories,routing}.tsv, checks them (domain/region.c) and
 * writes them in one transaction, with one audit event; running it again updates the rows. */
int ref_load_region(store_t *s, const char *dir, const char *actor, int64_t now,
                    ref_counts_t *counts, ot_err_t *err);

/* The parent of body id ("" for the root and external bodies) into parent (n bytes), inside
 * the caller's transaction; OT_ENOTFOUND (field "body") when there is no such body. */
int ref_body_parent_in(store_tx_t *tx, const char *id, char *parent, size_t n, ot_err_t *err);

/* The public reference lists (GET /api/v1/bodies, /districts, /categories), in id/code
 * order, each in one read; fn returning non-zero stops. The rows are the domain's region
 * structs; strings handed to fn live until it returns. Bodies come with their tree path. */
int ref_bodies(store_t *s, int (*fn)(const region_body_t *b, const char *path, void *arg),
               void *arg, ot_err_t *err);
int ref_districts(store_t *s, int (*fn)(const region_district_t *d, void *arg), void *arg,
                  ot_err_t *err);
int ref_categories(store_t *s, int (*fn)(const region_category_t *c, void *arg), void *arg,
                   ot_err_t *err);

#endif
