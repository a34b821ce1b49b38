/* otinish init: create the database, load the region's reference data, demo data. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/opts.h"
#include "demo/demo.h"
#include "demo/demo_reception.h"
#include "service/calendar_sync.h"
#include "service/reference.h"
#include "service/problem.h"
#include "service/report.h"
#include "service/svc.h"
#include "util/paths.h"
#include "util/log.h"

/* Creates the folder that will hold the database file (one level, like `mkdir -p var`). */
static int make_parent(const char *path)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (!slash || slash == dir)
        return 0;
    *slash = '\0';
    if (mkdir(dir, 0750) != 0 && errno != EEXIST)
        return -1;
    return 0;
}

static void print_demo(const demo_report_t *r)
{
    printf("demo: %ld appeals (%ld complaints among them), %ld lifecycle actions\n", r->appeals,
           r->complaints, r->actions);
    printf("  status:");
    for (int i = 0; i < ST_COUNT; i++)
        printf(" %s %ld%s", appeal_status_name((appeal_status_t)i), r->by_status[i],
               i + 1 < ST_COUNT ? "," : "\n");
    printf("  kind:");
    for (int i = 0; appeal_kinds[i]; i++)
        printf(" %s %ld%s", appeal_kinds[i], r->by_kind[i], appeal_kinds[i + 1] ? "," : "\n");
    printf("  channel:");
    for (int i = 0; i < 5; i++)
        printf(" %s %ld%s", appeal_channels[i], r->by_channel[i], i < 4 ? "," : "\n");
    printf("  language: kk %ld, ru %ld; applicants: legal %ld, collective %ld, anonymous %ld\n",
           r->kk, r->ru, r->legal, r->collective, r->anonymous);
    printf("  repeated %ld, forwarded %ld (%ld late), extended %ld, returned %ld, under control "
           "%ld, terminated %ld\n",
           r->repeated, r->forwarded, r->forwarded_late, r->extended, r->returned, r->controlled,
           r->terminated);
    printf("  answered %ld (%ld late), rated %ld, open and overdue now %ld\n", r->answered,
           r->answered_late, r->rated, r->overdue_open);
    printf("  Ridder bodies, appeals per 30 days (oldest first):");
    for (int i = 0; i < 10; i++)
        printf(" %ld", r->ridder_monthly[i]);
    printf("\n");
}

static void print_accounts(const demo_report_t *r)
{
    printf("demo accounts: %d created, %d already there; password for all: %s\n", r->users_created,
           r->users_existing, DEMO_PASSWORD);
    for (int i = 0; i < demo_n_accounts; i++)
        printf("  %-20s %-10s %s\n", demo_accounts[i].login, demo_accounts[i].role,
               demo_accounts[i].body);
}

int cmd_init(int argc, char **argv)
{
    const cli_cmd_t *self = cli_find("init");
    const char *db = OPT_DEFAULT_DB, *region = NULL, *data = paths_data_dir();
    long demo = 0;
    static const struct option longopts[] = {
        CLI_LONGOPT_DB,
        {"region", required_argument, NULL, 'r'},
        {"data-dir", required_argument, NULL, 'D'},
        {"demo", required_argument, NULL, 'n'},
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
        case 'r':
            region = optarg;
            break;
        case 'D':
            data = optarg;
            break;
        case 'n':
            if (opt_int(optarg, 0, 10000000, &demo))
                return cli_usage_error(self, "--demo wants a number 0..10000000, got '%s'", optarg);
            break;
        default:
            return cli_usage_error(self, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error(self, "unexpected argument '%s'", argv[optind]);
    char region_dflt[4096];
    if (!region) {
        snprintf(region_dflt, sizeof region_dflt, "%s/regions/vko", data);
        region = region_dflt;
    }
    if (!svc_db_is_uri(db) && make_parent(db)) {
        fprintf(stderr, "otinish init: cannot create the folder of %s: %s\n", db, strerror(errno));
        return CLI_EXIT_FAIL;
    }
    store_t *s = NULL;
    ot_err_t err = {0};
    ref_counts_t n;
    int rc = CLI_EXIT_FAIL;
    if (cli_open_store(self, db, SVC_STORE_CREATE, &s))
        return CLI_EXIT_FAIL;
    if (ref_load_region(s, region, "cli", clock_now_us(), &n, &err)) {
        cli_fail(self, &err);
        goto out;
    }
    svc_store_info_t si;
    svc_store_info(s, &si);
    printf("%s: schema %d; %s: %zu bodies, %zu districts, %zu categories, %zu routing rules\n", db,
           si.schema_version, region, n.bodies, n.districts, n.categories, n.rules);
    if (demo > 0) {
        svc_t svc;
        demo_report_t rep;
        fflush(stdout);
        int drc = svc_init(&svc, s, data, &err);
        if (!drc) /* the aggregates' working-day numbers before the first appeal */
            drc = report_calendar_sync(&svc, clock_now_us(), &err);
        sync_report_t cal;
        if (!drc) /* the calendars the demo's terms are computed with, noted as serve notes
                   * them: its first start then has no deadline to recompute (at 1M appeals
                   * it read 150,952 open appeals' terms for that, 8.5 s from a cold disk) */
            drc = calendar_sync(&svc, clock_now_us(), &cal, &err);
        if (!drc) /* the settings the problems' place keys are made with */
            drc = problem_places_sync(&svc, NULL, &err);
        if (!drc)
            drc = demo_generate(&svc, demo, clock_now_us(),
                                isatty(STDERR_FILENO) ? STDERR_FILENO : -1, &rep, &err);
        if (!drc)
            drc = demo_receptions(&svc, clock_now_us(), &err);
        svc_free(&svc);
        if (drc) {
            cli_fail(self, &err);
            goto out;
        }
        print_demo(&rep);
        print_accounts(&rep);
    }
    rc = CLI_EXIT_OK;
out:
    svc_store_close(s);
    return rc;
}
