#include "service/reference.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/region.h"
#include "service/audit.h"
#include "store/store_ref.h"
#include "util/file.h"

#define REF_FILE_MAX (8u << 20)

struct load {
    const region_t *r;
    const char *actor;
    const char *dir;
    int64_t now;
};

/* "vko/ridder/ridder.housing/": the ids from the root down, each followed by '/'. */
static int body_path(const region_t *r, size_t i, char *out, size_t n)
{
    size_t chain[32], depth = 0;
    for (size_t k = i; k != REGION_NONE && depth < 32; k = r->bodies[k].parent_idx)
        chain[depth++] = k;
    size_t used = 0;
    out[0] = '\0';
    while (depth) {
        int w = snprintf(out + used, n - used, "%s/", r->bodies[chain[--depth]].id);
        if (w < 0 || (size_t)w >= n - used)
            return -1;
        used += (size_t)w;
    }
    return 0;
}

static int load_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct load *l = arg;
    const region_t *r = l->r;
    int rc = OT_OK;
    char path[512];
    /* parents before children: insert in tree order (a parent's path is a prefix) */
    for (size_t pass = 0; pass < 32 && !rc; pass++)
        for (size_t i = 0; i < r->n_bodies && !rc; i++) {
            if (body_path(r, i, path, sizeof path))
                return ot_err(err, OT_EINVAL, "region_bad_value", "bodies.tsv",
                              "body %s is nested too deep", r->bodies[i].id);
            size_t depth = 0;
            for (const char *p = path; *p; p++)
                depth += *p == '/';
            if (depth == pass + 1)
                rc = store_body_put(tx, &r->bodies[i], path, err);
        }
    for (size_t i = 0; i < r->n_districts && !rc; i++)
        rc = store_district_put(tx, &r->districts[i], err);
    for (size_t i = 0; i < r->n_categories && !rc; i++)
        rc = store_category_put(tx, &r->categories[i], err);
    if (!rc)
        rc = store_routes_clear(tx, err);
    for (size_t i = 0; i < r->n_rules && !rc; i++)
        rc = store_route_put(tx, &r->rules[i], err);
    if (rc)
        return rc;
    json_t *d =
        json_pack("{s:s, s:I, s:I, s:I, s:I}", "dir", l->dir, "bodies", (json_int_t)r->n_bodies,
                  "districts", (json_int_t)r->n_districts, "categories",
                  (json_int_t)r->n_categories, "rules", (json_int_t)r->n_rules);
    rc = audit_append(tx, l->now, l->actor, "reference.load", "region", l->dir, d, err);
    json_decref(d);
    return rc;
}

int ref_load_region(store_t *s, const char *dir, const char *actor, int64_t now,
                    ref_counts_t *counts, ot_err_t *err)
{
    static const char *const names[4] = {"bodies.tsv", "districts.tsv", "categories.tsv",
                                         "routing.tsv"};
    char *text[4] = {0};
    size_t len[4] = {0};
    region_t *r = NULL;
    int rc = OT_OK;
    for (int i = 0; i < 4 && !rc; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        rc = file_read(path, REF_FILE_MAX, &text[i], &len[i], err);
    }
    if (!rc)
        rc = region_parse(text[0], len[0], text[1], len[1], text[2], len[2], text[3], len[3], &r,
                          err);
    if (!rc) {
        struct load l = {r, actor, dir, now};
        rc = store_write(s, load_tx, &l, err);
    }
    if (!rc && counts)
        *counts = (ref_counts_t){r->n_bodies, r->n_districts, r->n_categories, r->n_rules};
    region_free(r);
    for (int i = 0; i < 4; i++)
        free(text[i]);
    return rc;
}

/* ==== The public lists ==== */

struct bodies_walk {
    int (*fn)(const region_body_t *b, const char *path, void *arg);
    void *arg;
};
struct districts_walk {
    int (*fn)(const region_district_t *d, void *arg);
    void *arg;
};
struct categories_walk {
    int (*fn)(const region_category_t *c, void *arg);
    void *arg;
};

static int bodies_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct bodies_walk *w = arg;
    return store_body_each(tx, w->fn, w->arg, err);
}

static int districts_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct districts_walk *w = arg;
    return store_district_each(tx, w->fn, w->arg, err);
}

static int categories_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct categories_walk *w = arg;
    return store_category_each(tx, w->fn, w->arg, err);
}

int ref_bodies(store_t *s, int (*fn)(const region_body_t *b, const char *path, void *arg),
               void *arg, ot_err_t *err)
{
    struct bodies_walk w = {fn, arg};
    return store_read(s, bodies_tx, &w, err);
}

int ref_districts(store_t *s, int (*fn)(const region_district_t *d, void *arg), void *arg,
                  ot_err_t *err)
{
    struct districts_walk w = {fn, arg};
    return store_read(s, districts_tx, &w, err);
}

int ref_categories(store_t *s, int (*fn)(const region_category_t *c, void *arg), void *arg,
                   ot_err_t *err)
{
    struct categories_walk w = {fn, arg};
    return store_read(s, categories_tx, &w, err);
}

int ref_body_parent_in(store_tx_t *tx, const char *id, char *parent, size_t n, ot_err_t *err)
{
    body_info_t b;
    int rc = store_body_get(tx, id, &b, err);
    if (!rc)
        snprintf(parent, n, "%s", b.parent);
    return rc;
}
