#include "domain/calendar.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/lineparse.h"

/* ==== Parsed lines, before expansion ==== */

enum entry_type { E_HOLIDAY, E_DAYOFF, E_TRANSFER, E_WORK, E_OFF, E_UNKNOWN };

typedef struct entry {
    enum entry_type type;
    int line;
    int month, mday;  /* annual entries: every declared year */
    ot_day_t date;    /* dated entries (OT_DAY_NONE when annual); transfer: the day worked */
    ot_day_t date2;   /* transfer: the day off */
    int nocarry;      /* holiday: never carried over */
    const char *name; /* points into cal->text */
    const char *status;
    const char *source;
} entry_t;

struct cal {
    char *text; /* private copy; names, statuses and sources point into it */
    char jurisdiction[16];
    int first_year, last_year; /* the published years */
    int proj_years;            /* years after last_year projected from the annual rules */
    const char *proj_status, *proj_source;
    int offset_min;
    unsigned weekend_mask; /* bit iso_weekday */
    const char *weekend_status, *weekend_source;
    int carry_enabled;
    const char *carry_status, *carry_source;

    entry_t *entries;
    size_t n_entries, cap_entries;

    /* Expanded tables over [first_day, first_day + n_days). */
    ot_day_t first_day;
    int32_t n_days;
    uint8_t *off;   /* 1 = non-working */
    int32_t *cum;   /* working days in [first_day, day] */
    ot_day_t *work; /* work[k] = the (k+1)-th working day */
    int32_t n_work;
    cal_mark_t *marks; /* sorted by day, then kind */
    ot_day_t *mark_day;
    size_t n_marks, cap_marks;
    uint32_t *mark_first; /* n_days + 1 offsets into marks */
};

static const char *const weekday_full[8] = {"",         "Monday", "Tuesday",  "Wednesday",
                                            "Thursday", "Friday", "Saturday", "Sunday"};

static int syntax(ot_err_t *err, int line, const char *what, const char *tok)
{
    return lp_syntax(err, "calendar_syntax", line, what, tok);
}

static int push_entry(cal_t *c, const entry_t *e)
{
    if (c->n_entries == c->cap_entries) {
        size_t cap = c->cap_entries ? c->cap_entries * 2 : 64;
        entry_t *n = realloc(c->entries, cap * sizeof *n);
        if (!n)
            return OT_EINTERNAL;
        c->entries = n;
        c->cap_entries = cap;
    }
    c->entries[c->n_entries++] = *e;
    return OT_OK;
}

/* "MM-DD" (annual) or "YYYY-MM-DD" (dated). */
static int parse_when(const char *s, entry_t *e)
{
    e->date = OT_DAY_NONE;
    if (strlen(s) == 5 && s[2] == '-' && s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9' &&
        s[3] >= '0' && s[3] <= '9' && s[4] >= '0' && s[4] <= '9') {
        e->month = (s[0] - '0') * 10 + (s[1] - '0');
        e->mday = (s[3] - '0') * 10 + (s[4] - '0');
        /* 2000 is a leap year, so 02-29 is accepted here and skipped in other years. */
        ot_day_t tmp;
        return date_from_ymd(2000, e->month, e->mday, &tmp);
    }
    return date_parse(s, &e->date);
}

static int parse_offset(const char *s, int *min)
{
    if (strlen(s) != 6 || (s[0] != '+' && s[0] != '-'))
        return OT_EINVAL;
    int v;
    if (date_parse_hhmm(s + 1, &v) != OT_OK || v > 18 * 60)
        return OT_EINVAL;
    *min = s[0] == '-' ? -v : v;
    return OT_OK;
}

static int parse_weekday(const char *s)
{
    for (int i = 1; i <= 7; i++)
        if (!strcmp(s, date_weekday_name(i)))
            return i;
    return 0;
}

