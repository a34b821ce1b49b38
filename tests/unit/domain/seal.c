/* Unit tests for src/domain/seal.c: the seal of a record's rows that audit events carry
 * (docs/audit-chain.md "Records"). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sodium.h>
#include <string.h>

#include "domain/seal.h"

#define MAX (2 + SEAL_DIGEST_CHARS + 1 + 2 * SEAL_MAX_FIELDS + 1)

/* An appeal row (status, answer_text, personal_control as given) with two attachments. */
static void appeal(seal_t *s, const char *status, const char *answer, const char *control,
                   const char *att_name, char *out)
{
    seal_init(s, 1);
    seal_part(s, "appeals");
    seal_row(s);
    seal_field(s, "id", "5");
    seal_field(s, "number", "Z-2026-000005");
    seal_field(s, "status", status);
    seal_field(s, "answer_text", answer);
    seal_field(s, "personal_control", control);
    seal_field(s, "applicant_id", "900101300123");
    seal_part(s, "attachments");
    seal_row(s);
    seal_field(s, "name", "a.pdf");
    seal_row(s);
    seal_field(s, "name", att_name);
    seal_part(s, "forwards");
    seal_final(s, out, MAX);
}

static void test_same_rows_same_seal(void **state)
{
    (void)state;
    seal_t a, b;
    char x[MAX], y[MAX];
    appeal(&a, "answered", "Text", "1", "b.pdf", x);
    appeal(&b, "answered", "Text", "1", "b.pdf", y);
    assert_string_equal(x, y);
    assert_true(seal_same(x, y));
    assert_int_equal(strncmp(x, "2:", 2), 0);
    /* NULL, "" and "0" are all empty: a column added with such a default seals as before */
    appeal(&b, "answered", "Text", "1", "b.pdf", y);
    appeal(&a, "answered", "Text", NULL, "b.pdf", x);
    appeal(&b, "answered", "Text", "0", "b.pdf", y);
    assert_true(seal_same(x, y));
    /* the fingerprints do not hold the values */
    assert_null(strstr(x, "900101300123"));
}

static void test_a_change_is_named(void **state)
{
    (void)state;
    seal_t before, now;
    char x[MAX], y[MAX], why[300];
    appeal(&before, "answered", "Text", "1", "b.pdf", x);
    /* a status edited */
    appeal(&now, "closed", "Text", "1", "b.pdf", y);
    assert_false(seal_same(x, y));
    seal_diff(&now, x, why, sizeof why);
    assert_string_equal(why, "status");
    /* an answer's text edited, by one character */
    appeal(&now, "answered", "Text.", "1", "b.pdf", y);
    assert_false(seal_same(x, y));
    seal_diff(&now, x, why, sizeof why);
    assert_string_equal(why, "answer_text");
    /* a field emptied */
    appeal(&now, "answered", "Text", NULL, "b.pdf", y);
    assert_false(seal_same(x, y));
    seal_diff(&now, x, why, sizeof why);
    assert_string_equal(why, "personal_control");
    /* a related row changed */
    appeal(&now, "answered", "Text", "1", "c.pdf", y);
    assert_false(seal_same(x, y));
    seal_diff(&now, x, why, sizeof why);
    assert_string_equal(why, "attachments");
    /* two at once */
    appeal(&now, "closed", "Other", "1", "b.pdf", y);
    seal_diff(&now, x, why, sizeof why);
    assert_string_equal(why, "status, answer_text");
}

static void test_the_encoding_is_unambiguous(void **state)
{
    (void)state;
    seal_t a, b;
    char x[MAX], y[MAX];
    seal_init(&a, 1);
    seal_part(&a, "t");
    seal_row(&a);
    seal_field(&a, "ab", "c");
    seal_final(&a, x, MAX);
    seal_init(&b, 1);
    seal_part(&b, "t");
    seal_row(&b);
    seal_field(&b, "a", "bc");
    seal_final(&b, y, MAX);
    assert_false(seal_same(x, y));
    /* a value moved to another row */
    seal_init(&a, 1);
    seal_part(&a, "t");
    seal_row(&a);
    seal_field(&a, "a", "1");
    seal_row(&a);
    seal_final(&a, x, MAX);
    seal_init(&b, 1);
    seal_part(&b, "t");
    seal_row(&b);
    seal_row(&b);
    seal_field(&b, "a", "1");
    seal_final(&b, y, MAX);
    assert_false(seal_same(x, y));
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_rows_same_seal),
        cmocka_unit_test(test_a_change_is_named),
        cmocka_unit_test(test_the_encoding_is_unambiguous),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
