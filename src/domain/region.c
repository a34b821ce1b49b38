/* Region reference data: parsing and integrity checks. See region.h. */
#include "domain/region.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/text.h"
#include "util/tsv.h"

typedef struct tables {
    tsv_t *bodies, *districts, *categories, *routing;
} tables_t;

/* Longest name or note we accept in the data files, in code points. */
#define NAME_MAX_CHARS 300

static const char *const body_types[] = {
    "oblast_akimat",   "apparat",          "department", "city_akimat",
    "district_akimat", "local_department", "external",   NULL,
};

/* Reports a problem with row's column col: field "file:line:col", and the message names
 * the file, line and column too. Returns OT_EINVAL. */
__attribute__((format(printf, 5, 6))) static int row_err(ot_err_t *err, const char *code,
                                                         const tsv_row_t *row, const char *col,
                                                         const char *fmt, ...)
{
    char where[64], msg[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(where, sizeof where, "%s:%zu:%s", row->table->name, row->line, col);
    return ot_err(err, OT_EINVAL, code, where, "%s line %zu, column %s: %s", row->table->name,
                  row->line, col, msg);
}

/* [a-z0-9][a-z0-9._-]*: ASCII, stable in URLs and logs, never "-" or "*" (reserved). */
static int valid_id(const char *s)
{
    if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')))
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '.' || *s == '_' ||
              *s == '-'))
            return 0;
    return 1;
}

/* A column that must be a non-blank single-line valid UTF-8 text. */
static int check_name(const tsv_row_t *row, const char *col, int required, ot_err_t *err)
{
    const char *v = tsv_col(row, col);
    size_t len = strlen(v);
    ot_err_t e;
    if (text_check(v, len, NAME_MAX_CHARS, 0, NULL, &e) != OT_OK)
        return row_err(err, "region_bad_value", row, col, "%s", e.message);
    if (required && text_required(v, len, NULL, &e) != OT_OK)
        return row_err(err, "region_bad_value", row, col, "a value is required");
    return OT_OK;
}

/* "HH:MM" with HH 00-23 and MM 00-59 -> minutes, or -1. */
static int parse_hhmm(const char *s)
{
    if (strlen(s) != 5 || s[2] != ':')
        return -1;
    for (int i = 0; i < 5; i++)
        if (i != 2 && (s[i] < '0' || s[i] > '9'))
            return -1;
    int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
    if (h > 23 || m > 59)
        return -1;
    return h * 60 + m;
}

/* Optional coordinate: "" or "-" -> 0 (absent), a number in [lo, hi] -> 1, else -1.
 * strtod follows LC_NUMERIC: the program keeps the "C" locale for numbers. */
static int parse_coord(const char *s, double lo, double hi, double *v)
{
    if (!s || !*s || strcmp(s, "-") == 0)
        return 0;
    char *end;
    *v = strtod(s, &end);
    if (*end || end == s || *v < lo || *v > hi)
        return -1;
    return 1;
}

/* ==== Lookups ==== */

static size_t body_index(const region_t *r, const char *id)
{
    for (size_t i = 0; i < r->n_bodies; i++)
        if (strcmp(r->bodies[i].id, id) == 0)
            return i;
    return REGION_NONE;
}

static size_t district_index(const region_t *r, const char *code)
{
    for (size_t i = 0; i < r->n_districts; i++)
        if (strcmp(r->districts[i].code, code) == 0)
            return i;
    return REGION_NONE;
}

static size_t category_index(const region_t *r, const char *code)
{
    for (size_t i = 0; i < r->n_categories; i++)
        if (strcmp(r->categories[i].code, code) == 0)
            return i;
    return REGION_NONE;
}

const region_body_t *region_body(const region_t *r, const char *id)
{
    size_t i = id ? body_index(r, id) : REGION_NONE;
    return i == REGION_NONE ? NULL : &r->bodies[i];
}

const region_district_t *region_district(const region_t *r, const char *code)
{
    size_t i = code ? district_index(r, code) : REGION_NONE;
    return i == REGION_NONE ? NULL : &r->districts[i];
}

