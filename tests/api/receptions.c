/* Personal receptions (issue 7) against the real server: an official publishes a weekly
 * schedule, citizens list the free slots and book one (no double booking), cancel with the
 * confirmation code, the official records the reception as held or not attended and turns
 * it into an appeal with channel "reception" in one step; who may do what.
 *
 * Bookings are for future days only, so the tests take the free slots of the real calendar
 * from tomorrow on; they run in order on one server. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PW   "correct horse battery"
#define IIN1 "900101300007"

static const char *const logins[] = {"head.ridder", "reg.ridder", "exec.ridder", "head.ukg",
                                     "sup",         "aud",        "exec.top",    NULL};
static srv_t S;

/* the Wednesday schedule of head.ridder and its first free reception day */
static long long sched_id;
static char day[11];

static int setup(void **state)
{
    const char *serve[] = {"--public-limit", "0", NULL};
    if (srv_start(&S, NULL, serve))
        return -1;
    *state = &S;
    srv_t *s = &S;
    add_user(s, "head.ridder", "head", "ridder", PW);
    add_user(s, "reg.ridder", "registrar", "ridder", PW);
    add_user(s, "exec.ridder", "executor", "ridder.housing", PW);
    add_user(s, "head.ukg", "head", "ukg", PW);
    add_user(s, "sup", "supervisor", "vko.apparat", PW);
    add_user(s, "aud", "auditor", "vko", PW);
    add_user(s, "exec.top", "executor", "ridder", PW);
    if (sign_in_all(s, logins, PW))
        return -1;
    as(s, NULL);
    return 0;
}

static const char *fmt(const char *f, ...)
{
    static char buf[8][2048];
    static int k;
    char *p = buf[k++ % 8];
    va_list ap;
    va_start(ap, f);
    vsnprintf(p, 2048, f, ap);
    va_end(ap);
    return p;
}

/* Books day/start on the schedule as a citizen: the response (the caller frees it). */
static resp_t book(srv_t *s, long long id, const char *d, const char *start)
{
    as(s, NULL);
    return api(s, "POST", "/api/v1/receptions/bookings",
               fmt("{\"schedule_id\":%lld,\"day\":\"%s\",\"start\":\"%s\",\"name\":\"Петров "
                   "Пётр\",\"phone\":\"+7 705 111 22 33\",\"topic\":\"Отопление\"}",
                   id, d, start));
}

/* Books and returns the booking id; code gets the confirmation code. */
static long long book_ok(srv_t *s, const char *start, char code[32])
{
    resp_t r = book(s, sched_id, day, start);
    if (r.status != 201)
        fail_msg("booking %s %s: %ld %s", day, start, r.status, r.body);
    long long id = json_integer_value(json_object_get(r.json, "id"));
    if (code)
        snprintf(code, 32, "%s", jstr(r.json, "code"));
    resp_free(&r);
    return id;
}

/* The free start times of `day` on the schedule, "HH:MM,HH:MM," */
static void free_starts(srv_t *s, char *out, size_t n)
{
    as(s, NULL);
    resp_t r =
        api(s, "GET",
            fmt("/api/v1/receptions/schedules/%lld/slots?from=%s&to=%s", sched_id, day, day), NULL);
    assert_int_equal(r.status, 200);
    out[0] = '\0';
    size_t i;
    json_t *o;
    json_array_foreach(json_object_get(r.json, "free"), i, o)
    {
        assert_string_equal(jstr(o, "day"), day);
        strncat(out, jstr(o, "start"), n - strlen(out) - 1);
        strncat(out, ",", n - strlen(out) - 1);
    }
    resp_free(&r);
}

/* The day a booking is moved to when its time has come (see into_past). */
static char past[11];

/* A reception can be recorded only once it has begun: the test moves the booking to
 * yesterday in the database, as the passing of time would (the server keeps the real clock). */
static void into_past(srv_t *s, long long id)
{
    char sql[200], out[64];
    kz_day(-1, past);
    snprintf(sql, sizeof sql, "UPDATE reception_bookings SET day = '%s' WHERE id = %lld", past, id);
    sql_query(s->db, sql, out, sizeof out);
}

