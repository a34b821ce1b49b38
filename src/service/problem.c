/* Problems (issue 17): see service/problem.h and docs/problems.md. */
#include "service/problem.h"

#include <jansson.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/appeal.h"
#include "domain/perm.h"
#include "domain/text.h"
#include "service/appeal.h"
#include "service/audit.h"
#include "store/store.h"
#include "store/store_appeal.h"
#include "store/store_problem.h"
#include "util/log.h"
#include "util/str.h"

#define US_PER_DAY (86400LL * 1000000LL)

static const problem_cfg_t *cfg_of(const svc_t *svc, const char *jurisdiction)
{
    const juris_t *j = svc_juris(svc, jurisdiction);
    return j ? &j->problems : &problem_default_cfg;
}

static int event(store_tx_t *tx, int64_t now, const char *actor, const char *action,
                 const char *object_type, const char *id, json_t *data, ot_err_t *err)
{
    int rc = audit_append(tx, now, actor, action, object_type, id, data, err);
    json_decref(data);
    return rc;
}

static void id_str(int64_t id, char out[24])
{
    snprintf(out, 24, "%lld", (long long)id);
}

/* ==== Grouping at intake ==== */

struct pick {
    const problem_cfg_t *cfg;
    const appeal_rec_t *a;
    const char *words;
    int64_t best;
    double best_sim;
};

static int on_candidate(const problem_rec_t *p, void *arg)
{
    struct pick *k = arg;
    /* found by cell, not by the address: the exact distance decides */
    if (!p->place[0] && k->a->has_coords && p->has_coords &&
        problem_distance_m(k->a->lat, k->a->lon, p->lat, p->lon) > k->cfg->distance_m)
        return 0;
    double sim = problem_similarity(k->words, p->words);
    if (sim >= k->cfg->similarity && sim > k->best_sim) {
        k->best_sim = sim;
        k->best = p->id;
    }
    return 0;
}

/* The cut title of a problem: the first appeal's text, at most ~200 bytes on a character
 * boundary. */
static void title_of(const char *text, char *out, size_t n)
{
    size_t len = strlen(text), cut = len < n - 1 ? len : n - 1;
    if (cut > 200)
        cut = 200;
    while (cut && cut < len && ((unsigned char)text[cut] & 0xC0) == 0x80)
        cut--;
    memcpy(out, text, cut);
    out[cut] = '\0';
}

/* ==== Place keys made again when their settings change ==== */

#define PLACES_META "problem_places"
#define PLACES_SPAN 10000

struct places {
    const problem_cfg_t *cfg;
    char fp[17];
    int stale, done;
    int64_t after, last;
    long seen, changed; /* in the current span */
    store_tx_t *tx;
    int rc;
    ot_err_t *err;
};

static int places_check(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct places *c = arg;
    char v[32] = "";
    (void)err;
    c->stale = store_meta_get(tx, PLACES_META, v, sizeof v, NULL) || strcmp(v, c->fp);
    return OT_OK;
}

static int on_place(int64_t id, const char *address, const char *place, void *arg)
{
    struct places *c = arg;
    char key[200];
    problem_place_key(c->cfg, address, key, sizeof key);
    c->seen++;
    if (!strcmp(key, place))
        return 0;
    c->changed++;
    return (c->rc = store_problem_set_place(c->tx, id, key, c->err)) != OT_OK;
}

static int places_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct places *c = arg;
    c->tx = tx;
    c->err = err;
    c->rc = OT_OK;
    c->seen = c->changed = 0;
    int rc = store_problem_places(tx, c->after, PLACES_SPAN, on_place, c, &c->last, err);
    if (!rc)
        rc = c->rc;
    c->done = !rc && c->seen < PLACES_SPAN;
    if (c->done)
        rc = store_meta_put(tx, PLACES_META, c->fp, err);
    return rc;
}