const region_category_t *region_category(const region_t *r, const char *code)
{
    size_t i = code ? category_index(r, code) : REGION_NONE;
    return i == REGION_NONE ? NULL : &r->categories[i];
}

const char *region_route(const region_t *r, const char *category, const char *district)
{
    const char *any = NULL;
    if (!r || !category || !district)
        return NULL;
    for (size_t i = 0; i < r->n_rules; i++) {
        const region_rule_t *u = &r->rules[i];
        if (strcmp(u->category, category) != 0)
            continue;
        if (strcmp(u->district, district) == 0)
            return u->body;
        if (u->district_idx == REGION_NONE)
            any = u->body;
    }
    /* A "*" rule applies only to a district the region knows. */
    return any && district_index(r, district) != REGION_NONE ? any : NULL;
}

/* ==== Bodies ==== */

static int load_bodies(region_t *r, const tsv_t *t, ot_err_t *err)
{
    static const char *const cols[] = {"id",      "parent",  "type",        "name_kk",
                                       "name_ru", "name_en", "workday_end", "jurisdiction",
                                       "note",    NULL};
    int rc = tsv_require(t, cols, err);
    if (rc)
        return rc;
    r->bodies = calloc(t->n_rows ? t->n_rows : 1, sizeof *r->bodies);
    if (!r->bodies)
        return ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
    r->root_idx = REGION_NONE;
    for (size_t i = 0; i < t->n_rows; i++) {
        const tsv_row_t *row = &t->rows[i];
        region_body_t *b = &r->bodies[i];
        b->id = tsv_col(row, "id");
        if (!valid_id(b->id))
            return row_err(err, "region_bad_value", row, "id",
                           "'%s' is not an id of a-z, 0-9, '.', '_', '-'", b->id);
        if (body_index(r, b->id) != REGION_NONE)
            return row_err(err, "region_duplicate", row, "id", "body '%s' appears twice", b->id);
        b->type_name = tsv_col(row, "type");
        int k = 0;
        while (body_types[k] && strcmp(body_types[k], b->type_name) != 0)
            k++;
        if (!body_types[k])
            return row_err(err, "region_bad_value", row, "type", "unknown body type '%s'",
                           b->type_name);
        b->type = (region_body_type_t)k;
        const char *parent = tsv_col(row, "parent");
        b->parent = strcmp(parent, "-") == 0 ? NULL : parent;
        b->parent_idx = REGION_NONE;
        if (b->type == REGION_EXTERNAL && b->parent)
            return row_err(err, "region_bad_value", row, "parent",
                           "an external body stands outside the tree: parent must be '-'");
        if ((rc = check_name(row, "name_kk", 1, err)) ||
            (rc = check_name(row, "name_ru", 1, err)) ||
            (rc = check_name(row, "name_en", 1, err)) || (rc = check_name(row, "note", 0, err)))
            return rc;
        b->name_kk = tsv_col(row, "name_kk");
        b->name_ru = tsv_col(row, "name_ru");
        b->name_en = tsv_col(row, "name_en");
        b->note = tsv_col(row, "note");
        b->workday_end = tsv_col(row, "workday_end");
        b->workday_end_min = parse_hhmm(b->workday_end);
        if (b->workday_end_min < 0)
            return row_err(err, "region_bad_value", row, "workday_end", "'%s' is not a time HH:MM",
                           b->workday_end);
        b->superior = tsv_col(row, "superior");
        if (b->superior && b->type == REGION_EXTERNAL && !*b->superior)
            return row_err(err, "region_bad_value", row, "superior",
                           "an external body names its own superior");
        if (b->superior && (rc = check_name(row, "superior", 0, err)))
            return rc;
        b->jurisdiction = tsv_col(row, "jurisdiction");
        if (!valid_id(b->jurisdiction))
            return row_err(err, "region_bad_value", row, "jurisdiction",
                           "'%s' is not a jurisdiction code", b->jurisdiction);
        r->n_bodies++;
    }
    /* Parents exist and exactly one root; both need every id known first. */
    for (size_t i = 0; i < r->n_bodies; i++) {
        region_body_t *b = &r->bodies[i];
        const tsv_row_t *row = &t->rows[i];
        if (b->parent) {
            b->parent_idx = body_index(r, b->parent);
            if (b->parent_idx == REGION_NONE)
                return row_err(err, "region_unknown_ref", row, "parent",
                               "parent '%s' is not a body id", b->parent);
            if (r->bodies[b->parent_idx].type == REGION_EXTERNAL)
                return row_err(err, "region_bad_value", row, "parent",
                               "parent '%s' is an external body", b->parent);
        } else if (b->type != REGION_EXTERNAL) {
            if (r->root_idx != REGION_NONE)
                return row_err(err, "region_root", row, "parent",
                               "'%s' is a second root (the root is '%s')", b->id,
                               r->bodies[r->root_idx].id);
            r->root_idx = i;
        }
    }
    if (r->root_idx == REGION_NONE) {
        char where[64];
        snprintf(where, sizeof where, "%s:%zu:parent", t->name, t->header_line);
        return ot_err(err, OT_EINVAL, "region_root", where,
                      "%s: no body has parent '-' (the oblast akimat must be the root)", t->name);
    }
    /* With one root and every parent known, a body that does not reach the root within
     * n_bodies steps sits on (or above) a cycle. */
    for (size_t i = 0; i < r->n_bodies; i++) {
        size_t j = i, steps = 0;
        if (r->bodies[i].type == REGION_EXTERNAL)
            continue;
        while (j != r->root_idx && steps <= r->n_bodies) {
            j = r->bodies[j].parent_idx;
            steps++;
        }
        if (j != r->root_idx)
            return row_err(err, "region_cycle", &t->rows[i], "parent",
                           "body '%s' does not lead to the root '%s': its parents form a cycle",
                           r->bodies[i].id, r->bodies[r->root_idx].id);
    }
    return OT_OK;
}

