/* The sweeper. See sweep.h and docs/accountability.md. */
#include "service/sweep.h"

#include <jansson.h>
#include <stdio.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "domain/appeal.h"
#include "domain/date.h"
#include "service/audit.h"
#include "store/store_appeal.h"
#include "store/store_event.h"
#include "store/store_outbox.h"
#include "store/store_ref.h"
#include "store/store_user.h"
#include "store/store_violation.h"
#include "util/json_out.h"
#include "util/log.h"

#define MAX_SUPERVISORS 64

/* Who answers in a body, looked up once per body and sweep (a first sweep over a backlog
 * makes thousands of violations in a few hundred bodies). */
typedef struct body_head {
    char body[64];
    int external;
    char parent[64];    /* "" for the root and external bodies */
    int64_t head;       /* the body's head, or the nearest one above; 0: none */
    char head_body[64]; /* the body of that head */
    int alert_checked;  /* its no-head alert was looked at in this sweep */
} body_head_t;

#define MAX_BODY_HEADS 1024

/* Violations are recorded set-based (issue 23: a first sweep over a large backlog makes
 * hundreds of thousands): queued here and inserted VIOL_BATCH at a time in one statement,
 * their notices in one more; each created one's audit event is appended in order. */
#define VIOL_BATCH 2048

struct sweep_ctx {
    const svc_t *svc;
    const viol_policy_t *p;
    int64_t now;
    sweep_report_t *rep;
    int64_t sups[MAX_SUPERVISORS];
    size_t n_sups;
    body_head_t *heads; /* malloc'd cache, n_heads used */
    size_t n_heads;
    /* appeal events after this seq may have reopened or changed appeals the watermarks of the
     * overdue and reminder scans have passed (sweep.appeals_seq); with no watermark yet, the
     * last seq (nothing to look at besides the full scan) */
    int64_t touched;
    viol_rec_t *batch;                  /* malloc'd, VIOL_BATCH; n_batch queued */
    unsigned char set_days[VIOL_BATCH]; /* existing: update its days_late (a late answer) */
    const char *rules[VIOL_BATCH];      /* the rule of a queued one whose evidence is its appeal's
                                         * events, read at the flush; NULL: evidence given */
    size_t n_batch;
    /* told once per person at the end of the transaction that makes them all (main_tx; issue
     * 23 point 5: a first sweep over the 1M demo told of 15,419 reminders and 40,742 alerts
     * one by one): the reminders made, and the alerts of undelivered notices (how many, the
     * first's appeal and data, malloc'd) */
    reminded_t reminded;
    int64_t n_alerts, alert_appeal;
    char *alert_data;
};

static int64_t user_of_actor(const char *actor)
{
    return strncmp(actor, "user:", 5) == 0 ? strtoll(actor + 5, NULL, 10) : 0;
}

int sweep_notify_user(store_tx_t *tx, int64_t now, int64_t user_id, int64_t appeal_id,
                      const char *template_name, const char *language, const char *data_json,
                      ot_err_t *err)
{
    char to[32];
    if (!user_id)
        return OT_OK;
    snprintf(to, sizeof to, "user:%lld", (long long)user_id);
    return store_outbox_add(tx, now, appeal_id, to, "staff", template_name,
                            language && *language ? language : "ru", data_json, err);
}

static int working_between(const juris_t *j, const char *a, const char *b, int *n, ot_err_t *err)
{
    ot_day_t da, db;
    if (date_parse(a, &da) || date_parse(b, &db))
        return ot_err(err, OT_EINTERNAL, "bad_date", NULL, "bad stored date '%s'/'%s'", a, b);
    return cal_count_working_days(j->cal, da, db, n, err);
}

static int add_working(const juris_t *j, const char *from, int n, char out[11], ot_err_t *err)
{
    ot_day_t d, r;
    if (date_parse(from, &d))
        return ot_err(err, OT_EINTERNAL, "bad_date", NULL, "bad stored date '%s'", from);
    int rc = cal_add_working_days(j->cal, d, n, &r, err);
    if (!rc)
        date_format(r, out);
    return rc;
}

int sweep_alert_once(store_tx_t *tx, int64_t now, const char *key, const char *action,
                     const char *object_type, const char *object_id, int64_t appeal_id,
                     const char *tmpl, json_t *d, int64_t *notices, ot_err_t *err)
{
    int64_t told = 0;
    int rc = store_meta_get_int(tx, key, &told, err);
    if (rc || told)
        return rc;
    int64_t admins[MAX_SUPERVISORS];
    size_t n = 0;
    if ((rc = store_staff_with_role(tx, "admin", admins, MAX_SUPERVISORS, &n, err)) ||
        (rc = store_meta_set_int(tx, key, now, err)) ||
        (rc = audit_append(tx, now, "system", action, object_type, object_id, d, err)))
        return rc;
    char *text = json_out(d, NULL);
    if (!text)
        return ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
    for (size_t i = 0; !rc && i < n; i++) {
        rc = sweep_notify_user(tx, now, admins[i], appeal_id, tmpl, "ru", text, err);
        if (!rc && notices)
            (*notices)++;
    }
    free(text);
    return rc;
}

/* The same within a sweep (its clock, its count of notices). */
static int alert_admins_once(struct sweep_ctx *c, store_tx_t *tx, const char *key,
                             const char *action, const char *object_type, const char *object_id,
                             int64_t appeal_id, const char *tmpl, json_t *d, ot_err_t *err)
{
    return sweep_alert_once(tx, c->now, key, action, object_type, object_id, appeal_id, tmpl, d,
                            &c->rep->notices, err);
}

/* A body with no head account: its violations land on the head above, and every
 * administrator is told once per body. */
static int alert_no_head(struct sweep_ctx *c, store_tx_t *tx, const char *body,
                         const char *head_body, ot_err_t *err)
{
    char key[96];
    snprintf(key, sizeof key, "no_head_alerted:%s", body);
    json_t *d = json_pack("{s:s, s:s}", "body", body, "answering_body", head_body);
    int rc = alert_admins_once(c, tx, key, "body.no_head", "body", body, 0, "no_head", d, err);
    json_decref(d);
    return rc;
}

/* The facts of body this sweep needs, looked up on the first call for it and cached (a
 * full cache, or one that could not be allocated, answers from tmp). */
static int body_head(struct sweep_ctx *c, store_tx_t *tx, const char *body, body_head_t *tmp,
                     body_head_t **out, ot_err_t *err)
{
    for (size_t i = 0; i < c->n_heads; i++)
        if (!strcmp(c->heads[i].body, body)) {
            *out = &c->heads[i];
            return OT_OK;
        }
    body_info_t b;
    memset(tmp, 0, sizeof *tmp);
    snprintf(tmp->body, sizeof tmp->body, "%s", body);
    if (store_body_get(tx, body, &b, NULL) == OT_OK) {
        tmp->external = !strcmp(b.type, "external");
        snprintf(tmp->parent, sizeof tmp->parent, "%s", b.parent);
    }
    int rc = store_viol_head_of(tx, body, &tmp->head, tmp->head_body, err);
    if (rc)
        return rc;
    if (!c->heads)
        c->heads = malloc(MAX_BODY_HEADS * sizeof *c->heads);
    *out = tmp;
    if (c->heads && c->n_heads < MAX_BODY_HEADS) {
        c->heads[c->n_heads] = *tmp;
        *out = &c->heads[c->n_heads++];
    }
    return OT_OK;
}

/* Who answers for v: the executor; if none, the head of the body (assigning is his duty);
 * if the body has no head account, the head of the nearest body above that has one. */
static int find_responsible(struct sweep_ctx *c, store_tx_t *tx, viol_rec_t *v, ot_err_t *err)
{
    body_head_t tmp, *bh;
    int rc = body_head(c, tx, v->body, &tmp, &bh, err);
    if (rc)
        return rc;
    if (bh->external) {
        /* outside the akimat's discipline: recorded, and reported to the body's own
         * superior; nobody in the akimat answers for it */
        v->responsible = v->executor;
        snprintf(v->responsible_via, sizeof v->responsible_via, "%s",
                 v->executor ? "executor" : "");
        return OT_OK;
    }
    int above = bh->head_body[0] && strcmp(bh->head_body, v->body);
    int from_tree = !v->head;
    if (from_tree)
        v->head = bh->head;
    if (!strcmp(v->responsible_via, "approver")) {
        /* an answer given in time but held for the head's approval past the term: the one
         * who held it answers (the caller named him, or the head of the body) */
        if (!v->responsible)
            v->responsible = v->head;
    } else if (v->executor) {
        v->responsible = v->executor;
        snprintf(v->responsible_via, sizeof v->responsible_via, "executor");
    } else if (v->head) {
        v->responsible = v->head;
        snprintf(v->responsible_via, sizeof v->responsible_via, "%s",
                 from_tree && above ? "head_above" : "head");
    }
    if (above && !bh->alert_checked) {
        bh->alert_checked = 1;
        rc = alert_no_head(c, tx, v->body, bh->head_body, err);
    }
    return rc;
}

