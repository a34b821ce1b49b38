/* The SQLite engine's search tokenizer (issue 17, docs/search.md): an FTS5 tokenizer named
 * "otinish" that hands FTS5 the stems of src/domain/search_text.h, so that the index and the
 * queries are normalised by the same C code the PostgreSQL engine will use. Inside
 * src/store/ only (db_sqlite.c registers it on every connection it opens). */
#ifndef OT_STORE_SEARCH_SQLITE_H
#define OT_STORE_SEARCH_SQLITE_H

#include <sqlite3.h>

#include "domain/search_text.h"

/* A text to index starts with a header between two U+0001: its language, and the scope it
 * is in — its body's path and its executor, each after a U+0002:
 * "\x01ru\x02vko/ridder/ridder.housing/\x0242\x01В доме ...". FTS5 gives a tokenizer no
 * other context of the row (SQLite 3.47's fts5_locale() would; Debian 12 has 3.40). The
 * tokenizer indexes the words' stems and one token per level of the path (SEARCH_SCOPE_MARK
 * "vko/", "vko/ridder/", ...) and one for the executor (SEARCH_EXEC_MARK "42"), so that a
 * search within a scope is one more term of the FTS5 query instead of a lookup of every
 * match. A text without a header (a query) stands for both languages; a quoted query string
 * that starts with one of the marks is one token as it is. */
/* Printable marks that no word holds (words are letters and digits): SQLite 3.40's FTS5
 * did not find terms that start with a control byte once its segments were merged (a bulk
 * load of 20,000 appeals), though fts5vocab listed them. */
#define SEARCH_SCOPE_MARK "~"
#define SEARCH_EXEC_MARK  "^"
/* A problem's text (kind 2) has this token in the executor's place: an executor finds the
 * problems of their body ("~<body path>" and it), not its appeals */
#define SEARCH_PROBLEM_TOKEN "^problem"

/* The Kazakh suffix list the tokenizer uses (parsed once from the compiled-in copy). */
const ot_kk_stemmer_t *search_sqlite_kk(void);

/* Registers the tokenizer on h, its rank function otinish_rank and otinish_mask(text)
 * (domain/text.h text_mask_personal: a problem's title is indexed masked). SQLITE_OK, or an SQLite
 * error code. */
int search_sqlite_register(sqlite3 *h);

#endif
