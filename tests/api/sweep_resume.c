/* A sweep stopped midway and run again ends in the same state as one that was not stopped
 * (issue 23 point 5: a first sweep over a backlog commits in chunks, each with the marks of
 * what it did). A real `otinish sweep` process on a real demo database is killed with
 * SIGKILL as soon as a new chunk of it is seen committed (its marks in meta, read from
 * another connection: no sleep decides when), again and again until a run ends by itself;
 * then every row of the tables a sweep writes is compared with a sweep of an identical copy
 * that was not stopped. SQLite only: the kills are timed by reading the file's meta table
 * directly. */
#include "harness.h"

#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static srv_t S;

static int setup(void **state)
{
    if (srv_pg()) { /* the kills read the SQLite file */
        *state = NULL;
        return 0;
    }
    const char *init[] = {"--demo", "2500", NULL};
    const char *serve[] = {"--sweep-interval", "0", NULL};
    if (srv_start(&S, init, serve))
        return -1;
    *state = &S;
    return srv_halt(&S); /* the database stays; nothing else writes it from here */
}

static int teardown(void **state)
{
    return *state ? srv_stop(*state) : 0;
}

/* The sweep's marks in meta, as one string: it changes with every chunk committed. */
static void progress(sqlite3 *db, char *out, size_t n)
{
    sqlite3_stmt *st = NULL;
    out[0] = '\0';
    if (sqlite3_prepare_v2(db,
                           "SELECT group_concat(key || '=' || value, ';') FROM (SELECT key, value"
                           " FROM meta WHERE key LIKE 'sweep.%' ORDER BY key)",
                           -1, &st, NULL) != SQLITE_OK)
        return;
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        snprintf(out, n, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
}

static pid_t start_sweep(const char *bin, const char *db, const char *now)
{
    pid_t pid = fork();
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        if (null >= 0) {
            dup2(null, 1);
            dup2(null, 2);
        }
        execl(bin, bin, "sweep", "--db", db, "--now", now, "--chunk", "100", (char *)NULL);
        _exit(127);
    }
    return pid;
}

/* Sweeps db, killing the process each time a new chunk of it is committed but the last, so
 * that a run ends by itself; how many were killed with the run under way. */
static int sweep_with_kills(const char *bin, const char *db, const char *now)
{
    sqlite3 *r = NULL;
    assert_int_equal(sqlite3_open_v2(db, &r, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_busy_timeout(r, 5000);
    int midway = 0;
    for (int run = 0;; run++) {
        if (run == 5000)
            fail_msg("no run of the sweep ended by itself in 5000");
        char before[4096], seen[4096];
        progress(r, before, sizeof before);
        pid_t pid = start_sweep(bin, db, now);
        assert_true(pid > 0);
        int st = 0, ended = 0;
        for (;;) {
            if (waitpid(pid, &st, WNOHANG) == pid) {
                ended = 1;
                break;
            }
            progress(r, seen, sizeof seen);
            /* a chunk committed: stop it here, unless it was the last (the run's marks
             * cleared): a run killed then would leave no sweep under way, and the next one
             * would start a new sweep, and so on for as long as each commit is seen in time */
            if (strcmp(seen, before) != 0 && !strstr(seen, "sweep.run_seq=0"))
                break;
            struct timespec ts = {0, 200000};
            nanosleep(&ts, NULL);
        }
        if (ended) {
            assert_true(WIFEXITED(st));
            assert_int_equal(WEXITSTATUS(st), 0);
            break;
        }
        kill(pid, SIGKILL);
        waitpid(pid, &st, 0);
        progress(r, seen, sizeof seen);
        midway += strstr(seen, "sweep.run_seq=0") == NULL; /* the run still under way */
    }
    sqlite3_close(r);
    return midway;
}

/* Every row of table (in `order`) as text, hashed; and the count. */
static void fingerprint(const char *db, const char *sql, char *out, size_t n)
{
    sqlite3 *h = NULL;
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK);
    uint64_t hash = 1469598103934665603ULL, rows = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        rows++;
        for (int i = 0; i < sqlite3_column_count(st); i++) {
            const unsigned char *t = sqlite3_column_text(st, i);
            for (const unsigned char *p = t ? t : (const unsigned char *)"\x01NULL"; *p; p++)
                hash = (hash ^ *p) * 1099511628211ULL;
            hash = (hash ^ 0x1f) * 1099511628211ULL; /* the end of a field */
        }
    }
    sqlite3_finalize(st);
    sqlite3_close(h);
    snprintf(out, n, "%llu rows %016llx", (unsigned long long)rows, (unsigned long long)hash);
}

