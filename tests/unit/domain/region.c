/* Unit tests for src/domain/region.c: the real VKO data and small broken tables.
 * Run from the repository root (reads data/regions/vko/). */
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

static const char BODIES[] =
    "id\tparent\ttype\tname_kk\tname_ru\tname_en\tworkday_end\tjurisdiction\tnote\n"
    "obl\t-\toblast_akimat\tОблыс\tОбласть\tOblast\t18:30\tkz\t\n"
    "obl.health\tobl\tdepartment\tДенсаулық\tЗдравоохранение\tHealth\t18:30\tkz\t\n"
    "town\tobl\tcity_akimat\tҚала\tГород\tTown\t18:00\tkz\t\n"
    "town.housing\ttown\tlocal_department\tТКШ\tЖКХ\tHousing\t18:00\tkz\t\n"
    "police\t-\texternal\tПолиция\tПолиция\tPolice\t18:30\tkz\t\n";
static const char DISTRICTS[] = "code\ttype\tname_kk\tname_ru\tname_en\tcentre_ru\takimat\tnote\n"
                                "town\tcity\tҚала\tГород\tTown\tГород\ttown\t\n"
                                "vill\tdistrict\tАудан\tРайон\tDistrict\tСело\ttown\t\n";
static const char CATEGORIES[] =
    "code\tgroup\tname_kk\tname_ru\tname_en\tcompetence\tsecurity_report\tkeywords\n"
    "heating\thousing\tЖылу\tОтопление\tHeating\tlocal\t0\tотопление,жылу\n"
    "clinic\thealth\tЕмхана\tПоликлиника\tClinic\toblast\t0\t\n"
    "crime\tpublic_order\tҚылмыс\tПреступление\tCrime\toblast\t1\t\n";
static const char ROUTING[] = "category\tdistrict\tbody\tnote\n"
                              "heating\ttown\ttown.housing\t\n"
                              "heating\t*\tobl\tfallback for other districts\n"
                              "clinic\t*\tobl.health\t\n"
                              "crime\t*\tpolice\t\n";

static void test_inline_ok(void **state)
{
    (void)state;
    region_t *r = NULL;
    ot_err_t e;
    int rc = region_parse(BODIES, strlen(BODIES), DISTRICTS, strlen(DISTRICTS), CATEGORIES,
                          strlen(CATEGORIES), ROUTING, strlen(ROUTING), &r, &e);
    if (rc)
        fail_msg("%s", e.message);
    /* A rule for the district wins over '*', whatever the order of the rows. */
    assert_string_equal(region_route(r, "heating", "town"), "town.housing");
    assert_string_equal(region_route(r, "heating", "vill"), "obl");
    assert_string_equal(region_route(r, "crime", "vill"), "police");
    assert_int_equal(r->n_bodies, 5);
    assert_int_equal(r->root_idx, 0);
    assert_false(r->districts[0].has_coords);
    region_free(r);
}

/* One broken table replaces its good counterpart. */
typedef struct {
    const char *bodies, *districts, *categories, *routing;
    const char *code, *field, *in_message;
    const char *rule;
} bad_case_t;

#define B_HEAD   "id\tparent\ttype\tname_kk\tname_ru\tname_en\tworkday_end\tjurisdiction\tnote\n"
#define B_OBL    "obl\t-\toblast_akimat\tОблыс\tОбласть\tOblast\t18:30\tkz\t\n"
#define B_TOWN   "town\tobl\tcity_akimat\tҚала\tГород\tTown\t18:00\tkz\t\n"
#define B_POLICE "police\t-\texternal\tПолиция\tПолиция\tPolice\t18:30\tkz\t\n"
#define R_HEAD   "category\tdistrict\tbody\tnote\n"

