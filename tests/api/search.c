/* Full-text search (issue 17): GET /api/v1/search finds an appeal by another form of its
 * words (Russian and Kazakh), ranks, marks the matched words in a fragment of plain text,
 * finds answers and forgets a replaced answer, keeps to the caller's scope, and refuses bad
 * input naming the field. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PW "correct horse battery"

static const char *const logins[] = {"head.ridder", "exec.ridder", "head.ukg", "sup", "adm", NULL};
static srv_t S;
/* the server's options, at the start and when a test starts it again */
static const char *const serve_args[] = {"--public-limit", "0", NULL};

/* the appeals filed in setup */
static char A_HEAT1[64], A_HEAT3[64], A_UKG[64], A_KK[64], A_ROAD[64], A_MARKUP[64];

/* an applicant who signs (an anonymous appeal is not considered, so never answered) */
#define SIGNED                                                                                     \
    "{\"type\":\"individual\",\"full_name\":\"Иванов Иван\",\"iin\":\"900101300007\","   \
    "\"postal_address\":\"Риддер, ул. Гоголя 5, кв. 3\"}"
#define ANON "{\"type\":\"anonymous\"}"

static void file_as(srv_t *s, const char *applicant, const char *district, const char *category,
                    const char *lang, const char *text, char number[64])
{
    char body[2048];
    snprintf(body, sizeof body,
             "{\"kind\":\"statement\",\"channel\":\"portal\",\"category\":\"%s\","
             "\"district\":\"%s\",\"language\":\"%s\",\"text\":\"%s\",\"applicant\":%s}",
             category, district, lang, text, applicant);
    as(s, NULL);
    resp_t r = api(s, "POST", "/api/v1/appeals", body);
    if (r.status != 201)
        fprintf(stderr, "intake: %ld %s\n", r.status, r.body);
    assert_int_equal(r.status, 201);
    snprintf(number, 64, "%s", jstr(r.json, "number"));
    resp_free(&r);
}

static void file(srv_t *s, const char *district, const char *category, const char *lang,
                 const char *text, char number[64])
{
    file_as(s, ANON, district, category, lang, text, number);
}

static long act(srv_t *s, const char *who, const char *number, const char *action, const char *body)
{
    as(s, who);
    char sfx[64];
    snprintf(sfx, sizeof sfx, "/%s", action);
    resp_t r = api(s, "POST", api_path(s, "/api/v1/appeals/", number, sfx), body ? body : "{}");
    long st = r.status;
    if (st != 200)
        fprintf(stderr, "%s: %ld %s\n", action, st, r.body);
    resp_free(&r);
    as(s, NULL);
    return st;
}

/* number assigned to exec.ridder by Ridder's head, started, and answered (answer: the
 * answer's JSON) */
static void answered(srv_t *s, const char *number, const char *answer)
{
    assert_int_equal(act(s, "head.ridder", number, "assign", "{\"executor\":\"exec.ridder\"}"),
                     200);
    assert_int_equal(act(s, "exec.ridder", number, "start", NULL), 200);
    assert_int_equal(act(s, "exec.ridder", number, "answer", answer), 200);
}

static int setup(void **state)
{
    if (srv_start(&S, NULL, serve_args))
        return -1;
    *state = &S;
    srv_t *s = &S;
    add_user(s, "head.ridder", "head", "ridder", PW);
    add_user(s, "exec.ridder", "executor", "ridder.housing", PW);
    add_user(s, "head.ukg", "head", "ukg", PW);
    add_user(s, "sup", "supervisor", "vko.apparat", PW);
    add_user(s, "adm", "admin", "vko", PW);
    if (sign_in_all(s, logins, PW))
        return -1;
    /* the one with three forms first: older, it must still rank above (ties go newest
     * first) */
    file(s, "ridder", "heating", "ru",
         "Отоплением в подъезде никто не занимается: отопление отключено, отоплению нужен "
         "ремонт.",
         A_HEAT3);
    file_as(s, SIGNED, "ridder", "heating", "ru",
            "В доме по улице Гоголя 5 нет отопления третью неделю, батареи холодные.", A_HEAT1);
    file(s, "ukg", "heating", "ru", "Нет отопления в школе номер 3 на улице Абая.", A_UKG);
    file(s, "ridder", "heating", "kk", "Біздің үйде жылудың жоқтығына бір апта болды.", A_KK);
    file_as(s, SIGNED, "ridder", "road_repair", "ru",
            "Яма на дороге возле остановки, отопительный сезон тут ни при чём.", A_ROAD);
    file(s, "ridder", "heating", "ru",
         "Пишу <b>жалобу</b> & <script>alert(1)</script>: отопления нет.", A_MARKUP);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return srv_stop(&S);
}

