/* The shipped Kazakh suffix list (data/lang/kk/suffixes.txt, compiled in as
 * ot_data_kk_suffixes) on real word forms: the noun paradigm collapses to one stem, and the
 * roots that merely end like a suffix are not cut. The stemmer's own tests, with a list
 * written in the test, are tests/unit/domain/search_text.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "domain/search_text.h"

static void stem_is(const ot_kk_stemmer_t *k, const char *word, const char *want)
{
    char out[OT_WORD_MAX];
    ot_kk_stem(k, word, strlen(word), out);
    if (strcmp(out, want))
        fail_msg("%s -> %s, not %s", word, out, want);
}

static void test_paradigms(void **state)
{
    (void)state;
    char msg[128];
    ot_kk_stemmer_t *k = ot_kk_stemmer_parse(ot_data_kk_suffixes, msg, sizeof msg);
    if (!k)
        fail_msg("data/lang/kk/suffixes.txt: %s", msg);
    static const char *const rows[][2] = {
        {"жылу", "жылу"},       {"жылудың", "жылу"},
        {"жылуға", "жылу"},     {"жылуды", "жылу"},
        {"жылуда", "жылу"},     {"жылудан", "жылу"},
        {"жылумен", "жылу"},    {"жылуы", "жылу"},
        {"жылуын", "жылу"},     {"көше", "көше"},
        {"көшесі", "көше"},     {"көшеде", "көше"},
        {"көшелер", "көше"},    {"көшелерде", "көше"},
        {"жол", "жол"},         {"жолдар", "жол"},
        {"жолдың", "жол"},      {"жолы", "жол"},
        {"мектеп", "мектеп"},   {"мектепке", "мектеп"},
        {"мектепте", "мектеп"}, {"балаларымыздың", "бала"},
        {"адам", "адам"},       {"адамдар", "адам"},
        {"машина", "машина"},   {"су", "су"},
        {"судың", "су"},        {"әке", "әке"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        stem_is(k, rows[i][0], rows[i][1]);
    ot_kk_stemmer_free(k);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_paradigms)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
