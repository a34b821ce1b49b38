/* Repository: problems (issue 17), the appeals grouped into one real-world problem. */
#ifndef OT_STORE_PROBLEM_H
#define OT_STORE_PROBLEM_H

#include <stdint.h>

#include "domain/appeal_rec.h"
#include "domain/problem.h"
#include "store/store.h"

/* The live problems (not merged) of a category last raised at or after since_us, at the
 * place key `place` (when not "") or in one of the nine cells (when cells is not NULL):
 * their id, words, coordinates, as problem_rec_t (the other fields empty), newest first (at
 * most 32 by place, 8 per cell). fn returns non-zero to stop. */
/* The statements of intake's look at the problems (by place, by cell) and at the problem it
 * joins (the last answered appeal, the applicant's decided one), for the query-plan test:
 * each must be one seek of its index, never a walk over a problem's appeals. */
enum {
    STORE_PROBLEM_SQL_BY_PLACE,
    STORE_PROBLEM_SQL_BY_CELL,
    STORE_PROBLEM_SQL_LAST_ANSWERED,
    STORE_PROBLEM_SQL_DECIDED_BY,
    STORE_PROBLEM_SQL_COUNT
};
extern const char *const store_problem_sql[STORE_PROBLEM_SQL_COUNT];
/* What a page of store_problem_list is read through (store_problem.c): the order's index
 * walked, or one filter's index (the scope's bodies, the body, the category, the state, the
 * least number of appeals, the last appeal's earliest instant). */
enum {
    STORE_PROBLEM_WALK,
    STORE_PROBLEM_BY_SCOPE,
    STORE_PROBLEM_BY_BODY,
    STORE_PROBLEM_BY_CATEGORY,
    STORE_PROBLEM_BY_STATE,
    STORE_PROBLEM_BY_APPEALS, /* min_appeals */
    STORE_PROBLEM_BY_SINCE,
    STORE_PROBLEM_BY_DISTRICT,
    STORE_PROBLEM_BY_CATEGORY_IN,      /* the category of the scope's bodies or of the body */
    STORE_PROBLEM_BY_STATE_IN,         /* the state of the scope's bodies or of the body */
    STORE_PROBLEM_BY_DISTRICT_APPEALS, /* the district's with min_appeals or more */
    STORE_PROBLEM_BY_STATE_APPEALS,    /* the state's with min_appeals or more */
    STORE_PROBLEM_BY_APPEALS_IN, /* min_appeals or more, of the scope's bodies or of the body */
    STORE_PROBLEM_DRIVERS
};
/* Where a page starts: the first page, after the cursor (for sort=appeals: the rest of the
 * cursor's run of equal n_appeals), or below the cursor's n_appeals (sort=appeals: the page's
 * remainder after that run). */
enum { STORE_PROBLEM_FIRST, STORE_PROBLEM_AFTER, STORE_PROBLEM_BELOW, STORE_PROBLEM_CURSORS };
/* The statement store_problem_list runs for f driven by `driver` from `cursor` (NULL: no such
 * statement), and the count of a driver's filter (?1 its value, ?2 the cap): for the
 * query-plan tests. */
const char *store_problem_list_sql(const problem_filter_t *f, int driver, int cursor);
extern const char *const store_problem_probe_sql[STORE_PROBLEM_DRIVERS];
/* The walk of a page whose every filter is large: by sort (recent, appeals, age), by the index
 * walked (0 the order's, then the body's, the category's, the state's, the district's) and from
 * each cursor (NULL: no such statement); its last column says whether the entry passes every
 * filter. For the query-plan tests. */
extern const char *const store_problem_walk_sql[3][5][STORE_PROBLEM_CURSORS];

int store_problem_candidates(store_tx_t *tx, const char *category, const char *place,
                             const char (*cells)[32], int64_t since_us,
                             int (*fn)(const problem_rec_t *p, void *arg), void *arg,
                             ot_err_t *err);

int store_problem_insert(store_tx_t *tx, problem_rec_t *p, ot_err_t *err);
/* Writes body, state, confirmed, counts, times, merged_into of p (by id); old is p as it
 * was read (NULL: write all), so that the columns that did not change are not named. */
int store_problem_update(store_tx_t *tx, const problem_rec_t *old, const problem_rec_t *p,
                         ot_err_t *err);
