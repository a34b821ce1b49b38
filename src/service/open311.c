#include "service/open311.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/appeal.h"
#include "domain/text.h"
#include "service/audit.h"
#include "store/store_open311.h"
#include "store/store_ref.h"

struct submit_ctx {
    const svc_t *svc;
    const o311_intake_t *req;
    int64_t now;
    receipt_t *out;
};

static int submit_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct submit_ctx *c = arg;
    const o311_intake_t *r = c->req;
    int rc = appeal_intake_in(tx, c->svc, NULL, &r->in, c->now, c->out, err);
    if (!rc)
        rc = store_o311_insert(tx, c->out->number, r->api_key, r->media_url, r->address_id,
                               r->device_id, r->account_id, err);
    if (!rc && r->extra_attributes) {
        /* kept with the appeal and shown to staff in its history */
        json_t *d = json_loads(r->extra_attributes, 0, NULL);
        json_t *ev = d ? json_pack("{s:o}", "attributes", d) : NULL;
        rc = store_o311_set_extra(tx, c->out->number, r->extra_attributes, err);
        if (!rc && ev)
            rc = audit_append(tx, c->now, "system", "open311.attributes", "appeal", c->out->number,
                              ev, err);
        json_decref(ev);
    }
    return rc;
}

int o311_submit(const svc_t *svc, const o311_intake_t *req, int64_t now, receipt_t *out,
                ot_err_t *err)
{
    if (!req->in.channel || strcmp(req->in.channel, "open311"))
        return ot_err(err, OT_EINTERNAL, "channel", "channel", "Open311 files channel open311");
    struct submit_ctx c = {svc, req, now, out};
    int rc = store_write(svc->store, submit_tx, &c, err);
    if (rc)
        memset(out->access_code, 0, sizeof out->access_code);
    return rc;
}

struct get_ctx {
    const char *number;
    o311_rec_t *out;
};

static int get_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct get_ctx *c = arg;
    return store_o311_get(tx, c->number, c->out, err);
}

/* A published copy of text (malloc'd, personal data masked); NULL stays NULL. */
static char *masked(const char *text)
{
    if (!text)
        return NULL;
    size_t len = strlen(text);
    char *out = malloc(len + 4);
    if (out)
        text_mask_personal(text, len, out, len + 4);
    return out;
}

/* Masks the free text of a public record in place. */
static void mask_public(o311_rec_t *r)
{
    char *t = masked(r->text), *a = masked(r->address);
    free(r->text);
    free(r->address);
    r->text = t;
    r->address = a;
}

int o311_get(const svc_t *svc, const char *number, o311_rec_t *out, ot_err_t *err)
{
    /* the ASCII form, or however a client wrote it (appeal_number_canonical) */
    char canon[48];
    struct get_ctx c = {appeal_number_canonical(svc, number, canon, sizeof canon) ? number : canon,
                        out};
    memset(out, 0, sizeof *out);
    /* public tracking: the read replica, else (not there yet) the primary */
    int rc = store_read_replica(svc->store, get_tx, &c, err);
    if (rc == OT_ENOTFOUND && store_replica(svc->store)) {
        o311_rec_free(out);
        memset(out, 0, sizeof *out);
        rc = store_read(svc->store, get_tx, &c, err);
    }
    if (!rc)
        mask_public(out);
    return rc;
}

struct list_ctx {
    const o311_filter_t *f;
    int (*fn)(const o311_rec_t *r, void *arg);
    void *arg;
};

/* Each row as published: a copy with its free text masked. */
static int list_row(const o311_rec_t *r, void *arg)
{
    struct list_ctx *c = arg;
    o311_rec_t pub = *r;
    pub.text = masked(r->text);
    pub.address = masked(r->address);
    int stop = c->fn(&pub, c->arg);
    free(pub.text);
    free(pub.address);
    return stop;
}

static int list_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct list_ctx *c = arg;
    return store_o311_list(tx, c->f, list_row, c, err);
}

