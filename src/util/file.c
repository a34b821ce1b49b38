#include "util/file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int file_read(const char *path, size_t max_len, char **out, size_t *len, ot_err_t *err)
{
    int rc = OT_OK;
    char *buf = NULL;
    size_t n = 0, cap = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return ot_err(err, OT_ENOTFOUND, "file_open", NULL, "cannot open %s: %s", path,
                      strerror(errno));
    for (;;) {
        if (n + 4096 + 1 > cap) {
            cap = cap ? cap * 2 : 8192;
            char *nb = realloc(buf, cap);
            if (!nb) {
                rc = ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory reading %s", path);
                goto out;
            }
            buf = nb;
        }
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (n > max_len) {
            rc = ot_err(err, OT_ETOOBIG, "file_too_big", NULL, "%s is larger than %zu bytes", path,
                        max_len);
            goto out;
        }
        if (got == 0)
            break;
    }
    if (ferror(f)) {
        rc = ot_err(err, OT_EINTERNAL, "file_read", NULL, "error reading %s", path);
        goto out;
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    buf = NULL;
out:
    free(buf);
    fclose(f);
    return rc;
}
