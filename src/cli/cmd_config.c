/* otinish config check: the effective settings and where each comes from. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/config.h"
#include "util/paths.h"

int cmd_config(int argc, char **argv)
{
    const cli_cmd_t *self = cli_find("config");
    const cfg_t *cfg = cli_config();
    if (argc < 2 || strcmp(argv[1], "check") != 0)
        return cli_usage_error(self, "expected 'check'");
    const char *value[CFG_MAX_KEYS];
    enum cfg_origin origin[CFG_MAX_KEYS];
    for (int k = 0; k < cfg_n_keys; k++) {
        value[k] = cfg && cfg->value[k] ? cfg->value[k] : cfg_keys[k].def;
        if (!strcmp(cfg_keys[k].key, "data-dir") && !(cfg && cfg->value[k]))
            value[k] = paths_data_dir();
        else if (!strcmp(cfg_keys[k].key, "web") && !(cfg && cfg->value[k]))
            value[k] = paths_web_dir();
        origin[k] = cfg && cfg->value[k] ? CFG_FILE : CFG_DEFAULT;
    }
    /* the flags as a command would take them: --KEY VALUE, --KEY=VALUE, --FLAG */
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if (strncmp(a, "--", 2) != 0)
            return cli_usage_error(self, "unexpected argument '%s'", a);
        char name[64];
        const char *eq = strchr(a, '=');
        size_t len = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
        snprintf(name, sizeof name, "%.*s", (int)len, a + 2);
        int k = 0;
        while (k < cfg_n_keys && strcmp(cfg_keys[k].key, name) &&
               !(cfg_keys[k].flag && strcmp(cfg_keys[k].flag + 2, name) == 0))
            k++;
        if (k == cfg_n_keys)
            return cli_usage_error(self, "unknown option '%s'", a);
        const cfg_key_t *key = &cfg_keys[k];
        const char *v;
        if (key->kind == CFG_BOOL && !eq)
            v = strcmp(key->key, name) == 0 ? "true" : key->negated ? "false" : "true";
        else if (eq)
            v = eq + 1;
        else if (i + 1 < argc)
            v = argv[++i];
        else
            return cli_usage_error(self, "--%s wants a value", name);
        const char *why = cfg_check_value(key, v);
        if (why)
            return cli_usage_error(self, "--%s: %s", name, why);
        value[k] = v;
        origin[k] = CFG_FLAG;
    }
    if (cfg && cfg->found)
        printf("# configuration file %s\n", cfg->path);
    else
        printf("# configuration file %s: absent, defaults apply\n",
               cfg ? cfg->path : CFG_DEFAULT_PATH);
    for (int k = 0; k < cfg_n_keys; k++) {
        char where[1100];
        if (origin[k] == CFG_FILE)
            snprintf(where, sizeof where, "file %s:%d", cfg->path, cfg->line[k]);
        else
            snprintf(where, sizeof where, "%s", origin[k] == CFG_FLAG ? "flag" : "default");
        printf("%-17s = %-40s # %s\n", cfg_keys[k].key, value[k], where);
    }
    return CLI_EXIT_OK;
}
