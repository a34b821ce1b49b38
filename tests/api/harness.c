#include "harness.h"

#include <curl/curl.h>
#include <fcntl.h>
#include <libgen.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/prctl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static void find_bin(srv_t *s)
{
    char self[512];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    self[n > 0 ? n : 0] = '\0';
    /* <build>/tests/api/NAME -> <build>/otinish */
    char *d = dirname(dirname(dirname(self)));
    snprintf(s->bin, sizeof s->bin, "%s/otinish", d);
}

static pid_t spawn(const char *bin, const char *const *args, int out_fd, int in_fd)
{
    const char *argv[64];
    int n = 0;
    argv[n++] = bin;
    for (int i = 0; args && args[i] && n < 62; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0) {
        /* a server a failed test left running (its srv_stop skipped) ends with this program,
         * not later by hand */
        if (prctl(PR_SET_PDEATHSIG, SIGTERM) != 0 || getppid() != parent)
            _exit(127);
        if (out_fd >= 0)
            dup2(out_fd, 1);
        if (in_fd >= 0)
            dup2(in_fd, 0);
        execv(bin, (char *const *)argv);
        _exit(127);
    }
    return pid;
}

int sink_start(const char *script, const char *dir, pid_t *pid)
{
    char cmd[400];
    *pid = 0;
    snprintf(cmd, sizeof cmd, "mkdir -p '%s'", dir);
    if (system(cmd) != 0)
        return -1;
    *pid = fork();
    if (*pid == 0) {
        execl("/usr/bin/python3", "python3", script, dir, (char *)NULL);
        _exit(127);
    }
    char path[400];
    snprintf(path, sizeof path, "%s/port", dir);
    for (int i = 0; i < 200; i++) {
        FILE *f = fopen(path, "r");
        int port = 0;
        if (f) {
            if (fscanf(f, "%d", &port) != 1)
                port = 0;
            fclose(f);
        }
        if (port > 0)
            return port;
        usleep(50000);
    }
    fprintf(stderr, "%s did not start\n", script);
    return -1;
}

void sink_stop(pid_t pid)
{
    if (pid > 0) {
        kill(pid, SIGTERM);
        waitpid(pid, NULL, 0);
    }
}

/* ==== PostgreSQL (OTINISH_TEST_PG=1): one server per test program ====
 *
 * Debian's postgresql-15 binaries, a cluster made by initdb in a temporary directory and
 * started by pg_ctl on a unix socket there (no TCP), as an unprivileged user: `nobody` when
 * the tests run as root (PostgreSQL refuses root), else the user running them. Each
 * srv_start gets a database of its own (createdb). The server is stopped and its directory
 * removed at exit; a watcher process does it too if the test program dies without exiting. */
#define PG_BIN "/usr/lib/postgresql/15/bin"

static struct {
    int on;
    int standby; /* srv_pg_standby started one */
    char dir[128];
    char opts[400];
    int n;
} pg;

/* OTINISH_TEST_ONLY=PATTERN runs only the tests whose names match (cmocka's filter: `*`
 * and `?`), e.g. OTINISH_TEST_ONLY='lost_*' build/tests/api/foundation. It must be set
 * before main's cmocka_run_group_tests, hence a constructor. */
__attribute__((constructor)) static void test_only(void)
{
    const char *only = getenv("OTINISH_TEST_ONLY");
    if (only && *only)
        cmocka_set_test_filter(only);
}

int srv_pg(void)
{
    const char *e = getenv("OTINISH_TEST_PG");
    return e && *e && strcmp(e, "0") != 0;
}

