/* Repository: problems (issue 17). store_problem_appeals is in store_appeal.c (it reads
 * appeal rows). */
#include "store/store_problem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/date.h"
#include "store/store_int.h"
#include "store/store_search.h"
#include "util/jw.h"
#include "util/str.h"

#define COPY(i, f) store_copy_col(st, i, p->f, sizeof p->f)

#define PROBLEM_COLS PROBLEM_COLS_OF("p", "b")

void store_read_problem(db_stmt_t *st, int o, problem_rec_t *p)
{
    memset(p, 0, sizeof *p);
    p->id = db_col_int64(st, o);
    COPY(o + 1, body);
    COPY(o + 2, body_path);
    COPY(o + 3, category);
    COPY(o + 4, district);
    COPY(o + 5, place);
    COPY(o + 6, cell);
    p->has_coords = !db_col_is_null(st, o + 7);
    p->lat = db_col_double(st, o + 7);
    p->lon = db_col_double(st, o + 8);
    COPY(o + 9, words);
    COPY(o + 10, title);
    COPY(o + 11, address);
    COPY(o + 12, state);
    p->confirmed = (int)db_col_int64(st, o + 13);
    p->n_appeals = db_col_int64(st, o + 14);
    p->n_open = db_col_int64(st, o + 15);
    p->recurrences = db_col_int64(st, o + 16);
    p->first_at = db_col_int64(st, o + 17);
    p->last_at = db_col_int64(st, o + 18);
    p->recurred_at = db_col_int64(st, o + 19);
    p->updated_at = db_col_int64(st, o + 20);
    p->merged_into = db_col_int64(st, o + 21);
}

static int each(db_stmt_t *st, int (*fn)(const problem_rec_t *p, void *arg), void *arg,
                ot_err_t *err)
{
    int rc, stop = 0;
    problem_rec_t p;
    while (!stop && (rc = db_step(st, err)) == DB_ROW) {
        store_read_problem(st, 0, &p);
        stop = fn(&p, arg);
    }
    db_reset(st);
    return stop || rc >= 0 ? OT_OK : -rc;
}

/* by_place: the rows were found by their place key (p.place is set to it); else by cell */
static int candidates_rows(db_stmt_t *st, const char *by_place,
                           int (*fn)(const problem_rec_t *p, void *arg), void *arg, ot_err_t *err)
{
    int rc, stop = 0;
    problem_rec_t p;
    while (!stop && (rc = db_step(st, err)) == DB_ROW) {
        memset(&p, 0, sizeof p);
        p.id = db_col_int64(st, 0);
        store_copy_col(st, 1, p.words, sizeof p.words);
        p.has_coords = !db_col_is_null(st, 2);
        p.lat = db_col_double(st, 2);
        p.lon = db_col_double(st, 3);
        if (by_place)
            str_copy(p.place, sizeof p.place, by_place);
        stop = fn(&p, arg);
    }
    db_reset(st);
    return stop || rc >= 0 ? OT_OK : -rc;
}

/* The statements an intake runs to find and join a problem, each one seek of an index
 * whatever the problem's size (tests/unit/store/problem_plans.c checks their plans). */
const char *const store_problem_sql[STORE_PROBLEM_SQL_COUNT] = {
    /* problems_place */
    [STORE_PROBLEM_SQL_BY_PLACE] =
        "SELECT id, words, lat, lon FROM problems WHERE category = ? AND place = ?"
        " AND last_at >= ? AND place <> '' AND merged_into IS NULL"
        " ORDER BY last_at DESC LIMIT 32",
    /* problems_cell */
    [STORE_PROBLEM_SQL_BY_CELL] =
        "SELECT id, words, lat, lon FROM problems WHERE category = ? AND cell = ?"
        " AND last_at >= ? AND cell IS NOT NULL AND merged_into IS NULL"
        " ORDER BY last_at DESC LIMIT 8",
    /* appeals_problem_answered, newest answer first: the first answered appeal received
     * before is nearly always the first row. received_at + 0 keeps both engines off
     * appeals_problem (problem_id, received_at), which read every appeal of the problem and
     * sorted them: a problem of 20,000 appeals (make bench's intake, a mass complaint) cost
     * 2 MB of index per intake into it (issue 23: intake at 1M, 145-400/s) */
    [STORE_PROBLEM_SQL_LAST_ANSWERED] = "SELECT id, answered_at FROM appeals WHERE problem_id = ?"
                                        " AND answered_at IS NOT NULL AND received_at + 0 < ?"
                                        " ORDER BY answered_at DESC LIMIT 1",
    /* appeals_problem_applicant: one seek for the applicant, however many of the problem's
     * appeals were decided */
    [STORE_PROBLEM_SQL_DECIDED_BY] =
        "SELECT id FROM appeals WHERE problem_id = ? AND applicant_key = ? AND id <> ?"
        " AND decision IS NOT NULL AND answered_at IS NOT NULL"
        " ORDER BY answered_at DESC LIMIT 1",
};

int store_problem_candidates(store_tx_t *tx, const char *category, const char *place,
                             const char (*cells)[32], int64_t since_us,
                             int (*fn)(const problem_rec_t *p, void *arg), void *arg, ot_err_t *err)
{
    int rc = OT_OK;
    if (place && *place) { /* problems_place */
        PREPARE(tx, store_problem_sql[STORE_PROBLEM_SQL_BY_PLACE]);
        db_bind_text(st, 1, category);
        db_bind_text(st, 2, place);
        db_bind_int64(st, 3, since_us);
        if ((rc = candidates_rows(st, place, fn, arg, err)))
            return rc;
    }
    /* problems_cell, one cell at a time: with the nine in one IN (...) and an ORDER BY,
     * SQLite took 88 us a lookup against 13 us for the place (init --demo 35000) */
    for (int i = 0; cells && !rc && i < 9; i++) {
        PREPARE(tx, store_problem_sql[STORE_PROBLEM_SQL_BY_CELL]);
        db_bind_text(st, 1, category);
        db_bind_text(st, 2, cells[i]);
        db_bind_int64(st, 3, since_us);
        rc = candidates_rows(st, NULL, fn, arg, err);
    }
    return rc;
}

#define PROBLEM_INSERT                                                                             \
    "INSERT INTO problems (body, category, district, place, cell, lat, lon, words,"                \
    " title, address, state, confirmed, n_appeals, n_open, recurrences, first_at,"                 \
    " last_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
int store_problem_insert(store_tx_t *tx, problem_rec_t *p, ot_err_t *err)
{
    int ret = store_returning(tx);
    PREPARE(tx, ret ? PROBLEM_INSERT " RETURNING id" : PROBLEM_INSERT);
    db_bind_text(st, 1, p->body);
    store_bind_opt(st, 2, p->category);
    store_bind_opt(st, 3, p->district);
    db_bind_text(st, 4, p->place);
    store_bind_opt(st, 5, p->cell);
    if (p->has_coords) {
        db_bind_double(st, 6, p->lat);
        db_bind_double(st, 7, p->lon);
    }
    db_bind_text(st, 8, p->words);
    db_bind_text(st, 9, p->title);
    db_bind_text(st, 10, p->address);
    db_bind_text(st, 11, p->state[0] ? p->state : "open");
    db_bind_int64(st, 12, p->confirmed);
    db_bind_int64(st, 13, p->n_appeals);
    db_bind_int64(st, 14, p->n_open);
    db_bind_int64(st, 15, p->recurrences);
    db_bind_int64(st, 16, p->first_at);
    db_bind_int64(st, 17, p->last_at);
    db_bind_int64(st, 18, p->updated_at);
    int rc = db_run(st, ret ? &p->id : NULL, err); /* RETURNING: see store_returning */
    if (!rc && !ret)
        p->id = db_last_id(tx->db);
    if (!rc) /* the search index, in the same transaction (store_search.h) */
        rc = store_search_problem_new(tx, p->id, p->body, p->title, p->address, err);
    return rc;
}

/* An update names only the columns it changes, in a statement of its own for each set of
 * them: SQLite rewrites the entry of every index that holds a column an UPDATE sets, changed or
 * not, and the list's indexes hold the state, the number of appeals, the body and both times
 * (migration 55), while most changes of an appeal move only the problem's open count. The
 * statements by what they set besides the counts no index holds: the state (16), the number
 * of appeals (8), the recurrences (4), the body and first appeal (2), the last appeal (1). */
#define UPD5(S, N, R, B, L)                                                                        \
    "UPDATE problems SET confirmed = ?, n_open = ?, updated_at = ?" S N R B L " WHERE id = ?"
