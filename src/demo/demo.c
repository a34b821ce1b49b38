/* Demo data generator. See demo.h; the tables it draws from are in demo_text.c. */
#include "demo/demo.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "domain/calendar.h"
#include "domain/date.h"
#include "domain/deadline.h"
#include "domain/ident.h"
#include "domain/perm.h"
#include "service/appeal.h"
#include "service/audit.h"
#include "service/auth.h"
#include "service/problem.h"
#include "demo/demo_text.h"
#include "service/reference.h"

/* ==== Accounts ==== */

/* One account per role, and a head and an executor for a few bodies, so that the tree of
 * scopes shows: `head` at vko covers every body of the oblast akimat, head.ridder only
 * Ridder's, head.police the external police department. */
const demo_account_t demo_accounts[] = {
    {"admin", "admin", "vko", "Қасымов Ерлан Серікұлы", "Администратор системы"},
    {"registrar", "registrar", "vko", "Иванова Ольга Петровна",
     "Главный специалист канцелярии акимата области"},
    {"registrar.ukg", "registrar", "ukg", "Жұмабаева Айгүл Болатқызы",
     "Специалист канцелярии акимата г. Усть-Каменогорска"},
    {"registrar.ridder", "registrar", "ridder", "Соколова Татьяна Викторовна",
     "Специалист канцелярии акимата г. Риддера"},
    {"head", "head", "vko", "Оспанов Мұрат Қайратұлы", "Заместитель акима области"},
    {"executor", "executor", "vko", "Лебедев Андрей Николаевич",
     "Главный специалист акимата области"},
    {"supervisor", "supervisor", "vko.apparat", "Сәрсенбаева Динара Ерланқызы",
     "Руководитель отдела контроля аппарата акима области"},
    {"auditor", "auditor", "vko.apparat", "Павлов Игорь Юрьевич",
     "Главный специалист по внутреннему аудиту"},
    {"head.ridder", "head", "ridder", "Төлеубаев Асхат Маратович", "Заместитель акима г. Риддера"},
    {"exec.ridder", "executor", "ridder", "Морозова Елена Сергеевна",
     "Главный специалист акимата г. Риддера"},
    {"head.ridder.housing", "head", "ridder.housing", "Козлов Сергей Владимирович",
     "Руководитель отдела ЖКХ г. Риддера"},
    {"exec.ridder.housing", "executor", "ridder.housing", "Ахметова Жанар Серікқызы",
     "Главный специалист отдела ЖКХ г. Риддера"},
    {"head.ukg", "head", "ukg", "Байжанов Ерболат Талгатович",
     "Заместитель акима г. Усть-Каменогорска"},
    {"head.ukg.housing", "head", "ukg.housing", "Егоров Дмитрий Александрович",
     "Руководитель отдела ЖКХ г. Усть-Каменогорска"},
    {"exec.ukg.housing", "executor", "ukg.housing", "Нұрланова Мәдина Ерланқызы",
     "Главный специалист отдела ЖКХ г. Усть-Каменогорска"},
    {"head.education", "head", "vko.education", "Исабеков Бауыржан Серикович",
     "Руководитель управления образования"},
    {"exec.education", "executor", "vko.education", "Семёнова Ирина Михайловна",
     "Главный специалист управления образования"},
    {"head.health", "head", "vko.health", "Құрманов Тимур Бекенович",
     "Руководитель управления здравоохранения"},
    {"exec.health", "executor", "vko.health", "Гусева Наталья Ивановна",
     "Главный специалист управления здравоохранения"},
    {"head.police", "head", "vko.police", "Ермеков Қайрат Нурланович",
     "Начальник штаба департамента полиции"},
};
const int demo_n_accounts = (int)(sizeof demo_accounts / sizeof demo_accounts[0]);

#define N_ACCOUNTS ((int)(sizeof demo_accounts / sizeof demo_accounts[0]))

/* Argon2id takes tens of milliseconds and 64 MiB: the shared demo password is hashed once
 * (the accounts then share its salt too, harmless for a password printed in the README),
 * and only when an account is missing, so a second `init --demo` costs nothing here. */
static int make_accounts(store_t *st, int64_t now, auth_user_t *users, demo_report_t *rep,
                         ot_err_t *err)
{
    char hash[AUTH_HASH_LEN] = "";
    for (int i = 0; i < N_ACCOUNTS; i++) {
        const demo_account_t *a = &demo_accounts[i];
        auth_user_t u;
        int rc = auth_user_get(st, a->login, &u, err), found = rc == OT_OK;
        if (rc == OT_ENOTFOUND)
            rc = OT_OK;
        if (!rc && !found && !hash[0])
            rc = auth_password_hash(DEMO_PASSWORD, hash, err);
        if (!rc && !found)
            rc = auth_user_add_hashed(st, "cli", a->login, a->name, a->position, a->role, a->body,
                                      hash, now, NULL, err);
        if (rc == OT_ECONFLICT || (!rc && found))
            rep->users_existing++;
        else if (!rc)
            rep->users_created++;
        else
            return rc;
    }
    for (int i = 0; i < N_ACCOUNTS; i++) {
        int rc = auth_user_get(st, demo_accounts[i].login, &users[i], err);
        if (rc)
            return rc;
    }
    return OT_OK;
}

static int account(const char *login)
{
    for (int i = 0; i < N_ACCOUNTS; i++)
        if (!strcmp(demo_accounts[i].login, login))
            return i;
    return -1;
}

/* ==== Random numbers: splitmix64 ==== */

typedef struct rng {
    uint64_t s;
} rng_t;

