#include "cli/config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/opts.h"

/* Keep in step with the commands' options (their usage texts) and docs/otinish.conf. */
const cfg_key_t cfg_keys[] = {
    {"db", CFG_STR, 0, 0, NULL, OPT_DEFAULT_DB, NULL, 0},
    {"db-read", CFG_STR, 0, 0, NULL, "(none: reads from db)", NULL, 0},
    {"data-dir", CFG_STR, 0, 0, NULL, "data/ beside the binary ($OTINISH_DATA)", NULL, 0},
    {"listen", CFG_LISTEN, 0, 0, NULL, "127.0.0.1:8080", NULL, 0},
    {"threads", CFG_INT, 1, 256, NULL, "64 per core (SQLite), 16 (PostgreSQL), 8..256", NULL, 0},
    {"json-limit", CFG_INT, 1024, 1L << 30, NULL, "1048576", NULL, 0},
    {"upload-limit", CFG_INT, 1024, 1L << 30, NULL, "10485760", NULL, 0},
    {"access-log", CFG_BOOL, 0, 0, NULL, "true", "--no-access-log", 1},
    {"log-format", CFG_CHOICE, 0, 0, "text|json", "text", NULL, 0},
    {"metrics-allow", CFG_STR, 0, 0, NULL, "127.0.0.1,::1", NULL, 0},
    {"session-ttl", CFG_INT, 1, 30L * 86400, NULL, "43200", NULL, 0},
    {"session-idle", CFG_INT, 1, 30L * 86400, NULL, "1800", NULL, 0},
    {"login-limit", CFG_INT, 0, 1000000, NULL, "5", NULL, 0},
    {"public-limit", CFG_INT, 0, 1000000, NULL, "60", NULL, 0},
    {"cookie-secure", CFG_BOOL, 0, 0, NULL, "false", "--cookie-secure", 0},
    {"web", CFG_STR, 0, 0, NULL, "web/ beside the binary", NULL, 0},
    {"sweep-interval", CFG_INT, 0, 86400, NULL, "300", NULL, 0},
    {"notify-interval", CFG_INT, 0, 86400, NULL, "10", NULL, 0},
    {"smtp-url", CFG_STR, 0, 0, NULL, "(none)", NULL, 0},
    {"smtp-user", CFG_STR, 0, 0, NULL, "(none)", NULL, 0},
    {"smtp-from", CFG_STR, 0, 0, NULL, "(none)", NULL, 0},
    {"smtp-starttls", CFG_BOOL, 0, 0, NULL, "false", "--smtp-starttls", 0},
    {"webhook-url", CFG_STR, 0, 0, NULL, "(none)", NULL, 0},
    {"audit-head-interval", CFG_INT, 0, 86400, NULL, "3600", NULL, 0},
    {"audit-head-url", CFG_STR, 0, 0, NULL, "the webhook-url", NULL, 0},
    {"role-timeout", CFG_INT, 3, 86400, NULL, "120", NULL, 0},
    {"proceedings-days", CFG_INT, 1, 60, NULL, "10", NULL, 0},
    {"repeat-months", CFG_INT, 1, 60, NULL, "repeat_window of terms.txt", NULL, 0},
    {"remind", CFG_STR, 0, 0, NULL, "3,1", NULL, 0},
};
const int cfg_n_keys = sizeof cfg_keys / sizeof cfg_keys[0];

_Static_assert(sizeof cfg_keys / sizeof cfg_keys[0] <= CFG_MAX_KEYS, "raise CFG_MAX_KEYS");

static const cfg_t *current; /* during cli_run, for `otinish config` */

static int key_index(const char *key)
{
    for (int i = 0; i < cfg_n_keys; i++)
        if (strcmp(cfg_keys[i].key, key) == 0)
            return i;
    return -1;
}

static int parse_bool(const char *v)
{
    if (!strcmp(v, "true") || !strcmp(v, "yes") || !strcmp(v, "on") || !strcmp(v, "1"))
        return 1;
    if (!strcmp(v, "false") || !strcmp(v, "no") || !strcmp(v, "off") || !strcmp(v, "0"))
        return 0;
    return -1;
}

const char *cfg_check_value(const cfg_key_t *k, const char *v)
{
    static char msg[160];
    long n;
    char addr[64];
    int port;
    switch (k->kind) {
    case CFG_STR:
        return *v ? NULL : "wants a value";
    case CFG_INT:
        if (opt_int(v, k->min, k->max, &n) == 0)
            return NULL;
        snprintf(msg, sizeof msg, "wants a whole number %ld..%ld, got '%.60s'", k->min, k->max, v);
        return msg;
    case CFG_BOOL:
        if (parse_bool(v) >= 0)
            return NULL;
        snprintf(msg, sizeof msg, "wants true or false, got '%.60s'", v);
        return msg;
    case CFG_LISTEN:
        if (opt_listen(v, addr, sizeof addr, &port) == 0)
            return NULL;
        snprintf(msg, sizeof msg, "wants ADDR:PORT (e.g. 127.0.0.1:8080), got '%.60s'", v);
        return msg;
    case CFG_CHOICE: {
        size_t len = strlen(v);
        for (const char *c = k->choices; *c;) {
            const char *bar = strchr(c, '|');
            size_t cl = bar ? (size_t)(bar - c) : strlen(c);
            if (cl == len && strncmp(c, v, len) == 0)
                return NULL;
            c += cl + (bar ? 1 : 0);
        }
        snprintf(msg, sizeof msg, "wants one of %s, got '%.60s'", k->choices, v);
        return msg;
    }
    }
    return "unknown kind";
}

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    char *e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1]))
        *--e = '\0';
    return s;
}

