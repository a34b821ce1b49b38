/* PostgreSQL engine of the database driver (db.h), over libpq.
 *
 * The repositories' SQL uses `?` (and SQLite's `?NNN`) placeholders: a statement's text is
 * rewritten once to `$n` (outside string literals, quoted names and comments). Statements
 * are prepared on the server on their first run and cached per connection, keyed (like the
 * SQLite engine) by the address of the SQL literal.
 *
 * Parameters go as text, typed int8 / float8 / bytea (binary) when bound as such, and
 * untyped (the server infers the type from the context) when bound as text or NULL. A
 * statement is prepared with the types of its first run; a later run that binds a
 * different type prepares it again. Results come as text: an integer column is read with
 * strtoll, a boolean ('t'/'f', what a comparison gives in PostgreSQL) as 1/0, bytea is
 * decoded on demand.
 *
 * db_last_id is `SELECT lastval()`: the last value a sequence (an identity column) gave on
 * this connection, so it must follow the INSERT at once and the INSERT's triggers must not
 * draw from another sequence (none does). New code should prefer RETURNING id.
 *
 * Errors: SQLSTATE class 23 (unique 23505, foreign key 23503, ...) is OT_ECONFLICT like
 * SQLITE_CONSTRAINT; a lost connection (class 08, 57P01-57P03), a serialization failure or
 * deadlock (40001, 40P01), a read-only server (25006: a standby after a failover), a full
 * disk (53100) and lock timeouts are OT_EUNAVAIL, which the HTTP layer answers 503 with
 * Retry-After. A connection found broken is reset (libpq reconnects with the same
 * connection string, so a multi-host URI with target_session_attrs=read-write finds the new
 * primary) at the start of the next transaction, and one idle a while is checked for a
 * session the server ended meanwhile before it is used (check_idle). */
#include <ctype.h>
#include <libpq-fe.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "store/db_engine.h"
#include "util/log.h"

#define OID_BOOL   16
#define OID_BYTEA  17
#define OID_INT8   20
#define OID_TEXT   25
#define OID_FLOAT8 701

#define MAX_PENDING 32

struct pg_db;

struct pg_stmt {
    db_stmt_t base;
    struct pg_db *db;
    char *sql;   /* rewritten to $n */
    int nparams; /* the highest $n */
    char name[24];
    unsigned gen; /* the connection's generation it was prepared in; 0: not prepared */
    Oid *ptypes;  /* the types it was prepared with */
    /* the current bindings */
    Oid *btypes;
    char **vals;
    int *lens, *fmts;
    /* the current result */
    PGresult *res;
    int row, nrows;
    unsigned char *blob; /* the last bytea decoded */
    /* db_prefetch: PF_QUEUED while in the connection's queue, PF_READY once its result
     * (pf_res) came back and before db_step takes it */
    int pf;
    PGresult *pf_res;
};

enum { PF_NONE, PF_QUEUED, PF_READY };

struct cache_slot {
    const char *sql;
    struct pg_stmt *st;
};

/* A command or statement sent later (see "deferred commands"): a command's text (a literal),
 * or a prepared statement's name with a copy of its bindings. */
struct pend {
    const char *cmd;
    struct pg_stmt *into; /* db_prefetch: the statement its result goes to */
    char name[24];
    int n;
    char **vals;
    int *lens, *fmts;
};

struct pg_db {
    db_t base;
    PGconn *c;
    unsigned gen;        /* bumped when the connection is reset: prepared statements are gone */
    unsigned next_id;    /* statement names */
    int tx;              /* a transaction of ours is open (never reconnect inside one) */
    int locked;          /* db_session_lock's lock is held by this session */
    int read_only;       /* db_read_only: set again on a reset connection */
    int idle_ms;         /* db_idle_limit: set again on a reset connection */
    unsigned listen_gen; /* db_notifies: the generation its LISTEN was sent in; 0: none */
    int64_t used_us;     /* when its last transaction began (check_idle) */
    int64_t changes;
    struct cache_slot *slots;
    size_t n_slots, n_used;
    /* SAVEPOINT and RELEASE SAVEPOINT of group commit's units, and the statements sent by
     * db_send, deferred: they go with the next statement in the same round trip (see
     * "deferred commands" below) */
    struct pend pending[MAX_PENDING];
    int n_pending;
    int n_pending_stmts; /* of them, statements (db_send) */
};

#define PG(x) ((struct pg_db *)(x))
#define PS(x) ((struct pg_stmt *)(x))

/* ==== errors ==== */

static int status_of(const char *state, PGconn *c)
{
    if (!state || !*state)
        return PQstatus(c) == CONNECTION_OK ? OT_EINTERNAL : OT_EUNAVAIL;
    if (strncmp(state, "23", 2) == 0)
        return OT_ECONFLICT;
    if (strncmp(state, "08", 2) == 0 || strncmp(state, "57P0", 4) == 0 ||
        strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 || strcmp(state, "25006") == 0 ||
        strcmp(state, "53100") == 0 || strcmp(state, "53300") == 0 || strcmp(state, "55P03") == 0 ||
        strcmp(state, "57014") == 0)
        return OT_EUNAVAIL;
    return OT_EINTERNAL;
}

static int fail_res(struct pg_db *db, PGresult *r, ot_err_t *err, const char *what)
{
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    int status = status_of(state, db->c);
    const char *msg = r ? PQresultErrorMessage(r) : "";
    if (!msg || !*msg)
        msg = PQerrorMessage(db->c);
    char clean[200];
    snprintf(clean, sizeof clean, "%s", msg);
    for (char *p = clean; *p; p++)
        if (*p == '\n')
            *p = ' ';
    const char *code = status == OT_ECONFLICT                 ? "constraint"
                       : state && strcmp(state, "53100") == 0 ? "disk_full"
                       : status == OT_EUNAVAIL && state && *state && strncmp(state, "08", 2) != 0
                           ? "store_busy"
                       : status == OT_EUNAVAIL ? "store_unavailable"
                                               : "store_error";
    return ot_err(err, status, code, NULL, "%s: %s%s%s", what, clean, state ? " SQLSTATE " : "",
                  state ? state : "");
}

/* ==== connection ==== */

static void pg_close(db_t *dbh);
static void pending_drop(struct pg_db *db, int from);
static void unqueue(struct pg_stmt *st);
static int pg_in_tx(db_t *dbh);
static int pg_exec(db_t *dbh, const char *sql, ot_err_t *err);