/* GET /api/v1/search?q=<q><extra> as who; the reply (resp_free it) */
static resp_t search(srv_t *s, const char *who, const char *q, const char *extra)
{
    as(s, who);
    resp_t r = api(s, "GET", api_path(s, "/api/v1/search?q=", q, extra), NULL);
    as(s, NULL);
    return r;
}

/* the position of number among the hits of kind ("appeal", "answer"), -1 when absent */
static int rank_of(const resp_t *r, const char *number, const char *kind)
{
    json_t *items = json_object_get(r->json, "items");
    for (size_t i = 0; i < json_array_size(items); i++) {
        json_t *h = json_array_get(items, i);
        const char *n = jstr(h, "number"); /* a problem's hit has none */
        if (n && !strcmp(n, number) && (!kind || !strcmp(jstr(h, "kind"), kind)))
            return (int)i;
    }
    return -1;
}

/* the number of hits of kind */
static size_t n_of(const resp_t *r, const char *kind)
{
    json_t *items = json_object_get(r->json, "items");
    size_t n = 0;
    for (size_t i = 0; i < json_array_size(items); i++)
        n += !strcmp(jstr(json_array_get(items, i), "kind"), kind);
    return n;
}

/* the hit of problem id, NULL when absent */
static json_t *problem_hit(const resp_t *r, long id)
{
    json_t *items = json_object_get(r->json, "items");
    for (size_t i = 0; i < json_array_size(items); i++) {
        json_t *h = json_array_get(items, i);
        if (!strcmp(jstr(h, "kind"), "problem") &&
            json_integer_value(json_object_get(h, "problem")) == id)
            return h;
    }
    return NULL;
}

static json_t *hit_of(const resp_t *r, const char *number)
{
    int i = rank_of(r, number, NULL);
    assert_true(i >= 0);
    return json_array_get(json_object_get(r->json, "items"), (size_t)i);
}

/* the fragment's pieces put together, the matched ones in [ ] */
static void fragment_text(json_t *hit, char *out, size_t n)
{
    out[0] = '\0';
    json_t *f = json_object_get(hit, "fragment");
    assert_true(json_array_size(f) > 0);
    for (size_t i = 0; i < json_array_size(f); i++) {
        json_t *p = json_array_get(f, i);
        int h = json_is_true(json_object_get(p, "hit"));
        size_t k = strlen(out);
        snprintf(out + k, n - k, "%s%s%s", h ? "[" : "", jstr(p, "text"), h ? "]" : "");
    }
}

static void another_word_form_finds(void **state)
{
    srv_t *s = *state;
    static const char *const forms[] = {"отопление", "ОТОПЛЕНИЯ", "отоплением"};
    for (size_t i = 0; i < 3; i++) {
        resp_t r = search(s, "head.ridder", forms[i], NULL);
        assert_int_equal(r.status, 200);
        if (rank_of(&r, A_HEAT1, "appeal") < 0 || rank_of(&r, A_HEAT3, "appeal") < 0)
            fail_msg("%s: %s", forms[i], r.body);
        assert_int_equal(rank_of(&r, A_ROAD, NULL), -1); /* отопительный is another word */
        resp_free(&r);
    }
    /* Kazakh: жылу finds жылудың */
    resp_t r = search(s, "head.ridder", "жылу", NULL);
    assert_int_equal(r.status, 200);
    char frag[512];
    fragment_text(hit_of(&r, A_KK), frag, sizeof frag);
    assert_string_equal(frag, "Біздің үйде [жылудың] жоқтығына бір апта болды.");
    assert_int_equal(rank_of(&r, A_HEAT1, NULL), -1);
    resp_free(&r);
    /* every word of the query is required */
    r = search(s, "head.ridder", "отопление школа", NULL);
    assert_int_equal(rank_of(&r, A_HEAT1, NULL), -1);
    resp_free(&r);
    r = search(s, "sup", "отопление школа", "&kind=appeal");
    assert_int_equal(rank_of(&r, A_UKG, NULL), 0);
    resp_free(&r);
}

