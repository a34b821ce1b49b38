/* Tables for export: one table type that becomes JSON (in the HTTP layer), CSV (RFC 4180,
 * UTF-8, optional BOM for Excel) or XLSX (libxlsxwriter). Scorecards, alerts and open data
 * build a table once and every format comes from it. */
#ifndef OT_SERVICE_EXPORT_H
#define OT_SERVICE_EXPORT_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

typedef enum ex_type { EX_TEXT, EX_INT, EX_NUM } ex_type_t;

typedef struct ex_col {
    const char *name; /* static: column header and JSON key */
    ex_type_t type;
} ex_col_t;

/* The language of a CSV or XLSX for people (issue 18): the header of a column and the words
 * for the codes in its cells (a status, a kind...). Either function may be NULL or answer
 * NULL: the column's name, the cell as it is. JSON is never translated. */
typedef struct ex_lang {
    const char *(*header)(void *ctx, const char *col);
    const char *(*value)(void *ctx, const char *col, const char *cell);
    void *ctx;
} ex_lang_t;

/* A table of cells held as text ("" or NULL = empty / null). Owns its cells. */
typedef struct ex_table {
    char title[32];        /* sheet name */
    const ex_lang_t *lang; /* NULL: names and codes as they are */
    const ex_col_t *cols;
    size_t ncols, nrows, cap;
    char **cells; /* nrows * ncols */
} ex_table_t;

/* cols must outlive the table (a static array). */
void ex_table_init(ex_table_t *t, const char *title, const ex_col_t *cols, size_t ncols);
void ex_table_free(ex_table_t *t);
/* Appends an empty row; returns its index or -1 when out of memory. */
long ex_row(ex_table_t *t);
void ex_text(ex_table_t *t, long row, size_t col, const char *s);
void ex_int(ex_table_t *t, long row, size_t col, int64_t v);
/* Numbers are written with at most `decimals` decimals; has = 0 leaves the cell empty. */
void ex_num(ex_table_t *t, long row, size_t col, double v, int has, int decimals);
const char *ex_cell(const ex_table_t *t, size_t row, size_t col);

/* RFC 4180: CRLF line ends, fields with a comma, quote, CR or LF quoted, quotes doubled; a
 * header line. bom: start with U+FEFF so that Excel reads UTF-8. *out is malloc'd (the
 * caller frees). */
int ex_csv(const ex_table_t *t, int bom, char **out, size_t *len, ot_err_t *err);

/* CSV a line at a time, for output streamed as it is read: a growable buffer (1 GiB at most:
 * past it oom is set and nothing more is added), the header line (with the BOM when bom is
 * set), then each row of a table, in the format of ex_csv. The caller frees b->p and may
 * empty the buffer (len = 0) between lines. */
typedef struct ex_buf {
    char *p;
    size_t len, cap;
    int oom;
} ex_buf_t;
void ex_csv_header(ex_buf_t *b, const ex_col_t *cols, size_t ncols, int bom, const ex_lang_t *lang);
void ex_csv_line(ex_buf_t *b, const ex_table_t *t, size_t row);

/* An .xlsx workbook with one sheet; numeric columns as numbers. *out is malloc'd. */
int ex_xlsx(const ex_table_t *t, char **out, size_t *len, ot_err_t *err);

/* The same workbook a row at a time, for exports of any size in constant memory: each row
 * goes to the sheet's file as it is written. ex_xlsx_open starts it at path (NULL: a private
 * temporary file) with the header of cols in lang (may be NULL); ex_xlsx_line appends row
 * `row` of t (t->cols as cols); ex_xlsx_close finishes the file and frees x, and with fd not
 * NULL opens a temporary workbook again for reading (*fd, the name already removed: the
 * caller closes it). ex_xlsx_abandon frees x and removes a temporary file unfinished. */
typedef struct ex_xlsx ex_xlsx_t;
int ex_xlsx_open(ex_xlsx_t **x, const char *path, const char *title, const ex_col_t *cols,
                 size_t ncols, const ex_lang_t *lang, ot_err_t *err);
void ex_xlsx_line(ex_xlsx_t *x, const ex_table_t *t, size_t row);
int ex_xlsx_close(ex_xlsx_t *x, int *fd, ot_err_t *err);
void ex_xlsx_abandon(ex_xlsx_t *x);

#endif
