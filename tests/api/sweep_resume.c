/* A sweep stopped midway and run again ends in the same state as one that was not stopped
 * (issue 23 point 5: a first sweep over a backlog commits in chunks, each with the marks of
 * what it did). A real `otinish sweep` process on a real demo database is killed with
 * SIGKILL as soon as a new chunk of it is seen committed (its marks in meta, read from
 * another connection: no sleep decides when), again and again until a run ends by itself;
 * then every row of the tables a sweep writes (ids and times included) is compared with a
 * sweep of an identical copy that was not stopped, and `audit verify` runs on both. On both
 * engines (issue 19 point 2; tests/run.sh runs it again with OTINISH_TEST_PG=1): the marks
 * and the rows are read through sqlite3 on the SQLite file, through libpq on the PostgreSQL
 * database (its copies made with pg_dump), where each killed run's server session is also
 * waited out before the marks are read and the next run starts: the server ends a killed
 * client's transaction on its own, after the statement it runs (it rolls it back, or
 * commits it when its COMMIT had been sent). */
#include "harness.h"

#include <fcntl.h>
#include <libpq-fe.h>
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
    const char *init[] = {"--demo", "2500", NULL};
    const char *serve[] = {"--sweep-interval", "0", NULL};
    if (srv_start(&S, init, serve))
        return -1;
    *state = &S;
    return srv_halt(&S); /* the database stays; nothing else writes it from here */
}

static int teardown(void **state)
{
    return srv_stop(*state);
}

/* ---- one reader over either engine: a connection of the test's own, and its rows as text */

typedef struct reader {
    sqlite3 *lite; /* an SQLite file, read-only */
    PGconn *pg;    /* a PostgreSQL database */
} reader_t;

typedef struct rows {
    sqlite3_stmt *st;
    PGresult *res;
    int row, n;
} rows_t;

static int is_pg(const char *db)
{
    return strncmp(db, "postgresql://", 13) == 0;
}

