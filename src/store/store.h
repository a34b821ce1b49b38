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
     * keep every page it touched in its resident set (up to the 2 GB map); and tune the
     * connection as the server's writer's (db_batch_writer), for the many statements of
     * each of its transactions */
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

/* Reads that may be a moment behind the primary (issue 19: reports, dashboards, exports,
 * scorecards, public tracking) run here: on the read replica set by store_set_replica
 * (`serve --db-read URI`: a hot standby), else exactly as store_read. The replica's
 * connections are read-only (db_read_only): a write there fails even when the address names
 * the primary. When the replica cannot be reached (before fn runs) the primary answers.
 * Anything that must see a write just made (the staff's own edits, an appeal just filed)
 * uses store_read. */
int store_read_replica(store_t *s, store_fn fn, void *arg, ot_err_t *err);
/* A cap of the staff lists' walks (store_appeal.c, store_problem.c) and an export's page
 * (report.c) divided by OTINISH_LIST_SCALE, which the API tests set so that a few rows take a
 * million's walks and pages. */
int64_t store_list_cap(int64_t cap);
/* Sets the read replica's address (opens one connection to check it); before any read. */
int store_set_replica(store_t *s, const char *path, ot_err_t *err);
/* The read replica's address, NULL when none. */
const char *store_replica(const store_t *s);

/* Roles: jobs that must run on exactly one node at a time when several `serve` processes
 * share one PostgreSQL database (issue 19, docs/postgresql.md "Several nodes"): the
 * accountability sweep, the outbox delivery and the audit head's publisher.
 * store_role_hold takes the role when no other node holds it, or confirms that this node
 * still does; call it before each run of the job and at least every third of lapse_ms
 * between runs, from that job's one thread, and run the job only when *held. The role is a
 * session-level advisory lock on a connection of the role's own: when a node dies its
 * connection goes, the server releases the lock, and the next node to ask takes it; a node
 * that has not confirmed it for lapse_ms (stopped, stuck) loses it the same way. On
 * SQLite (one process) *held is always 1. store_role_held is the last answer (GET
 * /healthz). */
enum { STORE_ROLE_SWEEPER = 0, STORE_ROLE_DELIVERY = 1, STORE_ROLE_PUBLISHER = 2, STORE_ROLES = 3 };
int store_role_hold(store_t *s, int role, int lapse_ms, int *held, ot_err_t *err);
int store_role_held(const store_t *s, int role);
/* The calling thread runs the job of role until store_role_job(s, -1, 0): a run longer than
 * the lapse keeps its role, and a run whose role has gone stops. Each store_write and
 * store_read of that thread first confirms the role when a third of lapse_ms has passed since
 * the last confirmation, and so does a store_write while it waits for its transaction; a
 * write or read of a job whose role another node has taken fails (OT_EUNAVAIL, role_lost)
 * and the job ends there, its transactions each whole. Each of its transactions is fenced
 * (db_fence): it commits only while this node holds the role; with store_idle_limit, a
 * node stopped inside one has it rolled back, so it cannot commit beside the new holder's
 * run. */
void store_role_job(store_t *s, int role, int lapse_ms);
/* The writer's transactions left idle for ms (this node stopped or stuck in the middle of
 * one) are ended by the database server (db_idle_limit): several nodes share the writer's
 * lock, so one stopped node would otherwise hold up every node's writes. A server sets it
 * to the role timeout. 0 (the default): no limit. */
void store_idle_limit(store_t *s, int ms);

/* Copies the committed log into the database (SQLite: a WAL checkpoint), between the chunks
 * of a long load, so that the log stays bounded. keep 0 empties the log (the WAL file
 * truncated: at the end of a load); keep 1 keeps the file's size (RESTART: the next
 * transaction writes the log from its start again, over pages the OS has already, instead
 * of growing a truncated file again, allocating and zeroing its blocks: between chunks).
 * *wal_bytes (may be NULL): how large the log was (0 on PostgreSQL). Waits for the writer's
 * batch in progress, if any. */
int store_checkpoint(store_t *s, int keep, int64_t *wal_bytes, ot_err_t *err);

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
