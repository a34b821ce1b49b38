/* Repository: reference data (bodies, districts, categories, routing rules). Rows are the
 * domain's region structs; strings handed to callbacks live until the callback returns. */
#ifndef OT_STORE_REF_H
#define OT_STORE_REF_H

#include "domain/region.h"
#include "store/store.h"

/* Inserts or updates one row (keyed by id/code). path is the body's tree path ("vko/ridder/"). */
int store_body_put(store_tx_t *tx, const region_body_t *b, const char *path, ot_err_t *err);
int store_district_put(store_tx_t *tx, const region_district_t *d, ot_err_t *err);
int store_category_put(store_tx_t *tx, const region_category_t *c, ot_err_t *err);
/* Routing rules are replaced as a whole: clear, then put each. */
int store_routes_clear(store_tx_t *tx, ot_err_t *err);
int store_route_put(store_tx_t *tx, const region_rule_t *r, ot_err_t *err);

/* Walks in id/code order; fn returning non-zero stops. Bodies come with their path. */
int store_body_each(store_tx_t *tx, int (*fn)(const region_body_t *b, const char *path, void *arg),
                    void *arg, ot_err_t *err);
int store_district_each(store_tx_t *tx, int (*fn)(const region_district_t *d, void *arg), void *arg,
                        ot_err_t *err);
int store_category_each(store_tx_t *tx, int (*fn)(const region_category_t *c, void *arg), void *arg,
                        ot_err_t *err);

/* One body's scheduling facts. OT_ENOTFOUND (field "body") when there is no such body. */
typedef struct body_info {
    char id[64];
    char parent[64]; /* "" for the root and external bodies */
    char path[256];
    char jurisdiction[8];
    int workday_end_min;
    char name_ru[256];
    char name_kk[256];  /* the name in Kazakh, for notices in the applicant's language */
    char type[24];      /* "department", "external", ... */
    char superior[256]; /* external bodies: to whom their violations are reported */
} body_info_t;
int store_body_get(store_tx_t *tx, const char *id, body_info_t *out, ot_err_t *err);

/* A category's routing facts; OT_ENOTFOUND (field "category") when unknown. */
int store_category_get(store_tx_t *tx, const char *code, int *security_report, ot_err_t *err);
/* OT_ENOTFOUND (field "district") when unknown. */
int store_district_check(store_tx_t *tx, const char *code, ot_err_t *err);
/* The root of the body tree (the oblast akimat): the registry for appeals with no rule. */
int store_body_root(store_tx_t *tx, char *out, size_t n, ot_err_t *err);

/* *yes = 1 when some body of the region follows jurisdiction code (a jurisdiction no body
 * follows has nothing to sweep). */
int store_juris_has_bodies(store_tx_t *tx, const char *code, int *yes, ot_err_t *err);

/* What a new appeal's intake reads of the references, in one statement (PostgreSQL: one round
 * trip instead of four; issue 19 point 7): the category's routing facts as
 * store_category_get (OT_ENOTFOUND, field "category", when unknown), then a district given
 * (non-empty) checked as store_district_check, then the competent body for category +
 * district (a district rule wins over "*"; district NULL or "" for none) into routed, or ""
 * when no rule applies, and that body's row into *body as store_body_get (body may be NULL;
 * body->id "" when there is no rule or no such body). */
int store_intake_refs(store_tx_t *tx, const char *category, const char *district,
                      int *security_report, char *routed, size_t n, body_info_t *body,
                      ot_err_t *err);

#endif
