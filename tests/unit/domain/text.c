/* Unit tests for src/domain/text.c: UTF-8, control characters, limits, e-mail, phone. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "domain/text.h"

/* Inputs carry an explicit length so they can hold NUL bytes. */
#define S(lit) lit, sizeof(lit) - 1

typedef struct {
    const char *in;
    size_t len;
    size_t max_chars;
    int newlines;
    const char *code; /* NULL = valid */
    const char *rule;
} check_case_t;

static const check_case_t check_cases[] = {
    {S(""), 0, 0, NULL, "empty text is valid (text_required is separate)"},
    {S("Прошу отремонтировать крышу"), 0, 0, NULL, "Cyrillic"},
    {S("Өскемен, Қабанбай батыр көшесі"), 0, 0, NULL, "Kazakh letters Ө Қ ы ө ш"},
    {S("\xF0\x9F\x98\x80"), 0, 0, NULL, "4-byte sequence U+1F600"},
    {S("\xF4\x8F\xBF\xBF"), 0, 0, NULL, "U+10FFFF, the last code point"},
    {S("\xEF\xBF\xBD"), 0, 0, NULL, "U+FFFD"},
    {S("\xED\x9F\xBF"), 0, 0, NULL, "U+D7FF, just below the surrogates"},
    {S("\xEE\x80\x80"), 0, 0, NULL, "U+E000, just above the surrogates"},
    {S("\xC0\x80"), 0, 0, "invalid_utf8", "overlong NUL C0 80"},
    {S("\xC1\xBF"), 0, 0, "invalid_utf8", "overlong 2-byte C1"},
    {S("\xE0\x80\xAF"), 0, 0, "invalid_utf8", "overlong 3-byte '/'"},
    {S("\xF0\x80\x80\xAF"), 0, 0, "invalid_utf8", "overlong 4-byte"},
    {S("\xED\xA0\x80"), 0, 0, "invalid_utf8", "surrogate U+D800"},
    {S("\xED\xBF\xBF"), 0, 0, "invalid_utf8", "surrogate U+DFFF"},
    {S("\xF4\x90\x80\x80"), 0, 0, "invalid_utf8", "U+110000, above the last code point"},
    {S("\xF5\x80\x80\x80"), 0, 0, "invalid_utf8", "lead byte F5"},
    {S("\xFF"), 0, 0, "invalid_utf8", "byte FF"},
    {S("abc\xD0"), 0, 0, "invalid_utf8", "truncated 2-byte sequence at the end"},
    {S("\xE2\x82"), 0, 0, "invalid_utf8", "truncated 3-byte sequence"},
    {S("\xD0\x41"), 0, 0, "invalid_utf8", "lead byte followed by ASCII"},
    {S("\x80"), 0, 0, "invalid_utf8", "stray continuation byte"},
    {S("a\0b"), 0, 1, "invalid_utf8", "NUL byte"},
    {S("a\tb"), 0, 0, NULL, "TAB always allowed"},
    {S("a\nb"), 0, 1, NULL, "LF allowed in multi-line text"},
    {S("a\r\nb"), 0, 1, NULL, "CRLF allowed in multi-line text"},
    {S("a\nb"), 0, 0, "control_char", "LF in a single-line field"},
    {S("a\r\nb"), 0, 0, "control_char", "CRLF in a single-line field"},
    {S("a\rb"), 0, 1, "control_char", "lone CR"},
    {S("a\r"), 0, 1, "control_char", "CR at the very end"},
    {S("a\x1B[31m"), 0, 1, "control_char", "ESC (terminal escape)"},
    {S("a\x7F"), 0, 1, "control_char", "DEL"},
    {S("a\xC2\x85"), 0, 1, "control_char", "C1 control U+0085"},
    {S("a\x01"), 0, 1, "control_char", "U+0001"},
    {S("Қазақстан"), 9, 0, NULL, "exactly at the limit: 9 Kazakh letters (18 bytes)"},
    {S("Қазақстанң"), 9, 0, "too_long", "one over the limit in Kazakh letters"},
    {S("Усть-Каменогорск"), 16, 0, NULL, "exactly at the limit in Cyrillic"},
    {S("Усть-Каменогорскй"), 16, 0, "too_long", "one over the limit in Cyrillic"},
    {S("abc"), 3, 0, NULL, "ASCII at the limit"},
    {S("abcd"), 3, 0, "too_long", "ASCII one over"},
};

static void test_check_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof check_cases / sizeof *check_cases; i++) {
        const check_case_t *c = &check_cases[i];
        ot_err_t e;
        ot_err_clear(&e);
        int rc = text_check(c->in, c->len, c->max_chars, c->newlines, "appeal.text", &e);
        int want = c->code ? OT_EINVAL : OT_OK;
        if (rc != want)
            fail_msg("case %zu (%s): status %d, want %d (%s)", i, c->rule, rc, want, e.message);
        if (c->code) {
            if (strcmp(e.code, c->code) != 0)
                fail_msg("case %zu (%s): code %s, want %s", i, c->rule, e.code, c->code);
            assert_string_equal(e.field, "appeal.text");
        }
    }
}

