/* The staff workspace (issue 18) against the real server: the work queue (open appeals by
 * due date, counts per state, its keyset cursor), the executor picker with workload, people
 * by name and position in appeals and their history, the head's tasks (extension requests),
 * the drill-down to a body's subtree and the dashboard's one answer. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PW "correct horse battery"

static const char *const logins[] = {"head.ridder", "exec.a", "exec.b", "head.ukg", "sup", NULL};

static srv_t S;
static char num[4][64];

static void add_named(srv_t *s, const char *login_name, const char *role, const char *body,
                      const char *name, const char *position)
{
    char input[64], out[512];
    snprintf(input, sizeof input, "%s\n", PW);
    const char *args[] = {"user",     "add",    "--db",   s->db,        "--login",
                          login_name, "--name", name,     "--position", position,
                          "--role",   role,     "--body", body,         NULL};
    assert_int_equal(run_otinish(s, args, input, out, sizeof out), 0);
}

static int setup(void **state)
{
    const char *serve[] = {"--public-limit", "0", NULL};
    if (srv_start(&S, NULL, serve))
        return -1;
    *state = &S;
    srv_t *s = &S;
    add_named(s, "head.ridder", "head", "ridder", "Ерлан Садықов", "Аким города Риддера");
    add_named(s, "exec.a", "executor", "ridder.housing", "Мария Ким", "Главный специалист");
    add_named(s, "exec.b", "executor", "ridder.housing", "Асхат Оспанов", "Ведущий специалист");
    add_user(s, "head.ukg", "head", "ukg", PW);
    add_user(s, "sup", "supervisor", "vko.apparat", PW);
    if (sign_in_all(s, logins, PW))
        return -1;
    /* four heating appeals of Ridder, filed one after the other */
    as(s, NULL);
    for (int i = 0; i < 4; i++) {
        resp_t r = api(s, "POST", "/api/v1/appeals",
                       "{\"kind\":\"statement\",\"channel\":\"portal\",\"category\":\"heating\","
                       "\"district\":\"ridder\",\"language\":\"ru\",\"text\":\"Нет отопления\","
                       "\"applicant\":{\"type\":\"individual\",\"full_name\":\"Иванов Иван\","
                       "\"phone\":\"+7 705 123 45 67\"}}");
        assert_int_equal(r.status, 201);
        snprintf(num[i], sizeof num[i], "%s", jstr(r.json, "number"));
        resp_free(&r);
    }
    /* the first gets a later due date: the queue puts it last */
    as(s, "head.ridder");
    resp_t r = api(s, "GET", api_path(s, "/api/v1/appeals/", num[0], NULL), NULL);
    assert_int_equal(r.status, 200);
    char body[256];
    snprintf(body, sizeof body, "{\"due_on\":\"%s\",\"reason\":\"Нужна экспертиза\"}",
             jstr(r.json, "max_due_on"));
    resp_free(&r);
    r = api(s, "POST", api_path(s, "/api/v1/appeals/", num[0], "/extend"), body);
    assert_int_equal(r.status, 200);
    resp_free(&r);
    r = api(s, "POST", api_path(s, "/api/v1/appeals/", num[1], "/assign"),
            "{\"executor\":\"exec.a\"}");
    assert_int_equal(r.status, 200);
    resp_free(&r);
    return 0;
}

static const char *item_number(json_t *page, size_t i)
{
    return jstr(json_array_get(json_object_get(page, "items"), i), "number");
}