/* The booking `id` as the staff list shows it (NULL when absent); the caller decrefs. */
static json_t *booking(srv_t *s, const char *who, long long id)
{
    as(s, who);
    kz_day(-1, past);
    resp_t r = api(s, "GET", fmt("/api/v1/receptions/bookings?from=%s&to=%s", past, day), NULL);
    assert_int_equal(r.status, 200);
    json_t *found = NULL, *o;
    size_t i;
    json_array_foreach(json_object_get(r.json, "items"), i,
                       o) if (json_integer_value(json_object_get(o, "id")) == id) found =
        json_incref(o);
    resp_free(&r);
    return found;
}

static void publish_schedule(void **state)
{
    srv_t *s = *state;
    as(s, "head.ridder");
    resp_t r = api(s, "POST", "/api/v1/receptions/schedules",
                   "{\"weekday\":3,\"start\":\"10:00\",\"end\":\"12:00\",\"slot_min\":30,"
                   "\"place\":\"г. Риддер, ул. Семёнова, 5, каб. 201\"}");
    assert_int_equal(r.status, 201);
    sched_id = json_integer_value(json_object_get(r.json, "id"));
    assert_true(sched_id > 0);
    assert_string_equal(jstr(r.json, "body"), "ridder"); /* the official's own body */
    assert_string_equal(jstr(r.json, "start"), "10:00");
    assert_string_equal(jstr(r.json, "end"), "12:00");
    assert_int_equal(json_integer_value(json_object_get(r.json, "slot_min")), 30);
    assert_true(json_is_null(json_object_get(r.json, "video_url")));
    assert_non_null(jstr(json_object_get(r.json, "official"), "name"));
    resp_free(&r);

    /* a head publishes for an official of a sub-body; the schedule is that official's body */
    r = api(s, "POST", "/api/v1/receptions/schedules",
            "{\"official\":\"exec.ridder\",\"weekday\":2,\"start\":\"15:00\",\"end\":\"16:00\","
            "\"slot_min\":20,\"video_url\":\"https://meet.example.kz/r\"}");
    assert_int_equal(r.status, 201);
    assert_string_equal(jstr(r.json, "body"), "ridder.housing");
    resp_free(&r);

    /* the head of another city does not publish for Ridder's officials */
    as(s, "head.ukg");
    r = api(s, "POST", "/api/v1/receptions/schedules",
            "{\"official\":\"exec.ridder\",\"weekday\":2,\"start\":\"15:00\",\"end\":\"16:00\","
            "\"slot_min\":20}");
    expect_error(&r, 403, "forbidden", "official");
    resp_free(&r);
    /* nor does a supervisor publish someone else's hours */
    as(s, "sup");
    r = api(s, "POST", "/api/v1/receptions/schedules",
            "{\"official\":\"head.ridder\",\"weekday\":1,\"start\":\"09:00\",\"end\":\"10:00\","
            "\"slot_min\":15}");
    expect_error(&r, 403, "forbidden", NULL);
    resp_free(&r);
    /* an official who is not staff of the system: unknown */
    as(s, "head.ridder");
    r = api(s, "POST", "/api/v1/receptions/schedules",
            "{\"official\":\"nobody\",\"weekday\":1,\"start\":\"09:00\",\"end\":\"10:00\","
            "\"slot_min\":15}");
    expect_error(&r, 422, "unknown_user", "official");
    resp_free(&r);

    /* the shape of a schedule */
    static const struct {
        const char *body, *code, *field;
    } bad[] = {
        {"{\"weekday\":8,\"start\":\"10:00\",\"end\":\"12:00\",\"slot_min\":30}", NULL, "weekday"},
        {"{\"weekday\":3,\"start\":\"25:00\",\"end\":\"12:00\",\"slot_min\":30}", "bad_time",
         "start"},
        {"{\"weekday\":3,\"start\":\"12:00\",\"end\":\"10:00\",\"slot_min\":30}", "out_of_range",
         "end"},
        {"{\"weekday\":3,\"start\":\"10:00\",\"end\":\"10:20\",\"slot_min\":30}", "out_of_range",
         "slot_min"},
        {"{\"weekday\":3,\"start\":\"10:00\",\"end\":\"12:00\",\"slot_min\":1}", NULL, "slot_min"},
        {"{\"weekday\":3,\"start\":\"10:00\",\"end\":\"12:00\",\"slot_min\":30,"
         "\"valid_from\":\"2026-05-01\",\"valid_to\":\"2026-04-01\"}",
         "bad_period", "valid_to"},
        {"{\"weekday\":3,\"start\":\"10:00\",\"end\":\"12:00\",\"slot_min\":30,\"room\":1}", NULL,
         NULL},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        r = api(s, "POST", "/api/v1/receptions/schedules", bad[i].body);
        if (r.status != 422)
            fail_msg("%s: %ld %s", bad[i].body, r.status, r.body);
        expect_error(&r, 422, bad[i].code, bad[i].field);
        resp_free(&r);
    }
    /* citizens do not publish */
    as(s, NULL);
    r = api(s, "POST", "/api/v1/receptions/schedules",
            "{\"weekday\":3,\"start\":\"10:00\",\"end\":\"12:00\",\"slot_min\":30}");
    assert_int_equal(r.status, 401);
    resp_free(&r);

    /* anyone lists the schedules of a body's subtree */
    r = api(s, "GET", "/api/v1/receptions/schedules?body=ridder", NULL);
    assert_int_equal(r.status, 200);
    assert_int_equal(json_array_size(json_object_get(r.json, "items")), 2);
    resp_free(&r);
    r = api(s, "GET", "/api/v1/receptions/schedules?body=ukg", NULL);
    assert_int_equal(json_array_size(json_object_get(r.json, "items")), 0);
    resp_free(&r);
}

