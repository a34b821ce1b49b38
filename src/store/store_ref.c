/* Repository: reference data. */
#include "store/store_ref.h"

#include <string.h>

#include "store/store_int.h"

int store_body_put(store_tx_t *tx, const region_body_t *b, const char *path, ot_err_t *err)
{
    PREPARE(tx, "INSERT INTO bodies (id, parent, type, name_kk, name_ru, name_en,"
                " workday_end_min, jurisdiction, note, path, superior)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?)"
                " ON CONFLICT (id) DO UPDATE SET parent = excluded.parent, type = excluded.type,"
                " name_kk = excluded.name_kk, name_ru = excluded.name_ru,"
                " name_en = excluded.name_en, workday_end_min = excluded.workday_end_min,"
                " jurisdiction = excluded.jurisdiction, note = excluded.note,"
                " path = excluded.path, superior = excluded.superior");
    db_bind_text(st, 1, b->id);
    db_bind_text(st, 2, b->parent);
    db_bind_text(st, 3, b->type_name);
    db_bind_text(st, 4, b->name_kk);
    db_bind_text(st, 5, b->name_ru);
    db_bind_text(st, 6, b->name_en);
    db_bind_int64(st, 7, b->workday_end_min);
    db_bind_text(st, 8, b->jurisdiction);
    db_bind_text(st, 9, b->note);
    db_bind_text(st, 10, path);
    db_bind_text(st, 11, b->superior && *b->superior ? b->superior : NULL);
    return db_run(st, NULL, err);
}

int store_district_put(store_tx_t *tx, const region_district_t *d, ot_err_t *err)
{
    PREPARE(tx, "INSERT INTO districts (code, type, name_kk, name_ru, name_en, akimat, lat, lon,"
                " note) VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT (code) DO UPDATE SET"
                " type = excluded.type, name_kk = excluded.name_kk, name_ru = excluded.name_ru,"
                " name_en = excluded.name_en, akimat = excluded.akimat, lat = excluded.lat,"
                " lon = excluded.lon, note = excluded.note");
    db_bind_text(st, 1, d->code);
    db_bind_text(st, 2, d->type);
    db_bind_text(st, 3, d->name_kk);
    db_bind_text(st, 4, d->name_ru);
    db_bind_text(st, 5, d->name_en);
    db_bind_text(st, 6, d->akimat);
    if (d->has_coords) {
        db_bind_double(st, 7, d->lat);
        db_bind_double(st, 8, d->lon);
    }
    db_bind_text(st, 9, d->note);
    return db_run(st, NULL, err);
}

int store_category_put(store_tx_t *tx, const region_category_t *c, ot_err_t *err)
{
    PREPARE(tx, "INSERT INTO categories (code, grp, name_kk, name_ru, name_en, competence,"
                " security_report, keywords) VALUES (?,?,?,?,?,?,?,?) ON CONFLICT (code) DO"
                " UPDATE SET grp = excluded.grp, name_kk = excluded.name_kk,"
                " name_ru = excluded.name_ru, name_en = excluded.name_en,"
                " competence = excluded.competence, security_report = excluded.security_report,"
                " keywords = excluded.keywords");
    db_bind_text(st, 1, c->code);
    db_bind_text(st, 2, c->group);
    db_bind_text(st, 3, c->name_kk);
    db_bind_text(st, 4, c->name_ru);
    db_bind_text(st, 5, c->name_en);
    db_bind_text(st, 6, c->competence == REGION_LOCAL ? "local" : "oblast");
    db_bind_int64(st, 7, c->security_report);
    db_bind_text(st, 8, c->keywords);
    return db_run(st, NULL, err);
}

int store_routes_clear(store_tx_t *tx, ot_err_t *err)
{
    PREPARE(tx, "DELETE FROM routes");
    return db_run(st, NULL, err);
}

int store_route_put(store_tx_t *tx, const region_rule_t *r, ot_err_t *err)
{
    PREPARE(tx, "INSERT INTO routes (category, district, body) VALUES (?,?,?)");
    db_bind_text(st, 1, r->category);
    db_bind_text(st, 2, r->district);
    db_bind_text(st, 3, r->body);
    return db_run(st, NULL, err);
}

static int walk_end(db_stmt_t *st, int rc, int stop)
{
    db_reset(st);
    if (stop)
        return OT_OK;
    return rc < 0 ? -rc : OT_OK;
}