static void queue_by_due(void **state)
{
    srv_t *s = *state;
    as(s, "head.ridder");
    resp_t r = api(s, "GET", "/api/v1/appeals?sort=due&limit=2&counts=1", NULL);
    assert_int_equal(r.status, 200);
    assert_string_equal(item_number(r.json, 0), num[1]);
    assert_string_equal(item_number(r.json, 1), num[2]);
    json_t *c = json_object_get(r.json, "counts");
    assert_int_equal(json_integer_value(json_object_get(c, "registered")), 3);
    assert_int_equal(json_integer_value(json_object_get(c, "assigned")), 1);
    assert_int_equal(json_integer_value(json_object_get(c, "in_work")), 0);
    assert_int_equal(json_integer_value(json_object_get(c, "overdue")), 0);
    char next[64], url[128];
    snprintf(next, sizeof next, "%s", jstr(r.json, "next"));
    assert_non_null(strchr(next, '.')); /* "YYYY-MM-DD.ID" */
    resp_free(&r);
    snprintf(url, sizeof url, "/api/v1/appeals?sort=due&limit=2&after=%s", next);
    r = api(s, "GET", url, NULL);
    assert_int_equal(r.status, 200);
    assert_string_equal(item_number(r.json, 0), num[3]);
    assert_string_equal(item_number(r.json, 1), num[0]); /* extended: due last */
    resp_free(&r);
    /* the newest-first list is as it was */
    r = api(s, "GET", "/api/v1/appeals?limit=4", NULL);
    assert_string_equal(item_number(r.json, 0), num[3]);
    assert_string_equal(item_number(r.json, 3), num[0]);
    assert_null(json_object_get(r.json, "counts"));
    resp_free(&r);
    /* a state's tab */
    r = api(s, "GET", "/api/v1/appeals?sort=due&status=assigned", NULL);
    assert_int_equal(json_array_size(json_object_get(r.json, "items")), 1);
    assert_string_equal(item_number(r.json, 0), num[1]);
    resp_free(&r);
    /* the executor's own queue */
    as(s, "exec.a");
    r = api(s, "GET", "/api/v1/appeals?sort=due&counts=1", NULL);
    assert_int_equal(json_array_size(json_object_get(r.json, "items")), 1);
    assert_int_equal(
        json_integer_value(json_object_get(json_object_get(r.json, "counts"), "assigned")), 1);
    resp_free(&r);
    r = api(s, "GET", "/api/v1/appeals?sort=due&after=2026-01-01", NULL);
    expect_error(&r, 422, "bad_cursor", "after");
    resp_free(&r);
    r = api(s, "GET", "/api/v1/appeals?sort=oldest", NULL);
    expect_error(&r, 422, "unknown_value", "sort");
    resp_free(&r);
}

/* The overdue list (issue 23) is by due date, the most overdue first, paged with the queue's
 * cursor "YYYY-MM-DD.ID": it reads the overdue range of the index of open appeals by due
 * date instead of skipping, newest first, every open appeal not yet due. */
static void overdue_list_by_due(void **state)
{
    srv_t *s = *state;
    char q[400], due[2][16], url[160], next[64];
    for (int i = 0; i < 2; i++) { /* kept, and put back at the end */
        snprintf(q, sizeof q, "SELECT due_on FROM appeals WHERE number = '%s'", num[2 + i]);
        sql_query(s->db, q, due[i], sizeof due[i]);
        due[i][10] = '\0';
    }
    /* the newer one (num[3]) is the more overdue: newest first would show it first too */
    snprintf(q, sizeof q,
             "UPDATE appeals SET due_on = '2026-01-20' WHERE number = '%s';"
             "UPDATE appeals SET due_on = '2026-01-10' WHERE number = '%s'",
             num[2], num[3]);
    sql_exec(s->db, q);
    as(s, "head.ridder");
    resp_t r = api(s, "GET", "/api/v1/appeals?overdue=1&limit=1", NULL);
    assert_int_equal(r.status, 200);
    assert_string_equal(item_number(r.json, 0), num[3]);
    snprintf(next, sizeof next, "%s", jstr(r.json, "next"));
    assert_int_equal(strncmp(next, "2026-01-10.", 11), 0);
    resp_free(&r);
    snprintf(url, sizeof url, "/api/v1/appeals?overdue=1&limit=1&after=%s", next);
    r = api(s, "GET", url, NULL);
    assert_int_equal(r.status, 200);
    assert_int_equal(json_array_size(json_object_get(r.json, "items")), 1);
    assert_string_equal(item_number(r.json, 0), num[2]);
    snprintf(next, sizeof next, "%s", jstr(r.json, "next"));
    resp_free(&r);
    snprintf(url, sizeof url, "/api/v1/appeals?overdue=1&limit=1&after=%s", next);
    r = api(s, "GET", url, NULL); /* past the last overdue one: nothing, though more are open */
    assert_int_equal(r.status, 200);
    assert_int_equal(json_array_size(json_object_get(r.json, "items")), 0);
    assert_true(json_is_null(json_object_get(r.json, "next")));
    resp_free(&r);
    r = api(s, "GET", "/api/v1/appeals?overdue=1&sort=due&limit=5", NULL); /* the same list */
    assert_int_equal(json_array_size(json_object_get(r.json, "items")), 2);
    assert_string_equal(item_number(r.json, 0), num[3]);
    resp_free(&r);
    r = api(s, "GET", "/api/v1/appeals?overdue=1&after=5", NULL); /* an id is no cursor here */
    expect_error(&r, 422, "bad_cursor", "after");
    resp_free(&r);
    r = api(s, "GET", "/api/v1/appeals?overdue=1&sort=new", NULL);
    expect_error(&r, 422, "unknown_value", "sort");
    resp_free(&r);
    snprintf(q, sizeof q,
             "UPDATE appeals SET due_on = '%s' WHERE number = '%s';"
             "UPDATE appeals SET due_on = '%s' WHERE number = '%s'",
             due[0], num[2], due[1], num[3]);
    sql_exec(s->db, q);
}

