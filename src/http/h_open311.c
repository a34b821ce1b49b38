/* Open311 GeoReport v2 over HTTP (docs/open311.md): service discovery, services, service
 * definitions, POST/GET requests, GET request, GET token. Every endpoint answers XML or JSON
 * by the .xml/.json suffix of its last path segment; the reply is built once as JSON and
 * mapped to XML by xml_from_json. Errors are the spec's list of {code, description}. */
#include <math.h>
#include <stdarg.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http/form.h"
#include "http/handlers.h"
#include "http/xml.h"
#include "service/apikey.h"
#include "service/open311.h"
#include "service/validate.h"
#include "util/log.h"
#include "util/str.h"

/* The one jurisdiction this endpoint serves: the region (data/regions/vko). The parameter is
 * optional (spec 1.1); any other value is 404. */
#define O311_JURISDICTION "vko"
/* Sortable marker of the last change of the endpoint's definition (discovery). */
#define O311_CHANGESET  "2026-03-01T00:00:00Z"
#define O311_SPEC       "http://wiki.open311.org/GeoReport_v2"
#define DESCRIPTION_MAX 4000                     /* characters (spec 1.5) */
#define SPAN_US         (90LL * 86400 * 1000000) /* default and largest date range (spec 1.7) */
#define PAGE_SIZE_MAX   1000                     /* "first 1000 requests" (spec 1.7) */
#define IDS_MAX         1000                     /* ids in one service_request_id list */
#define REPLY_MAX       (64u << 20)              /* an XML reply larger than this is a bug */

enum fmt { FMT_XML, FMT_JSON };

static const xml_items_t items[] = {
    {"services", "service"},
    {"service_requests", "request"},
    {"errors", "error"},
    {"attributes", "attribute"},
    {"values", "value"},
    {"endpoints", "endpoint"},
    {"formats", "format"},
    {"service_request_updates", "request_update"},
    {NULL, NULL},
};

/* ==== Replies ==== */

/* The service_request_id of a number: its ASCII form ("Z-2026-000165"), which clients put
 * into URL paths unescaped; every URL also takes the Cyrillic number. buf: 64 bytes. */
static const char *o311_id(const char *number, char *buf)
{
    return appeal_number_ascii(number, buf, 64) ? number : buf;
}

/* Sends v (stolen) as JSON, or as XML under the root element `root`. */
static void reply(http_req_t *req, int status, enum fmt f, json_t *v, const char *root)
{
    char *text = NULL;
    size_t len = 0;
    if (f == FMT_JSON) {
        text = json_dumps(v, JSON_COMPACT | JSON_REAL_PRECISION(15));
        len = text ? strlen(text) : 0;
    } else {
        xbuf_t b;
        xml_init(&b, REPLY_MAX);
        xml_declaration(&b);
        xml_from_json(&b, root, v, items);
        text = xml_take(&b, &len);
    }
    json_decref(v);
    if (!text) {
        log_error("%s %s: cannot encode the reply", req->method, req->path);
        return; /* the dispatcher answers 500 */
    }
    struct MHD_Response *r = MHD_create_response_from_buffer(len, text, MHD_RESPMEM_MUST_FREE);
    if (!r) {
        free(text);
        return;
    }
    MHD_add_response_header(r, "Content-Type",
                            f == FMT_JSON ? "application/json; charset=utf-8"
                                          : "text/xml; charset=utf-8");
    MHD_add_response_header(r, "Cache-Control", "no-store");
    http_set_response(req, status, r, len);
}

