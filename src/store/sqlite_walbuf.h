/* The SQLite engine's VFS: the operating system's own, but the frames SQLite writes into a
 * write-ahead log one by one (two writes a page: its header, then the page) are gathered in
 * memory and passed on in one write when the transaction's last frame is written, and before
 * any read, sync, truncation or size of the log. A commit of a batch of intakes at 1M appeals
 * wrote about 600 frames with 1,200 pwrite calls, each a system call (docs/group-commit.md). */
#ifndef OTINISH_STORE_SQLITE_WALBUF_H
#define OTINISH_STORE_SQLITE_WALBUF_H

#include <sqlite3.h>

#define WALBUF_VFS "otinish-walbuf"

/* Registers the VFS WALBUF_VFS (not as the default): SQLITE_OK or SQLite's error. */
int walbuf_register(void);

#endif