#define UPD4(S, N, R, B) UPD5(S, N, R, B, ""), UPD5(S, N, R, B, ", last_at = ?")
#define UPD3(S, N, R)    UPD4(S, N, R, ""), UPD4(S, N, R, ", body = ?, first_at = ?")
#define UPD2(S, N)       UPD3(S, N, ""), UPD3(S, N, ", recurrences = ?, recurred_at = ?")
#define UPD1(S)          UPD2(S, ""), UPD2(S, ", n_appeals = ?")
static const char *const update_sql[32] = {UPD1(""), UPD1(", state = ?")};
#undef UPD1
#undef UPD2
#undef UPD3
#undef UPD4
#undef UPD5

int store_problem_update(store_tx_t *tx, const problem_rec_t *old, const problem_rec_t *p,
                         ot_err_t *err)
{
    int rc;
    /* the search index holds the problem in its body's scope while it is not merged: taken
     * out as it is before the change, put in again after it */
    int reindex = !old || strcmp(old->body, p->body) || old->merged_into != p->merged_into;
    if (reindex && (rc = store_search_problem(tx, p->id, 1, err)))
        return rc;
    if (!old || old->merged_into != p->merged_into) {
        PREPARE(tx, "UPDATE problems SET merged_into = ? WHERE id = ?");
        store_bind_id(st, 1, p->merged_into);
        db_bind_int64(st, 2, p->id);
        if ((rc = db_send(st, err)))
            return rc;
    }
    /* one statement, one write of the row: an appeal joining a problem changes its last_at
     * and its counts together (issue 23 point 7: each intake into a problem wrote its row
     * twice) */
    int state = !old || strcmp(old->state, p->state);
    int count = !old || old->n_appeals != p->n_appeals;
    int recur = !old || old->recurrences != p->recurrences || old->recurred_at != p->recurred_at;
    int moved = !old || strcmp(old->body, p->body) || old->first_at != p->first_at;
    int later = moved || old->last_at != p->last_at;
    db_stmt_t *st = db_prepare(
        tx->db, update_sql[state << 4 | count << 3 | recur << 2 | moved << 1 | later], err);
    if (!st)
        return err ? err->status : OT_EINTERNAL;
    int i = 1;
    db_bind_int64(st, i++, p->confirmed);
    db_bind_int64(st, i++, p->n_open);
    db_bind_int64(st, i++, p->updated_at);
    if (state)
        db_bind_text(st, i++, p->state);
    if (count)
        db_bind_int64(st, i++, p->n_appeals);
    if (recur) {
        db_bind_int64(st, i++, p->recurrences);
        store_bind_id(st, i++, p->recurred_at);
    }
    if (moved) {
        db_bind_text(st, i++, p->body);
        db_bind_int64(st, i++, p->first_at);
    }
    if (later)
        db_bind_int64(st, i++, p->last_at);
    db_bind_int64(st, i, p->id);
    rc = db_send(st, err);
    if (!rc && reindex)
        rc = store_search_problem(tx, p->id, 0, err);
    return rc;
}

#define PROBLEM_GET                                                                                \
    "SELECT " PROBLEM_COLS " FROM problems p JOIN bodies b ON b.id = p.body WHERE p.id = ?"

int store_problem_ask(store_tx_t *tx, int64_t id, ot_err_t *err)
{
    tx->problem_asked = NULL;
    PREPARE(tx, PROBLEM_GET);
    db_bind_int64(st, 1, id);
    int rc = db_prefetch(st, err);
    if (!rc) {
        tx->problem_asked = st;
        tx->problem_asked_id = id;
    }
    return rc;
}

void store_problem_unask(store_tx_t *tx)
{
    if (tx->problem_asked)
        db_reset(tx->problem_asked);
    tx->problem_asked = NULL;
}

int store_problem_get(store_tx_t *tx, int64_t id, problem_rec_t *out, ot_err_t *err)
{
    db_stmt_t *st = tx->problem_asked;
    if (!st || tx->problem_asked_id != id) {
        store_problem_unask(tx);
        if (!(st = db_prepare(tx->db, PROBLEM_GET, err)))
            return err ? err->status : OT_EINTERNAL;
        db_bind_int64(st, 1, id);
    }
    tx->problem_asked = NULL;
    int rc = db_step(st, err);
    if (rc < 0)
        return -rc;
    if (rc == DB_DONE) {
        db_reset(st);
        return ot_err(err, OT_ENOTFOUND, "problem_not_found", "id", "no such problem");
    }
    store_read_problem(st, 0, out);
    db_reset(st);
    return OT_OK;
}

#define OPEN_STATUS "status IN ('registered', 'assigned', 'in_work')"

int store_problem_summary(store_tx_t *tx, int64_t id, problem_summary_t *s, int64_t *first_at,
                          int64_t *last_at, char body[64], ot_err_t *err)
{
    memset(s, 0, sizeof *s);
    *first_at = *last_at = 0;
    int rc;
    {
        /* the re-raises and the "no" verdicts on a decision that said solved */
        PREPARE(tx, "SELECT count(*), coalesce(sum(" OPEN_STATUS "), 0),"
                    " coalesce(sum(reraised), 0) + coalesce(sum(verdict = 'no' AND decision IN"
                    " ('satisfied', 'partly_satisfied')), 0), min(received_at), max(received_at)"
                    " FROM appeals WHERE problem_id = ?");
        db_bind_int64(st, 1, id);
        if ((rc = db_step(st, err)) < 0)
            return -rc;
        s->n_appeals = db_col_int64(st, 0);
        s->n_open = db_col_int64(st, 1);
        s->recurrences = db_col_int64(st, 2);
        *first_at = db_col_int64(st, 3);
        *last_at = db_col_int64(st, 4);
        db_reset(st);
    }
    return store_problem_latest(tx, id, s, body, err);
}

const char *const store_problem_latest_sql =
    "SELECT " OPEN_STATUS ", decision, verdict, body FROM appeals"
    " WHERE problem_id = ? ORDER BY received_at DESC, id DESC LIMIT 1";

int store_problem_latest(store_tx_t *tx, int64_t id, problem_summary_t *s, char body[64],
                         ot_err_t *err)
{
    s->latest_open = 0;
    s->latest_decision[0] = s->latest_verdict[0] = body[0] = '\0';
    PREPARE(tx, store_problem_latest_sql);
    db_bind_int64(st, 1, id);
    int rc = db_step(st, err);
    if (rc < 0)
        return -rc;
    if (rc == DB_ROW) {
        s->latest_open = (int)db_col_int64(st, 0);
        store_copy_col(st, 1, s->latest_decision, sizeof s->latest_decision);
        store_copy_col(st, 2, s->latest_verdict, sizeof s->latest_verdict);
        store_copy_col(st, 3, body, 64);
    }
    db_reset(st);
    return OT_OK;
}

int store_problem_last_answered(store_tx_t *tx, int64_t id, int64_t before_us, int64_t *appeal,
                                int64_t *answered_at, ot_err_t *err)
{
    PREPARE(tx, store_problem_sql[STORE_PROBLEM_SQL_LAST_ANSWERED]);
    db_bind_int64(st, 1, id);
    db_bind_int64(st, 2, before_us);
    *appeal = *answered_at = 0;
    int rc = db_step(st, err);
    if (rc < 0)
        return -rc;
    if (rc == DB_ROW) {
        *appeal = db_col_int64(st, 0);
        *answered_at = db_col_int64(st, 1);
    }
    db_reset(st);
    return OT_OK;
}

int store_problem_decided_by(store_tx_t *tx, int64_t id, const char *applicant_key, int64_t not_id,
                             int64_t *appeal, ot_err_t *err)
{
    PREPARE(tx, store_problem_sql[STORE_PROBLEM_SQL_DECIDED_BY]);
    db_bind_int64(st, 1, id);
    db_bind_text(st, 2, applicant_key);
    db_bind_int64(st, 3, not_id);
    *appeal = 0;
    int rc = db_run(st, appeal, err);
    return rc == OT_ENOTFOUND ? OT_OK : rc;
}

/* Each year's appeals counted as a range of appeals_problem (problem_id, received_at), the
 * years from the problem's first appeal to its last (two seeks): the grouping by
 * strftime's year of every appeal cost about 1 µs an appeal, 4 ms for the 1M demo's largest
 * problem (3,232 appeals), 17 ms p50 for Ridder's head's page by number of appeals; a range
 * count of the index 0.3 ms. A page's problems are counted together, in two statements over
 * JSON arrays (json_each): [0] each problem's first and last appeal, [1] each (problem,
 * year)'s count; on PostgreSQL two statements a problem were two round trips each, 400 for a
 * page of 200. Unordered: each row names its problem (its index in the array) and year. */
