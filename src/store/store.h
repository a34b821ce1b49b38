/* The store: the one interface the rest of the code uses to persist and read state.
 *
 * A use case runs as one function inside one transaction:
 *   store_write(s, fn, arg, err)  - fn runs in a write transaction; when store_write returns
 *                                   OT_OK the transaction is committed and durable on disk.
 *   store_read(s, fn, arg, err)   - fn runs in a read transaction (a consistent snapshot);
 *                                   reads run in parallel with each other and with the writer.
 * fn returns OT_OK to keep its changes or an error status to have them rolled back.
 *
 * Writes go through one writer per database (group commit, docs/group-commit.md): units that
 * wait are run together in one transaction, each in its own savepoint, and committed with one
 * fsync. The repositories (store_*.h) take the store_tx_t that fn receives. */
#ifndef OT_STORE_STORE_H
#define OT_STORE_STORE_H

#include <stdint.h>

#include "util/err.h"

typedef struct store store_t;
typedef struct store_tx store_tx_t;
typedef int (*store_fn)(store_tx_t *tx, void *arg, ot_err_t *err);

enum {
    STORE_CREATE = 1, /* create the database file if it does not exist */
    STORE_WRITER = 2, /* start the group-commit writer thread (for `serve`) */
    /* read the file through SQLite's own page cache, not mapped into memory: a one-off
     * command that reads much of a large database once (the first sweep) would otherwise
     * keep every page it touched in its resident set (up to the 2 GB map) */
    STORE_NO_MAP = 4,
};

/* Opens the database at path and migrates its schema to the latest version. Refuses a
 * database whose schema is newer than this binary knows. The caller closes with store_close. */
int store_open(const char *path, int flags, store_t **out, ot_err_t *err);
/* Whether path is a PostgreSQL connection URI (the libpq engine) rather than a file. */
int store_is_uri(const char *path);
void store_close(store_t *s);

int store_read(store_t *s, store_fn fn, void *arg, ot_err_t *err);
/* The same for a fn that runs ONE statement: a single statement is atomic by itself, so no
 * explicit transaction is opened around it (it saves a third of a small read). */
int store_read_one(store_t *s, store_fn fn, void *arg, ot_err_t *err);
int store_write(store_t *s, store_fn fn, void *arg, ot_err_t *err);

/* Copies the committed log into the database and empties it (SQLite: a WAL checkpoint that
 * truncates the WAL file), between the chunks of a long load, so that the log stays
 * bounded. Waits for the writer's batch in progress, if any. */
int store_checkpoint(store_t *s, ot_err_t *err);

/* What the group-commit writer has done since the store was opened (GET /metrics): batches
 * by size (per bucket: batch_hist[i] counts batches of size <= store_batch_le[i] and above
 * the bucket before; the last counts the rest), units written through the writer and how
 * long each one's thread waited for its commit, and the units that failed in the store
 * (I/O, busy) rather than by the use case's own refusal. */
#define STORE_BATCH_BUCKETS 10
#define STORE_WAIT_BUCKETS  10
extern const int store_batch_le[STORE_BATCH_BUCKETS];
extern const int64_t store_wait_le_us[STORE_WAIT_BUCKETS];
typedef struct store_stats {
    uint64_t batches, units, errors, wait_sum_us;
    uint64_t batch_hist[STORE_BATCH_BUCKETS + 1];
    uint64_t wait_hist[STORE_WAIT_BUCKETS + 1];
} store_stats_t;
void store_stats(store_t *s, store_stats_t *out);

const char *store_engine(const store_t *s);
int store_schema_version(const store_t *s);
int store_schema_latest(void);
const char *store_path(const store_t *s);

#endif
