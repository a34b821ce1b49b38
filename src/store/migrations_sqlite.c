/* Schema migrations for the SQLite engine, in order. Entry i brings the schema from version i
 * to version i + 1. Never edit a migration that has shipped: add a new one. The PostgreSQL
 * engine will have its own list with the same versions. */
#include "store/migrations.h"

/* The SQL below is laid out by hand: the formatter would split the string pastes of these
 * macros and of migration 5 mid-name. */
/* clang-format off */
/* Migration 5: the statements a trigger runs to add (sign "1") or take back (sign "-1") an
 * answered appeal (row "NEW" or "OLD") in the working-day and answer-month aggregates
 * (stat_wd_day's own triggers carry it on to stat_wd_month). The working days to answer are
 * the difference of the two days' numbers in cal_wd (calendar days when a day is outside
 * the calendar). */
#define WD_OF(row, col)                                                                            \
    "(SELECT wd FROM cal_wd WHERE jurisdiction = " row ".jurisdiction AND day = " row "." col ")"
#define WD_DAYS(row)                                                                               \
    "CAST(coalesce(" WD_OF(row, "answered_on") " - " WD_OF(row, "registered_on") ","           \
    " julianday(" row ".answered_on) - julianday(" row ".registered_on)) AS INTEGER)"
/* stat_day's counters; its triggers add every change to stat_month (NEW - OLD) */
#define STAT_COLS(f)                                                                               \
    f(received) f(answered) f(on_time) f(resolved) f(explained) f(refused) f(complaints)          \
        f(upheld) f(repeats) f(r1) f(r2) f(r3) f(r4) f(r5)
#define COL_NAME(c) ", " #c
#define COL_NEW(c) ", NEW." #c
#define COL_DELTA(c) ", NEW." #c " - OLD." #c
#define COL_ADD(c) ", " #c " = " #c " + excluded." #c
#define STAT_MONTH(values)                                                                         \
    "  INSERT INTO stat_month (month, body" STAT_COLS(COL_NAME) ")"                                \
    "   VALUES (substr(NEW.day, 1, 7), NEW.body" STAT_COLS(values) ")"                             \
    "  ON CONFLICT (month, body) DO UPDATE SET body = body" STAT_COLS(COL_ADD) ";"
#define STAT_WD(row, sign)                                                                         \
    "  INSERT INTO stat_wd_day (day, body, days, n)"                                               \
    "   SELECT " row ".registered_on, " row ".body, d, " sign " FROM (SELECT " WD_DAYS(row)       \
    " AS d) WHERE " row ".answered_on IS NOT NULL"                                                 \
    "  ON CONFLICT (day, body, days) DO UPDATE SET n = n + excluded.n;"                            \
    "  INSERT INTO stat_ans_month (month, body, n)"                                                \
    "   SELECT substr(" row ".answered_on, 1, 7), " row ".body, " sign                             \
    "   WHERE " row ".answered_on IS NOT NULL"                                                     \
    "  ON CONFLICT (month, body) DO UPDATE SET n = n + excluded.n;"

/* Migration 17: the statement a trigger runs to add (sign "") or take back (sign "-") an
 * appeal of a problem (row "NEW" or "OLD") in stat_prob_day: decided, solved, re-raised and
 * the verdicts. */
#define PROB_DECIDED(row)                                                                          \
    row ".decision IN ('satisfied', 'partly_satisfied', 'explained', 'refused')"
#define PROB_STAT(row, sign)                                                                       \
    "  INSERT INTO stat_prob_day (day, body, decided, solved, reraised, v_yes, v_partly, v_no)"    \
    "   SELECT " row ".registered_on, " row ".body, " sign "coalesce(" PROB_DECIDED(row) ", 0), "  \
    sign "coalesce(" row ".decision IN ('satisfied', 'partly_satisfied')"                          \
    " AND coalesce(" row ".verdict, '') <> 'no' AND " row ".reraised = 0, 0), "                    \
    sign "coalesce(" PROB_DECIDED(row) " AND " row ".reraised = 1, 0), "                           \
    sign "coalesce(" row ".verdict = 'yes', 0), " sign "coalesce(" row ".verdict = 'partly', 0), " \
    sign "coalesce(" row ".verdict = 'no', 0) WHERE " row ".problem_id IS NOT NULL"                \
    "  ON CONFLICT (day, body) DO UPDATE SET decided = decided + excluded.decided,"               \
    "   solved = solved + excluded.solved, reraised = reraised + excluded.reraised,"               \
    "   v_yes = v_yes + excluded.v_yes, v_partly = v_partly + excluded.v_partly,"                  \
    "   v_no = v_no + excluded.v_no;"


/* Migration 41 (issue 23 point 3): stat_day's counters with still_open, the appeals of the
 * day and body still open (registered, assigned, in work), carried on to stat_month */
#define OPEN_IN(row) "(" row ".status IN ('registered', 'assigned', 'in_work'))"
#define STAT_COLS_OPEN(f) STAT_COLS(f) f(still_open)
#define STAT_MONTH_OPEN(values)                                                                    \
    "  INSERT INTO stat_month (month, body" STAT_COLS_OPEN(COL_NAME) ")"                           \
    "   VALUES (substr(NEW.day, 1, 7), NEW.body" STAT_COLS_OPEN(values) ")"                        \
    "  ON CONFLICT (month, body) DO UPDATE SET body = body" STAT_COLS_OPEN(COL_ADD) ";"
/* an open appeal added (sign "1") or taken back (sign "-1"): its registration day's
 * still_open in stat_day, its due day's row in stat_open */
#define OPEN_STAT(row, sign)                                                                       \
    "  INSERT INTO stat_day (body, day, still_open) SELECT " row ".body, " row ".registered_on, "  \
    sign " WHERE " OPEN_IN(row)                                                                    \
    "  ON CONFLICT (day, body) DO UPDATE SET still_open = still_open + excluded.still_open;"       \
    "  INSERT INTO stat_open (due_on, body, registered_on, n) SELECT " row ".due_on, " row        \
    ".body, " row ".registered_on, " sign " WHERE " OPEN_IN(row)                                   \
    "  ON CONFLICT (due_on, body, registered_on) DO UPDATE SET n = n + excluded.n;"
/* a row of a small counter table keyed by keys (comma-separated) with values vals, n added */
#define COUNT_ROW(table, keys, vals, sign)                                                         \
    "  INSERT INTO " table " (" keys ", n) VALUES (" vals ", " sign ")"                            \
    "  ON CONFLICT (" keys ") DO UPDATE SET n = n + excluded.n;"
/* the three triggers name_ins, _upd, _del on src that keep counters: rows(row, sign) counts
 * a row in (sign "1") or out ("-1"); an update that changes what rows reads (the condition
 * changed) counts the old row out and the new one in */
#define COUNTED(src, name, rows, changed)                                                          \
    "CREATE TRIGGER " name "_ins AFTER INSERT ON " src " BEGIN" rows("NEW", "1") " END;"           \
    "CREATE TRIGGER " name "_upd AFTER UPDATE ON " src " WHEN " changed " BEGIN"                   \
    rows("OLD", "-1") rows("NEW", "1") " END;"                                                     \
    "CREATE TRIGGER " name "_del AFTER DELETE ON " src " BEGIN" rows("OLD", "-1") " END;"
#define ESC_ROWS(row, sign)                                                                        \
    COUNT_ROW("stat_esc_slot", "slot, body",                                                       \
              row ".since / 900000000, coalesce(" row ".body, '')", sign)                          \
    COUNT_ROW("stat_esc_day", "day, body",                                                         \
              row ".since / 86400000000, coalesce(" row ".body, '')", sign)
#define VIOL_STATUS_ROWS(row, sign) COUNT_ROW("stat_viol_status", "status", row ".status", sign)
#define OUTBOX_ROWS(row, sign)                                                                     \
    COUNT_ROW("stat_outbox", "channel, status", row ".channel, " row ".status", sign)
/* what stat_appeal_ins adds for one new appeal NEW (migrations 41 and 48); the writer's batch
 * adds the same for its appeals at once (store_stat.c) */
#define STAT_APPEAL_INS_BODY \
    "  INSERT INTO stat_day (body, day, received, answered, on_time, resolved, explained," \
    "   refused, r1, r2, r3, r4, r5, still_open) VALUES (NEW.body, NEW.registered_on, 1," \
    "   NEW.answered_on IS NOT NULL, coalesce(NEW.answered_on <= NEW.due_on, 0)," \
    "   coalesce(NEW.decision IN ('satisfied', 'partly_satisfied'), 0)," \
    "   coalesce(NEW.decision = 'explained', 0), coalesce(NEW.decision = 'refused', 0)," \
    "   coalesce(NEW.rating = 1, 0), coalesce(NEW.rating = 2, 0), coalesce(NEW.rating = 3, 0)," \
    "   coalesce(NEW.rating = 4, 0), coalesce(NEW.rating = 5, 0), " OPEN_IN("NEW") ")" \
    "  ON CONFLICT (day, body) DO UPDATE SET received = received + excluded.received," \
    "   answered = answered + excluded.answered, on_time = on_time + excluded.on_time," \
    "   resolved = resolved + excluded.resolved, explained = explained + excluded.explained," \
    "   refused = refused + excluded.refused, r1 = r1 + excluded.r1, r2 = r2 + excluded.r2," \
    "   r3 = r3 + excluded.r3, r4 = r4 + excluded.r4, r5 = r5 + excluded.r5," \
    "   still_open = still_open + excluded.still_open;" \
    "  INSERT INTO stat_cd (month, category, district, n)" \
    "   VALUES (substr(NEW.registered_on, 1, 7), NEW.category, coalesce(NEW.district, ''), 1)" \
    "  ON CONFLICT (month, category, district) DO UPDATE SET n = n + 1;" \
    "  INSERT INTO stat_open (due_on, body, registered_on, n)" \
    "   SELECT NEW.due_on, NEW.body, NEW.registered_on, 1 WHERE " OPEN_IN("NEW") \
    "  ON CONFLICT (due_on, body, registered_on) DO UPDATE SET n = n + 1;"
