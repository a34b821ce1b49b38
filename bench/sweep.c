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
#include "store/store_appeal.h"
#include "util/log.h"

#define N_APPEALS 1000000
#define BATCH     100000

static const char *const bodies[] = {"ridder", "ukg", "vko", "ridder.housing"};

struct fill {
    int from, to;
    ot_day_t today;
    const svc_t *svc;
};

static int fill_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct fill *f = arg;
    appeal_rec_t a;
    memset(&a, 0, sizeof a);
    char text[] = "bench";
    a.text = text;
    for (int i = f->from; i < f->to; i++) {
        snprintf(a.number, sizeof a.number, "B-%07d", i);
        snprintf(a.kind, sizeof a.kind, "statement");
        snprintf(a.channel, sizeof a.channel, "portal");
        snprintf(a.status, sizeof a.status, i % 3 ? "assigned" : "registered");
        snprintf(a.jurisdiction, sizeof a.jurisdiction, "kz");
        snprintf(a.language, sizeof a.language, "ru");
        snprintf(a.category, sizeof a.category, "heating");
        snprintf(a.body, sizeof a.body, "%s", bodies[i % 4]);
        snprintf(a.receiving_body, sizeof a.receiving_body, "%s", bodies[i % 4]);
        snprintf(a.applicant_type, sizeof a.applicant_type, "anonymous");
        /* 1 % overdue by 1-5 working days, the rest due within 30 working days */
        int off = i % 100 == 0 ? -(1 + i % 5) : 1 + i % 30;
        ot_day_t due;
        cal_add_working_days(f->svc->juris[0]->cal, f->today, off, &due, NULL);
        date_format(due, a.due_on);
        date_format(due - 40, a.registered_on);
        snprintf(a.max_due_on, sizeof a.max_due_on, "%s", a.due_on);
        snprintf(a.access_hash, sizeof a.access_hash, "x");
        a.received_at = 1;
        a.updated_at = 1;
        int rc = store_appeal_insert(tx, &a, err);
        if (rc)
            return rc;
    }
    return OT_OK;
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
    struct fill f = {0, 0, instant_local_day(now, 300), &svc};
    for (int i = 0; i < N_APPEALS; i += BATCH) {
        f.from = i;
        f.to = i + BATCH;
        if (store_write(s, fill_tx, &f, &err)) {
            fprintf(stderr, "bench/sweep: %s\n", err.message);
            return 1;
        }
    }
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
    printf("sweep: %d open appeals in %lld ms\n", N_APPEALS, (long long)(t1 - t0) / 1000);
    printf("sweep: (%lld violations, %lld escalations, %lld reminders; second sweep %lld ms, "
           "%lld new)\n",
           (long long)rep.violations, (long long)rep.escalations, (long long)rep.reminders,
           (long long)(t2 - t1) / 1000, (long long)(rep2.violations + rep2.reminders));
    svc_free(&svc);
    store_close(s);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == -1;
}
