/* The head's approval of his executors' answers (issue 16, point 1): a per-body setting the
 * head sets, an executor's answer held (in work, the term running, nothing sent to the
 * applicant), the queue GET /api/v1/approvals, approve (released: the applicant's notices go
 * out) or return_answer (back to the executor with a comment), each step in the history; a
 * held answer that outlives the term is the approver's violation. */
#include "harness.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define PW "correct horse battery"

static const char *const logins[] = {"head.housing", "head.ukg", "exec", "exec2",
                                     "sup",          "adm",      "reg",  NULL};

static srv_t S;

static int setup(void **state)
{
    const char *serve[] = {"--sweep-interval", "0", "--public-limit", "0", NULL};
    if (srv_start(&S, NULL, serve))
        return -1;
    *state = &S;
    add_user(&S, "head.housing", "head", "ridder.housing", PW);
    add_user(&S, "head.ukg", "head", "ukg", PW);
    add_user(&S, "exec", "executor", "ridder.housing", PW);
    add_user(&S, "exec2", "executor", "ridder.housing", PW);
    add_user(&S, "sup", "supervisor", "vko.apparat", PW);
    add_user(&S, "adm", "admin", "vko", PW);
    add_user(&S, "reg", "registrar", "ridder", PW);
    if (sign_in_all(&S, logins, PW))
        return -1;
    as(&S, NULL);
    return 0;
}

/* A portal appeal about heating in Ridder (to ridder.housing) with every contact. */
static void file(char number[64], char code[32])
{
    as(&S, NULL);
    resp_t r = api(&S, "POST", "/api/v1/appeals",
                   "{\"kind\":\"statement\",\"channel\":\"portal\",\"category\":\"heating\","
                   "\"district\":\"ridder\",\"language\":\"ru\",\"text\":\"В доме нет отопления\","
                   "\"applicant\":{\"type\":\"individual\",\"full_name\":\"Иванов Иван\","
                   "\"postal_address\":\"Риддер, ул. Гоголя 5, кв. 3\","
                   "\"phone\":\"+7 705 123 45 67\",\"email\":\"ivan@example.kz\"}}");
    assert_int_equal(r.status, 201);
    snprintf(number, 64, "%s", jstr(r.json, "number"));
    snprintf(code, 32, "%s", jstr(r.json, "access_code"));
    resp_free(&r);
}

static long act(const char *who, const char *number, const char *action, const char *body,
                json_t **out)
{
    as(&S, who);
    char sfx[64];
    snprintf(sfx, sizeof sfx, "/%s", action);
    resp_t r = api(&S, "POST", api_path(&S, "/api/v1/appeals/", number, sfx), body ? body : "{}");
    long st = r.status;
    if (out)
        *out = json_incref(r.json);
    if (st != 200 && !out)
        fprintf(stderr, "%s %s: %ld %s\n", who, action, st, r.body);
    resp_free(&r);
    as(&S, NULL);
    return st;
}

static void act_error(const char *who, const char *number, const char *action, const char *body,
                      long status, const char *code, const char *field)
{
    as(&S, who);
    char sfx[64];
    snprintf(sfx, sizeof sfx, "/%s", action);
    resp_t r = api(&S, "POST", api_path(&S, "/api/v1/appeals/", number, sfx), body ? body : "{}");
    expect_error(&r, status, code, field);
    resp_free(&r);
    as(&S, NULL);
}

#define ANSWER                                                                                                                            \
    "{\"decision\":\"satisfied\",\"text\":\"Теплоснабжение дома восстановлено 10 марта, "             \
    "температура в квартирах проверена комиссией.\",\"grounds\":\"Акт проверки №12; " \
    "Правила теплоснабжения, п. 5\"}"

/* Answered notices to the applicant of appeal number (any channel). */
static long answered_notices(const char *number)
{
    char sql[400];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM outbox o JOIN appeals a ON a.id = o.appeal_id"
             " WHERE a.number = '%s' AND o.template = 'answered'",
             number);
    return sql_count(S.db, sql);
}

