/* otinish backup: a consistent copy of a live database; otinish restore: put a checked
 * backup in place of the database. */
#include <getopt.h>
#include <stdio.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/opts.h"
#include "service/backup.h"

/* The options both take: --db PATH and the file (--to FILE or --from FILE, required). */
static int db_and_file(const cli_cmd_t *self, int argc, char **argv, const char *file_opt,
                       const char **db, const char **file)
{
    const struct option longopts[] = {
        CLI_LONGOPT_DB,
        {file_opt, required_argument, NULL, 'f'},
        {NULL, 0, NULL, 0},
    };
    int ch;
    *db = OPT_DEFAULT_DB;
    *file = NULL;
    optind = 1;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (ch) {
        case CLI_OPT_DB:
            *db = optarg;
            break;
        case 'f':
            *file = optarg;
            break;
        default:
            return cli_usage_error(self, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error(self, "unexpected argument '%s'", argv[optind]);
    if (!*file || !**file)
        return cli_usage_error(self, "--%s FILE is required", file_opt);
    return CLI_EXIT_OK;
}

int cmd_backup(int argc, char **argv)
{
    const cli_cmd_t *self = cli_find("backup");
    const char *db, *to;
    int rc = db_and_file(self, argc, argv, "to", &db, &to);
    if (rc)
        return rc;
    store_t *s = NULL;
    ot_err_t err = {0};
    if (cli_open_store(self, db, 0, &s))
        return CLI_EXIT_FAIL;
    rc = svc_backup(s, to, &err) ? cli_fail(self, &err) : CLI_EXIT_OK;
    svc_store_close(s);
    if (rc == CLI_EXIT_OK)
        printf("backup of %s written to %s\n", db, to);
    return rc;
}

int cmd_restore(int argc, char **argv)
{
    const cli_cmd_t *self = cli_find("restore");
    const char *db, *from;
    int rc = db_and_file(self, argc, argv, "from", &db, &from);
    if (rc)
        return rc;
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

static void migrate_progress(const char *table, int64_t rows, int64_t total, void *arg)
{
    (void)arg;
    if (!isatty(2)) /* progress on a terminal only */
        return;
    if (rows < 0)
        fprintf(stderr, "  %-24s left out (no such table in the target)\n", table);
    else /* one line per table, rewritten after each chunk */
        fprintf(stderr, "\r  %-24s %lld of %lld rows%s", table, (long long)rows, (long long)total,
                rows == total ? "\n" : "");
}

int cmd_migrate_db(int argc, char **argv)
{
    const cli_cmd_t *self = cli_find("migrate-db");
    static const struct option longopts[] = {
        {"from", required_argument, NULL, 'f'},
        {"to", required_argument, NULL, 't'},
        {NULL, 0, NULL, 0},
    };
    const char *from = NULL, *to = NULL;
    int ch;
    optind = 1;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (ch == 'f')
            from = optarg;
        else if (ch == 't')
            to = optarg;
        else
            return cli_usage_error(self, "unknown option '%s'", argv[optind - 1]);
    }
    if (optind < argc)
        return cli_usage_error(self, "unexpected argument '%s'", argv[optind]);
    if (!from || !*from || !to || !*to)
        return cli_usage_error(self, "--from and --to are required");
    svc_migrate_report_t r;
    ot_err_t err = {0};
    if (svc_migrate_db(from, to, migrate_progress, NULL, &r, &err))
        return cli_fail(self, &err);
    if (r.already)
        printf("%s already holds this copy of %s: nothing written\n", to, from);
    else
        printf("copied %s into %s: %d tables, %lld rows, counts equal\n", from, to, r.tables,
               (long long)r.rows);
    printf("audit chain on the target: OK %lld events, head %s\n", (long long)r.events, r.head);
    return CLI_EXIT_OK;
}
