/* Violations: the discipline workflow and the accountability rules. See violation.h. */
#include "domain/violation.h"

#include <stdlib.h>
#include <string.h>

const viol_policy_t viol_default_policy = {10, 0, 2, {3, 1, 0, 0}, 0};

static const char *const status_names[VS_COUNT] = {"open", "proceedings", "penalty", "dismissed"};
static const char *const action_names[VA_COUNT] = {"proceedings", "penalty", "dismiss"};

const char *const viol_penalties[] = {
    "remark",    "reprimand", "severe_reprimand", "incomplete_compliance", "demotion",
    "dismissal", NULL};

/* [from][action] -> to, -1 not allowed */
static const signed char next[VS_COUNT][VA_COUNT] = {
    [VS_OPEN] = {VS_PROCEEDINGS, -1, VS_DISMISSED},
    [VS_PROCEEDINGS] = {-1, VS_PENALTY, VS_DISMISSED},
    [VS_PENALTY] = {-1, -1, -1},
    [VS_DISMISSED] = {-1, -1, -1},
};

static int find(const char *const *names, int n, const char *s)
{
    for (int i = 0; s && i < n; i++)
        if (names[i] && strcmp(names[i], s) == 0)
            return i;
    return -1;
}

const char *viol_status_name(viol_status_t s)
{
    return (unsigned)s < VS_COUNT ? status_names[s] : "?";
}

int viol_status_parse(const char *s)
{
    return find(status_names, VS_COUNT, s);
}

const char *viol_action_name(viol_action_t a)
{
    return (unsigned)a < VA_COUNT ? action_names[a] : "?";
}

int viol_action_parse(const char *s)
{
    return find(action_names, VA_COUNT, s);
}

int viol_next(viol_status_t from, viol_action_t action)
{
    if ((unsigned)from >= VS_COUNT || (unsigned)action >= VA_COUNT)
        return -1;
    return next[from][action];
}

int viol_penalty_valid(const char *s)
{
    for (int i = 0; s && viol_penalties[i]; i++)
        if (strcmp(viol_penalties[i], s) == 0)
            return 1;
    return 0;
}

int viol_is_repeat(ot_day_t prior_term, ot_day_t term, int window_months)
{
    ot_day_t from;
    if (prior_term == OT_DAY_NONE || term == OT_DAY_NONE || prior_term >= term)
        return 0;
    if (date_add_months(term, -window_months, &from))
        return 0;
    return prior_term >= from;
}

int viol_reminder_due(const viol_policy_t *p, int left)
{
    for (int i = p->n_reminders - 1; i >= 0; i--) {
        int lo = i + 1 < p->n_reminders ? p->reminders[i + 1] : 0;
        if (left > lo && left <= p->reminders[i])
            return p->reminders[i];
    }
    return 0;
}

static int cmp_desc(const void *a, const void *b)
{
    return *(const int *)b - *(const int *)a;
}

int viol_parse_reminders(const char *s, viol_policy_t *p)
{
    int v[VIOL_MAX_REMINDERS] = {0}, n = 0;
    const char *c = s;
    while (c && *c) {
        char *end;
        long d = strtol(c, &end, 10);
        if (end == c || d < 1 || d > 30 || n == VIOL_MAX_REMINDERS)
            return -1;
        v[n++] = (int)d;
        c = end;
        if (*c == ',')
            c++;
        else if (*c)
            return -1;
    }
    qsort(v, (size_t)n, sizeof v[0], cmp_desc);
    for (int i = 1; i < n; i++)
        if (v[i] == v[i - 1])
            return -1;
    p->n_reminders = n;
    for (int i = 0; i < VIOL_MAX_REMINDERS; i++)
        p->reminders[i] = i < n ? v[i] : 0;
    return 0;
}
