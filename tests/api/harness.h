/* API test harness: starts the real `otinish serve` on a free loopback port with a fresh
 * database, and talks HTTP to it with libcurl. One server per test program (group setup).
 *
 *   static srv_t S;
 *   resp_t r = api(&S, "GET", "/healthz", NULL);
 *   assert_int_equal(r.status, 200);
 *   assert_string_equal(json_string_value(json_object_get(r.json, "status")), "ok");
 *   resp_free(&r);
 */
#ifndef OT_TESTS_API_HARNESS_H
#define OT_TESTS_API_HARNESS_H

#include <jansson.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <sys/types.h>

#include <cmocka.h>

typedef struct srv_staff {
    char login[48], token[64];
    long id;
} srv_staff_t;

typedef struct srv {
    pid_t pid;
    int port;
    char base[64];
    char dir[256];
    char db[320];
    char bin[512]; /* the otinish binary next to this test's build */
    void *curl;
    char bearer[128];       /* sent as Authorization: Bearer when set */
    const char *headers[8]; /* extra request headers ("Name: value"), NULL-terminated */
    const char *from;       /* local address requests are sent from ("127.0.0.2": another
                               client on loopback, on a connection of its own); NULL: any */
    srv_staff_t staff[16];  /* signed in by sign_in_all, for as() */
    int n_staff;
} srv_t;

typedef struct resp {
    long status;
    char *body;
    size_t len;
    json_t *json; /* parsed body when it is JSON, else NULL */
    char headers[4096];
} resp_t;

/* Creates a temp dir, runs `otinish init` there (with init_args, may be NULL), starts
 * `otinish serve` (with serve_args, may be NULL) and waits for it to listen. 0 on success. */
int srv_start(srv_t *s, const char *const *init_args, const char *const *serve_args);
/* The same with another otinish binary (an installed one); NULL: the build's own. */
int srv_start_bin(srv_t *s, const char *bin, const char *const *init_args,
                  const char *const *serve_args);
/* Stops the server with SIGTERM and removes the temp dir; returns -1 if it exited badly
 * (its log is printed). */
int srv_stop(srv_t *s);
/* Stops only the server process (the database stays), and starts it again on s->db. */
int srv_halt(srv_t *s);
int srv_serve(srv_t *s, const char *const *serve_args);
/* Serves again with OTINISH_LIST_SCALE set to scale (NULL: unset), which divides the staff
 * lists' caps so that a test's few rows take the walks a million take; 0 when it serves. */
int srv_list_scale(srv_t *s, const char *const *serve_args, const char *scale);

/* One request. content_type may be NULL (then application/json when body is set). */
resp_t api_raw(srv_t *s, const char *method, const char *path, const char *content_type,
               const char *body, size_t body_len);
resp_t api(srv_t *s, const char *method, const char *path, const char *json_body);
/* n requests at once (n threads, each with its own connection, released together), with s's
 * headers, bearer and source address; json_bodies[i] (may be NULL) is request i's body.
 * out[i] gets request i's reply (resp_free each). */
#define API_PARALLEL_MAX 64
void api_parallel(srv_t *s, int n, const char *method, const char *path,
                  const char *const *json_bodies, resp_t *out);
void resp_free(resp_t *r);

/* The value of a response header (case-insensitive), copied into out; NULL when absent. */
const char *resp_header(const resp_t *r, const char *name, char *out, size_t n);

/* Small readers of a JSON reply: member k of o as a string (NULL when absent or not a
 * string), as an integer (0 when absent). */
const char *jstr(const json_t *o, const char *k);
long long jnum(const json_t *o, const char *k);

/* prefix, then seg percent-encoded, then suffix (may be NULL): "/api/v1/appeals/" + a
 * number + "/answer". url_enc(s, x) is x percent-encoded. Both return one of 8 static
 * buffers in turn (each 2 KiB; valid until 8 more calls), so several fit in one call. */