int problem_places_sync(const svc_t *svc, long *changed, ot_err_t *err)
{
    struct places c;
    memset(&c, 0, sizeof c);
    c.cfg = cfg_of(svc, NULL);
    problem_place_fingerprint(c.cfg, c.fp);
    long total = 0;
    int rc = store_read(svc->store, places_check, &c, err);
    while (!rc && c.stale && !c.done) {
        rc = store_write(svc->store, places_tx, &c, err);
        if (!rc) {
            total += c.changed;
            c.after = c.last;
        }
    }
    if (!rc && total)
        log_info("problems: %ld place keys made again under new address settings", total);
    if (changed)
        *changed = rc ? 0 : total;
    return rc;
}

/* ==== Grouping at intake ==== */

int problem_intake(store_tx_t *tx, const svc_t *svc, appeal_rec_t *a, int64_t now, int *created,
                   ot_err_t *err)
{
    *created = 0;
    const problem_cfg_t *cfg = cfg_of(svc, a->jurisdiction);
    problem_applicant_key(a->applicant_id, a->applicant_name, a->applicant_phone,
                          a->applicant_email, a->applicant_key, sizeof a->applicant_key);
    if (!strcmp(a->kind, "complaint") || !a->text || !*a->text)
        return OT_OK;
    char words[600], place[200] = "", cells[9][32];
    problem_words(cfg, a->text, words, sizeof words);
    if (a->address)
        problem_place_key(cfg, a->address, place, sizeof place);
    if (a->has_coords)
        problem_cells_around(cfg, a->lat, a->lon, cells);
    struct pick k = {cfg, a, words, 0, 0};
    int64_t since = a->received_at - (int64_t)cfg->group_days * US_PER_DAY;
    int rc = OT_OK;
    if (place[0] || a->has_coords)
        rc = store_problem_candidates(tx, a->category, place,
                                      a->has_coords ? (const char(*)[32])cells : NULL, since,
                                      on_candidate, &k, err);
    if (rc)
        return rc;
    if (k.best) {
        a->problem_id = k.best;
    } else {
        problem_rec_t p;
        memset(&p, 0, sizeof p);
        str_copy(p.body, sizeof p.body, a->body);
        str_copy(p.category, sizeof p.category, a->category);
        str_copy(p.district, sizeof p.district, a->district);
        str_copy(p.place, sizeof p.place, place);
        if (a->has_coords) {
            p.has_coords = 1;
            p.lat = a->lat;
            p.lon = a->lon;
            problem_cell(cfg, a->lat, a->lon, p.cell);
        }
        str_copy(p.words, sizeof p.words, words);
        title_of(a->text, p.title, sizeof p.title);
        str_copy(p.address, sizeof p.address, a->address);
        /* its first appeal makes it: the state problem_refresh would derive */
        str_copy(p.state, sizeof p.state, "open");
        p.n_appeals = 1;
        p.n_open = appeal_is_open((appeal_status_t)appeal_status_parse(a->status));
        p.first_at = p.last_at = a->received_at;
        p.updated_at = now;
        if ((rc = store_problem_insert(tx, &p, err)))
            return rc;
        a->problem_id = p.id;
        *created = 1;
        return OT_OK;
    }
    /* issue 16 point 4: the same applicant on the same problem, decided before */
    if (a->applicant_key[0] && !a->repeat_of)
        rc = store_problem_decided_by(tx, a->problem_id, a->applicant_key, 0, &a->repeat_of, err);
    return rc;
}

/* How the problem changed, as the caller knows it: a (may be NULL), an appeal of it just
 * written; before, a as it was read before the change (NULL: a just joined the problem, or
 * the change is not known); joined, a is a new appeal that just joined; more_recurrences, a
 * re-raise of another appeal of it in the same step (its only change). */
struct change {
    const appeal_rec_t *a, *before;
    int joined;
    int64_t more_recurrences;
};

static int refresh(store_tx_t *tx, int64_t id, const struct change *c, int64_t now,
                   const char *actor, ot_err_t *err);

