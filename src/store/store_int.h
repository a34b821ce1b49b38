/* Inside src/store/ only: what the repositories see of a transaction. */
#ifndef OT_STORE_INT_H
#define OT_STORE_INT_H

#include "domain/approval_rec.h"
#include "domain/problem.h"
#include "store/db.h"
#include "store/store.h"
#include "store/store_cache.h"

struct store_tx {
    db_t *db;
    store_t *store;
    /* the writer's batch (SQLite): texts given to the search index wait in
     * temp.search_pending and go into FTS5 in one statement before the commit
     * (store_search_flush); 0: each goes in at once */
    int search_batch;
    int search_pending; /* texts queued in this transaction (a unit rolled back may have
                         * taken its own out again) */
    /* the writer's transaction on PostgreSQL: its new appeals are counted in the report
     * aggregates all at once (store_stat_flush); ids[0..folded) are counted already */
    struct stat_batch {
        int on;
        int armed; /* SQLite: the transaction holds meta 'stat.batched' (store_stat_arm) */
        int64_t *ids;
        size_t n, cap, folded;
    } stat;
    /* the earlier decisions that came with an appeal page from the node's cache, for the
     * store_problem_prior that follows (rows freed at the read's end) */
    page_prior_hit_t prior;
    /* statements asked for ahead (db_prefetch) whose answer a later call of the same unit
     * reads: store_number_ask's (PostgreSQL) for store_number_take, store_problem_ask's for
     * store_problem_get of problem_asked_id; forgotten at each unit's start (store.c) */
    db_stmt_t *number_asked, *problem_asked;
    int64_t problem_asked_id;
};

/* The report aggregates of a writer's transaction (store_stat.c): store_stat_begin marks
 * it (after BEGIN, before any savepoint), store_stat_added notes each new appeal,
 * store_stat_flush counts them (before the commit, before any UPDATE of appeals, before a
 * rebuild of the aggregates), store_stat_end frees what it kept. A unit rolled back sets
 * stat.n and stat.folded back to where they were before it (store.c). */
int store_stat_begin(store_tx_t *tx, ot_err_t *err);
int store_stat_added(store_tx_t *tx, int64_t appeal_id, ot_err_t *err);
/* Before an appeal's INSERT: on SQLite the batch takes the meta key that holds the insert's
 * trigger back (migration 48), once a transaction; a unit rolled back that took it sets
 * stat.armed back too (store.c). Nothing on PostgreSQL, whose batch is marked at its start. */
int store_stat_arm(store_tx_t *tx, ot_err_t *err);
int store_stat_flush(store_tx_t *tx, ot_err_t *err);
/* store_stat_flush and the transaction's new notices: before the commit, before any change
 * of a notice */
int store_stat_flush_all(store_tx_t *tx, ot_err_t *err);
/* SQLite's count of a batch's appeals, a statement per counter table (store_stat.c; their
 * plans are tests/unit/store/stat_plans.c's) */
#define STORE_STAT_SQLITE_FOLDS 3
extern const char *const store_stat_sqlite_fold_sql[STORE_STAT_SQLITE_FOLDS];
/* SQLite's walk of a search's matches (store_search.c; its plan is
 * tests/unit/store/search_plans.c's) */
extern const char store_search_fts_walk_sql[];
/* nothing of this transaction is counted: a copy (migrate-db) brings the counters along */
void store_stat_off(store_tx_t *tx);
void store_stat_end(store_tx_t *tx);

/* The node's appeal page cache (store_cache.h); NULL when there is none. */
page_cache_t *store_page_cache(store_t *s);

/* Migrations (migrate.c). Brings db up to version `target` (<= latest) and returns the
 * resulting version in *version. */
int store_migrate(db_t *db, int target, int *version, ot_err_t *err);
int store_migrations_count(void);

/* A bulk load appends its events without seals; its end seals each record it left
 * unsealed once, with an "audit.seal" event (store_seal_unsealed). */
void store_set_unsealed(store_t *s, int on);
int store_is_unsealed(const store_t *s);

/* Repository helpers. PREPARE declares `st` for a cached statement or returns the error. */
#define PREPARE(tx, sql)                                                                           \
    db_stmt_t *st = db_prepare((tx)->db, (sql), err);                                              \
    if (!st)                                                                                       \
        return err ? err->status : OT_EINTERNAL;

/* Whether tx runs on PostgreSQL (else SQLite): for the few statements each engine words
 * its own way */
int store_is_pg(const store_tx_t *tx);

/* Whether tx runs on PostgreSQL, where an INSERT's new id comes back with the INSERT
 * itself (RETURNING id, one statement and one round trip less than db_last_id's
 * `SELECT lastval()`); SQLite keeps db_last_id, since its RETURNING builds its rows in an
 * ephemeral table (11 us a statement against 2 us, see store_number_next). Issue 19 point 7. */
int store_returning(const store_tx_t *tx);

/* PostgreSQL reads a walk that stops at a page a chunk at a time (libpq reads a statement's
 * whole result): the first chunk the page and STORE_CHUNK_SLACK rows, each next
 * store_chunk_next of the last, twice as many below STORE_CHUNK_MAX (store_outbox.c's print
 * queue, store_problem.c's walk). */