static uint64_t mix(uint64_t z)
{
    z += 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static uint64_t next(rng_t *r)
{
    r->s += 0x9e3779b97f4a7c15ULL;
    return mix(r->s);
}

static rng_t rng_of(uint64_t seed, uint64_t salt)
{
    rng_t r = {mix(seed ^ mix(salt))};
    return r;
}

/* lo..hi inclusive */
static int uni(rng_t *r, int lo, int hi)
{
    if (hi <= lo)
        return lo;
    return lo + (int)(next(r) % (uint64_t)(hi - lo + 1));
}

static double unit(rng_t *r)
{
    return (double)(next(r) >> 11) * (1.0 / 9007199254740992.0);
}

static int chance(rng_t *r, double p)
{
    return unit(r) < p;
}

static size_t pick_w(rng_t *r, const double *w, size_t n)
{
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += w[i];
    double x = unit(r) * sum;
    for (size_t i = 0; i < n; i++) {
        if (x < w[i])
            return i;
        x -= w[i];
    }
    return n - 1;
}

static size_t list_len(const char *const *l)
{
    size_t n = 0;
    while (l[n])
        n++;
    return n;
}

static const char *pick_s(rng_t *r, const char *const *l)
{
    return l[uni(r, 0, (int)list_len(l) - 1)];
}

/* ==== The simulation's state ==== */

enum { K_STATEMENT, K_COMPLAINT, K_PROPOSAL, K_REQUEST, K_RESPONSE, K_REPORT };
enum { C_PORTAL, C_PHONE, C_RECEPTION, C_MAIL, C_EMAIL };
enum { A_INDIVIDUAL, A_LEGAL, A_ANONYMOUS, A_COLLECTIVE };
enum { D_SATISFIED, D_PARTLY, D_REFUSED, D_EXPLAINED };

enum op {
    OP_INTAKE,
    OP_ASSIGN,
    OP_START,
    OP_ANSWER,
    OP_FORWARD,
    OP_EXTEND,
    OP_RETURN,
    OP_CLOSE,
    OP_TERMINATE,
    OP_CONTROL,
    OP_RATE,
    OP_COMPLAIN,
};

#define MAX_STEPS 16
/* the share of statements about one of the chronic problems of demo_chronic (issue 17) */
#define DEMO_CHRONIC_SHARE 0.02
#define US_MIN             (60LL * 1000000)
#define US_DAY             (1440LL * US_MIN)

typedef struct step {
    int64_t t;
    uint8_t op;
} step_t;

typedef struct plan {
    uint64_t seed;   /* the appeal's own stream */
    uint64_t person; /* the applicant's stream: the same person files again */
    int64_t arrived; /* received_at */
    int16_t cat;     /* demo_categories index */
    int16_t ktext;   /* demo_kind_texts index, -1 for statements and complaints */
    int8_t town, kind, channel, app, kk, status, registrar, executor;
    int8_t decision, decision2, answers_left, overdue_complaint;
    int8_t chronic; /* 1 + the demo_chronic index of a chronic problem, 0 none */
    uint8_t n_steps, cur;
    ot_day_t reg, due, ext_due;
    char number[40], code[ACCESS_CODE_LEN + 1], body[64], fwd_to[64];
    char orig_number[40], orig_code[ACCESS_CODE_LEN + 1]; /* a complaint's original */
    step_t steps[MAX_STEPS];
} plan_t;

typedef struct hev {
    int64_t t;
    uint64_t seq;
    int32_t slot;
} hev_t;

typedef struct actors {
    char body[64];
    int head, exec;
} actors_t;

struct sim {
    const svc_t *svc;
    const juris_t *j;
    int off; /* UTC offset of the jurisdiction, minutes */
    int64_t now;
    ot_day_t today, first_day, drop_from;
    uint64_t seed;
    long n, made, pool;
    int n_days, day_i;
    int sealing; /* this step is its appeal's last: its events carry their seals (sim_next) */
    long *quota;

    plan_t *slots;
    int32_t *free_slots;
    size_t n_slots, cap_slots, n_free;

    hev_t *heap;
    size_t n_heap, cap_heap;
    uint64_t seq;

    auth_user_t users[N_ACCOUNTS];
    int supervisor, reg_vko, reg_ukg, reg_ridder;
    actors_t actors[128];
    int n_actors;

    demo_report_t *rep;
    int progress_fd, last_pct;
};

/* ==== Heap of pending steps (one per live appeal), earliest first ==== */

static int hev_less(const hev_t *a, const hev_t *b)
{
    return a->t < b->t || (a->t == b->t && a->seq < b->seq);
}

static int heap_push(struct sim *s, int64_t t, int32_t slot)
{
    if (s->n_heap == s->cap_heap) {
        size_t cap = s->cap_heap ? 2 * s->cap_heap : 1024;
        hev_t *h = realloc(s->heap, cap * sizeof *h);
        if (!h)
            return -1;
        s->heap = h;
        s->cap_heap = cap;
    }
    size_t i = s->n_heap++;
    hev_t e = {t, s->seq++, slot};
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (!hev_less(&e, &s->heap[p]))
            break;
        s->heap[i] = s->heap[p];
        i = p;
    }
    s->heap[i] = e;
    return 0;
}

static hev_t heap_pop(struct sim *s)
{
    hev_t top = s->heap[0], last = s->heap[--s->n_heap];
    size_t i = 0, n = s->n_heap;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && hev_less(&s->heap[c + 1], &s->heap[c]))
            c++;
        if (!hev_less(&s->heap[c], &last))
            break;
        s->heap[i] = s->heap[c];
        i = c;
    }
    if (n)
        s->heap[i] = last;
    return top;
}

/* ==== Slots: the appeals still in play ==== */

static int32_t slot_new(struct sim *s)
{
    if (s->n_free)
        return s->free_slots[--s->n_free];
    if (s->n_slots == s->cap_slots) {
        size_t cap = s->cap_slots ? 2 * s->cap_slots : 1024;
        plan_t *p = realloc(s->slots, cap * sizeof *p);
        int32_t *f = p ? realloc(s->free_slots, cap * sizeof *f) : NULL;
        if (p)
            s->slots = p;
        if (!f)
            return -1;
        s->free_slots = f;
        s->cap_slots = cap;
    }
    return (int32_t)s->n_slots++;
}

static void slot_free(struct sim *s, int32_t i)
{
    s->free_slots[s->n_free++] = i;
}

/* ==== Calendar helpers ==== */

static ot_day_t wd_add(const struct sim *s, ot_day_t from, int n)
{
    ot_day_t out;
    if (cal_add_working_days(s->j->cal, from, n, &out, NULL))
        return from + n; /* outside the calendar data: intake would have refused first */
    return out;
}

static int wd_count(const struct sim *s, ot_day_t a, ot_day_t b)
{
    int n = 0;
    if (cal_count_working_days(s->j->cal, a, b, &n, NULL))
        return (int)(b - a);
    return n;
}

static ot_day_t day_of(const struct sim *s, int64_t t)
{
    return instant_local_day(t, s->off);
}

/* A moment in office hours of day, after `after`. */
static int64_t office(const struct sim *s, rng_t *r, ot_day_t day, int64_t after)
{
    int64_t t = instant_from_local(day, uni(r, 9 * 60, 17 * 60 + 50), s->off);
    t += uni(r, 0, 59) * 1000000LL;
    if (t <= after)
        t = after + uni(r, 5, 90) * US_MIN;
    return t;
}

/* ==== People ==== */

typedef struct person {
    int kz, female, town;
    char name[200], iin[13], postal[300], phone[32], email[96];
    char latin[32];
    int birth_year;
} person_t;

static int town_pick(const struct sim *s, rng_t *r, ot_day_t day)
{
    double w[32];
    for (size_t i = 0; i < demo_n_towns && i < 32; i++) {
        w[i] = demo_towns[i].weight;
        if (day >= s->drop_from && !strcmp(demo_towns[i].district, "ridder"))
            w[i] *= 0.25; /* the Ridder drop (CONTEXT.md) */
    }
    return (int)pick_w(r, w, demo_n_towns < 32 ? demo_n_towns : 32);
}

static int is_city(int town)
{
    return !strncmp(demo_towns[town].ru, "г. ", strlen("г. "));
}

static void address(rng_t *r, int town, int kk, char *out, size_t n)
{
    const char *const *st = demo_streets[uni(r, 0, (int)demo_n_streets - 1)];
    int house = uni(r, 1, 120), flat = is_city(town) && chance(r, 0.7) ? uni(r, 1, 180) : 0;
    const demo_town_t *t = &demo_towns[town];
    if (kk && flat)
        snprintf(out, n, "%s, %s, %d-үй, %d-пәтер", t->kk, st[1], house, flat);
    else if (kk)
        snprintf(out, n, "%s, %s, %d-үй", t->kk, st[1], house);
    else if (flat)
        snprintf(out, n, "%s, %s, д. %d, кв. %d", t->ru, st[0], house, flat);
    else
        snprintf(out, n, "%s, %s, д. %d", t->ru, st[0], house);
}

