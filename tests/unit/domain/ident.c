/* Unit tests for src/domain/ident.c: IIN/BIN check digit, structure, masking, generation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "domain/ident.h"

typedef struct {
    const char *in;
    int status;
    const char *code; /* expected err.code when status != OT_OK */
    const char *rule;
} case_t;

static const case_t iin_cases[] = {
    /* Check digit, first pass: 1*8+2*5+3*0+4*5+5*1+6*2+7*3+10*1 = 86, 86 mod 11 = 9. */
    {"850512300109", OT_OK, NULL, "first pass, born 12.05.1985, male"},
    /* Second pass: first sum 76 mod 11 = 10; 3*8+4*5+6*5+7*1+8*2+9*3 = 124, mod 11 = 3. */
    {"850512300003", OT_OK, NULL, "second pass (weights 3..11,1,2)"},
    {"900101400003", OT_OK, NULL, "first pass, born 01.01.1990, female (digit 4)"},
    {"900101400404", OT_OK, NULL, "second pass"},
    {"000229500008", OT_OK, NULL, "29 Feb 2000 (leap year, 21st century male)"},
    {"001231600008", OT_OK, NULL, "31 Dec 2000, 21st century female"},
    {"850512300108", OT_EINVAL, "iin_checksum", "check digit off by one"},
    {"850512300001", OT_EINVAL, "iin_checksum", "second-pass number with a wrong digit"},
    {"850512300090", OT_EINVAL, "iin_checksum", "both passes give 10: never issued"},
    {"85051230010", OT_EINVAL, "iin_format", "11 digits"},
    {"8505123001090", OT_EINVAL, "iin_format", "13 digits"},
    {"", OT_EINVAL, "iin_format", "empty"},
    {"85051230010A", OT_EINVAL, "iin_format", "a letter"},
    {"850512 00109", OT_EINVAL, "iin_format", "a space"},
    {"８50512300109", OT_EINVAL, "iin_format", "a full-width digit (UTF-8)"},
    {"851312300109", OT_EINVAL, "iin_birth_date", "month 13"},
    {"850500300109", OT_EINVAL, "iin_birth_date", "day 00"},
    {"850431300109", OT_EINVAL, "iin_birth_date", "31 April"},
    {"010229500000", OT_EINVAL, "iin_birth_date", "29 Feb 2001 (not a leap year)"},
    {"000229300000", OT_EINVAL, "iin_birth_date", "29 Feb 1900 (century not leap)"},
    {"850512000109", OT_EINVAL, "iin_birth_date", "digit 7 = 0 not accepted (unconfirmed)"},
    {"850512700109", OT_EINVAL, "iin_birth_date", "digit 7 = 7"},
};

static const case_t bin_cases[] = {
    {"150740000004", OT_OK, NULL, "July 2015, resident legal entity, head office, first pass"},
    {"150740000511", OT_OK, NULL, "second pass"},
    {"990241000006", OT_OK, NULL, "Feb 1999, kind 4, attribute 1 (branch)"},
    {"230560000406", OT_OK, NULL, "kind 6 (joint entrepreneurship), second pass"},
    {"150740000005", OT_EINVAL, "bin_checksum", "wrong check digit"},
    {"150740000500", OT_EINVAL, "bin_checksum", "both passes give 10"},
    {"151340000004", OT_EINVAL, "bin_structure", "month 13"},
    {"150040000004", OT_EINVAL, "bin_structure", "month 00"},
    {"150730000004", OT_EINVAL, "bin_structure", "kind 3"},
    {"150770000004", OT_EINVAL, "bin_structure", "kind 7"},
    {"15074000000", OT_EINVAL, "bin_format", "11 digits"},
    {"15074000000O", OT_EINVAL, "bin_format", "letter O for zero"},
};

static void test_iin_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof iin_cases / sizeof *iin_cases; i++) {
        const case_t *c = &iin_cases[i];
        ot_err_t e;
        ot_err_clear(&e);
        int rc = ident_iin_check(c->in, "applicant.iin", &e);
        if (rc != c->status)
            fail_msg("IIN '%s' (%s): status %d, want %d", c->in, c->rule, rc, c->status);
        if (c->code) {
            assert_string_equal(e.code, c->code);
            assert_string_equal(e.field, "applicant.iin");
        }
    }
    assert_int_equal(ident_iin_check(NULL, NULL, NULL), OT_EINVAL);
}