#define STORE_CHUNK_SLACK store_list_cap(16) /* 1 in tests that scale the caps down */
#define STORE_CHUNK_MAX   32768
int64_t store_chunk_next(int64_t chunk);

/* PostgreSQL: how the transaction's statements are planned from here (plan_cache_mode, as SET
 * LOCAL: "force_custom_plan", or the mode saved before), the mode before into saved (may be
 * NULL). A statement whose best plan depends on its values (a filter's rare value, a range
 * that holds few appeals) is planned for them: the documented force_generic_plan plans it
 * once for average values (docs/postgresql.md). */
int store_pg_plans(store_tx_t *tx, const char *mode, char saved[32], ot_err_t *err);

/* The equality filters' probe cap of every staff list: a filter that matches fewer drives the
 * page (store_appeal.c, store_problem.c, store_violation.c, store_forward.c). */
#define STORE_PROBE_CAP store_list_cap(2000)
/* The list's driver (store_problem.c, store_violation.c, store_outbox.c): of the filters given
 * (vals[d] not NULL) that have a count of their own (probe[d]: ?1 the value, ?2 the cap, and
 * what bind (may be NULL) binds for d), the one that matches fewest, when that is under cap,
 * sets *driver = d and *size (may be NULL) to how many it matches; else both are left. */
int store_list_driver(store_tx_t *tx, const char *const *probe, const char *const *vals, int n,
                      int64_t cap, void (*bind)(db_stmt_t *st, int d, const void *arg),
                      const void *arg, int *driver, int64_t *size, ot_err_t *err);
/* Whether body is under scope (a path prefix): a staff list's body outside its caller's scope
 * is an empty page at once (store_problem.c, store_violation.c). */
int store_body_under(store_tx_t *tx, const char *body, const char *scope, int *under,
                     ot_err_t *err);
/* Copies a possibly NULL column into a fixed buffer. */
void store_copy_col(db_stmt_t *st, int i, char *out, size_t n);
/* A malloc'd copy of a text column (the caller frees it), NULL for SQL NULL. */
char *store_dup_col(db_stmt_t *st, int i);
/* Binds "" (or NULL) as SQL NULL, so unset dates and codes are NULL in the database. */
void store_bind_opt(db_stmt_t *st, int i, const char *s);
/* Binds an id, 0 as SQL NULL. */
void store_bind_id(db_stmt_t *st, int i, int64_t id);
/* An INSERT of n rows (the sweep's events, violations, head flags), STORE_INSERT_ROWS rows a
 * statement, the rest one by one: many is the table's INSERT with STORE_ROWS64 of its row of
 * placeholders, one with a single row (each a static string: the statement cache keys on its
 * address); bind(st, b, i, arg) binds row i's cols columns as parameters b + 1 on. The rows
 * go in in their order. */
#define STORE_INSERT_ROWS 64
#define STORE_ROWS4(R)    R ", " R ", " R ", " R
#define STORE_ROWS16(R)   STORE_ROWS4(R) ", " STORE_ROWS4(R) ", " STORE_ROWS4(R) ", " STORE_ROWS4(R)
#define STORE_ROWS64(R)                                                                            \
    STORE_ROWS16(R) ", " STORE_ROWS16(R) ", " STORE_ROWS16(R) ", " STORE_ROWS16(R)
int store_insert_rows(store_tx_t *tx, const char *many, const char *one, int cols, size_t n,
                      void (*bind)(db_stmt_t *st, int b, size_t i, void *arg), void *arg,
                      ot_err_t *err);
/* The n texts as a JSON list of one-text lists, [["a"], ["b"], ...], to bind for a statement
 * that reads them with json_each (`value ->> 0` is the text on both engines); malloc'd, NULL
 * when out of memory. */
char *store_json_keys(const char *const *keys, size_t n);
/* The n ids as a JSON list, [1, 2, ...] (`CAST(value AS BIGINT)` is the id on both
 * engines); malloc'd, NULL when out of memory. */
char *store_json_ids(const int64_t *ids, size_t n);

/* The columns of a problem (P: the problems table's alias, B: its body's) and of an answer
 * held for approval (P: answer_approvals, A: its appeal, U: the user who submitted it), each
 * with its reader from column o on: one list each for their own repositories and for the
 * appeal page's single statement (store_appeal_page), which joins them under other aliases. */
#define PROBLEM_COLS_OF(P, B)                                                                      \
    P ".id, " P ".body, " B ".path, " P ".category, coalesce(" P ".district, ''), " P ".place, " P \
      ".cell, " P ".lat, " P ".lon, " P ".words, " P ".title, " P ".address, " P ".state, " P      \
      ".confirmed, " P ".n_appeals, " P ".n_open, " P ".recurrences, " P ".first_at, " P           \
      ".last_at, " P ".recurred_at, " P ".updated_at, " P ".merged_into"
void store_read_problem(db_stmt_t *st, int o, problem_rec_t *p);
#define APPROVAL_COLS_OF(P, A, U)                                                                  \
    P ".id, " P ".appeal_id, " P ".decision, " P ".text, " P ".grounds, " P ".submitted_by, " P    \
      ".submitted_at, " P ".submitted_on, " P ".status, " A ".number, " A ".body, " A ".kind, " A  \
      ".language, " A ".due_on, coalesce(" U ".login, '')"
void store_read_approval(db_stmt_t *st, int o, approval_rec_t *r);

#endif