static void phone(rng_t *r, char *out, size_t n)
{
    static const int ops[] = {701, 702, 705, 707, 747, 771, 775, 777, 778};
    snprintf(out, n, "+7 %d %03d %02d %02d", ops[uni(r, 0, 8)], uni(r, 0, 999), uni(r, 0, 99),
             uni(r, 0, 99));
}

/* A person from their own stream: the same seed gives the same person. town < 0: the
 * person's home town is drawn too. */
static void person_make(const struct sim *s, uint64_t seed, int town, person_t *p)
{
    rng_t r = rng_of(seed, 0x9e11);
    memset(p, 0, sizeof *p);
    p->kz = chance(&r, 0.55);
    p->female = chance(&r, 0.55);
    p->town = town >= 0 ? town : town_pick(s, &r, s->first_day);
    const char *sur = pick_s(&r, p->kz ? demo_kz_surnames : demo_ru_surnames);
    const char *const(*first)[2] = p->kz ? (p->female ? demo_kz_female : demo_kz_male)
                                         : (p->female ? demo_ru_female : demo_ru_male);
    size_t n_first = p->kz ? (p->female ? demo_n_kz_female : demo_n_kz_male)
                           : (p->female ? demo_n_ru_female : demo_n_ru_male);
    const char *const(*pat)[2] = p->kz ? demo_kz_patronymics : demo_ru_patronymics;
    size_t n_pat = p->kz ? demo_n_kz_patronymics : demo_n_ru_patronymics;
    const char *const *f = first[uni(&r, 0, (int)n_first - 1)];
    const char *pa = pat[uni(&r, 0, (int)n_pat - 1)][p->female];
    snprintf(p->name, sizeof p->name, "%s%s %s %s", sur, p->female ? "а" : "", f[0], pa);
    snprintf(p->latin, sizeof p->latin, "%s", f[1]);

    int y = uni(&r, 1946, 2006), m = uni(&r, 1, 12), d = uni(&r, 1, 28);
    int digit = (y >= 2000 ? 5 : 3) + p->female;
    unsigned serial = (unsigned)uni(&r, 0, 9990);
    while (ident_iin_make(y, m, d, digit, serial, p->iin) == OT_ECONFLICT)
        serial++;
    p->birth_year = y;
    address(&r, p->town, 0, p->postal, sizeof p->postal);
    if (chance(&r, 0.85))
        phone(&r, p->phone, sizeof p->phone);
    if (chance(&r, 0.4)) {
        static const char *const domains[] = {"mail.ru", "gmail.com", "mail.kz", "inbox.ru"};
        snprintf(p->email, sizeof p->email, "%s.%d%s@%s", p->latin, y, p->female ? "f" : "",
                 domains[uni(&r, 0, 3)]);
    }
}

/* An organisation: name, BIN, contacts. */
static void org_make(const struct sim *s, uint64_t seed, int town, person_t *p, char *bin,
                     char *org, size_t n_org)
{
    rng_t r = rng_of(seed, 0x0e6);
    memset(p, 0, sizeof *p);
    p->town = town >= 0 ? town : town_pick(s, &r, s->first_day);
    snprintf(org, n_org, "%s «%s»", pick_s(&r, demo_org_forms), pick_s(&r, demo_org_names));
    int y = uni(&r, 1998, 2022), m = uni(&r, 1, 12);
    unsigned serial = (unsigned)uni(&r, 0, 99990);
    while (ident_bin_make(y, m, 4, 0, serial, bin) == OT_ECONFLICT)
        serial++;
    address(&r, p->town, 0, p->postal, sizeof p->postal);
    phone(&r, p->phone, sizeof p->phone);
    snprintf(p->email, sizeof p->email, "office%u@%s.kz", serial, chance(&r, 0.5) ? "mail" : "bk");
}

/* ==== Drawing an appeal ==== */

static double season_factor(const demo_category_t *c, int month)
{
    int heating = month >= 10 || month <= 4;
    if (c->season == 1)
        return heating ? 2.0 : 0.35;
    if (c->season == 2)
        return heating ? 0.7 : 1.6;
    return 1;
}

static int cat_index(const char *code)
{
    for (size_t i = 0; i < demo_n_categories; i++)
        if (!strcmp(demo_categories[i].code, code))
            return (int)i;
    return (int)demo_n_categories - 1;
}

static int cat_pick(rng_t *r, int month, int legal_only)
{
    double w[64];
    size_t n = demo_n_categories < 64 ? demo_n_categories : 64;
    for (size_t i = 0; i < n; i++) {
        const demo_category_t *c = &demo_categories[i];
        w[i] = legal_only && !c->legal ? 0 : c->weight * season_factor(c, month);
    }
    return (int)pick_w(r, w, n);
}

