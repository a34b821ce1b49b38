/* Open311 GeoReport v2 against the real server: discovery, services and definitions, POST
 * requests (keys, validation, applicants), GET requests with every filter and its edge,
 * GET request and token, every error in both formats, and the JSON replies validated
 * against the spec's own JSON Schemas (tests/api/open311-schemas/, source and licence in its
 * README) by tests/api/schema_check.py. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "domain/date.h"

#define SCHEMAS "tests/api/open311-schemas/"
#define FORM    "application/x-www-form-urlencoded"
#define DAY_US  (86400LL * 1000000)

static srv_t S;
static char key[128], key2[128];

/* Runs otinish with args; stdout into out. */
static int cli(srv_t *s, const char *const *args, char *out, size_t n)
{
    return run_otinish(s, args, NULL, out, n);
}

static void new_key(srv_t *s, const char *name, char *out, size_t n)
{
    const char *args[] = {"apikey", "add", name, "--db", s->db, NULL};
    assert_int_equal(cli(s, args, out, n), 0);
    out[strcspn(out, "\r\n")] = '\0';
    assert_int_equal(strncmp(out, "o311_", 5), 0);
}

static int setup(void **state)
{
    /* no public rate limit here: limit_gives_429 has its own server */
    const char *serve[] = {"--public-limit", "0", NULL};
    if (srv_start(&S, NULL, serve))
        return -1;
    *state = &S;
    new_key(&S, "FixMyStreet test", key, sizeof key);
    new_key(&S, "Revoked app", key2, sizeof key2);
    return 0;
}

/* Validates a JSON reply body against one of the Open311 schemas. */
static void schema_ok(const resp_t *r, const char *schema)
{
    char path[] = "/tmp/otinish-o311-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, r->body, r->len), (ssize_t)r->len);
    close(fd);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "python3 tests/api/schema_check.py " SCHEMAS "%s %s", schema, path);
    int rc = system(cmd);
    unlink(path);
    if (rc)
        fprintf(stderr, "reply: %.*s\n", (int)(r->len > 2000 ? 2000 : r->len), r->body);
    assert_int_equal(rc, 0);
}

static void type_is(const resp_t *r, const char *want)
{
    char ct[128];
    assert_non_null(resp_header(r, "Content-Type", ct, sizeof ct));
    assert_string_equal(ct, want);
}

static void is_xml(const resp_t *r, const char *root)
{
    static const char decl[] = "<?xml version=\"1.0\" encoding=\"utf-8\"?>";
    type_is(r, "text/xml; charset=utf-8");
    assert_int_equal(strncmp(r->body, decl, sizeof decl - 1), 0);
    char open[64];
    snprintf(open, sizeof open, "<%s", root);
    assert_non_null(strstr(r->body, open));
}

static void is_json(const resp_t *r)
{
    type_is(r, "application/json; charset=utf-8");
    assert_non_null(r->json);
}

/* Asserts an Open311 error reply: the HTTP status and the same code in the body. */
static void o311_error(const resp_t *r, long status, int xml)
{
    if (r->status != status)
        fprintf(stderr, "got %ld: %.*s\n", r->status, (int)r->len, r->body);
    assert_int_equal(r->status, status);
    if (xml) {
        is_xml(r, "errors");
        char want[64];
        snprintf(want, sizeof want, "<errors><error><code>%ld</code><description>", status);
        assert_non_null(strstr(r->body, want));
        return;
    }
    is_json(r);
    assert_true(json_is_array(r->json));
    json_t *e = json_array_get(r->json, 0);
    assert_int_equal(json_integer_value(json_object_get(e, "code")), status);
    assert_non_null(jstr(e, "description"));
}

static resp_t get(srv_t *s, const char *path)
{
    return api_raw(s, "GET", path, NULL, NULL, 0);
}

static resp_t post(srv_t *s, const char *path, const char *form)
{
    return api_raw(s, "POST", path, FORM, form, strlen(form));
}

/* A good POST body about heating in Ridder with key k and extra fields appended. */
static const char *form(const char *k, const char *extra)
{
    static char b[16384];
    snprintf(b, sizeof b,
             "api_key=%s&service_code=heating&attribute%%5Bdistrict%%5D=ridder&lat=50.34"
             "&long=83.51&description=%%D0%%9D%%D0%%B5%%D1%%82+%%D0%%BE%%D1%%82%%D0%%BE%%D0"
             "%%BF%%D0%%BB%%D0%%B5%%D0%%BD%%D0%%B8%%D1%%8F&first_name=Ivan&last_name=Ivanov"
             "&email=ivan%%40example.kz&phone=%%2B77051234567%s",
             k, extra ? extra : "");
    return b;
}

/* POSTs a good request and copies its service_request_id into id. */
static void file(srv_t *s, const char *extra, char *id, size_t n)
{
    resp_t r = post(s, "/open311/v2/requests.json", form(key, extra));
    if (r.status != 200)
        fprintf(stderr, "POST: %ld %.*s\n", r.status, (int)r.len, r.body);
    assert_int_equal(r.status, 200);
    snprintf(id, n, "%s", jstr(json_array_get(r.json, 0), "service_request_id"));
    resp_free(&r);
}

/* The registry's number of a service_request_id (its ASCII form, "S-2026-000004" ->
 * "С-2026-000004"), for SQL on the database; static, one of 4. */
static const char *reg(const char *id)
{
    static const char *const map[][2] = {{"ZP-", "ЗП-"}, {"ZH-", "Ж-"}, {"Z-", "З-"},
                                         {"S-", "С-"},   {"P-", "П-"},  {"O-", "О-"}};
    static char buf[4][64];
    static int k;
    char *out = buf[k++ % 4];
    snprintf(out, 64, "%s", id);
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (!strncmp(id, map[i][0], strlen(map[i][0]))) {
            snprintf(out, 64, "%s%s", map[i][1], id + strlen(map[i][0]));
            break;
        }
    return out;
}

/* Runs SQL on the server's database (WAL: the server keeps running). */
static void sql(srv_t *s, const char *q)
{
    sql_exec(s->db, q);
}

/* The first column of the first row of q, as text, into out (128 bytes). */
static void sql_str(srv_t *s, const char *q, char out[128])
{
    char all[1024];
    sql_query(s->db, q, all, sizeof all);
    all[strcspn(all, "|\n")] = '\0';
    all[127] = '\0';
    memcpy(out, all, strlen(all) + 1);
}

static size_t count(const resp_t *r)
{
    assert_int_equal(r->status, 200);
    assert_true(json_is_array(r->json));
    return json_array_size(r->json);
}

static int has_id(const resp_t *r, const char *id)
{
    size_t i;
    json_t *v;
    json_array_foreach(r->json, i, v) if (!strcmp(jstr(v, "service_request_id"), id)) return 1;
    return 0;
}

/* ==== Discovery and services ==== */

