/* The SQLite engine's VFS: the operating system's, with the writes into a write-ahead log
 * gathered into one write a commit (sqlite_walbuf.h). */
#include "store/sqlite_walbuf.h"

#include <stdlib.h>
#include <string.h>

#define WALBUF_CAP (4 << 20) /* a batch's frames at 1M appeals: about 1.3 MB */
#define FRAME_HDR  24        /* a WAL frame's header: page number, then the commit's size */

struct walbuf {
    sqlite3_file base;  /* methods: walbuf_io */
    sqlite3_file *real; /* the OS's file, right after this struct */
    unsigned char *buf; /* WALBUF_CAP bytes, the writes not yet passed on (at the first one) */
    sqlite3_int64 off;  /* the file offset of buf[0] */
    int len;            /* bytes in buf */
    sqlite3_int64 commit_page; /* where the page of a commit frame just written goes, or 0 */
};

static sqlite3_vfs walbuf_vfs;
static sqlite3_vfs *os_vfs;

/* In pieces of WRITE_MAX: the OS's VFS writes at most 128 KiB - 1 a call (its unixWrite masks
 * the length to 17 bits), and reports a longer write as a full disk. */
#define WRITE_MAX (64 << 10)

static int flush(struct walbuf *w)
{
    int rc = SQLITE_OK;
    for (int at = 0; at < w->len && rc == SQLITE_OK; at += WRITE_MAX)
        rc = w->real->pMethods->xWrite(
            w->real, w->buf + at, w->len - at < WRITE_MAX ? w->len - at : WRITE_MAX, w->off + at);
    w->len = 0;
    return rc;
}

static int wb_write(sqlite3_file *f, const void *data, int n, sqlite3_int64 off)
{
    struct walbuf *w = (struct walbuf *)f;
    const unsigned char *d = data;
    int commit = w->commit_page && off == w->commit_page, rc = SQLITE_OK;
    w->commit_page = 0;
    if (!w->buf && !(w->buf = malloc(WALBUF_CAP))) /* a reader's log never gets one */
        return w->real->pMethods->xWrite(w->real, data, n, off);
    if (w->len && off >= w->off && off + n <= w->off + w->len) /* a frame written again */
        memcpy(w->buf + (off - w->off), data, (size_t)n);
    else if (w->len && off == w->off + w->len && w->len + n <= WALBUF_CAP) {
        memcpy(w->buf + w->len, data, (size_t)n);
        w->len += n;
    } else if ((rc = flush(w)) != SQLITE_OK)
        return rc;
    else if (n <= WALBUF_CAP) {
        memcpy(w->buf, data, (size_t)n);
        w->off = off;
        w->len = n;
    } else
        return w->real->pMethods->xWrite(w->real, data, n, off);
    /* A frame whose header gives the database's size in pages ends a transaction. Every frame
     * before it and the header are passed on at once, and its page, when it comes right after,
     * as soon as it is written (after a transaction whose frames were written again, SQLite
     * writes each header again, the commit frame's last, with no page after it): all of them
     * are in the file before SQLite makes the transaction visible to other connections, with
     * or without a sync, so none of those reads a frame this buffer still holds. */
    if (n == FRAME_HDR && (d[4] | d[5] | d[6] | d[7])) {
        w->commit_page = off + FRAME_HDR;
        return flush(w);
    }
    return commit ? flush(w) : SQLITE_OK;
}

static int wb_read(sqlite3_file *f, void *out, int n, sqlite3_int64 off)
{
    struct walbuf *w = (struct walbuf *)f;
    int rc = flush(w);
    return rc != SQLITE_OK ? rc : w->real->pMethods->xRead(w->real, out, n, off);
}

static int wb_sync(sqlite3_file *f, int flags)
{
    struct walbuf *w = (struct walbuf *)f;
    int rc = flush(w);
    return rc != SQLITE_OK ? rc : w->real->pMethods->xSync(w->real, flags);
}

static int wb_truncate(sqlite3_file *f, sqlite3_int64 size)
{
    struct walbuf *w = (struct walbuf *)f;
    int rc = flush(w);
    return rc != SQLITE_OK ? rc : w->real->pMethods->xTruncate(w->real, size);
}

static int wb_file_size(sqlite3_file *f, sqlite3_int64 *size)
{
    struct walbuf *w = (struct walbuf *)f;
    int rc = flush(w);
    return rc != SQLITE_OK ? rc : w->real->pMethods->xFileSize(w->real, size);
}

static int wb_close(sqlite3_file *f)
{
    struct walbuf *w = (struct walbuf *)f;
    int rc = flush(w), rc2 = w->real->pMethods->xClose(w->real);
    free(w->buf);
    w->buf = NULL;
    return rc != SQLITE_OK ? rc : rc2;
}