/* 41, issue 23 point 3: the dashboard's, the scorecards' and GET /metrics' counts of open
 * appeals, escalations, open violations and pending notices from counters kept in step
 * by triggers, not from the rows: on the swept 1M demo they read 150,000 open appeals
 * (twice), 137,000 escalations, 330,000 open violations and 2.7M pending notices per
 * request (docs/scorecards.md).
 * stat_day.still_open (and stat_month's): the appeals of the registration day (month)
 * and body still open; a body's open appeals are the sum of its months. stat_open: the
 * open appeals by due day, body and registration day; what is read of it is the days
 * from today on (the appeals not yet overdue: a few weeks of intake), so the overdue are
 * the open less those. stat_esc_slot: the appeals entering the control queue per
 * 15-minute slot of `since` and body (as stat_flag_slot: a period of local days is a
 * range of slots), and stat_esc_day the same per UTC day (`since` is when the appeal fell
 * due, any time of day: a period's whole UTC days are read here, its two edges by slot). stat_viol_status, stat_outbox: violations by status, notices by
 * channel and status. An intake runs one statement more (stat_open's, in
 * stat_appeal_ins); still_open rides on its stat_day upsert. */
#define MIGRATION_41 \
    "ALTER TABLE stat_day ADD COLUMN still_open INTEGER NOT NULL DEFAULT 0;" \
    "ALTER TABLE stat_month ADD COLUMN still_open INTEGER NOT NULL DEFAULT 0;" \
    "DROP TRIGGER stat_day_ins;" \
    "DROP TRIGGER stat_day_upd;" \
    "UPDATE stat_day SET still_open = o.n FROM (SELECT body, registered_on AS day, count(*) AS n" \
    "  FROM appeals WHERE " OPEN_IN("appeals") " GROUP BY body, registered_on) AS o" \
    "  WHERE o.body = stat_day.body AND o.day = stat_day.day;" \
    "UPDATE stat_month SET still_open = o.n FROM (SELECT body, substr(day, 1, 7) AS month," \
    "  sum(still_open) AS n FROM stat_day GROUP BY body, substr(day, 1, 7)) AS o" \
    "  WHERE o.body = stat_month.body AND o.month = stat_month.month;" \
    "CREATE TRIGGER stat_day_ins AFTER INSERT ON stat_day BEGIN" STAT_MONTH_OPEN(COL_NEW) " END;" \
    "CREATE TRIGGER stat_day_upd AFTER UPDATE ON stat_day BEGIN" STAT_MONTH_OPEN(COL_DELTA) " END;" \
    "CREATE TABLE stat_open (" \
    "  due_on TEXT NOT NULL, body TEXT NOT NULL, registered_on TEXT NOT NULL," \
    "  n INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (due_on, body, registered_on)) WITHOUT ROWID;" \
    "INSERT INTO stat_open (due_on, body, registered_on, n)" \
    "  SELECT due_on, body, registered_on, count(*) FROM appeals WHERE " OPEN_IN("appeals") \
    "  GROUP BY due_on, body, registered_on;" \
    "DROP TRIGGER stat_appeal_ins;" \
    "CREATE TRIGGER stat_appeal_ins AFTER INSERT ON appeals BEGIN" \
    STAT_APPEAL_INS_BODY \
    " END;" \
    /* an appeal that opens or closes, or moves (body, registration or due day) while open */ \
    "CREATE TRIGGER stat_open_upd AFTER UPDATE ON appeals" \
    " WHEN " OPEN_IN("OLD") " IS NOT " OPEN_IN("NEW") " OR (" OPEN_IN("NEW") \
    "  AND (OLD.body IS NOT NEW.body OR OLD.registered_on IS NOT NEW.registered_on" \
    "  OR OLD.due_on IS NOT NEW.due_on)) BEGIN" \
    OPEN_STAT("OLD", "-1") \
    OPEN_STAT("NEW", "1") \
    " END;" \
    "CREATE TABLE stat_esc_slot (" \
    "  slot INTEGER NOT NULL, body TEXT NOT NULL, n INTEGER NOT NULL DEFAULT 0," \
    "  PRIMARY KEY (slot, body)) WITHOUT ROWID;" \
    "INSERT INTO stat_esc_slot (slot, body, n)" \
    "  SELECT since / 900000000, coalesce(body, ''), count(*) FROM control_queue" \
    "  GROUP BY since / 900000000, coalesce(body, '');" \
    "CREATE TABLE stat_esc_day (" \
    "  day INTEGER NOT NULL, body TEXT NOT NULL, n INTEGER NOT NULL DEFAULT 0," \
    "  PRIMARY KEY (day, body)) WITHOUT ROWID;" \
    "INSERT INTO stat_esc_day (day, body, n)" \
    "  SELECT since / 86400000000, coalesce(body, ''), count(*) FROM control_queue" \
    "  GROUP BY since / 86400000000, coalesce(body, '');" \
    /* an entry's body is set by control_queue_body just after its insert: counted under '' \
     * by one trigger and moved by the other, in whichever order they run */ \
    COUNTED("control_queue", "stat_esc", ESC_ROWS, "OLD.body IS NOT NEW.body OR OLD.since IS NOT NEW.since") \
    "CREATE TABLE stat_viol_status (" \
    "  status TEXT PRIMARY KEY, n INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;" \
    "INSERT INTO stat_viol_status (status, n) SELECT status, count(*) FROM violations" \
    "  GROUP BY status;" \
    COUNTED("violations", "stat_viol_status", VIOL_STATUS_ROWS, "OLD.status IS NOT NEW.status") \
    "CREATE TABLE stat_outbox (" \
    "  channel TEXT NOT NULL, status TEXT NOT NULL, n INTEGER NOT NULL DEFAULT 0," \
    "  PRIMARY KEY (channel, status)) WITHOUT ROWID;" \
    "INSERT INTO stat_outbox (channel, status, n) SELECT channel, status, count(*) FROM outbox" \
    "  GROUP BY channel, status;" \
    COUNTED("outbox", "stat_outbox", OUTBOX_ROWS, \
            "OLD.channel IS NOT NEW.channel OR OLD.status IS NOT NEW.status")
