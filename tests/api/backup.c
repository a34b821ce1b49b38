/* Backups as an operator takes them: `otinish backup` while the server takes appeals, and
 * `otinish restore`, which checks a backup (integrity, audit chain) before it replaces the
 * database and refuses a damaged one or a database still in use. */
#include "harness.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define N_WRITERS 2
#define MAX_ACK   4096

static srv_t S;
static char backup[400];

/* The appeals the server acknowledged (201 with a number), in the order they came back. */
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static char acked[MAX_ACK][32];
static int n_acked, stop, failures;

static const char appeal[] =
    "{\"kind\":\"statement\",\"channel\":\"portal\",\"category\":\"heating\","
    "\"district\":\"ridder\",\"language\":\"ru\",\"text\":\"В доме нет отопления\","
    "\"address\":\"Риддер, ул. Гоголя 5\","
    "\"applicant\":{\"type\":\"individual\",\"full_name\":\"Иванов Иван\","
    "\"iin\":\"900101300007\",\"phone\":\"+7 705 123 45 67\"}}";

static int acked_count(void)
{
    pthread_mutex_lock(&mu);
    int n = n_acked;
    pthread_mutex_unlock(&mu);
    return n;
}

/* One citizen after another filing appeals on its own connection until told to stop. */
static void *intake(void *arg)
{
    (void)arg;
    srv_t w = S; /* the same server, a connection of its own */
    w.curl = curl_easy_init();
    for (;;) {
        pthread_mutex_lock(&mu);
        int done = stop || n_acked >= MAX_ACK;
        pthread_mutex_unlock(&mu);
        if (done)
            break;
        resp_t r = api(&w, "POST", "/api/v1/appeals", appeal);
        const char *num = json_string_value(json_object_get(r.json, "number"));
        pthread_mutex_lock(&mu);
        if (r.status == 201 && num && n_acked < MAX_ACK)
            snprintf(acked[n_acked++], sizeof acked[0], "%s", num);
        else if (r.status != 201)
            failures++;
        pthread_mutex_unlock(&mu);
        resp_free(&r);
    }
    curl_easy_cleanup(w.curl);
    return NULL;
}

static void wait_for_acks(int n)
{
    for (int i = 0; i < 3000 && acked_count() < n; i++)
        usleep(10000);
    assert_true(acked_count() >= n);
}

static int has_appeal(const char *db, const char *number)
{
    char q[200];
    snprintf(q, sizeof q, "SELECT count(*) FROM appeals WHERE number = '%.60s'", number);
    return sql_count(db, q) == 1;
}

static int setup(void **state)
{
    const char *serve[] = {"--public-limit", "0", NULL};
    if (srv_start(&S, NULL, serve))
        return -1;
    snprintf(backup, sizeof backup, "%s/backup-1.db", S.dir);
    *state = &S;
    return 0;
}

static int teardown(void **state)
{
    return srv_stop(*state);
}

static void backup_under_intake_holds_every_acknowledged_appeal(void **state)
{
    srv_t *s = *state;
    pthread_t th[N_WRITERS];
    for (int i = 0; i < N_WRITERS; i++)
        assert_int_equal(pthread_create(&th[i], NULL, intake, NULL), 0);
    wait_for_acks(40);
    /* every appeal acknowledged before the backup starts must be in it */
    int before = acked_count();
    const char *args[] = {"backup", "--db", s->db, "--to", backup, NULL};
    char out[1024];
    int rc = run_otinish(s, args, NULL, out, sizeof out);
    /* and intake went on meanwhile and after */
    wait_for_acks(before + 40);
    pthread_mutex_lock(&mu);
    stop = 1;
    pthread_mutex_unlock(&mu);
    for (int i = 0; i < N_WRITERS; i++)
        pthread_join(th[i], NULL);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(out, "written to"));
    assert_int_equal(failures, 0);

    char restored[400];
    snprintf(restored, sizeof restored, "%s/restored.db", s->dir);
    const char *res[] = {"restore", "--from", backup, "--db", restored, NULL};
    assert_int_equal(run_otinish(s, res, NULL, out, sizeof out), 0);
    assert_non_null(strstr(out, "integrity ok, audit chain OK"));
    for (int i = 0; i < before; i++)
        if (!has_appeal(restored, acked[i]))
            fail_msg("appeal %s, acknowledged before the backup, is not in it", acked[i]);
    /* a snapshot: what came after is not in it (the backup ended before intake stopped) */
    assert_false(has_appeal(restored, acked[n_acked - 1]));
    const char *verify[] = {"audit", "verify", "--db", restored, NULL};
    assert_int_equal(run_otinish(s, verify, NULL, out, sizeof out), 0);
}

