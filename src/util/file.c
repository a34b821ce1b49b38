#include "util/file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

int file_copy(const char *from, const char *to, ot_err_t *err)
{
    int in = open(from, O_RDONLY | O_CLOEXEC);
    if (in < 0)
        return ot_err(err, OT_ENOTFOUND, "file_open", NULL, "cannot open %s: %s", from,
                      strerror(errno));
    int out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (out < 0) {
        int r = ot_err(err, errno == EEXIST ? OT_ECONFLICT : OT_EINTERNAL, "file_create", NULL,
                       "cannot create %s: %s", to, strerror(errno));
        close(in);
        return r;
    }
    int rc = OT_OK;
    char buf[1 << 16];
    for (;;) {
        ssize_t n = read(in, buf, sizeof buf);
        if (n == 0)
            break;
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            rc = ot_err(err, OT_EINTERNAL, "file_read", NULL, "reading %s: %s", from,
                        strerror(errno));
            break;
        }
        for (ssize_t done = 0; done < n;) {
            ssize_t w = write(out, buf + done, (size_t)(n - done));
            if (w < 0 && errno == EINTR)
                continue;
            if (w < 0) {
                rc = ot_err(err, OT_EINTERNAL, "file_write", NULL, "writing %s: %s", to,
                            strerror(errno));
                goto out;
            }
            done += w;
        }
    }
    if (!rc && fsync(out))
        rc = ot_err(err, OT_EINTERNAL, "file_sync", NULL, "fsync %s: %s", to, strerror(errno));
out:
    if (close(out) && !rc)
        rc = ot_err(err, OT_EINTERNAL, "file_write", NULL, "closing %s: %s", to, strerror(errno));
    close(in);
    if (rc)
        unlink(to);
    return rc;
}

static int sync_path(const char *path, int flags, ot_err_t *err)
{
    int fd = open(path, flags | O_CLOEXEC);
    if (fd < 0)
        return ot_err(err, OT_EINTERNAL, "file_sync", NULL, "cannot open %s: %s", path,
                      strerror(errno));
    int rc = fsync(fd) ? ot_err(err, OT_EINTERNAL, "file_sync", NULL, "fsync %s: %s", path,
                                strerror(errno))
                       : OT_OK;
    close(fd);
    return rc;
}

int file_sync(const char *path, ot_err_t *err)
{
    return sync_path(path, O_RDONLY, err);
}

int file_sync_dir_of(const char *path, ot_err_t *err)
{
    char dir[4096];
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if (slash == path)
        snprintf(dir, sizeof dir, "/");
    else
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
    return sync_path(dir, O_RDONLY | O_DIRECTORY, err);
}

const char *file_temp_dir(void)
{
    const char *dir = getenv("TMPDIR");
    return dir && *dir ? dir : "/tmp";
}

int file_temp(const char *what, char *path, size_t n)
{
    int k = snprintf(path, n, "%s/otinish-%s-XXXXXX", file_temp_dir(), what);
    if (k < 0 || (size_t)k >= n) {
        errno = ENAMETOOLONG;
        return -1;
    }
    return mkostemp(path, O_CLOEXEC);
}