static void free_slots(void **state)
{
    srv_t *s = *state;
    char from[11], to[11];
    kz_day(1, from); /* tomorrow: no slot of the first day can have passed */
    kz_day(62, to);
    as(s, NULL);
    resp_t r =
        api(s, "GET",
            fmt("/api/v1/receptions/schedules/%lld/slots?from=%s&to=%s", sched_id, from, to), NULL);
    assert_int_equal(r.status, 200);
    json_t *free = json_object_get(r.json, "free");
    assert_true(json_array_size(free) >= 4 * 4); /* at least four working Wednesdays */
    /* the first reception day: 10:00, 10:30, 11:00, 11:30 */
    json_t *first = json_array_get(free, 0);
    snprintf(day, sizeof day, "%s", jstr(first, "day"));
    assert_string_equal(jstr(first, "start"), "10:00");
    for (int i = 0; i < 4; i++)
        assert_string_equal(jstr(json_array_get(free, (size_t)i), "day"), day);
    assert_string_equal(jstr(json_array_get(free, 3), "start"), "11:30");
    assert_string_not_equal(jstr(json_array_get(free, 4), "day"), day);
    resp_free(&r);
    char starts[256];
    free_starts(s, starts, sizeof starts);
    assert_string_equal(starts, "10:00,10:30,11:00,11:30,");

    r = api(s, "GET",
            fmt("/api/v1/receptions/schedules/%lld/slots?from=%s&to=2099-01-01", sched_id, from),
            NULL);
    expect_error(&r, 422, "bad_period", "to");
    resp_free(&r);
    r = api(s, "GET", "/api/v1/receptions/schedules/999/slots", NULL);
    expect_error(&r, 404, NULL, NULL);
    resp_free(&r);
}

