/* The shipped weights of the composite index (data/scorecard.tsv) read as svc_init reads
 * them, and the loader's refusals. Run from the repository root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "service/svc.h"

static void shipped(void **state)
{
    (void)state;
    sc_weights_t w;
    ot_err_t err = {0};
    if (svc_weights_load("data", &w, &err))
        fail_msg("data/scorecard.tsv: %s", err.message);
    /* problems solved and kept solved weigh more than paperwork (on time, escalations) */
    assert_true(w.resolution > w.on_time);
    assert_true(w.recurring + w.verdict > w.on_time);
    assert_true(w.on_time > w.escalation);
    assert_true(w.resolution >= w.recurring && w.resolution >= w.complaints);
}

/* a file in a temporary data folder */
static void write_tmp(const char *dir, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/scorecard.tsv", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void refused(void **state)
{
    (void)state;
    char dir[] = "/tmp/otinish-scorecard-XXXXXX";
    assert_non_null(mkdtemp(dir));
    static const struct {
        const char *text, *says;
    } cases[] = {
        {"component\tweight\tsource\nresolution\t0.25\tx\n", "no weight for recurring"},
        {"component\tweight\tsource\nresolution\t0.25\t\n", "has no source"},
        {"component\tweight\tsource\nresolution\t-1\tx\n", "a weight is a number"},
        {"component\tweight\tsource\nspeed\t1\tx\n", "unknown weight"},
        {"component\tweight\nresolution\t1\n", "source"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        write_tmp(dir, cases[i].text);
        sc_weights_t w;
        ot_err_t err = {0};
        assert_int_equal(svc_weights_load(dir, &w, &err), OT_EINVAL);
        if (!strstr(err.message, cases[i].says))
            fail_msg("case %zu: '%s' does not say '%s'", i, err.message, cases[i].says);
    }
    char path[256];
    snprintf(path, sizeof path, "%s/scorecard.tsv", dir);
    unlink(path);
    sc_weights_t w;
    ot_err_t err = {0};
    assert_int_not_equal(svc_weights_load(dir, &w, &err), OT_OK); /* no file */
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(shipped), cmocka_unit_test(refused)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
