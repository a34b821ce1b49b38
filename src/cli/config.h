/* The configuration file (docs/operations.md "Configuration"): /etc/otinish/otinish.conf, or
 * the file --config PATH (anywhere on the command line) or $OTINISH_CONFIG names. One
 * setting a line, `key = value`, keys named like the long options (`db`, `listen`, ...);
 * `#` starts a comment line. Every command reads it; a flag on the command line overrides
 * the file. A missing default file is no error; a missing named file is. */
#ifndef OT_CLI_CONFIG_H
#define OT_CLI_CONFIG_H

#include "cli/cli.h"

#define CFG_DEFAULT_PATH "/etc/otinish/otinish.conf"

enum cfg_origin { CFG_DEFAULT, CFG_FILE, CFG_FLAG };

/* One key of the file: its type and range, and how it becomes a command-line option. */
typedef struct cfg_key {
    const char *key;
    enum { CFG_STR, CFG_INT, CFG_BOOL, CFG_LISTEN, CFG_CHOICE } kind;
    long min, max;       /* CFG_INT */
    const char *choices; /* CFG_CHOICE: "a|b" */
    const char *def;     /* the default as the commands have it, for `config check` */
    const char *flag;    /* CFG_BOOL: the option a true (or, with negated, false) value gives */
    int negated;
} cfg_key_t;

extern const cfg_key_t cfg_keys[];
extern const int cfg_n_keys;

#define CFG_MAX_KEYS 40

typedef struct cfg {
    char path[1024];
    int found;                 /* the file existed and was read */
    char *value[CFG_MAX_KEYS]; /* malloc'd, NULL: not set */
    enum cfg_origin origin[CFG_MAX_KEYS];
    int line[CFG_MAX_KEYS]; /* in the file, for CFG_FILE */
} cfg_t;

/* Reads the configuration file at path (NULL: $OTINISH_CONFIG, else CFG_DEFAULT_PATH, where
 * a missing file is no error). On a bad line prints "otinish: PATH:LINE: key: message" to
 * stderr and returns -1; 0 otherwise. Free with cfg_free. */
int cfg_load(const char *path, cfg_t *cfg);
void cfg_free(cfg_t *cfg);

/* Checks value for key k; NULL when fine, else a message (a static string). */
const char *cfg_check_value(const cfg_key_t *k, const char *value);

/* Removes "--config PATH" / "--config=PATH" from argv[from..] in place and returns PATH
 * (NULL when absent, "" when it lacks a value); *argc shrinks. */
const char *cfg_take_path(int *argc, char **argv, int from);

/* Runs the command c with argv (argv[0] is the command's name) and the configuration: each
 * setting of the file that c takes (its usage names the option) goes in as an option
 * before the command line's own, so a flag wins. Returns the command's exit status. */
int cli_run(const cli_cmd_t *c, int argc, char **argv);

/* The configuration cli_run loaded, while a command runs (for `otinish config`). */
const cfg_t *cli_config(void);

#endif
