/* Unit tests for src/domain/search_text.c: folding, words, the Russian (Snowball) and Kazakh
 * (suffix list given here) stems, queries in either language, fragments. The shipped suffix
 * list is tested by tests/unit/data/search_kk.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "domain/search_text.h"

/* a small list in the shipped format: enough for the forms below */
static const char LIST[] = "# test list\n"
                           "min_stem 2\n"
                           "vowels а ә е о ө у ұ ү ы і\n"
                           "case ның нің дың дің тың тің\n"
                           "case ға ге қа ке\n"
                           "case да де та те\n"
                           "case дан ден мен\n"
                           "possessive ы і сы сі\n"
                           "plural лар лер дар дер\n";

static ot_kk_stemmer_t *KK;
static ot_analyzer_t *AN;

static int setup(void **state)
{
    (void)state;
    char msg[128];
    KK = ot_kk_stemmer_parse(LIST, msg, sizeof msg);
    AN = KK ? ot_analyzer_new(KK) : NULL;
    return AN ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    ot_analyzer_free(AN);
    ot_kk_stemmer_free(KK);
    return 0;
}

static void fold(const char *in, char *out)
{
    size_t pos = 0;
    ot_word_t w;
    assert_true(ot_next_word(in, strlen(in), &pos, &w));
    strcpy(out, w.folded);
}

