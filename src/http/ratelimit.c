#include "http/ratelimit.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "util/str.h"

#define SLOTS 8192 /* power of two */
#define PROBE 8

struct slot {
    uint64_t key;
    int64_t window_start; /* microseconds */
    int count;
};

struct rl {
    pthread_mutex_t mu;
    struct slot slots[SLOTS];
};

rl_t *rl_new(void)
{
    rl_t *rl = calloc(1, sizeof *rl);
    if (rl)
        pthread_mutex_init(&rl->mu, NULL);
    return rl;
}

void rl_free(rl_t *rl)
{
    if (!rl)
        return;
    pthread_mutex_destroy(&rl->mu);
    free(rl);
}

static uint64_t fnv(const char *a, const char *b)
{
    uint64_t h = str_fnv1a(STR_FNV1A_INIT, a, strlen(a));
    h = str_fnv1a(h, ":", 1);
    h = str_fnv1a(h, b, strlen(b));
    return h ? h : 1;
}

/* Finds or makes the slot of key; the caller holds the lock. */
static struct slot *find(rl_t *rl, uint64_t key, const rl_rule_t *rule, int64_t now)
{
    int64_t win = (int64_t)rule->window_s * 1000000;
    struct slot *victim = NULL;
    for (int i = 0; i < PROBE; i++) {
        struct slot *s = &rl->slots[(key + (uint64_t)i) & (SLOTS - 1)];
        if (s->key == key) {
            if (now - s->window_start >= win) {
                s->window_start = now;
                s->count = 0;
            }
            return s;
        }
        /* prefer an empty slot, else the one whose window started first */
        if (!victim ||
            (victim->key != 0 && (s->key == 0 || s->window_start < victim->window_start)))
            victim = s;
    }
    victim->key = key;
    victim->window_start = now;
    victim->count = 0;
    return victim;
}

static int retry_after(const struct slot *s, const rl_rule_t *rule, int64_t now)
{
    int64_t left = s->window_start + (int64_t)rule->window_s * 1000000 - now;
    int secs = (int)((left + 999999) / 1000000);
    return secs < 1 ? 1 : secs;
}

int rl_hit(rl_t *rl, const char *kind, const char *key, const rl_rule_t *rule, int64_t now_us)
{
    if (!rule->limit)
        return 0;
    pthread_mutex_lock(&rl->mu);
    struct slot *s = find(rl, fnv(kind, key), rule, now_us);
    int ra = 0;
    if (s->count >= rule->limit)
        ra = retry_after(s, rule, now_us);
    else
        s->count++;
    pthread_mutex_unlock(&rl->mu);
    return ra;
}

void rl_undo(rl_t *rl, const char *kind, const char *key, const rl_rule_t *rule, int64_t now_us)
{
    if (!rule->limit)
        return;
    uint64_t k = fnv(kind, key);
    int64_t win = (int64_t)rule->window_s * 1000000;
    pthread_mutex_lock(&rl->mu);
    for (int i = 0; i < PROBE; i++) {
        struct slot *s = &rl->slots[(k + (uint64_t)i) & (SLOTS - 1)];
        if (s->key == k) {
            if (now_us - s->window_start < win && s->count > 0)
                s->count--;
            break;
        }
    }
    pthread_mutex_unlock(&rl->mu);
}
