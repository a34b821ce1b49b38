/* The command table with each command's help text. Keep the usage texts true: they are the
 * reference for operators (README.md points here). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"

const cli_cmd_t cli_commands[] = {
    {"init", "create a database and load reference data (and demo appeals)",
     "usage: otinish init [--db PATH] [--region DIR] [--data DIR] [--demo N]\n"
     "\n"
     "Creates the database (default var/otinish.db) if absent, migrates its schema, and\n"
     "loads the region's reference data: bodies, districts, categories, routing rules.\n"
     "\n"
     "  --db PATH      database file (default var/otinish.db)\n"
     "  --region DIR   region data folder (default data/regions/vko)\n"
     "  --data DIR     data folder with jurisdictions/ (default data)\n"
     "  --demo N       also generate N demo appeals (default 0)\n",
     cmd_init},
    {"serve", "serve the JSON API (and later the web UI) over HTTP",
     "usage: otinish serve [--db PATH] [--data DIR] [--listen ADDR:PORT] [--threads N]\n"
     "                     [--json-limit BYTES] [--no-access-log] [--session-ttl SECONDS]\n"
     "                     [--session-idle SECONDS] [--login-limit N] [--public-limit N]\n"
     "                     [--cookie-secure] [--web DIR]\n"
     "\n"
     "Serves until SIGTERM or SIGINT; requests in flight finish first. Prints\n"
     "'listening on http://ADDR:PORT' on stdout once ready (port 0 picks a free port).\n"
     "\n"
     "  --db PATH          database file (default var/otinish.db); must exist (otinish init)\n"
     "  --data DIR         data folder with jurisdictions/ (default data)\n"
     "  --listen ADDR:PORT address to listen on (default 127.0.0.1:8080)\n"
     "  --threads N        HTTP worker threads (default: number of cores)\n"
     "  --json-limit BYTES largest JSON request body accepted (default 1048576)\n"
     "  --no-access-log    do not log one line per request on stderr\n"
     "  --session-ttl S    a staff session ends S seconds after login (default 43200)\n"
     "  --session-idle S   ... or after S seconds without a request (default 1800)\n"
     "  --login-limit N    failed logins per account per 15 minutes before 429 (default 5;\n"
     "                     per client address: 4 N)\n"
     "  --public-limit N   public requests (intake, tracking) per client address per\n"
     "                     minute (default 60; 0 = no limit)\n"
     "  --cookie-secure    mark the session cookie Secure (when served behind TLS)\n"
     "  --web DIR          the static web UI to serve at / (default web)\n",
     cmd_serve},
    {"calendar", "list the non-working days of a year with their reasons",
     "usage: otinish calendar YEAR [--jurisdiction CODE] [--data DIR] [--json]\n"
     "\n"
     "  --jurisdiction CODE  kz (default) or ru\n"
     "  --data DIR           data folder with jurisdictions/ (default data)\n"
     "  --json               print JSON instead of text\n",
     cmd_calendar},
    {"deadline", "compute the registration date and the statutory term dates",
     "usage: otinish deadline --kind KIND --received INSTANT [--workday-end HH:MM]\n"
     "                        [--jurisdiction CODE] [--data DIR] [--json]\n"
     "\n"
     "  --kind KIND          statement, complaint, proposal, request, response, report\n"
     "  --received INSTANT   ISO 8601 with offset, e.g. 2026-03-20T17:00:00+05:00\n"
     "  --workday-end HH:MM  the receiving body's end of working day (default from terms)\n"
     "  --jurisdiction CODE  kz (default) or ru\n"
     "  --data DIR           data folder with jurisdictions/ (default data)\n"
     "  --json               print JSON instead of text\n",
     cmd_deadline},
    {"user", "manage staff accounts",
     "usage: otinish user add --login L --name NAME --position POS --role ROLE --body ID\n"
     "       otinish user list\n"
     "       otinish user disable --login L\n"
     "       otinish user passwd --login L\n"
     "       (each also takes --db PATH, default var/otinish.db)\n"
     "\n"
     "The password is read from a prompt (twice, echo off) or, when standard input is not a\n"
     "terminal, from its first line; never from the command line. At least 10 characters.\n"
     "Roles: registrar, executor, head, supervisor, auditor, admin (see `otinish roles`).\n"
     "--body is a body id from data/regions/*/bodies.tsv, e.g. vko or ridder.\n"
     "Disabling a user or changing the password ends the user's sessions.\n",
     cmd_user},
    {"roles", "print the permission matrix (role x action -> scope)",
     "usage: otinish roles\n", cmd_roles},
    {"audit", "verify the tamper-evident audit chain, or print its head",
     "usage: otinish audit verify [--db PATH]\n"
     "       otinish audit head [--db PATH]\n"
     "\n"
     "verify walks every event and prints 'OK N events, head HASH', or the first event that\n"
     "does not match and why (changed, missing, reordered); exit status 1 when broken.\n"
     "head prints 'SEQ HASH' of the last event, to pin outside the system.\n",
     cmd_audit},
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