/* clang-format on */

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
    "  PRIMARY KEY (appeal_id, due_on, days_before));"
    /* the sweeper finds undelivered extension notices, supervisors' control dates and the
     * staff's e-mail addresses for notices (docs/accountability.md) */
    "CREATE INDEX outbox_template ON outbox(template, status);"
    "CREATE INDEX appeals_control ON appeals(control_on) WHERE control_on IS NOT NULL;"
    /* the sweeper's scans of open appeals by due date: covering for the checks of appeals
     * already handled, so a sweep that finds nothing new reads only this index */
    "CREATE INDEX appeals_open_due ON appeals(jurisdiction, due_on)"
    "  WHERE status IN ('registered', 'assigned', 'in_work');"
    "CREATE INDEX violations_open ON violations(status, kind);"
    "CREATE INDEX violations_executor ON violations(executor);"
    "ALTER TABLE users ADD COLUMN email TEXT;",

    /* clang-format off */
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
    "CREATE INDEX reception_body_day ON reception_bookings(day);"
    "CREATE INDEX reception_schedule_body ON reception_schedules(body);"
    /* Per-day aggregates for scorecards and alerts (docs/scorecards.md), kept in step with
     * appeals by triggers, so every writer (the services, imports, the bench) keeps them
     * right in the same transaction. stat_day: per current body and registration day.
     * Complaints count against the body complained about; repeats (a new appeal flagged
     * repeat_of, received within 365 days after the first one's answer) against the body
     * that answered the first one; both by the new appeal's registration day. */
    "CREATE TABLE stat_day ("
    "  body TEXT NOT NULL, day TEXT NOT NULL, received INTEGER NOT NULL DEFAULT 0,"
    "  answered INTEGER NOT NULL DEFAULT 0, on_time INTEGER NOT NULL DEFAULT 0,"
    "  resolved INTEGER NOT NULL DEFAULT 0, explained INTEGER NOT NULL DEFAULT 0,"
    "  refused INTEGER NOT NULL DEFAULT 0, complaints INTEGER NOT NULL DEFAULT 0,"
    "  upheld INTEGER NOT NULL DEFAULT 0, repeats INTEGER NOT NULL DEFAULT 0,"
    "  r1 INTEGER NOT NULL DEFAULT 0, r2 INTEGER NOT NULL DEFAULT 0,"
    "  r3 INTEGER NOT NULL DEFAULT 0, r4 INTEGER NOT NULL DEFAULT 0,"
    "  r5 INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (day, body)) WITHOUT ROWID;"
    /* the same per month: a period's whole months are read here, the partial months at its
     * edges from stat_day */
    "CREATE TABLE stat_month ("
    "  body TEXT NOT NULL, month TEXT NOT NULL, received INTEGER NOT NULL DEFAULT 0,"
    "  answered INTEGER NOT NULL DEFAULT 0, on_time INTEGER NOT NULL DEFAULT 0,"
    "  resolved INTEGER NOT NULL DEFAULT 0, explained INTEGER NOT NULL DEFAULT 0,"
    "  refused INTEGER NOT NULL DEFAULT 0, complaints INTEGER NOT NULL DEFAULT 0,"
    "  upheld INTEGER NOT NULL DEFAULT 0, repeats INTEGER NOT NULL DEFAULT 0,"
    "  r1 INTEGER NOT NULL DEFAULT 0, r2 INTEGER NOT NULL DEFAULT 0,"
    "  r3 INTEGER NOT NULL DEFAULT 0, r4 INTEGER NOT NULL DEFAULT 0,"
    "  r5 INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (month, body)) WITHOUT ROWID;"
    "CREATE TRIGGER stat_day_ins AFTER INSERT ON stat_day BEGIN" STAT_MONTH(COL_NEW) " END;"
    "CREATE TRIGGER stat_day_upd AFTER UPDATE ON stat_day BEGIN" STAT_MONTH(COL_DELTA) " END;"
    /* the working-day number of each day of a jurisdiction's calendar (working days since
     * the calendar's first day, up to and including the day), so that a trigger counts the
     * working days from registration to answer as a difference of two lookups. Filled and
     * refreshed from the calendar by report_calendar_sync (service/report.h), which also
     * rebuilds the stat_wd_* tables when the calendar changes. A day outside it counts in
     * calendar days. */
    "CREATE TABLE cal_wd ("
    "  jurisdiction TEXT NOT NULL, day TEXT NOT NULL, wd INTEGER NOT NULL,"
    "  PRIMARY KEY (jurisdiction, day)) WITHOUT ROWID;"
    /* answered appeals by working days to answer: per registration month and body (a year's
     * scorecard reads twelve months of these), and per registration day and body for the
     * partial months at the edges of a period */
    "CREATE TABLE stat_wd_month ("
    "  month TEXT NOT NULL, body TEXT NOT NULL, days INTEGER NOT NULL,"
    "  n INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (month, body, days)) WITHOUT ROWID;"
    "CREATE TABLE stat_wd_day ("
    "  day TEXT NOT NULL, body TEXT NOT NULL, days INTEGER NOT NULL,"
    "  n INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (day, body, days)) WITHOUT ROWID;"
    "CREATE TRIGGER stat_wd_day_ins AFTER INSERT ON stat_wd_day BEGIN"
    "  INSERT INTO stat_wd_month (month, body, days, n)"
    "   VALUES (substr(NEW.day, 1, 7), NEW.body, NEW.days, NEW.n)"
    "  ON CONFLICT (month, body, days) DO UPDATE SET n = n + excluded.n;"
    " END;"
    "CREATE TRIGGER stat_wd_day_upd AFTER UPDATE ON stat_wd_day BEGIN"
    "  INSERT INTO stat_wd_month (month, body, days, n)"
    "   VALUES (substr(NEW.day, 1, 7), NEW.body, NEW.days, NEW.n - OLD.n)"
    "  ON CONFLICT (month, body, days) DO UPDATE SET n = n + excluded.n;"
    " END;"
    /* appeals answered per answer month and body: the alerts' monthly series */
    "CREATE TABLE stat_ans_month ("
    "  month TEXT NOT NULL, body TEXT NOT NULL, n INTEGER NOT NULL DEFAULT 0,"
    "  PRIMARY KEY (month, body)) WITHOUT ROWID;"
    /* appeals by registration month, category and district ('' = none): surges */
    "CREATE TABLE stat_cd ("
    "  month TEXT NOT NULL, category TEXT NOT NULL, district TEXT NOT NULL,"
    "  n INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (month, category, district)) WITHOUT ROWID;"
    "CREATE INDEX control_queue_since ON control_queue(since);"
    /* the scorecards' open appeals past due, by registration day: covering */
    "CREATE INDEX appeals_open_reg ON appeals(status, registered_on, due_on, body)"
    "  WHERE status IN ('registered', 'assigned', 'in_work');"
    "CREATE TRIGGER stat_appeal_ins AFTER INSERT ON appeals BEGIN"
    "  INSERT INTO stat_day (body, day, received, answered, on_time, resolved, explained,"
    "   refused, r1, r2, r3, r4, r5) VALUES (NEW.body, NEW.registered_on, 1,"
    "   NEW.answered_on IS NOT NULL, coalesce(NEW.answered_on <= NEW.due_on, 0),"
    "   coalesce(NEW.decision IN ('satisfied', 'partly_satisfied'), 0),"
    "   coalesce(NEW.decision = 'explained', 0), coalesce(NEW.decision = 'refused', 0),"
    "   coalesce(NEW.rating = 1, 0), coalesce(NEW.rating = 2, 0), coalesce(NEW.rating = 3, 0),"
    "   coalesce(NEW.rating = 4, 0), coalesce(NEW.rating = 5, 0))"
    "  ON CONFLICT (day, body) DO UPDATE SET received = received + excluded.received,"
    "   answered = answered + excluded.answered, on_time = on_time + excluded.on_time,"
    "   resolved = resolved + excluded.resolved, explained = explained + excluded.explained,"
    "   refused = refused + excluded.refused, r1 = r1 + excluded.r1, r2 = r2 + excluded.r2,"
    "   r3 = r3 + excluded.r3, r4 = r4 + excluded.r4, r5 = r5 + excluded.r5;"
    STAT_WD("NEW", "1")
    "  INSERT INTO stat_day (body, day, complaints, upheld)"
    "   SELECT p.body, NEW.registered_on, 1,"
    "    coalesce(NEW.decision IN ('satisfied', 'partly_satisfied'), 0)"
    "   FROM appeals p WHERE p.id = NEW.parent_id AND NEW.link = 'complaint'"
    "  ON CONFLICT (day, body) DO UPDATE SET complaints = complaints + excluded.complaints,"
    "   upheld = upheld + excluded.upheld;"
    "  INSERT INTO stat_day (body, day, repeats)"
    "   SELECT o.body, NEW.registered_on, 1 FROM appeals o WHERE o.id = NEW.repeat_of"
    "    AND o.answered_at IS NOT NULL AND o.answered_at <= NEW.received_at"
    "    AND NEW.received_at - o.answered_at <= 365 * 86400000000"
    "  ON CONFLICT (day, body) DO UPDATE SET repeats = repeats + 1;"
    "  INSERT INTO stat_cd (month, category, district, n)"
    "   VALUES (substr(NEW.registered_on, 1, 7), NEW.category, coalesce(NEW.district, ''), 1)"
    "  ON CONFLICT (month, category, district) DO UPDATE SET n = n + 1;"
    " END;"
    "CREATE TRIGGER stat_appeal_upd AFTER UPDATE ON appeals"
    " WHEN OLD.body IS NOT NEW.body OR OLD.answered_on IS NOT NEW.answered_on"
    "  OR OLD.due_on IS NOT NEW.due_on OR OLD.decision IS NOT NEW.decision"
    "  OR OLD.rating IS NOT NEW.rating OR OLD.registered_on IS NOT NEW.registered_on BEGIN"
    "  INSERT INTO stat_day (body, day, received, answered, on_time, resolved, explained,"
    "   refused, r1, r2, r3, r4, r5) VALUES (OLD.body, OLD.registered_on, -1,"
    "   -(OLD.answered_on IS NOT NULL), -coalesce(OLD.answered_on <= OLD.due_on, 0),"
    "   -coalesce(OLD.decision IN ('satisfied', 'partly_satisfied'), 0),"
    "   -coalesce(OLD.decision = 'explained', 0), -coalesce(OLD.decision = 'refused', 0),"
    "   -coalesce(OLD.rating = 1, 0), -coalesce(OLD.rating = 2, 0),"
    "   -coalesce(OLD.rating = 3, 0), -coalesce(OLD.rating = 4, 0),"
    "   -coalesce(OLD.rating = 5, 0))"
    "  ON CONFLICT (day, body) DO UPDATE SET received = received + excluded.received,"
    "   answered = answered + excluded.answered, on_time = on_time + excluded.on_time,"
    "   resolved = resolved + excluded.resolved, explained = explained + excluded.explained,"
    "   refused = refused + excluded.refused, r1 = r1 + excluded.r1, r2 = r2 + excluded.r2,"
    "   r3 = r3 + excluded.r3, r4 = r4 + excluded.r4, r5 = r5 + excluded.r5;"
    "  INSERT INTO stat_day (body, day, received, answered, on_time, resolved, explained,"
    "   refused, r1, r2, r3, r4, r5) VALUES (NEW.body, NEW.registered_on, 1,"
    "   NEW.answered_on IS NOT NULL, coalesce(NEW.answered_on <= NEW.due_on, 0),"
    "   coalesce(NEW.decision IN ('satisfied', 'partly_satisfied'), 0),"
    "   coalesce(NEW.decision = 'explained', 0), coalesce(NEW.decision = 'refused', 0),"
    "   coalesce(NEW.rating = 1, 0), coalesce(NEW.rating = 2, 0), coalesce(NEW.rating = 3, 0),"
    "   coalesce(NEW.rating = 4, 0), coalesce(NEW.rating = 5, 0))"
    "  ON CONFLICT (day, body) DO UPDATE SET received = received + excluded.received,"
    "   answered = answered + excluded.answered, on_time = on_time + excluded.on_time,"
    "   resolved = resolved + excluded.resolved, explained = explained + excluded.explained,"
    "   refused = refused + excluded.refused, r1 = r1 + excluded.r1, r2 = r2 + excluded.r2,"
    "   r3 = r3 + excluded.r3, r4 = r4 + excluded.r4, r5 = r5 + excluded.r5;"
    STAT_WD("OLD", "-1")
    STAT_WD("NEW", "1")
    "  INSERT INTO stat_day (body, day, upheld)"
    "   SELECT p.body, NEW.registered_on,"
    "    coalesce(NEW.decision IN ('satisfied', 'partly_satisfied'), 0)"
    "    - coalesce(OLD.decision IN ('satisfied', 'partly_satisfied'), 0)"
    "   FROM appeals p WHERE p.id = NEW.parent_id AND NEW.link = 'complaint'"
    "  ON CONFLICT (day, body) DO UPDATE SET upheld = upheld + excluded.upheld;"
    " END;",

    /* clang-format on */

    /* 6: Open311 API keys (issue "Open311 GeoReport v2 server") */
    "CREATE TABLE api_keys ("
    "  id INTEGER PRIMARY KEY, name TEXT NOT NULL, key_hash TEXT NOT NULL UNIQUE,"
    "  created_at INTEGER NOT NULL, revoked_at INTEGER);"
    /* the appeals filed over Open311: which key filed them and the Open311-only fields;
     * GET requests shows only these (docs/open311.md) */
    "CREATE TABLE open311_requests ("
    "  appeal_id INTEGER PRIMARY KEY REFERENCES appeals(id),"
    "  api_key INTEGER NOT NULL REFERENCES api_keys(id), media_url TEXT, address_id TEXT,"
    "  device_id TEXT, account_id TEXT);",

    /* 7: attachments of appeals, content-addressed on disk (docs/api.md "Attachments") */
    "CREATE TABLE attachments ("
    "  id INTEGER PRIMARY KEY, appeal_id INTEGER NOT NULL REFERENCES appeals(id),"
    "  sha256 TEXT NOT NULL, name TEXT NOT NULL, type TEXT NOT NULL, size INTEGER NOT NULL,"
    "  added_by TEXT NOT NULL, created_at INTEGER NOT NULL, UNIQUE (appeal_id, sha256));",

    /* 8: every violation names the person who answers for it: the executor, else the head of
     * the body, else the head of the nearest body above that has one (issue 15) */
    "ALTER TABLE violations ADD COLUMN responsible INTEGER REFERENCES users(id);"
    "ALTER TABLE violations ADD COLUMN responsible_via TEXT;"
    "UPDATE violations SET responsible = coalesce(executor, head),"
    "  responsible_via = CASE WHEN executor IS NOT NULL THEN 'executor' ELSE 'head' END"
    "  WHERE coalesce(executor, head) IS NOT NULL;"
    "CREATE INDEX violations_responsible ON violations(responsible);"
    "CREATE INDEX violations_body_term ON violations(body, term_on);"
    /* a walk-in reception (no booking) is recorded like a held booking, outside the slots */
    "ALTER TABLE reception_bookings ADD COLUMN walk_in INTEGER NOT NULL DEFAULT 0;"
    "DROP INDEX reception_slot;"
    "CREATE UNIQUE INDEX reception_slot ON reception_bookings(schedule_id, day, start_min)"
    "  WHERE status <> 'cancelled' AND walk_in = 0;"
    /* an external body's own superior: its violations are reported there (issue 15) */
    "ALTER TABLE bodies ADD COLUMN superior TEXT;"
    /* the outgoing register: who forwarded what, where, when (issue 15) */
    "CREATE TABLE forwards ("
    "  id INTEGER PRIMARY KEY, appeal_id INTEGER NOT NULL REFERENCES appeals(id),"
    "  from_body TEXT NOT NULL REFERENCES bodies(id), to_body TEXT NOT NULL REFERENCES bodies(id),"
    "  at INTEGER NOT NULL, within_term INTEGER NOT NULL, reason TEXT NOT NULL);"
    "CREATE INDEX forwards_from ON forwards(from_body, at);"
    "CREATE INDEX forwards_appeal ON forwards(appeal_id);"
    /* the attributes an Open311 client sent that the service does not define (issue 24) */
    "ALTER TABLE open311_requests ADD COLUMN attributes TEXT;"
    /* the body an applicant addresses and a collective appeal's signatories (issue 16) */
    "CREATE TABLE appeal_addressee ("
    "  appeal_id INTEGER PRIMARY KEY REFERENCES appeals(id),"
    "  body TEXT NOT NULL REFERENCES bodies(id));"
    "CREATE INDEX appeal_addressee_body ON appeal_addressee(body);"
    "CREATE TABLE appeal_signatories ("
    "  appeal_id INTEGER NOT NULL REFERENCES appeals(id), n INTEGER NOT NULL,"
    "  name TEXT NOT NULL, iin TEXT, PRIMARY KEY (appeal_id, n));"
    /* a suspended term (issue 16): since when, and the working days added so far */
    "ALTER TABLE appeals ADD COLUMN suspended_on TEXT;"
    "ALTER TABLE appeals ADD COLUMN suspended_days INTEGER NOT NULL DEFAULT 0;"
    /* under the akim's personal control (issue 16) */
    "ALTER TABLE appeals ADD COLUMN personal_control INTEGER NOT NULL DEFAULT 0;",

    /* 9: the staff list at a million appeals (issue 23; store_appeal_list): one index per
     * filter that gives the appeals of one value in id order (an index on (x) is ordered by
     * (x, id)), so a newest-first page at any depth reads about as many entries as it shows.
     * The executor's index loses its status column for that. Overdue walks the open appeals
     * and repeated the repeated ones, in id order: each an index on its condition, as an
     * expression the list compares with 1 (a partial index would let SQLite take another
     * index on status and sort); the open ones carry their due date, so the ones not yet
     * due are passed over in the index. Due dates: a range, read and sorted. */
    "CREATE INDEX appeals_status_id ON appeals(status);"
    "CREATE INDEX appeals_body_id ON appeals(body);"
    "CREATE INDEX appeals_kind ON appeals(kind);"
    "CREATE INDEX appeals_category ON appeals(category);"
    "CREATE INDEX appeals_district ON appeals(district);"
    "CREATE INDEX appeals_channel ON appeals(channel);"
    "DROP INDEX appeals_executor;"
    "CREATE INDEX appeals_executor ON appeals(executor);"
    "CREATE INDEX appeals_open_id"
    "  ON appeals((status IN ('registered', 'assigned', 'in_work')), id, due_on)"
    "  WHERE (status IN ('registered', 'assigned', 'in_work')) = 1;"
    "CREATE INDEX appeals_repeated ON appeals((repeat_of IS NOT NULL))"
    "  WHERE (repeat_of IS NOT NULL) = 1;"
    "CREATE INDEX appeals_due_on ON appeals(due_on);",

    /* 10: violations per detection day and body, for the scorecards (issue 23): they summed
     * the violations table itself, a full scan (353,105 rows after a first sweep over a
     * 1M-appeal demo). Kept in step by triggers, like stat_day. */
    "CREATE TABLE stat_viol_day ("
    "  day TEXT NOT NULL, body TEXT NOT NULL, n INTEGER NOT NULL DEFAULT 0,"
    "  penalties INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (day, body)) WITHOUT ROWID;"
    "INSERT INTO stat_viol_day (day, body, n, penalties)"
    "  SELECT detected_on, body, count(*), sum(status = 'penalty') FROM violations"
    "  GROUP BY detected_on, body;"
    "CREATE TRIGGER stat_viol_ins AFTER INSERT ON violations BEGIN"
    "  INSERT INTO stat_viol_day (day, body, n, penalties)"
    "   VALUES (NEW.detected_on, NEW.body, 1, NEW.status = 'penalty')"
    "  ON CONFLICT (day, body) DO UPDATE SET n = n + 1, penalties = penalties + excluded.penalties;"
    " END;"
    "CREATE TRIGGER stat_viol_upd AFTER UPDATE ON violations"
    " WHEN OLD.status IS NOT NEW.status OR OLD.body IS NOT NEW.body"
    "  OR OLD.detected_on IS NOT NEW.detected_on BEGIN"
    "  INSERT INTO stat_viol_day (day, body, n, penalties)"
    "   VALUES (OLD.detected_on, OLD.body, -1, -(OLD.status = 'penalty'))"
    "  ON CONFLICT (day, body) DO UPDATE SET n = n - 1, penalties = penalties + excluded.penalties;"
    "  INSERT INTO stat_viol_day (day, body, n, penalties)"
    "   VALUES (NEW.detected_on, NEW.body, 1, NEW.status = 'penalty')"
    "  ON CONFLICT (day, body) DO UPDATE SET n = n + 1, penalties = penalties + excluded.penalties;"
    " END;"
    "CREATE TRIGGER stat_viol_del AFTER DELETE ON violations BEGIN"
    "  INSERT INTO stat_viol_day (day, body, n, penalties)"
    "   VALUES (OLD.detected_on, OLD.body, -1, -(OLD.status = 'penalty'))"
    "  ON CONFLICT (day, body) DO UPDATE SET n = n - 1, penalties = penalties + excluded.penalties;"
    " END;",

    /* 11: the client address a citizen's attachment came from, for the per-address quota
     * (issue 20; NULL for staff uploads, which the quotas do not limit) */
    "ALTER TABLE attachments ADD COLUMN source_addr TEXT;"
    "CREATE INDEX attachments_source ON attachments(source_addr, created_at)"
    "  WHERE source_addr IS NOT NULL;",

    /* 12: the limits on a citizen's live bookings (issue 20): the phone's digits and the
     * client address a booking came from */
    "ALTER TABLE reception_bookings ADD COLUMN phone_key TEXT;"
    "ALTER TABLE reception_bookings ADD COLUMN source_addr TEXT;"
    "CREATE INDEX reception_live_phone ON reception_bookings(phone_key, day)"
    "  WHERE status = 'booked' AND phone_key IS NOT NULL;"
    "CREATE INDEX reception_live_addr ON reception_bookings(source_addr, day)"
    "  WHERE status = 'booked' AND source_addr IS NOT NULL;",

    /* 13: one row GET /healthz rewrites to learn whether the store takes writes (issue 20) */
    "CREATE TABLE health_probe (id INTEGER PRIMARY KEY CHECK (id = 1), at INTEGER NOT NULL);",
    /* 14: the current body of each appeal in the control queue, on the queue's row, so that
     * the scorecards' escalations per body read one covering index instead of looking up
     * every escalated appeal (142,946 after a first sweep over the 1M demo). Set when a row
     * is added, followed when the appeal moves to another body; a bulk load, which drops the
     * appeals' triggers, sets it again in store_report_rebuild. */
    "ALTER TABLE control_queue ADD COLUMN body TEXT;"
    "UPDATE control_queue SET body = (SELECT a.body FROM appeals a"
    "  WHERE a.id = control_queue.appeal_id);"
    "DROP INDEX control_queue_since;"
    "CREATE INDEX control_queue_since ON control_queue(since, body);"
    "CREATE TRIGGER control_queue_body AFTER INSERT ON control_queue BEGIN"
    "  UPDATE control_queue SET body = (SELECT a.body FROM appeals a WHERE a.id = NEW.appeal_id)"
    "   WHERE appeal_id = NEW.appeal_id;"
    " END;"
    "CREATE TRIGGER appeals_control_body AFTER UPDATE OF body ON appeals BEGIN"
    "  UPDATE control_queue SET body = NEW.body WHERE appeal_id = NEW.id;"
    " END;",

    /* 15: two indexes of appeals that no query reads since the staff list has its own
     * (migration 8): (body, status, due_on) and (status, due_on); the sweeps read
     * appeals_open_due, the scorecards appeals_open_reg. Every intake and update wrote them. */
    "DROP INDEX appeals_body;"
    "DROP INDEX appeals_due;",

    /* 16: an admin forces a password change: the next login must give a new password
     * (issue 20) */
    "ALTER TABLE users ADD COLUMN pw_expired INTEGER NOT NULL DEFAULT 0;",

    /* 17 (issue 16): a head's approval of his executors' answers. body_settings: a body's own
     * settings, set by its head (or an admin) through the API, not data/ (a management choice
     * of the head, not a rule of law); answer_approvals: every answer held for approval, with
     * its outcome (pending, approved, returned); one pending per appeal. */
    "CREATE TABLE body_settings ("
    "  body TEXT PRIMARY KEY REFERENCES bodies(id),"
    "  answer_approval INTEGER NOT NULL DEFAULT 0,"
    "  updated_at INTEGER NOT NULL, updated_by INTEGER REFERENCES users(id));"
    "CREATE TABLE answer_approvals ("
    "  id INTEGER PRIMARY KEY, appeal_id INTEGER NOT NULL REFERENCES appeals(id),"
    "  decision TEXT NOT NULL, text TEXT NOT NULL, grounds TEXT,"
    "  submitted_by INTEGER NOT NULL REFERENCES users(id), submitted_at INTEGER NOT NULL,"
    "  submitted_on TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'pending',"
    "  decided_by INTEGER REFERENCES users(id), decided_at INTEGER, comment TEXT);"
    "CREATE UNIQUE INDEX answer_approvals_pending ON answer_approvals(appeal_id)"
    "  WHERE status = 'pending';"
    "CREATE INDEX answer_approvals_appeal ON answer_approvals(appeal_id);"
    /* ... and the notices of one appeal: GET .../notices, and the rows of one notice (same
     * appeal, template, instant) the worker and the sweep look at before an alert */
    "CREATE INDEX outbox_appeal ON outbox(appeal_id, template, created_at);",

    /* 18 (issue 18): the work queue, open appeals by due date (overdue first), of an executor,
     * of a body, of all: a partial index each, ordered (x, due_on, id), so a page of the
     * queue at any depth reads about as many entries as it shows, and the executor picker
     * counts each executor's open appeals from the index. The condition is an expression
     * that no index on status alone serves (SQLite would take that one and sort), and each
     * index words it its own way ("> 0", ">= 1"; appeals_open_id has "= 1"), so that a
     * query can use only the index it names: the overdue list keeps appeals_open_id, and
     * an executor's queue cannot take the index of all open appeals and filter it */
    "CREATE INDEX appeals_queue_exec ON appeals(executor, due_on)"
    "  WHERE (status IN ('registered', 'assigned', 'in_work')) > 0;"
    "CREATE INDEX appeals_queue_body ON appeals(body, due_on)"
    "  WHERE (status IN ('registered', 'assigned', 'in_work')) > 0;"
    "CREATE INDEX appeals_queue ON appeals(due_on)"
    "  WHERE (status IN ('registered', 'assigned', 'in_work')) >= 1;"
    /* the queue's counts per state (of an executor, of bodies) and the executor picker's
     * workload, read from these indexes alone: on the 1M demo, counting a city's open
     * appeals through the table read 138,000 rows (14 s from a cold cache). Worded "<> 0",
     * so that no list can take them (they are not in due order) */
    "CREATE INDEX appeals_count_body ON appeals(body, status, due_on)"
    "  WHERE (status IN ('registered', 'assigned', 'in_work')) <> 0;"
    "CREATE INDEX appeals_count_exec ON appeals(executor, status, due_on, body)"
    "  WHERE (status IN ('registered', 'assigned', 'in_work')) <> 0;"
    /* the head's tasks: executors' extension requests, a few among the events */
    "CREATE INDEX events_ext_request ON events(seq)"
    "  WHERE action = 'appeal.request_extension';",
    /* clang-format off */
    /* 19: problems (issue 17): appeals about one real-world problem grouped at intake (the
     * same category, the same place -- a normalised address, or a grid cell of coordinates --
     * and a similar text); the lookup of candidates reads problems_place or problems_cell
     * (category, place, recent). The appeal's problem, the applicant as a key for the repeat
     * rule (issue 16 point 4), the citizen's verdict on the answer (yes/partly/no, once), and
     * whether a new appeal on the problem came within the re-raise window after this one's
     * answer. stat_prob_day: per body and registration day, the decided appeals with a
     * problem, those that solved it (decision satisfied or partly, no "no" verdict, not
     * re-raised), those re-raised, and the verdicts; kept in step by triggers like stat_day. */
    "CREATE TABLE problems ("
    "  id INTEGER PRIMARY KEY, body TEXT NOT NULL REFERENCES bodies(id),"
    "  category TEXT NOT NULL, district TEXT, place TEXT NOT NULL DEFAULT '', cell TEXT,"
    "  lat REAL, lon REAL, words TEXT NOT NULL DEFAULT '', title TEXT NOT NULL DEFAULT '',"
    "  address TEXT NOT NULL DEFAULT '', state TEXT NOT NULL DEFAULT 'open',"
    "  confirmed INTEGER NOT NULL DEFAULT 0, n_appeals INTEGER NOT NULL DEFAULT 0,"
    "  n_open INTEGER NOT NULL DEFAULT 0, recurrences INTEGER NOT NULL DEFAULT 0,"
    "  first_at INTEGER NOT NULL, last_at INTEGER NOT NULL, recurred_at INTEGER,"
    "  merged_into INTEGER REFERENCES problems(id), updated_at INTEGER NOT NULL);"
    "CREATE INDEX problems_place ON problems(category, place, last_at)"
    "  WHERE place <> '' AND merged_into IS NULL;"
    "CREATE INDEX problems_cell ON problems(category, cell, last_at)"
    "  WHERE cell IS NOT NULL AND merged_into IS NULL;"
    "CREATE INDEX problems_body ON problems(body, last_at) WHERE merged_into IS NULL;"
    "CREATE INDEX problems_state ON problems(state, n_appeals) WHERE merged_into IS NULL;"
    /* the list's orders without a state: most often raised, longest raised, newest
     * (bench/problems: a district's most raised read every problem and sorted, 411-610 ms at
     * 200,000 appeals) */
    "CREATE INDEX problems_appeals ON problems(n_appeals) WHERE merged_into IS NULL;"
    "CREATE INDEX problems_age ON problems(first_at) WHERE merged_into IS NULL;"
    "CREATE INDEX problems_recent ON problems(last_at) WHERE merged_into IS NULL;"
    "ALTER TABLE appeals ADD COLUMN problem_id INTEGER REFERENCES problems(id);"
    "ALTER TABLE appeals ADD COLUMN applicant_key TEXT;"
    "ALTER TABLE appeals ADD COLUMN verdict TEXT;"
    "ALTER TABLE appeals ADD COLUMN verdict_comment TEXT;"
    "ALTER TABLE appeals ADD COLUMN verdict_at INTEGER;"
    "ALTER TABLE appeals ADD COLUMN reraised INTEGER NOT NULL DEFAULT 0;"
    "CREATE INDEX appeals_problem ON appeals(problem_id, received_at)"
    "  WHERE problem_id IS NOT NULL;"
    /* the repeat rule matches on the problem's appeals now (issue 16 point 4), not on the
     * applicant's IIN, category and district; what reads the applicant's IIN now is the
     * registrar's look-up of a caller's earlier appeals (issue 18), newest first */
    "DROP INDEX appeals_applicant;"
    "CREATE INDEX appeals_applicant_id ON appeals(applicant_id, received_at)"
    "  WHERE applicant_id IS NOT NULL;"
    "CREATE TABLE stat_prob_day ("
    "  day TEXT NOT NULL, body TEXT NOT NULL, decided INTEGER NOT NULL DEFAULT 0,"
    "  solved INTEGER NOT NULL DEFAULT 0, reraised INTEGER NOT NULL DEFAULT 0,"
    "  v_yes INTEGER NOT NULL DEFAULT 0, v_partly INTEGER NOT NULL DEFAULT 0,"
    "  v_no INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (day, body)) WITHOUT ROWID;"
    "CREATE TRIGGER stat_prob_ins AFTER INSERT ON appeals WHEN NEW.problem_id IS NOT NULL BEGIN"
    PROB_STAT("NEW", "")
    " END;"
    "CREATE TRIGGER stat_prob_upd AFTER UPDATE ON appeals"
    " WHEN OLD.problem_id IS NOT NEW.problem_id OR OLD.decision IS NOT NEW.decision"
    "  OR OLD.verdict IS NOT NEW.verdict OR OLD.reraised IS NOT NEW.reraised"
    "  OR OLD.body IS NOT NEW.body OR OLD.registered_on IS NOT NEW.registered_on BEGIN"
    PROB_STAT("OLD", "-")
    PROB_STAT("NEW", "")
    " END;",
    /* clang-format on */

    /* 20: search (issue 17): the full-text index of appeals' texts and answers (docs/search.md).
     * Contentless (the texts stay in appeals only); row id = appeal id * 4 + kind (0 the
     * appeal's text, 1 its answer, 2 kept for problems); each text is given to the
     * "otinish" tokenizer (store/search_sqlite.c) after a header: U+0001 language U+0002
     * body path U+0002 executor U+0001; it indexes the stems and the scope. The existing
     * appeals are indexed here. */
    "CREATE VIRTUAL TABLE search_fts USING fts5(doc, content='', tokenize='otinish');"
    "INSERT INTO search_fts (rowid, doc) SELECT a.id * 4, char(1) || a.language || char(2) ||"
    " b.path || char(2) || coalesce(a.executor, 0) || char(1) || a.text"
    " FROM appeals a JOIN bodies b ON b.id = a.body;"
    "INSERT INTO search_fts (rowid, doc) SELECT a.id * 4 + 1, char(1) || a.language ||"
    " char(2) || b.path || char(2) || coalesce(a.executor, 0) || char(1) || a.answer_text"
    " FROM appeals a JOIN bodies b ON b.id = a.body WHERE a.answer_text IS NOT NULL;",

    /* 21 (issue 20): every event on a sealed record (an appeal, a violation, a user...) carries
     * the seal of the record's rows after the change, in the chain (docs/audit-chain.md) */
    "ALTER TABLE events ADD COLUMN state TEXT;",
    /* (issue 16): the operations alerts that GET /api/v1/alerts shows administrators
     * (store_event_ops_alerts), a few among the events */
    "CREATE INDEX events_ops_alert ON events(seq)"
    "  WHERE action IN ('notice.undelivered', 'body.no_head');",

    /* issue 17: problems in the search index (kind 2, row id = problem id * 4 + 2): the
     * live (not merged) problems' titles, personal data masked (otinish_mask, registered
     * beside the tokenizer), and addresses, in their body's scope, with the token
     * "^problem" in the executor's place (store_search.c, docs/search.md) */
    "INSERT INTO search_fts (rowid, doc) SELECT p.id * 4 + 2, char(1) || '--' || char(2) ||"
    " b.path || char(2) || 'problem' || char(1) || otinish_mask(p.title) || char(10) ||"
    " p.address FROM problems p JOIN bodies b ON b.id = p.body WHERE p.merged_into IS NULL;",
    /* issue 19 (intake speed): the answered appeals of a problem, newest answer first, for
     * intake's two looks at a problem (store_problem_last_answered, _decided_by), which
     * otherwise read every appeal of the problem: a problem of thousands of appeals (one
     * outage, or make bench's intake, which files the same appeal again and again) made
     * each intake into it slower than the last */
    "CREATE INDEX appeals_problem_answered ON appeals(problem_id, answered_at)"
    "  WHERE problem_id IS NOT NULL AND answered_at IS NOT NULL;",

    /* issue 23: the events the sweep follows (store_sweep_events: a supervisor's control
     * date, an answer not on time, a forward not within its term), a few among all the
     * events: a first sweep over a 1M demo read all 6.35M events (3.8 GB) to find 200,000.
     * The predicate is the scan's own filter, word for word, so that both engines take it. */
    "CREATE INDEX events_sweep ON events(seq) WHERE object_type || '' = 'appeal'"
    " AND (action = 'appeal.control' OR (action IN ('appeal.answer', 'appeal.approve')"
    " AND CAST(json_extract(data, '$.on_time') AS TEXT) IN ('0', 'false'))"
    " OR (action = 'appeal.forward'"
    " AND CAST(json_extract(data, '$.within_term') AS TEXT) IN ('0', 'false')));"
    /* the open violations the no-proceedings rule pages through in id order (worded with
     * `|| ''` so that no other query takes it, and so that this one cannot take
     * violations_open and sort every open violation again for each page: 160 pages of
     * 330,000 on the 1M demo) */
    "CREATE INDEX violations_unstarted ON violations(id)"
    " WHERE status || '' = 'open' AND kind <> 'no_proceedings';",

    /* issue 23: the problem's appeals in one covering index: its summary (count, open,
     * recurrences, first and last, the latest appeal), the last answered before an intake
     * and the applicant's earlier decided appeal (store_problem.c) read only the index. They
     * read every appeal row of the problem, a page each: a problem of a few thousand
     * appeals (a chronic one) cost that many page reads on each intake or action of one of
     * its appeals, quadratic in a load (init --demo) */
    "DROP INDEX appeals_problem;"
    "CREATE INDEX appeals_problem ON appeals(problem_id, received_at, id, status, reraised,"
    "  verdict, decision, body, answered_at, applicant_key) WHERE problem_id IS NOT NULL;",

    /* issue 23: the dashboard's heads flagged (distinct heads per body over a period) read
     * all of head_flags, no index on created_at, twice (now and the period before): 0.13 s
     * of CPU each after a first sweep over the 1M demo (329,264 flags). The flags counted
     * per 15-minute slot of created_at (every UTC offset in use is a whole number of 15
     * minutes, so a period of local days is a range of slots), body and head (0: none),
     * kept in step by triggers; a few rows per sweep and body */
    "CREATE TABLE stat_flag_slot ("
    "  slot INTEGER NOT NULL, body TEXT NOT NULL, head INTEGER NOT NULL,"
    "  n INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (slot, body, head)) WITHOUT ROWID;"
    "INSERT INTO stat_flag_slot (slot, body, head, n)"
    "  SELECT created_at / 900000000, body, coalesce(head, 0), count(*) FROM head_flags"
    "  GROUP BY created_at / 900000000, body, coalesce(head, 0);"
    "CREATE TRIGGER stat_flag_ins AFTER INSERT ON head_flags BEGIN"
    "  INSERT INTO stat_flag_slot (slot, body, head, n)"
    "   VALUES (NEW.created_at / 900000000, NEW.body, coalesce(NEW.head, 0), 1)"
    "  ON CONFLICT (slot, body, head) DO UPDATE SET n = n + 1;"
    " END;"
    "CREATE TRIGGER stat_flag_upd AFTER UPDATE ON head_flags"
    " WHEN OLD.body IS NOT NEW.body OR OLD.head IS NOT NEW.head"
    "  OR OLD.created_at IS NOT NEW.created_at BEGIN"
    "  UPDATE stat_flag_slot SET n = n - 1 WHERE slot = OLD.created_at / 900000000"
    "   AND body = OLD.body AND head = coalesce(OLD.head, 0);"
    "  INSERT INTO stat_flag_slot (slot, body, head, n)"
    "   VALUES (NEW.created_at / 900000000, NEW.body, coalesce(NEW.head, 0), 1)"
    "  ON CONFLICT (slot, body, head) DO UPDATE SET n = n + 1;"
    " END;"
    "CREATE TRIGGER stat_flag_del AFTER DELETE ON head_flags BEGIN"
    "  UPDATE stat_flag_slot SET n = n - 1 WHERE slot = OLD.created_at / 900000000"
    "   AND body = OLD.body AND head = coalesce(OLD.head, 0);"
    " END;",

    /* issue 23 (intake speed): the applicant's earlier decided appeal on the problem an
     * intake joins (store_problem_decided_by, the repeat rule) read every answered appeal of
     * the problem (appeals_problem_answered) and its row for the applicant: a mass complaint
     * (10,000 citizens about one pothole, all answered) cost 10,000 rows per intake into it.
     * Here it is one seek. Only decided appeals have an entry: an intake adds none. */
    "CREATE INDEX appeals_problem_applicant ON appeals(problem_id, applicant_key, answered_at)"
    "  WHERE answered_at IS NOT NULL AND decision IS NOT NULL;",
    /* issue 23 (the sweep): the notices that reached the applicant, by appeal, template and
     * time of queueing, for the stuck-notice count (store_outbox_stuck: a notice still
     * undelivered is not counted when the same notice went out by another channel). Its
     * probe read every sibling row of the outbox: on a first sweep over the 1M demo, 2.6M
     * pending e-mails and SMS, each with a letter printed beside it, 10-15 s. Worded as the
     * count's own NOT EXISTS, with the columns it tests, so that its probe reads this index
     * alone. */
    "CREATE INDEX outbox_delivered ON outbox(appeal_id, template, created_at, channel, status)"
    "  WHERE channel IN ('email', 'sms', 'post') AND status IN ('sent', 'print');",

    /* clang-format off */
    /* issue 23 point 7 (intake at 1M): an intake wrote 20 entries in the indexes of appeals
     * and ran 7 statements of summary triggers; both were most of its INSERT, and the pages
     * they dirty most of the batch's COMMIT. The index audit (every statement that reads
     * appeals, under EXPLAIN QUERY PLAN; docs/staff-list.md "Indexes of appeals" lists each
     * index with the statements that use it) found two pairs over the same rows, the open
     * appeals of an executor and of a body:
     *   appeals_queue_exec (executor, due_on) -- the queue of an executor, by due date;
     *   appeals_count_exec (executor, status, due_on, body) -- the queue's counts per state
     *     and the executor picker's workload (store_appeal_queue_counts, store_user_executors);
     *   appeals_queue_body (body, due_on) -- the queue of a body, and of a scope, by due date;
     *   appeals_count_body (body, status, due_on) -- the queue's counts of a body or scope.
     * The counts read every open appeal of the executor or body (by state), so the queue's
     * index with the counts' columns after its own serves them as well: read alone, in the
     * same number of entries, and the picker's overdue count is now a range of it. The id
     * comes before them, so that the queue still walks (due_on, id) without a sort.
     * The counts are worded "> 0" as the queue is. Two index entries fewer per intake and
     * per change of an open appeal's state. Every other index of appeals has a statement
     * whose plan needs it (the list's filters, the queue, the sweep, the scorecards, the
     * problem's look-ups): none dropped.
     * The summary triggers: a new appeal is not answered, not a complaint and not a repeat
     * (most of them), and not decided: the parts of stat_appeal_ins for those go into
     * triggers of their own with a WHEN, so an intake runs two upserts (stat_day, stat_cd)
     * instead of six statements, and stat_prob_ins runs only for an appeal inserted decided
     * or with a verdict (the counters it adds are all zero otherwise; readers sum them). */
    "DROP INDEX appeals_count_exec;"
    "DROP INDEX appeals_count_body;"
    "DROP INDEX appeals_queue_exec;"
    "DROP INDEX appeals_queue_body;"
    "CREATE INDEX appeals_queue_exec ON appeals(executor, due_on, id, status, body)"
    "  WHERE (status IN ('registered', 'assigned', 'in_work')) > 0;"
    "CREATE INDEX appeals_queue_body ON appeals(body, due_on, id, status)"
    "  WHERE (status IN ('registered', 'assigned', 'in_work')) > 0;"
    "DROP TRIGGER stat_appeal_ins;"
    "CREATE TRIGGER stat_appeal_ins AFTER INSERT ON appeals BEGIN"
    "  INSERT INTO stat_day (body, day, received, answered, on_time, resolved, explained,"
    "   refused, r1, r2, r3, r4, r5) VALUES (NEW.body, NEW.registered_on, 1,"
    "   NEW.answered_on IS NOT NULL, coalesce(NEW.answered_on <= NEW.due_on, 0),"
    "   coalesce(NEW.decision IN ('satisfied', 'partly_satisfied'), 0),"
    "   coalesce(NEW.decision = 'explained', 0), coalesce(NEW.decision = 'refused', 0),"
    "   coalesce(NEW.rating = 1, 0), coalesce(NEW.rating = 2, 0), coalesce(NEW.rating = 3, 0),"
    "   coalesce(NEW.rating = 4, 0), coalesce(NEW.rating = 5, 0))"
    "  ON CONFLICT (day, body) DO UPDATE SET received = received + excluded.received,"
    "   answered = answered + excluded.answered, on_time = on_time + excluded.on_time,"
    "   resolved = resolved + excluded.resolved, explained = explained + excluded.explained,"
    "   refused = refused + excluded.refused, r1 = r1 + excluded.r1, r2 = r2 + excluded.r2,"
    "   r3 = r3 + excluded.r3, r4 = r4 + excluded.r4, r5 = r5 + excluded.r5;"
    "  INSERT INTO stat_cd (month, category, district, n)"
    "   VALUES (substr(NEW.registered_on, 1, 7), NEW.category, coalesce(NEW.district, ''), 1)"
    "  ON CONFLICT (month, category, district) DO UPDATE SET n = n + 1;"
    " END;"
    "CREATE TRIGGER stat_appeal_ins_answered AFTER INSERT ON appeals"
    " WHEN NEW.answered_on IS NOT NULL BEGIN"
    STAT_WD("NEW", "1")
    " END;"
    "CREATE TRIGGER stat_appeal_ins_complaint AFTER INSERT ON appeals"
    " WHEN NEW.link = 'complaint' BEGIN"
    "  INSERT INTO stat_day (body, day, complaints, upheld)"
    "   SELECT p.body, NEW.registered_on, 1,"
    "    coalesce(NEW.decision IN ('satisfied', 'partly_satisfied'), 0)"
    "   FROM appeals p WHERE p.id = NEW.parent_id AND NEW.link = 'complaint'"
    "  ON CONFLICT (day, body) DO UPDATE SET complaints = complaints + excluded.complaints,"
    "   upheld = upheld + excluded.upheld;"
    " END;"
    "CREATE TRIGGER stat_appeal_ins_repeat AFTER INSERT ON appeals"
    " WHEN NEW.repeat_of IS NOT NULL BEGIN"
    "  INSERT INTO stat_day (body, day, repeats)"
    "   SELECT o.body, NEW.registered_on, 1 FROM appeals o WHERE o.id = NEW.repeat_of"
    "    AND o.answered_at IS NOT NULL AND o.answered_at <= NEW.received_at"
    "    AND NEW.received_at - o.answered_at <= 365 * 86400000000"
    "  ON CONFLICT (day, body) DO UPDATE SET repeats = repeats + 1;"
    " END;"
    "DROP TRIGGER stat_prob_ins;"
    "CREATE TRIGGER stat_prob_ins AFTER INSERT ON appeals WHEN NEW.problem_id IS NOT NULL"
    " AND (NEW.decision IS NOT NULL OR NEW.verdict IS NOT NULL) BEGIN"
    PROB_STAT("NEW", "")
    " END;",
    /* clang-format on */
    /* issue 19 point 7: the appeal page cache's notifications are PostgreSQL triggers (one
     * process serves an SQLite file, and it reads its own pages). An empty step keeps the
     * numbering in step with the twin. */
    "SELECT 1;",
    /* issue 23: GET /api/v1/heads/flags pages a narrow scope's flags by body
     * (store_flag_list) rather than walking every flag of the region */
    "CREATE INDEX head_flags_body ON head_flags(body);",
    /* issue 23: the outgoing register (GET /api/v1/forwards) newest first, a page read from
     * the index (store_forward_list) */
    "CREATE INDEX forwards_at ON forwards(at);",
    /* issue 23: GET /open311/v2/requests walks the requests by receipt, not every appeal of
     * the period (store_o311_list): the appeal's received_at, copied at the request's
     * insert (it never changes) */
    "ALTER TABLE open311_requests ADD COLUMN received_at INTEGER;"
    "UPDATE open311_requests SET received_at ="
    " (SELECT received_at FROM appeals WHERE appeals.id = open311_requests.appeal_id);"
    "CREATE INDEX open311_received ON open311_requests(received_at);"
    /* kept in step by the database, whoever writes (a request made without it, an appeal's
     * receipt corrected by hand) */
    "CREATE TRIGGER open311_received_ins AFTER INSERT ON open311_requests"
    " WHEN NEW.received_at IS NULL BEGIN"
    "  UPDATE open311_requests SET received_at ="
    "   (SELECT received_at FROM appeals WHERE id = NEW.appeal_id)"
    "  WHERE appeal_id = NEW.appeal_id;"
    " END;"
    "CREATE TRIGGER open311_received_upd AFTER UPDATE OF received_at ON appeals BEGIN"
    "  UPDATE open311_requests SET received_at = NEW.received_at WHERE appeal_id = NEW.id;"
    " END;",
    /* issue 23: the problems of one category newest first (store_problem_list) */
    "CREATE INDEX problems_category ON problems(category, last_at) WHERE merged_into IS NULL;",
    /* issue 23 point 5 (the first sweep): the assignments of an appeal, with what their
     * notice needs, for the first sweep's assignment notices (store_sweep_assign_notices
     * over a backlog: every open appeal's assignments). Through events_object it read every
     * event of each open appeal, at random in the events table, to find the assignments
     * among them: 900,000 rows for 147,000 notices on the 1M demo, 13-67 s of the first
     * sweep; this index alone answers it (3-4 s, same load). A steady sweep's few
     * assignments are still read by seq (its statement writes `action || ''`). */
    "CREATE INDEX events_assign ON events(object_id, seq, object_type, action, data)"
    "  WHERE action = 'appeal.assign';"
    /* the applicants' e-mails and SMS not delivered yet, in id order with what the
     * stuck-notice count tests (store_outbox_stuck): it read every outbox row after its mark,
     * the whole outbox (4.8M rows, 1.1 GB) on a first sweep over the 1M demo, 12-25 s. Only
     * the notices still pending have an entry (a delivered one leaves it), appended as they
     * are queued; worded as the count's own filter (`status || ''`) so no other statement
     * takes it. */
    "CREATE INDEX outbox_unsent ON outbox(id, created_at, appeal_id, template, channel, status)"
    "  WHERE channel IN ('email', 'sms') AND status || '' IN ('pending', 'sending');",
    /* issue 23 point 3: the recurring problems of a head's bodies by when they came back
     * (store_problem_recurred under a scope: the alerts and the dashboard). Walked by the
     * number of appeals over every recurring problem of the region, a head of Ridder read
     * all 116,000 of them on the 1M demo to find his few: 0.13 s of CPU a request */
    "CREATE INDEX problems_recurring ON problems(body, recurred_at)"
    "  WHERE merged_into IS NULL AND state = 'recurring';",
    /* issue 19 point 2: on PostgreSQL the ids of violations, head flags and the outbox become
     * the largest + 1, as a rowid is here. An empty step keeps the numbering in step with
     * the twin. */
    "SELECT 1;",
    /* issue 19 point 7: PostgreSQL's writer counts a batch's new appeals in the report
     * aggregates once, before its commit (migrations_pg.c); here the triggers stay
     * (in-process, cheap). An empty step keeps the numbering in step. */
    "SELECT 1;",
    /* issue 23 point 5 (the first sweep): the events the sweep follows, with what it reads of
     * them, in events_sweep itself: the scan read each one's row in the events table (200,000
     * rows scattered over 2 GB on the 1M demo, a page each), to test and take its data. And
     * outbox_delivered by the time of queueing first: the stuck-notice count probes it for
     * every pending notice in id order, that is in the order of queueing, so its probes walk
     * the index from one end to the other instead of jumping about it by appeal (2.6M probes
     * on a first sweep over the 1M demo); the worker's probe for one notice is an equality
     * on the same columns either way. */
    "DROP INDEX events_sweep;"
    "CREATE INDEX events_sweep ON events(seq, at, actor, action, object_type, object_id, data)"
    " WHERE object_type || '' = 'appeal'"
    " AND (action = 'appeal.control' OR (action IN ('appeal.answer', 'appeal.approve')"
    " AND CAST(json_extract(data, '$.on_time') AS TEXT) IN ('0', 'false'))"
    " OR (action = 'appeal.forward'"
    " AND CAST(json_extract(data, '$.within_term') AS TEXT) IN ('0', 'false')));"
    "DROP INDEX outbox_delivered;"
    "CREATE INDEX outbox_delivered ON outbox(created_at, appeal_id, template, channel, status)"
    "  WHERE channel IN ('email', 'sms', 'post') AND status IN ('sent', 'print');",
    /* 41 (issue 23 point 3): counters of open appeals, escalations, violations, notices */
    MIGRATION_41,
    /* 42 (issue 23 point 1): a range of due dates is walked day by day, each day's appeals
     * newest first from appeals_due_on (store_appeal.c, due_walk); SQLite's index on (due_on)
     * already orders each day by id. PostgreSQL's gets the id (migrations_pg.c). */
    "SELECT 1;",
    /* 43 (issue 23 point 3): the recurring problems of the alerts and the dashboard from their
     * indexes alone (store_problem_recurred): the most appeals first, and by body and when
     * they came back, each entry holding what the alert shows. Read from the table, a cold
     * region head's dashboard read 2 GB of problems' pages (11 s on the 1M demo, 0.35 s
     * warm), a head of Ridder's 2 s
     * (state and merged_into are in them so that SQLite sees them cover the WHERE; the walk's
     * index begins with the state so that it is preferred to problems_state, which is not
     * in order of id and not covering.) */
    "DROP INDEX problems_recurring;"
    "CREATE INDEX problems_recurring ON problems(body, recurred_at, n_appeals, id, recurrences,"
    "  category, district, state, merged_into) WHERE merged_into IS NULL AND state = 'recurring';"
    "CREATE INDEX problems_recurring_top ON problems(state, n_appeals DESC, id, recurred_at, body,"
    "  recurrences, category, district, merged_into)"
    "  WHERE merged_into IS NULL AND state = 'recurring';",
    /* 44 (issue 19 point 7): PostgreSQL's writer counts a batch's new open appeals and notices
     * with its appeals, once before its commit (migrations_pg.c); here the triggers stay.
     * An empty step keeps the numbering in step. */
    "SELECT 1;",
    /* 45 (issue 23 point 1): a range of receipt as a range of ids (store_appeal.c,
     * receipt_ids): each day's appeals by id, one seek a day for the range's first and last
     * id; the expression is the one the list's statement writes, word for word. */
    "CREATE INDEX appeals_received_day ON appeals(received_at / 86400000000, id, received_at);",
    /* 46 (issue 23 point 5): the no-proceedings rule walks the open violations in the order
     * they were recorded, from where its last walk stopped (service/sweep.c, unstarted_mark):
     * by id, every steady sweep read every open violation again */
    "DROP INDEX violations_unstarted;"
    "CREATE INDEX violations_unstarted ON violations(created_at, id)"
    " WHERE status || '' = 'open' AND kind <> 'no_proceedings';",
    /* 47 (issue 23 point 5): the stuck-notice count's probe of outbox_delivered sought each
     * pending notice's (created_at, appeal_id, template) once per channel and status of its
     * IN lists, six seeks a probe: 3.3-3.8 s of a first sweep over the 1M demo (2.7M pending
     * e-mails and SMS), 16 % of the 10,000 demo's first sweep by instructions. Worded with
     * `|| ''`, as its statement words them (store_outbox.c), the channel and status are the
     * index's filter, not seeks: one seek a probe, 1.3 s. */
    "DROP INDEX outbox_delivered;"
    "CREATE INDEX outbox_delivered ON outbox(created_at, appeal_id, template, channel, status)"
    "  WHERE channel || '' IN ('email', 'sms', 'post') AND status || '' IN ('sent', 'print');",
    /* 48 (issue 23 point 7, intake): the writer's batch counts its new appeals in stat_day,
     * stat_cd and stat_open at once before its commit (store_stat.c), as PostgreSQL's has
     * since migration 39: stat_appeal_ins, three upserts and stat_day's own trigger carrying
     * each on to stat_month, was 36 % of an appeal's INSERT. While a writer's batch has
     * appeals to count, its transaction holds the meta key 'stat.batched' (taken out before
     * the commit, so no other connection ever sees it); every other writer (the sqlite3
     * shell, a migration) fires the trigger as before. */
    /* clang-format off */
    "DROP TRIGGER stat_appeal_ins;"
    "CREATE TRIGGER stat_appeal_ins AFTER INSERT ON appeals"
    " WHEN NOT EXISTS (SELECT 1 FROM meta WHERE key = 'stat.batched') BEGIN"
    STAT_APPEAL_INS_BODY
    " END;",
    /* clang-format on */
    /* 49 (issue 23 point 1): the problems of a state newest first walk problems_state in
     * order (store_problem_list): by (state, n_appeals) a state of many problems newest first
     * was the walk of every problem newest first with the state checked on each (the 1M
     * demo's 49,248 solved and confirmed, mostly old: p50 44 ms); by number of appeals a
     * state is walked on problems_appeals instead (a page passes a few hundred). An appeal
     * joining a problem moves its entry in this index either way. problems_appeals holds
     * the list's whole order (most appeals, then the oldest): by n_appeals alone each run of
     * problems with as many appeals was read whole and sorted (the 1M demo's 635,000 with
     * one), and a page that reached into a long run read all of it (Ridder's head by number
     * of appeals: p50 19 ms). */
    "DROP INDEX problems_state;"
    "CREATE INDEX problems_state ON problems(state, last_at) WHERE merged_into IS NULL;"
    "DROP INDEX problems_appeals;"
    "CREATE INDEX problems_appeals ON problems(n_appeals DESC, first_at)"
    " WHERE merged_into IS NULL;",
    /* 50 (issue 23 point 1): the print queue's letters by appeal, for a small scope's
     * letters to print (store_outbox_letters): walked in queue order, a department's letters
     * were 0.45 % of the 1M demo's 2 million and the walk passed 220,000 (136 ms) */
    "CREATE INDEX outbox_print ON outbox(appeal_id, next_at)"
    " WHERE channel = 'post' AND status = 'print';",
    /* 51 (issue 23 point 5): violations_status (status, term_on) served no statement (each
     * statement's plan over the whole test suite, and every query of violations read): a
     * status is read through violations_open (status, kind), a body's terms through
     * violations_body_term. One index fewer for each violation a sweep records (211,568 in a
     * first sweep of the 1M demo) and each change of status. */
    "DROP INDEX violations_status;",
    /* 52 (issue 23 point 1): an executor's violations (the violations list's person: executor,
     * head or responsible) read through three indexes, not by walking every violation: an
     * executor's few of a region's hundreds of thousands (store_violation.c) */
    "CREATE INDEX violations_head ON violations(head);",
    /* 53 (issue 23 point 1): a window of terms (the violations list's from and to): walked
     * by id from the newest, a window in the past passed every later violation (the 1M demo's
     * 14,055 with terms up to 15 March: 18 ms p50, 28 ms p99); a range of this index, the ids
     * sorted, 4-5 ms. One entry more for each violation a sweep records (migration 51 took
     * one off). */
    "CREATE INDEX violations_term ON violations(term_on);",
    /* 54 (issue 23 point 1): the problems of a district (the problems list's district): no
     * index had it, so a district was checked on every problem a walk passed: one with none
     * in the scope read them all (0.9 s at 1M). Keyed by the district alone, an entry no
     * join of an appeal moves. */
    "CREATE INDEX problems_district ON problems(district) WHERE merged_into IS NULL;",
    /* 55 (issue 23 point 1): migrations.h */
    MIGRATION_55,
    /* 56 (issue 23 point 1): migrations.h */
    MIGRATION_56,
    /* 57 (issue 23 point 1): migrations.h */
    MIGRATION_57,
    /* 58 (issue 23 point 1): migrations.h */
    MIGRATION_58,
    /* 59 (issue 23 point 1): migrations.h */
    MIGRATION_59,
    /* 60 (issue 23 point 1): migrations.h */
    MIGRATION_60,
    /* 61 (issue 23 point 1): migrations.h */
    MIGRATION_61,
    /* 62 (issue 23 point 1): migrations.h */
    MIGRATION_62,
    /* 63 (issue 23 point 1): migrations.h */
    MIGRATION_63,
    /* 64 (issue 23 point 1): migrations.h */
    MIGRATION_64,
    /* 65 (issue 23 point 1): migrations.h */
    MIGRATION_65,
    /* 66 (issue 23 point 1): migrations.h */
    MIGRATION_66,
    /* 67 (issue 23 point 1): migrations.h */
    MIGRATION_67,
    /* 68 (issue 23 point 1): migrations.h */
    MIGRATION_68,
    /* 69 (issue 23): GET /open311/v2/servicerequestupdates walks the Open311 requests whose
     * appeal changed since the window's start (store_o311_updates), not every Open311
     * request with all its events: the appeal's updated_at, which every public change sets
     * (its event's time), copied by the database whoever writes */
    "ALTER TABLE open311_requests ADD COLUMN changed_at INTEGER;"
    "UPDATE open311_requests SET changed_at ="
    " (SELECT updated_at FROM appeals WHERE appeals.id = open311_requests.appeal_id);"
    "CREATE INDEX open311_changed ON open311_requests(changed_at);"
    "CREATE TRIGGER open311_changed_ins AFTER INSERT ON open311_requests BEGIN"
    "  UPDATE open311_requests SET changed_at ="
    "   (SELECT updated_at FROM appeals WHERE id = NEW.appeal_id)"
    "  WHERE appeal_id = NEW.appeal_id;"
    " END;"
    "CREATE TRIGGER open311_changed_upd AFTER UPDATE OF updated_at ON appeals"
    " WHEN NEW.channel = 'open311' BEGIN"
    "  UPDATE open311_requests SET changed_at = NEW.updated_at WHERE appeal_id = NEW.id;"
    " END;",
    /* 70 (issue 19): nothing on SQLite, whose indexes end with the row id; PostgreSQL's
     * appeals_body_id, outbox_print and the staff list's one-column indexes of appeals are
     * given the id their walks read (see its twin) */
    "SELECT 1;",
    /* 71 (issue 19): nothing on SQLite, whose FTS5 walks its matches newest first and stops
     * at the page; PostgreSQL's texts are given their row id spans (see its twin) */
    "SELECT 1;",
};

const int store_migrations_sqlite_count =
    (int)(sizeof store_migrations_sqlite / sizeof store_migrations_sqlite[0]);
