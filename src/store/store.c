/* The store: connections, read pool, the group-commit writer. See store.h and
 * docs/group-commit.md. */
#include "store/store.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/store_bulk.h"
#include "store/store_int.h"
#include "store/store_search.h"
#include "util/log.h"

#define MAX_BATCH 512 /* units per group-commit transaction */

struct unit {
    store_fn fn;
    void *arg;
    ot_err_t *err;
    int rc;
    int done;
    pthread_cond_t *wake; /* the waiting thread's own: a finished batch wakes only its units */
    struct unit *next;
    int role; /* a role job's unit (store_role_job): fenced (unit_fence); else -1 */
};

struct pooled {
    db_t *db;
    struct pooled *next;
};

/* A pool of read connections to one address: the primary's (store_read), or the read
 * replica's (store_read_replica, read-only connections). */
struct rpool {
    char *path;
    int read_only;
    pthread_mutex_t mu;
    struct pooled *free;
};

struct store {
    char *path;
    int version;
    db_t *wdb; /* the writer's connection */

    pthread_mutex_t wmu; /* guards the queue; also serialises inline writes */
    pthread_cond_t work;
    struct unit *head, *tail;
    int stop;
    int has_writer;
    int search_deferred; /* a bulk load: the search index is rebuilt at its end */
    int search_batch;    /* the writer's batches put their texts in the index once, before
                          * the commit (store_search_flush) */
    pthread_t writer;

    struct rpool pool;     /* reads on the primary */
    struct rpool *replica; /* reads that may lag (--db-read); NULL: none */

    /* jobs that run on one node at a time (store_role_hold): a connection of each role's
     * own, used by that role's one thread, and whether it held the role at its last look */
    db_t *role_db[STORE_ROLES];
    atomic_int role_held[STORE_ROLES];

    /* group-commit figures for GET /metrics (store_stats), counted without a lock */
    atomic_uint_least64_t batches, units, errors, wait_sum_us;
    atomic_uint_least64_t batch_hist[STORE_BATCH_BUCKETS + 1]; /* per bucket, not cumulative */
    atomic_uint_least64_t wait_hist[STORE_WAIT_BUCKETS + 1];

    int unsealed; /* a bulk load: events get no seal until its end (store_bulk.c) */

    /* store_idle_limit: asked for (any thread), and set on the writer's connection (by
     * whichever thread runs the next batch, under wmu) */
    atomic_int idle_ms;
    int idle_set_ms;

    /* the server's appeal page cache (issue 19 point 7, store_cache.h): on an engine with
     * change notifications only; NULL otherwise */
    page_cache_t *pages;
};

/* Pages kept per node: each about 5 KB (the appeal, its problem, its held answer, its
 * problem's earlier decisions), so some 20 MB. */
#define PAGE_CACHE_ENTRIES 4096

page_cache_t *store_page_cache(store_t *s)
{
    return s->pages;
}

void store_set_unsealed(store_t *s, int on)
{
    s->unsealed = on;
}

int store_is_unsealed(const store_t *s)
{
    return s->unsealed;
}

const int store_batch_le[STORE_BATCH_BUCKETS] = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512};
const int64_t store_wait_le_us[STORE_WAIT_BUCKETS] = {500,   1000,  2500,   5000,   10000,
                                                      25000, 50000, 100000, 250000, 1000000};

static void count_batch(store_t *s, int n)
{
    int b = 0;
    while (b < STORE_BATCH_BUCKETS && n > store_batch_le[b])
        b++;
    atomic_fetch_add(&s->batch_hist[b], 1);
    atomic_fetch_add(&s->batches, 1);
}

/* One unit's result and how long its thread waited for it. */
static void count_unit(store_t *s, int rc, int64_t waited_us)
{
    int b = 0;
    while (b < STORE_WAIT_BUCKETS && waited_us > store_wait_le_us[b])
        b++;
    atomic_fetch_add(&s->wait_hist[b], 1);
    atomic_fetch_add(&s->wait_sum_us, (uint64_t)waited_us);
    atomic_fetch_add(&s->units, 1);
    /* the store failed (I/O, busy, a rolled-back batch), not the use case's own refusal */
    if (rc == OT_EINTERNAL || rc == OT_EUNAVAIL)
        atomic_fetch_add(&s->errors, 1);
}

