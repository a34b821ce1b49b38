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
     "                     [--json-limit BYTES] [--no-access-log]\n"
     "\n"
     "Serves until SIGTERM or SIGINT; requests in flight finish first. Prints\n"
     "'listening on http://ADDR:PORT' on stdout once ready (port 0 picks a free port).\n"
     "\n"
     "  --db PATH          database file (default var/otinish.db); must exist (otinish init)\n"
     "  --data DIR         data folder with jurisdictions/ (default data)\n"
     "  --listen ADDR:PORT address to listen on (default 127.0.0.1:8080)\n"
     "  --threads N        HTTP worker threads (default: number of cores)\n"
     "  --json-limit BYTES largest JSON request body accepted (default 1048576)\n"
     "  --no-access-log    do not log one line per request on stderr\n",
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