/* The spec's error list with one error; status is 400, 403, 404 (or 405, 429, 5xx). */
static void reply_error(http_req_t *req, enum fmt f, int status, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void reply_error(http_req_t *req, enum fmt f, int status, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    reply(req, status, f, json_pack("[{s:i, s:s}]", "code", status, "description", msg), "errors");
}

/* Open311 has only 400, 403 and 404 for client errors; the rest keep their meaning. */
static int status_of(int ot)
{
    switch (ot) {
    case OT_EUNAUTH:
    case OT_EFORBIDDEN:
        return 403;
    case OT_ENOTFOUND:
        return 404;
    case OT_ELIMIT:
        return 429;
    case OT_EUNAVAIL:
        return 503;
    case OT_EINTERNAL:
        return 500;
    default:
        return 400;
    }
}

/* The intake's field names in Open311's words. */
static const char *field_name(const char *f)
{
    static const char *const map[][2] = {
        {"text", "description"},
        {"address", "address_string"},
        {"lon", "long"},
        {"category", "service_code"},
        {"district", "attribute[district]"},
        {"language", "attribute[language]"},
        {"kind", "attribute[kind]"},
        {"applicant.full_name", "first_name/last_name"},
        {"applicant.phone", "phone"},
        {"applicant.email", "email"},
        {"applicant.postal_address", "email/phone"},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (!strcmp(map[i][0], f))
            return map[i][1];
    return f;
}

static void reply_err(http_req_t *req, enum fmt f, const ot_err_t *err)
{
    int status = status_of(err->status);
    if (status >= 500) {
        log_error("%s %s: %s: %s", req->method, req->path, err->code, err->message);
        reply_error(req, f, status, "internal error: try again later");
        return;
    }
    if (err->field[0])
        reply_error(req, f, status, "%s: %s", field_name(err->field), err->message);
    else
        reply_error(req, f, status, "%s", err->message);
}

/* ==== Request input ==== */

/* Splits "name.json" into name and format; -1 for another or no suffix. */
static int split_fmt(const char *seg, char *base, size_t n, enum fmt *f)
{
    const char *dot = strrchr(seg, '.');
    if (!dot || dot == seg || (size_t)(dot - seg) >= n)
        return -1;
    if (!strcmp(dot, ".json"))
        *f = FMT_JSON;
    else if (!strcmp(dot, ".xml"))
        *f = FMT_XML;
    else
        return -1;
    memcpy(base, seg, (size_t)(dot - seg));
    base[dot - seg] = '\0';
    return 0;
}

/* A client with a valid API key has a budget of its own, KEY_BUDGET times the public limit
 * per address: a full service-list sync (36 documents) every minute fits in it. */
#define KEY_BUDGET 10

/* Counts the request against the limit of its API key (key_id, when not 0) or else the
 * public limit of its address (the portal's, http_public_limit); replies 429 with
 * Retry-After when over it. */
static int limited_as(http_req_t *req, enum fmt f, int64_t key_id)
{
    char addr[64], who[32];
    int ra;
    if (key_id) {
        rl_rule_t rule = req->app->cfg.public_per_ip;
        rule.limit *= KEY_BUDGET;
        snprintf(who, sizeof who, "%lld", (long long)key_id);
        ra = rl_hit(req->app->rl, "o311key", who, &rule, clock_now_us());
    } else
        ra = rl_hit(req->app->rl, "public", http_client_addr(req, addr, sizeof addr),
                    &req->app->cfg.public_per_ip, clock_now_us());
    if (!ra)
        return 0;
    char v[16];
    snprintf(v, sizeof v, "%d", ra);
    reply_error(req, f, 429, "too many requests: try again in %d s", ra);
    http_reply_header(req, "Retry-After", v);
    return 1;
}

/* limited_as under key, when it is a valid API key (an invalid one counts as none). */
static int limited(http_req_t *req, enum fmt f, const char *key)
{
    int64_t key_id = 0;
    ot_err_t err;
    if (!key || apikey_check(req->app->svc.store, key, &key_id, &err))
        key_id = 0;
    return limited_as(req, f, key_id);
}

/* 404 for a jurisdiction_id other than ours. */
static int bad_juris(http_req_t *req, enum fmt f, const char *j)
{
    if (!j || !strcmp(j, O311_JURISDICTION))
        return 0;
    reply_error(req, f, 404, "jurisdiction_id not found: this endpoint serves '%s'",
                O311_JURISDICTION);
    return 1;
}

/* 0 kk, 1 ru, 2 en: the names of services and bodies (extension `locale`, default ru). */
static int locale_of(http_req_t *req)
{
    const char *l = http_query_opt(req, "locale");
    if (l && !strncasecmp(l, "kk", 2))
        return 0;
    if (l && !strncasecmp(l, "en", 2))
        return 2;
    return 1;
}

/* W3C date-time in the jurisdiction's zone, whole seconds; null for 0. */
static json_t *w3(const svc_t *svc, const char *jur, int64_t us)
{
    if (!us)
        return json_null();
    char buf[40];
    instant_format(us - us % 1000000, svc_utc_offset(svc, jur), buf, sizeof buf);
    return json_string(buf);
}

/* ==== Discovery ==== */

void h_o311_discovery(http_req_t *req)
{
    char base[32];
    enum fmt f;
    if (split_fmt(req->params[0], base, sizeof base, &f) || strcmp(base, "discovery")) {
        reply_error(req, FMT_XML, 404, "no such resource: try discovery.xml or discovery.json");
        return;
    }
    if (limited(req, f, http_query_opt(req, "api_key")))
        return;
    const char *host = http_header(req, "Host");
    const char *proto = http_header(req, "X-Forwarded-Proto");
    if (!host || strlen(host) > 200 || strpbrk(host, " \"'<>/\\"))
        host = "localhost";
    char url[300];
    snprintf(url, sizeof url, "%s://%s/open311/v2",
             proto && !strcmp(proto, "https") ? "https" : "http", host);
    json_t *d = json_pack(
        "{s:s, s:s, s:s, s:[{s:s, s:s, s:s, s:s, s:[s, s]}]}", "changeset", O311_CHANGESET,
        "contact", "Akimat of East Kazakhstan region: citizens' appeals office", "key_service",
        "API keys are issued per client application by the Otinish administrator "
        "(otinish apikey add NAME); jurisdiction_id: " O311_JURISDICTION,
        "endpoints", "specification", O311_SPEC, "url", url, "changeset", O311_CHANGESET, "type",
        "production", "formats", "text/xml", "application/json");
    reply(req, 200, f, d, "discovery");
}

/* ==== Services ==== */

/* Attribute definitions every service shares; `district` is required where the category
 * is handled locally (routing needs the district, region.h REGION_LOCAL). */
static const char *const kinds[] = {"report", "statement", "proposal", "request", NULL};

struct svc_walk {
    int loc;
    json_t *list;     /* GET services */
    const char *code; /* GET services/{code}, POST: the one looked for */
    int found, local, security;
    json_t *districts; /* values of attribute[district] */
};

static int add_service(const region_category_t *c, void *arg)
{
    struct svc_walk *w = arg;
    if (w->code) {
        if (strcmp(c->code, w->code))
            return 0;
        w->found = 1;
        w->local = c->competence == REGION_LOCAL;
        w->security = c->security_report;
        return 1;
    }
    const char *names[3] = {c->name_kk, c->name_ru, c->name_en};
    char desc[800];
    snprintf(desc, sizeof desc, "%s / %s / %s", c->name_kk, c->name_ru, c->name_en);
    json_array_append_new(w->list, json_pack("{s:s, s:s, s:s, s:b, s:s, s:o, s:s}", "service_code",
                                             c->code, "service_name", names[w->loc], "description",
                                             desc, "metadata", 1, "type", "realtime", "keywords",
                                             http_json_opt_str(c->keywords), "group", c->group));
    return 0;
}

static int add_district(const region_district_t *d, void *arg)
{
    struct svc_walk *w = arg;
    const char *names[3] = {d->name_kk, d->name_ru, d->name_en};
    json_array_append_new(w->districts,
                          json_pack("{s:s, s:s}", "key", d->code, "name", names[w->loc]));
    return 0;
}

/* GET /open311/v2/services.{fmt} and GET /open311/v2/requests.{fmt} share one pattern. */
static void services_list(http_req_t *req, enum fmt f)
{
    struct svc_walk w = {.loc = locale_of(req), .list = json_array()};
    ot_err_t err;
    if (o311_categories(&req->app->svc, add_service, &w, &err)) {
        json_decref(w.list);
        reply_err(req, f, &err);
        return;
    }
    reply(req, 200, f, w.list, "services");
}

/* Finds service code; fills w (found, local, security). */
static int find_service(const svc_t *svc, const char *code, struct svc_walk *w, ot_err_t *err)
{
    w->code = code;
    return o311_categories(svc, add_service, w, err);
}

void h_o311_service(http_req_t *req)
{
    char code[64];
    enum fmt f;
    if (split_fmt(req->params[0], code, sizeof code, &f)) {
        reply_error(req, FMT_XML, 404, "no such service definition");
        return;
    }
    if (limited(req, f, http_query_opt(req, "api_key")) ||
        bad_juris(req, f, http_query_opt(req, "jurisdiction_id")))
        return;
    const svc_t *svc = &req->app->svc;
    struct svc_walk w = {.loc = locale_of(req), .districts = json_array()};
    ot_err_t err;
    if (find_service(svc, code, &w, &err) ||
        (w.found && o311_districts(svc, add_district, &w, &err))) {
        json_decref(w.districts);
        reply_err(req, f, &err);
        return;
    }
    if (!w.found) {
        json_decref(w.districts);
        reply_error(req, f, 404, "service_code not found: %s", code);
        return;
    }
    json_t *kv = json_array();
    static const char *const kind_names[] = {"report (сообщение)", "statement (заявление)",
                                             "proposal (предложение)", "request (запрос)"};
    for (int i = 0; kinds[i]; i++)
        json_array_append_new(kv, json_pack("{s:s, s:s}", "key", kinds[i], "name", kind_names[i]));
    json_t *attrs = json_pack(
        "[{s:b, s:s, s:s, s:b, s:s, s:i, s:s, s:o},"
        " {s:b, s:s, s:s, s:b, s:s, s:i, s:s, s:[{s:s, s:s}, {s:s, s:s}]},"
        " {s:b, s:s, s:s, s:b, s:s, s:i, s:s, s:o}]",
        "variable", 1, "code", "district", "datatype", "singlevaluelist", "required", w.local,
        "datatype_description", "a district or city of the region", "order", 1, "description",
        w.local ? "District or city where the problem is (the local akimat handles it)"
                : "District or city where the problem is",
        "values", w.districts, "variable", 1, "code", "language", "datatype", "singlevaluelist",
        "required", 0, "datatype_description", "kk or ru; default ru", "order", 2, "description",
        "Language of the appeal and of the answer", "values", "key", "ru", "name", "Русский", "key",
        "kk", "name", "Қазақша", "variable", 1, "code", "kind", "datatype", "singlevaluelist",
        "required", 0, "datatype_description", "default report", "order", 3, "description",
        "Kind of appeal (it sets the legal term of the answer)", "values", kv);
    reply(req, 200, f, json_pack("{s:s, s:o}", "service_code", code, "attributes", attrs),
          "service_definition");
}

/* ==== Requests: reading ==== */

static const char *status_notes(const o311_rec_t *r, char *buf, size_t n)
{
    if (!strcmp(r->status, "not_considered"))
        return "not considered: an appeal without the applicant's name and contact is not "
               "considered unless it reports a crime or a threat to security";
    if (r->terminate_reason[0])
        snprintf(buf, n, "terminated: %s", r->terminate_reason);
    else if (r->decision[0])
        snprintf(buf, n, "%s: %s", r->status, r->decision);
    else
        snprintf(buf, n, "%s", r->status);
    for (char *p = buf; *p; p++)
        if (*p == '_')
            *p = ' ';
    return buf;
}

/* The public view: no applicant data (domain/o311_rec.h). */
static json_t *request_json(const svc_t *svc, const o311_rec_t *r, int loc)
{
    int open = appeal_is_open((appeal_status_t)appeal_status_parse(r->status));
    char notes[96], idbuf[64];
    int64_t updated = r->updated_at;
    if (!open && r->closed_at)
        updated = r->closed_at;
    else if (!open && r->answered_at)
        updated = r->answered_at;
    json_t *expected = json_null();
    ot_day_t due;
    if (r->due_on[0] && !date_parse(r->due_on, &due)) {
        int off = svc_utc_offset(svc, r->jurisdiction);
        json_decref(expected);
        expected = w3(svc, r->jurisdiction, instant_from_local(due, r->workday_end_min, off));
    }
    json_t *o = json_pack(
        "{s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:n, s:o, s:o, s:o, s:o, s:o, s:n}",
        "service_request_id", o311_id(r->number, idbuf), "status", open ? "open" : "closed",
        "status_notes", status_notes(r, notes, sizeof notes), "service_name", r->category_name[loc],
        "service_code", r->category, "description", http_json_opt_str(r->text),
        "agency_responsible", r->body_name[loc], "service_notice", "requested_datetime",
        w3(svc, r->jurisdiction, r->received_at), "updated_datetime",
        w3(svc, r->jurisdiction, updated), "expected_datetime", expected, "address",
        http_json_opt_str(r->address), "address_id", http_json_opt_str(r->address_id), "zipcode");
    json_object_set_new(o, "lat", r->has_coords ? json_real(r->lat) : json_null());
    json_object_set_new(o, "long", r->has_coords ? json_real(r->lon) : json_null());
    json_object_set_new(o, "media_url", http_json_opt_str(r->media_url));
    return o;
}

struct req_walk {
    const svc_t *svc;
    int loc;
    json_t *list;
};

static int add_request(const o311_rec_t *r, void *arg)
{
    struct req_walk *w = arg;
    json_array_append_new(w->list, request_json(w->svc, r, w->loc));
    return 0;
}

static int q_instant(http_req_t *req, enum fmt f, const char *name, int64_t *out, int *given)
{
    const char *v = http_query_opt(req, name);
    *given = v != NULL;
    if (v && instant_parse(v, out)) {
        reply_error(req, f, 400,
                    "%s must be a W3C date-time with a timezone, e.g. 2026-03-20T17:00:00+05:00",
                    name);
        return -1;
    }
    return 0;
}

static void requests_by_id(http_req_t *req, enum fmt f, const char *ids_param, int loc)
{
    char *ids = strdup(ids_param);
    char **list = calloc(IDS_MAX, sizeof *list);
    json_t *out = json_array();
    ot_err_t err;
    int n = ids && list ? form_split_list(ids, list, IDS_MAX) : -2;
    if (n == -2) {
        json_decref(out);
        reply_error(req, f, 500, "out of memory");
        goto done;
    }
    if (n < 0) {
        json_decref(out);
        reply_error(req, f, 400, "service_request_id: at most %d ids", IDS_MAX);
        goto done;
    }
    for (int i = 0; i < n; i++) {
        o311_rec_t r = {0};
        int rc = o311_get(&req->app->svc, list[i], &r, &err);
        if (rc == OT_ENOTFOUND)
            continue;
        if (rc) {
            json_decref(out);
            reply_err(req, f, &err);
            goto done;
        }
        json_array_append_new(out, request_json(&req->app->svc, &r, loc));
        o311_rec_free(&r);
    }
    reply(req, 200, f, out, "service_requests");
done:
    free(list);
    free(ids);
}

static void requests_list(http_req_t *req, enum fmt f)
{
    int loc = locale_of(req);
    const char *ids = http_query_opt(req, "service_request_id");
    if (ids) { /* overrides every other argument (spec 1.7) */
        requests_by_id(req, f, ids, loc);
        return;
    }
    o311_filter_t flt;
    memset(&flt, 0, sizeof flt);
    char codes[1024], statuses[64];
    const char *v;
    if ((v = http_query_opt(req, "service_code"))) {
        snprintf(codes, sizeof codes, "%s", v);
        int n = strlen(v) < sizeof codes
                    ? form_split_list(codes, (char **)flt.codes, O311_MAX_CODES)
                    : -1;
        if (n < 0) {
            reply_error(req, f, 400, "service_code: at most %d codes", O311_MAX_CODES);
            return;
        }
        flt.n_codes = n;
        if (!n) { /* only commas: nothing asked for, as if missing */
            flt.n_codes = 0;
        }
    }
    flt.want_open = flt.want_closed = 1;
    if ((v = http_query_opt(req, "status"))) {
        char *st[4];
        snprintf(statuses, sizeof statuses, "%s", v);
        int n = strlen(v) < sizeof statuses ? form_split_list(statuses, st, 4) : -1;
        for (int i = 0; i < n; i++)
            if (strcmp(st[i], "open") && strcmp(st[i], "closed"))
                n = -1;
        if (n < 0) {
            reply_error(req, f, 400, "status must be open, closed or both separated by a comma");
            return;
        }
        if (n > 0) {
            flt.want_open = flt.want_closed = 0;
            for (int i = 0; i < n; i++)
                *(st[i][0] == 'o' ? &flt.want_open : &flt.want_closed) = 1;
        }
    }
    int64_t from = 0, to = 0;
    int has_from, has_to;
    if (q_instant(req, f, "start_date", &from, &has_from) ||
        q_instant(req, f, "end_date", &to, &has_to))
        return;
    if (has_from && has_to && to < from) {
        reply_error(req, f, 400, "end_date is before start_date");
        return;
    }
    if (has_from && has_to && to - from > SPAN_US) {
        reply_error(req, f, 400, "the range from start_date to end_date may not exceed 90 days");
        return;
    }
    if (!has_from && !has_to) {
        from = clock_now_us() - SPAN_US;
        to = INT64_MAX;
    } else if (!has_to)
        to = from + SPAN_US;
    else if (!has_from)
        from = to - SPAN_US;
    flt.from = from;
    /* the dates we write have whole seconds: an end_date of a second includes all of it */
    flt.to = has_to && to % 1000000 == 0 && to < INT64_MAX - 999999 ? to + 999999 : to;
    long page = 1, size = PAGE_SIZE_MAX;
    if ((v = http_query_opt(req, "page_size")) && str_to_long(v, 1, PAGE_SIZE_MAX, &size)) {
        reply_error(req, f, 400, "page_size must be 1..%d", PAGE_SIZE_MAX);
        return;
    }
    if ((v = http_query_opt(req, "page")) && str_to_long(v, 1, 1000000, &page)) {
        reply_error(req, f, 400, "page must be 1..1000000");
        return;
    }
    flt.limit = (int)size;
    flt.offset = (int)((page - 1) * size > 2000000000L ? 2000000000L : (page - 1) * size);
    struct req_walk w = {&req->app->svc, loc, json_array()};
    ot_err_t err;
    if (o311_list(&req->app->svc, &flt, add_request, &w, &err)) {
        json_decref(w.list);
        reply_err(req, f, &err);
        return;
    }
    reply(req, 200, f, w.list, "service_requests");
}

/* ==== servicerequestupdates (mySociety's extension, used by FixMyStreet) ==== */

static int add_update(const o311_update_t *u, void *arg)
{
    struct req_walk *w = arg;
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)u->id);
    int open = appeal_is_open((appeal_status_t)appeal_status_parse(u->to_status));
    char idbuf[64];
    json_array_append_new(
        w->list,
        json_pack("{s:s, s:s, s:s, s:o, s:s, s:n, s:s}", "update_id", id, "service_request_id",
                  o311_id(u->number, idbuf), "status", open ? "open" : "closed", "updated_datetime",
                  w3(w->svc, u->jurisdiction, u->at), "description",
                  u->description ? u->description : "", "media_url", "external_status_code",
                  /* a held answer released is the answer */
                  strcmp(u->action, "appeal.approve") ? u->action + 7 : "answer"));
    return 0;
}