/* One row of st as text, its fields separated by '|'. */
static void row_text(sqlite3_stmt *st, char *out, size_t n)
{
    size_t len = 0;
    out[0] = '\0';
    for (int i = 0; i < sqlite3_column_count(st) && len < n; i++) {
        const unsigned char *t = sqlite3_column_text(st, i);
        len += (size_t)snprintf(out + len, n - len, "%s%s", i ? "|" : "",
                                t ? (const char *)t : "NULL");
    }
}

/* The first row where the two databases' answers to sql differ, for the failure's message. */
static void first_difference(const char *a, const char *b, const char *sql, char *out, size_t n)
{
    sqlite3 *ha = NULL, *hb = NULL;
    sqlite3_stmt *sa = NULL, *sb = NULL;
    assert_int_equal(sqlite3_open_v2(a, &ha, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_open_v2(b, &hb, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(ha, sql, -1, &sa, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(hb, sql, -1, &sb, NULL), SQLITE_OK);
    snprintf(out, n, "(no row differs)");
    for (;;) {
        int ra = sqlite3_step(sa), rb = sqlite3_step(sb);
        char ta[300] = "(none)", tb[300] = "(none)";
        if (ra == SQLITE_ROW)
            row_text(sa, ta, sizeof ta);
        if (rb == SQLITE_ROW)
            row_text(sb, tb, sizeof tb);
        if (ra != SQLITE_ROW && rb != SQLITE_ROW)
            break;
        if (strcmp(ta, tb) != 0) {
            snprintf(out, n, "[%s] against [%s]", ta, tb);
            break;
        }
    }
    sqlite3_finalize(sa);
    sqlite3_finalize(sb);
    sqlite3_close(ha);
    sqlite3_close(hb);
}

/* What a sweep writes, every column, in id order. The times are the sweep's --now, the same
 * for both: nothing is left out. */
static const char *const TABLES[] = {
    "SELECT * FROM violations ORDER BY id",
    "SELECT * FROM head_flags ORDER BY id",
    "SELECT * FROM control_queue ORDER BY appeal_id",
    "SELECT * FROM outbox ORDER BY id",
    "SELECT * FROM reminders_sent ORDER BY 1, 2, 3",
    "SELECT * FROM events ORDER BY seq",
    "SELECT * FROM meta ORDER BY key",
    "SELECT * FROM stat_viol_day ORDER BY 1, 2",
    "SELECT * FROM stat_flag_slot ORDER BY 1, 2, 3",
};

static void a_sweep_killed_midway_ends_as_one_that_was_not(void **state)
{
    srv_t *s = *state;
    if (!s)
        skip();
    char a[400], b[400], now[40], out[512];
    sql_copy_db(s, "killed.db", a, sizeof a);
    sql_copy_db(s, "whole.db", b, sizeof b);
    /* one instant for both sweeps: what they stamp is the same */
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%S+00:00", &tm);
    int midway = sweep_with_kills(s->bin, a, now);
    print_message("killed %d times with the sweep under way\n", midway);
    /* some runs were killed with the sweep under way (the first at its first chunk) */
    assert_true(midway >= 2);
    const char *whole[] = {"sweep", "--db", b, "--now", now, "--chunk", "100", NULL};
    assert_int_equal(run_otinish(s, whole, NULL, out, sizeof out), 0);
    /* the sweep made something to compare */
    assert_true(sql_count(b, "SELECT count(*) FROM violations") > 50);
    assert_true(sql_count(b, "SELECT count(*) FROM head_flags") > 10);
    assert_true(sql_count(b, "SELECT count(*) FROM control_queue") > 10);
    for (size_t i = 0; i < sizeof TABLES / sizeof TABLES[0]; i++) {
        char fa[64], fb[64];
        fingerprint(a, TABLES[i], fa, sizeof fa);
        fingerprint(b, TABLES[i], fb, sizeof fb);
        if (strcmp(fa, fb) != 0) {
            char diff[700];
            first_difference(a, b, TABLES[i], diff, sizeof diff);
            fail_msg("%s: killed %d times and run again: %s; not stopped: %s; first difference %s",
                     TABLES[i], midway, fa, fb, diff);
        }
    }
    /* and the chain and every record's seal hold */
    const char *verify[] = {"audit", "verify", "--db", a, NULL};
    int rc = run_otinish(s, verify, NULL, out, sizeof out);
    if (rc != 0)
        fail_msg("audit verify: %s", out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_sweep_killed_midway_ends_as_one_that_was_not),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
