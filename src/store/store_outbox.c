/* Repository: the notification outbox. See store_outbox.h. */
#include "store/store_outbox.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"
#include "util/jw.h"

int store_outbox_add(store_tx_t *tx, int64_t now, int64_t appeal_id, const char *recipient,
                     const char *channel, const char *template_name, const char *language,
                     const char *data_json, ot_err_t *err)
{
    /* a letter waits in the print queue (status print), which the worker never claims; a
     * notice with no channel at all (channel none) is recorded failed at once */
    PREPARE(tx, "INSERT INTO outbox (created_at, appeal_id, recipient, channel, template,"
                " language, data, next_at, status, last_error) VALUES (?1, ?2, ?3, ?4, ?5, ?6,"
                " ?7, ?8, CASE ?4 WHEN 'post' THEN 'print' WHEN 'none' THEN 'failed'"
                " ELSE 'pending' END, CASE WHEN ?4 = 'none' THEN 'the applicant gave no contact'"
                " END)");
    db_bind_int64(st, 1, now);
    store_bind_id(st, 2, appeal_id);
    db_bind_text(st, 3, recipient);
    db_bind_text(st, 4, channel);
    db_bind_text(st, 5, template_name);
    db_bind_text(st, 6, language);
    db_bind_text(st, 7, data_json);
    db_bind_int64(st, 8, now);
    return db_send(st, err);
}

int store_outbox_claim(store_tx_t *tx, int64_t now, int64_t lease_us, size_t max,
                       outbox_row_t **rows, size_t *n, ot_err_t *err)
{
    int rc0 = store_stat_flush_all(tx, err); /* the batch's new notices counted as queued */
    if (rc0)
        return rc0;
    PREPARE(tx, "UPDATE outbox SET status = 'sending', next_at = ?1"
                " WHERE id IN (SELECT id FROM outbox WHERE status IN ('pending', 'sending')"
                " AND next_at <= ?2 ORDER BY next_at, id LIMIT ?3)"
                " RETURNING id, coalesce(appeal_id, 0), attempts, recipient, channel, template,"
                " language, data");
    db_bind_int64(st, 1, now + lease_us);
    db_bind_int64(st, 2, now);
    db_bind_int64(st, 3, (int64_t)max);
    size_t cap = 0;
    int rc;
    *rows = NULL;
    *n = 0;
    while ((rc = db_step(st, err)) == DB_ROW) {
        if (*n == cap) {
            size_t c = cap ? cap * 2 : 64;
            outbox_row_t *p = realloc(*rows, c * sizeof *p);
            if (!p) {
                db_reset(st);
                return ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
            }
            *rows = p;
            cap = c;
        }
        outbox_row_t *r = &(*rows)[(*n)++];
        memset(r, 0, sizeof *r);
        r->id = db_col_int64(st, 0);
        r->appeal_id = db_col_int64(st, 1);
        r->attempts = db_col_int64(st, 2);
        store_copy_col(st, 3, r->recipient, sizeof r->recipient);
        store_copy_col(st, 4, r->channel, sizeof r->channel);
        store_copy_col(st, 5, r->template_name, sizeof r->template_name);
        store_copy_col(st, 6, r->language, sizeof r->language);
        const char *d = db_col_text(st, 7);
        r->data = strdup(d ? d : "{}");
    }
    db_reset(st);
    return rc < 0 ? -rc : OT_OK;
}

void store_outbox_rows_free(outbox_row_t *rows, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(rows[i].data);
    free(rows);
}

