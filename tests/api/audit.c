/* The audit chain binds the records (issue 20, docs/audit-chain.md): the attacks of the
 * outside test, on a real database the server made. Editing the appeals table directly, or
 * an answer's text, passed `audit verify`, which checked only the events; a consistent
 * rewrite of the chain could not be caught, there being no way to give a pinned head; and
 * `serve` published no head to pin. */
#include "harness.h"

#include <libpq-fe.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "domain/chain.h"

static srv_t S;

static int setup(void **state)
{
    /* a demo's appeals went through the whole procedure: registered, answered, closed... */
    const char *init[] = {"--demo", "300", NULL};
    const char *serve[] = {"--sweep-interval", "0", "--audit-head-interval", "0", NULL};
    if (srv_start(&S, init, serve))
        return -1;
    *state = &S;
    return 0;
}

static int teardown(void **state)
{
    return srv_stop(*state);
}

/* `otinish audit verify` (with extra arguments), its output into out; the exit status. */
static int verify(const char *extra1, const char *extra2, char *out, size_t n)
{
    const char *args[] = {"audit", "verify", "--db", S.db, extra1, extra2, NULL};
    return run_otinish(&S, args, NULL, out, n);
}

static void edit(const char *sql)
{
    char out[256];
    sql_query(S.db, sql, out, sizeof out);
}

/* One value of the sqlite3 shell, without its newline. */
static void value(const char *sql, char *out, size_t n)
{
    sql_query(S.db, sql, out, n);
    out[strcspn(out, "\n")] = '\0';
}

static void expect_named(const char *out, const char *what)
{
    if (!strstr(out, what))
        fail_msg("audit verify does not name '%s':\n%s", what, out);
}

/* A direct edit of an appeal's row (its status) is reported with the appeal and the field;
 * putting the value back makes the record whole again. */
static void direct_row_edit_is_reported(void **state)
{
    (void)state;
    char out[8192], number[64], was[64], line[200];
    assert_int_equal(verify(NULL, NULL, out, sizeof out), 0);
    assert_non_null(strstr(out, "OK "));
    value("SELECT number FROM appeals WHERE status = 'answered' ORDER BY id LIMIT 1", number,
          sizeof number);
    assert_true(number[0]);
    value("SELECT status FROM appeals WHERE status = 'answered' ORDER BY id LIMIT 1", was,
          sizeof was);
    char sql[300];
    snprintf(sql, sizeof sql, "UPDATE appeals SET status = 'closed' WHERE number = '%s'", number);
    edit(sql);
    assert_int_equal(verify(NULL, NULL, out, sizeof out), 1);
    snprintf(line, sizeof line, "appeal %s: status differs", number);
    expect_named(out, line);
    snprintf(sql, sizeof sql, "UPDATE appeals SET status = '%s' WHERE number = '%s'", was, number);
    edit(sql);
    if (verify(NULL, NULL, out, sizeof out))
        fail_msg("after undoing (%s):\n%s", sql, out);
}

/* The answer event binds the answer's text: one character changed in it is reported. */
static void answer_text_edit_is_reported(void **state)
{
    (void)state;
    char out[8192], number[64], line[200], sql[300];
    value("SELECT number FROM appeals WHERE answer_text IS NOT NULL ORDER BY id DESC LIMIT 1",
          number, sizeof number);
    assert_true(number[0]);
    snprintf(sql, sizeof sql,
             "UPDATE appeals SET answer_text = answer_text || '.' WHERE number = '%s'", number);
    edit(sql);
    assert_int_equal(verify(NULL, NULL, out, sizeof out), 1);
    snprintf(line, sizeof line, "appeal %s: answer_text differs", number);
    expect_named(out, line);
    snprintf(sql, sizeof sql,
             "UPDATE appeals SET answer_text = substr(answer_text, 1, length(answer_text) - 1)"
             " WHERE number = '%s'",
             number);
    edit(sql);
    if (verify(NULL, NULL, out, sizeof out))
        fail_msg("after undoing:\n%s", out);
}

/* A violation dismissed in the table, an attachment slipped in, an appeal put in without the
 * code and a user's role raised: each reported. */