/* Draws who files what, when and how; pushes the intake. */
static int draw_appeal(struct sim *s, ot_day_t day, int minute, long index)
{
    int32_t slot = slot_new(s);
    if (slot < 0)
        return -1;
    plan_t *p = &s->slots[slot];
    memset(p, 0, sizeof *p);
    p->seed = mix(s->seed ^ mix((uint64_t)index + 1));
    rng_t r = rng_of(p->seed, 1);
    int month;
    date_to_ymd(day, NULL, &month, NULL);
    int late = day >= s->drop_from;
    int working = cal_is_working(s->j->cal, day) == 1;
    int in_office = working && minute >= 9 * 60 && minute < 18 * 60 + 30;
    p->arrived = instant_from_local(day, minute, s->off) + uni(&r, 0, 59) * 1000000LL;
    if (p->arrived > s->now)
        p->arrived = s->now;
    p->ktext = -1;

    static const double ch_office[] = {45, 18, 15, 12, 10};
    static const double ch_off[] = {85, 0, 0, 0, 15};
    p->channel = (int8_t)pick_w(&r, in_office ? ch_office : ch_off, 5);

    double a = unit(&r);
    p->app = a < 0.015 && p->channel == C_PORTAL ? A_ANONYMOUS
             : a < 0.075                         ? A_LEGAL
             : a < 0.095                         ? A_COLLECTIVE
                                                 : A_INDIVIDUAL;
    int pooled = 0, pool_idx = 0;
    if (p->app == A_INDIVIDUAL && chance(&r, 0.3)) {
        pool_idx = uni(&r, 0, (int)s->pool - 1);
        p->person = mix(s->seed ^ 0x5000000000ULL ^ (uint64_t)pool_idx);
        person_t pp;
        person_make(s, p->person, -1, &pp);
        pooled = !(late && !strcmp(demo_towns[pp.town].district, "ridder") && chance(&r, 0.75));
        p->town = (int8_t)pp.town;
    }
    if (p->app == A_LEGAL) {
        p->person = mix(s->seed ^ 0x6000000000ULL ^ (uint64_t)uni(&r, 0, 299));
        person_t pp;
        char bin[13], org[200];
        org_make(s, p->person, -1, &pp, bin, org, sizeof org);
        p->town = (int8_t)pp.town;
        if (late && !strcmp(demo_towns[pp.town].district, "ridder") && chance(&r, 0.75))
            p->town = (int8_t)town_pick(s, &r, day);
    } else if (!pooled) {
        p->person = mix(p->seed ^ 0x7000000000ULL);
        p->town = (int8_t)town_pick(s, &r, day);
    }
    int ridder = !strcmp(demo_towns[p->town].district, "ridder");
    /* personal receptions in Ridder nearly stop (the seed article) */
    if (p->channel == C_RECEPTION && ridder && late && chance(&r, 0.85))
        p->channel = C_PHONE;

    double k = unit(&r);
    p->kind = k < 0.80   ? K_STATEMENT
              : k < 0.86 ? K_PROPOSAL
              : k < 0.92 ? K_REQUEST
              : k < 0.97 ? K_REPORT
                         : K_RESPONSE;
    if (p->app == A_LEGAL || p->app == A_ANONYMOUS)
        p->kind = K_STATEMENT;
    int cand[64], nc = 0;
    if (p->kind != K_STATEMENT)
        for (size_t i = 0; i < demo_n_kind_texts && nc < 64; i++)
            if (!strcmp(demo_kind_texts[i].kind, appeal_kinds[p->kind]))
                cand[nc++] = (int)i;
    if (nc) { /* a kind with its own texts (every kind but statement has some) */
        p->ktext = (int16_t)cand[uni(&r, 0, nc - 1)];
        p->cat = (int16_t)cat_index(demo_kind_texts[p->ktext].category);
    } else if (p->app == A_ANONYMOUS) {
        p->cat = (int16_t)(chance(&r, 0.4) ? cat_index("crime_report") : cat_pick(&r, month, 0));
    } else if (pooled && chance(&r, 0.75)) {
        /* a frequent applicant keeps coming back with the same one or two problems */
        rng_t pr = rng_of(p->person, 0xfa7);
        int fav[2] = {cat_pick(&pr, 1, 0), cat_pick(&pr, 7, 0)};
        p->cat = (int16_t)fav[uni(&r, 0, 1)];
    } else
        p->cat = (int16_t)cat_pick(&r, month, p->app == A_LEGAL);

    /* a chronic problem (issue 17): the same place and issue, written about for years by a
     * few residents, most of them in Russian (a text in the other language is another
     * problem to the grouping) */
    if (p->kind == K_STATEMENT && (p->app == A_INDIVIDUAL || p->app == A_COLLECTIVE) &&
        chance(&r, DEMO_CHRONIC_SHARE)) {
        double w[16] = {0};
        size_t nch = demo_n_chronic < 16 ? demo_n_chronic : 16;
        for (size_t i = 0; i < nch; i++)
            w[i] = demo_chronic[i].weight;
        int c = (int)pick_w(&r, w, nch);
        for (size_t t = 0; t < demo_n_towns; t++)
            if (!strcmp(demo_towns[t].district, demo_chronic[c].district))
                p->town = (int8_t)t;
        p->chronic = (int8_t)(c + 1);
        p->cat = (int16_t)cat_index(demo_chronic[c].category);
        p->person = mix(s->seed ^ 0xC4000000ULL ^ (uint64_t)(c * 16 + uni(&r, 0, 3)));
    }
    person_t pp;
    person_make(s, p->person, p->town, &pp);
    double kk = p->app == A_LEGAL ? 0.2 : p->app == A_ANONYMOUS ? 0.3 : pp.kz ? 0.55 : 0.03;
    if (p->chronic)
        kk = 0.15;
    p->kk = (int8_t)chance(&r, kk);

    /* who registers, and when: the portal's moment is the server's; a registrar enters a
     * call or a visit at once, a letter within hours, a night e-mail next morning */
    int64_t reg = p->arrived;
    p->registrar = -1;
    if (p->channel != C_PORTAL) {
        p->registrar = (int8_t)s->reg_vko;
        if (p->channel == C_RECEPTION && ridder)
            p->registrar = (int8_t)s->reg_ridder;
        else if (!strcmp(demo_towns[p->town].district, "ukg") && chance(&r, 0.5))
            p->registrar = (int8_t)s->reg_ukg;
        switch (p->channel) {
        case C_PHONE:
        case C_RECEPTION:
            reg += uni(&r, 2, 25) * US_MIN;
            break;
        case C_MAIL:
            reg += uni(&r, 20, 180) * US_MIN;
            break;
        default:
            if (in_office)
                reg += uni(&r, 10, 150) * US_MIN;
            else
                reg = office(s, &r, wd_add(s, minute < 9 * 60 ? day - 1 : day, 1), p->arrived);
        }
        if (reg > s->now)
            reg = s->now;
    }
    p->steps[0].t = reg;
    p->steps[0].op = OP_INTAKE;
    p->n_steps = 1;
    p->cur = 0;
    return heap_push(s, reg, slot);
}

/* ==== The script of an appeal once registered ==== */

static void add_step(plan_t *p, int64_t t, int op)
{
    if (p->n_steps < MAX_STEPS) {
        p->steps[p->n_steps].t = t;
        p->steps[p->n_steps].op = (uint8_t)op;
        p->n_steps++;
    }
}

static int decision_pick(rng_t *r, int complaint)
{
    static const double w[] = {33, 14, 12, 41}, wc[] = {15, 15, 30, 40};
    return (int)pick_w(r, complaint ? wc : w, 4);
}

static const char *forward_target(const struct sim *s, const plan_t *p, rng_t *r)
{
    const demo_category_t *c = &demo_categories[p->cat];
    const char *district = demo_towns[p->town].district; /* its akimat has the same id */
    if (!strcmp(p->body, "vko") && !strcmp(c->code, "other"))
        return chance(r, 0.75) ? district : NULL;
    if (!c->oblast_body || p->kind == K_COMPLAINT || !chance(r, 0.05))
        return NULL;
    (void)s;
    const char *to = !strncmp(p->body, "vko.", 4) ? district : c->oblast_body;
    return strcmp(to, p->body) ? to : NULL;
}