static int bad(const cfg_t *cfg, int line, const char *key, const char *msg)
{
    fprintf(stderr, "otinish: %s:%d: %s%s%s\n", cfg->path, line, key ? key : "", key ? ": " : "",
            msg);
    return -1;
}

int cfg_load(const char *path, cfg_t *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    int named = path != NULL;
    if (!path) {
        const char *env = getenv("OTINISH_CONFIG");
        named = env && *env;
        path = named ? env : CFG_DEFAULT_PATH;
    }
    snprintf(cfg->path, sizeof cfg->path, "%s", path);
    FILE *f = fopen(path, "r");
    if (!f) {
        if (!named && errno == ENOENT)
            return 0;
        fprintf(stderr, "otinish: cannot read the configuration %s: %s\n", path, strerror(errno));
        return -1;
    }
    cfg->found = 1;
    char buf[2048];
    int line = 0, rc = 0;
    while (!rc && fgets(buf, sizeof buf, f)) {
        line++;
        size_t len = strlen(buf);
        if (len == sizeof buf - 1 && buf[len - 1] != '\n') {
            rc = bad(cfg, line, NULL, "line too long (2047 bytes at most)");
            break;
        }
        char *s = trim(buf);
        if (!*s || *s == '#')
            continue;
        char *eq = strchr(s, '=');
        if (!eq) {
            rc = bad(cfg, line, NULL, "expected 'key = value'");
            break;
        }
        *eq = '\0';
        char *key = trim(s), *val = trim(eq + 1);
        int i = key_index(key);
        if (i < 0) {
            rc = bad(cfg, line, key, "unknown key (see `otinish config check` for the keys)");
            break;
        }
        if (cfg->value[i]) {
            char msg[64];
            snprintf(msg, sizeof msg, "set twice (first at line %d)", cfg->line[i]);
            rc = bad(cfg, line, key, msg);
            break;
        }
        const char *why = cfg_check_value(&cfg_keys[i], val);
        if (why) {
            rc = bad(cfg, line, key, why);
            break;
        }
        cfg->value[i] = strdup(val);
        cfg->origin[i] = CFG_FILE;
        cfg->line[i] = line;
    }
    fclose(f);
    if (rc)
        cfg_free(cfg);
    return rc;
}

void cfg_free(cfg_t *cfg)
{
    for (int i = 0; i < cfg_n_keys; i++) {
        free(cfg->value[i]);
        cfg->value[i] = NULL;
    }
}

const char *cfg_take_path(int *argc, char **argv, int from)
{
    const char *path = NULL;
    for (int i = from; i < *argc;) {
        int drop = 0;
        if (strcmp(argv[i], "--config") == 0) {
            path = i + 1 < *argc ? argv[i + 1] : "";
            drop = i + 1 < *argc ? 2 : 1;
        } else if (strncmp(argv[i], "--config=", 9) == 0) {
            path = argv[i] + 9;
            drop = 1;
        } else if (strcmp(argv[i], "--") == 0)
            break;
        if (!drop) {
            i++;
            continue;
        }
        memmove(argv + i, argv + i + drop, (size_t)(*argc - i - drop + 1) * sizeof *argv);
        *argc -= drop;
    }
    return path;
}

/* Whether the usage text of c names the option opt ("--db"), as a whole word. */
static int takes(const cli_cmd_t *c, const char *opt)
{
    size_t n = strlen(opt);
    for (const char *p = strstr(c->usage, opt); p; p = strstr(p + 1, opt)) {
        char after = p[n];
        if (!(isalnum((unsigned char)after) || after == '-'))
            return 1;
    }
    return 0;
}

const cfg_t *cli_config(void)
{
    return current;
}

int cli_run(const cli_cmd_t *c, int argc, char **argv)
{
    const char *path = cfg_take_path(&argc, argv, 1);
    if (path && !*path)
        return cli_usage_error(c, "--config wants a file");
    cfg_t cfg;
    if (cfg_load(path, &cfg))
        return CLI_EXIT_USAGE;
    /* argv[0], the command's leading words (`user add`, `calendar 2026`), then the file's
     * settings as options, then the command line's own options: getopt keeps the last */
    char **nargv = calloc((size_t)argc + (size_t)cfg_n_keys + 1, sizeof *nargv);
    char *owned[CFG_MAX_KEYS] = {0};
    int n = 0, i = 0, n_owned = 0;
    if (!nargv) {
        cfg_free(&cfg);
        return CLI_EXIT_FAIL;
    }
    nargv[n++] = argv[i++];
    while (i < argc && argv[i][0] != '-')
        nargv[n++] = argv[i++];
    /* `otinish config` shows the settings instead of taking them */
    for (int k = 0; k < cfg_n_keys && strcmp(c->name, "config") != 0; k++) {
        const cfg_key_t *key = &cfg_keys[k];
        const char *v = cfg.value[k];
        if (!v)
            continue;
        if (key->kind == CFG_BOOL) {
            if (parse_bool(v) != key->negated && takes(c, key->flag))
                nargv[n++] = (char *)key->flag;
            continue;
        }
        char opt[64];
        snprintf(opt, sizeof opt, "--%s", key->key);
        if (!takes(c, opt))
            continue;
        size_t len = strlen(opt) + strlen(v) + 2;
        char *arg = malloc(len);
        if (!arg)
            continue;
        snprintf(arg, len, "%s=%s", opt, v);
        owned[n_owned++] = arg;
        nargv[n++] = arg;
    }
    while (i < argc)
        nargv[n++] = argv[i++];
    nargv[n] = NULL;
    current = &cfg;
    int rc = c->run(n, nargv);
    current = NULL;
    for (int k = 0; k < n_owned; k++)
        free(owned[k]);
    free(nargv);
    cfg_free(&cfg);
    return rc;
}