int store_body_each(store_tx_t *tx, int (*fn)(const region_body_t *b, const char *path, void *arg),
                    void *arg, ot_err_t *err)
{
    PREPARE(tx, "SELECT id, parent, type, name_kk, name_ru, name_en, workday_end_min,"
                " jurisdiction, note, path FROM bodies ORDER BY path");
    int rc, stop = 0;
    while (!stop && (rc = db_step(st, err)) == DB_ROW) {
        region_body_t b;
        memset(&b, 0, sizeof b);
        b.id = db_col_text(st, 0);
        b.parent = db_col_text(st, 1);
        b.type_name = db_col_text(st, 2);
        b.name_kk = db_col_text(st, 3);
        b.name_ru = db_col_text(st, 4);
        b.name_en = db_col_text(st, 5);
        b.workday_end_min = (int)db_col_int64(st, 6);
        b.jurisdiction = db_col_text(st, 7);
        b.note = db_col_text(st, 8);
        stop = fn(&b, db_col_text(st, 9), arg);
    }
    return walk_end(st, rc, stop);
}

int store_district_each(store_tx_t *tx, int (*fn)(const region_district_t *d, void *arg), void *arg,
                        ot_err_t *err)
{
    PREPARE(tx, "SELECT code, type, name_kk, name_ru, name_en, akimat, lat, lon, note"
                " FROM districts ORDER BY code");
    int rc, stop = 0;
    while (!stop && (rc = db_step(st, err)) == DB_ROW) {
        region_district_t d;
        memset(&d, 0, sizeof d);
        d.code = db_col_text(st, 0);
        d.type = db_col_text(st, 1);
        d.name_kk = db_col_text(st, 2);
        d.name_ru = db_col_text(st, 3);
        d.name_en = db_col_text(st, 4);
        d.akimat = db_col_text(st, 5);
        d.has_coords = !db_col_is_null(st, 6);
        d.lat = db_col_double(st, 6);
        d.lon = db_col_double(st, 7);
        d.note = db_col_text(st, 8);
        stop = fn(&d, arg);
    }
    return walk_end(st, rc, stop);
}

int store_category_each(store_tx_t *tx, int (*fn)(const region_category_t *c, void *arg), void *arg,
                        ot_err_t *err)
{
    PREPARE(tx, "SELECT code, grp, name_kk, name_ru, name_en, competence, security_report,"
                " keywords FROM categories ORDER BY grp, code");
    int rc, stop = 0;
    while (!stop && (rc = db_step(st, err)) == DB_ROW) {
        region_category_t c;
        memset(&c, 0, sizeof c);
        c.code = db_col_text(st, 0);
        c.group = db_col_text(st, 1);
        c.name_kk = db_col_text(st, 2);
        c.name_ru = db_col_text(st, 3);
        c.name_en = db_col_text(st, 4);
        const char *comp = db_col_text(st, 5);
        c.competence = comp && strcmp(comp, "local") == 0 ? REGION_LOCAL : REGION_OBLAST;
        c.security_report = (int)db_col_int64(st, 6);
        c.keywords = db_col_text(st, 7);
        stop = fn(&c, arg);
    }
    return walk_end(st, rc, stop);
}

#define BODY_COLS(B)                                                                               \
    B ".id, " B ".parent, " B ".path, " B ".jurisdiction, " B ".workday_end_min, " B               \
      ".name_ru, " B ".type, " B ".superior, " B ".name_kk"

/* a body's row, from column o on (BODY_COLS) */
static void body_row(db_stmt_t *st, int o, body_info_t *out)
{
    store_copy_col(st, o, out->id, sizeof out->id);
    store_copy_col(st, o + 1, out->parent, sizeof out->parent);
    store_copy_col(st, o + 2, out->path, sizeof out->path);
    store_copy_col(st, o + 3, out->jurisdiction, sizeof out->jurisdiction);
    out->workday_end_min = (int)db_col_int64(st, o + 4);
    store_copy_col(st, o + 5, out->name_ru, sizeof out->name_ru);
    store_copy_col(st, o + 6, out->type, sizeof out->type);
    store_copy_col(st, o + 7, out->superior, sizeof out->superior);
    store_copy_col(st, o + 8, out->name_kk, sizeof out->name_kk);
}

int store_body_get(store_tx_t *tx, const char *id, body_info_t *out, ot_err_t *err)
{
    PREPARE(tx, "SELECT " BODY_COLS("b") " FROM bodies b WHERE b.id = ?");
    db_bind_text(st, 1, id);
    int rc = db_step(st, err);
    if (rc < 0)
        return -rc;
    if (rc == DB_DONE) {
        db_reset(st);
        return ot_err(err, OT_ENOTFOUND, "unknown_body", "body", "no body with id '%.64s'", id);
    }
    body_row(st, 0, out);
    db_reset(st);
    return OT_OK;
}

