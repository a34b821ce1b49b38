/* The appeal page cache of a node (issue 19 point 7): see store_cache.h and docs/postgresql.md
 * "The appeal page cache". */
#include "store/store_cache.h"

#include <errno.h>
#include <stddef.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/db.h"
#include "store/store_fresh.h"
#include "store/store_int.h"
#include "util/log.h"
#include "util/str.h"

#define CHANNEL "otinish_page"
/* the changes heard lately, for page_cache_put's check (a power of two); a read that took
 * longer than this many changes to come back is not kept */
#define RING 4096
/* between syncs the listening connection is read this often, so that a node that serves no
 * cached page (no one reads) still takes its notifications off the server's queue */
#define DRAIN_MS 200

struct entry {
    int used;
    atomic_int ref; /* read since the clock hand passed (set under the read lock) */
    int64_t id, problem_id;
    store_appeal_page_t page;
    page_prior_hit_t prior; /* rows NULL: not kept */
    uint64_t serial;        /* this page, kept once: a rendering names it (page_cache_keep_view) */
    char *views[STORE_PAGE_VIEWS]; /* its renderings (NULL: none) */
    size_t views_len[STORE_PAGE_VIEWS];
    struct entry *next_num, *next_id, *next_prob;
};

struct change {
    char kind; /* 'a' an appeal, 'p' a problem's appeals, '*' all */
    int64_t id;
};

/* A request waiting, without a thread, for sync number need (page_cache_await). */
struct waiter {
    uint64_t need;
    void (*fn)(void *arg);
    void *arg;
    struct waiter *next;
};

struct page_cache {
    db_t *db; /* the listening connection: used by one thread at a time (busy) */
    /* the syncs (sm before lk when both are taken) */
    pthread_mutex_t sm;
    pthread_cond_t cv;       /* a sync ended */
    pthread_cond_t tick;     /* wakes the sync thread: a sync wanted, or close */
    uint64_t sent, done, ok; /* syncs begun, ended, the last one that succeeded */
    uint64_t want;           /* the highest sync number a request waits for */
    int busy;                /* a thread is using db */
    struct waiter *waiters;  /* the requests waiting without a thread */
    int stop;
    /* the pages and the changes heard: read by many requests at once, written by the puts
     * and by what is heard */
    pthread_rwlock_t lk;
    int broken; /* not listening: nothing is served or kept (written under sm and lk) */
    pthread_t drain;
    int has_drain;

    struct entry *e;
    size_t n, hand;
    struct entry **by_num, **by_id, **by_prob;
    size_t mask; /* buckets - 1 */

    uint64_t gen;    /* changes heard */
    uint64_t serial; /* pages kept */
    struct change ring[RING];

    atomic_uint_least64_t hits, misses, syncs, drops, aside;
};

static size_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return (size_t)h;
}

static size_t hash_id(int64_t id)
{
    return (size_t)(((uint64_t)id * 11400714819323198485ULL) >> 20);
}

static void unlink_from(struct entry **head, struct entry *x, size_t off)
{
    for (struct entry **p = head; *p; p = (struct entry **)((char *)*p + off))
        if (*p == x) {
            *p = *(struct entry **)((char *)x + off);
            return;
        }
}

static void page_free(store_appeal_page_t *p)
{
    appeal_rec_free(&p->a);
    if (p->has_held)
        approval_rec_free(&p->held);
    memset(p, 0, sizeof *p);
}

/* (serial, mark and views are not copied: they belong to the entry, not to the page) */
static int page_copy(store_appeal_page_t *dst, const store_appeal_page_t *src)
{
    *dst = *src;
    dst->serial = dst->mark = 0;
    memset(dst->views, 0, sizeof dst->views);
    memset(dst->views_len, 0, sizeof dst->views_len);
    memset(&dst->a, 0, sizeof dst->a);
    if (appeal_rec_copy(&dst->a, &src->a)) {
        dst->has_held = 0;
        return -1;
    }
    if (src->has_held) {
        dst->held.text = src->held.text ? strdup(src->held.text) : NULL;
        dst->held.grounds = src->held.grounds ? strdup(src->held.grounds) : NULL;
        dst->held.comment = src->held.comment ? strdup(src->held.comment) : NULL;
        if ((src->held.text && !dst->held.text) || (src->held.grounds && !dst->held.grounds) ||
            (src->held.comment && !dst->held.comment)) {
            page_free(dst);
            return -1;
        }
    }
    return 0;
}