/* Runs argv as the cluster's owner, quiet; its exit status. */
static int pg_run(const char *const *argv)
{
    pid_t pid = fork();
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        if (null >= 0) {
            dup2(null, 1);
            if (!getenv("OTINISH_TEST_PG_VERBOSE"))
                dup2(null, 2);
        }
        if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0))
            _exit(126);
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    int st = 0;
    waitpid(pid, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

static void pg_stop(void)
{
    if (!pg.on)
        return;
    pg.on = 0;
    char data[200], cmd[300];
    if (pg.standby) {
        snprintf(data, sizeof data, "%s/standby", pg.dir);
        const char *sstop[] = {PG_BIN "/pg_ctl", "-D", data, "-m", "immediate", "-w", "stop", NULL};
        pg_run(sstop);
    }
    snprintf(data, sizeof data, "%s/data", pg.dir);
    const char *stop[] = {PG_BIN "/pg_ctl", "-D", data, "-m", "immediate", "-w", "stop", NULL};
    pg_run(stop);
    /* OTINISH_TEST_PG_LOG=FILE keeps the server's log (its errors name the statement) */
    const char *keep = getenv("OTINISH_TEST_PG_LOG");
    if (keep && *keep) {
        snprintf(cmd, sizeof cmd, "cp '%s/log' '%s'", pg.dir, keep);
        if (system(cmd) != 0)
            fprintf(stderr, "harness: cannot keep the log in %s\n", keep);
    }
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", pg.dir);
    if (system(cmd) != 0)
        fprintf(stderr, "harness: cannot remove %s\n", pg.dir);
}

static int pg_start(void)
{
    snprintf(pg.dir, sizeof pg.dir, "/tmp/otinish-pg-XXXXXX");
    if (!mkdtemp(pg.dir))
        return -1;
    char data[200], sock[200], opts[400], log[200];
    snprintf(data, sizeof data, "%s/data", pg.dir);
    snprintf(sock, sizeof sock, "%s/sock", pg.dir);
    snprintf(log, sizeof log, "%s/log", pg.dir);
    mkdir(sock, 0755);
    if (geteuid() == 0 && (chown(pg.dir, 65534, 65534) != 0 || chown(sock, 65534, 65534) != 0))
        return -1;
    /* the C collation: text compares byte by byte, as in SQLite (docs/postgresql.md) */
    const char *init[] = {PG_BIN "/initdb", "-D", data,   "-U", "otinish", "--auth=trust",
                          "--no-locale",    "-E", "UTF8", "-N", NULL};
    if (pg_run(init) != 0) {
        fprintf(stderr, "harness: initdb failed\n");
        return -1;
    }
    /* fsync off: the tests check behaviour, not durability through a power cut */
    snprintf(opts, sizeof opts,
             "-k %s -c listen_addresses='' -c fsync=off -c full_page_writes=off"
             " -c max_connections=300 -c shared_buffers=16MB",
             sock);
    snprintf(pg.opts, sizeof pg.opts, "%s", opts);
    const char *start[] = {PG_BIN "/pg_ctl", "-D", data, "-l", log, "-w", "-o", opts,
                           "start",          NULL};
    pg.on = 1; /* from here on, stopped at exit */
    atexit(pg_stop);
    if (pg_run(start) != 0) {
        fprintf(stderr, "harness: pg_ctl start failed (log in %s)\n", log);
        return -1;
    }
    /* the watcher: stops the server when this program ends without running atexit */
    int p[2];
    if (pipe(p) == 0) {
        pid_t w = fork();
        if (w == 0) {
            close(p[1]);
            char c;
            while (read(p[0], &c, 1) > 0)
                ;
            struct stat sb;
            char sdata[220];
            snprintf(sdata, sizeof sdata, "%s/standby", pg.dir);
            if (stat(sdata, &sb) == 0) {
                const char *sstop[] = {PG_BIN "/pg_ctl", "-D", sdata,  "-m",
                                       "immediate",      "-w", "stop", NULL};
                pg_run(sstop);
            }
            if (stat(data, &sb) == 0) {
                const char *stop[] = {PG_BIN "/pg_ctl", "-D", data,   "-m",
                                      "immediate",      "-w", "stop", NULL};
                pg_run(stop);
                char cmd[300];
                snprintf(cmd, sizeof cmd, "rm -rf '%s'", pg.dir);
                if (system(cmd) != 0)
                    _exit(1);
            }
            _exit(0);
        }
        close(p[0]);
        fcntl(p[1], F_SETFD, FD_CLOEXEC); /* held by this program only */
    }
    return 0;
}

int srv_pg_server(int up)
{
    if (!pg.on)
        return -1;
    char data[200], log[200];
    snprintf(data, sizeof data, "%s/data", pg.dir);
    snprintf(log, sizeof log, "%s/log", pg.dir);
    const char *stop[] = {PG_BIN "/pg_ctl", "-D", data, "-m", "fast", "-w", "stop", NULL};
    const char *start[] = {PG_BIN "/pg_ctl", "-D",    data, "-l", log, "-w", "-o",
                           pg.opts,          "start", NULL};
    return pg_run(up ? start : stop) == 0 ? 0 : -1;
}

int srv_pg_standby(const char *uri, char *out, size_t n)
{
    if (!pg.on || pg.standby || strncmp(uri, "postgresql:///", 14) != 0)
        return -1;
    char data[200], sock[200], ssock[200], log[200], opts[400];
    snprintf(data, sizeof data, "%s/standby", pg.dir);
    snprintf(sock, sizeof sock, "%s/sock", pg.dir);
    snprintf(ssock, sizeof ssock, "%s/ssock", pg.dir);
    snprintf(log, sizeof log, "%s/slog", pg.dir);
    mkdir(ssock, 0755);
    if (geteuid() == 0 && chown(ssock, 65534, 65534) != 0)
        return -1;
    /* a copy of the whole cluster with the WAL it needs, and -R: standby.signal and
     * primary_conninfo, so it follows the primary over streaming replication */
    const char *base[] = {PG_BIN "/pg_basebackup",
                          "-D",
                          data,
                          "-R",
                          "-h",
                          sock,
                          "-U",
                          "otinish",
                          "-c",
                          "fast",
                          "-X",
                          "stream",
                          NULL};
    if (pg_run(base) != 0) {
        fprintf(stderr, "harness: pg_basebackup failed\n");
        return -1;
    }
    snprintf(opts, sizeof opts,
             "-k %s -c listen_addresses='' -c fsync=off -c hot_standby=on"
             " -c max_connections=300 -c shared_buffers=16MB",
             ssock);
    const char *start[] = {PG_BIN "/pg_ctl", "-D", data, "-l", log, "-w", "-o", opts,
                           "start",          NULL};
    pg.standby = 1; /* stopped with the primary */
    if (pg_run(start) != 0) {
        fprintf(stderr, "harness: the standby did not start (log in %s)\n", log);
        return -1;
    }
    /* the same database, on the standby's socket */
    const char *q = strchr(uri, '?');
    snprintf(out, n, "%.*s?host=%s&user=otinish", q ? (int)(q - uri) : (int)strlen(uri), uri,
             ssock);
    return 0;
}

/* A new database on the test cluster; its URI in out. */
static int pg_new_db(char *out, size_t n);
int srv_pg_new_db(char *out, size_t n)
{
    return pg_new_db(out, n);
}

static int pg_new_db(char *out, size_t n)
{
    if (!pg.on && pg_start() != 0)
        return -1;
    char name[64], sock[200];
    snprintf(name, sizeof name, "t%d_%d", (int)getpid(), ++pg.n);
    snprintf(sock, sizeof sock, "%s/sock", pg.dir);
    const char *create[] = {PG_BIN "/createdb", "-h", sock, "-U", "otinish", name, NULL};
    if (pg_run(create) != 0) {
        fprintf(stderr, "harness: createdb %s failed\n", name);
        return -1;
    }
    snprintf(out, n, "postgresql:///%s?host=%s&user=otinish", name, sock);
    return 0;
}

void kz_day(int n, char out[11])
{
    time_t t = time(NULL) + 5 * 3600 + (time_t)n * 86400;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

void sql_query(const char *db, const char *sql, char *out, size_t n)
{
    char cmd[1200];
    if (strncmp(db, "postgresql://", 13) == 0)
        snprintf(cmd, sizeof cmd, PG_BIN "/psql -X -q -A -t -v ON_ERROR_STOP=1 -d '%s' -c \"%s\"",
                 db, sql);
    else
        snprintf(cmd, sizeof cmd, "sqlite3 '%s' \"%s\"", db, sql);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t len = fread(out, 1, n - 1, p);
    out[len] = '\0';
    assert_int_equal(pclose(p), 0);
}

/* After rows written with explicit ids, PostgreSQL's identity sequences would hand the same
 * ids out again (SQLite takes the largest rowid + 1): each is moved past its column's max. */
#define PG_SYNC_IDS                                                                                \
    "DO $$DECLARE r record; BEGIN FOR r IN SELECT table_name t, column_name c"                     \
    " FROM information_schema.columns WHERE is_identity = 'YES' AND table_schema = 'public'"       \
    " LOOP EXECUTE format('SELECT setval(pg_get_serial_sequence(%L, %L),"                          \
    " coalesce((SELECT max(%I) FROM %I), 0) + 1, false)', r.t, r.c, r.c, r.t); END LOOP; END$$;\n"

void sql_exec(const char *db, const char *sql)
{
    char path[] = "/tmp/otinish-sql-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    int pgdb = strncmp(db, "postgresql://", 13) == 0;
    fputs(pgdb ? "\\set ON_ERROR_STOP 1\n" : ".timeout 5000\n.bail on\n", f);
    fputs(sql, f);
    fputs(pgdb ? ";\n" PG_SYNC_IDS : ";\n", f);
    fclose(f);
    char cmd[1200];
    if (pgdb)
        snprintf(cmd, sizeof cmd, PG_BIN "/psql -X -q -d '%s' -f '%s' >/dev/null", db, path);
    else
        snprintf(cmd, sizeof cmd, "sqlite3 '%s' < '%s'", db, path);
    int rc = system(cmd);
    unlink(path);
    assert_int_equal(rc, 0);
}

void sql_copy_db(srv_t *s, const char *name, char *out, size_t n)
{
    char cmd[1400];
    if (strncmp(s->db, "postgresql://", 13) == 0) {
        assert_int_equal(pg_new_db(out, n), 0);
        snprintf(cmd, sizeof cmd,
                 PG_BIN "/pg_dump -d '%s' | " PG_BIN "/psql -X -q -d '%s' >/dev/null", s->db, out);
        (void)name;
    } else {
        snprintf(out, n, "%s/%s", s->dir, name);
        snprintf(cmd, sizeof cmd, "sqlite3 '%s' \".backup '%s'\"", s->db, out);
    }
    assert_int_equal(system(cmd), 0);
}

FILE *sql_session(const char *db)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, PG_BIN "/psql -X -q -v ON_ERROR_STOP=1 -d '%s' >/dev/null", db);
    FILE *p = popen(cmd, "we"); /* not inherited by the servers started later */
    assert_non_null(p);
    return p;
}

