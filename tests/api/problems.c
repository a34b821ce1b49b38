/* Problems (issue 17) and repeated appeals (issue 16 point 4) through the real server:
 * grouping at intake (address, coordinates, text), the list and one problem with its
 * timeline, scope, the staff's confirm/split/merge, the citizen's verdict (once, the
 * applicant's only), recurrence by a "no" and by a re-appeal, the appeal page's problem and
 * earlier decisions, and "no new arguments" only on a repeat decided here. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PW "correct horse battery"

static const char *const logins[] = {"head.ridder", "exec.ridder", "reg.ridder",
                                     "head.ukg",    "sup",         NULL};

static srv_t S;

static int setup(void **state)
{
    const char *serve[] = {"--public-limit", "0", NULL};
    if (srv_start(&S, NULL, serve))
        return -1;
    *state = &S;
    srv_t *s = &S;
    add_user(s, "head.ridder", "head", "ridder", PW);
    add_user(s, "exec.ridder", "executor", "ridder.housing", PW);
    add_user(s, "reg.ridder", "registrar", "ridder", PW);
    add_user(s, "head.ukg", "head", "ukg", PW);
    add_user(s, "sup", "supervisor", "vko.apparat", PW);
    if (sign_in_all(s, logins, PW))
        return -1;
    as(s, NULL);
    return 0;
}

/* An appeal: category, the text, the address (NULL: none), coordinates (lat 0: none), the
 * applicant's name and phone (no IIN: matched by name + phone). */
static const char *appeal(const char *category, const char *text, const char *address, double lat,
                          double lon, const char *name, const char *phone)
{
    static char b[2048];
    char where[600] = "", coords[80] = "";
    if (address)
        snprintf(where, sizeof where, "\"address\":\"%s\",", address);
    if (lat)
        snprintf(coords, sizeof coords, "\"lat\":%.6f,\"lon\":%.6f,", lat, lon);
    snprintf(b, sizeof b,
             "{\"kind\":\"statement\",\"channel\":\"portal\",\"category\":\"%s\","
             "\"district\":\"ridder\",\"language\":\"ru\",\"text\":\"%s\",%s%s"
             "\"applicant\":{\"type\":\"individual\",\"full_name\":\"%s\","
             "\"phone\":\"%s\"}}",
             category, text, where, coords, name, phone);
    return b;
}

#define MAIN_TEXT                                                                                  \
    "Теплотрасса на нашей улице в аварийном состоянии, каждую зиму порывы. Просим заменить трубы."
#define MAIN_TEXT2 "Опять порыв теплотрассы на улице, трубы в аварийном состоянии, просим заменить."

static void file(srv_t *s, const char *body, char number[64], char code[32])
{
    as(s, NULL);
    resp_t r = api(s, "POST", "/api/v1/appeals", body);
    if (r.status != 201)
        fprintf(stderr, "intake: %ld %s\n", r.status, r.body);
    assert_int_equal(r.status, 201);
    snprintf(number, 64, "%s", jstr(r.json, "number"));
    if (code)
        snprintf(code, 32, "%s", jstr(r.json, "access_code"));
    resp_free(&r);
}

static long act(srv_t *s, const char *who, const char *number, const char *action, const char *body,
                json_t **out)
{
    as(s, who);
    char sfx[64];
    snprintf(sfx, sizeof sfx, "/%s", action);
    resp_t r = api(s, "POST", api_path(s, "/api/v1/appeals/", number, sfx), body ? body : "{}");
    long st = r.status;
    if (st != 200 && !out)
        fprintf(stderr, "%s %s: %ld %s\n", action, number, st, r.body);
    if (out)
        *out = json_incref(r.json);
    resp_free(&r);
    as(s, NULL);
    return st;
}

/* The appeal as head.ridder reads it (the caller decrefs). */
static json_t *read_appeal(srv_t *s, const char *number)
{
    as(s, "head.ridder");
    resp_t r = api(s, "GET", api_path(s, "/api/v1/appeals/", number, NULL), NULL);
    assert_int_equal(r.status, 200);
    json_t *o = json_incref(r.json);
    resp_free(&r);
    as(s, NULL);
    return o;
}

static long problem_of(srv_t *s, const char *number)
{
    json_t *o = read_appeal(s, number);
    long id = jnum(o, "problem_id");
    json_decref(o);
    return id;
}

/* Assigns to the head and answers with that decision. */
static void answer(srv_t *s, const char *number, const char *decision)
{
    char b[512];
    assert_int_equal(
        act(s, "head.ridder", number, "assign", "{\"executor\":\"head.ridder\"}", NULL), 200);
    snprintf(b, sizeof b,
             "{\"decision\":\"%s\",\"text\":\"Участок теплотрассы заменён, подача тепла "
             "восстановлена, проверено на месте.\",\"grounds\":\"Акт обследования; АППК ст. 76\"}",
             decision);
    assert_int_equal(act(s, "head.ridder", number, "answer", b, NULL), 200);
}

static long verdict(srv_t *s, const char *number, const char *code, const char *value,
                    const char *comment, json_t **out)
{
    char b[512];
    snprintf(b, sizeof b, "{\"code\":\"%s\",\"verdict\":\"%s\"%s%s%s}", code, value,
             comment ? ",\"comment\":\"" : "", comment ? comment : "", comment ? "\"" : "");
    resp_t r = api(s, "POST", api_path(s, "/api/v1/track/", number, "/verdict"), b);
    long st = r.status;
    if (out)
        *out = json_incref(r.json);
    resp_free(&r);
    return st;
}

static json_t *get_problem(srv_t *s, const char *who, long id, long *status)
{
    char p[64];
    snprintf(p, sizeof p, "/api/v1/problems/%ld", id);
    as(s, who);
    resp_t r = api(s, "GET", p, NULL);
    *status = r.status;
    json_t *o = json_incref(r.json);
    resp_free(&r);
    as(s, NULL);
    return o;
}

