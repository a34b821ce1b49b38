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
int store_page_await(store_t *s, const char *number, uint64_t *ticket, void (*suspend)(void *arg),
                     void (*resume)(void *arg), void *arg);
/* The reads of this thread count on sync ticket (0: they wait for a sync of their own). */
void store_page_enter(uint64_t ticket);

#endif
