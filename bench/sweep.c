/* Benchmark: the accountability sweep over N open appeals (default 100,000; issue 6, issue 23:
 * a steady sweep of 1,000,000 under 2 s, BENCH_SWEEP_N=1000000). The database is made the way the
 * system makes it: the demo's staff accounts (demo_accounts: heads and executors of a few bodies, a
 * supervisor, an administrator), then N appeals through the intake use case (appeal_intake_in:
 * routing, numbering, grouping, the search index, the audit chain with its seals), received over
 * the 28 days before `now` in the demo's bulk mode, so that all of them are open (nobody works on
 * them), their due dates spread from 3 working days before today to 15 after (about 12 %
 * overdue).
 * Then three sweeps, each timed:
 *   first:  at now, over that backlog (violations, escalations, reminders, notices);
 *   steady: five minutes later, nothing new (what `serve` runs every --sweep-interval);
 *   day:    at 09:00 on the next working day (one day of due dates newly passed).
 * BENCH_SWEEP_N sets N; BENCH_SWEEP_KEEP=1 keeps the database (its path is printed) for
 * profiling, BENCH_SWEEP_FILL_ONLY=1 keeps it unswept and stops: `otinish sweep --db PATH
 * --data-dir data --now 2026-06-01T10:00:00+05:00` then sweeps it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "demo/demo.h"
#include "domain/date.h"
#include "service/appeal.h"
#include "service/auth.h"
#include "service/sweep.h"
#include "util/log.h"

#define N_APPEALS                                                                                  \
    100000 /* BENCH_SWEEP_N=1000000 for issue 23's figure (a fill of about 40 min)                 \
            */
#define SPAN_DAYS 28

static const char *const categories[] = {"heating",         "water_supply",    "road_repair",
                                         "street_lighting", "waste",           "school",
                                         "social_benefits", "public_transport"};
static const char *const districts[] = {"ukg", "ridder", "altai", "glubokoe", "zaisan", "ulan"};
static const char *const texts[] = {
    "Прошу принять меры: в подъезде нет отопления вторую неделю, батареи холодные.",
    "Просим отремонтировать дорогу, после зимы на улице глубокие ямы.",
    "Не работает уличное освещение на нашей улице, вечером опасно ходить.",
    "Мусор не вывозят уже десять дней, контейнеры переполнены.",
};

struct fill {
    const svc_t *svc;
    long i, n;
    int64_t start, span;
};

/* One appeal per step, in the demo's bulk mode (svc_write_bulk): the same use case, the
 * indexes, seals and search index made at the end, commits every FILL_CHUNK. */
#define FILL_CHUNK 50000

static int fill_step(store_tx_t *tx, void *arg, int *done, ot_err_t *err)
{
    struct fill *f = arg;
    long i = f->i;
    char name[64], phone[32], address[128];
    snprintf(name, sizeof name, "Житель Номер %ld", i % 9973);
    snprintf(phone, sizeof phone, "+7 705 %03ld %02ld %02ld", i % 997, i % 89, i % 97);
    snprintf(address, sizeof address, "ул. Абая, д. %ld, кв. %ld", i % 300 + 1, i % 90 + 1);
    intake_t in;
    memset(&in, 0, sizeof in);
    in.kind = "statement";
    in.channel = "portal";
    in.category = categories[i % (long)(sizeof categories / sizeof *categories)];
    in.district = districts[(i / 7) % (long)(sizeof districts / sizeof *districts)];
    in.language = i % 3 ? "ru" : "kk";
    in.text = texts[i % 4];
    in.address = address;
    in.applicant_type = "individual";
    in.full_name = name;
    in.phone = phone;
    receipt_t out;
    int rc = appeal_intake_in(tx, f->svc, NULL, &in, f->start + f->span * i / f->n, &out, err);
    *done = ++f->i >= f->n;
    return rc;
}

static int accounts(store_t *s, int64_t now, ot_err_t *err)
{
    char hash[AUTH_HASH_LEN];
    int rc = auth_password_hash("otinish-bench-2026", hash, err);
    for (int i = 0; !rc && i < demo_n_accounts; i++) {
        const demo_account_t *a = &demo_accounts[i];
        rc = auth_user_add_hashed(s, "cli", a->login, a->name, a->position, a->role, a->body, hash,
                                  now, NULL, err);
    }
    return rc;
}

static int timed_sweep(const svc_t *svc, const char *what, int64_t at, ot_err_t *err)
{
    sweep_report_t rep;
    int64_t t0 = clock_mono_us();
    int rc = sweep_run(svc, NULL, at, &rep, err);
    if (rc)
        return rc;
    printf("sweep: %-6s %6lld ms (%lld violations, %lld escalations, %lld reminders, %lld "
           "notices)\n",
           what, (long long)(clock_mono_us() - t0) / 1000, (long long)rep.violations,
           (long long)rep.escalations, (long long)rep.reminders, (long long)rep.notices);
    fflush(stdout);
    return OT_OK;
}

int main(void)
{
    char db[160];
    store_t *s;
    svc_t svc;
    ot_err_t err;
    if (bench_fresh_db("sweep", db, sizeof db, &err)) {
        fprintf(stderr, "bench/sweep: %s\n", err.message);
        return 1;
    }
    int64_t now, steady, day;
    instant_parse("2026-06-01T10:00:00+05:00", &now); /* a Monday */
    instant_parse("2026-06-01T10:05:00+05:00", &steady);
    instant_parse("2026-06-02T09:00:00+05:00", &day);
    const char *env = getenv("BENCH_SWEEP_N");
    long n = env && atol(env) > 0 ? atol(env) : N_APPEALS;
    int64_t span = (int64_t)SPAN_DAYS * 86400 * 1000000;
    if (svc_store_open(db, 0, &s, &err) || accounts(s, now - span - 1000000, &err) ||
        svc_init(&svc, s, "data", &err)) {
        fprintf(stderr, "bench/sweep: %s\n", err.message);
        return 1;
    }
    struct fill f = {&svc, 0, n, now - span, span};
    int64_t f0 = clock_mono_us();
    if (svc_write_bulk(&svc, fill_step, &f, FILL_CHUNK, &err)) {
        fprintf(stderr, "bench/sweep: %s\n", err.message);
        return 1;
    }
    printf("sweep: %ld open appeals made through the intake in %lld ms\n", n,
           (long long)(clock_mono_us() - f0) / 1000);
    fflush(stdout);
    if (getenv("BENCH_SWEEP_FILL_ONLY")) { /* the database alone, to sweep with `otinish sweep` */
        svc_free(&svc);
        svc_store_close(s);
        fprintf(stderr, "sweep: database kept at %s\n", db);
        return 0;
    }
    if (timed_sweep(&svc, "first", now, &err) || timed_sweep(&svc, "steady", steady, &err) ||
        timed_sweep(&svc, "day", day, &err)) {
        fprintf(stderr, "bench/sweep: %s\n", err.message);
        return 1;
    }
    svc_free(&svc);
    svc_store_close(s);
    if (getenv("BENCH_SWEEP_KEEP")) {
        fprintf(stderr, "sweep: database kept at %s\n", db);
        return 0;
    }
    return bench_remove_db(db);
}