static void grouping_at_intake(void **state)
{
    srv_t *s = *state;
    char a[64], b[64], c[64], d[64], e[64], f[64];
    /* the same heating main: one address written two ways, a reworded text */
    file(s,
         appeal("heating", MAIN_TEXT, "г. Риддер, ул. Островского, д. 11, кв. 4", 0, 0,
                "Петров Пётр", "+7 705 111 22 33"),
         a, NULL);
    file(s,
         appeal("heating", MAIN_TEXT2, "Риддер, Островского 11", 0, 0, "Сидорова Анна",
                "+7 705 222 33 44"),
         b, NULL);
    long pa = problem_of(s, a), pb = problem_of(s, b);
    assert_true(pa > 0);
    assert_int_equal(pa, pb);
    /* another issue at the same address, another category, another house: other problems */
    file(s,
         appeal("heating", "Во дворе дома не вывозят мусор, контейнеры переполнены.",
                "г. Риддер, ул. Островского, д. 11", 0, 0, "Петров Пётр", "+7 705 111 22 33"),
         c, NULL);
    file(s,
         appeal("water_supply", MAIN_TEXT, "г. Риддер, ул. Островского, д. 11", 0, 0, "Петров Пётр",
                "+7 705 111 22 33"),
         d, NULL);
    assert_true(problem_of(s, c) != pa);
    assert_true(problem_of(s, d) != pa);
    /* coordinates without an address: within 150 m is the same place, 1 km off is not */
    file(s,
         appeal("road_repair", "Огромная яма на дороге у остановки, машины ломают колёса.", NULL,
                50.3500, 83.5100, "Ким Ольга", "+7 705 333 44 55"),
         e, NULL);
    file(s,
         appeal("road_repair", "Яма на дороге у остановки не заделана, колёса ломают машины.", NULL,
                50.3508, 83.5110, "Ли Денис", "+7 705 444 55 66"),
         f, NULL);
    assert_int_equal(problem_of(s, e), problem_of(s, f));
    file(s,
         appeal("road_repair", "Огромная яма на дороге у остановки, машины ломают колёса.", NULL,
                50.3600, 83.5100, "Ким Ольга", "+7 705 333 44 55"),
         f, NULL);
    assert_true(problem_of(s, f) != problem_of(s, e));

    /* the problem with its appeals on a timeline, oldest first */
    long st;
    json_t *p = get_problem(s, "head.ridder", pa, &st);
    assert_int_equal(st, 200);
    assert_int_equal(jnum(p, "appeals"), 2);
    assert_string_equal(jstr(p, "state"), "open");
    assert_string_equal(jstr(p, "category"), "heating");
    json_t *tl = json_object_get(p, "timeline");
    assert_int_equal(json_array_size(tl), 2);
    assert_string_equal(jstr(json_array_get(tl, 0), "number"), a);
    assert_string_equal(jstr(json_array_get(tl, 1), "number"), b);
    assert_non_null(jstr(json_array_get(tl, 0), "text"));
    json_t *years = json_object_get(p, "per_year");
    assert_int_equal(json_object_size(years), 1);
    assert_true(json_is_null(json_object_get(p, "timeline_next")));
    json_decref(p);
    /* the timeline a page at a time: pages of one, each going on from the last's cursor */
    as(s, "head.ridder");
    char url[160];
    snprintf(url, sizeof url, "/api/v1/problems/%ld?limit=1", pa);
    resp_t r = api(s, "GET", url, NULL);
    assert_int_equal(r.status, 200);
    tl = json_object_get(r.json, "timeline");
    assert_int_equal(json_array_size(tl), 1);
    assert_string_equal(jstr(json_array_get(tl, 0), "number"), a);
    snprintf(url, sizeof url, "/api/v1/problems/%ld?limit=1&after=%s", pa,
             jstr(r.json, "timeline_next"));
    resp_free(&r);
    r = api(s, "GET", url, NULL);
    tl = json_object_get(r.json, "timeline");
    assert_int_equal(json_array_size(tl), 1);
    assert_string_equal(jstr(json_array_get(tl, 0), "number"), b);
    snprintf(url, sizeof url, "/api/v1/problems/%ld?limit=1&after=%s", pa,
             jstr(r.json, "timeline_next"));
    resp_free(&r);
    r = api(s, "GET", url, NULL);
    assert_int_equal(json_array_size(json_object_get(r.json, "timeline")), 0);
    assert_true(json_is_null(json_object_get(r.json, "timeline_next")));
    resp_free(&r);
    snprintf(url, sizeof url, "/api/v1/problems/%ld?after=1.x", pa);
    r = api(s, "GET", url, NULL);
    expect_error(&r, 422, "bad_cursor", "after");
    resp_free(&r);
    as(s, NULL);
    /* unknown and malformed ids */
    p = get_problem(s, "head.ridder", 999999, &st);
    assert_int_equal(st, 404);
    json_decref(p);
    as(s, "head.ridder");
    r = api(s, "GET", "/api/v1/problems/abc", NULL);
    expect_error(&r, 404, "problem_not_found", "id");
    resp_free(&r);
    as(s, NULL);
}

/* A Kazakh and a Russian appeal (issue 17): about one thing at one address, one problem
 * (the concepts shared by the languages, data/jurisdictions/kz/concepts.tsv); about another
 * thing at the same address and in the same category, another problem. */
/* A heating appeal in Ridder: language, text, address, applicant's name and phone. */
static const char *const lang_fmt =
    "{\"kind\":\"statement\",\"channel\":\"portal\",\"category\":\"heating\","
    "\"district\":\"ridder\",\"language\":\"%s\",\"text\":\"%s\","
    "\"address\":\"%s\",\"applicant\":{\"type\":\"individual\","
    "\"full_name\":\"%s\",\"phone\":\"%s\"}}";

static void grouping_across_languages(void **state)
{
    srv_t *s = *state;
    char b[2048], kk[64], ru[64], other[64];
    snprintf(b, sizeof b, lang_fmt, "kk",
             "Жертөледегі жылу құбыры жарылып, жертөлені ыстық су басты. Авариялық қызмет "
             "келмеді.",
             "Риддер қаласы, Гагарина көшесі, 7-үй, 3-пәтер", "Әлиев Марат", "+7 705 555 66 77");
    file(s, b, kk, NULL);
    snprintf(b, sizeof b, lang_fmt, "ru",
             "В подвале прорвало трубу отопления, подвал залило горячей водой.",
             "г. Риддер, ул. Гагарина, д. 7", "Иванова Нина", "+7 705 666 77 88");
    file(s, b, ru, NULL);
    snprintf(b, sizeof b, lang_fmt, "ru",
             "После установки общедомового счётчика плата за отопление выросла вдвое.",
             "г. Риддер, ул. Гагарина, д. 7", "Иванова Нина", "+7 705 666 77 88");
    file(s, b, other, NULL);
    long pk = problem_of(s, kk);
    assert_true(pk > 0);
    assert_int_equal(problem_of(s, ru), pk);
    assert_true(problem_of(s, other) != pk);
}

/* A street named after a person, in the Russian genitive and in Kazakh ("ул. Гагарина, д. 9",
 * "Гагарин көшесі, 9-үй"), is one place (problems.tsv address_ends). And the stored place
 * keys follow their settings: a key made under other settings (here the genitive kept, as
 * before address_ends) is made again at the next start, so the next appeal still finds the
 * problem. */
