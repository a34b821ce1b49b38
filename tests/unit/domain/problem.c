/* Unit tests for src/domain/problem.c (issue 17): folding, word sets and their similarity,
 * place keys, cells and distances, the state rule, the verdict rule, the applicant key. The
 * thresholds are the defaults (the data file carries the same values; the test gives its own
 * data, none read from data/). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "domain/problem.h"

static void folding(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"Отопление, ОТОПЛЕНИЯ!", "отопление отопления"},
        {"Ёлка ёж", "елка еж"},
        {"ЖЫЛУДЫҢ Қала Әкімдігі Үй Ұя Өзен Ғимарат Һ І",
         "жылудың қала әкімдігі үй ұя өзен ғимарат һ і"},
        {"  ул. Семёнова, 5-кв.  ", "ул семенова 5 кв"},
        {"Heating MAIN #12", "heating main 12"},
        {"", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[200];
        problem_fold(cases[i].in, out, sizeof out);
        assert_string_equal(out, cases[i].out);
    }
    /* a small buffer cuts on a character boundary */
    char small[6];
    problem_fold("Отопление", small, sizeof small);
    assert_string_equal(small, "от");
}

static void words_and_similarity(void **state)
{
    (void)state;
    const problem_cfg_t *c = &problem_default_cfg;
    char a[600], b[600];
    /* stems of 5 letters: word forms meet; short words and stopwords are left out */
    assert_int_equal(
        problem_words(c, "Прошу починить отопление, в доме нет отопления!", a, sizeof a), 3);
    assert_string_equal(a, "доме отопл почин"); /* sorted, unique */
    /* a word shorter than the stem matches the longer forms it begins */
    assert_int_equal(problem_words(c, "жылу жылудың", b, sizeof b), 2);
    assert_string_equal(b, "жылу жылуд");
    assert_true(fabs(problem_similarity("жылу", "жылуд") - 1) < 1e-9);
    assert_true(fabs(problem_similarity("су", "суық") - 0) < 1e-9); /* too short to tell */

    static const struct {
        const char *x, *y;
        int same;
        const char *rule;
    } cases[] = {
        {"Теплотрасса на нашей улице в аварийном состоянии, каждую зиму порывы. Просим заменить "
         "трубы.",
         "Опять порыв теплотрассы на улице, трубы в аварийном состоянии, просим заменить.", 1,
         "a reworded complaint about the same heating main"},
        {"Уже неделю в нашем доме нет холодной воды.", "Неделю нет холодной воды в доме.", 1,
         "the same water outage"},
        {"Теплотрасса на нашей улице в аварийном состоянии, каждую зиму порывы.",
         "Во дворе не вывозят мусор, контейнеры переполнены.", 0, "a different issue"},
        {"В подъезде не работает лифт.", "На улице не горят фонари, темно.", 0,
         "nothing in common"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        problem_words(c, cases[i].x, a, sizeof a);
        problem_words(c, cases[i].y, b, sizeof b);
        double s = problem_similarity(a, b);
        if ((s >= c->similarity) != cases[i].same)
            fail_msg("%s: similarity %.3f of [%s] and [%s]", cases[i].rule, s, a, b);
    }
    assert_true(fabs(problem_similarity("", "") - 0) < 1e-9);
    assert_true(fabs(problem_similarity("a b", "a b") - 1) < 1e-9);
    assert_true(fabs(problem_similarity("a b c", "b c d e") - 2.0 * 2 / 7) < 1e-9);
}

static void places(void **state)
{
    (void)state;
    const problem_cfg_t *c = &problem_default_cfg;
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"г. Риддер, ул. Семёнова, д. 5, кв. 12", "риддер семенов 5"},
        {"Риддер, Семёнова 5", "риддер семенов 5"},
        {"г. Риддер, ул. Семенова, д. 5", "риддер семенов 5"},
        {"Риддер қаласы, Семенов көшесі, 5-үй, 12-пәтер", "риддер семенов 5"},
        {"г. Риддер, ул. Семёнова, д. 7", "риддер семенов 7"},
        /* the Russian genitive of a name and the Kazakh nominative meet (address_ends) */
        {"г. Риддер, ул. Гагарина, д. 7", "риддер гагарин 7"},
        {"Риддер қаласы, Гагарин көшесі, 7-үй", "риддер гагарин 7"},
        {"Өскемен қ., Абай даңғылы, 10", "өскемен абай 10"},
        {"г. Усть-Каменогорск, пр. Абая, 10", "усть каменогорск абай 10"},
        {"Риддер, ул. Гоголя 3", "риддер гоголь 3"},
        {"Риддер, ул. Мира 3", "риддер мира 3"},          /* no such ending */
        {"Риддер, ул. Ноя 3", "риддер ноя 3"},            /* fewer than 4 letters */
        {"Риддер, ул. Ленина 125а", "риддер ленин 125а"}, /* a number is left alone */
        {"", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[200];
        problem_place_key(c, cases[i].in, out, sizeof out);
        assert_string_equal(out, cases[i].out);
    }

    /* distances: a degree of latitude is about 111 km */
    double d = problem_distance_m(50.0, 83.0, 51.0, 83.0);
    assert_true(d > 111000 && d < 111400);
    assert_true(problem_distance_m(50.35, 83.5, 50.35, 83.5) < 1e-6);

    /* every point within distance_m lies in one of the 9 cells around a point's cell */
    const double lat = 50.3458, lon = 83.5125;
    char around[9][32];
    problem_cells_around(c, lat, lon, around);
    for (int k = 0; k < 64; k++) {
        double ang = k * 2 * 3.14159265358979 / 64, r = c->distance_m * 0.999;
        double plat = lat + r * cos(ang) / 111320.0;
        double plon = lon + r * sin(ang) / (111320.0 * cos(lat * 3.14159265358979 / 180));
        assert_true(problem_distance_m(lat, lon, plat, plon) <= c->distance_m);
        char cell[32];
        problem_cell(c, plat, plon, cell);
        int found = 0;
        for (int i = 0; i < 9; i++)
            found |= !strcmp(around[i], cell);
        if (!found)
            fail_msg("point %d at %.6f,%.6f in %s, outside the 9 cells", k, plat, plon, cell);
    }
}

