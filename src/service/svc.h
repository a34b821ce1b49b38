/* What every use case needs: the store, the jurisdictions, the policy knobs. Built once by
 * `serve` (or a CLI command) and shared, read-only, by all threads. */
#ifndef OT_SERVICE_SVC_H
#define OT_SERVICE_SVC_H

#include <stdint.h>

#include "domain/scorecard.h"
#include "service/juris.h"
#include "util/err.h"

/* The store behind the use cases, opaque above the service: handlers and commands hold a
 * store_t * and pass it on, but only the service sees store/ (docs/layers.md). The same
 * typedefs as store/store.h (C11 allows repeating them). */
typedef struct store store_t;
typedef struct store_tx store_tx_t;

#define SVC_MAX_JURIS 8
#define SVC_MAX_FORMS 8

/* A quota: at most files files of bytes bytes in all (0: that one is not limited). */
typedef struct svc_quota {
    int64_t files, bytes;
} svc_quota_t;

typedef struct svc {
    store_t *store;
    juris_t *juris[SVC_MAX_JURIS]; /* [0] is the default (kz) */
    int n_juris;
    /* citizens' attachments (staff uploads are not counted): on one appeal, and from one
     * client address in any 24 hours (docs/api.md "Attachments") */
    svc_quota_t attach_per_appeal;   /* default 20 files, 50 MiB */
    svc_quota_t attach_per_addr_day; /* default 50 files, 200 MiB */
    /* a citizen's live reception bookings (booked, not yet held): with one phone number and
     * from one client address (0: no limit) */
    int book_per_phone; /* default 3 */
    int book_per_addr;  /* default 6 */
    /* the other language forms of staff positions and reception places (issue 18):
     * data/regions/<r>/positions.tsv and places.tsv, columns ru, kk, en */
    struct tsv *forms[SVC_MAX_FORMS];
    int n_forms;
    /* the receptions' expected volume (issue 17): data/regions/<r>/population.tsv (body,
     * population, year, source: the people of the territory an akimat serves) and
     * receptions.tsv (type, per_10k_year, source: receptions a body of that type is expected
     * to hold a year per 10,000 people of its territory), every region's rows */
    struct tsv *population[SVC_MAX_FORMS], *rec_rates[SVC_MAX_FORMS];
    int n_population, n_rec_rates;
    /* the composite index's weights: data/scorecard.tsv (svc_weights_load) */
    sc_weights_t weights;
} svc_t;

/* The people of the territory a body serves: the population.tsv row of the body or of its
 * nearest higher body (path "vko/ridder/ridder.housing/": ridder.housing, ridder, vko); 0
 * when none has one. */
int64_t svc_population(const svc_t *svc, const char *path);

/* Receptions a body of that type (bodies.tsv type) is expected to hold a year per 10,000
 * people; -1 when receptions.tsv has no rate for the type. */
double svc_rec_rate(const svc_t *svc, const char *type);

/* The form in lang ("kk", "ru", "en") of a position or place stored in Russian, from the
 * regions' positions.tsv and places.tsv; NULL when the table has no such text or form. */
const char *svc_form(const svc_t *svc, const char *ru, const char *lang);

/* The jurisdiction with that code (NULL or "": the default); NULL when unknown. */
juris_t *svc_juris(const svc_t *svc, const char *code);

/* The UTC offset in minutes of the jurisdiction with that code (NULL or "": the default), the
 * zone its dates are in; UTC+5 (Kazakhstan) when none is loaded. */
int svc_utc_offset(const svc_t *svc, const char *code);
/* Today's date at instant now in that jurisdiction. */
ot_day_t svc_today(const svc_t *svc, const char *code, int64_t now);

/* Loads the jurisdictions under data_dir and sets defaults; the store is set by the caller. */
int svc_init(svc_t *svc, store_t *store, const char *data_dir, ot_err_t *err);

