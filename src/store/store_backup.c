#include "store/store_backup.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "store/store_int.h"
#include "util/file.h"

static int backup_fn(store_tx_t *tx, void *arg, ot_err_t *err)
{
    return db_backup(tx->db, arg, err);
}

int store_backup(store_t *s, const char *dest, ot_err_t *err)
{
    char tmp[4096];
    if (access(dest, F_OK) == 0)
        return ot_err(err, OT_ECONFLICT, "backup_exists", "to",
                      "%s already exists: name each backup anew (e.g. by date)", dest);
    if (snprintf(tmp, sizeof tmp, "%s.partial-%ld", dest, (long)getpid()) >= (int)sizeof tmp)
        return ot_err(err, OT_EINVAL, "path_too_long", "to", "path too long");
    unlink(tmp);
    /* no explicit transaction around it: the backup step reads in one transaction itself */
    int rc = store_read_one(s, backup_fn, tmp, err);
    if (!rc)
        rc = file_sync(tmp, err);
    /* link, not rename: a dest made meanwhile is kept; rename where links are not supported */
    if (!rc && link(tmp, dest) != 0 &&
        (errno == EEXIST || (errno != EPERM && errno != EOPNOTSUPP) || rename(tmp, dest) != 0))
        rc = ot_err(err, errno == EEXIST ? OT_ECONFLICT : OT_EINTERNAL, "backup_rename", "to",
                    "cannot name the backup %s: %s", dest, strerror(errno));
    unlink(tmp);
    if (!rc)
        rc = file_sync_dir_of(dest, err);
    return rc;
}

struct check {
    char *problem;
    size_t n;
};

static int integrity_fn(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct check *c = arg;
    return db_integrity_check(tx->db, c->problem, c->n, err);
}

int store_integrity_check(store_t *s, char *problem, size_t n, ot_err_t *err)
{
    struct check c = {problem, n};
    return store_read(s, integrity_fn, &c, err);
}