static void booking_and_cancel(void **state)
{
    srv_t *s = *state;
    resp_t r = book(s, sched_id, day, "10:00");
    assert_int_equal(r.status, 201);
    long long id = json_integer_value(json_object_get(r.json, "id"));
    char code[32];
    snprintf(code, sizeof code, "%s", jstr(r.json, "code"));
    assert_int_equal(strlen(code), 10);
    assert_string_equal(jstr(r.json, "status"), "booked");
    assert_string_equal(jstr(r.json, "day"), day);
    assert_string_equal(jstr(r.json, "start"), "10:00");
    resp_free(&r);

    /* no double booking */
    r = book(s, sched_id, day, "10:00");
    expect_error(&r, 409, "slot_taken", "start");
    resp_free(&r);
    char starts[256];
    free_starts(s, starts, sizeof starts);
    assert_string_equal(starts, "10:30,11:00,11:30,");

    /* what is not a slot */
    r = book(s, sched_id, day, "10:15");
    expect_error(&r, 422, "not_a_slot", "start");
    resp_free(&r);
    r = book(s, sched_id, day, "12:00"); /* the end of the hours */
    expect_error(&r, 422, "not_a_slot", "start");
    resp_free(&r);
    char other[11]; /* the day after: a Thursday */
    struct tm tm = {0};
    strptime(day, "%Y-%m-%d", &tm);
    time_t t = timegm(&tm) + 86400;
    gmtime_r(&t, &tm);
    strftime(other, sizeof other, "%Y-%m-%d", &tm);
    r = book(s, sched_id, other, "10:00");
    expect_error(&r, 422, "no_reception", "day");
    resp_free(&r);
    r = book(s, sched_id, "2020-01-01", "10:00");
    expect_error(&r, 422, "in_past", "day");
    resp_free(&r);
    r = book(s, 999999, day, "10:00");
    assert_int_equal(r.status, 422);
    resp_free(&r);
    r = api(s, "POST", "/api/v1/receptions/bookings",
            fmt("{\"schedule_id\":%lld,\"day\":\"%s\",\"start\":\"10:30\"}", sched_id, day));
    expect_error(&r, 422, NULL, "name");
    resp_free(&r);

    /* cancelling needs the code: a wrong one is the same 404 as an unknown booking */
    r = api(s, "POST", fmt("/api/v1/receptions/bookings/%lld/cancel", id),
            "{\"code\":\"0000000000\"}");
    expect_error(&r, 404, "booking_not_found", "id");
    resp_free(&r);
    r = api(s, "POST", "/api/v1/receptions/bookings/999999/cancel", fmt("{\"code\":\"%s\"}", code));
    expect_error(&r, 404, NULL, NULL);
    resp_free(&r);
    r = api(s, "POST", fmt("/api/v1/receptions/bookings/%lld/cancel", id),
            fmt("{\"code\":\"%s\"}", code));
    assert_int_equal(r.status, 200);
    assert_string_equal(jstr(r.json, "status"), "cancelled");
    resp_free(&r);
    r = api(s, "POST", fmt("/api/v1/receptions/bookings/%lld/cancel", id),
            fmt("{\"code\":\"%s\"}", code));
    expect_error(&r, 409, "not_booked", "id");
    resp_free(&r);
    /* the slot is free again and can be booked anew */
    free_starts(s, starts, sizeof starts);
    assert_string_equal(starts, "10:00,10:30,11:00,11:30,");
    json_t *b = booking(s, "head.ridder", id);
    assert_non_null(b);
    assert_string_equal(jstr(b, "status"), "cancelled");
    json_decref(b);
    long long again = book_ok(s, "10:00", NULL);
    assert_true(again != id);
}