static void views_free(struct entry *x)
{
    for (int v = 0; v < STORE_PAGE_VIEWS; v++)
        free(x->views[v]);
}

static void drop(page_cache_t *c, struct entry *x)
{
    unlink_from(&c->by_num[hash_str(x->page.a.number) & c->mask], x,
                offsetof(struct entry, next_num));
    unlink_from(&c->by_id[hash_id(x->id) & c->mask], x, offsetof(struct entry, next_id));
    if (x->problem_id) /* an appeal of no problem is in no problem's chain */
        unlink_from(&c->by_prob[hash_id(x->problem_id) & c->mask], x,
                    offsetof(struct entry, next_prob));
    page_free(&x->page);
    free(x->prior.rows);
    views_free(x);
    memset(x, 0, sizeof *x);
    atomic_fetch_add(&c->drops, 1);
}

static struct entry *find(page_cache_t *c, const char *number)
{
    for (struct entry *x = c->by_num[hash_str(number) & c->mask]; x; x = x->next_num)
        if (!strcmp(x->page.a.number, number))
            return x;
    return NULL;
}

static struct entry *find_id(page_cache_t *c, int64_t id)
{
    for (struct entry *x = c->by_id[hash_id(id) & c->mask]; x; x = x->next_id)
        if (x->id == id)
            return x;
    return NULL;
}

/* A change heard (under lk, written): noted for the puts in flight, and its pages dropped. */
static void heard(page_cache_t *c, char kind, int64_t id)
{
    c->gen++;
    c->ring[c->gen & (RING - 1)] = (struct change){kind, id};
    if (kind == '*') {
        for (size_t i = 0; i < c->n; i++)
            if (c->e[i].used)
                drop(c, &c->e[i]);
    } else if (kind == 'a') {
        struct entry *x = find_id(c, id);
        if (x)
            drop(c, x);
    } else {
        struct entry **p = &c->by_prob[hash_id(id) & c->mask];
        while (*p) {
            struct entry *x = *p;
            if (x->problem_id == id)
                drop(c, x); /* unlinks x from *p */
            else
                p = &x->next_prob;
        }
    }
}

static void on_note(const char *payload, void *arg)
{
    page_cache_t *c = arg;
    char kind = payload[0];
    char *end = NULL;
    int64_t id = 0;
    if (kind == 'a' || kind == 'p') {
        errno = 0;
        id = strtoll(payload + 1, &end, 10);
        if (errno || end == payload + 1 || *end)
            kind = '*';
    } else
        kind = '*'; /* anything else: be safe */
    pthread_rwlock_wrlock(&c->lk);
    heard(c, kind, id);
    pthread_rwlock_unlock(&c->lk);
}

/* After a use of the listening connection (under sm): a new session has missed what came
 * before its LISTEN, and a broken one hears nothing until it listens again. */
static void after_io(page_cache_t *c, int rc, int fresh, const ot_err_t *e)
{
    pthread_rwlock_wrlock(&c->lk);
    if (fresh || rc)
        heard(c, '*', 0);
    if (rc && !c->broken)
        log_warn("appeal page cache off until it listens again: %s", e->message);
    else if (!rc && c->broken)
        log_info("appeal page cache listening again");
    c->broken = rc != 0;
    pthread_rwlock_unlock(&c->lk);
}

/* One sync, by whichever thread took the connection (busy, under sm; sm is let go meanwhile):
 * sync number my begins, and when it ended every request it serves is woken. The requests
 * put aside (page_cache_await) are given back in *ready, for their fn outside sm. */
static void sync_one(page_cache_t *c, struct waiter **ready)
{
    uint64_t my = ++c->sent;
    pthread_mutex_unlock(&c->sm);
    int fresh = 0;
    ot_err_t e;
    memset(&e, 0, sizeof e);
    int rc = db_notifies(c->db, CHANNEL, 1, on_note, c, &fresh, &e);
    pthread_mutex_lock(&c->sm);
    after_io(c, rc, fresh, &e);
    if (!rc)
        c->ok = my;
    c->done = my;
    atomic_fetch_add(&c->syncs, 1);
    /* the requests this sync serves (those that came after it began wait for the next) */
    *ready = NULL;
    for (struct waiter **p = &c->waiters; *p;) {
        struct waiter *w = *p;
        if (w->need <= my) {
            *p = w->next;
            w->next = *ready;
            *ready = w;
        } else
            p = &w->next;
    }
    pthread_cond_broadcast(&c->cv);
}

