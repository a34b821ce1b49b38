#include "http/cache.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "util/str.h"

#define SLOTS 32

struct slot {
    char key[64];
    char *text;
    size_t len;
    int64_t expires, stored;
};

static struct slot slots[SLOTS];
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

char *reply_cache_get(const char *key, int64_t now, size_t *len)
{
    char *copy = NULL;
    pthread_mutex_lock(&mu);
    for (int i = 0; i < SLOTS; i++) {
        struct slot *s = &slots[i];
        if (s->text && now < s->expires && !strcmp(s->key, key)) {
            copy = str_dup_n(s->text, s->len);
            if (copy)
                *len = s->len;
            break;
        }
    }
    pthread_mutex_unlock(&mu);
    return copy;
}

void reply_cache_put(const char *key, const char *text, size_t len, int64_t now, int64_t ttl_us)
{
    if (strlen(key) >= sizeof slots[0].key)
        return;
    char *copy = str_dup_n(text, len);
    if (!copy)
        return;
    pthread_mutex_lock(&mu);
    struct slot *victim = &slots[0];
    for (int i = 0; i < SLOTS; i++) {
        if (!strcmp(slots[i].key, key)) {
            victim = &slots[i];
            break;
        }
        if (slots[i].stored < victim->stored)
            victim = &slots[i];
    }
    free(victim->text);
    strcpy(victim->key, key);
    victim->text = copy;
    victim->len = len;
    victim->stored = now;
    victim->expires = ttl_us > INT64_MAX - now ? INT64_MAX : now + ttl_us;
    pthread_mutex_unlock(&mu);
}