/* ==== Districts ==== */

static int load_districts(region_t *r, const tsv_t *t, ot_err_t *err)
{
    static const char *const cols[] = {"code",      "type",   "name_kk", "name_ru", "name_en",
                                       "centre_ru", "akimat", "note",    NULL};
    int rc = tsv_require(t, cols, err);
    if (rc)
        return rc;
    int lat_col = tsv_col_index(t, "lat"), lon_col = tsv_col_index(t, "lon");
    r->districts = calloc(t->n_rows ? t->n_rows : 1, sizeof *r->districts);
    if (!r->districts)
        return ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
    for (size_t i = 0; i < t->n_rows; i++) {
        const tsv_row_t *row = &t->rows[i];
        region_district_t *d = &r->districts[i];
        d->code = tsv_col(row, "code");
        if (!valid_id(d->code) || strcmp(d->code, "*") == 0)
            return row_err(err, "region_bad_value", row, "code",
                           "'%s' is not a code of a-z, 0-9, '.', '_', '-'", d->code);
        if (district_index(r, d->code) != REGION_NONE)
            return row_err(err, "region_duplicate", row, "code", "district '%s' appears twice",
                           d->code);
        d->type = tsv_col(row, "type");
        if (strcmp(d->type, "city") != 0 && strcmp(d->type, "district") != 0)
            return row_err(err, "region_bad_value", row, "type",
                           "type must be 'city' or 'district', not '%s'", d->type);
        if ((rc = check_name(row, "name_kk", 1, err)) ||
            (rc = check_name(row, "name_ru", 1, err)) ||
            (rc = check_name(row, "name_en", 1, err)) ||
            (rc = check_name(row, "centre_ru", 1, err)) || (rc = check_name(row, "note", 0, err)))
            return rc;
        d->name_kk = tsv_col(row, "name_kk");
        d->name_ru = tsv_col(row, "name_ru");
        d->name_en = tsv_col(row, "name_en");
        d->centre_ru = tsv_col(row, "centre_ru");
        d->note = tsv_col(row, "note");
        d->akimat = tsv_col(row, "akimat");
        d->akimat_idx = body_index(r, d->akimat);
        if (d->akimat_idx == REGION_NONE)
            return row_err(err, "region_unknown_ref", row, "akimat", "akimat '%s' is not a body id",
                           d->akimat);
        region_body_type_t at = r->bodies[d->akimat_idx].type;
        if (at != REGION_CITY_AKIMAT && at != REGION_DISTRICT_AKIMAT)
            return row_err(err, "region_bad_value", row, "akimat",
                           "'%s' is not a city or district akimat", d->akimat);
        int has_lat = 0, has_lon = 0;
        if (lat_col >= 0 && (has_lat = parse_coord(row->fields[lat_col], -90, 90, &d->lat)) < 0)
            return row_err(err, "region_bad_value", row, "lat", "'%s' is not a latitude",
                           row->fields[lat_col]);
        if (lon_col >= 0 && (has_lon = parse_coord(row->fields[lon_col], -180, 180, &d->lon)) < 0)
            return row_err(err, "region_bad_value", row, "lon", "'%s' is not a longitude",
                           row->fields[lon_col]);
        if (has_lat != has_lon)
            return row_err(err, "region_bad_value", row, has_lat ? "lon" : "lat",
                           "give both lat and lon, or neither");
        d->has_coords = has_lat;
        if (!d->has_coords)
            d->lat = d->lon = 0;
        r->n_districts++;
    }
    return OT_OK;
}