/* The public changes in [start_date, end_date) (default: the 90 days before now, the most
 * one call covers), oldest first, at most PAGE_SIZE_MAX. */
static void updates_list(http_req_t *req, enum fmt f)
{
    int64_t now = clock_now_us(), from = now - SPAN_US, to = now;
    int has_from, has_to;
    if (q_instant(req, f, "start_date", &from, &has_from) ||
        q_instant(req, f, "end_date", &to, &has_to))
        return;
    if (has_from && !has_to)
        to = from + SPAN_US < now ? from + SPAN_US : now;
    if (has_to && !has_from)
        from = to - SPAN_US;
    if (to < from || to - from > SPAN_US) {
        reply_error(req, f, 400,
                    "start_date must not be after end_date, and at most 90 days apart");
        return;
    }
    struct req_walk w = {&req->app->svc, 1, json_array()};
    ot_err_t err;
    if (o311_updates(&req->app->svc, from, to, PAGE_SIZE_MAX, add_update, &w, &err)) {
        json_decref(w.list);
        reply_err(req, f, &err);
        return;
    }
    reply(req, 200, f, w.list, "service_request_updates");
}

void h_o311_get(http_req_t *req)
{
    char base[32];
    enum fmt f;
    if (split_fmt(req->params[0], base, sizeof base, &f) ||
        (strcmp(base, "services") && strcmp(base, "requests") &&
         strcmp(base, "servicerequestupdates"))) {
        reply_error(req, FMT_XML, 404, "no such resource");
        return;
    }
    if (limited(req, f, http_query_opt(req, "api_key")) ||
        bad_juris(req, f, http_query_opt(req, "jurisdiction_id")))
        return;
    if (!strcmp(base, "services"))
        services_list(req, f);
    else if (!strcmp(base, "servicerequestupdates"))
        updates_list(req, f);
    else
        requests_list(req, f);
}

