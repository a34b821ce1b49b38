/* otinish violations list: violations as the operator sees them (all bodies). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/opts.h"
#include "service/violation.h"

static int print_row(viol_rec_t *v, void *arg)
{
    (void)arg;
    printf("%lld\t%s\t%s\t%s\t%d\t%s\t%lld\t%lld\t%s\t%lld\t%s\t%s\t%s\n", (long long)v->id,
           v->appeal_number[0] ? v->appeal_number : "-", v->kind, v->term_on, v->days_late, v->body,
           (long long)v->executor, (long long)v->head, v->status, (long long)v->responsible,
           v->responsible_name[0] ? v->responsible_name : "-",
           v->responsible_position[0] ? v->responsible_position : "-",
           v->responsible_body[0] ? v->responsible_body : "-");
    return 0;
}

int cmd_violations(int argc, char **argv)
{
    const cli_cmd_t *self = cli_find("violations");
    const char *db_path = OPT_DEFAULT_DB;
    viol_filter_t f;
    memset(&f, 0, sizeof f);
    f.limit = 1000;
    if (argc < 2 || strcmp(argv[1], "list"))
        return cli_usage_error(self, "expected 'list'");
    static const struct option longopts[] = {
        CLI_LONGOPT_DB,
        {"body", required_argument, NULL, 'b'},
        {"status", required_argument, NULL, 's'},
        {"kind", required_argument, NULL, 'k'},
        {"from", required_argument, NULL, 'f'},
        {"to", required_argument, NULL, 't'},
        {"limit", required_argument, NULL, 'l'},
        {NULL, 0, NULL, 0},
    };
    int ch;
    long limit;
    optind = 2;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (ch) {
        case CLI_OPT_DB:
            db_path = optarg;
            break;
        case 'b':
            f.body = optarg;
            break;
        case 's':
            f.status = optarg;
            break;
        case 'k':
            f.kind = optarg;
            break;
        case 'f':
            f.from = optarg;
            break;
        case 't':
            f.to = optarg;
            break;
        case 'l':
            if (opt_int(optarg, 1, 1000000, &limit))
                return cli_usage_error(self, "--limit wants 1..1000000");
            f.limit = (int)limit;
            break;
        default:
            return cli_usage_error(self, "unknown option '%s'", argv[optind - 1]);
        }
    }
    ot_err_t err = {0};
    store_t *store = NULL;
    int rc = CLI_EXIT_OK;
    if (cli_open_store(self, db_path, 0, &store))
        return CLI_EXIT_FAIL;
    if (violation_list_all(store, &f, print_row, NULL, &err)) {
        fprintf(stderr, "otinish violations: %s\n", err.message);
        rc = CLI_EXIT_FAIL;
    }
    svc_store_close(store);
    return rc;
}