static void script(struct sim *s, plan_t *p, int repeated, int64_t t0)
{
    rng_t r = rng_of(p->seed, 2);
    int complaint = p->kind == K_COMPLAINT;
    int64_t t = t0;
    if (p->status == ST_NOT_CONSIDERED)
        return;

    const char *to = forward_target(s, p, &r);
    if (to) {
        snprintf(p->fwd_to, sizeof p->fwd_to, "%s", to);
        t = office(s, &r, wd_add(s, p->reg, chance(&r, 0.2) ? uni(&r, 4, 7) : uni(&r, 0, 2)), t);
        add_step(p, t, OP_FORWARD);
    }
    t = office(s, &r, wd_add(s, day_of(s, t), uni(&r, 0, 1)), t);
    add_step(p, t, OP_ASSIGN);
    if (chance(&r, 0.06)) {
        t = office(s, &r, wd_add(s, day_of(s, t), uni(&r, 0, 2)), t);
        add_step(p, t, OP_CONTROL);
    }
    t = office(s, &r, wd_add(s, day_of(s, t), uni(&r, 0, 2)), t);
    add_step(p, t, OP_START);

    /* the fate: terminated, never answered, answered late, extended, answered on time */
    double f = unit(&r), term = repeated ? 0.10 : 0.012;
    if (f < term) {
        t = office(s, &r, wd_add(s, day_of(s, t), uni(&r, 1, 4)), t);
        add_step(p, t, OP_TERMINATE);
        return;
    }
    if (f < term + 0.08) { /* overdue, and the applicant may complain */
        if (!complaint && p->app != A_ANONYMOUS && chance(&r, 0.3)) {
            p->overdue_complaint = 1;
            add_step(p,
                     instant_from_local(p->due + uni(&r, 3, 40), uni(&r, 8 * 60, 23 * 60), s->off),
                     OP_COMPLAIN);
        }
        return;
    }
    ot_day_t day, cur = day_of(s, t);
    int room = wd_count(s, p->due, p->ext_due);
    if (f < term + 0.20) {
        day = wd_add(s, p->due > cur ? p->due : cur, uni(&r, 1, 12));
    } else if (f < term + 0.25 && !complaint && room > 0 && cur <= p->due) {
        /* АППК art. 76: the head extends, within the limit from registration */
        ot_day_t e = wd_add(s, p->due, -uni(&r, 0, 2));
        t = office(s, &r, e > cur ? e : cur, t);
        add_step(p, t, OP_EXTEND);
        p->ext_due = wd_add(s, p->due, uni(&r, room > 5 ? 5 : 1, room));
        day = wd_add(s, p->due, uni(&r, 1, wd_count(s, p->due, p->ext_due)));
    } else {
        int k = wd_count(s, cur, p->due);
        day = k > 0 ? wd_add(s, cur, uni(&r, 0, k)) : cur;
    }
    t = office(s, &r, day, t);
    add_step(p, t, OP_ANSWER);
    p->decision = (int8_t)decision_pick(&r, complaint);
    p->decision2 = p->decision;
    p->answers_left = 1;
    if (chance(&r, 0.05)) { /* returned for rework by the oblast control */
        t = office(s, &r, wd_add(s, day_of(s, t), uni(&r, 1, 3)), t);
        add_step(p, t, OP_RETURN);
        t = office(s, &r, wd_add(s, day_of(s, t), uni(&r, 1, 4)), t);
        add_step(p, t, OP_ANSWER);
        p->answers_left = 2;
        if (p->decision == D_REFUSED && chance(&r, 0.5))
            p->decision2 = D_EXPLAINED;
    }
    /* after the answer: closing, the citizen's rating and complaint, in their own order */
    int first_after = p->n_steps;
    if (chance(&r, 0.4))
        add_step(p, office(s, &r, wd_add(s, day_of(s, t), uni(&r, 3, 20)), t), OP_CLOSE);
    if (p->app != A_ANONYMOUS && chance(&r, 0.3))
        add_step(p, t + uni(&r, 1, 14) * US_DAY + uni(&r, 0, 600) * US_MIN, OP_RATE);
    if (!complaint && p->app != A_ANONYMOUS && p->decision2 == D_REFUSED && chance(&r, 0.35))
        add_step(p, t + uni(&r, 2, 20) * US_DAY + uni(&r, 0, 600) * US_MIN, OP_COMPLAIN);
    for (int i = first_after + 1; i < p->n_steps; i++) /* insertion sort of at most 3 */
        for (int k2 = i; k2 > first_after && p->steps[k2].t < p->steps[k2 - 1].t; k2--) {
            step_t tmp = p->steps[k2];
            p->steps[k2] = p->steps[k2 - 1];
            p->steps[k2 - 1] = tmp;
        }
}

/* ==== Doing a step ==== */

static int actors_of(struct sim *s, store_tx_t *tx, const char *body, int *head, int *exec,
                     ot_err_t *err)
{
    for (int i = 0; i < s->n_actors; i++)
        if (!strcmp(s->actors[i].body, body)) {
            *head = s->actors[i].head;
            *exec = s->actors[i].exec;
            return OT_OK;
        }
    int h = -1, e = -1;
    char cur[64];
    snprintf(cur, sizeof cur, "%s", body);
    for (int depth = 0; depth < 16 && cur[0] && (h < 0 || e < 0); depth++) {
        for (int i = 0; i < N_ACCOUNTS; i++) {
            if (strcmp(demo_accounts[i].body, cur))
                continue;
            if (h < 0 && !strcmp(demo_accounts[i].role, "head"))
                h = i;
            if (e < 0 && !strcmp(demo_accounts[i].role, "executor"))
                e = i;
        }
        char parent[64];
        int rc = ref_body_parent_in(tx, cur, parent, sizeof parent, err);
        if (rc)
            return rc;
        snprintf(cur, sizeof cur, "%s", parent);
    }
    if (h < 0)
        return ot_err(err, OT_EINTERNAL, "demo_no_head", NULL, "no demo head covers body %s", body);
    if (e < 0)
        e = h; /* a head may execute (police: no executor account) */
    if (s->n_actors < (int)(sizeof s->actors / sizeof s->actors[0])) {
        actors_t *a = &s->actors[s->n_actors++];
        snprintf(a->body, sizeof a->body, "%s", body);
        a->head = h;
        a->exec = e;
    }
    *head = h;
    *exec = e;
    return OT_OK;
}

static void count_status(struct sim *s, int from, const char *to)
{
    int st = appeal_status_parse(to);
    if (from >= 0)
        s->rep->by_status[from]--;
    if (st >= 0)
        s->rep->by_status[st]++;
}

static void statement_text(const plan_t *p, char *out, size_t n)
{
    rng_t r = rng_of(p->seed, 3);
    int kk = p->kk;
    if (p->ktext >= 0) {
        const demo_kind_text_t *k = &demo_kind_texts[p->ktext];
        snprintf(out, n, "%s", kk ? k->kk : k->ru);
        return;
    }
    if (p->chronic) {
        const demo_chronic_t *ch = &demo_chronic[p->chronic - 1];
        const char *t = kk ? ch->kk[uni(&r, 0, 1)] : ch->ru[uni(&r, 0, 2)];
        snprintf(out, n, "%s%s", p->app == A_COLLECTIVE ? demo_collective_prefix[kk] : "", t);
        return;
    }
    const demo_category_t *c = &demo_categories[p->cat];
    const char *base = pick_s(&r, kk ? c->kk : c->ru);
    const char *closing = demo_closings[uni(&r, 0, (int)demo_n_closings - 1)][kk];
    snprintf(out, n, "%s%s%s%s", p->app == A_COLLECTIVE ? demo_collective_prefix[kk] : "", base,
             *closing ? " " : "", closing);
}

