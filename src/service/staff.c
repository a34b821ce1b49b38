/* Staff as other staff see them (service/staff.h). */
#include "service/staff.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/date.h"
#include "domain/perm.h"
#include "store/store_appeal.h"
#include "store/store_approval.h"
#include "store/store_ref.h"
#include "store/store_user.h"
#include "util/json_out.h"
#include "util/str.h"

struct ex_ctx {
    const char *body;
    const auth_user_t *user;
    char today[11];
    int (*fn)(const staff_executor_t *e, void *arg);
    void *arg;
};

static int on_executor(const executor_load_t *e, void *arg)
{
    struct ex_ctx *c = arg;
    staff_executor_t x;
    memset(&x, 0, sizeof x);
    x.id = e->id;
    str_copy(x.login, sizeof x.login, e->login);
    str_copy(x.name, sizeof x.name, e->name);
    str_copy(x.position, sizeof x.position, e->position);
    str_copy(x.body, sizeof x.body, e->body);
    x.open = e->open;
    x.overdue = e->overdue;
    return c->fn(&x, c->arg);
}

static int executors_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct ex_ctx *c = arg;
    body_info_t b;
    int rc = store_body_get(tx, c->body, &b, err);
    if (rc == OT_ENOTFOUND)
        return ot_err(err, OT_ENOTFOUND, "body_not_found", "body", "no such body");
    if (rc)
        return rc;
    scope_t a = perm_scope(c->user->role, ACT_APPEAL_ASSIGN);
    scope_t f = perm_scope(c->user->role, ACT_APPEAL_FORWARD);
    scope_t s = a > f ? a : f;
    if (s == SCOPE_NONE || s == SCOPE_OWN ||
        (s == SCOPE_BODY && strncmp(b.path, c->user->body_path, strlen(c->user->body_path))))
        return ot_err(err, OT_EFORBIDDEN, "forbidden", "body",
                      "you see the executors of your own body and its sub-bodies");
    return store_user_executors(tx, b.path, c->today, on_executor, c, err);
}

int staff_executors(const svc_t *svc, const auth_user_t *user, const char *body, int64_t now,
                    int (*fn)(const staff_executor_t *e, void *arg), void *arg, ot_err_t *err)
{
    struct ex_ctx c = {body && *body ? body : user->body, user, "", fn, arg};
    date_format(svc_today(svc, NULL, now), c.today);
    return store_read(svc->store, executors_tx, &c, err);
}

struct person_ctx {
    int64_t id;
    const char *login;
    user_rec_t u;
};

static int person_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct person_ctx *c = arg;
    return c->login ? store_user_by_login(tx, c->login, &c->u, err)
                    : store_user_by_id(tx, c->id, &c->u, err);
}

static const staff_person_t *lookup(const svc_t *svc, staff_names_t *cache, int64_t id,
                                    const char *login)
{
    for (int i = 0; i < cache->n; i++)
        if (login ? !strcmp(cache->p[i].login, login) : cache->p[i].id == id)
            return cache->p[i].name[0] ? &cache->p[i] : NULL;
    struct person_ctx c;
    memset(&c, 0, sizeof c);
    c.id = id;
    c.login = login;
    /* one statement: no snapshot (on PostgreSQL, no BEGIN and ROLLBACK around it) */
    int found = !store_read_one(svc->store, person_tx, &c, NULL);
    /* a full cache reuses its last slot */
    staff_person_t *p = &cache->p[cache->n < STAFF_NAMES_MAX ? cache->n++ : STAFF_NAMES_MAX - 1];
    memset(p, 0, sizeof *p);
    p->id = found ? c.u.id : id;
    str_copy(p->login, sizeof p->login, login ? login : "");
    if (found) {
        str_copy(p->login, sizeof p->login, c.u.login);
        str_copy(p->name, sizeof p->name, c.u.name);
        str_copy(p->position, sizeof p->position, c.u.position);
    }
    return p->name[0] ? p : NULL;
}

const staff_person_t *staff_person(const svc_t *svc, staff_names_t *cache, int64_t id)
{
    return id > 0 ? lookup(svc, cache, id, NULL) : NULL;
}

const staff_person_t *staff_person_login(const svc_t *svc, staff_names_t *cache, const char *login)
{
    return login && *login ? lookup(svc, cache, 0, login) : NULL;
}

struct task_ctx {
    const char *scope; /* of the extension requests; NULL: the user decides none */
    int (*fn)(const staff_task_t *t, void *arg);
    void *arg;
    const char *approve; /* of the answers held for approval (issue 16); NULL: none */
};

static int on_request(const ext_request_t *r, void *arg)
{
    struct task_ctx *c = arg;
    staff_task_t t;
    memset(&t, 0, sizeof t);
    t.kind = "extension_request";
    str_copy(t.number, sizeof t.number, r->number);
    str_copy(t.body, sizeof t.body, r->body);
    str_copy(t.due_on, sizeof t.due_on, r->due_on);
    t.data = r->data;
    t.at = r->at;
    long long uid;
    if (sscanf(r->actor, "user:%lld", &uid) == 1)
        t.by = (int64_t)uid;
    return c->fn(&t, c->arg);
}

/* An answer held for the head's approval (issue 16) as a task: data has the decision. */
static int on_approval(const approval_rec_t *r, void *arg)
{
    struct task_ctx *c = arg;
    staff_task_t t;
    memset(&t, 0, sizeof t);
    t.kind = "answer_approval";
    str_copy(t.number, sizeof t.number, r->number);
    str_copy(t.body, sizeof t.body, r->body);
    str_copy(t.due_on, sizeof t.due_on, r->due_on);
    json_t *d = json_pack("{s:s, s:s}", "decision", r->decision, "submitted_on", r->submitted_on);
    char *data = d ? json_out(d, NULL) : NULL;
    json_decref(d);
    t.data = data;
    t.at = r->submitted_at;
    t.by = r->submitted_by;
    int stop = c->fn(&t, c->arg);
    free(data);
    return stop;
}

/* The bodies whose tasks of action the user decides: "" all, a body path, NULL none. */
static const char *task_scope(const auth_user_t *user, action_t action)
{
    scope_t s = perm_scope(user->role, action);
    return s == SCOPE_NONE || s == SCOPE_OWN ? NULL : s == SCOPE_ALL ? "" : user->body_path;
}

static int tasks_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct task_ctx *c = arg;
    int rc = c->scope ? store_appeal_ext_requests(tx, c->scope, on_request, c, err) : OT_OK;
    if (!rc && c->approve)
        rc = store_approval_list(tx, *c->approve ? c->approve : NULL, 0, 500, on_approval, c, err);
    return rc;
}

int staff_tasks(const svc_t *svc, const auth_user_t *user,
                int (*fn)(const staff_task_t *t, void *arg), void *arg, ot_err_t *err)
{
    struct task_ctx c = {task_scope(user, ACT_APPEAL_EXTEND), fn, arg,
                         task_scope(user, ACT_APPEAL_APPROVE)};
    if (!c.scope && !c.approve)
        return OT_OK;
    return store_read(svc->store, tasks_tx, &c, err);
}