/* Reads DATA-DIR/scorecard.tsv (component, weight, source): every component of sc_weights_t
 * must have a row with a source; OT_EINVAL naming the file on anything else. */
int svc_weights_load(const char *data_dir, sc_weights_t *w, ot_err_t *err);
void svc_free(svc_t *svc);

/* Runs fn in one write transaction: several use cases' _in forms (which take the tx fn
 * receives) committed together or not at all. */
typedef int (*svc_tx_fn)(store_tx_t *tx, void *arg, ot_err_t *err);
int svc_write(const svc_t *svc, svc_tx_fn fn, void *arg, ot_err_t *err);

/* A large load in bulk mode (store/store_bulk.h): the indexes and aggregates that nothing
 * reads meanwhile are made once at the end. step runs again and again, each time one unit
 * of the load through the use cases' _in forms (which take the tx it receives), until it
 * sets *done; every `chunk` steps are committed and the WAL checkpointed, so the log stays
 * bounded (one transaction grew it as large as the database); the end (indexes, seals,
 * aggregates, search index) goes in steps committed and checkpointed the same way. A failure
 * rolls back its chunk, and the schema is made whole again with the rows of the chunks
 * before it. */
typedef int (*svc_step_fn)(store_tx_t *tx, void *arg, int *done, ot_err_t *err);
int svc_write_bulk(const svc_t *svc, svc_step_fn step, void *arg, long chunk, ot_err_t *err);
/* Inside a step of svc_write_bulk: the events written while on is 1 carry their records'
 * seals (store_bulk_seal), for a step known to be the last write of its records. */
void svc_bulk_seal(store_tx_t *tx, int on);

/* ==== The store, as the commands and the server open it ==== */

enum {
    SVC_STORE_CREATE = 1, /* create the database file if it does not exist (`init`) */
    SVC_STORE_WRITER = 2, /* start the group-commit writer thread (`serve`) */
    SVC_STORE_NO_MAP = 4, /* a one-off writer of a large database (`sweep`): read through its
                           * page cache, not a map; tuned as the server's writer */
};

/* Opens the database at path and migrates its schema to the latest version. Without
 * SVC_STORE_CREATE a missing file is OT_ENOTFOUND "no_db" (field "db"), so a typo in --db
 * does not create an empty database. The caller closes with svc_store_close (NULL is fine). */
int svc_store_open(const char *path, int flags, store_t **out, ot_err_t *err);
/* Whether --db names a PostgreSQL database (postgresql://... or postgres://...) rather than
 * an SQLite file. */
int svc_db_is_uri(const char *path);
void svc_store_close(store_t *s);
/* `serve --db-read URI` (issue 19): reports, dashboards, exports, scorecards and public
 * tracking read from this read-only address (a hot standby) from now on; writes and
 * read-after-write stay on --db. Both must be PostgreSQL: OT_EINVAL "db_read" otherwise. */
int svc_store_set_replica(store_t *s, const char *uri, ot_err_t *err);

/* What an operator checks first (GET /healthz, `otinish version`). */
typedef struct svc_store_info {
    const char *engine; /* "sqlite" */
    int schema_version; /* of this database */
    int schema_latest;  /* that this binary knows */
    /* the jobs this node runs now, of those that run on one node at a time (issue 19):
     * the accountability sweep, the outbox delivery and the audit head's publisher; on
     * SQLite the one process's */
    int sweeper, delivery, publisher;
    int read_replica; /* reports and tracking read from --db-read */
    /* a read waits for another process (PostgreSQL: a round trip to the server), rather than
     * running in this one on pages the OS keeps (SQLite) */
    int reads_wait;
} svc_store_info_t;
void svc_store_info(const store_t *s, svc_store_info_t *out);
/* Whether the store takes writes now: one small write transaction (GET /healthz). OT_OK, or
 * the failure (OT_EUNAVAIL "disk_full" when the disk is full). */
int svc_store_writable(store_t *s, int64_t now, ot_err_t *err);
int svc_schema_latest(void);

#endif