/* One non-comment line: "directive args... | status | source". */
static int parse_line(cal_t *c, char *line, int ln, ot_err_t *err)
{
    char *bar1 = strchr(line, '|');
    char *bar2 = bar1 ? strchr(bar1 + 1, '|') : NULL;
    /* Every line carries its status and source, so an unsourced rule cannot slip in. */
    if (!bar1 || !bar2)
        return syntax(err, ln, "expected 'rule | status | source'", NULL);
    *bar1 = *bar2 = '\0';
    char *status = lp_trim(bar1 + 1), *source = lp_trim(bar2 + 1);
    if (!lp_status_ok(status))
        return syntax(err, ln, "status must be confirmed, secondary or unconfirmed, not", status);
    if (!*source)
        return syntax(err, ln, "missing source", NULL);
    char *p = line;
    char *dir = lp_word(&p);
    if (!dir)
        return syntax(err, ln, "missing directive", NULL);
    entry_t e = {.line = ln, .status = status, .source = source, .date2 = OT_DAY_NONE};

    if (!strcmp(dir, "jurisdiction")) {
        char *code = lp_word(&p);
        if (!code || strlen(code) >= sizeof c->jurisdiction || *lp_trim(p))
            return syntax(err, ln, "expected 'jurisdiction CODE'", NULL);
        snprintf(c->jurisdiction, sizeof c->jurisdiction, "%s", code);
        return OT_OK;
    }
    if (!strcmp(dir, "utc_offset")) {
        char *v = lp_word(&p);
        if (!v || parse_offset(v, &c->offset_min) != OT_OK || *lp_trim(p))
            return syntax(err, ln, "expected 'utc_offset +HH:MM', got", v);
        return OT_OK;
    }
    if (!strcmp(dir, "years")) {
        char *a = lp_word(&p), *b = lp_word(&p);
        char *ea = NULL, *eb = NULL;
        long ya = a ? strtol(a, &ea, 10) : 0, yb = b ? strtol(b, &eb, 10) : 0;
        if (!a || !b || *ea || *eb || *lp_trim(p) || ya < 1901 || yb > 9998 || ya > yb ||
            yb - ya > 200)
            return syntax(err, ln, "expected 'years FIRST LAST' (at most 200 years)", NULL);
        c->first_year = (int)ya;
        c->last_year = (int)yb;
        return OT_OK;
    }
    if (!strcmp(dir, "project")) {
        char *a = lp_word(&p), *ea = NULL;
        long n = a ? strtol(a, &ea, 10) : -1;
        if (!a || *ea || *lp_trim(p) || n < 0 || n > 10)
            return syntax(err, ln, "expected 'project N' (0..10 years)", NULL);
        c->proj_years = (int)n;
        c->proj_status = status;
        c->proj_source = source;
        return OT_OK;
    }
    if (!strcmp(dir, "unknown")) {
        e.type = E_UNKNOWN;
        e.date = OT_DAY_NONE;
        e.name = lp_trim(p);
        if (!*e.name)
            return syntax(err, ln, "missing what is unknown", NULL);
        return push_entry(c, &e) ? ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory") : OT_OK;
    }
    if (!strcmp(dir, "weekend")) {
        char *w;
        c->weekend_mask = 0;
        while ((w = lp_word(&p))) {
            int wd = parse_weekday(w);
            if (!wd)
                return syntax(err, ln, "unknown weekday", w);
            c->weekend_mask |= 1u << wd;
        }
        c->weekend_status = status;
        c->weekend_source = source;
        return OT_OK;
    }
    if (!strcmp(dir, "carryover")) {
        char *v = lp_word(&p);
        if (!v || *lp_trim(p) || (strcmp(v, "next_working_day") && strcmp(v, "none")))
            return syntax(err, ln, "expected 'carryover next_working_day|none', got", v);
        c->carry_enabled = !strcmp(v, "next_working_day");
        c->carry_status = status;
        c->carry_source = source;
        return OT_OK;
    }
    if (!strcmp(dir, "holiday") || !strcmp(dir, "dayoff") || !strcmp(dir, "work") ||
        !strcmp(dir, "off")) {
        char *when = lp_word(&p);
        if (!when || parse_when(when, &e) != OT_OK)
            return syntax(err, ln, "expected a date MM-DD or YYYY-MM-DD, got", when);
        e.type = !strcmp(dir, "holiday")  ? E_HOLIDAY
                 : !strcmp(dir, "dayoff") ? E_DAYOFF
                 : !strcmp(dir, "work")   ? E_WORK
                                          : E_OFF;
        if ((e.type == E_WORK || e.type == E_OFF) && e.date == OT_DAY_NONE)
            return syntax(err, ln, "work/off lines need a full date YYYY-MM-DD", NULL);
        p = lp_trim(p);
        if (e.type == E_HOLIDAY && !strncmp(p, "nocarry", 7) &&
            (p[7] == ' ' || p[7] == '\t' || p[7] == '\0')) {
            e.nocarry = 1;
            p += 7;
        }
        e.name = lp_trim(p);
        if (!*e.name)
            return syntax(err, ln, "missing name", NULL);
        return push_entry(c, &e) ? ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory") : OT_OK;
    }
    if (!strcmp(dir, "transfer")) {
        char *from = lp_word(&p), *to = lp_word(&p);
        if (!from || !to || date_parse(from, &e.date) || date_parse(to, &e.date2))
            return syntax(err, ln, "expected 'transfer YYYY-MM-DD YYYY-MM-DD NAME'", NULL);
        e.type = E_TRANSFER;
        e.name = lp_trim(p);
        if (!*e.name)
            return syntax(err, ln, "missing order name", NULL);
        return push_entry(c, &e) ? ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory") : OT_OK;
    }
    return syntax(err, ln, "unknown directive", dir);
}

