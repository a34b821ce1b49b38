#include "service/svc.h"

#include <dirent.h>
#include <sys/resource.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "service/auth.h"
#include "store/store.h"
#include "store/store_bulk.h"
#include "store/store_health.h"
#include "util/file.h"
#include "util/str.h"
#include "util/tsv.h"

_Static_assert((int)SVC_STORE_CREATE == (int)STORE_CREATE &&
                   (int)SVC_STORE_WRITER == (int)STORE_WRITER &&
                   (int)SVC_STORE_NO_MAP == (int)STORE_NO_MAP,
               "svc.h's store flags are store.h's");

juris_t *svc_juris(const svc_t *svc, const char *code)
{
    if (!code || !*code)
        return svc->n_juris ? svc->juris[0] : NULL;
    for (int i = 0; i < svc->n_juris; i++)
        if (strcmp(svc->juris[i]->code, code) == 0)
            return svc->juris[i];
    return NULL;
}

int svc_utc_offset(const svc_t *svc, const char *code)
{
    const juris_t *j = svc_juris(svc, code);
    return j ? cal_utc_offset_min(j->cal) : 5 * 60;
}

ot_day_t svc_today(const svc_t *svc, const char *code, int64_t now)
{
    return instant_local_day(now, svc_utc_offset(svc, code));
}

/* One optional table of every region under data_dir/regions, with the columns cols; a file
 * that is there but wrong is an error naming it. */
static int region_tables(const char *data_dir, const char *file, const char *const *cols,
                         tsv_t **out, int *n, ot_err_t *err)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/regions", data_dir);
    DIR *d = opendir(dir);
    if (!d)
        return OT_OK;
    int rc = OT_OK;
    for (struct dirent *e; !rc && (e = readdir(d)) && *n < SVC_MAX_FORMS;) {
        if (e->d_name[0] == '.')
            continue;
        char path[1400];
        snprintf(path, sizeof path, "%s/%s/%s", dir, e->d_name, file);
        char *text = NULL;
        size_t len = 0;
        if (file_read(path, 1 << 20, &text, &len, NULL))
            continue;
        tsv_t *t = NULL;
        rc = tsv_parse(text, len, file, &t, err);
        free(text);
        if (!rc && (rc = tsv_require(t, cols, err)))
            tsv_free(t);
        if (rc)
            str_copy(err->field, sizeof err->field, path);
        else
            out[(*n)++] = t;
    }
    closedir(d);
    return rc;
}

/* The regions' positions.tsv and places.tsv (each optional), every region under
 * data_dir/regions. A file that is there but wrong is an error, naming it. */
static int forms_load(svc_t *svc, const char *data_dir, ot_err_t *err)
{
    static const char *const cols[] = {"ru", "kk", "en", NULL};
    int rc = region_tables(data_dir, "positions.tsv", cols, svc->forms, &svc->n_forms, err);
    return rc ? rc : region_tables(data_dir, "places.tsv", cols, svc->forms, &svc->n_forms, err);
}

/* The receptions' expected volume (issue 17): population.tsv and receptions.tsv, their
 * numbers checked. */
static int rec_expected_load(svc_t *svc, const char *data_dir, ot_err_t *err)
{
    static const char *const pcols[] = {"body", "population", "year", "source", NULL};
    static const char *const rcols[] = {"type", "per_10k_year", "source", NULL};
    int rc =
        region_tables(data_dir, "population.tsv", pcols, svc->population, &svc->n_population, err);
    if (!rc)
        rc = region_tables(data_dir, "receptions.tsv", rcols, svc->rec_rates, &svc->n_rec_rates,
                           err);
    for (int i = 0; !rc && i < svc->n_population; i++)
        for (size_t r = 0; !rc && r < svc->population[i]->n_rows; r++) {
            const char *v = tsv_col(&svc->population[i]->rows[r], "population");
            char *end;
            long long x = strtoll(v, &end, 10);
            if (!*v || *end || x <= 0 || x > 100000000)
                rc = ot_err(err, OT_EINVAL, "bad_population", "population.tsv",
                            "population.tsv: population '%.20s' is not a count of people", v);
        }
    for (int i = 0; !rc && i < svc->n_rec_rates; i++)
        for (size_t r = 0; !rc && r < svc->rec_rates[i]->n_rows; r++) {
            const char *v = tsv_col(&svc->rec_rates[i]->rows[r], "per_10k_year");
            char *end;
            double x = strtod(v, &end);
            if (!*v || *end || !(x >= 0 && x <= 10000))
                rc = ot_err(err, OT_EINVAL, "bad_rate", "receptions.tsv",
                            "receptions.tsv: per_10k_year '%.20s' is not a rate", v);
        }
    return rc;
}

