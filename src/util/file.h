/* Whole-file reading for data files (calendars, terms, region tables). */
#ifndef OT_UTIL_FILE_H
#define OT_UTIL_FILE_H

#include <stddef.h>

#include "util/err.h"

/* Reads the file at path into a NUL-terminated malloc'd buffer; *len excludes the NUL.
 * The caller frees *out. Files over max_len bytes are refused (OT_ETOOBIG). */
int file_read(const char *path, size_t max_len, char **out, size_t *len, ot_err_t *err);

#endif
