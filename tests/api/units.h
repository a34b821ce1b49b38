/* Writer units on threads of a test, for the tests that hold a group commit open: a unit
 * that waits (hold_unit) until the test lets it go, so that the units started meanwhile
 * join its batch, and a thread that runs one unit through store_write (unit_thread). */
#ifndef OT_TESTS_API_UNITS_H
#define OT_TESTS_API_UNITS_H

#include <pthread.h>

#include "store/store.h"

struct held {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int in, go; /* the unit is in its batch; the test lets it go */
};

static int hold_unit(store_tx_t *tx, void *arg, ot_err_t *err)
{
    (void)tx;
    (void)err;
    struct held *h = arg;
    pthread_mutex_lock(&h->mu);
    h->in = 1;
    pthread_cond_broadcast(&h->cv);
    while (!h->go)
        pthread_cond_wait(&h->cv, &h->mu);
    pthread_mutex_unlock(&h->mu);
    return OT_OK;
}

struct unit_run {
    store_t *s;
    int (*fn)(store_tx_t *, void *, ot_err_t *);
    void *arg;
    int rc;
    ot_err_t err;
};

static void *unit_thread(void *p)
{
    struct unit_run *u = p;
    u->rc = store_write(u->s, u->fn, u->arg, &u->err);
    return NULL;
}

#endif