static void wake(struct waiter *ready)
{
    while (ready) {
        struct waiter *w = ready;
        ready = w->next;
        w->fn(w->arg);
        free(w);
    }
}

/* The sync thread (issue 19 point 7). The listening connection is used by one thread at a
 * time (busy). A request of the http layer is put aside and asks this thread for a sync
 * (page_cache_await: its polling thread never waits); a blocking reader (page_cache_get
 * without one) that finds the connection free syncs on its own thread. A request that finds
 * a sync in flight waits for the next, which this thread begins as soon as the connection is
 * free: so one
 * round trip serves every request that came during the round trip before it, and a request
 * waits at most about two. The waiting requests of the http layer hold no thread
 * (page_cache_await: the connection put aside, resumed by fn); a blocking reader waits on cv.
 * Between syncs, when no one waits, this thread takes the notifications off the connection
 * every DRAIN_MS (a node that serves no cached page still keeps the server's queue short). */
static void *sync_main(void *arg)
{
    page_cache_t *c = arg;
    pthread_mutex_lock(&c->sm);
    while (!c->stop) {
        if (c->busy || c->want <= c->sent) {
            struct timespec t;
            clock_gettime(CLOCK_REALTIME, &t);
            t.tv_nsec += DRAIN_MS * 1000000L;
            if (t.tv_nsec >= 1000000000L) {
                t.tv_sec++;
                t.tv_nsec -= 1000000000L;
            }
            if (pthread_cond_timedwait(&c->tick, &c->sm, &t) != ETIMEDOUT || c->stop || c->busy ||
                c->want > c->sent)
                continue;
            c->busy = 1;
            pthread_mutex_unlock(&c->sm);
            int fresh = 0;
            ot_err_t e;
            memset(&e, 0, sizeof e);
            int rc = db_notifies(c->db, CHANNEL, 0, on_note, c, &fresh, &e);
            pthread_mutex_lock(&c->sm);
            after_io(c, rc, fresh, &e);
            c->busy = 0;
            continue;
        }
        c->busy = 1;
        struct waiter *ready;
        sync_one(c, &ready);
        c->busy = 0;
        if (ready) {
            pthread_mutex_unlock(&c->sm);
            wake(ready);
            pthread_mutex_lock(&c->sm);
        }
    }
    /* closing: no sync will come; whoever still waits reads from the store */
    while (c->busy)
        pthread_cond_wait(&c->cv, &c->sm);
    c->done = UINT64_MAX;
    struct waiter *ready = c->waiters;
    c->waiters = NULL;
    pthread_cond_broadcast(&c->cv);
    pthread_mutex_unlock(&c->sm);
    wake(ready);
    return NULL;
}

/* The number of the first sync that begins after this call (under sm): when the connection
 * is free and the caller may take it, the caller's own (*mine 1: it syncs, sync_one), else
 * one asked of the sync thread. */
static uint64_t want_next(page_cache_t *c, int *mine, int may_take)
{
    uint64_t need = c->sent + 1;
    *mine = may_take && !c->busy && !c->stop;
    if (*mine)
        c->busy = 1;
    else if (c->want < need) {
        c->want = need;
        pthread_cond_signal(&c->tick);
    }
    return need;
}

/* The caller's own sync (want_next gave *mine 1), under sm. */
static void sync_mine(page_cache_t *c)
{
    struct waiter *ready;
    sync_one(c, &ready);
    c->busy = 0;
    if (c->want > c->sent) /* requests came meanwhile: the sync thread serves them */
        pthread_cond_signal(&c->tick);
    if (ready) {
        pthread_mutex_unlock(&c->sm);
        wake(ready);
        pthread_mutex_lock(&c->sm);
    }
}

/* Whether sync need ended well: it began after the request came, and the connection still
 * listens (under sm). */
static int synced(page_cache_t *c, uint64_t need)
{
    return c->ok >= need && c->done != UINT64_MAX && !c->broken;
}

