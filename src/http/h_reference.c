/* Public reference data: GET /api/v1/bodies, /districts, /categories. */
#include <stdio.h>

#include "http/handlers.h"
#include "service/reference.h"

static json_t *names(const char *kk, const char *ru, const char *en)
{
    return json_pack("{s:s, s:s, s:s}", "kk", kk, "ru", ru, "en", en);
}

static int add_body(const region_body_t *b, const char *path, void *arg)
{
    (void)path;
    int h = b->workday_end_min / 60, m = b->workday_end_min % 60;
    json_t *w = json_sprintf("%02d:%02d", h, m);
    json_array_append_new(arg, json_pack("{s:s, s:s?, s:s, s:o, s:o, s:s}", "id", b->id, "parent",
                                         b->parent, "type", b->type_name, "name",
                                         names(b->name_kk, b->name_ru, b->name_en), "workday_end",
                                         w, "jurisdiction", b->jurisdiction));
    return 0;
}

static int add_district(const region_district_t *d, void *arg)
{
    json_t *o = json_pack("{s:s, s:s, s:o, s:s}", "code", d->code, "type", d->type, "name",
                          names(d->name_kk, d->name_ru, d->name_en), "akimat", d->akimat);
    if (d->has_coords) {
        json_object_set_new(o, "lat", json_real(d->lat));
        json_object_set_new(o, "lon", json_real(d->lon));
    }
    json_array_append_new(arg, o);
    return 0;
}

static int add_category(const region_category_t *c, void *arg)
{
    json_array_append_new(
        arg, json_pack("{s:s, s:s, s:o, s:s, s:b, s:s}", "code", c->code, "group", c->group, "name",
                       names(c->name_kk, c->name_ru, c->name_en), "competence",
                       c->competence == REGION_LOCAL ? "local" : "oblast", "security_report",
                       c->security_report, "keywords", c->keywords ? c->keywords : ""));
    return 0;
}

/* Reference data change only when an operator loads a region again (`otinish init`): the
 * rendered lists are kept for a few seconds. */
#define REFERENCE_TTL_US (5 * 1000000LL)

/* One of the service's lists (ref_bodies, ...) through its walker, rendered under key. */
static void list(http_req_t *req, int (*walk)(store_t *s, void *arg, ot_err_t *err),
                 const char *key)
{
    char ck[32];
    snprintf(ck, sizeof ck, "reference:%s", key);
    if (http_reply_from_cache(req, ck))
        return;
    if (http_set_aside(req)) /* the refill reads the store: on PostgreSQL, not here */
        return;
    json_t *a = json_array();
    ot_err_t err;
    if (walk(req->app->svc.store, a, &err)) {
        json_decref(a);
        http_reply_err(req, &err);
        return;
    }
    http_reply_json_cached(req, 200, json_pack("{s:o}", key, a), ck, REFERENCE_TTL_US);
}

static int bodies(store_t *s, void *arg, ot_err_t *err)
{
    return ref_bodies(s, add_body, arg, err);
}

static int districts(store_t *s, void *arg, ot_err_t *err)
{
    return ref_districts(s, add_district, arg, err);
}

static int categories(store_t *s, void *arg, ot_err_t *err)
{
    return ref_categories(s, add_category, arg, err);
}

void h_bodies(http_req_t *req)
{
    list(req, bodies, "bodies");
}

void h_districts(http_req_t *req)
{
    list(req, districts, "districts");
}

void h_categories(http_req_t *req)
{
    list(req, categories, "categories");
}
