/* The subcommands of the otinish binary. One file per command under src/cli/; each exports
 * its entry point, and src/cli/commands.c lists them with their help text. A command
 * returns the process exit status: 0 success, 1 failure, 2 usage error. */
#ifndef OT_CLI_CLI_H
#define OT_CLI_CLI_H

#include "service/svc.h"

typedef struct cli_cmd {
    const char *name;
    const char *summary; /* one line, for `otinish --help` */
    const char *usage;   /* full text for `otinish help NAME` */
    int (*run)(int argc, char **argv);
} cli_cmd_t;

extern const cli_cmd_t cli_commands[];

const cli_cmd_t *cli_find(const char *name);

/* Prints "otinish NAME: msg" and the usage line to stderr; returns 2. */
int cli_usage_error(const cli_cmd_t *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The option every command that opens the database takes: CLI_LONGOPT_DB in the command's
 * getopt_long table, handled as `case CLI_OPT_DB: db = optarg;` (default OPT_DEFAULT_DB). */
#define CLI_OPT_DB 0x1000
#define CLI_LONGOPT_DB                                                                             \
    {                                                                                              \
        "db", required_argument, NULL, CLI_OPT_DB                                                  \
    }

/* Opens the database at db for cmd (flags: SVC_STORE_CREATE, SVC_STORE_WRITER). On failure
 * prints "otinish NAME: message" (a missing file: "no database at PATH") and returns
 * CLI_EXIT_FAIL; otherwise CLI_EXIT_OK, and the caller closes *s with svc_store_close. */
int cli_open_store(const cli_cmd_t *cmd, const char *db, int flags, store_t **s);

/* Prints "otinish NAME: field: message" (no field: "otinish NAME: message") for a use case
 * that failed; returns CLI_EXIT_FAIL. */
int cli_fail(const cli_cmd_t *cmd, const ot_err_t *err);

#define CLI_EXIT_OK    0
#define CLI_EXIT_FAIL  1
#define CLI_EXIT_USAGE 2

#endif