void store_stats(store_t *s, store_stats_t *out)
{
    out->batches = atomic_load(&s->batches);
    out->units = atomic_load(&s->units);
    out->errors = atomic_load(&s->errors);
    out->wait_sum_us = atomic_load(&s->wait_sum_us);
    for (int i = 0; i <= STORE_BATCH_BUCKETS; i++)
        out->batch_hist[i] = atomic_load(&s->batch_hist[i]);
    for (int i = 0; i <= STORE_WAIT_BUCKETS; i++)
        out->wait_hist[i] = atomic_load(&s->wait_hist[i]);
}

/* The role locks' keys: one per role, beside the writer's (db_pg.c, 190002). */
static const int64_t role_key[STORE_ROLES] = {190010, 190011, 190012};

/* A role job's unit runs only while this node holds the role, and cannot commit once
 * another node has taken it (db_fence): a node stopped in the middle of a job's
 * transaction does not commit it beside the new holder's run when it goes on. */
static int unit_fence(store_t *s, const struct unit *u, ot_err_t *err)
{
    if (u->role < 0)
        return OT_OK;
    return db_fence(s->wdb, role_key[u->role], atomic_load(&s->role_held[u->role]), err);
}

void store_idle_limit(store_t *s, int ms)
{
    atomic_store(&s->idle_ms, ms);
}

/* The writer's connection gets the limit asked for before its next transaction. */
static int idle_limit(store_t *s, ot_err_t *err)
{
    int ms = atomic_load(&s->idle_ms);
    if (ms == s->idle_set_ms)
        return OT_OK;
    int rc = db_idle_limit(s->wdb, ms, err);
    if (!rc)
        s->idle_set_ms = ms;
    return rc;
}

/* The writer's transaction begins: the idle limit asked for is set first (store_idle_limit);
 * its new appeals are counted in the aggregates at its end (store_stat_flush). */
static int writer_begin(store_t *s, store_tx_t *tx, ot_err_t *err)
{
    int rc = idle_limit(s, err);
    if (!rc)
        rc = db_begin(s->wdb, 1, err);
    return rc ? rc : store_stat_begin(tx, err);
}

/* What waits for the commit goes in: the batch's search texts (SQLite), its new appeals'
 * and notices' counts (PostgreSQL). */
static int writer_flush(store_tx_t *tx, ot_err_t *err)
{
    int rc = store_search_flush(tx, err);
    return rc ? rc : store_stat_flush_all(tx, err);
}

/* A unit starts with nothing asked for ahead: a unit rolled back may have left its asks */
static void forget_asked(store_tx_t *tx)
{
    if (tx->number_asked)
        db_reset(tx->number_asked);
    if (tx->problem_asked)
        db_reset(tx->problem_asked);
    tx->number_asked = tx->problem_asked = NULL;
}

/* A batch of one unit (the CLI, a quiet server) needs no savepoint: its failure rolls back
 * the whole transaction. */
static void run_single(store_t *s, struct unit *u)
{
    ot_err_t berr;
    struct store_tx tx = {.db = s->wdb, .store = s, .search_batch = s->search_batch};
    int rc = writer_begin(s, &tx, &berr);
    if (!rc) {
        rc = unit_fence(s, u, u->err);
        forget_asked(&tx);
        if (!rc)
            rc = u->fn(&tx, u->arg, u->err);
        if (!rc && writer_flush(&tx, &berr) == OT_OK && db_commit(s->wdb, &berr) == OT_OK) {
            store_stat_end(&tx);
            u->rc = OT_OK;
            return;
        }
        db_rollback(s->wdb);
        if (!rc)
            rc = berr.status;
        else {
            store_stat_end(&tx);
            u->rc = rc;
            return;
        }
    }
    store_stat_end(&tx);
    u->rc = rc;
    if (u->err)
        *u->err = berr;
}

