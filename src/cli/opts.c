#include "cli/opts.h"

#include <string.h>

#include "util/str.h"

int opt_int(const char *s, long min, long max, long *out)
{
    return str_to_long(s, min, max, out);
}

int opt_listen(const char *s, char *addr, size_t n, int *port)
{
    const char *colon = strrchr(s, ':');
    long p;
    if (!colon || (size_t)(colon - s) >= n || colon == s || opt_int(colon + 1, 0, 65535, &p))
        return -1;
    memcpy(addr, s, (size_t)(colon - s));
    addr[colon - s] = '\0';
    *port = (int)p;
    return 0;
}
