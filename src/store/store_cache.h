/* Inside src/store/ only: the appeal page cache of a node (issue 19 point 7; docs/postgresql.md
 * "The appeal page cache").
 *
 * What store_appeal_page and store_problem_prior read for an appeal, kept per node by number,
 * so that GET /api/v1/appeals/{number} need not ask PostgreSQL. It is kept true by the
 * database itself: triggers (PostgreSQL migrations) notify the channel otinish_page of every
 * change of what a page is read from, and the cache listens on a connection of its own.
 *
 * Consistency: a cached page is served only after a sync of that connection (a round trip on
 * it) that began after the request arrived; the server delivers the notifications of every
 * transaction committed before it, so any write answered before the request came (on any node,
 * by the CLI or by hand) is seen, as a read of PostgreSQL at READ COMMITTED would see it. One
 * sync serves every request that waits for it (the syncs are coalesced). A page is put in only
 * when no change of it was heard between the moment before its read and the put. A broken
 * listening connection drops everything and serves nothing until it listens again.
 *
 * Only on an engine with change notifications (db_notifies), and only for the server (several
 * nodes, one database); otherwise store_page_cache gives NULL and the reads go to the store. */
#ifndef OT_STORE_CACHE_H
#define OT_STORE_CACHE_H

#include <stdint.h>

#include "store/store_appeal.h"
#include "util/err.h"

typedef struct page_cache page_cache_t;

/* One earlier decision of a problem, as store_problem_prior gives it. */
typedef struct page_prior {
    int64_t id, received_at;
    char number[sizeof((appeal_rec_t *)0)->number];
    char body[sizeof((appeal_rec_t *)0)->body];
    char decision[sizeof((appeal_rec_t *)0)->decision];
    char answered_on[sizeof((appeal_rec_t *)0)->answered_on];
    char verdict[sizeof((appeal_rec_t *)0)->verdict];
} page_prior_t;

/* The earlier decisions that came with a page from the cache (page_cache_get), for the
 * store_problem_prior of the same request: valid for (problem_id, appeal_id, received_at,
 * limit). */
typedef struct page_prior_hit {
    int64_t problem_id, appeal_id, received_at;
    int limit, n;
    page_prior_t *rows; /* malloc'd */
} page_prior_hit_t;

/* Opens the cache of the database at path with a listening connection of its own and a
 * thread that reads notifications between syncs. *out NULL (and OT_OK) when the engine has
 * no change notifications. entries: at most this many pages kept. */
int page_cache_open(const char *path, int entries, page_cache_t **out, ot_err_t *err);
void page_cache_close(page_cache_t *c);

/* 1 and a deep copy of the page of number in *out, with its serial, the mark of this moment
 * and copies of the renderings kept beside it (and its earlier decisions in *prior when
 * they were kept, prior->rows NULL otherwise) when it is cached and still true after a sync
 * (the entered one, page_cache_enter, or else one it waits for); 0 otherwise (read it from
 * the store). */
int page_cache_get(page_cache_t *c, const char *number, store_appeal_page_t *out,
                   page_prior_hit_t *prior);
/* A request of the http layer waits for its sync without holding a thread (issue 19 point 7).
 * When the page of number is kept: calls suspend(arg) (the request's connection is put
 * aside), asks the sync thread for a sync that begins after this call, gives its number in
 * *ticket and returns 1; fn(arg) is called on the sync thread when that sync ended (well or
 * not), and the request then reads with page_cache_enter(*ticket) on its thread. 0 (and
 * *ticket 0) when the page is not kept: read at once. */
int page_cache_await(page_cache_t *c, const char *number, uint64_t *ticket, int may_wait,
                     void (*suspend)(void *arg), void (*fn)(void *arg), void *arg);
/* The sync that the reads of this thread count on (a ticket of page_cache_await); 0: none,
 * a page_cache_get then waits for a sync of its own. */
void page_cache_enter(uint64_t ticket);
/* The moment before a read from the store, for the put of what it read. */
uint64_t page_cache_mark(page_cache_t *c);
/* Keeps a copy of p, read after mark, unless a change of it was heard since; the serial of
 * the kept page (0: not kept). */
uint64_t page_cache_put(page_cache_t *c, uint64_t mark, const store_appeal_page_t *p);
/* Keeps a copy of text as rendering view of the kept page number of that serial, unless it is
 * no longer kept or a change of it was heard since mark (store_page_keep_view). */
void page_cache_keep_view(page_cache_t *c, const char *number, uint64_t serial, uint64_t mark,
                          int view, const char *text, size_t len);
/* Keeps the earlier decisions of appeal_id read after mark beside its page, when it is kept. */
void page_cache_put_prior(page_cache_t *c, uint64_t mark, const page_prior_hit_t *prior);

typedef struct page_cache_stats {
    uint64_t hits, misses, syncs, drops, entries;
} page_cache_stats_t;
void page_cache_stats(page_cache_t *c, page_cache_stats_t *out);

#endif
