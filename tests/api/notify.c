/* Notification delivery over a webhook, with its retries (docs/accountability.md): a real
 * HTTP receiver on loopback (tests/api/webhook_sink.py) answers with the status the test
 * writes into its folder, and `otinish notify run --now INSTANT` moves the clock across the
 * backoff: 30 s after the first failure, doubled after each, marked failed after the 10th.
 * The server runs with no delivery channel, so only these runs deliver. */
#include "harness.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static srv_t S;
static char hook_dir[300], hook_url[64];
static pid_t hook_pid;

static int start_hook(void)
{
    snprintf(hook_dir, sizeof hook_dir, "%s/hook", S.dir);
    int port = sink_start("tests/api/webhook_sink.py", hook_dir, &hook_pid);
    if (port < 0)
        return -1;
    snprintf(hook_url, sizeof hook_url, "http://127.0.0.1:%d/hook", port);
    return 0;
}

static int setup(void **state)
{
    const char *serve[] = {"--sweep-interval", "0", "--public-limit", "0", NULL};
    if (srv_start(&S, NULL, serve) || start_hook())
        return -1;
    *state = &S;
    return 0;
}

static int teardown(void **state)
{
    sink_stop(hook_pid);
    return srv_stop(*state);
}

/* The receiver's answer to the next POSTs. */
static void hook_answers(int status)
{
    char path[400];
    snprintf(path, sizeof path, "%s/status", hook_dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "%d\n", status);
    fclose(f);
}

/* The body of the receiver's n-th POST (1-based) into out; 0 when it has not come. */
static int hook_post(int n, char *out, size_t size)
{
    char path[400];
    snprintf(path, sizeof path, "%s/%04d.json", hook_dir, n);
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    size_t len = fread(out, 1, size - 1, f);
    out[len] = '\0';
    fclose(f);
    return 1;
}

/* A citizen files on the portal with an e-mail address: the registration notice. */
static void file(const char *email, char number[64])
{
    char body[1024];
    snprintf(body, sizeof body,
             "{\"kind\":\"statement\",\"channel\":\"portal\",\"category\":\"heating\","
             "\"district\":\"ridder\",\"language\":\"ru\",\"text\":\"Нет отопления в доме\","
             "\"applicant\":{\"type\":\"individual\",\"full_name\":\"Петров П.\","
             "\"postal_address\":\"Риддер, ул. Ленина 1\",\"email\":\"%s\"}}",
             email);
    as(&S, NULL);
    resp_t r = api(&S, "POST", "/api/v1/appeals", body);
    if (r.status != 201)
        fprintf(stderr, "intake: %ld %s\n", r.status, r.body);
    assert_int_equal(r.status, 201);
    snprintf(number, 64, "%s", json_string_value(json_object_get(r.json, "number")));
    resp_free(&r);
}

/* One `notify run` at now + offset seconds (ISO 8601 in UTC, whole seconds: one more so
 * that offset 0 is not before a notice queued this second); its report line into out. */
static time_t run_at(long offset, char *out, size_t n)
{
    char at[40];
    time_t t = time(NULL) + 1 + offset;
    strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%S+00:00", gmtime(&t));
    const char *args[] = {"notify", "run",   "--db", S.db, "--webhook-url",
                          hook_url, "--now", at,     NULL};
    assert_int_equal(run_otinish(&S, args, NULL, out, n), 0);
    return t;
}

/* The applicant's notice in the outbox: status|attempts|last_error. */
static void outbox_row(const char *email, char *out, size_t n)
{
    char sql[300];
    snprintf(sql, sizeof sql,
             "SELECT status || '|' || attempts || '|' || coalesce(last_error, '') FROM outbox"
             " WHERE recipient = '%s'",
             email);
    sql_query(S.db, sql, out, n);
    out[strcspn(out, "\n")] = '\0';
}

static void webhook_retries_then_delivers(void **state)
{
    (void)state;
    char number[64], out[256], row[256], post[4096];
    file("retry@example.kz", number);

    hook_answers(500);
    run_at(0, out, sizeof out);
    assert_string_equal(out, "sent 0, to retry 1, failed 0\n");
    outbox_row("retry@example.kz", row, sizeof row);
    assert_string_equal(row, "pending|1|webhook: HTTP 500");
    assert_true(hook_post(1, post, sizeof post)); /* it was tried */

    /* not due again before 30 s have passed */
    hook_answers(200);
    run_at(20, out, sizeof out);
    assert_string_equal(out, "sent 0, to retry 0, failed 0\n");
    assert_false(hook_post(2, post, sizeof post));

    run_at(40, out, sizeof out);
    assert_string_equal(out, "sent 1, to retry 0, failed 0\n");
    outbox_row("retry@example.kz", row, sizeof row);
    assert_string_equal(row, "sent|2|");
    assert_true(hook_post(2, post, sizeof post));
    json_error_t je;
    json_t *j = json_loads(post, 0, &je);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(j, "recipient")), "retry@example.kz");
    assert_string_equal(json_string_value(json_object_get(j, "language")), "ru");
    /* the rendered notice names the appeal */
    assert_non_null(strstr(json_string_value(json_object_get(j, "subject")), number));
    assert_non_null(strstr(json_string_value(json_object_get(j, "text")), number));
    json_decref(j);

    /* delivered once: a later run sends nothing */
    run_at(3600, out, sizeof out);
    assert_string_equal(out, "sent 0, to retry 0, failed 0\n");
    assert_false(hook_post(3, post, sizeof post));
}