static void discovery_in_both_formats(void **state)
{
    srv_t *s = *state;
    resp_t r = get(s, "/open311/discovery.json");
    assert_int_equal(r.status, 200);
    is_json(&r);
    assert_non_null(jstr(r.json, "changeset"));
    assert_non_null(jstr(r.json, "contact"));
    assert_non_null(jstr(r.json, "key_service"));
    json_t *e = json_array_get(json_object_get(r.json, "endpoints"), 0);
    assert_string_equal(jstr(e, "specification"), "http://wiki.open311.org/GeoReport_v2");
    assert_string_equal(jstr(e, "type"), "production");
    assert_non_null(strstr(jstr(e, "url"), "/open311/v2"));
    json_t *f = json_object_get(e, "formats");
    assert_string_equal(json_string_value(json_array_get(f, 0)), "text/xml");
    assert_string_equal(json_string_value(json_array_get(f, 1)), "application/json");
    resp_free(&r);
    r = get(s, "/open311/discovery.xml");
    assert_int_equal(r.status, 200);
    is_xml(&r, "discovery");
    assert_non_null(strstr(r.body, "<formats><format>text/xml</format><format>application/json"
                                   "</format></formats>"));
    resp_free(&r);
    r = get(s, "/open311/discovery.html");
    o311_error(&r, 404, 1);
    resp_free(&r);
}

static void services_in_both_formats(void **state)
{
    srv_t *s = *state;
    resp_t r = get(s, "/open311/v2/services.json");
    assert_int_equal(r.status, 200);
    is_json(&r);
    schema_ok(&r, "services.json");
    assert_true(json_array_size(r.json) > 10);
    size_t i;
    json_t *v, *heating = NULL;
    json_array_foreach(r.json, i, v) if (!strcmp(jstr(v, "service_code"), "heating")) heating = v;
    assert_non_null(heating);
    assert_string_equal(jstr(heating, "type"), "realtime");
    assert_true(json_is_true(json_object_get(heating, "metadata")));
    assert_non_null(jstr(heating, "group"));
    assert_non_null(jstr(heating, "keywords"));
    resp_free(&r);
    /* the optional locale extension; an empty jurisdiction_id is the same as none */
    r = get(s, "/open311/v2/services.json?locale=en&jurisdiction_id=");
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "\"service_name\":\"Heating"));
    resp_free(&r);
    r = get(s, "/open311/v2/services.xml?jurisdiction_id=vko");
    assert_int_equal(r.status, 200);
    is_xml(&r, "services");
    assert_non_null(strstr(r.body, "<services><service><service_code>"));
    assert_non_null(strstr(r.body, "<metadata>true</metadata><type>realtime</type>"));
    resp_free(&r);
}

static void service_definition_in_both_formats(void **state)
{
    srv_t *s = *state;
    resp_t r = get(s, "/open311/v2/services/heating.json");
    assert_int_equal(r.status, 200);
    is_json(&r);
    schema_ok(&r, "service-definition.json");
    assert_string_equal(jstr(r.json, "service_code"), "heating");
    json_t *a = json_array_get(json_object_get(r.json, "attributes"), 0);
    assert_string_equal(jstr(a, "code"), "district");
    assert_string_equal(jstr(a, "datatype"), "singlevaluelist");
    assert_true(json_is_true(json_object_get(a, "required"))); /* local competence */
    assert_int_equal(json_integer_value(json_object_get(a, "order")), 1);
    assert_true(json_array_size(json_object_get(a, "values")) > 5);
    resp_free(&r);
    r = get(s, "/open311/v2/services/heating.xml");
    assert_int_equal(r.status, 200);
    is_xml(&r, "service_definition");
    assert_non_null(strstr(r.body, "<attributes><attribute><variable>true</variable><code>"
                                   "district</code><datatype>singlevaluelist</datatype>"));
    assert_non_null(strstr(r.body, "<values><value><key>"));
    resp_free(&r);
}

static void service_errors(void **state)
{
    srv_t *s = *state;
    resp_t r = get(s, "/open311/v2/services/no_such.json");
    o311_error(&r, 404, 0);
    resp_free(&r);
    r = get(s, "/open311/v2/services/no_such.xml");
    o311_error(&r, 404, 1);
    resp_free(&r);
    r = get(s, "/open311/v2/services.json?jurisdiction_id=sfgov.org");
    o311_error(&r, 404, 0);
    resp_free(&r);
    r = get(s, "/open311/v2/services/heating.xml?jurisdiction_id=sfgov.org");
    o311_error(&r, 404, 1);
    resp_free(&r);
    r = get(s, "/open311/v2/services.csv"); /* no such format: XML, the required one */
    o311_error(&r, 404, 1);
    resp_free(&r);
    r = post(s, "/open311/v2/services.json", "a=b");
    o311_error(&r, 405, 0);
    resp_free(&r);
}

/* ==== POST requests ==== */

static void post_creates_an_appeal(void **state)
{
    srv_t *s = *state;
    resp_t r = post(s, "/open311/v2/requests.json",
                    form(key, "&media_url=https%3A%2F%2Fexample.kz%2Fp.jpg&account_id=acc-1"
                              "&address_id=&device_id="));
    assert_int_equal(r.status, 200);
    is_json(&r);
    json_t *o = json_array_get(r.json, 0);
    const char *id = jstr(o, "service_request_id");
    assert_non_null(id); /* a string id: the receipt number */
    assert_non_null(strstr(jstr(o, "service_notice"), id));
    assert_string_equal(jstr(o, "account_id"), "acc-1");
    assert_null(json_object_get(o, "token"));
    char n[64];
    snprintf(n, sizeof n, "%s", id);
    resp_free(&r);
    /* the same intake: the appeal is in the staff register with channel open311 */
    char q[256], out[128];
    snprintf(q, sizeof q,
             "SELECT channel || ' ' || applicant_type FROM appeals WHERE number = '%s'", reg(n));
    sql_str(s, q, out);
    assert_string_equal(out, "open311 individual");
    /* XML, jurisdiction_id in the query string and the body, api_key in the query */
    char qs[256];
    snprintf(qs, sizeof qs, "/open311/v2/requests.xml?jurisdiction_id=vko&api_key=%s", key);
    const char *body = form("", "&jurisdiction_id=vko&address_string=Riddr%2C+Gogolya+5");
    r = post(s, qs, body);
    assert_int_equal(r.status, 200);
    is_xml(&r, "service_requests");
    assert_non_null(strstr(r.body, "<service_requests><request><service_request_id>"));
    assert_non_null(strstr(r.body, "<service_notice>"));
    resp_free(&r);
}