static void test_too_long_message(void **state)
{
    (void)state;
    ot_err_t e;
    assert_int_equal(text_check(S("Ридер"), 4, 0, "applicant.name", &e), OT_EINVAL);
    assert_string_equal(e.code, "too_long");
    assert_non_null(strstr(e.message, "4 characters"));
}

static void test_chars(void **state)
{
    (void)state;
    assert_int_equal(text_utf8_chars(S("")), 0);
    assert_int_equal(text_utf8_chars(S("Өскемен")), 7);
    assert_int_equal(text_utf8_chars(S("a\xF0\x9F\x98\x80z")), 3);
    assert_int_equal(text_utf8_chars(S("\xC0\x80")), (size_t)-1);
    assert_int_equal(text_utf8_chars(S("\xED\xA0\x80")), (size_t)-1);
}

typedef struct {
    const char *in;
    size_t len;
    int ok;
    const char *rule;
} simple_case_t;

static const simple_case_t required_cases[] = {
    {S(""), 0, "empty"},
    {S("   "), 0, "spaces"},
    {S(" \t\r\n "), 0, "ASCII white space"},
    {S("\xC2\xA0\xE3\x80\x80"), 0, "NBSP and ideographic space"},
    {S("\xE2\x80\x8B"), 0, "zero-width space"},
    {S(" a "), 1, "one letter"},
    {S("  Ә"), 1, "one Kazakh letter"},
};

static void test_required(void **state)
{
    (void)state;
    ot_err_t e;
    for (size_t i = 0; i < sizeof required_cases / sizeof *required_cases; i++) {
        const simple_case_t *c = &required_cases[i];
        int rc = text_required(c->in, c->len, "appeal.text", &e);
        if ((rc == OT_OK) != c->ok)
            fail_msg("required case %zu (%s): status %d", i, c->rule, rc);
        if (!c->ok)
            assert_string_equal(e.code, "required");
    }
    assert_int_equal(text_required(NULL, 0, "x", &e), OT_EINVAL);
}

static const simple_case_t email_cases[] = {
    {S("user@example.kz"), 1, "plain"},
    {S("a.b+tag@mail.vko.gov.kz"), 1, "dots, plus, subdomains"},
    {S("иван@почта.рф"), 1, "internationalised (UTF-8) address"},
    {S("userexample.kz"), 0, "no @"},
    {S("a@b@example.kz"), 0, "two @"},
    {S("@example.kz"), 0, "empty local part"},
    {S("user@"), 0, "empty domain"},
    {S("user@localhost"), 0, "domain without a dot"},
    {S("user@example..kz"), 0, "empty label"},
    {S("user@.example.kz"), 0, "leading dot in domain"},
    {S("user@example.kz."), 0, "trailing dot"},
    {S("user@-example.kz"), 0, "label starts with '-'"},
    {S("user@example.k"), 0, "one-letter top-level domain"},
    {S("us er@example.kz"), 0, "space"},
    {S("user@exa_mple.kz"), 0, "underscore in domain"},
    {S("<user@example.kz>"), 0, "angle brackets"},
    {S("user@example.kz\n"), 0, "newline"},
};

static void test_email(void **state)
{
    (void)state;
    ot_err_t e;
    for (size_t i = 0; i < sizeof email_cases / sizeof *email_cases; i++) {
        const simple_case_t *c = &email_cases[i];
        int rc = text_email_check(c->in, c->len, "applicant.email", &e);
        if ((rc == OT_OK) != c->ok)
            fail_msg("email case %zu (%s): status %d", i, c->rule, rc);
        if (!c->ok)
            assert_string_equal(e.code, "email_format");
    }
    /* 254 bytes is the limit (RFC 5321): "x@" + k letters + ".kz" is k + 5 bytes. */
    char buf[300];
    for (size_t k = 249; k <= 250; k++) {
        memcpy(buf, "x@", 2);
        memset(buf + 2, 'a', k);
        memcpy(buf + 2 + k, ".kz", 3);
        assert_int_equal(text_email_check(buf, k + 5, NULL, &e), k + 5 <= 254 ? OT_OK : OT_EINVAL);
    }
}

