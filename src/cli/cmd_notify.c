/* otinish notify: deliver due notices once; set a staff user's e-mail address. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/opts.h"
#include "service/auth.h"
#include "service/notify.h"
#include "util/log.h"

int cmd_notify(int argc, char **argv)
{
    const cli_cmd_t *self = cli_find("notify");
    const char *db_path = OPT_DEFAULT_DB, *login = NULL, *email = NULL;
    notify_config_t cfg;
    notify_config_defaults(&cfg);
    int64_t now = clock_now_us();
    if (argc < 2 || (strcmp(argv[1], "run") && strcmp(argv[1], "contact")))
        return cli_usage_error(self, "expected 'run' or 'contact'");
    int run = !strcmp(argv[1], "run");
    static const struct option longopts[] = {
        CLI_LONGOPT_DB,
        {"data-dir", required_argument, NULL, 'D'},
        {"smtp-url", required_argument, NULL, 'u'},
        {"smtp-user", required_argument, NULL, 'U'},
        {"smtp-from", required_argument, NULL, 'f'},
        {"smtp-starttls", no_argument, NULL, 's'},
        {"webhook-url", required_argument, NULL, 'w'},
        {"sms-url", required_argument, NULL, 'S'},
        {"login", required_argument, NULL, 'l'},
        {"email", required_argument, NULL, 'e'},
        {"now", required_argument, NULL, 'n'},
        {NULL, 0, NULL, 0},
    };
    int ch;
    optind = 2;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (ch) {
        case CLI_OPT_DB:
            db_path = optarg;
            break;
        case 'D':
            cfg.data_dir = optarg;
            break;
        case 'u':
            cfg.smtp_url = optarg;
            break;
        case 'U':
            cfg.smtp_user = optarg;
            break;
        case 'f':
            cfg.smtp_from = optarg;
            break;
        case 's':
            cfg.starttls = 1;
            break;
        case 'w':
            cfg.webhook_url = optarg;
            break;
        case 'S':
            cfg.sms_url = optarg;
            break;
        case 'l':
            login = optarg;
            break;
        case 'e':
            email = optarg;
            break;
        case 'n':
            if (instant_parse(optarg, &now))
                return cli_usage_error(self, "--now wants ISO 8601 with a zone, got '%s'", optarg);
            break;
        default:
            return cli_usage_error(self, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (!run && (!login || !email))
        return cli_usage_error(self, "contact needs --login and --email");
    cfg.smtp_password = getenv("OTINISH_SMTP_PASSWORD");
    ot_err_t err = {0};
    store_t *store = NULL;
    svc_t svc = {0};
    int rc = CLI_EXIT_FAIL;
    if (cli_open_store(self, db_path, 0, &store))
        return CLI_EXIT_FAIL;
    if (!run) {
        if (auth_user_email(store, "cli", login, email, now, &err))
            goto fail;
    } else {
        notify_report_t rep;
        if (svc_init(&svc, store, cfg.data_dir, &err) ||
            notify_run_once(&svc, &cfg, now, &rep, &err))
            goto fail;
        printf("sent %lld, to retry %lld, failed %lld\n", (long long)rep.sent,
               (long long)rep.retried, (long long)rep.failed);
    }
    rc = CLI_EXIT_OK;
    goto out;
fail:
    fprintf(stderr, "otinish notify: %s\n", err.message);
out:
    svc_free(&svc);
    svc_store_close(store);
    return rc;
}
