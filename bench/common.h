/* What every bench program does first: a fresh database in a temporary folder with the
 * region's reference data (as `otinish init` makes it), and the store and services opened on
 * a database. Each bench program is one translation unit: the functions are static inline. */
#ifndef OT_BENCH_COMMON_H
#define OT_BENCH_COMMON_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "service/reference.h"
#include "service/report.h"
#include "service/svc.h"
#include "store/store.h"

/* Makes /tmp/otinish-bench-<tag>-XXXXXX/<tag>.db with the VKO reference data loaded and the
 * aggregates' working days in step (report_calendar_sync); its path into path[n]. */
static inline int bench_fresh_db(const char *tag, char *path, size_t n, ot_err_t *err)
{
    char dir[96];
    snprintf(dir, sizeof dir, "/tmp/otinish-bench-%s-XXXXXX", tag);
    if (!mkdtemp(dir))
        return ot_err(err, OT_EINTERNAL, "mkdtemp", NULL, "cannot make a temporary folder");
    snprintf(path, n, "%s/%s.db", dir, tag);
    store_t *s = NULL;
    svc_t svc;
    ref_counts_t rc;
    memset(&svc, 0, sizeof svc); /* svc_free is safe on it */
    int status = store_open(path, STORE_CREATE, &s, err) ||
                 ref_load_region(s, "data/regions/vko", "bench", 0, &rc, err) ||
                 svc_init(&svc, s, "data", err) || report_calendar_sync(&svc, 0, err);
    svc_free(&svc);
    if (s)
        store_close(s);
    return status;
}

/* Opens the store on path and the services over it (the data of the repository's data/). */
static inline int bench_open(const char *path, store_t **s, svc_t *svc, ot_err_t *err)
{
    memset(svc, 0, sizeof *svc);
    *s = NULL;
    return store_open(path, 0, s, err) || svc_init(svc, *s, "data", err);
}

/* Removes the folder bench_fresh_db made for path (nothing when path is empty). */
static inline int bench_remove_db(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!path[0] || !slash)
        return 0;
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%.*s'", (int)(slash - path), path);
    return system(cmd) != 0;
}

#endif