static void reader_open(reader_t *r, const char *db)
{
    memset(r, 0, sizeof *r);
    if (is_pg(db)) {
        r->pg = PQconnectdb(db);
        if (PQstatus(r->pg) != CONNECTION_OK)
            fail_msg("cannot connect to %s: %s", db, PQerrorMessage(r->pg));
        return;
    }
    assert_int_equal(sqlite3_open_v2(db, &r->lite, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_busy_timeout(r->lite, 5000);
}

static void reader_close(reader_t *r)
{
    if (r->pg)
        PQfinish(r->pg);
    if (r->lite)
        sqlite3_close(r->lite);
}

/* Runs sql (its rows read with rows_next / rows_text, then rows_end); 0 when it ran. */
static int rows_begin(reader_t *r, rows_t *q, const char *sql)
{
    memset(q, 0, sizeof *q);
    q->row = -1;
    if (r->pg) {
        q->res = PQexec(r->pg, sql);
        if (PQresultStatus(q->res) != PGRES_TUPLES_OK) {
            print_error("%s: %s", sql, PQresultErrorMessage(q->res));
            PQclear(q->res);
            q->res = NULL;
            return -1;
        }
        q->n = PQnfields(q->res);
        return 0;
    }
    if (sqlite3_prepare_v2(r->lite, sql, -1, &q->st, NULL) != SQLITE_OK) {
        print_error("%s: %s", sql, sqlite3_errmsg(r->lite));
        return -1;
    }
    q->n = sqlite3_column_count(q->st);
    return 0;
}

static int rows_next(rows_t *q)
{
    if (q->res)
        return ++q->row < PQntuples(q->res);
    return q->st && sqlite3_step(q->st) == SQLITE_ROW;
}

/* Field i of the current row as text; NULL for an SQL NULL. */
static const char *rows_text(rows_t *q, int i)
{
    if (q->res)
        return PQgetisnull(q->res, q->row, i) ? NULL : PQgetvalue(q->res, q->row, i);
    return (const char *)sqlite3_column_text(q->st, i);
}

static void rows_end(rows_t *q)
{
    if (q->res)
        PQclear(q->res);
    if (q->st)
        sqlite3_finalize(q->st);
}

/* The sweep's marks in meta, as one string: it changes with every chunk committed. */
static void progress(reader_t *r, char *out, size_t n)
{
    rows_t q;
    out[0] = '\0';
    if (rows_begin(r, &q, "SELECT key, value FROM meta WHERE key LIKE 'sweep.%' ORDER BY key") != 0)
        return;
    size_t len = 0;
    while (rows_next(&q) && len < n)
        len += (size_t)snprintf(out + len, n - len, "%s%s=%s", len ? ";" : "", rows_text(&q, 0),
                                rows_text(&q, 1));
    rows_end(&q);
}

/* PostgreSQL: whether a client's session other than r's own is on r's database (a sweep's,
 * also one whose client was killed and that the server has not finished yet; not an
 * autovacuum worker's). */
static int others_connected(reader_t *r)
{
    rows_t q;
    assert_int_equal(rows_begin(r, &q,
                                "SELECT count(*) FROM pg_stat_activity WHERE datname ="
                                " current_database() AND pid <> pg_backend_pid()"
                                " AND backend_type = 'client backend'"),
                     0);
    assert_true(rows_next(&q));
    int n = atoi(rows_text(&q, 0));
    rows_end(&q);
    return n > 0;
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

static void pause_briefly(void)
{
    struct timespec ts = {0, 200000}; /* between two looks; nothing is decided by it */
    nanosleep(&ts, NULL);
}

/* Sweeps db, killing the process each time a new chunk of it is committed but the last, so
 * that a run ends by itself; how many were killed with the run under way. */
static int sweep_with_kills(const char *bin, const char *db, const char *now)
{
    reader_t r;
    reader_open(&r, db);
    int midway = 0;
    for (int run = 0;; run++) {
        if (run == 5000)
            fail_msg("no run of the sweep ended by itself in 5000");
        char before[4096], seen[4096];
        progress(&r, before, sizeof before);
        pid_t pid = start_sweep(bin, db, now);
        assert_true(pid > 0);
        int st = 0, ended = 0;
        for (;;) {
            if (waitpid(pid, &st, WNOHANG) == pid) {
                ended = 1;
                break;
            }
            progress(&r, seen, sizeof seen);
            /* a chunk committed: stop it here, unless it was the last (the run's marks
             * cleared): a run killed then would leave no sweep under way, and the next one
             * would start a new sweep, and so on for as long as each commit is seen in time */
            if (strcmp(seen, before) != 0 && !strstr(seen, "sweep.run_seq=0"))
                break;
            pause_briefly();
        }
        if (ended) {
            assert_true(WIFEXITED(st));
            assert_int_equal(WEXITSTATUS(st), 0);
            break;
        }
        kill(pid, SIGKILL);
        waitpid(pid, &st, 0);
        /* PostgreSQL: the killed client's session ends when its server process sees the
         * socket closed, after the statement it runs; until then it holds its locks and
         * may still commit (a COMMIT sent before the kill), so the marks are read after */
        while (r.pg && others_connected(&r))
            pause_briefly();
        progress(&r, seen, sizeof seen);
        midway += strstr(seen, "sweep.run_seq=0") == NULL; /* the run still under way */
    }
    reader_close(&r);
    return midway;
}

/* Every row of the answer to sql as text, hashed; and the count. */
static void fingerprint(const char *db, const char *sql, char *out, size_t n)
{
    reader_t r;
    rows_t q;
    reader_open(&r, db);
    assert_int_equal(rows_begin(&r, &q, sql), 0);
    uint64_t hash = 1469598103934665603ULL, rows = 0;
    while (rows_next(&q)) {
        rows++;
        for (int i = 0; i < q.n; i++) {
            const char *t = rows_text(&q, i);
            for (const unsigned char *p = (const unsigned char *)(t ? t : "\x01NULL"); *p; p++)
                hash = (hash ^ *p) * 1099511628211ULL;
            hash = (hash ^ 0x1f) * 1099511628211ULL; /* the end of a field */
        }
    }
    rows_end(&q);
    reader_close(&r);
    snprintf(out, n, "%llu rows %016llx", (unsigned long long)rows, (unsigned long long)hash);
}

/* One row as text, its fields separated by '|'. */
static void row_text(rows_t *q, char *out, size_t n)
{
    size_t len = 0;
    out[0] = '\0';
    for (int i = 0; i < q->n && len < n; i++) {
        const char *t = rows_text(q, i);
        len += (size_t)snprintf(out + len, n - len, "%s%s", i ? "|" : "", t ? t : "NULL");
    }
}

/* The first row where the two databases' answers to sql differ, for the failure's message. */
static void first_difference(const char *a, const char *b, const char *sql, char *out, size_t n)
{
    reader_t ra, rb;
    rows_t qa, qb;
    reader_open(&ra, a);
    reader_open(&rb, b);
    assert_int_equal(rows_begin(&ra, &qa, sql), 0);
    assert_int_equal(rows_begin(&rb, &qb, sql), 0);
    snprintf(out, n, "(no row differs)");
    for (;;) {
        int ha = rows_next(&qa), hb = rows_next(&qb);
        char ta[300] = "(none)", tb[300] = "(none)";
        if (ha)
            row_text(&qa, ta, sizeof ta);
        if (hb)
            row_text(&qb, tb, sizeof tb);
        if (!ha && !hb)
            break;
        if (strcmp(ta, tb) != 0) {
            snprintf(out, n, "[%s] against [%s]", ta, tb);
            break;
        }
    }
    rows_end(&qa);
    rows_end(&qb);
    reader_close(&ra);
    reader_close(&rb);
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
    /* and the chain and every record's seal hold, on both */
    const char *const dbs[] = {b, a};
    for (int i = 0; i < 2; i++) {
        const char *verify[] = {"audit", "verify", "--db", dbs[i], NULL};
        int rc = run_otinish(s, verify, NULL, out, sizeof out);
        if (rc != 0)
            fail_msg("audit verify of the sweep %s: %s", i ? "killed midway" : "not stopped", out);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_sweep_killed_midway_ends_as_one_that_was_not),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
