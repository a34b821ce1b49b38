/* GET /api/v1/search (issue 17; docs/api.md "Search"). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/handlers.h"
#include "http/input.h"
#include "service/search.h"
#include "util/str.h"

struct out {
    jw_t w;
    int n;
};

static const char *kind_name(search_kind_t k)
{
    return k == SEARCH_ANSWER ? "answer" : k == SEARCH_PROBLEM ? "problem" : "appeal";
}

static int add_hit(const search_hit_t *h, const search_piece_t *p, size_t n, void *arg)
{
    struct out *o = arg;
    jw_t *w = &o->w;
    jw_obj(w);
    if (h->kind == SEARCH_PROBLEM) { /* a problem: its id and where to read it */
        char href[64];
        snprintf(href, sizeof href, "/api/v1/problems/%lld", (long long)h->appeal_id);
        jw_key(w, "problem");
        jw_int(w, h->appeal_id);
        jw_kstr(w, "kind", kind_name(h->kind));
        jw_kstr(w, "href", href);
        jw_kstr(w, "state", h->state);
        jw_key(w, "appeals");
        jw_int(w, h->n_appeals);
        jw_kstr(w, "body", h->body);
        jw_kstr(w, "category", h->category);
    } else {
        jw_kstr(w, "number", h->number);
        jw_kstr(w, "kind", kind_name(h->kind));
        jw_kstr(w, "status", h->status);
        jw_kstr(w, "body", h->body);
        jw_kstr(w, "category", h->category);
        jw_kstr(w, "registered_on", h->registered_on);
        jw_kstr(w, "language", h->language);
    }
    jw_key(w, "score"); /* higher is better (the rank's sign turned) */
    jw_real(w, -h->rank);
    /* the fragment as pieces of plain text, the matched words marked: the client escapes
     * and marks them itself, so no markup travels in the text */
    jw_key(w, "fragment");
    jw_arr(w);
    for (size_t i = 0; i < n; i++) {
        jw_obj(w);
        jw_key(w, "text");
        jw_strn(w, p[i].s, p[i].len);
        jw_key(w, "hit");
        jw_bool(w, p[i].hit);
        jw_end(w);
    }
    jw_end(w);
    jw_end(w);
    o->n++;
    return 0;
}

void h_search(http_req_t *req)
{
    auth_user_t u;
    if (http_auth(req, &u))
        return;
    search_in_t in = {.q = http_query(req, "q"), .kind = -1, .limit = 20, .offset = 0};
    in.status = http_query_opt(req, "status");
    in.body = http_query_opt(req, "body");
    const char *v;
    long x;
    if ((v = http_query_opt(req, "limit"))) {
        if (str_to_long(v, 1, SEARCH_LIMIT_MAX, &x)) {
            http_reply_error(req, OT_EINVAL, "out_of_range", "limit", "limit must be 1..100");
            return;
        }
        in.limit = (int)x;
    }
    if ((v = http_query_opt(req, "offset"))) {
        if (str_to_long(v, 0, SEARCH_OFFSET_MAX, &x)) {
            http_reply_error(req, OT_EINVAL, "out_of_range", "offset", "offset must be 0..1000");
            return;
        }
        in.offset = (int)x;
    }
    if ((v = http_query_opt(req, "kind"))) {
        if (!strcmp(v, "appeal"))
            in.kind = SEARCH_APPEAL;
        else if (!strcmp(v, "answer"))
            in.kind = SEARCH_ANSWER;
        else if (!strcmp(v, "problem"))
            in.kind = SEARCH_PROBLEM;
        else {
            http_reply_error(req, OT_EINVAL, "unknown_value", "kind",
                             "kind is appeal, answer or problem");
            return;
        }
    }
    struct out o = {JW_INIT, 0};
    jw_obj(&o.w);
    jw_key(&o.w, "items");
    jw_arr(&o.w);
    ot_err_t err;
    if (search_run(&req->app->svc, &u, &in, add_hit, &o, &err)) {
        size_t n;
        free(jw_finish(&o.w, &n));
        http_reply_err(req, &err);
        return;
    }
    jw_end(&o.w);
    jw_key(&o.w, "next"); /* the offset of the next page, null on the last */
    if (o.n == in.limit && in.offset + in.limit <= SEARCH_OFFSET_MAX)
        jw_int(&o.w, in.offset + in.limit);
    else
        jw_null(&o.w);
    jw_end(&o.w);
    http_reply_jw(req, 200, &o.w);
}
