/* json_out must give byte for byte what json_dumps(JSON_COMPACT) gives. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/json_out.h"

static void same_as_jansson(void **state)
{
    (void)state;
    static const char *const cases[] = {
        "{}",
        "[]",
        "null",
        "{\"a\":1,\"b\":[true,false,null],\"c\":{\"d\":\"e\"}}",    /* nesting, order */
        "\"quote \\\" backslash \\\\ slash /\"",                    /* the two escapes */
        "\"nl\\n cr\\r tab\\t bs\\b ff\\f bell\\u0007 us\\u001f\"", /* control chars */
        "\"Қазақ тілі — өтініш ұ ү һ і\"",                          /* UTF-8 as is */
        "\"emoji \\ud83d\\ude00\"",                                 /* 4-byte UTF-8 */
        "[0,-1,9223372036854775807,-9223372036854775808]",          /* integer range */
        "[1.5,-0.25,50.34,83.51,1e300,2.0,100.0]",                  /* reals */
        "{\"z\":1,\"a\":2,\"m\":3}",                                /* insertion order */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_t *v = json_loads(cases[i], JSON_DECODE_ANY, NULL);
        assert_non_null(v);
        char *want = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
        size_t len = 0;
        char *got = json_out(v, &len);
        assert_non_null(got);
        assert_string_equal(got, want);
        assert_int_equal(len, strlen(want));
        free(want);
        free(got);
        json_decref(v);
    }
}

/* The writer scans strings 8 bytes at a time (jw.c): every byte that needs an escape, and
 * its neighbours that do not (a space, '#' and ']' next to '"' and '\\', 0x7f, UTF-8), at
 * every offset of strings of 1 to 40 bytes, against json_dumps. */
static void escapes_at_every_offset(void **state)
{
    (void)state;
    static const unsigned char bytes[] = {0x01, 0x08, 0x0a, 0x1f, 0x20, '!',  '"', '#',
                                          '[',  '\\', ']',  0x7f, 0x80, 0xd2, 0x9b};
    char s[48];
    for (size_t len = 1; len <= 40; len++)
        for (size_t at = 0; at < len; at++)
            for (size_t b = 0; b < sizeof bytes; b++) {
                memset(s, 'a', len);
                s[len] = '\0';
                s[at] = (char)bytes[b];
                if (bytes[b] == 0xd2 || bytes[b] == 0x80 || bytes[b] == 0x9b) {
                    if (at + 1 >= len)
                        continue;
                    s[at] = (char)0xd2; /* a whole UTF-8 character: қ */
                    s[at + 1] = (char)0x9b;
                }
                json_t *v = json_string(s);
                assert_non_null(v);
                char *want = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
                char *got = json_out(v, NULL);
                assert_non_null(got);
                assert_string_equal(got, want);
                free(want);
                free(got);
                json_decref(v);
            }
}

static void too_deep_is_refused(void **state)
{
    (void)state;
    json_t *root = json_array(), *cur = root;
    for (int i = 0; i < 100; i++) {
        json_t *next = json_array();
        json_array_append_new(cur, next);
        cur = next;
    }
    size_t len;
    assert_null(json_out(root, &len));
    json_decref(root);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(same_as_jansson),
        cmocka_unit_test(escapes_at_every_offset),
        cmocka_unit_test(too_deep_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
