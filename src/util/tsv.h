/* A tiny tab-separated-values reader for the reference data under data/ (regions, calendars).
 *
 * Format: UTF-8 text (an initial BOM is skipped), LF or CRLF line ends. Lines whose first
 * character is '#' are comments; empty lines and lines of only spaces/tabs are skipped. The
 * first other line is the header: the column names, TAB-separated, non-empty and unique.
 * Every following line is a row with exactly as many TAB-separated fields as the header
 * (fields may be empty; no quoting or escaping: a field cannot hold a TAB or a newline).
 *
 * Ownership: tsv_parse copies the input, so the caller's buffer may be freed right after
 * the call. All strings (column names, fields) point into that copy, which the tsv_t owns;
 * they stay valid until tsv_free. Pure: no I/O. */
#ifndef OT_UTIL_TSV_H
#define OT_UTIL_TSV_H

#include <stddef.h>

#include "util/err.h"

typedef struct tsv tsv_t;

typedef struct tsv_row {
    const tsv_t *table;  /* the table the row belongs to (for tsv_col) */
    size_t line;         /* 1-based line number in the source text */
    const char **fields; /* table->n_cols NUL-terminated fields */
} tsv_row_t;

struct tsv {
    char name[48];      /* source name for messages, e.g. "bodies.tsv" */
    size_t header_line; /* 1-based line number of the header */
    size_t n_cols;
    const char **cols; /* column names */
    size_t n_rows;
    tsv_row_t *rows;
    char *buf; /* owned copy of the text, split in place */
};

/* Parses text[0..len) (NUL bytes inside are an error). name is used in messages only.
 * On success *out is a new table the caller frees with tsv_free. Errors (OT_EINVAL):
 *   "tsv_empty"   no header line;
 *   "tsv_header"  an empty or duplicate column name (message names the column);
 *   "tsv_fields"  a row with the wrong number of fields (message names the line);
 *   "tsv_nul"     a NUL byte in the text;
 * err->field is "name:line". OT_EINTERNAL "oom" when memory runs out. */
int tsv_parse(const char *text, size_t len, const char *name, tsv_t **out, ot_err_t *err);

/* Frees t and everything it points to; NULL is allowed. */
void tsv_free(tsv_t *t);

/* Index of the column called name, or -1. */
int tsv_col_index(const tsv_t *t, const char *name);

/* The field of row in the column called name, or NULL if the table has no such column. */
const char *tsv_col(const tsv_row_t *row, const char *name);

/* OT_OK if the table has every column in names (a NULL-terminated list); otherwise
 * OT_EINVAL "tsv_missing_column" naming the first missing one. */
int tsv_require(const tsv_t *t, const char *const *names, ot_err_t *err);

#endif