static void people_by_name(void **state)
{
    srv_t *s = *state;
    as(s, "head.ridder");
    resp_t r = api(s, "GET", api_path(s, "/api/v1/appeals/", num[1], NULL), NULL);
    json_t *p = json_object_get(r.json, "executor_person");
    assert_string_equal(jstr(p, "name"), "Мария Ким");
    assert_string_equal(jstr(p, "position"), "Главный специалист");
    resp_free(&r);
    r = api(s, "GET", api_path(s, "/api/v1/appeals/", num[1], "/history"), NULL);
    json_t *ev = json_object_get(r.json, "events");
    json_t *assign = NULL;
    for (size_t i = 0; i < json_array_size(ev); i++)
        if (!strcmp(jstr(json_array_get(ev, i), "action"), "appeal.assign"))
            assign = json_array_get(ev, i);
    assert_non_null(assign);
    assert_string_equal(jstr(json_object_get(assign, "actor_person"), "name"), "Ерлан Садықов");
    assert_string_equal(jstr(json_object_get(assign, "executor_person"), "name"), "Мария Ким");
    /* the citizen's registration has no person */
    assert_true(json_is_null(json_object_get(json_array_get(ev, 0), "actor_person")));
    resp_free(&r);
    /* the list carries it too */
    r = api(s, "GET", "/api/v1/appeals?sort=due&status=assigned", NULL);
    p = json_object_get(json_array_get(json_object_get(r.json, "items"), 0), "executor_person");
    assert_string_equal(jstr(p, "name"), "Мария Ким");
    resp_free(&r);
}

static void executor_picker(void **state)
{
    srv_t *s = *state;
    as(s, "head.ridder");
    resp_t r = api(s, "GET", "/api/v1/executors?body=ridder.housing", NULL);
    assert_int_equal(r.status, 200);
    json_t *items = json_object_get(r.json, "items");
    assert_int_equal(json_array_size(items), 2);
    /* by name: Асхат before Мария */
    assert_string_equal(jstr(json_array_get(items, 0), "login"), "exec.b");
    assert_string_equal(jstr(json_array_get(items, 1), "name"), "Мария Ким");
    /* the position in the other languages, from data/regions/vko/positions.tsv */
    json_t *forms = json_object_get(json_array_get(items, 1), "position_forms");
    assert_string_equal(jstr(forms, "kk"), "Бас маман");
    assert_string_equal(jstr(forms, "ru"), "Главный специалист");
    assert_int_equal(json_integer_value(json_object_get(json_array_get(items, 1), "open")), 1);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(items, 0), "open")), 0);
    resp_free(&r);
    r = api(s, "GET", "/api/v1/executors", NULL); /* the head's own body and below */
    assert_int_equal(json_array_size(json_object_get(r.json, "items")), 2);
    resp_free(&r);
    r = api(s, "GET", "/api/v1/executors?body=nowhere", NULL);
    expect_error(&r, 404, "body_not_found", "body");
    resp_free(&r);
    as(s, "head.ukg");
    r = api(s, "GET", "/api/v1/executors?body=ridder.housing", NULL);
    expect_error(&r, 403, "forbidden", "body");
    resp_free(&r);
    as(s, "exec.a");
    r = api(s, "GET", "/api/v1/executors", NULL);
    expect_error(&r, 403, "forbidden", "body");
    resp_free(&r);
}