/* ==== Expansion into day tables ==== */

static int in_table(const cal_t *c, ot_day_t d)
{
    return d != OT_DAY_NONE && d >= c->first_day && d < c->first_day + c->n_days;
}

/* The last year of the tables: the published years and the projected ones after them. */
static int table_last_year(const cal_t *c)
{
    return c->last_year + c->proj_years;
}

static int in_published(const cal_t *c, ot_day_t d)
{
    return in_table(c, d) && date_year(d) <= c->last_year;
}

static int add_mark(cal_t *c, ot_day_t day, cal_kind_t kind, const char *name, ot_day_t related,
                    const char *status, const char *source)
{
    if (c->n_marks == c->cap_marks) {
        size_t cap = c->cap_marks ? c->cap_marks * 2 : 256;
        cal_mark_t *m = realloc(c->marks, cap * sizeof *m);
        if (!m)
            return OT_EINTERNAL;
        c->marks = m;
        ot_day_t *md = realloc(c->mark_day, cap * sizeof *md);
        if (!md)
            return OT_EINTERNAL;
        c->mark_day = md;
        c->cap_marks = cap;
    }
    char rel[11] = "";
    if (related != OT_DAY_NONE)
        date_format(related, rel);
    char *reason = NULL;
    int n = -1;
    switch (kind) {
    case CAL_HOLIDAY:
        n = asprintf(&reason, "holiday: %s", name);
        break;
    case CAL_DAYOFF:
        n = asprintf(&reason, "day off (never carried over): %s", name);
        break;
    case CAL_TRANSFER_OFF:
        n = related != OT_DAY_NONE ? asprintf(&reason, "day off transferred from %s: %s", rel, name)
                                   : asprintf(&reason, "day off: %s", name);
        break;
    case CAL_CARRYOVER:
        n = asprintf(&reason, "day off carried over from holiday %s (%s)", rel, name);
        break;
    case CAL_WEEKEND:
        n = asprintf(&reason, "weekend (%s)", name);
        break;
    case CAL_TRANSFER_WORK:
        n = related != OT_DAY_NONE
                ? asprintf(&reason, "working day, day off transferred to %s: %s", rel, name)
                : asprintf(&reason, "working day: %s", name);
        break;
    }
    if (n < 0)
        return OT_EINTERNAL;
    c->marks[c->n_marks] = (cal_mark_t){kind, name, related, status, source, reason};
    c->mark_day[c->n_marks] = day;
    c->n_marks++;
    return OT_OK;
}

/* The day an entry falls on in year y, or OT_DAY_NONE (02-29 in a common year, or a dated
 * entry of another year). */
static ot_day_t entry_day(const entry_t *e, int y)
{
    if (e->date != OT_DAY_NONE)
        return date_year(e->date) == y ? e->date : OT_DAY_NONE;
    ot_day_t d;
    return date_from_ymd(y, e->month, e->mday, &d) == OT_OK ? d : OT_DAY_NONE;
}

typedef struct holiday_occ {
    ot_day_t day;
    const entry_t *e;
} holiday_occ_t;

