/* The head's approval of answers. See approval.h. */
#include "service/approval.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "domain/perm.h"
#include "service/audit.h"
#include "store/store_appeal.h"
#include "store/store_approval.h"
#include "store/store_ref.h"

struct settings_ctx {
    const auth_user_t *user;
    const char *body;
    int value, write;
    int64_t now;
    body_settings_t *out;
};

static int settings_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct settings_ctx *c = arg;
    body_info_t b;
    if (store_body_get(tx, c->body, &b, NULL))
        return ot_err(err, OT_ENOTFOUND, "body_not_found", "body", "no body '%.64s'", c->body);
    int rc = store_body_settings_get(tx, b.id, c->out, err);
    if (rc || !c->write)
        return rc;
    scope_t s = perm_scope(c->user->role, ACT_BODY_SETTINGS);
    size_t n = strlen(c->user->body_path);
    if (s == SCOPE_NONE || (s == SCOPE_BODY && (!n || strncmp(b.path, c->user->body_path, n))))
        return ot_err(err, OT_EFORBIDDEN, "forbidden", NULL,
                      "a body's settings are set by its head (or a head above it) or an admin");
    json_t *d = json_pack("{s:b, s:b}", "answer_approval_from", c->out->answer_approval,
                          "answer_approval", c->value);
    c->out->answer_approval = c->value;
    c->out->updated_at = c->now;
    c->out->updated_by = c->user->id;
    char actor[32];
    snprintf(actor, sizeof actor, "user:%lld", (long long)c->user->id);
    rc = store_body_settings_set(tx, b.id, c->out, err);
    if (!rc)
        rc = audit_append(tx, c->now, actor, "body.settings", "body", b.id, d, err);
    json_decref(d);
    return rc;
}

int body_settings_read(const svc_t *svc, const auth_user_t *user, const char *body,
                       body_settings_t *out, ot_err_t *err)
{
    struct settings_ctx c = {user, body, 0, 0, 0, out};
    return store_read(svc->store, settings_tx, &c, err);
}

int body_settings_write(const svc_t *svc, const auth_user_t *user, const char *body,
                        int answer_approval, int64_t now, body_settings_t *out, ot_err_t *err)
{
    struct settings_ctx c = {user, body, answer_approval != 0, 1, now, out};
    return store_write(svc->store, settings_tx, &c, err);
}

struct of_ctx {
    const auth_user_t *user;
    const char *number;
    approval_rec_t *out;
    int *found;
};

static int of_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct of_ctx *c = arg;
    appeal_rec_t a;
    memset(&a, 0, sizeof a);
    int rc = store_appeal_get(tx, c->number, &a, err);
    if (rc)
        return rc;
    size_t n = strlen(c->user->body_path);
    perm_obj_t o = {n && !strncmp(a.body_path, c->user->body_path, n), a.executor == c->user->id};
    if (perm_decide(c->user->role, ACT_APPEAL_READ, ACT_APPEAL_READ, &o) != PERM_ALLOW)
        rc = ot_err(err, OT_ENOTFOUND, "appeal_not_found", "number", "no such appeal");
    else
        rc = store_approval_pending(tx, a.id, c->out, c->found, err);
    appeal_rec_free(&a);
    return rc;
}

int approval_of_appeal(const svc_t *svc, const auth_user_t *user, const char *number,
                       approval_rec_t *out, int *found, ot_err_t *err)
{
    struct of_ctx c = {user, number, out, found};
    *found = 0;
    return store_read(svc->store, of_tx, &c, err);
}

struct list_ctx {
    const char *path;
    int64_t own;
    int limit;
    int (*fn)(const approval_rec_t *, void *);
    void *arg;
};

static int list_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct list_ctx *c = arg;
    return store_approval_list(tx, c->path, c->own, c->limit, c->fn, c->arg, err);
}

int approval_list(const svc_t *svc, const auth_user_t *user, int limit,
                  int (*fn)(const approval_rec_t *r, void *arg), void *arg, ot_err_t *err)
{
    struct list_ctx c = {NULL, 0, limit, fn, arg};
    switch (perm_scope(user->role, ACT_APPEAL_READ)) {
    case SCOPE_ALL:
        break;
    case SCOPE_BODY:
        c.path = user->body_path;
        break;
    case SCOPE_OWN:
        c.own = user->id;
        break;
    default:
        return ot_err(err, OT_EFORBIDDEN, "forbidden", NULL,
                      "a %s sees no appeals and no answers awaiting approval",
                      role_name(user->role));
    }
    return store_read(svc->store, list_tx, &c, err);
}
