/* `otinish serve` as a service manager runs it: SIGTERM lets a request in flight finish and
 * its write commit, and turns a new one away (503); the log is one line per event, with the
 * client's address in the access log, as text or (--log-format json) as JSON objects;
 * systemd's NOTIFY_SOCKET hears READY=1 once the server answers, and STOPPING=1 on
 * SIGTERM. */
#include "harness.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

static const char appeal[] =
    "{\"kind\":\"statement\",\"channel\":\"portal\",\"category\":\"heating\","
    "\"district\":\"ridder\",\"language\":\"ru\",\"text\":\"Сигнал остановки\","
    "\"applicant\":{\"type\":\"individual\",\"full_name\":\"Иванов Иван\","
    "\"iin\":\"900101300007\",\"phone\":\"+7 705 123 45 67\"}}";

static srv_t s; /* each test's own server, stopped by stop() even when the test fails */

static int stop(void **state)
{
    (void)state;
    return s.dir[0] ? srv_stop(&s) : 0;
}

/* The server's log so far into out. */
static void read_log(srv_t *sv, char *out, size_t n)
{
    char p[400];
    snprintf(p, sizeof p, "%s/serve.log", sv->dir);
    FILE *f = fopen(p, "r");
    assert_non_null(f);
    size_t len = fread(out, 1, n - 1, f);
    out[len] = '\0';
    fclose(f);
}

/* Waits up to 2 s for text to appear in the log (a request is logged once its reply is out). */
static int log_has(srv_t *sv, const char *text, char *out, size_t n)
{
    for (int i = 0; i < 200; i++) {
        read_log(sv, out, n);
        if (strstr(out, text))
            return 1;
        usleep(10000);
    }
    return 0;
}

static void sigterm_lets_a_request_in_flight_finish(void **state)
{
    (void)state;
    const char *serve[] = {"--public-limit", "0", NULL};
    assert_int_equal(srv_start(&s, NULL, serve), 0);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)s.port)};
    inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
    assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    char head[256];
    size_t len = strlen(appeal), half = len / 2;
    int hn = snprintf(head, sizeof head,
                      "POST /api/v1/appeals HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                      "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n",
                      len);
    /* the headers and half the body: the request has begun */
    assert_int_equal(write(fd, head, (size_t)hn), hn);
    assert_int_equal(write(fd, appeal, half), (ssize_t)half);
    usleep(200000);
    kill(s.pid, SIGTERM);
    usleep(300000);
    /* a request that arrives now is turned away, to be sent again (to another node) */
    resp_t late = api(&s, "GET", "/healthz", NULL);
    assert_int_equal(late.status, 503);
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(late.json, "error"), "code")),
        "shutting_down");
    resp_free(&late);
    /* stopping, but not gone: the rest of the body still gets its answer */
    assert_int_equal(write(fd, appeal + half, len - half), (ssize_t)(len - half));
    char reply[4096];
    size_t got = 0;
    ssize_t r;
    while (got < sizeof reply - 1 && (r = read(fd, reply + got, sizeof reply - 1 - got)) > 0) {
        got += (size_t)r;
        reply[got] = '\0';
        if (strstr(reply, "\"number\""))
            break;
    }
    reply[got] = '\0';
    close(fd);
    int st;
    assert_int_equal(waitpid(s.pid, &st, 0), s.pid);
    s.pid = 0;
    assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    if (strncmp(reply, "HTTP/1.1 201", 12) != 0)
        fail_msg("the request in flight got '%.200s'", reply);
    /* what was acknowledged was committed before the process ended */
    assert_int_equal(
        sql_count(s.db, "SELECT count(*) FROM appeals WHERE text = 'Сигнал остановки'"), 1);
    char log[16384];
    read_log(&s, log, sizeof log);
    assert_non_null(strstr(log, "signal 15: stopping"));
    assert_int_equal(srv_stop(&s), 0);
}

