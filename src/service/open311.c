#include "service/open311.h"

#include <string.h>

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

int o311_get(const svc_t *svc, const char *number, o311_rec_t *out, ot_err_t *err)
{
    struct get_ctx c = {number, out};
    memset(out, 0, sizeof *out);
    return store_read(svc->store, get_tx, &c, err);
}

struct list_ctx {
    const o311_filter_t *f;
    int (*fn)(const o311_rec_t *r, void *arg);
    void *arg;
};

static int list_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct list_ctx *c = arg;
    return store_o311_list(tx, c->f, c->fn, c->arg, err);
}

int o311_list(const svc_t *svc, const o311_filter_t *f, int (*fn)(const o311_rec_t *r, void *arg),
              void *arg, ot_err_t *err)
{
    struct list_ctx c = {f, fn, arg};
    return store_read(svc->store, list_tx, &c, err);
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