static void held_record(void **state)
{
    srv_t *s = *state;
    long long id = book_ok(s, "10:30", NULL);
    const char *rec = "{\"attended\":true,\"topics\":\"Отопление дома 5\","
                      "\"outcome\":\"Разъяснён порядок перерасчёта\"}";
    const char *url = fmt("/api/v1/receptions/bookings/%lld/record", id);

    /* who may not record: a citizen, another city's head, an executor of a sub-body, those
     * outside any body's registry */
    as(s, NULL);
    resp_t r = api(s, "POST", url, rec);
    assert_int_equal(r.status, 401);
    resp_free(&r);
    static const char *const outsiders[] = {"head.ukg", "exec.ridder", "sup", "aud"};
    for (size_t i = 0; i < 4; i++) {
        as(s, outsiders[i]);
        r = api(s, "POST", url, rec);
        if (r.status != 404 && r.status != 403)
            fail_msg("%s recorded: %ld", outsiders[i], r.status);
        resp_free(&r);
    }
    as(s, "head.ridder");
    r = api(s, "POST", url, "{\"topics\":\"x\"}");
    expect_error(&r, 422, "required", "attended");
    resp_free(&r);
    /* not before it begins: tomorrow's reception cannot be held (or missed) today */
    r = api(s, "POST", url, rec);
    expect_error(&r, 409, "not_started", "id");
    resp_free(&r);
    json_t *still = booking(s, "head.ridder", id);
    assert_string_equal(jstr(still, "status"), "booked");
    json_decref(still);
    into_past(s, id);

    /* the official records it */
    as(s, "head.ridder");
    r = api(s, "POST", url, rec);
    assert_int_equal(r.status, 200);
    assert_string_equal(jstr(r.json, "status"), "held");
    assert_true(json_is_true(json_object_get(r.json, "attended")));
    assert_string_equal(jstr(r.json, "topic"), "Отопление дома 5");
    assert_string_equal(jstr(r.json, "outcome"), "Разъяснён порядок перерасчёта");
    assert_true(json_is_null(json_object_get(r.json, "appeal")));
    assert_null(json_object_get(r.json, "receipt"));
    resp_free(&r);
    r = api(s, "POST", url, rec); /* once */
    expect_error(&r, 409, "not_booked", "id");
    resp_free(&r);

    /* the held record in the staff list */
    json_t *b = booking(s, "head.ridder", id);
    assert_non_null(b);
    assert_string_equal(jstr(b, "status"), "held");
    assert_string_equal(jstr(b, "body"), "ridder");
    assert_string_equal(jstr(b, "citizen_name"), "Петров Пётр");
    json_decref(b);
    /* the body's registrar sees it; another city's head does not */
    b = booking(s, "reg.ridder", id);
    assert_non_null(b);
    json_decref(b);
    b = booking(s, "head.ukg", id);
    assert_null(b);
    as(s, NULL);
    r = api(s, "GET", fmt("/api/v1/receptions/bookings?from=%s&to=%s", day, day), NULL);
    assert_int_equal(r.status, 401);
    resp_free(&r);
    as(s, "head.ukg");
    r = api(s, "GET", fmt("/api/v1/receptions/bookings?from=%s&to=%s&body=ridder", day, day), NULL);
    expect_error(&r, 403, "forbidden", "body");
    resp_free(&r);
}

