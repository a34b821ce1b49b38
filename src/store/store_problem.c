/* Repository: problems (issue 17). store_problem_appeals is in store_appeal.c (it reads
 * appeal rows). */
#include "store/store_problem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/date.h"
#include "store/bitset.h"
#include "store/store_int.h"
#include "store/store_search.h"
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

/* Three statements, so that an update names only the columns it changes: SQLite rewrites the
 * entries of every index whose columns (or partial-index condition) an UPDATE names, and the
 * state changes far more often than the body or the times, the merge almost never. */
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
     * twice); the place, body and dates only when they change, so that their indexes are
     * left alone otherwise */
    /* and last_at alone when only it moved (an appeal joining): SQLite rewrites the entry of
     * every index that holds a column the statement sets, changed or not (problems_age by
     * first_at: a page at random for each join at 1M, 1.6-3.9 % of what a varied intake wrote to
     * the WAL), and checks the body's foreign key */
    int moved = !old || strcmp(old->body, p->body) || old->first_at != p->first_at;
    int later = !moved && old->last_at != p->last_at;
    db_stmt_t *st = db_prepare(
        tx->db,
        moved   ? "UPDATE problems SET state = ?, confirmed = ?, n_appeals = ?, n_open = ?,"
                  " recurrences = ?, recurred_at = ?, updated_at = ?, body = ?, first_at = ?,"
                  " last_at = ? WHERE id = ?"
        : later ? "UPDATE problems SET state = ?, confirmed = ?, n_appeals = ?, n_open = ?,"
                  " recurrences = ?, recurred_at = ?, updated_at = ?, last_at = ? WHERE id = ?"
                : "UPDATE problems SET state = ?, confirmed = ?, n_appeals = ?, n_open = ?,"
                  " recurrences = ?, recurred_at = ?, updated_at = ? WHERE id = ?",
        err);
    if (!st)
        return err ? err->status : OT_EINTERNAL;
    db_bind_text(st, 1, p->state);
    db_bind_int64(st, 2, p->confirmed);
    db_bind_int64(st, 3, p->n_appeals);
    db_bind_int64(st, 4, p->n_open);
    db_bind_int64(st, 5, p->recurrences);
    store_bind_id(st, 6, p->recurred_at);
    db_bind_int64(st, 7, p->updated_at);
    int i = 8;
    if (moved) {
        db_bind_text(st, i++, p->body);
        db_bind_int64(st, i++, p->first_at);
    }
    if (moved || later)
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
 * count of the index 0.3 ms. */
const char *const store_problem_years_sql[2] = {
    "SELECT (SELECT min(received_at) FROM appeals WHERE problem_id = ?1),"
    " (SELECT max(received_at) FROM appeals WHERE problem_id = ?1)",
    "SELECT count(*) FROM appeals WHERE problem_id = ? AND received_at >= ? AND received_at < ?",
};

