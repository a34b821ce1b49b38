/* otinish report scorecards|alerts|stats: print the effectiveness reports (text, JSON, CSV
 * or XLSX). The same code serves `otinish export` (cmd_export.c). */
#include "cli/cmd_report.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/opts.h"
#include "service/report.h"
#include "util/paths.h"
#include "util/log.h"

/* Text: one tab-separated line per row with a header. */
static int write_text(const ex_table_t *t, FILE *f)
{
    for (size_t c = 0; c < t->ncols; c++)
        fprintf(f, "%s%s", c ? "\t" : "", t->cols[c].name);
    fputc('\n', f);
    for (size_t r = 0; r < t->nrows; r++) {
        for (size_t c = 0; c < t->ncols; c++) {
            const char *s = ex_cell(t, r, c);
            fprintf(f, "%s%s", c ? "\t" : "", s ? s : "");
        }
        fputc('\n', f);
    }
    return 0;
}

static int write_json(const ex_table_t *t, FILE *f)
{
    fputs("[", f);
    for (size_t r = 0; r < t->nrows; r++) {
        fputs(r ? ",\n {" : "{", f);
        for (size_t c = 0; c < t->ncols; c++) {
            const char *s = ex_cell(t, r, c);
            fprintf(f, "%s\"%s\":", c ? "," : "", t->cols[c].name);
            if (!s || !*s)
                fputs("null", f);
            else if (t->cols[c].type != EX_TEXT)
                fputs(s, f);
            else {
                fputc('"', f);
                for (const char *p = s; *p; p++)
                    if (*p == '"' || *p == '\\')
                        fprintf(f, "\\%c", *p);
                    else if ((unsigned char)*p < 0x20)
                        fprintf(f, "\\u%04x", *p);
                    else
                        fputc(*p, f);
                fputc('"', f);
            }
        }
        fputs("}", f);
    }
    fputs("]\n", f);
    return 0;
}

/* The appeals as CSV, written to the file as they are read (report_appeals_each): the memory
 * of one row, whatever the size (the whole table first took about 600 bytes of the process's
 * own memory an appeal: 64 MB for the 100k demo's 105,092). */
struct csv_out {
    FILE *f;
    ex_buf_t b;
    int bom, bad;
};

static int csv_flush(struct csv_out *o)
{
    if (o->b.len && fwrite(o->b.p, 1, o->b.len, o->f) != o->b.len)
        o->bad = 1;
    o->b.len = 0;
    return o->bad;
}

static int csv_row(const ex_table_t *t, void *arg)
{
    struct csv_out *o = arg;
    if (!t->nrows)
        ex_csv_header(&o->b, t->cols, t->ncols, o->bom, NULL);
    else
        ex_csv_line(&o->b, t, 0);
    if (o->b.oom)
        return 1;
    return o->b.len >= 65536 ? csv_flush(o) : 0;
}

/* The appeals as a workbook, each row written to it as it is read (libxlsxwriter's constant
 * memory), the workbook made at out. */
struct xlsx_out {
    const char *path;
    ex_xlsx_t *x;
    ot_err_t *err;
};

static int xlsx_row(const ex_table_t *t, void *arg)
{
    struct xlsx_out *o = arg;
    if (!t->nrows)
        return ex_xlsx_open(&o->x, o->path, t->title, t->cols, t->ncols, NULL, o->err);
    ex_xlsx_line(o->x, t, 0);
    return 0;
}

/* The appeals' CSV at out (stdout when NULL): 0, or the exit status after the message */
static int appeals_csv(const cli_cmd_t *self, const svc_t *svc, const char *from, const char *to,
                       const char *body, int64_t now, int bom, const char *out, size_t *n,
                       ot_err_t *err)
{
    struct csv_out o = {NULL, {0}, bom, 0};
    if (!(o.f = out ? fopen(out, "wb") : stdout)) {
        fprintf(stderr, "otinish %s: cannot write %s\n", self->name, out);
        return CLI_EXIT_FAIL;
    }
    int rc = report_appeals_each(svc, from, to, body, now, csv_row, &o, n, err);
    if (!rc && o.b.oom)
        rc = ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
    csv_flush(&o);
    free(o.b.p);
    if ((out && fclose(o.f)) || (!rc && o.bad)) {
        fprintf(stderr, "otinish %s: cannot write %s\n", self->name, out ? out : "stdout");
        return CLI_EXIT_FAIL;
    }
    return rc ? cli_fail(self, err) : CLI_EXIT_OK;
}