static void reception_to_appeal(void **state)
{
    srv_t *s = *state;
    const char *appeal = "\"appeal\":{\"kind\":\"statement\",\"category\":\"heating\","
                         "\"district\":\"ridder\",\"language\":\"ru\",\"text\":\"В доме 5 по ул. "
                         "Гоголя нет отопления\",\"applicant\":{\"type\":\"individual\","
                         "\"full_name\":\"Петров Пётр\",\"iin\":\"" IIN1 "\","
                         "\"postal_address\":\"Риддер, ул. Гоголя 5, кв. 3\"}}";

    /* an appeal that fails validation leaves the booking as it was: one transaction */
    long long id = book_ok(s, "11:00", NULL);
    into_past(s, id);
    const char *url = fmt("/api/v1/receptions/bookings/%lld/record", id);
    as(s, "head.ridder");
    resp_t r = api(s, "POST", url,
                   "{\"attended\":true,\"appeal\":{\"kind\":\"statement\",\"category\":\"nope\","
                   "\"language\":\"ru\",\"text\":\"x\",\"applicant\":{\"type\":\"anonymous\"}}}");
    assert_int_equal(r.status, 422);
    resp_free(&r);
    json_t *b = booking(s, "head.ridder", id);
    assert_string_equal(jstr(b, "status"), "booked");
    json_decref(b);

    /* held and registered as an appeal in one step, by the body's registrar */
    as(s, "reg.ridder");
    r = api(s, "POST", url, fmt("{\"attended\":true,\"topics\":\"Отопление\",%s}", appeal));
    if (r.status != 200)
        fail_msg("record with appeal: %ld %s", r.status, r.body);
    assert_string_equal(jstr(r.json, "status"), "held");
    json_t *receipt = json_object_get(r.json, "receipt");
    assert_non_null(receipt);
    char number[64];
    snprintf(number, sizeof number, "%s", jstr(receipt, "number"));
    assert_string_equal(jstr(r.json, "appeal"), number);
    assert_non_null(jstr(receipt, "access_code"));
    assert_non_null(jstr(receipt, "due_on"));
    resp_free(&r);
    r = api(s, "GET", api_path(s, "/api/v1/appeals/", number, NULL), NULL);
    assert_int_equal(r.status, 200);
    assert_string_equal(jstr(r.json, "channel"), "reception");
    assert_string_equal(jstr(r.json, "category"), "heating");
    resp_free(&r);

    /* a citizen who did not come gives no appeal */
    id = book_ok(s, "11:30", NULL);
    into_past(s, id);
    url = fmt("/api/v1/receptions/bookings/%lld/record", id);
    as(s, "head.ridder");
    r = api(s, "POST", url, fmt("{\"attended\":false,%s}", appeal));
    expect_error(&r, 422, "not_attended", "appeal");
    resp_free(&r);
    r = api(s, "POST", url, "{\"attended\":false}");
    assert_int_equal(r.status, 200);
    assert_string_equal(jstr(r.json, "status"), "no_show");
    assert_true(json_is_false(json_object_get(r.json, "attended")));
    resp_free(&r);

    /* a walk-in: no booking, recorded as held now, with the question; an appeal may come of it */
    as(s, "head.ridder");
    r = api(s, "POST", "/api/v1/receptions/walkins",
            fmt("{\"schedule_id\":%lld,\"name\":\"Сидоров С.\",\"topics\":\"Ремонт крыши\","
                "\"outcome\":\"Принято заявление\",%s}",
                sched_id, appeal));
    if (r.status != 201)
        fail_msg("walk-in: %ld %s", r.status, r.body);
    assert_string_equal(jstr(r.json, "status"), "held");
    assert_true(json_is_true(json_object_get(r.json, "walk_in")));
    assert_string_equal(jstr(r.json, "topic"), "Ремонт крыши");
    assert_non_null(json_object_get(r.json, "receipt"));
    resp_free(&r);
    r = api(s, "POST", "/api/v1/receptions/walkins",
            fmt("{\"schedule_id\":%lld,\"name\":\"Сидоров С.\"}", sched_id));
    expect_error(&r, 422, "required", "topics");
    resp_free(&r);
    as(s, "head.ukg");
    r = api(s, "POST", "/api/v1/receptions/walkins",
            fmt("{\"schedule_id\":%lld,\"name\":\"X\",\"topics\":\"Y\"}", sched_id));
    assert_true(r.status == 403 || r.status == 404);
    resp_free(&r);

    /* the recorded bookings were moved to the past: their slots of the day are free again */
    char starts[256];
    free_starts(s, starts, sizeof starts);
    assert_string_equal(starts, "10:30,11:00,11:30,");

    /* the scorecard of Ridder from yesterday to that day: 4 bookings not cancelled and the
     * walk-in of today; 3 held (two bookings and the walk-in) */
    as(s, "sup");
    kz_day(-1, past);
    r = api(s, "GET", fmt("/api/v1/scorecards?from=%s&to=%s&body=ridder", past, day), NULL);
    assert_int_equal(r.status, 200);
    json_t *row = json_array_get(json_object_get(r.json, "items"), 0);
    assert_string_equal(jstr(row, "body"), "ridder");
    assert_int_equal(json_integer_value(json_object_get(row, "receptions_scheduled")), 5);
    assert_int_equal(json_integer_value(json_object_get(row, "receptions_held")), 3);
    resp_free(&r);
}