int store_category_get(store_tx_t *tx, const char *code, int *security_report, ot_err_t *err)
{
    PREPARE(tx, "SELECT security_report FROM categories WHERE code = ?");
    db_bind_text(st, 1, code);
    int64_t v = 0;
    int rc = db_run(st, &v, err);
    if (rc == OT_ENOTFOUND)
        return ot_err(err, OT_ENOTFOUND, "unknown_category", "category",
                      "no category '%.64s' (see GET /api/v1/categories)", code);
    *security_report = (int)v;
    return rc;
}

int store_district_check(store_tx_t *tx, const char *code, ot_err_t *err)
{
    PREPARE(tx, "SELECT 1 FROM districts WHERE code = ?");
    db_bind_text(st, 1, code);
    int64_t v;
    int rc = db_run(st, &v, err);
    if (rc == OT_ENOTFOUND)
        return ot_err(err, OT_ENOTFOUND, "unknown_district", "district",
                      "no district '%.64s' (see GET /api/v1/districts)", code);
    return rc;
}

int store_intake_refs(store_tx_t *tx, const char *category, const char *district,
                      int *security_report, char *routed, size_t n, body_info_t *body,
                      ot_err_t *err)
{
    /* store_category_get's, store_district_check's and the route's statements as subqueries
     * of one, with the routed body's row (store_body_get's); the route is the district's own
     * rule, else the category's rule for every district: two primary key lookups (an ORDER
     * BY over the pair built a temporary b-tree, 30 us a call on SQLite) */
    PREPARE(
        tx,
        "SELECT x.security_report, x.district, x.routed, " BODY_COLS(
            "b") " FROM"
                 " (SELECT (SELECT security_report FROM categories WHERE code = ?1) AS "
                 "security_report,"
                 "  (SELECT 1 FROM districts WHERE code = ?2) AS district,"
                 "  coalesce((SELECT body FROM routes WHERE category = ?1 AND district = ?3),"
                 "   (SELECT body FROM routes WHERE category = ?1 AND district = '*')) AS routed) x"
                 " LEFT JOIN bodies b ON b.id = x.routed");
    db_bind_text(st, 1, category);
    store_bind_opt(st, 2, district);
    db_bind_text(st, 3, district ? district : "*");
    int rc = db_step(st, err);
    if (rc < 0)
        return -rc;
    routed[0] = '\0';
    if (body)
        body->id[0] = '\0';
    if (rc == DB_DONE || db_col_is_null(st, 0)) /* one row, always */
        rc = ot_err(err, OT_ENOTFOUND, "unknown_category", "category",
                    "no category '%.64s' (see GET /api/v1/categories)", category);
    else if (district && *district && db_col_is_null(st, 1))
        rc = ot_err(err, OT_ENOTFOUND, "unknown_district", "district",
                    "no district '%.64s' (see GET /api/v1/districts)", district);
    else {
        rc = OT_OK;
        *security_report = (int)db_col_int64(st, 0);
        if (!db_col_is_null(st, 2))
            store_copy_col(st, 2, routed, n);
        if (body && !db_col_is_null(st, 3))
            body_row(st, 3, body);
    }
    db_reset(st);
    return rc;
}

int store_body_root(store_tx_t *tx, char *out, size_t n, ot_err_t *err)
{
    PREPARE(tx, "SELECT id FROM bodies WHERE parent IS NULL AND type <> 'external'"
                " ORDER BY id LIMIT 1");
    int rc = db_step(st, err);
    if (rc < 0)
        return -rc;
    if (rc == DB_DONE) {
        db_reset(st);
        return ot_err(err, OT_EINTERNAL, "no_root_body", NULL, "no bodies loaded: otinish init");
    }
    store_copy_col(st, 0, out, n);
    db_reset(st);
    return OT_OK;
}

int store_juris_has_bodies(store_tx_t *tx, const char *code, int *yes, ot_err_t *err)
{
    PREPARE(tx, "SELECT 1 FROM bodies WHERE jurisdiction = ? LIMIT 1");
    db_bind_text(st, 1, code);
    int64_t v = 0;
    int rc = db_run(st, &v, err);
    *yes = rc == OT_OK;
    return rc == OT_ENOTFOUND ? OT_OK : rc;
}