static void post_needs_a_valid_key(void **state)
{
    srv_t *s = *state;
    char extra[1] = "";
    resp_t r = post(s, "/open311/v2/requests.json", form("", extra));
    o311_error(&r, 403, 0);
    resp_free(&r);
    r = post(s, "/open311/v2/requests.xml", form("o311_wrong", NULL));
    o311_error(&r, 403, 1);
    resp_free(&r);
    /* revoked: 403 from then on */
    resp_t ok = post(s, "/open311/v2/requests.json", form(key2, NULL));
    assert_int_equal(ok.status, 200);
    resp_free(&ok);
    char out[256];
    const char *list[] = {"apikey", "list", "--db", s->db, NULL};
    assert_int_equal(cli(s, list, out, sizeof out), 0);
    assert_non_null(strstr(out, "Revoked app"));
    assert_null(strstr(out, key2)); /* the key is never shown again */
    const char *rev[] = {"apikey", "revoke", "2", "--db", s->db, NULL};
    assert_int_equal(cli(s, rev, out, sizeof out), 0);
    assert_int_not_equal(cli(s, rev, out, sizeof out), 0); /* already revoked */
    r = post(s, "/open311/v2/requests.json", form(key2, NULL));
    o311_error(&r, 403, 0);
    resp_free(&r);
    const char *bad[] = {"apikey", "revoke", "x", "--db", s->db, NULL};
    assert_int_equal(cli(s, bad, out, sizeof out), 2);
}

