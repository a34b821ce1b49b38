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
 * window ends (for Retry-After). Checking and counting are one step under the lock, so a
 * burst of parallel callers gets at most rule->limit zeros per window. */
int rl_hit(rl_t *rl, const char *kind, const char *key, const rl_rule_t *rule, int64_t now_us);

/* Gives back one event rl_hit counted for key (an attempt that turned out not to count, such
 * as a successful login): a reservation made before the work, released after it. Does nothing
 * when the window has moved on or the entry was evicted. */
void rl_undo(rl_t *rl, const char *kind, const char *key, const rl_rule_t *rule, int64_t now_us);

#endif
