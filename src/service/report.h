/* Effectiveness reports: scorecards per body rolled up the body tree, drop and surge
 * alerts, open data (docs/scorecards.md). Read-only use cases, one read transaction each.
 * Every result is an export table (service/export.h) so JSON, CSV and XLSX come from the
 * same rows. */
#ifndef OT_SERVICE_REPORT_H
#define OT_SERVICE_REPORT_H

#include <stdint.h>

#include "domain/scorecard.h"
#include "service/auth.h"
#include "service/appeal.h"
#include "service/export.h"
#include "service/svc.h"

typedef struct report_query {
    const char *from, *to; /* "YYYY-MM-DD", inclusive; NULL: Jan 1 of this year .. today */
    const char *body;      /* the subtree to report (NULL: the whole tree) */
    sc_weights_t weights;
} report_query_t;

/* Zero, with the weights of the data (svc->weights, data/scorecard.tsv). */
void report_query_init(report_query_t *q, const svc_t *svc);

/* Brings the working-day numbers the aggregate triggers use (cal_wd, migration 5) in step
 * with the loaded calendars: when a jurisdiction's calendar fingerprint differs from the one
 * stored, rewrites its numbers and recomputes the working-day aggregates from the appeals,
 * in one write transaction. Cheap (one read) when nothing changed. `otinish init` calls it;
 * the reports call it before reading, so a changed calendar heals on the next report. */
int report_calendar_sync(const svc_t *svc, int64_t now, ot_err_t *err);

/* One row per body of the subtree (itself and every body under it), in path order. The
 * figures of a row cover the body and all its sub-bodies; "rank" orders siblings (bodies
 * with the same parent) by the composite index, 1 = best. user NULL: the CLI (no limit);
 * otherwise supervisors and auditors see every body, heads their own subtree. *out is
 * initialised here; the caller frees it with ex_table_free. */
int report_scorecards(const svc_t *svc, const auth_user_t *user, const report_query_t *q,
                      int64_t now, ex_table_t *out, ot_err_t *err);

/* The same rows as raw counts and figures (tests, the bench). *rows is malloc'd. */
typedef struct sc_row {
    char body[64], parent[64], path[256], name[256];
    sc_counts_t total;
    sc_figures_t fig;
    int rank;
} sc_row_t;
int report_scorecard_rows(const svc_t *svc, const auth_user_t *user, const report_query_t *q,
                          int64_t now, sc_row_t **rows, size_t *n, char from[11], char to[11],
                          ot_err_t *err);

/* What user reads reports of: *scope_path "" for the region, else his body's path (heads);
 * OT_EFORBIDDEN for a role that reads none. A NULL user (the command line) reads all. */
int report_reader_scope(const auth_user_t *user, const char **scope_path, ot_err_t *err);

/* Alerts for the months last-months+1 .. last ("YYYY-MM"; NULL: the last complete month;
 * months 1..24): drops of receptions held and appeals answered per body against the median
 * of the body's previous cfg->window months, and surges of appeals per category and
 * district. cfg NULL: sc_default_alert_cfg.
 * A reader of the audit trail who reads no reports (an administrator) gets the operations
 * alerts instead (issue 16): each `notice.undelivered` and `body.no_head` event from the first
 * of those months up to now, newest first (at most 1000), kind `operations`, in a table of
 * its own columns (month, kind, metric, at, object_type, object, body, name, login, notice,
 * reason, count). */
int report_alerts(const svc_t *svc, const auth_user_t *user, const char *last, int months,
                  const sc_alert_cfg_t *cfg, int64_t now, ex_table_t *out, ot_err_t *err);

/* Open data, no personal data: per body, category, district and month, the appeals
 * registered in months from..to ("YYYY-MM"; NULL: the last 12 months), answered, on time.
 * Anyone may read it. */
int report_public_stats(const svc_t *svc, const char *from, const char *to, int64_t now,
                        ex_table_t *out, ot_err_t *err);

/* Appeals registered from..to ("YYYY-MM-DD"; NULL: this year) under body (NULL: all), for
 * export: the appeal's facts without personal data (no applicant, text or address), one at a
 * time, as they are read: row(t, arg) gets first the table with no row (t->nrows 0: the
 * columns, for a header), then each appeal's row in t, a table of one row reused for the
 * next, so an export of any size takes the memory of one row (a non-zero return stops the
 * walk); *n (may be NULL) counts the rows given. */
int report_appeals_each(const svc_t *svc, const char *from, const char *to, const char *body,
                        int64_t now, int (*row)(const ex_table_t *t, void *arg), void *arg,
                        size_t *n, ot_err_t *err);

/* The staff appeal list for export: the appeals appeal_list gives this user with filter f
 * (its scope applied there), every page up to REPORT_LIST_MAX rows (more is OT_EINVAL
 * "too_large", checked here, before any output), with the columns of report_appeals_each: no
 * personal data. As CSV (ex_csv's format; with the BOM when bom is set) or, with xlsx set,
 * as a workbook (ex_xlsx's); headers and codes in lang (may be NULL), which must outlive the
 * stream. Streamed: the rows are read a page at a time (each page its own read, in id order
 * from f->before_id, like the pages of the API) and written as they are read, so the memory
 * does not grow with the export; a CSV's first bytes leave before its last appeal is read, a
 * workbook is written to a temporary file to its end first. The strings of f must outlive the
 * stream (f->today aside, which is copied). *out is freed with report_stream_free. */
#define REPORT_LIST_MAX 100000
typedef struct report_stream report_stream_t;
int report_appeal_stream(const svc_t *svc, const auth_user_t *user, const appeal_filter_t *f,
                         int xlsx, int bom, const ex_lang_t *lang, report_stream_t **out,
                         ot_err_t *err);
/* Up to n bytes of the export into buf: how many (0 at the end), -1 when a read failed (the
 * failure is logged: the output is already under way). */
long report_stream_read(report_stream_t *s, char *buf, size_t n);
void report_stream_free(report_stream_t *s);

#endif
