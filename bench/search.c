/* Benchmark of search (issue 17), two figures, each a comparison inside one run:
 *
 * 1. Intake with and without keeping the search index in step: the same appeals filed
 *    through the intake use case (appeal_intake_in), in rounds that alternate index on and
 *    index off (store_search_defer, what a bulk load does), ROUNDS rounds of BATCH appeals
 *    each in one transaction (the CPU cost: one commit per round) and DURABLE appeals each
 *    in its own durable transaction (what one client sees). Prints appeals/s and the ratio.
 * 2. Search latency through the use case (search_run, as the HTTP handler calls it, JSON
 *    aside): p50/p95/max over a list of queries (Russian and Kazakh, common and rare words,
 *    one and two words), as the oblast supervisor (every body) and as a city head (a scope),
 *    each search followed by the first page of the staff list for the same user, and the
 *    ratio of their p95s.
 *    On the bench's own small database, or on BENCH_SEARCH_DB (e.g. made once with
 *    `otinish init --db /tmp/o.db --demo 1000000`; it is only read).
 * Environment: BENCH_SEARCH_DB, BENCH_SEARCH_ROUNDS (6), BENCH_SEARCH_BATCH (2000),
 * BENCH_SEARCH_DURABLE (100), BENCH_SEARCH_REPS (5 passes over the queries), BENCH_SEARCH_KIND
 * (-1 every kind, 0 appeals' texts, 1 answers, 2 problems). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "domain/date.h"
#include "service/appeal.h"
#include "service/search.h"
#include "store/store_int.h"    /* a fixture: store_write around the use case's _in form */
#include "store/store_search.h" /* store_search_defer: the index off, as in a bulk load */
#include "util/log.h"

static const char *const texts[][2] = {
    {"ru", "В доме по улице Гоголя 5 нет отопления третью неделю, батареи холодные, дети "
           "болеют. Прошу принять меры и восстановить подачу тепла."},
    {"ru", "Яма на дороге возле остановки «Рынок» не ремонтируется с весны, машины "
           "объезжают её по встречной полосе. Просим отремонтировать дорогу."},
    {"kk", "Біздің үйде жылудың жоқтығына бір апта болды, балалар суықтан ауырып жатыр. "
           "Жылу беруді қалпына келтіруді сұраймыз."},
    {"ru", "Во дворе дома 12 по проспекту Независимости не работает уличное освещение, "
           "вечером опасно ходить. Просим заменить фонари."},
    {"kk", "Көшедегі су құбыры жарылып, үйлерге ауыз су келмейді. Құбырды жөндеуді және су "
           "беруді қалпына келтіруді сұраймыз."},
};
#define N_TEXTS (sizeof texts / sizeof texts[0])

struct batch {
    const svc_t *svc;
    int n, from;
    int64_t now;
};

static int file_one(store_tx_t *tx, const svc_t *svc, int i, int64_t now, ot_err_t *err)
{
    intake_t in;
    memset(&in, 0, sizeof in);
    in.kind = "statement";
    in.channel = "portal";
    in.category = "heating";
    in.district = "ridder";
    in.language = texts[i % N_TEXTS][0];
    in.text = texts[i % N_TEXTS][1];
    in.applicant_type = "individual";
    in.full_name = "Иванов Иван";
    in.iin = "900101300007";
    in.postal_address = "Риддер, ул. Гоголя 5, кв. 3";
    receipt_t r;
    return appeal_intake_in(tx, svc, NULL, &in, now, &r, err);
}

static int batch_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct batch *b = arg;
    for (int i = 0; i < b->n; i++) {
        int rc = file_one(tx, b->svc, b->from + i, b->now, err);
        if (rc)
            return rc;
    }
    return OT_OK;
}

static int env_int(const char *name, int dflt)
{
    const char *v = getenv(name);
    return v && atoi(v) > 0 ? atoi(v) : dflt;
}

/* appeals per second of n appeals filed by `per` per transaction, index on or off */
static double intake_rate(store_t *s, const svc_t *svc, int index, int n, int per, int *from,
                          int64_t now)
{
    store_search_defer(s, !index);
    ot_err_t err;
    int64_t t0 = clock_mono_us();
    for (int done = 0; done < n; done += per) {
        struct batch b = {svc, per, *from, now};
        *from += per;
        if (store_write(s, batch_tx, &b, &err)) {
            fprintf(stderr, "bench/search: intake: %s\n", err.message);
            exit(1);
        }
    }
    int64_t t = clock_mono_us() - t0;
    store_search_defer(s, 0);
    return n * 1e6 / (double)(t > 0 ? t : 1);
}

