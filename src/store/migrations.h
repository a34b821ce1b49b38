/* Inside src/store/ only: the per-engine migration lists. */
#ifndef OT_STORE_MIGRATIONS_H
#define OT_STORE_MIGRATIONS_H

extern const char *const store_migrations_sqlite[];
extern const int store_migrations_sqlite_count;
/* PostgreSQL (issue 19): the twin of each SQLite migration, at the same position */
extern const char *const store_migrations_pg[];
extern const int store_migrations_pg_count;

/* 55 (issue 23 point 1), the same on both engines: every index the problems list reads
 * holds every filter's column (the body, the district, the category, the state, the number of
 * appeals, the first and the last appeal), so that a filter is checked on the index's entry, not on
 * the problem's row: 0.2-0.3 us an entry against 2-4 us a row at the 1M demo, where a district
 * head's page of filters that meet rarely read tens of thousands of rows (p99 of random
 * combinations 60-130 ms). The order's own indexes name the id after their key, so that
 * (key, id) is their order. A district's is (district, body): a scope's problems of one
 * district are one range per body of the scope. store_problem_update names only the
 * columns that change, so that an appeal's change that moves no count rewrites none of
 * them. */
#define MIGRATION_55                                                                               \
    "DROP INDEX problems_recent;"                                                                  \
    "CREATE INDEX problems_recent ON problems(last_at, id, body, district, category, state,"       \
    " n_appeals, first_at) WHERE merged_into IS NULL;"                                             \
    "DROP INDEX problems_age;"                                                                     \
    "CREATE INDEX problems_age ON problems(first_at, id, body, district, category, state,"         \
    " n_appeals, last_at) WHERE merged_into IS NULL;"                                              \
    "DROP INDEX problems_appeals;"                                                                 \
    "CREATE INDEX problems_appeals ON problems(n_appeals DESC, first_at, id, body, district,"      \
    " category, state, last_at) WHERE merged_into IS NULL;"                                        \
    "DROP INDEX problems_body;"                                                                    \
    "CREATE INDEX problems_body ON problems(body, last_at, id, district, category, state,"         \
    " n_appeals, first_at) WHERE merged_into IS NULL;"                                             \
    "DROP INDEX problems_category;"                                                                \
    "CREATE INDEX problems_category ON problems(category, last_at, id, body, district, state,"     \
    " n_appeals, first_at) WHERE merged_into IS NULL;"                                             \
    "DROP INDEX problems_state;"                                                                   \
    "CREATE INDEX problems_state ON problems(state, last_at, id, body, district, category,"        \
    " n_appeals, first_at) WHERE merged_into IS NULL;"                                             \
    "DROP INDEX problems_district;"                                                                \
    "CREATE INDEX problems_district ON problems(district, body, last_at, id, category, state,"     \
    " n_appeals, first_at) WHERE merged_into IS NULL;"

/* 56 (issue 23 point 1), the same on both engines: the work queue's tabs (counts=1) with
 * other filters walk the open appeals of the queue's indexes and checked each on its row (1.2 KB,
 * one page at random a row): a head's tabs of one category read tens of thousands of rows at the 1M
 * demo; the queue (sort=due) with filters that meet rarely did the same. The four indexes
 * of open appeals hold the columns of those filters (the kind, the category, the
 * district, the channel, the repeat, the receipt), so they are checked on the index's
 * entries (store_appeal.c counts_bits, queue_bits; SQLite's own walks check them there
 * before reading the row). Only open appeals are in them, a seventh of all at 1M: about 7
 * MB more each. */
