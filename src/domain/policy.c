#include "domain/policy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/date.h"
#include "domain/lineparse.h"

#define MAX_KINDS 16

struct policy {
    char *text; /* private copy; statuses and sources point into it */
    char jurisdiction[16];
    policy_kind_t defaults; /* the "*" lines */
    policy_kind_t kinds[MAX_KINDS];
    size_t n_kinds;
};

static int syntax(ot_err_t *err, int line, const char *what, const char *tok)
{
    return lp_syntax(err, "policy_syntax", line, what, tok);
}

/* "15 working" | "30 calendar" | "2 months" */
static int parse_term(char **p, policy_value_t *v)
{
    char *num = lp_word(p), *unit = lp_word(p);
    if (!num || !unit)
        return OT_EINVAL;
    char *end;
    long n = strtol(num, &end, 10);
    if (*end || end == num || n < 0 || n > 3660)
        return OT_EINVAL;
    if (!strcmp(unit, "working"))
        v->unit = POLICY_WORKING_DAYS;
    else if (!strcmp(unit, "calendar"))
        v->unit = POLICY_CALENDAR_DAYS;
    else if (!strcmp(unit, "months"))
        v->unit = POLICY_MONTHS;
    else
        return OT_EINVAL;
    v->value = (int)n;
    return OT_OK;
}

static policy_kind_t *find(policy_t *p, const char *id)
{
    for (size_t i = 0; i < p->n_kinds; i++)
        if (!strcmp(p->kinds[i].id, id))
            return &p->kinds[i];
    return NULL;
}

static int parse_value(const char *key, char *p, policy_value_t *v, int ln, ot_err_t *err)
{
    memset(v, 0, sizeof *v);
    if (!strcmp(key, "term") || !strcmp(key, "forward") || !strcmp(key, "extension_notice") ||
        !strcmp(key, "repeat_window") || !strcmp(key, "complaint_within")) {
        if (parse_term(&p, v))
            return syntax(err, ln, "expected 'N working|calendar|months' for", key);
    } else if (!strcmp(key, "registration")) {
        char *m = lp_word(&p);
        if (m && !strcmp(m, "cutoff")) {
            v->mode = POLICY_REG_CUTOFF;
        } else if (m && !strcmp(m, "within")) {
            v->mode = POLICY_REG_WITHIN;
            if (parse_term(&p, v))
                return syntax(err, ln, "expected 'registration within N UNIT'", NULL);
        } else {
            return syntax(err, ln, "registration must be 'cutoff' or 'within N UNIT', not", m);
        }
    } else if (!strcmp(key, "start")) {
        char *m = lp_word(&p);
        if (m && !strcmp(m, "registration"))
            v->mode = POLICY_START_REGISTRATION;
        else if (m && !strcmp(m, "receipt"))
            v->mode = POLICY_START_RECEIPT;
        else
            return syntax(err, ln, "start must be 'registration' or 'receipt', not", m);
    } else if (!strcmp(key, "forwarded")) {
        char *m = lp_word(&p);
        if (m && !strcmp(m, "restart"))
            v->mode = POLICY_FWD_RESTART;
        else if (m && !strcmp(m, "keep"))
            v->mode = POLICY_FWD_KEEP;
        else
            return syntax(err, ln, "forwarded must be 'restart' or 'keep', not", m);
    } else if (!strcmp(key, "extension")) {
        char *m = lp_word(&p);
        if (m && !strcmp(m, "none"))
            v->mode = POLICY_EXT_NONE;
        else if (m && (!strcmp(m, "total") || !strcmp(m, "add"))) {
            v->mode = !strcmp(m, "total") ? POLICY_EXT_TOTAL : POLICY_EXT_ADD;
            if (parse_term(&p, v))
                return syntax(err, ln, "expected 'extension total|add N UNIT'", NULL);
        } else {
            return syntax(err, ln, "extension must be 'none', 'total N UNIT' or 'add N UNIT'", m);
        }
    } else if (!strcmp(key, "prefix")) {
        char *t = lp_word(&p);
        if (!t || strlen(t) >= sizeof v->text)
            return syntax(err, ln, "expected 'prefix LETTERS'", NULL);
        snprintf(v->text, sizeof v->text, "%s", t);
    } else if (!strcmp(key, "workday_end")) {
        char *t = lp_word(&p);
        if (!t || date_parse_hhmm(t, &v->value))
            return syntax(err, ln, "expected 'workday_end HH:MM', got", t);
    } else {
        return syntax(err, ln, "unknown key", key);
    }
    if (*lp_trim(p))
        return syntax(err, ln, "unexpected text", lp_trim(p));
    v->set = 1;
    return OT_OK;
}

