/* Full-text search: see search.h. */
#include "service/search.h"

#include <stddef.h>
#include <string.h>

#include "domain/appeal.h"
#include "domain/search_text.h"
#include "domain/text.h"
#include "store/store_search.h"

#define MAX_PIECES (2 * SEARCH_FRAGMENT_WORDS + 4)

struct run {
    ot_analyzer_t *an;
    ot_query_t q;
    search_filter_t f;
    int (*fn)(const search_hit_t *, const search_piece_t *, size_t, void *);
    void *arg;
};

struct pieces {
    search_piece_t p[MAX_PIECES];
    size_t n;
};

static void add_piece(const char *s, size_t len, int hit, void *arg)
{
    struct pieces *ps = arg;
    if (ps->n < MAX_PIECES)
        ps->p[ps->n++] = (search_piece_t){s, len, hit};
}

static int on_hit(const search_hit_t *h, void *arg)
{
    struct run *r = arg;
    struct pieces ps = {.n = 0};
    const char *t = h->text ? h->text : "";
    ot_fragment(r->an, ot_lang_of(h->language), t, strlen(t), &r->q, SEARCH_FRAGMENT_WORDS,
                add_piece, &ps);
    return r->fn(h, ps.p, ps.n, r->arg);
}

static int run_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct run *r = arg;
    return store_search_query(tx, &r->q, &r->f, on_hit, r, err);
}

int search_run(const svc_t *svc, const auth_user_t *user, const search_in_t *in,
               int (*fn)(const search_hit_t *h, const search_piece_t *pieces, size_t n, void *arg),
               void *arg, ot_err_t *err)
{
    struct run r;
    memset(&r, 0, sizeof r);
    switch (perm_scope(user->role, ACT_APPEAL_READ)) { /* the staff list's scope */
    case SCOPE_NONE:
        return ot_err(err, OT_EFORBIDDEN, "forbidden", NULL, "a %s does not read appeals",
                      role_name(user->role));
    case SCOPE_OWN: /* their appeals, and the problems of their body (as GET /problems) */
        r.f.executor = user->id;
        r.f.exec_path = user->body_path;
        break;
    case SCOPE_BODY:
        r.f.scope_path = user->body_path;
        break;
    case SCOPE_ALL:
        break;
    }
    const char *q = in->q ? in->q : "";
    size_t n = strlen(q);
    /* a bad value of a parameter is 422 naming it, as in the other lists' filters */
    int rc = text_required(q, n, "q", err);
    if (!rc)
        rc = text_check(q, n, SEARCH_Q_MAX, 0, "q", err);
    if (rc)
        return rc;
    if (in->limit < 1 || in->limit > SEARCH_LIMIT_MAX)
        return ot_err(err, OT_EINVAL, "out_of_range", "limit", "limit must be 1..%d",
                      SEARCH_LIMIT_MAX);
    if (in->offset < 0 || in->offset > SEARCH_OFFSET_MAX)
        return ot_err(err, OT_EINVAL, "out_of_range", "offset", "offset must be 0..%d",
                      SEARCH_OFFSET_MAX);
    if (in->status && appeal_status_parse(in->status) < 0)
        return ot_err(err, OT_EINVAL, "unknown_value", "status", "unknown status");
    r.an = ot_analyzer_new(store_search_kk());
    if (!r.an)
        return ot_err(err, OT_EINTERNAL, "oom", NULL, "the search analyzer could not start");
    if (!ot_query_parse(r.an, q, n, &r.q)) {
        ot_analyzer_free(r.an);
        return ot_err(err, OT_EINVAL, "no_words", "q", "q holds no word to look for");
    }
    r.f.status = in->status;
    r.f.body = in->body;
    r.f.kind = in->kind;
    r.f.limit = in->limit;
    r.f.offset = in->offset;
    r.fn = fn;
    r.arg = arg;
    rc = store_read(svc->store, run_tx, &r, err);
    ot_analyzer_free(r.an);
    return rc;
}