/* Up to max free (day, start) pairs of schedule id from tomorrow on. */
static int free_list(srv_t *s, long long id, char days[][11], char starts[][6], int max)
{
    char from[11], to[11];
    kz_day(1, from);
    kz_day(62, to);
    as(s, NULL);
    resp_t r = api(
        s, "GET", fmt("/api/v1/receptions/schedules/%lld/slots?from=%s&to=%s", id, from, to), NULL);
    assert_int_equal(r.status, 200);
    int n = 0;
    size_t i;
    json_t *o;
    json_array_foreach(json_object_get(r.json, "free"), i, o)
    {
        if (n == max)
            break;
        snprintf(days[n], 11, "%s", jstr(o, "day"));
        snprintf(starts[n], 6, "%s", jstr(o, "start"));
        n++;
    }
    resp_free(&r);
    return n;
}

static resp_t book_as(srv_t *s, long long id, const char *d, const char *start, const char *phone)
{
    as(s, NULL);
    return api(s, "POST", "/api/v1/receptions/bookings",
               fmt("{\"schedule_id\":%lld,\"day\":\"%s\",\"start\":\"%s\",\"name\":\"Бот\","
                   "\"phone\":\"%s\"}",
                   id, d, start, phone));
}

/* Issue 20: one bot with the same name and phone booked every slot of the next three weeks.
 * A phone number holds at most 3 live bookings, an address at most 6; cancelling one makes
 * room again, so a real citizen can still change their mind. */
static void booking_limits(void **state)
{
    srv_t *s = *state;
    char days[12][11], starts[12][6];
    assert_int_equal(free_list(s, sched_id, days, starts, 12), 12);
    long long ids[12];
    char codes[12][32];
    s->from = "127.0.0.9";
    for (int i = 0; i < 3; i++) {
        resp_t r = book_as(s, sched_id, days[i], starts[i], "+7 705 000 00 01");
        assert_int_equal(r.status, 201);
        ids[i] = json_integer_value(json_object_get(r.json, "id"));
        snprintf(codes[i], sizeof codes[i], "%s", jstr(r.json, "code"));
        resp_free(&r);
    }
    /* the same number written another way, from another address */
    s->from = "127.0.0.10";
    resp_t r = book_as(s, sched_id, days[3], starts[3], "+7 (705) 000-00-01");
    expect_error(&r, 409, "too_many_bookings", "phone");
    resp_free(&r);
    /* cancel one, and the citizen books another time */
    s->from = "127.0.0.9";
    r = api(s, "POST", fmt("/api/v1/receptions/bookings/%lld/cancel", ids[0]),
            fmt("{\"code\":\"%s\"}", codes[0]));
    assert_int_equal(r.status, 200);
    resp_free(&r);
    r = book_as(s, sched_id, days[3], starts[3], "+7 705 000 00 01");
    assert_int_equal(r.status, 201);
    resp_free(&r);
    /* one address, different phones: 6, then no more */
    s->from = "127.0.0.11";
    for (int i = 4; i < 10; i++) {
        r = book_as(s, sched_id, days[i], starts[i], fmt("+7 705 000 01 %02d", i));
        assert_int_equal(r.status, 201);
        resp_free(&r);
    }
    r = book_as(s, sched_id, days[10], starts[10], "+7 705 000 02 00");
    expect_error(&r, 409, "too_many_bookings", NULL);
    resp_free(&r);
    /* another citizen elsewhere still books */
    s->from = NULL;
    r = book_as(s, sched_id, days[10], starts[10], "+7 705 000 03 00");
    assert_int_equal(r.status, 201);
    resp_free(&r);
}

/* The number of bookings `who` lists over the next 62 days. */
static size_t listed(srv_t *s, const char *who)
{
    char from[11], to[11];
    kz_day(-1, from);
    kz_day(62, to);
    as(s, who);
    resp_t r = api(s, "GET", fmt("/api/v1/receptions/bookings?from=%s&to=%s", from, to), NULL);
    assert_int_equal(r.status, 200);
    size_t n = json_array_size(json_object_get(r.json, "items"));
    resp_free(&r);
    as(s, NULL);
    return n;
}

