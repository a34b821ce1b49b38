/* The shipped region (data/regions/vko/) read by the domain's parser: its bodies, routing
 * and coverage. Run from the repository root. The parser's own unit tests, with their tables
 * in the test, are tests/unit/domain/region.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/region.h"
#include "util/file.h"

#define DIR "data/regions/vko/"

static region_t *load_vko(void)
{
    static const char *const names[4] = {"bodies.tsv", "districts.tsv", "categories.tsv",
                                         "routing.tsv"};
    char *buf[4] = {0};
    size_t len[4] = {0};
    ot_err_t e;
    region_t *r = NULL;
    for (int i = 0; i < 4; i++) {
        char path[128];
        snprintf(path, sizeof path, DIR "%s", names[i]);
        if (file_read(path, 1 << 20, &buf[i], &len[i], &e) != OT_OK)
            fail_msg("%s", e.message);
    }
    if (region_parse(buf[0], len[0], buf[1], len[1], buf[2], len[2], buf[3], len[3], &r, &e))
        fail_msg("VKO data: %s (%s, %s)", e.message, e.code, e.field);
    for (int i = 0; i < 4; i++)
        free(buf[i]);
    return r;
}

typedef struct {
    const char *category, *district, *body; /* body NULL = no rule */
    const char *rule;
} route_case_t;

static const route_case_t vko_routes[] = {
    {"heating", "ridder", "ridder.housing", "local competence -> the district's division"},
    {"heating", "ukg", "ukg.housing", "local competence, regional centre"},
    {"school", "zaisan", "zaisan.education", "local education division"},
    {"public_transport", "altai", "altai.roads", "roads & transport division"},
    {"land_plots", "ridder", "ridder.land", "Ridder has its own land division"},
    {"land_plots", "samar", "samar", "no land division: the akimat itself"},
    {"stray_animals", "markakol", "markakol", "akimat decides, new district present"},
    {"polyclinic", "ridder", "vko.health", "oblast competence: '*' rule"},
    {"business_support", "ulkennaryn", "vko.entrepreneurship", "oblast competence"},
    {"crime_report", "kurchum", "vko.police", "security report -> police"},
    {"security_threat", "ukg", "vko.police", "threat to security -> police"},
    {"other", "ukg", NULL, "no rule: the caller falls back to the oblast registry"},
    {"heating", "nowhere", NULL, "unknown district"},
    {"polyclinic", "nowhere", NULL, "'*' does not cover an unknown district"},
    {"nothing", "ukg", NULL, "unknown category"},
};

static void test_vko(void **state)
{
    (void)state;
    region_t *r = load_vko();
    assert_true(r->n_bodies >= 60);
    assert_int_equal(r->n_districts, 13);
    assert_true(r->n_categories >= 25 && r->n_categories <= 35);
    assert_string_equal(r->bodies[r->root_idx].id, "vko");

    for (size_t i = 0; i < sizeof vko_routes / sizeof *vko_routes; i++) {
        const route_case_t *c = &vko_routes[i];
        const char *got = region_route(r, c->category, c->district);
        if (c->body ? !got || strcmp(got, c->body) != 0 : got != NULL)
            fail_msg("route %s/%s (%s): got %s, want %s", c->category, c->district, c->rule,
                     got ? got : "NULL", c->body ? c->body : "NULL");
    }
    assert_null(region_route(r, NULL, "ukg"));

    const region_body_t *b = region_body(r, "ridder.housing");
    assert_non_null(b);
    assert_int_equal(b->type, REGION_LOCAL_DEPARTMENT);
    assert_string_equal(r->bodies[b->parent_idx].id, "ridder");
    assert_int_equal(b->workday_end_min, 18 * 60 + 30);
    b = region_body(r, "markakol.housing");
    assert_int_equal(b->workday_end_min, 18 * 60); /* the per-body 18:00 example */
    b = region_body(r, "vko.police");
    assert_int_equal(b->type, REGION_EXTERNAL);
    assert_null(b->parent);
    assert_string_equal(region_body(r, "vko.apparat")->type_name, "apparat");

    const region_district_t *d = region_district(r, "ridder");
    assert_non_null(d);
    assert_string_equal(d->type, "city");
    assert_string_equal(r->bodies[d->akimat_idx].id, "ridder");
    assert_true(d->has_coords && d->lat > 50 && d->lat < 51);
    assert_non_null(region_district(r, "ulkennaryn"));

    const region_category_t *c = region_category(r, "crime_report");
    assert_non_null(c);
    assert_int_equal(c->security_report, 1);
    assert_int_equal(region_category(r, "heating")->competence, REGION_LOCAL);

    /* Every local-competence category is written out for every district; every
     * category except "other" routes from everywhere. */
    for (size_t i = 0; i < r->n_categories; i++)
        for (size_t j = 0; j < r->n_districts; j++) {
            const region_category_t *cat = &r->categories[i];
            int has_district_rule = 0;
            for (size_t k = 0; k < r->n_rules; k++)
                has_district_rule |= r->rules[k].category_idx == i && r->rules[k].district_idx == j;
            if (cat->competence == REGION_LOCAL && !has_district_rule)
                fail_msg("local category %s has no rule for %s", cat->code, r->districts[j].code);
            if (strcmp(cat->code, "other") != 0 &&
                !region_route(r, cat->code, r->districts[j].code))
                fail_msg("category %s does not route from %s", cat->code, r->districts[j].code);
        }
    region_free(r);
    region_free(NULL);
}

/* ==== Small inline tables ==== */

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vko),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