static const bad_case_t bad_cases[] = {
    {B_HEAD B_OBL B_TOWN "x\tnope\tdepartment\tА\tБ\tC\t18:30\tkz\t\n" B_POLICE, NULL, NULL, NULL,
     "region_unknown_ref", "bodies.tsv:4:parent", "parent 'nope'", "missing parent"},
    {B_HEAD B_OBL B_TOWN "a\tb\tdepartment\tА\tБ\tC\t18:30\tkz\t\n"
                         "b\ta\tdepartment\tА\tБ\tC\t18:30\tkz\t\n" B_POLICE,
     NULL, NULL, NULL, "region_cycle", "bodies.tsv:4:parent", "cycle", "cycle a -> b -> a"},
    {B_HEAD B_OBL B_TOWN "s\ts\tdepartment\tА\tБ\tC\t18:30\tkz\t\n" B_POLICE, NULL, NULL, NULL,
     "region_cycle", "bodies.tsv:4:parent", "cycle", "body is its own parent"},
    {B_HEAD B_OBL "obl2\t-\toblast_akimat\tА\tБ\tC\t18:30\tkz\t\n" B_TOWN B_POLICE, NULL, NULL,
     NULL, "region_root", "bodies.tsv:3:parent", "second root", "two roots"},
    {B_HEAD B_POLICE, NULL, NULL, NULL, "region_root", "bodies.tsv:1:parent",
     "no body has parent '-'", "no root (an external body does not count)"},
    {B_HEAD B_OBL B_TOWN B_TOWN B_POLICE, NULL, NULL, NULL, "region_duplicate", "bodies.tsv:4:id",
     "'town' appears twice", "duplicate id"},
    {B_HEAD B_OBL "town\tobl\tcity_akimat\tҚала\tГород\tTown\t18:60\tkz\t\n" B_POLICE, NULL, NULL,
     NULL, "region_bad_value", "bodies.tsv:3:workday_end", "HH:MM", "minute 60"},
    {B_HEAD B_OBL "town\tobl\tcity_akimat\tҚала\tГород\tTown\t6:30\tkz\t\n" B_POLICE, NULL, NULL,
     NULL, "region_bad_value", "bodies.tsv:3:workday_end", "HH:MM", "H:MM"},
    {B_HEAD B_OBL "town\tobl\ttown_hall\tҚала\tГород\tTown\t18:00\tkz\t\n" B_POLICE, NULL, NULL,
     NULL, "region_bad_value", "bodies.tsv:3:type", "town_hall", "unknown type"},
    {B_HEAD B_OBL "town\tobl\tcity_akimat\t \tГород\tTown\t18:00\tkz\t\n" B_POLICE, NULL, NULL,
     NULL, "region_bad_value", "bodies.tsv:3:name_kk", "required", "blank name"},
    {B_HEAD B_OBL "town\tobl\tcity_akimat\t\xD0\tГород\tTown\t18:00\tkz\t\n" B_POLICE, NULL, NULL,
     NULL, "region_bad_value", "bodies.tsv:3:name_kk", "UTF-8", "invalid UTF-8"},
    {B_HEAD B_OBL "Town\tobl\tcity_akimat\tҚала\tГород\tTown\t18:00\tkz\t\n" B_POLICE, NULL, NULL,
     NULL, "region_bad_value", "bodies.tsv:3:id", "'Town'", "upper-case id"},
    {B_HEAD B_OBL B_TOWN "police\tobl\texternal\tП\tП\tP\t18:30\tkz\t\n", NULL, NULL, NULL,
     "region_bad_value", "bodies.tsv:4:parent", "external", "external body with a parent"},
    {B_HEAD B_OBL B_TOWN B_POLICE "x\tpolice\tdepartment\tА\tБ\tC\t18:30\tkz\t\n", NULL, NULL, NULL,
     "region_bad_value", "bodies.tsv:5:parent", "external", "child of an external"},
    {NULL,
     "code\ttype\tname_kk\tname_ru\tname_en\tcentre_ru\takimat\tnote\n"
     "town\tcity\tҚ\tГ\tT\tГ\tghost\t\n",
     NULL, NULL, "region_unknown_ref", "districts.tsv:2:akimat", "'ghost'", "unknown akimat"},
    {NULL,
     "code\ttype\tname_kk\tname_ru\tname_en\tcentre_ru\takimat\tnote\n"
     "town\tcity\tҚ\tГ\tT\tГ\tobl.health\t\n",
     NULL, NULL, "region_bad_value", "districts.tsv:2:akimat", "not a city or district akimat",
     "akimat is a department"},
    {NULL,
     "code\ttype\tname_kk\tname_ru\tname_en\tcentre_ru\takimat\tnote\n"
     "town\tvillage\tҚ\tГ\tT\tГ\ttown\t\n",
     NULL, NULL, "region_bad_value", "districts.tsv:2:type", "'village'", "district type"},
    {NULL,
     "code\ttype\tname_kk\tname_ru\tname_en\tcentre_ru\takimat\tnote\tlat\tlon\n"
     "town\tcity\tҚ\tГ\tT\tГ\ttown\t\t91\t82\n",
     NULL, NULL, "region_bad_value", "districts.tsv:2:lat", "latitude", "latitude > 90"},
    {NULL, "code\ttype\tname_kk\tname_ru\tname_en\tcentre_ru\takimat\n", NULL, NULL,
     "tsv_missing_column", "districts.tsv:1", "'note'", "missing column"},
    {NULL, NULL,
     "code\tgroup\tname_kk\tname_ru\tname_en\tcompetence\tsecurity_report\tkeywords\n"
     "heating\thousing\tЖ\tО\tH\tcity\t0\t\n",
     NULL, "region_bad_value", "categories.tsv:2:competence", "'city'", "bad competence"},
    {NULL, NULL,
     "code\tgroup\tname_kk\tname_ru\tname_en\tcompetence\tsecurity_report\tkeywords\n"
     "heating\thousing\tЖ\tО\tH\tlocal\tyes\t\n",
     NULL, "region_bad_value", "categories.tsv:2:security_report", "'yes'", "flag not 0/1"},
    {NULL, NULL, NULL, R_HEAD "heating\ttown\ttown.housing\t\nboiler\ttown\ttown.housing\t\n",
     "region_unknown_ref", "routing.tsv:3:category", "'boiler'", "unknown category"},
    {NULL, NULL, NULL, R_HEAD "heating\tcity\ttown.housing\t\n", "region_unknown_ref",
     "routing.tsv:2:district", "'city'", "unknown district"},
    {NULL, NULL, NULL, R_HEAD "heating\ttown\ttown.gas\t\n", "region_unknown_ref",
     "routing.tsv:2:body", "'town.gas'", "unknown body"},
    {NULL, NULL, NULL, R_HEAD "heating\t*\tobl\t\nheating\t*\tobl.health\t\n", "region_duplicate",
     "routing.tsv:3:district", "line 2", "same category + district twice"},
    {NULL, NULL, NULL, R_HEAD "crime\ttown\tpolice\t\n", "region_unrouted",
     "routing.tsv:1:category", "'vill'", "security report with no rule for one district"},
    {NULL, NULL, NULL, R_HEAD "heating\ttown\n", "tsv_fields", "routing.tsv:2", "2 fields",
     "wrong number of fields"},
};

static void test_broken(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad_cases / sizeof *bad_cases; i++) {
        const bad_case_t *c = &bad_cases[i];
        const char *b = c->bodies ? c->bodies : BODIES;
        const char *d = c->districts ? c->districts : DISTRICTS;
        const char *k = c->categories ? c->categories : CATEGORIES;
        const char *u = c->routing ? c->routing : ROUTING;
        region_t *r = NULL;
        ot_err_t e;
        ot_err_clear(&e);
        int rc = region_parse(b, strlen(b), d, strlen(d), k, strlen(k), u, strlen(u), &r, &e);
        if (rc != OT_EINVAL || r)
            fail_msg("case %zu (%s): status %d", i, c->rule, rc);
        if (strcmp(e.code, c->code) != 0 || strcmp(e.field, c->field) != 0 ||
            !strstr(e.message, c->in_message))
            fail_msg("case %zu (%s): got %s %s '%s'", i, c->rule, e.code, e.field, e.message);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vko),
        cmocka_unit_test(test_inline_ok),
        cmocka_unit_test(test_broken),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
