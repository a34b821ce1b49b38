/* The SQLite engine's search tokenizer (issue 17, docs/search.md): an FTS5 tokenizer named
 * "otinish" that hands FTS5 the stems of src/domain/search_text.h, so that the index and the
 * queries are normalised by the same C code the PostgreSQL engine will use. Inside
 * src/store/ only (db_sqlite.c registers it on every connection it opens). */
#ifndef OT_STORE_SEARCH_SQLITE_H
#define OT_STORE_SEARCH_SQLITE_H

#include <sqlite3.h>

#include "domain/search_text.h"

/* A text to index starts with its language between two U+0001 ("\x01ru\x01..."): FTS5 gives
 * a tokenizer no other context of the row (SQLite 3.47's fts5_locale() would, Debian 12 has
 * 3.40). A text without it (a query) stands for both languages. */
#define SEARCH_LANG_MARK "\x01"

/* The Kazakh suffix list the tokenizer uses (parsed once from the compiled-in copy). */
const ot_kk_stemmer_t *search_sqlite_kk(void);

/* Registers the tokenizer on h. SQLITE_OK, or an SQLite error code. */
int search_sqlite_register(sqlite3 *h);

#endif