void h_o311_request(http_req_t *req)
{
    char id[64];
    enum fmt f;
    if (split_fmt(req->params[0], id, sizeof id, &f)) {
        reply_error(req, FMT_XML, 404, "no such service request");
        return;
    }
    if (limited(req, f, http_query_opt(req, "api_key")) ||
        bad_juris(req, f, http_query_opt(req, "jurisdiction_id")))
        return;
    o311_rec_t r = {0};
    ot_err_t err;
    if (o311_get(&req->app->svc, id, &r, &err)) {
        reply_err(req, f, &err);
        return;
    }
    json_t *list = json_array();
    json_array_append_new(list, request_json(&req->app->svc, &r, locale_of(req)));
    o311_rec_free(&r);
    reply(req, 200, f, list, "service_requests");
}

/* Requests are created synchronously, so the token is the service_request_id itself (the
 * POST already returns the id; this endpoint is for clients that always ask). */
void h_o311_token(http_req_t *req)
{
    char token[64];
    enum fmt f;
    if (split_fmt(req->params[0], token, sizeof token, &f)) {
        reply_error(req, FMT_XML, 404, "no such token");
        return;
    }
    if (limited(req, f, http_query_opt(req, "api_key")) ||
        bad_juris(req, f, http_query_opt(req, "jurisdiction_id")))
        return;
    o311_rec_t r = {0};
    ot_err_t err;
    if (o311_get(&req->app->svc, token, &r, &err)) {
        if (err.status == OT_ENOTFOUND)
            reply_error(req, f, 404, "token not found: %s", token);
        else
            reply_err(req, f, &err);
        return;
    }
    char idbuf[64];
    const char *id = o311_id(r.number, idbuf);
    reply(req, 200, f, json_pack("[{s:s, s:s}]", "service_request_id", id, "token", id),
          "service_requests");
    o311_rec_free(&r);
}