int svc_weights_load(const char *data_dir, sc_weights_t *w, ot_err_t *err)
{
    static const char *const cols[] = {"component", "weight", "source", NULL};
    char path[1200];
    snprintf(path, sizeof path, "%s/scorecard.tsv", data_dir);
    char *text = NULL;
    size_t len = 0;
    tsv_t *t = NULL;
    int rc = file_read(path, 1 << 20, &text, &len, err);
    if (!rc)
        rc = tsv_parse(text, len, "scorecard.tsv", &t, err);
    free(text);
    if (!rc)
        rc = tsv_require(t, cols, err);
    sc_weights_unset(w);
    for (size_t r = 0; !rc && t && r < t->n_rows; r++) {
        const tsv_row_t *row = &t->rows[r];
        if (!*tsv_col(row, "source"))
            rc = ot_err(err, OT_EINVAL, "no_source", "scorecard.tsv",
                        "scorecard.tsv: the weight of %s has no source", tsv_col(row, "component"));
        else if (sc_weight_set(w, tsv_col(row, "component"), tsv_col(row, "weight"), err)) {
            char why[sizeof err->message];
            str_copy(why, sizeof why, err->message);
            rc = ot_err(err, OT_EINVAL, "bad_weights", "scorecard.tsv", "scorecard.tsv: %s", why);
        }
    }
    const char *missing = rc ? NULL : sc_weights_missing(w);
    if (missing)
        rc = ot_err(err, OT_EINVAL, "bad_weights", "scorecard.tsv",
                    "scorecard.tsv: no weight for %s", missing);
    tsv_free(t);
    return rc;
}

int64_t svc_population(const svc_t *svc, const char *path)
{
    /* the deepest body of the path first: "a/b/c/" -> c, b, a */
    char buf[512];
    str_copy(buf, sizeof buf, path ? path : "");
    size_t len = strlen(buf);
    while (len > 0) {
        if (buf[len - 1] == '/')
            buf[--len] = '\0';
        char *slash = strrchr(buf, '/');
        const char *id = slash ? slash + 1 : buf;
        for (int i = 0; i < svc->n_population; i++)
            for (size_t r = 0; r < svc->population[i]->n_rows; r++)
                if (!strcmp(tsv_col(&svc->population[i]->rows[r], "body"), id))
                    return strtoll(tsv_col(&svc->population[i]->rows[r], "population"), NULL, 10);
        len = slash ? (size_t)(slash - buf) : 0;
        buf[len] = '\0';
    }
    return 0;
}

double svc_rec_rate(const svc_t *svc, const char *type)
{
    for (int i = 0; i < svc->n_rec_rates; i++)
        for (size_t r = 0; r < svc->rec_rates[i]->n_rows; r++)
            if (!strcmp(tsv_col(&svc->rec_rates[i]->rows[r], "type"), type ? type : ""))
                return strtod(tsv_col(&svc->rec_rates[i]->rows[r], "per_10k_year"), NULL);
    return -1;
}

int svc_init(svc_t *svc, store_t *store, const char *data_dir, ot_err_t *err)
{
    memset(svc, 0, sizeof *svc);
    svc->store = store;
    svc->attach_per_appeal = (svc_quota_t){20, 50LL << 20};
    svc->attach_per_addr_day = (svc_quota_t){50, 200LL << 20};
    svc->book_per_phone = 3;
    svc->book_per_addr = 6;
    auth_data_dir(data_dir);
    int rc = juris_load_all(data_dir, svc->juris, SVC_MAX_JURIS, &svc->n_juris, err);
    if (!rc)
        rc = forms_load(svc, data_dir, err);
    if (!rc)
        rc = rec_expected_load(svc, data_dir, err);
    return rc ? rc : svc_weights_load(data_dir, &svc->weights, err);
}

void svc_free(svc_t *svc)
{
    for (int i = 0; i < svc->n_juris; i++)
        juris_free(svc->juris[i]);
    svc->n_juris = 0;
    for (int i = 0; i < svc->n_forms; i++)
        tsv_free(svc->forms[i]);
    svc->n_forms = 0;
    for (int i = 0; i < svc->n_population; i++)
        tsv_free(svc->population[i]);
    for (int i = 0; i < svc->n_rec_rates; i++)
        tsv_free(svc->rec_rates[i]);
    svc->n_population = svc->n_rec_rates = 0;
}

const char *svc_form(const svc_t *svc, const char *ru, const char *lang)
{
    if (!ru || !*ru || !lang)
        return NULL;
    for (int i = 0; i < svc->n_forms; i++) {
        const tsv_t *t = svc->forms[i];
        for (size_t r = 0; r < t->n_rows; r++)
            if (!strcmp(tsv_col(&t->rows[r], "ru"), ru)) {
                const char *v = tsv_col(&t->rows[r], lang);
                return v && *v ? v : NULL;
            }
    }
    return NULL;
}

int svc_store_open(const char *path, int flags, store_t **out, ot_err_t *err)
{
    *out = NULL;
    if (!(flags & SVC_STORE_CREATE) && !store_is_uri(path) && access(path, F_OK) != 0)
        return ot_err(err, OT_ENOTFOUND, "no_db", "db", "no database at %s", path);
    return store_open(path, flags, out, err);
}

