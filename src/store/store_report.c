/* Repository: aggregate reads for scorecards, alerts and open data. */
#include "store/store_report.h"

#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"
#include "util/str.h"

#define MAX_KEYS 5 /* store_report_bodies: id, parent, path, name, type */
#define MAX_VALS 16

/* Steps st to the end, calling fn with the first nkeys columns as text and the next nvals
 * as integers. Resets st. */
static int each_row(db_stmt_t *st, int nkeys, int nvals, store_row_fn fn, void *arg, ot_err_t *err)
{
    const char *keys[MAX_KEYS];
    int64_t vals[MAX_VALS];
    int rc, stop = 0;
    while (!stop && (rc = db_step(st, err)) == DB_ROW) {
        for (int i = 0; i < nkeys; i++) {
            keys[i] = db_col_text(st, i);
            if (!keys[i])
                keys[i] = "";
        }
        for (int i = 0; i < nvals; i++)
            vals[i] = db_col_int64(st, nkeys + i);
        stop = fn(keys, vals, arg);
    }
    db_reset(st);
    return stop || rc >= 0 ? OT_OK : -rc;
}

/* Counts the rows of st (one column, a body) per body and calls fn with each body and its
 * count, in no order. Instead of GROUP BY body over a range read in another order (open
 * appeals by registration day, the control queue by time): SQLite sorted every row of the
 * range for it, 150,000 open appeals and 137,000 escalations on the swept 1M demo, and that
 * sort was most of the scorecards' time (perf). Resets st. */
#define KEY_SLOTS 1024 /* a power of two, above the number of bodies */

static int count_by_body(db_stmt_t *st, store_row_fn fn, void *arg, ot_err_t *err)
{
    struct {
        char key[64];
        int64_t n;
    } *t = calloc(KEY_SLOTS, sizeof *t);
    if (!t) {
        db_reset(st);
        return ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
    }
    int rc, full = 0;
    while ((rc = db_step(st, err)) == DB_ROW && !full) {
        const char *k = db_col_text(st, 0);
        if (!k)
            k = "";
        size_t i = str_fnv1a(STR_FNV1A_INIT, k, strlen(k)) & (KEY_SLOTS - 1), probes = 0;
        while (t[i].n && strcmp(t[i].key, k) && probes++ < KEY_SLOTS)
            i = (i + 1) & (KEY_SLOTS - 1);
        if (probes >= KEY_SLOTS || strlen(k) >= sizeof t[i].key)
            full = 1;
        else {
            if (!t[i].n)
                memcpy(t[i].key, k, strlen(k) + 1);
            t[i].n++;
        }
    }
    db_reset(st);
    if (full) {
        free(t);
        return ot_err(err, OT_EINTERNAL, "too_many_bodies", NULL, "too many bodies to count");
    }
    if (rc < 0) {
        free(t);
        return -rc;
    }
    int stop = 0;
    for (size_t i = 0; i < KEY_SLOTS && !stop; i++)
        if (t[i].n) {
            const char *keys[1] = {t[i].key};
            stop = fn(keys, &t[i].n, arg);
        }
    free(t);
    return OT_OK;
}

int store_report_bodies(store_tx_t *tx, store_row_fn fn, void *arg, ot_err_t *err)
{
    PREPARE(tx, "SELECT id, coalesce(parent, ''), path, name_ru, type FROM bodies ORDER BY path");
    return each_row(st, 5, 0, fn, arg, err);
}

#define STAT_SUMS                                                                                  \
    "SELECT body, sum(received), sum(answered), sum(on_time), sum(resolved),"                      \
    " sum(explained), sum(refused), sum(complaints), sum(upheld), sum(repeats),"                   \
    " sum(r1), sum(r2), sum(r3), sum(r4), sum(r5), sum(still_open)"

int store_report_stat_day(store_tx_t *tx, const char *from, const char *to, store_row_fn fn,
                          void *arg, ot_err_t *err)
{
    PREPARE(tx, STAT_SUMS " FROM stat_day WHERE day >= ? AND day <= ? GROUP BY body");
    db_bind_text(st, 1, from);
    db_bind_text(st, 2, to);
    return each_row(st, 1, STORE_STAT_DAY_VALS, fn, arg, err);
}

int store_report_stat_month(store_tx_t *tx, const char *from_month, const char *to_month,
                            store_row_fn fn, void *arg, ot_err_t *err)
{
    PREPARE(tx, STAT_SUMS " FROM stat_month WHERE month >= ? AND month <= ? GROUP BY body");
    db_bind_text(st, 1, from_month);
    db_bind_text(st, 2, to_month);
    return each_row(st, 1, STORE_STAT_DAY_VALS, fn, arg, err);
}

