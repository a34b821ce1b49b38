/* Inside src/store/ only: the per-engine migration lists. */
#ifndef OT_STORE_MIGRATIONS_H
#define OT_STORE_MIGRATIONS_H

extern const char *const store_migrations_sqlite[];
extern const int store_migrations_sqlite_count;
/* PostgreSQL (issue 19): the twin of each SQLite migration, at the same position */
extern const char *const store_migrations_pg[];
extern const int store_migrations_pg_count;

/* 57 (issue 23 point 1), the same on both engines: the index of due dates holds the body
 * after the id, so that a scope's appeals of a range of due dates are its entries that pass the
 * scope, read from the index alone (store_appeal.c list_sql); the body was read from each row
 * (a Ridder registrar's appeals due after a date: 22,797 rows for 558 appeals, 150 ms at 1M).
 * (due_on, id) is the order SQLite's (due_on) had already (by rowid), and PostgreSQL's. */
#define MIGRATION_57                                                                               \
    "DROP INDEX appeals_due_on;"                                                                   \
    "CREATE INDEX appeals_due_on ON appeals(due_on, id, body);"

#endif
