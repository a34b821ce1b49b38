/* The static web UI (web/): GET of any path outside /api/, /open311/ and /healthz serves a
 * file under cfg.web_dir; "/" and paths without a dot serve index.html (the UI routes in the
 * browser). No path may climb out of web_dir, name a hidden file or folder, or go through a
 * symbolic link. */
#include <fcntl.h>
#include <limits.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "http/handlers.h"

static const struct {
    const char *ext, *type;
} types[] = {
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".json", "application/json; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".ico", "image/x-icon"},
    {".woff2", "font/woff2"},
    {".map", "application/json"},
};

static const char *type_of(const char *path)
{
    const char *dot = strrchr(path, '.');
    for (size_t i = 0; dot && i < sizeof types / sizeof types[0]; i++)
        if (strcmp(dot, types[i].ext) == 0)
            return types[i].type;
    return "application/octet-stream";
}

/* ==== gzip (issue 18: the dashboard loads < 300 KB) ====
 *
 * Text files (HTML, CSS, JavaScript, JSON, SVG) go gzip-compressed to a client that accepts
 * it: Chart.js alone is 205 KB, 70 KB compressed. Each file is compressed once per version
 * (its real path, size and modification time) and kept for the process's life: the web
 * folder is a few dozen files. A newer version gets a new entry; the old one stays, as a
 * response in flight may still be sending it. */

#define GZ_MAX_FILE (4 << 20)
#define GZ_SLOTS    256

static struct gz_entry {
    char path[PATH_MAX];
    off_t size;
    struct timespec mtime;
    unsigned char *data;
    size_t len;
} gz_cache[GZ_SLOTS];
static int gz_n;
static pthread_mutex_t gz_lock = PTHREAD_MUTEX_INITIALIZER;

static int compressible(const char *type)
{
    return !strncmp(type, "text/", 5) || !strncmp(type, "application/json", 16) ||
           !strncmp(type, "image/svg", 9);
}

static int accepts_gzip(http_req_t *req)
{
    const char *ae = http_header(req, "Accept-Encoding");
    return ae && strstr(ae, "gzip");
}

/* The gzip of the open file fd (st its stat) at real path, from the cache or made now; NULL
 * when it cannot be made (then the file goes as it is). */
static const struct gz_entry *gz_get(const char *real, int fd, const struct stat *st)
{
    const struct gz_entry *hit = NULL;
    pthread_mutex_lock(&gz_lock);
    for (int i = 0; i < gz_n && !hit; i++)
        if (gz_cache[i].size == st->st_size && !strcmp(gz_cache[i].path, real) &&
            gz_cache[i].mtime.tv_sec == st->st_mtim.tv_sec &&
            gz_cache[i].mtime.tv_nsec == st->st_mtim.tv_nsec)
            hit = &gz_cache[i];
    pthread_mutex_unlock(&gz_lock);
    if (hit || st->st_size > GZ_MAX_FILE)
        return hit;
    size_t n = (size_t)st->st_size;
    unsigned char *raw = malloc(n ? n : 1);
    uLong cap = compressBound((uLong)n) + 32;
    unsigned char *out = malloc(cap);
    ssize_t got = raw ? pread(fd, raw, n, 0) : -1;
    z_stream z;
    memset(&z, 0, sizeof z);
    int ok = out && got == (ssize_t)n &&
             deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK;
    if (ok) {
        z.next_in = raw;
        z.avail_in = (uInt)n;
        z.next_out = out;
        z.avail_out = (uInt)cap;
        ok = deflate(&z, Z_FINISH) == Z_STREAM_END;
        deflateEnd(&z);
    }
    free(raw);
    if (!ok) {
        free(out);
        return NULL;
    }
    pthread_mutex_lock(&gz_lock);
    struct gz_entry *e = gz_n < GZ_SLOTS ? &gz_cache[gz_n] : NULL;
    if (e) {
        snprintf(e->path, sizeof e->path, "%s", real);
        e->size = st->st_size;
        e->mtime = st->st_mtim;
        e->data = out;
        e->len = z.total_out;
        gz_n++;
    }
    pthread_mutex_unlock(&gz_lock);
    if (!e)
        free(out);
    return e;
}

/* No "..", no empty segment, no hidden file or folder (".git", ".env": a segment starting
 * with '.'), no control character. */
static int safe_path(const char *p)
{
    if (p[0] != '/' || strstr(p, "..") || strstr(p, "//") || strstr(p, "/.") || strchr(p, '\\'))
        return 0;
    for (const char *c = p; *c; c++)
        if ((unsigned char)*c < 0x20)
            return 0;
    return 1;
}

int http_static_wants(const char *method, const char *path)
{
    if (strcmp(method, "GET") && strcmp(method, "HEAD"))
        return 0;
    return strncmp(path, "/api/", 5) && strncmp(path, "/open311/", 9) && strcmp(path, "/healthz");
}

void h_static(http_req_t *req)
{
    const char *dir = req->app->cfg.web_dir;
    const char *p = req->path;
    char file[1024];
    if (!dir || !safe_path(p)) {
        http_reply_error(req, OT_ENOTFOUND, "not_found", NULL, "no such resource");
        return;
    }
    const char *last = strrchr(p, '/');
    int is_page = !strchr(last, '.'); /* "/", "/track", "/staff/inbox": the single page */
    const char *rel = is_page ? "/index.html" : p;
    snprintf(file, sizeof file, "%s%s", dir, rel);
    /* No symbolic link is followed, in the file or in a folder on the way to it: the file's
     * real path must be the web folder's real path and the request's path. */
    char real_dir[PATH_MAX], real_file[PATH_MAX];
    size_t n = realpath(dir, real_dir) ? strlen(real_dir) : 0;
    int linked = !n || !realpath(file, real_file) || strncmp(real_file, real_dir, n) ||
                 strcmp(real_file + n, rel);
    int fd = linked ? -1 : open(file, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) || !S_ISREG(st.st_mode)) {
        if (fd >= 0)
            close(fd);
        http_reply_error(req, OT_ENOTFOUND, "not_found", NULL, "no such resource");
        return;
    }
    const char *type = type_of(file);
    const struct gz_entry *gz =
        compressible(type) && accepts_gzip(req) ? gz_get(real_file, fd, &st) : NULL;
    struct MHD_Response *r =
        gz ? MHD_create_response_from_buffer(gz->len, gz->data, MHD_RESPMEM_PERSISTENT)
           : MHD_create_response_from_fd((size_t)st.st_size, fd);
    if (gz)
        close(fd);
    if (!r) {
        if (!gz)
            close(fd);
        http_reply_error(req, OT_EINTERNAL, "internal", NULL, "cannot send the file");
        return;
    }
    http_set_response(req, 200, r, gz ? gz->len : (size_t)st.st_size);
    http_reply_header(req, "Content-Type", type);
    if (compressible(type))
        http_reply_header(req, "Vary", "Accept-Encoding");
    if (gz)
        http_reply_header(req, "Content-Encoding", "gzip");
    /* pages are small and change with releases: revalidate rather than cache for long */
    http_reply_header(req, "Cache-Control", is_page ? "no-cache" : "public, max-age=300");
}