int problem_after_intake(store_tx_t *tx, const svc_t *svc, const appeal_rec_t *a, int created,
                         int64_t now, ot_err_t *err)
{
    if (!a->problem_id || created)
        return OT_OK;
    const problem_cfg_t *cfg = cfg_of(svc, a->jurisdiction);
    int64_t prev = 0, answered_at = 0;
    int reraised = 0;
    /* the problem's row (refresh) is asked for with the last answered appeal: one round trip */
    int rc = store_problem_ask(tx, a->problem_id, err);
    if (!rc)
        rc = store_problem_last_answered(tx, a->problem_id, a->received_at, &prev, &answered_at,
                                         err);
    if (!rc && prev && answered_at <= a->received_at &&
        a->received_at - answered_at <= (int64_t)cfg->reraise_days * US_PER_DAY) {
        store_problem_unask(tx); /* read again after the earlier appeal's change */
        appeal_rec_t o, before;
        memset(&o, 0, sizeof o);
        if (!(rc = store_appeal_get_id(tx, prev, &o, err)) && !o.reraised) {
            if (appeal_rec_copy(&before, &o)) {
                appeal_rec_free(&o);
                return ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
            }
            o.reraised = 1;
            reraised = 1;
            rc = store_appeal_update(tx, &before, &o, err);
            /* the earlier appeal changed: an event of its own, with its seal, says so (without
             * it, audit verify found the appeal differing from the seal of its last event) */
            if (!rc)
                rc = event(
                    tx, now, "system", "appeal.reraised", "appeal", o.number,
                    json_pack("{s:s, s:I}", "by", a->number, "problem", (json_int_t)a->problem_id),
                    err);
            appeal_rec_free(&before);
        }
        appeal_rec_free(&o);
    }
    /* the summary is the stored one plus this appeal (and the earlier one's re-raise) */
    struct change c = {a, NULL, 1, reraised};
    return rc ? rc : refresh(tx, a->problem_id, &c, now, "system", err);
}

/* What an appeal adds to its problem's open count and to its recurrences (the terms
 * store_problem_summary sums). */
static int64_t open_of(const appeal_rec_t *a)
{
    return appeal_is_open((appeal_status_t)appeal_status_parse(a->status));
}

static int64_t recurs_of(const appeal_rec_t *a)
{
    return a->reraised + problem_verdict_recurs(a->decision, a->verdict);
}

/* The summary of problem p (as stored) after change c, by deltas: the counts move by the
 * difference between a before and after (or by a, joined); the latest appeal's part is a's
 * when a is the latest (received_at, then id, as store_problem_summary orders: a new
 * appeal received at or after every other, or the problem's only appeal), else one seek
 * of it. 1 when the delta is not known (the caller then reads every appeal): no appeal, an
 * appeal that moved between problems (split, merge), a problem with no appeal counted. */
static int summary_by_delta(store_tx_t *tx, const problem_rec_t *p, const struct change *c,
                            problem_summary_t *s, int64_t *first_at, int64_t *last_at,
                            char body[64], ot_err_t *err)
{
    const appeal_rec_t *a = c->a, *b = c->before;
    if (!a || a->problem_id != p->id || p->n_appeals < 1 || (!c->joined && !b) ||
        (b && b->problem_id != p->id))
        return 1;
    memset(s, 0, sizeof *s);
    s->n_appeals = p->n_appeals + (c->joined != 0);
    s->n_open = p->n_open + open_of(a) - (b ? open_of(b) : 0);
    s->recurrences = p->recurrences + recurs_of(a) - (b ? recurs_of(b) : 0) + c->more_recurrences;
    *first_at = p->first_at;
    *last_at = p->last_at;
    if (c->joined && a->received_at < *first_at)
        *first_at = a->received_at;
    int newest = c->joined && a->received_at >= p->last_at;
    if (newest)
        *last_at = a->received_at;
    if (!newest && !(p->n_appeals == 1 && !c->joined))
        return store_problem_latest(tx, p->id, s, body, err);
    s->latest_open = (int)open_of(a);
    str_copy(s->latest_decision, sizeof s->latest_decision, a->decision);
    str_copy(s->latest_verdict, sizeof s->latest_verdict, a->verdict);
    str_copy(body, 64, a->body);
    return OT_OK;
}

