/* The database driver: the thin level under the repositories (see docs/design.md "Store").
 *
 * Repositories are written once against this interface in the SQL subset that SQLite >= 3.35
 * and PostgreSQL 15 both understand, with `?` placeholders. Two engines implement it: SQLite
 * (db_sqlite.c) and PostgreSQL over libpq (db_pg.c, which rewrites `?` to `$n`); db.c
 * dispatches. Nothing outside src/store/ includes this header: the rest of the code calls
 * store.h. */
#ifndef OT_STORE_DB_H
#define OT_STORE_DB_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

typedef struct db db_t;
typedef struct db_stmt db_stmt_t;

enum { DB_ROW = 1, DB_DONE = 0 }; /* db_step results; < 0 is an error */

/* Opens a connection to the database at path (created if absent when create is set).
 * Durability: WAL journal, synchronous=FULL, foreign keys on, busy timeout.
 * A path that is a PostgreSQL URI (db_is_uri: postgresql://... or postgres://..., libpq
 * multi-host lists included) opens the libpq engine (db_pg.c) instead; its database must
 * exist. The engines differ only inside the driver (db_engine.h) and the migrations. */
int db_open(const char *path, int create, db_t **out, ot_err_t *err);
int db_is_uri(const char *path);
void db_close(db_t *db);
const char *db_engine(const db_t *db);

/* Runs SQL text that may hold several statements and returns no rows. */
int db_exec(db_t *db, const char *sql, ot_err_t *err);

/* Returns a prepared statement for sql, cached on the connection: sql must be a string that
 * lives as long as the connection (a literal). The statement is reset and its bindings
 * cleared; do not finalize it. Returns NULL and fills err on failure. */
db_stmt_t *db_prepare(db_t *db, const char *sql, ot_err_t *err);

/* A statement outside the cache, for SQL built at run time that is not kept (a rare shape of
 * a query, a diagnostic): the caller finalizes it with db_finalize. */
db_stmt_t *db_prepare_temp(db_t *db, const char *sql, ot_err_t *err);
void db_finalize(db_stmt_t *st);

/* Parameter indexes start at 1. */
int db_bind_int64(db_stmt_t *st, int i, int64_t v);
int db_bind_double(db_stmt_t *st, int i, double v);
int db_bind_text(db_stmt_t *st, int i, const char *s); /* NULL binds SQL NULL */
int db_bind_blob(db_stmt_t *st, int i, const void *p, size_t n);
int db_bind_null(db_stmt_t *st, int i);

/* DB_ROW when a row is ready, DB_DONE at the end; on error fills err, returns < 0.
 * A uniqueness or foreign-key violation gives OT_ECONFLICT, a busy store OT_EUNAVAIL. */
int db_step(db_stmt_t *st, ot_err_t *err);

/* Columns start at 0. Text stays valid until the next step or reset. */
int64_t db_col_int64(db_stmt_t *st, int i);
double db_col_double(db_stmt_t *st, int i);
const char *db_col_text(db_stmt_t *st, int i); /* NULL for SQL NULL */
const void *db_col_blob(db_stmt_t *st, int i, size_t *n);
int db_col_is_null(db_stmt_t *st, int i);
int db_col_count(db_stmt_t *st);
const char *db_col_name(db_stmt_t *st, int i); /* the column's name in the result */

/* Runs a prepared statement that returns no rows, or one row whose first column is an
 * integer (*out; may be NULL). Resets the statement. OT_ENOTFOUND when no row came back. */
int db_run(db_stmt_t *st, int64_t *out, ot_err_t *err);
void db_reset(db_stmt_t *st);

/* Runs a prepared statement that returns no rows and whose result the caller does not read
 * (not even db_changes), such as an INSERT of an audit event or a notice, possibly later:
 * inside a transaction an engine may send it with the next statement that waits for an
 * answer, in the same round trip (PostgreSQL: libpq's pipeline mode; SQLite runs it at once).
 * Its failure is then reported by that later call (db_step, db_run, db_last_id aside, any
 * call that runs SQL), at the latest by db_release or db_commit, which send what is left: a
 * failure is reported within the unit that caused it. Statements keep their order. Use it
 * only where the caller would do nothing but pass the error on. Resets the statement. */
int db_send(db_stmt_t *st, ot_err_t *err);

/* Asks for the rows of a bound prepared statement that only reads, ahead of its first
 * db_step: inside a transaction an engine may send it with the next statement that waits for
 * an answer, so that several reads that do not depend on each other cost one round trip
 * (PostgreSQL: pipeline mode; SQLite does nothing now, db_step runs it). Until that db_step
 * (or db_reset), do not bind st again. A failure is reported by the db_step of st or by
 * the call that sent it. A write whose answer is read (RETURNING: store_number_ask) may be
 * asked for too, if the unit fails when it is not read: a db_reset before it went out drops
 * it. */
int db_prefetch(db_stmt_t *st, ot_err_t *err);

int64_t db_changes(db_t *db);
int64_t db_last_id(db_t *db);