/* The "system" events `action` on the records object_type ids[i] that this sweep made,
 * with data ds[i] (freed here), appended in order in a few statements (store_event_append_many,
 * 64 rows a statement: the same chain and seals as one by one). same: the events leave their
 * records' rows as they are (an escalation, an alert): each carries its record's latest seal
 * on (store_event_append_same_many). */
struct made {
    chain_event_t *evs;
    char (*ids)[40];
    size_t n;
    int same;
};

static int made_add(struct made *m, size_t cap, int64_t at, const char *action,
                    const char *object_type, const char *object_id, json_t *d, ot_err_t *err)
{
    if (!m->evs) {
        m->evs = calloc(cap, sizeof *m->evs);
        m->ids = calloc(cap, sizeof *m->ids);
        if (!m->evs || !m->ids) {
            json_decref(d);
            return ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
        }
    }
    char *text = json_out(d, NULL);
    json_decref(d);
    if (!text)
        return ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
    snprintf(m->ids[m->n], sizeof m->ids[m->n], "%s", object_id);
    m->evs[m->n] = (chain_event_t){0, at, "system", action, object_type, m->ids[m->n], text, NULL};
    m->n++;
    return OT_OK;
}

static int made_flush(struct made *m, store_tx_t *tx, int rc, ot_err_t *err)
{
    if (!rc && m->n)
        rc = m->same ? store_event_append_same_many(tx, m->evs, m->n, err)
                     : store_event_append_many(tx, m->evs, m->n, err);
    for (size_t i = 0; i < m->n; i++)
        free((char *)m->evs[i].data);
    free(m->evs);
    free(m->ids);
    memset(m, 0, sizeof *m);
    return rc;
}

/* A violation's evidence: its appeal, the seqs of the appeal's audit events (the earliest, as
 * many as fit: registration, terms), the rule and the term, as
 * {"appeal":N,"events":[...],"rule":R,"term_on":T}. The seqs of a batch are read in one
 * statement (issue 23: one query per violation was a read per row of a first sweep's
 * 200,000). */
#define EVIDENCE_LIST_MAX (VIOL_EVIDENCE_MAX - 256) /* the list with its brackets and NUL */

struct evfill {
    struct sweep_ctx *c;
    size_t *idx;  /* batch index of the k-th appeal asked for */
    size_t *pre;  /* where its list starts in the evidence */
    size_t *used; /* the list's bytes so far; EVIDENCE_LIST_MAX: full, the later left out */
};

static int evidence_seq(size_t k, int64_t seq, void *arg)
{
    struct evfill *f = arg;
    char *list = f->c->batch[f->idx[k]].evidence + f->pre[k], num[24];
    int n = snprintf(num, sizeof num, "%s%lld", f->used[k] > 1 ? "," : "", (long long)seq);
    if (f->used[k] >= EVIDENCE_LIST_MAX)
        return 0;
    if (f->used[k] + (size_t)n + 2 >= EVIDENCE_LIST_MAX) {
        list[f->used[k]] = '\0'; /* where the list ends */
        f->used[k] = EVIDENCE_LIST_MAX;
        return 0;
    }
    memcpy(list + f->used[k], num, (size_t)n);
    f->used[k] += (size_t)n;
    return 0;
}

static int fill_evidence(struct sweep_ctx *c, store_tx_t *tx, ot_err_t *err)
{
    size_t n = 0;
    for (size_t i = 0; i < c->n_batch; i++)
        n += c->rules[i] != NULL;
    if (!n)
        return OT_OK;
    const char **nums = malloc(n * sizeof *nums);
    struct evfill f = {c, malloc(n * sizeof *f.idx), malloc(n * sizeof *f.pre),
                       malloc(n * sizeof *f.used)};
    int rc = nums && f.idx && f.pre && f.used
                 ? OT_OK
                 : ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
    for (size_t i = 0, k = 0; !rc && i < c->n_batch; i++) {
        viol_rec_t *v = &c->batch[i];
        if (!c->rules[i])
            continue;
        int p = snprintf(v->evidence, sizeof v->evidence,
                         "{\"appeal\":\"%s\",\"events\":", v->appeal_number);
        f.idx[k] = i;
        f.pre[k] = (size_t)p;
        f.used[k] = 1;
        v->evidence[p] = '[';
        nums[k++] = v->appeal_number;
    }
    if (!rc)
        rc = store_viol_event_seqs_many(tx, nums, n, evidence_seq, &f, err);
    for (size_t k = 0; !rc && k < n; k++) {
        viol_rec_t *v = &c->batch[f.idx[k]];
        char *list = v->evidence + f.pre[k];
        size_t used = f.used[k] < EVIDENCE_LIST_MAX ? f.used[k] : strlen(list);
        list[used++] = ']';
        snprintf(list + used, sizeof v->evidence - f.pre[k] - used,
                 ",\"rule\":\"%s\",\"term_on\":\"%s\"}", c->rules[f.idx[k]], v->term_on);
    }
    free(nums);
    free(f.idx);
    free(f.pre);
    free(f.used);
    return rc;
}

/* Inserts the queued violations (one statement) and appends the event of each one created,
 * in queue order. Their notices go out at the end of the run (finish_tx). */
static int flush_viols(struct sweep_ctx *c, store_tx_t *tx, ot_err_t *err)
{
    if (!c->n_batch)
        return OT_OK;
    struct made m = {0};
    int rc = fill_evidence(c, tx, err);
    if (!rc)
        rc = store_viol_insert_many(tx, c->batch, c->n_batch, err);
    for (size_t i = 0; !rc && i < c->n_batch; i++) {
        viol_rec_t *v = &c->batch[i];
        if (!v->id)
            continue;
        c->rep->violations++;
        char id[24];
        snprintf(id, sizeof id, "%lld", (long long)v->id);
        json_t *d =
            json_pack("{s:s, s:s, s:s, s:i, s:s, s:I, s:I, s:I, s:s, s:s}", "kind", v->kind,
                      "term_on", v->term_on, "detected_on", v->detected_on, "days_late",
                      v->days_late, "body", v->body, "executor", (json_int_t)v->executor, "head",
                      (json_int_t)v->head, "responsible", (json_int_t)v->responsible,
                      "responsible_via", v->responsible_via, "appeal", v->appeal_number);
        if (v->about_violation)
            json_object_set_new(d, "about_violation", json_integer(v->about_violation));
        rc = made_add(&m, c->n_batch, c->now, "violation.create", "violation", id, d, err);
    }
    rc = made_flush(&m, tx, rc, err);
    /* a violation already there (a late answer to an appeal found overdue before): its days
     * late are now the real ones, with an event, so that the chain still speaks for the
     * record (audit verify compares its row with the seal of its latest event) */
    for (size_t i = 0; !rc && i < c->n_batch; i++) {
        viol_rec_t *v = &c->batch[i];
        int64_t changed = 0;
        if (v->id || !c->set_days[i] ||
            (rc = store_viol_set_days(tx, v->appeal_id, v->kind, v->term_on, v->days_late, &changed,
                                      err)) ||
            !changed)
            continue;
        char id[24];
        snprintf(id, sizeof id, "%lld", (long long)changed);
        json_t *d = json_pack("{s:i}", "days_late", v->days_late);
        rc = audit_append(tx, c->now, "system", "violation.days_late", "violation", id, d, err);
        json_decref(d);
    }
    c->n_batch = 0;
    return rc;
}

/* Queues violation v (recorded unless it exists, by flush_viols); set_days: if it exists,
 * its days_late is set to v's; rule: its evidence is its appeal's events and this rule (read
 * at the flush), NULL: v's own. */
static int record(struct sweep_ctx *c, store_tx_t *tx, viol_rec_t *v, const char *number,
                  int set_days, const char *rule, ot_err_t *err)
{
    int rc;
    if ((rc = find_responsible(c, tx, v, err)))
        return rc;
    if (!c->batch && !(c->batch = malloc(VIOL_BATCH * sizeof *c->batch)))
        return ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
    v->created_at = c->now;
    snprintf(v->appeal_number, sizeof v->appeal_number, "%s", number ? number : "");
    c->set_days[c->n_batch] = (unsigned char)set_days;
    c->rules[c->n_batch] = rule;
    c->batch[c->n_batch++] = *v;
    return c->n_batch == VIOL_BATCH ? flush_viols(c, tx, err) : OT_OK;
}

/* Puts the overdue appeals rows[0..n) in the control queue (one statement) and appends the
 * event of each one put there. The supervisors' notice goes out at the end of the run. */