long sql_count(const char *db, const char *sql)
{
    char out[64];
    sql_query(db, sql, out, sizeof out);
    return strtol(out, NULL, 10);
}

int run_otinish(srv_t *s, const char *const *args, const char *input, char *out, size_t n)
{
    int op[2], ip[2] = {-1, -1};
    if (pipe(op))
        return -1;
    if (input && pipe(ip))
        return -1;
    pid_t pid = spawn(s->bin, args, op[1], ip[0]);
    close(op[1]);
    if (input) {
        close(ip[0]);
        ssize_t w = write(ip[1], input, strlen(input));
        (void)w;
        close(ip[1]);
    }
    size_t got = 0;
    char tmp[4096];
    ssize_t r;
    while ((r = read(op[0], tmp, sizeof tmp)) > 0) {
        if (out && got + 1 < n) {
            size_t k = (size_t)r < n - 1 - got ? (size_t)r : n - 1 - got;
            memcpy(out + got, tmp, k);
            got += k;
        }
    }
    if (out && n)
        out[got] = '\0';
    close(op[0]);
    int st = 0;
    waitpid(pid, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

int srv_start(srv_t *s, const char *const *init_args, const char *const *serve_args)
{
    return srv_start_bin(s, NULL, init_args, serve_args);
}

int srv_start_bin(srv_t *s, const char *bin, const char *const *init_args,
                  const char *const *serve_args)
{
    memset(s, 0, sizeof *s);
    if (bin)
        snprintf(s->bin, sizeof s->bin, "%s", bin);
    else
        find_bin(s);
    snprintf(s->dir, sizeof s->dir, "/tmp/otinish-test-XXXXXX");
    if (!mkdtemp(s->dir))
        return -1;
    snprintf(s->db, sizeof s->db, "%s/t.db", s->dir);
    if (srv_pg()) {
        if (pg_new_db(s->db, sizeof s->db) != 0)
            return -1;
        /* attachments of a PostgreSQL store live in a folder of their own (docs/postgresql.md) */
        char att[300];
        snprintf(att, sizeof att, "%s/attachments", s->dir);
        setenv("OTINISH_ATTACHMENTS", att, 1);
    }
    const char *iargs[32] = {"init", "--db", s->db};
    int n = 3;
    for (int i = 0; init_args && init_args[i] && n < 30; i++)
        iargs[n++] = init_args[i];
    iargs[n] = NULL;
    if (run_otinish(s, iargs, NULL, NULL, 0) != 0) {
        fprintf(stderr, "harness: otinish init failed\n");
        return -1;
    }
    return srv_serve(s, serve_args);
}

int srv_serve(srv_t *s, const char *const *serve_args)
{
    const char *sargs[32] = {"serve", "--db", s->db, "--listen", "127.0.0.1:0", "--threads", "8"};
    int n = 7;
    for (int i = 0; serve_args && serve_args[i] && n < 30; i++)
        sargs[n++] = serve_args[i];
    sargs[n] = NULL;
    int p[2];
    if (pipe(p))
        return -1;
    char logpath[400];
    snprintf(logpath, sizeof logpath, "%s/serve.log", s->dir);
    int saved = fcntl(2, F_DUPFD_CLOEXEC, 0); /* not inherited: a server left running by a
                                               * failed test must not hold the output open */
    int lf = open(logpath, O_WRONLY | O_CREAT | O_APPEND, 0644);
    dup2(lf, 2); /* the server's log goes to the temp dir, not the test output */
    s->pid = spawn(s->bin, sargs, p[1], -1);
    dup2(saved, 2);
    close(saved);
    close(lf);
    close(p[1]);
    char line[256];
    size_t got = 0;
    /* a server that does not start (its start waits on a lock, say) fails the test in 2
     * minutes instead of holding it up for ever */
    struct pollfd pf = {p[0], POLLIN, 0};
    while (got < sizeof line - 1 && poll(&pf, 1, 120000) == 1) {
        ssize_t r = read(p[0], line + got, 1);
        if (r <= 0)
            break;
        if (line[got++] == '\n')
            break;
    }
    line[got] = '\0';
    close(p[0]);
    const char *colon = strrchr(line, ':');
    if (strncmp(line, "listening on ", 13) != 0 || !colon) {
        fprintf(stderr, "harness: server did not start: '%s'\n", line);
        if (s->pid > 0)
            kill(s->pid, SIGKILL); /* one stuck in its start may not heed SIGTERM */
        srv_stop(s);
        return -1;
    }
    s->port = atoi(colon + 1);
    snprintf(s->base, sizeof s->base, "http://127.0.0.1:%d", s->port);
    if (!s->curl)
        s->curl = curl_easy_init();
    return 0;
}

int srv_list_scale(srv_t *s, const char *const *serve_args, const char *scale)
{
    if (scale)
        setenv("OTINISH_LIST_SCALE", scale, 1);
    else
        unsetenv("OTINISH_LIST_SCALE");
    return srv_halt(s) || srv_serve(s, serve_args);
}

int srv_halt(srv_t *s)
{
    int bad = 0;
    if (s->pid > 0) {
        kill(s->pid, SIGTERM);
        int st;
        waitpid(s->pid, &st, 0);
        bad = !WIFEXITED(st) || WEXITSTATUS(st) != 0;
        if (bad) {
            char cmd[400];
            fprintf(stderr, "harness: server exited badly (status %d); its log:\n", st);
            snprintf(cmd, sizeof cmd, "tail -n 40 %s/serve.log >&2", s->dir);
            if (system(cmd) != 0)
                fprintf(stderr, "(no log)\n");
        }
        s->pid = 0;
    }
    return bad ? -1 : 0;
}

int srv_stop(srv_t *s)
{
    if (s->curl)
        curl_easy_cleanup(s->curl);
    s->curl = NULL;
    int bad = srv_halt(s);
    if (s->dir[0]) {
        char cmd[300];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", s->dir);
        if (system(cmd) != 0)
            fprintf(stderr, "harness: cannot remove %s\n", s->dir);
        s->dir[0] = '\0';
    }
    return bad;
}

static size_t on_body(char *p, size_t sz, size_t nm, void *ud)
{
    resp_t *r = ud;
    size_t n = sz * nm;
    char *nb = realloc(r->body, r->len + n + 1);
    if (!nb)
        return 0;
    r->body = nb;
    memcpy(r->body + r->len, p, n);
    r->len += n;
    r->body[r->len] = '\0';
    return n;
}

static size_t on_header(char *p, size_t sz, size_t nm, void *ud)
{
    resp_t *r = ud;
    size_t n = sz * nm, have = strlen(r->headers);
    if (have + n + 1 < sizeof r->headers) {
        memcpy(r->headers + have, p, n);
        r->headers[have + n] = '\0';
    }
    return n;
}

/* One request on the handle c with s's base, headers, bearer and source address. */
static resp_t perform(srv_t *s, CURL *c, const char *method, const char *path,
                      const char *content_type, const char *body, size_t body_len)
{
    resp_t r;
    memset(&r, 0, sizeof r);
    char ct[256], auth[200];
    /* any length: a fixed buffer cut long queries short (the tests of many parameters) */
    size_t ul = strlen(s->base) + strlen(path) + 1;
    char *url = malloc(ul);
    assert_non_null(url);
    snprintf(url, ul, "%s%s", s->base, path);
    curl_easy_reset(c);
    curl_easy_setopt(c, CURLOPT_URL, url); /* libcurl keeps its own copy */
    free(url);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &r);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &r);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
    if (s->from) { /* a connection of its own, never reused by a request from elsewhere */
        curl_easy_setopt(c, CURLOPT_INTERFACE, s->from);
        curl_easy_setopt(c, CURLOPT_FRESH_CONNECT, 1L);
        curl_easy_setopt(c, CURLOPT_FORBID_REUSE, 1L);
    }
    struct curl_slist *h = NULL;
    if (body) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_len);
        snprintf(ct, sizeof ct, "Content-Type: %s",
                 content_type ? content_type : "application/json");
        h = curl_slist_append(h, ct);
    } else if (strcmp(method, "HEAD") == 0)
        curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
    h = curl_slist_append(h, "Expect:");
    for (int i = 0; i < 8 && s->headers[i]; i++)
        h = curl_slist_append(h, s->headers[i]);
    if (s->bearer[0]) {
        snprintf(auth, sizeof auth, "Authorization: Bearer %s", s->bearer);
        h = curl_slist_append(h, auth);
    }
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    CURLcode rc = curl_easy_perform(c);
    curl_slist_free_all(h);
    if (rc != CURLE_OK) {
        fprintf(stderr, "harness: %s %s: %s\n", method, path, curl_easy_strerror(rc));
        r.status = -1;
        return r;
    }
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
    if (r.body)
        r.json = json_loadb(r.body, r.len, 0, NULL);
    return r;
}

