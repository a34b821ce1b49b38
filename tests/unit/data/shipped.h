/* The shipped jurisdictions (data/jurisdictions/kz, ru) loaded as the server loads them
 * (juris_load), once per group of tests. Included by the tests of tests/unit/data/, which run
 * from the repository root. */
#ifndef TESTS_UNIT_DATA_SHIPPED_H
#define TESTS_UNIT_DATA_SHIPPED_H

#include <stdio.h>

#include "service/juris.h"

static juris_t *kz, *ru;

static int setup(void **state)
{
    (void)state;
    ot_err_t err;
    if (juris_load("data", "kz", &kz, &err) || juris_load("data", "ru", &ru, &err)) {
        fprintf(stderr, "juris_load: %s\n", err.message);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    juris_free(kz);
    juris_free(ru);
    return 0;
}

#endif