static void post_errors(void **state)
{
    srv_t *s = *state;
    static const struct {
        const char *body; /* appended to a good form (later fields win nothing: dupes are 400) */
        long status;
        const char *why;
    } cases[] = {
        {"&jurisdiction_id=sfgov.org", 404, "another jurisdiction"},
        {"&attribute%5Bkind%5D=complaint", 400, "kind outside the list"},
        {"&lat=1", 400, "a field twice"},
        {"&media_url=javascript%3Aalert(1)", 400, "media_url not http(s)"},
        {"&bad=%ZZ", 400, "bad escape"},
        {"&x=%00", 400, "NUL byte"},
        {"&x=%FF", 400, "not UTF-8"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        resp_t r = post(s, "/open311/v2/requests.json", form(key, cases[i].body));
        if (r.status != cases[i].status)
            fprintf(stderr, "case %zu (%s)\n", i, cases[i].why);
        o311_error(&r, cases[i].status, 0);
        resp_free(&r);
    }
    /* whole bodies */
    char b[32000];
    static const struct {
        const char *fmt;
        long status;
        const char *why;
    } whole[] = {
        {"api_key=%s&lat=50&long=83&description=x", 400, "no service_code"},
        {"api_key=%s&service_code=nope&lat=50&long=83&description=x", 404, "unknown service"},
        {"api_key=%s&service_code=heating&attribute%%5Bdistrict%%5D=ridder&description=x", 400,
         "no location"},
        {"api_key=%s&service_code=heating&attribute%%5Bdistrict%%5D=ridder&lat=50&description=x",
         400, "lat without long"},
        {"api_key=%s&service_code=heating&attribute%%5Bdistrict%%5D=ridder&lat=91&long=83"
         "&description=x",
         400, "lat out of range"},
        {"api_key=%s&service_code=heating&lat=50&long=83&description=x", 400,
         "district required for a local service"},
        {"api_key=%s&service_code=heating&attribute%%5Bdistrict%%5D=ridder&lat=50&long=83", 400,
         "no description"},
        {"api_key=%s&service_code=heating&attribute%%5Bdistrict%%5D=ridder&lat=50&long=83"
         "&description=x&first_name=Ivan",
         400, "a name without a contact"},
        {"api_key=%s&service_code=heating&attribute%%5Bdistrict%%5D=nowhere&lat=50&long=83"
         "&description=x",
         400, "unknown district"},
        {"api_key=%s&service_code=heating&attribute%%5Bdistrict%%5D=ridder&lat=50&long=83"
         "&description=x&first_name=Ivan&email=not-an-email",
         400, "bad e-mail"},
    };
    for (size_t i = 0; i < sizeof whole / sizeof whole[0]; i++) {
        snprintf(b, sizeof b, whole[i].fmt, key);
        resp_t r = post(s, "/open311/v2/requests.xml", b);
        if (r.status != whole[i].status)
            fprintf(stderr, "whole %zu (%s)\n", i, whole[i].why);
        o311_error(&r, whole[i].status, 1);
        resp_free(&r);
    }
    /* description: 4000 characters pass, 4001 do not (Cyrillic: 2 bytes each) */
    for (int n = 4000; n <= 4001; n++) {
        int len = snprintf(b, sizeof b,
                           "api_key=%s&service_code=heating&attribute%%5Bdistrict%%5D=ridder"
                           "&lat=50&long=83&description=",
                           key);
        for (int i = 0; i < n; i++)
            len += snprintf(b + len, sizeof b - (size_t)len, "%s", i % 2 ? "%D1%8F" : "a");
        resp_t r = post(s, "/open311/v2/requests.json", b);
        if (n == 4000)
            assert_int_equal(r.status, 200);
        else
            o311_error(&r, 400, 0);
        resp_free(&r);
    }
    /* the body must be a form */
    resp_t r = api_raw(s, "POST", "/open311/v2/requests.json", "application/json", "{}", 2);
    o311_error(&r, 400, 0);
    resp_free(&r);
}

/* No name: filed as anonymous, contact fields dropped; not considered (closed) unless the
 * service is a report of a crime or a threat. */
static void post_without_a_name_is_anonymous(void **state)
{
    srv_t *s = *state;
    char b[1024];
    snprintf(b, sizeof b,
             "api_key=%s&service_code=heating&attribute%%5Bdistrict%%5D=ridder"
             "&address_string=Ridder&description=cold&email=anon%%40example.kz",
             key);
    resp_t r = post(s, "/open311/v2/requests.json", b);
    assert_int_equal(r.status, 200);
    char id[64];
    snprintf(id, sizeof id, "%s", jstr(json_array_get(r.json, 0), "service_request_id"));
    assert_non_null(strstr(jstr(json_array_get(r.json, 0), "service_notice"), "not considered"));
    resp_free(&r);
    r = get(s, api_path(s, "/open311/v2/requests/", id, ".json"));
    json_t *o = json_array_get(r.json, 0);
    assert_string_equal(jstr(o, "status"), "closed");
    assert_non_null(strstr(jstr(o, "status_notes"), "not considered"));
    resp_free(&r);
    char q[512];
    snprintf(q, sizeof q,
             "SELECT 1 FROM appeals WHERE number = '%s' AND applicant_type = 'anonymous' AND "
             "applicant_email IS NULL",
             reg(id));
    char out[128];
    sql_str(s, q, out);
    assert_string_equal(out, "1");
}

/* ==== GET request, token ==== */

static void get_request_and_token(void **state)
{
    srv_t *s = *state;
    char id[64];
    file(s, "&media_url=https%3A%2F%2Fexample.kz%2Fm.jpg&address_string=Ridder%2C+Gogolya+5", id,
         sizeof id);
    /* the id is ASCII only: clients put it into URL paths unescaped (npm open311) */
    for (const char *c = id; *c; c++)
        assert_true((unsigned char)*c < 0x80);
    resp_t r = get(s, api_path(s, "/open311/v2/requests/", reg(id),
                               ".json")); /* the printed number works too */
    assert_int_equal(r.status, 200);
    assert_string_equal(jstr(json_array_get(r.json, 0), "service_request_id"), id);
    resp_free(&r);
    char raw[128];
    snprintf(raw, sizeof raw, "/open311/v2/requests/%s.json", id); /* unescaped */
    r = get(s, raw);
    assert_int_equal(r.status, 200);
    resp_free(&r);
    r = get(s, api_path(s, "/open311/v2/requests/", id, ".json"));
    assert_int_equal(r.status, 200);
    is_json(&r);
    schema_ok(&r, "requests.json");
    json_t *o = json_array_get(r.json, 0);
    assert_string_equal(jstr(o, "service_request_id"), id);
    assert_string_equal(jstr(o, "status"), "open");
    assert_string_equal(jstr(o, "service_code"), "heating");
    assert_string_equal(jstr(o, "address"), "Ridder, Gogolya 5");
    assert_string_equal(jstr(o, "media_url"), "https://example.kz/m.jpg");
    assert_non_null(jstr(o, "agency_responsible"));
    assert_non_null(strstr(jstr(o, "requested_datetime"), "+05:00"));
    assert_non_null(strstr(jstr(o, "expected_datetime"), "+05:00"));
    assert_true(json_real_value(json_object_get(o, "lat")) > 50.3);
    /* no personal data of the applicant, in any format */
    static const char *const personal[] = {"Ivan",  "example.kz\"", "ivan%40",
                                           "ivan@", "7051234567",   NULL};
    for (int i = 0; personal[i]; i++)
        assert_null(strstr(r.body, personal[i]));
    resp_free(&r);
    r = get(s, api_path(s, "/open311/v2/requests/", id, ".xml"));
    assert_int_equal(r.status, 200);
    is_xml(&r, "service_requests");
    assert_non_null(strstr(r.body, "<status>open</status>"));
    assert_null(strstr(r.body, "Ivan"));
    assert_null(strstr(r.body, "ivan@"));
    resp_free(&r);
    r = get(s, api_path(s, "/open311/v2/requests/", "С-1999-000001", ".json"));
    o311_error(&r, 404, 0);
    resp_free(&r);
    r = get(s, api_path(s, "/open311/v2/requests/", "С-1999-000001", ".xml"));
    o311_error(&r, 404, 1);
    resp_free(&r);
    /* the token is the service_request_id (requests are created synchronously) */
    r = get(s, api_path(s, "/open311/v2/tokens/", id, ".json"));
    assert_int_equal(r.status, 200);
    is_json(&r);
    assert_string_equal(jstr(json_array_get(r.json, 0), "service_request_id"), id);
    assert_string_equal(jstr(json_array_get(r.json, 0), "token"), id);
    resp_free(&r);
    r = get(s, api_path(s, "/open311/v2/tokens/", id, ".xml"));
    assert_int_equal(r.status, 200);
    is_xml(&r, "service_requests");
    assert_non_null(strstr(r.body, "<token>"));
    resp_free(&r);
    r = get(s, api_path(s, "/open311/v2/tokens/", "nope", ".json"));
    o311_error(&r, 404, 0);
    resp_free(&r);
    r = get(s, api_path(s, "/open311/v2/tokens/", "nope", ".xml"));
    o311_error(&r, 404, 1);
    resp_free(&r);
    r = get(s, api_path(s, "/open311/v2/requests/", id, ".json?jurisdiction_id=other"));
    o311_error(&r, 404, 0);
    resp_free(&r);
}

/* A portal appeal is not an Open311 request: GET does not show it. */
static void portal_appeals_are_not_listed(void **state)
{
    srv_t *s = *state;
    resp_t r = api(s, "POST", "/api/v1/appeals",
                   "{\"kind\":\"statement\",\"category\":\"heating\",\"district\":\"ridder\","
                   "\"language\":\"ru\",\"text\":\"Портал\",\"applicant\":{\"type\":"
                   "\"anonymous\"}}");
    assert_int_equal(r.status, 201);
    char n[64];
    snprintf(n, sizeof n, "%s", jstr(r.json, "number"));
    resp_free(&r);
    r = get(s, api_path(s, "/open311/v2/requests/", n, ".json"));
    o311_error(&r, 404, 0);
    resp_free(&r);
    r = get(s, api_path(s, "/open311/v2/tokens/", n, ".json"));
    o311_error(&r, 404, 0);
    resp_free(&r);
}

/* ==== GET requests: filters ==== */

static void list_in_both_formats_and_status_mapping(void **state)
{
    srv_t *s = *state;
    char a[64], b[64];
    file(s, NULL, a, sizeof a);
    file(s, NULL, b, sizeof b);
    char q[512];
    /* b is answered (a decision): closed, with the decision as status_notes */
    snprintf(q, sizeof q,
             "UPDATE appeals SET status = 'answered', decision = 'partly_satisfied',"
             " answered_at = received_at + 1000000, updated_at = received_at + 1000000"
             " WHERE number = '%s'",
             reg(b));
    sql(s, q);
    resp_t r = get(s, "/open311/v2/requests.json");
    is_json(&r);
    assert_true(count(&r) >= 2);
    schema_ok(&r, "requests.json");
    assert_true(has_id(&r, a) && has_id(&r, b));
    resp_free(&r);
    r = get(s, api_path(s, "/open311/v2/requests/", b, ".json"));
    json_t *o = json_array_get(r.json, 0);
    assert_string_equal(jstr(o, "status"), "closed");
    assert_string_equal(jstr(o, "status_notes"), "answered: partly satisfied");
    resp_free(&r);
    r = get(s, "/open311/v2/requests.json?status=closed");
    assert_true(has_id(&r, b) && !has_id(&r, a));
    resp_free(&r);
    r = get(s, "/open311/v2/requests.json?status=open");
    assert_true(!has_id(&r, b) && has_id(&r, a));
    resp_free(&r);
    r = get(s, "/open311/v2/requests.json?status=open,closed");
    assert_true(has_id(&r, b) && has_id(&r, a));
    resp_free(&r);
    r = get(s, "/open311/v2/requests.json?status="); /* empty = missing */
    assert_true(has_id(&r, b) && has_id(&r, a));
    resp_free(&r);
    r = get(s, "/open311/v2/requests.xml?status=closed");
    assert_int_equal(r.status, 200);
    is_xml(&r, "service_requests");
    assert_non_null(strstr(r.body, "<status>closed</status>"));
    assert_null(strstr(r.body, "<status>open</status>"));
    resp_free(&r);
    r = get(s, "/open311/v2/requests.json?status=pending");
    o311_error(&r, 400, 0);
    resp_free(&r);
    r = get(s, "/open311/v2/requests.xml?status=pending");
    o311_error(&r, 400, 1);
    resp_free(&r);
}

static void service_code_lists(void **state)
{
    srv_t *s = *state;
    char h[64], w[64], b[1024];
    file(s, NULL, h, sizeof h);
    snprintf(b, sizeof b,
             "api_key=%s&service_code=water_supply&attribute%%5Bdistrict%%5D=ridder&lat=50&long=83"
             "&description=water",
             key);
    resp_t r = post(s, "/open311/v2/requests.json", b);
    assert_int_equal(r.status, 200);
    snprintf(w, sizeof w, "%s", jstr(json_array_get(r.json, 0), "service_request_id"));
    resp_free(&r);
    r = get(s, "/open311/v2/requests.json?service_code=water_supply");
    assert_true(has_id(&r, w) && !has_id(&r, h));
    resp_free(&r);
    r = get(s, "/open311/v2/requests.json?service_code=water_supply,heating");
    assert_true(has_id(&r, w) && has_id(&r, h));
    resp_free(&r);
    r = get(s, "/open311/v2/requests.json?service_code=no_such");
    assert_int_equal(count(&r), 0);
    resp_free(&r);
    r = get(s, "/open311/v2/requests.xml?service_code=no_such");
    assert_int_equal(r.status, 200);
    is_xml(&r, "service_requests");
    resp_free(&r);
}

static void service_request_id_overrides_the_rest(void **state)
{
    srv_t *s = *state;
    char a[64], b[64], q[512];
    file(s, NULL, a, sizeof a);
    file(s, NULL, b, sizeof b);
    /* every other argument is ignored, even ones that would be errors */
    snprintf(q, sizeof q, "%s",
             api_path(s, "/open311/v2/requests.json?service_request_id=", a, ""));
    snprintf(q + strlen(q), sizeof q - strlen(q),
             ",%s,nope&service_code=water_supply&status=bogus&start_date=x&page_size=0",
             url_enc(s, b));
    resp_t r = get(s, q);
    assert_int_equal(count(&r), 2);
    assert_true(has_id(&r, a) && has_id(&r, b));
    schema_ok(&r, "requests.json");
    resp_free(&r);
    r = get(s, api_path(s, "/open311/v2/requests.xml?service_request_id=", a, "&status=closed"));
    assert_int_equal(r.status, 200);
    is_xml(&r, "service_requests");
    assert_non_null(strstr(r.body, "<status>open</status>"));
    resp_free(&r);
}

static void dates_and_the_90_day_limit(void **state)
{
    srv_t *s = *state;
    char old[64], q[512];
    file(s, NULL, old, sizeof old);
    /* backdate one request 120 days */
    snprintf(q, sizeof q, "UPDATE appeals SET received_at = received_at - %lld WHERE number = '%s'",
             120 * DAY_US, reg(old));
    sql(s, q);
    resp_t r = get(s, "/open311/v2/requests.json"); /* default: the last 90 days */
    assert_false(has_id(&r, old));
    resp_free(&r);
    r = get(s, api_path(s, "/open311/v2/requests/", old, ".json"));
    char at[40];
    snprintf(at, sizeof at, "%s", jstr(json_array_get(r.json, 0), "requested_datetime"));
    resp_free(&r);
    /* start_date alone: 90 days from it */
    const char *e = url_enc(s, at);
    snprintf(q, sizeof q, "/open311/v2/requests.json?start_date=%s", e);
    r = get(s, q);
    assert_true(has_id(&r, old));
    resp_free(&r);
    /* end_date alone: 90 days up to it */
    snprintf(q, sizeof q, "/open311/v2/requests.json?end_date=%s", e);
    r = get(s, q);
    assert_true(has_id(&r, old));
    resp_free(&r);
    /* exactly 90 days: fine; 90 days and a second: 400 */
    snprintf(q, sizeof q,
             "/open311/v2/requests.json?start_date=2026-01-01T00:00:00%%2B05:00"
             "&end_date=2026-04-01T00:00:00%%2B05:00");
    r = get(s, q);
    assert_int_equal(r.status, 200);
    resp_free(&r);
    snprintf(q, sizeof q,
             "/open311/v2/requests.json?start_date=2026-01-01T00:00:00%%2B05:00"
             "&end_date=2026-04-01T00:00:01%%2B05:00");
    r = get(s, q);
    o311_error(&r, 400, 0);
    resp_free(&r);
    snprintf(
        q, sizeof q,
        "/open311/v2/requests.xml?start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z");
    r = get(s, q);
    o311_error(&r, 400, 1);
    resp_free(&r);
    /* end before start, no timezone, not a date */
    static const char *const bad[] = {
        "start_date=2026-02-01T00:00:00Z&end_date=2026-01-01T00:00:00Z",
        "start_date=2026-02-01T00:00:00", "end_date=yesterday", NULL};
    for (int i = 0; bad[i]; i++) {
        snprintf(q, sizeof q, "/open311/v2/requests.json?%s", bad[i]);
        r = get(s, q);
        o311_error(&r, 400, 0);
        resp_free(&r);
    }
    /* empty dates are missing ones */
    r = get(s, "/open311/v2/requests.json?start_date=&end_date=");
    assert_int_equal(r.status, 200);
    assert_false(has_id(&r, old));
    resp_free(&r);
}

/* 1000 requests by default, newest first; page and page_size. */
static void default_1000_and_pages(void **state)
{
    srv_t *s = *state;
    char seed[64], q[2048];
    file(s, NULL, seed, sizeof seed);
    snprintf(
        q, sizeof q,
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1010)"
        " INSERT INTO appeals (number, kind, channel, status, jurisdiction, category,"
        " district, body, receiving_body, language, text, applicant_type, received_at,"
        " registered_on, due_on, max_due_on, access_hash, updated_at)"
        " SELECT 'BULK-' || i, kind, channel, status, jurisdiction, category, district,"
        " body, receiving_body, language, text, applicant_type, received_at + (1011 - i) * 1000000,"
        " registered_on, due_on, max_due_on, access_hash, updated_at"
        " FROM appeals, n WHERE number = '%s';"
        " INSERT INTO open311_requests (appeal_id, api_key)"
        " SELECT id, 1 FROM appeals WHERE number LIKE 'BULK-%%';",
        reg(seed));
    sql(s, q);
    resp_t r = get(s, "/open311/v2/requests.json");
    assert_int_equal(count(&r), 1000); /* BULK-1 (newest) .. BULK-1000 */
    assert_string_equal(jstr(json_array_get(r.json, 0), "service_request_id"), "BULK-1");
    assert_string_equal(jstr(json_array_get(r.json, 999), "service_request_id"), "BULK-1000");
    resp_free(&r);
    r = get(s, "/open311/v2/requests.json?page_size=10");
    assert_int_equal(count(&r), 10);
    assert_string_equal(jstr(json_array_get(r.json, 1), "service_request_id"), "BULK-2");
    resp_free(&r);
    r = get(s, "/open311/v2/requests.json?page_size=10&page=2");
    assert_int_equal(count(&r), 10);
    assert_string_equal(jstr(json_array_get(r.json, 0), "service_request_id"), "BULK-11");
    resp_free(&r);
    r = get(s, "/open311/v2/requests.json?page=2"); /* the rest after the first 1000 */
    assert_true(count(&r) >= 11);
    assert_true(has_id(&r, seed));
    resp_free(&r);
    r = get(s, "/open311/v2/requests.json?page=1000");
    assert_int_equal(count(&r), 0);
    resp_free(&r);
    static const char *const bad[] = {"page_size=0", "page_size=1001", "page=0",
                                      "page=x",      "page_size=-1",   NULL};
    for (int i = 0; bad[i]; i++) {
        snprintf(q, sizeof q, "/open311/v2/requests.json?%s", bad[i]);
        r = get(s, q);
        o311_error(&r, 400, 0);
        resp_free(&r);
        snprintf(q, sizeof q, "/open311/v2/requests.xml?%s", bad[i]);
        r = get(s, q);
        o311_error(&r, 400, 1);
        resp_free(&r);
    }
    sql(s, "DELETE FROM open311_requests WHERE appeal_id IN"
           " (SELECT id FROM appeals WHERE number LIKE 'BULK-%')");
}

