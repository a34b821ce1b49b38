/* Letters by post over HTTP: the registry's print queue (service/post.h). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/handlers.h"
#include "http/input.h"
#include "service/post.h"
#include "util/log.h"
#include "util/str.h"

struct out {
    json_t *items;
    char *html;
    size_t len, cap;
    int oom, n;
    int64_t last_at, last_id; /* the last letter's place in the queue: the next page's cursor */
};

static void put(struct out *o, const char *s, size_t n)
{
    if (o->oom)
        return;
    if (o->len + n + 1 > o->cap) {
        size_t cap = o->cap ? o->cap * 2 : 8192;
        while (cap < o->len + n + 1)
            cap *= 2;
        char *p = realloc(o->html, cap);
        if (!p) {
            o->oom = 1;
            return;
        }
        o->html = p;
        o->cap = cap;
    }
    memcpy(o->html + o->len, s, n);
    o->len += n;
    o->html[o->len] = '\0';
}

static void put_s(struct out *o, const char *s)
{
    put(o, s, strlen(s));
}

/* Text into HTML: the five characters that mean markup, and a line break per newline. */
static void put_text(struct out *o, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&':
            put_s(o, "&amp;");
            break;
        case '<':
            put_s(o, "&lt;");
            break;
        case '>':
            put_s(o, "&gt;");
            break;
        case '"':
            put_s(o, "&quot;");
            break;
        case '\'':
            put_s(o, "&#39;");
            break;
        case '\n':
            put_s(o, "<br>\n");
            break;
        default:
            put(o, s, 1);
        }
    }
}

static void seen(struct out *o, const post_letter_t *l)
{
    o->n++;
    o->last_at = l->queued_at;
    o->last_id = l->id;
}

static int add_json(const post_letter_t *l, void *arg)
{
    struct out *o = arg;
    seen(o, l);
    json_array_append_new(o->items,
                          json_pack("{s:I, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)l->id,
                                    "number", l->number, "address", l->address, "language",
                                    l->language, "subject", l->subject, "text", l->text));
    return 0;
}

/* One letter a printed page: the address block, the subject, the text. */
static int add_html(const post_letter_t *l, void *arg)
{
    struct out *o = arg;
    seen(o, l);
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)l->id);
    put_s(o, "<section class=\"letter\" id=\"letter-");
    put_s(o, id);
    put_s(o, "\" lang=\"");
    put_text(o, l->language);
    put_s(o, "\"><p class=\"to\">");
    put_text(o, l->address);
    put_s(o, "</p><h2>");
    put_text(o, l->subject);
    put_s(o, "</h2><p>");
    put_text(o, l->text);
    put_s(o, "</p><p class=\"ref\">");
    put_text(o, l->number);
    put_s(o, "</p></section>\n");
    return 0;
}

void h_post_list(http_req_t *req)
{
    auth_user_t u;
    if (http_auth(req, &u))
        return;
    const char *format = http_query_opt(req, "format");
    int html = format && !strcmp(format, "html");
    if (format && !html) {
        http_reply_error(req, OT_EINVAL, "unknown_value", "format", "format is html or absent");
        return;
    }
    /* a page (limit, default and at most POST_LIMIT_MAX) after the cursor "AT.ID" of the
     * last page's next (its last letter's place in the queue) */
    post_page_t page = {0, 0, POST_LIMIT_MAX};
    long limit = POST_LIMIT_MAX;
    long long at = 0, id = 0;
    char tail = 0;
    const char *v;
    if ((v = http_query_opt(req, "limit")) && str_to_long(v, INT_MIN, INT_MAX, &limit))
        limit = 0; /* not a number: post_letters answers out_of_range, as for 0 or 1001 */
    if ((v = http_query_opt(req, "after")) &&
        (sscanf(v, "%lld.%lld%c", &at, &id, &tail) != 2 || at < 0 || id < 1)) {
        http_reply_error(req, OT_EINVAL, "bad_cursor", "after", "after is the next of a page");
        return;
    }
    page.limit = (int)limit;
    page.after_at = at;
    page.after_id = id;
    struct out o = {json_array(), NULL, 0, 0, 0, 0, 0, 0};
    ot_err_t err;
    if (html)
        put_s(&o, "<!doctype html><html><head><meta charset=\"utf-8\"><title>Letters</title>"
                  "<style>.letter{page-break-after:always;font:12pt serif;margin:2cm}"
                  ".to{margin-left:60%;white-space:pre-line}.ref{font-size:9pt}</style>"
                  "</head><body>\n");
    if (post_letters(&req->app->svc, &u, req->app->data_dir, &page, html ? add_html : add_json, &o,
                     &err)) {
        json_decref(o.items);
        free(o.html);
        http_reply_err(req, &err);
        return;
    }
    char next[48];
    snprintf(next, sizeof next, "%lld.%lld", (long long)o.last_at, (long long)o.last_id);
    if (!html) {
        free(o.html);
        http_reply_json(
            req, 200,
            json_pack("{s:o, s:s?}", "items", o.items, "next", o.n == page.limit ? next : NULL));
        return;
    }
    json_decref(o.items);
    put_s(&o, "</body></html>\n");
    if (o.oom) {
        free(o.html);
        http_reply_error(req, OT_EINTERNAL, "oom", NULL, "out of memory");
        return;
    }
    http_reply_bytes(req, 200, "text/html; charset=utf-8", o.html, o.len, "letters.html");
}

void h_post_sent(http_req_t *req)
{
    auth_user_t u;
    if (http_auth(req, &u))
        return;
    long id;
    if (str_to_long(req->params[0], 1, LONG_MAX, &id)) {
        http_reply_error(req, OT_ENOTFOUND, "letter_not_found", "id", "no such letter");
        return;
    }
    json_t *b = req->body_len ? http_body_json(req) : json_object();
    if (!b)
        return;
    static const char *const keys[] = {"on", NULL};
    const char *on = NULL;
    ot_err_t err;
    if (in_only(b, keys, NULL, &err) || in_str(b, "on", "on", 0, 10, 0, &on, &err) ||
        post_sent(&req->app->svc, &u, id, on, clock_now_us(), &err)) {
        http_reply_err(req, &err);
        json_decref(b);
        return;
    }
    json_decref(b);
    http_reply_json(req, 200, json_pack("{s:I, s:s}", "id", (json_int_t)id, "status", "sent"));
}
