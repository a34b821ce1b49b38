/* The shipped concept list (data/jurisdictions/kz/concepts.tsv, issue 17): a Kazakh and a
 * Russian appeal about one thing share enough concepts to be grouped into one problem at the
 * shipped similarity threshold; about different things they do not; and the short Kazakh
 * roots are whole words, not prefixes that take unrelated words. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "domain/problem.h"
#include "shipped.h"

static double sim(const char *a, const char *b)
{
    char wa[700], wb[700];
    problem_words(&kz->problems, a, wa, sizeof wa);
    problem_words(&kz->problems, b, wb, sizeof wb);
    return problem_similarity(wa, wb);
}

static void concept_is(const char *word, const char *want)
{
    char f[128], out[64];
    size_t len = problem_fold(word, f, sizeof f);
    int got = problem_concept_of(&kz->problems, f, len, out, sizeof out);
    if (!want) {
        if (got)
            fail_msg("%s: %s, expected no concept", word, out);
        return;
    }
    if (!got || strcmp(out, want))
        fail_msg("%s: %s, expected %s", word, got ? out : "none", want);
}

static void test_forms(void **state)
{
    (void)state;
    concept_is("отопления", "=heat");
    concept_is("Жылу", "=heat");
    concept_is("жылудың", "=heat");
    concept_is("су", "=water");
    concept_is("судың", "=water");
    concept_is("водой", "=water");
    concept_is("суық", "=cold");
    concept_is("сурет", NULL); /* a picture, not water */
    concept_is("жол", "=road");
    concept_is("жолдама", NULL); /* a referral, not a road */
    concept_is("дороги", "=road");
    concept_is("светофор", "=traffic_light");
    concept_is("света", "=electricity");
    concept_is("мусор", "=garbage");
    concept_is("қоқыс", "=garbage");
    concept_is("освещения", "=light");
}

static void test_across_languages(void **state)
{
    (void)state;
    double t = kz->problems.similarity;
    /* one burst heating pipe in one basement */
    const char *kk1 = "Жертөледегі жылу құбыры жарылып, жертөлені ыстық су басты.";
    const char *ru1 = "В подвале прорвало трубу отопления, подвал залило горячей водой.";
    assert_true(sim(kk1, ru1) >= t);
    /* the yard's street lights */
    const char *kk2 = "Ауладағы көше шамдары жанбайды, кешке қараңғы.";
    const char *ru2 = "Во дворе не горят фонари уличного освещения, вечером темно.";
    assert_true(sim(kk2, ru2) >= t);
    /* a pothole on the road */
    assert_true(sim("Жолда терең шұңқыр пайда болды.", "На дороге появилась глубокая яма.") >= t);
    /* the same place, other things: cold flats against a doubled heating bill, garbage */
    const char *kk3 = "Пәтерде жылу жоқ, температура 14 градустан аспайды.";
    const char *ru3 = "После установки общедомового счётчика плата за отопление выросла вдвое.";
    assert_true(sim(kk3, ru3) < t);
    assert_true(sim(kk1, "Во дворе не вывозят мусор, контейнеры переполнены.") < t);
    /* without the concepts the two languages never met */
    char wa[700], wb[700];
    problem_words(&problem_default_cfg, kk1, wa, sizeof wa);
    problem_words(&problem_default_cfg, ru1, wb, sizeof wb);
    assert_true(problem_similarity(wa, wb) < t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_forms),
                                       cmocka_unit_test(test_across_languages)};
    return cmocka_run_group_tests(tests, setup, teardown);
}