static void list_errors(void **state)
{
    srv_t *s = *state;
    resp_t r = get(s, "/open311/v2/requests.json?jurisdiction_id=sfgov.org");
    o311_error(&r, 404, 0);
    resp_free(&r);
    r = get(s, "/open311/v2/requests.xml?jurisdiction_id=sfgov.org");
    o311_error(&r, 404, 1);
    resp_free(&r);
    r = get(s, "/open311/v2/requests.json?jurisdiction_id=vko");
    assert_int_equal(r.status, 200);
    resp_free(&r);
    r = get(s, "/open311/v2/nothing.json");
    o311_error(&r, 404, 1);
    resp_free(&r);
}

static void limit_gives_429(void **state)
{
    (void)state;
    srv_t t;
    const char *serve[] = {"--public-limit", "3", NULL};
    assert_int_equal(srv_start(&t, NULL, serve), 0);
    for (int i = 0; i < 3; i++) {
        resp_t r = get(&t, "/open311/v2/services.json");
        assert_int_equal(r.status, 200);
        resp_free(&r);
    }
    resp_t r = get(&t, "/open311/v2/requests.xml");
    assert_int_equal(r.status, 429);
    is_xml(&r, "errors");
    char ra[16];
    assert_non_null(resp_header(&r, "Retry-After", ra, sizeof ra));
    resp_free(&r);
    r = post(&t, "/open311/v2/requests.json", "api_key=x");
    o311_error(&r, 429, 0);
    resp_free(&r);
    assert_int_equal(srv_stop(&t), 0);
}