int o311_list(const svc_t *svc, const o311_filter_t *f, int (*fn)(const o311_rec_t *r, void *arg),
              void *arg, ot_err_t *err)
{
    struct list_ctx c = {f, fn, arg};
    return store_read_replica(svc->store, list_tx, &c, err);
}

struct cat_ctx {
    int (*fn)(const region_category_t *c, void *arg);
    void *arg;
};

static int cat_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct cat_ctx *c = arg;
    return store_category_each(tx, c->fn, c->arg, err);
}

int o311_categories(const svc_t *svc, int (*fn)(const region_category_t *c, void *arg), void *arg,
                    ot_err_t *err)
{
    struct cat_ctx c = {fn, arg};
    return store_read(svc->store, cat_tx, &c, err);
}

struct dist_ctx {
    int (*fn)(const region_district_t *d, void *arg);
    void *arg;
};

static int dist_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct dist_ctx *c = arg;
    return store_district_each(tx, c->fn, c->arg, err);
}

int o311_districts(const svc_t *svc, int (*fn)(const region_district_t *d, void *arg), void *arg,
                   ot_err_t *err)
{
    struct dist_ctx c = {fn, arg};
    return store_read(svc->store, dist_tx, &c, err);
}

/* ==== Updates (servicerequestupdates) ==== */

/* The public text of one change, in the appeal's language (kk or ru). */
static char *describe(const o311_update_t *u)
{
    int kk = !strcmp(u->language, "kk");
    const char *a = u->action + 7; /* after "appeal." */
    char *out = NULL, *ans = NULL;
    int n = -1;
    if (!strcmp(a, "register"))
        n = asprintf(&out, "%s", kk ? "Өтініш тіркелді" : "Обращение зарегистрировано");
    else if (!strcmp(a, "forward"))
        n = asprintf(&out, kk ? "Құзыреті бойынша жіберілді: %s" : "Передано по компетенции: %s",
                     u->body_name[kk ? 0 : 1][0] ? u->body_name[kk ? 0 : 1] : u->detail);
    else if (!strcmp(a, "extend"))
        n = asprintf(&out,
                     kk ? "Қарау мерзімі %s дейін ұзартылды" : "Срок рассмотрения продлён до %s",
                     u->detail);
    else if (!strcmp(a, "answer") || !strcmp(a, "approve")) { /* approve: a held answer out */
        ans = masked(u->answer);
        n = asprintf(&out, "%s (%s)%s%s", kk ? "Жауап берілді" : "Дан ответ",
                     appeal_decision_words(u->decision, u->language), ans ? ": " : "",
                     ans ? ans : "");
    } else if (!strcmp(a, "return"))
        n = asprintf(&out, "%s",
                     kk ? "Жауап пысықтауға қайтарылды" : "Ответ возвращён на доработку");
    else if (!strcmp(a, "close"))
        n = asprintf(&out, "%s", kk ? "Қарау аяқталды" : "Рассмотрение завершено");
    else if (!strcmp(a, "terminate"))
        n = asprintf(&out, "%s", kk ? "Қарау тоқтатылды" : "Рассмотрение прекращено");
    free(ans);
    return n < 0 ? NULL : out;
}

struct upd_ctx {
    int64_t from, to;
    int limit;
    int (*fn)(const o311_update_t *, void *);
    void *arg;
};

static int upd_row(o311_update_t *u, void *arg)
{
    struct upd_ctx *c = arg;
    u->description = describe(u);
    int stop = c->fn(u, c->arg);
    free(u->description);
    u->description = NULL;
    return stop;
}

static int upd_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct upd_ctx *c = arg;
    return store_o311_updates(tx, c->from, c->to, c->limit, upd_row, c, err);
}

int o311_updates(const svc_t *svc, int64_t from, int64_t to, int limit,
                 int (*fn)(const o311_update_t *u, void *arg), void *arg, ot_err_t *err)
{
    struct upd_ctx c = {from, to, limit, fn, arg};
    return store_read(svc->store, upd_tx, &c, err);
}