const char *const store_problem_years_sql[2] = {
    "SELECT j.key, (SELECT min(received_at) FROM appeals WHERE problem_id = CAST(j.value AS "
    "BIGINT)),"
    " (SELECT max(received_at) FROM appeals WHERE problem_id = CAST(j.value AS BIGINT))"
    " FROM json_each(?1) j",
    "SELECT CAST(j.value ->> 0 AS BIGINT), CAST(j.value ->> 1 AS BIGINT), (SELECT count(*)"
    " FROM appeals WHERE problem_id = CAST(j.value ->> 2 AS BIGINT)"
    " AND received_at >= CAST(j.value ->> 3 AS BIGINT) AND received_at < CAST(j.value ->> 4 AS "
    "BIGINT))"
    " FROM json_each(?1) j",
};

int store_problem_years(store_tx_t *tx, const int64_t *ids, size_t n, int off_min,
                        int (*fn)(size_t i, int year, int64_t count, void *arg), void *arg,
                        ot_err_t *err)
{
    if (!n)
        return OT_OK;
    char *list = store_json_ids(ids, n), *spans = NULL;
    if (!list)
        return ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
    /* [i, year, id, from, to] for each year of each problem from its first appeal to its last */
    jw_t w = JW_INIT;
    jw_arr(&w);
    int rc, any = 0;
    {
        PREPARE(tx, store_problem_years_sql[0]);
        db_bind_text(st, 1, list);
        while ((rc = db_step(st, err)) == DB_ROW) {
            size_t i = (size_t)db_col_int64(st, 0);
            if (db_col_is_null(st, 1) || i >= n)
                continue; /* no appeal */
            int y0 = date_year(instant_local_day(db_col_int64(st, 1), off_min));
            int y1 = date_year(instant_local_day(db_col_int64(st, 2), off_min));
            for (int y = y0; y <= y1; y++) {
                ot_day_t from, to;
                if (date_from_ymd(y, 1, 1, &from) || date_from_ymd(y + 1, 1, 1, &to))
                    break; /* beyond year 9999 */
                jw_arr(&w);
                jw_int(&w, (int64_t)i);
                jw_int(&w, y);
                jw_int(&w, ids[i]);
                jw_int(&w, instant_from_local(from, 0, off_min));
                jw_int(&w, instant_from_local(to, 0, off_min));
                jw_end(&w);
                any = 1;
            }
        }
        db_reset(st);
    }
    free(list);
    jw_end(&w);
    spans = jw_finish(&w, NULL);
    if (rc < 0 || !spans || !any) {
        free(spans);
        return rc < 0   ? -rc
               : !spans ? ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory")
                        : OT_OK;
    }
    PREPARE(tx, store_problem_years_sql[1]);
    db_bind_text(st, 1, spans);
    int stop = 0;
    while (!stop && (rc = db_step(st, err)) == DB_ROW) {
        int64_t count = db_col_int64(st, 2);
        if (count)
            stop = fn((size_t)db_col_int64(st, 0), (int)db_col_int64(st, 1), count, arg);
    }
    db_reset(st);
    free(spans);
    return stop || rc >= 0 ? OT_OK : -rc;
}

int store_problem_places(store_tx_t *tx, int64_t after_id, int max,
                         int (*fn)(int64_t id, const char *address, const char *place, void *arg),
                         void *arg, int64_t *last, ot_err_t *err)
{
    PREPARE(tx, "SELECT id, address, place FROM problems WHERE id > ? ORDER BY id LIMIT ?");
    db_bind_int64(st, 1, after_id);
    db_bind_int64(st, 2, max);
    int rc, stop = 0;
    *last = after_id;
    while (!stop && (rc = db_step(st, err)) == DB_ROW) {
        *last = db_col_int64(st, 0);
        const char *address = db_col_text(st, 1), *place = db_col_text(st, 2);
        stop = fn(*last, address ? address : "", place ? place : "", arg);
    }
    db_reset(st);
    return stop || rc >= 0 ? OT_OK : -rc;
}

int store_problem_set_place(store_tx_t *tx, int64_t id, const char *place, ot_err_t *err)
{
    PREPARE(tx, "UPDATE problems SET place = ? WHERE id = ?");
    db_bind_text(st, 1, place);
    db_bind_int64(st, 2, id);
    return db_run(st, NULL, err);
}

int store_problem_move_all(store_tx_t *tx, int64_t from, int64_t to, ot_err_t *err)
{
    PREPARE(tx, "UPDATE appeals SET problem_id = ? WHERE problem_id = ?");
    db_bind_int64(st, 1, to);
    db_bind_int64(st, 2, from);
    return db_run(st, NULL, err);
}

/* The list (issue 23: a staff list reads through an index that matches it, at any size). A
 * page is read one of two ways:
 * - driven by one filter: the scope, the body, the category, the state, the district, the
 *   least number of appeals or the earliest last appeal, whichever matches fewest problems
 *   (with a scope or a body, a district's, a category's and a state's problems of its bodies
 *   alone, one range of their (x, body, last_at) index a body; the window of last appeals a
 *   range of each (.., last_at) index),
 *   when that is under STORE_PROBE_CAP (APPEALS_CAP by number of appeals; each given one
 *   counted on its own index up to the cap: a fraction of a millisecond). Its entries come from
 *   its index, the other filters are checked on them and the few that pass are sorted. At
 *   1,051,554 demo appeals a body with no problem read every problem through problems_recent to
 *   find none (0.6-0.9 s; 0.3-0.45 s by number of appeals or age for a body or a category of a
 *   few hundred).
 * - walked (list_large, below): the order's index in order, every filter checked on its
 *   entries; when one filter's index holds the order after it (a body's, a category's or a
 *   state's problems newest first: (body, last_at), (category, last_at), (state, last_at); a
 *   state's by number of appeals: (state, n_appeals DESC, first_at)), that index is walked, so
 *   only that filter's problems are passed.
 * Every index read holds every filter's column (migration 55), so the filters are checked on
 * the index's entries and only the page's rows are read. The filters not driving are written
 * so that no index can take them ("?N IS NULL OR", a unary +, `|| ''`): SQLite then walks the
 * driver's index and does not prefer another. */
/* W_ANY checks every filter; W_OWN all but the scope, for the drivers that read only the
 * scope's bodies (or the body, which is checked to be in the scope before): the scope's list
 * of bodies sought for every entry cost a third of a district's page (48,860 entries, 10 ->
 * 6 ms at the 1M demo) */
#define W_FILTERS                                                                                  \
    " AND (?2 IS NULL OR p.body = ?2)"                                                             \
    " AND (?3 IS NULL OR p.district = ?3) AND (?4 IS NULL OR p.category = ?4)"                     \
    " AND (?7 IS NULL OR (p.state || '') = ?7)"
/* the problems of the scope (s: its path) */
#define IN_SCOPE(s) "p.body IN (SELECT id FROM bodies WHERE substr(path, 1, length(" s ")) = " s ")"
/* of the scope's bodies (s), or of the body (b), either NULL: what a district's, a category's
 * or a state's problems are narrowed to, one range of (x, body, last_at) a body */
#define IN_BODIES(s, b)                                                                            \
    " AND p.body IN (SELECT id FROM bodies WHERE (" s " IS NULL"                                   \
    " OR substr(path, 1, length(" s ")) = " s ") AND (" b " IS NULL OR id = " b "))"
#define W_OWN " WHERE p.merged_into IS NULL" W_FILTERS
#define W_ANY " WHERE p.merged_into IS NULL AND (?1 IS NULL OR " IN_SCOPE("?1") ")" W_FILTERS
#define LIST_SELECT(where)                                                                         \
    "SELECT " PROBLEM_COLS " FROM problems p JOIN bodies b ON b.id = p.body" where
