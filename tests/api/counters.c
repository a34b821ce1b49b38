/* The counters the dashboard, the scorecards and GET /metrics read (issue 23 point 3,
 * migration 41; docs/scorecards.md) are exactly what a recount of the base tables gives:
 * after a small demo, intake, actions on appeals (assign, answer, extend, forward,
 * terminate) and sweeps that record violations, escalations, head flags and notices, each
 * counter table is compared row by row with the same figures counted from appeals,
 * control_queue, violations, head_flags and outbox; and the dashboard's and /metrics' open
 * and overdue counts with a count of the open appeals. On both engines (tests/run.sh runs
 * it again with OTINISH_TEST_PG=1: the demo keeps the triggers there, and on SQLite a bulk
 * load rebuilds the counters, so both ways are checked). */
#include "harness.h"
#include "units.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/store.h"
#include "store/store_outbox.h"

#define PW   "otinish-demo-2026"
#define OPEN "status IN ('registered', 'assigned', 'in_work')"

static const char *const logins[] = {"head.ridder", NULL};
static srv_t S;

static int setup(void **state)
{
    const char *init[] = {"--demo", "400", NULL};
    const char *serve[] = {"--sweep-interval", "0", "--public-limit", "0", NULL};
    if (srv_start(&S, init, serve))
        return -1;
    *state = &S;
    return sign_in_all(&S, logins, PW);
}

static int teardown(void **state)
{
    return srv_stop(*state);
}

/* the counter's rows (counter) against the recount (recount), as the SQL shell prints them */
static void same(srv_t *s, const char *what, const char *counter, const char *recount)
{
    static char a[1 << 20], b[1 << 20];
    sql_query(s->db, counter, a, sizeof a);
    sql_query(s->db, recount, b, sizeof b);
    if (strcmp(a, b))
        fail_msg("%s: the counter differs from the recount\n%s\n-- counter:\n%.2000s\n"
                 "-- recount:\n%.2000s",
                 what, counter, a, b);
}

static void check_counters(srv_t *s)
{
    same(s, "stat_day.still_open",
         "SELECT body, day, still_open FROM stat_day WHERE still_open <> 0 ORDER BY body, day",
         "SELECT body, registered_on, count(*) FROM appeals WHERE " OPEN
         " GROUP BY body, registered_on ORDER BY body, registered_on");
    same(s, "stat_month.still_open",
         "SELECT body, month, still_open FROM stat_month WHERE still_open <> 0"
         " ORDER BY body, month",
         "SELECT body, substr(registered_on, 1, 7), count(*) FROM appeals WHERE " OPEN
         " GROUP BY body, substr(registered_on, 1, 7) ORDER BY body, 2");
    same(s, "stat_day.received",
         "SELECT body, day, received FROM stat_day WHERE received <> 0 ORDER BY body, day",
         "SELECT body, registered_on, count(*) FROM appeals GROUP BY body, registered_on"
         " ORDER BY body, registered_on");
    same(s, "stat_open",
         "SELECT due_on, body, registered_on, n FROM stat_open WHERE n <> 0 ORDER BY 1, 2, 3",
         "SELECT due_on, body, registered_on, count(*) FROM appeals WHERE " OPEN
         " GROUP BY due_on, body, registered_on ORDER BY 1, 2, 3");
    same(s, "stat_esc_slot", "SELECT slot, body, n FROM stat_esc_slot WHERE n <> 0 ORDER BY 1, 2",
         "SELECT since / 900000000, body, count(*) FROM control_queue"
         " GROUP BY since / 900000000, body ORDER BY 1, 2");
    same(s, "stat_esc_day", "SELECT day, body, n FROM stat_esc_day WHERE n <> 0 ORDER BY 1, 2",
         "SELECT since / 86400000000, body, count(*) FROM control_queue"
         " GROUP BY since / 86400000000, body ORDER BY 1, 2");
    same(s, "stat_viol_status", "SELECT status, n FROM stat_viol_status WHERE n <> 0 ORDER BY 1",
         "SELECT status, count(*) FROM violations GROUP BY status ORDER BY 1");
    same(s, "stat_viol_day",
         "SELECT day, body, n, penalties FROM stat_viol_day WHERE n <> 0 ORDER BY 1, 2",
         "SELECT detected_on, body, count(*),"
         " sum(CASE WHEN status = 'penalty' THEN 1 ELSE 0 END) FROM violations"
         " GROUP BY detected_on, body ORDER BY 1, 2");
    same(s, "stat_flag_slot",
         "SELECT slot, body, head, n FROM stat_flag_slot WHERE n <> 0 ORDER BY 1, 2, 3",
         "SELECT created_at / 900000000, body, coalesce(head, 0), count(*) FROM head_flags"
         " GROUP BY created_at / 900000000, body, coalesce(head, 0) ORDER BY 1, 2, 3");
    same(s, "stat_outbox", "SELECT channel, status, n FROM stat_outbox WHERE n <> 0 ORDER BY 1, 2",
         "SELECT channel, status, count(*) FROM outbox GROUP BY channel, status ORDER BY 1, 2");
}