static void test_bin_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bin_cases / sizeof *bin_cases; i++) {
        const case_t *c = &bin_cases[i];
        ot_err_t e;
        ot_err_clear(&e);
        int rc = ident_bin_check(c->in, "applicant.bin", &e);
        if (rc != c->status)
            fail_msg("BIN '%s' (%s): status %d, want %d", c->in, c->rule, rc, c->status);
        if (c->code) {
            assert_string_equal(e.code, c->code);
            assert_string_equal(e.field, "applicant.bin");
        }
    }
}

static void test_mask(void **state)
{
    (void)state;
    char out[13], small[12];
    assert_int_equal(ident_mask("850512300109", out, sizeof out), OT_OK);
    assert_string_equal(out, "8505******09");
    /* Malformed input is never echoed. */
    assert_int_equal(ident_mask("85051230010", out, sizeof out), OT_EINVAL);
    assert_string_equal(out, "************");
    assert_int_equal(ident_mask(NULL, out, sizeof out), OT_EINVAL);
    assert_string_equal(out, "************");
    assert_int_equal(ident_mask("850512300109", small, sizeof small), OT_EINVAL);
    assert_string_equal(small, "");
}

static void test_make(void **state)
{
    (void)state;
    char out[13];
    assert_int_equal(ident_iin_make(1985, 5, 12, 3, 10, out), OT_OK);
    assert_string_equal(out, "850512300109");
    assert_int_equal(ident_iin_make(1985, 5, 12, 3, 0, out), OT_OK); /* second pass */
    assert_string_equal(out, "850512300003");
    assert_int_equal(ident_iin_make(1985, 5, 12, 3, 9, out), OT_ECONFLICT); /* no digit */
    assert_string_equal(out, "");
    assert_int_equal(ident_iin_make(1985, 5, 12, 5, 1, out), OT_EINVAL);     /* century */
    assert_int_equal(ident_iin_make(2001, 2, 29, 5, 1, out), OT_EINVAL);     /* date */
    assert_int_equal(ident_iin_make(1985, 5, 12, 3, 10000, out), OT_EINVAL); /* serial */
    assert_int_equal(ident_bin_make(2015, 7, 4, 0, 0, out), OT_OK);
    assert_string_equal(out, "150740000004");
    assert_int_equal(ident_bin_make(2015, 7, 4, 0, 50, out), OT_ECONFLICT);
    assert_int_equal(ident_bin_make(2015, 13, 4, 0, 0, out), OT_EINVAL);
    assert_int_equal(ident_bin_make(2015, 7, 3, 0, 0, out), OT_EINVAL);

    /* Every number the generator makes passes the checker; about 1 serial in 121 has no check
     * digit (both passes give 10). */
    int made = 0, unusable = 0;
    for (unsigned s = 0; s < 2000; s++) {
        int rc = ident_iin_make(1990 + (int)(s % 30), 1 + (int)(s % 12), 1 + (int)(s % 28),
                                3 + (int)(s % 2) + (s % 30 >= 10 ? 2 : 0), s, out);
        if (rc == OT_ECONFLICT) {
            unusable++;
            continue;
        }
        assert_int_equal(rc, OT_OK);
        assert_int_equal(ident_iin_check(out, NULL, NULL), OT_OK);
        made++;
        rc = ident_bin_make(2008 + (int)(s % 17), 1 + (int)(s % 12), 4 + (int)(s % 3), (int)(s % 4),
                            s * 7, out);
        if (rc == OT_OK)
            assert_int_equal(ident_bin_check(out, NULL, NULL), OT_OK);
        else
            assert_int_equal(rc, OT_ECONFLICT);
    }
    assert_int_equal(made + unusable, 2000);
    assert_true(unusable > 0 && unusable < 60);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_iin_table),
        cmocka_unit_test(test_bin_table),
        cmocka_unit_test(test_mask),
        cmocka_unit_test(test_make),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
