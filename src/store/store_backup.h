/* Backups of a live database and the checks a restored file must pass (docs/operations.md).
 * The service's use cases (service/backup.h) call these; nothing above them sees how the
 * engine copies (SQLite: the online backup API; PostgreSQL would be pg_dump). */
#ifndef OT_STORE_BACKUP_H
#define OT_STORE_BACKUP_H

#include <stddef.h>

#include "store/store.h"

/* Writes a consistent copy of the database of s to the new file dest while other
 * connections (a running server's writer and readers) go on: the copy is first written
 * beside dest under a temporary name, fsynced, and then renamed, so dest is either complete
 * or absent. An existing dest is refused (OT_ECONFLICT, field "to"). */
int store_backup(store_t *s, const char *dest, ot_err_t *err);

/* The engine's own consistency check of every page and index (SQLite: PRAGMA
 * integrity_check). OT_OK when it ran; problem is "" when the database is sound, else the
 * first problem it reported (truncated to n). */
int store_integrity_check(store_t *s, char *problem, size_t n, ot_err_t *err);

#endif