#define MIGRATION_56                                                                               \
    "DROP INDEX appeals_queue_exec;"                                                               \
    "CREATE INDEX appeals_queue_exec ON appeals(executor, due_on, id, status, body, kind,"         \
    " category, district, channel, repeat_of, received_at)"                                        \
    " WHERE (status IN ('registered', 'assigned', 'in_work')) > 0;"                                \
    "DROP INDEX appeals_queue_body;"                                                               \
    "CREATE INDEX appeals_queue_body ON appeals(body, due_on, id, status, kind, category,"         \
    " district, channel, repeat_of, received_at)"                                                  \
    " WHERE (status IN ('registered', 'assigned', 'in_work')) > 0;"                                \
    "DROP INDEX appeals_queue;"                                                                    \
    "CREATE INDEX appeals_queue ON appeals(due_on, id, body, kind, category, district, channel,"   \
    " repeat_of, received_at) WHERE (status IN ('registered', 'assigned', 'in_work')) >= 1;"       \
    "DROP INDEX appeals_open_reg;"                                                                 \
    "CREATE INDEX appeals_open_reg ON appeals(status, registered_on, due_on, body, kind,"          \
    " category, district, channel, repeat_of, received_at)"                                        \
    " WHERE status IN ('registered', 'assigned', 'in_work');"

/* 57 (issue 23 point 1), the same on both engines: the index of due dates holds the body
 * after the id, so that a scope's appeals of a range of due dates are its entries that pass the
 * scope, read from the index alone (store_appeal.c list_sql); the body was read from each row
 * (a Ridder registrar's appeals due after a date: 22,797 rows for 558 appeals, 150 ms at 1M).
 * (due_on, id) is the order SQLite's (due_on) had already (by rowid), and PostgreSQL's. */
#define MIGRATION_57                                                                               \
    "DROP INDEX appeals_due_on;"                                                                   \
    "CREATE INDEX appeals_due_on ON appeals(due_on, id, body);"

/* 58 (issue 23 point 1), the same on both engines: an executor's and a district's appeals by
 * body, so that a scope's appeals of an executor or of a district are one range of these for
 * each body of the scope (store_appeal.c bits_walk), not two sets met in spans: a city's head
 * asking for another city's executor met none of his appeals only after reading each of
 * that executor's rows (60-170 ms at the 1M demo), or for another district, each of the
 * scope's entries. (executor) and (district) stay: they give an executor's or a district's
 * appeals in id order, where these would have to be merged across bodies. */
#define MIGRATION_58                                                                               \
    "CREATE INDEX appeals_exec_body ON appeals(executor, body, id);"                               \
    "CREATE INDEX appeals_district_body ON appeals(district, body, id);"

/* 59 (issue 23 point 1), the same on both engines: the open appeals of a body hold their
 * executor, so that a scope's work queue of one executor (a walk per body of the scope,
 * store_appeal.c queue_sql) checks him on the index's entries: it read the row of each open
 * appeal of the scope's bodies that was not his (a city head's queue of an executor with
 * more than 20,000 open appeals, few of them in some of the city's bodies: 60 ms at the 1M
 * demo). */
#define MIGRATION_59                                                                               \
    "DROP INDEX appeals_queue_body;"                                                               \
    "CREATE INDEX appeals_queue_body ON appeals(body, due_on, id, status, kind, category,"         \
    " district, channel, repeat_of, received_at, executor)"                                        \
    " WHERE (status IN ('registered', 'assigned', 'in_work')) > 0;"

/* 60 (issue 23 point 1), the same on both engines: a category's appeals by body, as 58 for an
 * executor and a district: a city's appeals of a category rare there were found only after
 * reading the row of each of that category's appeals elsewhere (a Ridder head's 15 appeals
 * about religion and civil society among 4,154: 42 ms at the 1M demo). */
#define MIGRATION_60 "CREATE INDEX appeals_category_body ON appeals(category, body, id);"

/* 61 (issue 23 point 1), the same on both engines: the open appeals by state, and by
 * executor, by kind, by category, by district and by channel, each with its state and due
 * date after the filter's value, so that the tabs (counts=1) are a range of one of them for
 * each state and for the overdue, each stopping at the cap (store_appeal.c counts_tabs), and
 * the queue in one state a range in its order (open_by_sql): the whole oblast's tabs with a
 * filter walked every open appeal and checked the filter on each (166,773 at the 1M demo:
 * 25-45 ms), an executor's all of his (106,055: 21-28 ms), the oblast's queue of assigned
 * appeals every open one (27 ms). The body and the other filters'
 * columns (the executor's too) are held for their checks. Worded "<> 0", so that no other read
 * can take them. */