static void run_units(store_t *s, struct unit *batch, store_tx_t *tx);

/* Runs a batch of units in one transaction, each in its own savepoint. */
static void run_batch(store_t *s, struct unit *batch)
{
    if (!batch->next) {
        run_single(s, batch);
        return;
    }
    struct store_tx tx = {.db = s->wdb, .store = s, .search_batch = s->search_batch};
    run_units(s, batch, &tx);
    store_stat_end(&tx);
}

/* run_batch's units, in tx */
static void run_units(store_t *s, struct unit *batch, store_tx_t *tx)
{
    ot_err_t berr;
    int rc = writer_begin(s, tx, &berr);
    int any_ok = 0;
    for (struct unit *u = batch; u; u = u->next) {
        if (rc) {
            u->rc = rc;
            if (u->err)
                *u->err = berr;
            continue;
        }
        ot_err_t serr;
        if (db_savepoint(s->wdb, &serr)) {
            u->rc = serr.status;
            if (u->err)
                *u->err = serr;
            continue;
        }
        size_t stat_n = tx->stat.n, stat_folded = tx->stat.folded;
        int stat_armed = tx->stat.armed;
        u->rc = unit_fence(s, u, u->err);
        forget_asked(tx);
        if (!u->rc)
            u->rc = u->fn(tx, u->arg, u->err);
        if (u->rc && !db_in_tx(s->wdb)) {
            /* the engine rolled the whole transaction back (disk full, I/O error): every
             * unit of the batch failed, including those that had succeeded */
            ot_err(&berr, OT_EUNAVAIL, "store_failed", NULL,
                   "the store rolled back the transaction; retry");
            for (struct unit *v = batch; v; v = v->next) {
                if (v != u) {
                    v->rc = berr.status;
                    if (v->err)
                        *v->err = berr;
                }
            }
            return;
        }
        if (!u->rc && db_release(s->wdb, &serr)) {
            u->rc = serr.status;
            if (u->err)
                *u->err = serr;
        }
        if (u->rc) {
            db_rollback_to(s->wdb);
            tx->stat.n = stat_n; /* its appeals and the counts it made are gone */
            tx->stat.folded = stat_folded;
            tx->stat.armed = stat_armed; /* and the meta key, when it took it */
        } else
            any_ok = 1;
    }
    if (rc)
        return;
    if (!any_ok) {
        db_rollback(s->wdb);
        return;
    }
    if (writer_flush(tx, &berr) || db_commit(s->wdb, &berr)) {
        db_rollback(s->wdb);
        for (struct unit *u = batch; u; u = u->next)
            if (!u->rc) {
                u->rc = berr.status;
                if (u->err)
                    *u->err = berr;
            }
    }
}

static void *writer_main(void *p)
{
    store_t *s = p;
    pthread_mutex_lock(&s->wmu);
    for (;;) {
        while (!s->head && !s->stop)
            pthread_cond_wait(&s->work, &s->wmu);
        if (!s->head && s->stop)
            break;
        struct unit *batch = s->head, *last = batch;
        int n = 1;
        while (last->next && n < MAX_BATCH) {
            last = last->next;
            n++;
        }
        s->head = last->next;
        if (!s->head)
            s->tail = NULL;
        last->next = NULL;
        pthread_mutex_unlock(&s->wmu);

        count_batch(s, n);
        run_batch(s, batch);

        pthread_mutex_lock(&s->wmu);
        for (struct unit *u = batch, *next; u; u = next) {
            next = u->next; /* u may be gone once its thread sees done */
            u->done = 1;
            pthread_cond_signal(u->wake);
        }
    }
    pthread_mutex_unlock(&s->wmu);
    return NULL;
}

/* The role job of this thread (store_role_job): which store and role, its lapse, and when
 * it was last confirmed. */
static _Thread_local struct {
    store_t *s;
    int role, lapse_ms;
    int64_t confirmed_us;
} job;

void store_role_job(store_t *s, int role, int lapse_ms)
{
    job.s = role >= 0 ? s : NULL;
    job.role = role;
    job.lapse_ms = lapse_ms;
    job.confirmed_us = clock_mono_us();
}

