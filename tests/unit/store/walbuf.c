/* The SQLite engine's VFS (src/store/sqlite_walbuf.c): the frames of a write-ahead log gathered
 * and written at a transaction's last frame. What must hold: another connection sees every
 * committed transaction at once, also without a sync (synchronous=OFF); a process that dies
 * right after its commits, without closing, leaves every one of them in the file (SQLite's
 * recovery reads the log and checks each frame's checksum, so a frame lost or a checksum not
 * written again drops the transactions after it); and a commit of many pages takes a few
 * write calls, not two a page. Real files under /tmp, the OS's VFS beside it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "store/sqlite_walbuf.h"

static char dir[] = "/tmp/otinish-walbuf-test-XXXXXX";

static const char *path_of(const char *name)
{
    static char buf[256];
    snprintf(buf, sizeof buf, "%s/%s", dir, name);
    return buf;
}

static int setup(void **state)
{
    (void)state;
    return mkdtemp(dir) && walbuf_register() == SQLITE_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd);
}

static sqlite3 *open_db(const char *path, const char *vfs, const char *pragmas)
{
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, vfs) != SQLITE_OK ||
        sqlite3_exec(db, pragmas, NULL, NULL, NULL) != SQLITE_OK)
        fail_msg("open %s: %s", path, db ? sqlite3_errmsg(db) : "?");
    return db;
}

static int64_t one(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    int64_t v = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static const char *const schema = "PRAGMA journal_mode=WAL;"
                                  "CREATE TABLE IF NOT EXISTS t(id INTEGER PRIMARY KEY, k, v);"
                                  "CREATE INDEX IF NOT EXISTS t_k ON t(k);";

/* n rows of 1,000-byte values with random keys: a page or more a row, the index at random */
static int insert(sqlite3 *db, int n)
{
    char sql[300];
    snprintf(sql, sizeof sql,
             "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < %d) "
             "INSERT INTO t(k, v) SELECT random(), randomblob(1000) FROM c",
             n);
    return sqlite3_exec(db, sql, NULL, NULL, NULL);
}

/* A reader on the OS's VFS sees each transaction as soon as it is committed; a transaction
 * larger than the writer's cache spills frames before its end and writes pages again. */
static void test_commit_visible_at_once(void **state)
{
    (void)state;
    const char *path = path_of("visible.db");
    sqlite3 *w = open_db(path, WALBUF_VFS, "PRAGMA synchronous=OFF; PRAGMA cache_size=20;");
    assert_int_equal(sqlite3_exec(w, schema, NULL, NULL, NULL), SQLITE_OK);
    sqlite3 *r = open_db(path, NULL, "PRAGMA synchronous=OFF;");
    int64_t rows = 0;
    for (int i = 0; i < 60; i++) {
        int n = i % 10 == 9 ? 400 : 1 + i % 7; /* every tenth spills */
        assert_int_equal(sqlite3_exec(w, "BEGIN", NULL, NULL, NULL), SQLITE_OK);
        assert_int_equal(insert(w, n), SQLITE_OK);
        assert_int_equal(
            sqlite3_exec(w, "UPDATE t SET k = k + 1 WHERE id % 3 = 0", NULL, NULL, NULL),
            SQLITE_OK);
        assert_int_equal(sqlite3_exec(w, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
        rows += n;
        assert_int_equal(one(r, "SELECT count(*) FROM t"), rows);
        assert_int_equal(one(r, "SELECT count(*) FROM t INDEXED BY t_k WHERE k IS NOT NULL"), rows);
    }
    sqlite3_close(r);
    sqlite3_close(w);
}

/* A process that commits and dies without closing: its transactions are all in the file,
 * with and without a sync at the commit (the buffer is written at the last frame, not at the
 * sync or the close). */
static void test_commits_survive_exit(void **state)
{
    (void)state;
    const char *modes[] = {"PRAGMA synchronous=OFF; PRAGMA cache_size=20;",
                           "PRAGMA synchronous=FULL; PRAGMA cache_size=20;"};
    for (int m = 0; m < 2; m++) {
        char name[32];
        snprintf(name, sizeof name, "exit%d.db", m);
        const char *path = path_of(name);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            sqlite3 *w = NULL;
            if (sqlite3_open_v2(path, &w, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, WALBUF_VFS) !=
                    SQLITE_OK ||
                sqlite3_exec(w, modes[m], NULL, NULL, NULL) != SQLITE_OK ||
                sqlite3_exec(w, "PRAGMA wal_autocheckpoint=0", NULL, NULL, NULL) != SQLITE_OK ||
                sqlite3_exec(w, schema, NULL, NULL, NULL) != SQLITE_OK)
                _exit(2);
            /* every tenth, the last among them, spills and writes its pages again: SQLite
             * then writes the checksums of its frames again, the commit frame's last */
            for (int i = 0; i < 30; i++)
                if (sqlite3_exec(w, "BEGIN", NULL, NULL, NULL) != SQLITE_OK ||
                    insert(w, i % 10 == 9 ? 300 : 5) != SQLITE_OK ||
                    (i % 10 == 9 &&
                     sqlite3_exec(w, "UPDATE t SET v = randomblob(1000) WHERE id % 2 = 0", NULL,
                                  NULL, NULL) != SQLITE_OK) ||
                    sqlite3_exec(w, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
                    _exit(3);
            _exit(0); /* no close, no checkpoint: the log is all there is */
        }
        int status = 0;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 0);
        sqlite3 *r = open_db(path, NULL, "PRAGMA synchronous=OFF;");
        assert_int_equal(one(r, "SELECT count(*) FROM t"), 27 * 5 + 3 * 300);
        sqlite3_stmt *st = NULL;
        assert_int_equal(sqlite3_prepare_v2(r, "PRAGMA integrity_check", -1, &st, NULL), SQLITE_OK);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        assert_string_equal((const char *)sqlite3_column_text(st, 0), "ok");
        sqlite3_finalize(st);
        sqlite3_close(r);
    }
}

/* Write system calls of this process so far (/proc/self/io) */
static long write_calls(void)
{
    FILE *f = fopen("/proc/self/io", "r");
    char line[128];
    long n = -1;
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "syscw: %ld", &n) == 1)
            break;
    if (f)
        fclose(f);
    return n;
}

/* One commit of 200 rows (over 250 pages of the table and the index): a few write calls into
 * the log, where the OS's VFS makes two a page; the same commit through it, for the measure. */
static void test_commit_writes_few_calls(void **state)
{
    (void)state;
    long calls[2];
    for (int v = 0; v < 2; v++) {
        const char *path = path_of(v ? "calls-os.db" : "calls-walbuf.db");
        sqlite3 *w = open_db(path, v ? NULL : WALBUF_VFS,
                             "PRAGMA synchronous=OFF; PRAGMA wal_autocheckpoint=0;");
        assert_int_equal(sqlite3_exec(w, schema, NULL, NULL, NULL), SQLITE_OK);
        long before = write_calls();
        assert_int_equal(insert(w, 200), SQLITE_OK);
        calls[v] = write_calls() - before;
        assert_int_equal(one(w, "SELECT count(*) FROM t"), 200);
        sqlite3_close(w);
    }
    print_message("write calls of one commit of 200 rows: %ld, OS's VFS %ld\n", calls[0], calls[1]);
    assert_true(calls[1] >= 100);
    assert_true(calls[0] * 10 <= calls[1]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_commit_visible_at_once),
        cmocka_unit_test(test_commits_survive_exit),
        cmocka_unit_test(test_commit_writes_few_calls),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
