/* What grouping appeals into problems costs at intake (issue 17: under 10 % of the intake).
 *
 * Two fresh databases. In the first, N portal appeals go through appeal_intake_in (routing,
 * number, terms, grouping, the insert, the audit event, the notices), in transactions of 100
 * as the group commit makes them. In the second, the same N appeals go through problem_intake
 * alone (folding, the word set, the place key, the candidates, the new problem or the
 * repeat lookup). The share is the second time over the first. A tenth of the appeals are
 * about one of 50 recurring places, the rest each about a place of its own.
 * Then the word sets alone (problem_words), Kazakh and Russian texts, with the shipped
 * concept list (data/jurisdictions/kz/concepts.tsv) and without: what the cross-language
 * concepts add to each appeal's grouping. BENCH_INTAKES overrides N (default 20000). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "domain/problem.h"
#include "service/appeal.h"
#include "service/juris.h"
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

static const char *const texts[] = {
    "Теплотрасса у дома в аварийном состоянии, каждую зиму порывы. Просим заменить трубы.",
    "На дороге у дома огромные ямы, весной их заливает водой. Просим отремонтировать дорогу.",
    "Во дворе не вывозят мусор неделями, контейнеры переполнены. Просим наладить вывоз.",
    "В подъезде не работает лифт уже две недели, жильцы страдают. Просим починить лифт.",
};

static const char *const texts_kk[] = {
    "Көшеміздегі жылу трассасы ескірген, әр қыс сайын апат болады. Құбырларды ауыстыруды сұраймыз.",
    "Көшеміздегі жолда терең шұңқырлар пайда болды, көліктер бұзылып жатыр. Жолды жөндеуді "
    "сұраймыз.",
    "Ауламыздан қоқыс апталап шығарылмайды, контейнерлер толып кетті.",
    "Бір аптадан бері үйімізде суық су жоқ. Суды сатып алуға мәжбүрміз.",
};

/* Microseconds per word set of n texts (Kazakh and Russian in turn) under c. */
static double words_us(const problem_cfg_t *c, long n)
{
    char out[700];
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (long i = 0; i < n; i++)
        problem_words(c, i % 2 ? texts_kk[(i / 2) % 4] : texts[(i / 2) % 4], out, sizeof out);
    return ms_since(&t0) * 1000 / (double)n;
}

struct run {
    const svc_t *svc;
    long from, to;
    int only_grouping;
    int64_t now;
};

static void make(long i, char *text, size_t tn, char *address, size_t an)
{
    long place = i % 10 == 0 ? (i / 10) % 50 : 1000 + i;
    snprintf(text, tn, "%s", texts[i % 4]);
    snprintf(address, an, "г. Риддер, ул. Островского, д. %ld, кв. %ld", place, i % 90 + 1);
}

static int step_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct run *r = arg;
    for (long i = r->from; i < r->to; i++) {
        char text[256], address[128], name[64], phone[32];
        make(i, text, sizeof text, address, sizeof address);
        snprintf(name, sizeof name, "Житель Номер %ld", i % 997);
        snprintf(phone, sizeof phone, "+7 705 %03ld %02ld %02ld", i % 997, i % 89, i % 97);
        int rc;
        if (r->only_grouping) {
            appeal_rec_t a;
            memset(&a, 0, sizeof a);
            snprintf(a.kind, sizeof a.kind, "statement");
            snprintf(a.status, sizeof a.status, "registered");
            snprintf(a.jurisdiction, sizeof a.jurisdiction, "kz");
            snprintf(a.category, sizeof a.category, "heating");
            snprintf(a.district, sizeof a.district, "ridder");
            snprintf(a.body, sizeof a.body, "ridder.housing");
            a.text = text;
            a.address = address;
            a.applicant_name = name;
            a.applicant_phone = phone;
            a.received_at = r->now + i;
            int created;
            rc = problem_intake(tx, r->svc, &a, r->now, &created, err);
        } else {
            intake_t in;
            memset(&in, 0, sizeof in);
            in.kind = "statement";
            in.channel = "portal";
            in.category = "heating";
            in.district = "ridder";
            in.language = "ru";
            in.text = text;
            in.address = address;
            in.applicant_type = "individual";
            in.full_name = name;
            in.phone = phone;
            receipt_t out;
            rc = appeal_intake_in(tx, r->svc, NULL, &in, r->now + i, &out, err);
        }
        if (rc)
            return rc;
    }
    return 0;
}

static int one(const char *tag, char *path, size_t n_path, int only_grouping, long n, double *ms,
               ot_err_t *err)
{
    store_t *s = NULL;
    svc_t svc;
    memset(&svc, 0, sizeof svc);
    int status = bench_fresh_db(tag, path, n_path, err) || bench_open(path, &s, &svc, err);
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    struct run r = {&svc, 0, 0, only_grouping, 1767225600LL * 1000000};
    for (long i = 0; !status && i < n; i += 100) {
        r.from = i;
        r.to = i + 100 < n ? i + 100 : n;
        status = svc_write(&svc, step_tx, &r, err);
    }
    *ms = ms_since(&t0);
    svc_free(&svc);
    store_close(s);
    return status;
}

int main(void)
{
    long n = getenv("BENCH_INTAKES") ? atol(getenv("BENCH_INTAKES")) : 20000;
    char a[160] = "", b[160] = "";
    ot_err_t err = {0};
    double intake = 0, grouping = 0;
    int status = one("grouping", a, sizeof a, 0, n, &intake, &err) ||
                 one("grouping", b, sizeof b, 1, n, &grouping, &err);
    if (status)
        fprintf(stderr, "bench/grouping: %s\n", err.message);
    else
        printf("grouping: %ld intakes %.0f ms (%.0f/s); their grouping alone %.0f ms: %.1f %% of "
               "the intake\n",
               n, intake, n / intake * 1000, grouping, 100 * grouping / intake);
    juris_t *kz = NULL;
    if (!status && !juris_load("data", "kz", &kz, &err)) {
        long m = n * 5;
        double with = words_us(&kz->problems, m), without = words_us(&problem_default_cfg, m);
        printf("grouping: word sets of %ld kk and ru texts: %.2f us each with the concept list "
               "(%d forms), %.2f us without\n",
               m, with, kz->problems.n_forms, without);
        juris_free(kz);
    }
    if (bench_remove_db(a) || bench_remove_db(b))
        status = 1;
    return status;
}