static int escalate_many(struct sweep_ctx *c, store_tx_t *tx, const sweep_row_t *rows, size_t n,
                         ot_err_t *err)
{
    if (!n)
        return OT_OK;
    struct made m = {.same = 1}; /* the queue row is not part of the appeal */
    int64_t *ids = malloc(n * sizeof *ids);
    unsigned char *created = malloc(n);
    int rc = ids && created ? OT_OK : ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
    for (size_t i = 0; !rc && i < n; i++)
        ids[i] = rows[i].id;
    if (!rc)
        rc = store_control_add_many(tx, ids, n, "overdue", c->now, created, err);
    for (size_t i = 0; !rc && i < n; i++) {
        if (!created[i])
            continue;
        c->rep->escalations++;
        const sweep_row_t *r = &rows[i];
        json_t *d =
            json_pack("{s:s, s:s, s:s}", "reason", "overdue", "due_on", r->due_on, "body", r->body);
        rc = made_add(&m, n, c->now, "appeal.escalate", "appeal", r->number, d, err);
    }
    rc = made_flush(&m, tx, rc, err);
    free(ids);
    free(created);
    return rc;
}

/* The watermarks of the scans by due date (issue 23: a steady sweep reads what became due
 * since the last one): a day, kept in meta as the integer YYYYMMDD, 0 for none. */
static int day_mark_get(store_tx_t *tx, const char *key, char out[11], ot_err_t *err)
{
    int64_t v = 0;
    int rc = store_meta_get_int(tx, key, &v, err);
    out[0] = '\0';
    if (!rc && v > 0) {
        char day[24];
        snprintf(day, sizeof day, "%04d-%02d-%02d", (int)(v / 10000 % 10000), (int)(v / 100 % 100),
                 (int)(v % 100));
        snprintf(out, 11, "%.10s", day);
    }
    return rc;
}

static int day_mark_set(store_tx_t *tx, const char *key, const char *day, ot_err_t *err)
{
    int y = 0, m = 0, d = 0;
    if (sscanf(day, "%4d-%2d-%2d", &y, &m, &d) != 3)
        return ot_err(err, OT_EINTERNAL, "bad_date", NULL, "bad watermark day '%s'", day);
    return store_meta_set_int(tx, key, (int64_t)y * 10000 + m * 100 + d, err);
}

/* ==== Terms that passed ==== */

#define ESCALATE_BATCH 4096

/* A first sweep over a backlog judges the overdue appeals in chunks of about OVERDUE_CHUNK,
 * one transaction each (sweep_run), whole due dates at a time, the watermark advanced with
 * each chunk's rows: the WAL and the transaction stay bounded, and a sweep stopped between
 * two chunks goes on from the mark. */
#define OVERDUE_CHUNK 20000

/* The chunk of the policy (--chunk), or OVERDUE_CHUNK. */
static int64_t chunk_of(const viol_policy_t *p)
{
    return p && p->chunk > 0 ? p->chunk : OVERDUE_CHUNK;
}

/* Where the overdue scan of one jurisdiction is, between its chunks. */
struct overdue_run {
    int started, done;
    char cursor[11]; /* the next chunk reads the appeals due from this day */
    char next[11];   /* the mark at the end: today, or the first due date not late yet */
};

static int day_after(const char *day, char out[11], ot_err_t *err)
{
    ot_day_t d;
    if (date_parse(day, &d))
        return ot_err(err, OT_EINTERNAL, "bad_date", NULL, "bad stored date '%s'", day);
    date_format(d + 1, out);
    return OT_OK;
}

/* One chunk: the open appeals due from o->cursor, up to the due date of the OVERDUE_CHUNK-th
 * (or today); the first chunk also reads the appeals due before the mark that an event
 * after c->touched speaks of. */
static int sweep_overdue(struct sweep_ctx *c, store_tx_t *tx, const juris_t *j, const char *today,
                         struct overdue_run *o, ot_err_t *err)
{
    sweep_row_t *rows = NULL;
    size_t n = 0, late = 0, escalated = 0;
    /* every open appeal due before the mark has been judged: it has its violation, or it was
     * not late yet (the mark stays at the first of those), or it changed since (an event) */
    char key[96], upto[11], bound[11];
    snprintf(key, sizeof key, "sweep.overdue_from:%s", j->code);
    int64_t touched = c->touched;
    int rc = OT_OK;
    if (!o->started) {
        char from[11];
        rc = day_mark_get(tx, key, from, err);
        snprintf(o->cursor, sizeof o->cursor, "%s", from);
        snprintf(o->next, sizeof o->next, "%s", strcmp(from, today) > 0 ? from : today);
        o->started = 1;
    } else
        touched = INT64_MAX; /* read by the first chunk */
    if (!rc)
        rc = store_sweep_overdue_bound(tx, j->code, o->cursor, today, chunk_of(c->p), bound, err);
    snprintf(upto, sizeof upto, "%s", today);
    if (!rc && bound[0])
        rc = day_after(bound, upto, err);
    if (!rc && strcmp(upto, today) >= 0) {
        snprintf(upto, sizeof upto, "%s", today);
        o->done = 1;
    }
    if (!rc)
        rc = store_sweep_overdue(tx, j->code, upto, o->cursor, touched, &rows, &n, err);
    c->rep->scanned_overdue += rc ? 0 : (int64_t)n;
    for (size_t i = 0; !rc && i < n; i++) {
        sweep_row_t *r = &rows[i];
        int days;
        if ((rc = working_between(j, r->due_on, today, &days, err)))
            break;
        if (days < 1) { /* the term ran out on a day off: late from the next working day */
            if (strcmp(r->due_on, o->next) < 0)
                snprintf(o->next, sizeof o->next, "%s", r->due_on);
            continue;
        }
        viol_rec_t v;
        memset(&v, 0, sizeof v);
        v.appeal_id = r->id;
        snprintf(v.kind, sizeof v.kind, "%s",
                 strcmp(r->kind, "complaint") ? "late_answer" : "late_complaint");
        snprintf(v.term_on, sizeof v.term_on, "%s", r->due_on);
        snprintf(v.detected_on, sizeof v.detected_on, "%s", today);
        snprintf(v.body, sizeof v.body, "%s", r->body);
        v.days_late = days;
        v.executor = r->executor;
        /* r->extra: the day an answer now awaiting the head's approval was given */
        if (r->extra[0] && strcmp(r->extra, r->due_on) <= 0)
            snprintf(v.responsible_via, sizeof v.responsible_via, "approver");
        rc = record(c, tx, &v, r->number, 0,
                    "АППК art. 76 / complaints art. 99-100: no decision by the due date", err);
        rows[late++] = *r; /* each late one is escalated, below */
    }
    if (!rc)
        rc = flush_viols(c, tx, err);
    /* the mark: the end of this chunk, or, at the last, today (or the first not late) */
    if (!rc)
        rc = day_mark_set(tx, key, o->done || strcmp(o->next, upto) < 0 ? o->next : upto, err);
    for (; !rc && escalated < late; escalated += ESCALATE_BATCH)
        rc = escalate_many(c, tx, rows + escalated,
                           late - escalated < ESCALATE_BATCH ? late - escalated : ESCALATE_BATCH,
                           err);
    snprintf(o->cursor, sizeof o->cursor, "%s", upto);
    free(rows);
    return rc;
}

/* The extension notice is queued by the system at the moment of the extension: still not
 * delivered after the notice term, it is a failure of our delivery (no channel configured, a
 * channel refusing), not of the executor. An operations alert, once per appeal: an event
 * and a notice to every administrator; never a violation.
 *
 * Set-based (issue 23: a first sweep over the 1M demo raises 40,434 of them, and made each
 * with its own look-ups, event and seal): the alerts of a batch get their meta keys, then
 * their events (store_event_append_many: the same chain and seals as one by one), in the
 * same order as one by one; their notice goes out at the end of main_tx (tell_once). */
#define ALERT_BATCH 4096

struct undelivered {
    size_t row; /* in the scan */
    char term_on[11];
    int days;
};

static int alert_undelivered(struct sweep_ctx *c, store_tx_t *tx, const ext_notice_t *rows,
                             const struct undelivered *u, size_t n, ot_err_t *err)
{
    struct made m = {.same = 1};
    char(*keys)[80] = malloc((n ? n : 1) * 80);
    const char **key_ptrs = malloc((n ? n : 1) * sizeof *key_ptrs);
    int rc = keys && key_ptrs ? OT_OK : ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
    for (size_t k = 0; !rc && k < n; k++) {
        const sweep_row_t *r = &rows[u[k].row].a;
        snprintf(keys[k], 80, "notice_undelivered:%s", r->number);
        key_ptrs[k] = keys[k];
        json_t *d = json_pack("{s:s, s:s, s:i, s:s}", "number", r->number, "term_on", u[k].term_on,
                              "days_late", u[k].days, "notice", "extended");
        if (!c->n_alerts++) {
            c->alert_appeal = r->id;
            if (!(c->alert_data = json_out(d, NULL)))
                rc = ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
        }
        if (!rc)
            rc = made_add(&m, n, c->now, "notice.undelivered", "appeal", r->number, d, err);
        else
            json_decref(d);
    }
    /* the keys, then the events, in one statement each (issue 23: 40,434 alerts on a first
     * sweep over the 1M demo), in the order one by one had them; the administrators' notice
     * goes out at the end of the transaction, one for all of them (tell_once) */
    if (!rc)
        rc = store_meta_set_int_many(tx, key_ptrs, n, c->now, err);
    rc = made_flush(&m, tx, rc, err);
    free(keys);
    free(key_ptrs);
    return rc;
}