/* Brings problem id's stored summary up to date after change c (issue 23): by deltas when
 * the change is known, else read from the problem's appeals (store_problem_summary), which
 * costs a read of every one of them: a problem of thousands of appeals made each intake
 * into it, and each change of one of its appeals, slower than the last (issue 19: most of
 * make bench's PostgreSQL intake time; issue 23: 34.2 M index entries read by the 1M demo). */
static int refresh(store_tx_t *tx, int64_t id, const struct change *c, int64_t now,
                   const char *actor, ot_err_t *err)
{
    problem_rec_t p;
    problem_summary_t s;
    int64_t first_at, last_at;
    char body[64];
    int rc = store_problem_get(tx, id, &p, err);
    if (rc)
        return rc;
    rc = summary_by_delta(tx, &p, c, &s, &first_at, &last_at, body, err);
    if (rc == 1)
        rc = store_problem_summary(tx, id, &s, &first_at, &last_at, body, err);
    if (rc)
        return rc;
    const problem_rec_t old = p;
    const char *state = s.n_appeals ? problem_state(&s) : "open";
    int came_back = s.recurrences > p.recurrences;
    if (!strcmp(p.state, state) && p.n_appeals == s.n_appeals && p.n_open == s.n_open &&
        p.recurrences == s.recurrences && (!body[0] || !strcmp(p.body, body)) &&
        p.last_at == last_at)
        return OT_OK;
    str_copy(p.state, sizeof p.state, state);
    p.n_appeals = s.n_appeals;
    p.n_open = s.n_open;
    p.recurrences = s.recurrences;
    if (s.n_appeals) {
        p.first_at = first_at;
        p.last_at = last_at;
    }
    if (body[0])
        str_copy(p.body, sizeof p.body, body);
    if (came_back)
        p.recurred_at = now;
    p.updated_at = now;
    if ((rc = store_problem_update(tx, &old, &p, err)))
        return rc;
    if (!came_back)
        return OT_OK;
    char sid[24];
    id_str(id, sid);
    return event(tx, now, actor, "problem.recurring", "problem", sid,
                 json_pack("{s:s, s:s, s:I, s:I}", "body", p.body, "category", p.category,
                           "appeals", (json_int_t)p.n_appeals, "recurrences",
                           (json_int_t)p.recurrences),
                 err);
}

int problem_refresh_with(store_tx_t *tx, const svc_t *svc, int64_t id, const appeal_rec_t *a,
                         const appeal_rec_t *before, int64_t now, const char *actor, ot_err_t *err)
{
    (void)svc;
    struct change c = {a, before, 0, 0};
    return refresh(tx, id, &c, now, actor, err);
}

int problem_refresh(store_tx_t *tx, const svc_t *svc, int64_t id, int64_t now, const char *actor,
                    ot_err_t *err)
{
    return problem_refresh_with(tx, svc, id, NULL, NULL, now, actor, err);
}

/* ==== The verdict ==== */

struct verdict_ctx {
    const svc_t *svc;
    const char *number, *code, *verdict, *comment;
    int64_t now;
};

static int verdict_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct verdict_ctx *c = arg;
    appeal_rec_t a, before;
    memset(&a, 0, sizeof a);
    int rc = store_appeal_get(tx, c->number, &a, NULL);
    if (rc == OT_ENOTFOUND || (!rc && !appeal_code_ok(&a, c->code))) {
        appeal_rec_free(&a);
        return ot_err(err, OT_ENOTFOUND, "track_not_found", "code",
                      "no appeal with that number and access code");
    }
    if (rc)
        return ot_err(err, rc, "store_error", NULL, "cannot read the appeal");
    if (!a.decision[0] || !a.answered_at)
        rc = ot_err(err, OT_ECONFLICT, "not_answered", "verdict",
                    "the appeal has no answer yet: the verdict is given on the answer");
    else if (a.verdict[0])
        rc = ot_err(err, OT_ECONFLICT, "already_given", "verdict",
                    "the verdict on this answer was already given");
    else if (appeal_rec_copy(&before, &a))
        rc = ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
    if (rc) {
        appeal_rec_free(&a);
        return rc;
    }
    str_copy(a.verdict, sizeof a.verdict, c->verdict);
    free(a.verdict_comment);
    a.verdict_comment = c->comment && *c->comment ? strdup(c->comment) : NULL;
    a.verdict_at = c->now;
    a.updated_at = c->now;
    rc = store_appeal_update(tx, &before, &a, err);
    if (!rc) {
        json_t *d = json_pack("{s:s, s:s}", "verdict", a.verdict, "decision", a.decision);
        if (a.problem_id)
            json_object_set_new(d, "problem_id", json_integer(a.problem_id));
        if (problem_verdict_recurs(a.decision, a.verdict))
            json_object_set_new(d, "recurs", json_true());
        rc = event(tx, c->now, "citizen", "appeal.verdict", "appeal", a.number, d, err);
    }
    if (!rc && a.problem_id)
        rc = problem_refresh_with(tx, c->svc, a.problem_id, &a, &before, c->now, "citizen", err);
    appeal_rec_free(&before);
    appeal_rec_free(&a);
    return rc;
}