/* The gauges of GET /metrics, and the dashboard's open appeals, against a count of the rows */
static long long gauge(const char *text, const char *name)
{
    char key[80];
    snprintf(key, sizeof key, "\n%s ", name);
    const char *p = strstr(text, key);
    if (!p)
        fail_msg("no %s in /metrics", name);
    return atoll(p + strlen(key));
}

static void check_reads(srv_t *s)
{
    as(s, "head.ridder");
    resp_t r = api(s, "GET", "/api/v1/dashboard", NULL);
    assert_int_equal(r.status, 200);
    char today[11], q[512];
    snprintf(today, sizeof today, "%s", jstr(r.json, "today"));
    json_t *due = json_object_get(r.json, "open_due");
    /* head.ridder reads his city's bodies */
    snprintf(q, sizeof q,
             "SELECT count(*) FROM appeals a JOIN bodies b ON b.id = a.body"
             " WHERE b.path LIKE 'vko/ridder/%%' AND a." OPEN " AND a.due_on < '%s'",
             today);
    assert_int_equal(jnum(due, "overdue"), sql_count(s->db, q));
    snprintf(q, sizeof q,
             "SELECT count(*) FROM appeals a JOIN bodies b ON b.id = a.body"
             " WHERE b.path LIKE 'vko/ridder/%%' AND a." OPEN " AND a.due_on >= '%s'",
             today);
    assert_int_equal(jnum(due, "d0_3") + jnum(due, "d4_7") + jnum(due, "d8_14") + jnum(due, "d15"),
                     sql_count(s->db, q));
    resp_free(&r);
    as(s, NULL);
    r = api(s, "GET", "/metrics", NULL);
    assert_int_equal(r.status, 200);
    char *text = malloc(r.len + 2);
    text[0] = '\n';
    memcpy(text + 1, r.body, r.len);
    text[r.len + 1] = '\0';
    assert_int_equal(gauge(text, "otinish_appeals_open"),
                     sql_count(s->db, "SELECT count(*) FROM appeals WHERE " OPEN));
    snprintf(q, sizeof q, "SELECT count(*) FROM appeals WHERE " OPEN " AND due_on < '%s'", today);
    assert_int_equal(gauge(text, "otinish_appeals_overdue"), sql_count(s->db, q));
    assert_int_equal(
        gauge(text, "otinish_violations_open"),
        sql_count(s->db,
                  "SELECT count(*) FROM violations WHERE status IN ('open', 'proceedings')"));
    assert_int_equal(
        gauge(text, "otinish_outbox_backlog"),
        sql_count(s->db, "SELECT count(*) FROM outbox WHERE status IN ('pending', 'sending')"));
    free(text);
    resp_free(&r);
}

static void sweep(srv_t *s, const char *now)
{
    const char *args[] = {"sweep", "--db", s->db, "--now", now, NULL};
    char out[512];
    if (run_otinish(s, args, NULL, out, sizeof out) != 0)
        fail_msg("sweep --now %s: %s", now, out);
}

static void act(srv_t *s, const char *number, const char *action, const char *body)
{
    resp_t r = api(s, "POST", api_path(s, "/api/v1/appeals/", number, action), body);
    if (r.status != 200)
        fail_msg("%s %s: %ld %s", action, number, r.status, r.body ? r.body : "");
    resp_free(&r);
}

static void counters_equal_a_recount(void **state)
{
    srv_t *s = *state;
    check_counters(s); /* after the demo's load */
    /* intake: eight heating appeals of Ridder (its housing department) */
    char num[8][64];
    as(s, NULL);
    for (int i = 0; i < 8; i++) {
        resp_t r = api(s, "POST", "/api/v1/appeals",
                       "{\"kind\":\"statement\",\"channel\":\"portal\",\"category\":\"heating\","
                       "\"district\":\"ridder\",\"language\":\"ru\",\"text\":\"Нет отопления\","
                       "\"applicant\":{\"type\":\"individual\",\"full_name\":\"Иванов Иван\","
                       "\"email\":\"ivanov@example.kz\"}}");
        assert_int_equal(r.status, 201);
        snprintf(num[i], sizeof num[i], "%s", jstr(r.json, "number"));
        resp_free(&r);
    }
    check_counters(s);
    /* actions: assigned, answered, extended, forwarded (another body, a new term),
     * terminated (closed unanswered) */
    as(s, "head.ridder");
    act(s, num[0], "/assign", "{\"executor\":\"head.ridder\"}");
    act(s, num[1], "/assign", "{\"executor\":\"head.ridder\"}");
    act(s, num[1], "/answer",
        "{\"decision\":\"satisfied\",\"text\":\"Отопление восстановлено, проверено на месте.\","
        "\"grounds\":\"Акт; АППК ст. 76\"}");
    resp_t r = api(s, "GET", api_path(s, "/api/v1/appeals/", num[2], NULL), NULL);
    assert_int_equal(r.status, 200);
    char body[256];
    snprintf(body, sizeof body, "{\"due_on\":\"%s\",\"reason\":\"Нужна экспертиза\"}",
             jstr(r.json, "max_due_on"));
    resp_free(&r);
    act(s, num[2], "/extend", body);
    act(s, num[3], "/forward", "{\"body\":\"ukg.housing\",\"reason\":\"Дом в Усть-Каменогорске\"}");
    act(s, num[4], "/terminate", "{\"reason\":\"withdrawn\"}");
    as(s, NULL);
    check_counters(s);
    check_reads(s);
    /* sweeps a month and two months on: late answers, escalations to the control queue,
     * no proceedings, head flags, notices */
    sweep(s, "2027-01-15T12:00:00+05:00");
    sweep(s, "2027-03-01T12:00:00+05:00");
    assert_true(sql_count(s->db, "SELECT count(*) FROM control_queue") > 0);
    assert_true(sql_count(s->db, "SELECT count(*) FROM violations") > 0);
    check_counters(s);
    check_reads(s);
}