#define OPEN_BY(col, rest)                                                                         \
    "CREATE INDEX appeals_open_" col " ON appeals(" col ", status, due_on, id, body, " rest        \
    ", repeat_of, received_at) WHERE (status IN ('registered', 'assigned', 'in_work')) <> 0;"
#define MIGRATION_61                                                                               \
    "CREATE INDEX appeals_open_status ON appeals(status, due_on, id, body, executor, kind,"        \
    " category, district, channel, repeat_of, received_at)"                                        \
    " WHERE (status IN ('registered', 'assigned', 'in_work')) <> 0;" OPEN_BY(                      \
        "executor", "kind, category, district, channel")                                           \
        OPEN_BY("kind", "executor, category, district, channel")                                   \
            OPEN_BY("category", "executor, kind, district, channel")                               \
                OPEN_BY("district", "executor, kind, category, channel")                           \
                    OPEN_BY("channel", "executor, kind, category, district")

/* 62 (issue 23 point 1), the same on both engines: the violations list's sets narrowed on their
 * indexes (store_violation.c VIOL_BODIES). A person's violations by body, kind and term, so
 * that a person's set of the body or scope asked for (and of the kind and the window of terms,
 * when a kind is) is read from its index's entries alone, one seek a body: the demo's oblast
 * executor's 143,924 violations met a kind none of his (12,294 late forwards) or a body he has none
 * in only by reading the whole of both sets, 24-30 ms at the 1M demo (the one-column indexes they
 * replace were their prefixes). A kind's by body and term (violations_open (status, kind) was its
 * prefix): a city head's late forwards before June (1,138 of the kind's 12,294, the city's 62,117,
 * the window's 82,551) took 23-28 ms. And a window's violations with every column a filter checks
 * (violations_term, by term alone, stays for the window's ids by day): a head's violations with a
 * term before 22 March (18,605, in his scope) read each row for the scope, 22 ms. */
#define VIOL_BY(col)                                                                               \
    "DROP INDEX violations_" col ";"                                                               \
    "CREATE INDEX violations_" col " ON violations(" col ", body, kind, term_on);"
#define VIOL_KIND_TERM                                                                             \
    "DROP INDEX violations_open;"                                                                  \
    "CREATE INDEX violations_open ON violations(status, kind, body, term_on);"                     \
    "CREATE INDEX violations_term_of ON violations(term_on, body, status, kind, executor, head,"   \
    " responsible);"
#define MIGRATION_62 VIOL_BY("executor") VIOL_BY("head") VIOL_BY("responsible") VIOL_KIND_TERM

/* 63 (issue 23 point 1), the same on both engines: a category's and a state's problems by body,
 * as a district's are (55), so that the problems list reads a category's or a state's problems of
 * the scope or the body asked for (and of the last appeals' window, `since`), one range a body,
 * not the whole category's or state's: a department head's problems of a category that body
 * has none of read the category's 62,461 problems to find none (39 ms at the 1M demo).
 * problems_category and problems_state stay for their newest-first walks. And a state's problems by
 * number of appeals, for the walk of a state in that order: the problems with most appeals are
 * nearly all recurring (107,222 of the 131,357 with two or more), and the walk of every problem
 * by number of appeals passed them to find an open or a solved one (an executor's open problems
 * by number of appeals: 25-55 ms). */
#define PROBLEMS_BY(col, rest)                                                                     \
    "CREATE INDEX problems_" col "_body ON problems(" col ", body, last_at, id, district, " rest   \
    ", n_appeals, first_at) WHERE merged_into IS NULL;"