/* Waits for a sync of the listening connection that began after this call; 0 when it
 * succeeded. Many callers share one sync. */
static int sync_after_now(page_cache_t *c)
{
    pthread_mutex_lock(&c->sm);
    int mine;
    uint64_t need = want_next(c, &mine, 1);
    if (mine)
        sync_mine(c);
    while (c->done < need)
        pthread_cond_wait(&c->cv, &c->sm);
    int ok = synced(c, need);
    pthread_mutex_unlock(&c->sm);
    return ok ? 0 : -1;
}

/* the sync the reads of this thread count on (page_cache_enter), 0: none */
static __thread uint64_t entered;

void page_cache_enter(uint64_t ticket)
{
    entered = ticket;
}

int page_cache_await(page_cache_t *c, const char *number, uint64_t *ticket, int may_wait,
                     void (*suspend)(void *arg), void (*fn)(void *arg), void *arg)
{
    *ticket = 0;
    pthread_rwlock_rdlock(&c->lk);
    int present = !c->broken && find(c, number);
    pthread_rwlock_unlock(&c->lk);
    if (!present)
        return 0; /* not kept: read from the store at once, no sync needed */
    /* the caller (a polling thread, which never waits: docs/group-commit.md "Threads") syncs
     * on its own thread only when it has nothing else to serve (may_wait) and the connection
     * is free: one round trip, no thread woken */
    pthread_mutex_lock(&c->sm);
    int mine;
    uint64_t need = want_next(c, &mine, may_wait);
    struct waiter *w = mine || c->stop ? NULL : malloc(sizeof *w);
    if (!w) { /* its own sync, or closing (or no memory): waits here */
        if (mine)
            sync_mine(c);
        while (c->done < need)
            pthread_cond_wait(&c->cv, &c->sm);
        pthread_mutex_unlock(&c->sm);
        *ticket = need;
        return 0;
    }
    /* put aside until sync need has ended (suspend before fn can be called; the sync thread
     * takes sm to end a sync) */
    suspend(arg);
    atomic_fetch_add(&c->aside, 1);
    w->need = *ticket = need;
    w->fn = fn;
    w->arg = arg;
    w->next = c->waiters;
    c->waiters = w;
    pthread_mutex_unlock(&c->sm);
    return 1;
}

int page_cache_open(const char *path, int entries, page_cache_t **out, ot_err_t *err)
{
    *out = NULL;
    page_cache_t *c = calloc(1, sizeof *c);
    size_t buckets = 1;
    while (buckets < (size_t)entries * 2)
        buckets <<= 1;
    if (c) {
        c->n = (size_t)entries;
        c->mask = buckets - 1;
        c->e = calloc(c->n, sizeof *c->e);
        c->by_num = calloc(buckets, sizeof *c->by_num);
        c->by_id = calloc(buckets, sizeof *c->by_id);
        c->by_prob = calloc(buckets, sizeof *c->by_prob);
    }
    if (!c || !c->e || !c->by_num || !c->by_id || !c->by_prob) {
        page_cache_close(c);
        return ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
    }
    pthread_mutex_init(&c->sm, NULL);
    pthread_rwlock_init(&c->lk, NULL);
    pthread_cond_init(&c->cv, NULL);
    pthread_cond_init(&c->tick, NULL);
    int rc = db_open(path, 0, &c->db, err);
    if (rc) {
        page_cache_close(c);
        return rc;
    }
    int fresh = 0;
    ot_err_t e;
    memset(&e, 0, sizeof e);
    rc = db_notifies(c->db, CHANNEL, 0, on_note, c, &fresh, &e);
    if (rc) {
        page_cache_close(c);
        if (!strcmp(e.code, "no_notifications"))
            return OT_OK; /* this engine: no cache */
        if (err)
            *err = e;
        return rc;
    }
    if (pthread_create(&c->drain, NULL, sync_main, c)) {
        page_cache_close(c);
        return ot_err(err, OT_EINTERNAL, "thread", NULL, "cannot start the page cache's thread");
    }
    c->has_drain = 1;
    *out = c;
    return OT_OK;
}