static int do_intake(struct sim *s, store_tx_t *tx, int32_t slot, int64_t t, ot_err_t *err)
{
    plan_t *p = &s->slots[slot];
    rng_t r = rng_of(p->seed, 4);
    person_t pp;
    char text[2048], where[300], bin[13] = "", org[200] = "";
    intake_t in;
    memset(&in, 0, sizeof in);
    in.kind = appeal_kinds[p->kind];
    in.channel = appeal_channels[p->channel];
    in.category = demo_categories[p->cat].code;
    in.district = demo_towns[p->town].district;
    in.language = p->kk ? "kk" : "ru";
    in.applicant_type = applicant_types[p->app];
    if (p->app == A_LEGAL) {
        org_make(s, p->person, p->town, &pp, bin, org, sizeof org);
        in.org_name = org;
        in.bin = bin;
    } else {
        person_make(s, p->person, p->town, &pp);
        if (p->app != A_ANONYMOUS) {
            in.full_name = pp.name;
            in.iin = pp.iin;
        }
    }
    if (p->app != A_ANONYMOUS) {
        in.postal_address = pp.postal;
        in.phone = pp.phone[0] ? pp.phone : NULL;
        in.email = pp.email[0] ? pp.email : NULL;
    }
    if (p->app == A_COLLECTIVE)
        in.signatories = uni(&r, 3, 140);
    if (p->kind == K_COMPLAINT) {
        snprintf(text, sizeof text,
                 (p->overdue_complaint ? demo_complaint_overdue : demo_complaint_answer)[p->kk],
                 p->orig_number);
        in.complaint_of = p->orig_number;
        in.complaint_code = p->orig_code;
    } else
        statement_text(p, text, sizeof text);
    in.text = text;
    if (p->chronic) {
        const demo_chronic_t *ch = &demo_chronic[p->chronic - 1];
        in.address = p->kk ? ch->address_kk : ch->address_ru;
    } else if (chance(&r, 0.75)) {
        address(&r, p->town, p->kk, where, sizeof where);
        in.address = where;
    }
    const demo_town_t *town = &demo_towns[p->town];
    if (p->channel == C_PORTAL && town->has_coords && !p->chronic && chance(&r, 0.6)) {
        in.has_coords = 1;
        in.lat = town->lat + (unit(&r) - 0.5) * 0.04;
        in.lon = town->lon + (unit(&r) - 0.5) * 0.06;
    }
    const auth_user_t *registrar = p->registrar >= 0 ? &s->users[p->registrar] : NULL;
    if (registrar)
        in.received_at = p->arrived;

    receipt_t rc_out;
    int rc = appeal_intake_in(tx, s->svc, registrar, &in, t, &rc_out, err);
    if (rc)
        return rc;
    snprintf(p->number, sizeof p->number, "%s", rc_out.number);
    snprintf(p->code, sizeof p->code, "%s", rc_out.access_code);
    snprintf(p->body, sizeof p->body, "%s", rc_out.routed_to);
    date_parse(rc_out.registered_on, &p->reg);
    date_parse(rc_out.due_on, &p->due);
    p->status = (int8_t)appeal_status_parse(rc_out.status);
    p->ext_due = p->due;
    if (p->kind != K_COMPLAINT) {
        deadline_t d;
        if (!deadline_from_registration(s->j->policy, s->j->cal, in.kind, p->reg, &d, NULL))
            p->ext_due = d.max_extended_due;
    }

    demo_report_t *rep = s->rep;
    rep->appeals++;
    count_status(s, -1, rc_out.status);
    rep->by_kind[p->kind]++;
    rep->by_channel[p->channel]++;
    if (p->kk)
        rep->kk++;
    else
        rep->ru++;
    rep->legal += p->app == A_LEGAL;
    rep->collective += p->app == A_COLLECTIVE;
    rep->anonymous += p->app == A_ANONYMOUS;
    rep->repeated += rc_out.repeat_of[0] != 0;
    rep->complaints += p->kind == K_COMPLAINT;
    if (!strncmp(p->body, "ridder", 6) && (p->body[6] == '\0' || p->body[6] == '.')) {
        long w = (long)(s->today - day_of(s, p->arrived)) / 30;
        if (w >= 0 && w < 10)
            rep->ridder_monthly[9 - w]++;
    }
    script(s, p, rc_out.repeat_of[0] != 0, t);
    return OT_OK;
}

static int do_complaint(struct sim *s, store_tx_t *tx, int32_t orig, int64_t t, ot_err_t *err)
{
    /* planned on the first term: a forward since restarted it, and it has not run out yet */
    const plan_t *first = &s->slots[orig];
    if (appeal_is_open((appeal_status_t)first->status) && day_of(s, t) <= first->due)
        return OT_OK;
    int32_t slot = slot_new(s);
    if (slot < 0)
        return ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
    plan_t *o = &s->slots[orig], *p = &s->slots[slot];
    memset(p, 0, sizeof *p);
    p->seed = mix(o->seed ^ 0xc0c0);
    p->person = o->person;
    p->arrived = t;
    p->cat = o->cat;
    p->ktext = -1;
    p->town = o->town;
    p->kind = K_COMPLAINT;
    p->channel = C_PORTAL;
    p->app = o->app;
    p->kk = o->kk;
    p->registrar = -1;
    p->overdue_complaint = o->overdue_complaint;
    snprintf(p->orig_number, sizeof p->orig_number, "%s", o->number);
    snprintf(p->orig_code, sizeof p->orig_code, "%s", o->code);
    p->steps[0].t = t;
    p->steps[0].op = OP_INTAKE;
    p->n_steps = 1;
    p->cur = 1;
    int rc = do_intake(s, tx, slot, t, err);
    if (rc) {
        slot_free(s, slot);
        return rc;
    }
    p = &s->slots[slot];
    if (p->cur < p->n_steps && p->steps[p->cur].t <= s->now)
        return heap_push(s, p->steps[p->cur].t, slot)
                   ? ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory")
                   : OT_OK;
    slot_free(s, slot);
    return OT_OK;
}

static int rating_for(rng_t *r, int decision)
{
    switch (decision) {
    case D_SATISFIED:
        return chance(r, 0.7) ? 5 : 4;
    case D_PARTLY:
        return uni(r, 3, 4);
    case D_REFUSED:
        return uni(r, 1, 2);
    default:
        return uni(r, 2, 4);
    }
}

/* The citizen's verdict on an answer: a satisfied decision mostly holds, except on a
 * chronic problem, where it mostly does not. */
static const char *verdict_for(rng_t *r, int decision, int chronic)
{
    static const double sat[] = {75, 15, 10}, sat_chronic[] = {30, 20, 50}, partly[] = {20, 60, 20},
                        refused[] = {0, 20, 80}, explained[] = {20, 40, 40};
    static const char *const v[] = {"yes", "partly", "no"};
    const double *w = decision == D_SATISFIED ? (chronic ? sat_chronic : sat)
                      : decision == D_PARTLY  ? partly
                      : decision == D_REFUSED ? refused
                                              : explained;
    return v[pick_w(r, w, 3)];
}

static const char *const op_names[] = {"intake",    "assign",  "start",  "answer",
                                       "forward",   "extend",  "return", "close",
                                       "terminate", "control", "rate",   "complain"};

