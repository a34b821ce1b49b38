/* Benchmark: one accountability sweep over 1,000,000 open appeals (issue 6: under 2 s).
 * Builds a database (reference data through `otinish init`, appeals straight through the
 * store in big transactions): due dates spread over the next 30 working days, 1 % already
 * overdue. Prints "sweep: 1000000 open appeals in X ms" for the first sweep, which records
 * the violations, escalations and reminders, then the time of an idempotent second one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/commands.h"
#include "domain/date.h"
#include "service/sweep.h"
#include "store/store_int.h" /* a fixture: the bench writes its rows in SQL */
#include "util/log.h"

#define N_APPEALS 1000000 /* BENCH_SWEEP_N overrides, for profiling */

struct fill {
    int n;
    ot_day_t today;
    const svc_t *svc;
};

/* One transaction, one INSERT ... SELECT over a generated series: the per-row work stays in
 * SQLite (the appeals table's indexes and the scorecard triggers still run for every row).
 * Due dates come from a small table of the 35 working-day offsets used, computed on the
 * calendar here. The page cache is raised while building so that a transaction of 1,000,000
 * rows does not spill to the WAL, then set back to the store's default for the sweep. */
static int fill_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct fill *f = arg;
    int rc = db_exec(tx->db,
                     "PRAGMA cache_size=-2000000;"
                     "CREATE TEMP TABLE bench_due (off INTEGER PRIMARY KEY, due TEXT NOT NULL,"
                     " reg TEXT NOT NULL);",
                     err);
    for (int off = -5; !rc && off <= 30; off++) {
        ot_day_t due;
        char d[11], r[11], sql[160];
        if (!off || (rc = cal_add_working_days(f->svc->juris[0]->cal, f->today, off, &due, err)))
            continue;
        date_format(due, d);
        date_format(due - 40, r);
        snprintf(sql, sizeof sql, "INSERT INTO bench_due VALUES (%d, '%s', '%s');", off, d, r);
        rc = db_exec(tx->db, sql, err);
    }
    db_stmt_t *st =
        rc ? NULL
           : db_prepare(
                 tx->db,
                 /* 1 % overdue by 1-5 working days, the rest due within 30 working days */
                 "WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i + 1 < ?)"
                 " INSERT INTO appeals (number, kind, channel, status, jurisdiction, language,"
                 " category, body, receiving_body, text, applicant_type, received_at,"
                 " registered_on, due_on, max_due_on, access_hash, updated_at)"
                 " SELECT printf('B-%07d', i), 'statement', 'portal',"
                 " CASE WHEN i % 3 THEN 'assigned' ELSE 'registered' END, 'kz', 'ru', 'heating',"
                 " b.v, b.v, 'bench', 'anonymous', 1, d.reg, d.due, d.due, 'x', 1"
                 " FROM s JOIN bench_due d ON d.off = CASE WHEN i % 100 = 0"
                 " THEN -(1 + (i / 100) % 5) ELSE 1 + i % 30 END"
                 " JOIN (SELECT 0 k, 'ridder' v UNION ALL SELECT 1, 'ukg' UNION ALL"
                 " SELECT 2, 'vko' UNION ALL SELECT 3, 'ridder.housing') b ON b.k = i % 4",
                 err);
    if (!rc && !st)
        rc = err->status;
    if (!rc) {
        db_bind_int64(st, 1, f->n);
        rc = db_run(st, NULL, err);
    }
    if (!rc)
        rc = db_exec(tx->db, "DROP TABLE temp.bench_due; PRAGMA cache_size=-65536;", err);
    return rc;
}

int main(void)
{
    char dir[] = "/tmp/otinish-sweep-XXXXXX", db[64];
    if (!mkdtemp(dir))
        return 1;
    snprintf(db, sizeof db, "%s/s.db", dir);
    char *init[] = {"init", "--db", db, NULL};
    int saved = dup(1);
    freopen("/dev/null", "w", stdout);
    int irc = cmd_init(3, init);
    fflush(stdout);
    dup2(saved, 1);
    close(saved);
    if (irc)
        return 1;
    store_t *s;
    svc_t svc;
    ot_err_t err;
    if (store_open(db, 0, &s, &err) || svc_init(&svc, s, "data", &err)) {
        fprintf(stderr, "bench/sweep: %s\n", err.message);
        return 1;
    }
    int64_t now;
    instant_parse("2026-06-01T10:00:00+05:00", &now);
    const char *env = getenv("BENCH_SWEEP_N");
    int n_appeals = env && atoi(env) > 0 ? atoi(env) : N_APPEALS;
    struct fill f = {n_appeals, instant_local_day(now, 300), &svc};
    int64_t f0 = clock_mono_us();
    if (store_write(s, fill_tx, &f, &err)) {
        fprintf(stderr, "bench/sweep: %s\n", err.message);
        return 1;
    }
    fprintf(stderr, "sweep: database of %d appeals built in %lld ms\n", n_appeals,
            (long long)(clock_mono_us() - f0) / 1000);
    sweep_report_t rep;
    int64_t t0 = clock_mono_us();
    int rc = sweep_run(&svc, NULL, now, &rep, &err);
    int64_t t1 = clock_mono_us();
    sweep_report_t rep2;
    rc = rc ? rc : sweep_run(&svc, NULL, now, &rep2, &err);
    int64_t t2 = clock_mono_us();
    if (rc) {
        fprintf(stderr, "bench/sweep: %s\n", err.message);
        return 1;
    }
    printf("sweep: %d open appeals in %lld ms\n", n_appeals, (long long)(t1 - t0) / 1000);
    printf("sweep: (%lld violations, %lld escalations, %lld reminders; second sweep %lld ms, "
           "%lld new)\n",
           (long long)rep.violations, (long long)rep.escalations, (long long)rep.reminders,
           (long long)(t2 - t1) / 1000, (long long)(rep2.violations + rep2.reminders));
    svc_free(&svc);
    store_close(s);
    if (getenv("BENCH_SWEEP_KEEP")) { /* for profiling: keep the database */
        fprintf(stderr, "sweep: database kept at %s\n", db);
        return 0;
    }
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == -1;
}
