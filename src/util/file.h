/* Whole-file reading for data files (calendars, terms, region tables), and the durable
 * copy and rename that backups and restores need. */
#ifndef OT_UTIL_FILE_H
#define OT_UTIL_FILE_H

#include <stddef.h>

#include "util/err.h"

/* Reads the file at path into a NUL-terminated malloc'd buffer; *len excludes the NUL.
 * The caller frees *out. Files over max_len bytes are refused (OT_ETOOBIG). */
int file_read(const char *path, size_t max_len, char **out, size_t *len, ot_err_t *err);

/* Copies the file at from to a new file to (mode 0600; an existing to is refused) and
 * fsyncs it. On failure to is removed. */
int file_copy(const char *from, const char *to, ot_err_t *err);

/* fsyncs the file at path; then the folder that holds it, so that a rename or a new name in
 * it survives a power cut. */
int file_sync(const char *path, ot_err_t *err);
int file_sync_dir_of(const char *path, ot_err_t *err);

/* The folder for temporary files: $TMPDIR when set, else /tmp. */
const char *file_temp_dir(void);

/* Creates a new private file (mode 0600, close-on-exec) named otinish-<what>-XXXXXX in
 * file_temp_dir(), its name in path (n bytes); returns its descriptor, or -1 (errno set).
 * The caller unlinks it: at once for a file used by descriptor alone. */
int file_temp(const char *what, char *path, size_t n);

#endif