/* ==== Categories ==== */

static int load_categories(region_t *r, const tsv_t *t, ot_err_t *err)
{
    static const char *const cols[] = {"code",    "group",      "name_kk",         "name_ru",
                                       "name_en", "competence", "security_report", "keywords",
                                       NULL};
    int rc = tsv_require(t, cols, err);
    if (rc)
        return rc;
    r->categories = calloc(t->n_rows ? t->n_rows : 1, sizeof *r->categories);
    if (!r->categories)
        return ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
    for (size_t i = 0; i < t->n_rows; i++) {
        const tsv_row_t *row = &t->rows[i];
        region_category_t *c = &r->categories[i];
        c->code = tsv_col(row, "code");
        if (!valid_id(c->code))
            return row_err(err, "region_bad_value", row, "code",
                           "'%s' is not a code of a-z, 0-9, '.', '_', '-'", c->code);
        if (category_index(r, c->code) != REGION_NONE)
            return row_err(err, "region_duplicate", row, "code", "category '%s' appears twice",
                           c->code);
        c->group = tsv_col(row, "group");
        if (!valid_id(c->group))
            return row_err(err, "region_bad_value", row, "group", "'%s' is not a group code",
                           c->group);
        if ((rc = check_name(row, "name_kk", 1, err)) ||
            (rc = check_name(row, "name_ru", 1, err)) ||
            (rc = check_name(row, "name_en", 1, err)) || (rc = check_name(row, "keywords", 0, err)))
            return rc;
        c->name_kk = tsv_col(row, "name_kk");
        c->name_ru = tsv_col(row, "name_ru");
        c->name_en = tsv_col(row, "name_en");
        c->keywords = tsv_col(row, "keywords");
        const char *comp = tsv_col(row, "competence");
        if (strcmp(comp, "local") == 0)
            c->competence = REGION_LOCAL;
        else if (strcmp(comp, "oblast") == 0)
            c->competence = REGION_OBLAST;
        else
            return row_err(err, "region_bad_value", row, "competence",
                           "competence must be 'local' or 'oblast', not '%s'", comp);
        const char *sec = tsv_col(row, "security_report");
        if (strcmp(sec, "0") != 0 && strcmp(sec, "1") != 0)
            return row_err(err, "region_bad_value", row, "security_report",
                           "security_report must be 0 or 1, not '%s'", sec);
        c->security_report = sec[0] == '1';
        r->n_categories++;
    }
    return OT_OK;
}

/* ==== Routing ==== */

