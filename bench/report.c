/* Scorecards and alerts over 1,000,000 appeals (issue 7: each under 200 ms).
 *
 * Builds the database directly with sqlite3 inserts (the triggers of migration 5 keep the
 * aggregates, as they do for the services, with the working-day numbers that
 * report_calendar_sync wrote first), two years of appeals over every body, answered in
 * 1..25 working days, some repeats and complaints; then times report_scorecards for a year
 * over the whole tree and report_alerts for three months. The build is one transaction of
 * one prepared insert, with no journal and a large page cache (a throw-away file).
 * BENCH_APPEALS overrides the count (default 1000000). */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common.h"
#include "service/reference.h"
#include "service/report.h"
#include "store/store.h"

static double ms_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

static int build(const char *path, long n)
{
    sqlite3 *db;
    if (sqlite3_open(path, &db) != SQLITE_OK)
        return -1;
    /* a scratch database: no journal, no fsync, the indexes' pages kept in memory */
    if (sqlite3_exec(db,
                     "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
                     " PRAGMA locking_mode=EXCLUSIVE; PRAGMA cache_size=-1048576; BEGIN",
                     NULL, NULL, NULL) != SQLITE_OK) {
        fprintf(stderr, "bench/report: %s\n", sqlite3_errmsg(db));
        sqlite3_close(db);
        return -1;
    }
    /* bodies and categories as loaded from the region data */
    char *bodies[128], *cats[64];
    int nb = 0, nc = 0;
    sqlite3_stmt *st;
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
    static const char *const decisions[] = {"satisfied", "partly_satisfied", "explained",
                                            "refused"};
    sqlite3_prepare_v2(
        db,
        "INSERT INTO appeals (id, number, kind, channel, status, jurisdiction, category,"
        " district, body, receiving_body, language, text, applicant_type, received_at,"
        " registered_on, due_on, max_due_on, access_hash, updated_at, answered_on, answered_at,"
        " decision, rating, repeat_of) VALUES (?1, 'B-' || ?1, 'statement', 'portal', ?2, 'kz',"
        " ?3, ?4, ?5, ?5, 'ru', 't', 'anonymous', ?6, date(?6 / 1000000, 'unixepoch'),"
        " date(?6 / 1000000, 'unixepoch', '+21 days'), date(?6 / 1000000, 'unixepoch',"
        " '+51 days'), 'x', 0, ?7, ?8, ?9, ?10, ?11)",
        -1, &st, NULL);
    const long long start = 1735689600LL; /* 2025-01-01 */
    const long long span = 2LL * 365 * 86400;
    unsigned seed = 7;
    for (long i = 1; i <= n; i++) {
        long long at = start + span * (i - 1) / n;
        int r = rand_r(&seed);
        int answered = r % 10 != 0;
        int days = 1 + r % 25;
        sqlite3_bind_int64(st, 1, i);
        sqlite3_bind_text(st, 2, answered ? "closed" : "in_work", -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, cats[r % nc], -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, districts[(r >> 8) % 7], -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 5, bodies[(r >> 4) % nb], -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 6, at * 1000000);
        if (answered) {
            char d[16];
            time_t t = (time_t)(at + days * 86400LL * 7 / 5);
            struct tm tm;
            gmtime_r(&t, &tm);
            strftime(d, sizeof d, "%Y-%m-%d", &tm);
            sqlite3_bind_text(st, 7, d, -1, SQLITE_TRANSIENT);
            sqlite3_bind_int64(st, 8, (long long)t * 1000000);
            sqlite3_bind_text(st, 9, decisions[(r >> 12) % 4], -1, SQLITE_STATIC);
            if ((r >> 14) % 3 == 0)
                sqlite3_bind_int(st, 10, 1 + (r >> 16) % 5);
            else
                sqlite3_bind_null(st, 10);
        } else {
            sqlite3_bind_null(st, 7);
            sqlite3_bind_null(st, 8);
            sqlite3_bind_null(st, 9);
            sqlite3_bind_null(st, 10);
        }
        if (i > 1000 && (r >> 18) % 20 == 0)
            sqlite3_bind_int64(st, 11, i - 1000);
        else
            sqlite3_bind_null(st, 11);
        if (sqlite3_step(st) != SQLITE_DONE) {
            fprintf(stderr, "bench/report: insert: %s\n", sqlite3_errmsg(db));
            return -1;
        }
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    int rc = sqlite3_exec(db, "COMMIT; PRAGMA journal_mode=WAL", NULL, NULL, NULL);
    for (int i = 0; i < nb; i++)
        free(bodies[i]);
    for (int i = 0; i < nc; i++)
        free(cats[i]);
    sqlite3_close(db);
    return rc == SQLITE_OK ? 0 : -1;
}

int main(void)
{
    long n = getenv("BENCH_APPEALS") ? atol(getenv("BENCH_APPEALS")) : 1000000;
    char path[160];
    store_t *s = NULL;
    svc_t svc;
    ot_err_t err = {0};
    memset(&svc, 0, sizeof svc); /* svc_free is safe on it */
    struct timespec t0;
    int status = 1;
    if (bench_fresh_db("report", path, sizeof path, &err))
        goto fail;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (build(path, n))
        goto out;
    printf("report: built %ld appeals in %.1f s\n", n, ms_since(&t0) / 1e3);
    if (bench_open(path, &s, &svc, &err))
        goto fail;
    int64_t now = 1767225600LL * 1000000; /* 2026-01-01 */
    for (int run = 0; run < 3; run++) {
        report_query_t q;
        report_query_init(&q, &svc);
        q.from = "2025-01-01";
        q.to = "2025-12-31";
        ex_table_t t;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        if (report_scorecards(&svc, NULL, &q, now, &t, &err))
            goto fail;
        double sc = ms_since(&t0);
        size_t rows = t.nrows;
        ex_table_free(&t);
        clock_gettime(CLOCK_MONOTONIC, &t0);
        if (report_alerts(&svc, NULL, "2025-12", 3, NULL, now, &t, &err))
            goto fail;
        double al = ms_since(&t0);
        printf("report: run %d: scorecards (a year, %zu bodies) %.1f ms; alerts (3 months) "
               "%.1f ms, %zu alerts\n",
               run + 1, rows, sc, al, t.nrows);
        ex_table_free(&t);
    }
    status = 0;
    goto out;
fail:
    fprintf(stderr, "bench/report: %s\n", err.message);
out:
    svc_free(&svc);
    store_close(s);
    if (bench_remove_db(path))
        status = 1;
    return status;
}
