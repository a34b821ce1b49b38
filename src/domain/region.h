/* The reference data of a region (data/regions/CODE/, four TSV files): its bodies (the tree of the
 * oblast akimat, its departments, the city and district akimats and their departments, plus
 * external bodies such as the police), its districts, the categories of appeals, and the
 * routing rules category + district -> competent body.
 *
 * region_parse builds the model from the four texts and checks its integrity; everything
 * is pure (the caller reads the files). All strings of a region_t point into copies owned
 * by the region_t and live until region_free. Bodies, districts, categories and rules are
 * kept in file order; an index such as parent_idx is a position in the matching array. */
#ifndef OT_DOMAIN_REGION_H
#define OT_DOMAIN_REGION_H

#include <stddef.h>

#include "util/err.h"

/* No index (root body's parent, a "*" rule's district). */
#define REGION_NONE ((size_t)-1)

typedef enum region_body_type {
    REGION_OBLAST_AKIMAT,
    REGION_APPARAT,
    REGION_DEPARTMENT,
    REGION_CITY_AKIMAT,
    REGION_DISTRICT_AKIMAT,
    REGION_LOCAL_DEPARTMENT,
    REGION_EXTERNAL, /* outside the akimat system (police): not in the body tree */
} region_body_type_t;

typedef struct region_body {
    const char *id;     /* short stable ASCII code, e.g. "ridder.housing" */
    const char *parent; /* parent id, NULL for the root and for external bodies */
    size_t parent_idx;  /* index in region_t.bodies, REGION_NONE when parent is NULL */
    region_body_type_t type;
    const char *type_name; /* as in the file, e.g. "local_department" */
    const char *name_kk, *name_ru, *name_en;
    const char *workday_end;  /* "HH:MM" as in the file */
    int workday_end_min;      /* the same in minutes after midnight (АППК art. 64(3) cut-off) */
    const char *jurisdiction; /* e.g. "kz" */
    const char *note;         /* may be "" */
    /* external bodies: their own superior, to whom their violations are reported (the
     * akimat does not discipline them); NULL when the file has no such column */
    const char *superior;
} region_body_t;

typedef struct region_district {
    const char *code; /* e.g. "ridder" */
    const char *type; /* "city" (of regional significance) or "district" */
    const char *name_kk, *name_ru, *name_en;
    const char *centre_ru;
    const char *akimat; /* body id of its akimat */
    size_t akimat_idx;
    int has_coords; /* lat/lon given (columns optional, "-" or "" = unknown) */
    double lat, lon;
    const char *note;
} region_district_t;

typedef enum region_competence {
    REGION_LOCAL,  /* the district's own akimat or its department */
    REGION_OBLAST, /* a department of the oblast akimat */
} region_competence_t;

typedef struct region_category {
    const char *code;  /* e.g. "heating" */
    const char *group; /* e.g. "housing" */
    const char *name_kk, *name_ru, *name_en;
    region_competence_t competence;
    int security_report;  /* 1: a report of a crime or a threat to security, considered even
                             when anonymous and forwarded at once (docs/law.md 1.7) */
    const char *keywords; /* comma-separated, may be "" */
} region_category_t;

typedef struct region_rule {
    const char *category;
    const char *district; /* a district code or "*" */
    const char *body;
    size_t category_idx, district_idx /* REGION_NONE for "*" */, body_idx;
    const char *note;
} region_rule_t;

typedef struct region {
    region_body_t *bodies;
    size_t n_bodies;
    size_t root_idx; /* the one body with no parent that is not external (oblast akimat) */
    region_district_t *districts;
    size_t n_districts;
    region_category_t *categories;
    size_t n_categories;
    region_rule_t *rules;
    size_t n_rules;
    void *priv; /* the parsed tables the strings point into */
} region_t;

/* Parses the four tables (texts need not be NUL-terminated and may be freed after the call)
 * and checks them:
 *  - bodies.tsv: columns id parent type name_kk name_ru name_en workday_end jurisdiction
 *    note; ids unique ASCII [a-z0-9._-]; type one of oblast_akimat, apparat, department,
 *    city_akimat, district_akimat, local_department, external; parent "-" or an existing
 *    id; external bodies have parent "-"; exactly one other body has parent "-" (the
 *    root); no cycles; workday_end HH:MM; names valid UTF-8 and not blank;
 *  - districts.tsv: code type name_kk name_ru name_en centre_ru akimat note [lat lon];
 *    unique codes; type city or district; akimat an existing city or district akimat;
 *  - categories.tsv: code group name_kk name_ru name_en competence security_report
 *    keywords; unique codes; competence local or oblast; security_report 0 or 1;
 *  - routing.tsv: category district body note; existing category, district (or "*") and
 *    body; no pair category + district twice; every security_report category routes
 *    somewhere from every district.
 * On success *out is a new region the caller frees with region_free. On failure returns
 * OT_EINVAL with err->field "file:line:column" (e.g. "bodies.tsv:12:parent") and a message
 * naming the same; codes: tsv_* (see util/tsv.h), region_duplicate, region_bad_value,
 * region_unknown_ref, region_root, region_cycle, region_unrouted. */
int region_parse(const char *bodies, size_t bodies_len, const char *districts, size_t districts_len,
                 const char *categories, size_t categories_len, const char *routing,
                 size_t routing_len, region_t **out, ot_err_t *err);

/* Frees r and all its strings; NULL is allowed. */
void region_free(region_t *r);

/* The competent body id for an appeal of category in district: a rule for that district
 * wins over a "*" rule. NULL when no rule applies (the caller falls back to the oblast
 * akimat's registry) or category/district is NULL or unknown. The string belongs to r. */
const char *region_route(const region_t *r, const char *category, const char *district);

/* Lookups by code; NULL if absent. */
const region_body_t *region_body(const region_t *r, const char *id);
const region_district_t *region_district(const region_t *r, const char *code);
const region_category_t *region_category(const region_t *r, const char *code);

#endif
