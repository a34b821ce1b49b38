#include "util/paths.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef OT_PREFIX
#define OT_PREFIX "/usr/local"
#endif

static char home[PATH_MAX];
static char data[PATH_MAX + 8];
static char web[PATH_MAX + 8];

static int has_data(const char *dir)
{
    char p[PATH_MAX + 64];
    struct stat st;
    snprintf(p, sizeof p, "%s/data/jurisdictions", dir);
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The folder of the running binary, from /proc/self/exe; "" when it cannot be read. */
static void exe_dir(char *out, size_t n)
{
    ssize_t len = readlink("/proc/self/exe", out, n - 1);
    out[len > 0 ? len : 0] = '\0';
    char *slash = strrchr(out, '/');
    if (slash)
        *slash = '\0';
    else
        out[0] = '\0';
}

static void find_home(void)
{
    static const char *const beside[] = {"/../share/otinish", "/..", "/../.."};
    char exe[PATH_MAX];
    exe_dir(exe, sizeof exe);
    for (size_t i = 0; exe[0] && i < sizeof beside / sizeof beside[0]; i++) {
        char cand[PATH_MAX + 32];
        snprintf(cand, sizeof cand, "%s%s", exe, beside[i]);
        if (has_data(cand) && realpath(cand, home))
            return;
    }
    snprintf(home, sizeof home, "%s/share/otinish", OT_PREFIX);
}

static void resolve(void)
{
    if (home[0])
        return;
    find_home();
    const char *env = getenv("OTINISH_DATA");
    if (env && *env)
        snprintf(data, sizeof data, "%s", env);
    else
        snprintf(data, sizeof data, "%s/data", home);
    snprintf(web, sizeof web, "%s/web", home);
}

const char *paths_data_dir(void)
{
    resolve();
    return data;
}

const char *paths_web_dir(void)
{
    resolve();
    return web;
}