static long staff_notices(const char *number, const char *tmpl, const char *login)
{
    char sql[500];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM outbox o JOIN appeals a ON a.id = o.appeal_id"
             " WHERE a.number = '%s' AND o.template = '%s'"
             " AND o.recipient = 'user:' || (SELECT id FROM users WHERE login = '%s')",
             number, tmpl, login);
    return sql_count(S.db, sql);
}

/* Whether number is in GET /api/v1/approvals as who (status returned in *st). */
static int queued(const char *who, const char *number, long *st)
{
    as(&S, who);
    resp_t r = api(&S, "GET", "/api/v1/approvals", NULL);
    *st = r.status;
    int found = 0;
    json_t *items = json_object_get(r.json, "items");
    for (size_t i = 0; i < json_array_size(items); i++)
        if (!strcmp(jstr(json_array_get(items, i), "number"), number))
            found = 1;
    resp_free(&r);
    as(&S, NULL);
    return found;
}

/* Whether number is among who's tasks (GET /api/v1/tasks, issue 18) as kind. */
static int task(const char *who, const char *number, const char *kind)
{
    as(&S, who);
    resp_t r = api(&S, "GET", "/api/v1/tasks", NULL);
    assert_int_equal(r.status, 200);
    int found = 0;
    json_t *items = json_object_get(r.json, "items");
    for (size_t i = 0; i < json_array_size(items); i++) {
        json_t *t = json_array_get(items, i);
        if (!strcmp(jstr(t, "number"), number) && !strcmp(jstr(t, "kind"), kind)) {
            found = 1;
            assert_string_equal(jstr(json_object_get(t, "data"), "decision"), "satisfied");
            assert_non_null(json_object_get(json_object_get(t, "by"), "name"));
        }
    }
    resp_free(&r);
    as(&S, NULL);
    return found;
}

static void setting(const char *who, const char *body, const char *json, long status,
                    const char *code, const char *field)
{
    as(&S, who);
    char p[128];
    snprintf(p, sizeof p, "/api/v1/bodies/%s/settings", body);
    resp_t r = api(&S, "POST", p, json);
    if (status == 200)
        assert_int_equal(r.status, 200);
    else
        expect_error(&r, status, code, field);
    resp_free(&r);
    as(&S, NULL);
}

static void the_head_sets_it(void **state)
{
    (void)state;
    as(&S, "exec");
    resp_t r = api(&S, "GET", "/api/v1/bodies/ridder.housing/settings", NULL);
    assert_int_equal(r.status, 200);
    assert_true(json_is_false(json_object_get(r.json, "answer_approval")));
    resp_free(&r);
    r = api(&S, "GET", "/api/v1/bodies/nowhere/settings", NULL);
    expect_error(&r, 404, "body_not_found", "body");
    resp_free(&r);
    setting("exec", "ridder.housing", "{\"answer_approval\":true}", 403, "forbidden", NULL);
    setting("head.ukg", "ridder.housing", "{\"answer_approval\":true}", 403, "forbidden", NULL);
    setting("head.housing", "ridder.housing", "{\"answer_approval\":\"yes\"}", 422, "wrong_type",
            "answer_approval");
    setting("head.housing", "ridder.housing", "{}", 422, "required", "answer_approval");
    setting("head.housing", "ridder.housing", "{\"answer_approval\":true,\"x\":1}", 422,
            "unknown_field", "x");
    setting("head.housing", "nowhere", "{\"answer_approval\":true}", 404, "body_not_found", "body");
    setting("head.housing", "ridder.housing", "{\"answer_approval\":true}", 200, NULL, NULL);
    as(&S, "sup");
    r = api(&S, "GET", "/api/v1/bodies/ridder.housing/settings", NULL);
    assert_true(json_is_true(json_object_get(r.json, "answer_approval")));
    assert_int_equal(json_integer_value(json_object_get(r.json, "updated_by")),
                     staff_id(&S, "head.housing"));
    resp_free(&r);
    as(&S, NULL);
    assert_int_equal(sql_count(S.db, "SELECT count(*) FROM events WHERE action = 'body.settings'"
                                     " AND object_id = 'ridder.housing'"),
                     1);
}

