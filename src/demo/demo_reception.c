/* Demo receptions (demo/demo_reception.h): a weekly reception per official below, every
 * reception day of the last twelve months booked and recorded, the next two weeks booked.
 * Ridder's reception days in the last 61 days get few citizens (the drop the alerts must
 * show); the other bodies stay steady. */
#include "demo/demo_reception.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "domain/date.h"
#include "domain/reception.h"
#include "service/audit.h"
#include "service/auth.h"
#include "service/reception.h"

/* One weekly reception: the official (a demo account), weekday, hours, slot, place. */
static const struct {
    const char *login;
    int weekday, start_min, end_min, slot_min;
    const char *place, *video_url;
    int per_day; /* citizens on an ordinary reception day, at most */
} plan[] = {
    {"head.ridder", 3, 600, 780, 15, "г. Риддер, ул. Семёнова, 5, каб. 201", NULL, 9},
    {"head.ridder.housing", 2, 900, 1020, 20, "г. Риддер, ул. Семёнова, 5, каб. 108", NULL, 5},
    {"head.ukg", 2, 900, 1080, 15, "г. Усть-Каменогорск, ул. Казахстан, 52, каб. 310", NULL, 9},
    {"head.ukg.housing", 4, 600, 720, 20, "г. Усть-Каменогорск, ул. Казахстан, 52, каб. 115", NULL,
     5},
    {"head", 4, 840, 1020, 20, "г. Усть-Каменогорск, ул. Горького, 40, каб. 401",
     "https://meet.example.kz/vko-head", 7},
    {"head.education", 1, 900, 1020, 30, NULL, "https://meet.example.kz/vko-education", 4},
};

static const char *const names[] = {
    "Абенов Нұрлан", "Смирнова Галина", "Қайратова Әсем", "Петров Виктор",  "Ержанова Гүлнар",
    "Кузнецов Олег", "Мұратұлы Дәурен", "Попова Людмила", "Сейітова Ләйлә", "Волков Денис",
};

static const char *const topics[] = {
    "Отопление в многоквартирном доме",
    "Ремонт дороги во дворе",
    "Очередь на жильё",
    "Место в детском саду",
    "Вывоз мусора",
    "Уличное освещение",
    "Подключение к водопроводу",
    "Социальная помощь",
};

static const char *const outcomes[] = {
    "Разъяснён порядок, выдана памятка",
    "Поручено отделу ЖКХ проверить и ответить в срок",
    "Принято письменное обращение",
    "Вопрос решён на месте",
};