static void backup_refuses_an_existing_file(void **state)
{
    srv_t *s = *state;
    struct stat before, after;
    assert_int_equal(stat(backup, &before), 0);
    const char *args[] = {"backup", "--db", s->db, "--to", backup, NULL};
    assert_int_equal(run_otinish(s, args, NULL, NULL, 0), 1);
    assert_int_equal(stat(backup, &after), 0);
    assert_true(before.st_mtim.tv_sec == after.st_mtim.tv_sec &&
                before.st_mtim.tv_nsec == after.st_mtim.tv_nsec);
    const char *none[] = {"backup", "--db", s->db, NULL};
    assert_int_equal(run_otinish(s, none, NULL, NULL, 0), 2);
}

/* A copy of the backup at name in the test's folder. */
static void copy_backup(srv_t *s, const char *name, char *out, size_t n)
{
    char cmd[1200];
    snprintf(out, n, "%s/%s", s->dir, name);
    snprintf(cmd, sizeof cmd, "cp '%s' '%s'", backup, out);
    assert_int_equal(system(cmd), 0);
}

/* Overwrites len bytes at offset (from the end when negative) of the file at path. */
static void smash(const char *path, long offset, size_t len)
{
    FILE *f = fopen(path, "r+b");
    assert_non_null(f);
    assert_int_equal(fseek(f, offset, offset < 0 ? SEEK_END : SEEK_SET), 0);
    for (size_t i = 0; i < len; i++)
        fputc(0x5a, f);
    fclose(f);
}

static void restore_refuses_a_damaged_file(void **state)
{
    srv_t *s = *state;
    char bad[400], target[400], out[1024];
    snprintf(target, sizeof target, "%s/never.db", s->dir);
    /* the cells of the events table's root page overwritten: the file opens, only the
     * integrity check finds it (the last page of the file, smashed before, was sometimes a
     * free page, which no check reads) */
    copy_backup(s, "damaged-end.db", bad, sizeof bad);
    char val[64];
    sql_query(bad, "PRAGMA page_size", val, sizeof val);
    long page = atol(val);
    sql_query(bad, "SELECT rootpage FROM sqlite_master WHERE name = 'events'", val, sizeof val);
    long root = atol(val);
    assert_true(page >= 512 && root > 1);
    smash(bad, (root - 1) * page + 12, (size_t)page - 12); /* all but the page header */
    const char *res[] = {"restore", "--from", bad, "--db", target, NULL};
    assert_int_equal(run_otinish(s, res, NULL, out, sizeof out), 1);
    assert_int_not_equal(access(target, F_OK), 0);
    /* pages 2..5 overwritten: the schema's tables are garbage */
    copy_backup(s, "damaged-start.db", bad, sizeof bad);
    smash(bad, 4096, 4 * 4096);
    assert_int_equal(run_otinish(s, res, NULL, out, sizeof out), 1);
    assert_int_not_equal(access(target, F_OK), 0);
    /* nor is a file that is no database at all */
    const char *junk[] = {"restore", "--from", "/etc/hostname", "--db", target, NULL};
    assert_int_equal(run_otinish(s, junk, NULL, out, sizeof out), 1);
    assert_int_not_equal(access(target, F_OK), 0);
}

static void restore_refuses_a_broken_audit_chain(void **state)
{
    srv_t *s = *state;
    char bad[400], target[400], out[1024], q[600];
    copy_backup(s, "rewritten.db", bad, sizeof bad);
    /* history rewritten in the backup: sound pages, but an event no longer matches its hash */
    snprintf(q, sizeof q, "%s", "UPDATE events SET actor = 'someone else' WHERE seq = 2");
    sql_query(bad, q, out, sizeof out);
    snprintf(target, sizeof target, "%s/never.db", s->dir);
    const char *res[] = {"restore", "--from", bad, "--db", target, NULL};
    assert_int_equal(run_otinish(s, res, NULL, out, sizeof out), 1);
    assert_int_not_equal(access(target, F_OK), 0);
}