static void ranked_and_highlighted(void **state)
{
    srv_t *s = *state;
    resp_t r = search(s, "head.ridder", "отопление", NULL);
    assert_int_equal(r.status, 200);
    /* three forms of the word in a short text rank above one */
    int three = rank_of(&r, A_HEAT3, NULL), one = rank_of(&r, A_HEAT1, NULL);
    assert_true(three >= 0 && one >= 0 && three < one);
    json_t *items = json_object_get(r.json, "items");
    for (size_t i = 1; i < json_array_size(items); i++)
        assert_true(json_real_value(json_object_get(json_array_get(items, i - 1), "score")) >=
                    json_real_value(json_object_get(json_array_get(items, i), "score")));
    char frag[512];
    fragment_text(hit_of(&r, A_HEAT3), frag, sizeof frag);
    assert_string_equal(frag, "[Отоплением] в подъезде никто не занимается: [отопление] "
                              "отключено, [отоплению] нужен ремонт.");
    /* the citizen's markup comes back as text in a piece of its own, never as ours */
    fragment_text(hit_of(&r, A_MARKUP), frag, sizeof frag);
    assert_string_equal(frag, "Пишу <b>жалобу</b> & <script>alert(1)</script>: [отопления] нет.");
    json_t *h = hit_of(&r, A_MARKUP);
    assert_string_equal(jstr(h, "kind"), "appeal");
    assert_string_equal(jstr(h, "body"), "ridder.housing");
    assert_string_equal(jstr(h, "language"), "ru");
    resp_free(&r);
}

static void scope_is_kept(void **state)
{
    srv_t *s = *state;
    /* Ust-Kamenogorsk's head never finds Ridder's appeals, nor Ridder's head Ust-Kamenogorsk's */
    resp_t r = search(s, "head.ukg", "отопление", "&kind=appeal");
    assert_int_equal(r.status, 200);
    assert_int_equal(json_array_size(json_object_get(r.json, "items")), 1);
    assert_int_equal(rank_of(&r, A_UKG, NULL), 0);
    resp_free(&r);
    r = search(s, "head.ridder", "отопление школа", NULL);
    assert_int_equal(json_array_size(json_object_get(r.json, "items")), 0);
    resp_free(&r);
    r = search(s, "head.ridder", "отопление", NULL);
    assert_int_equal(rank_of(&r, A_UKG, NULL), -1);
    resp_free(&r);
    /* an executor: only the appeals assigned to them (and the problems of their body, below) */
    r = search(s, "exec.ridder", "отопление", NULL);
    assert_int_equal(r.status, 200);
    assert_int_equal(n_of(&r, "appeal") + n_of(&r, "answer"), 0);
    resp_free(&r);
    /* the oblast supervisor: all */
    r = search(s, "sup", "отопление", NULL);
    assert_true(rank_of(&r, A_UKG, NULL) >= 0 && rank_of(&r, A_HEAT1, NULL) >= 0);
    resp_free(&r);
    /* a filter cannot widen the scope */
    r = search(s, "head.ridder", "отопление", "&body=ukg.housing");
    assert_int_equal(json_array_size(json_object_get(r.json, "items")), 0);
    resp_free(&r);
    /* no session; a role that does not read appeals */
    r = search(s, NULL, "отопление", NULL);
    expect_error(&r, 401, NULL, NULL);
    resp_free(&r);
    r = search(s, "adm", "отопление", NULL);
    expect_error(&r, 403, "forbidden", NULL);
    resp_free(&r);
}

/* a forwarded appeal is found in its new body's scope, no longer in the old one's */
static void forwarded_appeal_changes_scope(void **state)
{
    srv_t *s = *state;
    assert_int_equal(act(s, "head.ridder", A_ROAD, "forward",
                         "{\"body\":\"ukg.roads\",\"reason\":\"Остановка «Рынок» в "
                         "Усть-Каменогорске\"}"),
                     200);
    resp_t r = search(s, "head.ukg", "остановки", "&kind=appeal");
    assert_int_equal(rank_of(&r, A_ROAD, "appeal"), 0);
    resp_free(&r);
    r = search(s, "head.ridder", "остановки", NULL);
    assert_int_equal(rank_of(&r, A_ROAD, NULL), -1);
    resp_free(&r);
}