/* How old an undelivered notice must be before the watermark may pass it: by then any write
 * that took a smaller outbox id has committed (PostgreSQL hands ids out before the commit) */
#define EXT_SETTLE_US (24LL * 3600 * 1000000)

struct numref {
    const char *number;
    size_t row;
};

static int numref_cmp(const void *x, const void *y)
{
    const struct numref *a = x, *b = y;
    int d = strcmp(a->number, b->number);
    return d ? d : (a->row > b->row) - (a->row < b->row);
}

/* The notices are read after a watermark (sweep.ext_notices_after:JURIS, an outbox id):
 * every undelivered extension notice at or before it is judged for good (its alert raised,
 * or no notice term for its kind), and only the ones after it are read. The mark stops
 * before the first one not late yet, or queued less than EXT_SETTLE_US ago. */
static int sweep_ext_notices(struct sweep_ctx *c, store_tx_t *tx, const juris_t *j,
                             const char *today, ot_err_t *err)
{
    char mark_key[96];
    snprintf(mark_key, sizeof mark_key, "sweep.ext_notices_after:%s", j->code);
    int64_t after = 0, block = 0, max_id = 0;
    ext_notice_t *rows = NULL;
    size_t n = 0, na = 0;
    int rc = store_meta_get_int(tx, mark_key, &after, err);
    if (!rc)
        rc = store_sweep_ext_notices(tx, j->code, after, &rows, &n, err);
    /* an appeal with several undelivered notices is alerted at its first (in scan order) */
    unsigned char *later = calloc(n ? n : 1, 1);
    struct numref *ix = malloc((n ? n : 1) * sizeof *ix);
    struct undelivered *u = malloc((n ? n : 1) * sizeof *u);
    if (!rc && (!later || !ix || !u))
        rc = ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
    for (size_t i = 0; !rc && i < n; i++)
        ix[i] = (struct numref){rows[i].a.number, i};
    if (!rc && n > 1) {
        qsort(ix, n, sizeof *ix, numref_cmp);
        for (size_t i = 1; i < n; i++)
            later[ix[i].row] = !strcmp(ix[i].number, ix[i - 1].number);
    }
    for (size_t i = 0; !rc && i < n; i++) {
        const ext_notice_t *x = &rows[i];
        const sweep_row_t *r = &x->a;
        int final = 1, days = 0;
        char term_on[11];
        /* the applicant is told within the jurisdiction's notice term (terms.txt
         * extension_notice: KZ АППК art. 76, 3 working days); without one, no such breach */
        const policy_kind_t *k = policy_find_kind(j->policy, r->kind);
        if (k && k->extension_notice.set && k->extension_notice.unit == POLICY_WORKING_DAYS) {
            if ((rc = add_working(j, r->extra, (int)k->extension_notice.value, term_on, err)) ||
                (rc = working_between(j, term_on, today, &days, err)))
                break;
            final = days >= 1;
            if (final && !later[i]) {
                u[na].row = i;
                snprintf(u[na].term_on, sizeof u[na].term_on, "%s", term_on);
                u[na++].days = days;
            }
        }
        if (x->queued_at >= c->now - EXT_SETTLE_US)
            final = 0;
        if (!final && (!block || x->outbox_id < block))
            block = x->outbox_id;
        if (x->outbox_id > max_id)
            max_id = x->outbox_id;
    }
    for (size_t k = 0; !rc && k < na; k += ALERT_BATCH)
        rc =
            alert_undelivered(c, tx, rows, u + k, na - k < ALERT_BATCH ? na - k : ALERT_BATCH, err);
    int64_t mark = block ? block - 1 : n ? max_id : after;
    if (!rc && mark > after)
        rc = store_meta_set_int(tx, mark_key, mark, err);
    free(rows);
    free(later);
    free(ix);
    free(u);
    return rc;
}

/* Applicants' notices still undelivered after the notice term (terms.txt extension_notice of
 * the default jurisdiction: KZ 3 working days; 3 without one) with no other way to them (no
 * channel configured, a channel down): one operations alert per sweep that finds any, for
 * all of them (a server without SMTP must not send one alert per notice), counted once
 * (the watermark sweep.notices_checked). Failed ones the worker has alerted already. */
static int sweep_stuck_notices(struct sweep_ctx *c, store_tx_t *tx, ot_err_t *err)
{
    const juris_t *j = svc_juris(c->svc, NULL);
    if (!j)
        return OT_OK;
    const policy_kind_t *k = policy_kind_at(j->policy, 0);
    int term = k && k->extension_notice.set && k->extension_notice.unit == POLICY_WORKING_DAYS
                   ? (int)k->extension_notice.value
                   : 3;
    int off = cal_utc_offset_min(j->cal);
    ot_day_t day = instant_local_day(c->now, off);
    /* the day `term` working days before today: a notice queued before it is late today */
    for (int n = 0, guard = 0; n < term && guard < 400; guard++)
        n += cal_is_working(j->cal, --day) == 1;
    int64_t after = 0, count = 0, last = 0;
    char numbers[1024];
    int rc = store_meta_get_int(tx, "sweep.notices_checked", &after, err);
    if (!rc)
        rc = store_outbox_stuck(tx, after, instant_from_local(day, 0, off), &count, numbers,
                                sizeof numbers, &last, err);
    if (rc || last == after)
        return rc;
    if (count) {
        char key[64], id[24], on[11];
        snprintf(key, sizeof key, "notices_stuck:%lld", (long long)last);
        snprintf(id, sizeof id, "%lld", (long long)last);
        date_format(day, on);
        json_t *d = json_pack("{s:I, s:s, s:s, s:i}", "count", (json_int_t)count, "numbers",
                              numbers, "queued_before", on, "term_working_days", term);
        rc = alert_admins_once(c, tx, key, "notice.undelivered", "outbox", id, 0, "notices_stuck",
                               d, err);
        json_decref(d);
    }
    return rc ? rc : store_meta_set_int(tx, "sweep.notices_checked", last, err);
}

/* ==== Reminders ==== */

static int sweep_reminders(struct sweep_ctx *c, store_tx_t *tx, const juris_t *j, const char *today,
                           ot_err_t *err)
{
    int rc = OT_OK;
    /* reminder d covers the appeals due in (today + next smaller reminder, today + d] working
     * days (viol_reminder_due); one set-based statement per band */
    for (int i = 0; !rc && i < c->p->n_reminders; i++) {
        int d = c->p->reminders[i];
        int lo_n = i + 1 < c->p->n_reminders ? c->p->reminders[i + 1] : 0;
        char lo[11], hi[11], key[96], seen[11];
        size_t before = c->reminded.n;
        snprintf(lo, sizeof lo, "%s", today);
        /* the band's appeals due up to `seen` were looked at by an earlier sweep with this
         * band (a clock set back looks at the whole band again) */
        snprintf(key, sizeof key, "sweep.remind_seen:%s:%d:%d", j->code, d, lo_n);
        if ((lo_n && (rc = add_working(j, today, lo_n, lo, err))) ||
            (rc = add_working(j, today, d, hi, err)) || (rc = day_mark_get(tx, key, seen, err)))
            break;
        if (strcmp(seen, hi) > 0)
            seen[0] = '\0';
        if ((rc = store_sweep_remind_all(tx, j->code, lo, hi, seen, c->touched, d, c->now,
                                         &c->reminded, err)) ||
            (rc = day_mark_set(tx, key, hi, err)))
            break;
        c->rep->reminders += (int64_t)(c->reminded.n - before);
    }
    return rc;
}

/* ==== Events: late answers and forwards, control dates, assignments ==== */

/* The term a forward event (d) missed, as the event records it; an event from before it did,
 * the appeal's own (forward_by): a term the forward restarted is the new body's, not the
 * missed one. "" when there is none. */
static const char *forward_missed(const json_t *d, const char *forward_by)
{
    const char *term = json_string_value(json_object_get(d, "forward_by"));
    return term ? term : forward_by;
}