#define BY_SCOPE       " AND " IN_SCOPE("?1")
#define BY_BODY        " AND p.body = ?2"
#define BY_CATEGORY    " AND p.category = ?4"
#define BY_STATE       " AND p.state = ?7"
#define OF_BODIES      IN_BODIES("?1", "?2")
#define BY_DISTRICT    " AND p.district = ?3" OF_BODIES
#define BY_CATEGORY_IN " AND p.category = ?4" OF_BODIES
#define BY_STATE_IN    " AND p.state = ?7" OF_BODIES
#define RECENT         " AND +p.n_appeals >= ?5 AND p.last_at >= ?6"
#define APPEALS        " AND p.n_appeals >= ?5 AND +p.last_at >= ?6"
/* the window of last appeals (since) is a range of the (x, last_at) indexes of the body, the
 * category, the state and the (x, body, last_at) ones */
#define RANGES_IX   " AND +p.n_appeals >= ?5 AND p.last_at >= ?6"
#define O_RECENT    " ORDER BY p.last_at DESC, p.id DESC"
#define O_RECENT_C  " ORDER BY +p.last_at DESC, p.id DESC"
#define O_APPEALS   " ORDER BY p.n_appeals DESC, p.first_at ASC, p.id"
#define O_APPEALS_C " ORDER BY +p.n_appeals DESC, p.first_at ASC, p.id"
#define O_AGE       " ORDER BY p.first_at ASC, p.id"
#define O_AGE_C     " ORDER BY +p.first_at ASC, p.id"
#define PAGE        " LIMIT ?8"
/* The keyset cursor (issue 23 point 1: a page at any depth reads what it shows; an offset
 * read every row before it, 126 ms at offset 100,000 of the 1M demo): the rows after the
 * last one shown in the sort's order, ?9 and on. Each in two wordings: _W where the walk's
 * index is the order's (a range of it: the page starts at the cursor), _C where the driver's
 * few rows are sorted (checked on them, so that SQLite keeps the driver's index). By number
 * of appeals the order is (n_appeals DESC, first_at, id), which one range cannot start at:
 * the rest of the cursor's run of equal counts (AFTER), then the smaller counts (BELOW). */
#define AFTER_R_W " AND p.last_at <= ?9 AND (p.last_at < ?9 OR p.id < ?10)"
#define AFTER_R_C " AND +p.last_at <= ?9 AND (+p.last_at < ?9 OR p.id < ?10)"
#define AFTER_G_W " AND p.first_at >= ?9 AND (p.first_at > ?9 OR p.id > ?10)"
#define AFTER_G_C " AND +p.first_at >= ?9 AND (+p.first_at > ?9 OR p.id > ?10)"
#define AFTER_A_W " AND p.n_appeals = ?9 AND p.first_at >= ?10 AND (p.first_at > ?10 OR p.id > ?11)"
#define AFTER_A_C                                                                                  \
    " AND +p.n_appeals = ?9 AND +p.first_at >= ?10 AND (+p.first_at > ?10 OR p.id > ?11)"
#define BELOW_A_W " AND p.n_appeals < ?9"
/* the cursor of a walk of the order's index alone (walk_bits): ?1 the key, ?2 the id */
#define AFTER_R_W_12 " AND p.last_at <= ?1 AND (p.last_at < ?1 OR p.id < ?2)"
#define AFTER_G_W_12 " AND p.first_at >= ?1 AND (p.first_at > ?1 OR p.id > ?2)"
#define BELOW_A_C    " AND +p.n_appeals < ?9"
/* a driver's statements in one order (R recent, A appeals, G age; W or C as above) from
 * each cursor */
/* a page in one order: W walks the order's index and reads the page's rows; C sorts the
 * driver's rows, their ids first and then the page's whole rows (a problem's row is large:
 * its words, title, address; sorting 7,900 whole rows for a district head's page by number of
 * appeals took 25 ms at 1M) */
#define PAGE_W(where, rows, order) LIST_SELECT(where) rows order PAGE
#define PAGE_C(where, rows, order)                                                                 \
    "SELECT " PROBLEM_COLS " FROM problems p JOIN bodies b ON b.id = p.body WHERE p.id IN"         \
    " (SELECT p.id FROM problems p" where rows order PAGE ")" order
/* a driver's statements in one order (R recent, A appeals, G age; W or C as above) from
 * each cursor */
#define FROM_R(where, rows, wc)                                                                    \
    {                                                                                              \
        PAGE_##wc(where, rows, O_RECENT), PAGE_##wc(where, rows AFTER_R_##wc, O_RECENT), NULL      \
    }
#define FROM_G(where, rows, wc)                                                                    \
    {                                                                                              \
        PAGE_##wc(where, rows, O_AGE), PAGE_##wc(where, rows AFTER_G_##wc, O_AGE), NULL            \
    }
#define FROM_A(where, rows, order, wc)                                                             \
    {                                                                                              \
        PAGE_##wc(where, rows, order), PAGE_##wc(where, rows AFTER_A_##wc, order),                 \
            PAGE_##wc(where, rows BELOW_A_##wc, order)                                             \
    }
/* a driver whose few problems are sorted in each order (by +last_at, +n_appeals: SQLite would
 * walk a category's or a state's (x, last_at) or (state, n_appeals) index in order instead,
 * every problem of it, checking the bodies on each) */
#define SORTED(where, rows)                                                                        \
    {                                                                                              \
        {PAGE_C(where, rows, O_RECENT_C), PAGE_C(where, rows AFTER_R_C, O_RECENT_C), NULL},        \
            FROM_A(where, rows, O_APPEALS_C, C), FROM_G(where, rows, C)                            \
    }

/* a range of problems_appeals, problems_district_appeals or problems_state_appeals (the least
 * number of appeals of every problem, of a district's, of a state's: eq the equality) walked by
 * number of appeals, its few rows sorted in the other orders (the unary + on the order's first
 * key: SQLite would walk that key's index instead, every problem). From a cursor the least
 * number is checked on the run's entries, not a range: with both, SQLite took problems_appeals
 * for the cursor's run, every problem's. */
#define OF_APPEALS(eq)                                                                             \
    {                                                                                              \
        {PAGE_C(W_ANY, eq APPEALS, O_RECENT_C), PAGE_C(W_ANY, eq APPEALS AFTER_R_C, O_RECENT_C),   \
         NULL},                                                                                    \
            {PAGE_W(W_ANY, eq APPEALS, O_APPEALS),                                                 \
             PAGE_W(W_ANY, eq " AND +p.n_appeals >= ?5 AND +p.last_at >= ?6" AFTER_A_W,            \
                    O_APPEALS),                                                                    \
             PAGE_W(W_ANY, eq APPEALS BELOW_A_W, O_APPEALS)},                                      \
        {                                                                                          \
            PAGE_C(W_ANY, eq APPEALS, O_AGE_C), PAGE_C(W_ANY, eq APPEALS AFTER_G_C, O_AGE_C), NULL \
        }                                                                                          \
    }

enum { SORT_RECENT, SORT_APPEALS, SORT_AGE };

static const char *const list_sql[STORE_PROBLEM_DRIVERS][3][STORE_PROBLEM_CURSORS] = {
    [STORE_PROBLEM_BY_SCOPE] = SORTED(W_OWN, BY_SCOPE RANGES_IX),
    [STORE_PROBLEM_BY_BODY] = {FROM_R(W_OWN, BY_BODY RECENT, W),
                               FROM_A(W_OWN, BY_BODY RANGES_IX, O_APPEALS, C),
                               FROM_G(W_OWN, BY_BODY RANGES_IX, C)},
    [STORE_PROBLEM_BY_CATEGORY] = {FROM_R(W_ANY, BY_CATEGORY RECENT, W),
                                   FROM_A(W_ANY, BY_CATEGORY RANGES_IX, O_APPEALS, C),
                                   FROM_G(W_ANY, BY_CATEGORY RANGES_IX, C)},
    [STORE_PROBLEM_BY_DISTRICT] = SORTED(W_OWN, BY_DISTRICT RANGES_IX),
    [STORE_PROBLEM_BY_STATE] = {FROM_R(W_ANY, BY_STATE RECENT, W),
                                FROM_A(W_ANY, BY_STATE RANGES_IX, O_APPEALS_C, C),
                                FROM_G(W_ANY, BY_STATE RANGES_IX, C)},
    [STORE_PROBLEM_BY_CATEGORY_IN] = SORTED(W_OWN, BY_CATEGORY_IN RANGES_IX),
    [STORE_PROBLEM_BY_STATE_IN] = SORTED(W_OWN, BY_STATE_IN RANGES_IX),
    [STORE_PROBLEM_BY_APPEALS_IN] = SORTED(W_OWN, OF_BODIES APPEALS),
    [STORE_PROBLEM_BY_APPEALS] = OF_APPEALS(""),
    [STORE_PROBLEM_BY_DISTRICT_APPEALS] = OF_APPEALS(" AND p.district = ?3"),
    [STORE_PROBLEM_BY_STATE_APPEALS] = OF_APPEALS(" AND p.state = ?7"),
    [STORE_PROBLEM_BY_SINCE] = {FROM_R(W_ANY, RECENT, W),
                                FROM_A(W_ANY, RANGES_IX, O_APPEALS_C, C),
                                {PAGE_C(W_ANY, RANGES_IX, O_AGE_C),
                                 PAGE_C(W_ANY, RANGES_IX AFTER_G_C, O_AGE_C), NULL}},
};