/* ==== What FixMyStreet needs (issue 24) ==== */

/* Attributes a service does not define are kept with the appeal, in its history too, and
 * never refused; ours are still checked. */
static void unknown_attributes_are_kept(void **state)
{
    srv_t *s = *state;
    char id[64], q[256], got[128];
    file(s,
         "&attribute%5Bclosest_address%5D=Gogolya+5&attribute%5Buprn%5D=100023"
         "&attribute%5Bsigns%5D%5B%5D=a&attribute%5Bsigns%5D%5B%5D=b",
         id, sizeof id);
    snprintf(q, sizeof q,
             "SELECT o.attributes FROM open311_requests o JOIN appeals a ON a.id = o.appeal_id"
             " WHERE a.number = '%s'",
             reg(id));
    sql_str(s, q, got);
    assert_string_equal(got, "{\"closest_address\":\"Gogolya 5\",\"signs\":[\"a\",\"b\"],\"uprn\":"
                             "\"100023\"}");
    snprintf(q, sizeof q,
             "SELECT count(*) FROM events WHERE object_id = '%s' AND action = "
             "'open311.attributes'",
             reg(id));
    sql_str(s, q, got);
    assert_string_equal(got, "1");
    /* a defined attribute with a wrong value is still a 400 */
    resp_t r = post(s, "/open311/v2/requests.json", form(key, "&attribute%5Bkind%5D=poem"));
    o311_error(&r, 400, 0);
    resp_free(&r);
}

/* What GET requests publishes is masked: phone numbers, IINs, e-mail addresses written into
 * the description or the address; the reply to the submission says it is public. */
static void published_text_is_masked(void **state)
{
    srv_t *s = *state;
    char body[4096];
    snprintf(body, sizeof body,
             "api_key=%s&service_code=heating&attribute%%5Bdistrict%%5D=ridder&lat=50.34"
             "&long=83.51&description=%s&address_string=%s&first_name=Ivan&email=i%%40example.kz",
             key,
             url_enc(s, "Нет отопления. Звоните 8 (705) 111-22-33, ИИН 900101300007, "
                        "почта petrov@mail.kz"),
             url_enc(s, "Риддер, Гоголя 5, тел 87051112233"));
    resp_t r = post(s, "/open311/v2/requests.json", body);
    assert_int_equal(r.status, 200);
    json_t *o = json_array_get(r.json, 0);
    assert_non_null(strstr(jstr(o, "service_notice"), "published"));
    char id[64];
    snprintf(id, sizeof id, "%s", jstr(o, "service_request_id"));
    resp_free(&r);
    r = get(s, api_path(s, "/open311/v2/requests/", id, ".json"));
    assert_int_equal(r.status, 200);
    o = json_array_get(r.json, 0);
    assert_string_equal(jstr(o, "description"), "Нет отопления. Звоните ***, ИИН ***, почта ***");
    assert_string_equal(jstr(o, "address"), "Риддер, Гоголя 5, тел ***");
    resp_free(&r);
    r = get(s, api_path(s, "/open311/v2/requests/", id, ".xml"));
    assert_null(strstr(r.body, "900101300007"));
    assert_null(strstr(r.body, "petrov@"));
    resp_free(&r);
}

/* The updates feed: one update per public change of an Open311 request, in order, with a
 * stable id; the answer in the appeal's language, masked; both formats. */
/* An answer held for the head's approval (issue 16) is not public until he releases it: the
 * feed shows the release as the answer. */
