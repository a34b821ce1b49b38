/* otinish audit verify|head|seal: check the tamper-evident chain and the records, export its
 * head, seal the records that carry no seal yet. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/opts.h"
#include "service/audit.h"
#include "util/log.h"

int cmd_audit(int argc, char **argv)
{
    const cli_cmd_t *self = cli_find("audit");
    if (argc < 2 ||
        (strcmp(argv[1], "verify") && strcmp(argv[1], "head") && strcmp(argv[1], "seal")))
        return cli_usage_error(self, "expected 'verify', 'head' or 'seal'");
    const char *db = OPT_DEFAULT_DB;
    static const struct option longopts[] = {
        CLI_LONGOPT_DB, {"expect", required_argument, NULL, 'e'}, {NULL, 0, NULL, 0}};
    audit_pin_t pin = {0};
    int ch;
    optind = 1;
    opterr = 0;
    while ((ch = getopt_long(argc - 1, argv + 1, "", longopts, NULL)) != -1) {
        if (ch == 'e') {
            if (audit_pin_parse(optarg, &pin))
                return cli_usage_error(self,
                                       "--expect wants SEQ:HASH (as `audit head` prints it),"
                                       " got '%s'",
                                       optarg);
            continue;
        }
        if (ch != CLI_OPT_DB)
            return cli_usage_error(self, "unknown option '%s'", argv[optind]);
        db = optarg;
    }
    if (optind < argc - 1)
        return cli_usage_error(self, "unexpected argument '%s'", argv[optind + 1]);
    if (pin.seq && strcmp(argv[1], "verify"))
        return cli_usage_error(self, "--expect goes with verify");
    store_t *s = NULL;
    ot_err_t err = {0};
    int rc = CLI_EXIT_FAIL;
    if (cli_open_store(self, db, 0, &s))
        return CLI_EXIT_FAIL;
    if (strcmp(argv[1], "seal") == 0) {
        int64_t n;
        if (audit_seal(s, clock_now_us(), &n, &err))
            goto fail;
        printf("sealed %" PRId64 " records\n", n);
        rc = CLI_EXIT_OK;
        goto out;
    }
    if (strcmp(argv[1], "head") == 0) {
        int64_t seq;
        char hex[2 * CHAIN_HASH_LEN + 1];
        if (audit_head(s, &seq, hex, &err))
            goto fail;
        printf("%" PRId64 " %s\n", seq, hex);
        rc = CLI_EXIT_OK;
        goto out;
    }
    static audit_report_t r; /* 8 KB of listed records */
    if (audit_verify(s, &pin, &r, &err))
        goto fail;
    if (r.ok) {
        printf("OK %" PRId64 " events, head %s, %" PRId64 " records%s\n", r.count, r.head,
               r.records, pin.seq ? ", the pinned head is in the chain" : "");
        rc = CLI_EXIT_OK;
        goto out;
    }
    if (r.bad_seq)
        printf("BROKEN at event %" PRId64 ": %s: %s (%" PRId64 " events before it verified)\n",
               r.bad_seq, r.problem, r.detail, r.count);
    if (r.records_bad) {
        printf("RECORDS: %" PRId64 " of %" PRId64 " differ from the audit chain\n", r.records_bad,
               r.records);
        for (int i = 0; i < r.n_listed; i++)
            printf("  %s\n", r.listed[i]);
        if (r.records_bad > r.n_listed)
            printf("  ... and %" PRId64 " more\n", r.records_bad - r.n_listed);
    }
    goto out;
fail:
    fprintf(stderr, "otinish audit: %s\n", err.message);
out:
    svc_store_close(s);
    return rc;
}