/* Transactions. db_begin(write=1) takes the write lock at once (BEGIN IMMEDIATE). */
int db_begin(db_t *db, int write, ot_err_t *err);
int db_commit(db_t *db, ot_err_t *err);
void db_rollback(db_t *db);
int db_savepoint(db_t *db, ot_err_t *err);
int db_release(db_t *db, ot_err_t *err);
void db_rollback_to(db_t *db);
/* Tunes db as a pooled read connection: a small cache of its own, the rest of its reads from
 * the mapped database (the OS page cache, shared by all connections), so that the memory of
 * the pool does not grow with the number of connections. */
int db_reader(db_t *db, ot_err_t *err);
/* Tunes db as the connection of a group-commit writer, whose units each run in a savepoint
 * of a short batch: the engine's undo record of a savepoint stays in memory (SQLite:
 * temp_store=MEMORY) instead of going to a temporary file, which took a fifth of the
 * server's time under the intake bench. The record is cut back only when no savepoint is
 * open, so this is not for one long unit that rolls back to savepoints again and again (the
 * old chunked demo load went quadratic that way). */
int db_batch_writer(db_t *db, ot_err_t *err);

/* Copies the WAL into the database; fails (OT_EUNAVAIL) when a reader keeps it from
 * finishing. keep 0: the WAL file is truncated; keep 1: it keeps its size and is written
 * again from its start (a long load does not grow and zero it anew each time).
 * *wal_bytes (may be NULL): what the WAL held before. An engine without a WAL of its own to
 * manage does nothing and says 0. */
int db_checkpoint(db_t *db, int keep, int64_t *wal_bytes, ot_err_t *err);

/* Whether a transaction is open: some errors (disk full, I/O) make the engine roll back the
 * whole transaction by itself. */
int db_in_tx(db_t *db);

/* Copies the whole database of src into a new file dest as one consistent snapshot (SQLite's
 * online backup API), without stopping writers on other connections. dest must not be open
 * anywhere; the caller makes it durable (fsync) and gives it its final name. */
int db_backup(db_t *src, const char *dest, ot_err_t *err);

/* The engine's check of every page and index (SQLite: PRAGMA integrity_check). OT_OK when
 * it ran; problem is "" when sound, else the first problem found (truncated to n). */
int db_integrity_check(db_t *db, char *problem, size_t n, ot_err_t *err);

/* A lock of the whole database held by this connection's session (issue 19: the jobs that
 * run on one node at a time, store_role_*). Takes the lock named key when free, or confirms
 * with a round trip that this session, which took it before, is still alive (a session that
 * died has lost it: the server released it when the connection went). A session not
 * confirmed for lapse_ms (its process stopped or stuck) is ended by the server, which
 * releases the lock too. *held is non-zero while this connection holds it: the holding
 * session's id, for db_fence. PostgreSQL:
 * pg_try_advisory_lock on a session of its own with idle_session_timeout = lapse_ms; a broken
 * connection is reset and tries again; *held is the session's backend pid. SQLite (one
 * process serves a file): always held. */
int db_session_lock(db_t *db, int64_t key, int lapse_ms, int *held, ot_err_t *err);

/* Fences a job's transaction on db against the node that takes its role next: within db's
 * open transaction, checks that the session holder (db_session_lock's *held) still holds
 * the lock named key, and holds the check true until the transaction ends: a node taking
 * the role waits for such a transaction to end. OT_EUNAVAIL role_lost when the role has
 * gone. PostgreSQL: pg_advisory_xact_lock on the role's fence, then pg_locks for holder's
 * session. SQLite: nothing to fence. */
int db_fence(db_t *db, int64_t key, int holder, ot_err_t *err);

/* A transaction on db left idle for ms (its client stopped or stuck between two
 * statements) is ended by the server, and so are the locks it held: a node stopped in the
 * middle of a write does not hold up the other nodes' writes (they share the writer's
 * lock), and cannot commit once it goes on. 0: no limit. PostgreSQL:
 * idle_in_transaction_session_timeout, set again on a reset connection. SQLite: nothing
 * (one process serves a file). */
int db_idle_limit(db_t *db, int ms, ot_err_t *err);

/* Makes db a read-only connection: every later transaction on it refuses writes
 * (PostgreSQL: default_transaction_read_only; SQLite: query_only). For the pool of reads
 * that may go to a replica (store_read_replica), so that a write sent there by mistake fails
 * even when the replica's address names the primary. */
int db_read_only(db_t *db, ot_err_t *err);

/* Change notifications (issue 19 point 7: the appeal page cache, store_cache.c). Makes db's
 * session listen on channel (an SQL identifier: LISTEN on the first call, and again after a
 * broken connection was reset; *fresh is 1 then, for what was sent meanwhile is lost), then
 * gives fn the payload of each notification that came in. sync 1: first makes one round
 * trip (an empty query) and gives fn every notification the server delivered before its
 * answer; on PostgreSQL those are the notifications of every transaction that committed
 * before the query was sent (the committing backend signals the listeners before it answers
 * its client; a listening backend sends what it has before ReadyForQuery). sync 0: only what
 * has already arrived, without waiting. fn may be called on other threads' notifications:
 * the caller serialises its calls on db. An engine without notifications (SQLite) fails
 * with OT_EINTERNAL, code "no_notifications". */
int db_notifies(db_t *db, const char *channel, int sync, void (*fn)(const char *payload, void *arg),
                void *arg, int *fresh, ot_err_t *err);

#endif
