/* LD_PRELOAD shim for bench/demo.sh: with FIXNOW_US set (microseconds since the epoch),
 * clock_gettime(CLOCK_REALTIME) answers that instant, always; other clocks are untouched.
 * Two demo loads then have the same `now` (the demo draws everything from it and its seed),
 * so that two binaries' databases can be compared table by table. For timing comparisons
 * only: every timestamp of the load is that instant. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <time.h>

int clock_gettime(clockid_t c, struct timespec *ts)
{
    static int (*real)(clockid_t, struct timespec *);
    const char *v = getenv("FIXNOW_US");
    if (c == CLOCK_REALTIME && v && *v) {
        long long us = atoll(v);
        ts->tv_sec = (time_t)(us / 1000000);
        ts->tv_nsec = (long)(us % 1000000) * 1000;
        return 0;
    }
    if (!real)
        real = (int (*)(clockid_t, struct timespec *))dlsym(RTLD_NEXT, "clock_gettime");
    return real(c, ts);
}
