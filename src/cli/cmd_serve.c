/* otinish serve: the HTTP server until SIGTERM/SIGINT. */
#include <getopt.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/opts.h"
#include "http/server.h"
#include "service/calendar_sync.h"
#include "service/problem.h"
#include "service/juris.h"
#include "service/notify.h"
#include "service/sweep.h"
#include "util/paths.h"
#include "util/log.h"
#include "util/sdnotify.h"

/* "N,M" (each 0..2^40; 0 = no limit) into q: FILES,BYTES of a quota (or PHONE,ADDR). */
static int opt_quota(const char *s, svc_quota_t *q)
{
    char files[32];
    const char *comma = strchr(s, ',');
    long f, b;
    if (!comma || (size_t)(comma - s) >= sizeof files)
        return -1;
    snprintf(files, sizeof files, "%.*s", (int)(comma - s), s);
    if (opt_int(files, 0, 1L << 40, &f) || opt_int(comma + 1, 0, 1L << 40, &b))
        return -1;
    *q = (svc_quota_t){f, b};
    return 0;
}

int cmd_serve(int argc, char **argv)
{
    const cli_cmd_t *self = cli_find("serve");
    const char *db_path = OPT_DEFAULT_DB, *data_dir = paths_data_dir(), *web_dir = paths_web_dir();
    char addr[64] = "127.0.0.1";
    int port = 8080;
    /* Request threads block while the group-commit writer makes their write durable (or
     * PostgreSQL answers a read); enough of them must wait together for one fsync to serve
     * many (docs/group-commit.md "Threads"). The polling threads never wait: one per core.
     * 0: the engine's default, once --db is known (below). */
    long threads = 0, json_limit = 1 << 20, upload_limit = 10L << 20;
    long poll_threads = sysconf(_SC_NPROCESSORS_ONLN) < 2 ? 2 : sysconf(_SC_NPROCESSORS_ONLN);
    int access_log = 1, cookie_secure = 0;
    const char *metrics_allow = "127.0.0.1,::1";
    const char *db_read = NULL; /* --db-read: reports and tracking from a replica */
    long ttl = 43200, idle = 1800, login_limit = 5, public_limit = 60;
    /* Each password check is an Argon2id run of 64 MiB: one per core keeps the CPUs busy
     * without letting a flood of logins take gigabytes and starve the other requests. */
    long login_concurrency = sysconf(_SC_NPROCESSORS_ONLN) < 2 ? 2 : sysconf(_SC_NPROCESSORS_ONLN);
    static const struct option longopts[] = {
        CLI_LONGOPT_DB,
        {"data-dir", required_argument, NULL, 'D'},
        {"listen", required_argument, NULL, 'l'},
        {"threads", required_argument, NULL, 't'},
        {"json-limit", required_argument, NULL, 'j'},
        {"no-access-log", no_argument, NULL, 'q'},
        {"session-ttl", required_argument, NULL, 'T'},
        {"session-idle", required_argument, NULL, 'I'},
        {"login-limit", required_argument, NULL, 'L'},
        {"login-concurrency", required_argument, NULL, 0x305},
        {"public-limit", required_argument, NULL, 'P'},
        {"cookie-secure", no_argument, NULL, 'S'},
        {"web", required_argument, NULL, 'W'},
        {"upload-limit", required_argument, NULL, 0x300},
        {"log-format", required_argument, NULL, 0x301},
        {"metrics-allow", required_argument, NULL, 0x302},
        {"attachment-quota", required_argument, NULL, 0x306},
        {"attachment-daily", required_argument, NULL, 0x307},
        {"booking-limit", required_argument, NULL, 0x308},
        {"db-read", required_argument, NULL, 0x309},
        {"sweep-interval", required_argument, NULL, 0x200},
        {"notify-interval", required_argument, NULL, 0x201},
        {"smtp-url", required_argument, NULL, 0x202},
        {"smtp-user", required_argument, NULL, 0x203},
        {"smtp-from", required_argument, NULL, 0x204},
        {"smtp-starttls", no_argument, NULL, 0x205},
        {"webhook-url", required_argument, NULL, 0x206},
        {"sms-url", required_argument, NULL, 0x207},
        {"audit-head-interval", required_argument, NULL, 0x208},
        {"audit-head-url", required_argument, NULL, 0x209},
        {"role-timeout", required_argument, NULL, 0x20a},
        {"proceedings-days", required_argument, NULL, 0x100},
        {"repeat-months", required_argument, NULL, 0x101},
        {"remind", required_argument, NULL, 0x102},
        {NULL, 0, NULL, 0},
    };
    /* accountability: sweeper and outbox worker (0 s interval: off) */
    long sweep_s = 300, notify_s = 10, head_s = 3600;
    viol_policy_t pol = viol_default_policy;
    notify_config_t ncfg;
    notify_config_defaults(&ncfg);
    notify_threads_t *bg = NULL;
    svc_quota_t q_appeal = {-1, -1}, q_daily = {-1, -1}; /* -1: the service's default */
    svc_quota_t book_limit = {-1, -1};                   /* per phone, per address */
    int ch;
    optind = 1;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (ch) {
        case CLI_OPT_DB:
            db_path = optarg;
            break;
        case 'D':
            data_dir = optarg;
            break;
        case 'l':
            if (opt_listen(optarg, addr, sizeof addr, &port))
                return cli_usage_error(self, "--listen wants ADDR:PORT, got '%s'", optarg);
            break;
        case 't':
            if (opt_int(optarg, 1, 256, &threads))
                return cli_usage_error(self, "--threads wants 1..256, got '%s'", optarg);
            break;
        case 'j':
            if (opt_int(optarg, 1024, 1L << 30, &json_limit))
                return cli_usage_error(self, "--json-limit wants 1024..1073741824");
            break;
        case 'q':
            access_log = 0;
            break;
        case 0x300:
            if (opt_int(optarg, 1024, 1L << 30, &upload_limit))
                return cli_usage_error(self, "--upload-limit wants 1024..1073741824");
            break;
        case 0x301:
            if (strcmp(optarg, "text") && strcmp(optarg, "json"))
                return cli_usage_error(self, "--log-format wants text or json, got '%s'", optarg);
            log_set_format(strcmp(optarg, "json") == 0 ? LOG_JSON : LOG_TEXT);
            break;
        case 0x302:
            metrics_allow = optarg;
            break;
        case 0x309:
            db_read = optarg;
            break;
        case 0x306:
        case 0x307:
            if (opt_quota(optarg, ch == 0x306 ? &q_appeal : &q_daily))
                return cli_usage_error(self,
                                       "--attachment-quota/--attachment-daily want FILES,BYTES"
                                       " (0 = no limit), got '%s'",
                                       optarg);
            break;
        case 0x308:
            if (opt_quota(optarg, &book_limit) || book_limit.files > 1000000 ||
                book_limit.bytes > 1000000)
                return cli_usage_error(self,
                                       "--booking-limit wants PHONE,ADDR (0..1000000; 0 = no "
                                       "limit), got '%s'",
                                       optarg);
            break;
        case 0x305:
            if (opt_int(optarg, 1, 256, &login_concurrency))
                return cli_usage_error(self, "--login-concurrency wants 1..256, got '%s'", optarg);
            break;
        case 'T':
        case 'I':
            if (opt_int(optarg, 1, 30L * 86400, ch == 'T' ? &ttl : &idle))
                return cli_usage_error(self, "session times want 1..2592000 seconds");
            break;
        case 'L':
        case 'P':
            if (opt_int(optarg, 0, 1000000, ch == 'L' ? &login_limit : &public_limit))
                return cli_usage_error(self, "limits want 0..1000000");
            break;
        case 'S':
            cookie_secure = 1;
            break;
        case 0x200:
        case 0x201:
            if (opt_int(optarg, 0, 86400, ch == 0x200 ? &sweep_s : &notify_s))
                return cli_usage_error(self, "intervals want 0..86400 seconds");
            break;
        case 0x202:
            ncfg.smtp_url = optarg;
            break;
        case 0x203:
            ncfg.smtp_user = optarg;
            break;
        case 0x204:
            ncfg.smtp_from = optarg;
            break;
        case 0x205:
            ncfg.starttls = 1;
            break;
        case 0x206:
            ncfg.webhook_url = optarg;
            break;
        case 0x207:
            ncfg.sms_url = optarg;
            break;
        case 0x208:
            if (opt_int(optarg, 0, 86400, &head_s))
                return cli_usage_error(self, "intervals want 0..86400 seconds");
            break;
        case 0x209:
            ncfg.audit_head_url = optarg;
            break;
        case 0x20a: {
            long s;
            if (opt_int(optarg, 3, 86400, &s))
                return cli_usage_error(self, "--role-timeout wants 3..86400 seconds");
            ncfg.role_lapse_ms = (int)s * 1000;
            break;
        }
        case 0x100:
        case 0x101:
        case 0x102:
            if (sweep_policy_opt(ch, optarg, &pol) < 0)
                return cli_usage_error(self, "bad value '%s'", optarg);
            break;
        case 'W':
            web_dir = optarg;
            break;
        default:
            return cli_usage_error(self, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error(self, "unexpected argument '%s'", argv[optind]);
    /* On SQLite a request thread waits only for a write's commit (reads stay on the polling
     * threads): 64 per core, so that a batch holds twice the units of 16 (intake of varied
     * appeals at 1M +13 %, reads the same); on PostgreSQL each holds a connection while it
     * reads: 16 per core */
    if (!threads)
        threads = (svc_db_is_uri(db_path) ? 16 : 64) * sysconf(_SC_NPROCESSORS_ONLN);
    if (threads < 8)
        threads = 8;
    if (threads > 256)
        threads = 256;
    /* glibc gives the top of a thread's arena back to the kernel (madvise) as soon as 128 KiB
     * of it is free, and the next request faults the pages in again: under the intake bench
     * that was 15 % of the server's time (page faults, TLB shootdowns across the pool). Keep
     * up to 256 MiB free before trimming, and serve blocks up to 32 MiB from the arenas. */
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
    mallopt(M_MMAP_THRESHOLD, 32 << 20);

    /* Signals are taken by sigwait below, so block them in every thread started from here. */
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);

    int rc = CLI_EXIT_FAIL, port_out = 0;
    ot_err_t err = {0};
    app_t app = {0};
    http_server_t *srv = NULL;
    if (!svc_db_is_uri(db_path) && access(db_path, F_OK) != 0) {
        fprintf(stderr, "otinish serve: no database at %s: run `otinish init --db %s` first\n",
                db_path, db_path);
        return CLI_EXIT_FAIL;
    }
    store_t *store = NULL;
    if (cli_open_store(self, db_path, SVC_STORE_WRITER, &store))
        return CLI_EXIT_FAIL;
    if (db_read && svc_store_set_replica(store, db_read, &err)) {
        fprintf(stderr, "otinish serve: %s\n", err.message);
        goto out;
    }
    if (svc_init(&app.svc, store, data_dir, &err)) {
        fprintf(stderr, "otinish serve: %s\n", err.message);
        goto out;
    }
    if (q_appeal.files >= 0)
        app.svc.attach_per_appeal = q_appeal;
    if (q_daily.files >= 0)
        app.svc.attach_per_addr_day = q_daily;
    if (book_limit.files >= 0) {
        app.svc.book_per_phone = (int)book_limit.files;
        app.svc.book_per_addr = (int)book_limit.bytes;
    }
    /* a calendar or terms file changed since the last start: running deadlines follow */
    sync_report_t sync;
    if (calendar_sync(&app.svc, clock_now_us(), &sync, &err)) {
        fprintf(stderr, "otinish serve: recomputing deadlines: %s\n", err.message);
        goto out;
    }
    if (sync.changed_jurisdictions)
        log_info("calendar data new or changed: %zu open appeals checked, %zu moved", sync.checked,
                 sync.moved);
    /* the problems' address settings changed: their place keys follow */
    if (problem_places_sync(&app.svc, NULL, &err)) {
        fprintf(stderr, "otinish serve: remaking the problems' place keys: %s\n", err.message);
        goto out;
    }
    app.data_dir = data_dir;
    app.cfg = (http_config_t){
        .listen_addr = addr,
        .port = port,
        .poll_threads = (int)poll_threads,
        .threads = (int)threads,
        .json_limit = (size_t)json_limit,
        .upload_limit = (size_t)upload_limit,
        .access_log = access_log,
        .cookie_secure = cookie_secure,
        .web_dir = web_dir,
        .login_per_account = {(int)login_limit, 15 * 60},
        .login_per_ip = {(int)login_limit * 4, 15 * 60},
        .public_per_ip = {(int)public_limit, 60},
        .auth = {ttl * 1000000, idle * 1000000, (int)login_concurrency},
        .metrics_allow = metrics_allow,
    };
    app.rl = rl_new();
    if (http_server_start(&app, &srv, &port_out, &err)) {
        fprintf(stderr, "otinish serve: %s\n", err.message);
        goto out;
    }
    printf("listening on http://%s:%d\n", addr, port_out);
    fflush(stdout);
    svc_store_info_t si;
    svc_store_info(store, &si);
    log_info("serving %s (schema %d) on %s:%d with %ld polling and %ld request threads", db_path,
             si.schema_version, addr, port_out, poll_threads, threads);
    if (db_read)
        log_info("reports, dashboards, exports and tracking read from %s", db_read);
    int sig = 0;
    ncfg.data_dir = data_dir;
    ncfg.smtp_password = getenv("OTINISH_SMTP_PASSWORD");
    ncfg.audit_head_ms = (int)head_s * 1000;
    notify_threads_start(&app.svc, &ncfg, (int)notify_s * 1000, &pol, (int)sweep_s * 1000, &bg,
                         &err);
    /* systemd (Type=notify): ready once the socket listens and the workers run */
    if (sd_notify_send("READY=1\nSTATUS=serving") < 0)
        log_warn("cannot notify systemd through NOTIFY_SOCKET");
    sigwait(&sigs, &sig);
    log_info("signal %d: stopping", sig);
    sd_notify_send("STOPPING=1");
    http_server_stop(srv, 10000);
    notify_threads_stop(bg);
    rc = CLI_EXIT_OK;
out:
    rl_free(app.rl);
    svc_free(&app.svc);
    svc_store_close(store);
    return rc;
}