static void held_then_approved(void **state)
{
    (void)state;
    char number[64], code[32];
    long st;
    file(number, code);
    assert_int_equal(act("head.housing", number, "assign", "{\"executor\":\"exec\"}", NULL), 200);
    assert_int_equal(act("exec", number, "start", NULL, NULL), 200);
    json_t *a = NULL;
    assert_int_equal(act("exec", number, "answer", ANSWER, &a), 200);
    /* held: still in work, no answer, the draft shown as awaiting approval */
    assert_string_equal(jstr(a, "status"), "in_work");
    assert_null(json_object_get(a, "answer"));
    json_t *held = json_object_get(a, "awaiting_approval");
    assert_non_null(held);
    assert_string_equal(jstr(held, "decision"), "satisfied");
    assert_string_equal(jstr(json_object_get(held, "submitted_by"), "login"), "exec");
    assert_true(json_is_true(json_object_get(held, "submitted_on_time")));
    json_decref(a);
    assert_int_equal(answered_notices(number), 0);
    assert_int_equal(staff_notices(number, "approval_request", "head.housing"), 1);
    /* the citizen sees no answer yet */
    char q[128];
    snprintf(q, sizeof q, "?code=%s", code);
    resp_t r = api(&S, "GET", api_path(&S, "/api/v1/track/", number, q), NULL);
    assert_int_equal(r.status, 200);
    assert_string_equal(jstr(r.json, "status"), "in_work");
    assert_null(json_object_get(r.json, "answer"));
    resp_free(&r);
    /* the queue: the head and the author see it; another city's head not; admins 403 */
    assert_true(queued("head.housing", number, &st));
    assert_true(queued("exec", number, &st));
    assert_false(queued("exec2", number, &st));
    assert_false(queued("head.ukg", number, &st));
    assert_true(queued("sup", number, &st));
    queued("adm", number, &st);
    assert_int_equal(st, 403);
    /* a task in the head's queue (issue 18), not in the executor's or another city's head's */
    assert_true(task("head.housing", number, "answer_approval"));
    assert_false(task("exec", number, "answer_approval"));
    assert_false(task("head.ukg", number, "answer_approval"));
    /* nothing else moves it meanwhile */
    act_error("exec", number, "answer", ANSWER, 409, "answer_awaiting_approval", "status");
    act_error("head.housing", number, "forward", "{\"body\":\"ukg\",\"reason\":\"не наше\"}", 409,
              "answer_awaiting_approval", "status");
    act_error("exec", number, "approve", NULL, 403, "forbidden", NULL);
    act_error("head.ukg", number, "approve", NULL, 404, "appeal_not_found", "number");
    /* the head approves: released, the applicant's notices go out by every channel */
    assert_int_equal(act("head.housing", number, "approve", NULL, &a), 200);
    assert_string_equal(jstr(a, "status"), "answered");
    assert_string_equal(jstr(json_object_get(a, "answer"), "decision"), "satisfied");
    assert_null(json_object_get(a, "awaiting_approval"));
    json_decref(a);
    assert_int_equal(answered_notices(number), 3); /* e-mail, SMS, a letter */
    assert_false(queued("head.housing", number, &st));
    assert_false(task("head.housing", number, "answer_approval"));
    act_error("head.housing", number, "approve", NULL, 409, "illegal_transition", "status");
    /* the history: held, then approved by the head */
    as(&S, "head.housing");
    r = api(&S, "GET", api_path(&S, "/api/v1/appeals/", number, "/history"), NULL);
    as(&S, NULL);
    assert_int_equal(r.status, 200);
    json_t *ev = json_object_get(r.json, "events");
    int held_at = -1, approved_at = -1;
    for (size_t i = 0; i < json_array_size(ev); i++) {
        const char *action = jstr(json_array_get(ev, i), "action");
        json_t *d = json_object_get(json_array_get(ev, i), "data");
        if (!strcmp(action, "appeal.answer_held")) {
            held_at = (int)i;
            assert_true(json_is_true(json_object_get(d, "awaiting_approval")));
        } else if (!strcmp(action, "appeal.approve")) {
            approved_at = (int)i;
            assert_true(json_is_true(json_object_get(d, "on_time")));
            assert_int_equal(json_integer_value(json_object_get(d, "submitted_by")),
                             staff_id(&S, "exec"));
        }
    }
    resp_free(&r);
    assert_true(held_at >= 0 && approved_at > held_at);
    /* the answer is the executor's */
    char sql[300];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM appeals WHERE number = '%s'"
             " AND answered_by = (SELECT id FROM users WHERE login = 'exec')",
             number);
    assert_int_equal(sql_count(S.db, sql), 1);
}