/* OT_ENOTFOUND "problem_not_found" (field "id") when absent. */
/* Asks for problem id's row ahead (PostgreSQL: it goes with the next statement that waits,
 * issue 19 point 7), for the unit's next store_problem_get of id, which must come before
 * anything writes the problem; unask drops the ask. */
int store_problem_ask(store_tx_t *tx, int64_t id, ot_err_t *err);
void store_problem_unask(store_tx_t *tx);
int store_problem_get(store_tx_t *tx, int64_t id, problem_rec_t *out, ot_err_t *err);

/* The figures of the state rule over the appeals of problem id (domain/problem.h), and its
 * first and last appeal's times and the body of its latest appeal: an aggregate over every
 * appeal of the problem (problem.c keeps them in step by deltas; this is its fallback). */
int store_problem_summary(store_tx_t *tx, int64_t id, problem_summary_t *s, int64_t *first_at,
                          int64_t *last_at, char body[64], ot_err_t *err);
/* Only the latest appeal's part of it (latest_open, latest_decision, latest_verdict, and its
 * body; the latest by received_at, then id): one seek of appeals_problem. */
int store_problem_latest(store_tx_t *tx, int64_t id, problem_summary_t *s, char body[64],
                         ot_err_t *err);
/* store_problem_latest's statement, for the query-plan test. */
extern const char *const store_problem_latest_sql;

/* The latest answered appeal of problem id received before before_us (0 for none): its id and
 * answered_at. */
int store_problem_last_answered(store_tx_t *tx, int64_t id, int64_t before_us, int64_t *appeal,
                                int64_t *answered_at, ot_err_t *err);

/* The latest decided appeal (answered with a decision) of problem id by the applicant with
 * that key, other than appeal `not_id`; 0 when none. */
int store_problem_decided_by(store_tx_t *tx, int64_t id, const char *applicant_key, int64_t not_id,
                             int64_t *appeal, ot_err_t *err);

/* The appeals of problem id, oldest first (records as store_appeal_get reads them): up to
 * limit of them received after (after_at, after_id) (after_at INT64_MIN: from the first). */
int store_problem_appeals(store_tx_t *tx, int64_t id, int64_t after_at, int64_t after_id, int limit,
                          int (*fn)(appeal_rec_t *a, void *arg), void *arg, ot_err_t *err);

/* Appeals of each problem of ids (n of them) per year of receipt (in the UTC offset
 * off_min), the years with any: fn(i, year, count), i the problem's index in ids, in no
 * particular order (a non-zero return stops). Its statements (the problems' first
 * and last appeals; each year's count), for plan tests. */
extern const char *const store_problem_years_sql[2];
int store_problem_years(store_tx_t *tx, const int64_t *ids, size_t n, int off_min,
                        int (*fn)(size_t i, int year, int64_t count, void *arg), void *arg,
                        ot_err_t *err);

/* Moves every appeal of problem from onto problem to. */
/* The problems with id > after_id in id order, at most max: fn(id, address, place); a
 * non-zero return stops. *last gets the last id read (after_id when none). */
int store_problem_places(store_tx_t *tx, int64_t after_id, int max,
                         int (*fn)(int64_t id, const char *address, const char *place, void *arg),
                         void *arg, int64_t *last, ot_err_t *err);
/* Sets a problem's place key. */
int store_problem_set_place(store_tx_t *tx, int64_t id, const char *place, ot_err_t *err);
int store_problem_move_all(store_tx_t *tx, int64_t from, int64_t to, ot_err_t *err);

/* A page of problems by filter f (scope, filters, sort, keyset cursor, limit). */
int store_problem_list(store_tx_t *tx, const problem_filter_t *f,
                       int (*fn)(const problem_rec_t *p, void *arg), void *arg, ot_err_t *err);

/* store_problem_recurred's statements, for plan tests: [0] the walk by number of appeals,
 * [1] a scope's bodies' problems of the period. */
extern const char *const store_problem_recurred_sql[2];

/* The problems that became recurring (recurred_at) in [from_us, to_us), of bodies under
 * scope_path (NULL: all), most appeals first, at most limit. Read from indexes alone: fn
 * gets id, body, category, district, state, n_appeals, recurrences and recurred_at. */
int store_problem_recurred(store_tx_t *tx, int64_t from_us, int64_t to_us, const char *scope_path,
                           int limit, int (*fn)(const problem_rec_t *p, void *arg), void *arg,
                           ot_err_t *err);

#endif