const char *api_path(srv_t *s, const char *prefix, const char *seg, const char *suffix);
const char *url_enc(srv_t *s, const char *x);

/* Asserts the status and, for errors, the error code and field (NULL: not checked). */
void expect_error(const resp_t *r, long status, const char *code, const char *field);

/* Runs the otinish binary with args (NULL-terminated), stdin from `input` (may be NULL),
 * capturing stdout into out (NUL-terminated, truncated at n). Returns the exit status. */
int run_otinish(srv_t *s, const char *const *args, const char *input, char *out, size_t n);

/* The output of one query of the sqlite3 shell on the database file db (asserts that it
 * ran), and the same read as a number. Tests read state no endpoint shows this way. */
void sql_query(const char *db, const char *sql, char *out, size_t n);
/* Today + n days in Kazakhstan (UTC+5), the server's calendar day, as YYYY-MM-DD. */
void kz_day(int n, char out[11]);
long sql_count(const char *db, const char *sql);
/* A session of its own on the PostgreSQL database db (psql), which runs each statement
 * written to the stream as it arrives (fflush it): a transaction held open beside a node.
 * pclose ends it. */
FILE *sql_session(const char *db);
/* Runs SQL statements (';'-separated) on db, through the sqlite3 shell or psql; asserts
 * that they ran. On PostgreSQL the identity sequences then pass the largest ids, so rows
 * inserted with explicit ids behave as in SQLite. */
void sql_exec(const char *db, const char *sql);
/* A consistent copy of s's database while the server runs: a file NAME in s->dir (SQLite's
 * .backup), or a new PostgreSQL database (pg_dump into it); its path or URI in out. */
void sql_copy_db(srv_t *s, const char *name, char *out, size_t n);

/* Starts a receiver on loopback: script (a tests/api/ Python program, run with Debian's
 * /usr/bin/python3) gets dir, which is created, and writes the port it listens on to
 * dir/port. Returns that port, or -1; *pid is the process to give sink_stop (0 when none). */
int sink_start(const char *script, const char *dir, pid_t *pid);
void sink_stop(pid_t pid);

/* Creates a staff user through the CLI (`otinish user add`, password on stdin); asserts
 * success. */
void add_user(srv_t *s, const char *login, const char *role, const char *body,
              const char *password);

/* Logs in and stores the token in s->bearer; returns the status. csrf (may be NULL) gets
 * the CSRF token, at least 64 bytes. */
long login(srv_t *s, const char *login, const char *password, char *csrf);

/* Signs each login in once (password pw) and remembers its token and user id, so that
 * as() can switch between them. 0 on success. */
int sign_in_all(srv_t *s, const char *const *logins, const char *pw);
/* Acts as that signed-in staff user from now on (NULL: as a citizen, no credentials). */
void as(srv_t *s, const char *login);
/* The user id of a signed-in login (0 when unknown). */
long staff_id(srv_t *s, const char *login);

/* Whether the tests run on PostgreSQL (OTINISH_TEST_PG=1): srv_start then makes a database
 * on a PostgreSQL 15 server the harness starts, and s->db is its URI; sql_query goes
 * through psql. */
int srv_pg(void);
/* Stops (up = 0) or starts again (up = 1) the test PostgreSQL server, its databases kept;
 * 0 on success. */
int srv_pg_server(int up);
/* Starts a hot standby of the test PostgreSQL server (pg_basebackup -R, streaming
 * replication, on a socket of its own in the same temporary directory; stopped with the
 * server) and gives in out the URI of uri's database on it. Once per program; 0 on success. */
int srv_pg_standby(const char *uri, char *out, size_t n);
/* A new, empty database on the test PostgreSQL server; its URI in out. 0 on success. */
int srv_pg_new_db(char *out, size_t n);

/* Shorthand for the group setup/teardown with default arguments. */
int srv_setup(void **state);
int srv_teardown(void **state);

#endif
