/* The problems list over 1,000,000 appeals (issue 17: under 100 ms).
 *
 * Builds the database directly with sqlite3 inserts: problems (most with one appeal, a few
 * thousand chronic ones with dozens, over two years, every body), their appeals with
 * problem_id, the problems' counts and states; then times problem_list as the oblast
 * supervisor (every body) and as Ridder's head (one city's bodies) for the chronic list
 * (state=recurring, min_appeals=3, most often first), the newest first, a district, the
 * longest raised. Each listed problem's appeals per year are counted too, as the API does.
 * BENCH_APPEALS overrides the count (default 1000000). */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "service/problem.h"
#include "common.h"
#include "service/reference.h"
#include "store/store.h"

static double ms_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

#define CHRONIC 2000

static int run(sqlite3 *db, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        fprintf(stderr, "bench/problems: %s\n", msg ? msg : sqlite3_errmsg(db));
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

static int build(const char *path, long n)
{
    sqlite3 *db;
    if (sqlite3_open(path, &db) != SQLITE_OK)
        return -1;
    if (run(db, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
                " PRAGMA locking_mode=EXCLUSIVE; PRAGMA cache_size=-1048576; BEGIN")) {
        sqlite3_close(db);
        return -1;
    }
    char *bodies[128], *cats[64];
    int nb = 0, nc = 0;
    sqlite3_stmt *st, *pst;
    sqlite3_prepare_v2(db, "SELECT id FROM bodies WHERE parent IS NOT NULL", -1, &st, NULL);
    while (sqlite3_step(st) == SQLITE_ROW && nb < 128)
        bodies[nb++] = strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_prepare_v2(db, "SELECT code FROM categories", -1, &st, NULL);
    while (sqlite3_step(st) == SQLITE_ROW && nc < 64)
        cats[nc++] = strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    static const char *const districts[] = {"ukg",    "ridder", "altai", "glubokoe",
                                            "zaisan", "samar",  "ulan"};
    sqlite3_prepare_v2(db,
                       "INSERT INTO problems (id, body, category, district, place, words, title,"
                       " address, state, n_appeals, first_at, last_at, updated_at) VALUES"
                       " (?1, ?2, ?3, ?4, 'место ' || ?1, 'отопл трубы', 'Проблема ' || ?1,"
                       " 'адрес ' || ?1, 'open', 1, ?5, ?5, 0)",
                       -1, &pst, NULL);
    sqlite3_prepare_v2(
        db,
        "INSERT INTO appeals (id, number, kind, channel, status, jurisdiction, category,"
        " district, body, receiving_body, language, text, applicant_type, received_at,"
        " registered_on, due_on, max_due_on, access_hash, updated_at, problem_id)"
        " VALUES (?1, 'P-' || ?1, 'statement', 'portal', 'closed', 'kz', ?2, ?3, ?4, ?4, 'ru',"
        " 't', 'anonymous', ?5, date(?5 / 1000000, 'unixepoch'), date(?5 / 1000000,"
        " 'unixepoch', '+21 days'), date(?5 / 1000000, 'unixepoch', '+51 days'), 'x', 0, ?6)",
        -1, &st, NULL);
    const long long start = 1735689600LL; /* 2025-01-01 */
    const long long span = 2LL * 365 * 86400;
    unsigned seed = 17;
    long problems = 0;
    for (long i = 1; i <= n; i++) {
        long long at = (start + span * (i - 1) / n) * 1000000;
        int r = rand_r(&seed);
        long pid;
        int b = (r >> 4) % nb, c = r % nc, d = (r >> 8) % 7;
        if (problems >= CHRONIC && (r >> 12) % 100 < 12) {
            pid = 1 + (r >> 16) % CHRONIC; /* a chronic one: its own body, category */
            b = (int)(pid % nb);
            c = (int)(pid % nc);
            d = (int)(pid % 7);
        } else {
            pid = ++problems;
            sqlite3_bind_int64(pst, 1, pid);
            sqlite3_bind_text(pst, 2, bodies[b], -1, SQLITE_STATIC);
            sqlite3_bind_text(pst, 3, cats[c], -1, SQLITE_STATIC);
            sqlite3_bind_text(pst, 4, districts[d], -1, SQLITE_STATIC);
            sqlite3_bind_int64(pst, 5, at);
            if (sqlite3_step(pst) != SQLITE_DONE) {
                fprintf(stderr, "bench/problems: insert: %s\n", sqlite3_errmsg(db));
                return -1;
            }
            sqlite3_reset(pst);
        }
        sqlite3_bind_int64(st, 1, i);
        sqlite3_bind_text(st, 2, cats[c], -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, districts[d], -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, bodies[b], -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 5, at);
        sqlite3_bind_int64(st, 6, pid);
        if (sqlite3_step(st) != SQLITE_DONE) {
            fprintf(stderr, "bench/problems: insert: %s\n", sqlite3_errmsg(db));
            return -1;
        }
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    sqlite3_finalize(pst);
    /* the chronic ones: their counts and times; states spread over the rest */
    char sql[512];
    snprintf(sql, sizeof sql,
             "UPDATE problems SET (n_appeals, first_at, last_at) = (SELECT count(*),"
             " min(received_at), max(received_at) FROM appeals WHERE problem_id = problems.id),"
             " state = 'recurring', recurrences = 3 WHERE id <= %d;"
             "UPDATE problems SET state = CASE id %% 4 WHEN 0 THEN 'solved_unconfirmed'"
             " WHEN 1 THEN 'solved_confirmed' WHEN 2 THEN 'recurring' ELSE 'open' END"
             " WHERE id > %d;",
             CHRONIC, CHRONIC);
    int rc = run(db, sql) || run(db, "COMMIT; PRAGMA journal_mode=WAL; ANALYZE");
    for (int i = 0; i < nb; i++)
        free(bodies[i]);
    for (int i = 0; i < nc; i++)
        free(cats[i]);
    printf("problems: %ld problems, %d of them chronic\n", problems, CHRONIC);
    sqlite3_close(db);
    return rc ? -1 : 0;
}

static int count_row(const problem_view_t *v, void *arg)
{
    (void)v;
    (*(int *)arg)++;
    return 0;
}

int main(void)
{
    long n = getenv("BENCH_APPEALS") ? atol(getenv("BENCH_APPEALS")) : 1000000;
    char path[160];
    store_t *s = NULL;
    svc_t svc;
    ot_err_t err = {0};
    memset(&svc, 0, sizeof svc);
    struct timespec t0;
    int status = 1;
    if (bench_fresh_db("problems", path, sizeof path, &err))
        goto fail;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (build(path, n))
        goto out;
    printf("problems: built %ld appeals in %.1f s\n", n, ms_since(&t0) / 1e3);
    if (bench_open(path, &s, &svc, &err))
        goto fail;
    auth_user_t sup = {.id = 1, .role = ROLE_SUPERVISOR}, head = {.id = 2, .role = ROLE_HEAD};
    snprintf(sup.body, sizeof sup.body, "vko.apparat");
    snprintf(sup.body_path, sizeof sup.body_path, "vko/vko.apparat/");
    snprintf(head.body, sizeof head.body, "ridder");
    snprintf(head.body_path, sizeof head.body_path, "vko/ridder/");
    static const struct {
        const char *name;
        int as_head;
        problem_filter_t f;
    } cases[] = {
        {"chronic (recurring, >= 3 appeals, most often)",
         0,
         {.state = "recurring", .min_appeals = 3, .sort = "appeals", .limit = 50}},
        {"chronic, Ridder's head",
         1,
         {.state = "recurring", .min_appeals = 3, .sort = "appeals", .limit = 50}},
        {"newest first", 0, {.sort = "recent", .limit = 50}},
        {"newest first, Ridder's head", 1, {.sort = "recent", .limit = 50}},
        {"a district, most often",
         0,
         {.district = "ridder", .min_appeals = 3, .sort = "appeals", .limit = 50}},
        {"open, longest raised", 0, {.state = "open", .sort = "age", .limit = 50}},
    };
    for (int round = 0; round < 2; round++)
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
            problem_filter_t f = cases[i].f;
            int rows = 0;
            clock_gettime(CLOCK_MONOTONIC, &t0);
            if (problem_list(&svc, cases[i].as_head ? &head : &sup, &f, count_row, &rows, &err))
                goto fail;
            printf("problems: run %d: %-48s %3d rows %7.1f ms\n", round + 1, cases[i].name, rows,
                   ms_since(&t0));
        }
    status = 0;
    goto out;
fail:
    fprintf(stderr, "bench/problems: %s\n", err.message);
out:
    svc_free(&svc);
    store_close(s);
    if (bench_remove_db(path))
        status = 1;
    return status;
}