static int cmp_occ(const void *a, const void *b)
{
    const holiday_occ_t *x = a, *y = b;
    return x->day < y->day ? -1 : x->day > y->day;
}

/* Sort key for marks: by day, then by kind precedence, stable by insertion. */
typedef struct mark_key {
    ot_day_t day;
    cal_kind_t kind;
    size_t idx;
} mark_key_t;

static int cmp_mark(const void *a, const void *b)
{
    const mark_key_t *x = a, *y = b;
    if (x->day != y->day)
        return x->day < y->day ? -1 : 1;
    if (x->kind != y->kind)
        return x->kind < y->kind ? -1 : 1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static int expand(cal_t *c, ot_err_t *err)
{
    int rc = OT_OK;
    holiday_occ_t *occ = NULL;
    size_t n_occ = 0;
    mark_key_t *keys = NULL;
    cal_mark_t *sorted = NULL;

    date_from_ymd(c->first_year, 1, 1, &c->first_day);
    ot_day_t end;
    date_from_ymd(table_last_year(c) + 1, 1, 1, &end);
    c->n_days = end - c->first_day;
    c->off = calloc((size_t)c->n_days, 1);
    c->cum = calloc((size_t)c->n_days, sizeof *c->cum);
    c->work = calloc((size_t)c->n_days, sizeof *c->work);
    c->mark_first = calloc((size_t)c->n_days + 1, sizeof *c->mark_first);
    /* Holidays of the year before the data too: one on 31 Dec could carry into January. */
    occ = calloc(c->n_entries * (size_t)(table_last_year(c) - c->first_year + 2) + 1, sizeof *occ);
    if (!c->off || !c->cum || !c->work || !c->mark_first || !occ)
        goto oom;

    /* Dated lines outside the declared years are typos, not data (a projected year has no
     * dated lines: publishing one is a change of the years line). */
    for (size_t i = 0; i < c->n_entries; i++) {
        const entry_t *e = &c->entries[i];
        if ((e->date != OT_DAY_NONE && !in_published(c, e->date)) ||
            (e->date2 != OT_DAY_NONE && !in_published(c, e->date2))) {
            rc = ot_err(err, OT_EINVAL, "calendar_syntax", NULL,
                        "line %d: date outside the declared years %d-%d", e->line, c->first_year,
                        c->last_year);
            goto out;
        }
    }

    /* 1. Weekly days off. */
    for (ot_day_t d = c->first_day; d < end; d++) {
        int wd = date_weekday(d);
        if (c->weekend_mask & (1u << wd)) {
            c->off[d - c->first_day] = 1;
            if (add_mark(c, d, CAL_WEEKEND, weekday_full[wd], OT_DAY_NONE, c->weekend_status,
                         c->weekend_source))
                goto oom;
        }
    }

    /* 2. Holidays and days off that never move. */
    for (int y = c->first_year - 1; y <= table_last_year(c); y++) {
        for (size_t i = 0; i < c->n_entries; i++) {
            const entry_t *e = &c->entries[i];
            if (e->type != E_HOLIDAY && e->type != E_DAYOFF)
                continue;
            ot_day_t d = entry_day(e, y);
            if (d == OT_DAY_NONE)
                continue;
            if (e->type == E_HOLIDAY)
                occ[n_occ++] = (holiday_occ_t){d, e};
            if (!in_table(c, d))
                continue;
            c->off[d - c->first_day] = 1;
            if (add_mark(c, d, e->type == E_HOLIDAY ? CAL_HOLIDAY : CAL_DAYOFF, e->name,
                         OT_DAY_NONE, e->status, e->source))
                goto oom;
        }
    }

    /* 3. Transfer orders (Labour Code art. 85(3) in KZ; government decrees in RU). The day
     * named first becomes a working day unless it is itself a holiday or a fixed day off: then
     * the order moves the weekly day off that coincided with it, and the day stays off. */
    for (size_t i = 0; i < c->n_entries; i++) {
        const entry_t *e = &c->entries[i];
        if (e->type != E_TRANSFER && e->type != E_WORK && e->type != E_OFF)
            continue;
        if (e->type == E_TRANSFER || e->type == E_WORK) {
            size_t ix = (size_t)(e->date - c->first_day);
            int protected_day = 0;
            for (size_t k = 0; k < c->n_marks; k++)
                if (c->mark_day[k] == e->date &&
                    (c->marks[k].kind == CAL_HOLIDAY || c->marks[k].kind == CAL_DAYOFF))
                    protected_day = 1;
            if (!protected_day) {
                c->off[ix] = 0;
                if (add_mark(c, e->date, CAL_TRANSFER_WORK, e->name, e->date2, e->status,
                             e->source))
                    goto oom;
            }
        }
        if (e->type == E_TRANSFER || e->type == E_OFF) {
            ot_day_t d = e->type == E_TRANSFER ? e->date2 : e->date;
            c->off[d - c->first_day] = 1;
            if (add_mark(c, d, CAL_TRANSFER_OFF, e->name,
                         e->type == E_TRANSFER ? e->date : OT_DAY_NONE, e->status, e->source))
                goto oom;
        }
    }

    /* 4. Carry-over (KZ: Law «О праздниках» art. 5; RU: Labour Code art. 112(2)): a holiday on
     * a weekly day off gives a day off on the next working day after it. Holidays are taken in
     * date order, so a run like 21-23 March on Sat-Mon yields Tue and Wed in turn. */
    qsort(occ, n_occ, sizeof *occ, cmp_occ);
    for (size_t i = 0; c->carry_enabled && i < n_occ; i++) {
        const entry_t *e = occ[i].e;
        ot_day_t h = occ[i].day;
        if (e->nocarry || !(c->weekend_mask & (1u << date_weekday(h))))
            continue;
        if (i > 0 && occ[i - 1].day == h)
            continue; /* two holidays on one day still give one day off */
        for (ot_day_t d = h + 1; d < end; d++) {
            /* Before the data: a weekday is taken as the working day, and nothing is marked. */
            if (d < c->first_day) {
                if (!(c->weekend_mask & (1u << date_weekday(d))))
                    break;
                continue;
            }
            if (!c->off[d - c->first_day]) {
                c->off[d - c->first_day] = 1;
                if (add_mark(c, d, CAL_CARRYOVER, e->name, h, c->carry_status, c->carry_source))
                    goto oom;
                break;
            }
        }
    }

    /* 5. Tables: cumulative working-day count and the list of working days. */
    int32_t n = 0;
    for (int32_t i = 0; i < c->n_days; i++) {
        if (!c->off[i])
            c->work[n++] = c->first_day + i;
        c->cum[i] = n;
    }
    c->n_work = n;

    /* 6. Marks sorted by day and precedence, indexed per day. */
    keys = malloc((c->n_marks + 1) * sizeof *keys);
    sorted = malloc((c->n_marks + 1) * sizeof *sorted);
    if (!keys || !sorted)
        goto oom;
    for (size_t i = 0; i < c->n_marks; i++)
        keys[i] = (mark_key_t){c->mark_day[i], c->marks[i].kind, i};
    qsort(keys, c->n_marks, sizeof *keys, cmp_mark);
    for (size_t i = 0; i < c->n_marks; i++) {
        sorted[i] = c->marks[keys[i].idx];
        c->mark_day[i] = keys[i].day;
        c->mark_first[keys[i].day - c->first_day + 1]++;
    }
    for (int32_t i = 0; i < c->n_days; i++)
        c->mark_first[i + 1] += c->mark_first[i];
    free(c->marks);
    c->marks = sorted;
    sorted = NULL;
    goto out;
oom:
    rc = ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory expanding the calendar");
out:
    free(occ);
    free(keys);
    free(sorted);
    return rc;
}

int cal_parse(const char *text, size_t len, cal_t **out, ot_err_t *err)
{
    int rc = OT_OK;
    cal_t *c = calloc(1, sizeof *c);
    if (!c || !(c->text = malloc(len + 1))) {
        rc = ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
        goto fail;
    }
    memcpy(c->text, text, len);
    c->text[len] = '\0';
    if (strlen(c->text) != len) {
        rc = ot_err(err, OT_EINVAL, "calendar_syntax", NULL, "NUL byte in calendar text");
        goto fail;
    }
    int ln = 0;
    for (char *line = c->text; line;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        ln++;
        char *t = lp_trim(line);
        if (*t && *t != '#' && (rc = parse_line(c, t, ln, err)) != OT_OK)
            goto fail;
        line = nl && nl[1] ? nl + 1 : NULL; /* a final newline ends the last line */
    }
    if (!c->first_year) {
        rc = ot_err(err, OT_EINVAL, "calendar_syntax", NULL, "line %d: no 'years' line", ln);
        goto fail;
    }
    if ((rc = expand(c, err)) != OT_OK)
        goto fail;
    *out = c;
    return OT_OK;
fail:
    cal_free(c);
    return rc;
}

void cal_free(cal_t *cal)
{
    if (!cal)
        return;
    for (size_t i = 0; i < cal->n_marks; i++)
        free((char *)cal->marks[i].reason);
    free(cal->marks);
    free(cal->mark_day);
    free(cal->mark_first);
    free(cal->off);
    free(cal->cum);
    free(cal->work);
    free(cal->entries);
    free(cal->text);
    free(cal);
}

/* ==== Queries ==== */

const char *cal_jurisdiction(const cal_t *cal)
{
    return cal->jurisdiction;
}

int cal_first_year(const cal_t *cal)
{
    return cal->first_year;
}

int cal_last_year(const cal_t *cal)
{
    return cal->last_year;
}

int cal_utc_offset_min(const cal_t *cal)
{
    return cal->offset_min;
}

int cal_last_projected_year(const cal_t *cal)
{
    return table_last_year(cal);
}

int cal_is_provisional(const cal_t *cal, ot_day_t day)
{
    return in_table(cal, day) && date_year(day) > cal->last_year;
}

size_t cal_unknowns(const cal_t *cal, const char **names, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < cal->n_entries; i++)
        if (cal->entries[i].type == E_UNKNOWN) {
            if (n < max)
                names[n] = cal->entries[i].name;
            n++;
        }
    return n;
}

