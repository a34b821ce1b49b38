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
    "  workday_end_min INTEGER NOT NULL, jurisdiction TEXT NOT NULL, note TEXT,"
    /* path: ids from the root, '/'-terminated ("vko/ridder/"): a body's sub-bodies are the
     * bodies whose path starts with its own, one indexed prefix match in both engines */
    "  path TEXT NOT NULL UNIQUE);"
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

    /* 2: staff accounts, sessions, the audit chain (docs/audit-chain.md) */
    "CREATE TABLE users ("
    "  id INTEGER PRIMARY KEY, login TEXT NOT NULL UNIQUE, name TEXT NOT NULL,"
    "  position TEXT NOT NULL, role TEXT NOT NULL, body TEXT NOT NULL REFERENCES bodies(id),"
    "  pw_hash TEXT NOT NULL, disabled INTEGER NOT NULL DEFAULT 0,"
    "  created_at INTEGER NOT NULL, pw_changed_at INTEGER NOT NULL);"
    "CREATE TABLE sessions ("
    "  token_hash TEXT PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id),"
    "  csrf TEXT NOT NULL, created_at INTEGER NOT NULL, last_seen INTEGER NOT NULL,"
    "  expires_at INTEGER NOT NULL, revoked_at INTEGER);"
    "CREATE INDEX sessions_user ON sessions(user_id);"
    "CREATE TABLE events ("
    "  seq INTEGER PRIMARY KEY, at INTEGER NOT NULL, actor TEXT NOT NULL,"
    "  action TEXT NOT NULL, object_type TEXT NOT NULL, object_id TEXT NOT NULL,"
    "  data TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);"
    "CREATE INDEX events_object ON events(object_type, object_id, seq);",
};

const int store_migrations_sqlite_count =
    (int)(sizeof store_migrations_sqlite / sizeof store_migrations_sqlite[0]);