/* Issue 20: executors read every booking of their body and below, with citizens' names and
 * phones. booking.read is now a row of the matrix, scoped like appeals: an executor sees the
 * bookings of their own receptions only. */
static void bookings_are_scoped_like_appeals(void **state)
{
    srv_t *s = *state;
    assert_true(listed(s, "head.ridder") >= 10);
    assert_int_equal(listed(s, "exec.top"), 0); /* an executor of Ridder's akimat itself */
    assert_int_equal(listed(s, "exec.ridder"), 0);
    /* exec.ridder's own reception (published for them by the head in publish_schedule) */
    as(s, NULL);
    resp_t r = api(s, "GET", "/api/v1/receptions/schedules?body=ridder.housing", NULL);
    assert_int_equal(r.status, 200);
    long long own = json_integer_value(
        json_object_get(json_array_get(json_object_get(r.json, "items"), 0), "id"));
    resp_free(&r);
    assert_true(own > 0);
    char days[1][11], starts[1][6];
    assert_int_equal(free_list(s, own, days, starts, 1), 1);
    r = book_as(s, own, days[0], starts[0], "+7 705 000 04 00");
    assert_int_equal(r.status, 201);
    resp_free(&r);
    assert_int_equal(listed(s, "exec.ridder"), 1);
    char out[8192];
    const char *args[] = {"roles", NULL};
    assert_int_equal(run_otinish(s, args, NULL, out, sizeof out), 0);
    assert_non_null(strstr(out, "booking.read"));
}

/* Today's slots that have begun are not offered (booking one is 422 in_past): a schedule
 * of today's weekday from midnight to 23:00, an hour a slot, offers only the hours to come,
 * and the first offered can be booked. Found by the browser test on a Wednesday at 10:22,
 * when the demo's Wednesday 10:00 reception offered 10:00 and refused it. On a day off the
 * list is empty. */
static void begun_slots_are_not_offered(void **state)
{
    srv_t *s = *state;
    time_t t = time(NULL) + 5 * 3600;
    struct tm tm;
    gmtime_r(&t, &tm);
    char today[11];
    kz_day(0, today);
    as(s, "head.ridder");
    resp_t r = api(s, "POST", "/api/v1/receptions/schedules",
                   fmt("{\"official\":\"exec.top\",\"weekday\":%d,\"start\":\"00:00\","
                       "\"end\":\"23:00\",\"slot_min\":60}",
                       tm.tm_wday ? tm.tm_wday : 7));
    assert_int_equal(r.status, 201);
    long long id = json_integer_value(json_object_get(r.json, "id"));
    resp_free(&r);
    as(s, NULL);
    r = api(s, "GET",
            fmt("/api/v1/receptions/schedules/%lld/slots?from=%s&to=%s", id, today, today), NULL);
    assert_int_equal(r.status, 200);
    json_t *free = json_object_get(r.json, "free");
    int now_min = tm.tm_hour * 60 + tm.tm_min;
    char first[6] = "";
    for (size_t i = 0; i < json_array_size(free); i++) {
        const char *start = jstr(json_array_get(free, i), "start");
        int h = atoi(start), m = atoi(start + 3);
        if (h * 60 + m <= now_min)
            fail_msg("%s offered at %02d:%02d", start, tm.tm_hour, tm.tm_min);
        if (!i)
            snprintf(first, sizeof first, "%s", start);
    }
    resp_free(&r);
    if (first[0]) {
        r = book(s, id, today, first);
        assert_int_equal(r.status, 201);
        resp_free(&r);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(publish_schedule),
        cmocka_unit_test(free_slots),
        cmocka_unit_test(booking_and_cancel),
        cmocka_unit_test(held_record),
        cmocka_unit_test(reception_to_appeal),
        cmocka_unit_test(booking_limits),
        cmocka_unit_test(bookings_are_scoped_like_appeals),
        cmocka_unit_test(begun_slots_are_not_offered),
    };
    return cmocka_run_group_tests(tests, setup, srv_teardown);
}