static void answers_are_found_and_replaced(void **state)
{
    srv_t *s = *state;
    answered(s, A_HEAT1,
             "{\"decision\":\"satisfied\",\"text\":\"Радиаторы в доме 5 заменены, "
             "отопление включено 12 марта.\",\"grounds\":\"Акт осмотра от 12.03; АППК ст. 76\"}");
    /* the executor now finds the appeal assigned to them, and its answer */
    resp_t r = search(s, "exec.ridder", "радиатор", NULL);
    assert_int_equal(r.status, 200);
    assert_int_equal(rank_of(&r, A_HEAT1, "answer"), 0);
    assert_int_equal(json_array_size(json_object_get(r.json, "items")), 1);
    resp_free(&r);
    r = search(s, "exec.ridder", "отопление", "&kind=appeal");
    assert_true(rank_of(&r, A_HEAT1, "appeal") >= 0);
    assert_int_equal(rank_of(&r, A_HEAT1, "answer"), -1);
    resp_free(&r);
    /* returned and answered again: the old answer's words no longer find it */
    assert_int_equal(act(s, "sup", A_HEAT1, "return", "{\"reason\":\"Ответ формальный\"}"), 200);
    assert_int_equal(act(s, "exec.ridder", A_HEAT1, "answer",
                         "{\"decision\":\"satisfied\",\"text\":\"Котельная отремонтирована, "
                         "тепло подано в дом 5 с 14 марта.\",\"grounds\":\"Акт осмотра от "
                         "14.03; АППК ст. 76\"}"),
                     200);
    r = search(s, "sup", "радиаторы", NULL);
    assert_int_equal(rank_of(&r, A_HEAT1, NULL), -1);
    resp_free(&r);
    r = search(s, "sup", "котельной", NULL);
    assert_int_equal(rank_of(&r, A_HEAT1, "answer"), 0);
    resp_free(&r);
}

static void paging(void **state)
{
    srv_t *s = *state;
    resp_t all = search(s, "sup", "отопление", "&kind=appeal");
    size_t n = json_array_size(json_object_get(all.json, "items"));
    assert_true(n >= 3);
    assert_true(json_is_null(json_object_get(all.json, "next")));
    resp_t p1 = search(s, "sup", "отопление", "&kind=appeal&limit=1");
    assert_int_equal(json_array_size(json_object_get(p1.json, "items")), 1);
    assert_int_equal(json_integer_value(json_object_get(p1.json, "next")), 1);
    resp_t p2 = search(s, "sup", "отопление", "&kind=appeal&limit=1&offset=1");
    assert_string_equal(jstr(json_array_get(json_object_get(p2.json, "items"), 0), "number"),
                        jstr(json_array_get(json_object_get(all.json, "items"), 1), "number"));
    resp_free(&all);
    resp_free(&p1);
    resp_free(&p2);
}

