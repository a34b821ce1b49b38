/* Read-your-writes of the node's appeal page cache without holding a thread (issue 19 point 7;
 * store_cache.h, docs/postgresql.md "The appeal page cache").
 *
 * A cached page is served only after a sync of the cache's listening connection that began
 * after the request came. A request of the http layer need not block its thread for it:
 * store_page_await puts the request aside (suspend) and has resume called when its sync has
 * ended; the request then reads inside store_page_enter(ticket) ... store_page_enter(0). */
#ifndef OT_STORE_FRESH_H
#define OT_STORE_FRESH_H

#include <stdint.h>

#include "store/store.h"

/* 1: the page of number is kept by the node's cache; suspend(arg) was called, *ticket names
 * the sync asked for, and resume(arg) will be called (on another thread) when it ended.
 * 0: nothing to wait for (no cache, or the page is not kept): read at once. */
int store_page_await(store_t *s, const char *number, uint64_t *ticket, int may_wait,
                     void (*suspend)(void *arg), void (*resume)(void *arg), void *arg);
/* The reads of this thread count on sync ticket (0: they wait for a sync of their own). */
void store_page_enter(uint64_t ticket);
/* Keeps text (len bytes, copied) as rendering view (< STORE_PAGE_VIEWS) of the page that a
 * store_appeal_page gave with serial and mark, beside that page in the node's cache; the next
 * store_appeal_page served from the cache gives it back in views[view] (issue 19 point 7: the
 * page's JSON is not built again for each reader). Kept only while that very page is kept
 * (a change of it, heard at any time, drops the page and its renderings) and when no change
 * of it was heard since mark; nothing when serial is 0 or there is no cache. What a view
 * holds is the caller's choice: the same view must always be rendered the same way from the
 * same page. */
void store_page_keep_view(store_t *s, const char *number, uint64_t serial, uint64_t mark, int view,
                          const char *text, size_t len);

#endif
