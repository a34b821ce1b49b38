/* `otinish serve` as a service manager runs it: SIGTERM lets a request in flight finish and
 * its write commit; the log is one line per event, with the client's address in the access
 * log, as text or (--log-format json) as JSON objects; systemd's NOTIFY_SOCKET hears READY=1
 * once the server answers, and STOPPING=1 on SIGTERM. */
#include "harness.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(sigterm_lets_a_request_in_flight_finish, stop),
        cmocka_unit_test_teardown(access_log_names_the_client, stop),
        cmocka_unit_test_teardown(json_log_is_one_object_a_line, stop),
        cmocka_unit_test_teardown(systemd_hears_ready_and_stopping, stop),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
