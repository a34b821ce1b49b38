/* otinish apikey add NAME | list | revoke ID: API keys of Open311 client applications. The
 * key is printed once by add; only its hash is stored. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/opts.h"
#include "service/apikey.h"
#include "util/log.h"

static int print_key(const apikey_rec_t *k, void *arg)
{
    (void)arg;
    char created[40];
    instant_format(k->created_at - k->created_at % 1000000, 0, created, sizeof created);
    printf("%-6lld %-8s %-20s %s\n", (long long)k->id, k->revoked_at ? "revoked" : "active",
           created, k->name);
    return 0;
}

int cmd_apikey(int argc, char **argv)
{
    const cli_cmd_t *self = cli_find("apikey");
    if (argc < 2)
        return cli_usage_error(self, "missing subcommand (add, list, revoke)");
    const char *sub = argv[1];
    const char *db = OPT_DEFAULT_DB;
    static const struct option longopts[] = {
        CLI_LONGOPT_DB,
        {NULL, 0, NULL, 0},
    };
    int ch;
    optind = 1;
    opterr = 0;
    while ((ch = getopt_long(argc - 1, argv + 1, "", longopts, NULL)) != -1) {
        if (ch != CLI_OPT_DB)
            return cli_usage_error(self, "unknown option '%s'", argv[optind]);
        db = optarg;
    }
    int n_args = argc - 1 - optind; /* operands after the subcommand */
    char **args = argv + 1 + optind;
    int is_add = !strcmp(sub, "add"), is_list = !strcmp(sub, "list");
    int is_revoke = !strcmp(sub, "revoke");
    if (!is_add && !is_list && !is_revoke)
        return cli_usage_error(self, "unknown subcommand '%s'", sub);
    if ((is_list && n_args != 0) || (!is_list && n_args != 1))
        return cli_usage_error(self, is_list  ? "list takes no arguments"
                                     : is_add ? "add needs one NAME"
                                              : "revoke needs one ID");
    long id = 0;
    if (is_revoke && opt_int(args[0], 1, 2147483647L, &id))
        return cli_usage_error(self, "ID must be a key id from `otinish apikey list`");
    store_t *s = NULL;
    ot_err_t err = {0};
    int rc = CLI_EXIT_FAIL;
    if (cli_open_store(self, db, 0, &s))
        return CLI_EXIT_FAIL;
    if (is_add) {
        char key[APIKEY_LEN];
        int64_t kid;
        if (apikey_add(s, "cli", args[0], clock_now_us(), key, &kid, &err))
            goto fail;
        printf("%s\n", key);
        fprintf(stderr, "API key %lld for '%s': shown once, only its hash is kept\n",
                (long long)kid, args[0]);
        memset(key, 0, sizeof key);
    } else if (is_revoke) {
        if (apikey_revoke(s, "cli", id, clock_now_us(), &err))
            goto fail;
        printf("API key %ld revoked\n", id);
    } else if (apikey_list(s, print_key, NULL, &err))
        goto fail;
    rc = CLI_EXIT_OK;
    goto out;
fail:
    rc = cli_fail(self, &err);
out:
    svc_store_close(s);
    return rc;
}