/* splitmix64: the same numbers for the same now */
static uint64_t next(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static int pick(uint64_t *s, int n)
{
    return (int)(next(s) % (uint64_t)n);
}

struct ctx {
    const svc_t *svc;
    int64_t now;
    int existing;
};

static int event(store_tx_t *tx, int64_t at, const char *actor, const char *action, int64_t id,
                 json_t *data, ot_err_t *err)
{
    char oid[24];
    snprintf(oid, sizeof oid, "%lld", (long long)id);
    int rc = audit_append(tx, at, actor, action, "reception", oid, data, err);
    json_decref(data);
    return rc;
}

/* The bookings of one reception day: past days recorded (held or not attended), future
 * days booked. */
static int book_day(store_tx_t *tx, const rec_schedule_rec_t *r, const rec_schedule_t *s,
                    ot_day_t day, int count, int past, int off, int64_t now, uint64_t *seed,
                    ot_err_t *err)
{
    int starts[REC_SLOTS_MAX];
    int nslots = rec_slots(s, starts);
    char actor[32];
    snprintf(actor, sizeof actor, "user:%lld", (long long)r->official);
    for (int i = 0; i < count && i < nslots; i++) {
        rec_booking_rec_t b;
        memset(&b, 0, sizeof b);
        b.schedule_id = r->id;
        date_format(day, b.day);
        b.start_min = starts[i];
        snprintf(b.citizen_name, sizeof b.citizen_name, "%s", names[pick(seed, 10)]);
        snprintf(b.citizen_phone, sizeof b.citizen_phone, "+7 705 %03d %04d", pick(seed, 1000),
                 pick(seed, 10000));
        snprintf(b.topic, sizeof b.topic, "%s", topics[pick(seed, 8)]);
        /* no code was ever shown: nothing hashes to this, so demo bookings cannot be
         * cancelled by anyone */
        memset(b.code_hash, '0', 64);
        /* booked one to three weeks before the day */
        b.created_at = instant_from_local(day - 7 - pick(seed, 14), 600 + pick(seed, 420), off);
        if (b.created_at > now)
            b.created_at = now;
        int rc = rec_booking_import_in(tx, &b, err);
        if (!rc)
            rc = event(tx, b.created_at, "citizen", "reception.book", b.id,
                       json_pack("{s:I, s:s, s:i}", "schedule_id", (json_int_t)r->id, "day", b.day,
                                 "start_min", b.start_min),
                       err);
        if (rc)
            return rc;
        if (!past)
            continue;
        b.attended = pick(seed, 100) < 85;
        snprintf(b.status, sizeof b.status, "%s", b.attended ? "held" : "no_show");
        b.held_at = instant_from_local(day, b.start_min + s->slot_min, off);
        if (b.attended)
            snprintf(b.outcome, sizeof b.outcome, "%s", outcomes[pick(seed, 4)]);
        if ((rc = rec_booking_import_update_in(tx, &b, err)) ||
            (rc = event(tx, b.held_at, actor, "reception.record", b.id,
                        json_pack("{s:s, s:b}", "status", b.status, "attended", b.attended), err)))
            return rc;
    }
    return OT_OK;
}

static int demo_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct ctx *c = arg;
    const juris_t *j = svc_juris(c->svc, NULL);
    if (!j)
        return ot_err(err, OT_EINTERNAL, "no_jurisdiction", NULL, "no jurisdiction loaded");
    int rc = rec_schedule_count_in(tx, &c->existing, err);
    if (rc || c->existing)
        return rc; /* made by an earlier `init --demo`: keep them */
    int off = cal_utc_offset_min(j->cal);
    ot_day_t today = instant_local_day(c->now, off), from = today - 365;
    ot_day_t drop_from = today - 61; /* Ridder: the last two months */
    uint64_t seed = 0x5EC3B710ULL ^ (uint64_t)today;
    for (size_t p = 0; p < sizeof plan / sizeof plan[0]; p++) {
        auth_user_t u;
        if ((rc = auth_user_get_in(tx, plan[p].login, &u, err)))
            return rc == OT_ENOTFOUND ? ot_err(err, OT_EINVAL, "no_demo_accounts", NULL,
                                               "demo account %s is missing", plan[p].login)
                                      : rc;
        rec_schedule_rec_t r;
        memset(&r, 0, sizeof r);
        r.official = u.id;
        snprintf(r.body, sizeof r.body, "%s", u.body);
        r.weekday = plan[p].weekday;
        r.start_min = plan[p].start_min;
        r.end_min = plan[p].end_min;
        r.slot_min = plan[p].slot_min;
        snprintf(r.place, sizeof r.place, "%s", plan[p].place ? plan[p].place : "");
        snprintf(r.video_url, sizeof r.video_url, "%s", plan[p].video_url ? plan[p].video_url : "");
        date_format(from, r.valid_from);
        r.created_at = instant_from_local(from - 7, 600, off);
        rec_schedule_t s = {r.weekday, r.start_min, r.end_min, r.slot_min, from, OT_DAY_NONE};
        if ((rc = rec_schedule_check(&s, err)) || (rc = rec_schedule_import_in(tx, &r, err)) ||
            (rc = event(tx, r.created_at, "user:0", "reception.schedule", r.id,
                        json_pack("{s:I, s:s, s:i, s:i, s:i, s:i, s:s}", "official",
                                  (json_int_t)u.id, "body", r.body, "weekday", r.weekday,
                                  "start_min", r.start_min, "end_min", r.end_min, "slot_min",
                                  r.slot_min, "valid_from", r.valid_from),
                        err)))
            return rc;
        int ridder = !strncmp(r.body, "ridder", 6);
        for (ot_day_t d = from; d <= today + 14; d++) {
            if (!rec_runs_on(&s, d) || cal_is_working(j->cal, d) != 1)
                continue;
            int past = instant_from_local(d, r.end_min, off) <= c->now;
            int per = plan[p].per_day;
            int n = !past                      ? 1 + pick(&seed, 2)
                    : ridder && d >= drop_from ? pick(&seed, 2)
                                               : per / 2 + pick(&seed, per - per / 2 + 1);
            if ((rc = book_day(tx, &r, &s, d, n, past, off, c->now, &seed, err)))
                return rc;
        }
    }
    return OT_OK;
}

int demo_receptions(const svc_t *svc, int64_t now, ot_err_t *err)
{
    struct ctx c = {svc, now, 0};
    return svc_write(svc, demo_tx, &c, err);
}