static void place_keys_across_languages_and_settings(void **state)
{
    srv_t *s = *state;
    char b[2048], ru[64], kk[64], again[64], sql[300];
    snprintf(b, sizeof b, lang_fmt, "ru",
             "В подвале прорвало трубу отопления, подвал залило горячей водой.",
             "г. Риддер, ул. Гагарина, д. 9", "Сидоров Олег", "+7 705 777 11 22");
    file(s, b, ru, NULL);
    snprintf(b, sizeof b, lang_fmt, "kk",
             "Жертөледегі жылу құбыры жарылып, жертөлені ыстық су басты.",
             "Риддер қаласы, Гагарин көшесі, 9-үй", "Серіков Арман", "+7 705 777 11 33");
    file(s, b, kk, NULL);
    long p = problem_of(s, ru);
    assert_true(p > 0);
    assert_int_equal(problem_of(s, kk), p);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM problems WHERE id = %ld AND place = 'риддер гагарин 9'", p);
    assert_int_equal(sql_count(s->db, sql), 1);

    /* the key as other settings made it, and the fingerprint of those settings */
    snprintf(sql, sizeof sql,
             "UPDATE problems SET place = 'риддер гагарина 9' WHERE id = %ld;"
             " UPDATE meta SET value = '0000000000000000' WHERE key = 'problem_places'",
             p);
    sql_exec(s->db, sql);
    const char *serve[] = {"--public-limit", "0", NULL};
    assert_int_equal(srv_halt(s), 0);
    assert_int_equal(srv_serve(s, serve), 0);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM problems WHERE id = %ld AND place = 'риддер гагарин 9'", p);
    assert_int_equal(sql_count(s->db, sql), 1);
    assert_int_equal(sql_count(s->db, "SELECT count(*) FROM meta WHERE key = 'problem_places'"
                                      " AND value <> '0000000000000000'"),
                     1);
    snprintf(b, sizeof b, lang_fmt, "ru", "Снова прорвало трубу отопления в подвале, залило водой.",
             "Риддер, Гагарина 9", "Сидоров Олег", "+7 705 777 11 22");
    file(s, b, again, NULL);
    assert_int_equal(problem_of(s, again), p);
}

static void list_filters_and_scope(void **state)
{
    srv_t *s = *state;
    char a[64];
    file(s,
         appeal("street_lighting",
                "На улице не горят фонари уже месяц, вечером темно и опасно. Звоните "
                "+7 705 555 66 77.",
                "г. Риддер, ул. Гоголя, д. 40", 0, 0, "Орлова Мария", "+7 705 555 66 77"),
         a, NULL);
    long pa = problem_of(s, a);
    /* Ridder's staff see it; Ust-Kamenogorsk's head does not, in the list or by id */
    as(s, "head.ridder");
    resp_t r = api(s, "GET", "/api/v1/problems?category=street_lighting", NULL);
    assert_int_equal(r.status, 200);
    json_t *items = json_object_get(r.json, "items");
    int found = 0;
    for (size_t i = 0; i < json_array_size(items); i++)
        if (jnum(json_array_get(items, i), "id") == pa) {
            found++;
            /* the title is the first appeal's text with its personal data masked */
            const char *title = jstr(json_array_get(items, i), "title");
            assert_non_null(strstr(title, "фонари"));
            assert_null(strstr(title, "555"));
        }
    assert_int_equal(found, 1);
    resp_free(&r);
    as(s, "head.ukg");
    r = api(s, "GET", "/api/v1/problems?limit=200", NULL);
    assert_int_equal(r.status, 200);
    items = json_object_get(r.json, "items");
    for (size_t i = 0; i < json_array_size(items); i++)
        assert_true(strncmp(jstr(json_array_get(items, i), "body"), "ridder", 6) != 0);
    resp_free(&r);
    as(s, NULL);
    long st;
    json_t *p = get_problem(s, "head.ukg", pa, &st);
    assert_int_equal(st, 404);
    json_decref(p);
    /* the oblast supervisor sees every body's */
    p = get_problem(s, "sup", pa, &st);
    assert_int_equal(st, 200);
    json_decref(p);
    /* a citizen sees none */
    r = api(s, "GET", "/api/v1/problems", NULL);
    assert_int_equal(r.status, 401);
    resp_free(&r);
    /* filters: min_appeals, state, body, district, since; bad values name the field */
    as(s, "sup");
    r = api(s, "GET", "/api/v1/problems?min_appeals=2&sort=appeals", NULL);
    items = json_object_get(r.json, "items");
    assert_true(json_array_size(items) >= 1);
    for (size_t i = 0; i < json_array_size(items); i++)
        assert_true(jnum(json_array_get(items, i), "appeals") >= 2);
    resp_free(&r);
    r = api(s, "GET", "/api/v1/problems?body=ridder.housing&district=ridder&since=2020-01-01",
            NULL);
    assert_int_equal(r.status, 200);
    items = json_object_get(r.json, "items");
    for (size_t i = 0; i < json_array_size(items); i++)
        assert_string_equal(jstr(json_array_get(items, i), "body"), "ridder.housing");
    resp_free(&r);
    r = api(s, "GET", "/api/v1/problems?since=2099-01-01", NULL);
    assert_int_equal(json_array_size(json_object_get(r.json, "items")), 0);
    resp_free(&r);
    static const struct {
        const char *q, *code, *field;
    } bad[] = {
        {"?state=lost", "unknown_value", "state"},
        {"?min_appeals=x", "out_of_range", "min_appeals"},
        {"?limit=0", "out_of_range", "limit"},
        {"?since=yesterday", "bad_date", "since"},
        {"?sort=random", "unknown_value", "sort"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char q[128];
        snprintf(q, sizeof q, "/api/v1/problems%s", bad[i].q);
        r = api(s, "GET", q, NULL);
        expect_error(&r, 422, bad[i].code, bad[i].field);
        resp_free(&r);
    }
    as(s, NULL);
}

static void verdict_once_and_recurring(void **state)
{
    srv_t *s = *state;
    char a[64], ca[32], b[64], cb[32], wrong[32];
    file(s,
         appeal("heating", "В доме на улице Ленина 7 нет отопления, батареи холодные.",
                "г. Риддер, ул. Ленина, д. 7", 0, 0, "Жуков Олег", "+7 705 666 77 88"),
         a, ca);
    snprintf(wrong, sizeof wrong, "%s", ca);
    wrong[0] = wrong[0] == 'A' ? 'B' : 'A';
    /* no answer yet */
    json_t *o;
    assert_int_equal(verdict(s, a, ca, "yes", NULL, &o), 409);
    assert_string_equal(jstr(json_object_get(o, "error"), "code"), "not_answered");
    json_decref(o);
    answer(s, a, "satisfied");
    long pid = problem_of(s, a);
    long st;
    json_t *p = get_problem(s, "head.ridder", pid, &st);
    assert_string_equal(jstr(p, "state"), "solved_unconfirmed");
    json_decref(p);
    /* the tracking page asks */
    char q[128];
    snprintf(q, sizeof q, "?code=%s", ca);
    resp_t r = api(s, "GET", api_path(s, "/api/v1/track/", a, q), NULL);
    assert_true(json_is_true(json_object_get(r.json, "verdict_open")));
    assert_true(json_is_null(json_object_get(r.json, "verdict")));
    resp_free(&r);
    /* bad input names the field; a wrong code is the tracking's 404 */
    assert_int_equal(verdict(s, a, ca, "maybe", NULL, &o), 422);
    assert_string_equal(jstr(json_object_get(o, "error"), "field"), "verdict");
    json_decref(o);
    assert_int_equal(verdict(s, a, wrong, "yes", NULL, &o), 404);
    assert_string_equal(jstr(json_object_get(o, "error"), "code"), "track_not_found");
    json_decref(o);
    /* staff cannot give it, even with the right code */
    as(s, "head.ridder");
    assert_int_equal(verdict(s, a, ca, "yes", NULL, &o), 403);
    assert_string_equal(jstr(json_object_get(o, "error"), "code"), "applicant_only");
    json_decref(o);
    as(s, NULL);
    /* nor through the staff's actions: no action takes a verdict */
    assert_int_equal(act(s, "head.ridder", a, "close", "{\"verdict\":\"yes\"}", &o), 422);
    assert_string_equal(jstr(json_object_get(o, "error"), "field"), "verdict");
    json_decref(o);
    /* the applicant says no: the satisfied decision did not solve it */
    assert_int_equal(verdict(s, a, ca, "no", "Батареи по-прежнему холодные", NULL), 200);
    assert_int_equal(verdict(s, a, ca, "yes", NULL, &o), 409);
    assert_string_equal(jstr(json_object_get(o, "error"), "code"), "already_given");
    json_decref(o);
    r = api(s, "GET", api_path(s, "/api/v1/track/", a, q), NULL);
    assert_string_equal(jstr(r.json, "verdict"), "no");
    assert_true(json_is_false(json_object_get(r.json, "verdict_open")));
    resp_free(&r);
    p = get_problem(s, "head.ridder", pid, &st);
    assert_string_equal(jstr(p, "state"), "recurring");
    assert_int_equal(jnum(p, "recurrences"), 1);
    json_decref(p);
    o = read_appeal(s, a);
    assert_string_equal(jstr(json_object_get(o, "verdict"), "value"), "no");
    assert_string_equal(jstr(json_object_get(o, "verdict"), "comment"),
                        "Батареи по-прежнему холодные");
    json_decref(o);
    /* the head and the oblast supervisor are told: an event in the chain, and the alerts */
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM events WHERE action = 'problem.recurring' AND object_id = '%ld'",
             pid);
    assert_int_equal(sql_count(s->db, sql), 1);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM events WHERE action = 'appeal.verdict' AND actor = 'citizen'");
    assert_true(sql_count(s->db, sql) >= 1);
    for (int k = 0; k < 2; k++) {
        as(s, k ? "sup" : "head.ridder");
        r = api(s, "GET", "/api/v1/problems?state=recurring&min_appeals=1", NULL);
        json_t *items = json_object_get(r.json, "items");
        int found = 0;
        for (size_t i = 0; i < json_array_size(items); i++)
            found += jnum(json_array_get(items, i), "id") == pid;
        assert_int_equal(found, 1);
        resp_free(&r);
        r = api(s, "GET", "/api/v1/alerts?months=1", NULL);
        assert_int_equal(r.status, 200);
        assert_non_null(strstr(r.body, "recurring"));
        resp_free(&r);
    }
    as(s, "head.ukg");
    r = api(s, "GET", "/api/v1/alerts?months=1", NULL);
    assert_null(strstr(r.body, "\"recurring\""));
    resp_free(&r);
    as(s, NULL);

    /* a yes on a later answer confirms it solved */
    file(s,
         appeal("heating", "Снова нет отопления в доме на улице Ленина 7, батареи холодные.",
                "г. Риддер, ул. Ленина, д. 7", 0, 0, "Жуков Олег", "+7 705 666 77 88"),
         b, cb);
    assert_int_equal(problem_of(s, b), pid);
    answer(s, b, "satisfied");
    assert_int_equal(verdict(s, b, cb, "yes", NULL, NULL), 200);
    p = get_problem(s, "head.ridder", pid, &st);
    assert_string_equal(jstr(p, "state"), "solved_confirmed");
    json_decref(p);
}

