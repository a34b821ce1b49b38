/* Foundation: the server answers, errors are JSON, limits hold, the CLI keeps its promises. */
#include "harness.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void healthz_reports_version_and_store(void **state)
{
    resp_t r = api(*state, "GET", "/healthz", NULL);
    assert_int_equal(r.status, 200);
    assert_string_equal(json_string_value(json_object_get(r.json, "status")), "ok");
    assert_non_null(json_string_value(json_object_get(r.json, "version")));
    json_t *st = json_object_get(r.json, "store");
    assert_string_equal(json_string_value(json_object_get(st, "engine")), "sqlite");
    assert_true(json_integer_value(json_object_get(st, "schema_version")) >= 1);
    assert_int_equal(json_integer_value(json_object_get(st, "schema_version")),
                     json_integer_value(json_object_get(st, "schema_latest")));
    char ct[128];
    assert_non_null(resp_header(&r, "Content-Type", ct, sizeof ct));
    assert_string_equal(ct, "application/json; charset=utf-8");
    resp_free(&r);
}

static void security_headers_on_every_reply(void **state)
{
    const char *paths[] = {"/healthz", "/no/such/thing"};
    for (size_t i = 0; i < 2; i++) {
        resp_t r = api(*state, "GET", paths[i], NULL);
        char v[256];
        assert_non_null(resp_header(&r, "X-Content-Type-Options", v, sizeof v));
        assert_string_equal(v, "nosniff");
        assert_non_null(resp_header(&r, "Content-Security-Policy", v, sizeof v));
        assert_non_null(strstr(v, "frame-ancestors 'none'"));
        assert_non_null(resp_header(&r, "Referrer-Policy", v, sizeof v));
        resp_free(&r);
    }
}

static void unknown_route_is_json_404(void **state)
{
    resp_t r = api(*state, "GET", "/api/v1/nothing-here", NULL);
    expect_error(&r, 404, "not_found", NULL);
    resp_free(&r);
}

static void wrong_method_is_405_with_allow(void **state)
{
    resp_t r = api(*state, "DELETE", "/healthz", NULL);
    expect_error(&r, 405, "method_not_allowed", NULL);
    char allow[64];
    assert_non_null(resp_header(&r, "Allow", allow, sizeof allow));
    assert_string_equal(allow, "GET");
    resp_free(&r);
}

static void keep_alive_survives_many_requests(void **state)
{
    srv_t *s = *state;
    for (int i = 0; i < 200; i++) {
        resp_t r = api(s, "GET", i % 2 ? "/healthz" : "/api/v1/missing", NULL);
        assert_int_equal(r.status, i % 2 ? 200 : 404);
        char conn[64];
        if (resp_header(&r, "Connection", conn, sizeof conn))
            assert_string_not_equal(conn, "close");
        resp_free(&r);
    }
    long n = 0;
    curl_easy_getinfo(s->curl, CURLINFO_NUM_CONNECTS, &n);
    assert_int_equal(n, 0); /* the last request reused the connection */
}

static void cli_unknown_option_exits_2(void **state)
{
    const char *a1[] = {"serve", "--bogus", NULL};
    assert_int_equal(run_otinish(*state, a1, NULL, NULL, 0), 2);
    const char *a2[] = {"frobnicate", NULL};
    assert_int_equal(run_otinish(*state, a2, NULL, NULL, 0), 2);
    const char *a3[] = {"init", "--demo", "lots", NULL};
    assert_int_equal(run_otinish(*state, a3, NULL, NULL, 0), 2);
}

static void cli_help_describes_every_command(void **state)
{
    char out[8192];
    const char *a[] = {"--help", NULL};
    assert_int_equal(run_otinish(*state, a, NULL, out, sizeof out), 0);
    const char *cmds[] = {"init", "serve", "version", "calendar", "deadline"};
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        assert_non_null(strstr(out, cmds[i]));
        char usage[4096];
        const char *h[] = {"help", cmds[i], NULL};
        assert_int_equal(run_otinish(*state, h, NULL, usage, sizeof usage), 0);
        assert_non_null(strstr(usage, "usage: otinish"));
    }
}

static void newer_schema_is_refused(void **state)
{
    srv_t *s = *state;
    char db[400], sql[600], out[512];
    snprintf(db, sizeof db, "%s/newer.db", s->dir);
    const char *init[] = {"init", "--db", db, NULL};
    assert_int_equal(run_otinish(s, init, NULL, NULL, 0), 0);
    snprintf(sql, sizeof sql, "sqlite3 '%s' \"INSERT INTO schema_version VALUES (9999, 0)\"", db);
    assert_int_equal(system(sql), 0);
    const char *serve[] = {"serve", "--db", db, "--listen", "127.0.0.1:0", NULL};
    int rc = run_otinish(s, serve, NULL, out, sizeof out);
    assert_int_equal(rc, 1);
}

/* No input makes the server answer 5xx or fall over: every POST route gets junk. */
static void junk_never_gives_5xx(void **state)
{
    srv_t *s = *state;
    static const char *const paths[] = {
        "/api/v1/appeals",
        "/api/v1/session",
        "/api/v1/appeals/X-1/assign",
        "/api/v1/appeals/X-1/attachments",
        "/api/v1/track/X-1/rating",
        "/api/v1/violations/1/penalty",
        "/api/v1/receptions/bookings",
        "/api/v1/receptions/schedules",
        "/open311/v2/requests.json",
        "/open311/v2/requests.xml",
    };
    static char deep[20001];
    for (int i = 0; i < 10000; i++) {
        deep[i] = '[';
        deep[19999 - i] = ']';
    }
    static const struct {
        const char *body;
        size_t len;
    } junk[] = {
        {"", 0},
        {"null", 4},
        {"[]", 2},
        {"{}", 2},
        {"{\"a\":", 5},
        {"{\"kind\":1e999999}", 18},
        {"{\"kind\":\"\\ud800\"}", 18},
        {"\xff\xfe\xfd", 3},
        {"{\"text\":\"a\\u0000b\"}", 18}, /* an escaped NUL */
        {"{\"applicant\":[[[[]]]],\"kind\":{}}", 33},
        {deep, 20000},
    };
    for (size_t p = 0; p < sizeof paths / sizeof paths[0]; p++)
        for (size_t j = 0; j < sizeof junk / sizeof junk[0]; j++) {
            resp_t r = api_raw(s, "POST", paths[p], NULL, junk[j].body, junk[j].len);
            if (r.status < 400 || r.status >= 500)
                fail_msg("POST %s with junk %zu: %ld %s", paths[p], j, r.status,
                         r.body ? r.body : "");
            resp_free(&r);
        }
    resp_t r = api(s, "GET", "/healthz", NULL);
    assert_int_equal(r.status, 200);
    resp_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(healthz_reports_version_and_store),
        cmocka_unit_test(security_headers_on_every_reply),
        cmocka_unit_test(unknown_route_is_json_404),
        cmocka_unit_test(wrong_method_is_405_with_allow),
        cmocka_unit_test(keep_alive_survives_many_requests),
        cmocka_unit_test(cli_unknown_option_exits_2),
        cmocka_unit_test(cli_help_describes_every_command),
        cmocka_unit_test(newer_schema_is_refused),
        cmocka_unit_test(junk_never_gives_5xx),
    };
    return cmocka_run_group_tests(tests, srv_setup, srv_teardown);
}