/* how many problems a driver's filter matches, up to a cap (?2), from its index alone */
#define PROBE(cond)                                                                                \
    "SELECT count(*) FROM (SELECT 1 FROM problems p WHERE p.merged_into IS NULL AND " cond         \
    " LIMIT ?2) AS t"
/* ?5 the earliest last appeal (0: any), a range of the (x, last_at) and (x, body, last_at)
 * indexes; ?3 the scope, ?4 the body of the narrowed ones */
#define OF_BODIES_34 IN_BODIES("?3", "?4") " AND p.last_at >= ?5"
const char *const store_problem_probe_sql[STORE_PROBLEM_DRIVERS] = {
    [STORE_PROBLEM_BY_SCOPE] = PROBE(IN_SCOPE("?1") " AND p.last_at >= ?5"),
    [STORE_PROBLEM_BY_BODY] = PROBE("p.body = ?1 AND p.last_at >= ?5"),
    [STORE_PROBLEM_BY_CATEGORY] = PROBE("p.category = ?1 AND p.last_at >= ?5"),
    [STORE_PROBLEM_BY_STATE] = PROBE("p.state = ?1 AND p.last_at >= ?5"),
    [STORE_PROBLEM_BY_APPEALS] = PROBE("p.n_appeals >= CAST(?1 AS BIGINT)"),
    [STORE_PROBLEM_BY_SINCE] = PROBE("p.last_at >= CAST(?1 AS BIGINT)"),
    /* a district's, a category's, a state's problems of those bodies, one range a body */
    [STORE_PROBLEM_BY_DISTRICT] = PROBE("p.district = ?1" OF_BODIES_34),
    [STORE_PROBLEM_BY_CATEGORY_IN] = PROBE("p.category = ?1" OF_BODIES_34),
    [STORE_PROBLEM_BY_STATE_IN] = PROBE("p.state = ?1" OF_BODIES_34),
    /* a district's, a state's problems with ?6 appeals or more, every body's (what the set
     * reads) */
    [STORE_PROBLEM_BY_DISTRICT_APPEALS] = PROBE("p.district = ?1 AND p.n_appeals >= ?6"),
    [STORE_PROBLEM_BY_STATE_APPEALS] = PROBE("p.state = ?1 AND p.n_appeals >= ?6"),
    /* the scope's bodies' or the body's, one range a body */
    [STORE_PROBLEM_BY_APPEALS_IN] =
        PROBE("p.n_appeals >= CAST(?1 AS BIGINT)" IN_BODIES("?3", "?4")),
};
#undef OF_BODIES_34
#undef PROBE

static int sort_of(const problem_filter_t *f)
{
    return f->sort && !strcmp(f->sort, "appeals") ? SORT_APPEALS
           : f->sort && !strcmp(f->sort, "age")   ? SORT_AGE
                                                  : SORT_RECENT;
}

const char *store_problem_list_sql(const problem_filter_t *f, int driver, int cursor)
{
    return driver >= 0 && driver < STORE_PROBLEM_DRIVERS && cursor >= 0 &&
                   cursor < STORE_PROBLEM_CURSORS
               ? list_sql[driver][sort_of(f)][cursor]
               : NULL;
}

#define APPEALS_CAP store_list_cap(20000)

/* The driver of f's page (above). */
/* Each filter's value as its probe and its set take it (?1), NULL when it is not given. */
struct pvals {
    char least[24], since[24];
    const char *val[STORE_PROBLEM_DRIVERS];
};

static void problem_vals(const problem_filter_t *f, struct pvals *v)
{
    snprintf(v->least, sizeof v->least, "%lld", (long long)f->min_appeals);
    snprintf(v->since, sizeof v->since, "%lld", (long long)f->since_us);
    memset(v->val, 0, sizeof v->val);
    v->val[STORE_PROBLEM_BY_SCOPE] = f->scope_path;
    v->val[STORE_PROBLEM_BY_BODY] = f->body;
    /* with a scope or a body, a category's, a state's and a least number of appeals' problems
     * of its bodies alone */
    int of_bodies = f->scope_path || f->body;
    v->val[of_bodies ? STORE_PROBLEM_BY_CATEGORY_IN : STORE_PROBLEM_BY_CATEGORY] = f->category;
    v->val[of_bodies ? STORE_PROBLEM_BY_STATE_IN : STORE_PROBLEM_BY_STATE] = f->state;
    v->val[of_bodies ? STORE_PROBLEM_BY_APPEALS_IN : STORE_PROBLEM_BY_APPEALS] =
        f->min_appeals > 1 ? v->least : NULL;
    v->val[STORE_PROBLEM_BY_SINCE] = f->since_us > 0 ? v->since : NULL;
    v->val[STORE_PROBLEM_BY_DISTRICT] = f->district;
    v->val[STORE_PROBLEM_BY_DISTRICT_APPEALS] = f->min_appeals > 1 ? f->district : NULL;
    v->val[STORE_PROBLEM_BY_STATE_APPEALS] = f->min_appeals > 1 ? f->state : NULL;
}

/* The scope and the body a district's, a category's or a state's probe narrows by (?3, ?4),
 * the earliest last appeal (?5), the least number of appeals (?6). */
static void probe_bind(db_stmt_t *st, int d, const void *arg)
{
    const problem_filter_t *f = arg;
    (void)d;
    db_bind_text(st, 3, f->scope_path);
    db_bind_text(st, 4, f->body);
    db_bind_int64(st, 5, f->since_us);
    db_bind_int64(st, 6, f->min_appeals);
}

/* The filter of f whose set is smallest and under cap, from their probes in the order given:
 * *driver and its *size (may be NULL), unchanged when none is under cap. */
static int smallest_set(store_tx_t *tx, const problem_filter_t *f, const int *order, int n,
                        int64_t cap, int *driver, int64_t *size, ot_err_t *err)
{
    struct pvals v;
    problem_vals(f, &v);
    const char *probe[STORE_PROBLEM_DRIVERS], *val[STORE_PROBLEM_DRIVERS];
    int at[STORE_PROBLEM_DRIVERS], k = 0, d = -1;
    for (int i = 0; i < n; i++)
        if (v.val[order[i]]) {
            at[k] = order[i];
            probe[k] = store_problem_probe_sql[order[i]];
            val[k++] = v.val[order[i]];
        }
    int rc = store_list_driver(tx, probe, val, k, cap, probe_bind, f, &d, size, err);
    if (!rc && d >= 0)
        *driver = at[d];
    return rc;
}

/* a set that is part of another first (a district's, a category's, a state's problems of the
 * scope's bodies or the body before the scope's or the body's own), so that it wins their tie */
static const int probe_order[] = {STORE_PROBLEM_BY_DISTRICT_APPEALS,
                                  STORE_PROBLEM_BY_STATE_APPEALS,
                                  STORE_PROBLEM_BY_APPEALS_IN,
                                  STORE_PROBLEM_BY_DISTRICT,
                                  STORE_PROBLEM_BY_CATEGORY_IN,
                                  STORE_PROBLEM_BY_STATE_IN,
                                  STORE_PROBLEM_BY_BODY,
                                  STORE_PROBLEM_BY_CATEGORY,
                                  STORE_PROBLEM_BY_SINCE,
                                  STORE_PROBLEM_BY_APPEALS,
                                  STORE_PROBLEM_BY_SCOPE,
                                  STORE_PROBLEM_BY_STATE};
#define N_PROBES ((int)(sizeof probe_order / sizeof probe_order[0]))

static int list_driver(store_tx_t *tx, const problem_filter_t *f, int *driver, ot_err_t *err)
{
    *driver = STORE_PROBLEM_WALK;
    /* by number of appeals a walk of problems_appeals passes every larger problem outside the
     * filters, and a district's or a small akimat's are small (a district head's page read
     * 100,000 problems, 110-160 ms at 1M): its filters drive up to ten times the cap */
    return smallest_set(tx, f, probe_order, N_PROBES,
                        sort_of(f) == SORT_APPEALS ? APPEALS_CAP : STORE_PROBE_CAP, driver, NULL,
                        err);
}