static void other_records_are_bound(void **state)
{
    (void)state;
    char out[8192], id[32], sql[400], line[200];
    const char *sweep[] = {"sweep", "--db", S.db, NULL};
    assert_int_equal(run_otinish(&S, sweep, NULL, out, sizeof out), 0);
    assert_int_equal(verify(NULL, NULL, out, sizeof out), 0);
    char role[32];
    value("SELECT min(id) FROM violations", id, sizeof id);
    value("SELECT role FROM users WHERE id = (SELECT max(id) FROM users)", role, sizeof role);
    assert_true(id[0]);
    snprintf(sql, sizeof sql,
             "UPDATE violations SET status = 'dismissed', dismiss_reason = 'x' WHERE id = %s", id);
    edit(sql);
    edit("INSERT INTO attachments (appeal_id, sha256, name, type, size, added_by, created_at)"
         " VALUES ((SELECT min(id) FROM appeals), 'ab', 'forged.pdf', 'application/pdf', 1,"
         " 'citizen', 1)");
    edit("INSERT INTO appeals SELECT (SELECT max(id) + 1 FROM appeals), 'X-2026-999999', kind, "
         "channel, status, jurisdiction,"
         " category, district, body, receiving_body, executor, registrar, language, text, address,"
         " lat, lon, applicant_type, applicant_name, applicant_id, applicant_address,"
         " applicant_phone, applicant_email, signatories, received_at, registered_on, due_on,"
         " forward_by, max_due_on, extended_on, extension_reason, forwarded_at, forward_late,"
         " answered_at, answered_on, closed_at, decision, answer_text, answer_grounds,"
         " answered_by, rating, rating_comment, rated_at, control_on, terminate_reason,"
         " access_hash, parent_id, link, repeat_of, updated_at, suspended_on, suspended_days,"
         " personal_control, problem_id, applicant_key, verdict, verdict_comment, verdict_at,"
         " reraised FROM appeals ORDER BY id LIMIT 1");
    edit("UPDATE users SET role = 'admin' WHERE id = (SELECT max(id) FROM users)");
    /* a row slipped into each other part of an appeal's record, each on an appeal of its own:
     * the seal reads a part only when the appeal's row says it has rows (store_seal.c) */
    char fw[32], ad[32], sg[32], part[300];
    value("SELECT id FROM appeals ORDER BY id LIMIT 1 OFFSET 1", fw, sizeof fw);
    value("SELECT min(id) FROM appeals a WHERE id > (SELECT id FROM appeals ORDER BY id LIMIT 1"
          " OFFSET 1)"
          " AND NOT EXISTS (SELECT 1 FROM appeal_addressee x WHERE x.appeal_id = a.id)",
          ad, sizeof ad);
    value("SELECT max(id) FROM appeals WHERE number <> 'X-2026-999999'", sg, sizeof sg);
    assert_true(fw[0] && ad[0] && sg[0] && strcmp(ad, sg));
    snprintf(part, sizeof part,
             "INSERT INTO forwards (appeal_id, from_body, to_body, at, within_term, reason)"
             " SELECT id, body, body, 1, 1, 'forged' FROM appeals WHERE id = %s",
             fw);
    edit(part);
    snprintf(part, sizeof part,
             "INSERT INTO appeal_addressee (appeal_id, body) SELECT id, body FROM appeals"
             " WHERE id = %s",
             ad);
    edit(part);
    snprintf(part, sizeof part,
             "INSERT INTO appeal_signatories (appeal_id, n, name) VALUES (%s, 999, 'forged')", sg);
    edit(part);
    assert_int_equal(verify(NULL, NULL, out, sizeof out), 1);
    expect_named(out, ": forwards differs");
    expect_named(out, ": appeal_addressee differs");
    expect_named(out, ": appeal_signatories differs");
    snprintf(line, sizeof line, "violation %s: ", id);
    expect_named(out, line);
    expect_named(out, "status, dismiss_reason differs");
    expect_named(out, ": attachments differs");
    expect_named(out, "appeal X-2026-999999: no event records it");
    expect_named(out, ": role differs");
    /* undone */
    edit("DELETE FROM appeals WHERE number = 'X-2026-999999'");
    edit("DELETE FROM attachments WHERE name = 'forged.pdf'");
    edit("DELETE FROM forwards WHERE reason = 'forged'");
    snprintf(part, sizeof part, "DELETE FROM appeal_addressee WHERE appeal_id = %s", ad);
    edit(part);
    edit("DELETE FROM appeal_signatories WHERE n = 999");
    snprintf(sql, sizeof sql,
             "UPDATE violations SET status = 'open', dismiss_reason = NULL WHERE id = %s", id);
    edit(sql);
    snprintf(sql, sizeof sql, "UPDATE users SET role = '%s' WHERE id = (SELECT max(id) FROM users)",
             role);
    edit(sql);
    if (verify(NULL, NULL, out, sizeof out))
        fail_msg("after undoing:\n%s", out);
}

/* One event of the chain as read, and the hash before it. */
struct rewrite {
    unsigned char prev[CHAIN_HASH_LEN];
    int first;
};