static void reappeal_within_window_recurs(void **state)
{
    srv_t *s = *state;
    char a[64], b[64];
    file(s,
         appeal("water_supply",
                "Из крана течёт мутная вода с запахом, просим проверить качество воды.",
                "г. Риддер, ул. Пушкина, д. 3", 0, 0, "Белов Игорь", "+7 705 777 88 99"),
         a, NULL);
    answer(s, a, "satisfied");
    long pid = problem_of(s, a);
    /* another resident, the same problem, within the window after the answer */
    file(s,
         appeal("water_supply", "Мутная вода с запахом из крана, просим проверить качество воды.",
                "Риддер, Пушкина 3", 0, 0, "Серова Нина", "+7 705 888 99 00"),
         b, NULL);
    assert_int_equal(problem_of(s, b), pid);
    long st;
    json_t *p = get_problem(s, "head.ridder", pid, &st);
    assert_string_equal(jstr(p, "state"), "recurring");
    json_t *tl = json_object_get(p, "timeline");
    assert_true(json_is_true(json_object_get(json_array_get(tl, 0), "reraised")));
    json_decref(p);
    /* the appeal page shows its problem and the earlier decision on it */
    json_t *o = read_appeal(s, b);
    json_t *pr = json_object_get(o, "problem");
    assert_int_equal(jnum(pr, "id"), pid);
    assert_string_equal(jstr(pr, "state"), "recurring");
    json_t *earlier = json_object_get(pr, "earlier_decisions");
    assert_int_equal(json_array_size(earlier), 1);
    assert_string_equal(jstr(json_array_get(earlier, 0), "number"), a);
    assert_string_equal(jstr(json_array_get(earlier, 0), "decision"), "satisfied");
    /* another applicant: not a repeated appeal */
    assert_true(json_is_false(json_object_get(o, "repeated")));
    json_decref(o);
    /* the earlier appeal, marked re-raised, still matches its seal: the chain verifies */
    char out[16384];
    const char *verify[] = {"audit", "verify", "--db", s->db, NULL};
    if (run_otinish(s, verify, NULL, out, sizeof out) != 0)
        fail_msg("audit verify after a re-appeal: %s", out);
}

/* Issue 16 point 4: the same applicant (no IIN: name and phone) on the same problem is
 * linked to the earlier appeal that was decided; "no new arguments" only then, and only in
 * the body that decided it. */
