/* otinish backup: a consistent copy of a live database. */
#include <getopt.h>
#include <stdio.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/opts.h"
#include "service/backup.h"

int cmd_backup(int argc, char **argv)
{
    const cli_cmd_t *self = cli_find("backup");
    const char *db = OPT_DEFAULT_DB, *to = NULL;
    static const struct option longopts[] = {
        CLI_LONGOPT_DB,
        {"to", required_argument, NULL, 't'},
        {NULL, 0, NULL, 0},
    };
    int ch;
    optind = 1;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (ch) {
        case CLI_OPT_DB:
            db = optarg;
            break;
        case 't':
            to = optarg;
            break;
        default:
            return cli_usage_error(self, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error(self, "unexpected argument '%s'", argv[optind]);
    if (!to || !*to)
        return cli_usage_error(self, "--to FILE is required");
    store_t *s = NULL;
    ot_err_t err = {0};
    if (cli_open_store(self, db, 0, &s))
        return CLI_EXIT_FAIL;
    int rc = svc_backup(s, to, &err) ? cli_fail(self, &err) : CLI_EXIT_OK;
    svc_store_close(s);
    if (rc == CLI_EXIT_OK)
        printf("backup of %s written to %s\n", db, to);
    return rc;
}
