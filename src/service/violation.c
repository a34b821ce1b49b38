/* Violation use cases. See violation.h. */
#include "service/violation.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/date.h"
#include "domain/text.h"
#include "domain/violation.h"
#include "service/appeal.h"
#include "service/audit.h"
#include "store/store_appeal.h"
#include "store/store_violation.h"

static int scope_of(const auth_user_t *u, action_t act, const char **path, int64_t *person,
                    ot_err_t *err)
{
    switch (perm_scope(u->role, act)) {
    case SCOPE_NONE:
        return ot_err(err, OT_EFORBIDDEN, "forbidden", NULL, "a %s may not %s", role_name(u->role),
                      action_name(act));
    case SCOPE_OWN:
        if (person)
            *person = u->id;
        break;
    case SCOPE_BODY:
        *path = u->body_path;
        break;
    case SCOPE_ALL:
        break;
    }
    return OT_OK;
}

struct list_ctx {
    viol_filter_t *f;
    int (*fn)(viol_rec_t *, void *);
    void *arg;
};

static int list_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct list_ctx *c = arg;
    return store_viol_list(tx, c->f, c->fn, c->arg, err);
}

int violation_list(const svc_t *svc, const auth_user_t *user, viol_filter_t *f,
                   int (*fn)(viol_rec_t *v, void *arg), void *arg, ot_err_t *err)
{
    int64_t own = 0;
    int rc = scope_of(user, ACT_VIOLATION_READ, &f->scope_path, &own, err);
    if (rc)
        return rc;
    if (own) {
        if (f->person && f->person != own)
            return ot_err(err, OT_EFORBIDDEN, "forbidden", "person",
                          "an executor sees only their own violations");
        f->person = own;
    }
    struct list_ctx c = {f, fn, arg};
    return store_read(svc->store, list_tx, &c, err);
}

int violation_list_all(store_t *s, viol_filter_t *f, int (*fn)(viol_rec_t *v, void *arg), void *arg,
                       ot_err_t *err)
{
    struct list_ctx c = {f, fn, arg};
    return store_read(s, list_tx, &c, err);
}

struct act_ctx {
    const svc_t *svc;
    const auth_user_t *user;
    int64_t id;
    int action;
    const viol_input_t *in;
    int64_t now;
    viol_rec_t *out;
};

static int need(const char *s, size_t max, const char *field, ot_err_t *err)
{
    if (!s || !*s)
        return ot_err(err, OT_EINVAL, "required", field, "%s is required", field);
    return text_check(s, strlen(s), max, 1, field, err);
}

static int act_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct act_ctx *c = arg;
    viol_rec_t *v = c->out;
    int rc = store_viol_get(tx, c->id, v, err);
    if (rc)
        return rc;
    size_t n = strlen(c->user->body_path);
    perm_obj_t o = {n && strncmp(v->body_path, c->user->body_path, n) == 0,
                    v->executor == c->user->id};
    switch (perm_decide(c->user->role, ACT_VIOLATION_ACT, ACT_VIOLATION_READ, &o)) {
    case PERM_ALLOW:
        break;
    case PERM_FORBIDDEN:
        return ot_err(err, OT_EFORBIDDEN, "forbidden", NULL, "a %s may not act on violations",
                      role_name(c->user->role));
    default:
        return ot_err(err, OT_ENOTFOUND, "violation_not_found", "id", "no such violation");
    }
    /* a body outside the akimat (police, courts, national bodies' units) is not disciplined
     * here: its violations are reported to its own superior */
    if (v->external)
        return ot_err(err, OT_ECONFLICT, "external_body", NULL,
                      "%s is outside the akimat's discipline: report the violation to %s", v->body,
                      v->report_to[0] ? v->report_to : "its own superior");
    /* nobody judges their own case: the head's own violation goes to the higher body, and
     * a violation in a body is decided by the head of a body above it or the oblast's
     * supervisor, never by the head of the body itself (who answers for its work) */
    if (v->executor == c->user->id || v->responsible == c->user->id)
        return ot_err(err, OT_EFORBIDDEN, "own_violation", NULL,
                      "a violation against you is handled by the higher body");
    if (perm_scope(c->user->role, ACT_VIOLATION_ACT) == SCOPE_BODY &&
        !strcmp(v->body_path, c->user->body_path))
        return ot_err(err, OT_EFORBIDDEN, "own_body", NULL,
                      "violations of your own body are decided by the head of the body above "
                      "or the oblast supervisor");
    int from = viol_status_parse(v->status);
    int to = from < 0 ? -1 : viol_next((viol_status_t)from, (viol_action_t)c->action);
    if (to < 0)
        return ot_err(err, OT_ECONFLICT, "illegal_transition", "status",
                      "cannot %s a violation that is %s",
                      viol_action_name((viol_action_t)c->action), v->status);
    const viol_input_t *in = c->in;
    char today[11];
    appeal_today(c->svc, NULL, c->now, today);
    const char *on = in->on && *in->on ? in->on : today;
    ot_day_t d;
    if (date_parse(on, &d))
        return ot_err(err, OT_EINVAL, "bad_date", "on", "on must be YYYY-MM-DD");
    json_t *data = json_pack("{s:s}", "from_status", v->status);
    switch ((viol_action_t)c->action) {
    case VA_PROCEEDINGS:
        rc = need(in->order_number, 60, "order_number", err);
        if (!rc) {
            snprintf(v->order_number, sizeof v->order_number, "%s", in->order_number);
            snprintf(v->proceedings_on, sizeof v->proceedings_on, "%s", on);
            json_object_set_new(data, "order_number", json_string(in->order_number));
        }
        break;
    case VA_PENALTY:
        if (!viol_penalty_valid(in->penalty))
            rc = ot_err(err, OT_EINVAL, "unknown_value", "penalty",
                        "penalty must be one of: remark, reprimand, severe_reprimand, "
                        "incomplete_compliance, demotion, dismissal");
        else {
            snprintf(v->penalty, sizeof v->penalty, "%s", in->penalty);
            snprintf(v->penalty_on, sizeof v->penalty_on, "%s", on);
            json_object_set_new(data, "penalty", json_string(in->penalty));
            /* who is penalised: the person the violation names */
            json_object_set_new(data, "penalised",
                                v->responsible ? json_integer(v->responsible) : json_null());
        }
        break;
    case VA_DISMISS:
        rc = need(in->reason, 500, "reason", err);
        if (!rc) {
            snprintf(v->dismiss_reason, sizeof v->dismiss_reason, "%s", in->reason);
            json_object_set_new(data, "reason", json_string(in->reason));
        }
        break;
    case VA_COUNT:
        break;
    }
    if (!rc) {
        snprintf(v->status, sizeof v->status, "%s", viol_status_name((viol_status_t)to));
        v->updated_at = c->now;
        json_object_set_new(data, "to_status", json_string(v->status));
        json_object_set_new(data, "on", json_string(on));
        char actor[32], id[24], action[40];
        snprintf(actor, sizeof actor, "user:%lld", (long long)c->user->id);
        snprintf(id, sizeof id, "%lld", (long long)v->id);
        snprintf(action, sizeof action, "violation.%s", viol_action_name((viol_action_t)c->action));
        if (!(rc = store_viol_update(tx, v, err)))
            rc = audit_append(tx, c->now, actor, action, "violation", id, data, err);
    }
    json_decref(data);
    return rc;
}