static void webhook_gives_up_after_ten_attempts(void **state)
{
    (void)state;
    char number[64], out[256], row[256], expect[64];
    file("down@example.kz", number);
    hook_answers(503);
    /* each run 7 h after the previous one: past the longest wait (6 h) */
    for (int attempt = 1; attempt <= 10; attempt++) {
        time_t at = run_at(7L * 3600 * attempt, out, sizeof out);
        assert_string_equal(out, attempt < 10 ? "sent 0, to retry 1, failed 0\n"
                                              : "sent 0, to retry 0, failed 1\n");
        outbox_row("down@example.kz", row, sizeof row);
        snprintf(expect, sizeof expect, "%s|%d|webhook: HTTP 503",
                 attempt < 10 ? "pending" : "failed", attempt);
        assert_string_equal(row, expect);
        if (attempt < 10) { /* the next try: 30 s, doubled after each failure, at most 6 h */
            long wait = 30L << (attempt - 1);
            if (wait > 6 * 3600)
                wait = 6 * 3600;
            long long next = sql_count(S.db, "SELECT next_at FROM outbox"
                                             " WHERE recipient = 'down@example.kz'");
            assert_int_equal(next, ((long long)at + wait) * 1000000LL);
        }
    }
    run_at(7L * 3600 * 11, out, sizeof out);
    assert_string_equal(out, "sent 0, to retry 0, failed 0\n");
}

/* An applicant who gave a phone gets the notice by SMS too, through the gateway (the same
 * kind of real receiver on loopback); with no gateway configured the SMS waits with the
 * reason, nothing is lost (issue 16 point 2). */
static void sms_through_the_gateway(void **state)
{
    (void)state;
    char body[1024], out[256], row[256];
    snprintf(body, sizeof body,
             "{\"kind\":\"statement\",\"channel\":\"portal\",\"category\":\"heating\","
             "\"district\":\"ridder\",\"language\":\"ru\",\"text\":\"Нет отопления в доме\","
             "\"applicant\":{\"type\":\"individual\",\"full_name\":\"Сидоров С.\","
             "\"phone\":\"8 (705) 333-44-55\"}}");
    as(&S, NULL);
    resp_t r = api(&S, "POST", "/api/v1/appeals", body);
    assert_int_equal(r.status, 201);
    char number[64];
    snprintf(number, sizeof number, "%s", json_string_value(json_object_get(r.json, "number")));
    resp_free(&r);
    /* no gateway: the SMS waits, saying why */
    char at[40];
    time_t t = time(NULL) + 2;
    strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%S+00:00", gmtime(&t));
    const char *nogw[] = {"notify", "run", "--db", S.db, "--now", at, NULL};
    assert_int_equal(run_otinish(&S, nogw, NULL, out, sizeof out), 0);
    sql_query(S.db,
              "SELECT status || '|' || coalesce(last_error, '') FROM outbox WHERE recipient ="
              " '+77053334455'",
              row, sizeof row);
    assert_non_null(strstr(row, "pending|sms: no SMS gateway"));
    /* the gateway: one POST with the number in E.164 and the text of the notice */
    hook_answers(200);
    t = time(NULL) + 3600;
    strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%S+00:00", gmtime(&t));
    const char *gw[] = {"notify", "run", "--db", S.db, "--sms-url", hook_url, "--now", at, NULL};
    assert_int_equal(run_otinish(&S, gw, NULL, out, sizeof out), 0);
    sql_query(S.db, "SELECT status FROM outbox WHERE recipient = '+77053334455'", row, sizeof row);
    assert_string_equal(row, "sent\n");
    char post[4096];
    int found = 0;
    for (int i = 1; i < 64 && !found; i++)
        if (hook_post(i, post, sizeof post) && strstr(post, "\"to\":\"+77053334455\""))
            found = 1;
    assert_true(found);
    assert_non_null(strstr(post, number));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(webhook_retries_then_delivers),
        cmocka_unit_test(webhook_gives_up_after_ten_attempts),
        cmocka_unit_test(sms_through_the_gateway),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