const char *cal_projection_source(const cal_t *cal)
{
    return cal->proj_years ? cal->proj_source : NULL;
}

static int out_of_range(const cal_t *c, int year, ot_err_t *err)
{
    const char *who = c->jurisdiction[0] ? c->jurisdiction : "the";
    if (c->proj_years)
        return ot_err(err, OT_EINVAL, "calendar_out_of_range", NULL,
                      "no calendar data for %d (%s calendar covers %d-%d, of which %d-%d "
                      "projected from the annual rules)",
                      year, who, c->first_year, table_last_year(c), c->last_year + 1,
                      table_last_year(c));
    return ot_err(err, OT_EINVAL, "calendar_out_of_range", NULL,
                  "no calendar data for %d (%s calendar covers %d-%d)", year, who, c->first_year,
                  c->last_year);
}

int cal_check_range(const cal_t *cal, ot_day_t day, ot_err_t *err)
{
    if (in_table(cal, day))
        return OT_OK;
    /* Day numbers far outside 1..9999 have no meaningful year; name the nearest edge. */
    if (day == OT_DAY_NONE || day < -719162 || day > 2932896)
        return out_of_range(
            cal, day < cal->first_day ? cal->first_year - 1 : table_last_year(cal) + 1, err);
    return out_of_range(cal, date_year(day), err);
}

