/* The static web UI (web/): GET of any path outside /api/, /open311/ and /healthz serves a
 * file under cfg.web_dir; "/" and paths without a dot serve index.html (the UI routes in the
 * browser). No path may climb out of web_dir, name a hidden file or folder, or go through a
 * symbolic link. */
#include <fcntl.h>
#include <limits.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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
    struct MHD_Response *r = MHD_create_response_from_fd((size_t)st.st_size, fd);
    if (!r) {
        close(fd);
        http_reply_error(req, OT_EINTERNAL, "internal", NULL, "cannot send the file");
        return;
    }
    http_set_response(req, 200, r, (size_t)st.st_size);
    http_reply_header(req, "Content-Type", type_of(file));
    /* pages are small and change with releases: revalidate rather than cache for long */
    http_reply_header(req, "Cache-Control", is_page ? "no-cache" : "public, max-age=300");
}