#define MIGRATION_63                                                                               \
    PROBLEMS_BY("category", "state")                                                               \
    PROBLEMS_BY("state", "category")                                                               \
    "CREATE INDEX problems_state_appeals ON problems(state,"                                       \
    " n_appeals DESC, first_at, id, body, district, category,"                                     \
    " last_at) WHERE merged_into IS NULL;"

/* 64 (issue 23 point 1), the same on both engines: a district's problems by number of appeals,
 * as a state's are (63), for the pages of a district with a least number of appeals (a set of
 * the district's problems with that many, 124 of Ulan's 49,711 with three or more at the 1M
 * demo: the district's set or every problem with three appeals, 46,282, was read for them,
 * 22 ms) and a district's walk in that order. 65: a body's, for the pages of the scope's bodies
 * or a body with a least number of appeals (a Ridder registrar's 1,457 with three or more, one
 * range a body, for which every problem with three or more was read: 21 ms). */
#define PROBLEMS_APPEALS_OF(col, rest)                                                             \
    "CREATE INDEX problems_" col "_appeals ON problems(" col                                       \
    ", n_appeals DESC, first_at, id, " rest ", last_at) WHERE merged_into IS NULL;"
#define MIGRATION_64 PROBLEMS_APPEALS_OF("district", "body, category, state")
#define MIGRATION_65 PROBLEMS_APPEALS_OF("body", "district, category, state")

/* 66 (issue 23 point 1), the same on both engines: the queue's indexes of open appeals of
 * all bodies and of a body hold a supervisor's control date, so that the control queue
 * (store_appeal.c CONTROL_COND: a control date, or an entry of control_queue) is checked on
 * the walk's entries: it read the row of each open appeal of the walk not in control_queue
 * (a Ridder head's page of 500: 45-55 ms at the 1M demo, the rows of every open appeal of
 * the city's bodies without one). */
#define MIGRATION_66                                                                               \
    "DROP INDEX appeals_queue_body;"                                                               \
    "CREATE INDEX appeals_queue_body ON appeals(body, due_on, id, status, kind, category,"         \
    " district, channel, repeat_of, received_at, executor, control_on)"                            \
    " WHERE (status IN ('registered', 'assigned', 'in_work')) > 0;"                                \
    "DROP INDEX appeals_queue;"                                                                    \
    "CREATE INDEX appeals_queue ON appeals(due_on, id, body, kind, category, district, channel,"   \
    " repeat_of, received_at, control_on)"                                                         \
    " WHERE (status IN ('registered', 'assigned', 'in_work')) >= 1;"

/* 67 (issue 23 point 1), the same on both engines: the open repeated appeals (2,061 of the
 * 1M demo's 149,138 open appeals), in due order, with every filter's column: the tabs of the
 * repeated (counts_sums, COUNT_WHERE_REPEATED) sum its entries. By the counts' index of every
 * open appeal, or an executor's, each entry was checked for a repeat (the supervisor's repeats
 * with tabs 20-25 ms, the demo's oblast executor's 13 ms at the 1M demo). Its WHERE clause is
 * spelt as no other index's is, and as the statement spells it, so that SQLite takes it. */
#define OPEN_REPEATED                                                                              \
    "CASE WHEN repeat_of IS NOT NULL AND status IN ('registered', 'assigned', 'in_work')"          \
    " THEN 1 END = 1"
#define MIGRATION_67                                                                               \
    "CREATE INDEX appeals_open_repeated ON appeals(due_on, id, status, body, executor, kind,"      \
    " category, district, channel, repeat_of, received_at) WHERE " OPEN_REPEATED ";"

/* 68 (issue 23 point 1), the same on both engines: a kind's appeals by body, as a district's
 * and a category's are (58, 60), so that a scope's (or a body's, or an executor's bodies') set
 * of a kind is one range a body in bits_walk: a department head's complaints, none (they go to
 * the body above), met the complaints' and the department's sets over spans of ids and read
 * the department's entries, 19-35 ms at the 1M demo. */
#define MIGRATION_68 "CREATE INDEX appeals_kind_body ON appeals(kind, body, id);"

#endif