/* The job's role confirmed when a beat (a third of the lapse) has passed; OT_EUNAVAIL when
 * another node holds it now. */
static int job_confirm(store_t *s, ot_err_t *err)
{
    if (job.s != s || job.lapse_ms <= 0)
        return OT_OK;
    int64_t now = clock_mono_us();
    if (now - job.confirmed_us < (int64_t)job.lapse_ms * 1000 / 3)
        return OT_OK;
    int held = 0;
    int rc = store_role_hold(s, job.role, job.lapse_ms, &held, err);
    if (rc)
        return rc;
    if (!held)
        return ot_err(err, OT_EUNAVAIL, "role_lost", NULL,
                      "another node has taken this job's role");
    job.confirmed_us = now;
    return OT_OK;
}

int store_write(store_t *s, store_fn fn, void *arg, ot_err_t *err)
{
    pthread_cond_t wake;
    struct unit u = {fn, arg, err, 0, 0, &wake, NULL, job.s == s ? job.role : -1};
    int64_t t0 = clock_mono_us();
    int rc = job_confirm(s, err);
    if (rc)
        return rc;
    pthread_mutex_lock(&s->wmu);
    if (!s->has_writer) {
        run_batch(s, &u);
        pthread_mutex_unlock(&s->wmu);
        return u.rc;
    }
    if (s->stop) {
        pthread_mutex_unlock(&s->wmu);
        return ot_err(err, OT_EUNAVAIL, "shutting_down", NULL, "the server is stopping");
    }
    /* u lives on this stack until the writer marks it done: we wait for that below */
    pthread_cond_init(&wake, NULL);
    if (s->tail)
        s->tail->next = &u;
    else
        s->head = &u; // cppcheck-suppress autoVariables
    s->tail = &u;     // cppcheck-suppress autoVariables
    pthread_cond_signal(&s->work);
    while (!u.done) {
        if (job.s != s || job.lapse_ms <= 0) {
            pthread_cond_wait(&wake, &s->wmu);
            continue;
        }
        /* a role job's transaction: its role is confirmed every beat while it runs */
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        int64_t ns = until.tv_nsec + (int64_t)job.lapse_ms * 1000000 / 3;
        until.tv_sec += (time_t)(ns / 1000000000);
        until.tv_nsec = (long)(ns % 1000000000);
        if (pthread_cond_timedwait(&wake, &s->wmu, &until) == ETIMEDOUT && !u.done) {
            pthread_mutex_unlock(&s->wmu);
            ot_err_t cerr;
            if (job_confirm(s, &cerr))
                log_warn("role held by a long transaction: %s", cerr.message);
            pthread_mutex_lock(&s->wmu);
        }
    }
    pthread_mutex_unlock(&s->wmu);
    pthread_cond_destroy(&wake);
    count_unit(s, u.rc, clock_mono_us() - t0);
    return u.rc;
}

/* A connection from pool p (a new one when none is free); *fresh says it was just opened. */
static int pool_take(struct rpool *p, struct pooled **out, ot_err_t *err)
{
    struct pooled *c;
    pthread_mutex_lock(&p->mu);
    c = p->free;
    if (c)
        p->free = c->next;
    pthread_mutex_unlock(&p->mu);
    if (!c) {
        c = calloc(1, sizeof *c);
        if (!c)
            return ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
        int rc = db_open(p->path, 0, &c->db, err);
        if (!rc && (rc = db_reader(c->db, err)))
            db_close(c->db);
        if (!rc && p->read_only && (rc = db_read_only(c->db, err)))
            db_close(c->db);
        if (rc) {
            free(c);
            return rc;
        }
    }
    *out = c;
    return OT_OK;
}

static void pool_give(struct rpool *p, struct pooled *c)
{
    pthread_mutex_lock(&p->mu);
    c->next = p->free;
    p->free = c;
    pthread_mutex_unlock(&p->mu);
}