/* what every connection (and every one reset) sets first. extra_float_digits = 0: a
 * double reads as text with 15 significant digits, as SQLite prints a REAL (%.15g): the
 * audit chain's seals hash the records' text, so a coordinate must read the same on both
 * engines (PostgreSQL's default, the shortest exact form, gives up to 17 digits; a database
 * copied back into SQLite failed its audit verify on them). jit = off: every statement of
 * Otinish is short, and past a few hundred thousand appeals the generic plans' estimated
 * costs pass jit_above_cost, so that each run compiled its expressions first: the search's
 * walk of a word with no match, 0.04 ms of execution, took 7 ms in EXPLAIN ANALYZE (JIT's
 * emission 6.3 ms) and 22-25 ms through the server at 2.9M indexed texts */
#define SESSION_SETUP                                                                              \
    "SET client_encoding = 'UTF8'; SET client_min_messages = warning;"                             \
    " SET standard_conforming_strings = on; SET extra_float_digits = 0; SET jit = off"

static void notice_quiet(void *arg, const char *msg)
{
    (void)arg;
    (void)msg;
}

static int pg_open(const char *path, int create, db_t **out, ot_err_t *err)
{
    (void)create; /* the database itself is made by its administrator (createdb) */
    struct pg_db *db = calloc(1, sizeof *db);
    if (!db)
        return ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
    db->base.ops = &db_pg_ops;
    db->gen = 1;
    db->c = PQconnectdb(path);
    if (!db->c || PQstatus(db->c) != CONNECTION_OK) {
        char msg[200];
        snprintf(msg, sizeof msg, "%s", db->c ? PQerrorMessage(db->c) : "out of memory");
        for (char *p = msg; *p; p++)
            if (*p == '\n')
                *p = ' ';
        pg_close(&db->base);
        return ot_err(err, OT_EUNAVAIL, "store_open", NULL, "cannot connect to PostgreSQL: %s",
                      msg);
    }
    PQsetNoticeProcessor(db->c, notice_quiet, NULL);
    int rc = pg_exec(&db->base, SESSION_SETUP, err);
    if (rc) {
        pg_close(&db->base);
        return rc;
    }
    *out = &db->base;
    return OT_OK;
}

static void stmt_free(struct pg_stmt *st)
{
    if (!st)
        return;
    if (st->pf == PF_QUEUED)
        unqueue(st);
    PQclear(st->pf_res);
    PQclear(st->res);
    PQfreemem(st->blob);
    for (int i = 0; i < st->nparams; i++)
        free(st->vals[i]);
    free(st->vals);
    free(st->lens);
    free(st->fmts);
    free(st->btypes);
    free(st->ptypes);
    free(st->sql);
    free(st);
}

static void pg_close(db_t *dbh)
{
    struct pg_db *db = PG(dbh);
    pending_drop(db, 0);
    for (size_t i = 0; i < db->n_slots; i++)
        stmt_free(db->slots[i].st);
    free(db->slots);
    if (db->c)
        PQfinish(db->c);
    free(db);
}

static int set_idle_limit(struct pg_db *db, ot_err_t *err)
{
    char sql[80];
    snprintf(sql, sizeof sql, "SET idle_in_transaction_session_timeout = %d", db->idle_ms);
    return pg_exec(&db->base, sql, err);
}

/* A broken connection is reset before the next transaction; the statements prepared on it
 * are prepared again on their next run. */
static int ensure_conn(struct pg_db *db, ot_err_t *err)
{
    if (PQstatus(db->c) == CONNECTION_OK)
        return OT_OK;
    PQreset(db->c);
    db->gen++;
    pending_drop(db, 0); /* they went with the old connection's transaction */
    if (PQstatus(db->c) != CONNECTION_OK)
        return ot_err(err, OT_EUNAVAIL, "store_unavailable", NULL, "PostgreSQL: %s",
                      PQerrorMessage(db->c));
    PQsetNoticeProcessor(db->c, notice_quiet, NULL);
    int rc = pg_exec(&db->base, SESSION_SETUP, err);
    if (!rc && db->read_only)
        rc = pg_exec(&db->base, "SET default_transaction_read_only = on", err);
    if (!rc && db->idle_ms)
        rc = set_idle_limit(db, err);
    return rc;
}

/* A connection idle a while may have been ended by the server meanwhile (a restart, a
 * failover, a terminated backend): libpq learns of it only at its next use of the socket,
 * and that use, a client's request, would fail with a 503. So a connection idle for
 * IDLE_CHECK_US or more first reads what the server sent: usually nothing (one poll), else
 * the session's last words (an ErrorResponse, FATAL 57P01, which libpq hands the notice
 * processor) and the end of the stream, which marks it broken; it is then reset before use,
 * as any broken connection is. Under load no connection is idle that long, and the check
 * costs a clock read. A restart takes longer than IDLE_CHECK_US, so a connection last used
 * before one is always checked. */
#define IDLE_CHECK_US 100000

static int check_idle(struct pg_db *db, ot_err_t *err)
{
    int64_t now = clock_mono_us(), idle = now - db->used_us;
    db->used_us = now;
    if (idle >= IDLE_CHECK_US && PQstatus(db->c) == CONNECTION_OK) {
        struct pollfd p = {.fd = PQsocket(db->c), .events = POLLIN};
        for (int i = 0; i < 4 && PQstatus(db->c) == CONNECTION_OK && poll(&p, 1, 0) > 0; i++)
            PQconsumeInput(db->c);
    }
    return PQstatus(db->c) == CONNECTION_OK ? OT_OK : ensure_conn(db, err);
}

/* ==== deferred commands ====
 *
 * Group commit runs each unit of a batch in a savepoint: SAVEPOINT before it, RELEASE
 * after. Each would be a round trip of its own, and a round trip is what an intake
 * transaction on PostgreSQL spends most of its time on (about 25 of them per appeal). So
 * both are only noted here and sent with the next statement: before simple-protocol text
 * (pg_exec) as a prefix of the same text, before a prepared statement, a COMMIT or a
 * lastval() in libpq's pipeline mode (the commands and the statement in one write, their
 * results in one read). A deferred command that fails (a lost connection) fails the
 * statement it went with.
 *
 * db_send defers a statement of the caller's the same way (an INSERT or UPDATE whose result
 * nobody reads: an audit event, a notice, a summary's update): it goes in the pipeline of
 * the next statement that needs an answer. Its failure is that statement's failure, and the
 * transaction is then in error, so the unit fails. A unit never ends with a statement of its
 * own unsent: pg_release sends them with its RELEASE and waits (a failure must fail this
 * unit, not the next one), and pg_commit with its COMMIT. */
static int defer(struct pg_db *db, const char *cmd, ot_err_t *err);
static PGresult *flush_with(struct pg_db *db, struct pg_stmt *st, const char *text);

static void pend_clear(struct pend *p)
{
    for (int i = 0; i < p->n; i++)
        free(p->vals[i]);
    free(p->vals);
    free(p->lens);
    free(p->fmts);
    memset(p, 0, sizeof *p);
}