static void head_tasks(void **state)
{
    srv_t *s = *state;
    as(s, "exec.a");
    resp_t r = api(s, "GET", api_path(s, "/api/v1/appeals/", num[1], NULL), NULL);
    char body[256];
    snprintf(body, sizeof body, "{\"due_on\":\"%s\",\"reason\":\"Ждём ответа подрядчика\"}",
             jstr(r.json, "max_due_on"));
    resp_free(&r);
    r = api(s, "POST", api_path(s, "/api/v1/appeals/", num[1], "/request_extension"), body);
    assert_int_equal(r.status, 200);
    resp_free(&r);
    r = api(s, "GET", "/api/v1/tasks", NULL); /* an executor has none */
    assert_int_equal(json_array_size(json_object_get(r.json, "items")), 0);
    resp_free(&r);
    as(s, "head.ridder");
    r = api(s, "GET", "/api/v1/tasks", NULL);
    assert_int_equal(r.status, 200);
    json_t *items = json_object_get(r.json, "items");
    assert_int_equal(json_array_size(items), 1);
    json_t *t = json_array_get(items, 0);
    assert_string_equal(jstr(t, "kind"), "extension_request");
    assert_string_equal(jstr(t, "number"), num[1]);
    assert_string_equal(jstr(json_object_get(t, "by"), "name"), "Мария Ким");
    assert_string_equal(jstr(json_object_get(t, "data"), "reason"), "Ждём ответа подрядчика");
    resp_free(&r);
    as(s, "head.ukg");
    r = api(s, "GET", "/api/v1/tasks", NULL);
    assert_int_equal(json_array_size(json_object_get(r.json, "items")), 0);
    resp_free(&r);
    /* decided: the task is gone */
    as(s, "head.ridder");
    r = api(s, "POST", api_path(s, "/api/v1/appeals/", num[1], "/refuse_extension"),
            "{\"reason\":\"Срок достаточен\"}");
    assert_int_equal(r.status, 200);
    resp_free(&r);
    r = api(s, "GET", "/api/v1/tasks", NULL);
    assert_int_equal(json_array_size(json_object_get(r.json, "items")), 0);
    resp_free(&r);
}

static void drill_down(void **state)
{
    srv_t *s = *state;
    as(s, "sup");
    resp_t r = api(s, "GET", "/api/v1/appeals?under=ridder&counts=1", NULL);
    assert_int_equal(r.status, 200);
    assert_int_equal(json_array_size(json_object_get(r.json, "items")), 4);
    resp_free(&r);
    r = api(s, "GET", "/api/v1/appeals?under=ukg", NULL);
    assert_int_equal(json_array_size(json_object_get(r.json, "items")), 0);
    resp_free(&r);
    r = api(s, "GET", "/api/v1/appeals?under=nowhere", NULL);
    expect_error(&r, 422, "unknown_body", "under");
    resp_free(&r);
    as(s, "head.ukg");
    r = api(s, "GET", "/api/v1/appeals?under=ridder", NULL);
    expect_error(&r, 403, "forbidden", "under");
    resp_free(&r);
}

static json_t *hl(json_t *d, const char *k)
{
    return json_object_get(json_object_get(d, "headline"), k);
}

/* The day the latest appeal was registered: after the body's working day (18:30 local) an
 * appeal registers on the next working day, so the dashboard's period must reach it. */
static char reg_on[11];

/* Files an appeal about its own problem (its own address and words) and answers it as
 * satisfied; the applicant then gives the verdict. */
static void solved_as_said(srv_t *s, const char *address, const char *text, const char *verdict)
{
    char b[1024], number[64], code[32];
    as(s, NULL);
    snprintf(b, sizeof b,
             "{\"kind\":\"statement\",\"category\":\"road_repair\",\"district\":\"ridder\","
             "\"language\":\"ru\",\"address\":\"%s\",\"text\":\"%s\",\"applicant\":{\"type\":"
             "\"individual\",\"full_name\":\"Сидоров Семён\",\"phone\":\"+77057654321\"}}",
             address, text);
    resp_t r = api(s, "POST", "/api/v1/appeals", b);
    assert_int_equal(r.status, 201);
    snprintf(number, sizeof number, "%s", jstr(r.json, "number"));
    snprintf(code, sizeof code, "%s", jstr(r.json, "access_code"));
    snprintf(reg_on, sizeof reg_on, "%s", jstr(r.json, "registered_on"));
    resp_free(&r);
    as(s, "head.ridder");
    r = api(s, "POST", api_path(s, "/api/v1/appeals/", number, "/assign"),
            "{\"executor\":\"head.ridder\"}");
    assert_int_equal(r.status, 200);
    resp_free(&r);
    r = api(s, "POST", api_path(s, "/api/v1/appeals/", number, "/answer"),
            "{\"decision\":\"satisfied\",\"text\":\"Яма заделана, покрытие восстановлено, "
            "проверено на месте.\",\"grounds\":\"Акт приёмки работ; АППК ст. 76\"}");
    assert_int_equal(r.status, 200);
    resp_free(&r);
    as(s, NULL);
    snprintf(b, sizeof b, "{\"code\":\"%s\",\"verdict\":\"%s\"}", code, verdict);
    r = api(s, "POST", api_path(s, "/api/v1/track/", number, "/verdict"), b);
    assert_int_equal(r.status, 200);
    resp_free(&r);
}