static void pool_drain(struct rpool *p)
{
    while (p->free) {
        struct pooled *c = p->free;
        p->free = c->next;
        db_close(c->db);
        free(c);
    }
}

/* Runs fn on a connection of pool p. *started says whether fn ran (a failure before it
 * did, to connect or to begin, may be tried on another pool). */
static int read_with(store_t *s, struct rpool *p, int snapshot, store_fn fn, void *arg,
                     int *started, ot_err_t *err)
{
    struct pooled *c;
    *started = 0;
    int rc = job_confirm(s, err);
    if (rc)
        return rc;
    rc = pool_take(p, &c, err);
    if (rc)
        return rc;
    struct store_tx tx = {.db = c->db, .store = s};
    rc = snapshot ? db_begin(c->db, 0, err) : OT_OK;
    if (!rc) {
        *started = 1;
        rc = fn(&tx, arg, err);
        db_rollback(c->db); /* a read transaction has nothing to keep */
        free(tx.prior.rows);
    }
    pool_give(p, c);
    return rc;
}

int store_read(store_t *s, store_fn fn, void *arg, ot_err_t *err)
{
    int started;
    return read_with(s, &s->pool, 1, fn, arg, &started, err);
}

int store_read_one(store_t *s, store_fn fn, void *arg, ot_err_t *err)
{
    int started;
    return read_with(s, &s->pool, 0, fn, arg, &started, err);
}

int store_read_replica(store_t *s, store_fn fn, void *arg, ot_err_t *err)
{
    int started;
    if (!s->replica)
        return read_with(s, &s->pool, 1, fn, arg, &started, err);
    int rc = read_with(s, s->replica, 1, fn, arg, &started, err);
    if (rc == OT_EUNAVAIL && !started) {
        /* the replica is down or full: the primary answers meanwhile (fn had not run, so
         * nothing was handed out twice) */
        static atomic_int warned;
        if (!atomic_exchange(&warned, 1))
            log_warn("read replica unavailable, reading from the primary: %s",
                     err ? err->message : "");
        rc = read_with(s, &s->pool, 1, fn, arg, &started, err);
    }
    return rc;
}

int store_set_replica(store_t *s, const char *path, ot_err_t *err)
{
    struct rpool *p = calloc(1, sizeof *p);
    if (!p || !(p->path = strdup(path))) {
        free(p);
        return ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
    }
    p->read_only = 1;
    pthread_mutex_init(&p->mu, NULL);
    /* one connection at once: a wrong address fails at the start, not at the first report */
    struct pooled *c;
    int rc = pool_take(p, &c, err);
    if (rc) {
        pthread_mutex_destroy(&p->mu);
        free(p->path);
        free(p);
        return rc;
    }
    pool_give(p, c);
    s->replica = p;
    return OT_OK;
}

const char *store_replica(const store_t *s)
{
    return s->replica ? s->replica->path : NULL;
}

int store_role_hold(store_t *s, int role, int lapse_ms, int *held, ot_err_t *err)
{
    *held = 0;
    if (role < 0 || role >= STORE_ROLES)
        return ot_err(err, OT_EINTERNAL, "bad_role", NULL, "no such role");
    int rc = OT_OK;
    if (!s->role_db[role])
        rc = db_open(s->path, 0, &s->role_db[role], err);
    if (!rc)
        rc = db_session_lock(s->role_db[role], role_key[role], lapse_ms, held, err);
    atomic_store(&s->role_held[role], *held);
    return rc;
}

int store_role_held(const store_t *s, int role)
{
    return role >= 0 && role < STORE_ROLES && atomic_load(&s->role_held[role]) != 0;
}

static int recover_fn(store_tx_t *tx, void *arg, ot_err_t *err)
{
    (void)arg;
    int recovered;
    return store_bulk_recover(tx, &recovered, err);
}

static int search_sync_fn(store_tx_t *tx, void *arg, ot_err_t *err)
{
    (void)arg;
    return store_search_sync(tx, err);
}