static void returned_with_a_comment(void **state)
{
    (void)state;
    char number[64], code[32];
    json_t *a = NULL;
    file(number, code);
    assert_int_equal(act("head.housing", number, "assign", "{\"executor\":\"exec\"}", NULL), 200);
    assert_int_equal(act("exec", number, "answer", ANSWER, NULL), 200);
    act_error("head.housing", number, "return_answer", NULL, 422, "required", "reason");
    assert_int_equal(
        act("head.housing", number, "return_answer", "{\"reason\":\"Приложите акт проверки\"}", &a),
        200);
    assert_string_equal(jstr(a, "status"), "in_work");
    assert_null(json_object_get(a, "awaiting_approval"));
    json_decref(a);
    assert_int_equal(staff_notices(number, "answer_returned", "exec"), 1);
    assert_int_equal(answered_notices(number), 0);
    act_error("head.housing", number, "approve", NULL, 409, "no_answer_awaiting", "status");
    char sql[300];
    snprintf(
        sql, sizeof sql,
        "SELECT count(*) FROM events WHERE object_id = '%s' AND action ="
        " 'appeal.return_answer' AND json_extract(data, '$.reason') = 'Приложите акт проверки'",
        number);
    assert_int_equal(sql_count(S.db, sql), 1);
    /* answered again: held again */
    assert_int_equal(act("exec", number, "answer", ANSWER, &a), 200);
    assert_non_null(json_object_get(a, "awaiting_approval"));
    json_decref(a);
    /* the head's own answer needs nobody's approval */
    char n2[64];
    file(n2, code);
    assert_int_equal(act("head.housing", n2, "assign", "{\"executor\":\"exec\"}", NULL), 200);
    assert_int_equal(act("head.housing", n2, "answer", ANSWER, &a), 200);
    assert_string_equal(jstr(a, "status"), "answered");
    json_decref(a);
    assert_int_equal(answered_notices(n2), 3);
    /* the setting off: an executor's answer goes out at once */
    setting("head.housing", "ridder.housing", "{\"answer_approval\":false}", 200, NULL, NULL);
    char n3[64];
    file(n3, code);
    assert_int_equal(act("head.housing", n3, "assign", "{\"executor\":\"exec\"}", NULL), 200);
    assert_int_equal(act("exec", n3, "answer", ANSWER, &a), 200);
    assert_string_equal(jstr(a, "status"), "answered");
    json_decref(a);
    setting("head.housing", "ridder.housing", "{\"answer_approval\":true}", 200, NULL, NULL);
}

/* The term is judged by the release: an answer given in time and still held when the term
 * has passed is late, and the one who holds it, the head, answers for it. */