/* Units of the writer that queue notices and change them in the same transaction: on
 * PostgreSQL the transaction counts its notices at once (store_stat.c), which must come
 * before a claim changes one of them, must not count a notice twice when it runs again, and
 * must not count the notices of a unit rolled back, nor lose the next unit's. */
#define NOW INT64_C(1796215162000000)
static int queue(store_tx_t *tx, const char *channel, ot_err_t *err)
{
    return store_outbox_add(tx, NOW, 0, "counters@example.kz", channel, "receipt", "ru", "{}", err);
}

static int queue_claim_queue(store_tx_t *tx, void *arg, ot_err_t *err)
{
    (void)arg;
    outbox_row_t *rows = NULL;
    size_t n = 0;
    int rc = queue(tx, "email", err);
    if (!rc)
        rc = queue(tx, "post", err);
    if (!rc) /* the e-mail just queued among them: pending -> sending */
        rc = store_outbox_claim(tx, NOW, 60000000, 1000, &rows, &n, err);
    store_outbox_rows_free(rows, n);
    if (!rc)
        rc = queue(tx, "sms", err);
    if (!rc)
        rc = store_outbox_claim(tx, NOW, 60000000, 1000, &rows, &n, err);
    store_outbox_rows_free(rows, n);
    return rc;
}

/* as queue_claim_queue (which moves the mark), then rolled back: the mark goes back too */
static int queue_then_fail(store_tx_t *tx, void *arg, ot_err_t *err)
{
    int rc = queue_claim_queue(tx, arg, err);
    return rc ? rc : ot_err(err, OT_EINVAL, "on_purpose", NULL, "rolled back on purpose");
}

static void notices_changed_in_their_batch_are_counted_once(void **state)
{
    srv_t *srv = *state;
    store_t *s = NULL;
    ot_err_t err;
    assert_int_equal(store_open(srv->db, STORE_WRITER, &s, &err), OT_OK);
    /* one unit alone: its own transaction */
    assert_int_equal(store_write(s, queue_claim_queue, NULL, &err), OT_OK);
    check_counters(srv);
    /* a batch: the writer held while the units queue (they may also run one by one, which
     * checks less but still holds), the middle one rolled back */
    struct held h = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0};
    struct unit_run held = {s, hold_unit, &h, -1, {0}}, a = {s, queue_claim_queue, NULL, -1, {0}},
                    bad = {s, queue_then_fail, NULL, -1, {0}},
                    b = {s, queue_claim_queue, NULL, -1, {0}};
    struct unit_run *runs[] = {&held, &a, &bad, &b};
    pthread_t th[4];
    assert_int_equal(pthread_create(&th[0], NULL, unit_thread, &held), 0);
    pthread_mutex_lock(&h.mu);
    while (!h.in)
        pthread_cond_wait(&h.cv, &h.mu);
    pthread_mutex_unlock(&h.mu);
    for (int i = 1; i < 4; i++) {
        assert_int_equal(pthread_create(&th[i], NULL, unit_thread, runs[i]), 0);
        usleep(100 * 1000);
    }
    pthread_mutex_lock(&h.mu);
    h.go = 1;
    pthread_cond_broadcast(&h.cv);
    pthread_mutex_unlock(&h.mu);
    for (int i = 0; i < 4; i++)
        pthread_join(th[i], NULL);
    assert_int_equal(a.rc, OT_OK);
    assert_int_equal(bad.rc, OT_EINVAL);
    assert_int_equal(b.rc, OT_OK);
    store_close(s);
    check_counters(srv);
    assert_int_equal(
        sql_count(srv->db, "SELECT count(*) FROM outbox WHERE recipient = 'counters@example.kz'"),
        9);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(counters_equal_a_recount),
        cmocka_unit_test(notices_changed_in_their_batch_are_counted_once),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