/* drops the deferred items from index `from` on (unsent: a prefetched statement is no
 * longer waited for) */
static void pending_forget(struct pg_db *db, int from, int unsent)
{
    for (int i = from; i < db->n_pending; i++) {
        if (db->pending[i].into && unsent)
            db->pending[i].into->pf = PF_NONE;
        if (!db->pending[i].cmd && !db->pending[i].into)
            db->n_pending_stmts--;
        pend_clear(&db->pending[i]);
    }
    if (from < db->n_pending)
        db->n_pending = from;
}

static void pending_drop(struct pg_db *db, int from)
{
    pending_forget(db, from, 1);
}

/* takes a prefetched statement not yet sent out of the queue (a read: nothing else depends
 * on it) */
static void unqueue(struct pg_stmt *st)
{
    struct pg_db *db = st->db;
    for (int i = 0; i < db->n_pending; i++)
        if (db->pending[i].into == st) {
            pend_clear(&db->pending[i]);
            memmove(&db->pending[i], &db->pending[i + 1],
                    (size_t)(db->n_pending - i - 1) * sizeof db->pending[0]);
            db->n_pending--;
            break;
        }
    st->pf = PF_NONE;
}

static int result_ok(PGresult *r)
{
    ExecStatusType s = PQresultStatus(r);
    return s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK || s == PGRES_EMPTY_QUERY;
}

/* whether a statement (db_send, db_prefetch) is among the deferred items */
static int pending_queries(const struct pg_db *db)
{
    for (int i = 0; i < db->n_pending; i++)
        if (!db->pending[i].cmd)
            return 1;
    return 0;
}

/* sql with the deferred commands before it, as one text; NULL when none, when a statement is
 * among them (it goes by pipeline), or out of memory (then they are sent on their own first) */

static char *with_pending(struct pg_db *db, const char *sql)
{
    if (!db->n_pending || pending_queries(db))
        return NULL;
    size_t n = strlen(sql) + 1;
    for (int i = 0; i < db->n_pending; i++)
        n += strlen(db->pending[i].cmd) + 2;
    char *out = malloc(n), *o = out;
    if (!out)
        return NULL;
    for (int i = 0; i < db->n_pending; i++)
        o += sprintf(o, "%s; ", db->pending[i].cmd);
    strcpy(o, sql);
    pending_drop(db, 0);
    return out;
}

static int pg_exec(db_t *dbh, const char *sql, ot_err_t *err)
{
    struct pg_db *db = PG(dbh);
    char *joined = with_pending(db, sql);
    if (db->n_pending) { /* statements among them, or out of memory for the joined text */
        PGresult *r = flush_with(db, NULL, NULL);
        int rc = result_ok(r) ? OT_OK : fail_res(db, r, err, "exec");
        PQclear(r);
        if (rc)
            return rc;
    }
    PGresult *r = PQexec(db->c, joined ? joined : sql);
    free(joined);
    int rc = OT_OK;
    if (!result_ok(r))
        rc = fail_res(db, r, err, "exec");
    PQclear(r);
    return rc;
}

static int defer(struct pg_db *db, const char *cmd, ot_err_t *err)
{
    if (db->n_pending == MAX_PENDING) { /* a long run of them: send them now */
        PGresult *r = flush_with(db, NULL, NULL);
        int rc = result_ok(r) ? OT_OK : fail_res(db, r, err, "exec");
        PQclear(r);
        if (rc)
            return rc;
    }
    memset(&db->pending[db->n_pending], 0, sizeof db->pending[0]);
    db->pending[db->n_pending++].cmd = cmd;
    return OT_OK;
}

static int send_one(struct pg_db *db, const struct pend *p)
{
    if (p->cmd)
        return PQsendQueryParams(db->c, p->cmd, 0, NULL, NULL, NULL, NULL, 0);
    return PQsendQueryPrepared(db->c, p->name, p->n, (const char *const *)p->vals, p->lens, p->fmts,
                               0);
}

static int send_stmt(struct pg_db *db, struct pg_stmt *st)
{
    return st->name[0] ? PQsendQueryPrepared(db->c, st->name, st->nparams,
                                             (const char *const *)st->vals, st->lens, st->fmts, 0)
                       : PQsendQueryParams(db->c, st->sql, st->nparams, st->btypes,
                                           (const char *const *)st->vals, st->lens, st->fmts, 0);
}

/* Without pipeline mode (it cannot fail on an idle connection): one round trip each, up to
 * the first failure. */
static PGresult *flush_slow(struct pg_db *db, struct pg_stmt *st, const char *text)
{
    PGresult *fail = NULL;
    for (int i = 0; !fail && i < db->n_pending; i++) {
        struct pend *p = &db->pending[i];
        PGresult *r = p->cmd ? PQexec(db->c, p->cmd)
                             : PQexecPrepared(db->c, p->name, p->n, (const char *const *)p->vals,
                                              p->lens, p->fmts, 0);
        if (result_ok(r) && p->into) {
            p->into->pf_res = r;
            p->into->pf = PF_READY;
            p->into = NULL;
            p->cmd = ""; /* counted as what it was: not a db_send */
        } else if (result_ok(r))
            PQclear(r);
        else
            fail = r;
    }
    pending_drop(db, 0);
    if (fail)
        return fail;
    if (st)
        return st->name[0] ? PQexecPrepared(db->c, st->name, st->nparams,
                                            (const char *const *)st->vals, st->lens, st->fmts, 0)
                           : PQexecParams(db->c, st->sql, st->nparams, st->btypes,
                                          (const char *const *)st->vals, st->lens, st->fmts, 0);
    return text ? PQexec(db->c, text) : PQmakeEmptyPGresult(db->c, PGRES_COMMAND_OK);
}

/* Sends the deferred items and then st (prepared: its name; else its text) or text (one
 * command), or nothing more, in one round trip. Returns the first failed item's result, else
 * the last one's (an empty COMMAND_OK one when nothing followed the deferred items). */