static policy_value_t *slot(policy_kind_t *k, const char *key)
{
    if (!strcmp(key, "term"))
        return &k->term;
    if (!strcmp(key, "start"))
        return &k->start;
    if (!strcmp(key, "registration"))
        return &k->registration;
    if (!strcmp(key, "forward"))
        return &k->forward;
    if (!strcmp(key, "forwarded"))
        return &k->forwarded;
    if (!strcmp(key, "repeat_window"))
        return &k->repeat_window;
    if (!strcmp(key, "complaint_within"))
        return &k->complaint_within;
    if (!strcmp(key, "extension"))
        return &k->extension;
    if (!strcmp(key, "extension_notice"))
        return &k->extension_notice;
    if (!strcmp(key, "prefix"))
        return &k->prefix;
    if (!strcmp(key, "workday_end"))
        return &k->workday_end;
    return NULL;
}

static int parse_line(policy_t *pol, char *line, int ln, ot_err_t *err)
{
    char *bar1 = strchr(line, '|');
    char *bar2 = bar1 ? strchr(bar1 + 1, '|') : NULL;
    if (!bar1 || !bar2)
        return syntax(err, ln, "expected 'rule | status | source'", NULL);
    *bar1 = *bar2 = '\0';
    char *status = lp_trim(bar1 + 1), *source = lp_trim(bar2 + 1);
    if (strcmp(status, "confirmed") && strcmp(status, "secondary") && strcmp(status, "unconfirmed"))
        return syntax(err, ln, "status must be confirmed, secondary or unconfirmed, not", status);
    if (!*source)
        return syntax(err, ln, "missing source", NULL);
    char *p = line;
    char *first = lp_word(&p);
    if (!first)
        return syntax(err, ln, "missing rule", NULL);
    if (!strcmp(first, "jurisdiction")) {
        char *code = lp_word(&p);
        if (!code || strlen(code) >= sizeof pol->jurisdiction || *lp_trim(p))
            return syntax(err, ln, "expected 'jurisdiction CODE'", NULL);
        snprintf(pol->jurisdiction, sizeof pol->jurisdiction, "%s", code);
        return OT_OK;
    }
    if (!strcmp(first, "kinds")) {
        char *id;
        if (pol->n_kinds)
            return syntax(err, ln, "a second 'kinds' line", NULL);
        while ((id = lp_word(&p))) {
            if (pol->n_kinds == MAX_KINDS || strlen(id) >= sizeof pol->kinds[0].id ||
                !strcmp(id, "*") || find(pol, id))
                return syntax(err, ln, "bad or repeated kind", id);
            snprintf(pol->kinds[pol->n_kinds++].id, sizeof pol->kinds[0].id, "%s", id);
        }
        if (!pol->n_kinds)
            return syntax(err, ln, "empty kinds list", NULL);
        return OT_OK;
    }
    policy_kind_t *k = !strcmp(first, "*") ? &pol->defaults : find(pol, first);
    if (!k)
        return syntax(err, ln, "kind not in the 'kinds' line", first);
    char *key = lp_word(&p);
    policy_value_t *v = key ? slot(k, key) : NULL;
    if (!v)
        return syntax(err, ln, "unknown key", key);
    if (v->set)
        return syntax(err, ln, "value set twice", key);
    int rc = parse_value(key, p, v, ln, err);
    v->status = status;
    v->source = source;
    return rc;
}