int violation_act(const svc_t *svc, const auth_user_t *user, int64_t id, const char *action,
                  const viol_input_t *in, int64_t now, viol_rec_t *out, ot_err_t *err)
{
    int a = viol_action_parse(action);
    if (a < 0)
        return ot_err(err, OT_ENOTFOUND, "unknown_action", "action", "no action '%.32s'", action);
    struct act_ctx c = {svc, user, id, a, in, now, out};
    return store_write(svc->store, act_tx, &c, err);
}

struct flag_ctx {
    const char *path;
    int64_t before_id;
    int limit;
    int (*fn)(flag_rec_t *, void *);
    void *arg;
};

static int flags_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct flag_ctx *c = arg;
    return store_flag_list(tx, c->path, c->before_id, c->limit, c->fn, c->arg, err);
}

int violation_flags(const svc_t *svc, const auth_user_t *user, int64_t before_id, int limit,
                    int (*fn)(flag_rec_t *f, void *arg), void *arg, ot_err_t *err)
{
    struct flag_ctx c = {NULL, before_id, limit, fn, arg};
    int64_t own = 0;
    int rc = scope_of(user, ACT_VIOLATION_READ, &c.path, &own, err);
    if (!rc && own) /* flags concern heads: an executor sees none */
        return OT_OK;
    return rc ? rc : store_read_one(svc->store, flags_tx, &c, err);
}

struct control_ctx {
    appeal_filter_t f;
    int64_t ids[CONTROL_PAGE_MAX];
    size_t n;
    int (*fn)(const control_row_t *, void *);
    void *arg;
};

static int control_id(appeal_rec_t *a, void *arg)
{
    struct control_ctx *c = arg;
    c->ids[c->n++] = a->id;
    return c->n == CONTROL_PAGE_MAX;
}

/* The page is the work queue's walk with the control filter (the index of open appeals by
 * body or by due date, as the staff list's sort=due), then the queue's columns of its rows */
static int control_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct control_ctx *c = arg;
    c->n = 0;
    int rc = store_appeal_list(tx, &c->f, control_id, c, err);
    return rc ? rc : store_control_rows(tx, c->ids, c->n, c->fn, c->arg, err);
}

int violation_control(const svc_t *svc, const auth_user_t *user, const char *after_due,
                      int64_t after_id, int limit, int (*fn)(const control_row_t *r, void *arg),
                      void *arg, ot_err_t *err)
{
    struct control_ctx *c = calloc(1, sizeof *c);
    if (!c)
        return ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
    c->f.by_due = 1;
    c->f.control = 1;
    c->f.after_due = after_due;
    c->f.before_id = after_id;
    c->f.limit = limit < 1 ? 1 : limit > CONTROL_PAGE_MAX ? CONTROL_PAGE_MAX : limit;
    c->fn = fn;
    c->arg = arg;
    int64_t own = 0;
    int rc = scope_of(user, ACT_APPEAL_READ, &c->f.scope_path, &own, err);
    if (!rc && own)
        rc = ot_err(err, OT_EFORBIDDEN, "forbidden", NULL,
                    "the control queue is for heads and supervisors");
    if (!rc)
        rc = store_read(svc->store, control_tx, c, err);
    free(c);
    return rc;
}