static int do_step(struct sim *s, store_tx_t *tx, int32_t slot, ot_err_t *err)
{
    plan_t *p = &s->slots[slot];
    step_t st = p->steps[p->cur++];
    if (st.op == OP_INTAKE)
        return do_intake(s, tx, slot, st.t, err);
    if (st.op == OP_COMPLAIN)
        return do_complaint(s, tx, slot, st.t, err);
    rng_t r = rng_of(p->seed, 100 + p->cur);
    if (st.op == OP_RATE) {
        /* two events on the appeal: only the second needs the seal (a seal is the cost of
         * hashing the whole record) */
        if (s->sealing)
            svc_bulk_seal(tx, 0);
        int rc = appeal_rate_in(tx, s->svc, p->number, p->code, rating_for(&r, p->decision2), NULL,
                                st.t, err);
        s->rep->rated += !rc;
        if (s->sealing)
            svc_bulk_seal(tx, 1);
        /* "Was your problem solved?" (issue 17): asked with the rating */
        if (!rc)
            rc = problem_verdict_in(tx, s->svc, p->number, p->code,
                                    verdict_for(&r, p->decision2, p->chronic), NULL, st.t, err);
        return rc;
    }
    int head = 0, exec = 0;
    int rc = actors_of(s, tx, p->body, &head, &exec, err);
    if (rc)
        return rc;
    act_input_t in;
    memset(&in, 0, sizeof in);
    const auth_user_t *u = &s->users[head];
    const char *action = op_names[st.op];
    char due[11];
    const demo_answer_t *ans = NULL;
    switch (st.op) {
    case OP_ASSIGN:
        in.executor = demo_accounts[exec].login;
        p->executor = (int8_t)exec;
        break;
    case OP_START:
        u = &s->users[p->executor];
        break;
    case OP_ANSWER:
        u = &s->users[p->executor];
        ans = &demo_answers[--p->answers_left ? p->decision : p->decision2];
        in.decision = ans->decision;
        in.text = p->kk ? ans->kk : ans->ru;
        in.grounds = p->kk ? ans->grounds_kk : ans->grounds_ru;
        break;
    case OP_FORWARD:
        in.body = p->fwd_to;
        in.reason = p->kk ? "Мәселе біздің құзыретімізге жатпайды, құзыреті бойынша жіберіледі."
                          : "Вопрос не входит в компетенцию, направляется по подведомственности.";
        break;
    case OP_EXTEND:
        /* a forward restarted the term at the competent body (terms.txt "forwarded"): an
         * extension planned before it may no longer be one */
        if (p->ext_due <= p->due)
            return OT_OK;
        date_format(p->ext_due, due);
        in.due_on = due;
        in.reason = p->kk ? "Орнына шығу және басқа органдардан мәліметтер алу қажет."
                          : "Требуется выезд на место и получение сведений от других органов.";
        break;
    case OP_RETURN:
        u = &s->users[s->supervisor];
        in.reason = "Ответ не содержит решения по существу: доработать и дать ответ заявителю.";
        break;
    case OP_CONTROL:
        u = &s->users[s->supervisor];
        break;
    case OP_TERMINATE:
        in.reason = chance(&r, 0.7) ? "repeated_no_new_arguments" : "withdrawn";
        break;
    default:
        break;
    }
    appeal_rec_t out;
    rc = appeal_act_in(tx, s->svc, u, p->number, action, &in, st.t, &out, NULL, err);
    if (rc == OT_ECONFLICT && st.op == OP_TERMINATE && err &&
        !strcmp(err->code, "not_decided_here")) {
        /* "no new arguments" only on a repeat decided here (issue 16 point 4): else the
         * applicant withdraws it (the refusal wrote nothing) */
        in.reason = "withdrawn";
        rc = appeal_act_in(tx, s->svc, u, p->number, action, &in, st.t, &out, NULL, err);
    }
    if (rc)
        return rc;
    count_status(s, p->status, out.status);
    p->status = (int8_t)appeal_status_parse(out.status);
    demo_report_t *rep = s->rep;
    rep->actions++;
    switch (st.op) {
    case OP_FORWARD:
        rep->forwarded++;
        rep->forwarded_late += out.forward_late != 0;
        snprintf(p->body, sizeof p->body, "%s", p->fwd_to);
        date_parse(out.due_on, &p->due);
        break;
    case OP_EXTEND:
        rep->extended++;
        date_parse(out.due_on, &p->due);
        break;
    case OP_ANSWER:
        if (!p->answers_left) {
            rep->answered++;
            rep->answered_late += strcmp(out.answered_on, out.due_on) > 0;
        }
        break;
    case OP_RETURN:
        rep->returned++;
        break;
    case OP_CONTROL:
        rep->controlled++;
        break;
    case OP_TERMINATE:
        rep->terminated++;
        break;
    default:
        break;
    }
    appeal_rec_free(&out);
    return OT_OK;
}

/* ==== Driving the simulation ==== */