/* The rest as the OS's file has them. */
static int wb_lock(sqlite3_file *f, int l)
{
    return ((struct walbuf *)f)->real->pMethods->xLock(((struct walbuf *)f)->real, l);
}
static int wb_unlock(sqlite3_file *f, int l)
{
    return ((struct walbuf *)f)->real->pMethods->xUnlock(((struct walbuf *)f)->real, l);
}
static int wb_check_lock(sqlite3_file *f, int *out)
{
    return ((struct walbuf *)f)
        ->real->pMethods->xCheckReservedLock(((struct walbuf *)f)->real, out);
}
static int wb_control(sqlite3_file *f, int op, void *arg)
{
    struct walbuf *w = (struct walbuf *)f;
    int rc = flush(w);
    return rc != SQLITE_OK ? rc : w->real->pMethods->xFileControl(w->real, op, arg);
}
static int wb_sector_size(sqlite3_file *f)
{
    return ((struct walbuf *)f)->real->pMethods->xSectorSize(((struct walbuf *)f)->real);
}
static int wb_device(sqlite3_file *f)
{
    return ((struct walbuf *)f)->real->pMethods->xDeviceCharacteristics(((struct walbuf *)f)->real);
}

/* Version 1: a WAL file has no shared memory and is not mapped. */
static const sqlite3_io_methods walbuf_io = {
    1,       wb_close,  wb_read,       wb_write,   wb_truncate,    wb_sync,   wb_file_size,
    wb_lock, wb_unlock, wb_check_lock, wb_control, wb_sector_size, wb_device, NULL,
    NULL,    NULL,      NULL,          NULL,       NULL,
};

/* A WAL file is wrapped; every other file is the OS's own, opened in the space SQLite gave. */
static int wb_open(sqlite3_vfs *vfs, sqlite3_filename name, sqlite3_file *f, int flags,
                   int *out_flags)
{
    (void)vfs;
    if (!(flags & SQLITE_OPEN_WAL))
        return os_vfs->xOpen(os_vfs, name, f, flags, out_flags);
    struct walbuf *w = (struct walbuf *)f;
    memset(w, 0, sizeof *w);
    w->real = (sqlite3_file *)(w + 1);
    int rc = os_vfs->xOpen(os_vfs, name, w->real, flags, out_flags);
    if (rc != SQLITE_OK)
        return rc; /* f->pMethods stays NULL: SQLite does not close it */
    w->base.pMethods = &walbuf_io;
    return SQLITE_OK;
}

static int wb_delete(sqlite3_vfs *v, const char *name, int sync)
{
    (void)v;
    return os_vfs->xDelete(os_vfs, name, sync);
}
static int wb_access(sqlite3_vfs *v, const char *name, int flags, int *out)
{
    (void)v;
    return os_vfs->xAccess(os_vfs, name, flags, out);
}
static int wb_full_path(sqlite3_vfs *v, const char *name, int n, char *out)
{
    (void)v;
    return os_vfs->xFullPathname(os_vfs, name, n, out);
}
static void *wb_dl_open(sqlite3_vfs *v, const char *name)
{
    (void)v;
    return os_vfs->xDlOpen(os_vfs, name);
}
static void wb_dl_error(sqlite3_vfs *v, int n, char *out)
{
    (void)v;
    os_vfs->xDlError(os_vfs, n, out);
}
static void (*wb_dl_sym(sqlite3_vfs *v, void *h, const char *sym))(void)
{
    (void)v;
    return os_vfs->xDlSym(os_vfs, h, sym);
}
static void wb_dl_close(sqlite3_vfs *v, void *h)
{
    (void)v;
    os_vfs->xDlClose(os_vfs, h);
}
static int wb_randomness(sqlite3_vfs *v, int n, char *out)
{
    (void)v;
    return os_vfs->xRandomness(os_vfs, n, out);
}
static int wb_sleep(sqlite3_vfs *v, int us)
{
    (void)v;
    return os_vfs->xSleep(os_vfs, us);
}
static int wb_time(sqlite3_vfs *v, double *out)
{
    (void)v;
    return os_vfs->xCurrentTime(os_vfs, out);
}
static int wb_last_error(sqlite3_vfs *v, int n, char *out)
{
    (void)v;
    return os_vfs->xGetLastError ? os_vfs->xGetLastError(os_vfs, n, out) : 0;
}
static int wb_time64(sqlite3_vfs *v, sqlite3_int64 *out)
{
    (void)v;
    return os_vfs->xCurrentTimeInt64(os_vfs, out);
}

int walbuf_register(void)
{
    if (!(os_vfs = sqlite3_vfs_find(NULL)))
        return SQLITE_ERROR;
    int sz = (int)sizeof(struct walbuf) + os_vfs->szOsFile;
    walbuf_vfs = (sqlite3_vfs){
        .iVersion = 2,
        .szOsFile = sz > os_vfs->szOsFile ? sz : os_vfs->szOsFile,
        .mxPathname = os_vfs->mxPathname,
        .zName = WALBUF_VFS,
        .xOpen = wb_open,
        .xDelete = wb_delete,
        .xAccess = wb_access,
        .xFullPathname = wb_full_path,
        .xDlOpen = wb_dl_open,
        .xDlError = wb_dl_error,
        .xDlSym = wb_dl_sym,
        .xDlClose = wb_dl_close,
        .xRandomness = wb_randomness,
        .xSleep = wb_sleep,
        .xCurrentTime = wb_time,
        .xGetLastError = wb_last_error,
        .xCurrentTimeInt64 = wb_time64,
    };
    return sqlite3_vfs_register(&walbuf_vfs, 0);
}