static void access_log_names_the_client(void **state)
{
    (void)state;
    char log[16384];
    assert_int_equal(srv_start(&s, NULL, NULL), 0);
    resp_t r = api(&s, "GET", "/healthz?probe=1", NULL);
    assert_int_equal(r.status, 200);
    resp_free(&r);
    r = api(&s, "GET", "/no%20such%22path", NULL);
    resp_free(&r);
    assert_true(log_has(&s, "path=/healthz", log, sizeof log));
    const char *line = strstr(log, "path=/healthz");
    while (line > log && line[-1] != '\n')
        line--;
    /* 2026-12-01T06:00:00Z access client=127.0.0.1 method=GET path=/healthz status=200 ... */
    assert_non_null(strstr(line, "Z access client=127.0.0.1 method=GET path=/healthz status=200 "));
    /* a path with a space and a quote stays one field of one line */
    assert_true(log_has(&s, " path=\"/no such\\\"path\" status=", log, sizeof log));
    assert_int_equal(srv_stop(&s), 0);
}

static void json_log_is_one_object_a_line(void **state)
{
    (void)state;
    char log[16384];
    const char *serve[] = {"--log-format", "json", NULL};
    assert_int_equal(srv_start(&s, NULL, serve), 0);
    resp_t r = api(&s, "GET", "/api/v1/bodies", NULL);
    assert_int_equal(r.status, 200);
    resp_free(&r);
    assert_true(log_has(&s, "\"path\":\"/api/v1/bodies\"", log, sizeof log));
    int n_lines = 0, n_access = 0;
    for (char *line = strtok(log, "\n"); line; line = strtok(NULL, "\n")) {
        json_error_t e;
        json_t *o = json_loads(line, 0, &e);
        if (!json_is_object(o))
            fail_msg("not a JSON object: %s (%s)", line, e.text);
        assert_non_null(json_string_value(json_object_get(o, "time")));
        const char *level = json_string_value(json_object_get(o, "level"));
        assert_non_null(level);
        if (strcmp(level, "access") == 0) {
            n_access++;
            assert_string_equal(json_string_value(json_object_get(o, "client")), "127.0.0.1");
            assert_true(json_is_integer(json_object_get(o, "status")));
            assert_true(json_is_integer(json_object_get(o, "us")));
        } else
            assert_non_null(json_string_value(json_object_get(o, "msg")));
        json_decref(o);
        n_lines++;
    }
    assert_true(n_lines >= 2);
    assert_true(n_access >= 1);
    assert_int_equal(srv_stop(&s), 0);
    const char *bad[] = {"serve", "--log-format", "xml", NULL};
    assert_int_equal(run_otinish(&s, bad, NULL, NULL, 0), 2);
}

/* One datagram from the notify socket into out (a generous timeout only keeps a broken
 * server from hanging the test; it asserts nothing about time). */
static void notify_recv(int fd, char *out, size_t n)
{
    ssize_t got = recv(fd, out, n - 1, 0);
    if (got < 0)
        fail_msg("no notification from the server");
    out[got] = '\0';
}

static void systemd_hears_ready_and_stopping(void **state)
{
    (void)state;
    char path[] = "/tmp/otinish-notify-XXXXXX";
    assert_non_null(mkdtemp(path));
    char sock[sizeof path + 16];
    snprintf(sock, sizeof sock, "%s/notify", path);
    int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    snprintf(sa.sun_path, sizeof sa.sun_path, "%s", sock);
    assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    struct timeval tv = {.tv_sec = 30};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setenv("NOTIFY_SOCKET", sock, 1);
    int started = srv_start(&s, NULL, NULL);
    unsetenv("NOTIFY_SOCKET");
    assert_int_equal(started, 0);
    char msg[256];
    notify_recv(fd, msg, sizeof msg);
    assert_non_null(strstr(msg, "READY=1"));
    /* ready means answering */
    resp_t r = api(&s, "GET", "/healthz", NULL);
    assert_int_equal(r.status, 200);
    resp_free(&r);
    kill(s.pid, SIGTERM);
    notify_recv(fd, msg, sizeof msg);
    assert_string_equal(msg, "STOPPING=1");
    int st;
    assert_int_equal(waitpid(s.pid, &st, 0), s.pid);
    s.pid = 0;
    assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    close(fd);
    unlink(sock);
    rmdir(path);
    assert_int_equal(srv_stop(&s), 0);
}

