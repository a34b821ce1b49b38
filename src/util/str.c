#include "util/str.h"

#include <string.h>

void str_copy(char *dst, size_t n, const char *src)
{
    size_t len = src ? strnlen(src, n - 1) : 0;
    memcpy(dst, src ? src : "", len);
    dst[len] = '\0';
}
