/* Unit tests for src/domain/region.c with small tables given in the test (the shipped VKO
 * data: tests/unit/data/region.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/region.h"

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
        cmocka_unit_test(test_inline_ok),
        cmocka_unit_test(test_broken),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