static void intake_bench(store_t *s, const svc_t *svc)
{
    int rounds = env_int("BENCH_SEARCH_ROUNDS", 6), batch = env_int("BENCH_SEARCH_BATCH", 2000);
    int durable = env_int("BENCH_SEARCH_DURABLE", 100), from = 0;
    int64_t now;
    instant_parse("2026-06-01T10:00:00+05:00", &now);
    double on = 0, off = 0, don = 0, doff = 0;
    for (int r = 0; r < rounds; r++) { /* interleaved: on, off, off, on, ... */
        int first_on = r % 2 == 0;
        for (int k = 0; k < 2; k++) {
            int index = k == 0 ? first_on : !first_on;
            double v = intake_rate(s, svc, index, batch, batch, &from, now);
            double d = intake_rate(s, svc, index, durable, 1, &from, now);
            if (index) {
                on += v;
                don += d;
            } else {
                off += v;
                doff += d;
            }
        }
    }
    printf("search: intake, %d rounds of %d appeals in one transaction: %.0f/s with the "
           "index, %.0f/s without (%.2fx)\n",
           rounds, batch, on / rounds, off / rounds, on / off);
    printf("search: intake, %d rounds of %d durable transactions of one appeal: %.0f/s with "
           "the index, %.0f/s without (%.2fx)\n",
           rounds, durable, don / rounds, doff / rounds, don / doff);
}

static const char *const queries[] = {
    "отопление",  "отопления нет", "жылу",   "жылудың",          "освещение",
    "дорога яма", "су құбыры",     "фонари", "батареи холодные", "остановки",
    "мусор",      "школа",         "электр", "ремонт крыши",     "тротуар",
};
#define N_QUERIES (sizeof queries / sizeof queries[0])

static int count_hit(const search_hit_t *h, const search_piece_t *p, size_t n, void *arg)
{
    (void)h;
    (void)p;
    (void)n;
    (*(int *)arg)++;
    return 0;
}

static int cmp64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static int count_row(const appeal_rec_t *a, void *arg)
{
    (void)a;
    (*(int *)arg)++;
    return 0;
}

static void report(const char *what, const char *who, int64_t *t, int n)
{
    qsort(t, (size_t)n, sizeof *t, cmp64);
    printf("search: %-22s as %s: p50 %.1f ms, p95 %.1f ms, max %.1f ms\n", what, who,
           t[n / 2] / 1000.0, t[(n * 95) / 100] / 1000.0, t[n - 1] / 1000.0);
}

/* Each search is followed by the first page of the staff list (GET /api/v1/appeals?limit=20,
 * the use case of issue 23) for the same user: both see the same load of the machine, and
 * their ratio is the figure that means something on a shared machine. */
static void search_bench(const svc_t *svc, const char *who, const auth_user_t *u)
{
    int reps = env_int("BENCH_SEARCH_REPS", 5), n = 0, hits = 0, rows = 0;
    int64_t *t = calloc((size_t)reps * N_QUERIES, sizeof *t);
    int64_t *l = calloc((size_t)reps * N_QUERIES, sizeof *l);
    if (!t || !l)
        exit(1);
    for (int r = 0; r < reps; r++)
        for (size_t q = 0; q < N_QUERIES; q++) {
            search_in_t in = {.q = queries[q],
                              .kind = env_int("BENCH_SEARCH_KIND", -1),
                              .limit = 20,
                              .offset = 0};
            ot_err_t err;
            int64_t t0 = clock_mono_us();
            if (search_run(svc, u, &in, count_hit, &hits, &err)) {
                fprintf(stderr, "bench/search: %s: %s\n", queries[q], err.message);
                exit(1);
            }
            int64_t t1 = clock_mono_us();
            appeal_filter_t f;
            memset(&f, 0, sizeof f);
            f.limit = 20;
            if (appeal_list(svc, u, &f, count_row, &rows, &err)) {
                fprintf(stderr, "bench/search: list: %s\n", err.message);
                exit(1);
            }
            l[n] = clock_mono_us() - t1;
            t[n++] = t1 - t0;
        }
    report("search", who, t, n);
    report("staff list (same run)", who, l, n);
    printf("search: p95 of search / p95 of the staff list: %.1fx (%d hits, %d rows)\n",
           (double)t[(n * 95) / 100] / (double)(l[(n * 95) / 100] ? l[(n * 95) / 100] : 1), hits,
           rows);
    free(t);
    free(l);
}

int main(void)
{
    char db[160];
    store_t *s;
    svc_t svc;
    ot_err_t err;
    if (bench_fresh_db("search", db, sizeof db, &err) || bench_open(db, &s, &svc, &err)) {
        fprintf(stderr, "bench/search: %s\n", err.message);
        return 1;
    }
    intake_bench(s, &svc);
    const char *big = getenv("BENCH_SEARCH_DB");
    if (big) {
        svc_free(&svc);
        store_close(s);
        if (bench_open(big, &s, &svc, &err)) {
            fprintf(stderr, "bench/search: %s: %s\n", big, err.message);
            return 1;
        }
        printf("search: on %s\n", big);
    }
    auth_user_t sup = {.id = 1, .role = ROLE_SUPERVISOR};
    snprintf(sup.body, sizeof sup.body, "vko.apparat");
    snprintf(sup.body_path, sizeof sup.body_path, "vko/vko.apparat/");
    auth_user_t head = {.id = 2, .role = ROLE_HEAD};
    snprintf(head.body, sizeof head.body, "ridder");
    snprintf(head.body_path, sizeof head.body_path, "vko/ridder/");
    search_bench(&svc, "supervisor", &sup);
    search_bench(&svc, "head.ridder", &head);
    svc_free(&svc);
    store_close(s);
    return bench_remove_db(db);
}