int store_report_wd_months(store_tx_t *tx, const char *from_month, const char *to_month,
                           store_row_fn fn, void *arg, ot_err_t *err)
{
    /* rows as stored, summed by the caller: a GROUP BY sorted them all (bodies x months x
     * days to answer, 44,000 a year on the 100k demo, 18 % of a dashboard's instructions) */
    PREPARE(tx, "SELECT body, days, n FROM stat_wd_month"
                " WHERE month >= ? AND month <= ? AND n <> 0");
    db_bind_text(st, 1, from_month);
    db_bind_text(st, 2, to_month);
    return each_row(st, 1, 2, fn, arg, err);
}

int store_report_wd_days(store_tx_t *tx, const char *from, const char *to, store_row_fn fn,
                         void *arg, ot_err_t *err)
{
    PREPARE(tx, "SELECT body, days, n FROM stat_wd_day WHERE day >= ? AND day <= ? AND n <> 0");
    db_bind_text(st, 1, from);
    db_bind_text(st, 2, to);
    return each_row(st, 1, 2, fn, arg, err);
}

/* The open appeals not yet overdue (due today or later) are a few weeks of intake: the
 * range of stat_open from today on (migration 41), whatever the number of appeals. */
int store_report_not_due(store_tx_t *tx, const char *today, const char *from, const char *to,
                         store_row_fn fn, void *arg, ot_err_t *err)
{
    PREPARE(tx, "SELECT body, sum(n) FROM stat_open WHERE due_on >= ?"
                " AND registered_on >= ? AND registered_on <= ? GROUP BY body");
    db_bind_text(st, 1, today);
    db_bind_text(st, 2, from);
    db_bind_text(st, 3, to);
    return each_row(st, 1, 1, fn, arg, err);
}

#define SLOT_US INT64_C(900000000)   /* stat_flag_slot's and stat_esc_slot's slots: 15 minutes */
#define DAY_US  INT64_C(86400000000) /* stat_esc_day's days (UTC) */

/* The rows as stored, summed by the caller (a GROUP BY sorted them). */
static int esc_slots(store_tx_t *tx, int64_t from_slot, int64_t to_slot, store_row_fn fn, void *arg,
                     ot_err_t *err)
{
    if (from_slot >= to_slot)
        return OT_OK;
    PREPARE(tx, "SELECT body, n FROM stat_esc_slot WHERE slot >= ? AND slot < ? AND n <> 0");
    db_bind_int64(st, 1, from_slot);
    db_bind_int64(st, 2, to_slot);
    return each_row(st, 1, 1, fn, arg, err);
}

int store_report_escalations(store_tx_t *tx, int64_t from_us, int64_t to_us, store_row_fn fn,
                             void *arg, ot_err_t *err)
{
    if (from_us % SLOT_US || to_us % SLOT_US || from_us < 0) {
        /* not whole slots (no UTC offset in use gives that): the queue itself;
         * control_queue.body is the appeal's current body (migration 10) */
        PREPARE(tx, "SELECT body FROM control_queue WHERE since >= ? AND since < ?");
        db_bind_int64(st, 1, from_us);
        db_bind_int64(st, 2, to_us);
        return count_by_body(st, fn, arg, err);
    }
    /* the counters of migration 41: an entry's `since` is when its appeal fell due, any time
     * of day, so the whole UTC days of the period are read per day (days x bodies), its
     * edges (a local day is not a UTC day) per slot: whatever the number of appeals */
    int64_t d0 = (from_us + DAY_US - 1) / DAY_US, d1 = to_us / DAY_US;
    if (d0 >= d1)
        return esc_slots(tx, from_us / SLOT_US, to_us / SLOT_US, fn, arg, err);
    int rc = esc_slots(tx, from_us / SLOT_US, d0 * (DAY_US / SLOT_US), fn, arg, err);
    if (!rc)
        rc = esc_slots(tx, d1 * (DAY_US / SLOT_US), to_us / SLOT_US, fn, arg, err);
    if (rc)
        return rc;
    PREPARE(tx, "SELECT body, n FROM stat_esc_day WHERE day >= ? AND day < ? AND n <> 0");
    db_bind_int64(st, 1, d0);
    db_bind_int64(st, 2, d1);
    return each_row(st, 1, 1, fn, arg, err);
}