static int on_event(struct sweep_ctx *c, store_tx_t *tx, const sweep_event_t *e, ot_err_t *err)
{
    json_t *d = json_loads(e->data, 0, NULL);
    /* the appeal as it is now, read with the event */
    struct {
        int64_t id, executor;
        const char *number, *kind, *jurisdiction, *language, *answered_on, *due_on, *forward_by,
            *body, *receiving_body;
    } a = {e->appeal_id,   e->executor, e->object_id,  e->kind, e->jurisdiction,  e->language,
           e->answered_on, e->due_on,   e->forward_by, e->body, e->receiving_body};
    int rc = OT_OK;
    if (!a.id || !d)
        goto out;
    const juris_t *j = svc_juris(c->svc, a.jurisdiction);
    if (!j)
        goto out;
    int64_t actor = user_of_actor(e->actor);
    viol_rec_t v;
    memset(&v, 0, sizeof v);
    int created, days;
    int approve = !strcmp(e->action, "appeal.approve");
    if ((approve || !strcmp(e->action, "appeal.answer")) &&
        json_is_false(json_object_get(d, "on_time")) && a.answered_on[0]) {
        const char *kind = strcmp(a.kind, "complaint") ? "late_answer" : "late_complaint";
        if ((rc = working_between(j, a.due_on, a.answered_on, &days, err)))
            goto out;
        if (days < 1)
            days = 1;
        v.appeal_id = a.id;
        snprintf(v.kind, sizeof v.kind, "%s", kind);
        snprintf(v.term_on, sizeof v.term_on, "%s", a.due_on);
        snprintf(v.detected_on, sizeof v.detected_on, "%s", a.answered_on);
        snprintf(v.body, sizeof v.body, "%s", a.body);
        v.days_late = days;
        v.executor = a.executor ? a.executor : actor;
        /* the term is judged by the release: an answer given in time and released late by
         * the head who had to approve it is his lateness */
        if (approve && json_is_true(json_object_get(d, "submitted_on_time"))) {
            v.responsible = actor;
            snprintf(v.responsible_via, sizeof v.responsible_via, "approver");
        }
        rc =
            record(c, tx, &v, a.number, 1,
                   approve ? "АППК art. 76: the answer released to the applicant after the due date"
                           : "АППК art. 76: answered after the due date",
                   err);
    } else if (!strcmp(e->action, "appeal.forward") &&
               json_is_false(json_object_get(d, "within_term")) &&
               *forward_missed(d, a.forward_by)) {
        const char *from = json_string_value(json_object_get(d, "from"));
        const char *term = forward_missed(d, a.forward_by);
        char on[11];
        date_format(instant_local_day(e->at, cal_utc_offset_min(j->cal)), on);
        if ((rc = working_between(j, term, on, &days, err)))
            goto out;
        v.appeal_id = a.id;
        snprintf(v.kind, sizeof v.kind, "late_forward");
        snprintf(v.term_on, sizeof v.term_on, "%s", term);
        snprintf(v.detected_on, sizeof v.detected_on, "%s", on);
        snprintf(v.body, sizeof v.body, "%s", from ? from : a.receiving_body);
        v.days_late = days < 1 ? 1 : days;
        v.executor = actor;
        rc = record(c, tx, &v, a.number, 0,
                    "АППК art. 65: forward within 3 working days of receipt", err);
    } else if (!strcmp(e->action, "appeal.control")) {
        const char *on = json_string_value(json_object_get(d, "control_on"));
        rc = store_control_add(tx, a.id,
                               json_is_true(json_object_get(d, "personal")) ? "akim" : "supervisor",
                               e->at, on, actor, &created, err);
        /* the executor and the head are told at the end of the run, while the appeal is
         * open (store_control_notify_new) */
        c->rep->escalations += !rc && created;
    }
out:
    json_decref(d);
    return rc;
}

/* The watermark "sweep.event_seq" assumes events become visible in seq order: true on
 * SQLite, where one writer appends the chain inside its write transaction and the sweep
 * runs in a write transaction too. On PostgreSQL with concurrent writers a smaller seq can
 * commit after a larger one is seen; there the scan must stay behind the oldest open
 * writer (or re-read a margin and rely on the UNIQUE keys, which make replays harmless). */
#define EVENT_PAGE    4096   /* events read at a time: the first sweep's memory stays flat */
#define EVENT_TX_SPAN 250000 /* events followed per transaction over a backlog (sweep_run) */

/* The events after the mark, up to seq `limit` (0: all). */
static int sweep_events(struct sweep_ctx *c, store_tx_t *tx, int64_t limit, ot_err_t *err)
{
    int64_t mark = 0, upto = 0, notices = 0;
    int rc = store_meta_get_int(tx, "sweep.event_seq", &mark, err);
    if (!rc)
        rc = store_event_last_seq(tx, &upto, err);
    if (limit && upto > limit)
        upto = limit;
    if (rc || upto <= mark)
        return rc;
    /* assignments: their notices in one statement, for every event not yet looked at (its
     * own watermark sweep.assign_seq, at most the last event: over a backlog followed in
     * spans, the first span does them all, from the open appeals) */
    int64_t amark = 0, last = 0;
    rc = store_meta_get_int(tx, "sweep.assign_seq", &amark, err);
    if (!rc && amark < mark)
        amark = mark; /* a database swept before the watermark existed */
    if (!rc)
        rc = store_event_last_seq(tx, &last, err);
    if (!rc && amark < last) {
        rc = store_sweep_assign_notices(tx, amark, last, last - amark > EVENT_TX_SPAN, c->now,
                                        &notices, err);
        c->rep->notices += notices;
        if (!rc)
            rc = store_meta_set_int(tx, "sweep.assign_seq", last, err);
    }
    /* the rest, page by page */
    for (int64_t after = mark; !rc;) {
        sweep_event_t *evs;
        size_t n;
        if ((rc = store_sweep_events(tx, after, upto, EVENT_PAGE, &evs, &n, err)))
            break;
        for (size_t i = 0; !rc && i < n; i++)
            rc = on_event(c, tx, &evs[i], err);
        c->rep->scanned_events += (int64_t)n;
        if (n)
            after = evs[n - 1].seq;
        store_sweep_events_free(evs, n);
        if (n < EVENT_PAGE)
            break;
    }
    if (!rc)
        rc = flush_viols(c, tx, err);
    if (!rc)
        rc = store_meta_set_int(tx, "sweep.event_seq", upto, err);
    return rc;
}

/* ==== Discipline: proceedings not started; the repeat rule ==== */

/* The reviewer of violation o: the head of the nearest body above o's body that has one,
 * set as v's executor, head and body; else o's own head and body. */
static int reviewer_of(struct sweep_ctx *c, store_tx_t *tx, const unstarted_t *o, viol_rec_t *v,
                       ot_err_t *err)
{
    body_head_t tmp, *own, *up = NULL;
    int rc = body_head(c, tx, o->body, &tmp, &own, err);
    char parent[64];
    if (!rc && own->parent[0]) {
        snprintf(parent, sizeof parent, "%s", own->parent); /* tmp may be reused below */
        rc = body_head(c, tx, parent, &tmp, &up, err);
    }
    if (rc)
        return rc;
    int64_t head = up ? up->head : 0;
    v->executor = v->head = head ? head : o->head;
    snprintf(v->body, sizeof v->body, "%s", head ? up->head_body : o->body);
    return OT_OK;
}

#define UNSTARTED_PAGE 2048

/* Where the rule's walk stopped: every open violation before (sweep.unstarted_at,
 * sweep.unstarted_id) in the order (created_at, id) has its no_proceedings violation, or was
 * of an external body, or left `open`, which none comes back to; so a sweep reads only the
 * violations whose term may have passed since, not every open one again (each steady sweep
 * read every open violation: 130,767 after a first sweep over the 1M demo, 1.2 s of CPU).
 * sweep.unstarted_seen is the largest violation id when the mark was set: one recorded
 * after it with an earlier time (a sweep run with --now in the past) takes the mark back. */
static int unstarted_mark(store_tx_t *tx, int64_t *at, int64_t *id, int64_t *seen, ot_err_t *err)
{
    int64_t min_at;
    int rc = store_meta_get_int(tx, "sweep.unstarted_at", at, err);
    if (!rc)
        rc = store_meta_get_int(tx, "sweep.unstarted_id", id, err);
    if (!rc)
        rc = store_meta_get_int(tx, "sweep.unstarted_seen", seen, err);
    if (!rc)
        rc = store_sweep_unstarted_since(tx, *seen, seen, &min_at, err);
    if (!rc && min_at < *at) {
        *at = min_at;
        *id = 0;
    }
    return rc;
}