resp_t api_raw(srv_t *s, const char *method, const char *path, const char *content_type,
               const char *body, size_t body_len)
{
    return perform(s, s->curl, method, path, content_type, body, body_len);
}

struct par {
    srv_t *s;
    pthread_barrier_t *go;
    const char *method, *path, *body;
    resp_t r;
};

static void *par_one(void *arg)
{
    struct par *p = arg;
    CURL *c = curl_easy_init();
    pthread_barrier_wait(p->go);
    p->r = perform(p->s, c, p->method, p->path, NULL, p->body, p->body ? strlen(p->body) : 0);
    curl_easy_cleanup(c);
    return NULL;
}

void api_parallel(srv_t *s, int n, const char *method, const char *path,
                  const char *const *json_bodies, resp_t *out)
{
    pthread_t t[API_PARALLEL_MAX];
    struct par p[API_PARALLEL_MAX];
    pthread_barrier_t go;
    assert_true(n > 0 && n <= API_PARALLEL_MAX);
    pthread_barrier_init(&go, NULL, (unsigned)n);
    for (int i = 0; i < n; i++) {
        p[i] = (struct par){s, &go, method, path, json_bodies ? json_bodies[i] : NULL, {0}};
        assert_int_equal(pthread_create(&t[i], NULL, par_one, &p[i]), 0);
    }
    for (int i = 0; i < n; i++) {
        pthread_join(t[i], NULL);
        out[i] = p[i].r;
    }
    pthread_barrier_destroy(&go);
}

