/* TSV reader. See tsv.h. */
#include "util/tsv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int blank_line(const char *s)
{
    for (; *s; s++)
        if (*s != ' ' && *s != '\t')
            return 0;
    return 1;
}

/* Splits line in place on TABs into at most max fields (stored in f); returns the number of
 * fields found, which may exceed max (the extra ones are not stored). */
static size_t split(char *line, const char **f, size_t max)
{
    size_t n = 0;
    for (;;) {
        char *tab = strchr(line, '\t');
        if (n < max)
            f[n] = line;
        n++;
        if (!tab)
            return n;
        *tab = '\0';
        line = tab + 1;
    }
}

void tsv_free(tsv_t *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n_rows; i++)
        free((void *)t->rows[i].fields);
    free(t->rows);
    free((void *)t->cols);
    free(t->buf);
    free(t);
}

int tsv_parse(const char *text, size_t len, const char *name, tsv_t **out, ot_err_t *err)
{
    int rc = OT_OK;
    char where[64];
    tsv_t *t = calloc(1, sizeof *t);
    *out = NULL;
    if (!t)
        return ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
    snprintf(t->name, sizeof t->name, "%s", name ? name : "tsv");
    if (memchr(text, '\0', len)) {
        snprintf(where, sizeof where, "%s", t->name);
        rc = ot_err(err, OT_EINVAL, "tsv_nul", where, "%s contains a NUL byte", t->name);
        goto out;
    }
    t->buf = malloc(len + 1);
    if (!t->buf) {
        rc = ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
        goto out;
    }
    memcpy(t->buf, text, len);
    t->buf[len] = '\0';

    size_t cap = 0, line_no = 0;
    char *p = t->buf;
    if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    while (*p) {
        char *line = p;
        char *nl = strchr(p, '\n');
        if (nl) {
            *nl = '\0';
            p = nl + 1;
        } else {
            p += strlen(p);
        }
        line_no++;
        size_t ll = strlen(line);
        if (ll && line[ll - 1] == '\r')
            line[--ll] = '\0';
        if (line[0] == '#' || blank_line(line))
            continue;
        snprintf(where, sizeof where, "%s:%zu", t->name, line_no);
        if (!t->cols) {
            /* Header: count first, then split for real. */
            size_t n = 1;
            for (const char *c = line; *c; c++)
                n += *c == '\t';
            t->cols = calloc(n, sizeof *t->cols);
            if (!t->cols) {
                rc = ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
                goto out;
            }
            t->n_cols = split(line, t->cols, n);
            t->header_line = line_no;
            for (size_t i = 0; i < t->n_cols; i++) {
                if (!t->cols[i][0]) {
                    rc = ot_err(err, OT_EINVAL, "tsv_header", where,
                                "%s line %zu: column %zu of the header has no name", t->name,
                                line_no, i + 1);
                    goto out;
                }
                for (size_t j = 0; j < i; j++)
                    if (strcmp(t->cols[i], t->cols[j]) == 0) {
                        rc = ot_err(err, OT_EINVAL, "tsv_header", where,
                                    "%s line %zu: column '%s' appears twice in the header", t->name,
                                    line_no, t->cols[i]);
                        goto out;
                    }
            }
            continue;
        }
        if (t->n_rows == cap) {
            size_t ncap = cap ? cap * 2 : 64;
            tsv_row_t *nr = realloc(t->rows, ncap * sizeof *nr);
            if (!nr) {
                rc = ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
                goto out;
            }
            t->rows = nr;
            cap = ncap;
        }
        const char **f = calloc(t->n_cols, sizeof *f);
        if (!f) {
            rc = ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
            goto out;
        }
        tsv_row_t *row = &t->rows[t->n_rows++];
        row->table = t;
        row->line = line_no;
        row->fields = f;
        size_t n = split(line, f, t->n_cols);
        if (n != t->n_cols) {
            rc = ot_err(err, OT_EINVAL, "tsv_fields", where,
                        "%s line %zu: %zu fields, the header has %zu columns", t->name, line_no, n,
                        t->n_cols);
            goto out;
        }
    }
    if (!t->cols) {
        snprintf(where, sizeof where, "%s", t->name);
        rc = ot_err(err, OT_EINVAL, "tsv_empty", where, "%s has no header line", t->name);
        goto out;
    }
    *out = t;
    t = NULL;
out:
    tsv_free(t);
    return rc;
}

int tsv_col_index(const tsv_t *t, const char *name)
{
    for (size_t i = 0; i < t->n_cols; i++)
        if (strcmp(t->cols[i], name) == 0)
            return (int)i;
    return -1;
}

const char *tsv_col(const tsv_row_t *row, const char *name)
{
    int i = tsv_col_index(row->table, name);
    return i < 0 ? NULL : row->fields[i];
}

int tsv_require(const tsv_t *t, const char *const *names, ot_err_t *err)
{
    char where[64];
    for (; *names; names++)
        if (tsv_col_index(t, *names) < 0) {
            snprintf(where, sizeof where, "%s:%zu", t->name, t->header_line);
            return ot_err(err, OT_EINVAL, "tsv_missing_column", where,
                          "%s line %zu: the header has no column '%s'", t->name, t->header_line,
                          *names);
        }
    return OT_OK;
}