static int sweep_unstarted(struct sweep_ctx *c, store_tx_t *tx, ot_err_t *err)
{
    const juris_t *j = svc_juris(c->svc, NULL);
    char today[11];
    int off = cal_utc_offset_min(j->cal);
    ot_day_t t = instant_local_day(c->now, off);
    date_format(t, today);
    unstarted_t *vs;
    size_t n;
    /* the N working days run from the day the violation was detected, or from the day it
     * was recorded when that is later (a reviewer can act only on what is on record: a
     * first sweep over a backlog records violations of months ago today). N working days are
     * at least N calendar days: only violations recorded before today - N can have a passed
     * term (and they were detected no later), and the rest are not read at all */
    int64_t before_us = instant_from_local(t - c->p->proceedings_days, 0, off);
    int64_t at, id, seen;
    int rc = unstarted_mark(tx, &at, &id, &seen, err);
    /* the first one whose term has not passed yet: the next walk starts there */
    int64_t stop_at = before_us > at ? before_us : at, stop_id = before_us > at ? 0 : id;
    int stopped = 0;
    /* a page at a time (a first sweep over a backlog finds hundreds of thousands, 6 KB each) */
    while (!rc) {
        if ((rc = store_sweep_unstarted(tx, before_us, at, id, UNSTARTED_PAGE, &vs, &n, err)))
            break;
        for (size_t i = 0; !rc && i < n; i++) {
            const unstarted_t *o = &vs[i];
            viol_rec_t v;
            int days;
            at = o->created_at;
            id = o->id + 1;
            memset(&v, 0, sizeof v);
            char recorded[11];
            date_format(instant_local_day(o->created_at, off), recorded);
            const char *from = strcmp(recorded, o->detected_on) > 0 ? recorded : o->detected_on;
            if ((rc = add_working(j, from, c->p->proceedings_days, v.term_on, err)) ||
                (rc = working_between(j, v.term_on, today, &days, err)))
                break;
            if (days < 1) {
                if (!stopped) {
                    stopped = 1;
                    stop_at = o->created_at;
                    stop_id = o->id;
                }
                continue;
            }
            snprintf(v.kind, sizeof v.kind, "no_proceedings");
            snprintf(v.detected_on, sizeof v.detected_on, "%s", today);
            v.days_late = days;
            /* the one who had to act: the reviewer, i.e. the head of the nearest body above
             * (nobody judges their own case); at the top of the tree, the body's own head */
            if ((rc = reviewer_of(c, tx, o, &v, err)))
                break;
            v.about_violation = o->id;
            snprintf(v.evidence, sizeof v.evidence,
                     "{\"about_violation\":%lld,\"appeal\":\"%s\",\"detected_on\":\"%s\","
                     "\"proceedings_days\":%d,\"recorded_on\":\"%s\",\"rule\":\"accountability "
                     "policy: proceedings within N working days of the violation's detection, or "
                     "of its record when later\",\"term_on\":\"%s\"}",
                     (long long)o->id, o->appeal_number, o->detected_on, c->p->proceedings_days,
                     recorded, v.term_on);
            rc = record(c, tx, &v, o->appeal_number, 0, NULL, err);
        }
        free(vs);
        if (n < UNSTARTED_PAGE)
            break;
    }
    if (!rc)
        rc = store_meta_set_int(tx, "sweep.unstarted_at", stop_at, err);
    if (!rc)
        rc = store_meta_set_int(tx, "sweep.unstarted_id", stop_id, err);
    if (!rc)
        rc = store_meta_set_int(tx, "sweep.unstarted_seen", seen, err);
    return rc ? rc : flush_viols(c, tx, err);
}

static json_t *viol_brief(const repeat_side_t *v)
{
    return json_pack("{s:I, s:s, s:s, s:s, s:i, s:s, s:o, s:o}", "id", (json_int_t)v->id, "kind",
                     v->kind, "appeal", v->appeal_number, "term_on", v->term_on, "days_late",
                     v->days_late, "status", v->status, "penalty",
                     v->penalty[0] ? json_string(v->penalty) : json_null(), "penalty_on",
                     v->penalty_on[0] ? json_string(v->penalty_on) : json_null());
}

/* The window of the repeat rule: the option, else the jurisdiction's repeat_window, else
 * VIOL_REPEAT_MONTHS. */
static int repeat_months(const struct sweep_ctx *c)
{
    if (c->p->repeat_months > 0)
        return c->p->repeat_months;
    const juris_t *j = svc_juris(c->svc, NULL);
    const policy_kind_t *k = j ? policy_kind_at(j->policy, 0) : NULL;
    if (k && k->repeat_window.set && k->repeat_window.unit == POLICY_MONTHS)
        return k->repeat_window.value;
    return VIOL_REPEAT_MONTHS;
}

#define FLAG_BATCH 2048

/* Inserts the queued flags (one statement) and appends the event of each one created, in
 * order (their notices go at the end of sweep_repeats). es[i] is flag i's event data
 * (freed). */
static int flush_flags(struct sweep_ctx *c, store_tx_t *tx, flag_rec_t *fs, json_t **es, size_t n,
                       ot_err_t *err)
{
    struct made m = {0};
    int rc = store_flag_insert_many(tx, fs, n, err);
    for (size_t i = 0; i < n; i++) {
        if (rc || !fs[i].id) {
            json_decref(es[i]);
            continue;
        }
        c->rep->flags++;
        char id[24];
        snprintf(id, sizeof id, "%lld", (long long)fs[i].id);
        json_object_set_new(es[i], "body", json_string(fs[i].body));
        json_object_set_new(es[i], "head", json_integer(fs[i].head));
        rc = made_add(&m, n, c->now, "head.flag", "head_flag", id, es[i], err);
    }
    return made_flush(&m, tx, rc, err);
}

#define REPEAT_PAGE 4096

/* One chunk of the repeat rule: about chunk_of() pairs of violations not yet looked at, in
 * pages, their flags made, the mark sweep.repeats_after advanced past them; *done when none is
 * left. The flags' notices go out at the end of the sweep (finish_tx), for every flag made
 * since the sweep began. */
static int sweep_repeats(struct sweep_ctx *c, store_tx_t *tx, int *done, ot_err_t *err)
{
    int months = repeat_months(c);
    size_t nf = 0;
    int64_t after = 0, max_id = 0, from = 0;
    /* each violation is looked at once, in the sweep that made it */
    int rc = store_meta_get_int(tx, "sweep.repeats_after", &after, err);
    flag_rec_t *fs = malloc(FLAG_BATCH * sizeof *fs);
    json_t *es[FLAG_BATCH];
    if (!rc && !fs)
        rc = ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
    *done = 0;
    from = after;
    /* a page of pairs at a time (a first sweep over a backlog pairs hundreds of thousands) */
    int64_t chunk = chunk_of(c->p), page_size = chunk < REPEAT_PAGE ? chunk : REPEAT_PAGE;
    for (int64_t page = 0; !rc; page++) {
        repeat_pair_t *ps = NULL;
        size_t n = 0;
        int64_t pmax = 0;
        if (page * page_size >= chunk)
            break;
        if ((rc = store_sweep_repeats(tx, from, (size_t)page_size, &ps, &n, &pmax, err)))
            break;
        if (!page)
            max_id = pmax; /* the largest id when this chunk began */
        for (size_t i = 0; !rc && i < n; i++) {
            ot_day_t t, pt;
            const repeat_side_t *v = &ps[i].v, *prior = &ps[i].prior;
            from = v->id;
            if (date_parse(v->term_on, &t) || date_parse(prior->term_on, &pt) ||
                !viol_is_repeat(pt, t, months))
                continue;
            flag_rec_t *f = &fs[nf];
            memset(f, 0, sizeof *f);
            snprintf(f->body, sizeof f->body, "%s", v->body);
            f->head = v->head;
            f->violation_id = v->id;
            f->prior_violation_id = prior->id;
            f->created_at = c->now;
            json_t *e =
                json_pack("{s:o, s:o, s:i, s:s}", "violation", viol_brief(v), "prior",
                          viol_brief(prior), "window_months", months, "rule",
                          "a second violation within the window, the first not dismissed by "
                          "its reviewer: personal responsibility of the head");
            char *text = json_out(e, NULL);
            snprintf(f->evidence, sizeof f->evidence, "%s", text ? text : "{}");
            free(text);
            json_decref(e);
            /* the event names the two violations; the evidence is the flag's own, which the
             * event's seal covers (issue 23: written twice, it was a quarter of what a first
             * sweep over a backlog wrote) */
            es[nf++] = json_pack("{s:I, s:I, s:i}", "violation", (json_int_t)v->id, "prior",
                                 (json_int_t)prior->id, "window_months", months);
            if (nf == FLAG_BATCH) {
                rc = flush_flags(c, tx, fs, es, nf, err);
                nf = 0; /* flush_flags freed es[] */
            }
        }
        free(ps);
        if ((int64_t)n < page_size)
            *done = 1;
        if (*done)
            break;
    }
    if (nf && !rc)
        rc = flush_flags(c, tx, fs, es, nf, err);
    else
        for (size_t i = 0; i < nf; i++)
            json_decref(es[i]);
    free(fs);
    /* done: every violation up to the largest there was is looked at; else up to the last
     * one read (the next chunk goes on after it) */
    int64_t mark = *done ? max_id : from;
    if (!rc && mark > after)
        rc = store_meta_set_int(tx, "sweep.repeats_after", mark, err);
    return rc;
}

