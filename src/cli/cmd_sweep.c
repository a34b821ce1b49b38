/* otinish sweep: one accountability sweep (violations, escalation, reminders) now or at an
 * injected instant. */
#include <getopt.h>
#include <stdio.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/opts.h"
#include "service/sweep.h"
#include "util/paths.h"
#include "util/log.h"

/* Parses --proceedings-days, --repeat-months, --remind into p; 0 when ch is not one of them,
 * 1 when taken, -1 on a bad value. Shared with `serve`. */
int sweep_policy_opt(int ch, const char *arg, viol_policy_t *p)
{
    long v;
    switch (ch) {
    case 0x100:
        if (opt_int(arg, 1, 60, &v))
            return -1;
        p->proceedings_days = (int)v;
        return 1;
    case 0x101:
        if (opt_int(arg, 1, 60, &v))
            return -1;
        p->repeat_months = (int)v;
        return 1;
    case 0x102:
        return viol_parse_reminders(arg, p) ? -1 : 1;
    default:
        return 0;
    }
}

int cmd_sweep(int argc, char **argv)
{
    const cli_cmd_t *self = cli_find("sweep");
    const char *db_path = OPT_DEFAULT_DB, *data_dir = paths_data_dir();
    int64_t now = clock_now_us();
    viol_policy_t pol = viol_default_policy;
    static const struct option longopts[] = {
        CLI_LONGOPT_DB,
        {"data-dir", required_argument, NULL, 'D'},
        {"now", required_argument, NULL, 'n'},
        {"proceedings-days", required_argument, NULL, 0x100},
        {"repeat-months", required_argument, NULL, 0x101},
        {"remind", required_argument, NULL, 0x102},
        {"chunk", required_argument, NULL, 0x103},
        {NULL, 0, NULL, 0},
    };
    int ch;
    optind = 1;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        int r = sweep_policy_opt(ch, optarg, &pol);
        if (r < 0)
            return cli_usage_error(self, "bad value '%s'", optarg);
        if (r)
            continue;
        switch (ch) {
        case CLI_OPT_DB:
            db_path = optarg;
            break;
        case 'D':
            data_dir = optarg;
            break;
        case 0x103: {
            long v;
            if (opt_int(optarg, 100, 1000000, &v))
                return cli_usage_error(self, "--chunk wants 100..1000000, got '%s'", optarg);
            pol.chunk = (int)v;
            break;
        }
        case 'n':
            if (instant_parse(optarg, &now))
                return cli_usage_error(self, "--now wants ISO 8601 with a zone, got '%s'", optarg);
            break;
        default:
            return cli_usage_error(self, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error(self, "unexpected argument '%s'", argv[optind]);
    ot_err_t err = {0};
    store_t *store = NULL;
    svc_t svc = {0};
    sweep_report_t rep;
    int rc = CLI_EXIT_FAIL;
    /* the first sweep reads months of events once: not mapped, they are not kept in the
     * command's resident set (1 GB and more at a million appeals) */
    if (cli_open_store(self, db_path, SVC_STORE_NO_MAP, &store))
        return CLI_EXIT_FAIL;
    if (svc_init(&svc, store, data_dir, &err) || sweep_run(&svc, &pol, now, &rep, &err)) {
        fprintf(stderr, "otinish sweep: %s\n", err.message);
        goto out;
    }
    printf("violations %lld, head flags %lld, escalations %lld, reminders %lld, notices %lld\n",
           (long long)rep.violations, (long long)rep.flags, (long long)rep.escalations,
           (long long)rep.reminders, (long long)rep.notices);
    rc = CLI_EXIT_OK;
out:
    svc_free(&svc);
    svc_store_close(store);
    return rc;
}