int store_report_violations(store_tx_t *tx, const char *from, const char *to, store_row_fn fn,
                            void *arg, ot_err_t *err)
{
    /* stat_viol_day: the violations counted by detection day and body (migration 9) */
    PREPARE(tx, "SELECT body, n, penalties FROM stat_viol_day"
                " WHERE day >= ? AND day <= ? AND (n <> 0 OR penalties <> 0)");
    db_bind_text(st, 1, from);
    db_bind_text(st, 2, to);
    return each_row(st, 1, 2, fn, arg, err);
}

/* Sums of a condition over a group: 1 when it holds, 0 when false or unknown (NULL). A CASE,
 * not coalesce(cond, 0): a condition is a boolean in PostgreSQL, not a number; nor
 * sum(cond), which PostgreSQL runs through the compat sum(boolean), an SQL function called
 * once per row. */
#define COUNT_IF(cond) "sum(CASE WHEN " cond " THEN 1 ELSE 0 END)"
#define HELD_N         COUNT_IF("b.status = 'held'")

int store_report_receptions(store_tx_t *tx, const char *from, const char *to, store_row_fn fn,
                            void *arg, ot_err_t *err)
{
    PREPARE(tx, "SELECT s.body, count(*), " HELD_N " FROM reception_bookings b"
                " JOIN reception_schedules s ON s.id = b.schedule_id"
                " WHERE b.day >= ? AND b.day <= ? AND b.status <> 'cancelled' GROUP BY s.body");
    db_bind_text(st, 1, from);
    db_bind_text(st, 2, to);
    return each_row(st, 1, 2, fn, arg, err);
}

int store_report_problems(store_tx_t *tx, const char *from, const char *to, store_row_fn fn,
                          void *arg, ot_err_t *err)
{
    /* stat_prob_day (issue 17): a year is bodies x days, a few thousand rows */
    PREPARE(tx, "SELECT body, decided, solved, reraised, v_yes, v_partly, v_no"
                " FROM stat_prob_day WHERE day >= ? AND day <= ?");
    db_bind_text(st, 1, from);
    db_bind_text(st, 2, to);
    return each_row(st, 1, 6, fn, arg, err);
}

int store_report_month_answered(store_tx_t *tx, const char *from_month, const char *to_month,
                                store_row_fn fn, void *arg, ot_err_t *err)
{
    PREPARE(tx, "SELECT body, month, n FROM stat_ans_month"
                " WHERE month >= ? AND month <= ? AND n <> 0");
    db_bind_text(st, 1, from_month);
    db_bind_text(st, 2, to_month);
    return each_row(st, 2, 1, fn, arg, err);
}

int store_report_month_held(store_tx_t *tx, const char *from, const char *to, store_row_fn fn,
                            void *arg, ot_err_t *err)
{
    PREPARE(tx, "SELECT s.body, substr(b.day, 1, 7) AS m, count(*) FROM reception_bookings b"
                " JOIN reception_schedules s ON s.id = b.schedule_id"
                " WHERE b.day >= ? AND b.day <= ? AND b.status = 'held' GROUP BY s.body, m");
    db_bind_text(st, 1, from);
    db_bind_text(st, 2, to);
    return each_row(st, 2, 1, fn, arg, err);
}

int store_report_month_cd(store_tx_t *tx, const char *from_month, const char *to_month,
                          store_row_fn fn, void *arg, ot_err_t *err)
{
    PREPARE(tx, "SELECT month, category, district, n FROM stat_cd"
                " WHERE month >= ? AND month <= ? AND n <> 0");
    db_bind_text(st, 1, from_month);
    db_bind_text(st, 2, to_month);
    return each_row(st, 3, 1, fn, arg, err);
}

int store_report_months(store_tx_t *tx, const char *from_month, const char *to_month,
                        store_row_fn fn, void *arg, ot_err_t *err)
{
    PREPARE(tx, "SELECT month, sum(received), sum(answered), sum(on_time)"
                " FROM stat_month WHERE month >= ? AND month <= ? GROUP BY month ORDER BY month");
    db_bind_text(st, 1, from_month);
    db_bind_text(st, 2, to_month);
    return each_row(st, 1, 3, fn, arg, err);
}

/* The open appeals due from today on by body and due day, from stat_open in its key's order
 * (migration 41: a few weeks of due days x bodies; on the 1M demo the region's 150,000 open
 * appeals were read from appeals_queue_body for them). */
const char *const store_report_open_due_sql =
    "SELECT body, due_on, sum(n) FROM stat_open WHERE due_on >= ?"
    " GROUP BY due_on, body HAVING sum(n) <> 0";