int problem_verdict_in(store_tx_t *tx, const svc_t *svc, const char *number, const char *code,
                       const char *verdict, const char *comment, int64_t now, ot_err_t *err)
{
    if (!verdict || vocab_find(problem_verdicts, verdict) < 0)
        return ot_err(err, OT_EINVAL, "unknown_value", "verdict", "verdict is yes, partly or no");
    if (comment && text_check(comment, strlen(comment), 2000, 1, "comment", err))
        return OT_EINVAL;
    struct verdict_ctx c = {svc, number, code, verdict, comment, now};
    return tx ? verdict_tx(tx, &c, err) : store_write(svc->store, verdict_tx, &c, err);
}

int problem_verdict(const svc_t *svc, const char *number, const char *code, const char *verdict,
                    const char *comment, int64_t now, ot_err_t *err)
{
    return problem_verdict_in(NULL, svc, number, code, verdict, comment, now, err);
}

/* ==== Reading ==== */

/* The body path a user's problems are under; NULL: all. OT_EFORBIDDEN when none. */
static int scope_of(const auth_user_t *u, const char **path, ot_err_t *err)
{
    switch (perm_scope(u->role, ACT_APPEAL_READ)) {
    case SCOPE_NONE:
        return ot_err(err, OT_EFORBIDDEN, "forbidden", NULL, "a %s does not read problems",
                      role_name(u->role));
    case SCOPE_ALL:
        *path = NULL;
        return OT_OK;
    default: /* an executor: the problems of their body */
        *path = u->body_path;
        return OT_OK;
    }
}

static int in_scope(const char *scope, const problem_rec_t *p)
{
    return !scope || !strncmp(p->body_path, scope, strlen(scope));
}

/* A problem's title is its first appeal's text, shown in lists to staff who may not read
 * that appeal: the personal data in it (e-mail addresses, phone numbers, IINs) is masked, as
 * for open data. */
static void mask_title(problem_rec_t *p)
{
    char masked[sizeof p->title];
    text_mask_personal(p->title, strlen(p->title), masked, sizeof masked);
    memcpy(p->title, masked, sizeof masked);
}

/* The years of views (store_problem_years' fn, in any order): arg the array of views; each
 * view's years kept in order, the first PROBLEM_YEARS_MAX of them. */
static int on_year(size_t i, int year, int64_t n, void *arg)
{
    problem_view_t *v = (problem_view_t *)arg + i;
    int k = v->n_years;
    while (k > 0 && v->years[k - 1].year > year)
        k--;
    if (k == PROBLEM_YEARS_MAX)
        return 0;
    int last = v->n_years < PROBLEM_YEARS_MAX ? v->n_years : PROBLEM_YEARS_MAX - 1;
    memmove(&v->years[k + 1], &v->years[k], (size_t)(last - k) * sizeof v->years[0]);
    v->years[k] = (problem_year_t){year, n};
    if (v->n_years < PROBLEM_YEARS_MAX)
        v->n_years++;
    return 0;
}