static int load_routing(region_t *r, const tsv_t *t, ot_err_t *err)
{
    static const char *const cols[] = {"category", "district", "body", "note", NULL};
    int rc = tsv_require(t, cols, err);
    if (rc)
        return rc;
    r->rules = calloc(t->n_rows ? t->n_rows : 1, sizeof *r->rules);
    if (!r->rules)
        return ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
    for (size_t i = 0; i < t->n_rows; i++) {
        const tsv_row_t *row = &t->rows[i];
        region_rule_t *u = &r->rules[i];
        u->category = tsv_col(row, "category");
        u->category_idx = category_index(r, u->category);
        if (u->category_idx == REGION_NONE)
            return row_err(err, "region_unknown_ref", row, "category",
                           "'%s' is not a category code", u->category);
        u->district = tsv_col(row, "district");
        u->district_idx = REGION_NONE;
        if (strcmp(u->district, "*") != 0) {
            u->district_idx = district_index(r, u->district);
            if (u->district_idx == REGION_NONE)
                return row_err(err, "region_unknown_ref", row, "district",
                               "'%s' is neither a district code nor '*'", u->district);
        }
        u->body = tsv_col(row, "body");
        u->body_idx = body_index(r, u->body);
        if (u->body_idx == REGION_NONE)
            return row_err(err, "region_unknown_ref", row, "body", "'%s' is not a body id",
                           u->body);
        if ((rc = check_name(row, "note", 0, err)))
            return rc;
        u->note = tsv_col(row, "note");
        for (size_t j = 0; j < i; j++)
            if (r->rules[j].category_idx == u->category_idx &&
                strcmp(r->rules[j].district, u->district) == 0)
                return row_err(err, "region_duplicate", row, "district",
                               "a rule for '%s' in '%s' is already on line %zu", u->category,
                               u->district, t->rows[j].line);
        r->n_rules++;
    }
    /* АППК / docs/law.md 1.7: a report of a crime or a threat to security must be
     * forwarded at once, so such a category may never fall through to the registry. */
    for (size_t c = 0; c < r->n_categories; c++) {
        if (!r->categories[c].security_report)
            continue;
        for (size_t d = 0; d < r->n_districts; d++)
            if (!region_route(r, r->categories[c].code, r->districts[d].code)) {
                char where[64];
                snprintf(where, sizeof where, "%s:%zu:category", t->name, t->header_line);
                return ot_err(err, OT_EINVAL, "region_unrouted", where,
                              "%s: security report category '%s' has no rule for district "
                              "'%s'",
                              t->name, r->categories[c].code, r->districts[d].code);
            }
    }
    return OT_OK;
}

/* ==== Parse / free ==== */

void region_free(region_t *r)
{
    if (!r)
        return;
    tables_t *tb = r->priv;
    if (tb) {
        tsv_free(tb->bodies);
        tsv_free(tb->districts);
        tsv_free(tb->categories);
        tsv_free(tb->routing);
        free(tb);
    }
    free(r->bodies);
    free(r->districts);
    free(r->categories);
    free(r->rules);
    free(r);
}

int region_parse(const char *bodies, size_t bodies_len, const char *districts, size_t districts_len,
                 const char *categories, size_t categories_len, const char *routing,
                 size_t routing_len, region_t **out, ot_err_t *err)
{
    int rc;
    region_t *r = calloc(1, sizeof *r);
    tables_t *tb = calloc(1, sizeof *tb);
    *out = NULL;
    if (!r || !tb) {
        free(tb);
        free(r);
        return ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
    }
    r->priv = tb;
    if ((rc = tsv_parse(bodies, bodies_len, "bodies.tsv", &tb->bodies, err)) ||
        (rc = tsv_parse(districts, districts_len, "districts.tsv", &tb->districts, err)) ||
        (rc = tsv_parse(categories, categories_len, "categories.tsv", &tb->categories, err)) ||
        (rc = tsv_parse(routing, routing_len, "routing.tsv", &tb->routing, err)))
        goto out;
    if ((rc = load_bodies(r, tb->bodies, err)) || (rc = load_districts(r, tb->districts, err)) ||
        (rc = load_categories(r, tb->categories, err)) || (rc = load_routing(r, tb->routing, err)))
        goto out;
    *out = r;
    r = NULL;
out:
    region_free(r);
    return rc;
}