static void repeated_appeals_by_applicant_and_problem(void **state)
{
    srv_t *s = *state;
    char a[64], b[64], c[64], d[64];
    const char *t1 = "Во дворе дома по улице Мира 15 разрушен асфальт, глубокие ямы и лужи.";
    const char *t2 = "Асфальт во дворе дома по улице Мира 15 разрушен, ямы и лужи не убраны.";
    file(s,
         appeal("road_repair", t1, "г. Риддер, ул. Мира, д. 15", 0, 0, "Тимофеев Глеб",
                "8 705 123 00 11"),
         a, NULL);
    /* while the first is undecided, a second one is not linked */
    file(s,
         appeal("road_repair", t2, "г. Риддер, ул. Мира, д. 15", 0, 0, "Тимофеев Глеб",
                "+7 705 123 00 11"),
         b, NULL);
    json_t *o = read_appeal(s, b);
    assert_true(json_is_false(json_object_get(o, "repeated")));
    json_decref(o);
    /* "no new arguments" on an appeal that repeats nothing decided: refused */
    assert_int_equal(
        act(s, "head.ridder", b, "terminate", "{\"reason\":\"repeated_no_new_arguments\"}", &o),
        409);
    assert_string_equal(jstr(json_object_get(o, "error"), "code"), "not_decided_here");
    json_decref(o);
    assert_int_equal(act(s, "head.ridder", b, "return_unconsidered",
                         "{\"reason\":\"decided_no_new_arguments\"}", &o),
                     409);
    json_decref(o);
    answer(s, a, "refused");
    /* the same person (the phone written another way) after the decision: linked to it and
     * the executor sees that decision */
    file(s,
         appeal("road_repair", t2, "Риддер, Мира 15", 0, 0, "ТИМОФЕЕВ  Глеб", "+7 (705) 123-00-11"),
         c, NULL);
    o = read_appeal(s, c);
    assert_true(json_is_true(json_object_get(o, "repeated")));
    assert_string_equal(jstr(o, "repeat_of"), a);
    json_t *earlier = json_object_get(json_object_get(o, "problem"), "earlier_decisions");
    int seen = 0;
    for (size_t i = 0; i < json_array_size(earlier); i++)
        if (!strcmp(jstr(json_array_get(earlier, i), "number"), a)) {
            assert_string_equal(jstr(json_array_get(earlier, i), "decision"), "refused");
            seen = 1;
        }
    assert_true(seen);
    json_decref(o);
    /* another person on the same problem: not a repeat */
    file(s, appeal("road_repair", t2, "Риддер, Мира 15", 0, 0, "Фомина Вера", "+7 705 999 00 11"),
         d, NULL);
    o = read_appeal(s, d);
    assert_true(json_is_false(json_object_get(o, "repeated")));
    json_decref(o);
    /* decided on the merits by this body: "no new arguments" is allowed now */
    assert_int_equal(
        act(s, "head.ridder", c, "terminate", "{\"reason\":\"repeated_no_new_arguments\"}", &o),
        200);
    json_decref(o);
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM events WHERE action = 'appeal.terminate' AND object_id = '%s'"
             " AND json_extract(data, '$.decided_in') = '%s'",
             c, a);
    assert_int_equal(sql_count(s->db, sql), 1);
}

static long problem_act(srv_t *s, const char *who, long id, const char *action, const char *body,
                        json_t **out)
{
    char p[96];
    snprintf(p, sizeof p, "/api/v1/problems/%ld/%s", id, action);
    as(s, who);
    resp_t r = api(s, "POST", p, body ? body : "{}");
    long st = r.status;
    if (out)
        *out = json_incref(r.json);
    resp_free(&r);
    as(s, NULL);
    return st;
}

static void confirm_split_merge(void **state)
{
    srv_t *s = *state;
    char a[64], b[64], c[64];
    const char *addr = "г. Риддер, ул. Лесная, д. 2";
    file(s,
         appeal("lifts", "В подъезде дома не работает лифт уже две недели, жильцы страдают.", addr,
                0, 0, "Гусев Павел", "+7 701 100 20 30"),
         a, NULL);
    file(s,
         appeal("lifts", "Лифт в подъезде не работает две недели, пожилые жильцы страдают.", addr,
                0, 0, "Гусева Анна", "+7 701 100 20 31"),
         b, NULL);
    file(s,
         appeal("lifts", "Кабина лифта грязная, кнопки разбиты, просим отремонтировать.",
                "г. Риддер, ул. Лесная, д. 4", 0, 0, "Гусев Павел", "+7 701 100 20 30"),
         c, NULL);
    long pa = problem_of(s, a), pc = problem_of(s, c);
    assert_int_equal(problem_of(s, b), pa);
    assert_true(pc != pa);
    json_t *o;
    /* who may: not an executor, not another city's head */
    assert_int_equal(problem_act(s, "exec.ridder", pa, "confirm", NULL, &o), 403);
    json_decref(o);
    assert_int_equal(problem_act(s, "head.ukg", pa, "confirm", NULL, &o), 404);
    json_decref(o);
    assert_int_equal(problem_act(s, "head.ridder", pa, "fly", NULL, &o), 404);
    json_decref(o);
    assert_int_equal(problem_act(s, "head.ridder", pa, "confirm", "{\"reason\":\"Один лифт\"}", &o),
                     200);
    assert_true(json_is_true(json_object_get(o, "confirmed")));
    json_decref(o);
    /* split: b leaves for a problem of its own; an appeal not in it names the field */
    char body[256];
    snprintf(body, sizeof body, "{\"appeals\":[\"%s\"]}", c);
    assert_int_equal(problem_act(s, "head.ridder", pa, "split", body, &o), 422);
    assert_string_equal(jstr(json_object_get(o, "error"), "field"), "appeals");
    json_decref(o);
    assert_int_equal(problem_act(s, "head.ridder", pa, "split", "{\"appeals\":\"x\"}", &o), 422);
    json_decref(o);
    snprintf(body, sizeof body, "{\"appeals\":[\"%s\"],\"reason\":\"Другой подъезд\"}", b);
    assert_int_equal(problem_act(s, "head.ridder", pa, "split", body, &o), 200);
    long pb = jnum(o, "id");
    assert_true(pb != pa);
    assert_int_equal(jnum(o, "appeals"), 1);
    json_decref(o);
    assert_int_equal(problem_of(s, b), pb);
    assert_int_equal(problem_of(s, a), pa);
    /* merge: not into itself, not into an unknown one; then c's problem into a's */
    snprintf(body, sizeof body, "{\"into\":%ld}", pc);
    assert_int_equal(problem_act(s, "head.ridder", pc, "merge", body, &o), 422);
    json_decref(o);
    assert_int_equal(problem_act(s, "head.ridder", pc, "merge", "{\"into\":99999999}", &o), 422);
    assert_string_equal(jstr(json_object_get(o, "error"), "field"), "into");
    json_decref(o);
    snprintf(body, sizeof body, "{\"into\":%ld}", pa);
    assert_int_equal(problem_act(s, "sup", pc, "merge", body, &o), 200);
    assert_int_equal(jnum(o, "merged_into"), pa);
    json_decref(o);
    assert_int_equal(problem_of(s, c), pa);
    long st;
    json_t *p = get_problem(s, "head.ridder", pa, &st);
    assert_int_equal(jnum(p, "appeals"), 2);
    json_decref(p);
    /* a merged problem takes no more changes */
    assert_int_equal(problem_act(s, "head.ridder", pc, "confirm", NULL, &o), 409);
    json_decref(o);
    /* every change is in the audit chain */
    char sql[256];
    snprintf(
        sql, sizeof sql,
        "SELECT count(*) FROM events WHERE object_type = 'problem' AND action IN"
        " ('problem.confirm', 'problem.split', 'problem.merge') AND object_id IN ('%ld', '%ld')",
        pa, pc);
    assert_int_equal(sql_count(s->db, sql), 3);
}

/* Issue 23: a problem's summary is kept in step by deltas (service/problem.c refresh), not
 * read from all its appeals each time one changes. After each change of one of its appeals
 * (answered, given a verdict, closed, re-raised, forwarded, split off) the problem's row must
 * be what the full recompute over its appeals gives (store_problem_summary's terms, and the
 * state rule of domain/problem.c over the latest appeal). */
#define OPEN_SQL   "status IN ('registered', 'assigned', 'in_work')"
#define SOLVES_SQL "decision IN ('satisfied', 'partly_satisfied')"

