/* Fixed-window rate limits kept in memory, per server process: a bounded table keyed by a
 * hash of "kind:key" (an account, a client address). Bounded memory: a full table evicts the
 * entries whose window has passed, else the oldest in its probe range. */
#ifndef OT_HTTP_RATELIMIT_H
#define OT_HTTP_RATELIMIT_H

#include <stdint.h>

typedef struct rl rl_t;

typedef struct rl_rule {
    int limit;    /* events allowed per window; 0 = no limit */
    int window_s; /* window length, seconds */
} rl_rule_t;

rl_t *rl_new(void);
void rl_free(rl_t *rl);

/* Counts one event for key; returns 0 when under the limit, else the seconds until the
 * window ends (for Retry-After). */
int rl_hit(rl_t *rl, const char *kind, const char *key, const rl_rule_t *rule, int64_t now_us);

/* Returns the Retry-After seconds if key is already at its limit, else 0; counts nothing. */
int rl_check(rl_t *rl, const char *kind, const char *key, const rl_rule_t *rule, int64_t now_us);

#endif