static PGresult *flush_with(struct pg_db *db, struct pg_stmt *st, const char *text)
{
    if (!PQenterPipelineMode(db->c))
        return flush_slow(db, st, text);
    int n = db->n_pending, fin = st || text, sent = 1;
    struct pg_stmt *into[MAX_PENDING];
    for (int i = 0; i < n; i++) {
        sent = sent && send_one(db, &db->pending[i]);
        into[i] = db->pending[i].into; /* stays PF_QUEUED until its result is in */
    }
    pending_forget(db, 0, 0);
    if (sent && st)
        sent = send_stmt(db, st);
    else if (sent && text)
        sent = PQsendQueryParams(db->c, text, 0, NULL, NULL, NULL, NULL, 0);
    sent = sent && PQpipelineSync(db->c);
    int total = n + fin, got = 0;
    PGresult *keep = NULL, *r;
    /* the results: one per command (each followed by NULL), then the sync's */
    for (int i = 0; sent && i < total; i++) {
        r = PQgetResult(db->c);
        if (!r)
            break;
        got++;
        ExecStatusType s = PQresultStatus(r);
        int failed = s == PGRES_FATAL_ERROR || s == PGRES_PIPELINE_ABORTED;
        if (i < n && into[i] && !failed) { /* a prefetched statement's rows, kept for it */
            into[i]->pf_res = r;
            into[i]->pf = PF_READY;
            into[i] = NULL;
        } else if (!keep && (failed || (fin && i == total - 1)))
            keep = r;
        else
            PQclear(r);
        while ((r = PQgetResult(db->c)) != NULL) /* the end of this command's results */
            PQclear(r);
    }
    /* the sync, then out of pipeline mode */
    for (int guard = 0; sent && guard < 4; guard++) {
        r = PQgetResult(db->c);
        if (!r)
            continue;
        ExecStatusType s = PQresultStatus(r);
        PQclear(r);
        if (s == PGRES_PIPELINE_SYNC)
            break;
    }
    PQexitPipelineMode(db->c);
    for (int i = 0; i < n; i++) /* prefetched statements that failed or never came back */
        if (into[i])
            into[i]->pf = PF_NONE;
    if (!keep && sent && got == total && !fin)
        keep = PQmakeEmptyPGresult(db->c, PGRES_COMMAND_OK);
    if (!keep) /* the connection went while sending or reading */
        keep = PQmakeEmptyPGresult(db->c, PGRES_FATAL_ERROR);
    return keep;
}

/* Runs st (prepared: its name; else its text) with the deferred items before it in one
 * round trip. Returns the statement's result, or the first failed item's. */
static PGresult *exec_stmt(struct pg_db *db, struct pg_stmt *st)
{
    if (db->n_pending)
        return flush_with(db, st, NULL);
    return st->name[0] ? PQexecPrepared(db->c, st->name, st->nparams, (const char *const *)st->vals,
                                        st->lens, st->fmts, 0)
                       : PQexecParams(db->c, st->sql, st->nparams, st->btypes,
                                      (const char *const *)st->vals, st->lens, st->fmts, 0);
}

/* ==== statements ==== */

/* `?` and `?NNN` to `$n`, outside literals, quoted names and comments. */
static char *rewrite(const char *sql, int *nparams)
{
    size_t n = strlen(sql);
    char *out = malloc(n * 4 + 1), *o = out;
    if (!out)
        return NULL;
    int next = 0, max = 0;
    for (const char *p = sql; *p;) {
        if (*p == '\'' || *p == '"') {
            char q = *p;
            *o++ = *p++;
            while (*p) {
                if (*p == q && p[1] == q) {
                    *o++ = *p++;
                    *o++ = *p++;
                } else if (*p == q) {
                    *o++ = *p++;
                    break;
                } else
                    *o++ = *p++;
            }
        } else if (p[0] == '-' && p[1] == '-') {
            while (*p && *p != '\n')
                *o++ = *p++;
        } else if (p[0] == '/' && p[1] == '*') {
            const char *e = strstr(p + 2, "*/");
            size_t k = e ? (size_t)(e + 2 - p) : strlen(p);
            memcpy(o, p, k);
            o += k;
            p += k;
        } else if (!strncmp(p, "json_object(", 12) &&
                   (p == sql || !(isalnum((unsigned char)p[-1]) || p[-1] == '_'))) {
            /* SQLite's json_object(k, v, ...) of any types is PostgreSQL's json_build_object
             * (its text has spaces after the colons; what reads it parses it) */
            o += sprintf(o, "json_build_object(");
            p += 12;
        } else if (*p == '?') {
            p++;
            int idx;
            if (isdigit((unsigned char)*p)) {
                idx = (int)strtol(p, (char **)&p, 10);
                next = idx;
            } else
                idx = ++next;
            if (idx > max)
                max = idx;
            o += sprintf(o, "$%d", idx);
        } else
            *o++ = *p++;
    }
    *o = '\0';
    *nparams = max;
    return out;
}

static struct pg_stmt *stmt_new(struct pg_db *db, const char *sql, ot_err_t *err)
{
    struct pg_stmt *st = calloc(1, sizeof *st);
    if (!st) {
        ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
        return NULL;
    }
    st->base.ops = &db_pg_ops;
    st->db = db;
    st->sql = rewrite(sql, &st->nparams);
    int n = st->nparams ? st->nparams : 1;
    st->vals = calloc((size_t)n, sizeof *st->vals);
    st->lens = calloc((size_t)n, sizeof *st->lens);
    st->fmts = calloc((size_t)n, sizeof *st->fmts);
    st->btypes = calloc((size_t)n, sizeof *st->btypes);
    st->ptypes = calloc((size_t)n, sizeof *st->ptypes);
    if (!st->sql || !st->vals || !st->lens || !st->fmts || !st->btypes || !st->ptypes) {
        stmt_free(st);
        ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
        return NULL;
    }
    snprintf(st->name, sizeof st->name, "ot%u", ++db->next_id);
    return st;
}

static void clear_result(struct pg_stmt *st)
{
    if (st->pf == PF_QUEUED)
        unqueue(st);
    PQclear(st->pf_res);
    st->pf_res = NULL;
    st->pf = PF_NONE;
    PQclear(st->res);
    st->res = NULL;
    st->row = -1;
    st->nrows = 0;
}

static void clear_bindings(struct pg_stmt *st)
{
    for (int i = 0; i < st->nparams; i++) {
        free(st->vals[i]);
        st->vals[i] = NULL;
        st->lens[i] = 0;
        st->fmts[i] = 0;
        st->btypes[i] = 0;
    }
}

static size_t slot_of(const char *sql, size_t n)
{
    uintptr_t h = (uintptr_t)sql;
    h ^= h >> 17;
    h *= 0x9E3779B97F4A7C15ull;
    return (size_t)(h >> 7) & (n - 1);
}

static int cache_grow(struct pg_db *db)
{
    size_t n = db->n_slots ? db->n_slots * 2 : 64;
    struct cache_slot *s = calloc(n, sizeof *s);
    if (!s)
        return -1;
    for (size_t i = 0; i < db->n_slots; i++) {
        if (!db->slots[i].sql)
            continue;
        size_t j = slot_of(db->slots[i].sql, n);
        while (s[j].sql)
            j = (j + 1) & (n - 1);
        s[j] = db->slots[i];
    }
    free(db->slots);
    db->slots = s;
    db->n_slots = n;
    return 0;
}

