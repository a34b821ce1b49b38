/* The configuration file: every command reads it, a flag overrides it, `otinish config
 * check` shows each setting's origin, and a bad line is named by file, line and key. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static srv_t S;
static char conf[400];

/* Writes text to the file conf. */
static void write_conf(const char *text)
{
    FILE *f = fopen(conf, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* Runs otinish with args (a shell word list) and returns its exit status; out gets stdout
 * and stderr together. */
static int sh(srv_t *s, const char *args, char *out, size_t n)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "'%s' %s 2>&1", s->bin, args);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t len = fread(out, 1, n - 1, p);
    out[len] = '\0';
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

/* The line of `config check` output for key (copied into line), asserted present. */
static const char *setting(const char *out, const char *key, char *line, size_t n)
{
    char pat[64];
    snprintf(pat, sizeof pat, "\n%s ", key);
    const char *p = strstr(out, pat);
    assert_non_null(p);
    p++;
    size_t len = strcspn(p, "\n");
    snprintf(line, n, "%.*s", (int)(len < n ? len : n - 1), p);
    return line;
}

static int setup(void **state)
{
    if (srv_start(&S, NULL, NULL))
        return -1;
    snprintf(conf, sizeof conf, "%s/otinish.conf", S.dir);
    *state = &S;
    return 0;
}

static int teardown(void **state)
{
    return srv_stop(*state);
}

static void every_command_reads_the_file_and_flags_win(void **state)
{
    srv_t *s = *state;
    char text[1024], out[4096], args[1200];
    snprintf(text, sizeof text, "# the test's database\n\ndb = %s\n", s->db);
    write_conf(text);
    /* no --db: the file's database (the default var/otinish.db does not exist here) */
    snprintf(args, sizeof args, "audit verify --config '%s'", conf);
    assert_int_equal(sh(s, args, out, sizeof out), 0);
    assert_non_null(strstr(out, "OK "));
    snprintf(args, sizeof args, "apikey list --config='%s'", conf);
    assert_int_equal(sh(s, args, out, sizeof out), 0);
    /* the flag wins over the file */
    snprintf(args, sizeof args, "audit verify --config '%s' --db /nonexistent/x.db", conf);
    assert_int_equal(sh(s, args, out, sizeof out), 1);
    assert_non_null(strstr(out, "no database at /nonexistent/x.db"));
    /* OTINISH_CONFIG names the file too */
    setenv("OTINISH_CONFIG", conf, 1);
    int rc = sh(s, "audit verify", out, sizeof out);
    unsetenv("OTINISH_CONFIG");
    assert_int_equal(rc, 0);
}

static void serve_takes_its_settings_from_the_file(void **state)
{
    srv_t *s = *state;
    srv_t t;
    char text[256];
    snprintf(text, sizeof text, "public-limit = 2\naccess-log = off\n");
    write_conf(text);
    const char *serve[] = {"--config", conf, NULL};
    assert_int_equal(srv_start(&t, NULL, serve), 0);
    long st[3];
    for (int i = 0; i < 3; i++) {
        resp_t r = api(&t, "GET", "/api/v1/track/X-1?code=AAAAAAAAAAAA", NULL);
        st[i] = r.status;
        resp_free(&r);
    }
    assert_int_equal(srv_stop(&t), 0);
    assert_int_equal(st[1], 404);
    assert_int_equal(st[2], 429); /* the file's limit of 2 a minute */
    /* a flag overrides it */
    const char *flag[] = {"--config", conf, "--public-limit", "0", NULL};
    assert_int_equal(srv_start(&t, NULL, flag), 0);
    for (int i = 0; i < 3; i++) {
        resp_t r = api(&t, "GET", "/api/v1/track/X-1?code=AAAAAAAAAAAA", NULL);
        st[i] = r.status;
        resp_free(&r);
    }
    assert_int_equal(srv_stop(&t), 0);
    assert_int_equal(st[2], 404);
    (void)s;
}

static void config_check_shows_each_origin(void **state)
{
    srv_t *s = *state;
    char text[512], out[8192], args[1200], line[256];
    snprintf(text, sizeof text,
             "# Otinish\n"
             "listen = 0.0.0.0:8081\n"
             "threads   =   32  \n"
             "smtp-url = smtp://mail.example.kz:25\n");
    write_conf(text);
    snprintf(args, sizeof args, "config check --config '%s' --threads 12 --cookie-secure", conf);
    assert_int_equal(sh(s, args, out, sizeof out), 0);
    setting(out, "listen", line, sizeof line);
    assert_non_null(strstr(line, "= 0.0.0.0:8081"));
    assert_non_null(strstr(line, "# file "));
    assert_non_null(strstr(line, "otinish.conf:2"));
    setting(out, "threads", line, sizeof line);
    assert_non_null(strstr(line, "= 12 "));
    assert_non_null(strstr(line, "# flag"));
    setting(out, "smtp-url", line, sizeof line);
    assert_non_null(strstr(line, "smtp://mail.example.kz:25"));
    assert_non_null(strstr(line, ":4"));
    setting(out, "cookie-secure", line, sizeof line);
    assert_non_null(strstr(line, "= true"));
    assert_non_null(strstr(line, "# flag"));
    setting(out, "session-ttl", line, sizeof line);
    assert_non_null(strstr(line, "= 43200"));
    assert_non_null(strstr(line, "# default"));
    /* the documented example that make install puts in /etc is valid */
    assert_int_equal(sh(s, "config check --config docs/otinish.conf", out, sizeof out), 0);
    setting(out, "db", line, sizeof line);
    assert_non_null(strstr(line, "= /var/lib/otinish/otinish.db"));
    /* a bad flag is named too */
    snprintf(args, sizeof args, "config check --config '%s' --listen nowhere", conf);
    assert_int_equal(sh(s, args, out, sizeof out), 2);
    assert_non_null(strstr(out, "--listen"));
}

static void bad_lines_name_file_line_and_key(void **state)
{
    srv_t *s = *state;
    static const struct {
        const char *text, *expect; /* expect: the message after "PATH:" */
    } cases[] = {
        {"db = x.db\nthreads = lots\n", ":2: threads: wants a whole number 1..256, got 'lots'"},
        {"listen = 8080\n", ":1: listen: wants ADDR:PORT"},
        {"\n# c\nacess-log = off\n", ":3: acess-log: unknown key"},
        {"cookie-secure = maybe\n", ":1: cookie-secure: wants true or false"},
        {"db\n", ":1: expected 'key = value'"},
        {"db = a.db\ndb = b.db\n", ":2: db: set twice (first at line 1)"},
        {"db =\n", ":1: db: wants a value"},
    };
    char out[4096], args[1200];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        write_conf(cases[i].text);
        /* the same for `config check` and for any command: nothing runs on a bad file */
        snprintf(args, sizeof args, "config check --config '%s'", conf);
        assert_int_equal(sh(s, args, out, sizeof out), 2);
        if (!strstr(out, cases[i].expect) || !strstr(out, conf))
            fail_msg("case %zu: got '%s', want '%s'", i, out, cases[i].expect);
        snprintf(args, sizeof args, "audit verify --db '%s' --config '%s'", s->db, conf);
        assert_int_equal(sh(s, args, out, sizeof out), 2);
        assert_non_null(strstr(out, cases[i].expect));
    }
    /* a file named and missing is an error; the default one missing is not */
    assert_int_equal(sh(s, "config check --config /nonexistent/otinish.conf", out, sizeof out), 2);
    assert_non_null(strstr(out, "/nonexistent/otinish.conf"));
    if (access("/etc/otinish/otinish.conf", F_OK) != 0) {
        assert_int_equal(sh(s, "config check", out, sizeof out), 0);
        assert_non_null(strstr(out, "absent, defaults apply"));
        assert_int_equal(sh(s, "version", out, sizeof out), 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_command_reads_the_file_and_flags_win),
        cmocka_unit_test(serve_takes_its_settings_from_the_file),
        cmocka_unit_test(config_check_shows_each_origin),
        cmocka_unit_test(bad_lines_name_file_line_and_key),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