/* ==== Requests: POST ==== */

static int is_form_type(const char *ct)
{
    static const char want[] = "application/x-www-form-urlencoded";
    if (!ct)
        return 0;
    size_t n = strcspn(ct, ";");
    while (n && (ct[n - 1] == ' ' || ct[n - 1] == '\t'))
        n--;
    return n == sizeof want - 1 && !strncasecmp(ct, want, n);
}

static int parse_coord(const char *s, double min, double max, double *out)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || *end || !isfinite(v) || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

static int good_url(const char *u)
{
    size_t n = strlen(u);
    if (n > 2000 || (strncmp(u, "http://", 7) && strncmp(u, "https://", 8)))
        return 0;
    for (const unsigned char *p = (const unsigned char *)u; *p; p++)
        if (*p <= ' ' || *p == '"' || *p == '<' || *p == '>' || *p == '\\' || *p >= 0x7f)
            return 0;
    return n > 8;
}

/* Checks an optional free field: length and no control characters. */
static int short_field(http_req_t *req, enum fmt f, const char *name, const char *v, size_t max)
{
    ot_err_t err;
    if (v && text_check(v, strlen(v), max, 0, name, &err)) {
        reply_error(req, f, 400, "%s: %s", name, err.message);
        return -1;
    }
    return 0;
}