int svc_db_is_uri(const char *path)
{
    return store_is_uri(path);
}

void svc_store_close(store_t *s)
{
    store_close(s);
}

int svc_store_set_replica(store_t *s, const char *uri, ot_err_t *err)
{
    if (!store_is_uri(store_path(s)) || !store_is_uri(uri))
        return ot_err(err, OT_EINVAL, "db_read", "db-read",
                      "--db-read takes a PostgreSQL URI beside a PostgreSQL --db (an SQLite "
                      "file has no replica: its reads already run beside the writer)");
    return store_set_replica(s, uri, err);
}

void svc_store_info(const store_t *s, svc_store_info_t *out)
{
    out->engine = store_engine(s);
    out->schema_version = store_schema_version(s);
    out->schema_latest = store_schema_latest();
    out->sweeper = store_role_held(s, STORE_ROLE_SWEEPER);
    out->delivery = store_role_held(s, STORE_ROLE_DELIVERY);
    out->publisher = store_role_held(s, STORE_ROLE_PUBLISHER);
    out->read_replica = store_replica(s) != NULL;
    out->reads_wait = strcmp(out->engine, "sqlite") != 0;
}

int svc_schema_latest(void)
{
    return store_schema_latest();
}

struct bulk {
    svc_step_fn step;
    void *arg;
    long chunk;
    store_bulk_t *bulk;
    int done;
};

static int bulk_begin_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct bulk *b = arg;
    return store_bulk_begin(tx, &b->bulk, err);
}

static int bulk_chunk_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct bulk *b = arg;
    int rc = OT_OK;
    for (long i = 0; !rc && !b->done && i < b->chunk; i++)
        rc = b->step(tx, b->arg, &b->done, err);
    return rc;
}

static int bulk_end_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct bulk *b = arg;
    return store_bulk_end_step(tx, b->bulk, &b->done, err);
}

/* OTINISH_BULK_TRACE=1: one line per committed transaction of a bulk load on stderr (what
 * it was, wall and CPU seconds since the load began, the WAL it wrote), to find which part
 * of a load grows faster than the data (issue 23) */
static void bulk_trace(const char *what, long n, const struct timespec *t0, int64_t wal)
{
    static int on = -1;
    if (on < 0)
        on = getenv("OTINISH_BULK_TRACE") && *getenv("OTINISH_BULK_TRACE") == '1';
    if (!on)
        return;
    struct timespec t;
    struct rusage ru;
    clock_gettime(CLOCK_MONOTONIC, &t);
    getrusage(RUSAGE_SELF, &ru);
    fprintf(stderr, "bulk %-6s %4ld wall %8.2f cpu %8.2f wal_mb %7.1f\n", what, n,
            (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9,
            (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
                (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6,
            (double)wal / 1048576.0);
}

int svc_write_bulk(const svc_t *svc, svc_step_fn step, void *arg, long chunk, ot_err_t *err)
{
    struct bulk b = {step, arg, chunk > 0 ? chunk : 1, NULL, 0};
    struct timespec t0;
    long n = 0;
    int64_t wal = 0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int rc = store_write(svc->store, bulk_begin_tx, &b, err);
    while (!rc && !b.done)
        if (!(rc = store_write(svc->store, bulk_chunk_tx, &b, err))) {
            rc = store_checkpoint(svc->store, 1, &wal, err);
            bulk_trace("chunk", n++, &t0, wal);
        }
    if (b.bulk) {
        /* the end in steps, each committed and checkpointed (store_bulk_end_step); after
         * a failure the schema is still made whole */
        ot_err_t end_err;
        int end_rc = OT_OK;
        b.done = 0;
        n = 0;
        while (!end_rc && !b.done) {
            const char *phase = store_bulk_phase(b.bulk);
            if (!(end_rc = store_write(svc->store, bulk_end_tx, &b, rc ? &end_err : err))) {
                end_rc = store_checkpoint(svc->store, 1, &wal, rc ? &end_err : err);
                bulk_trace(phase, n++, &t0, wal);
            }
        }
        store_bulk_free(b.bulk);
        if (!rc)
            rc = end_rc;
    }
    /* the WAL file truncated */
    if (!rc)
        rc = store_checkpoint(svc->store, 0, NULL, err);
    bulk_trace("done", 0, &t0, 0);
    return rc;
}

void svc_bulk_seal(store_tx_t *tx, int on)
{
    store_bulk_seal(tx, on);
}

int svc_write(const svc_t *svc, svc_tx_fn fn, void *arg, ot_err_t *err)
{
    return store_write(svc->store, fn, arg, err);
}

static int probe_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    return store_health_touch(tx, *(const int64_t *)arg, err);
}

int svc_store_writable(store_t *s, int64_t now, ot_err_t *err)
{
    return store_write(s, probe_tx, &now, err);
}