static void held_answers_appear_when_released(void **state)
{
    srv_t *s = *state;
    char id[64], from[40], to[40];
    add_user(s, "head.housing", "head", "ridder.housing", "correct horse battery");
    add_user(s, "exec.housing", "executor", "ridder.housing", "correct horse battery");
    const char *who[] = {"head.housing", "exec.housing", NULL};
    assert_int_equal(sign_in_all(s, who, "correct horse battery"), 0);
    file(s, NULL, id, sizeof id);
    as(s, "head.housing");
    resp_t r =
        api(s, "POST", "/api/v1/bodies/ridder.housing/settings", "{\"answer_approval\":true}");
    assert_int_equal(r.status, 200);
    resp_free(&r);
    r = api(s, "POST", api_path(s, "/api/v1/appeals/", id, "/assign"),
            "{\"executor\":\"exec.housing\"}");
    assert_int_equal(r.status, 200);
    resp_free(&r);
    as(s, "exec.housing");
    r = api(s, "POST", api_path(s, "/api/v1/appeals/", id, "/answer"),
            "{\"decision\":\"explained\",\"text\":\"Подача тепла возобновлена после промывки "
            "системы отопления.\",\"grounds\":\"Акт промывки; АППК ст. 76\"}");
    assert_int_equal(r.status, 200);
    resp_free(&r);
    int64_t now = (int64_t)time(NULL) * 1000000;
    instant_format(now - DAY_US, 300, from, sizeof from);
    instant_format(now + DAY_US, 300, to, sizeof to);
    char feed[512];
    snprintf(feed, sizeof feed, "/open311/v2/servicerequestupdates.json?start_date=%s&end_date=%s",
             url_enc(s, from), url_enc(s, to));
    as(s, NULL);
    for (int round = 0; round < 2; round++) {
        r = get(s, feed);
        assert_int_equal(r.status, 200);
        size_t n = 0, i;
        json_t *u, *last = NULL;
        json_array_foreach(r.json, i, u)
        {
            if (!strcmp(jstr(u, "service_request_id"), id)) {
                n++;
                last = u;
            }
        }
        if (round == 0) { /* held: only the registration */
            assert_int_equal(n, 1);
        } else { /* released: the answer */
            assert_int_equal(n, 2);
            assert_string_equal(jstr(last, "status"), "closed");
            assert_string_equal(jstr(last, "external_status_code"), "answer");
            if (!strstr(jstr(last, "description"), "Подача тепла возобновлена"))
                fail_msg("description: %s", jstr(last, "description"));
        }
        resp_free(&r);
        if (round == 0) {
            as(s, "head.housing");
            r = api(s, "POST", api_path(s, "/api/v1/appeals/", id, "/approve"), "{}");
            assert_int_equal(r.status, 200);
            resp_free(&r);
            r = api(s, "POST", "/api/v1/bodies/ridder.housing/settings",
                    "{\"answer_approval\":false}");
            assert_int_equal(r.status, 200);
            resp_free(&r);
            as(s, NULL);
        }
    }
}

/* Ridder's head assigns appeal id to himself and answers it (satisfied) with text */
static void assign_and_answer(srv_t *s, const char *id, const char *text)
{
    char body[512];
    as(s, "head.ridder");
    resp_t r = api(s, "POST", api_path(s, "/api/v1/appeals/", id, "/assign"),
                   "{\"executor\":\"head.ridder\"}");
    assert_int_equal(r.status, 200);
    resp_free(&r);
    snprintf(body, sizeof body,
             "{\"decision\":\"satisfied\",\"text\":\"%s\",\"grounds\":\"Акт осмотра; АППК "
             "ст. 76\"}",
             text);
    r = api(s, "POST", api_path(s, "/api/v1/appeals/", id, "/answer"), body);
    assert_int_equal(r.status, 200);
    resp_free(&r);
    as(s, NULL);
}

static void updates_feed(void **state)
{
    srv_t *s = *state;
    char id[64], p[512], from[40], to[40];
    add_user(s, "head.ridder", "head", "ridder", "correct horse battery");
    const char *who[] = {"head.ridder", NULL};
    assert_int_equal(sign_in_all(s, who, "correct horse battery"), 0);
    file(s, NULL, id, sizeof id);
    assign_and_answer(s, id, "Отопление включено. Мастер: +7 705 222 33 44");
    /* the window: yesterday to tomorrow (the server's real clock) */
    int64_t now = (int64_t)time(NULL) * 1000000;
    instant_format(now - DAY_US, 300, from, sizeof from);
    instant_format(now + DAY_US, 300, to, sizeof to);
    snprintf(p, sizeof p, "/open311/v2/servicerequestupdates.json?start_date=%s&end_date=%s",
             url_enc(s, from), url_enc(s, to));
    resp_t r = get(s, p);
    assert_int_equal(r.status, 200);
    is_json(&r);
    schema_ok(&r, "servicerequestupdates.json");
    json_t *mine[4];
    size_t n = 0, i;
    json_t *u;
    long long last = 0;
    json_array_foreach(r.json, i, u)
    {
        long long uid = atoll(jstr(u, "update_id"));
        assert_true(uid > last); /* in order */
        last = uid;
        if (!strcmp(jstr(u, "service_request_id"), id) && n < 4)
            mine[n++] = u;
    }
    assert_int_equal(n, 2); /* registered, answered (assigning is not public) */
    assert_string_equal(jstr(mine[0], "status"), "open");
    assert_string_equal(jstr(mine[0], "description"), "Обращение зарегистрировано");
    assert_string_equal(jstr(mine[1], "status"), "closed");
    assert_string_equal(jstr(mine[1], "external_status_code"), "answer");
    assert_string_equal(jstr(mine[1], "description"),
                        "Дан ответ (удовлетворено): Отопление включено. Мастер: ***");
    char uid[32];
    snprintf(uid, sizeof uid, "%s", jstr(mine[1], "update_id"));
    resp_free(&r);
    /* the same again (a stable id), and as XML */
    snprintf(p, sizeof p, "/open311/v2/servicerequestupdates.xml?start_date=%s&end_date=%s",
             url_enc(s, from), url_enc(s, to));
    r = get(s, p);
    assert_int_equal(r.status, 200);
    is_xml(&r, "service_request_updates");
    char want[96];
    snprintf(want, sizeof want, "<request_update><update_id>%s</update_id>", uid);
    assert_non_null(strstr(r.body, want));
    resp_free(&r);
    /* a window before it: nothing of it; a reversed window: 400 */
    instant_format(now - 3 * DAY_US, 300, to, sizeof to);
    instant_format(now - 4 * DAY_US, 300, from, sizeof from);
    snprintf(p, sizeof p, "/open311/v2/servicerequestupdates.json?start_date=%s&end_date=%s",
             url_enc(s, from), url_enc(s, to));
    r = get(s, p);
    assert_int_equal(count(&r), 0);
    resp_free(&r);
    snprintf(p, sizeof p, "/open311/v2/servicerequestupdates.json?start_date=%s&end_date=%s",
             url_enc(s, to), url_enc(s, from));
    r = get(s, p);
    o311_error(&r, 400, 0);
    resp_free(&r);
}

/* A client polls the feed from its last poll: a window that starts after a request's
 * registration still has its later answer (the feed reads the requests whose appeal changed
 * since the window's start), and not the registration */