static void summary_matches(srv_t *s, long pid, const char *step)
{
    char sql[1200], kept[512], full[512];
    snprintf(sql, sizeof sql,
             "SELECT n_appeals || '|' || n_open || '|' || recurrences || '|' || first_at || '|'"
             " || last_at || '|' || body || '|' || state FROM problems WHERE id = %ld",
             pid);
    sql_query(s->db, sql, kept, sizeof kept);
    snprintf(sql, sizeof sql,
             "WITH s AS (SELECT count(*) n, sum(CASE WHEN " OPEN_SQL " THEN 1 ELSE 0 END) o,"
             " sum(reraised) + sum(CASE WHEN verdict = 'no' AND " SOLVES_SQL
             " THEN 1 ELSE 0 END) r, min(received_at) f, max(received_at) l FROM appeals"
             " WHERE problem_id = %ld), t AS (SELECT body, CASE WHEN NOT " OPEN_SQL
             " AND " SOLVES_SQL " THEN 1 ELSE 0 END sv, coalesce(verdict, '') v FROM appeals"
             " WHERE problem_id = %ld ORDER BY received_at DESC, id DESC LIMIT 1)"
             " SELECT n || '|' || o || '|' || r || '|' || f || '|' || l || '|' || body || '|' ||"
             " CASE WHEN r > 0 AND NOT (sv = 1 AND v = 'yes') THEN 'recurring' WHEN sv = 0"
             " THEN 'open' WHEN v = 'yes' THEN 'solved_confirmed' ELSE 'solved_unconfirmed'"
             " END FROM s, t",
             pid, pid);
    sql_query(s->db, sql, full, sizeof full);
    if (strcmp(kept, full))
        fail_msg("after %s, problem %ld: kept %s, recomputed %s", step, pid, kept, full);
}

static void summary_kept_by_deltas(void **state)
{
    srv_t *s = *state;
    const char *addr = "г. Риддер, ул. Садовая, д. 11";
    char n[5][64], code[5][32];
    static const char *const texts[5] = {
        "Во дворе дома на Садовой 11 прорвало канализацию, стоки текут по двору.",
        "Прорвало канализацию во дворе дома на Садовой 11, стоки во дворе.",
        "Канализация во дворе на Садовой 11 прорвана, стоки текут по двору.",
        "Снова прорвало канализацию во дворе дома на Садовой 11, стоки текут.",
        "Опять во дворе дома на Садовой 11 канализация, стоки текут по двору."};
    static const char *const names[5] = {"Орлов Петр", "Орлова Мария", "Климов Иван",
                                         "Климова Ольга", "Зуев Антон"};
    char phone[32];
    for (int i = 0; i < 3; i++) {
        snprintf(phone, sizeof phone, "+7 705 300 40 5%d", i);
        file(s, appeal("water_supply", texts[i], addr, 0, 0, names[i], phone), n[i], code[i]);
    }
    long pid = problem_of(s, n[0]);
    for (int i = 1; i < 3; i++)
        assert_int_equal(problem_of(s, n[i]), pid);
    summary_matches(s, pid, "three intakes");
    /* an appeal that is not the latest: its problem's open count, the state of the latest */
    answer(s, n[0], "satisfied");
    summary_matches(s, pid, "the first answered");
    assert_int_equal(verdict(s, n[0], code[0], "no", NULL, NULL), 200);
    summary_matches(s, pid, "a no on the first");
    /* the latest appeal: its decision and verdict make the state */
    answer(s, n[2], "satisfied");
    summary_matches(s, pid, "the latest answered");
    assert_int_equal(verdict(s, n[2], code[2], "yes", NULL, NULL), 200);
    summary_matches(s, pid, "a yes on the latest");
    answer(s, n[1], "refused");
    summary_matches(s, pid, "the middle one refused");
    assert_int_equal(act(s, "head.ridder", n[1], "close", NULL, NULL), 200);
    summary_matches(s, pid, "the middle one closed");
    /* a new appeal within the window after the last answer re-raises that appeal */
    snprintf(phone, sizeof phone, "+7 705 300 40 5%d", 3);
    file(s, appeal("water_supply", texts[3], addr, 0, 0, names[3], phone), n[3], code[3]);
    assert_int_equal(problem_of(s, n[3]), pid);
    summary_matches(s, pid, "a re-raise");
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM appeals WHERE problem_id = %ld AND reraised = 1", pid);
    assert_int_equal(sql_count(s->db, sql), 1);
    /* split: the first leaves (both problems recomputed), then changes of the one left */
    char body[256];
    snprintf(body, sizeof body, "{\"appeals\":[\"%s\"]}", n[0]);
    json_t *o;
    assert_int_equal(problem_act(s, "head.ridder", pid, "split", body, &o), 200);
    long qid = jnum(o, "id");
    json_decref(o);
    summary_matches(s, pid, "the split");
    summary_matches(s, qid, "the split (new problem)");
    assert_int_equal(act(s, "head.ridder", n[0], "close", NULL, NULL), 200);
    summary_matches(s, qid, "the split one closed");
    answer(s, n[3], "partly_satisfied");
    summary_matches(s, pid, "the re-raising one answered");
    assert_int_equal(verdict(s, n[3], code[3], "no", NULL, NULL), 200);
    summary_matches(s, pid, "a no on the latest");
    /* returned to work and answered again: what it counted for (a "no" on a solving
     * decision) is taken away before its new part is added */
    assert_int_equal(act(s, "sup", n[3], "return",
                         "{\"reason\":\"Стоки текут по-прежнему, проверки на месте не было\"}",
                         NULL),
                     200);
    summary_matches(s, pid, "the latest returned to work");
    assert_int_equal(act(s, "head.ridder", n[3], "answer",
                         "{\"decision\":\"refused\",\"text\":\"Сети на балансе управляющей "
                         "компании, ремонт за её счёт, проверено на месте.\",\"grounds\":\"Акт "
                         "обследования; АППК ст. 76\"}",
                         NULL),
                     200);
    summary_matches(s, pid, "the latest answered again");
    /* the latest forwarded: the problem's body follows it */
    snprintf(phone, sizeof phone, "+7 705 300 40 5%d", 4);
    file(s, appeal("water_supply", texts[4], addr, 0, 0, names[4], phone), n[4], code[4]);
    assert_int_equal(problem_of(s, n[4]), pid);
    summary_matches(s, pid, "a fifth intake");
    assert_int_equal(act(s, "head.ridder", n[4], "forward",
                         "{\"body\":\"ukg.housing\",\"reason\":\"Дом в Усть-Каменогорске\"}", NULL),
                     200);
    summary_matches(s, pid, "the latest forwarded");
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM problems WHERE id = %ld AND body = 'ukg.housing'", pid);
    assert_int_equal(sql_count(s->db, sql), 1);
}

/* A problem's appeals per year (per_year) are counted by the year of receipt in the region's
 * time (UTC+05:00, data/jurisdictions/kz/calendar.txt): an appeal received a microsecond
 * before local midnight of 1 January is of the year before. The counts are ranges of the
 * index per local year (issue 23), in the problem and in the list alike. */