static db_stmt_t *pg_prepare(db_t *dbh, const char *sql, ot_err_t *err)
{
    struct pg_db *db = PG(dbh);
    if (db->n_slots) {
        size_t j = slot_of(sql, db->n_slots);
        while (db->slots[j].sql) {
            if (db->slots[j].sql == sql) {
                struct pg_stmt *st = db->slots[j].st;
                clear_result(st);
                clear_bindings(st);
                return &st->base;
            }
            j = (j + 1) & (db->n_slots - 1);
        }
    }
    if ((db->n_used + 1) * 2 > db->n_slots && cache_grow(db)) {
        ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
        return NULL;
    }
    struct pg_stmt *st = stmt_new(db, sql, err);
    if (!st)
        return NULL;
    st->row = -1;
    size_t j = slot_of(sql, db->n_slots);
    while (db->slots[j].sql)
        j = (j + 1) & (db->n_slots - 1);
    db->slots[j].sql = sql;
    db->slots[j].st = st;
    db->n_used++;
    return &st->base;
}

/* Run once, unnamed: not prepared on the server. */
static db_stmt_t *pg_prepare_temp(db_t *dbh, const char *sql, ot_err_t *err)
{
    struct pg_stmt *st = stmt_new(PG(dbh), sql, err);
    if (!st)
        return NULL;
    st->row = -1;
    st->name[0] = '\0';
    return &st->base;
}

static void pg_finalize(db_stmt_t *st)
{
    stmt_free(PS(st));
}

static int set_param(struct pg_stmt *st, int i, Oid type, const char *v, size_t n, int binary)
{
    if (i < 1 || i > st->nparams)
        return OT_EINTERNAL;
    i--;
    free(st->vals[i]);
    st->vals[i] = NULL;
    st->btypes[i] = type;
    st->fmts[i] = binary;
    st->lens[i] = (int)n;
    if (v) {
        st->vals[i] = malloc(n + 1);
        if (!st->vals[i])
            return OT_EINTERNAL;
        memcpy(st->vals[i], v, n);
        st->vals[i][n] = '\0';
    }
    return OT_OK;
}

static int pg_bind_int64(db_stmt_t *st, int i, int64_t v)
{
    char buf[32];
    int n = snprintf(buf, sizeof buf, "%lld", (long long)v);
    return set_param(PS(st), i, OID_INT8, buf, (size_t)n, 0);
}

static int pg_bind_double(db_stmt_t *st, int i, double v)
{
    char buf[40];
    int n = snprintf(buf, sizeof buf, "%.17g", v);
    return set_param(PS(st), i, OID_FLOAT8, buf, (size_t)n, 0);
}

static int pg_bind_text(db_stmt_t *st, int i, const char *s)
{
    return set_param(PS(st), i, 0, s, s ? strlen(s) : 0, 0);
}

static int pg_bind_blob(db_stmt_t *st, int i, const void *p, size_t n)
{
    return set_param(PS(st), i, OID_BYTEA, p ? p : "", n, 1);
}

static int pg_bind_null(db_stmt_t *st, int i)
{
    return set_param(PS(st), i, 0, NULL, 0, 0);
}

/* Prepares st on the server with its current binding types (when not prepared in this
 * connection, or when a binding's type differs from the prepared one). A parameter whose
 * type the server cannot infer (`? IS NULL` bound to NULL: SQLSTATE 42P08 or 42P18) is
 * taken as text. */
static int ensure_prepared(struct pg_stmt *st, ot_err_t *err)
{
    struct pg_db *db = st->db;
    int again = st->gen != db->gen;
    for (int i = 0; !again && i < st->nparams; i++)
        if (st->btypes[i] && st->btypes[i] != st->ptypes[i])
            again = 1;
    if (!again)
        return OT_OK;
    if (st->gen == db->gen) { /* a new name: the old one stays prepared, unused */
        snprintf(st->name, sizeof st->name, "ot%u", ++db->next_id);
    }
    for (int i = 0; i < st->nparams; i++)
        if (st->btypes[i] || st->gen != db->gen)
            st->ptypes[i] = st->btypes[i];
    /* a failed prepare would abort the open transaction: inside one, it runs in a savepoint
     * (once per statement and connection) */
    int in_tx = PQtransactionStatus(db->c) == PQTRANS_INTRANS;
    if (in_tx && pg_exec(&db->base, "SAVEPOINT ot_prepare", err))
        return err ? err->status : OT_EINTERNAL;
    int rc = OT_EINTERNAL;
    for (int attempt = 0; attempt < 2; attempt++) {
        PGresult *r = PQprepare(db->c, st->name, st->sql, st->nparams, st->ptypes);
        if (PQresultStatus(r) == PGRES_COMMAND_OK) {
            PQclear(r);
            st->gen = db->gen;
            rc = OT_OK;
            break;
        }
        const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
        if (attempt == 0 && state && (!strcmp(state, "42P18") || !strcmp(state, "42P08"))) {
            PQclear(r);
            if (in_tx)
                pg_exec(&db->base, "ROLLBACK TO SAVEPOINT ot_prepare", NULL);
            for (int i = 0; i < st->nparams; i++)
                if (!st->ptypes[i])
                    st->ptypes[i] = OID_TEXT;
            continue;
        }
        rc = fail_res(db, r, err, "prepare");
        PQclear(r);
        break;
    }
    if (in_tx)
        pg_exec(&db->base,
                rc ? "ROLLBACK TO SAVEPOINT ot_prepare; RELEASE SAVEPOINT ot_prepare"
                   : "RELEASE SAVEPOINT ot_prepare",
                NULL);
    return rc;
}

static int pg_step(db_stmt_t *sth, ot_err_t *err)
{
    struct pg_stmt *st = PS(sth);
    struct pg_db *db = st->db;
    if (!st->res) {
        PGresult *r = NULL;
        if (st->pf == PF_QUEUED) { /* db_prefetch: it goes now, with everything queued */
            PGresult *f = flush_with(db, NULL, NULL);
            if (!result_ok(f) || st->pf != PF_READY) {
                int rc = fail_res(db, f, err, "step");
                PQclear(f);
                if (st->pf == PF_READY)
                    clear_result(st);
                return -rc;
            }
            PQclear(f);
        }
        if (st->pf == PF_READY) {
            r = st->pf_res;
            st->pf_res = NULL;
            st->pf = PF_NONE;
        }
        /* outside a transaction (store_read_one) a broken connection is reset here; inside
         * one it is not: the statement fails, and so does the transaction */
        if (!r && !db->tx) {
            int rc = check_idle(db, err);
            if (rc)
                return -rc;
        }
        if (!r && st->name[0]) {
            int rc = ensure_prepared(st, err);
            if (rc)
                return -rc;
        }
        if (!r)
            r = exec_stmt(db, st);
        ExecStatusType s = PQresultStatus(r);
        if (s == PGRES_COMMAND_OK) {
            const char *n = PQcmdTuples(r);
            db->changes = n && *n ? strtoll(n, NULL, 10) : 0;
            PQclear(r);
            return DB_DONE;
        }
        if (s != PGRES_TUPLES_OK) {
            int rc = fail_res(db, r, err, "step");
            PQclear(r);
            return -rc;
        }
        const char *n = PQcmdTuples(r);
        if (n && *n) /* INSERT ... RETURNING, UPDATE ... RETURNING */
            db->changes = strtoll(n, NULL, 10);
        st->res = r;
        st->nrows = PQntuples(r);
        st->row = -1;
    }
    if (st->row + 1 < st->nrows) {
        st->row++;
        return DB_ROW;
    }
    st->row = st->nrows;
    return DB_DONE;
}