struct post_in {
    o311_intake_t r;
    char full_name[700];
};

/* The attribute[code] fields. Ours (district, language, kind) are checked; any other a
 * client sends (FixMyStreet's closest_address, an administrator's extra fields) is kept in
 * *extra (a JSON object, repeated "[]" keys as arrays) and never used for routing. */
static int read_attributes(http_req_t *req, enum fmt f, const form_t *fm, struct post_in *p,
                           json_t *extra)
{
    for (int i = 0; i < fm->n; i++) {
        const char *k = fm->key[i];
        if (strncmp(k, "attribute[", 10))
            continue;
        const char *code = k + 10, *end = strchr(code, ']');
        if (!end || (end[1] && strcmp(end + 1, "[]"))) {
            reply_error(req, f, 400, "%.64s: attributes are attribute[code]=value", k);
            return -1;
        }
        size_t n = (size_t)(end - code);
        const char *v = *fm->val[i] ? fm->val[i] : NULL;
        if (n == 8 && !strncmp(code, "district", n))
            p->r.in.district = v;
        else if (n == 8 && !strncmp(code, "language", n))
            p->r.in.language = v ? v : p->r.in.language;
        else if (n == 4 && !strncmp(code, "kind", n)) {
            if (v && vocab_find(kinds, v) < 0) {
                reply_error(req, f, 400,
                            "attribute[kind] must be report, statement, proposal "
                            "or request");
                return -1;
            }
            p->r.in.kind = v ? v : p->r.in.kind;
        } else {
            char name[65];
            snprintf(name, sizeof name, "%.*s", (int)(n < 64 ? n : 64), code);
            json_t *val = json_string(fm->val[i]);
            if (!n || !val || json_object_size(extra) >= 32 || strlen(fm->val[i]) > 1000) {
                json_decref(val);
                reply_error(req, f, 400,
                            "%.64s: an extra attribute is a UTF-8 value of at most 1000 bytes, "
                            "at most 32 of them",
                            k);
                return -1;
            }
            json_t *have = json_object_get(extra, name);
            if (end[1]) { /* attribute[code][]: a list */
                if (!have)
                    json_object_set_new(extra, name, have = json_array());
                if (json_is_array(have))
                    json_array_append(have, val);
            } else
                json_object_set(extra, name, val);
            json_decref(val);
        }
    }
    return 0;
}