int store_outbox_result(store_tx_t *tx, int64_t id, const char *status, int64_t attempts,
                        int64_t next_at, int64_t now, const char *error, ot_err_t *err)
{
    int rc0 = store_stat_flush_all(tx, err); /* the batch's new notices counted as queued */
    if (rc0)
        return rc0;
    PREPARE(tx, "UPDATE outbox SET status = ?, attempts = ?, next_at = ?,"
                " sent_at = CASE WHEN ? = 'sent' THEN ? ELSE sent_at END, last_error = ?"
                " WHERE id = ?");
    db_bind_text(st, 1, status);
    db_bind_int64(st, 2, attempts);
    db_bind_int64(st, 3, next_at);
    db_bind_text(st, 4, status);
    db_bind_int64(st, 5, now);
    db_bind_text(st, 6, error);
    db_bind_int64(st, 7, id);
    return db_run(st, NULL, err);
}

/* Oldest first as outbox_pending (status, next_at) keeps them: a letter's next_at is the
 * instant it was queued, never moved (the worker claims no letter). By o.id alone the queue's
 * 2 million letters of the 1M demo were read and sorted (5 to 15 s, issue 23). That walk
 * passes every letter of the bodies outside the scope before it has a page: a department's
 * 9,448 appeals of the 1M demo's, 0.45 % of its 2 million letters, took 136 ms (p99 284 ms).
 * So a scope of fewer than LETTER_CAP appeals (counted on appeals_body_id) reads its appeals'
 * letters through outbox_print (appeal_id, next_at: the print queue's letters alone, migration
 * 50), their ids sorted, then the page's rows. The cap: at the 1M demo an appeal read so costs
 * 1.2-1.4 us, a letter walked 1.7 us, and the walk passes 1,000 letters divided by the scope's
 * share of them: even at about 36,000 appeals (a scope of 29,135: 34-43 ms read so, 60 ms
 * walked; the whole oblast's walk: a page at once). */
#define LETTER_COLS                                                                                \
    "SELECT o.id, a.number, o.recipient, o.template, o.language, o.data, o.created_at, o.next_at"
#define LETTER_CAP store_list_cap(40000)
/* the keyset cursor (?2, ?3): the letters after the last one of a page in the queue's order,
 * a range of the index walked */
#define LETTER_AFTER(t) " AND " t ".next_at >= ?2 AND (" t ".next_at > ?2 OR " t ".id > ?3)"
/* [0] the walk, the scope checked on each letter (SQLite steps it and stops at the page);
 * [1] a small scope's letters; [2] the walk on PostgreSQL, a chunk of ?4 letters at a time,
 * each with whether it is in the scope (the last column): libpq reads a statement's whole
 * result, and PostgreSQL planned [0]'s scope as a join from every body's appeals to their
 * letters, all sorted (0.7-1.8 s for the oblast's registry on the 100k demo; 39-44 ms so).
 * The same chunks on SQLite cost a Ridder registry at 1.9M appeals 36 -> 80 ms. The last
 * column says the letter is in the scope (always, but for [2]). */
const char *const store_outbox_letters_sql[3] = {
    "SELECT o.id, a.number, o.recipient, o.template, o.language, o.data, o.created_at,"
    " o.next_at, 1 FROM outbox o JOIN appeals a ON a.id = o.appeal_id"
    " JOIN bodies b ON b.id = a.body WHERE o.channel = 'post' AND o.status = 'print'"
    " AND (?1 IS NULL OR substr(b.path, 1, length(?1)) = ?1)" LETTER_AFTER(
        "o") " ORDER BY o.next_at, o.id LIMIT ?4",
    LETTER_COLS
    ", 1 FROM outbox o JOIN appeals a ON a.id = o.appeal_id"
    " WHERE o.id IN (SELECT p.id FROM appeals s CROSS JOIN outbox p"
    " WHERE s.body IN (SELECT id FROM bodies WHERE substr(path, 1, length(?1)) = ?1)"
    " AND p.appeal_id = s.id AND p.channel = 'post' AND p.status = 'print'" LETTER_AFTER(
        "p") " ORDER BY p.next_at, p.id LIMIT ?4) ORDER BY o.next_at, o.id",
    /* clang-format off */
    "SELECT w.id, a.number, w.recipient, w.template, w.language, w.data, w.created_at,"
    " w.next_at, CASE WHEN ?1 IS NULL OR substr(b.path, 1, length(?1)) = ?1 THEN 1 ELSE 0 END"
    " FROM (SELECT q.id, q.appeal_id, q.recipient, q.template, q.language, q.data,"
    " q.created_at, q.next_at FROM outbox q WHERE q.channel = 'post' AND q.status = 'print'"
    LETTER_AFTER("q") " ORDER BY q.next_at, q.id LIMIT ?4) w"
    " JOIN appeals a ON a.id = w.appeal_id JOIN bodies b ON b.id = a.body"
    " ORDER BY w.next_at, w.id",
    /* clang-format on */
};
const char store_outbox_letters_probe_sql[] =
    "SELECT count(*) FROM (SELECT 1 FROM appeals s WHERE s.body IN (SELECT id FROM bodies"
    " WHERE substr(path, 1, length(?1)) = ?1) LIMIT ?2) AS t";

