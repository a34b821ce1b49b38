/* Deadline engine throughput: loads kz from data/ (run from the repository root), computes
 * 1,000,000 due dates over varied received instants and kinds, prints one line. */
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "domain/deadline.h"
#include "service/juris.h"

#define N 1000000

int main(void)
{
    juris_t *j;
    ot_err_t err;
    if (juris_load("data", "kz", &j, &err)) {
        fprintf(stderr, "deadline bench: %s\n", err.message);
        return 1;
    }
    static const char *kinds[] = {"statement", "complaint", "proposal",
                                  "request",   "response",  "report"};
    ot_day_t first;
    date_from_ymd(cal_first_year(j->cal), 1, 1, &first);
    /* Receipts spread over the data minus the last quarter, so every due date fits. */
    int span_days = (cal_last_year(j->cal) - cal_first_year(j->cal)) * 365 + 270;
    int64_t base = instant_from_local(first, 0, cal_utc_offset_min(j->cal));
    uint64_t x = 88172645463325252u;
    volatile uint64_t checksum = 0; /* keeps the loop from being optimised away */
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (long i = 0; i < N; i++) {
        x ^= x << 13; /* xorshift64: cheap varied instants */
        x ^= x >> 7;
        x ^= x << 17;
        int64_t us = base + (int64_t)(x % ((uint64_t)span_days * 86400u)) * 1000000;
        deadline_t d;
        if (deadline_compute(j->policy, j->cal, kinds[i % 6], us, -1, &d, &err)) {
            fprintf(stderr, "deadline bench: %s\n", err.message);
            juris_free(j);
            return 1;
        }
        checksum += (uint64_t)d.due_on;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double ms = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
    printf("deadline: %d due dates in %.0f ms (%.0f/s)\n", N, ms, N / (ms / 1e3));
    juris_free(j);
    return 0;
}