/* A kind's value falls back to the "*" default. */
static void inherit(policy_value_t *v, const policy_value_t *def)
{
    if (!v->set)
        *v = *def;
}

int policy_parse(const char *text, size_t len, policy_t **out, ot_err_t *err)
{
    int rc = OT_OK, ln = 0;
    policy_t *pol = calloc(1, sizeof *pol);
    if (!pol || !(pol->text = malloc(len + 1))) {
        rc = ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
        goto fail;
    }
    memcpy(pol->text, text, len);
    pol->text[len] = '\0';
    if (strlen(pol->text) != len) {
        rc = ot_err(err, OT_EINVAL, "policy_syntax", NULL, "NUL byte in terms text");
        goto fail;
    }
    for (char *line = pol->text; line;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        ln++;
        char *t = lp_trim(line);
        if (*t && *t != '#' && (rc = parse_line(pol, t, ln, err)) != OT_OK)
            goto fail;
        line = nl && nl[1] ? nl + 1 : NULL; /* a final newline ends the last line */
    }
    if (!pol->n_kinds) {
        rc = ot_err(err, OT_EINVAL, "policy_syntax", NULL, "line %d: no 'kinds' line", ln);
        goto fail;
    }
    for (size_t i = 0; i < pol->n_kinds; i++) {
        policy_kind_t *k = &pol->kinds[i];
        const policy_kind_t *d = &pol->defaults;
        inherit(&k->term, &d->term);
        inherit(&k->start, &d->start);
        inherit(&k->registration, &d->registration);
        inherit(&k->forward, &d->forward);
        inherit(&k->forwarded, &d->forwarded);
        inherit(&k->repeat_window, &d->repeat_window);
        inherit(&k->complaint_within, &d->complaint_within);
        inherit(&k->extension, &d->extension);
        inherit(&k->extension_notice, &d->extension_notice);
        inherit(&k->prefix, &d->prefix);
        inherit(&k->workday_end, &d->workday_end);
        /* Without these a deadline cannot be computed at all. */
        const char *missing = !k->term.set           ? "term"
                              : !k->start.set        ? "start"
                              : !k->registration.set ? "registration"
                              : !k->workday_end.set  ? "workday_end"
                              : !k->extension.set    ? "extension"
                                                     : NULL;
        if (missing) {
            rc = ot_err(err, OT_EINVAL, "policy_syntax", NULL,
                        "line %d: kind '%s' has no '%s' (set it or a '*' default)", ln, k->id,
                        missing);
            goto fail;
        }
    }
    *out = pol;
    return OT_OK;
fail:
    policy_free(pol);
    return rc;
}

void policy_free(policy_t *policy)
{
    if (!policy)
        return;
    free(policy->text);
    free(policy);
}

const char *policy_jurisdiction(const policy_t *policy)
{
    return policy->jurisdiction;
}

size_t policy_kind_count(const policy_t *policy)
{
    return policy->n_kinds;
}

const policy_kind_t *policy_kind_at(const policy_t *policy, size_t i)
{
    return i < policy->n_kinds ? &policy->kinds[i] : NULL;
}

const policy_kind_t *policy_find_kind(const policy_t *policy, const char *id)
{
    if (!id)
        return NULL;
    for (size_t i = 0; i < policy->n_kinds; i++)
        if (!strcmp(policy->kinds[i].id, id))
            return &policy->kinds[i];
    return NULL;
}

const char *policy_unit_name(policy_unit_t unit)
{
    switch (unit) {
    case POLICY_WORKING_DAYS:
        return "working_days";
    case POLICY_CALENDAR_DAYS:
        return "calendar_days";
    case POLICY_MONTHS:
        return "months";
    }
    return "?";
}