/* The page is read whole first (at most 200 problems), then each problem's years for all of
 * them together (two statements a page, not two a problem), then given to fn. */
struct list_ctx {
    const svc_t *svc;
    problem_filter_t *f;
    problem_view_t *views;
    size_t n, cap;
    int oom;
};

static int list_row(const problem_rec_t *p, void *arg)
{
    struct list_ctx *c = arg;
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 64;
        problem_view_t *v = realloc(c->views, cap * sizeof *v);
        if (!v)
            return c->oom = 1;
        c->views = v;
        c->cap = cap;
    }
    problem_view_t *v = &c->views[c->n++];
    memset(v, 0, sizeof *v);
    v->p = *p;
    mask_title(&v->p);
    return 0;
}

static int list_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct list_ctx *c = arg;
    c->n = 0;
    int rc = store_problem_list(tx, c->f, list_row, c, err);
    if (!rc && c->oom)
        rc = ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
    int64_t *ids = rc || !c->n ? NULL : malloc(c->n * sizeof *ids);
    if (!rc && c->n && !ids)
        rc = ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
    for (size_t i = 0; ids && i < c->n; i++)
        ids[i] = c->views[i].p.id;
    if (!rc)
        rc = store_problem_years(tx, ids, c->n, svc_utc_offset(c->svc, NULL), on_year, c->views,
                                 err);
    free(ids);
    return rc;
}

int problem_list(const svc_t *svc, const auth_user_t *user, problem_filter_t *f,
                 int (*fn)(const problem_view_t *v, void *arg), void *arg, ot_err_t *err)
{
    int rc = scope_of(user, &f->scope_path, err);
    if (rc)
        return rc;
    if (f->state && vocab_find(problem_states, f->state) < 0)
        return ot_err(err, OT_EINVAL, "unknown_value", "state",
                      "state is open, solved_confirmed, solved_unconfirmed or recurring");
    struct list_ctx c = {svc, f, NULL, 0, 0, 0};
    rc = store_read(svc->store, list_tx, &c, err);
    for (size_t i = 0; !rc && i < c.n; i++)
        if (fn(&c.views[i], arg))
            break;
    free(c.views);
    return rc;
}

struct get_ctx {
    const svc_t *svc;
    const auth_user_t *user;
    int64_t id;
    const problem_page_t *page;
    problem_view_t *out;
    int (*fn)(const problem_entry_t *e, void *arg);
    void *arg;
};

static int on_entry(appeal_rec_t *a, void *arg)
{
    struct get_ctx *c = arg;
    const auth_user_t *u = c->user;
    size_t n = strlen(u->body_path);
    perm_obj_t o = {n && !strncmp(a->body_path, u->body_path, n), a->executor == u->id};
    problem_entry_t e = {a,
                         perm_decide(u->role, ACT_APPEAL_READ, ACT_APPEAL_READ, &o) == PERM_ALLOW};
    appeal_mask(a);
    return c->fn(&e, c->arg);
}

static int get_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct get_ctx *c = arg;
    const char *scope;
    int rc = scope_of(c->user, &scope, err);
    if (!rc)
        rc = store_problem_get(tx, c->id, &c->out->p, err);
    if (!rc && !in_scope(scope, &c->out->p))
        rc = ot_err(err, OT_ENOTFOUND, "problem_not_found", "id", "no such problem");
    if (!rc)
        mask_title(&c->out->p);
    if (!rc)
        rc = store_problem_years(tx, &c->id, 1, svc_utc_offset(c->svc, NULL), on_year, c->out, err);
    if (!rc && c->fn)
        rc = store_problem_appeals(tx, c->id, c->page->after_at, c->page->after_id, c->page->limit,
                                   on_entry, c, err);
    return rc;
}

int problem_get(const svc_t *svc, const auth_user_t *user, int64_t id, const problem_page_t *page,
                problem_view_t *out, int (*fn)(const problem_entry_t *e, void *arg), void *arg,
                ot_err_t *err)
{
    static const problem_page_t whole = {INT64_MIN, 0, INT_MAX};
    memset(out, 0, sizeof *out);
    struct get_ctx c = {svc, user, id, page ? page : &whole, out, fn, arg};
    return store_read(svc->store, get_tx, &c, err);
}