int store_outbox_letters(store_tx_t *tx, const char *scope_path, int64_t after_at, int64_t after_id,
                         int limit, int (*fn)(const outbox_letter_t *l, void *arg), void *arg,
                         ot_err_t *err)
{
    const char *const probe[2] = {NULL, store_outbox_letters_probe_sql},
                      *val[2] = {NULL, scope_path};
    int driver = 0;
    int rc = store_list_driver(tx, probe, val, 2, LETTER_CAP, NULL, NULL, &driver, NULL, err);
    if (rc)
        return rc;
    if (!driver && store_is_pg(tx))
        driver = 2;
    PREPARE(tx, store_outbox_letters_sql[driver]);
    /* the walk's chunks (STORE_CHUNK_SLACK: a scope the walk serves holds most letters) */
    int64_t chunk = driver == 2 ? limit + STORE_CHUNK_SLACK : limit, asked, walked;
    int stop = 0;
    do {
        asked = chunk;
        db_bind_text(st, 1, scope_path);
        db_bind_int64(st, 2, after_at);
        db_bind_int64(st, 3, after_id);
        db_bind_int64(st, 4, asked);
        walked = 0;
        while (!stop && limit > 0 && (rc = db_step(st, err)) == DB_ROW) {
            walked++;
            after_at = db_col_int64(st, 7);
            after_id = db_col_int64(st, 0);
            if (!db_col_int64(st, 8))
                continue; /* outside the scope */
            outbox_letter_t l;
            memset(&l, 0, sizeof l);
            l.id = after_id;
            store_copy_col(st, 1, l.number, sizeof l.number);
            store_copy_col(st, 2, l.address, sizeof l.address);
            store_copy_col(st, 3, l.template_name, sizeof l.template_name);
            store_copy_col(st, 4, l.language, sizeof l.language);
            l.data = store_dup_col(st, 5);
            l.created_at = db_col_int64(st, 6);
            l.queued_at = after_at;
            stop = fn(&l, arg);
            free(l.data);
            limit--;
        }
        db_reset(st);
        if (rc < 0)
            return -rc;
        chunk = store_chunk_next(chunk);
    } while (driver == 2 && !stop && limit > 0 && walked == asked); /* a full chunk: more */
    return OT_OK;
}

int store_outbox_letter_body(store_tx_t *tx, int64_t id, char *path, size_t n, ot_err_t *err)
{
    PREPARE(tx, "SELECT b.path FROM outbox o JOIN appeals a ON a.id = o.appeal_id"
                " JOIN bodies b ON b.id = a.body WHERE o.id = ? AND o.channel = 'post'"
                " AND o.status = 'print'");
    db_bind_int64(st, 1, id);
    int rc = db_step(st, err);
    if (rc == DB_ROW)
        store_copy_col(st, 0, path, n);
    db_reset(st);
    if (rc < 0)
        return -rc;
    return rc == DB_ROW ? OT_OK
                        : ot_err(err, OT_ENOTFOUND, "letter_not_found", "id",
                                 "no letter waiting to be sent with that id");
}

