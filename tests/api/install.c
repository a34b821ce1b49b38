/* `make install DESTDIR=... PREFIX=...` and the installed binary run as an operator would: from
 * "/", away from the repository, finding its reference data and web UI beside itself
 * (src/util/paths.c); --data-dir and OTINISH_DATA override; the systemd units and the
 * configuration file are installed (an operator's file is kept); `make uninstall` removes it
 * all but the configuration. */
#include "harness.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PREFIX "/opt/otinish"

static srv_t S;
static char repo[PATH_MAX], dest[PATH_MAX], bin[PATH_MAX + 64];
static int sanitize;

static int make_in_repo(const char *target)
{
    char cmd[3 * PATH_MAX];
    /* a make of our own, not a part of the `make test` that may have started this program */
    snprintf(cmd, sizeof cmd,
             "cd '%s' && env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make -s --no-print-directory "
             "SANITIZE=%d PREFIX=%s DESTDIR='%s' %s >/dev/null",
             repo, sanitize, PREFIX, dest, target);
    return system(cmd);
}

static int exists(const char *rel)
{
    char p[2 * PATH_MAX];
    struct stat st;
    snprintf(p, sizeof p, "%s%s%s", dest, PREFIX, rel);
    return stat(p, &st) == 0;
}

static int setup(void **state)
{
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    self[n > 0 ? n : 0] = '\0';
    sanitize = strstr(self, "/build/san/") != NULL;
    if (!getcwd(repo, sizeof repo))
        return -1;
    snprintf(dest, sizeof dest, "/tmp/otinish-install-XXXXXX");
    if (!mkdtemp(dest) || make_in_repo("install") != 0) {
        fprintf(stderr, "make install into %s failed\n", dest);
        return -1;
    }
    snprintf(bin, sizeof bin, "%s%s/bin/otinish", dest, PREFIX);
    /* from here on the working directory is "/": nothing may be found relative to it */
    if (chdir("/") || srv_start_bin(&S, bin, NULL, NULL))
        return -1;
    *state = &S;
    return 0;
}

static int teardown(void **state)
{
    int rc = srv_stop(*state);
    char cmd[PATH_MAX + 16];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dest);
    return system(cmd) != 0 || rc;
}

static void installs_binary_data_and_web(void **state)
{
    (void)state;
    assert_true(exists("/bin/otinish"));
    assert_true(exists("/share/otinish/data/jurisdictions/kz/calendar.txt"));
    assert_true(exists("/share/otinish/data/regions/vko/bodies.tsv"));
    assert_true(exists("/share/otinish/data/templates/kk/answered.txt"));
    assert_true(exists("/share/otinish/web/index.html"));
    assert_true(exists("/share/otinish/web/node_modules/chart.js/dist/chart.umd.min.js"));
}

static void serves_region_and_ui_from_root(void **state)
{
    srv_t *s = *state;
    /* init ran from "/" with no --region: the installed region's bodies are loaded */
    resp_t r = api(s, "GET", "/api/v1/bodies", NULL);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "\"ridder\""));
    resp_free(&r);
    /* the installed calendar: Nauryz days off move the term (АППК arts. 64(3), 76, 65) */
    r = api(s, "GET", "/api/v1/deadline?kind=statement&received=2026-03-20T17:00:00%2B05:00", NULL);
    assert_int_equal(r.status, 200);
    assert_string_equal(json_string_value(json_object_get(r.json, "due_on")), "2026-04-15");
    resp_free(&r);
    /* the API's description is in the binary: served without any file beside it */
    r = api(s, "GET", "/api/v1/openapi.json", NULL);
    assert_int_equal(r.status, 200);
    assert_string_equal(json_string_value(json_object_get(r.json, "openapi")), "3.1.0");
    assert_non_null(json_object_get(json_object_get(r.json, "paths"), "/api/v1/appeals"));
    resp_free(&r);
    r = api(s, "GET", "/", NULL);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "<html"));
    resp_free(&r);
    r = api(s, "GET", "/node_modules/chart.js/dist/chart.umd.min.js", NULL);
    assert_int_equal(r.status, 200);
    resp_free(&r);
}

static void commands_run_from_root(void **state)
{
    srv_t *s = *state;
    char out[8192];
    const char *cal[] = {"calendar", "2026", NULL};
    assert_int_equal(run_otinish(s, cal, NULL, out, sizeof out), 0);
    assert_non_null(strstr(out, "2026-03-23"));
    const char *sweep[] = {"sweep", "--db", s->db, "--now", "2026-06-01T09:00:00+05:00", NULL};
    assert_int_equal(run_otinish(s, sweep, NULL, out, sizeof out), 0);
}

static void data_dir_overrides(void **state)
{
    srv_t *s = *state;
    char out[4096], data[PATH_MAX + 8];
    const char *bad[] = {"calendar", "2026", "--data-dir", "/nonexistent-otinish", NULL};
    assert_int_not_equal(run_otinish(s, bad, NULL, out, sizeof out), 0);
    /* the repository's own data folder, named explicitly, works from "/" too */
    snprintf(data, sizeof data, "%s/data", repo);
    const char *good[] = {"calendar", "2026", "--data-dir", data, NULL};
    assert_int_equal(run_otinish(s, good, NULL, out, sizeof out), 0);
    setenv("OTINISH_DATA", "/nonexistent-otinish", 1);
    const char *env[] = {"calendar", "2026", NULL};
    int rc = run_otinish(s, env, NULL, out, sizeof out);
    unsetenv("OTINISH_DATA");
    assert_int_not_equal(rc, 0);
}

