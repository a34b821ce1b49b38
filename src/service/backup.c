#include "service/backup.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "service/audit.h"
#include "store/store_backup.h"
#include "store/store_copy.h"
#include "util/file.h"

int svc_backup(store_t *s, const char *to, ot_err_t *err)
{
    return store_backup(s, to, err);
}

/* A path with a suffix, or an error when it does not fit. */
static int suffixed(char *out, size_t n, const char *path, const char *suffix, ot_err_t *err)
{
    if (snprintf(out, n, "%s%s", path, suffix) >= (int)n)
        return ot_err(err, OT_EINVAL, "path_too_long", "db", "path too long: %s", path);
    return OT_OK;
}

static void remove_db_files(const char *path)
{
    char p[4200];
    unlink(path);
    snprintf(p, sizeof p, "%s-wal", path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", path);
    unlink(p);
}

/* Opens the copy at tmp, migrates it, and runs both checks. */
static int check_copy(const char *from, const char *tmp, svc_restore_report_t *r, ot_err_t *err)
{
    store_t *s = NULL;
    ot_err_t oerr = {0};
    if (store_open(tmp, 0, &s, &oerr))
        return ot_err(err, OT_EINVAL, "backup_unreadable", "from",
                      "%s is not a usable database: %s", from, oerr.message);
    char problem[200];
    audit_report_t ar = {0};
    int rc = store_integrity_check(s, problem, sizeof problem, err);
    if (!rc && problem[0])
        rc = ot_err(err, OT_EINVAL, "backup_corrupt", "from", "%s fails the integrity check: %s",
                    from, problem);
    if (!rc)
        rc = audit_verify(s, NULL, &ar, err);
    if (!rc && !ar.ok && ar.bad_seq)
        rc = ot_err(err, OT_EINVAL, "backup_chain_broken", "from",
                    "%s: the audit chain is broken at event %lld: %s", from, (long long)ar.bad_seq,
                    ar.detail);
    else if (!rc && !ar.ok)
        rc = ot_err(err, OT_EINVAL, "backup_records_changed", "from",
                    "%s: %lld records differ from the audit chain: %s", from,
                    (long long)ar.records_bad, ar.listed[0]);
    if (!rc) {
        r->events = ar.count;
        snprintf(r->head, sizeof r->head, "%s", ar.head);
        r->schema_version = store_schema_version(s);
    }
    store_close(s); /* the last connection: SQLite folds the WAL into the file */
    return rc;
}

/* Whether another process has the database at path open: closing the last connection
 * removes the WAL file, so a WAL that outlives our own open and close belongs to another
 * connection (a running `otinish serve`). */
static int in_use(const char *path, ot_err_t *err)
{
    store_t *s = NULL;
    char wal[4200];
    if (store_open(path, 0, &s, err))
        return -1;
    store_close(s);
    snprintf(wal, sizeof wal, "%s-wal", path);
    return access(wal, F_OK) == 0;
}

int svc_restore(const char *from, const char *db, svc_restore_report_t *r, ot_err_t *err)
{
    char tmp[4096], old[4096];
    memset(r, 0, sizeof *r);
    if (store_is_uri(db))
        return ot_err(err, OT_EINVAL, "not_supported", "db",
                      "otinish restore replaces SQLite files; restore PostgreSQL with its own"
                      " tools (pg_restore, or a base backup and WAL): docs/postgresql.md");
    if (access(from, R_OK) != 0)
        return ot_err(err, OT_ENOTFOUND, "no_backup", "from", "cannot read %s: %s", from,
                      strerror(errno));
    int rc = suffixed(tmp, sizeof tmp, db, ".restore-tmp", err);
    if (!rc)
        rc = suffixed(old, sizeof old, db, ".before-restore", err);
    if (rc)
        return rc;
    remove_db_files(tmp); /* left by a restore that was interrupted */
    rc = file_copy(from, tmp, err);
    if (!rc)
        rc = check_copy(from, tmp, r, err);
    if (!rc && access(db, F_OK) == 0) {
        int busy = in_use(db, err);
        if (busy < 0)
            rc = err ? err->status : OT_EINTERNAL;
        else if (busy)
            rc = ot_err(err, OT_ECONFLICT, "db_in_use", "db",
                        "%s is in use (is `otinish serve` running on it?): stop it first", db);
        else {
            remove_db_files(old);
            if (rename(db, old) != 0)
                rc = ot_err(err, OT_EINTERNAL, "restore_rename", "db", "cannot move %s aside: %s",
                            db, strerror(errno));
            r->replaced = !rc;
        }
    }
    if (!rc && rename(tmp, db) != 0) {
        rc = ot_err(err, OT_EINTERNAL, "restore_rename", "db", "cannot put %s in place: %s", db,
                    strerror(errno));
        if (r->replaced && rename(old, db) == 0) /* the database it was to replace, back */
            r->replaced = 0;
    }
    if (!rc)
        rc = file_sync_dir_of(db, err);
    if (rc)
        remove_db_files(tmp);
    return rc;
}

struct migrate_count {
    svc_migrate_fn fn;
    void *arg;
    svc_migrate_report_t *r;
};

static void migrate_table(const char *table, int64_t rows, int64_t total, void *p)
{
    struct migrate_count *m = p;
    if (rows >= 0 && rows == total) { /* the table is whole */
        m->r->tables++;
        m->r->rows += rows;
    }
    if (m->fn)
        m->fn(table, rows, total, m->arg);
}

int svc_migrate_db(const char *from, const char *to, svc_migrate_fn fn, void *arg,
                   svc_migrate_report_t *r, ot_err_t *err)
{
    memset(r, 0, sizeof *r);
    /* the way back (PostgreSQL into a new SQLite file) is for small databases */
    int back = store_is_uri(from) && !store_is_uri(to);
    if (!back && (store_is_uri(from) || !store_is_uri(to)))
        return ot_err(err, OT_EINVAL, "not_supported", store_is_uri(from) ? "to" : "from",
                      "migrate-db copies an SQLite file (--from PATH) into PostgreSQL"
                      " (--to postgresql://...), or PostgreSQL into a new SQLite file");
    if (back && access(to, F_OK) == 0)
        return ot_err(err, OT_ECONFLICT, "target_exists", "to",
                      "%s exists: the copy back from PostgreSQL makes a new SQLite file", to);
    store_t *src = NULL, *dst = NULL;
    int rc = svc_store_open(from, 0, &src, err);
    if (!rc)
        rc = svc_store_open(to, SVC_STORE_CREATE, &dst, err);
    struct migrate_count m = {fn, arg, r};
    if (!rc && back)
        rc = store_copy_back(src, dst, migrate_table, &m, err);
    else if (!rc)
        rc = store_copy(src, dst, migrate_table, &m, &r->already, err);
    audit_report_t ar = {0};
    if (!rc)
        rc = audit_verify(dst, NULL, &ar, err);
    if (!rc && !ar.ok && ar.bad_seq)
        rc = ot_err(err, OT_EINVAL, "audit_chain_broken", "to",
                    "the audit chain on the target is broken at event %lld: %s: %s",
                    (long long)ar.bad_seq, ar.problem, ar.detail);
    else if (!rc && !ar.ok)
        rc = ot_err(err, OT_EINVAL, "audit_records_changed", "to",
                    "%lld records on the target differ from the audit chain: %s",
                    (long long)ar.records_bad, ar.listed[0]);
    if (!rc) {
        r->events = ar.count;
        memcpy(r->head, ar.head, sizeof r->head);
    }
    svc_store_close(dst);
    svc_store_close(src);
    return rc;
}
