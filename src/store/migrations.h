/* Inside src/store/ only: the per-engine migration lists. */
#ifndef OT_STORE_MIGRATIONS_H
#define OT_STORE_MIGRATIONS_H

extern const char *const store_migrations_sqlite[];
extern const int store_migrations_sqlite_count;
/* PostgreSQL (issue 19): the twin of each SQLite migration, at the same position */
extern const char *const store_migrations_pg[];
extern const int store_migrations_pg_count;

#endif