int store_open(const char *path, int flags, store_t **out, ot_err_t *err)
{
    store_t *s = calloc(1, sizeof *s);
    if (!s || !(s->path = strdup(path))) {
        free(s);
        return ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
    }
    pthread_mutex_init(&s->wmu, NULL);
    s->pool.path = s->path;
    pthread_mutex_init(&s->pool.mu, NULL);
    pthread_cond_init(&s->work, NULL);
    int rc = db_open(path, flags & STORE_CREATE, &s->wdb, err);
    if (!rc && (flags & STORE_NO_MAP) && !strcmp(db_engine(s->wdb), "sqlite"))
        rc = db_exec(s->wdb, "PRAGMA mmap_size=0", err);
    if (!rc)
        rc = store_migrate(s->wdb, store_migrations_count(), &s->version, err);
    if (!rc) { /* a read first: most opens have nothing to recover and take no write lock */
        struct store_tx tx = {.db = s->wdb, .store = s};
        int pending = 0;
        rc = store_bulk_pending(&tx, &pending, err);
        if (!rc && pending)
            rc = store_write(s, recover_fn, NULL, err);
        int stale = 0;
        if (!rc)
            rc = store_search_stale(&tx, &stale, err);
        if (!rc && stale)
            rc = store_write(s, search_sync_fn, NULL, err);
    }
    /* the writer's tuning: the server's writer thread, and `otinish sweep`, whose transactions
     * run thousands of statements (their undo records went to a temporary file: 4.7 GB of
     * writes in a first sweep of the 1M demo, of 6.5 GB) */
    if (!rc && (flags & (STORE_WRITER | STORE_NO_MAP)))
        rc = db_batch_writer(s->wdb, err);
    if (!rc && (flags & STORE_WRITER)) {
        struct store_tx tx = {.db = s->wdb, .store = s};
        rc = store_search_batch_open(&tx, &s->search_batch, err);
    }
    if (!rc && (flags & STORE_WRITER))
        rc = page_cache_open(path, PAGE_CACHE_ENTRIES, &s->pages, err);
    if (!rc && (flags & STORE_WRITER)) {
        if (pthread_create(&s->writer, NULL, writer_main, s))
            rc = ot_err(err, OT_EINTERNAL, "thread", NULL, "cannot start the writer thread");
        else
            s->has_writer = 1;
    }
    if (rc) {
        store_close(s);
        return rc;
    }
    *out = s;
    return OT_OK;
}

void store_close(store_t *s)
{
    if (!s)
        return;
    if (s->has_writer) {
        pthread_mutex_lock(&s->wmu);
        s->stop = 1;
        pthread_cond_signal(&s->work);
        pthread_mutex_unlock(&s->wmu);
        pthread_join(s->writer, NULL);
    }
    pool_drain(&s->pool);
    pthread_mutex_destroy(&s->pool.mu);
    if (s->replica) {
        pool_drain(s->replica);
        pthread_mutex_destroy(&s->replica->mu);
        free(s->replica->path);
        free(s->replica);
    }
    for (int i = 0; i < STORE_ROLES; i++)
        db_close(s->role_db[i]); /* the role's lock goes with its session */
    page_cache_close(s->pages);
    db_close(s->wdb);
    pthread_mutex_destroy(&s->wmu);
    pthread_cond_destroy(&s->work);
    free(s->path);
    free(s);
}

int store_checkpoint(store_t *s, int keep, int64_t *wal_bytes, ot_err_t *err)
{
    pthread_mutex_lock(&s->wmu);
    int rc = db_checkpoint(s->wdb, keep, wal_bytes, err);
    pthread_mutex_unlock(&s->wmu);
    return rc;
}

const char *store_engine(const store_t *s)
{
    return db_engine(s->wdb);
}

int store_schema_version(const store_t *s)
{
    return s->version;
}

int store_schema_latest(void)
{
    return store_migrations_count();
}

int store_is_uri(const char *path)
{
    return db_is_uri(path);
}

const char *store_path(const store_t *s)
{
    return s->path;
}

void store_search_defer(store_t *s, int on)
{
    s->search_deferred = on;
}

int store_search_deferred(const store_t *s)
{
    return s->search_deferred;
}