int cal_is_working(const cal_t *cal, ot_day_t day)
{
    return in_table(cal, day) ? !cal->off[day - cal->first_day] : -1;
}

size_t cal_marks(const cal_t *cal, ot_day_t day, const cal_mark_t **out)
{
    if (!in_table(cal, day)) {
        *out = NULL;
        return 0;
    }
    size_t i = (size_t)(day - cal->first_day);
    *out = cal->marks + cal->mark_first[i];
    return cal->mark_first[i + 1] - cal->mark_first[i];
}

const char *cal_reason(const cal_t *cal, ot_day_t day)
{
    const cal_mark_t *m;
    if (cal_is_working(cal, day) != 0 || !cal_marks(cal, day, &m))
        return NULL;
    return m[0].reason; /* marks are sorted by precedence; a worked-day mark sorts last */
}

/* work[idx] or an out-of-range error naming the year beyond the edge. */
static int work_at(const cal_t *c, int64_t idx, ot_day_t *out, ot_err_t *err)
{
    if (idx < 0)
        return out_of_range(c, c->first_year - 1, err);
    if (idx >= c->n_work)
        return out_of_range(c, table_last_year(c) + 1, err);
    *out = c->work[idx];
    return OT_OK;
}

int cal_add_working_days(const cal_t *cal, ot_day_t from, int n, ot_day_t *out, ot_err_t *err)
{
    int rc = cal_check_range(cal, from, err);
    if (rc)
        return rc;
    int64_t c = cal->cum[from - cal->first_day];
    /* cum counts working days up to and including from, so work[c - 1] is from itself (if
     * working) or the last working day before it; work[c] is the first one after it. */
    if (n == 0)
        return work_at(cal, cal->off[from - cal->first_day] ? c : c - 1, out, err);
    return work_at(cal, c + n - 1, out, err);
}