static void bad_input_names_the_field(void **state)
{
    srv_t *s = *state;
    char longq[700] = "";
    for (int i = 0; i < 41; i++)
        strcat(longq, "слово ");
    static const struct {
        const char *q, *extra, *code, *field;
    } rows[] = {
        {NULL, NULL, "required", "q"},
        {"   ", NULL, "required", "q"},
        {"—?!", NULL, "no_words", "q"},
        {"отопление", "&limit=0", "out_of_range", "limit"},
        {"отопление", "&limit=101", "out_of_range", "limit"},
        {"отопление", "&offset=5000", "out_of_range", "offset"},
        {"отопление", "&kind=problems", "unknown_value", "kind"},
        {"отопление", "&status=shut", "unknown_value", "status"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        resp_t r;
        if (rows[i].q)
            r = search(s, "sup", rows[i].q, rows[i].extra);
        else {
            as(s, "sup");
            r = api(s, "GET", "/api/v1/search", NULL);
            as(s, NULL);
        }
        expect_error(&r, 422, rows[i].code, rows[i].field);
        resp_free(&r);
    }
    resp_t r = search(s, "sup", longq, NULL); /* 246 characters */
    expect_error(&r, 422, "too_long", "q");
    resp_free(&r);
    /* invalid UTF-8 in the query string */
    as(s, "sup");
    r = api(s, "GET", "/api/v1/search?q=%FF%FE", NULL);
    as(s, NULL);
    expect_error(&r, 422, "invalid_utf8", "q");
    resp_free(&r);
}

/* A row the index never saw (written past the store, as a fixture does) is found once the
 * index is rebuilt, which opening a database does when the stems it was built with are not
 * this binary's (a changed Kazakh list) */
static void stale_index_is_rebuilt_on_open(void **state)
{
    srv_t *s = *state;
    resp_t r = search(s, "sup", "кочегарки", NULL);
    assert_int_equal(json_array_size(json_object_get(r.json, "items")), 0);
    resp_free(&r);
    assert_int_equal(srv_halt(s), 0);
    char out[128];
    /* the signature of the stems: meta's search_stems on SQLite, search_stems on PostgreSQL */
    int pg = !strncmp(s->db, "postgresql://", 13);
    char sql[1200];
    snprintf(sql, sizeof sql,
             "INSERT INTO appeals (id, number, kind, channel, status, jurisdiction, category,"
             " district, body, receiving_body, language, text, applicant_type, received_at,"
             " registered_on, due_on, max_due_on, access_hash, updated_at) VALUES (9001,"
             " 'T-9001', 'statement', 'portal', 'registered', 'kz', 'heating', 'ridder',"
             " 'ridder.housing', 'ridder.housing', 'ru', 'Кочегарка дымит', 'anonymous', 0,"
             " '2026-01-10', '2026-02-10', '2026-03-10', 'x', 0); %s",
             pg ? "UPDATE search_stems SET sig = '0:changed'; SELECT count(*) FROM search_stems"
                : "UPDATE meta SET value = '0:changed' WHERE key = 'search_stems';"
                  " SELECT changes();");
    sql_query(s->db, sql, out, sizeof out);
    assert_int_equal(atoi(out), 1);
    assert_int_equal(srv_serve(s, serve_args), 0);
    r = search(s, "sup", "кочегарки", NULL);
    assert_int_equal(r.status, 200);
    assert_int_equal(rank_of(&r, "T-9001", "appeal"), 0);
    resp_free(&r);
    sql_query(s->db,
              pg ? "SELECT sig FROM search_stems"
                 : "SELECT value FROM meta WHERE key = 'search_stems'",
              out, sizeof out);
    assert_string_not_equal(out, "0:changed");
}

/* the problem of an appeal (GET /api/v1/appeals/{number}'s problem_id) */
static long problem_of(srv_t *s, const char *number)
{
    as(s, "sup");
    resp_t r = api(s, "GET", api_path(s, "/api/v1/appeals/", number, NULL), NULL);
    as(s, NULL);
    assert_int_equal(r.status, 200);
    long id = (long)json_integer_value(json_object_get(r.json, "problem_id"));
    resp_free(&r);
    assert_true(id > 0);
    return id;
}

static long problem_act(srv_t *s, const char *who, long id, const char *action, const char *body,
                        long *new_id)
{
    char p[96];
    snprintf(p, sizeof p, "/api/v1/problems/%ld/%s", id, action);
    as(s, who);
    resp_t r = api(s, "POST", p, body);
    long st = r.status;
    if (st != 200)
        fprintf(stderr, "%s: %ld %s\n", action, st, r.body);
    if (new_id)
        *new_id = (long)json_integer_value(json_object_get(r.json, "id"));
    resp_free(&r);
    as(s, NULL);
    return st;
}

/* Problems are found too (kind "problem", a link to /api/v1/problems/{id}), ranked with the
 * rest, their words marked; within the scope (an executor: the problems of their body); a
 * merged problem is no longer found, a split one's new problem is; personal data in a
 * problem's title is neither shown nor found */
static void problems_are_found(void **state)
{
    srv_t *s = *state;
    static const char *const addr = "\"address\":\"г. Риддер, ул. Садовая, д. 7\"";
    char a[64], b[64], c[64], u[64], body[1200];
    snprintf(body, sizeof body, "{\"type\":\"anonymous\"},%s", addr);
    file_as(s, body, "ridder", "water_supply", "ru",
            "Во дворе дома прорвало водопровод, вода заливает подвалы уже третий день.", a);
    file_as(s, body, "ridder", "water_supply", "ru",
            "Водопровод во дворе прорвало, подвалы залиты водой, третий день без ремонта.", b);
    file_as(s, "{\"type\":\"anonymous\"},\"address\":\"г. Риддер, ул. Луговая, д. 3\"", "ridder",
            "water_supply", "ru",
            "Звоните мне 8 777 123 45 67: водопровод прорвало во дворе, подвалы заливает водой.",
            c);
    file(s, "ukg", "water_supply", "ru", "В школе прорвало водопровод, затоплен спортзал.", u);
    long pa = problem_of(s, a), pc = problem_of(s, c), pu = problem_of(s, u);
    assert_int_equal(problem_of(s, b), pa);
    assert_true(pc != pa);
    /* another form of the word finds the problem; a hit says what it is and where to read it */
    resp_t r = search(s, "head.ridder", "водопровода", "&kind=problem");
    assert_int_equal(r.status, 200);
    json_t *h = problem_hit(&r, pa);
    if (!h)
        fail_msg("%ld not in %s", pa, r.body);
    assert_int_equal(n_of(&r, "problem"), json_array_size(json_object_get(r.json, "items")));
    char href[64];
    snprintf(href, sizeof href, "/api/v1/problems/%ld", pa);
    assert_string_equal(jstr(h, "href"), href);
    assert_string_equal(jstr(h, "body"), "ridder.housing");
    assert_string_equal(jstr(h, "category"), "water_supply");
    assert_string_equal(jstr(h, "state"), "open");
    assert_true(json_integer_value(json_object_get(h, "appeals")) >= 1);
    assert_null(json_object_get(h, "number"));
    char frag[600];
    fragment_text(h, frag, sizeof frag);
    assert_non_null(strstr(frag, "[водопровод]"));
    assert_non_null(strstr(frag, "Садовая"));
    assert_null(problem_hit(&r, pu)); /* another city's */
    resp_free(&r);
    /* ranked with the appeals */
    r = search(s, "head.ridder", "водопровод подвалы", NULL);
    assert_true(problem_hit(&r, pa) && rank_of(&r, a, "appeal") >= 0);
    json_t *items = json_object_get(r.json, "items");
    for (size_t i = 1; i < json_array_size(items); i++)
        assert_true(json_real_value(json_object_get(json_array_get(items, i - 1), "score")) >=
                    json_real_value(json_object_get(json_array_get(items, i), "score")));
    resp_free(&r);
    /* by its address */
    r = search(s, "head.ridder", "Садовая", "&kind=problem");
    assert_non_null(problem_hit(&r, pa));
    resp_free(&r);
    /* Ust-Kamenogorsk's head finds his own, never Ridder's; the executor of Ridder's housing
     * department the problems of his body (none of their appeals are his) */
    r = search(s, "head.ukg", "водопровод", NULL);
    assert_non_null(problem_hit(&r, pu));
    assert_null(problem_hit(&r, pa));
    resp_free(&r);
    r = search(s, "exec.ridder", "водопровод", NULL);
    assert_non_null(problem_hit(&r, pa));
    assert_null(problem_hit(&r, pu));
    assert_int_equal(rank_of(&r, a, NULL), -1);
    resp_free(&r);
    /* the personal data of a title: masked in the fragment, and not in the index */
    r = search(s, "sup", "водопровод", "&kind=problem");
    assert_non_null(problem_hit(&r, pc));
    fragment_text(problem_hit(&r, pc), frag, sizeof frag);
    assert_null(strstr(frag, "45 67"));
    assert_non_null(strstr(frag, "Луговая"));
    resp_free(&r);
    r = search(s, "exec.ridder", "8 777 123 45 67", "&kind=problem");
    assert_int_equal(json_array_size(json_object_get(r.json, "items")), 0);
    resp_free(&r);
    /* split: b leaves for a problem of its own, found by its words */
    long pb = 0;
    snprintf(body, sizeof body, "{\"appeals\":[\"%s\"]}", b);
    r = search(s, "head.ridder", "ремонта залиты", "&kind=problem");
    assert_int_equal(json_array_size(json_object_get(r.json, "items")), 0);
    resp_free(&r);
    assert_int_equal(problem_act(s, "head.ridder", pa, "split", body, &pb), 200);
    assert_true(pb > 0 && pb != pa);
    r = search(s, "head.ridder", "ремонта залиты", "&kind=problem");
    assert_non_null(problem_hit(&r, pb));
    resp_free(&r);
    /* merge: the merged problem is found no more, the one it went into still is */
    snprintf(body, sizeof body, "{\"into\":%ld}", pa);
    assert_int_equal(problem_act(s, "head.ridder", pb, "merge", body, NULL), 200);
    r = search(s, "sup", "водопровод", "&kind=problem");
    assert_null(problem_hit(&r, pb));
    assert_non_null(problem_hit(&r, pa));
    resp_free(&r);
}

/* body= is that body's own texts, not those of the bodies under it: the query subtracts the
 * children's scope tokens from the body's, so a parent body, the oblast's root and a leaf
 * each find exactly theirs */
static void body_filter_is_that_body_alone(void **state)
{
    srv_t *s = *state;
    char own[64];
    file_as(s, SIGNED, "ridder", "heating", "ru", "Котельная не работает, в общежитии холодно.",
            own);
    /* to the city akimat of Ust-Kamenogorsk itself, a parent of ukg.housing */
    assert_int_equal(act(s, "head.ridder", own, "forward",
                         "{\"body\":\"ukg\",\"reason\":\"Общежитие в Усть-Каменогорске\"}"),
                     200);
    char under[64];
    file(s, "ukg", "heating", "ru", "Котельная на улице Абая снова остановлена.", under);
    resp_t r = search(s, "sup", "котельная", "&kind=appeal&body=ukg");
    assert_int_equal(r.status, 200);
    assert_int_equal(rank_of(&r, own, "appeal"), 0);
    assert_int_equal(rank_of(&r, under, NULL), -1);
    assert_int_equal(json_array_size(json_object_get(r.json, "items")), 1);
    resp_free(&r);
    r = search(s, "sup", "котельная", "&kind=appeal&body=ukg.housing");
    assert_int_equal(rank_of(&r, under, "appeal"), 0);
    assert_int_equal(rank_of(&r, own, NULL), -1);
    resp_free(&r);
    /* the head of the city akimat finds it in their scope with the filter too */
    r = search(s, "head.ukg", "котельная", "&body=ukg");
    assert_true(rank_of(&r, own, "appeal") >= 0);
    assert_int_equal(rank_of(&r, under, NULL), -1);
    resp_free(&r);
    /* the oblast's root body has no appeal of its own; a body that does not exist, none */
    r = search(s, "sup", "котельная", "&body=vko");
    assert_int_equal(r.status, 200);
    assert_int_equal(n_of(&r, "appeal") + n_of(&r, "answer"), 0);
    resp_free(&r);
    r = search(s, "sup", "котельная", "&body=nosuch");
    assert_int_equal(r.status, 200);
    assert_int_equal(json_array_size(json_object_get(r.json, "items")), 0);
    resp_free(&r);
    r = search(s, "sup", "котельная", "&body=x%22y");
    assert_int_equal(r.status, 200);
    assert_int_equal(json_array_size(json_object_get(r.json, "items")), 0);
    resp_free(&r);
}

/* status= is the appeals in that status alone, their texts and answers (checked in the
 * status's index by each match's appeal, store_search.c); problems have no status */
static void status_filter_is_that_status_alone(void **state)
{
    srv_t *s = *state;
    char reg[64], asg[64], ans[64];
    file_as(s, SIGNED, "ridder", "water_supply", "ru", "Водокачка на улице Гоголя снова стоит.",
            reg);
    file_as(s, SIGNED, "ridder", "water_supply", "ru", "Водокачку у школы не чинят неделю.", asg);
    file_as(s, SIGNED, "ridder", "water_supply", "ru", "Водокачка в посёлке шумит по ночам.", ans);
    assert_int_equal(act(s, "head.ridder", asg, "assign", "{\"executor\":\"exec.ridder\"}"), 200);
    answered(s, ans,
             "{\"decision\":\"satisfied\",\"text\":\"Насос водокачки заменён, шума нет с 3 "
             "апреля.\",\"grounds\":\"Акт осмотра от 03.04; АППК ст. 76\"}");
    const struct {
        const char *filter;
        const char *number;
        size_t n;
    } want[] = {
        {"&status=registered", reg, 1},
        {"&status=assigned", asg, 1},
        {"&status=answered", ans, 2}, /* its text and its answer */
        {"&status=answered&kind=answer", ans, 1},
        {"&status=closed", NULL, 0},
        {"&status=answered&kind=problem", NULL, 0},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        resp_t r = search(s, "sup", "водокачка", want[i].filter);
        assert_int_equal(r.status, 200);
        json_t *items = json_object_get(r.json, "items");
        if (json_array_size(items) != want[i].n)
            fail_msg("%s: %zu hits, want %zu", want[i].filter, json_array_size(items), want[i].n);
        for (size_t k = 0; k < want[i].n; k++)
            assert_string_equal(jstr(json_array_get(items, k), "number"), want[i].number);
        resp_free(&r);
    }
    /* with the body filter: the appeals' own body, then another */
    resp_t r = search(s, "sup", "водокачка", "&status=answered&kind=appeal");
    char body[64];
    snprintf(body, sizeof body, "%s",
             jstr(json_array_get(json_object_get(r.json, "items"), 0), "body"));
    resp_free(&r);
    char f[128];
    snprintf(f, sizeof f, "&status=answered&body=%s", body);
    r = search(s, "sup", "водокачка", f);
    assert_int_equal(json_array_size(json_object_get(r.json, "items")), 2);
    resp_free(&r);
    r = search(s, "sup", "водокачка", "&status=answered&body=ukg");
    assert_int_equal(json_array_size(json_object_get(r.json, "items")), 0);
    resp_free(&r);
}

/* appeal numbers, as qsort compares them */
static int cmp_number(const void *a, const void *b)
{
    return strcmp(a, b);
}

/* The newest 1,000 matches are the ones ranked, however the engine walks them: PostgreSQL
 * counts first the matches in a window of the newest spans of row ids, widens it where the
 * matches seen are few, and walks every match when none is there (store_search.c pg_newest).
 * The appeals' ids start past 4,000,000 there, far from the problems' spans, as in a large
 * database, and the newer half past 4,020,000: the first window holds that half alone, the
 * wider one both. */
static void newest_thousand_of_a_common_word(void **state)
{
    srv_t *s = *state;
    if (srv_pg()) {
        char out[64];
        sql_query(s->db, "SELECT setval(pg_get_serial_sequence('appeals', 'id'), 4000000)", out,
                  sizeof out);
    }
    enum { ALL = 1050, SIGNED_N = 5, BATCH = 50 };
    static char num[ALL + SIGNED_N][64];
    const char *bodies[BATCH];
    char text[BATCH][512];
    as(s, NULL);
    for (int k = 0; k < ALL; k += BATCH) {
        if (srv_pg() &&
            k == ALL / BATCH / 2 * BATCH) { /* a gap: the newer half alone in the newest spans */
            char out[64];
            sql_query(s->db, "SELECT setval(pg_get_serial_sequence('appeals', 'id'), 4020000)", out,
                      sizeof out);
        }
        for (int i = 0; i < BATCH; i++) {
            snprintf(text[i], sizeof text[i],
                     "{\"kind\":\"statement\",\"channel\":\"portal\",\"category\":"
                     "\"heating\",\"district\":\"ridder\",\"language\":\"ru\",\"text\":"
                     "\"Бойлерная квартала %d не топит.\",\"applicant\":" ANON "}",
                     (k + i) % 7);
            bodies[i] = text[i];
        }
        resp_t r[BATCH];
        api_parallel(s, BATCH, "POST", "/api/v1/appeals", bodies, r);
        for (int i = 0; i < BATCH; i++) {
            if (r[i].status != 201)
                fail_msg("intake %d: %ld %s", k + i, r[i].status, r[i].body);
            snprintf(num[k + i], 64, "%s", jstr(r[i].json, "number"));
            resp_free(&r[i]);
        }
    }
    for (int i = 0; i < SIGNED_N; i++) /* the newest, and alone in their status */
        file_as(s, SIGNED, "ridder", "heating", "ru", "Бойлерная квартала 9 не топит.",
                num[ALL + i]);
    /* the numbers in the order of registration: the newest last */
    qsort(num, ALL + SIGNED_N, sizeof num[0], cmp_number);
    size_t got = 0;
    for (int off = 0; off <= 1000; off += 100) {
        char f[64];
        snprintf(f, sizeof f, "&kind=appeal&limit=100&offset=%d", off);
        resp_t r = search(s, "sup", "бойлерная", f);
        assert_int_equal(r.status, 200);
        json_t *items = json_object_get(r.json, "items");
        for (size_t i = 0; i < json_array_size(items); i++, got++) {
            const char *n = jstr(json_array_get(items, i), "number");
            /* ranked alike but for the quarter's number: each is among the newest 1,000 */
            int newest = 0;
            for (int k = ALL + SIGNED_N - 1; k >= ALL + SIGNED_N - 1000 && !newest; k--)
                newest = !strcmp(num[k], n);
            if (!newest)
                fail_msg("offset %d: %s is not among the newest 1,000", off, n);
        }
        resp_free(&r);
    }
    assert_int_equal(got, 1000);
    /* a status few of them have: the window's count is low, the walk widens to every match */
    resp_t r = search(s, "sup", "бойлерная", "&status=registered&kind=appeal");
    assert_int_equal(json_array_size(json_object_get(r.json, "items")), SIGNED_N);
    resp_free(&r);
    /* the problems, whose ids are small: a window of their own, few in it, every match walked */
    r = search(s, "sup", "бойлерная", "&kind=problem");
    assert_true(json_array_size(json_object_get(r.json, "items")) >= 1);
    resp_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(another_word_form_finds),
        cmocka_unit_test(ranked_and_highlighted),
        cmocka_unit_test(scope_is_kept),
        cmocka_unit_test(forwarded_appeal_changes_scope),
        cmocka_unit_test(answers_are_found_and_replaced),
        cmocka_unit_test(paging),
        cmocka_unit_test(problems_are_found),
        cmocka_unit_test(bad_input_names_the_field),
        cmocka_unit_test(stale_index_is_rebuilt_on_open),
        cmocka_unit_test(body_filter_is_that_body_alone),
        cmocka_unit_test(status_filter_is_that_status_alone),
        cmocka_unit_test(newest_thousand_of_a_common_word),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