/* Event ev (its fields as stored) made again after r->prev, its actor replaced when it is
 * the first: the new actor, prev_hash and hash into actor, prev_hex, hex. */
static void rewrite_one(struct rewrite *r, chain_event_t *ev, const char *stored_prev,
                        char prev_hex[2 * CHAIN_HASH_LEN + 1], char hex[2 * CHAIN_HASH_LEN + 1])
{
    if (r->first) { /* the hash before it, as stored */
        for (int i = 0; i < CHAIN_HASH_LEN; i++) {
            unsigned v;
            assert_int_equal(sscanf(stored_prev + 2 * i, "%2x", &v), 1);
            r->prev[i] = (unsigned char)v;
        }
        ev->actor = "user:999";
    }
    chain_hex(r->prev, prev_hex);
    unsigned char h[CHAIN_HASH_LEN];
    chain_hash(r->prev, ev, h);
    chain_hex(h, hex);
    memcpy(r->prev, h, sizeof h);
    r->first = 0;
}

#define REWRITE_READ                                                                               \
    "SELECT seq, at, actor, action, object_type, object_id, data, state, prev_hash FROM events"    \
    " WHERE seq >= %ld ORDER BY seq"

/* Rewrites the chain from event `from` on as an administrator with the database could: event
 * `from` names another actor, and every hash after it is made again, so the chain holds. */