static void per_year_by_local_year(void **state)
{
    srv_t *s = *state;
    char n[3][64];
    static const char *const who[3] = {"Жумабаев Ерлан", "Петрова Анна", "Ким Сергей"};
    for (int i = 0; i < 3; i++)
        file(s,
             appeal("water_supply", "Нет воды в доме 12 по улице Гагарина третий день подряд.",
                    NULL, 50.2700, 83.4300, who[i], "+7 705 777 88 99"),
             n[i], NULL);
    long p = problem_of(s, n[0]);
    assert_int_equal(problem_of(s, n[1]), p);
    assert_int_equal(problem_of(s, n[2]), p);
    /* 2025-12-31T23:59:59.999999+05:00, 2026-01-01T00:00:00+05:00, 2024-06-01T00:00:00Z */
    static const long long at[3] = {1767207599999999LL, 1767207600000000LL, 1717200000000000LL};
    for (int i = 0; i < 3; i++) {
        char sql[256];
        snprintf(sql, sizeof sql, "UPDATE appeals SET received_at = %lld WHERE number = '%s'",
                 at[i], n[i]);
        sql_exec(s->db, sql);
    }
    long st;
    json_t *o = get_problem(s, "sup", p, &st);
    assert_int_equal(st, 200);
    json_t *y = json_object_get(o, "per_year");
    assert_int_equal(json_object_size(y), 3);
    assert_int_equal(json_integer_value(json_object_get(y, "2024")), 1);
    assert_int_equal(json_integer_value(json_object_get(y, "2025")), 1);
    assert_int_equal(json_integer_value(json_object_get(y, "2026")), 1);
    json_decref(o);
    as(s, "sup");
    resp_t r = api(s, "GET", "/api/v1/problems?category=water_supply&limit=200", NULL);
    assert_int_equal(r.status, 200);
    json_t *items = json_object_get(r.json, "items"), *it = NULL;
    for (size_t i = 0; i < json_array_size(items) && !it; i++)
        if (jnum(json_array_get(items, i), "id") == p)
            it = json_array_get(items, i);
    assert_non_null(it);
    y = json_object_get(it, "per_year");
    assert_int_equal(json_object_size(y), 3);
    assert_int_equal(json_integer_value(json_object_get(y, "2025")), 1);
    assert_int_equal(json_integer_value(json_object_get(y, "2026")), 1);
    resp_free(&r);
    /* a page's problems are counted together: each its own appeals, whatever the page */
    r = api(s, "GET", "/api/v1/problems?limit=200", NULL);
    assert_int_equal(r.status, 200);
    items = json_object_get(r.json, "items");
    assert_true(json_array_size(items) > 3);
    for (size_t i = 0; i < json_array_size(items); i++) {
        json_t *e = json_array_get(items, i), *v;
        const char *k;
        long long sum = 0;
        json_object_foreach(json_object_get(e, "per_year"), k, v)
        {
            sum += json_integer_value(v);
        }
        assert_int_equal(sum, jnum(e, "appeals"));
    }
    resp_free(&r);
    as(s, NULL);
}

/* The ids of GET /api/v1/problems?query, one a line, as the sqlite3 shell writes a column:
 * pages of `limit`, each after the `next` of the one before, until `next` is null. */
static void list_ids(srv_t *s, const char *query, int limit, char *out, size_t n)
{
    size_t used = 0;
    char after[128] = "";
    out[0] = '\0';
    for (int pages = 0;; pages++) {
        char path[512];
        snprintf(path, sizeof path, "/api/v1/problems?%s%slimit=%d%s%s", query, *query ? "&" : "",
                 limit, *after ? "&after=" : "", after);
        resp_t r = api(s, "GET", path, NULL);
        assert_int_equal(r.status, 200);
        json_t *items = json_object_get(r.json, "items");
        size_t k = json_array_size(items);
        for (size_t i = 0; i < k; i++)
            used += (size_t)snprintf(out + used, n - used, "%lld\n",
                                     jnum(json_array_get(items, i), "id"));
        const char *next = json_string_value(json_object_get(r.json, "next"));
        /* a full page has a next; a short one has none */
        assert_int_equal(next != NULL, (int)k == limit);
        if (next)
            snprintf(after, sizeof after, "%s", next);
        resp_free(&r);
        assert_true(used < n - 32);
        assert_true(pages < 1000);
        if (!next)
            break;
    }
}

/* Whatever reads a page (issue 23: a filter under the probe's cap from its own index, sorted;
 * else the order's index, or a filter's index in the order, walked), the page is the one SQL
 * gives: every filter in every order, with the caps of a million problems and divided by
 * 1,000,000 (OTINISH_LIST_SCALE: only a filter that matches none drives), in one page and in
 * pages of 2. */
