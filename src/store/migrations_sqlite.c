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

    /* 3: appeals, registration numbers, the notification outbox */
    "CREATE TABLE number_seq ("
    "  prefix TEXT NOT NULL, year INTEGER NOT NULL, last INTEGER NOT NULL,"
    "  PRIMARY KEY (prefix, year));"
    "CREATE TABLE appeals ("
    "  id INTEGER PRIMARY KEY, number TEXT NOT NULL UNIQUE, kind TEXT NOT NULL,"
    "  channel TEXT NOT NULL, status TEXT NOT NULL, jurisdiction TEXT NOT NULL,"
    "  category TEXT NOT NULL REFERENCES categories(code),"
    "  district TEXT REFERENCES districts(code), body TEXT NOT NULL REFERENCES bodies(id),"
    "  receiving_body TEXT NOT NULL REFERENCES bodies(id),"
    "  executor INTEGER REFERENCES users(id), registrar INTEGER REFERENCES users(id),"
    "  language TEXT NOT NULL, text TEXT NOT NULL, address TEXT, lat REAL, lon REAL,"
    "  applicant_type TEXT NOT NULL, applicant_name TEXT, applicant_id TEXT,"
    "  applicant_address TEXT, applicant_phone TEXT, applicant_email TEXT, signatories INTEGER,"
    "  received_at INTEGER NOT NULL, registered_on TEXT NOT NULL, due_on TEXT NOT NULL,"
    "  forward_by TEXT, max_due_on TEXT NOT NULL, extended_on TEXT, extension_reason TEXT,"
    "  forwarded_at INTEGER, forward_late INTEGER NOT NULL DEFAULT 0,"
    "  answered_at INTEGER, answered_on TEXT, closed_at INTEGER, decision TEXT,"
    "  answer_text TEXT, answer_grounds TEXT, answered_by INTEGER REFERENCES users(id),"
    "  rating INTEGER, rating_comment TEXT, rated_at INTEGER, control_on TEXT,"
    "  terminate_reason TEXT, access_hash TEXT NOT NULL,"
    "  parent_id INTEGER REFERENCES appeals(id), link TEXT,"
    "  repeat_of INTEGER REFERENCES appeals(id), updated_at INTEGER NOT NULL);"
    "CREATE INDEX appeals_body ON appeals(body, status, due_on);"
    "CREATE INDEX appeals_executor ON appeals(executor, status);"
    "CREATE INDEX appeals_due ON appeals(status, due_on);"
    "CREATE INDEX appeals_received ON appeals(received_at);"
    "CREATE INDEX appeals_applicant ON appeals(applicant_id, category, received_at)"
    "  WHERE applicant_id IS NOT NULL;"
    "CREATE INDEX appeals_parent ON appeals(parent_id) WHERE parent_id IS NOT NULL;"
    "CREATE TABLE outbox ("
    "  id INTEGER PRIMARY KEY, created_at INTEGER NOT NULL,"
    "  appeal_id INTEGER REFERENCES appeals(id), recipient TEXT NOT NULL,"
    "  channel TEXT NOT NULL, template TEXT NOT NULL, language TEXT NOT NULL,"
    "  data TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'pending',"
    "  attempts INTEGER NOT NULL DEFAULT 0, next_at INTEGER NOT NULL, sent_at INTEGER,"
    "  last_error TEXT);"
    "CREATE INDEX outbox_pending ON outbox(status, next_at);",

    /* 4: accountability: violations and discipline, head flags, the control queue,
     * reminders sent (issue "Accountability engine") */
    "CREATE TABLE violations ("
    "  id INTEGER PRIMARY KEY, appeal_id INTEGER REFERENCES appeals(id),"
    "  kind TEXT NOT NULL, term_on TEXT NOT NULL, detected_on TEXT NOT NULL,"
    "  days_late INTEGER NOT NULL, body TEXT NOT NULL REFERENCES bodies(id),"
    "  executor INTEGER REFERENCES users(id), head INTEGER REFERENCES users(id),"
    "  status TEXT NOT NULL DEFAULT 'open', order_number TEXT, proceedings_on TEXT,"
    "  penalty TEXT, penalty_on TEXT, dismiss_reason TEXT,"
    "  about_violation INTEGER REFERENCES violations(id), evidence TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,"
    "  UNIQUE (appeal_id, kind, term_on), UNIQUE (about_violation, kind));"
    "CREATE INDEX violations_body ON violations(body, created_at);"
    "CREATE INDEX violations_status ON violations(status, term_on);"
    "CREATE TABLE head_flags ("
    "  id INTEGER PRIMARY KEY, body TEXT NOT NULL REFERENCES bodies(id),"
    "  head INTEGER REFERENCES users(id),"
    "  violation_id INTEGER NOT NULL UNIQUE REFERENCES violations(id),"
    "  prior_violation_id INTEGER NOT NULL REFERENCES violations(id),"
    "  evidence TEXT NOT NULL, created_at INTEGER NOT NULL);"
    "CREATE TABLE control_queue ("
    "  appeal_id INTEGER PRIMARY KEY REFERENCES appeals(id), reason TEXT NOT NULL,"
    "  since INTEGER NOT NULL, control_on TEXT, by_user INTEGER REFERENCES users(id),"
    "  released_at INTEGER);"
    "CREATE TABLE reminders_sent ("
    "  appeal_id INTEGER NOT NULL REFERENCES appeals(id), due_on TEXT NOT NULL,"
    "  days_before INTEGER NOT NULL, sent_at INTEGER NOT NULL,"
    "  PRIMARY KEY (appeal_id, due_on, days_before));",

    /* 5: personal receptions (issue "Personal receptions, scorecards") */
    "CREATE TABLE reception_schedules ("
    "  id INTEGER PRIMARY KEY, official INTEGER NOT NULL REFERENCES users(id),"
    "  body TEXT NOT NULL REFERENCES bodies(id), weekday INTEGER NOT NULL,"
    "  start_min INTEGER NOT NULL, end_min INTEGER NOT NULL, slot_min INTEGER NOT NULL,"
    "  place TEXT, video_url TEXT, valid_from TEXT NOT NULL, valid_to TEXT,"
    "  created_at INTEGER NOT NULL);"
    "CREATE TABLE reception_bookings ("
    "  id INTEGER PRIMARY KEY, schedule_id INTEGER NOT NULL REFERENCES reception_schedules(id),"
    "  day TEXT NOT NULL, start_min INTEGER NOT NULL, citizen_name TEXT NOT NULL,"
    "  citizen_phone TEXT, topic TEXT, code_hash TEXT NOT NULL,"
    "  status TEXT NOT NULL DEFAULT 'booked', held_at INTEGER, attended INTEGER,"
    "  outcome TEXT, appeal_id INTEGER REFERENCES appeals(id), created_at INTEGER NOT NULL);"
    "CREATE UNIQUE INDEX reception_slot ON reception_bookings(schedule_id, day, start_min)"
    "  WHERE status <> 'cancelled';"
    "CREATE INDEX reception_body_day ON reception_bookings(day);",

    /* 6: Open311 API keys (issue "Open311 GeoReport v2 server") */
    "CREATE TABLE api_keys ("
    "  id INTEGER PRIMARY KEY, name TEXT NOT NULL, key_hash TEXT NOT NULL UNIQUE,"
    "  created_at INTEGER NOT NULL, revoked_at INTEGER);",
};

const int store_migrations_sqlite_count =
    (int)(sizeof store_migrations_sqlite / sizeof store_migrations_sqlite[0]);
