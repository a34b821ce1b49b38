/* The subcommands of the otinish binary. One file per command under src/cli/; each exports
 * its entry point, and src/cli/commands.c lists them with their help text. A command
 * returns the process exit status: 0 success, 1 failure, 2 usage error. */
#ifndef OT_CLI_CLI_H
#define OT_CLI_CLI_H

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

#define CLI_EXIT_OK    0
#define CLI_EXIT_FAIL  1
#define CLI_EXIT_USAGE 2

#endif
