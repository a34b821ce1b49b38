/* otinish deadline --kind KIND --received INSTANT [--workday-end HH:MM]
 *                  [--jurisdiction kz] [--data-dir DIR] [--json]
 *
 * INSTANT is ISO 8601 with seconds and a zone, e.g. 2026-03-20T17:00:00+05:00. Prints the
 * registration date and every term date, one "name value" per line ("registered_on
 * 2026-03-20"), or the JSON of svc_deadline_json. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "service/calendar.h"
#include "util/paths.h"

static const char usage_text[] =
    "usage: otinish deadline --kind KIND --received 2026-03-20T17:00:00+05:00\n"
    "                        [--workday-end HH:MM] [--body ID [--db PATH]] [--jurisdiction kz]\n"
    "                        [--data-dir DIR] [--json]\n";

/* The text form is the JSON flattened: scalars as "key value", objects as "key.sub value". */
static void print_flat(const char *prefix, json_t *o)
{
    const char *key;
    json_t *v;
    json_object_foreach(o, key, v)
    {
        char name[128];
        snprintf(name, sizeof name, "%s%s%s", prefix, *prefix ? "." : "", key);
        if (json_is_object(v))
            print_flat(name, v);
        else if (json_is_string(v))
            printf("%s %s\n", name, json_string_value(v));
        else if (json_is_integer(v))
            printf("%s %lld\n", name, (long long)json_integer_value(v));
        else if (json_is_boolean(v))
            printf("%s %s\n", name, json_is_true(v) ? "true" : "false");
    }
}

int cmd_deadline(int argc, char **argv)
{
    static const struct option opts[] = {
        {"kind", required_argument, NULL, 'k'},
        {"received", required_argument, NULL, 'r'},
        {"workday-end", required_argument, NULL, 'w'},
        {"jurisdiction", required_argument, NULL, 'j'},
        {"data-dir", required_argument, NULL, 'd'},
        {"json", no_argument, NULL, 'J'},
        {"body", required_argument, NULL, 'b'},
        CLI_LONGOPT_DB,
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *code = NULL, *data = paths_data_dir(), *kind = NULL, *received = NULL, *body = NULL,
               *db = "var/otinish.db";
    int as_json = 0, workday_end = -1, c;
    optind = 1; /* several commands share the process's getopt state */
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'k':
            kind = optarg;
            break;
        case 'r':
            received = optarg;
            break;
        case 'w':
            if (date_parse_hhmm(optarg, &workday_end)) {
                fprintf(stderr, "otinish deadline: --workday-end must be HH:MM\n%s", usage_text);
                return CLI_EXIT_USAGE;
            }
            break;
        case 'j':
            code = optarg;
            break;
        case 'd':
            data = optarg;
            break;
        case 'J':
            as_json = 1;
            break;
        case 'b':
            body = optarg;
            break;
        case CLI_OPT_DB:
            db = optarg;
            break;
        case 'h':
            fputs(usage_text, stdout);
            return CLI_EXIT_OK;
        default:
            fputs(usage_text, stderr);
            return CLI_EXIT_USAGE;
        }
    }
    if (optind != argc || !kind || !received) {
        fputs(usage_text, stderr);
        return CLI_EXIT_USAGE;
    }
    int rc = CLI_EXIT_FAIL;
    juris_t *j = NULL;
    json_t *o = NULL;
    ot_err_t err;
    char body_code[8]; /* code may point here */
    if (body) {
        /* the body's end of working day and jurisdiction, from the database */
        store_t *s = NULL;
        int brc = svc_store_open(db, 0, &s, &err);
        if (!brc)
            brc = svc_deadline_body(s, body, &workday_end, &code, body_code, &err);
        svc_store_close(s);
        if (brc) {
            fprintf(stderr, "otinish deadline: %s\n", err.message);
            return CLI_EXIT_FAIL;
        }
    }
    if (!code)
        code = "kz";
    if (juris_load(data, code, &j, &err) ||
        svc_deadline_json(j, kind, received, workday_end, &o, &err)) {
        cli_fail(cli_find("deadline"), &err);
        goto out;
    }
    if (as_json) {
        if (json_dumpf(o, stdout, JSON_INDENT(2)) || fputc('\n', stdout) == EOF)
            goto out;
    } else {
        print_flat("", o);
    }
    rc = CLI_EXIT_OK;
out:
    json_decref(o);
    juris_free(j);
    return rc;
}
