#include "store/blob.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Beside the SQLite file; for a PostgreSQL store (no file), the folder OTINISH_ATTACHMENTS
 * names, else var/attachments (docs/postgresql.md: every node must see the same folder). */
static void blob_dir(store_t *s, char *out, size_t n)
{
    char tmp[1024];
    if (store_is_uri(store_path(s))) {
        const char *d = getenv("OTINISH_ATTACHMENTS");
        snprintf(out, n, "%s", d && *d ? d : "var/attachments");
        return;
    }
    snprintf(tmp, sizeof tmp, "%s", store_path(s));
    snprintf(out, n, "%s/attachments", dirname(tmp));
}

static int is_hex64(const char *h)
{
    if (!h || strlen(h) != 64)
        return 0;
    for (int i = 0; i < 64; i++)
        if (!((h[i] >= '0' && h[i] <= '9') || (h[i] >= 'a' && h[i] <= 'f')))
            return 0;
    return 1;
}

static int fsync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

int blob_put(store_t *s, const void *data, size_t len, char hex[65], ot_err_t *err)
{
    unsigned char h[crypto_hash_sha256_BYTES];
    char dir[1100], sub[1200], path[1300], tmp[1400];
    crypto_hash_sha256(h, data, len);
    sodium_bin2hex(hex, 65, h, sizeof h);
    blob_dir(s, dir, sizeof dir);
    snprintf(sub, sizeof sub, "%s/%.2s", dir, hex);
    snprintf(path, sizeof path, "%s/%s", sub, hex);
    if (access(path, F_OK) == 0)
        return OT_OK;
    if ((mkdir(dir, 0750) && errno != EEXIST) || (mkdir(sub, 0750) && errno != EEXIST))
        return ot_err(err, OT_EINTERNAL, "blob_dir", NULL, "cannot create %s: %s", sub,
                      strerror(errno));
    snprintf(tmp, sizeof tmp, "%s.%d.tmp", path, (int)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
    if (fd < 0)
        return ot_err(err, OT_EINTERNAL, "blob_write", NULL, "cannot write %s: %s", tmp,
                      strerror(errno));
    const char *p = data;
    size_t left = len;
    while (left) {
        ssize_t w = write(fd, p, left);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            break;
        p += w;
        left -= (size_t)w;
    }
    int bad = left != 0 || fsync(fd) != 0;
    close(fd);
    if (bad || rename(tmp, path) != 0 || fsync_dir(sub) != 0) {
        int e = errno;
        unlink(tmp);
        if (e == ENOSPC || e == EDQUOT) /* a full disk is not a bug: retry once there is room */
            return ot_err(err, OT_EUNAVAIL, "disk_full", NULL, "cannot store the file: %s",
                          strerror(e));
        return ot_err(err, OT_EINTERNAL, "blob_write", NULL, "cannot store the file: %s",
                      strerror(e));
    }
    return OT_OK;
}

int blob_open(store_t *s, const char *hex, int *fd, size_t *size, ot_err_t *err)
{
    char dir[1100], path[1300];
    struct stat st;
    if (!is_hex64(hex))
        return ot_err(err, OT_ENOTFOUND, "not_found", "sha256", "no such file");
    blob_dir(s, dir, sizeof dir);
    snprintf(path, sizeof path, "%s/%.2s/%s", dir, hex, hex);
    *fd = open(path, O_RDONLY | O_CLOEXEC);
    if (*fd < 0 || fstat(*fd, &st) != 0) {
        if (*fd >= 0)
            close(*fd);
        return ot_err(err, OT_ENOTFOUND, "not_found", "sha256", "no such file");
    }
    *size = (size_t)st.st_size;
    return OT_OK;
}