static void finish(struct sim *s, int32_t slot)
{
    const plan_t *p = &s->slots[slot];
    if (p->number[0] && appeal_is_open((appeal_status_t)p->status) && p->due < s->today)
        s->rep->overdue_open++;
    slot_free(s, slot);
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* Arrival minutes of one day: office hours mostly, some evenings and nights. */
static int gen_day(struct sim *s)
{
    ot_day_t day = s->first_day + s->day_i;
    long q = s->quota[s->day_i++];
    if (q <= 0)
        return 0;
    int *mins = malloc((size_t)q * sizeof *mins);
    if (!mins)
        return -1;
    rng_t r = rng_of(s->seed, 0xda7e0000ULL + (uint64_t)day);
    int working = cal_is_working(s->j->cal, day) == 1;
    int limit = day == s->today ? instant_local_minute(s->now, s->off) : 1440;
    for (long i = 0; i < q; i++) {
        double x = unit(&r);
        int m;
        if (working && x < 0.75)
            m = uni(&r, 9 * 60, 18 * 60 + 29);
        else if (x < (working ? 0.93 : 0.8))
            m = uni(&r, working ? 18 * 60 + 30 : 9 * 60, 23 * 60 - 1);
        else
            m = uni(&r, 23 * 60, 33 * 60 - 1) % 1440;
        if (m >= limit)
            m = limit > 0 ? uni(&r, 0, limit - 1) : 0;
        mins[i] = m;
    }
    qsort(mins, (size_t)q, sizeof *mins, cmp_int);
    int rc = 0;
    for (long i = 0; i < q && !rc; i++)
        rc = draw_appeal(s, day, mins[i], s->made++);
    free(mins);
    return rc;
}

/* Whether the step p is at is the last to change its appeal before now: no step after it
 * but complaints (a complaint is a new appeal). An intake's plan is made by the intake. */
static int last_write(const struct sim *s, const plan_t *p)
{
    int op = p->steps[p->cur].op;
    if (op == OP_INTAKE || op == OP_COMPLAIN)
        return 0;
    for (int i = p->cur + 1; i < p->n_steps && p->steps[i].t <= s->now; i++)
        if (p->steps[i].op != OP_COMPLAIN)
            return 0;
    return 1;
}

/* One step of the simulation; *done when there is nothing left. */
static int sim_next(struct sim *s, store_tx_t *tx, int *done, ot_err_t *err)
{
    /* a day's arrivals are drawn once every earlier step is done or the day has come */
    while (s->day_i < s->n_days &&
           (!s->n_heap || s->heap[0].t >= instant_from_local(s->first_day + s->day_i, 0, s->off)))
        if (gen_day(s))
            return ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
    if (!s->n_heap) {
        *done = 1;
        return OT_OK;
    }
    hev_t e = heap_pop(s);
    plan_t *p = &s->slots[e.slot];
    int op = p->steps[p->cur].op;
    /* the appeal's last step before now (its plan is known from its intake on): its events
     * carry the appeal's seal, as outside a load, and the end has no `audit.seal` event to
     * write for it (issue 23 point 6). Whatever changes the appeal later (an intake of the
     * same problem re-raising it) writes an event without a seal, and the end seals it
     * again: a wrong guess here costs a seal, never a wrong one. */
    s->sealing = last_write(s, p);
    if (s->sealing)
        svc_bulk_seal(tx, 1);
    int rc = do_step(s, tx, e.slot, err);
    if (s->sealing)
        svc_bulk_seal(tx, 0);
    s->sealing = 0;
    if (rc) {
        if (err) {
            char msg[sizeof err->message];
            snprintf(msg, sizeof msg, "%s", err->message);
            p = &s->slots[e.slot];
            snprintf(err->message, sizeof err->message, "demo: %s of %s: %.180s", op_names[op],
                     p->number[0] ? p->number : "a new appeal", msg);
        }
        return rc;
    }
    p = &s->slots[e.slot];
    if (p->cur < p->n_steps && p->steps[p->cur].t <= s->now) {
        if (heap_push(s, p->steps[p->cur].t, e.slot))
            return ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
    } else
        finish(s, e.slot);
    return OT_OK;
}

static void progress(struct sim *s, int end)
{
    if (s->progress_fd < 0)
        return;
    int pct = s->n ? (int)(s->made * 100 / s->n) : 100;
    if (pct == s->last_pct && !end)
        return;
    s->last_pct = pct;
    char bar[41], line[160];
    for (int i = 0; i < 40; i++)
        bar[i] = i < pct * 40 / 100 ? '#' : '.';
    bar[40] = '\0';
    int n = snprintf(line, sizeof line, "\rdemo appeals [%s] %3d%% %ld/%ld%s", bar, pct, s->made,
                     s->n, end ? "\n" : "");
    if (n > 0 && write(s->progress_fd, line, (size_t)n) < 0)
        s->progress_fd = -1;
}

/* The simulation runs in bulk mode (svc_write_bulk): the indexes and aggregates that
 * nothing reads during it are made once at the end, and it commits every `chunk` steps
 * with a WAL checkpoint between: in one transaction the WAL grew as large as the database
 * and every page lookup in it with it (1M appeals: 8 min here, the WAL 3 GB).
 * The chunk grows with n (n / 2 steps, about a tenth of the load, 5.2 steps an appeal),
 * between DEMO_CHUNK and DEMO_CHUNK_MAX: an appeal's steps are spread over weeks, so a chunk
 * of a few simulated days rewrote the pages of every appeal still in play (most of them
 * changed by a single step) once per chunk, and the commits and checkpoints grew with the
 * number of appeals in play: 50,000 steps wrote a WAL of 96 MB at the start of a 1M load and
 * 209 MB by its 30th chunk, 4.5 s of CPU a chunk. With 500,000-step chunks the 1M load's
 * first 1.5M steps took 75 s of CPU, not 111 (issue 23 point 6; the WAL of a chunk is about
 * 0.8 GB at 1M, bounded by DEMO_CHUNK_MAX steps). */
#define DEMO_CHUNK     50000
#define DEMO_CHUNK_MAX 500000

static int simulate_step(store_tx_t *tx, void *arg, int *done, ot_err_t *err)
{
    struct sim *s = arg;
    int rc = sim_next(s, tx, done, err);
    if (!rc)
        progress(s, 0);
    return rc;
}

/* Appeals per day: fewer on days off, more in the cold season, slowly growing (the seed
 * article: appeals are on the rise). Rounded so that the days add up to n exactly. */
static int plan_days(struct sim *s)
{
    s->n_days = (int)(s->today - s->first_day) + 1;
    double *w = malloc((size_t)s->n_days * sizeof *w);
    s->quota = malloc((size_t)s->n_days * sizeof *s->quota);
    if (!w || !s->quota) {
        free(w);
        return -1;
    }
    static const double month_f[13] = {0,   1.15, 1.1,  1.05, 1.0, 0.95, 0.85,
                                       0.8, 0.85, 0.95, 1.1,  1.2, 1.1};
    double sum = 0;
    for (int i = 0; i < s->n_days; i++) {
        ot_day_t d = s->first_day + i;
        int month, wd = date_weekday(d);
        date_to_ymd(d, NULL, &month, NULL);
        double base = cal_is_working(s->j->cal, d) == 1 ? 1.0 : wd == 6 ? 0.3 : 0.18;
        w[i] = base * month_f[month] * (0.92 + 0.16 * i / s->n_days);
        if (d == s->today)
            w[i] *= instant_local_minute(s->now, s->off) / 1440.0;
        sum += w[i];
    }
    double cum = 0;
    long given = 0;
    for (int i = 0; i < s->n_days; i++) {
        cum += w[i];
        long upto = i == s->n_days - 1 ? s->n : (long)(s->n * cum / sum + 0.5);
        s->quota[i] = upto - given;
        given = upto;
    }
    free(w);
    return 0;
}

int demo_generate(const svc_t *svc, long n, int64_t now, int progress_fd, demo_report_t *rep,
                  ot_err_t *err)
{
    struct sim *s = calloc(1, sizeof *s);
    if (!s)
        return ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
    memset(rep, 0, sizeof *rep);
    int rc = OT_OK;
    s->svc = svc;
    s->j = svc_juris(svc, NULL);
    if (!s->j) {
        rc = ot_err(err, OT_EINTERNAL, "no_jurisdiction", NULL, "no jurisdiction loaded");
        goto out;
    }
    s->off = cal_utc_offset_min(s->j->cal);
    s->now = now;
    s->n = n;
    s->rep = rep;
    s->progress_fd = progress_fd;
    s->last_pct = -1;
    s->seed = mix(0x07113154ULL ^ (uint64_t)n);
    s->pool = n / 12 < 50 ? 50 : n / 12 > 4000 ? 4000 : n / 12;
    s->today = instant_local_day(now, s->off);
    if (date_add_months(s->today, -10, &s->first_day) ||
        cal_check_range(s->j->cal, s->first_day, err) ||
        cal_check_range(s->j->cal, s->today, err)) {
        rc = err && err->status ? err->status
                                : ot_err(err, OT_EINVAL, "bad_now", NULL, "now is out of range");
        goto out;
    }
    s->drop_from = s->today - 61;
    s->supervisor = account("supervisor");
    s->reg_vko = account("registrar");
    s->reg_ukg = account("registrar.ukg");
    s->reg_ridder = account("registrar.ridder");

    if ((rc = make_accounts(svc->store, now, s->users, rep, err)))
        goto out;
    if (n <= 0)
        goto out;
    if (plan_days(s)) {
        rc = ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
        goto out;
    }
    long chunk = n / 2 < DEMO_CHUNK ? DEMO_CHUNK : n / 2 > DEMO_CHUNK_MAX ? DEMO_CHUNK_MAX : n / 2;
    if ((rc = svc_write_bulk(svc, simulate_step, s, chunk, err)))
        goto out;
    progress(s, 1);
out:
    free(s->quota);
    free(s->slots);
    free(s->free_slots);
    free(s->heap);
    free(s);
    return rc;
}
