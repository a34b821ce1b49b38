/* otinish calendar YEAR [--jurisdiction kz] [--data-dir DIR] [--json]
 *
 * Lists the non-working days of YEAR with their reasons, one per line
 * ("2026-03-24 tue  day off carried over from holiday 2026-03-21 (Наурыз мейрамы)"), then the
 * number of working days; or the JSON of svc_calendar_year_json. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "service/calendar.h"
#include "util/paths.h"

static const char usage_text[] =
    "usage: otinish calendar YEAR [--jurisdiction kz] [--data-dir DIR] [--json]\n";

int cmd_calendar(int argc, char **argv)
{
    static const struct option opts[] = {
        {"jurisdiction", required_argument, NULL, 'j'},
        {"data-dir", required_argument, NULL, 'd'},
        {"json", no_argument, NULL, 'J'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *code = "kz", *data = paths_data_dir();
    int as_json = 0, c;
    optind = 1; /* several commands share the process's getopt state */
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'j':
            code = optarg;
            break;
        case 'd':
            data = optarg;
            break;
        case 'J':
            as_json = 1;
            break;
        case 'h':
            fputs(usage_text, stdout);
            return CLI_EXIT_OK;
        default:
            fputs(usage_text, stderr);
            return CLI_EXIT_USAGE;
        }
    }
    if (argc - optind != 1) {
        fputs(usage_text, stderr);
        return CLI_EXIT_USAGE;
    }
    char *end;
    errno = 0;
    long year = strtol(argv[optind], &end, 10);
    if (errno || *end || end == argv[optind] || year < 1 || year > 9999) {
        fprintf(stderr, "otinish calendar: bad year '%s'\n%s", argv[optind], usage_text);
        return CLI_EXIT_USAGE;
    }

    int rc = CLI_EXIT_FAIL;
    juris_t *j = NULL;
    json_t *o = NULL;
    cal_day_info_t *days = NULL;
    ot_err_t err;
    if (juris_load(data, code, &j, &err))
        goto fail;
    if (as_json) {
        if (svc_calendar_year_json(j, (int)year, &o, &err))
            goto fail;
        if (json_dumpf(o, stdout, JSON_INDENT(2)) || fputc('\n', stdout) == EOF)
            goto out;
        rc = CLI_EXIT_OK;
        goto out;
    }
    size_t n;
    int working;
    if (cal_year_non_working(j->cal, (int)year, &days, &n, &err) ||
        cal_year_working_count(j->cal, (int)year, &working, &err))
        goto fail;
    for (size_t i = 0; i < n; i++) {
        char d[11];
        date_format(days[i].day, d);
        printf("%s %s ", d, date_weekday_name(date_weekday(days[i].day)));
        for (size_t k = 0; k < days[i].n_marks; k++)
            printf("%s%s", k ? "; " : " ", days[i].marks[k].reason);
        putchar('\n');
    }
    printf("working_days %d\n", working);
    ot_day_t jan1;
    date_from_ymd((int)year, 1, 1, &jan1);
    if (cal_is_provisional(j->cal, jan1)) {
        const char *names[16];
        size_t nu = cal_unknowns(j->cal, names, 16);
        printf("provisional: projected from the annual rules (%s)\n",
               cal_projection_source(j->cal));
        for (size_t i = 0; i < nu && i < 16; i++)
            printf("unknown: %s\n", names[i]);
    }
    rc = CLI_EXIT_OK;
    goto out;
fail:
    fprintf(stderr, "otinish calendar: %s\n", err.message);
out:
    free(days);
    json_decref(o);
    juris_free(j);
    return rc;
}