int store_problem_years(store_tx_t *tx, int64_t id, int off_min,
                        int (*fn)(int year, int64_t n, void *arg), void *arg, ot_err_t *err)
{
    int64_t first = 0, last = 0;
    int rc;
    {
        PREPARE(tx, store_problem_years_sql[0]);
        db_bind_int64(st, 1, id);
        rc = db_step(st, err);
        int none = rc == DB_ROW && db_col_is_null(st, 0);
        if (rc == DB_ROW) {
            first = db_col_int64(st, 0);
            last = db_col_int64(st, 1);
        }
        db_reset(st);
        if (rc < 0)
            return -rc;
        if (none)
            return OT_OK;
    }
    int y0 = date_year(instant_local_day(first, off_min));
    int y1 = date_year(instant_local_day(last, off_min));
    PREPARE(tx, store_problem_years_sql[1]);
    for (int y = y0; y <= y1; y++) {
        ot_day_t from, to;
        if (date_from_ymd(y, 1, 1, &from) || date_from_ymd(y + 1, 1, 1, &to))
            break; /* beyond year 9999 */
        db_bind_int64(st, 1, id);
        db_bind_int64(st, 2, instant_from_local(from, 0, off_min));
        db_bind_int64(st, 3, instant_from_local(to, 0, off_min));
        int64_t n = 0;
        if ((rc = db_run(st, &n, err)))
            return rc;
        if (n && fn(y, n, arg))
            break;
    }
    return OT_OK;
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
 *   least number of appeals or the earliest last appeal, whichever matches fewest problems,
 *   when that is under STORE_PROBE_CAP (APPEALS_CAP by number of appeals; each given one
 *   counted on its own index up to the cap: a fraction of a millisecond). Its rows come from its
 * index, the other filters are checked on them and the few that pass are sorted. At 1,051,554 demo
 * appeals a body with no problem read every problem through problems_recent to find none (0.6-0.9
 * s; 0.3-0.45 s by number of appeals or age for a body or a category of a few hundred).
 * - walked: the order's index in order, every filter checked on the rows; when one filter's
 *   index holds the order after it (a body's, a category's or a state's problems newest
 *   first: (body, last_at), (category, last_at), (state, last_at)), that index is walked, so
 *   only that filter's problems are passed.
 * The filters not driving are written so that no index can take them ("?N IS NULL OR", a
 * unary +, `|| ''`): SQLite then walks the driver's index and does not prefer another. */
#define LIST_FROM                                                                                  \
    " FROM problems p JOIN bodies b ON b.id = p.body"                                              \
    " WHERE p.merged_into IS NULL AND (?1 IS NULL OR substr(b.path, 1, length(?1)) = ?1)"          \
    " AND (?2 IS NULL OR p.body = ?2) AND (?3 IS NULL OR p.district = ?3)"                         \
    " AND (?4 IS NULL OR p.category = ?4) AND (?7 IS NULL OR (p.state || '') = ?7)"
#define LIST_SELECT "SELECT " PROBLEM_COLS LIST_FROM
#define BY_SCOPE    " AND p.body IN (SELECT id FROM bodies WHERE substr(path, 1, length(?1)) = ?1)"
#define BY_BODY     " AND p.body = ?2"
#define BY_CATEGORY " AND p.category = ?4"
#define BY_STATE    " AND p.state = ?7"
#define BY_DISTRICT " AND p.district = ?3"
#define RECENT      " AND +p.n_appeals >= ?5 AND p.last_at >= ?6"
#define APPEALS     " AND p.n_appeals >= ?5 AND +p.last_at >= ?6"
#define RANGES_ROWS " AND +p.n_appeals >= ?5 AND +p.last_at >= ?6"
#define O_RECENT    " ORDER BY p.last_at DESC, p.id DESC"
#define O_APPEALS   " ORDER BY p.n_appeals DESC, p.first_at ASC, p.id"
#define O_AGE       " ORDER BY p.first_at ASC, p.id"
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
#define PAGE_W(rows, order) LIST_SELECT rows order PAGE
#define PAGE_C(rows, order)                                                                        \
    "SELECT " PROBLEM_COLS " FROM problems p JOIN bodies b ON b.id = p.body WHERE p.id IN"         \
    " (SELECT p.id" LIST_FROM rows order PAGE ")" order
/* a driver's statements in one order (R recent, A appeals, G age; W or C as above) from
 * each cursor */
#define FROM_R(rows, wc)                                                                           \
    {                                                                                              \
        PAGE_##wc(rows, O_RECENT), PAGE_##wc(rows AFTER_R_##wc, O_RECENT), NULL                    \
    }
#define FROM_G(rows, wc)                                                                           \
    {                                                                                              \
        PAGE_##wc(rows, O_AGE), PAGE_##wc(rows AFTER_G_##wc, O_AGE), NULL                          \
    }
#define FROM_A(rows, order, wc)                                                                    \
    {                                                                                              \
        PAGE_##wc(rows, order), PAGE_##wc(rows AFTER_A_##wc, order),                               \
            PAGE_##wc(rows BELOW_A_##wc, order)                                                    \
    }

enum { SORT_RECENT, SORT_APPEALS, SORT_AGE };

static const char *const list_sql[STORE_PROBLEM_DRIVERS][3][STORE_PROBLEM_CURSORS] = {
    [STORE_PROBLEM_WALK] = {FROM_R(RECENT, W), FROM_A(APPEALS, O_APPEALS, W),
                            FROM_G(RANGES_ROWS, W)},
    [STORE_PROBLEM_BY_SCOPE] = {FROM_R(BY_SCOPE RANGES_ROWS, C),
                                FROM_A(BY_SCOPE RANGES_ROWS, O_APPEALS, C),
                                FROM_G(BY_SCOPE RANGES_ROWS, C)},
    [STORE_PROBLEM_BY_BODY] = {FROM_R(BY_BODY RECENT, W), FROM_A(BY_BODY RANGES_ROWS, O_APPEALS, C),
                               FROM_G(BY_BODY RANGES_ROWS, C)},
    [STORE_PROBLEM_BY_CATEGORY] = {FROM_R(BY_CATEGORY RECENT, W),
                                   FROM_A(BY_CATEGORY RANGES_ROWS, O_APPEALS, C),
                                   FROM_G(BY_CATEGORY RANGES_ROWS, C)},
    [STORE_PROBLEM_BY_DISTRICT] = {FROM_R(BY_DISTRICT RANGES_ROWS, C),
                                   FROM_A(BY_DISTRICT RANGES_ROWS, O_APPEALS, C),
                                   FROM_G(BY_DISTRICT RANGES_ROWS, C)},
    [STORE_PROBLEM_BY_STATE] = {FROM_R(BY_STATE RECENT, W),
                                FROM_A(BY_STATE RANGES_ROWS, O_APPEALS, C),
                                FROM_G(BY_STATE RANGES_ROWS, C)},
    /* the range of problems_appeals or problems_recent, its few rows sorted (the unary + on
     * the order's first key: SQLite would walk that key's index instead, every problem) */
    [STORE_PROBLEM_BY_APPEALS] =
        {{PAGE_C(APPEALS, " ORDER BY +p.last_at DESC, p.id DESC"),
          PAGE_C(APPEALS AFTER_R_C, " ORDER BY +p.last_at DESC, p.id DESC"), NULL},
         FROM_A(APPEALS, O_APPEALS, W),
         {PAGE_C(APPEALS, " ORDER BY +p.first_at ASC, p.id"),
          PAGE_C(APPEALS AFTER_G_C, " ORDER BY +p.first_at ASC, p.id"), NULL}},
    [STORE_PROBLEM_BY_SINCE] = {FROM_R(RECENT, W),
                                FROM_A(" AND +p.n_appeals >= ?5 AND p.last_at >= ?6",
                                       " ORDER BY +p.n_appeals DESC, p.first_at ASC, p.id", C),
                                {PAGE_C(" AND +p.n_appeals >= ?5 AND p.last_at >= ?6",
                                        " ORDER BY +p.first_at ASC, p.id"),
                                 PAGE_C(" AND +p.n_appeals >= ?5 AND p.last_at >= ?6" AFTER_G_C,
                                        " ORDER BY +p.first_at ASC, p.id"),
                                 NULL}},
};

/* how many problems a driver's filter matches, up to a cap (?2), from its index alone */
#define PROBE(cond)                                                                                \
    "SELECT count(*) FROM (SELECT 1 FROM problems p WHERE p.merged_into IS NULL AND " cond         \
    " LIMIT ?2) AS t"
const char *const store_problem_probe_sql[STORE_PROBLEM_DRIVERS] = {
    [STORE_PROBLEM_BY_SCOPE] =
        PROBE("p.body IN (SELECT id FROM bodies WHERE substr(path, 1, length(?1)) = ?1)"),
    [STORE_PROBLEM_BY_BODY] = PROBE("p.body = ?1"),
    [STORE_PROBLEM_BY_CATEGORY] = PROBE("p.category = ?1"),
    [STORE_PROBLEM_BY_STATE] = PROBE("p.state = ?1"),
    [STORE_PROBLEM_BY_APPEALS] = PROBE("p.n_appeals >= CAST(?1 AS BIGINT)"),
    [STORE_PROBLEM_BY_SINCE] = PROBE("p.last_at >= CAST(?1 AS BIGINT)"),
    [STORE_PROBLEM_BY_DISTRICT] = PROBE("p.district = ?1"),
};
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
    v->val[STORE_PROBLEM_BY_CATEGORY] = f->category;
    v->val[STORE_PROBLEM_BY_STATE] = f->state;
    v->val[STORE_PROBLEM_BY_APPEALS] = f->min_appeals > 1 ? v->least : NULL;
    v->val[STORE_PROBLEM_BY_SINCE] = f->since_us > 0 ? v->since : NULL;
    v->val[STORE_PROBLEM_BY_DISTRICT] = f->district;
}