static double hl_num(json_t *d, const char *k, const char *when)
{
    json_t *v = json_object_get(json_object_get(json_object_get(d, "headline"), k), when);
    assert_true(json_is_number(v));
    return json_number_value(v);
}

static void dashboard(void **state)
{
    srv_t *s = *state;
    /* issue 18: "problems solved" is the problems actually solved (issue 17), not the share
     * of answers marked satisfied: two satisfied answers, the citizen of one says "no" */
    solved_as_said(s, "Риддер, ул. Гагарина 14", "Глубокая яма на дороге у дома Гагарина 14.",
                   "yes");
    solved_as_said(s, "Риддер, ул. Чапаева 3", "Разбит асфальт во дворе дома Чапаева 3, лужи.",
                   "no");
    char url[96];
    snprintf(url, sizeof url, "/api/v1/dashboard?from=%.4s-01-01&to=%s", reg_on, reg_on);
    as(s, "sup");
    resp_t r = api(s, "GET", url, NULL);
    assert_int_equal(r.status, 200);
    assert_int_equal(json_integer_value(json_object_get(hl(r.json, "problems_decided"), "now")), 2);
    assert_int_equal(json_integer_value(json_object_get(hl(r.json, "problems_solved"), "now")), 1);
    assert_true(hl_num(r.json, "solved_pct", "now") > 49.9 &&
                hl_num(r.json, "solved_pct", "now") < 50.1); /* not 100: "no" is not solved */
    assert_true(json_is_null(json_object_get(hl(r.json, "solved_pct"), "prev")));
    assert_int_equal(json_integer_value(json_object_get(hl(r.json, "verdict_n"), "now")), 2);
    assert_true(hl_num(r.json, "verdict_no_pct", "now") > 49.9);
    assert_null(hl(r.json, "resolved_pct"));
    assert_int_equal(json_integer_value(json_object_get(hl(r.json, "received"), "now")), 6);
    assert_int_equal(json_integer_value(json_object_get(hl(r.json, "received"), "prev")), 0);
    assert_int_equal(json_integer_value(hl(r.json, "overdue_now")), 0);
    assert_string_equal(jstr(r.json, "root"), "vko");
    /* the open appeals by days to due: all four, none overdue */
    json_t *od = json_object_get(r.json, "open_due");
    json_int_t open = 0;
    const char *k;
    json_t *v;
    json_object_foreach(od, k, v) open += json_integer_value(v);
    assert_int_equal(open, 4);
    /* the ranked group holds Ridder with its four */
    json_t *bodies = json_object_get(r.json, "bodies"), *ridder = NULL;
    for (size_t i = 0; i < json_array_size(bodies); i++)
        if (!strcmp(jstr(json_array_get(bodies, i), "body"), "ridder"))
            ridder = json_array_get(bodies, i);
    assert_non_null(ridder);
    assert_int_equal(json_integer_value(json_object_get(ridder, "received")), 6);
    assert_true(json_number_value(json_object_get(ridder, "solved_pct")) < 50.1);
    assert_true(json_is_array(json_object_get(r.json, "months")));
    assert_true(json_is_array(json_object_get(r.json, "alerts")));
    assert_true(json_integer_value(json_object_get(r.json, "alerts_total")) >=
                (json_int_t)json_array_size(json_object_get(r.json, "alerts")));
    resp_free(&r);
    /* a head: the own subtree */
    as(s, "head.ukg");
    r = api(s, "GET", url, NULL);
    assert_int_equal(r.status, 200);
    assert_string_equal(jstr(r.json, "root"), "ukg");
    assert_int_equal(json_integer_value(json_object_get(hl(r.json, "received"), "now")), 0);
    resp_free(&r);
    r = api(s, "GET", "/api/v1/dashboard?from=2026-13-01", NULL);
    expect_error(&r, 422, "bad_date", "from");
    resp_free(&r);
    as(s, "exec.a");
    r = api(s, "GET", "/api/v1/dashboard", NULL);
    assert_int_equal(r.status, 403);
    resp_free(&r);
}