static void states(void **state)
{
    (void)state;
    static const struct {
        problem_summary_t s;
        const char *expect, *rule;
    } cases[] = {
        {{1, 1, 1, "", "", 0}, "open", "being handled"},
        {{1, 0, 0, "satisfied", "", 0}, "solved_unconfirmed", "solved, no verdict"},
        {{1, 0, 0, "partly_satisfied", "partly", 0}, "solved_unconfirmed", "partly is no yes"},
        {{1, 0, 0, "satisfied", "yes", 0}, "solved_confirmed", "the citizen said yes"},
        {{1, 0, 0, "refused", "", 0}, "open", "refused: the problem is still there"},
        {{1, 0, 0, "explained", "yes", 0}, "open", "an explanation solves nothing"},
        {{1, 0, 0, "satisfied", "no", 1}, "recurring", "a no on a satisfied decision"},
        {{2, 1, 1, "", "", 1}, "recurring", "raised again within the window"},
        {{3, 0, 0, "satisfied", "", 1}, "recurring", "came back, answered, not confirmed"},
        {{3, 0, 0, "satisfied", "yes", 2}, "solved_confirmed", "came back, then confirmed"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *got = problem_state(&cases[i].s);
        if (strcmp(got, cases[i].expect))
            fail_msg("%s: %s, expected %s", cases[i].rule, got, cases[i].expect);
    }
    assert_true(problem_verdict_recurs("satisfied", "no"));
    assert_true(problem_verdict_recurs("partly_satisfied", "no"));
    assert_false(problem_verdict_recurs("refused", "no"));
    assert_false(problem_verdict_recurs("satisfied", "partly"));
    assert_false(problem_verdict_recurs("satisfied", NULL));
    assert_true(problem_decision_on_merits("explained"));
    assert_false(problem_decision_on_merits(""));
    assert_false(problem_decision_on_merits(NULL));
}

static void applicant_keys(void **state)
{
    (void)state;
    char a[320], b[320];
    problem_applicant_key("900101300123", "Иванов Иван", NULL, NULL, a, sizeof a);
    assert_string_equal(a, "id:900101300123");
    /* no IIN: the name with the phone (8 ... and +7 ... are one number) */
    problem_applicant_key(NULL, "Иванов  Иван", "8 705 123 45 67", NULL, a, sizeof a);
    problem_applicant_key("", "ИВАНОВ ИВАН", "+7 (705) 123-45-67", NULL, b, sizeof b);
    assert_string_equal(a, b);
    assert_string_equal(a, "np:иванов иван|77051234567");
    problem_applicant_key(NULL, "Иванов Иван", NULL, "Ivanov@Mail.kz", a, sizeof a);
    assert_string_equal(a, "np:иванов иван|ivanov mail kz");
    /* a name alone, or a phone alone, is no key */
    problem_applicant_key(NULL, "Иванов Иван", NULL, NULL, a, sizeof a);
    assert_string_equal(a, "");
    problem_applicant_key(NULL, NULL, "87051234567", NULL, a, sizeof a);
    assert_string_equal(a, "");
}

static void config(void **state)
{
    (void)state;
    problem_cfg_t c = problem_default_cfg;
    ot_err_t err = {0};
    assert_int_equal(problem_cfg_set(&c, "distance_m", "300", &err), OT_OK);
    assert_int_equal(c.distance_m, 300);
    assert_int_equal(problem_cfg_set(&c, "similarity", "0.5", &err), OT_OK);
    assert_true(fabs(c.similarity - 0.5) < 1e-9);
    assert_int_equal(problem_cfg_set(&c, "address_flat", "КВ Пәтер", &err), OT_OK);
    assert_string_equal(c.address_flat, "кв пәтер");
    assert_int_equal(problem_cfg_set(&c, "similarity", "1.5", &err), OT_EINVAL);
    assert_string_equal(err.code, "bad_problem_cfg");
    assert_int_equal(problem_cfg_set(&c, "distance_m", "x", &err), OT_EINVAL);
    assert_int_equal(problem_cfg_set(&c, "radius", "1", &err), OT_EINVAL);
    assert_string_equal(err.field, "radius");
    assert_int_equal(problem_cfg_set(&c, "address_ends", "ОВА>ов  ля>ль", &err), OT_OK);
    assert_string_equal(c.address_ends, "ова>ов ля>ль");
    assert_int_equal(problem_cfg_set(&c, "address_ends", "ова", &err), OT_EINVAL);
    assert_int_equal(problem_cfg_set(&c, "address_ends", ">ов", &err), OT_EINVAL);
    assert_int_equal(problem_cfg_set(&c, "address_ends", "а>б>в", &err), OT_EINVAL);
    char fp1[17], fp2[17];
    problem_place_fingerprint(&c, fp1);
    problem_place_fingerprint(&problem_default_cfg, fp2);
    assert_int_equal(strlen(fp1), 16);
    assert_true(strcmp(fp1, fp2) != 0); /* other settings, another fingerprint */

    /* concepts shared by the languages: a prefix form, whole-word forms, the longest wins */
    assert_int_equal(problem_cfg_concept(&c, "heat", "Жылу* ОТОПЛ*", &err), OT_OK);
    assert_int_equal(problem_cfg_concept(&c, "water", "су суы воды вода", &err), OT_OK);
    assert_int_equal(problem_cfg_concept(&c, "heat_main", "теплотрасс*", &err), OT_OK);
    char w[200];
    problem_words(&c, "Жылу жоқ, су жоқ; нет отопления, нет воды", w, sizeof w);
    assert_string_equal(w, "=heat =water");
    problem_words(&c, "Суреттер и сумка", w, sizeof w);
    assert_string_equal(w, "сумка сурет");
    problem_words(&c, "теплотрасса", w, sizeof w);
    assert_string_equal(w, "=heat_main");
    /* a concept matches only itself, not a concept it begins */
    assert_true(problem_similarity("=heat", "=heat_main") == 0);
    assert_true(problem_similarity("=heat", "=heat") == 1);
    assert_int_equal(problem_cfg_concept(&c, "Heat", "x", &err), OT_EINVAL);
    assert_string_equal(err.code, "bad_concept");
    assert_int_equal(problem_cfg_concept(&c, "none", " ", &err), OT_EINVAL);
    assert_int_equal(problem_cfg_concept(&c, "dash", "a-b", &err), OT_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(folding), cmocka_unit_test(words_and_similarity), cmocka_unit_test(places),
        cmocka_unit_test(states),  cmocka_unit_test(applicant_keys),       cmocka_unit_test(config),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
