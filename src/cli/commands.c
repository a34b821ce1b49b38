/* The command table with each command's help text. Keep the usage texts true: they are the
 * reference for operators (README.md points here). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"

const cli_cmd_t cli_commands[] = {
    {"init", "create a database and load reference data (and demo appeals)",
     "usage: otinish init [--db PATH] [--region DIR] [--data-dir DIR] [--demo N]\n"
     "\n"
     "Creates the database (default var/otinish.db) if absent, migrates its schema, and\n"
     "loads the region's reference data: bodies, districts, categories, routing rules.\n"
     "\n"
     "  --db PATH      database file (default var/otinish.db), or a PostgreSQL URI\n"
     "                 (postgresql://...; an existing, empty database: see\n"
     "                 docs/postgresql.md); every command takes either\n"
     "  --region DIR   region data folder (default DATA-DIR/regions/vko)\n"
     "  --data-dir DIR reference data (default: $OTINISH_DATA, else the\n"
     "                 data/ beside the binary: see otinish --help)\n"
     "  --demo N       also create the demo staff accounts (registrar, executor, head,\n"
     "                 supervisor, auditor, admin, head.ridder, ...; password\n"
     "                 otinish-demo-2026) and N demo appeals over the last ten months,\n"
     "                 worked through their lifecycle (default 0)\n",
     cmd_init},
    {"serve", "serve the JSON API, Open311 and the web UI over HTTP",
     "usage: otinish serve [--db PATH] [--db-read URI] [--data-dir DIR] [--listen ADDR:PORT]\n"
     "                     [--threads N]\n"
     "                     [--json-limit BYTES] [--upload-limit BYTES] [--no-access-log]\n"
     "                     [--log-format text|json] [--metrics-allow ADDRS]\n"
     "                     [--attachment-quota FILES,BYTES] [--attachment-daily FILES,BYTES]\n"
     "                     [--booking-limit PHONE,ADDR]\n"
     "                     [--session-ttl SECONDS]\n"
     "                     [--session-idle SECONDS] [--login-limit N]\n"
     "                     [--login-concurrency N] [--public-limit N]\n"
     "                     [--cookie-secure] [--web DIR]\n"
     "\n"
     "Serves until SIGTERM or SIGINT; requests in flight finish first (up to 10 s), then\n"
     "the writes queued for the group commit are committed. Prints 'listening on\n"
     "http://ADDR:PORT' on stdout once ready (port 0 picks a free port); run by systemd\n"
     "(Type=notify), it sends READY=1 to $NOTIFY_SOCKET then, and STOPPING=1 on the\n"
     "signal. Settings also come from the configuration file (see `otinish config`).\n"
     "\n"
     "  --db PATH          database file (default var/otinish.db); must exist (otinish init);\n"
     "                     or a PostgreSQL URI (postgresql://..., multi-host lists too);\n"
     "                     several nodes may serve one PostgreSQL database: the sweep and\n"
     "                     the notice delivery then run on one node at a time (GET /healthz\n"
     "                     store.roles), handed over when that node dies or, stopped or\n"
     "                     stuck, has not confirmed them for --role-timeout seconds\n"
     "  --db-read URI      PostgreSQL only: reports, dashboards, exports, scorecards and\n"
     "                     public tracking read from this read-only connection (a hot\n"
     "                     standby; they may lag it by the replication delay); writes, the\n"
     "                     staff's own lists and appeals stay on --db; an appeal the standby\n"
     "                     does not know yet is tracked on --db; an unreachable standby is\n"
     "                     read around (--db answers). Refused beside an SQLite --db\n"
     "  --data-dir DIR     reference data (default: $OTINISH_DATA, else the\n"
     "                     data/ beside the binary: see otinish --help)\n"
     "  --listen ADDR:PORT address to listen on (default 127.0.0.1:8080)\n"
     "  --threads N        request threads (default: 64 per core on SQLite, 16 per core\n"
     "                     on PostgreSQL; 8..256): the requests that may wait run on\n"
     "                     them, their connection set aside meanwhile: writes (N can\n"
     "                     share one group commit's fsync), and on PostgreSQL the\n"
     "                     reads of the store; a polling thread per core reads every\n"
     "                     request and answers the quick ones itself; reports,\n"
     "                     exports and search run on 4 threads a polling thread, at\n"
     "                     nice 10\n"
     "  --json-limit BYTES largest JSON request body accepted (default 1048576)\n"
     "  --upload-limit B   largest attachment upload (default 10485760)\n"
     "  --attachment-quota FILES,BYTES  a citizen's attachments on one appeal (default\n"
     "                     20,52428800: 20 files, 50 MiB; 0 = no limit on that one)\n"
     "  --attachment-daily FILES,BYTES  a citizen's attachments from one client address\n"
     "                     in any 24 hours (default 50,209715200: 50 files, 200 MiB)\n"
     "  --booking-limit PHONE,ADDR  live reception bookings a phone number and a client\n"
     "                     address may hold (default 3,6; 0 = no limit)\n"
     "  --no-access-log    do not log one line per request on stderr (the access log:\n"
     "                     client address, method, path, status, bytes, microseconds)\n"
     "  --log-format F     text (default: time level key=value ...) or json (one JSON\n"
     "                     object a line), on stderr\n"
     "  --metrics-allow A  client addresses that may read GET /metrics (Prometheus text\n"
     "                     format), comma-separated (default 127.0.0.1,::1; '' = none)\n"
     "  --session-ttl S    a staff session ends S seconds after login (default 43200)\n"
     "  --session-idle S   ... or after S seconds without a request (default 1800)\n"
     "  --login-limit N    failed logins per account from one client address per 15\n"
     "                     minutes before 429 (default 5; per client address, all accounts:\n"
     "                     4 N); the same account still signs in from another address\n"
     "  --login-concurrency N  password checks (Argon2id, 64 MiB each) run at once; a\n"
     "                     login over it gets 503 with Retry-After (default: one per core,\n"
     "                     at least 2)\n"
     "  --public-limit N   public requests (intake, tracking) per client address per\n"
     "                     minute (default 60; 0 = no limit)\n"
     "  --cookie-secure    mark the session cookie Secure and send Strict-Transport-Security\n"
     "                     (when served behind TLS)\n"
     "  --web DIR          the static web UI to serve at / (default: web/ beside the\n"
     "                     binary: see otinish --help)\n"
     "  --sweep-interval S accountability sweep every S seconds (default 300; 0 = off)\n"
     "  --notify-interval S deliver the outbox every S seconds (default 10; 0 = off;\n"
     "                     runs when --smtp-url, --webhook-url or --sms-url is given)\n"
     "  --smtp-url URL     smtp://host:port for e-mail notices (password: environment\n"
     "                     variable OTINISH_SMTP_PASSWORD)\n"
     "  --smtp-user U      SMTP login;  --smtp-from ADDR  sender address\n"
     "  --smtp-starttls    require STARTTLS;  --webhook-url URL  also POST each notice\n"
     "  --sms-url URL      the SMS gateway: applicants' SMS notices are POSTed there as\n"
     "                     JSON {id, to, text, template, language}\n"
     "  --audit-head-interval S  log the audit chain's head ('audit head SEQ HASH') at\n"
     "                     start and every S seconds, and POST it as JSON {type, seq, hash,\n"
     "                     at} to the audit head URL, to keep outside (default 3600; 0 = off)\n"
     "  --audit-head-url URL  where the head is POSTed (default: the --webhook-url, if any)\n"
     "  --role-timeout S   several nodes on PostgreSQL: a node that has not confirmed its\n"
     "                     roles for S seconds (stopped, stuck) loses them to another; a\n"
     "                     running job confirms them as it goes; a write transaction\n"
     "                     left idle that long is rolled back (default 120, 3..86400)\n"
     "  --proceedings-days N, --repeat-months N, --remind LIST  as for `otinish sweep`\n",
     cmd_serve},
    {"calendar", "list the non-working days of a year with their reasons",
     "usage: otinish calendar YEAR [--jurisdiction CODE] [--data-dir DIR] [--json]\n"
     "\n"
     "  --jurisdiction CODE  kz (default) or ru\n"
     "  --data-dir DIR       reference data (default: $OTINISH_DATA, else the\n"
     "                       data/ beside the binary: see otinish --help)\n"
     "  --json               print JSON instead of text\n",
     cmd_calendar},
    {"deadline", "compute the registration date and the statutory term dates",
     "usage: otinish deadline --kind KIND --received INSTANT [--workday-end HH:MM]\n"
     "                        [--body ID [--db PATH]] [--jurisdiction CODE] [--data-dir DIR]\n"
     "                        [--json]\n"
     "\n"
     "  --kind KIND          statement, complaint, proposal, request, response, report\n"
     "  --received INSTANT   ISO 8601 with offset, e.g. 2026-03-20T17:00:00+05:00\n"
     "  --workday-end HH:MM  the receiving body's end of working day (default from terms)\n"
     "  --body ID            use that body's end of working day and jurisdiction (from --db,\n"
     "                       default var/otinish.db)\n"
     "  --jurisdiction CODE  kz (default) or ru\n"
     "  --data-dir DIR       reference data (default: $OTINISH_DATA, else the\n"
     "                       data/ beside the binary: see otinish --help)\n"
     "  --json               print JSON instead of text\n",
     cmd_deadline},
    {"user", "manage staff accounts",
     "usage: otinish user add --login L --name NAME --position POS --role ROLE --body ID\n"
     "                        [--email ADDR]\n"
     "       otinish user list\n"
     "       otinish user disable --login L\n"
     "       otinish user passwd --login L\n"
     "       otinish user expire --login L\n"
     "       (each also takes --db PATH, default var/otinish.db)\n"
     "\n"
     "The password is read from a prompt (twice, echo off) or, when standard input is not a\n"
     "terminal, from its first line; never from the command line. At least 10 characters,\n"
     "4 of them different, and not on the list of common passwords\n"
     "(DATA-DIR/passwords/common.txt, case ignored).\n"
     "Roles: registrar, executor, head, supervisor, auditor, admin (see `otinish roles`).\n"
     "--body is a body id from data/regions/*/bodies.tsv, e.g. vko or ridder.\n"
     "--email is where staff notices (assignments, reminders, violations) go.\n"
     "Disabling a user or changing the password ends the user's sessions. expire forces a\n"
     "password change: the sessions end and the next login (POST /api/v1/session) must\n"
     "give new_password.\n",
     cmd_user},
    {"roles", "print the permission matrix (role x action -> scope)", "usage: otinish roles\n",
     cmd_roles},
    {"audit", "verify the audit chain and the records it binds, print its head, seal records",
     "usage: otinish audit verify [--db PATH] [--expect SEQ:HASH]\n"
     "       otinish audit head [--db PATH]\n"
     "       otinish audit seal [--db PATH]\n"
     "\n"
     "verify walks every event and checks each one's hash, then compares every appeal,\n"
     "violation, head flag, user and API key with the seal its latest event carries (the\n"
     "hash of its rows after the change), and lists records with no event at all. It prints\n"
     "'OK N events, head HASH, M records', or the first event that does not hold and why\n"
     "(changed, missing, reordered), and each record whose rows differ, with the fields;\n"
     "exit status 1 when anything does not hold (docs/audit-chain.md).\n"
     "head prints 'SEQ HASH' of the last event, to pin outside the system (`serve` also\n"
     "publishes it: --audit-head-interval).\n"
     "seal appends an 'audit.seal' event for each record whose latest event carries no seal\n"
     "(last changed before seals existed), so verify compares it from then on.\n"
     "\n"
     "  --db PATH          database file (default var/otinish.db)\n"
     "  --expect SEQ:HASH  a head pinned earlier: event SEQ must be in the chain with this\n"
     "                     hash (catches a rewrite of the whole chain, and its truncation)\n",
     cmd_audit},
    {"sweep", "one accountability sweep: violations, escalation, reminders, head flags",
     "usage: otinish sweep [--db PATH] [--data-dir DIR] [--now INSTANT] [--proceedings-days N]\n"
     "                     [--repeat-months N] [--remind LIST] [--chunk N]\n"
     "\n"
     "Records a violation for each term that passed (late answer, late complaint decision,\n"
     "late forwarding, extension notice not delivered), puts overdue appeals in the oblast\n"
     "control queue, records a violation against the head when proceedings were not started\n"
     "in the term, flags heads by the repeat rule, queues reminders and staff notices.\n"
     "Idempotent: a second run creates nothing twice. `serve` also sweeps on an interval.\n"
     "A sweep over a backlog commits in chunks, each with the marks of what it did: one\n"
     "stopped midway (killed, power cut) and run again ends as if it had not stopped.\n"
     "\n"
     "  --db PATH             database file (default var/otinish.db)\n"
     "  --data-dir DIR        reference data (default: $OTINISH_DATA, else the\n"
     "                        data/ beside the binary: see otinish --help)\n"
     "  --now INSTANT         sweep as of this instant (ISO 8601 with offset; default now)\n"
     "  --proceedings-days N  working days for the head to start proceedings (default 10)\n"
     "  --repeat-months N     window of the repeat rule in months (default: repeat_window\n"
     "                        in the jurisdiction's terms.txt, 12 months)\n"
     "  --remind LIST         reminders, working days before due (default 3,1)\n"
     "  --chunk N             overdue appeals and repeat pairs per transaction, and 12 N\n"
     "                        events (default 20000: 250,000 events; 100..1000000)\n",
     cmd_sweep},
    {"violations", "list violations of appeal terms",
     "usage: otinish violations list [--db PATH] [--body ID] [--status S] [--kind K]\n"
     "                               [--from DATE] [--to DATE] [--limit N]\n"
     "\n"
     "Prints one violation per line, newest first, tab-separated: id, appeal, kind, term,\n"
     "working days late, body, executor id, head id, status, and who answers for it:\n"
     "responsible id, name, position, body (the executor, else the head of the body, else\n"
     "the head of the nearest body above with one).\n"
     "  --status S  open, proceedings, penalty, dismissed\n"
     "  --kind K    late_answer, late_complaint, late_forward, late_extension_notice,\n"
     "              no_proceedings\n"
     "  --from/--to term dates YYYY-MM-DD (inclusive)\n",
     cmd_violations},
    {"notify", "deliver due notifications from the outbox once; set staff e-mail addresses",
     "usage: otinish notify run [--db PATH] [--data-dir DIR] [--smtp-url URL] [--smtp-user U]\n"
     "                          [--smtp-from ADDR] [--smtp-starttls] [--webhook-url URL]\n"
     "                          [--sms-url URL] [--now INSTANT]\n"
     "       otinish notify contact --login L --email ADDR [--db PATH]\n"
     "\n"
     "run delivers every due notice once (e-mail over SMTP, SMS through the gateway at\n"
     "--sms-url, optional webhook) and exits;\n"
     "`serve` runs the same worker continuously. A failed delivery is retried after 30 s,\n"
     "doubled each time up to 6 h, and marked failed after 10 attempts. --now runs as of\n"
     "that instant (ISO 8601 with offset; default now): what is due then is sent. The SMTP\n"
     "password is read from the environment variable OTINISH_SMTP_PASSWORD, never from the\n"
     "command line. contact sets the e-mail address that staff notices of a user go to.\n",
     cmd_notify},
    {"apikey", "issue, list and revoke API keys of Open311 client applications",
     "usage: otinish apikey add NAME [--db PATH]\n"
     "       otinish apikey list [--db PATH]\n"
     "       otinish apikey revoke ID [--db PATH]\n"
     "\n"
     "Open311 clients (mobile apps, city tools) send their key as api_key when they POST\n"
     "service requests to /open311/v2/requests.{xml,json}; GET needs no key.\n"
     "\n"
     "  add NAME     issue a key for the application NAME; the key is printed once on\n"
     "               stdout (only its SHA-256 is stored: a lost key is revoked and reissued)\n"
     "  list         print every key: id, active or revoked, created (UTC), name\n"
     "  revoke ID    revoke key ID at once (its POSTs then get 403)\n"
     "  --db PATH    database file (default var/otinish.db)\n",
     cmd_apikey},
    {"report", "effectiveness scorecards, drop and surge alerts, open data",
     "usage: otinish report scorecards [--from DATE] [--to DATE] [--body ID] [--weights W]\n"
     "       otinish report alerts [--month YYYY-MM] [--months N] [--window N] [--drop X]\n"
     "       otinish report stats [--from YYYY-MM] [--to YYYY-MM]\n"
     "       (each also takes --format text|json|csv|xlsx, --out FILE, --bom, --now INSTANT,\n"
     "        --db PATH, --data-dir DIR)\n"
     "\n"
     "scorecards: one row per body of the subtree of --body (default: all), figures rolled up\n"
     "  over sub-bodies, for registrations from..to (default: this year up to today); rank is\n"
     "  among siblings by the composite index (docs/scorecards.md). --weights overrides index\n"
     "  weights: resolution:0.25,recurring:0.15,verdict:0.1,repeat:0.05,on_time:0.15,\n"
     "  satisfaction:0.05,complaints:0.1,escalation:0.05,receptions:0.1 (resolution counts\n"
     "  problems solved, receptions are measured against the body's own baseline and\n"
     "  the volume its population calls for: data/regions/*/population.tsv, receptions.tsv)\n"
     "alerts: drops of receptions held and appeals answered per body against the median of\n"
     "  the previous --window months (default 6), --drop share (default 0.4), surges of\n"
     "  appeals per category and district, and the problems that came back (recurring),\n"
     "  for --months (default 3) months ending --month (default: the last complete month)\n"

     "stats: open data (no personal data) by body, category, district and month\n"
     "  --format   text (default, tab-separated), json, csv (RFC 4180), xlsx (needs --out)\n"
     "  --bom      start CSV with a UTF-8 byte order mark (for Excel)\n",
     cmd_report},
    {"export", "export scorecards, alerts, open data or appeal lists as CSV or XLSX",
     "usage: otinish export scorecards|alerts|stats|appeals --format csv|xlsx --out FILE\n"
     "                      [--bom] [--from DATE] [--to DATE] [--body ID] [--db PATH]\n"
     "                      [--data-dir DIR] (and the options of `otinish report`)\n"
     "\n"
     "appeals: appeals received from..to (default this year) under --body, without personal\n"
     "data (no applicant, text or address).\n",
     cmd_export},
    {"backup", "write a consistent copy of the database, also while the server runs",
     "usage: otinish backup --to FILE [--db PATH]\n"
     "\n"
     "Copies the database (default var/otinish.db) to the new file FILE while `serve` may\n"
     "go on writing to it: the copy holds every transaction committed before the backup\n"
     "started. FILE is written under a temporary name, synced and then renamed, so it is\n"
     "complete or absent; an existing FILE is refused (name each backup by date). Check a\n"
     "backup with `otinish restore --from FILE --db SCRATCH` on a scratch path.\n"
     "\n"
     "  --to FILE   the backup file to create\n"
     "  --db PATH   database file (default var/otinish.db)\n",
     cmd_backup},
    {"restore", "check a backup and put it in place of the database",
     "usage: otinish restore --from FILE [--db PATH]\n"
     "\n"
     "Copies FILE beside the database, migrates the copy to this version's schema, and\n"
     "checks it: SQLite's integrity check and the whole audit chain (as `audit verify`).\n"
     "A file that fails either is refused and nothing changes. Then the copy takes the\n"
     "database's place; the database it replaces is kept as PATH.before-restore. Stop\n"
     "`otinish serve` first: a database that is still open is refused.\n"
     "\n"
     "  --from FILE the backup to restore\n"
     "  --db PATH   database file to replace or create (default var/otinish.db)\n",
     cmd_restore},
    {"migrate-db", "copy an SQLite database into PostgreSQL (or back) and verify the copy",
     "usage: otinish migrate-db --from PATH --to URI\n"
     "\n"
     "Copies the SQLite database PATH into the PostgreSQL database URI (postgresql://...;\n"
     "created empty by its administrator: docs/postgresql.md), whose schema it creates:\n"
     "every table in turn, the aggregates as they are, in transactions of 10,000 rows\n"
     "(memory stays small whatever the size), then the ids' sequences moved past the\n"
     "largest ids. Then it compares every table's row count and verifies the whole audit\n"
     "chain on the target (as `audit verify`). Run again, it finishes a copy that stopped\n"
     "part way, writes nothing when the target already holds the same rows, and refuses a\n"
     "target holding others. Stop `otinish serve` on PATH first. Progress per table on a\n"
     "terminal.\n"
     "\n"
     "The other way, `--from URI --to PATH` copies a small PostgreSQL database into a new\n"
     "SQLite file PATH (refused when PATH exists), in one transaction, with the same checks.\n"
     "\n"
     "  --from PATH  the SQLite database file (or URI, the way back)\n"
     "  --to URI     the PostgreSQL database (or PATH, the way back)\n",
     cmd_migrate_db},
    {"config", "check the configuration file; print each setting and where it comes from",
     "usage: otinish config check [--config FILE] [--KEY VALUE]...\n"
     "\n"
     "Reads the configuration file (default /etc/otinish/otinish.conf, else FILE or the\n"
     "environment variable OTINISH_CONFIG), checks every line, and prints each setting\n"
     "with its value and origin: default, file FILE:LINE, or flag (options given here, as\n"
     "a command would take them). A bad line is reported with its file, line and key, and\n"
     "the exit status is 2. The file has one `key = value` a line, keys named like the long\n"
     "options of the commands (db, listen, threads, ...); `#` starts a comment line. Every\n"
     "command reads it and takes the settings it has options for; a flag on the command\n"
     "line overrides the file. A missing /etc/otinish/otinish.conf is no error. Every\n"
     "command also takes --config FILE. See docs/operations.md for the keys.\n",
     cmd_config},
    {"version", "print the version", "usage: otinish version\n", cmd_version},
    {NULL, NULL, NULL, NULL},
};

const cli_cmd_t *cli_find(const char *name)
{
    for (const cli_cmd_t *c = cli_commands; c->name; c++)
        if (strcmp(c->name, name) == 0)
            return c;
    return NULL;
}

int cli_usage_error(const cli_cmd_t *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "otinish %s: ", cmd ? cmd->name : "");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    if (cmd)
        fputs(cmd->usage, stderr);
    return CLI_EXIT_USAGE;
}

int cli_open_store(const cli_cmd_t *cmd, const char *db, int flags, store_t **s)
{
    ot_err_t err = {0};
    if (svc_store_open(db, flags, s, &err)) {
        fprintf(stderr, "otinish %s: %s\n", cmd->name, err.message);
        return CLI_EXIT_FAIL;
    }
    return CLI_EXIT_OK;
}

int cli_fail(const cli_cmd_t *cmd, const ot_err_t *err)
{
    fprintf(stderr, "otinish %s: %s%s%s\n", cmd->name, err->field[0] ? err->field : "",
            err->field[0] ? ": " : "", err->message);
    return CLI_EXIT_FAIL;
}