static void create_request(http_req_t *req, enum fmt f)
{
    form_t fm = {0};
    char msg[160];
    json_t *extra = NULL;
    char *extra_text = NULL;
    const svc_t *svc = &req->app->svc;
    struct post_in p;
    memset(&p, 0, sizeof p);
    ot_err_t err;
    if (!is_form_type(http_header(req, "Content-Type"))) {
        reply_error(req, f, 400, "the body must be application/x-www-form-urlencoded");
        goto out;
    }
    if (form_parse(&fm, req->body, req->body_len, msg, sizeof msg)) {
        reply_error(req, f, 400, "%s", msg);
        goto out;
    }
    /* real clients send jurisdiction_id and even api_key in the query string on POST */
    const char *key = form_get(&fm, "api_key");
    if (!key)
        key = http_query_opt(req, "api_key");
    /* the key is checked once: its id picks the rate limit, its error is the reply */
    int key_rc = apikey_check(svc->store, key, &p.r.api_key, &err);
    if (limited_as(req, f, key_rc ? 0 : p.r.api_key))
        goto out;
    if (key_rc) {
        reply_err(req, f, &err);
        goto out;
    }
    const char *jb = form_get(&fm, "jurisdiction_id"), *jq = http_query_opt(req, "jurisdiction_id");
    if (bad_juris(req, f, jb) || bad_juris(req, f, jq))
        goto out;
    const char *code = form_get(&fm, "service_code");
    if (!code) {
        reply_error(req, f, 400, "service_code is required");
        goto out;
    }
    struct svc_walk w = {.loc = 1};
    if (find_service(svc, code, &w, &err)) {
        reply_err(req, f, &err);
        goto out;
    }
    if (!w.found) {
        reply_error(req, f, 404, "service_code not found: %.64s", code);
        goto out;
    }
    intake_t *in = &p.r.in;
    in->kind = "report";
    in->channel = "open311";
    in->category = code;
    in->language = "ru";
    extra = json_object();
    if (!extra || read_attributes(req, f, &fm, &p, extra))
        goto out;
    if (json_object_size(extra))
        p.r.extra_attributes = extra_text = json_dumps(extra, JSON_COMPACT | JSON_SORT_KEYS);
    if (w.local && !in->district) {
        reply_error(req, f, 400, "attribute[district] is required for service %.64s", code);
        goto out;
    }
    const char *lat = form_get(&fm, "lat"), *lon = form_get(&fm, "long");
    if (!lat != !lon) {
        reply_error(req, f, 400, "lat and long come together");
        goto out;
    }
    if (lat && (parse_coord(lat, -90, 90, &in->lat) || parse_coord(lon, -180, 180, &in->lon))) {
        reply_error(req, f, 400, "lat must be -90..90 and long -180..180 (WGS84 degrees)");
        goto out;
    }
    in->has_coords = lat != NULL;
    in->address = form_get(&fm, "address_string");
    p.r.address_id = form_get(&fm, "address_id");
    if (!lat && !in->address && !p.r.address_id) {
        reply_error(req, f, 400,
                    "a location is required: lat and long, address_string or "
                    "address_id");
        goto out;
    }
    in->text = form_get(&fm, "description");
    size_t chars = in->text ? text_utf8_chars(in->text, strlen(in->text)) : 0;
    if (!in->text) {
        reply_error(req, f, 400, "description is required: what is the problem?");
        goto out;
    }
    if (chars > DESCRIPTION_MAX) {
        reply_error(req, f, 400, "description is longer than %d characters", DESCRIPTION_MAX);
        goto out;
    }
    p.r.media_url = form_get(&fm, "media_url");
    if (p.r.media_url && !good_url(p.r.media_url)) {
        reply_error(req, f, 400, "media_url must be an http or https URL");
        goto out;
    }
    p.r.device_id = form_get(&fm, "device_id");
    p.r.account_id = form_get(&fm, "account_id");
    if (short_field(req, f, "address_id", p.r.address_id, 120) ||
        short_field(req, f, "device_id", p.r.device_id, 200) ||
        short_field(req, f, "account_id", p.r.account_id, 200))
        goto out;
    /* The applicant: a name makes an individual (who then needs an e-mail or a phone for the
     * answer, as on the portal); no name files an anonymous appeal, and the contact fields
     * are then dropped, not kept (docs/open311.md). */
    const char *first = form_get(&fm, "first_name"), *last = form_get(&fm, "last_name");
    if (first || last) {
        snprintf(p.full_name, sizeof p.full_name, "%.300s%s%.300s", first ? first : "",
                 first && last ? " " : "", last ? last : "");
        in->applicant_type = "individual";
        in->full_name = p.full_name;
        in->email = form_get(&fm, "email");
        in->phone = form_get(&fm, "phone");
    } else
        in->applicant_type = "anonymous";
    receipt_t r;
    if (o311_submit(svc, &p.r, clock_now_us(), &r, &err)) {
        reply_err(req, f, &err);
        goto out;
    }
    char notice[600], idbuf[64];
    if (!strcmp(r.status, "not_considered"))
        snprintf(notice, sizeof notice,
                 "Registered as %s (%s). An appeal without a name and an e-mail or phone is not "
                 "considered unless it reports a crime or a threat to security.",
                 r.number, o311_id(r.number, idbuf));
    else
        snprintf(
            notice, sizeof notice,
            "Registered as %s (%s) on %s; the answer is due by %s. The description and address "
            "are published (phone numbers, IINs and e-mail addresses in them masked).",
            r.number, o311_id(r.number, idbuf), r.registered_on, r.due_on);
    json_t *acc = http_json_opt_str(p.r.account_id);
    memset(r.access_code, 0, sizeof r.access_code);
    reply(req, 200, f,
          json_pack("[{s:s, s:s, s:o}]", "service_request_id", o311_id(r.number, idbuf),
                    "service_notice", notice, "account_id", acc),
          "service_requests");
out:
    json_decref(extra);
    free(extra_text);
    form_free(&fm);
}

void h_o311_post(http_req_t *req)
{
    char base[32];
    enum fmt f;
    if (split_fmt(req->params[0], base, sizeof base, &f) ||
        (strcmp(base, "requests") && strcmp(base, "services"))) {
        reply_error(req, FMT_XML, 404, "no such resource");
        return;
    }
    if (strcmp(base, "requests")) {
        reply_error(req, f, 405, "services are read only: use GET");
        http_reply_header(req, "Allow", "GET");
        return;
    }
    create_request(req, f);
}
