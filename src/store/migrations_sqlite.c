/* Schema migrations for the SQLite engine, in order. Entry i brings the schema from version i
 * to version i + 1. Never edit a migration that has shipped: add a new one. The PostgreSQL
 * engine will have its own list with the same versions. */
#include "store/migrations.h"

const char *const store_migrations_sqlite[] = {
    /* 1: reference data: bodies, districts, categories, routing rules */
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE bodies ("
    "  id TEXT PRIMARY KEY, parent TEXT REFERENCES bodies(id), type TEXT NOT NULL,"
    "  name_kk TEXT NOT NULL, name_ru TEXT NOT NULL, name_en TEXT NOT NULL,"
    "  workday_end_min INTEGER NOT NULL, jurisdiction TEXT NOT NULL, note TEXT);"
    "CREATE INDEX bodies_parent ON bodies(parent);"
    "CREATE TABLE districts ("
    "  code TEXT PRIMARY KEY, type TEXT NOT NULL, name_kk TEXT NOT NULL, name_ru TEXT NOT NULL,"
    "  name_en TEXT NOT NULL, akimat TEXT NOT NULL REFERENCES bodies(id), lat REAL, lon REAL,"
    "  note TEXT);"
    "CREATE TABLE categories ("
    "  code TEXT PRIMARY KEY, grp TEXT NOT NULL, name_kk TEXT NOT NULL, name_ru TEXT NOT NULL,"
    "  name_en TEXT NOT NULL, competence TEXT NOT NULL, security_report INTEGER NOT NULL,"
    "  keywords TEXT NOT NULL);"
    "CREATE TABLE routes ("
    "  category TEXT NOT NULL REFERENCES categories(code), district TEXT NOT NULL,"
    "  body TEXT NOT NULL REFERENCES bodies(id), PRIMARY KEY (category, district));",
};

const int store_migrations_sqlite_count =
    (int)(sizeof store_migrations_sqlite / sizeof store_migrations_sqlite[0]);