struct ctx_ctx {
    const appeal_rec_t *a;
    problem_context_t *out;
};

static int on_prior(appeal_rec_t *a, void *arg)
{
    struct ctx_ctx *c = arg;
    if (a->id == c->a->id || a->received_at > c->a->received_at || !a->decision[0] ||
        c->out->n_prior == PROBLEM_PRIOR_MAX)
        return 0;
    problem_prior_t *p = &c->out->prior[c->out->n_prior++];
    str_copy(p->number, sizeof p->number, a->number);
    str_copy(p->body, sizeof p->body, a->body);
    str_copy(p->decision, sizeof p->decision, a->decision);
    str_copy(p->answered_on, sizeof p->answered_on, a->answered_on);
    str_copy(p->verdict, sizeof p->verdict, a->verdict);
    return 0;
}

int problem_context_in(store_tx_t *tx, const appeal_rec_t *a, const problem_rec_t *p, int has_prior,
                       problem_context_t *out, ot_err_t *err)
{
    memset(out, 0, sizeof *out);
    out->has = 1;
    out->p = *p;
    if (!has_prior)
        return OT_OK;
    struct ctx_ctx c = {a, out};
    return store_problem_prior(tx, p->id, a->id, a->received_at, PROBLEM_PRIOR_MAX, on_prior, &c,
                               err);
}

/* ==== Staff corrections ==== */

struct act_ctx {
    const svc_t *svc;
    const auth_user_t *user;
    int64_t id;
    const char *action;
    const problem_act_in_t *in;
    int64_t now;
    int64_t *new_id;
};

static int may_regroup(const auth_user_t *u, const problem_rec_t *p, ot_err_t *err)
{
    const char *scope;
    int rc = scope_of(u, &scope, err);
    if (rc)
        return rc;
    if (!in_scope(scope, p))
        return ot_err(err, OT_ENOTFOUND, "problem_not_found", "id", "no such problem");
    scope_t s = perm_scope(u->role, ACT_APPEAL_FORWARD);
    size_t n = strlen(u->body_path);
    if (s == SCOPE_ALL || (s == SCOPE_BODY && n && !strncmp(p->body_path, u->body_path, n)))
        return OT_OK;
    return ot_err(err, OT_EFORBIDDEN, "forbidden", NULL, "a %s does not regroup problems",
                  role_name(u->role));
}

static int split_tx(store_tx_t *tx, struct act_ctx *c, problem_rec_t *p, json_t *d, ot_err_t *err)
{
    if (!c->in->n_appeals)
        return ot_err(err, OT_EINVAL, "required", "appeals",
                      "split names the appeals that leave the problem");
    problem_rec_t np = *p;
    np.id = 0;
    np.confirmed = 1;
    np.recurrences = np.n_appeals = np.n_open = 0;
    np.recurred_at = 0;
    np.merged_into = 0;
    np.updated_at = c->now;
    int rc = OT_OK, first = 1;
    json_t *moved = json_array();
    json_object_set_new(d, "appeals", moved);
    for (size_t i = 0; !rc && i < c->in->n_appeals; i++) {
        appeal_rec_t a, before;
        memset(&a, 0, sizeof a);
        if (store_appeal_get(tx, c->in->appeals[i], &a, NULL) || a.problem_id != p->id) {
            appeal_rec_free(&a);
            return ot_err(err, OT_EINVAL, "not_in_problem", "appeals",
                          "appeal %.40s is not one of this problem's", c->in->appeals[i]);
        }
        if (first) { /* the new problem is where its first appeal is */
            if (a.text)
                title_of(a.text, np.title, sizeof np.title);
            np.first_at = np.last_at = a.received_at;
            if ((rc = store_problem_insert(tx, &np, err))) {
                appeal_rec_free(&a);
                return rc;
            }
            first = 0;
        }
        if (appeal_rec_copy(&before, &a)) {
            appeal_rec_free(&a);
            return ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
        }
        a.problem_id = np.id;
        a.updated_at = c->now;
        rc = store_appeal_update(tx, &before, &a, err);
        json_array_append_new(moved, json_string(a.number));
        appeal_rec_free(&before);
        appeal_rec_free(&a);
    }
    *c->new_id = np.id;
    json_object_set_new(d, "new_problem", json_integer(np.id));
    if (!rc)
        rc = problem_refresh(tx, c->svc, np.id, c->now, "system", err);
    return rc;
}

