/* Repository: appeals, registration number sequences (the outbox is store_outbox.h). */
#ifndef OT_STORE_APPEAL_H
#define OT_STORE_APPEAL_H

#include <stddef.h>
#include <stdint.h>

#include "domain/appeal_rec.h"
#include "domain/approval_rec.h"
#include "domain/problem.h"
#include "store/store.h"

/* The next number of a (prefix, year) sequence: 1, 2, ...; never reused. In two calls, ask
 * then take (with the same prefix and year), with other statements between them: PostgreSQL
 * sends the ask with the next statement that waits for an answer, one round trip less per
 * intake (issue 19 point 7). A unit that asks and fails before it takes is rolled back. */
int store_number_ask(store_tx_t *tx, const char *prefix, int year, ot_err_t *err);
int store_number_take(store_tx_t *tx, const char *prefix, int year, int64_t *out, ot_err_t *err);

int store_appeal_insert(store_tx_t *tx, appeal_rec_t *a, ot_err_t *err);
/* Writes the mutable columns of a (by id) that differ from old, the record as it was read
 * (every one when old is NULL): an UPDATE that names fewer columns checks fewer foreign
 * keys and rewrites fewer indexes. */
int store_appeal_update(store_tx_t *tx, const appeal_rec_t *old, const appeal_rec_t *a,
                        ot_err_t *err);
/* OT_ENOTFOUND (field "number") when absent. */
int store_appeal_get(store_tx_t *tx, const char *number, appeal_rec_t *out, ot_err_t *err);
int store_appeal_get_id(store_tx_t *tx, int64_t id, appeal_rec_t *out, ot_err_t *err);

/* The appeal page in one statement (issue 19 point 7): the appeal with its executor (id, login,
 * name, position: has_executor 0 when none or unknown), its problem (has_problem) and its
 * answer awaiting approval (has_held); has_prior: the problem has decided appeals that
 * store_problem_prior would list. OT_ENOTFOUND "appeal_not_found" when absent. The
 * caller frees a (appeal_rec_free) and held (approval_rec_free when has_held). */
#define STORE_PAGE_VIEWS 2 /* the renderings kept per cached page (store_page_keep_view) */
typedef struct store_appeal_page {
    appeal_rec_t a;
    int has_executor;
    int64_t executor_id;
    char executor_login[64], executor_name[160], executor_position[160];
    int has_problem;
    problem_rec_t p;
    int has_held;
    approval_rec_t held;
    int has_prior;
    /* From the node's page cache (issue 19 point 7; store_cache.h): which kept page this is
     * (serial; 0: none, the page was neither served from the cache nor kept in it), the
     * moment before it was taken (mark), and the renderings of it that the layers above kept
     * beside it (views[v]: malloc'd, the caller frees them; NULL: none), for
     * store_page_keep_view. */
    uint64_t serial, mark;
    char *views[STORE_PAGE_VIEWS];
    size_t views_len[STORE_PAGE_VIEWS];
} store_appeal_page_t;
int store_appeal_page(store_tx_t *tx, const char *number, store_appeal_page_t *out, ot_err_t *err);

/* The decided appeals of problem problem_id received no later than received_at, but
 * appeal_id, oldest first (received_at, id), at most limit: fn gets id, received_at, number,
 * body, decision, answered_on and verdict filled (the rest zero). */
int store_problem_prior(store_tx_t *tx, int64_t problem_id, int64_t appeal_id, int64_t received_at,
                        int limit, int (*fn)(appeal_rec_t *a, void *arg), void *arg, ot_err_t *err);

/* The first complaint about appeal parent_id (its id, 0 when none). */
int store_appeal_first_complaint(store_tx_t *tx, int64_t parent_id, int64_t *id, ot_err_t *err);
/* The appeals f matches, a page of them, as fn takes them; lists and exports leave the text
 * out (a->text NULL). */
int store_appeal_list(store_tx_t *tx, const appeal_filter_t *f,
                      int (*fn)(appeal_rec_t *a, void *arg), void *arg, ot_err_t *err);
/* Every appeal that f matches, newest first like store_appeal_list (the text left out too),
 * read as fn takes them (f->limit aside): for exports, in one read transaction, without
 * pages. A body scope is one walk per body, merged. */
int store_appeal_each(store_tx_t *tx, const appeal_filter_t *f,
                      int (*fn)(appeal_rec_t *a, void *arg), void *arg, ot_err_t *err);
/* Whether the filters of f match more than max appeals (from the cursor on): *over. */
int store_appeal_over(store_tx_t *tx, const appeal_filter_t *f, int64_t max, int *over,
                      ot_err_t *err);
/* The SQL store_appeal_list runs for the filters set in f (their values do not matter) when
 * f->scope_path holds n_scope bodies, some but not all (0: no scope; negative: every body but
 * -n_scope, at most 8, walked as no scope with those skipped); for tests of the query
 * plans. malloc'd (the caller frees it); NULL when out of memory. */
