#include "util/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int ot_err(ot_err_t *e, int status, const char *code, const char *field, const char *fmt, ...)
{
    if (!e)
        return status;
    e->status = status;
    snprintf(e->code, sizeof e->code, "%s", code ? code : "");
    snprintf(e->field, sizeof e->field, "%s", field ? field : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof e->message, fmt, ap);
    va_end(ap);
    return status;
}

void ot_err_clear(ot_err_t *e)
{
    if (e)
        memset(e, 0, sizeof *e);
}