static int list_driver(store_tx_t *tx, const problem_filter_t *f, int *driver, int *large,
                       ot_err_t *err)
{
    struct pvals v;
    problem_vals(f, &v);
    *driver = STORE_PROBLEM_WALK;
    /* by number of appeals a walk of problems_appeals passes every larger problem outside the
     * filters, and a district's or a small akimat's are small (a district head's page read
     * 100,000 problems, 110-160 ms at 1M): its filters drive up to ten times the cap (their
     * rows read and sorted, 2.5-3 us a problem through the server at 1M) */
    int rc =
        store_list_driver(tx, store_problem_probe_sql, v.val, STORE_PROBLEM_DRIVERS,
                          sort_of(f) == SORT_APPEALS ? APPEALS_CAP : STORE_PROBE_CAP, driver, err);
    if (rc)
        return rc;
    *large = *driver == STORE_PROBLEM_WALK;
    if (*driver == STORE_PROBLEM_WALK) { /* every filter is large: an index in the order */
        int sort = sort_of(f);
        *driver = sort == SORT_RECENT && f->body       ? STORE_PROBLEM_BY_BODY
                  : sort == SORT_RECENT && f->category ? STORE_PROBLEM_BY_CATEGORY
                  : sort == SORT_RECENT && f->state    ? STORE_PROBLEM_BY_STATE
                                                       : STORE_PROBLEM_WALK;
    }
    return OT_OK;
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

/* The filters of LIST_FROM, ?1 to ?7 */
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

/* ==== Filters that each match many problems but few together ====
 *
 * When every filter matches STORE_PROBE_CAP problems or more, the page walks the order's
 * index and checks them on each row: two that meet in few problems passed every problem of
 * the order (a district head's problems of another district: 0.4-0.75 s at the 1M demo, the
 * walk reading 766,029 problems to find none). The sets of the filters that have an index of
 * their own (the scope's bodies, the body, the district, the category, a least number of
 * appeals, a date of the last appeal: a district head's recurring problems of five appeals and
 * more in another district 263 -> 36 ms) are read from it alone
 * into a bitmap of problem ids, the smallest first, each next one ANDed until at most
 * BITS_ROWS are left; those few are read (the other filters checked on them), their keys
 * sorted in the page's order and the page's rows read. When more are left the walk goes on as
 * before: the filters meet in many problems and it finds a page soon. */
#define BITS_ROWS store_list_cap(4000)
#define BITS_SIZE store_list_cap(50000) /* the sets' sizes counted up to this */

enum { SET_SCOPE, SET_BODY, SET_DISTRICT, SET_CATEGORY, SET_APPEALS, SET_SINCE, SET_COUNT };

struct pkey {
    int64_t id, last_at, n_appeals, first_at;
};

/* -1 when a comes before b in each order: newest last appeal first, most appeals first
 * (then the oldest first appeal), oldest first appeal first; then by id as the SQL's */
static int by_age(const void *x, const void *y)
{
    const struct pkey *a = x, *b = y;
    if (a->first_at != b->first_at)
        return a->first_at < b->first_at ? -1 : 1;
    return a->id < b->id ? -1 : a->id > b->id;
}

static int by_recent(const void *x, const void *y)
{
    const struct pkey *a = x, *b = y;
    if (a->last_at != b->last_at)
        return a->last_at > b->last_at ? -1 : 1;
    return a->id > b->id ? -1 : a->id < b->id;
}

static int by_appeals(const void *x, const void *y)
{
    const struct pkey *a = x, *b = y;
    if (a->n_appeals != b->n_appeals)
        return a->n_appeals > b->n_appeals ? -1 : 1;
    return by_age(x, y);
}

static int (*const key_order[])(const void *, const void *) = {
    [SORT_RECENT] = by_recent, [SORT_APPEALS] = by_appeals, [SORT_AGE] = by_age};

/* The ids of one set into bits (top ids), at most BITS_READ of them (*full set when there
 * were more); a scope's through each of its bodies' index. */
#define BITS_READ 100000 /* not scaled: the tests' few problems are read */
static int set_fill(store_tx_t *tx, int set, const char *val, uint64_t *bits, int64_t top,
                    int *full, ot_err_t *err)
{
    /* a scope's bodies each read as a body's; a least number of appeals and a date of the last
     * appeal from problems_appeals and problems_recent alone (a state is most often too large:
     * 49,248-395,723 problems at the 1M demo, counting it cost more than it saved) */
    static const char *const sql[SET_COUNT] = {
        [SET_SCOPE] = "SELECT p.id FROM problems p WHERE p.body = ?1 AND p.merged_into IS NULL"
                      " LIMIT ?2",
        [SET_DISTRICT] = "SELECT p.id FROM problems p WHERE p.district = ?1"
                         " AND p.merged_into IS NULL LIMIT ?2",
        [SET_CATEGORY] = "SELECT p.id FROM problems p WHERE p.category = ?1"
                         " AND p.merged_into IS NULL LIMIT ?2",
        [SET_APPEALS] = "SELECT p.id FROM problems p WHERE p.n_appeals >= CAST(?1 AS BIGINT)"
                        " AND p.merged_into IS NULL LIMIT ?2",
        [SET_SINCE] = "SELECT p.id FROM problems p WHERE p.last_at >= CAST(?1 AS BIGINT)"
                      " AND p.merged_into IS NULL LIMIT ?2",
    };
    const char *value = val; /* a scope's: each of its bodies in turn */
    char body[64] = "";
    int64_t left = BITS_READ;
    int rc = OT_OK;
    *full = 0;
    for (int more = 1; !rc && more && !*full;) {
        if (set == SET_SCOPE) { /* the scope's next body */
            PREPARE(tx, "SELECT min(id) FROM bodies WHERE substr(path, 1, length(?1)) = ?1"
                        " AND id > ?2");
            db_bind_text(st, 1, val);
            db_bind_text(st, 2, body);
            int step = db_step(st, err);
            if (step == DB_ROW && !db_col_is_null(st, 0))
                store_copy_col(st, 0, body, sizeof body);
            else
                more = 0;
            db_reset(st);
            if (step < 0)
                return -step;
            if (!more)
                break;
            value = body;
        } else
            more = 0;
        PREPARE(tx, sql[set == SET_BODY ? SET_SCOPE : set]);
        db_bind_text(st, 1, value);
        db_bind_int64(st, 2, left + 1);
        int step;
        while ((step = db_step(st, err)) == DB_ROW && !(*full = left-- == 0)) {
            int64_t id = db_col_int64(st, 0);
            if (id >= 0 && id < top)
                bitset_add(bits, id);
        }
        db_reset(st);
        if (step < 0)
            rc = -step;
    }
    return rc;
}

/* The walk of the order's index alone, from f's cursor (walk_open): the id and the order's
 * keys of each problem in turn; each problem is read (every filter checked on it) when it is
 * in bits, or always without bits. */
struct pwalk {
    db_stmt_t *st;
    int sort, ended;
    struct pkey last; /* the last problem walked (when any: walked) */
    int walked;
};

/* Newest first, a body's, a category's or a state's problems are a walk of their own index in
 * that order (problems_body, problems_category, problems_state: (x, last_at)), which holds
 * only them: the registrar's confirmed solutions walked every problem's entry of
 * problems_recent (766,029 at the 1M demo) for their 49,248. */
#define WALK_RECENT(cond)                                                                          \
    {                                                                                              \
        "SELECT p.id, p.last_at FROM problems p WHERE p.merged_into IS NULL" cond                  \
        " AND p.last_at >= ?3 ORDER BY p.last_at DESC, p.id DESC",                                 \
            "SELECT p.id, p.last_at FROM problems p WHERE p.merged_into IS NULL" cond              \
            " AND p.last_at >= ?3" AFTER_R_W_12 " ORDER BY p.last_at DESC, p.id DESC"              \
    }
static const char *const walk_recent_sql[4][2] = {
    WALK_RECENT(" AND ?5 IS NULL"), WALK_RECENT(" AND p.body = ?5"),
    WALK_RECENT(" AND p.category = ?5"), WALK_RECENT(" AND p.state = ?5")};
#undef WALK_RECENT

static int walk_open(store_tx_t *tx, const problem_filter_t *f, struct pwalk *w, ot_err_t *err)
{
    static const char *const walk_sql[3][2] = {
        [SORT_APPEALS] = {"SELECT p.id, p.n_appeals, p.first_at FROM problems p"
                          " WHERE p.merged_into IS NULL AND p.n_appeals >= ?4"
                          " ORDER BY p.n_appeals DESC, p.first_at, p.id",
                          NULL},
        [SORT_AGE] = {"SELECT p.id, p.first_at FROM problems p WHERE p.merged_into IS NULL"
                      " AND ?3 = ?3 ORDER BY p.first_at, p.id",
                      "SELECT p.id, p.first_at FROM problems p WHERE p.merged_into IS NULL"
                      " AND ?3 = ?3" AFTER_G_W_12 " ORDER BY p.first_at, p.id"},
    };
    memset(w, 0, sizeof *w);
    w->sort = sort_of(f);
    const char *own = f->body ? f->body : f->category ? f->category : f->state;
    int by = f->body ? 1 : f->category ? 2 : f->state ? 3 : 0;
    const char *sql = w->sort == SORT_RECENT ? walk_recent_sql[by][f->after != 0]
                                             : walk_sql[w->sort][f->after != 0];
    if (!(w->st = db_prepare(tx->db, sql, err)))
        return err ? err->status : OT_EINTERNAL;
    db_bind_int64(w->st, 1, f->after_at);
    db_bind_int64(w->st, 2, f->after_id);
    db_bind_int64(w->st, 3, f->since_us);
    if (w->sort == SORT_APPEALS)
        db_bind_int64(w->st, 4, f->min_appeals);
    if (w->sort == SORT_RECENT)
        db_bind_text(w->st, 5, own);
    return OT_OK;
}

/* Up to budget problems of the walk (0: to its end or the page's), those of bits (NULL:
 * all) read and checked, the page's given to fn; *limit counts down, *stop is fn's. */
static int walk_run(store_tx_t *tx, const problem_filter_t *f, struct pwalk *w,
                    const uint64_t *bits, int64_t top, int64_t budget, int *limit,
                    int (*fn)(const problem_rec_t *p, void *arg), void *arg, int *stop,
                    ot_err_t *err)
{
    PREPARE(tx, "SELECT " PROBLEM_COLS LIST_FROM
                " AND +p.n_appeals >= ?5 AND +p.last_at >= ?6 AND p.id = ?8");
    bind_filters(st, f);
    int rc = OT_OK, step = DB_DONE;
    int64_t left = budget ? budget : INT64_MAX;
    problem_rec_t p;
    while (!rc && !*stop && *limit > 0 && left-- > 0 && (step = db_step(w->st, err)) == DB_ROW) {
        int64_t id = db_col_int64(w->st, 0);
        struct pkey k = {id, 0, 0, 0};
        if (w->sort == SORT_RECENT)
            k.last_at = db_col_int64(w->st, 1);
        else if (w->sort == SORT_APPEALS)
            k.n_appeals = db_col_int64(w->st, 1), k.first_at = db_col_int64(w->st, 2);
        else
            k.first_at = db_col_int64(w->st, 1);
        w->last = k;
        w->walked = 1;
        if (bits && (id < 0 || id >= top || !bitset_has(bits, id)))
            continue;
        db_bind_int64(st, 8, id);
        int r = db_step(st, err);
        if (r == DB_ROW) {
            store_read_problem(st, 0, &p);
            --*limit;
            *stop = fn(&p, arg);
        }
        db_reset(st);
        if (r < 0)
            rc = -r;
    }
    if (step == DB_DONE)
        w->ended = 1;
    else if (!rc && step < 0)
        rc = -step;
    return rc;
}

/* The sets of f's filters met in bits (top ids; *m of them left): *base when a set could be
 * read (else the walk checks every row). */
static int sets_meet(store_tx_t *tx, const problem_filter_t *f, uint64_t **bits, int64_t *top,
                     int64_t *m, int *base, ot_err_t *err)
{
    static const int probe_of[SET_COUNT] = {STORE_PROBLEM_BY_SCOPE,    STORE_PROBLEM_BY_BODY,
                                            STORE_PROBLEM_BY_DISTRICT, STORE_PROBLEM_BY_CATEGORY,
                                            STORE_PROBLEM_BY_APPEALS,  STORE_PROBLEM_BY_SINCE};
    struct pvals pv;
    problem_vals(f, &pv);
    const char *val[SET_COUNT];
    for (int k = 0; k < SET_COUNT; k++)
        val[k] = pv.val[probe_of[k]];
    int set[SET_COUNT], n_set = 0, rc = OT_OK;
    int64_t size[SET_COUNT];
    *bits = NULL;
    *base = 0;
    *m = 0;
    for (int s = 0; s < SET_COUNT; s++) {
        if (!val[s] || (s == SET_SCOPE && f->body)) /* a body: the scope checked on its rows */
            continue;
        PREPARE(tx, store_problem_probe_sql[probe_of[s]]);
        db_bind_text(st, 1, val[s]);
        db_bind_int64(st, 2, BITS_SIZE);
        int64_t n = 0;
        if ((rc = db_run(st, &n, err)))
            return rc;
        int j = n_set++;
        for (; j > 0 && size[j - 1] > n; j--)
            set[j] = set[j - 1], size[j] = size[j - 1];
        set[j] = s, size[j] = n;
    }
    if (!n_set)
        return OT_OK;
    {
        PREPARE(tx, "SELECT coalesce(max(id), 0) + 1 FROM problems");
        if ((rc = db_run(st, top, err)))
            return rc;
    }
    size_t words = (size_t)((*top + 63) / 64);
    uint64_t *b0 = calloc(words, sizeof *b0), *one = calloc(words, sizeof *one);
    if (!b0 || !one)
        rc = ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
    /* the first set that is not too large to read, then each next one ANDed (one too large
     * left to the rows) until few are left */
    int full = 0;
    for (int k = 0; !rc && k < n_set && (!*base || *m > BITS_ROWS); k++) {
        uint64_t *b = *base ? one : b0;
        memset(b, 0, words * sizeof *b);
        if ((rc = set_fill(tx, set[k], val[set[k]], b, *top, &full, err)) || full)
            continue;
        *m = 0;
        for (size_t w = 0; w < words; w++)
            *m += __builtin_popcountll(b0[w] &= *base ? one[w] : ~(uint64_t)0);
        *base = 1;
    }
    free(one);
    if (rc || !*base)
        free(b0);
    else
        *bits = b0;
    return rc;
}

/* The page of the few problems of bits (m of them) after the walk's last (or f's cursor):
 * each read (every filter checked on it), their keys sorted in the order, the page's rows. */
static int page_of_few(store_tx_t *tx, const problem_filter_t *f, const struct pwalk *w,
                       const uint64_t *bits, int64_t top, int64_t m, int limit,
                       int (*fn)(const problem_rec_t *p, void *arg), void *arg, ot_err_t *err)
{
    struct pkey *keys = malloc((size_t)(m ? m : 1) * sizeof *keys), from = w->last;
    size_t n_keys = 0;
    int rc = OT_OK, sort = sort_of(f);
    if (!w->walked && f->after)
        from = (struct pkey){f->after_id, f->after_at, f->after_n, f->after_at};
    if (!keys)
        return ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
    db_stmt_t *st = db_prepare(tx->db,
                               "SELECT p.id, p.last_at, p.n_appeals, p.first_at" LIST_FROM
                               " AND +p.n_appeals >= ?5 AND +p.last_at >= ?6 AND p.id = ?8",
                               err);
    if (!st)
        rc = err ? err->status : OT_EINTERNAL;
    if (!rc) {
        bind_filters(st, f);
        size_t words = (size_t)((top + 63) / 64);
        for (size_t i = 0; !rc && i < words; i++)
            for (uint64_t x = bits[i]; x && !rc && n_keys < (size_t)m; x &= x - 1) {
                db_bind_int64(st, 8, (int64_t)i * 64 + __builtin_ctzll(x));
                int step = db_step(st, err);
                if (step == DB_ROW) {
                    struct pkey k = {db_col_int64(st, 0), db_col_int64(st, 1), db_col_int64(st, 2),
                                     db_col_int64(st, 3)};
                    if ((!w->walked && !f->after) || key_order[sort](&from, &k) < 0)
                        keys[n_keys++] = k;
                }
                db_reset(st);
                if (step < 0)
                    rc = -step;
            }
    }
    if (!rc && !(st = db_prepare(tx->db, PROBLEM_GET, err)))
        rc = err ? err->status : OT_EINTERNAL;
    if (!rc) {
        qsort(keys, n_keys, sizeof *keys, key_order[sort]);
        problem_rec_t p;
        int stop = 0;
        for (size_t i = 0; !rc && !stop && i < n_keys && (int)i < limit; i++) {
            db_bind_int64(st, 1, keys[i].id);
            int step = db_step(st, err);
            if (step == DB_ROW) {
                store_read_problem(st, 0, &p);
                stop = fn(&p, arg);
            }
            db_reset(st);
            if (step < 0)
                rc = -step;
        }
    }
    free(keys);
    return rc;
}

/* The page of f when every filter is large (*done set; not by number of appeals from a
 * cursor: its two statements, as before): the order's index walked a little, each problem
 * read, which fills a page of filters that meet often; else where the sets meet, their
 * few problems sorted or the rest of the walk reading only those. */
#define WALK_FIRST(limit) store_list_cap(16 * (int64_t)(limit) + 64)
static int list_large(store_tx_t *tx, const problem_filter_t *f, int limit,
                      int (*fn)(const problem_rec_t *p, void *arg), void *arg, int *done,
                      ot_err_t *err)
{
    struct pwalk w;
    uint64_t *bits = NULL;
    int64_t top = 0, m = 0;
    int stop = 0, base = 0, rc;
    *done = 0;
    if (sort_of(f) == SORT_APPEALS && f->after)
        return OT_OK;
    if ((rc = walk_open(tx, f, &w, err)))
        return rc;
    rc = walk_run(tx, f, &w, NULL, 0, WALK_FIRST(limit), &limit, fn, arg, &stop, err);
    if (!rc && !stop && limit > 0 && !w.ended)
        rc = sets_meet(tx, f, &bits, &top, &m, &base, err);
    if (!rc && !stop && limit > 0 && !w.ended && base && m <= BITS_ROWS)
        rc = page_of_few(tx, f, &w, bits, top, m, limit, fn, arg, err);
    else if (!rc && !stop && limit > 0 && !w.ended)
        rc = walk_run(tx, f, &w, bits, top, 0, &limit, fn, arg, &stop, err);
    db_reset(w.st);
    free(bits);
    *done = !rc;
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
    int large = 0, limit = f->limit > 0 ? f->limit : 50, done = 0;
    if ((rc = list_driver(tx, f, &driver, &large, err)))
        return rc;
    struct page_count c = {fn, arg, 0, 0};
    /* every filter large: where they meet first */
    if (large && ((rc = list_large(tx, f, limit, fn, arg, &done, err)) || done))
        return rc;
    rc = list_from(tx, f, driver, f->after ? STORE_PROBLEM_AFTER : STORE_PROBLEM_FIRST, limit, &c,
                   err);
    /* by number of appeals, the cursor's run of equal counts may end before the page */
    if (!rc && f->after && sort_of(f) == SORT_APPEALS && !c.stop && c.n < limit)
        rc = list_from(tx, f, driver, STORE_PROBLEM_BELOW, limit - c.n, &c, err);
    return rc;
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