/* ==== Many writers and readers at once (the write threads, issue 23) ====
 * A request that writes is set aside on a write thread with its connection suspended, and the
 * write thread resumes the connection with the reply. A lost resume is a request that never
 * gets its answer, and a connection left suspended stops the server from stopping. So clients
 * of every kind hammer intake together with reads: kept-alive connections, requests sent
 * back to back on one connection before any answer (pipelined), a new connection per request,
 * and clients that go away in the middle of a request or right after sending it. Every request
 * of a client that waits must be answered (a socket timeout of 60 s only turns a hang into a
 * failure), every 201 must be in the database, and the server must then stop cleanly with
 * connections still open. */

#define HAMMER_CLIENTS 24
#define HAMMER_ROUNDS  10

typedef struct hconn {
    int fd;
    char buf[16384];
    size_t len; /* bytes in buf not yet consumed: the start of the next reply */
} hconn_t;

typedef struct hammer {
    int port, id;
    int sent, answered, created, dropped; /* dropped: full POSTs whose client left at once */
    char numbers[HAMMER_ROUNDS * 4][80];  /* "number_ascii?code=access code" of each 201 */
    char why[256];                        /* the first failure */
} hammer_t;

static int hconn_open(hconn_t *c, int port)
{
    c->len = 0;
    c->fd = socket(AF_INET, SOCK_STREAM, 0);
    if (c->fd < 0)
        return -1;
    struct timeval tv = {.tv_sec = 60};
    setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
    if (connect(c->fd, (struct sockaddr *)&sa, sizeof sa)) {
        close(c->fd);
        c->fd = -1;
        return -1;
    }
    return 0;
}

static void hconn_close(hconn_t *c)
{
    if (c->fd >= 0)
        close(c->fd);
    c->fd = -1;
}

static int send_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* The request text of an appeal by client id, round r, part k (a text of its own each). */
static int appeal_request(char *out, size_t n, int id, int r, int k, int close_it)
{
    char body[1024];
    int bl = snprintf(body, sizeof body,
                      "{\"kind\":\"statement\",\"channel\":\"portal\",\"category\":\"heating\","
                      "\"district\":\"%s\",\"language\":\"ru\",\"text\":\"Нагрузка %d/%d/%d\","
                      "\"applicant\":{\"type\":\"individual\",\"full_name\":\"Иванов Иван\","
                      "\"iin\":\"900101300007\",\"phone\":\"+7 705 123 45 %02d\"}}",
                      id % 2 ? "ridder" : "ukg", id, r, k, id % 90 + 10);
    return snprintf(out, n,
                    "POST /api/v1/appeals HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    "Content-Type: application/json\r\nContent-Length: %d\r\n%s\r\n%s",
                    bl, close_it ? "Connection: close\r\n" : "", body);
}

/* Reads one reply on c into status and body (NUL-terminated, cut at n); 0, or -1 with why. */
static int hconn_reply(hconn_t *c, int *status, char *body, size_t n, char *why, size_t wn)
{
    char *end;
    for (;;) {
        c->buf[c->len] = '\0';
        if ((end = strstr(c->buf, "\r\n\r\n")))
            break;
        if (c->len >= sizeof c->buf - 1) {
            snprintf(why, wn, "headers too long");
            return -1;
        }
        ssize_t r = recv(c->fd, c->buf + c->len, sizeof c->buf - 1 - c->len, 0);
        if (r <= 0) {
            snprintf(why, wn, "no reply (%s) after %zu bytes", r ? strerror(errno) : "closed",
                     c->len);
            return -1;
        }
        c->len += (size_t)r;
    }
    *status = atoi(c->buf + 9);
    size_t head = (size_t)(end + 4 - c->buf), clen = 0;
    for (char *h = c->buf; h && h < end; h = strstr(h, "\r\n")) {
        h += 2;
        if (strncasecmp(h, "Content-Length:", 15) == 0)
            clen = strtoul(h + 15, NULL, 10);
    }
    if (head + clen >= sizeof c->buf) {
        snprintf(why, wn, "reply too long");
        return -1;
    }
    while (c->len < head + clen) {
        ssize_t r = recv(c->fd, c->buf + c->len, sizeof c->buf - 1 - c->len, 0);
        if (r <= 0) {
            snprintf(why, wn, "reply cut short (%s)", r ? strerror(errno) : "closed");
            return -1;
        }
        c->len += (size_t)r;
    }
    size_t bn = clen < n - 1 ? clen : n - 1;
    memcpy(body, c->buf + head, bn);
    body[bn] = '\0';
    memmove(c->buf, c->buf + head + clen, c->len - head - clen);
    c->len -= head + clen;
    return 0;
}