void page_cache_close(page_cache_t *c)
{
    if (!c)
        return;
    if (c->has_drain) {
        log_info(
            "appeal page cache: %llu pages served, %llu read, %llu syncs, %llu requests put "
            "aside for one, %llu dropped",
            (unsigned long long)atomic_load(&c->hits), (unsigned long long)atomic_load(&c->misses),
            (unsigned long long)atomic_load(&c->syncs), (unsigned long long)atomic_load(&c->aside),
            (unsigned long long)atomic_load(&c->drops));
        pthread_mutex_lock(&c->sm);
        c->stop = 1;
        pthread_cond_broadcast(&c->tick);
        pthread_mutex_unlock(&c->sm);
        pthread_join(c->drain, NULL);
    }
    for (size_t i = 0; c->e && i < c->n; i++)
        if (c->e[i].used) {
            page_free(&c->e[i].page);
            free(c->e[i].prior.rows);
            views_free(&c->e[i]);
        }
    free(c->e);
    free(c->by_num);
    free(c->by_id);
    free(c->by_prob);
    if (c->db) { /* made after the mutex and the conditions */
        db_close(c->db);
        pthread_mutex_destroy(&c->sm);
        pthread_rwlock_destroy(&c->lk);
        pthread_cond_destroy(&c->cv);
        pthread_cond_destroy(&c->tick);
    }
    free(c);
}

int page_cache_get(page_cache_t *c, const char *number, store_appeal_page_t *out,
                   page_prior_hit_t *prior)
{
    pthread_rwlock_rdlock(&c->lk);
    int present = !c->broken && find(c, number);
    pthread_rwlock_unlock(&c->lk);
    /* a page not kept is read from the store at once (no sync needed to read PostgreSQL);
     * a request that waited for its sync without a thread (page_cache_await) has it */
    int fresh = 0;
    if (present && entered) {
        pthread_mutex_lock(&c->sm);
        fresh = synced(c, entered);
        pthread_mutex_unlock(&c->sm);
    } else if (present)
        fresh = sync_after_now(c) == 0;
    if (!fresh) {
        atomic_fetch_add(&c->misses, 1);
        return 0;
    }
    pthread_rwlock_rdlock(&c->lk);
    struct entry *x = find(c, number);
    int ok = x && page_copy(out, &x->page) == 0;
    memset(prior, 0, sizeof *prior);
    if (ok) {
        /* every change heard after this moment drops x (and its renderings) */
        out->serial = x->serial;
        out->mark = c->gen;
        for (int v = 0; v < STORE_PAGE_VIEWS; v++)
            if (x->views[v] && (out->views[v] = malloc(x->views_len[v] + 1))) {
                memcpy(out->views[v], x->views[v], x->views_len[v] + 1);
                out->views_len[v] = x->views_len[v];
            }
        atomic_store_explicit(&x->ref, 1, memory_order_relaxed);
        if (x->prior.rows) {
            *prior = x->prior;
            prior->rows = malloc((size_t)(x->prior.n ? x->prior.n : 1) * sizeof *prior->rows);
            if (prior->rows)
                memcpy(prior->rows, x->prior.rows, (size_t)x->prior.n * sizeof *prior->rows);
        }
    }
    pthread_rwlock_unlock(&c->lk);
    atomic_fetch_add(ok ? &c->hits : &c->misses, 1);
    return ok;
}

uint64_t page_cache_mark(page_cache_t *c)
{
    pthread_rwlock_rdlock(&c->lk);
    uint64_t g = c->gen;
    pthread_rwlock_unlock(&c->lk);
    return g;
}

/* Whether a change of appeal id (of problem problem_id) was heard after mark (under lk, written).
 */
static int changed_since(page_cache_t *c, uint64_t mark, int64_t id, int64_t problem_id)
{
    if (c->broken || c->gen - mark >= RING)
        return 1;
    for (uint64_t g = mark + 1; g <= c->gen; g++) {
        const struct change *h = &c->ring[g & (RING - 1)];
        if (h->kind == '*' || (h->kind == 'a' && h->id == id) ||
            (h->kind == 'p' && problem_id && h->id == problem_id))
            return 1;
    }
    return 0;
}

/* A free entry, or the one the clock hand finds not used since its last pass (under lk, written).
 */
static struct entry *take(page_cache_t *c)
{
    for (;;) {
        struct entry *x = &c->e[c->hand];
        c->hand = (c->hand + 1) % c->n;
        if (!x->used)
            return x;
        if (atomic_exchange_explicit(&x->ref, 0, memory_order_relaxed) == 0) {
            drop(c, x);
            return x;
        }
    }
}

