/* The print queue. See post.h. */
#include "service/post.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/date.h"
#include "domain/perm.h"
#include "service/audit.h"
#include "service/notify.h"
#include "store/store_outbox.h"
#include "util/str.h"

/* Who prints: the registry of a body (registrars, heads) for its body and below. */
static int scope(const auth_user_t *u, const char **path, ot_err_t *err)
{
    if (perm_scope(u->role, ACT_APPEAL_INTAKE) != SCOPE_BODY)
        return ot_err(err, OT_EFORBIDDEN, "forbidden", NULL,
                      "letters are printed by a body's registry (registrars, heads)");
    *path = u->body_path;
    return OT_OK;
}

struct letters_ctx {
    const char *path, *data_dir;
    const post_page_t *page;
    int (*fn)(const post_letter_t *, void *);
    void *arg;
    int failed;
    ot_err_t render_err;
};

static int one_letter(const outbox_letter_t *l, void *arg)
{
    struct letters_ctx *c = arg;
    post_letter_t p;
    char *subject = NULL, *body = NULL;
    memset(&p, 0, sizeof p);
    if (notify_render(c->data_dir, l->language, l->template_name, l->data, &subject, &body,
                      &c->render_err)) {
        c->failed = 1;
        return 1;
    }
    p.id = l->id;
    p.created_at = l->created_at;
    p.queued_at = l->queued_at;
    str_copy(p.number, sizeof p.number, l->number);
    str_copy(p.address, sizeof p.address, l->address);
    str_copy(p.language, sizeof p.language, l->language);
    p.subject = subject;
    p.text = body;
    int stop = c->fn(&p, c->arg);
    free(subject);
    free(body);
    return stop;
}

static int letters_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct letters_ctx *c = arg;
    return store_outbox_letters(tx, c->path, c->page->after_at, c->page->after_id, c->page->limit,
                                one_letter, c, err);
}

int post_letters(const svc_t *svc, const auth_user_t *user, const char *data_dir,
                 const post_page_t *page, int (*fn)(const post_letter_t *l, void *arg), void *arg,
                 ot_err_t *err)
{
    if (page->limit < 1 || page->limit > POST_LIMIT_MAX)
        return ot_err(err, OT_EINVAL, "out_of_range", "limit", "limit must be 1..%d",
                      POST_LIMIT_MAX);
    struct letters_ctx c = {NULL, data_dir, page, fn, arg, 0, {0}};
    int rc = scope(user, &c.path, err);
    if (!rc)
        rc = store_read(svc->store, letters_tx, &c, err);
    if (!rc && c.failed) {
        if (err)
            *err = c.render_err;
        rc = c.render_err.status ? c.render_err.status : OT_EINTERNAL;
    }
    return rc;
}

struct sent_ctx {
    const svc_t *svc;
    const auth_user_t *user;
    int64_t id, now;
    const char *on;
};

static int sent_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct sent_ctx *c = arg;
    char path[256] = "", actor[32], id[24];
    const char *mine = NULL;
    int rc = scope(c->user, &mine, err);
    if (!rc)
        rc = store_outbox_letter_body(tx, c->id, path, sizeof path, err);
    if (!rc && strncmp(path, mine, strlen(mine)))
        rc = ot_err(err, OT_ENOTFOUND, "letter_not_found", "id",
                    "no letter waiting to be sent with that id");
    if (rc)
        return rc;
    /* the day it went by post: given by the registry (a batch recorded the next morning), never
     * after today */
    char day[11];
    ot_day_t today = svc_today(c->svc, NULL, c->now), d_on;
    date_format(today, day);
    if (c->on) {
        if (date_parse(c->on, &d_on))
            return ot_err(err, OT_EINVAL, "bad_date", "on", "on must be YYYY-MM-DD");
        if (d_on > today)
            return ot_err(err, OT_EINVAL, "out_of_range", "on",
                          "a letter cannot be recorded sent after today (%s)", day);
        date_format(d_on, day);
    }
    snprintf(actor, sizeof actor, "user:%lld", (long long)c->user->id);
    snprintf(id, sizeof id, "%lld", (long long)c->id);
    json_t *d = json_pack("{s:I, s:s}", "letter", (json_int_t)c->id, "sent_on", day);
    rc = store_outbox_letter_sent(tx, c->id, c->now, err);
    if (!rc)
        rc = audit_append(tx, c->now, actor, "notice.post_sent", "notice", id, d, err);
    json_decref(d);
    return rc;
}

int post_sent(const svc_t *svc, const auth_user_t *user, int64_t id, const char *on, int64_t now,
              ot_err_t *err)
{
    struct sent_ctx c = {svc, user, id, now, on};
    return store_write(svc->store, sent_tx, &c, err);
}
