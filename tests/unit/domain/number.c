/* Unit tests for src/domain/number.c: the ASCII form of a number and what people type. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "domain/number.h"

static void test_ascii(void **state)
{
    (void)state;
    static const char *const rows[][2] = {
        {"З-2026-000165", "Z-2026-000165"},   /* statement */
        {"ЗП-2026-000001", "ZP-2026-000001"}, /* request: two letters */
        {"Ж-2026-000002", "ZH-2026-000002"},  /* complaint */
        {"С-2025-123456", "S-2025-123456"},   /* report */
        {"A-2026-000001", "A-2026-000001"},   /* ASCII stays */
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char out[64];
        assert_int_equal(number_ascii(rows[i][0], out, sizeof out), 0);
        assert_string_equal(out, rows[i][1]);
    }
    char small[4];
    assert_int_equal(number_ascii("З-2026-000165", small, sizeof small), -1);
}

static void test_parse(void **state)
{
    (void)state;
    static const struct {
        const char *in, *key;
        int year;
        long long seq;
    } ok[] = {
        {"З-2026-000165", "Z", 2026, 165}, /* as printed */
        {"3-2026-165", "Z", 2026, 165},    /* the digit 3 for З, no zeros */
        {"z 2026 165", "Z", 2026, 165},    /* lower case, spaces */
        {"Z2026000165", "Z", 2026, 165},   /* no separators */
        {"32026000165", "Z", 2026, 165},   /* ... even with the digit 3 */
        {"з-2026-000165", "Z", 2026, 165}, /* Cyrillic lower case */
        {"ZP-2026-12", "ZP", 2026, 12},    /* two letters */
        {"3П-2026-12", "ZP", 2026, 12},    /* mixed */
        {"Zh-2026-7", "ZH", 2026, 7},      /* Ж typed as Zh */
        {"C-2026-7", "S", 2026, 7},        /* Latin C for Cyrillic С */
        {"0-2026-7", "O", 2026, 7},        /* the digit 0 for О */
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        char key[16];
        int year;
        long long seq;
        if (number_parse(ok[i].in, key, sizeof key, &year, &seq))
            fail_msg("row %zu: '%s' refused", i, ok[i].in);
        assert_string_equal(key, ok[i].key);
        assert_int_equal(year, ok[i].year);
        assert_int_equal(seq, ok[i].seq);
    }
    static const char *const bad[] = {"", "hello", "З-20", "З-2026-0", "З-2026-12a", "--"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char key[16];
        int year;
        long long seq;
        if (!number_parse(bad[i], key, sizeof key, &year, &seq))
            fail_msg("'%s' accepted", bad[i]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ascii),
        cmocka_unit_test(test_parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
