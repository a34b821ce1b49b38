/* The search index (issue 17, docs/search.md): one row per indexed text, row id
 * = id * 4 + kind (search_kind_t), holding the text's stems (the tokens of search_sqlite.h;
 * on PostgreSQL the same tokens as a tsvector). Kept in step by store_appeal_insert,
 * store_appeal_update and store_problem.c in the same transaction, except during a bulk
 * load, which rebuilds it once at its end. */
#ifndef OT_STORE_SEARCH_H
#define OT_STORE_SEARCH_H

#include "domain/search_rec.h"
#include "domain/search_text.h"
#include "store/store.h"

/* Adds (or, with drop, takes out: with the same language, body, executor and text it was
 * added with) a text of appeal id, in body (its id) with executor (0: none). */
int store_search_put(store_tx_t *tx, int64_t id, search_kind_t kind, const char *lang,
                     const char *body, int64_t executor, const char *text, int drop, ot_err_t *err);
/* Adds (or, with drop, takes out, as it is before the change) problem id's text: its
 * title (personal data masked) and address, in its body's scope; a merged problem is not
 * in the index. Nothing during a bulk load. Called by store_problem.c. */
int store_search_problem(store_tx_t *tx, int64_t id, int drop, ot_err_t *err);
/* Adds the text of problem id just inserted (not merged) in body, with the title and address
 * it was inserted with: the same text as store_search_problem's, which PostgreSQL then need
 * not read back (issue 19 point 7). */
int store_search_problem_new(store_tx_t *tx, int64_t id, const char *body, const char *title,
                             const char *address, ot_err_t *err);
/* Empties the index and indexes every appeal and answer again. */
int store_search_rebuild(store_tx_t *tx, ot_err_t *err);
/* Where a rebuild in spans is: start at {0, 0}. */
typedef struct search_rebuild {
    int stage;
    int64_t next;
} search_rebuild_t;
/* The same in transactions of its own (a large load: the WAL stays bounded): each call
 * indexes the appeals of ids [next, next + span) (the index is emptied first), then the
 * problems the same way, then merges the index a bounded part at a time, and sets *done
 * after the last merge. */
int store_search_rebuild_span(store_tx_t *tx, search_rebuild_t *at, int64_t span, int *done,
                              ot_err_t *err);
/* The hits of q's words (all of them, each in any of its forms) within f, best first: by
 * BM25 (otinish_rank) among the SEARCH_NEWEST (1,000) newest matches in scope
 * (store_search.c says why). */
int store_search_query(store_tx_t *tx, const ot_query_t *q, const search_filter_t *f,
                       int (*fn)(const search_hit_t *h, void *arg), void *arg, ot_err_t *err);
/* The Kazakh suffix list the index is built with (for the queries and fragments of the
 * service); NULL if the compiled-in list is broken. */
const ot_kk_stemmer_t *store_search_kk(void);

/* Whether the index was built with other stems than this binary makes (a changed Kazakh
 * list, changed rules): *stale 0 no, 1 not recorded (a database the search migration has
 * just indexed with this binary), 2 yes. store_search_sync records the current stems and,
 * when they changed, rebuilds the index first. store_open runs them. */
int store_search_stale(store_tx_t *tx, int *stale, ot_err_t *err);
int store_search_sync(store_tx_t *tx, ot_err_t *err);

/* Whether appeals are being bulk loaded on this store (store_bulk.c): the index waits for
 * the rebuild at the end. */
void store_search_defer(store_t *s, int on);
int store_search_deferred(const store_t *s);
/* The writer's connection (SQLite): makes temp.search_pending, where a batch's new texts
 * wait for store_search_flush; *on says whether the engine batches them this way. */
int store_search_batch_open(store_tx_t *tx, int *on, ot_err_t *err);
/* Puts the texts queued in tx into the index, in one statement (a no-op when none). */
int store_search_flush(store_tx_t *tx, ot_err_t *err);

#endif