/* The rows of one statement of a page, counted (a page by number of appeals may take two). */
struct page_count {
    int (*fn)(const problem_rec_t *p, void *arg);
    void *arg;
    int n, stop;
};

static int page_row(const problem_rec_t *p, void *arg)
{
    struct page_count *c = arg;
    c->n++;
    return c->stop = c->fn(p, c->arg);
}

/* The filters of W_ANY and W_OWN, ?1 to ?7 */
static void bind_filters(db_stmt_t *st, const problem_filter_t *f)
{
    db_bind_text(st, 1, f->scope_path);
    db_bind_text(st, 2, f->body);
    db_bind_text(st, 3, f->district);
    db_bind_text(st, 4, f->category);
    db_bind_int64(st, 5, f->min_appeals);
    db_bind_int64(st, 6, f->since_us);
    db_bind_text(st, 7, f->state);
}

static int list_from(store_tx_t *tx, const problem_filter_t *f, int driver, int cursor, int limit,
                     struct page_count *c, ot_err_t *err)
{
    PREPARE(tx, store_problem_list_sql(f, driver, cursor));
    bind_filters(st, f);
    db_bind_int64(st, 8, limit);
    if (cursor == STORE_PROBLEM_BELOW) {
        db_bind_int64(st, 9, f->after_n);
    } else if (cursor == STORE_PROBLEM_AFTER && sort_of(f) == SORT_APPEALS) {
        db_bind_int64(st, 9, f->after_n);
        db_bind_int64(st, 10, f->after_at);
        db_bind_int64(st, 11, f->after_id);
    } else if (cursor == STORE_PROBLEM_AFTER) {
        db_bind_int64(st, 9, f->after_at);
        db_bind_int64(st, 10, f->after_id);
    }
    return each(st, page_row, c, err);
}

/* The page of a driver's statements from f's cursor (by number of appeals, the rest of the
 * cursor's run of equal counts, then the smaller counts). */
static int page_from(store_tx_t *tx, const problem_filter_t *f, int driver, int limit,
                     struct page_count *c, ot_err_t *err)
{
    int rc = list_from(tx, f, driver, f->after ? STORE_PROBLEM_AFTER : STORE_PROBLEM_FIRST, limit,
                       c, err);
    if (!rc && f->after && sort_of(f) == SORT_APPEALS && !c->stop && c->n < limit)
        rc = list_from(tx, f, driver, STORE_PROBLEM_BELOW, limit - c->n, c, err);
    return rc;
}

/* ==== Every filter large ====
 *
 * When every filter matches STORE_PROBE_CAP problems or more, the page walks the order's index
 * (newest first with a body, a category or a state: that filter's own (x, last_at) index,
 * which holds only its problems), every filter checked on each entry in the statement (the
 * last column, WALK_OK): the indexes hold every filter's column (migration 55), so the walk
 * reads no row but the page's, 0.3 us an entry at the 1M demo against 2-4 us a row read to
 * check it. Filters that meet often fill the page within WALK_BUDGET entries. When they do not,
 * the rest of the page is read through the smallest filter's set from where the walk stopped,
 * if that set is smaller than what the walk has yet to pass at the rate it found the page's
 * problems (its probe and its read about 0.35 us an entry); else the walk goes on to the page's
 * end. A district head's problems of another district read 80,912 rows through the district's
 * set before (338 ms), now none: the district's index is (district, body). */
#define WALK_BUDGET store_list_cap(8000)
#define MEET_CAP    store_list_cap(120000)
/* On PostgreSQL the walk is read a chunk at a time (?12 its LIMIT; STORE_CHUNK_SLACK,
 * store_chunk_next): libpq reads a statement's whole result, so a walk without one read every
 * problem (the list's first page 100-150 ms on the 100k demo); a full chunk goes on from its
 * last entry (its cursor). SQLite steps the walk and stops at the page: no LIMIT (-1). */

/* ?1 the cursor's key (last_at, or first_at by age and by number of appeals), ?2 its id, ?3 the
 * earliest last appeal, ?4 the least number of appeals, ?5 the own index's value, ?6 to ?10 the
 * scope, the body, the district, the category, the state; ?11 the cursor's number of appeals;
 * ?12 the chunk (above) */
#define IS(cond) ", CASE WHEN " cond " THEN 1 ELSE 0 END"
#define WALK_OK                                                                                    \
    "SELECT p.id, p.last_at, p.n_appeals, p.first_at" IS("(?6 IS NULL OR " IN_SCOPE("?6") ")")     \
        IS("(?7 IS NULL OR p.body = ?7)") IS("(?8 IS NULL OR p.district = ?8)")                    \
            IS("(?9 IS NULL OR p.category = ?9)") IS("(?10 IS NULL OR p.state = ?10)")             \
                IS("p.n_appeals >= ?4")                                                            \
                    IS("p.last_at >= ?3") " FROM problems p WHERE p.merged_into IS NULL"
#define CHUNK " LIMIT ?12"
#define WALK_R(own)                                                                                \
    {                                                                                              \
        WALK_OK own " AND p.last_at >= ?3" O_RECENT CHUNK,                                         \
            WALK_OK own " AND p.last_at >= ?3" AFTER_R_W_12 O_RECENT CHUNK, NULL                   \
    }
#define WALK_A(own)                                                                                \
    {                                                                                              \
        WALK_OK own " AND p.n_appeals >= ?4" O_APPEALS CHUNK,                                      \
            WALK_OK own " AND p.n_appeals = ?11 AND p.first_at >= ?1"                              \
                        " AND (p.first_at > ?1 OR p.id > ?2)" O_APPEALS CHUNK,                     \
            WALK_OK own " AND p.n_appeals >= ?4 AND p.n_appeals < ?11" O_APPEALS CHUNK             \
    }
const char *const store_problem_walk_sql[3][5][STORE_PROBLEM_CURSORS] = {
    [SORT_RECENT] = {WALK_R(""), WALK_R(" AND p.body = ?5"), WALK_R(" AND p.category = ?5"),
                     WALK_R(" AND p.state = ?5")},
    /* by number of appeals with a district or a state, its own (x, n_appeals DESC, ...): the
     * problems with most appeals are nearly all recurring (107,222 of the 131,357 with two or
     * more at the 1M demo), and the walk of every problem passed them to find open ones; and
     * nearly all of Ust-Kamenogorsk's (83,352 of them), which a walk for Ulan's passed */
    [SORT_APPEALS] =
        {WALK_A(""), {NULL}, {NULL}, WALK_A(" AND p.state = ?5"), WALK_A(" AND p.district = ?5")},
    [SORT_AGE] = {{WALK_OK O_AGE CHUNK, WALK_OK AFTER_G_W_12 O_AGE CHUNK, NULL}},
};
#undef CHUNK
#undef WALK_R
#undef WALK_A
#undef WALK_OK
#undef IS
/* the filters whose columns the walk's statement gives after the keys, in their order */
static const int walk_filter[] = {STORE_PROBLEM_BY_SCOPE,    STORE_PROBLEM_BY_BODY,
                                  STORE_PROBLEM_BY_DISTRICT, STORE_PROBLEM_BY_CATEGORY,
                                  STORE_PROBLEM_BY_STATE,    STORE_PROBLEM_BY_APPEALS,
                                  STORE_PROBLEM_BY_SINCE};
#define WALK_FILTERS ((int)(sizeof walk_filter / sizeof walk_filter[0]))

struct pkey {
    int64_t id, last_at, n_appeals, first_at;
};

/* The walk from a cursor (at: the filters and the cursor its statement has): its statement
 * (own: the filter whose index it walks, 0 none), the last entry passed; on PostgreSQL its
 * chunk and the entries read of it (0: SQLite, no chunks). */
struct pwalk {
    db_stmt_t *st;
    int sort, own, cursor, ended, walked;
    problem_filter_t at;
    int64_t chunk, in_chunk;
    struct pkey last;
    int64_t passed[STORE_PROBLEM_DRIVERS]; /* the entries that passed each filter's probe */
};