static void test_folding(void **state)
{
    (void)state;
    static const char *const rows[][2] = {
        {"ОТОПЛЕНИЕ", "отопление"}, {"ЁЛКА", "елка"}, {"ӘКІМДІК", "әкімдік"},
        {"ҒҰМЫР", "ғұмыр"},         {"ҚАЛА", "қала"}, {"ҢҮҺӨ", "ңүһө"},
        {"Water", "water"},         {"Ұлы", "ұлы"},   {"ІЗ", "із"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char out[OT_WORD_MAX];
        fold(rows[i][0], out);
        if (strcmp(out, rows[i][1]))
            fail_msg("%s folded to %s, not %s", rows[i][0], out, rows[i][1]);
    }
}

static void test_words(void **state)
{
    (void)state;
    const char *t = "Нет отопления, д.5/2; «Жылу» — 12°C!";
    const char *want[] = {"нет", "отопления", "д", "5", "2", "жылу", "12", "c"};
    size_t pos = 0, k = 0;
    ot_word_t w;
    while (ot_next_word(t, strlen(t), &pos, &w)) {
        assert_true(k < sizeof want / sizeof want[0]);
        assert_string_equal(w.folded, want[k]);
        assert_true(w.end > w.start);
        k++;
    }
    assert_int_equal(k, sizeof want / sizeof want[0]);
    /* offsets point at the original bytes */
    pos = 0;
    ot_next_word(t, strlen(t), &pos, &w);
    ot_next_word(t, strlen(t), &pos, &w);
    assert_int_equal(w.end - w.start, strlen("отопления"));
    assert_memory_equal(t + w.start, "отопления", w.end - w.start);
    /* bad UTF-8 separates and does not crash */
    const char bad[] = "аб\xff\xfeвг\xd0";
    pos = 0;
    k = 0;
    while (ot_next_word(bad, sizeof bad - 1, &pos, &w))
        k++;
    assert_int_equal(k, 2);
}

static void stem(int lang, const char *word, char *out)
{
    ot_word_t w;
    size_t pos = 0;
    assert_true(ot_next_word(word, strlen(word), &pos, &w));
    char st[2][OT_WORD_MAX];
    size_t sl[2];
    ot_stems(AN, lang, &w, st, sl);
    strcpy(out, st[0]);
}

/* every form of a group has the stem of the first */
static void same_stem(int lang, const char *const *forms, size_t n)
{
    char s0[OT_WORD_MAX], s[OT_WORD_MAX];
    stem(lang, forms[0], s0);
    for (size_t i = 1; i < n; i++) {
        stem(lang, forms[i], s);
        if (strcmp(s, s0))
            fail_msg("%s -> %s but %s -> %s", forms[0], s0, forms[i], s);
    }
}

static void test_russian(void **state)
{
    (void)state;
    const char *const heat[] = {"отопление", "отопления", "отоплением", "отоплению", "Отоплении"};
    same_stem(OT_LANG_RU, heat, 5);
    const char *const roof[] = {"крыша", "крыши", "крышу", "крышей"};
    same_stem(OT_LANG_RU, roof, 4);
    const char *const road[] = {"дорога", "дороги", "дорогу", "дорогой", "дорог"};
    same_stem(OT_LANG_RU, road, 5);
    char a[OT_WORD_MAX], b[OT_WORD_MAX];
    stem(OT_LANG_RU, "отопление", a);
    stem(OT_LANG_RU, "освещение", b);
    assert_string_not_equal(a, b);
}

static void test_kazakh(void **state)
{
    (void)state;
    const char *const heat[] = {"жылу", "жылудың", "жылуға", "жылуда", "жылудан", "жылуы"};
    same_stem(OT_LANG_KK, heat, 6);
    const char *const city[] = {"қала", "қаласы", "қалада", "қалалар", "қалалардың"};
    same_stem(OT_LANG_KK, city, 5);
    const char *const house[] = {"үй", "үйде", "үйі", "үйлер"};
    same_stem(OT_LANG_KK, house, 4);
    char s[OT_WORD_MAX];
    stem(OT_LANG_KK, "жылудың", s);
    assert_string_equal(s, "#жылу");
    /* the minimum stem: "су" (water) keeps both letters, "әке" is not cut to "ә" */
    stem(OT_LANG_KK, "судың", s);
    assert_string_equal(s, "#су");
    stem(OT_LANG_KK, "әке", s);
    assert_string_equal(s, "#әке");
    /* one suffix per group, outermost group first */
    stem(OT_LANG_KK, "балаларының", s); /* ның, ы, лар */
    assert_string_equal(s, "#бала");
    /* a Kazakh letter makes a word Kazakh in a Russian text */
    stem(OT_LANG_RU, "көшесі", s);
    assert_string_equal(s, "#көше");
    /* numbers and Latin words stay whole */
    stem(OT_LANG_KK, "12дан", s);
    assert_string_equal(s, "12дан");
}

static void test_bad_list(void **state)
{
    (void)state;
    char msg[128];
    assert_null(ot_kk_stemmer_parse("min_stem 0\n", msg, sizeof msg));
    assert_non_null(strstr(msg, "min_stem"));
    assert_null(ot_kk_stemmer_parse("case\n", msg, sizeof msg));
    assert_non_null(strstr(msg, "line 1"));
}

static int query_matches(const char *query, int lang, const char *text)
{
    ot_query_t q;
    ot_query_parse(AN, query, strlen(query), &q);
    size_t pos = 0;
    ot_word_t w;
    while (ot_next_word(text, strlen(text), &pos, &w)) {
        char st[2][OT_WORD_MAX];
        size_t sl[2];
        int k = ot_stems(AN, lang, &w, st, sl);
        for (int j = 0; j < k; j++)
            for (int i = 0; i < q.n_stems; i++)
                if (!strcmp(q.stem[i], st[j]))
                    return 1;
    }
    return 0;
}

static void test_query_either_language(void **state)
{
    (void)state;
    /* a query has no language: it finds Russian and Kazakh texts */
    assert_true(query_matches("отопление", OT_LANG_RU, "Нет отоплением дома"));
    assert_true(query_matches("ОТОПЛЕНИЯ", OT_LANG_RU, "Отопление отключено"));
    assert_true(query_matches("жылу", OT_LANG_KK, "Үйде жылудың жоқтығы"));
    assert_true(query_matches("жылудың", OT_LANG_KK, "жылу жоқ"));
    assert_false(query_matches("отопление", OT_LANG_RU, "Освещение улицы"));
    ot_query_t q;
    assert_int_equal(ot_query_parse(AN, " — , ", 5, &q), 0);
    assert_int_equal(ot_query_parse(AN, "жылу Жылу жылу", strlen("жылу Жылу жылу"), &q), 1);
    /* жылы (Kazakh "warm") is жыл to the Kazakh stemmer and жылу is жыл to the Russian one:
     * the two stemmers' stems are kept apart */
    assert_false(query_matches("жылу", OT_LANG_KK, "жылы киіммен"));
    assert_true(query_matches("жылы", OT_LANG_KK, "жылы киіммен"));
}

struct frag {
    char s[512];
};

static void piece(const char *s, size_t len, int hit, void *arg)
{
    struct frag *f = arg;
    size_t n = strlen(f->s);
    snprintf(f->s + n, sizeof f->s - n, "%s%.*s%s", hit ? "[" : "", (int)len, s, hit ? "]" : "");
}

static void test_fragment(void **state)
{
    (void)state;
    ot_query_t q;
    ot_query_parse(AN, "отопление", strlen("отопление"), &q);
    struct frag f = {""};
    const char *t = "Прошу разобраться: в доме номер пять по улице Ленина третью неделю нет "
                    "отопления, а в соседнем доме отоплением довольны. Просим помочь с этим.";
    int hits = ot_fragment(AN, OT_LANG_RU, t, strlen(t), &q, 16, piece, &f);
    assert_int_equal(hits, 2);
    /* from eight words before the first match, sixteen words */
    assert_string_equal(f.s, "…номер пять по улице Ленина третью неделю нет [отопления], а в "
                             "соседнем доме [отоплением] довольны. Просим…");
    /* short text, hit first: whole, no ellipsis */
    memset(&f, 0, sizeof f);
    hits = ot_fragment(AN, OT_LANG_RU, "Отопление!", strlen("Отопление!"), &q, 12, piece, &f);
    assert_int_equal(hits, 1);
    assert_string_equal(f.s, "[Отопление]!");
    /* no hit: the beginning */
    memset(&f, 0, sizeof f);
    hits = ot_fragment(AN, OT_LANG_RU, "один два три", strlen("один два три"), &q, 2, piece, &f);
    assert_int_equal(hits, 0);
    assert_string_equal(f.s, "один два…");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_folding),  cmocka_unit_test(test_words),
        cmocka_unit_test(test_russian),  cmocka_unit_test(test_kazakh),
        cmocka_unit_test(test_bad_list), cmocka_unit_test(test_query_either_language),
        cmocka_unit_test(test_fragment),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