static void every_driver_gives_the_same_page(void **state)
{
    srv_t *s = *state;
    static const struct {
        const char *who, *query, *where;
    } cases[] = {
        {"sup", "", "TRUE"},
        {"sup", "body=ridder.housing", "p.body = 'ridder.housing'"},
        {"sup", "body=vko.apparat", "p.body = 'vko.apparat'"},
        {"sup", "category=road_repair", "p.category = 'road_repair'"},
        {"sup", "category=water_supply&body=ridder.housing",
         "p.category = 'water_supply' AND p.body = 'ridder.housing'"},
        {"sup", "state=open", "p.state = 'open'"},
        {"sup", "state=recurring&min_appeals=2", "p.state = 'recurring' AND p.n_appeals >= 2"},
        {"sup", "district=ridder&state=open", "p.district = 'ridder' AND p.state = 'open'"},
        {"sup", "district=ridder", "p.district = 'ridder'"},
        {"sup", "district=ukg", "p.district = 'ukg'"},
        {"head.ridder", "district=ukg", "b.path LIKE 'vko/ridder/%' AND p.district = 'ukg'"},
        {"sup", "min_appeals=2", "p.n_appeals >= 2"},
        {"sup", "min_appeals=1000", "p.n_appeals >= 1000"},
        {"sup", "since=2099-01-01", "FALSE"},
        {"sup", "since=2020-01-01&min_appeals=3", "p.n_appeals >= 3"},
        {"head.ridder", "", "b.path LIKE 'vko/ridder/%'"},
        {"head.ridder", "category=heating",
         "b.path LIKE 'vko/ridder/%' AND p.category = 'heating'"},
        {"head.ridder", "state=open&since=2020-01-01",
         "b.path LIKE 'vko/ridder/%' AND p.state = 'open'"},
        {"exec.ridder", "", "p.body = 'ridder.housing'"}, /* a scope of one body */
        {"exec.ridder", "state=open", "p.body = 'ridder.housing' AND p.state = 'open'"},
        {"head.ukg", "", "b.path LIKE 'vko/ukg/%'"},
        {"head.ukg", "state=open", "b.path LIKE 'vko/ukg/%' AND p.state = 'open'"},
        /* filters with an index each, all large at scale: walked, then the smallest set */
        {"head.ridder", "district=ridder", "b.path LIKE 'vko/ridder/%' AND p.district = 'ridder'"},
        {"sup", "body=ridder.housing&district=ridder",
         "p.body = 'ridder.housing' AND p.district = 'ridder'"},
        {"sup", "category=heating&district=ridder&min_appeals=2",
         "p.category = 'heating' AND p.district = 'ridder' AND p.n_appeals >= 2"},
        {"head.ridder", "category=heating&state=open&since=2020-01-01",
         "b.path LIKE 'vko/ridder/%' AND p.category = 'heating' AND p.state = 'open'"},
        {"head.ukg", "body=ridder.housing", "FALSE"}, /* a body outside the scope */
        /* a category's and a state's problems of the scope's bodies or of the body (their
         * (x, body, last_at) indexes), and a state's walked by number of appeals */
        {"exec.ridder", "category=heating", "p.body = 'ridder.housing' AND p.category = 'heating'"},
        {"head.ukg", "category=heating&since=2020-01-01",
         "b.path LIKE 'vko/ukg/%' AND p.category = 'heating'"},
        {"head.ridder", "state=recurring", "b.path LIKE 'vko/ridder/%' AND p.state = 'recurring'"},
        {"sup", "state=open&body=ridder.housing", "p.state = 'open' AND p.body = 'ridder.housing'"},
        {"sup", "state=open&min_appeals=2", "p.state = 'open' AND p.n_appeals >= 2"},
        {"head.ukg", "state=open&category=heating&min_appeals=2",
         "b.path LIKE 'vko/ukg/%' AND p.state = 'open' AND p.category = 'heating'"
         " AND p.n_appeals >= 2"},
        /* a district's and a state's problems with a least number of appeals (their
         * (x, n_appeals DESC, ...) indexes), and a district's walked by number of appeals */
        {"sup", "district=ukg&min_appeals=2", "p.district = 'ukg' AND p.n_appeals >= 2"},
        {"head.ridder", "district=ridder&min_appeals=2&since=2020-01-01",
         "b.path LIKE 'vko/ridder/%' AND p.district = 'ridder' AND p.n_appeals >= 2"},
        {"sup", "state=open&district=ukg&min_appeals=3",
         "p.state = 'open' AND p.district = 'ukg' AND p.n_appeals >= 3"},
        {"sup", "district=ukg&category=heating", "p.district = 'ukg' AND p.category = 'heating'"},
        /* a least number of appeals of the scope's bodies or of the body (its (body,
         * n_appeals DESC, ...) index) */
        {"head.ridder", "min_appeals=2", "b.path LIKE 'vko/ridder/%' AND p.n_appeals >= 2"},
        {"exec.ridder", "min_appeals=3", "p.body = 'ridder.housing' AND p.n_appeals >= 3"},
        {"head.ukg", "min_appeals=2&since=2020-01-01&category=heating",
         "b.path LIKE 'vko/ukg/%' AND p.n_appeals >= 2 AND p.category = 'heating'"},
    };
    static const struct {
        const char *sort, *order;
    } sorts[] = {
        {"recent", "p.last_at DESC, p.id DESC"},
        {"appeals", "p.n_appeals DESC, p.first_at ASC, p.id"},
        {"age", "p.first_at ASC, p.id"},
    };
    assert_true(sql_count(s->db, "SELECT count(*) FROM problems WHERE merged_into IS NULL") >= 8);
    /* the three orders apart and the districts mixed (the problems above mostly have one
     * appeal, so first and last appeal at once, and one district): a cursor read in the wrong
     * order's key, or a filter left unchecked on a walk, gives another page */
    sql_exec(s->db, "UPDATE problems SET first_at = first_at - (id % 7) * 86400000000,"
                    " last_at = last_at + (id % 5) * 3600000000, n_appeals = n_appeals + id % 3,"
                    " district = CASE id % 3 WHEN 0 THEN 'ukg' ELSE district END");
    const char *serve[] = {"--public-limit", "0", NULL};
    /* at 1,000,000 every filter is large and the order's index is walked to the page's end
     * (no set is under the cap of one); at 500 the walk passes 16 problems, at 4,000 two,
     * then the rest of the page is read through the smallest set (under 240 and 30) from
     * where the walk stopped (list_large) */
    static const char *const scales[] = {NULL, "1000000", "500", "4000"};
    for (int scaled = 0; scaled < 4; scaled++) {
        if (scaled) {
            assert_int_equal(srv_list_scale(s, serve, scales[scaled]), 0);
        }
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
            for (size_t k = 0; k < sizeof sorts / sizeof sorts[0]; k++) {
                as(s, cases[i].who);
                char query[256], sql[1024], truth[4096], got[4096];
                snprintf(query, sizeof query, "%s%ssort=%s", cases[i].query,
                         *cases[i].query ? "&" : "", sorts[k].sort);
                snprintf(sql, sizeof sql,
                         "SELECT p.id FROM problems p JOIN bodies b ON b.id = p.body"
                         " WHERE p.merged_into IS NULL AND %s ORDER BY %s LIMIT 200",
                         cases[i].where, sorts[k].order);
                sql_query(s->db, sql, truth, sizeof truth);
                for (int limit = 200; limit > 0; limit = limit == 200 ? 2 : 0) {
                    list_ids(s, query, limit, got, sizeof got);
                    if (strcmp(got, truth))
                        fail_msg("%s %s (scaled %d, pages of %d): the page\n%sis not\n%s",
                                 cases[i].who, query, scaled, limit, got, truth);
                }
            }
    }
    assert_int_equal(srv_list_scale(s, serve, NULL), 0);
    /* a page is asked by its cursor, never by an offset; a cursor of another sort or a
     * broken one is refused naming it */
    as(s, "sup");
    static const struct {
        const char *query, *field;
    } bad[] = {
        {"offset=2", "offset"},
        {"after=12", "after"},
        {"after=1.2.3", "after"},
        {"sort=appeals&after=12.34", "after"},
        {"sort=age&after=12.0", "after"},
        {"after=x.y", "after"},
        /* a key past the range of its type, a sign, a blank, a key too many */
        {"after=99999999999999999999.5", "after"},
        {"after=%2B5.3", "after"},
        {"after=%205.3", "after"},
        {"sort=appeals&after=1.2.3.4", "after"},
        {"after=5.3.", "after"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char path[128];
        snprintf(path, sizeof path, "/api/v1/problems?%s", bad[i].query);
        resp_t r = api(s, "GET", path, NULL);
        assert_int_equal(r.status, 422);
        json_t *e = json_object_get(r.json, "error");
        assert_string_equal(jstr(e, "code"), "bad_cursor");
        assert_string_equal(jstr(e, "field"), bad[i].field);
        resp_free(&r);
    }
    as(s, NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(grouping_at_intake),
        cmocka_unit_test(list_filters_and_scope),
        cmocka_unit_test(verdict_once_and_recurring),
        cmocka_unit_test(reappeal_within_window_recurs),
        cmocka_unit_test(repeated_appeals_by_applicant_and_problem),
        cmocka_unit_test(confirm_split_merge),
        cmocka_unit_test(summary_kept_by_deltas),
        cmocka_unit_test(grouping_across_languages),
        cmocka_unit_test(place_keys_across_languages_and_settings),
        cmocka_unit_test(per_year_by_local_year),
        cmocka_unit_test(every_driver_gives_the_same_page),
    };
    return cmocka_run_group_tests(tests, setup, srv_teardown);
}