static const char *cell(struct pg_stmt *st, int i)
{
    if (!st->res || st->row < 0 || st->row >= st->nrows || i < 0 || i >= PQnfields(st->res) ||
        PQgetisnull(st->res, st->row, i))
        return NULL;
    return PQgetvalue(st->res, st->row, i);
}

static int64_t pg_col_int64(db_stmt_t *sth, int i)
{
    struct pg_stmt *st = PS(sth);
    const char *v = cell(st, i);
    if (!v)
        return 0;
    if (PQftype(st->res, i) == OID_BOOL)
        return *v == 't';
    if (strchr(v, '.') || strchr(v, 'e')) /* numeric or float: truncated, as SQLite does */
        return (int64_t)strtod(v, NULL);
    return strtoll(v, NULL, 10);
}

static double pg_col_double(db_stmt_t *sth, int i)
{
    struct pg_stmt *st = PS(sth);
    const char *v = cell(st, i);
    if (!v)
        return 0;
    if (PQftype(st->res, i) == OID_BOOL)
        return *v == 't';
    return strtod(v, NULL);
}

static const char *pg_col_text(db_stmt_t *sth, int i)
{
    struct pg_stmt *st = PS(sth);
    const char *v = cell(st, i);
    if (v && PQftype(st->res, i) == OID_BOOL)
        return *v == 't' ? "1" : "0";
    return v;
}

static const void *pg_col_blob(db_stmt_t *sth, int i, size_t *n)
{
    struct pg_stmt *st = PS(sth);
    const char *v = cell(st, i);
    *n = 0;
    if (!v)
        return NULL;
    if (PQftype(st->res, i) != OID_BYTEA) {
        *n = (size_t)PQgetlength(st->res, st->row, i);
        return v;
    }
    PQfreemem(st->blob);
    st->blob = PQunescapeBytea((const unsigned char *)v, n);
    return st->blob;
}

static int pg_col_is_null(db_stmt_t *sth, int i)
{
    return cell(PS(sth), i) == NULL;
}

static const char *pg_col_name(db_stmt_t *sth, int i)
{
    struct pg_stmt *st = PS(sth);
    return st->res ? PQfname(st->res, i) : NULL;
}

static int pg_col_count(db_stmt_t *sth)
{
    struct pg_stmt *st = PS(sth);
    return st->res ? PQnfields(st->res) : 0;
}

static void pg_reset(db_stmt_t *sth)
{
    clear_result(PS(sth));
}

static int pg_run(db_stmt_t *st, int64_t *out, ot_err_t *err)
{
    int rc = pg_step(st, err);
    if (rc < 0)
        return -rc;
    if (out) {
        if (rc != DB_ROW) {
            pg_reset(st);
            return ot_err(err, OT_ENOTFOUND, "not_found", NULL, "no row");
        }
        *out = pg_col_int64(st, 0);
    }
    pg_reset(st);
    return OT_OK;
}

/* db_send: inside a transaction, a prepared statement is queued with a copy of its bindings
 * and goes with the next statement that waits for an answer (see "deferred commands");
 * outside one, or for a statement not kept prepared, it runs at once. */
static int queue_stmt(struct pg_stmt *st, struct pg_stmt *into, ot_err_t *err);

static int pg_send(db_stmt_t *sth, ot_err_t *err)
{
    struct pg_stmt *st = PS(sth);
    struct pg_db *db = st->db;
    if (!db->tx || !st->name[0] || PQstatus(db->c) != CONNECTION_OK)
        return pg_run(sth, NULL, err);
    int rc = ensure_prepared(st, err); /* once per statement and connection */
    if (rc)
        return rc;
    if ((rc = queue_stmt(st, NULL, err)) != -1)
        return rc;
    return pg_run(sth, NULL, err); /* out of memory for the copy */
}

/* Queues st with a copy of its bindings (into: db_prefetch's statement, NULL for db_send).
 * OT_OK, an error of the items sent to make room, or -1 when out of memory. */
static int queue_stmt(struct pg_stmt *st, struct pg_stmt *into, ot_err_t *err)
{
    struct pg_db *db = st->db;
    int rc;
    if (db->n_pending == MAX_PENDING) {
        PGresult *r = flush_with(db, NULL, NULL);
        rc = result_ok(r) ? OT_OK : fail_res(db, r, err, "send");
        PQclear(r);
        if (rc)
            return rc;
    }
    struct pend *p = &db->pending[db->n_pending];
    memset(p, 0, sizeof *p);
    int n = st->nparams ? st->nparams : 1;
    p->vals = calloc((size_t)n, sizeof *p->vals);
    p->lens = calloc((size_t)n, sizeof *p->lens);
    p->fmts = calloc((size_t)n, sizeof *p->fmts);
    int oom = !p->vals || !p->lens || !p->fmts;
    p->n = st->nparams;
    for (int i = 0; !oom && i < st->nparams; i++) {
        p->lens[i] = st->lens[i];
        p->fmts[i] = st->fmts[i];
        if (st->vals[i]) {
            p->vals[i] = malloc((size_t)st->lens[i] + 1);
            oom = !p->vals[i];
            if (!oom)
                memcpy(p->vals[i], st->vals[i], (size_t)st->lens[i] + 1);
        }
    }
    if (oom) {
        pend_clear(p);
        return -1;
    }
    memcpy(p->name, st->name, sizeof p->name);
    p->into = into;
    db->n_pending++;
    if (into)
        into->pf = PF_QUEUED;
    else {
        db->n_pending_stmts++;
        clear_result(st);
    }
    return OT_OK;
}

/* db_prefetch: inside a transaction, a prepared statement is queued and goes with the next
 * statement that waits for an answer (or with its own first db_step); its rows wait in
 * pf_res for that step. Elsewhere nothing happens now: the step runs it. */
