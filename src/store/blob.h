/* Content-addressed files on disk, for attachments: a file is stored once under its SHA-256,
 * at <dir>/<first two hex digits>/<hex>, written to a temporary name, fsynced and renamed, so
 * a file that is named exists whole and survives a crash. The folder is beside the database:
 * <folder of the database>/attachments. */
#ifndef OT_STORE_BLOB_H
#define OT_STORE_BLOB_H

#include <stddef.h>

#include "store/store.h"

/* Stores data; hex gets the lower-case SHA-256 (65 bytes with the NUL). Storing the same
 * content twice is a no-op. */
int blob_put(store_t *s, const void *data, size_t len, char hex[65], ot_err_t *err);

/* Opens a stored file for reading: *fd (the caller closes it) and *size. OT_ENOTFOUND when
 * absent. hex must be 64 lower-case hex digits. */
int blob_open(store_t *s, const char *hex, int *fd, size_t *size, ot_err_t *err);

#endif
