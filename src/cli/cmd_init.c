/* otinish init: create the database, load the region's reference data, demo data. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/opts.h"
#include "service/reference.h"
#include "store/store.h"
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

int cmd_init(int argc, char **argv)
{
    const cli_cmd_t *self = cli_find("init");
    const char *db = OPT_DEFAULT_DB, *region = "data/regions/vko", *data = OPT_DEFAULT_DATA;
    long demo = 0;
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},   {"region", required_argument, NULL, 'r'},
        {"data", required_argument, NULL, 'D'}, {"demo", required_argument, NULL, 'n'},
        {NULL, 0, NULL, 0},
    };
    int ch;
    optind = 1;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (ch) {
        case 'd':
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
                return cli_usage_error(self, "--demo wants a number 0..10000000, got '%s'",
                                       optarg);
            break;
        default:
            return cli_usage_error(self, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error(self, "unexpected argument '%s'", argv[optind]);
    (void)data;
    if (make_parent(db)) {
        fprintf(stderr, "otinish init: cannot create the folder of %s: %s\n", db,
                strerror(errno));
        return CLI_EXIT_FAIL;
    }
    store_t *s = NULL;
    ot_err_t err = {0};
    ref_counts_t n;
    int rc = CLI_EXIT_FAIL;
    if (store_open(db, STORE_CREATE, &s, &err) ||
        ref_load_region(s, region, "cli", clock_now_us(), &n, &err)) {
        fprintf(stderr, "otinish init: %s%s%s\n", err.field[0] ? err.field : "",
                err.field[0] ? ": " : "", err.message);
        goto out;
    }
    printf("%s: schema %d; %s: %zu bodies, %zu districts, %zu categories, %zu routing rules\n",
           db, store_schema_version(s), region, n.bodies, n.districts, n.categories, n.rules);
    rc = CLI_EXIT_OK;
out:
    store_close(s);
    return rc;
}
