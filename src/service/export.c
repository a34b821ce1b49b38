#include "service/export.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "util/file.h"

void ex_table_init(ex_table_t *t, const char *title, const ex_col_t *cols, size_t ncols)
{
    memset(t, 0, sizeof *t);
    snprintf(t->title, sizeof t->title, "%s", title);
    t->cols = cols;
    t->ncols = ncols;
}

void ex_table_free(ex_table_t *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->nrows * t->ncols; i++)
        free(t->cells[i]);
    free(t->cells);
    t->cells = NULL;
    t->nrows = t->cap = 0;
}

long ex_row(ex_table_t *t)
{
    if (t->nrows == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 64;
        char **c = realloc(t->cells, cap * t->ncols * sizeof *c);
        if (!c)
            return -1;
        t->cells = c;
        t->cap = cap;
    }
    memset(t->cells + t->nrows * t->ncols, 0, t->ncols * sizeof *t->cells);
    return (long)t->nrows++;
}

void ex_text(ex_table_t *t, long row, size_t col, const char *s)
{
    if (row < 0 || col >= t->ncols)
        return;
    char **c = &t->cells[(size_t)row * t->ncols + col];
    free(*c);
    *c = s ? strdup(s) : NULL;
}

void ex_int(ex_table_t *t, long row, size_t col, int64_t v)
{
    char b[24];
    snprintf(b, sizeof b, "%lld", (long long)v);
    ex_text(t, row, col, b);
}

void ex_num(ex_table_t *t, long row, size_t col, double v, int has, int decimals)
{
    if (!has) {
        ex_text(t, row, col, NULL);
        return;
    }
    char b[48];
    snprintf(b, sizeof b, "%.*f", decimals, v);
    /* trim trailing zeros: 87.50 -> 87.5, 2.00 -> 2 */
    if (strchr(b, '.')) {
        char *e = b + strlen(b) - 1;
        while (*e == '0')
            *e-- = '\0';
        if (*e == '.')
            *e = '\0';
    }
    if (!strcmp(b, "-0"))
        strcpy(b, "0");
    ex_text(t, row, col, b);
}

const char *ex_cell(const ex_table_t *t, size_t row, size_t col)
{
    return row < t->nrows && col < t->ncols ? t->cells[row * t->ncols + col] : NULL;
}

/* ==== CSV ==== */

typedef ex_buf_t buf_t;

#define BUF_MAX ((size_t)1 << 30) /* 1 GiB: beyond that the export is refused */