/* Reads one reply and checks its status: a 201 for a POST (its number kept), a 200 or a 404
 * for a read. */
static int hammer_expect(hammer_t *h, hconn_t *c, int is_post)
{
    int st = 0;
    char body[4096], why[160];
    if (hconn_reply(c, &st, body, sizeof body, why, sizeof why)) {
        if (!h->why[0])
            snprintf(h->why, sizeof h->why, "client %d: %s", h->id, why);
        return -1;
    }
    h->answered++;
    if (is_post ? st != 201 : st != 200 && st != 404) {
        if (!h->why[0])
            snprintf(h->why, sizeof h->why, "client %d: status %d: %.150s", h->id, st, body);
        return -1;
    }
    if (is_post) {
        json_t *o = json_loads(body, 0, NULL);
        const char *num = jstr(o, "number_ascii"), *code = jstr(o, "access_code");
        snprintf(h->numbers[h->created++], sizeof h->numbers[0], "%s?code=%s", num ? num : "?",
                 code ? code : "");
        json_decref(o);
    }
    return 0;
}

static void *hammer_main(void *p)
{
    hammer_t *h = p;
    hconn_t c = {.fd = -1};
    char req[8192], more[2048];
    int kind = h->id % 4;
    if (kind != 2 && hconn_open(&c, h->port)) {
        snprintf(h->why, sizeof h->why, "client %d: cannot connect", h->id);
        return NULL;
    }
    for (int r = 0; r < HAMMER_ROUNDS && !h->why[0]; r++) {
        const char *last = h->created ? h->numbers[h->created - 1] : "0";
        if (kind == 0) { /* kept alive: a write, then a read, each answered before the next */
            int n = appeal_request(req, sizeof req, h->id, r, 0, 0);
            if (send_all(c.fd, req, (size_t)n) || hammer_expect(h, &c, 1))
                break;
            n = snprintf(req, sizeof req, "GET /api/v1/track/%s HTTP/1.1\r\nHost: x\r\n\r\n", last);
            if (send_all(c.fd, req, (size_t)n) || hammer_expect(h, &c, 0))
                break;
        } else if (kind == 1) { /* pipelined: write, read, write, read in one go */
            int n = appeal_request(req, sizeof req, h->id, r, 0, 0);
            n += snprintf(req + n, sizeof req - (size_t)n,
                          "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
            appeal_request(more, sizeof more, h->id, r, 1, 0);
            n += snprintf(req + n, sizeof req - (size_t)n, "%s", more);
            n += snprintf(req + n, sizeof req - (size_t)n,
                          "GET /api/v1/track/%s HTTP/1.1\r\nHost: x\r\n\r\n", last);
            if (send_all(c.fd, req, (size_t)n) || hammer_expect(h, &c, 1) ||
                hammer_expect(h, &c, 0) || hammer_expect(h, &c, 1) || hammer_expect(h, &c, 0))
                break;
        } else if (kind == 2) { /* a connection per request, closed by the server */
            int n = appeal_request(req, sizeof req, h->id, r, 0, 1);
            if (hconn_open(&c, h->port)) {
                snprintf(h->why, sizeof h->why, "client %d: cannot connect", h->id);
                break;
            }
            if (send_all(c.fd, req, (size_t)n) || hammer_expect(h, &c, 1))
                break;
            hconn_close(&c);
        } else { /* leaves in the middle of a request, or right after sending one, then
                  * files one properly on a new connection */
            int n = appeal_request(req, sizeof req, h->id, r, 0, 0);
            if (send_all(c.fd, req, r % 2 ? (size_t)n : (size_t)n - 20))
                break;
            if (r % 2)
                h->dropped++;
            hconn_close(&c);
            if (hconn_open(&c, h->port)) {
                snprintf(h->why, sizeof h->why, "client %d: cannot connect", h->id);
                break;
            }
            n = appeal_request(req, sizeof req, h->id, r, 1, 0);
            if (send_all(c.fd, req, (size_t)n) || hammer_expect(h, &c, 1))
                break;
        }
        h->sent++;
    }
    hconn_close(&c);
    return NULL;
}

static void many_writers_and_readers_are_all_answered(void **state)
{
    (void)state;
    const char *serve[] = {"--public-limit", "0", "--threads", "4", NULL};
    assert_int_equal(srv_start(&s, NULL, serve), 0);
    static hammer_t h[HAMMER_CLIENTS];
    pthread_t th[HAMMER_CLIENTS];
    memset(h, 0, sizeof h);
    for (int i = 0; i < HAMMER_CLIENTS; i++) {
        h[i].port = s.port;
        h[i].id = i;
        assert_int_equal(pthread_create(&th[i], NULL, hammer_main, &h[i]), 0);
    }
    int created = 0, dropped = 0;
    for (int i = 0; i < HAMMER_CLIENTS; i++) {
        pthread_join(th[i], NULL);
        if (h[i].why[0])
            fail_msg("%s", h[i].why);
        assert_int_equal(h[i].sent, HAMMER_ROUNDS);
        created += h[i].created;
        dropped += h[i].dropped;
    }
    /* 6 clients of each kind, 10 rounds: 2, 4, 1 and 1 writes a round that wait */
    assert_int_equal(created, 6 * HAMMER_ROUNDS * (1 + 2 + 1 + 1));
    /* every acknowledged appeal is stored, each under a number of its own; an appeal whose
     * client left right after sending it may be stored or not */
    long stored = sql_count(s.db, "SELECT count(*) FROM appeals WHERE text LIKE 'Нагрузка %'");
    assert_true(stored >= created && stored <= created + dropped);
    assert_int_equal(sql_count(s.db, "SELECT count(DISTINCT number) FROM appeals WHERE text "
                                     "LIKE 'Нагрузка %'"),
                     stored);
    char path[128]; /* the last appeal of a kept-alive client, read back with its code */
    snprintf(path, sizeof path, "/api/v1/track/%s", h[0].numbers[HAMMER_ROUNDS - 1]);
    resp_t t = api(&s, "GET", path, NULL);
    assert_int_equal(t.status, 200);
    resp_free(&t);

    /* stopping with connections still open: idle, half a request, a write in flight */
    hconn_t idle = {.fd = -1}, half = {.fd = -1}, busy[4];
    assert_int_equal(hconn_open(&idle, s.port), 0);
    assert_int_equal(hconn_open(&half, s.port), 0);
    char req[2048];
    int n = appeal_request(req, sizeof req, 99, 0, 0, 0);
    assert_int_equal(send_all(half.fd, req, (size_t)n - 30), 0);
    for (int i = 0; i < 4; i++) {
        busy[i].fd = -1;
        assert_int_equal(hconn_open(&busy[i], s.port), 0);
        n = appeal_request(req, sizeof req, 100 + i, 0, 0, 0);
        assert_int_equal(send_all(busy[i].fd, req, (size_t)n), 0);
    }
    kill(s.pid, SIGTERM);
    int st = 0;
    pid_t w = 0;
    /* a server that cannot stop is killed after a minute, so the failure is reported */
    for (int i = 0; i < 600 && !(w = waitpid(s.pid, &st, WNOHANG)); i++)
        usleep(100000);
    if (!w) {
        kill(s.pid, SIGKILL);
        waitpid(s.pid, &st, 0);
        s.pid = 0;
        fail_msg("the server did not stop within a minute of SIGTERM");
    }
    s.pid = 0;
    assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    /* a write that was answered before the stop was committed */
    for (int i = 0; i < 4; i++) {
        int code = 0;
        char body[2048], why[160];
        if (hconn_reply(&busy[i], &code, body, sizeof body, why, sizeof why) == 0 && code == 201) {
            char q[160];
            snprintf(q, sizeof q, "SELECT count(*) FROM appeals WHERE text = 'Нагрузка %d/0/0'",
                     100 + i);
            assert_int_equal(sql_count(s.db, q), 1);
        }
        hconn_close(&busy[i]);
    }
    hconn_close(&idle);
    hconn_close(&half);
    assert_int_equal(srv_stop(&s), 0);
}

/* ==== Reads that wait leave the polling threads free (issue 19 point 7) ====
 * On PostgreSQL a read of the store runs on a request thread, its connection set aside, so
 * the polling threads never wait for PostgreSQL: with more reads blocked in PostgreSQL (a lock
 * held by hand on appeals) than the server has threads of either kind, /healthz is still
 * answered at once, and every blocked read is answered once the lock goes. With the reads on
 * the polling threads (before session 12) the blocked reads took every polling thread and
 * /healthz waited in the listen queue. */

#define BLOCKED_READS 40

/* A psql session holding an exclusive lock on tables (a list), once PostgreSQL granted it on
 * the first of them. */
static FILE *hold_lock(const char *tables, const char *first)
{
    FILE *lock = sql_session(s.db);
    assert_non_null(lock);
    fprintf(lock, "BEGIN; LOCK TABLE %s IN ACCESS EXCLUSIVE MODE;\n", tables);
    fflush(lock);
    char q[256];
    snprintf(q, sizeof q,
             "SELECT count(*) FROM pg_locks WHERE granted AND mode = 'AccessExclusiveLock' "
             "AND relation = '%s'::regclass",
             first);
    while (sql_count(s.db, q) == 0)
        usleep(20000);
    return lock;
}

/* BLOCKED_READS signed-in GETs of path on connections of their own (rd), sent once
 * `waiting` of them wait in PostgreSQL's lock queue for one of relations (a list of
 * 'name'::regclass), or 10 s went by. */
static void send_blocked(hconn_t *rd, const char *path, const char *relations, int waiting)
{
    char req[512], q[256];
    int n = snprintf(req, sizeof req,
                     "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\n\r\n", path,
                     s.bearer);
    for (int i = 0; i < BLOCKED_READS; i++) {
        assert_int_equal(hconn_open(&rd[i], s.port), 0);
        assert_int_equal(send_all(rd[i].fd, req, (size_t)n), 0);
    }
    snprintf(q, sizeof q, "SELECT count(*) FROM pg_locks WHERE NOT granted AND relation IN (%s)",
             relations);
    for (int waited = 0; waited < 500 && sql_count(s.db, q) < waiting; waited++)
        usleep(20000);
}

/* One request on a connection of its own, answered 200 within 10 s, or the test fails. */
static void answered_meanwhile(const char *request, const char *what)
{
    hconn_t c;
    assert_int_equal(hconn_open(&c, s.port), 0);
    struct timeval tv = {.tv_sec = 10};
    setsockopt(c.fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    assert_int_equal(send_all(c.fd, request, strlen(request)), 0);
    int code = 0;
    static char body[1 << 16];
    char why[160] = "";
    if (hconn_reply(&c, &code, body, sizeof body, why, sizeof why))
        fail_msg("%s: %s", what, why);
    assert_int_equal(code, 200);
    hconn_close(&c);
}

/* The lock let go, every blocked read answered 200. */
static void release_and_read_all(FILE *lock, hconn_t *rd)
{
    fputs("ROLLBACK;\n", lock);
    fflush(lock);
    pclose(lock);
    static char out[1 << 20]; /* a report of every body */
    char why[160] = "";
    for (int i = 0; i < BLOCKED_READS; i++) {
        int code = 0;
        if (hconn_reply(&rd[i], &code, out, sizeof out, why, sizeof why))
            fail_msg("blocked read %d: %s", i, why);
        assert_int_equal(code, 200);
        hconn_close(&rd[i]);
    }
}

static void reads_that_wait_leave_the_polling_threads_free(void **state)
{
    (void)state;
    /* a read of SQLite does not wait: it runs on the polling thread; this runs in make
     * test's PostgreSQL pass (a skip would count as a failure in its TAP) */
    if (!srv_pg())
        return;
    const char *serve[] = {"--threads", "8", NULL};
    assert_int_equal(srv_start(&s, NULL, serve), 0);
    add_user(&s, "sup", "supervisor", "vko.apparat", "correct horse battery");
    assert_int_equal(login(&s, "sup", "correct horse battery", NULL), 200);
    FILE *lock = hold_lock("appeals", "appeals");
    hconn_t rd[BLOCKED_READS];
    /* the reads are in PostgreSQL's lock queue: 8 request threads wait there, the others
     * wait for one of them */
    send_blocked(rd, "/api/v1/appeals?limit=1", "'appeals'::regclass", 8);
    answered_meanwhile("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
                       "/healthz with reads blocked in PostgreSQL");
    release_and_read_all(lock, rd);
    assert_int_equal(srv_stop(&s), 0);
}

/* The nice value of each thread of process pid: how many at 0 (*n0), at 10 (*n10), others. */
static int thread_nices(pid_t pid, int *n0, int *n10)
{
    char path[64], line[1024];
    *n0 = *n10 = 0;
    int other = 0;
    snprintf(path, sizeof path, "/proc/%d/task", (int)pid);
    DIR *d = opendir(path);
    if (!d)
        return -1;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char stat[320];
        snprintf(stat, sizeof stat, "/proc/%d/task/%s/stat", (int)pid, e->d_name);
        FILE *f = fopen(stat, "r");
        if (!f)
            continue; /* a thread that just ended */
        int nice = 99;
        const char *p = fgets(line, sizeof line, f) ? strrchr(line, ')') : NULL;
        /* after the name: state, then fields 4..19 of proc(5); the 19th is nice */
        if (p && sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %d",
                        &nice) == 1)
            *(nice == 0 ? n0 : nice == 10 ? n10 : &other) += 1;
        fclose(f);
    }
    closedir(d);
    return other;
}