/* The registrar's phone entry: a caller's earlier appeals by IIN, within the reader's scope. */
static void applicant_history(void **state)
{
    srv_t *s = *state;
    as(s, NULL);
    resp_t r = api(s, "POST", "/api/v1/appeals",
                   "{\"kind\":\"statement\",\"category\":\"heating\",\"district\":\"ridder\","
                   "\"language\":\"ru\",\"text\":\"Холодно в квартире\",\"applicant\":{\"type\":"
                   "\"individual\",\"full_name\":\"Петров Пётр\",\"iin\":\"850505400018\","
                   "\"phone\":\"+77051234567\"}}");
    assert_int_equal(r.status, 201);
    char number[64];
    snprintf(number, sizeof number, "%s", jstr(r.json, "number"));
    resp_free(&r);
    as(s, "head.ridder");
    r = api(s, "GET", "/api/v1/applicants/850505400018/appeals", NULL);
    assert_int_equal(r.status, 200);
    assert_int_equal(json_array_size(json_object_get(r.json, "items")), 1);
    assert_string_equal(item_number(r.json, 0), number);
    /* masked, as every list */
    assert_null(strstr(r.body, "850505400018"));
    resp_free(&r);
    as(s, "head.ukg"); /* another city: not in scope */
    r = api(s, "GET", "/api/v1/applicants/850505400018/appeals", NULL);
    assert_int_equal(json_array_size(json_object_get(r.json, "items")), 0);
    resp_free(&r);
    r = api(s, "GET", "/api/v1/applicants/12345/appeals", NULL);
    expect_error(&r, 422, "bad_value", "iin");
    resp_free(&r);
    as(s, "exec.a");
    r = api(s, "GET", "/api/v1/applicants/850505400018/appeals", NULL);
    assert_int_equal(r.status, 403);
    resp_free(&r);
}

/* The UI's text files go gzip-compressed to a client that takes it (the dashboard's weight,
 * issue 18), as they are to one that does not. */
static void static_gzip(void **state)
{
    srv_t *s = *state;
    as(s, NULL);
    resp_t plain = api(s, "GET", "/js/app.js", NULL);
    assert_int_equal(plain.status, 200);
    char v[128];
    assert_null(resp_header(&plain, "Content-Encoding", v, sizeof v));
    assert_non_null(strstr(plain.body, "import"));
    s->headers[0] = "Accept-Encoding: gzip, deflate";
    s->headers[1] = NULL;
    resp_t gz = api(s, "GET", "/js/app.js", NULL);
    resp_t again = api(s, "GET", "/js/app.js", NULL); /* from the cache */
    resp_t png = api(s, "GET", "/favicon.svg", NULL);
    s->headers[0] = NULL;
    assert_int_equal(gz.status, 200);
    assert_non_null(resp_header(&gz, "Content-Encoding", v, sizeof v));
    assert_string_equal(v, "gzip");
    assert_memory_equal(gz.body, "\x1f\x8b", 2);
    assert_true(gz.len < plain.len / 2);
    assert_int_equal(again.len, gz.len);
    assert_memory_equal(again.body, gz.body, gz.len);
    assert_non_null(resp_header(&gz, "Vary", v, sizeof v));
    assert_int_equal(png.status, 200);
    resp_free(&plain);
    resp_free(&gz);
    resp_free(&again);
    resp_free(&png);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(queue_by_due),      cmocka_unit_test(overdue_list_by_due),
        cmocka_unit_test(people_by_name),    cmocka_unit_test(executor_picker),
        cmocka_unit_test(head_tasks),        cmocka_unit_test(drill_down),
        cmocka_unit_test(dashboard),         cmocka_unit_test(static_gzip),
        cmocka_unit_test(applicant_history),
    };
    return cmocka_run_group_tests(tests, setup, srv_teardown);
}
