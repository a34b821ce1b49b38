/* otinish restore: put a checked backup in place of the database. */
#include <getopt.h>
#include <stdio.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/opts.h"
#include "service/backup.h"

int cmd_restore(int argc, char **argv)
{
    const cli_cmd_t *self = cli_find("restore");
    const char *db = OPT_DEFAULT_DB, *from = NULL;
    static const struct option longopts[] = {
        CLI_LONGOPT_DB,
        {"from", required_argument, NULL, 'f'},
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
        case 'f':
            from = optarg;
            break;
        default:
            return cli_usage_error(self, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error(self, "unexpected argument '%s'", argv[optind]);
    if (!from || !*from)
        return cli_usage_error(self, "--from FILE is required");
    svc_restore_report_t r;
    ot_err_t err = {0};
    if (svc_restore(from, db, &r, &err))
        return cli_fail(self, &err);
    printf("restored %s to %s: integrity ok, audit chain OK %lld events, head %s (schema %d)\n",
           from, db, (long long)r.events, r.head, r.schema_version);
    if (r.replaced)
        printf("the database it replaced is kept as %s.before-restore\n", db);
    return CLI_EXIT_OK;
}