int store_report_open_due(store_tx_t *tx, const char *today, store_row_fn fn, void *arg,
                          ot_err_t *err)
{
    PREPARE(tx, store_report_open_due_sql);
    db_bind_text(st, 1, today);
    return each_row(st, 2, 1, fn, arg, err);
}

int store_report_open_bodies(store_tx_t *tx, store_row_fn fn, void *arg, ot_err_t *err)
{
    /* bodies x months of registration */
    PREPARE(tx, "SELECT body, sum(still_open) FROM stat_month GROUP BY body"
                " HAVING sum(still_open) <> 0");
    return each_row(st, 1, 1, fn, arg, err);
}

int store_report_month_body(store_tx_t *tx, const char *from_month, const char *to_month,
                            store_row_fn fn, void *arg, ot_err_t *err)
{
    PREPARE(tx, "SELECT body, month, received, answered, on_time FROM stat_month"
                " WHERE month >= ? AND month <= ?");
    db_bind_text(st, 1, from_month);
    db_bind_text(st, 2, to_month);
    return each_row(st, 2, 3, fn, arg, err);
}

int store_report_flags(store_tx_t *tx, int64_t from_us, int64_t to_us, store_row_fn fn, void *arg,
                       ot_err_t *err)
{
    if (from_us % SLOT_US || to_us % SLOT_US || from_us < 0) {
        /* not whole slots (no UTC offset in use gives that): the flags themselves */
        PREPARE(tx, "SELECT body, count(DISTINCT head) FROM head_flags"
                    " WHERE created_at >= ? AND created_at < ? GROUP BY body");
        db_bind_int64(st, 1, from_us);
        db_bind_int64(st, 2, to_us);
        return each_row(st, 1, 1, fn, arg, err);
    }
    /* the counter of migration "issue 23: the head flags per 15-minute slot" */
    PREPARE(tx, "SELECT body, count(DISTINCT CASE WHEN head <> 0 THEN head END)"
                " FROM stat_flag_slot WHERE slot >= ? AND slot < ? AND n > 0 GROUP BY body");
    db_bind_int64(st, 1, from_us / SLOT_US);
    db_bind_int64(st, 2, to_us / SLOT_US);
    return each_row(st, 1, 1, fn, arg, err);
}

int store_report_cal_put(store_tx_t *tx, const char *jurisdiction, const char (*days)[11],
                         const int *wd, int n, ot_err_t *err)
{
    int rc;
    {
        PREPARE(tx, "DELETE FROM cal_wd WHERE jurisdiction = ?");
        db_bind_text(st, 1, jurisdiction);
        if ((rc = db_run(st, NULL, err)))
            return rc;
    }
    PREPARE(tx, "INSERT INTO cal_wd (jurisdiction, day, wd) VALUES (?, ?, ?)");
    for (int i = 0; i < n; i++) {
        db_bind_text(st, 1, jurisdiction);
        db_bind_text(st, 2, days[i]);
        db_bind_int64(st, 3, wd[i]);
        if ((rc = db_run(st, NULL, err)))
            return rc;
    }
    return OT_OK;
}

/* The working days to answer of appeal a, as the triggers of migration 5 compute them. */
#define WD(col)                                                                                    \
    "(SELECT wd FROM cal_wd w WHERE w.jurisdiction = a.jurisdiction AND w.day = " col ")"
#define WD_DAYS                                                                                    \
    "CAST(coalesce(" WD("a.answered_on") " - " WD(                                                 \
        "a.registered_on") ","                                                                     \
                           " julianday(a.answered_on) - julianday(a.registered_on)) AS BIGINT)"

int store_report_rebuild_wd(store_tx_t *tx, ot_err_t *err)
{
    int rc = store_stat_flush(tx, err); /* a recount includes the batch's new appeals */
    if (rc)
        return rc;
    static const char *const sql[] = {
        "DELETE FROM stat_wd_day",
        "DELETE FROM stat_wd_month",
        "DELETE FROM stat_ans_month",
        /* stat_wd_day's insert trigger fills stat_wd_month */
        "INSERT INTO stat_wd_day (day, body, days, n) SELECT a.registered_on, a.body, " WD_DAYS
        " AS d, count(*) FROM appeals a WHERE a.answered_on IS NOT NULL"
        " GROUP BY a.registered_on, a.body, d",
        "INSERT INTO stat_ans_month (month, body, n) SELECT substr(answered_on, 1, 7) AS m,"
        " body, count(*) FROM appeals WHERE answered_on IS NOT NULL GROUP BY m, body",
    };
    for (size_t i = 0; !rc && i < sizeof sql / sizeof sql[0]; i++)
        rc = db_exec(tx->db, sql[i], err);
    return rc;
}