/* The appeals' workbook at out: 0, or the exit status after the message */
static int appeals_xlsx(const cli_cmd_t *self, const svc_t *svc, const char *from, const char *to,
                        const char *body, int64_t now, const char *out, size_t *n, ot_err_t *err)
{
    struct xlsx_out x = {out, NULL, err};
    int rc = report_appeals_each(svc, from, to, body, now, xlsx_row, &x, n, err);
    if (!rc && !x.x) /* the workbook could not be started */
        rc = err->status;
    if (rc)
        ex_xlsx_abandon(x.x);
    else
        rc = ex_xlsx_close(x.x, NULL, err);
    return rc ? cli_fail(self, err) : CLI_EXIT_OK;
}

int report_main(const cli_cmd_t *self, int argc, char **argv, int export_mode)
{
    const char *what = argc >= 2 ? argv[1] : "";
    int is_appeals = !strcmp(what, "appeals");
    if (strcmp(what, "scorecards") && strcmp(what, "alerts") && strcmp(what, "stats") &&
        !(export_mode && is_appeals))
        return cli_usage_error(self, "expected %s",
                               export_mode ? "scorecards, alerts, stats or appeals"
                                           : "scorecards, alerts or stats");
    const char *db = OPT_DEFAULT_DB, *data = paths_data_dir(), *from = NULL, *to = NULL,
               *body = NULL, *format = export_mode ? NULL : "text", *out = NULL, *weights = NULL,
               *month = NULL, *now_s = NULL;
    long months = 3;
    int bom = 0;
    sc_alert_cfg_t cfg = sc_default_alert_cfg;
    static const struct option longopts[] = {
        CLI_LONGOPT_DB,
        {"data-dir", required_argument, NULL, 'D'},
        {"from", required_argument, NULL, 'f'},
        {"to", required_argument, NULL, 't'},
        {"body", required_argument, NULL, 'b'},
        {"format", required_argument, NULL, 'F'},
        {"out", required_argument, NULL, 'o'},
        {"bom", no_argument, NULL, 'B'},
        {"weights", required_argument, NULL, 'w'},
        {"month", required_argument, NULL, 'm'},
        {"months", required_argument, NULL, 'M'},
        {"drop", required_argument, NULL, 'p'},
        {"window", required_argument, NULL, 'W'},
        {"now", required_argument, NULL, 'n'},
        {NULL, 0, NULL, 0},
    };
    int ch;
    long window = cfg.window;
    optind = 1;
    opterr = 0;
    while ((ch = getopt_long(argc - 1, argv + 1, "", longopts, NULL)) != -1) {
        switch (ch) {
        case CLI_OPT_DB:
            db = optarg;
            break;
        case 'D':
            data = optarg;
            break;
        case 'f':
            from = optarg;
            break;
        case 't':
            to = optarg;
            break;
        case 'b':
            body = optarg;
            break;
        case 'F':
            format = optarg;
            break;
        case 'o':
            out = optarg;
            break;
        case 'B':
            bom = 1;
            break;
        case 'w':
            weights = optarg;
            break;
        case 'm':
            month = optarg;
            break;
        case 'n':
            now_s = optarg;
            break;
        case 'M':
            if (opt_int(optarg, 1, 24, &months))
                return cli_usage_error(self, "--months wants 1..24");
            break;
        case 'W':
            if (opt_int(optarg, 1, 24, &window))
                return cli_usage_error(self, "--window wants 1..24");
            break;
        case 'p': {
            char *end;
            cfg.drop = strtod(optarg, &end);
            if (*end || !(cfg.drop > 0 && cfg.drop <= 1))
                return cli_usage_error(self, "--drop wants a share 0..1, e.g. 0.4");
            break;
        }
        default:
            return cli_usage_error(self, "unknown option '%s'", argv[optind]);
        }
    }
    cfg.window = (int)window;
    if (optind < argc - 1)
        return cli_usage_error(self, "unexpected argument '%s'", argv[optind + 1]);
    if (!format || (strcmp(format, "csv") && strcmp(format, "xlsx") &&
                    (export_mode || (strcmp(format, "text") && strcmp(format, "json")))))
        return cli_usage_error(self, "--format is %s",
                               export_mode ? "csv or xlsx" : "text, json, csv or xlsx");
    if (!strcmp(format, "xlsx") && !out)
        return cli_usage_error(self, "xlsx needs --out FILE");
    if (export_mode && !out)
        return cli_usage_error(self, "--out FILE is required");
    int64_t now = clock_now_us();
    if (now_s && instant_parse(now_s, &now))
        return cli_usage_error(self, "--now is an ISO 8601 instant with a zone");
    store_t *s = NULL;
    if (cli_open_store(self, db, 0, &s))
        return CLI_EXIT_FAIL;
    svc_t svc;
    memset(&svc, 0, sizeof svc);
    ot_err_t err = {0};
    ex_table_t t;
    memset(&t, 0, sizeof t);
    int rc = CLI_EXIT_FAIL, have = 0;
    if (svc_init(&svc, s, data, &err))
        goto fail;
    if (!strcmp(what, "scorecards")) {
        report_query_t q;
        report_query_init(&q, &svc);
        q.from = from;
        q.to = to;
        q.body = body;
        if ((weights && sc_weights_parse(weights, &q.weights, &err)) ||
            report_scorecards(&svc, NULL, &q, now, &t, &err))
            goto fail;
    } else if (!strcmp(what, "alerts")) {
        if (report_alerts(&svc, NULL, month, (int)months, &cfg, now, &t, &err))
            goto fail;
    } else if (!strcmp(what, "stats")) {
        if (report_public_stats(&svc, from, to, now, &t, &err))
            goto fail;
    } else {
        size_t n = 0;
        rc = !strcmp(format, "xlsx")
                 ? appeals_xlsx(self, &svc, from, to, body, now, out, &n, &err)
                 : appeals_csv(self, &svc, from, to, body, now, bom, out, &n, &err);
        if (!rc && out)
            fprintf(stderr, "%s: %zu rows\n", out, n);
        goto out;
    }
    have = 1;
    FILE *f = out ? fopen(out, "wb") : stdout;
    if (!f) {
        fprintf(stderr, "otinish %s: cannot write %s\n", self->name, out);
        goto out;
    }
    if (!strcmp(format, "text"))
        write_text(&t, f);
    else if (!strcmp(format, "json"))
        write_json(&t, f);
    else {
        char *data_out = NULL;
        size_t len = 0;
        int r = !strcmp(format, "csv") ? ex_csv(&t, bom, &data_out, &len, &err)
                                       : ex_xlsx(&t, &data_out, &len, &err);
        if (!r)
            fwrite(data_out, 1, len, f);
        free(data_out);
        if (r) {
            if (out)
                fclose(f);
            goto fail;
        }
    }
    if (out && fclose(f)) {
        fprintf(stderr, "otinish %s: cannot write %s\n", self->name, out);
        goto out;
    }
    if (out)
        fprintf(stderr, "%s: %zu rows\n", out, t.nrows);
    rc = CLI_EXIT_OK;
    goto out;
fail:
    rc = cli_fail(self, &err);
out:
    if (have)
        ex_table_free(&t);
    svc_free(&svc);
    svc_store_close(s);
    return rc;
}

int cmd_report(int argc, char **argv)
{
    return report_main(cli_find("report"), argc, argv, 0);
}