static int pg_prefetch(db_stmt_t *sth, ot_err_t *err)
{
    struct pg_stmt *st = PS(sth);
    struct pg_db *db = st->db;
    if (!db->tx || !st->name[0] || st->pf != PF_NONE || st->res || PQstatus(db->c) != CONNECTION_OK)
        return OT_OK;
    int rc = ensure_prepared(st, err);
    if (rc)
        return rc;
    rc = queue_stmt(st, st, err);
    return rc == -1 ? OT_OK : rc;
}

static int64_t pg_changes(db_t *dbh)
{
    return PG(dbh)->changes;
}

static int64_t pg_last_id(db_t *dbh)
{
    struct pg_db *db = PG(dbh);
    PGresult *r;
    if (db->n_pending) {
        r = flush_with(db, NULL, "SELECT lastval()");
    } else
        r = PQexec(db->c, "SELECT lastval()");
    int64_t id = 0;
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
        id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
    PQclear(r);
    return id;
}

/* ==== transactions ==== */

/* The writer's transactions are READ COMMITTED and begin by taking one transaction-level
 * advisory lock, the same on every node: write transactions run one at a time over the
 * whole database, as SQLite's BEGIN IMMEDIATE makes them, so the audit chain (each event
 * hashes the one before it) and the read-then-write use cases stay serial when several
 * nodes share the database. Group commit keeps that to one lock per batch. A read
 * transaction is one snapshot (REPEATABLE READ), what a SQLite read transaction gives. */
static int pg_begin(db_t *dbh, int write, ot_err_t *err)
{
    struct pg_db *db = PG(dbh);
    int rc = check_idle(db, err);
    if (rc)
        return rc;
    if (!write) {
        /* a read transaction's BEGIN goes with its first statement, in the same round trip
         * (deferred as the savepoints are; PostgreSQL takes the REPEATABLE READ snapshot at
         * that first statement anyway): one round trip less per read transaction, of about
         * ten in a GET of one appeal. A transaction that runs no statement sends nothing. */
        pending_drop(db, 0);
        rc = defer(db, "BEGIN ISOLATION LEVEL REPEATABLE READ", err);
        db->tx = !rc;
        return rc;
    }
    rc = pg_exec(dbh, "BEGIN; SELECT pg_advisory_xact_lock(190002)", err);
    if (rc && pg_in_tx(dbh)) /* BEGIN went through, the lock did not */
        pg_exec(dbh, "ROLLBACK", NULL);
    db->tx = !rc;
    return rc;
}

static int pg_commit(db_t *dbh, ot_err_t *err)
{
    struct pg_db *db = PG(dbh);
    db->tx = 0; /* committed, rolled back, or lost with the connection */
    PGresult *r;
    if (pending_queries(db)) { /* db_send's statements, then COMMIT, in one round trip */
        r = flush_with(db, NULL, "COMMIT");
    } else {
        char *joined = with_pending(db, "COMMIT");
        r = PQexec(db->c, joined ? joined : "COMMIT");
        free(joined);
    }
    int rc = OT_OK;
    if (PQresultStatus(r) != PGRES_COMMAND_OK)
        rc = fail_res(db, r, err, "commit");
    else if (strcmp(PQcmdStatus(r), "ROLLBACK") == 0) /* COMMIT of a failed transaction */
        rc = ot_err(err, OT_EUNAVAIL, "store_failed", NULL,
                    "the transaction had failed and was rolled back");
    PQclear(r);
    return rc;
}

static int pg_in_tx(db_t *dbh)
{
    PGTransactionStatusType s = PQtransactionStatus(PG(dbh)->c);
    return s == PQTRANS_INTRANS || s == PQTRANS_INERROR || s == PQTRANS_ACTIVE;
}

static void pg_rollback(db_t *dbh)
{
    PG(dbh)->tx = 0;
    pending_drop(PG(dbh), 0);
    if (pg_in_tx(dbh))
        pg_exec(dbh, "ROLLBACK", NULL);
}

static int pg_savepoint(db_t *dbh, ot_err_t *err)
{
    return defer(PG(dbh), "SAVEPOINT unit", err);
}

/* A unit whose own statements (db_send) are still unsent sends them now, with its RELEASE,
 * and waits: their failure is this unit's, never the next one's. */
static int pg_release(db_t *dbh, ot_err_t *err)
{
    struct pg_db *db = PG(dbh);
    if (!db->n_pending_stmts)
        return defer(db, "RELEASE SAVEPOINT unit", err);
    PGresult *r = flush_with(db, NULL, "RELEASE SAVEPOINT unit");
    int rc = result_ok(r) ? OT_OK : fail_res(db, r, err, "release");
    PQclear(r);
    return rc;
}

static void pg_rollback_to(db_t *dbh)
{
    struct pg_db *db = PG(dbh);
    /* the unit's SAVEPOINT still unsent: nothing of it has reached the server (what follows
     * it in the queue is the unit's own, unsent too) */
    for (int i = db->n_pending - 1; i >= 0; i--)
        if (db->pending[i].cmd && strcmp(db->pending[i].cmd, "SAVEPOINT unit") == 0) {
            pending_drop(db, i);
            return;
        }
    pending_drop(db, 0); /* the unit's own statements, unsent */
    pg_exec(dbh, "ROLLBACK TO SAVEPOINT unit; RELEASE SAVEPOINT unit", NULL);
}

/* The server keeps its own caches: nothing to tune per connection. */
static int pg_reader(db_t *dbh, ot_err_t *err)
{
    (void)dbh;
    (void)err;
    return OT_OK;
}

static int pg_batch_writer(db_t *dbh, ot_err_t *err)
{
    (void)dbh;
    (void)err;
    return OT_OK;
}

/* The server checkpoints by itself (checkpoint_timeout, max_wal_size). */
static int pg_checkpoint(db_t *dbh, int keep, int64_t *wal_bytes, ot_err_t *err)
{
    (void)dbh;
    (void)keep;
    (void)wal_bytes;
    (void)err;
    return OT_OK;
}

static int pg_backup(db_t *src, const char *dest, ot_err_t *err)
{
    (void)src;
    (void)dest;
    return ot_err(err, OT_EINVAL, "not_supported", "db",
                  "otinish backup copies SQLite files; back PostgreSQL up with its own tools"
                  " (pg_basebackup and WAL archiving, or pg_dump): docs/postgresql.md");
}

static int pg_integrity_check(db_t *db, char *problem, size_t n, ot_err_t *err)
{
    (void)db;
    (void)problem;
    (void)n;
    return ot_err(err, OT_EINVAL, "not_supported", "db",
                  "the integrity check reads SQLite files; on PostgreSQL use data checksums"
                  " and pg_amcheck: docs/postgresql.md");
}

/* Session-level advisory lock (issue 19, store_role_*): the server releases it when the
 * session ends, so a node that dies (or whose connection breaks) hands the role over. While
 * held, a `SELECT 1` confirms the session is the same one; pg_try_advisory_lock is not asked
 * again (a session's locks stack). The session's idle_session_timeout is the lapse: a node
 * alive but stopped or stuck, which confirms nothing, loses its session and so the role. */