#define UPHELD       "decision IN ('satisfied', 'partly_satisfied')"
#define PROB_DECIDED "decision IN ('satisfied', 'partly_satisfied', 'explained', 'refused')"
#define OPEN         "status IN ('registered', 'assigned', 'in_work')"

int store_report_rebuild(store_tx_t *tx, ot_err_t *err)
{
    /* the formatter would split the string pastes of COUNT_IF mid-word */
    /* clang-format off */
    static const char *const sql[] = {
        "DELETE FROM stat_day",
        "DELETE FROM stat_month",
        "DELETE FROM stat_cd",
        /* stat_day's triggers carry every row on to stat_month; the WHERE clauses let the
         * upserts parse (an INSERT ... SELECT with ON CONFLICT needs one) */
        "INSERT INTO stat_day (body, day, received, answered, on_time, resolved, explained,"
        " refused, r1, r2, r3, r4, r5, still_open) SELECT body, registered_on, count(*), "
        COUNT_IF("answered_on IS NOT NULL") ", " COUNT_IF("answered_on <= due_on") ", "
        COUNT_IF(UPHELD) ", " COUNT_IF("decision = 'explained'") ", "
        COUNT_IF("decision = 'refused'") ", " COUNT_IF("rating = 1") ", "
        COUNT_IF("rating = 2") ", " COUNT_IF("rating = 3") ", " COUNT_IF("rating = 4") ", "
        COUNT_IF("rating = 5") ", " COUNT_IF(OPEN) " FROM appeals GROUP BY registered_on, body",
        "DELETE FROM stat_open",
        "INSERT INTO stat_open (due_on, body, registered_on, n) SELECT due_on, body,"
        " registered_on, count(*) FROM appeals WHERE " OPEN " GROUP BY due_on, body, registered_on",
        /* complaints count against the body complained about */
        "INSERT INTO stat_day (body, day, complaints, upheld)"
        " SELECT p.body, c.registered_on, count(*), " COUNT_IF("c." UPHELD)
        " FROM appeals c JOIN appeals p ON p.id = c.parent_id WHERE c.link = 'complaint'"
        " GROUP BY c.registered_on, p.body"
        " ON CONFLICT (day, body) DO UPDATE SET complaints = stat_day.complaints + excluded.complaints,"
        " upheld = stat_day.upheld + excluded.upheld",
        /* a repeat within a year of the earlier appeal's answer counts against its body */
        "INSERT INTO stat_day (body, day, repeats)"
        " SELECT o.body, n.registered_on, count(*) FROM appeals n JOIN appeals o"
        " ON o.id = n.repeat_of WHERE o.answered_at IS NOT NULL"
        " AND o.answered_at <= n.received_at"
        " AND n.received_at - o.answered_at <= 365 * 86400000000"
        " GROUP BY n.registered_on, o.body"
        " ON CONFLICT (day, body) DO UPDATE SET repeats = stat_day.repeats + excluded.repeats",
        "INSERT INTO stat_cd (month, category, district, n)"
        " SELECT substr(registered_on, 1, 7) AS m, category, coalesce(district, '') AS d,"
        " count(*) FROM appeals GROUP BY m, category, d",
        /* problems (issue 17): decided, solved, re-raised, verdicts */
        "DELETE FROM stat_prob_day",
        "INSERT INTO stat_prob_day (day, body, decided, solved, reraised, v_yes, v_partly, v_no)"
        " SELECT registered_on, body, " COUNT_IF(PROB_DECIDED) ", "
        COUNT_IF(UPHELD " AND coalesce(verdict, '') <> 'no' AND reraised = 0") ", "
        COUNT_IF(PROB_DECIDED " AND reraised = 1") ", " COUNT_IF("verdict = 'yes'") ", "
        COUNT_IF("verdict = 'partly'") ", " COUNT_IF("verdict = 'no'")
        " FROM appeals WHERE problem_id IS NOT NULL GROUP BY registered_on, body",
        /* the control queue follows the appeals' bodies by a trigger on appeals */
        "UPDATE control_queue SET body = (SELECT a.body FROM appeals a"
        " WHERE a.id = control_queue.appeal_id)",
    };
    /* clang-format on */
    int rc = store_stat_flush(tx, err); /* or the batch's new appeals count twice */
    for (size_t i = 0; !rc && i < sizeof sql / sizeof sql[0]; i++)
        rc = db_exec(tx->db, sql[i], err);
    return rc ? rc : store_report_rebuild_wd(tx, err);
}