static void updates_since_the_last_poll(void **state)
{
    srv_t *s = *state;
    char id[64], p[512], from[40], to[40];
    file(s, NULL, id, sizeof id);
    usleep(1100000); /* the window's start is whole seconds: one after the registration */
    int64_t now = (int64_t)time(NULL) * 1000000;
    assign_and_answer(s, id, "Отопление в доме включено, батареи проверены мастером.");
    instant_format(now, 300, from, sizeof from);
    instant_format(now + DAY_US, 300, to, sizeof to);
    snprintf(p, sizeof p, "/open311/v2/servicerequestupdates.json?start_date=%s&end_date=%s",
             url_enc(s, from), url_enc(s, to));
    resp_t r = get(s, p);
    assert_int_equal(r.status, 200);
    size_t i, n = 0;
    json_t *u;
    json_array_foreach(r.json, i, u) if (!strcmp(jstr(u, "service_request_id"), id))
    {
        assert_string_equal(jstr(u, "external_status_code"), "answer");
        n++;
    }
    assert_int_equal(n, 1);
    resp_free(&r);
}

/* FixMyStreet's sequence against one server, as its Open311 client runs it, in XML with the
 * key in every query: the service list and every definition (the sync), a report by map pin
 * with its site extras, polling the request by the id it got (unescaped in the path), and
 * the updates since the report. */
static void fixmystreet_sequence(void **state)
{
    srv_t *s = *state;
    char p[512];
    snprintf(p, sizeof p, "/open311/v2/services.xml?jurisdiction_id=vko&api_key=%s", key);
    resp_t r = get(s, p);
    assert_int_equal(r.status, 200);
    is_xml(&r, "services");
    int defs = 0;
    for (const char *c = r.body; (c = strstr(c, "<service_code>")); c++) {
        char code[64];
        if (sscanf(c, "<service_code>%63[^<]", code) != 1)
            continue;
        snprintf(p, sizeof p, "/open311/v2/services/%s.xml?jurisdiction_id=vko&api_key=%s", code,
                 key);
        resp_t d = get(s, p);
        assert_int_equal(d.status, 200);
        is_xml(&d, "service_definition");
        resp_free(&d);
        defs++;
    }
    assert_true(defs > 10);
    resp_free(&r);
    char body[2048];
    snprintf(body, sizeof body,
             "api_key=%s&jurisdiction_id=vko&service_code=heating&lat=50.3441&long=83.5128"
             "&description=%s&first_name=Ivan&last_name=Petrov&email=ivan%%40example.kz"
             "&attribute%%5Bdistrict%%5D=ridder&attribute%%5Bclosest_address%%5D=Gogolya+5"
             "&attribute%%5Bfixmystreet_id%%5D=4711",
             key, url_enc(s, "Холодные батареи в подъезде"));
    r = post(s, "/open311/v2/requests.xml", body);
    assert_int_equal(r.status, 200);
    is_xml(&r, "service_requests");
    char id[64] = "";
    const char *at = strstr(r.body, "<service_request_id>");
    assert_non_null(at);
    assert_int_equal(sscanf(at, "<service_request_id>%63[^<]", id), 1);
    resp_free(&r);
    snprintf(p, sizeof p, "/open311/v2/requests/%s.xml?jurisdiction_id=vko&api_key=%s", id, key);
    r = get(s, p);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, id));
    assert_non_null(strstr(r.body, "<status>open</status>"));
    resp_free(&r);
    char from[40], to[40];
    int64_t now = (int64_t)time(NULL) * 1000000;
    instant_format(now - 3600LL * 1000000, 300, from, sizeof from);
    instant_format(now + 60LL * 1000000, 300, to, sizeof to);
    snprintf(p, sizeof p,
             "/open311/v2/servicerequestupdates.xml?jurisdiction_id=vko&api_key=%s&start_date=%s"
             "&end_date=%s",
             key, url_enc(s, from), url_enc(s, to));
    r = get(s, p);
    assert_int_equal(r.status, 200);
    is_xml(&r, "service_request_updates");
    char mine[128];
    snprintf(mine, sizeof mine, "<service_request_id>%s</service_request_id>", id);
    assert_non_null(strstr(r.body, mine));
    resp_free(&r);
}

/* A client with an API key has its own, larger budget; without one the address's limit. */
static void keyed_clients_have_their_own_budget(void **state)
{
    (void)state;
    srv_t t;
    char k[128], p[256];
    const char *serve[] = {"--public-limit", "3", NULL};
    assert_int_equal(srv_start(&t, NULL, serve), 0);
    new_key(&t, "FixMyStreet sync", k, sizeof k);
    /* a service-list sync: the list and 10 definitions, twice, well over 3 */
    snprintf(p, sizeof p, "/open311/v2/services.json?api_key=%s", k);
    for (int i = 0; i < 22; i++) {
        resp_t r = get(&t, p);
        if (r.status != 200)
            fail_msg("keyed request %d: %ld", i, r.status);
        resp_free(&r);
    }
    for (int i = 0; i < 3; i++) {
        resp_t r = get(&t, "/open311/v2/services.json");
        assert_int_equal(r.status, 200);
        resp_free(&r);
    }
    resp_t r = get(&t, "/open311/v2/services.json");
    assert_int_equal(r.status, 429);
    char ra[16];
    assert_non_null(resp_header(&r, "Retry-After", ra, sizeof ra));
    resp_free(&r);
    /* a wrong key counts as none */
    r = get(&t, "/open311/v2/services.json?api_key=o311_wrong");
    assert_int_equal(r.status, 429);
    resp_free(&r);
    assert_int_equal(srv_stop(&t), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(discovery_in_both_formats),
        cmocka_unit_test(unknown_attributes_are_kept),
        cmocka_unit_test(published_text_is_masked),
        cmocka_unit_test(updates_feed),
        cmocka_unit_test(updates_since_the_last_poll),
        cmocka_unit_test(held_answers_appear_when_released),
        cmocka_unit_test(fixmystreet_sequence),
        cmocka_unit_test(keyed_clients_have_their_own_budget),
        cmocka_unit_test(services_in_both_formats),
        cmocka_unit_test(service_definition_in_both_formats),
        cmocka_unit_test(service_errors),
        cmocka_unit_test(post_creates_an_appeal),
        cmocka_unit_test(post_needs_a_valid_key),
        cmocka_unit_test(post_errors),
        cmocka_unit_test(post_without_a_name_is_anonymous),
        cmocka_unit_test(get_request_and_token),
        cmocka_unit_test(portal_appeals_are_not_listed),
        cmocka_unit_test(list_in_both_formats_and_status_mapping),
        cmocka_unit_test(service_code_lists),
        cmocka_unit_test(service_request_id_overrides_the_rest),
        cmocka_unit_test(dates_and_the_90_day_limit),
        cmocka_unit_test(default_1000_and_pages),
        cmocka_unit_test(list_errors),
        cmocka_unit_test(limit_gives_429),
    };
    return cmocka_run_group_tests(tests, setup, srv_teardown);
}