static void restore_replaces_only_a_stopped_database(void **state)
{
    srv_t *s = *state;
    char out[1024], kept[400];
    long now = sql_count(s->db, "SELECT count(*) FROM appeals");
    long then = sql_count(backup, "SELECT count(*) FROM appeals");
    assert_true(then < now);
    const char *res[] = {"restore", "--from", backup, "--db", s->db, NULL};
    /* the server still has it open */
    assert_int_equal(run_otinish(s, res, NULL, out, sizeof out), 1);
    assert_int_equal(sql_count(s->db, "SELECT count(*) FROM appeals"), now);
    assert_int_equal(srv_halt(s), 0);
    assert_int_equal(run_otinish(s, res, NULL, out, sizeof out), 0);
    snprintf(kept, sizeof kept, "%s.before-restore", s->db);
    assert_int_equal(sql_count(kept, "SELECT count(*) FROM appeals"), now);
    assert_int_equal(sql_count(s->db, "SELECT count(*) FROM appeals"), then);
    const char *serve[] = {"--public-limit", "0", NULL};
    assert_int_equal(srv_serve(s, serve), 0);
    resp_t r = api(s, "GET", "/healthz", NULL);
    assert_int_equal(r.status, 200);
    resp_free(&r);
    r = api(s, "POST", "/api/v1/appeals", appeal);
    assert_int_equal(r.status, 201);
    resp_free(&r);
}

/* On PostgreSQL (OTINISH_TEST_PG=1) backup and restore refuse and name its own tools. */
static void backup_on_postgresql_names_its_tools(void **state)
{
    (void)state;
    srv_t t;
    assert_int_equal(srv_start(&t, NULL, NULL), 0);
    char out[1024], to[400];
    snprintf(to, sizeof to, "%s/b.db", t.dir);
    const char *bk[] = {"backup", "--db", t.db, "--to", to, NULL};
    assert_int_equal(run_otinish(&t, bk, NULL, out, sizeof out), 1);
    assert_int_not_equal(access(to, F_OK), 0);
    FILE *f = fopen(to, "w");
    assert_non_null(f);
    fclose(f);
    const char *restore[] = {"restore", "--db", t.db, "--from", to, NULL};
    assert_int_equal(run_otinish(&t, restore, NULL, out, sizeof out), 1);
    /* the database is untouched and serving */
    resp_t r = api(&t, "GET", "/healthz", NULL);
    assert_int_equal(r.status, 200);
    resp_free(&r);
    assert_int_equal(srv_stop(&t), 0);
}

/* otinish migrate-db (issue 19): an SQLite database with demo appeals copied into an empty
 * PostgreSQL database: the same counts, the same audit chain head (the chain hashes the
 * same bytes on both engines), the same scorecards; run again it writes nothing; a copy
 * stopped part way is finished; copied back into a new SQLite file it has the same counts,
 * head and scorecards and its chain verifies; a target holding other rows is refused; a
 * server on the copy takes new appeals (the id sequences were moved past the copied ids). */