static const simple_case_t phone_cases[] = {
    {S("+77051234567"), 1, "E.164 Kazakh mobile"},
    {S("+7 (705) 123-45-67"), 1, "spaces, parentheses, dashes"},
    {S("8 705 123 45 67"), 1, "domestic trunk prefix 8"},
    {S("+7 7232 12-34-56"), 1, "Ust-Kamenogorsk landline code 7232"},
    {S("+86 10 1234 5678"), 1, "foreign number, 12 digits"},
    {S("+123456789012345"), 1, "15 digits"},
    {S("+1234567890123456"), 0, "16 digits"},
    {S("123456789"), 0, "9 digits"},
    {S(""), 0, "empty"},
    {S("+"), 0, "only +"},
    {S("++77051234567"), 0, "two +"},
    {S("7705+1234567"), 0, "+ inside"},
    {S("+7 705  123 4567"), 0, "double space"},
    {S("+7 (705 123 45 67"), 0, "unclosed parenthesis"},
    {S("+7 (705) (123) 4567"), 0, "two pairs of parentheses"},
    {S("+7 ()705 123 45 67"), 0, "empty parentheses"},
    {S("+7 705 123 45 67 "), 0, "trailing space"},
    {S("+7 705 123 45 6a"), 0, "a letter"},
    {S("+7.705.123.45.67"), 0, "dots"},
};

static void test_phone(void **state)
{
    (void)state;
    ot_err_t e;
    for (size_t i = 0; i < sizeof phone_cases / sizeof *phone_cases; i++) {
        const simple_case_t *c = &phone_cases[i];
        int rc = text_phone_check(c->in, c->len, "applicant.phone", &e);
        if ((rc == OT_OK) != c->ok)
            fail_msg("phone case %zu (%s): status %d", i, c->rule, rc);
        if (!c->ok)
            assert_string_equal(e.code, "phone_format");
    }
    char out[20];
    assert_int_equal(text_phone_normalize(S("8 (705) 123-45-67"), out, sizeof out, NULL, &e),
                     OT_OK);
    assert_string_equal(out, "+77051234567");
    assert_int_equal(text_phone_normalize(S("+7 705 123 45 67"), out, sizeof out, NULL, &e), OT_OK);
    assert_string_equal(out, "+77051234567");
    /* With '+' the leading 8 is a country code and is kept. */
    assert_int_equal(text_phone_normalize(S("+81 3 1234 5678"), out, sizeof out, NULL, &e), OT_OK);
    assert_string_equal(out, "+81312345678");
    assert_int_equal(text_phone_normalize(S("+77051234567"), out, 5, NULL, &e), OT_EINVAL);
}

/* What Open311 publishes is masked: each row names the rule it checks. */
static void test_mask_personal(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
        size_t n;
    } rows[] = {
        {"Звоните +7 (705) 123-45-67 вечером", "Звоните *** вечером", 1}, /* phone, separators */
        {"тел. 87051234567", "тел. ***", 1},                              /* domestic form */
        {"ИИН 900101300007, дом 5", "ИИН ***, дом 5", 1},                 /* IIN: 12 digits */
        {"пишите ivan.petrov@mail.kz!", "пишите ***!", 1},                /* e-mail */
        {"с 2026-03-20 нет отопления, д. 15, кв. 3", "с 2026-03-20 нет отопления, д. 15, кв. 3",
         0},                                                 /* dates and house numbers stay */
        {"долг 1 000 000 тенге", "долг 1 000 000 тенге", 0}, /* a sum: 7 digits */
        {"a@b", "a@b", 0},                                   /* no domain dot: not an address */
        {"", "", 0},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char out[256];
        size_t m = text_mask_personal(rows[i].in, strlen(rows[i].in), out, sizeof out);
        if (m != rows[i].n || strcmp(out, rows[i].out))
            fail_msg("row %zu: '%s' (%zu) != '%s' (%zu)", i, out, m, rows[i].out, rows[i].n);
    }
    /* a small buffer cuts between characters, never inside one */
    char small[8];
    text_mask_personal("ёёёёё", strlen("ёёёёё"), small, sizeof small);
    assert_string_equal(small, "ёёё");
}

/* The answer is in the language of the appeal (Law on Languages art. 11). */
static void test_language_fits(void **state)
{
    (void)state;
    static const struct {
        const char *text, *lang;
        int fits;
    } rows[] = {
        {"Өтінішіңіз қаралды.", "kk", 1},                          /* Kazakh letters */
        {"Ваше обращение рассмотрено.", "kk", 0},                  /* Russian for a kk appeal */
        {"Ваше обращение рассмотрено.", "ru", 1},                  /* Cyrillic */
        {"Your appeal was considered.", "ru", 0},                  /* Latin only */
        {"Өтінішіңіз қаралды. / Обращение рассмотрено.", "ru", 1}, /* bilingual */
        {"anything", "en", 1},                                     /* no rule for other languages */
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        if (text_language_fits(rows[i].text, strlen(rows[i].text), rows[i].lang) != rows[i].fits)
            fail_msg("row %zu: '%s' in %s", i, rows[i].text, rows[i].lang);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_check_table),   cmocka_unit_test(test_too_long_message),
        cmocka_unit_test(test_chars),         cmocka_unit_test(test_required),
        cmocka_unit_test(test_email),         cmocka_unit_test(test_phone),
        cmocka_unit_test(test_mask_personal), cmocka_unit_test(test_language_fits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