static void rewrite_chain(long from)
{
    struct rewrite r = {{0}, 1};
    char sql[300];
    snprintf(sql, sizeof sql, REWRITE_READ, from);
    if (srv_pg()) {
        PGconn *c = PQconnectdb(S.db);
        assert_int_equal(PQstatus(c), CONNECTION_OK);
        PQclear(PQexec(c, "BEGIN"));
        PGresult *rd = PQexec(c, sql);
        assert_int_equal(PQresultStatus(rd), PGRES_TUPLES_OK);
        for (int i = 0; i < PQntuples(rd); i++) {
            chain_event_t ev = {strtoll(PQgetvalue(rd, i, 0), NULL, 10),
                                strtoll(PQgetvalue(rd, i, 1), NULL, 10),
                                PQgetvalue(rd, i, 2),
                                PQgetvalue(rd, i, 3),
                                PQgetvalue(rd, i, 4),
                                PQgetvalue(rd, i, 5),
                                PQgetvalue(rd, i, 6),
                                PQgetisnull(rd, i, 7) ? NULL : PQgetvalue(rd, i, 7)};
            char prev_hex[2 * CHAIN_HASH_LEN + 1], hex[2 * CHAIN_HASH_LEN + 1], seq[24];
            rewrite_one(&r, &ev, PQgetvalue(rd, i, 8), prev_hex, hex);
            snprintf(seq, sizeof seq, "%lld", (long long)ev.seq);
            const char *v[] = {ev.actor, prev_hex, hex, seq};
            PGresult *w = PQexecParams(
                c, "UPDATE events SET actor = $1, prev_hash = $2, hash = $3 WHERE seq = $4::bigint",
                4, NULL, v, NULL, NULL, 0);
            assert_int_equal(PQresultStatus(w), PGRES_COMMAND_OK);
            PQclear(w);
        }
        PQclear(rd);
        PGresult *cm = PQexec(c, "COMMIT");
        assert_int_equal(PQresultStatus(cm), PGRES_COMMAND_OK);
        PQclear(cm);
        PQfinish(c);
        return;
    }
    sqlite3 *db;
    assert_int_equal(sqlite3_open(S.db, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    sqlite3_stmt *rd, *wr;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &rd, NULL), SQLITE_OK);
    assert_int_equal(
        sqlite3_prepare_v2(db, "UPDATE events SET actor = ?, prev_hash = ?, hash = ? WHERE seq = ?",
                           -1, &wr, NULL),
        SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
    while (sqlite3_step(rd) == SQLITE_ROW) {
        chain_event_t ev = {sqlite3_column_int64(rd, 0),
                            sqlite3_column_int64(rd, 1),
                            (const char *)sqlite3_column_text(rd, 2),
                            (const char *)sqlite3_column_text(rd, 3),
                            (const char *)sqlite3_column_text(rd, 4),
                            (const char *)sqlite3_column_text(rd, 5),
                            (const char *)sqlite3_column_text(rd, 6),
                            (const char *)sqlite3_column_text(rd, 7)};
        char prev_hex[2 * CHAIN_HASH_LEN + 1], hex[2 * CHAIN_HASH_LEN + 1];
        rewrite_one(&r, &ev, (const char *)sqlite3_column_text(rd, 8), prev_hex, hex);
        sqlite3_bind_text(wr, 1, ev.actor, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(wr, 2, prev_hex, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(wr, 3, hex, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(wr, 4, ev.seq);
        assert_int_equal(sqlite3_step(wr), SQLITE_DONE);
        sqlite3_reset(wr);
    }
    assert_int_equal(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_finalize(rd);
    sqlite3_finalize(wr);
    sqlite3_close(db);
}

/* A consistent rewrite of the chain passes verify on its own; against the head pinned
 * before it (`audit head`, as serve publishes it) it is caught, and so is a truncation. */
static void consistent_rewrite_is_caught_against_a_pinned_head(void **state)
{
    (void)state;
    char out[8192], head[200], pin[200];
    const char *args[] = {"audit", "head", "--db", S.db, NULL};
    assert_int_equal(run_otinish(&S, args, NULL, head, sizeof head), 0);
    long seq = atol(head);
    assert_true(seq > 10);
    snprintf(pin, sizeof pin, "%ld:%s", seq, strchr(head, ' ') + 1);
    pin[strcspn(pin, "\n")] = '\0';
    assert_int_equal(verify("--expect", pin, out, sizeof out), 0);
    expect_named(out, "the pinned head is in the chain");
    /* "SEQ HASH" as head prints it is taken too */
    head[strcspn(head, "\n")] = '\0';
    assert_int_equal(verify("--expect", head, out, sizeof out), 0);

    rewrite_chain(seq / 2);
    assert_int_equal(verify(NULL, NULL, out, sizeof out), 0); /* it holds on its own */
    assert_int_equal(verify("--expect", pin, out, sizeof out), 1);
    expect_named(out, "rewritten");
    char at[64];
    snprintf(at, sizeof at, "BROKEN at event %ld", seq);
    expect_named(out, at);

    /* the last events removed: the chain ends before the pinned head */
    char sql[100];
    snprintf(sql, sizeof sql, "DELETE FROM events WHERE seq > %ld", seq - 3);
    edit(sql);
    assert_int_equal(verify("--expect", pin, out, sizeof out), 1);
    expect_named(out, "truncated");
    /* a malformed pin is a usage error */
    assert_int_equal(verify("--expect", "12:nothex", out, sizeof out), 2);
}

/* serve logs the head at start and on each period, and POSTs it to the configured URL. */
static void serve_publishes_the_head(void **state)
{
    (void)state;
    srv_t t;
    char dir[300], url[80], out[4096], head[200];
    snprintf(dir, sizeof dir, "/tmp/otinish-heads-%d", (int)getpid());
    pid_t sink;
    int port = sink_start("tests/api/webhook_sink.py", dir, &sink);
    assert_true(port > 0);
    snprintf(url, sizeof url, "http://127.0.0.1:%d/heads", port);
    const char *serve[] = {"--audit-head-interval", "1", "--audit-head-url", url, NULL};
    assert_int_equal(srv_start(&t, NULL, serve), 0);
    const char *args[] = {"audit", "head", "--db", t.db, NULL};
    assert_int_equal(run_otinish(&t, args, NULL, head, sizeof head), 0);
    head[strcspn(head, "\n")] = '\0';
    /* the first two POSTs (at start, a period later), waited for without a time limit of
     * our own: the harness's test timeout ends a hang */
    char path[400];
    snprintf(path, sizeof path, "%s/0002.json", dir);
    while (access(path, F_OK) != 0)
        usleep(50000);
    snprintf(path, sizeof path, "%s/0001.json", dir);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    size_t len = fread(out, 1, sizeof out - 1, f);
    out[len] = '\0';
    fclose(f);
    json_error_t je;
    json_t *j = json_loads(out, 0, &je);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(j, "type")), "audit.head");
    char got[200];
    snprintf(got, sizeof got, "%lld %s", (long long)json_integer_value(json_object_get(j, "seq")),
             json_string_value(json_object_get(j, "hash")));
    assert_string_equal(got, head);
    assert_non_null(json_string_value(json_object_get(j, "at")));
    json_decref(j);
    /* and the log line */
    char cmd[700], n[32];
    snprintf(cmd, sizeof cmd, "grep -c 'audit head %s' '%s/serve.log'", head, t.dir);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    assert_non_null(fgets(n, sizeof n, p));
    pclose(p);
    assert_true(atol(n) >= 1);
    assert_int_equal(srv_stop(&t), 0);
    sink_stop(sink);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(direct_row_edit_is_reported),
        cmocka_unit_test(answer_text_edit_is_reported),
        cmocka_unit_test(other_records_are_bound),
        cmocka_unit_test(consistent_rewrite_is_caught_against_a_pinned_head),
        cmocka_unit_test(serve_publishes_the_head),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