int cal_working_on_or_after(const cal_t *cal, ot_day_t day, ot_day_t *out, ot_err_t *err)
{
    return cal_add_working_days(cal, day, 0, out, err);
}

int cal_next_working_day(const cal_t *cal, ot_day_t day, ot_day_t *out, ot_err_t *err)
{
    return cal_add_working_days(cal, day, 1, out, err);
}

int cal_count_working_days(const cal_t *cal, ot_day_t a, ot_day_t b, int *n, ot_err_t *err)
{
    int rc;
    if ((rc = cal_check_range(cal, a, err)) || (rc = cal_check_range(cal, b, err)))
        return rc;
    *n = cal->cum[b - cal->first_day] - cal->cum[a - cal->first_day];
    return OT_OK;
}

int cal_add_calendar_days_to_working(const cal_t *cal, ot_day_t from, int n, ot_day_t *out,
                                     ot_err_t *err)
{
    int rc = cal_check_range(cal, from, err);
    if (rc)
        return rc;
    int64_t d = (int64_t)from + n;
    if (d < cal->first_day || d >= cal->first_day + cal->n_days)
        return cal_check_range(cal, (ot_day_t)(d < INT32_MIN + 1 ? INT32_MIN + 1 : d), err);
    return cal_working_on_or_after(cal, (ot_day_t)d, out, err);
}

static int year_bounds(const cal_t *c, int year, ot_day_t *a, ot_day_t *b, ot_err_t *err)
{
    if (year < c->first_year || year > table_last_year(c))
        return out_of_range(c, year, err);
    date_from_ymd(year, 1, 1, a);
    date_from_ymd(year, 12, 31, b);
    return OT_OK;
}

int cal_year_non_working(const cal_t *cal, int year, cal_day_info_t **out, size_t *n, ot_err_t *err)
{
    ot_day_t a, b;
    int rc = year_bounds(cal, year, &a, &b, err);
    if (rc)
        return rc;
    size_t cnt = 0;
    for (ot_day_t d = a; d <= b; d++)
        cnt += cal->off[d - cal->first_day];
    cal_day_info_t *v = calloc(cnt + 1, sizeof *v);
    if (!v)
        return ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
    size_t k = 0;
    for (ot_day_t d = a; d <= b; d++) {
        if (!cal->off[d - cal->first_day])
            continue;
        v[k].day = d;
        v[k].working = 0;
        v[k].n_marks = cal_marks(cal, d, &v[k].marks);
        k++;
    }
    *out = v;
    *n = cnt;
    return OT_OK;
}

int cal_year_working_count(const cal_t *cal, int year, int *n, ot_err_t *err)
{
    ot_day_t a, b;
    int rc = year_bounds(cal, year, &a, &b, err);
    if (rc)
        return rc;
    *n =
        cal->cum[b - cal->first_day] - cal->cum[a - cal->first_day] + !cal->off[a - cal->first_day];
    return OT_OK;
}

const char *cal_kind_name(cal_kind_t kind)
{
    switch (kind) {
    case CAL_HOLIDAY:
        return "holiday";
    case CAL_DAYOFF:
        return "day_off";
    case CAL_TRANSFER_OFF:
        return "transfer_off";
    case CAL_CARRYOVER:
        return "carry_over";
    case CAL_WEEKEND:
        return "weekend";
    case CAL_TRANSFER_WORK:
        return "transfer_work";
    }
    return "?";
}