static void put(buf_t *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = cap <= BUF_MAX ? realloc(b->p, cap) : NULL;
        if (!p) {
            b->oom = 1;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void put_field(buf_t *b, const char *s)
{
    if (!s)
        return;
    if (!strpbrk(s, ",\"\r\n")) {
        put(b, s, strlen(s));
        return;
    }
    put(b, "\"", 1);
    for (const char *q; (q = strchr(s, '"')); s = q + 1) {
        put(b, s, (size_t)(q - s));
        put(b, "\"\"", 2);
    }
    put(b, s, strlen(s));
    put(b, "\"", 1);
}

/* A column's header and a cell in the table's language. */
static const char *header_of(const ex_lang_t *l, const ex_col_t *col)
{
    const char *s = l && l->header ? l->header(l->ctx, col->name) : NULL;
    return s ? s : col->name;
}

static const char *cell_of(const ex_table_t *t, size_t row, size_t col)
{
    const char *v = ex_cell(t, row, col);
    if (!v || !*v || !t->lang || !t->lang->value || t->cols[col].type != EX_TEXT)
        return v;
    const char *s = t->lang->value(t->lang->ctx, t->cols[col].name, v);
    return s ? s : v;
}

void ex_csv_header(ex_buf_t *b, const ex_col_t *cols, size_t ncols, int bom, const ex_lang_t *lang)
{
    if (bom)
        put(b, "\xEF\xBB\xBF", 3);
    for (size_t c = 0; c < ncols; c++) {
        if (c)
            put(b, ",", 1);
        put_field(b, header_of(lang, &cols[c]));
    }
    put(b, "\r\n", 2);
}

void ex_csv_line(ex_buf_t *b, const ex_table_t *t, size_t row)
{
    for (size_t c = 0; c < t->ncols; c++) {
        if (c)
            put(b, ",", 1);
        put_field(b, cell_of(t, row, c));
    }
    put(b, "\r\n", 2);
}

int ex_csv(const ex_table_t *t, int bom, char **out, size_t *len, ot_err_t *err)
{
    buf_t b = {0};
    ex_csv_header(&b, t->cols, t->ncols, bom, t->lang);
    for (size_t r = 0; r < t->nrows; r++)
        ex_csv_line(&b, t, r);
    if (b.oom) {
        free(b.p);
        return ot_err(err, OT_ETOOBIG, "export_too_big", NULL, "the export is too big");
    }
    *out = b.p;
    *len = b.len;
    return OT_OK;
}

/* ==== XLSX ==== */

struct ex_xlsx {
    lxw_workbook *wb;
    lxw_worksheet *ws;
    lxw_row_t row; /* the next row */
    char path[512];
    int temp; /* path is a private temporary file */
};

static void xlsx_drop(ex_xlsx_t *x)
{
    if (x->temp)
        unlink(x->path);
    free(x);
}

int ex_xlsx_open(ex_xlsx_t **out, const char *path, const char *title, const ex_col_t *cols,
                 size_t ncols, const ex_lang_t *lang, ot_err_t *err)
{
    *out = NULL;
    ex_xlsx_t *x = calloc(1, sizeof *x);
    if (!x)
        return ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
    if (path)
        snprintf(x->path, sizeof x->path, "%s", path);
    else { /* libxlsxwriter writes to a name: a private one, removed once opened again */
        int fd = file_temp("xlsx", x->path, sizeof x->path);
        if (fd < 0) {
            free(x);
            return ot_err(err, OT_EUNAVAIL, "no_space", NULL,
                          "no room for the export's temporary file; retry");
        }
        close(fd);
        x->temp = 1;
    }
    /* each row goes to the sheet's file as it is written (constant memory: libxlsxwriter
     * kept every cell of a 96,350-row export otherwise, about 390 MB of heap) */
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = (char *)file_temp_dir()};
    x->wb = workbook_new_opt(x->path, &opt);
    x->ws = x->wb ? workbook_add_worksheet(x->wb, title && *title ? title : NULL) : NULL;
    if (!x->ws) {
        if (x->wb)
            workbook_close(x->wb);
        xlsx_drop(x);
        return ot_err(err, OT_EINTERNAL, "xlsx_write", NULL, "cannot start the workbook");
    }
    lxw_format *bold = workbook_add_format(x->wb);
    format_set_bold(bold);
    for (size_t c = 0; c < ncols; c++)
        worksheet_write_string(x->ws, 0, (lxw_col_t)c, header_of(lang, &cols[c]), bold);
    x->row = 1;
    *out = x;
    return OT_OK;
}

void ex_xlsx_line(ex_xlsx_t *x, const ex_table_t *t, size_t row)
{
    for (size_t c = 0; c < t->ncols; c++) {
        const char *s = cell_of(t, row, c);
        if (!s || !*s)
            continue;
        if (t->cols[c].type != EX_TEXT)
            worksheet_write_number(x->ws, x->row, (lxw_col_t)c, strtod(s, NULL), NULL);
        else
            worksheet_write_string(x->ws, x->row, (lxw_col_t)c, s, NULL);
    }
    x->row++;
}

int ex_xlsx_close(ex_xlsx_t *x, int *fd, ot_err_t *err)
{
    if (fd)
        *fd = -1;
    if (!x)
        return OT_OK;
    int rc = OT_OK;
    if (workbook_close(x->wb) != LXW_NO_ERROR)
        rc = ot_err(err, OT_EUNAVAIL, "xlsx_write", NULL, "cannot write the workbook");
    else if (fd && (*fd = open(x->path, O_RDONLY | O_CLOEXEC)) < 0)
        rc = ot_err(err, OT_EINTERNAL, "xlsx_read", NULL, "cannot read the workbook back");
    xlsx_drop(x);
    return rc;
}

void ex_xlsx_abandon(ex_xlsx_t *x)
{
    if (!x)
        return;
    workbook_close(x->wb);
    xlsx_drop(x);
}

int ex_xlsx(const ex_table_t *t, char **out, size_t *len, ot_err_t *err)
{
    ex_xlsx_t *x;
    int fd, rc = ex_xlsx_open(&x, NULL, t->title, t->cols, t->ncols, t->lang, err);
    if (rc)
        return rc;
    for (size_t r = 0; r < t->nrows; r++)
        ex_xlsx_line(x, t, r);
    if ((rc = ex_xlsx_close(x, &fd, err)))
        return rc;
    buf_t b = {0};
    char chunk[65536];
    ssize_t n;
    while ((n = read(fd, chunk, sizeof chunk)) > 0)
        put(&b, chunk, (size_t)n);
    close(fd);
    if (n < 0 || b.oom) {
        free(b.p);
        return n < 0 ? ot_err(err, OT_EINTERNAL, "xlsx_read", NULL, "cannot read the workbook back")
                     : ot_err(err, OT_ETOOBIG, "export_too_big", NULL, "the export is too big");
    }
    *out = b.p;
    *len = b.len;
    return OT_OK;
}
