/* The calendar and deadline engine over HTTP (GET /api/v1/calendar/{year}, /deadline). */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void deadline_for_a_statement_before_hours(void **state)
{
    /* Fri 20 Mar 2026 17:00, before 18:30: registered the same day; 21-25 Mar are Nauryz
     * days off, so 15 working days end on 15 Apr (АППК arts. 64(3), 76, 65). */
    resp_t r = api(*state, "GET",
                   "/api/v1/deadline?kind=statement&received=2026-03-20T17:00:00%2B05:00", NULL);
    assert_int_equal(r.status, 200);
    assert_string_equal(jstr(r.json, "registered_on"), "2026-03-20");
    assert_string_equal(jstr(r.json, "due_on"), "2026-04-15");
    assert_string_equal(jstr(r.json, "forward_by"), "2026-03-30");
    resp_free(&r);
}

static void body_end_of_day_moves_registration(void **state)
{
    /* 18:10 is after 18:00, the end of day of the Ulken Naryn akimat: registered on the next
     * working day, Thu 26 Mar (after Nauryz), but before 18:30 for the oblast akimat. */
    const char *q = "/api/v1/deadline?kind=statement&received=2026-03-20T18:10:00%2B05:00";
    char path[256];
    resp_t r = api(*state, "GET", q, NULL);
    assert_string_equal(jstr(r.json, "registered_on"), "2026-03-20");
    resp_free(&r);
    snprintf(path, sizeof path, "%s&body=ulkennaryn", q);
    r = api(*state, "GET", path, NULL);
    assert_int_equal(r.status, 200);
    assert_string_equal(jstr(r.json, "registered_on"), "2026-03-26");
    resp_free(&r);
}

static void complaint_has_its_own_term(void **state)
{
    resp_t r = api(*state, "GET",
                   "/api/v1/deadline?kind=complaint&received=2026-06-01T10:00:00%2B05:00", NULL);
    assert_int_equal(r.status, 200);
    json_t *t = json_object_get(r.json, "term");
    assert_int_equal(json_integer_value(json_object_get(t, "value")), 20);
    resp_free(&r);
}

static void russia_is_data_too(void **state)
{
    resp_t r = api(*state, "GET",
                   "/api/v1/deadline?kind=statement&received=2026-03-02T10:00:00%2B03:00"
                   "&jurisdiction=ru",
                   NULL);
    assert_int_equal(r.status, 200);
    assert_string_equal(jstr(r.json, "jurisdiction"), "ru");
    json_t *t = json_object_get(r.json, "term");
    assert_int_equal(json_integer_value(json_object_get(t, "value")), 30);
    assert_string_equal(jstr(t, "unit"), "calendar_days");
    resp_free(&r);
}

static void calendar_lists_days_off_with_reasons(void **state)
{
    resp_t r = api(*state, "GET", "/api/v1/calendar/2026", NULL);
    assert_int_equal(r.status, 200);
    json_t *days = json_object_get(r.json, "non_working_days");
    int nauryz = 0, jan7 = 0;
    for (size_t i = 0; i < json_array_size(days); i++) {
        json_t *d = json_array_get(days, i);
        const char *date = jstr(d, "date");
        assert_true(json_array_size(json_object_get(d, "reasons")) >= 1);
        nauryz += strncmp(date, "2026-03-2", 9) == 0;
        jan7 += strcmp(date, "2026-01-07") == 0;
    }
    assert_int_equal(jan7, 1);
    assert_true(nauryz >= 3);
    resp_free(&r);
}