static int walk_open(store_tx_t *tx, const problem_filter_t *f, struct pwalk *w, int cursor,
                     ot_err_t *err)
{
    const char *own[5] = {NULL, f->body, f->category, f->state, f->district};
    w->cursor = cursor;
    if (!(w->st = db_prepare(tx->db, store_problem_walk_sql[w->sort][w->own][cursor], err)))
        return err ? err->status : OT_EINTERNAL;
    db_bind_int64(w->st, 1, f->after_at);
    db_bind_int64(w->st, 2, f->after_id);
    db_bind_int64(w->st, 3, f->since_us);
    db_bind_int64(w->st, 4, f->min_appeals);
    db_bind_text(w->st, 5, own[w->own]);
    db_bind_text(w->st, 6, f->scope_path);
    db_bind_text(w->st, 7, f->body);
    db_bind_text(w->st, 8, f->district);
    db_bind_text(w->st, 9, f->category);
    db_bind_text(w->st, 10, f->state);
    db_bind_int64(w->st, 11, f->after_n);
    db_bind_int64(w->st, 12, w->chunk ? w->chunk : -1);
    w->at = *f;
    w->in_chunk = 0;
    return OT_OK;
}

/* The walk goes on after its last entry, the next chunk twice as large (a full chunk ended). */
static int walk_next_chunk(store_tx_t *tx, struct pwalk *w, ot_err_t *err)
{
    problem_filter_t g = w->at;
    g.after = 1;
    g.after_id = w->last.id;
    g.after_n = w->last.n_appeals;
    g.after_at = w->sort == SORT_RECENT ? w->last.last_at : w->last.first_at;
    db_reset(w->st);
    w->chunk = store_chunk_next(w->chunk);
    return walk_open(tx, &g, w, STORE_PROBLEM_AFTER, err);
}

/* The problems of ids (n of them) given to fn in that order, read in one statement: on
 * PostgreSQL a statement a problem cost a round trip each (a page of 200 42-70 ms on the 100k
 * demo); SQLite reads them the same way. */
static int read_ids(store_tx_t *tx, const int64_t *ids, size_t n, struct page_count *c,
                    ot_err_t *err)
{
    if (!n || c->stop)
        return OT_OK;
    char *list = store_json_ids(ids, n);
    if (!list)
        return ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
    PREPARE(tx, "SELECT " PROBLEM_COLS " FROM json_each(?1) j"
                " JOIN problems p ON p.id = CAST(j.value AS BIGINT)"
                " JOIN bodies b ON b.id = p.body ORDER BY j.key");
    db_bind_text(st, 1, list);
    int r = DB_DONE;
    problem_rec_t p;
    while (!c->stop && (r = db_step(st, err)) == DB_ROW) {
        store_read_problem(st, 0, &p);
        c->stop = c->fn(&p, c->arg);
    }
    db_reset(st);
    free(list);
    return c->stop || r >= 0 ? OT_OK : -r;
}

/* Up to budget entries of the walk (0: to its end or the page's end); those that pass every
 * filter are read all together at the end (read_ids) and given to fn (*hits counted, *limit
 * counted down, *stop is fn's). */
static int walk_run(store_tx_t *tx, struct pwalk *w, int64_t budget, int *limit, int64_t *hits,
                    struct page_count *c, ot_err_t *err)
{
    int rc = OT_OK, step = DB_DONE;
    int64_t left = budget ? budget : INT64_MAX;
    int64_t *ids = *limit > 0 ? malloc((size_t)*limit * sizeof *ids) : NULL;
    size_t nids = 0;
    if (*limit > 0 && !ids)
        return ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
    while (!rc && !c->stop && *limit > 0 && left > 0) {
        if ((step = db_step(w->st, err)) != DB_ROW) {
            if (step == DB_DONE && w->chunk && w->in_chunk == w->chunk) {
                if (!(rc = walk_next_chunk(tx, w, err)))
                    continue;
                break;
            }
            /* by number of appeals from a cursor: the rest of its run, then the smaller counts */
            if (step == DB_DONE && w->cursor == STORE_PROBLEM_AFTER && w->sort == SORT_APPEALS) {
                db_reset(w->st);
                problem_filter_t at = w->at;
                if (!(rc = walk_open(tx, &at, w, STORE_PROBLEM_BELOW, err)))
                    continue;
            }
            break;
        }
        left--;
        w->in_chunk++;
        w->last = (struct pkey){db_col_int64(w->st, 0), db_col_int64(w->st, 1),
                                db_col_int64(w->st, 2), db_col_int64(w->st, 3)};
        w->walked = 1;
        int ok[STORE_PROBLEM_DRIVERS], all = 1;
        for (int k = 0; k < WALK_FILTERS; k++)
            all &= ok[walk_filter[k]] = (int)db_col_int64(w->st, 4 + k);
        /* the district's, the category's and the state's narrowed probes count their problems
         * of the scope and the body; every (x, last_at) probe those of the window; a district's
         * and a state's by number of appeals every body's of any time, the scope's or the
         * body's of any time */
        int bodies = ok[STORE_PROBLEM_BY_SCOPE] & ok[STORE_PROBLEM_BY_BODY],
            since = ok[STORE_PROBLEM_BY_SINCE];
        ok[STORE_PROBLEM_BY_DISTRICT_APPEALS] =
            ok[STORE_PROBLEM_BY_DISTRICT] & ok[STORE_PROBLEM_BY_APPEALS];
        ok[STORE_PROBLEM_BY_STATE_APPEALS] =
            ok[STORE_PROBLEM_BY_STATE] & ok[STORE_PROBLEM_BY_APPEALS];
        ok[STORE_PROBLEM_BY_APPEALS_IN] = ok[STORE_PROBLEM_BY_APPEALS] & bodies;
        ok[STORE_PROBLEM_BY_DISTRICT] &= bodies & since;
        ok[STORE_PROBLEM_BY_CATEGORY_IN] = ok[STORE_PROBLEM_BY_CATEGORY] & bodies & since;
        ok[STORE_PROBLEM_BY_STATE_IN] = ok[STORE_PROBLEM_BY_STATE] & bodies & since;
        ok[STORE_PROBLEM_BY_SCOPE] &= since;
        ok[STORE_PROBLEM_BY_BODY] &= since;
        ok[STORE_PROBLEM_BY_CATEGORY] &= since;
        ok[STORE_PROBLEM_BY_STATE] &= since;
        for (int d = STORE_PROBLEM_BY_SCOPE; d < STORE_PROBLEM_DRIVERS; d++)
            w->passed[d] += ok[d];
        if (!all)
            continue;
        ids[nids++] = w->last.id;
        --*limit;
        ++*hits;
    }
    if (step == DB_DONE)
        w->ended = 1;
    else if (!rc && step < 0)
        rc = -step;
    if (!rc)
        rc = read_ids(tx, ids, nids, c, err);
    free(ids);
    return rc;
}

/* The page of f when every filter is large (above). */
static int list_large(store_tx_t *tx, const problem_filter_t *f, int limit,
                      int (*fn)(const problem_rec_t *p, void *arg), void *arg, ot_err_t *err)
{
    struct pwalk w;
    struct page_count c = {fn, arg, 0, 0};
    memset(&w, 0, sizeof w);
    w.sort = sort_of(f);
    if (w.sort == SORT_RECENT)
        w.own = f->body ? 1 : f->category ? 2 : f->state ? 3 : 0;
    else if (w.sort == SORT_APPEALS)
        w.own = f->district ? 4 : f->state ? 3 : 0;
    int64_t hits = 0;
    w.chunk = store_is_pg(tx) ? limit + STORE_CHUNK_SLACK : 0;
    int rc = walk_open(tx, f, &w, f->after ? STORE_PROBLEM_AFTER : STORE_PROBLEM_FIRST, err);
    if (!rc)
        rc = walk_run(tx, &w, WALK_BUDGET, &limit, &hits, &c, err);
    int driver = STORE_PROBLEM_WALK;
    if (!rc && !c.stop && limit > 0 && !w.ended) {
        /* what the walk has yet to pass for the rest of the page, at the rate it found it */
        int64_t rest = hits ? limit * WALK_BUDGET / hits : MEET_CAP;
        /* the set of the filter that passed fewest of the walk's entries, probed up to what the
         * walk has yet to pass; when it is under that, the others up to a quarter of it (a
         * Ridder head's problems of 5 appeals or more read his 67,444 problems, which passed
         * the walk's fewest, when the 9,780 of 5 appeals were the smaller set: 45 ms at the 1M
         * demo). When it is over, the others, which passed more, are no better bets: probing
         * each of four sets of 60,000-120,000 problems cost more than reading one (26 of 43
         * ms); probing them in rounds of growing caps, each to a share of that, found none of
         * four sets of 45,000-64,000 and the walk went on to the end (370 ms). */
        int order[N_PROBES] = {0}, k = 0;
        struct pvals v;
        problem_vals(f, &v);
        for (int i = 0; i < N_PROBES; i++) {
            int d = probe_order[i], j = k;
            if (!v.val[d])
                continue;
            for (; j > 0 && w.passed[order[j - 1]] > w.passed[d]; j--)
                order[j] = order[j - 1];
            order[j] = d;
            k++;
        }
        int64_t size = rest < MEET_CAP ? rest : MEET_CAP;
        if (k)
            rc = smallest_set(tx, f, order, 1, size, &driver, &size, err);
        if (!rc && k > 1 && driver != STORE_PROBLEM_WALK)
            rc = smallest_set(tx, f, order + 1, k - 1, size / 4, &driver, NULL, err);
    }
    if (!rc && driver != STORE_PROBLEM_WALK) { /* the rest through the smallest set */
        problem_filter_t g = *f;
        g.after = 1;
        g.after_id = w.last.id;
        g.after_n = w.last.n_appeals;
        g.after_at = w.sort == SORT_RECENT ? w.last.last_at : w.last.first_at;
        rc = page_from(tx, &g, driver, limit, &c, err);
    } else if (!rc && !c.stop && limit > 0 && !w.ended)
        rc = walk_run(tx, &w, 0, &limit, &hits, &c, err);
    if (w.st)
        db_reset(w.st);
    return rc;
}

