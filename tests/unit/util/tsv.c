/* Unit tests for src/util/tsv.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "util/tsv.h"

static void test_basic(void **state)
{
    (void)state;
    /* BOM, comments, blank lines, CRLF, an empty field, Cyrillic. */
    const char *text = "\xEF\xBB\xBF# comment\n"
                       "\n"
                       "id\tname\tnote\r\n"
                       "# another comment\n"
                       "ridder\tРиддер\t\r\n"
                       "   \t \n"
                       "ukg\tӨскемен\tcentre";
    char *copy = strdup(text); /* the table must not depend on the caller's buffer */
    tsv_t *t = NULL;
    ot_err_t e;
    assert_int_equal(tsv_parse(copy, strlen(copy), "x.tsv", &t, &e), OT_OK);
    memset(copy, 'z', strlen(copy));
    free(copy);
    assert_int_equal(t->n_cols, 3);
    assert_int_equal(t->header_line, 3);
    assert_string_equal(t->cols[0], "id");
    assert_int_equal(t->n_rows, 2);
    assert_int_equal(t->rows[0].line, 5);
    assert_string_equal(tsv_col(&t->rows[0], "name"), "Риддер");
    assert_string_equal(tsv_col(&t->rows[0], "note"), "");
    assert_int_equal(t->rows[1].line, 7);
    assert_string_equal(tsv_col(&t->rows[1], "id"), "ukg");
    assert_string_equal(tsv_col(&t->rows[1], "note"), "centre");
    assert_null(tsv_col(&t->rows[1], "missing"));
    assert_int_equal(tsv_col_index(t, "note"), 2);
    assert_int_equal(tsv_col_index(t, "nope"), -1);

    static const char *const need_ok[] = {"id", "name", NULL};
    static const char *const need_bad[] = {"id", "lat", NULL};
    assert_int_equal(tsv_require(t, need_ok, &e), OT_OK);
    assert_int_equal(tsv_require(t, need_bad, &e), OT_EINVAL);
    assert_string_equal(e.code, "tsv_missing_column");
    assert_string_equal(e.field, "x.tsv:3");
    assert_non_null(strstr(e.message, "'lat'"));
    tsv_free(t);
}

static void test_header_only(void **state)
{
    (void)state;
    tsv_t *t = NULL;
    assert_int_equal(tsv_parse("a\tb\n", 4, "h.tsv", &t, NULL), OT_OK);
    assert_int_equal(t->n_rows, 0);
    assert_int_equal(t->n_cols, 2);
    tsv_free(t);
    tsv_free(NULL);
}

typedef struct {
    const char *text;
    const char *code;
    const char *field;
    const char *in_message;
    const char *rule;
} bad_case_t;

static const bad_case_t bad_cases[] = {
    {"", "tsv_empty", "b.tsv", "no header", "empty text"},
    {"# only\n\n# comments\n", "tsv_empty", "b.tsv", "no header", "only comments"},
    {"a\tb\n1\n", "tsv_fields", "b.tsv:2", "line 2: 1 fields", "too few fields"},
    {"a\tb\n#c\n1\t2\t3\n", "tsv_fields", "b.tsv:3", "3 fields", "too many fields"},
    {"a\tb\n1\t2\n\n1\t2\t\n", "tsv_fields", "b.tsv:4", "line 4", "trailing TAB adds a field"},
    {"a\t\tb\n", "tsv_header", "b.tsv:1", "column 2", "empty column name"},
    {"a\tb\ta\n", "tsv_header", "b.tsv:1", "'a' appears twice", "duplicate column name"},
};

static void test_errors(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad_cases / sizeof *bad_cases; i++) {
        const bad_case_t *c = &bad_cases[i];
        tsv_t *t = (tsv_t *)&t; /* must be reset to NULL on failure */
        ot_err_t e;
        ot_err_clear(&e);
        int rc = tsv_parse(c->text, strlen(c->text), "b.tsv", &t, &e);
        if (rc != OT_EINVAL)
            fail_msg("case %zu (%s): status %d", i, c->rule, rc);
        assert_null(t);
        assert_string_equal(e.code, c->code);
        assert_string_equal(e.field, c->field);
        if (!strstr(e.message, c->in_message))
            fail_msg("case %zu (%s): message '%s' lacks '%s'", i, c->rule, e.message,
                     c->in_message);
    }
    /* A NUL inside the text. */
    tsv_t *t = NULL;
    ot_err_t e;
    assert_int_equal(tsv_parse("a\tb\n1\0\t2\n", 9, "n.tsv", &t, &e), OT_EINVAL);
    assert_string_equal(e.code, "tsv_nul");
    assert_null(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic),
        cmocka_unit_test(test_header_only),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