/* A sweep is a sequence of transactions (issue 23: a first sweep over the 1M demo's backlog
 * wrote 1.8M rows in one): the events in spans, the overdue appeals in chunks, the rest,
 * the repeat rule in chunks, and the end. Each advances the watermarks of what it did, so a
 * sweep stopped anywhere (killed, the role lost) and run again goes on where it stopped and
 * ends in the same state as one that was not stopped. What must be the same across the
 * run's transactions, also after a restart, is kept in meta while a sweep is under way:
 * sweep.run_seq, the last event when it began (which events the spans follow),
 * sweep.run_flags, the last head flag, sweep.run_viols, the last violation, sweep.run_events,
 * the event mark it followed events from, and sweep.run_at, its clock when it began (the
 * flags, violations, escalations and control dates whose notices it sends at its end: one
 * per person and kind, however many it made; the reminders and the alerts of undelivered
 * notices are all made in one transaction, main_tx, and told at its end). */
struct run_ctx {
    const svc_t *svc;
    const viol_policy_t *p;
    int64_t now;
    sweep_report_t *rep;
    int done;
    int64_t run_seq, run_flags, run_viols, run_at, run_events;
    int64_t touched;  /* the appeals seq the scans read from (sweep.appeals_seq) */
    int64_t scanned;  /* the last event when the overdue scan read the touched appeals */
    const juris_t *j; /* the jurisdiction of an overdue chunk */
    char today[11];
    struct overdue_run over;
};

static void ctx_init(struct sweep_ctx *c, const struct run_ctx *r)
{
    memset(c, 0, sizeof *c);
    c->svc = r->svc;
    c->p = r->p ? r->p : &viol_default_policy;
    c->now = r->now;
    c->rep = r->rep;
    c->touched = r->touched;
}

static int ctx_done(struct sweep_ctx *c, store_tx_t *tx, int rc, ot_err_t *err)
{
    if (!rc)
        rc = flush_viols(c, tx, err);
    free(c->heads);
    free(c->batch);
    free(c->reminded.items);
    free(c->alert_data);
    return rc;
}

/* The run's marks: those of the sweep under way, or new ones. */
static int begin_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct run_ctx *r = arg;
    int64_t last = 0, appeals = 0;
    int rc = store_meta_get_int(tx, "sweep.run_seq", &r->run_seq, err);
    if (!rc)
        rc = store_meta_get_int(tx, "sweep.run_flags", &r->run_flags, err);
    if (!rc) /* a run killed after its overdue scan began goes on with the scan's mark */
        rc = store_meta_get_int(tx, "sweep.run_scanned", &r->scanned, err);
    if (!rc)
        rc = store_event_last_seq(tx, &last, err);
    if (!rc)
        rc = store_meta_get_int(tx, "sweep.appeals_seq", &appeals, err);
    if (!rc)
        rc = store_meta_get_int(tx, "sweep.run_viols", &r->run_viols, err);
    if (!rc)
        rc = store_meta_get_int(tx, "sweep.run_at", &r->run_at, err);
    if (!rc)
        rc = store_meta_get_int(tx, "sweep.run_events", &r->run_events, err);
    /* no watermark yet: the scans read everything */
    r->touched = appeals ? appeals : last;
    if (!rc && !r->run_seq) {
        r->run_seq = last ? last : 1;
        rc = store_flag_max_id(tx, &r->run_flags, err);
        if (!rc)
            rc = store_meta_set_int(tx, "sweep.run_seq", r->run_seq, err);
        if (!rc)
            rc = store_meta_set_int(tx, "sweep.run_flags", r->run_flags, err);
    }
    /* a new run (or one that a binary which sent these notices as it went began) */
    if (!rc && !r->run_at) {
        r->run_at = r->now;
        rc = store_viol_max_id(tx, &r->run_viols, err);
        if (!rc)
            rc = store_meta_set_int(tx, "sweep.run_viols", r->run_viols, err);
        if (!rc)
            rc = store_meta_set_int(tx, "sweep.run_at", r->run_at, err);
    }
    /* the first event to follow: a new run (or one that a binary which told of control dates
     * as it went began, whose events up to the mark were told) */
    if (!rc && !r->run_events) {
        rc = store_meta_get_int(tx, "sweep.event_seq", &r->run_events, err);
        r->run_events++;
        if (!rc)
            rc = store_meta_set_int(tx, "sweep.run_events", r->run_events, err);
    }
    return rc;
}

/* The events up to the run's start are followed first, in transactions of at most
 * EVENT_TX_SPAN events each (a first sweep over months of work), the mark committed with
 * each, so that no one transaction (and the WAL) grows with the backlog (EVENT_TX_SPAN is
 * defined above sweep_events). All of them go before the overdue scan, whatever the span: a
 * supervisor's control date or a late answer on record is seen before the sweep judges the
 * appeal overdue, so what a sweep makes does not depend on where a span ends. */
static int backlog_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct run_ctx *r = arg;
    struct sweep_ctx c;
    ctx_init(&c, r);
    int64_t mark = 0;
    int rc = store_meta_get_int(tx, "sweep.event_seq", &mark, err);
    int64_t span = r->p && r->p->chunk > 0 ? 12 * (int64_t)r->p->chunk : EVENT_TX_SPAN;
    if (!rc && mark >= r->run_seq)
        r->done = 1;
    else if (!rc)
        rc = sweep_events(&c, tx, mark + span < r->run_seq ? mark + span : r->run_seq, err);
    return ctx_done(&c, tx, rc, err);
}

static int overdue_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct run_ctx *r = arg;
    struct sweep_ctx c;
    ctx_init(&c, r);
    int rc = store_staff_with_role(tx, "supervisor", c.sups, MAX_SUPERVISORS, &c.n_sups, err);
    if (!rc && !r->scanned) { /* kept with the run's marks: a run killed midway goes on with it */
        rc = store_event_last_seq(tx, &r->scanned, err);
        if (!rc)
            rc = store_meta_set_int(tx, "sweep.run_scanned", r->scanned, err);
    }
    if (!rc)
        rc = sweep_overdue(&c, tx, r->j, r->today, &r->over, err);
    r->done = r->over.done;
    return ctx_done(&c, tx, rc, err);
}

/* r->done when no body follows r->j */
static int juris_used_fn(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct run_ctx *r = arg;
    int used = 0;
    int rc = store_juris_has_bodies(tx, r->j->code, &used, err);
    r->done = !used;
    return rc;
}

/* A moment of the sweep: the monotonic clock and the process's CPU time. */
typedef struct stamp {
    int64_t mono, cpu;
} stamp_t;

static stamp_t stamp_now(void)
{
    return (stamp_t){clock_mono_us(), clock_cpu_us()};
}

/* Adds the time since t to phase ph of rep, wall and CPU; the time now. */
static stamp_t lap(sweep_report_t *rep, int ph, stamp_t t)
{
    stamp_t now = stamp_now();
    rep->phase_us[ph] += now.mono - t.mono;
    rep->phase_cpu_us[ph] += now.cpu - t.cpu;
    return now;
}

/* The reminders and the alerts of undelivered notices that main_tx made, one notice per
 * person and kind: one as ever; several a digest, the first's data with "count" in front,
 * about no one appeal (reminder_many to each executor and head; notice_undelivered_many to
 * every administrator). */
static int tell_once(struct sweep_ctx *c, store_tx_t *tx, ot_err_t *err)
{
    int64_t notices = 0, admins[MAX_SUPERVISORS];
    size_t n_admins = 0;
    int rc = store_reminder_notify(tx, &c->reminded, c->now, &notices, err);
    c->rep->notices += notices;
    if (rc || !c->n_alerts)
        return rc;
    char *many = NULL;
    if (c->n_alerts > 1 &&
        asprintf(&many, "{\"count\":%lld,%s", (long long)c->n_alerts, c->alert_data + 1) < 0)
        return ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
    rc = store_staff_with_role(tx, "admin", admins, MAX_SUPERVISORS, &n_admins, err);
    for (size_t i = 0; !rc && i < n_admins; i++) {
        rc = many ? sweep_notify_user(tx, c->now, admins[i], 0, "notice_undelivered_many", "ru",
                                      many, err)
                  : sweep_notify_user(tx, c->now, admins[i], c->alert_appeal, "notice_undelivered",
                                      "ru", c->alert_data, err);
        c->rep->notices += !rc;
    }
    free(many);
    return rc;
}

/* The rest: undelivered extension notices, reminders, stuck notices, the events since the
 * last span, proceedings not started. */