/* Extension requests of executors (appeal.request_extension events) that no extension or
 * refusal followed, on open appeals of bodies under scope (a path prefix; "" for all), the
 * newest first: the head's tasks (issue 18). keys: number, body, due_on, data (the event's
 * JSON: proposed_due_on, reason), actor; at the event's instant. */
typedef struct ext_request {
    char number[40], body[64], due_on[11], actor[32];
    const char *data;
    int64_t at;
} ext_request_t;
int store_appeal_ext_requests(store_tx_t *tx, const char *scope,
                              int (*fn)(const ext_request_t *r, void *arg), void *arg,
                              ot_err_t *err);

/* An applicant's appeals (by IIN or BIN), newest first, at most limit, of bodies under
 * scope (a path prefix; "" for all): the registrar sees a caller's earlier appeals (issue
 * 18). Reads the index appeals_applicant. */
int store_appeal_by_applicant(store_tx_t *tx, const char *applicant_id, const char *scope,
                              int limit, int (*fn)(appeal_rec_t *a, void *arg), void *arg,
                              ot_err_t *err);

/* The work queue's tabs (issue 18): open appeals registered, assigned, in work, and of them
 * due before today, under f's filters but its status and overdue. Under its executor, body
 * and scope only, from the queue's partial indexes appeals_queue_exec and appeals_queue_body
 * alone (all bodies: appeals_open_reg), never the table; with other filters each count stops
 * at cap (a filter that matches few: its ids a bitmap the same index walk checks). */
int store_appeal_queue_counts(store_tx_t *tx, const appeal_filter_t *f, const char *today,
                              int64_t cap, int64_t out[4], ot_err_t *err);
/* The statement store_appeal_queue_counts runs for f, its counts or (ids) each appeal it
 * counts (the query-plan test reads them). */
const char *store_appeal_counts_sql(const appeal_filter_t *f);
const char *store_appeal_counts_sql_of(const appeal_filter_t *f, int ids);
/* The statement of the tabs with f's filters that the counts' indexes hold checked in it
 * (malloc'd; the query-plan test reads it). */
char *store_appeal_sums_sql(const appeal_filter_t *f);
/* The same for f's body, or else its scope, with f's executor among the filters checked
 * (an executor in a place with fewer open appeals than his; malloc'd). */
char *store_appeal_place_sums_sql(const appeal_filter_t *f);
/* The same for f's open repeated appeals (migration 67), its executor and body among the
 * filters checked (malloc'd). */
char *store_appeal_repeated_sums_sql(const appeal_filter_t *f);
/* The statement of the tabs with f's filters, a range of one filter's index of open appeals
 * for each count, the others and a scope checked on its entries (malloc'd; NULL when f has
 * none of executor, kind, category, district, channel, or a filter no such index holds). */
char *store_appeal_tabs_sql(const appeal_filter_t *f);

char *store_appeal_list_sql(const appeal_filter_t *f, int n_scope);
/* The statement of f's newest-first list walked by one filter's index, driver (the query
 * parameter's name: "category", "overdue", ...; "id": appeals in id order, every filter
 * checked on the rows), as the list takes it when the filters' sizes choose it; a scope of
 * n_scope > 0 bodies is then a list checked on the rows; "a&b" (n_scope 0): the filters a
 * and b driving together over spans of ids (two large filters); "top": the count of f's
 * range with its newest appeal, where a scope's walks of a wide old range start; "count":
 * store_appeal_over's count of f's filters together, in its scope when it has one;
 * "body_queue", "body_walk": the queue (sort by due date) of f's executor in its body walked
 * by the body's index (queue_sql, queue_ids_sql); "repeated_queue": the queue of f's repeated
 * appeals by their own index (n_scope <= 0); "exec_bodies": an executor's bodies. NULL for an
 * unknown driver. */
char *store_appeal_list_sql_by(const appeal_filter_t *f, int n_scope, const char *driver);

/* The statutory dates of an open appeal, for recomputing them when a calendar changes. */
typedef struct appeal_terms {
    int64_t id;
    char number[40], kind[16];
    int64_t received_at;
    int workday_end_min; /* of the receiving body */
    char registered_on[11], due_on[11], forward_by[11], max_due_on[11], extended_on[11];
    int64_t forwarded_at;     /* 0: never forwarded */
    int body_workday_end_min; /* of the body it is at now (after a forward, the competent one) */
    int suspended_days;       /* working days the term stood still, suspensions ended */
} appeal_terms_t;

/* Every open appeal (registered, assigned, in work) of a jurisdiction; the caller frees
 * *out. */
int store_appeal_open_terms(store_tx_t *tx, const char *jurisdiction, appeal_terms_t **out,
                            size_t *n, ot_err_t *err);
int store_appeal_set_terms(store_tx_t *tx, const appeal_terms_t *t, ot_err_t *err);

/* A value of the meta table (key -> text); OT_ENOTFOUND when absent. */
int store_meta_get(store_tx_t *tx, const char *key, char *out, size_t n, ot_err_t *err);
int store_meta_put(store_tx_t *tx, const char *key, const char *value, ot_err_t *err);

#endif