static void held_past_the_term_is_the_approvers(void **state)
{
    (void)state;
    char number[64], code[32], now[40], out[512];
    file(number, code);
    assert_int_equal(act("head.housing", number, "assign", "{\"executor\":\"exec\"}", NULL), 200);
    assert_int_equal(act("exec", number, "answer", ANSWER, NULL), 200);
    time_t t = time(NULL) + 60L * 86400;
    strftime(now, sizeof now, "%Y-%m-%dT12:00:00+00:00", gmtime(&t));
    const char *args[] = {"sweep", "--db", S.db, "--now", now, NULL};
    assert_int_equal(run_otinish(&S, args, NULL, out, sizeof out), 0);
    as(&S, "sup");
    resp_t r = api(&S, "GET", "/api/v1/violations?kind=late_answer", NULL);
    as(&S, NULL);
    assert_int_equal(r.status, 200);
    json_t *items = json_object_get(r.json, "items"), *v = NULL;
    for (size_t i = 0; i < json_array_size(items); i++)
        if (!strcmp(jstr(json_array_get(items, i), "appeal"), number))
            v = json_array_get(items, i);
    assert_non_null(v);
    json_t *resp = json_object_get(v, "responsible");
    assert_string_equal(jstr(resp, "via"), "approver");
    assert_int_equal(json_integer_value(json_object_get(resp, "id")), staff_id(&S, "head.housing"));
    resp_free(&r);
}

/* An answer given late and released by the head is a late answer (the sweep follows
 * appeal.approve), and its executor answers for it: the lateness was his. A letter received
 * in March (entered now, with the reason) has its term long past. */
static void released_late_answer_is_the_executors(void **state)
{
    (void)state;
    as(&S, "reg");
    resp_t r = api(&S, "POST", "/api/v1/appeals",
                   "{\"kind\":\"statement\",\"channel\":\"mail\",\"category\":\"heating\","
                   "\"district\":\"ridder\",\"language\":\"ru\",\"text\":\"Нет отопления\","
                   "\"received_at\":\"2026-03-02T10:00:00+05:00\",\"received_reason\":\"из журнала"
                   " почты\",\"applicant\":{\"type\":\"individual\",\"full_name\":\"Ким К.\","
                   "\"postal_address\":\"Риддер, ул. Ленина 7\"}}");
    as(&S, NULL);
    assert_int_equal(r.status, 201);
    char number[64], out[512];
    snprintf(number, sizeof number, "%s", jstr(r.json, "number"));
    resp_free(&r);
    assert_int_equal(act("head.housing", number, "assign", "{\"executor\":\"exec\"}", NULL), 200);
    json_t *a = NULL;
    assert_int_equal(act("exec", number, "answer", ANSWER, &a), 200);
    assert_true(json_is_false(
        json_object_get(json_object_get(a, "awaiting_approval"), "submitted_on_time")));
    json_decref(a);
    assert_int_equal(act("head.housing", number, "approve", NULL, NULL), 200);
    const char *args[] = {"sweep", "--db", S.db, NULL};
    assert_int_equal(run_otinish(&S, args, NULL, out, sizeof out), 0);
    as(&S, "sup");
    r = api(&S, "GET", "/api/v1/violations?kind=late_answer", NULL);
    as(&S, NULL);
    json_t *items = json_object_get(r.json, "items"), *v = NULL;
    for (size_t i = 0; i < json_array_size(items); i++)
        if (!strcmp(jstr(json_array_get(items, i), "appeal"), number))
            v = json_array_get(items, i);
    assert_non_null(v);
    json_t *who = json_object_get(v, "responsible");
    assert_string_equal(jstr(who, "via"), "executor");
    assert_int_equal(json_integer_value(json_object_get(who, "id")), staff_id(&S, "exec"));
    resp_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_head_sets_it),
        cmocka_unit_test(held_then_approved),
        cmocka_unit_test(returned_with_a_comment),
        cmocka_unit_test(held_past_the_term_is_the_approvers),
        cmocka_unit_test(released_late_answer_is_the_executors),
    };
    return cmocka_run_group_tests(tests, setup, srv_teardown);
}
