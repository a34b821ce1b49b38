/* The outgoing register. See forward.h. */
#include "service/forward.h"

#include "domain/perm.h"
#include "store/store_forward.h"

struct list_ctx {
    const char *path;
    int64_t before_at, before_id;
    int limit;
    int (*fn)(const forward_rec_t *, void *);
    void *arg;
};

static int list_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct list_ctx *c = arg;
    return store_forward_list(tx, c->path, c->before_at, c->before_id, c->limit, c->fn, c->arg,
                              err);
}

int forward_list(const svc_t *svc, const auth_user_t *user, int64_t before_at, int64_t before_id,
                 int limit, int (*fn)(const forward_rec_t *f, void *arg), void *arg, ot_err_t *err)
{
    struct list_ctx c = {NULL, before_at, before_id, limit, fn, arg};
    switch (perm_scope(user->role, ACT_APPEAL_READ)) {
    case SCOPE_BODY:
        c.path = user->body_path;
        break;
    case SCOPE_ALL:
        break;
    default:
        return ot_err(err, OT_EFORBIDDEN, "forbidden", NULL,
                      "the outgoing register is for a body's registry, heads and supervisors");
    }
    return store_read(svc->store, list_tx, &c, err);
}