uint64_t page_cache_put(page_cache_t *c, uint64_t mark, const store_appeal_page_t *p)
{
    store_appeal_page_t copy;
    if (page_copy(&copy, p))
        return 0;
    pthread_rwlock_wrlock(&c->lk);
    if (changed_since(c, mark, p->a.id, p->a.problem_id)) {
        pthread_rwlock_unlock(&c->lk);
        page_free(&copy);
        return 0;
    }
    struct entry *x = find(c, p->a.number);
    if (x)
        drop(c, x);
    x = take(c);
    x->used = 1;
    atomic_store_explicit(&x->ref, 1, memory_order_relaxed);
    x->id = p->a.id;
    x->problem_id = p->a.problem_id;
    x->page = copy;
    uint64_t serial = x->serial = ++c->serial;
    struct entry **h = &c->by_num[hash_str(x->page.a.number) & c->mask];
    x->next_num = *h;
    *h = x;
    h = &c->by_id[hash_id(x->id) & c->mask];
    x->next_id = *h;
    *h = x;
    if (x->problem_id) {
        h = &c->by_prob[hash_id(x->problem_id) & c->mask];
        x->next_prob = *h;
        *h = x;
    }
    pthread_rwlock_unlock(&c->lk);
    return serial;
}

void page_cache_keep_view(page_cache_t *c, const char *number, uint64_t serial, uint64_t mark,
                          int view, const char *text, size_t len)
{
    if (!serial || view < 0 || view >= STORE_PAGE_VIEWS)
        return;
    char *copy = str_dup_n(text, len);
    if (!copy)
        return;
    pthread_rwlock_wrlock(&c->lk);
    struct entry *x = find(c, number);
    /* the very page it was rendered from, unchanged since (the earlier decisions it shows
     * were read after mark, from the cache or the store) */
    if (x && x->serial == serial && !x->views[view] &&
        !changed_since(c, mark, x->id, x->problem_id)) {
        x->views[view] = copy;
        x->views_len[view] = len;
        copy = NULL;
    }
    pthread_rwlock_unlock(&c->lk);
    free(copy);
}

void page_cache_put_prior(page_cache_t *c, uint64_t mark, const page_prior_hit_t *prior)
{
    page_prior_t *rows = malloc((size_t)(prior->n ? prior->n : 1) * sizeof *rows);
    if (!rows)
        return;
    memcpy(rows, prior->rows, (size_t)prior->n * sizeof *rows);
    pthread_rwlock_wrlock(&c->lk);
    struct entry *x = find_id(c, prior->appeal_id);
    if (x && x->problem_id == prior->problem_id && x->page.a.received_at == prior->received_at &&
        !x->prior.rows && !changed_since(c, mark, prior->appeal_id, prior->problem_id)) {
        x->prior = *prior;
        x->prior.rows = rows;
        rows = NULL;
    }
    pthread_rwlock_unlock(&c->lk);
    free(rows);
}

void page_cache_stats(page_cache_t *c, page_cache_stats_t *out)
{
    out->hits = atomic_load(&c->hits);
    out->misses = atomic_load(&c->misses);
    out->syncs = atomic_load(&c->syncs);
    out->drops = atomic_load(&c->drops);
    pthread_rwlock_rdlock(&c->lk);
    out->entries = 0;
    for (size_t i = 0; i < c->n; i++)
        out->entries += c->e[i].used != 0;
    pthread_rwlock_unlock(&c->lk);
}

int store_page_await(store_t *s, const char *number, uint64_t *ticket, int may_wait,
                     void (*suspend)(void *arg), void (*resume)(void *arg), void *arg)
{
    page_cache_t *c = store_page_cache(s);
    *ticket = 0;
    return c ? page_cache_await(c, number, ticket, may_wait, suspend, resume, arg) : 0;
}

void store_page_enter(uint64_t ticket)
{
    page_cache_enter(ticket);
}

void store_page_keep_view(store_t *s, const char *number, uint64_t serial, uint64_t mark, int view,
                          const char *text, size_t len)
{
    page_cache_t *c = store_page_cache(s);
    if (c)
        page_cache_keep_view(c, number, serial, mark, view, text, len);
}