int store_outbox_letter_sent(store_tx_t *tx, int64_t id, int64_t at, ot_err_t *err)
{
    int rc0 = store_stat_flush_all(tx, err); /* the batch's new notices counted as queued */
    if (rc0)
        return rc0;
    PREPARE(tx, "UPDATE outbox SET status = 'sent', sent_at = ?, attempts = attempts + 1"
                " WHERE id = ? AND channel = 'post' AND status = 'print'");
    db_bind_int64(st, 1, at);
    db_bind_int64(st, 2, id);
    return db_run(st, NULL, err);
}

int store_outbox_notice_reach(store_tx_t *tx, int64_t id, int64_t *others, char number[40],
                              ot_err_t *err)
{
    PREPARE(tx, "SELECT coalesce(a.number, ''), (SELECT count(*) FROM outbox s"
                " WHERE s.appeal_id = o.appeal_id AND s.template = o.template"
                " AND s.created_at = o.created_at AND s.id <> o.id"
                " AND s.channel IN ('email', 'sms', 'post')"
                " AND s.status IN ('sent', 'pending', 'sending', 'print'))"
                " FROM outbox o LEFT JOIN appeals a ON a.id = o.appeal_id WHERE o.id = ?");
    db_bind_int64(st, 1, id);
    int rc = db_step(st, err);
    *others = 0;
    number[0] = '\0';
    if (rc == DB_ROW) {
        store_copy_col(st, 0, number, 40);
        *others = db_col_int64(st, 1);
    }
    db_reset(st);
    return rc < 0 ? -rc : OT_OK;
}

int store_outbox_notices(store_tx_t *tx, int64_t appeal_id,
                         int (*fn)(const outbox_notice_t *n, void *arg), void *arg, ot_err_t *err)
{
    PREPARE(tx, "SELECT id, channel, template, language, status, attempts, created_at,"
                " coalesce(sent_at, 0), coalesce(last_error, ''),"
                " CASE WHEN recipient LIKE 'user:%' THEN recipient ELSE '' END"
                " FROM outbox WHERE appeal_id = ? ORDER BY id LIMIT 1000");
    db_bind_int64(st, 1, appeal_id);
    outbox_notice_t n;
    int rc, stop = 0;
    while (!stop && (rc = db_step(st, err)) == DB_ROW) {
        memset(&n, 0, sizeof n);
        n.id = db_col_int64(st, 0);
        store_copy_col(st, 1, n.channel, sizeof n.channel);
        store_copy_col(st, 2, n.template_name, sizeof n.template_name);
        store_copy_col(st, 3, n.language, sizeof n.language);
        store_copy_col(st, 4, n.status, sizeof n.status);
        n.attempts = db_col_int64(st, 5);
        n.created_at = db_col_int64(st, 6);
        n.sent_at = db_col_int64(st, 7);
        store_copy_col(st, 8, n.last_error, sizeof n.last_error);
        store_copy_col(st, 9, n.staff, sizeof n.staff);
        stop = fn(&n, arg);
    }
    db_reset(st);
    return stop || rc >= 0 ? OT_OK : -rc;
}

/* the rows in the id range through outbox_unsent, the pending e-mails and SMS only (`o.status
 * || ''`, the index's own filter: not every pending row through outbox_pending, sorted, which
 * SQLite takes for a range it cannot see is short: the staff notices of a first sweep are all
 * pending); each probes outbox_delivered for the same notice gone out by another channel,
 * one seek (`|| ''`: the channel and status are the index's filter, migration 47, not six
 * seeks of every channel and status of the IN lists) */