/* The whole file under DESTDIR (an absolute path inside it) into out; asserts it exists. */
static void read_dest(const char *abs, char *out, size_t n)
{
    char p[2 * PATH_MAX];
    snprintf(p, sizeof p, "%s%s", dest, abs);
    FILE *f = fopen(p, "r");
    if (!f)
        fail_msg("%s was not installed", abs);
    size_t len = fread(out, 1, n - 1, f);
    out[len] = '\0';
    fclose(f);
}

static void installs_systemd_units_and_configuration(void **state)
{
    srv_t *s = *state;
    char unit[8192], out[8192];
    read_dest(PREFIX "/lib/systemd/system/otinish.service", unit, sizeof unit);
    assert_non_null(strstr(unit, "\nExecStart=" PREFIX "/bin/otinish serve\n"));
    static const char *const hardening[] = {
        "\nUser=otinish\n",        "\nStateDirectory=otinish\n", "\nProtectSystem=strict\n",
        "\nNoNewPrivileges=yes\n", "\nPrivateTmp=yes\n",         "\nKillSignal=SIGTERM\n",
        "\nType=notify\n",
    };
    for (size_t i = 0; i < sizeof hardening / sizeof hardening[0]; i++)
        if (!strstr(unit, hardening[i]))
            fail_msg("otinish.service lacks %s", hardening[i] + 1);
    assert_null(strstr(unit, "@PREFIX@"));
    read_dest(PREFIX "/lib/systemd/system/otinish-backup.service", unit, sizeof unit);
    assert_non_null(strstr(unit, PREFIX "/bin/otinish backup --to "));
    assert_non_null(strstr(unit, "-mtime +${BACKUP_KEEP_DAYS} -delete"));
    read_dest(PREFIX "/lib/systemd/system/otinish-backup.timer", unit, sizeof unit);
    assert_non_null(strstr(unit, "\nOnCalendar="));
    read_dest(PREFIX "/lib/sysusers.d/otinish.conf", unit, sizeof unit);
    assert_non_null(strstr(unit, "\nu otinish "));
    /* the installed configuration is valid and names the state directory's database */
    char conf[PATH_MAX + 64];
    snprintf(conf, sizeof conf, "%s/etc/otinish/otinish.conf", dest);
    const char *check[] = {"config", "check", "--config", conf, NULL};
    assert_int_equal(run_otinish(s, check, NULL, out, sizeof out), 0);
    assert_non_null(strstr(out, "/var/lib/otinish/otinish.db"));
    /* an operator's edits survive the next make install */
    FILE *f = fopen(conf, "a");
    assert_non_null(f);
    fputs("threads = 12\n", f);
    fclose(f);
    assert_int_equal(make_in_repo("install"), 0);
    read_dest("/etc/otinish/otinish.conf", unit, sizeof unit);
    assert_non_null(strstr(unit, "threads = 12\n"));
}

/* The installed otinish(1) renders without a warning and holds, for every command that
 * `otinish --help` lists, every line of `otinish help NAME`: the page and --help agree. */
static void man_page_agrees_with_help(void **state)
{
    srv_t *s = *state;
    static char page[1 << 18], help[8192], usage[16384];
    char cmd[3 * PATH_MAX];
    assert_true(exists("/share/man/man1/otinish.1"));
    snprintf(cmd, sizeof cmd,
             "groff -man -Tascii -P-cbou -ww '%s%s/share/man/man1/otinish.1' 2>'%s/groff.err'",
             dest, PREFIX, dest);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t len = fread(page, 1, sizeof page - 1, p);
    page[len] = '\0';
    assert_int_equal(pclose(p), 0);
    char err[1024];
    read_dest("/groff.err", err, sizeof err);
    if (err[0])
        fail_msg("groff warns: %s", err);
    assert_non_null(strstr(page, "OTINISH(1)"));
    const char *list[] = {"--help", NULL};
    assert_int_equal(run_otinish(s, list, NULL, help, sizeof help), 0);
    int n_commands = 0;
    for (const char *l = strstr(help, "commands:\n"); l && (l = strchr(l, '\n')) && l[1] == ' ';) {
        char name[32];
        l++;
        if (sscanf(l, " %31s", name) != 1)
            break;
        n_commands++;
        const char *args[] = {"help", name, NULL};
        assert_int_equal(run_otinish(s, args, NULL, usage, sizeof usage), 0);
        for (char *u = strtok(usage, "\n"); u; u = strtok(NULL, "\n")) {
            while (*u == ' ')
                u++;
            if (*u && !strstr(page, u))
                fail_msg("otinish help %s: '%s' is not in the manual page", name, u);
        }
    }
    assert_true(n_commands >= 17); /* init ... restore, config, version */
}

static void uninstall_removes_everything(void **state)
{
    (void)state;
    assert_int_equal(make_in_repo("uninstall"), 0);
    assert_false(exists("/bin/otinish"));
    assert_false(exists("/share/otinish"));
    assert_false(exists("/lib/systemd/system/otinish.service"));
    assert_false(exists("/lib/systemd/system/otinish-backup.timer"));
    assert_false(exists("/lib/sysusers.d/otinish.conf"));
    assert_false(exists("/share/man/man1/otinish.1"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(installs_binary_data_and_web),
        cmocka_unit_test(serves_region_and_ui_from_root),
        cmocka_unit_test(commands_run_from_root),
        cmocka_unit_test(data_dir_overrides),
        cmocka_unit_test(installs_systemd_units_and_configuration),
        cmocka_unit_test(man_page_agrees_with_help),
        cmocka_unit_test(uninstall_removes_everything),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