resp_t api(srv_t *s, const char *method, const char *path, const char *json_body)
{
    return api_raw(s, method, path, NULL, json_body, json_body ? strlen(json_body) : 0);
}

void resp_free(resp_t *r)
{
    free(r->body);
    json_decref(r->json);
    memset(r, 0, sizeof *r);
}

const char *resp_header(const resp_t *r, const char *name, char *out, size_t n)
{
    size_t nl = strlen(name);
    for (const char *p = r->headers; *p;) {
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        if (len > nl && strncasecmp(p, name, nl) == 0 && p[nl] == ':') {
            const char *v = p + nl + 1;
            while (*v == ' ')
                v++;
            size_t vl = (size_t)(p + len - v);
            while (vl && (v[vl - 1] == '\r' || v[vl - 1] == ' '))
                vl--;
            if (vl >= n)
                vl = n - 1;
            memcpy(out, v, vl);
            out[vl] = '\0';
            return out;
        }
        p += len + (eol ? 1 : 0);
    }
    return NULL;
}

const char *jstr(const json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

long long jnum(const json_t *o, const char *k)
{
    return (long long)json_integer_value(json_object_get(o, k));
}

static char *path_buf(void)
{
    static char buf[8][2048];
    static int k;
    return buf[k++ % 8];
}

const char *api_path(srv_t *s, const char *prefix, const char *seg, const char *suffix)
{
    char *e = curl_easy_escape(s->curl, seg, 0);
    char *p = path_buf();
    snprintf(p, 2048, "%s%s%s", prefix, e ? e : "", suffix ? suffix : "");
    curl_free(e);
    return p;
}

const char *url_enc(srv_t *s, const char *x)
{
    return api_path(s, "", x, NULL);
}

void expect_error(const resp_t *r, long status, const char *code, const char *field)
{
    if (r->status != status)
        fprintf(stderr, "expected %ld, got %ld: %s\n", status, r->status, r->body ? r->body : "");
    assert_int_equal(r->status, status);
    assert_non_null(r->json);
    json_t *e = json_object_get(r->json, "error");
    assert_non_null(e);
    assert_non_null(json_string_value(json_object_get(e, "message")));
    if (code)
        assert_string_equal(json_string_value(json_object_get(e, "code")), code);
    if (field)
        assert_string_equal(json_string_value(json_object_get(e, "field")), field);
}

static srv_t default_srv;

int srv_setup(void **state)
{
    if (srv_start(&default_srv, NULL, NULL))
        return -1;
    *state = &default_srv;
    return 0;
}

int srv_teardown(void **state)
{
    /* a server that exits badly (a crash, a leak under LeakSanitizer) fails the program; a
     * setup that failed before setting the state has failed the program already */
    return *state ? srv_stop(*state) : 0;
}

void add_user(srv_t *s, const char *login_name, const char *role, const char *body,
              const char *password)
{
    char input[300], out[512];
    snprintf(input, sizeof input, "%s\n", password);
    const char *args[] = {"user",     "add",    "--db",      s->db,        "--login",
                          login_name, "--name", "Test User", "--position", "Specialist",
                          "--role",   role,     "--body",    body,         NULL};
    int rc = run_otinish(s, args, input, out, sizeof out);
    if (rc != 0)
        fprintf(stderr, "add_user %s: exit %d: %s\n", login_name, rc, out);
    assert_int_equal(rc, 0);
}

long login(srv_t *s, const char *login_name, const char *password, char *csrf)
{
    json_t *b = json_pack("{s:s, s:s}", "login", login_name, "password", password);
    char *text = json_dumps(b, 0);
    json_decref(b);
    s->bearer[0] = '\0';
    resp_t r = api(s, "POST", "/api/v1/session", text);
    free(text);
    if (r.status == 200) {
        snprintf(s->bearer, sizeof s->bearer, "%s",
                 json_string_value(json_object_get(r.json, "token")));
        if (csrf)
            snprintf(csrf, 64, "%s", json_string_value(json_object_get(r.json, "csrf")));
    }
    long st = r.status;
    resp_free(&r);
    return st;
}

int sign_in_all(srv_t *s, const char *const *logins, const char *pw)
{
    for (int i = 0; logins[i]; i++) {
        if (s->n_staff == (int)(sizeof s->staff / sizeof s->staff[0]))
            return -1;
        json_t *b = json_pack("{s:s, s:s}", "login", logins[i], "password", pw);
        char *text = json_dumps(b, 0);
        json_decref(b);
        s->bearer[0] = '\0';
        resp_t r = api(s, "POST", "/api/v1/session", text);
        free(text);
        if (r.status != 200) {
            resp_free(&r);
            return -1;
        }
        srv_staff_t *e = &s->staff[s->n_staff++];
        snprintf(e->login, sizeof e->login, "%s", logins[i]);
        snprintf(e->token, sizeof e->token, "%s",
                 json_string_value(json_object_get(r.json, "token")));
        e->id = (long)json_integer_value(json_object_get(json_object_get(r.json, "user"), "id"));
        resp_free(&r);
    }
    return 0;
}

void as(srv_t *s, const char *login_name)
{
    s->bearer[0] = '\0';
    for (int i = 0; login_name && i < s->n_staff; i++)
        if (!strcmp(s->staff[i].login, login_name))
            snprintf(s->bearer, sizeof s->bearer, "%s", s->staff[i].token);
}

long staff_id(srv_t *s, const char *login_name)
{
    for (int i = 0; i < s->n_staff; i++)
        if (!strcmp(s->staff[i].login, login_name))
            return s->staff[i].id;
    return 0;
}