const char store_outbox_stuck_sql[] =
    "SELECT coalesce(o.appeal_id, 0) FROM outbox o"
    " WHERE o.id > ?1 AND o.id <= ?2 AND o.created_at < ?3"
    " AND o.channel IN ('email', 'sms') AND o.status || '' IN ('pending', 'sending')"
    " AND o.template <> 'extended' AND NOT EXISTS (SELECT 1 FROM outbox s"
    " WHERE s.appeal_id = o.appeal_id AND s.template = o.template"
    " AND s.created_at = o.created_at AND s.id <> o.id"
    " AND s.channel || '' IN ('email', 'sms', 'post') AND s.status || '' IN ('sent', 'print'))"
    " ORDER BY o.id";

int store_outbox_stuck(store_tx_t *tx, int64_t after, int64_t before, int64_t *count, char *numbers,
                       size_t n, int64_t *last, ot_err_t *err)
{
    *count = 0;
    *last = after;
    numbers[0] = '\0';
    {
        /* the newest row queued before `before`: outbox ids follow the time of queueing, so
         * it is found by bisecting the ids after the mark, a few index probes (issue 23:
         * reading from the newest down passed every row queued since, 1.6M staff notices
         * right after a first sweep over the 1M demo, 4 s of a steady sweep) */
        int64_t hi = 0;
        db_stmt_t *top = db_prepare(tx->db, "SELECT coalesce(max(id), 0) FROM outbox", err);
        int rc = top ? db_run(top, &hi, err) : err ? err->status : OT_EINTERNAL;
        if (rc)
            return rc;
        int64_t lo = after; /* invariant: lo is the mark or queued before `before` */
        while (lo < hi) {
            int64_t mid = lo + (hi - lo + 1) / 2, id = 0, at = 0;
            /* the first row at or after mid (ids may have gaps) */
            PREPARE(tx, "SELECT id, created_at FROM outbox WHERE id >= ? ORDER BY id LIMIT 1");
            db_bind_int64(st, 1, mid);
            if ((rc = db_step(st, err)) == DB_ROW) {
                id = db_col_int64(st, 0);
                at = db_col_int64(st, 1);
            }
            db_reset(st);
            if (rc < 0)
                return -rc;
            if (rc == DB_ROW && id <= hi && at < before)
                lo = id;
            else
                hi = mid - 1;
        }
        *last = lo;
    }
    if (*last == after)
        return OT_OK;
        /* the rows in the id range (store_outbox_stuck_sql) */
        /* the appeal of each, not its number: only the first few are named, and looking every
         * one up read the appeals at random (2.6M on a first sweep over the 1M demo) */
#define STUCK_NAMED 64
    int64_t ids[STUCK_NAMED];
    size_t n_ids = 0;
    int rc, shown = 0;
    {
        PREPARE(tx, store_outbox_stuck_sql);
        db_bind_int64(st, 1, after);
        db_bind_int64(st, 2, *last);
        db_bind_int64(st, 3, before);
        while ((rc = db_step(st, err)) == DB_ROW) {
            (*count)++;
            int64_t id = db_col_int64(st, 0);
            if (id && n_ids < STUCK_NAMED)
                ids[n_ids++] = id;
        }
        db_reset(st);
        if (rc < 0)
            return -rc;
    }
    /* the first 20 numbers, in the order of their notices */
    for (size_t i = 0; i < n_ids && shown < 20; i++) {
        PREPARE(tx, "SELECT number FROM appeals WHERE id = ?");
        db_bind_int64(st, 1, ids[i]);
        if ((rc = db_step(st, err)) == DB_ROW) {
            const char *num = db_col_text(st, 0);
            size_t used = strlen(numbers);
            if (num && *num && used + strlen(num) + 3 < n) {
                snprintf(numbers + used, n - used, "%s%s", shown ? ", " : "", num);
                shown++;
            }
        }
        db_reset(st);
        if (rc < 0)
            return -rc;
    }
#undef STUCK_NAMED
    return OT_OK;
}