static int merge_tx(store_tx_t *tx, struct act_ctx *c, problem_rec_t *p, json_t *d, ot_err_t *err)
{
    problem_rec_t into;
    if (!c->in->into)
        return ot_err(err, OT_EINVAL, "required", "into", "merge names the problem to merge into");
    if (c->in->into == p->id)
        return ot_err(err, OT_EINVAL, "same_problem", "into",
                      "a problem is not merged into itself");
    if (store_problem_get(tx, c->in->into, &into, NULL) || into.merged_into)
        return ot_err(err, OT_EINVAL, "unknown_problem", "into", "no such problem to merge into");
    int rc = may_regroup(c->user, &into, err);
    if (rc)
        return rc == OT_ENOTFOUND ? ot_err(err, OT_EINVAL, "unknown_problem", "into",
                                           "no such problem to merge into")
                                  : rc;
    if ((rc = store_problem_move_all(tx, p->id, into.id, err)))
        return rc;
    p->merged_into = into.id;
    p->n_appeals = p->n_open = 0;
    p->updated_at = c->now;
    json_object_set_new(d, "into", json_integer(into.id));
    if ((rc = store_problem_update(tx, NULL, p, err)))
        return rc;
    into.confirmed = 1;
    into.updated_at = c->now;
    if ((rc = store_problem_update(tx, NULL, &into, err)))
        return rc;
    return problem_refresh(tx, c->svc, into.id, c->now, "system", err);
}

static int act_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct act_ctx *c = arg;
    problem_rec_t p;
    int rc = store_problem_get(tx, c->id, &p, err);
    if (!rc)
        rc = may_regroup(c->user, &p, err);
    if (!rc && p.merged_into)
        rc = ot_err(err, OT_ECONFLICT, "merged", "id", "the problem was merged into %lld",
                    (long long)p.merged_into);
    if (rc)
        return rc;
    json_t *d = json_object();
    if (c->in->reason && *c->in->reason)
        json_object_set_new(d, "reason", json_string(c->in->reason));
    if (!strcmp(c->action, "confirm")) {
        problem_rec_t old = p;
        p.confirmed = 1;
        p.updated_at = c->now;
        rc = store_problem_update(tx, &old, &p, err);
    } else if (!strcmp(c->action, "split")) {
        rc = split_tx(tx, c, &p, d, err);
        if (!rc)
            rc = problem_refresh(tx, c->svc, p.id, c->now, "system", err);
    } else if (!strcmp(c->action, "merge"))
        rc = merge_tx(tx, c, &p, d, err);
    else
        rc = ot_err(err, OT_ENOTFOUND, "unknown_action", "action",
                    "a problem's actions are confirm, split and merge");
    if (!rc) {
        char sid[24], actor[32];
        id_str(c->id, sid);
        snprintf(actor, sizeof actor, "user:%lld", (long long)c->user->id);
        char action[32];
        snprintf(action, sizeof action, "problem.%s", c->action);
        json_incref(d);
        rc = event(tx, c->now, actor, action, "problem", sid, d, err);
    }
    json_decref(d);
    return rc;
}

int problem_act(const svc_t *svc, const auth_user_t *user, int64_t id, const char *action,
                const problem_act_in_t *in, int64_t now, int64_t *new_id, ot_err_t *err)
{
    int64_t dummy = 0;
    struct act_ctx c = {svc, user, id, action, in, now, new_id ? new_id : &dummy};
    if (in->reason && text_check(in->reason, strlen(in->reason), 2000, 1, "reason", err))
        return OT_EINVAL;
    return store_write(svc->store, act_tx, &c, err);
}