/* Long reads (reports, the dashboard, search, exports) run on threads of their own, four a
 * polling thread, at nice 10 where every other thread of the server is at 0: on a busy
 * machine intake and the quick reads go first. And however many long reads wait, a write
 * still finds a request thread: on PostgreSQL, 40 scorecards held by a lock on the tables
 * they read, then a sign-in, which the 8 request threads all waiting on reports would have
 * left unanswered; the same with 40 exports of appeals. */
static void long_reads_leave_the_request_threads_to_writes(void **state)
{
    (void)state;
    const char *serve[] = {"--threads", "8", NULL};
    assert_int_equal(srv_start(&s, NULL, serve), 0);
    int n0 = 0, n10 = 0;
    for (int waited = 0; waited < 250 && n10 < 8; waited++) /* each sets its own as it starts */
        if (thread_nices(s.pid, &n0, &n10) || n10 < 8)
            usleep(20000);
    assert_int_equal(thread_nices(s.pid, &n0, &n10), 0);
    assert_true(n10 >= 8 && n10 % 4 == 0); /* at least two polling threads */
    assert_true(n0 >= 8 + 2 + 1);          /* the request and polling threads, the writer */
    add_user(&s, "sup", "supervisor", "vko.apparat", "correct horse battery");
    assert_int_equal(login(&s, "sup", "correct horse battery", NULL), 200);
    if (!srv_pg()) { /* SQLite's reads never wait for a lock */
        assert_int_equal(srv_stop(&s), 0);
        return;
    }
    FILE *lock = hold_lock("stat_month, stat_day", "stat_month");
    hconn_t rd[BLOCKED_READS];
    /* every long reads' thread waits in PostgreSQL's lock queue, the other reports for one */
    send_blocked(rd, "/api/v1/scorecards?body=ridder",
                 "'stat_month'::regclass, 'stat_day'::regclass", n10);
    const char *body = "{\"login\":\"sup\",\"password\":\"correct horse battery\"}";
    char post[512];
    snprintf(post, sizeof post,
             "POST /api/v1/session HTTP/1.1\r\nHost: 127.0.0.1\r\n"
             "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
             strlen(body), body);
    answered_meanwhile(post, "a sign-in with reports waiting");
    release_and_read_all(lock, rd);
    /* an export of appeals, whose reads go to a request thread on PostgreSQL, goes on to the
     * long reads' threads: 40 of them waiting leave the sign-in a request thread */
    lock = hold_lock("appeals", "appeals");
    send_blocked(rd, "/api/v1/appeals?format=csv", "'appeals'::regclass", n10);
    answered_meanwhile(post, "a sign-in with exports waiting");
    release_and_read_all(lock, rd);
    assert_int_equal(srv_stop(&s), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(sigterm_lets_a_request_in_flight_finish, stop),
        cmocka_unit_test_teardown(access_log_names_the_client, stop),
        cmocka_unit_test_teardown(json_log_is_one_object_a_line, stop),
        cmocka_unit_test_teardown(systemd_hears_ready_and_stopping, stop),
        cmocka_unit_test_teardown(many_writers_and_readers_are_all_answered, stop),
        cmocka_unit_test_teardown(reads_that_wait_leave_the_polling_threads_free, stop),
        cmocka_unit_test_teardown(long_reads_leave_the_request_threads_to_writes, stop),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