int store_problem_list(store_tx_t *tx, const problem_filter_t *f,
                       int (*fn)(const problem_rec_t *p, void *arg), void *arg, ot_err_t *err)
{
    /* a scope of one body (a department's head) is that body: its problems newest first are
     * problems_body's walk in order, not every problem's */
    problem_filter_t one = *f;
    char body[64] = "";
    int driver, rc = OT_OK;
    if (f->scope_path && !f->body) {
        PREPARE(tx, "SELECT CASE WHEN count(*) = 1 THEN min(id) END FROM bodies"
                    " WHERE substr(path, 1, length(?1)) = ?1");
        db_bind_text(st, 1, f->scope_path);
        if ((rc = db_step(st, err)) == DB_ROW)
            store_copy_col(st, 0, body, sizeof body);
        db_reset(st);
        if (rc < 0)
            return -rc;
        if (body[0])
            one.body = body;
    }
    if (f->scope_path && f->body) { /* a body outside the scope: none of its problems */
        int in = 0;
        if ((rc = store_body_under(tx, f->body, f->scope_path, &in, err)) || !in)
            return rc;
    }
    f = &one;
    int limit = f->limit > 0 ? f->limit : 50;
    if ((rc = list_driver(tx, f, &driver, err)))
        return rc;
    if (driver == STORE_PROBLEM_WALK) /* every filter large */
        return list_large(tx, f, limit, fn, arg, err);
    struct page_count c = {fn, arg, 0, 0};
    return page_from(tx, f, driver, limit, &c, err);
}

/* The recurring problems of a period under a scope, most appeals first, from two indexes that
 * hold what an alert shows (migration 43), never the table:
 * [0] the walk of every recurring problem by number of appeals (problems_recurring_top),
 *     each entry marked when it is of the period and the scope: for a scope holding many of
 *     them (the region) it stops at the limit after a few hundred entries, whatever the
 *     number of problems; it walks at most RECURRED_WALK times the limit;
 * [1] when that walk ends short, the scope's bodies' entries of the period
 *     (problems_recurring: body, recurred_at), sorted: a district's few without passing
 *     every recurring problem of the region. */
#define RECURRED_COLS                                                                              \
    "p.id, p.body, p.category, coalesce(p.district, ''), p.n_appeals, p.recurrences, "             \
    "p.recurred_at"
#define RECURRED_WALK 10

const char *const store_problem_recurred_sql[2] = {
    "SELECT " RECURRED_COLS ", CASE WHEN p.recurred_at >= ?1 AND p.recurred_at < ?2"
    " AND substr(b.path, 1, length(?3)) = ?3 THEN 1 ELSE 0 END"
    " FROM problems p CROSS JOIN bodies b"
    " WHERE p.merged_into IS NULL AND p.state = 'recurring' AND b.id = p.body"
    " ORDER BY p.n_appeals DESC, p.id LIMIT ?4",
    "SELECT " RECURRED_COLS ", 1 FROM bodies b CROSS JOIN problems p"
    " WHERE substr(b.path, 1, length(?3)) = ?3 AND p.body = b.id"
    " AND p.merged_into IS NULL AND p.state = 'recurring'"
    " AND p.recurred_at >= ?1 AND p.recurred_at < ?2"
    " ORDER BY p.n_appeals DESC, p.id LIMIT ?4",
};

/* what an entry of the two indexes holds */
typedef struct recurred {
    int64_t id, n_appeals, recurrences, recurred_at;
    char body[64], category[64], district[64];
} recurred_t;

static void recurred_read(db_stmt_t *st, recurred_t *r)
{
    r->id = db_col_int64(st, 0);
    store_copy_col(st, 1, r->body, sizeof r->body);
    store_copy_col(st, 2, r->category, sizeof r->category);
    store_copy_col(st, 3, r->district, sizeof r->district);
    r->n_appeals = db_col_int64(st, 4);
    r->recurrences = db_col_int64(st, 5);
    r->recurred_at = db_col_int64(st, 6);
}

static int recurred_emit(const recurred_t *r, int (*fn)(const problem_rec_t *p, void *arg),
                         void *arg)
{
    problem_rec_t p;
    memset(&p, 0, sizeof p);
    p.id = r->id;
    str_copy(p.body, sizeof p.body, r->body);
    str_copy(p.category, sizeof p.category, r->category);
    str_copy(p.district, sizeof p.district, r->district);
    str_copy(p.state, sizeof p.state, "recurring");
    p.n_appeals = r->n_appeals;
    p.recurrences = r->recurrences;
    p.recurred_at = r->recurred_at;
    return fn(&p, arg);
}

static void recurred_bind(db_stmt_t *st, int64_t from_us, int64_t to_us, const char *scope,
                          int64_t limit)
{
    db_bind_int64(st, 1, from_us);
    db_bind_int64(st, 2, to_us);
    db_bind_text(st, 3, scope);
    db_bind_int64(st, 4, limit);
}

/* The walk [0]: the entries of the period and scope into hits (at most limit); *whole when
 * they are the answer (the limit reached, or every recurring problem walked). */
static int recurred_walk(store_tx_t *tx, int64_t from_us, int64_t to_us, const char *scope,
                         int limit, recurred_t *hits, int *nhits, int *whole, ot_err_t *err)
{
    PREPARE(tx, store_problem_recurred_sql[0]);
    int64_t walk = (int64_t)limit * RECURRED_WALK, seen = 0;
    recurred_bind(st, from_us, to_us, scope, walk);
    int rc;
    *nhits = 0;
    while (*nhits < limit && (rc = db_step(st, err)) == DB_ROW) {
        seen++;
        if (db_col_int64(st, 7))
            recurred_read(st, &hits[(*nhits)++]);
    }
    db_reset(st);
    if (*nhits < limit && rc < 0)
        return -rc;
    *whole = *nhits == limit || seen < walk;
    return OT_OK;
}

int store_problem_recurred(store_tx_t *tx, int64_t from_us, int64_t to_us, const char *scope_path,
                           int limit, int (*fn)(const problem_rec_t *p, void *arg), void *arg,
                           ot_err_t *err)
{
    const char *scope = scope_path ? scope_path : "";
    if (limit <= 0)
        return OT_OK;
    recurred_t *hits = calloc((size_t)limit, sizeof *hits);
    if (!hits)
        return ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
    int n = 0, whole = 0, stop = 0;
    int rc = recurred_walk(tx, from_us, to_us, scope, limit, hits, &n, &whole, err);
    for (int i = 0; !rc && whole && !stop && i < n; i++)
        stop = recurred_emit(&hits[i], fn, arg);
    free(hits);
    if (rc || whole)
        return rc;
    PREPARE(tx, store_problem_recurred_sql[1]);
    recurred_bind(st, from_us, to_us, scope, limit);
    recurred_t r;
    while (!stop && (rc = db_step(st, err)) == DB_ROW) {
        recurred_read(st, &r);
        stop = recurred_emit(&r, fn, arg);
    }
    db_reset(st);
    return stop || rc >= 0 ? OT_OK : -rc;
}