static void migrate_db_copies_sqlite_into_postgresql_and_back(void **state)
{
    (void)state;
    srv_t t;
    assert_int_equal(srv_start(&t, NULL, NULL), 0);
    char src[400], dst[320], out[2048], out2[2048], h1[256], h2[256];
    snprintf(src, sizeof src, "%s/source.db", t.dir);
    const char *init[] = {"init", "--db", src, "--demo", "60", NULL};
    assert_int_equal(run_otinish(&t, init, NULL, NULL, 0), 0);
    assert_int_equal(srv_pg_new_db(dst, sizeof dst), 0);
    const char *mig[] = {"migrate-db", "--from", src, "--to", dst, NULL};
    assert_int_equal(run_otinish(&t, mig, NULL, out, sizeof out), 0);
    assert_non_null(strstr(out, "counts equal"));
    const char *head1[] = {"audit", "head", "--db", src, NULL};
    const char *head2[] = {"audit", "head", "--db", dst, NULL};
    assert_int_equal(run_otinish(&t, head1, NULL, h1, sizeof h1), 0);
    assert_int_equal(run_otinish(&t, head2, NULL, h2, sizeof h2), 0);
    assert_true(atoi(h1) > 100);
    assert_string_equal(h1, h2);
    const char *q = "SELECT count(*) FROM appeals";
    assert_int_equal(sql_count(src, q), sql_count(dst, q));
    const char *sc1[] = {"report", "scorecards", "--db", src, NULL};
    const char *sc2[] = {"report", "scorecards", "--db", dst, NULL};
    assert_int_equal(run_otinish(&t, sc1, NULL, out, sizeof out), 0);
    assert_int_equal(run_otinish(&t, sc2, NULL, out2, sizeof out2), 0);
    assert_string_equal(out, out2);
    /* again: nothing to do */
    assert_int_equal(run_otinish(&t, mig, NULL, out, sizeof out), 0);
    assert_non_null(strstr(out, "nothing written"));
    /* a copy stopped part way (the tables go over in order, in transactions of 10,000
     * rows: the last one, an aggregate, left with the first half of its rows in its key's
     * order) goes on from where it stopped: the same counts and head again */
    const char *last = "SELECT count(*) FROM stat_wd_month";
    long whole = sql_count(src, last);
    assert_true(whole > 10);
    sql_exec(dst, "DELETE FROM stat_wd_month WHERE (month, body, days) NOT IN (SELECT month,"
                  " body, days FROM stat_wd_month ORDER BY month, body, days LIMIT 7)");
    assert_int_equal(sql_count(dst, last), 7);
    assert_int_equal(run_otinish(&t, mig, NULL, out, sizeof out), 0);
    assert_non_null(strstr(out, "counts equal"));
    assert_int_equal(sql_count(dst, last), whole);
    assert_int_equal(run_otinish(&t, head2, NULL, h2, sizeof h2), 0);
    assert_string_equal(h1, h2);
    /* and back (PostgreSQL into a new SQLite file, for small databases): the same counts,
     * the same audit head, and the chain verifies on the file; an existing file is refused */
    char back[400];
    snprintf(back, sizeof back, "%s/back.db", t.dir);
    const char *mig3[] = {"migrate-db", "--from", dst, "--to", back, NULL};
    assert_int_equal(run_otinish(&t, mig3, NULL, out, sizeof out), 0);
    assert_non_null(strstr(out, "counts equal"));
    assert_int_equal(sql_count(back, q), sql_count(src, q));
    const char *qe = "SELECT count(*) FROM events";
    assert_int_equal(sql_count(back, qe), sql_count(src, qe));
    const char *head3[] = {"audit", "head", "--db", back, NULL};
    assert_int_equal(run_otinish(&t, head3, NULL, h2, sizeof h2), 0);
    assert_string_equal(h1, h2);
    const char *verify3[] = {"audit", "verify", "--db", back, NULL};
    assert_int_equal(run_otinish(&t, verify3, NULL, out, sizeof out), 0);
    assert_non_null(strstr(out, "OK"));
    assert_int_equal(run_otinish(&t, sc1, NULL, out, sizeof out), 0);
    const char *sc3[] = {"report", "scorecards", "--db", back, NULL};
    assert_int_equal(run_otinish(&t, sc3, NULL, out2, sizeof out2), 0);
    assert_string_equal(out, out2);
    assert_int_equal(run_otinish(&t, mig3, NULL, out, sizeof out), 1);
    /* into a database that holds other rows (the test server's own): refused */
    const char *mig2[] = {"migrate-db", "--from", src, "--to", t.db, NULL};
    assert_int_equal(run_otinish(&t, mig2, NULL, out, sizeof out), 1);
    /* a server on the copy files new appeals after the copied ones */
    assert_int_equal(srv_halt(&t), 0);
    snprintf(t.db, sizeof t.db, "%s", dst);
    const char *serve[] = {"--public-limit", "0", NULL};
    assert_int_equal(srv_serve(&t, serve), 0);
    resp_t r = api(&t, "POST", "/api/v1/appeals", appeal);
    if (r.status != 201)
        fprintf(stderr, "intake on the copy: %ld %s\n", r.status, r.body);
    assert_int_equal(r.status, 201);
    resp_free(&r);
    assert_int_equal(sql_count(dst, q), sql_count(src, q) + 1);
    assert_int_equal(srv_stop(&t), 0);
}

int main(void)
{
    if (srv_pg()) {
        const struct CMUnitTest pg_tests[] = {
            cmocka_unit_test(backup_on_postgresql_names_its_tools),
            cmocka_unit_test(migrate_db_copies_sqlite_into_postgresql_and_back),
        };
        return cmocka_run_group_tests(pg_tests, NULL, NULL);
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(backup_under_intake_holds_every_acknowledged_appeal),
        cmocka_unit_test(backup_refuses_an_existing_file),
        cmocka_unit_test(restore_refuses_a_damaged_file),
        cmocka_unit_test(restore_refuses_a_broken_audit_chain),
        cmocka_unit_test(restore_replaces_only_a_stopped_database),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