static int main_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct run_ctx *r = arg;
    struct sweep_ctx c;
    ctx_init(&c, r);
    int rc = store_staff_with_role(tx, "supervisor", c.sups, MAX_SUPERVISORS, &c.n_sups, err);
    for (int i = 0; !rc && i < r->svc->n_juris; i++) {
        const juris_t *j = r->svc->juris[i];
        char today[11];
        int used = 0;
        if ((rc = store_juris_has_bodies(tx, j->code, &used, err)) || !used)
            continue;
        date_format(instant_local_day(r->now, cal_utc_offset_min(j->cal)), today);
        stamp_t t = stamp_now();
        if (!(rc = sweep_ext_notices(&c, tx, j, today, err)))
            t = lap(r->rep, SWEEP_PH_EXT, t);
        if (!rc && !(rc = sweep_reminders(&c, tx, j, today, err)))
            lap(r->rep, SWEEP_PH_REMIND, t);
    }
    stamp_t t = stamp_now();
    if (!rc && !(rc = sweep_stuck_notices(&c, tx, err)))
        t = lap(r->rep, SWEEP_PH_STUCK, t);
    if (!rc && !(rc = sweep_events(&c, tx, 0, err)))
        t = lap(r->rep, SWEEP_PH_EVENTS, t);
    if (!rc && !(rc = sweep_unstarted(&c, tx, err)))
        lap(r->rep, SWEEP_PH_UNSTARTED, t);
    if (!rc)
        rc = tell_once(&c, tx, err);
    return ctx_done(&c, tx, rc, err);
}

static int repeats_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct run_ctx *r = arg;
    struct sweep_ctx c;
    ctx_init(&c, r);
    int rc = sweep_repeats(&c, tx, &r->done, err);
    return ctx_done(&c, tx, rc, err);
}

/* The end: the notices of the flags the run made, the watermarks of the events the next
 * sweep reads from, and the run's own marks cleared. */
static int finish_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct run_ctx *r = arg;
    int64_t notices = 0, ev = 0, as = 0, ap = 0;
    /* the notices, one per person and kind however many this run made (issue 23: a first
     * sweep over the 1M demo's backlog told a head of a body of each of his thousands of
     * violations in an e-mail of its own): for the flags one per body and head, for the
     * violations one per executor and head, for the escalations one per supervisor; the
     * records themselves (violations, flags, the control queue) list them one by one */
    int rc = store_flag_notify_new(tx, r->run_flags, r->now, &notices, err);
    r->rep->notices += notices;
    if (!rc)
        rc = store_viol_notify_new(tx, r->run_viols, r->now, &notices, err);
    r->rep->notices += rc ? 0 : notices;
    /* a run resumed with an earlier clock (--now) still finds its own */
    int64_t since = r->run_at < r->now ? r->run_at : r->now;
    int64_t until = r->run_at > r->now ? r->run_at : r->now;
    if (!rc)
        rc = store_escalation_notify_new(tx, since, until, r->now, &notices, err);
    r->rep->notices += rc ? 0 : notices;
    /* and for the control dates, of the events followed from the run's mark to the last (a
     * first sweep over the 1M demo's backlog told of 17,309 one by one) */
    if (!rc)
        rc = store_meta_get_int(tx, "sweep.event_seq", &ev, err);
    if (!rc)
        rc = store_control_notify_new(tx, r->run_events - 1, ev, r->now, &notices, err);
    r->rep->notices += rc ? 0 : notices;
    if (!rc)
        rc = store_meta_get_int(tx, "sweep.assign_seq", &as, err);
    /* the appeals changed up to the overdue scan's read are looked at; the events after the
     * marks that are this sweep's own (violations, flags, escalations, alerts) are none
     * that it follows, assignments, or changes of appeals: the watermarks pass them, up to
     * the first event of anyone else, so that the next sweep does not read them again
     * (after a first sweep, 800,000 on the 1M demo) */
    ap = r->scanned ? r->scanned : r->touched;
    if (!rc)
        rc = store_sweep_events_pass(tx, &ev, err);
    if (!rc)
        rc = store_sweep_events_pass(tx, &as, err);
    if (!rc)
        rc = store_sweep_events_pass(tx, &ap, err);
    if (!rc)
        rc = store_meta_set_int(tx, "sweep.event_seq", ev, err);
    if (!rc)
        rc = store_meta_set_int(tx, "sweep.assign_seq", as, err);
    if (!rc)
        rc = store_meta_set_int(tx, "sweep.appeals_seq", ap, err);
    if (!rc)
        rc = store_meta_set_int(tx, "sweep.run_seq", 0, err);
    if (!rc)
        rc = store_meta_set_int(tx, "sweep.run_flags", 0, err);
    if (!rc)
        rc = store_meta_set_int(tx, "sweep.run_viols", 0, err);
    if (!rc)
        rc = store_meta_set_int(tx, "sweep.run_at", 0, err);
    if (!rc)
        rc = store_meta_set_int(tx, "sweep.run_events", 0, err);
    if (!rc)
        rc = store_meta_set_int(tx, "sweep.run_scanned", 0, err);
    return rc;
}

/* Sweeps run so far and their total and last duration in microseconds (sweep_stats). */
static atomic_uint_least64_t n_sweeps, sweep_sum_us, sweep_last_us;

int sweep_run(const svc_t *svc, const viol_policy_t *policy, int64_t now, sweep_report_t *rep,
              ot_err_t *err)
{
    memset(rep, 0, sizeof *rep);
    struct run_ctx r = {.svc = svc, .p = policy, .now = now, .rep = rep};
    stamp_t t0 = stamp_now(), t = t0;
    int rc = store_write(svc->store, begin_tx, &r, err);
    while (!rc && !r.done)
        rc = store_write(svc->store, backlog_tx, &r, err);
    if (!rc)
        t = lap(rep, SWEEP_PH_BACKLOG, t);
    /* the overdue appeals of each jurisdiction that bodies follow (the ru data beside kz
     * has none, and its calendar must not stop the sweep of the others) */
    for (int i = 0; !rc && i < svc->n_juris; i++) {
        const juris_t *j = svc->juris[i];
        r.j = j;
        r.done = 0;
        memset(&r.over, 0, sizeof r.over);
        date_format(instant_local_day(now, cal_utc_offset_min(j->cal)), r.today);
        if ((rc = store_read(svc->store, juris_used_fn, &r, err)) || r.done)
            continue;
        while (!rc && !r.done)
            rc = store_write(svc->store, overdue_tx, &r, err);
    }
    if (!rc)
        t = lap(rep, SWEEP_PH_OVERDUE, t);
    int64_t inside = 0, inside_cpu = 0;
    for (int i = SWEEP_PH_EXT; i <= SWEEP_PH_UNSTARTED; i++) {
        inside -= rep->phase_us[i];
        inside_cpu -= rep->phase_cpu_us[i];
    }
    if (!rc)
        rc = store_write(svc->store, main_tx, &r, err);
    for (int i = SWEEP_PH_EXT; i <= SWEEP_PH_UNSTARTED; i++) {
        inside += rep->phase_us[i];
        inside_cpu += rep->phase_cpu_us[i];
    }
    if (!rc) {
        t = lap(rep, SWEEP_PH_COMMIT, t);
        rep->phase_us[SWEEP_PH_COMMIT] -= inside;
        rep->phase_cpu_us[SWEEP_PH_COMMIT] -= inside_cpu;
    }
    r.done = 0;
    while (!rc && !r.done)
        rc = store_write(svc->store, repeats_tx, &r, err);
    if (!rc)
        t = lap(rep, SWEEP_PH_REPEATS, t);
    if (!rc)
        rc = store_write(svc->store, finish_tx, &r, err);
    if (!rc)
        lap(rep, SWEEP_PH_COMMIT, t);
    if (rc)
        memset(rep, 0, sizeof *rep);
    stamp_t end = stamp_now();
    uint64_t took = (uint64_t)(end.mono - t0.mono);
    if (!rc && took > 1000000) {
        /* each part as wall/CPU seconds: on shared cores the wall time says little alone */
        const int64_t *p = rep->phase_us, *q = rep->phase_cpu_us;
        log_info("sweep took %.1f s (CPU %.1f s): backlog of events %.1f/%.1f, overdue %.1f/%.1f, "
                 "extension notices %.1f/%.1f, reminders %.1f/%.1f, stuck notices %.1f/%.1f, "
                 "events %.1f/%.1f, no proceedings %.1f/%.1f, repeats %.1f/%.1f, the rest and "
                 "commits %.1f/%.1f (wall/CPU s)",
                 took / 1e6, (end.cpu - t0.cpu) / 1e6, p[0] / 1e6, q[0] / 1e6, p[1] / 1e6,
                 q[1] / 1e6, p[2] / 1e6, q[2] / 1e6, p[3] / 1e6, q[3] / 1e6, p[4] / 1e6, q[4] / 1e6,
                 p[5] / 1e6, q[5] / 1e6, p[6] / 1e6, q[6] / 1e6, p[7] / 1e6, q[7] / 1e6, p[8] / 1e6,
                 q[8] / 1e6);
    }
    atomic_store(&sweep_last_us, took);
    atomic_fetch_add(&sweep_sum_us, took);
    atomic_fetch_add(&n_sweeps, 1);
    return rc;
}

void sweep_stats(uint64_t *count, uint64_t *sum_us, uint64_t *last_us)
{
    *count = atomic_load(&n_sweeps);
    *sum_us = atomic_load(&sweep_sum_us);
    *last_us = atomic_load(&sweep_last_us);
}