#define FENCE_KEY(key) ((key) + 1000) /* the role key's fence (pg_fence) */

static int pg_session_lock(db_t *dbh, int64_t key, int lapse_ms, int *held, ot_err_t *err)
{
    struct pg_db *db = PG(dbh);
    *held = 0;
    if (db->locked && PQstatus(db->c) == CONNECTION_OK) {
        PGresult *r = PQexec(db->c, "SELECT 1");
        int alive = PQresultStatus(r) == PGRES_TUPLES_OK;
        PQclear(r);
        if (alive) {
            *held = PQbackendPID(db->c);
            return OT_OK;
        }
    }
    db->locked = 0; /* a broken session has lost it */
    int rc = ensure_conn(db, err);
    if (rc)
        return rc;
    char sql[128];
    snprintf(sql, sizeof sql, "SET idle_session_timeout = %d; SELECT pg_try_advisory_lock(%lld)",
             lapse_ms > 0 ? lapse_ms : 0, (long long)key);
    PGresult *r = PQexec(db->c, sql);
    if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1) {
        rc = fail_res(db, r, err, "advisory lock");
        PQclear(r);
        return rc;
    }
    int got = strcmp(PQgetvalue(r, 0, 0), "t") == 0;
    PQclear(r);
    if (got) {
        /* the last holder's fenced transaction (pg_fence) ends before this node's run starts */
        snprintf(sql, sizeof sql, "SELECT pg_advisory_lock(%lld); SELECT pg_advisory_unlock(%lld)",
                 (long long)FENCE_KEY(key), (long long)FENCE_KEY(key));
        r = PQexec(db->c, sql);
        if (PQresultStatus(r) != PGRES_TUPLES_OK) {
            rc = fail_res(db, r, err, "advisory lock");
            PQclear(r);
            return rc; /* the session still holds the role: the next call confirms it */
        }
        PQclear(r);
    }
    db->locked = got;
    *held = got ? PQbackendPID(db->c) : 0;
    return OT_OK;
}

/* Fences a role job's transaction (db_fence): the transaction takes the role's fence lock,
 * which a node taking the role waits for (pg_session_lock), then checks that the session
 * holder (its backend's pid) still holds the role. A check passed under the fence stays true
 * until the commit: no other node can start its run of the role before this transaction
 * ends. A client stopped inside the transaction has it ended by the server (db_idle_limit),
 * so a node that lost its role while stopped cannot commit beside the new holder. */
static int pg_fence(db_t *dbh, int64_t key, int holder, ot_err_t *err)
{
    struct pg_db *db = PG(dbh);
    char sql[320];
    snprintf(sql, sizeof sql, "SELECT pg_advisory_xact_lock(%lld)", (long long)FENCE_KEY(key));
    int rc = pg_exec(dbh, sql, err);
    if (rc)
        return rc;
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid = %d"
             " AND classid = %u AND objid = %u AND objsubid = 1",
             holder, (unsigned)((uint64_t)key >> 32), (unsigned)((uint64_t)key & 0xffffffffu));
    PGresult *r = PQexec(db->c, sql);
    if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1) {
        rc = fail_res(db, r, err, "role fence");
        PQclear(r);
        return rc;
    }
    int held = strcmp(PQgetvalue(r, 0, 0), "1") == 0;
    PQclear(r);
    if (!held)
        return ot_err(err, OT_EUNAVAIL, "role_lost", NULL,
                      "another node has taken this job's role");
    return OT_OK;
}

/* idle_in_transaction_session_timeout of this session, now and after a reset */
static int pg_idle_limit(db_t *dbh, int ms, ot_err_t *err)
{
    struct pg_db *db = PG(dbh);
    db->idle_ms = ms > 0 ? ms : 0;
    return set_idle_limit(db, err);
}

static int pg_read_only(db_t *dbh, ot_err_t *err)
{
    PG(dbh)->read_only = 1;
    return pg_exec(dbh, "SET default_transaction_read_only = on", err);
}

/* db_notifies (issue 19 point 7): LISTEN once per session; a sync is an empty query, the
 * cheapest round trip there is (no parse, no plan): the backend sends the notifications it
 * has before its ReadyForQuery, and libpq keeps them for PQnotifies. */
static int pg_notifies(db_t *dbh, const char *channel, int sync,
                       void (*fn)(const char *payload, void *arg), void *arg, int *fresh,
                       ot_err_t *err)
{
    struct pg_db *db = PG(dbh);
    *fresh = 0;
    int rc = check_idle(db, err);
    if (rc)
        return rc;
    if (db->listen_gen != db->gen) {
        char sql[96];
        snprintf(sql, sizeof sql, "LISTEN %s", channel);
        PGresult *r = PQexec(db->c, sql);
        if (PQresultStatus(r) != PGRES_COMMAND_OK) {
            rc = fail_res(db, r, err, "listen");
            PQclear(r);
            return rc;
        }
        PQclear(r);
        db->listen_gen = db->gen;
        *fresh = 1;
    }
    if (sync) {
        PGresult *r = PQexec(db->c, "");
        if (PQresultStatus(r) != PGRES_EMPTY_QUERY) {
            rc = fail_res(db, r, err, "sync");
            PQclear(r);
            return rc;
        }
        PQclear(r);
    } else if (!PQconsumeInput(db->c))
        return fail_res(db, NULL, err, "notifications");
    PGnotify *n;
    while ((n = PQnotifies(db->c))) {
        fn(n->extra, arg);
        PQfreemem(n);
    }
    return OT_OK;
}

/* clang-format off */
const struct db_ops db_pg_ops = {
    "postgresql",    pg_open,       pg_close,       pg_exec,        pg_prepare,
    pg_prepare_temp, pg_finalize,   pg_bind_int64,  pg_bind_double, pg_bind_text,
    pg_bind_blob,    pg_bind_null,  pg_step,        pg_col_int64,   pg_col_double,
    pg_col_text,     pg_col_blob,   pg_col_is_null, pg_col_count,   pg_run,
    pg_reset,        pg_changes,    pg_last_id,     pg_begin,       pg_commit,
    pg_rollback,     pg_savepoint,  pg_release,     pg_rollback_to, pg_reader,
    pg_batch_writer, pg_checkpoint, pg_in_tx,       pg_backup,      pg_integrity_check,
    pg_col_name,
    pg_session_lock, pg_fence,     pg_idle_limit,  pg_read_only, /* issue 19: roles, replica */
    pg_send,         pg_prefetch, /* issue 19 point 7: statements sent with the next one */
    pg_notifies, /* issue 19 point 7: the page cache's invalidations */
};
/* clang-format on */