static void bad_inputs_name_the_field(void **state)
{
    static const struct {
        const char *path;
        int status;
        const char *code, *field;
    } rows[] = {
        /* year past the data: an error, never a guess */
        {"/api/v1/calendar/2031", 422, "calendar_out_of_range", "year"},
        {"/api/v1/calendar/twenty", 422, "bad_year", "year"},
        {"/api/v1/calendar/2026?jurisdiction=xx", 422, "unknown_jurisdiction", "jurisdiction"},
        {"/api/v1/deadline?received=2026-03-20T17:00:00Z", 422, "required", "kind"},
        {"/api/v1/deadline?kind=statement", 422, "required", "received"},
        {"/api/v1/deadline?kind=petition&received=2026-03-20T17:00:00Z", 422, "unknown_kind",
         "kind"},
        {"/api/v1/deadline?kind=statement&received=2026-02-30T10:00:00Z", 422, NULL, "received"},
        {"/api/v1/deadline?kind=statement&received=yesterday", 422, NULL, "received"},
        {"/api/v1/deadline?kind=statement&received=2031-01-10T10:00:00Z", 422,
         "calendar_out_of_range", NULL},
        {"/api/v1/deadline?kind=statement&received=2026-03-20T17:00:00Z&body=atlantis", 422,
         "unknown_body", "body"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        resp_t r = api(*state, "GET", rows[i].path, NULL);
        expect_error(&r, rows[i].status, rows[i].code, rows[i].field);
        resp_free(&r);
    }
}

static void reference_lists_are_public(void **state)
{
    static const char *const paths[] = {"/api/v1/bodies", "/api/v1/districts",
                                        "/api/v1/categories"};
    static const char *const keys[] = {"bodies", "districts", "categories"};
    for (int i = 0; i < 3; i++) {
        resp_t r = api(*state, "GET", paths[i], NULL);
        assert_int_equal(r.status, 200);
        assert_true(json_array_size(json_object_get(r.json, keys[i])) >= 10);
        resp_free(&r);
    }
    resp_t r = api(*state, "GET", "/api/v1/bodies", NULL);
    int ridder = 0;
    json_t *a = json_object_get(r.json, "bodies");
    for (size_t i = 0; i < json_array_size(a); i++) {
        json_t *b = json_array_get(a, i);
        if (strcmp(jstr(b, "id"), "ridder") == 0) {
            ridder = 1;
            assert_string_equal(jstr(b, "parent"), "vko");
            assert_non_null(jstr(json_object_get(b, "name"), "kk"));
        }
    }
    assert_true(ridder);
    resp_free(&r);
}

/* A new day off entered in the calendar data moves the deadlines of running appeals. A
 * forwarded appeal's term, which restarted at the competent body (terms.txt "forwarded
 * restart"), is recomputed from the forward, not from the receipt: it stays as it was. */
static void calendar_change_moves_running_deadlines(void **state)
{
    (void)state;
    srv_t t;
    char cmd[1200], data[400];
    assert_int_equal(srv_start(&t, NULL, NULL), 0);
    snprintf(data, sizeof data, "%s/data", t.dir);
    snprintf(cmd, sizeof cmd, "cp -r data '%s'", data);
    assert_int_equal(system(cmd), 0);
    const char *serve[] = {"--data-dir", data, NULL};
    assert_int_equal(srv_halt(&t), 0);
    assert_int_equal(srv_serve(&t, serve), 0);
    add_user(&t, "reg", "registrar", "ridder", "correct horse battery");
    add_user(&t, "head", "head", "ridder", "correct horse battery");
    static const char *const mail =
        "{\"kind\":\"statement\",\"channel\":\"mail\",\"category\":\"heating\","
        "\"district\":\"ridder\",\"language\":\"ru\",\"text\":\"x\","
        "\"received_at\":\"2026-03-02T10:00:00+05:00\",\"received_reason\":\"mail log\","
        "\"applicant\":{\"type\":\"individual\",\"full_name\":\"И\","
        "\"postal_address\":\"Риддер\"}}";
    assert_int_equal(login(&t, "reg", "correct horse battery", NULL), 200);
    resp_t r = api(&t, "POST", "/api/v1/appeals", mail);
    assert_int_equal(r.status, 201);
    char number[64], due[11], fwd[64], fwd_due[11];
    snprintf(number, sizeof number, "%s", jstr(r.json, "number"));
    snprintf(due, sizeof due, "%s", jstr(r.json, "due_on"));
    resp_free(&r);
    r = api(&t, "POST", "/api/v1/appeals", mail);
    assert_int_equal(r.status, 201);
    snprintf(fwd, sizeof fwd, "%s", jstr(r.json, "number"));
    resp_free(&r);
    assert_int_equal(login(&t, "head", "correct horse battery", NULL), 200);
    r = api(&t, "POST", api_path(&t, "/api/v1/appeals/", fwd, "/forward"),
            "{\"body\":\"ukg.housing\",\"reason\":\"Дом в Усть-Каменогорске\"}");
    assert_int_equal(r.status, 200);
    snprintf(fwd_due, sizeof fwd_due, "%s", jstr(r.json, "due_on"));
    assert_true(strcmp(fwd_due, due) > 0); /* the term restarted today */
    resp_free(&r);
    /* a (made up) order makes Wed 4 March 2026 a day off: one working day fewer */
    snprintf(cmd, sizeof cmd,
             "printf 'dayoff 2026-03-04 Test order | unconfirmed | test\\n' >> "
             "'%s/jurisdictions/kz/calendar.txt'",
             data);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(srv_halt(&t), 0);
    assert_int_equal(srv_serve(&t, serve), 0);
    assert_int_equal(login(&t, "reg", "correct horse battery", NULL), 200);
    r = api(&t, "GET", api_path(&t, "/api/v1/appeals/", number, NULL), NULL);
    assert_int_equal(r.status, 200);
    assert_true(strcmp(jstr(r.json, "due_on"), due) > 0); /* later by the lost day */
    resp_free(&r);
    r = api(&t, "GET", api_path(&t, "/api/v1/appeals/", number, "/history"), NULL);
    assert_non_null(strstr(r.body, "appeal.recompute"));
    resp_free(&r);
    assert_int_equal(login(&t, "head", "correct horse battery", NULL), 200);
    r = api(&t, "GET", api_path(&t, "/api/v1/appeals/", fwd, NULL), NULL);
    assert_int_equal(r.status, 200);
    assert_string_equal(jstr(r.json, "due_on"), fwd_due); /* from the forward, as it was */
    resp_free(&r);
    /* a restart with unchanged data recomputes nothing again */
    assert_int_equal(srv_halt(&t), 0);
    assert_int_equal(srv_serve(&t, serve), 0);
    /* kz and ru at the first start, then kz once */
    assert_int_equal(
        sql_count(t.db, "SELECT count(*) FROM events WHERE action = 'calendar.change'"), 3);
    assert_int_equal(srv_stop(&t), 0);
}

/* A year the data does not publish yet is projected from the rules that hold every year
 * (fixed holidays, the carry-over, the fixed day off) and says so: provisional, with what it
 * cannot know (Kurban Ait, transfer orders). */
static void projected_years_are_provisional(void **state)
{
    resp_t r = api(*state, "GET", "/api/v1/calendar/2029", NULL);
    assert_int_equal(r.status, 200);
    assert_true(json_is_true(json_object_get(r.json, "provisional")));
    json_t *unknowns = json_object_get(r.json, "unknowns");
    assert_true(json_array_size(unknowns) >= 2);
    assert_non_null(strstr(json_string_value(json_array_get(unknowns, 0)), "Курбан"));
    /* 16 Dec 2029 is a Sunday: Independence Day carries over to Monday 17 Dec */
    const char *body = r.body;
    assert_non_null(strstr(body, "\"2029-12-17\""));
    assert_non_null(strstr(body, "carry_over"));
    resp_free(&r);
    r = api(*state, "GET", "/api/v1/calendar/2026", NULL);
    assert_int_equal(r.status, 200);
    assert_true(json_is_false(json_object_get(r.json, "provisional")));
    assert_null(json_object_get(r.json, "unknowns"));
    resp_free(&r);
    /* a term that ends in a projected year is provisional; one inside published data not */
    r = api(*state, "GET", "/api/v1/deadline?kind=statement&received=2027-12-20T10:00:00%2B05:00",
            NULL);
    assert_int_equal(r.status, 200);
    assert_true(json_is_true(json_object_get(r.json, "provisional")));
    resp_free(&r);
    r = api(*state, "GET", "/api/v1/deadline?kind=statement&received=2026-03-20T10:00:00%2B05:00",
            NULL);
    assert_int_equal(r.status, 200);
    assert_true(json_is_false(json_object_get(r.json, "provisional")));
    resp_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(deadline_for_a_statement_before_hours),
        cmocka_unit_test(body_end_of_day_moves_registration),
        cmocka_unit_test(complaint_has_its_own_term),
        cmocka_unit_test(russia_is_data_too),
        cmocka_unit_test(calendar_lists_days_off_with_reasons),
        cmocka_unit_test(bad_inputs_name_the_field),
        cmocka_unit_test(reference_lists_are_public),
        cmocka_unit_test(calendar_change_moves_running_deadlines),
        cmocka_unit_test(projected_years_are_provisional),
    };
    return cmocka_run_group_tests(tests, srv_setup, srv_teardown);
}
