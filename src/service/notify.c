/* The outbox worker, SMTP and webhook delivery, templates, the background threads. See
 * notify.h. */
#include "service/notify.h"

#include <curl/curl.h>
#include <errno.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "domain/date.h"
#include "service/audit.h"
#include "service/sweep.h"
#include "store/store.h"
#include "store/store_outbox.h"
#include "store/store_user.h"
#include "util/paths.h"
#include "util/file.h"
#include "util/json_out.h"
#include "util/log.h"

#define CLAIM_MAX 1000
#define LEASE_US  (5LL * 60 * 1000000)

void notify_config_defaults(notify_config_t *c)
{
    memset(c, 0, sizeof *c);
    c->data_dir = paths_data_dir();
    c->smtp_from = "otinish@localhost";
    c->max_attempts = 10;
    c->backoff_us = 30LL * 1000000;
    c->timeout_ms = 10000;
    c->role_lapse_ms = 120000;
}

/* ==== Templates ==== */

struct buf {
    char *p;
    size_t n, cap;
};

static int put(struct buf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        size_t c = (b->n + n + 1) * 2;
        char *p = realloc(b->p, c);
        if (!p)
            return -1;
        b->p = p;
        b->cap = c;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
    return 0;
}

static int valid_name(const char *s)
{
    if (!s || !*s || strlen(s) > 40)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || *s == '_'))
            return 0;
    return 1;
}

int notify_render(const char *data_dir, const char *language, const char *name,
                  const char *data_json, char **subject, char **body, ot_err_t *err)
{
    *subject = *body = NULL;
    if (!valid_name(language) || !valid_name(name))
        return ot_err(err, OT_EINVAL, "bad_template", NULL, "bad template name");
    char path[512];
    snprintf(path, sizeof path, "%s/templates/%s/%s.txt", data_dir, language, name);
    char *text = NULL;
    size_t len = 0;
    int rc = file_read(path, 1 << 20, &text, &len, err);
    if (rc)
        return rc;
    json_t *data = json_loads(data_json ? data_json : "{}", 0, NULL);
    struct buf out = {0};
    for (const char *s = text; *s;) {
        const char *open = strstr(s, "{{");
        const char *close = open ? strstr(open, "}}") : NULL;
        if (!open || !close) {
            put(&out, s, strlen(s));
            break;
        }
        put(&out, s, (size_t)(open - s));
        char key[64];
        snprintf(key, sizeof key, "%.*s", (int)(close - open - 2), open + 2);
        json_t *v = json_object_get(data, key);
        char num[32];
        const char *val = json_is_string(v) ? json_string_value(v) : "";
        if (json_is_integer(v)) {
            snprintf(num, sizeof num, "%lld", (long long)json_integer_value(v));
            val = num;
        }
        put(&out, val, strlen(val));
        s = close + 2;
    }
    json_decref(data);
    free(text);
    if (!out.p)
        return ot_err(err, OT_EINVAL, "bad_template", NULL, "template %s is empty", path);
    /* "Subject: ..." on the first line, then a blank line, then the body */
    char *nl = strchr(out.p, '\n');
    if (strncmp(out.p, "Subject: ", 9) || !nl) {
        free(out.p);
        return ot_err(err, OT_EINVAL, "bad_template", NULL, "%s must start with 'Subject: '", path);
    }
    *subject = strndup(out.p + 9, (size_t)(nl - out.p - 9));
    const char *b = nl + 1;
    while (*b == '\n')
        b++;
    *body = strdup(b);
    free(out.p);
    return OT_OK;
}

/* ==== Delivery ==== */

struct upload {
    const char *p;
    size_t left;
};

static size_t read_cb(char *dst, size_t size, size_t n, void *arg)
{
    struct upload *u = arg;
    size_t k = size * n < u->left ? size * n : u->left;
    memcpy(dst, u->p, k);
    u->p += k;
    u->left -= k;
    return k;
}

static size_t discard_cb(char *p, size_t size, size_t n, void *arg)
{
    (void)p;
    (void)arg;
    return size * n;
}

/* Base64 of s (libsodium), in lines of at most 76 characters joined by CRLF when wrap is set
 * (RFC 2045); NULL when out of memory. */
static char *base64(const char *s, int wrap)
{
    size_t n = strlen(s);
    size_t len = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL);
    char *b = malloc(len);
    char *out = wrap ? malloc(len + (len / 76 + 1) * 2) : NULL;
    if (!b || (wrap && !out)) {
        free(b);
        free(out);
        return NULL;
    }
    sodium_bin2base64(b, len, (const unsigned char *)s, n, sodium_base64_VARIANT_ORIGINAL);
    if (!wrap)
        return b;
    size_t k = 0, m = strlen(b);
    for (size_t i = 0; i < m; i += 76) {
        size_t l = m - i < 76 ? m - i : 76;
        memcpy(out + k, b + i, l);
        k += l;
        out[k++] = '\r';
        out[k++] = '\n';
    }
    out[k] = '\0';
    free(b);
    return out;
}

/* The message: the subject as an RFC 2047 word, the text in base64, so that no line of the
 * message passes the 998 octets RFC 5322 allows (an answer's text is one long line as often
 * as not, and a server refuses it). */
static char *compose(const notify_config_t *cfg, const char *to, const char *subject,
                     const char *body, int64_t id)
{
    char *subj = base64(subject, 0), *text = base64(body, 1), *msg = NULL;
    if (subj && text &&
        asprintf(&msg,
                 "From: <%s>\r\nTo: <%s>\r\nSubject: =?UTF-8?B?%s?=\r\n"
                 "Message-ID: <outbox-%lld@otinish>\r\nMIME-Version: 1.0\r\n"
                 "Content-Type: text/plain; charset=UTF-8\r\n"
                 "Content-Transfer-Encoding: base64\r\n\r\n%s",
                 cfg->smtp_from, to, subj, (long long)id, text) < 0)
        msg = NULL;
    free(subj);
    free(text);
    return msg;
}

static int send_mail(const notify_config_t *cfg, const char *to, const char *msg, char *why,
                     size_t n)
{
    CURL *c = curl_easy_init();
    if (!c) {
        snprintf(why, n, "curl init");
        return -1;
    }
    struct upload u = {msg, strlen(msg)};
    struct curl_slist *rcpt = curl_slist_append(NULL, to);
    curl_easy_setopt(c, CURLOPT_URL, cfg->smtp_url);
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, cfg->smtp_from);
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(c, CURLOPT_READFUNCTION, read_cb);
    curl_easy_setopt(c, CURLOPT_READDATA, &u);
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)cfg->timeout_ms);
    if (cfg->starttls)
        curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
    if (cfg->smtp_user) {
        curl_easy_setopt(c, CURLOPT_USERNAME, cfg->smtp_user);
        curl_easy_setopt(c, CURLOPT_PASSWORD, cfg->smtp_password ? cfg->smtp_password : "");
    }
    CURLcode rc = curl_easy_perform(c);
    if (rc)
        snprintf(why, n, "smtp: %s", curl_easy_strerror(rc));
    curl_slist_free_all(rcpt);
    curl_easy_cleanup(c);
    return rc ? -1 : 0;
}

static int post_json(const notify_config_t *cfg, const char *url, const char *json, char *why,
                     size_t n);

static int post_webhook(const notify_config_t *cfg, const char *json, char *why, size_t n)
{
    return post_json(cfg, cfg->webhook_url, json, why, n);
}

static int post_json(const notify_config_t *cfg, const char *url, const char *json, char *why,
                     size_t n)
{
    CURL *c = curl_easy_init();
    if (!c) {
        snprintf(why, n, "curl init");
        return -1;
    }
    struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, json);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard_cb);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)cfg->timeout_ms);
    CURLcode rc = curl_easy_perform(c);
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    if (rc)
        snprintf(why, n, "webhook: %s", curl_easy_strerror(rc));
    else if (status < 200 || status > 299)
        snprintf(why, n, "webhook: HTTP %ld", status);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    return rc || status < 200 || status > 299 ? -1 : 0;
}

struct claim_ctx {
    int64_t now;
    outbox_row_t *rows;
    size_t n;
};

static int claim_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct claim_ctx *c = arg;
    return store_outbox_claim(tx, c->now, LEASE_US, CLAIM_MAX, &c->rows, &c->n, err);
}

struct addr_ctx {
    int64_t user;
    char email[256];
};

static int addr_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct addr_ctx *a = arg;
    return store_staff_email(tx, a->user, a->email, sizeof a->email, err);
}

struct result_ctx {
    int64_t id, attempts, next_at, now;
    const char *status, *error;
    const outbox_row_t *row;
};

/* A notice that failed for good and has no other way to its reader is an operations alert,
 * once per notice: never silently nowhere. An applicant's notice by e-mail or SMS has
 * another way when a sibling row of the same notice was delivered, is on its way or waits in
 * the print queue (with a postal address the letter is already there). A notice to staff
 * (recipient "user:ID": an assignment, an approval or extension request, an escalation, a
 * reminder) has no other way. The alert's own notices to the administrators (notice_failed,
 * staff_notice_failed) raise none: the alert stands in the audit trail already, and it would
 * only repeat itself. */
static int failed_for_good(store_tx_t *tx, const struct result_ctx *r, ot_err_t *err)
{
    const outbox_row_t *o = r->row;
    int staff = !strncmp(o->recipient, "user:", 5);
    if (strcmp(r->status, "failed") ||
        (staff ? !strcmp(o->template_name, "notice_failed") ||
                     !strcmp(o->template_name, "staff_notice_failed")
               : !o->appeal_id || (strcmp(o->channel, "email") && strcmp(o->channel, "sms"))))
        return OT_OK;
    int64_t others = 0;
    char number[40];
    int rc = store_outbox_notice_reach(tx, o->id, &others, number, err);
    if (rc || (others && !staff))
        return rc;
    char key[160];
    snprintf(key, sizeof key, "notice_failed:%.40s%s%lld:%s", staff ? o->recipient : "",
             staff ? ":" : "", (long long)o->appeal_id, o->template_name);
    json_t *d = json_pack("{s:s, s:s, s:s, s:s}", "number", number, "notice", o->template_name,
                          "channel", o->channel, "reason", r->error ? r->error : "");
    user_rec_t u = {0};
    if (staff) {
        /* the login in words (a user removed since: the recipient as it was) */
        ot_err_t ignored;
        if (store_user_by_id(tx, strtoll(o->recipient + 5, NULL, 10), &u, &ignored))
            snprintf(u.login, sizeof u.login, "%.60s", o->recipient);
        char on[64] = "";
        if (number[0])
            snprintf(on, sizeof on, " (%s)", number);
        json_object_set_new(d, "login", json_string(u.login));
        json_object_set_new(d, "on", json_string(on));
    }
    /* on the user by id, as every event on a user (its seal reads the row by id) */
    rc = sweep_alert_once(tx, r->now, key, "notice.undelivered", number[0] ? "appeal" : "user",
                          number[0] ? number : o->recipient + 5, o->appeal_id,
                          staff ? "staff_notice_failed" : "notice_failed", d, NULL, err);
    json_decref(d);
    return rc;
}

static int result_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct result_ctx *r = arg;
    int rc =
        store_outbox_result(tx, r->id, r->status, r->attempts, r->next_at, r->now, r->error, err);
    return rc ? rc : failed_for_good(tx, r, err);
}

/* An SMS notice through the gateway: POST {"id","to","text","template","language"}, any 2xx
 * is delivered (docs/accountability.md "Notices"). */
static int send_sms(const notify_config_t *cfg, const outbox_row_t *r, const char *subject,
                    const char *body, char *why, size_t n)
{
    if (!cfg->sms_url) {
        snprintf(why, n, "sms: no SMS gateway configured (--sms-url)");
        return -1;
    }
    char *text = NULL;
    if (asprintf(&text, "%s\n%s", subject, body) < 0) {
        snprintf(why, n, "sms: out of memory");
        return -1;
    }
    json_t *j = json_pack("{s:I, s:s, s:s, s:s, s:s}", "id", (json_int_t)r->id, "to", r->recipient,
                          "text", text, "template", r->template_name, "language", r->language);
    char *t = json_out(j, NULL);
    notify_config_t gw = *cfg;
    gw.webhook_url = cfg->sms_url;
    int rc = t ? post_webhook(&gw, t, why, n) : -1;
    if (rc && !strncmp(why, "webhook", 7))
        memcpy(why, "sms: gw", 7); /* "webhook: ..." -> "sms: gw: ..." */
    free(t);
    json_decref(j);
    free(text);
    return rc;
}

/* Delivers one row; returns 0 when delivered, else fills why. */
static int deliver(const svc_t *svc, const notify_config_t *cfg, const outbox_row_t *r, char *why,
                   size_t n)
{
    char to[256];
    snprintf(to, sizeof to, "%s", r->recipient);
    if (!strncmp(r->recipient, "user:", 5)) {
        struct addr_ctx a = {strtoll(r->recipient + 5, NULL, 10), ""};
        ot_err_t e;
        if (store_read(svc->store, addr_tx, &a, &e)) {
            snprintf(why, n, "%s", e.message);
            return -1;
        }
        snprintf(to, sizeof to, "%s", a.email);
    }
    char *subject = NULL, *body = NULL;
    ot_err_t e;
    if (notify_render(cfg->data_dir, r->language, r->template_name, r->data, &subject, &body, &e)) {
        snprintf(why, n, "%s", e.message);
        return -1;
    }
    int rc = 0, did = 0;
    if (!strcmp(r->channel, "sms")) {
        rc = send_sms(cfg, r, subject, body, why, n);
        free(subject);
        free(body);
        return rc;
    }
    if (to[0] && strchr(to, '@') && cfg->smtp_url) {
        char *msg = compose(cfg, to, subject, body, r->id);
        rc = msg ? send_mail(cfg, to, msg, why, n) : -1;
        free(msg);
        did = 1;
    }
    if (!rc && cfg->webhook_url) {
        json_t *j =
            json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)r->id, "recipient",
                      r->recipient, "address", to, "template", r->template_name, "language",
                      r->language, "subject", subject, "text", body);
        char *t = json_out(j, NULL);
        rc = post_webhook(cfg, t, why, n);
        free(t);
        json_decref(j);
        did = 1;
    }
    if (!rc && !did) {
        snprintf(why, n, "no channel for recipient '%.60s'", r->recipient);
        rc = -1;
    }
    free(subject);
    free(body);
    return rc;
}

int notify_run_once(const svc_t *svc, const notify_config_t *cfg, int64_t now, notify_report_t *rep,
                    ot_err_t *err)
{
    struct claim_ctx c = {now, NULL, 0};
    memset(rep, 0, sizeof *rep);
    int rc = store_write(svc->store, claim_tx, &c, err);
    for (size_t i = 0; !rc && i < c.n; i++) {
        const outbox_row_t *r = &c.rows[i];
        char why[256] = "";
        struct result_ctx res = {r->id, r->attempts + 1, now, now, "sent", NULL, r};
        if (deliver(svc, cfg, r, why, sizeof why)) {
            res.error = why;
            if (res.attempts >= cfg->max_attempts) {
                res.status = "failed";
                rep->failed++;
            } else {
                /* exponential backoff: base, 2 base, 4 base, ... capped at 6 h */
                int64_t d = cfg->backoff_us << (res.attempts - 1 < 20 ? res.attempts - 1 : 20);
                res.next_at = now + (d < 6LL * 3600 * 1000000 ? d : 6LL * 3600 * 1000000);
                res.status = "pending";
                rep->retried++;
            }
        } else
            rep->sent++;
        rc = store_write(svc->store, result_tx, &res, err);
    }
    store_outbox_rows_free(c.rows, c.n);
    return rc;
}

/* ==== The audit head ==== */

int notify_publish_head(const svc_t *svc, const notify_config_t *cfg, int64_t now, ot_err_t *err)
{
    int64_t seq;
    char hash[2 * CHAIN_HASH_LEN + 1], at[40];
    int rc = audit_head(svc->store, &seq, hash, err);
    if (rc)
        return rc;
    log_info("audit head %lld %s", (long long)seq, hash);
    const char *url = cfg->audit_head_url ? cfg->audit_head_url : cfg->webhook_url;
    if (!url)
        return OT_OK;
    instant_format(now, 0, at, sizeof at);
    json_t *j = json_pack("{s:s, s:I, s:s, s:s}", "type", "audit.head", "seq", (json_int_t)seq,
                          "hash", hash, "at", at);
    char *t = j ? json_out(j, NULL) : NULL;
    char why[256] = "";
    rc = t ? post_json(cfg, url, t, why, sizeof why) : -1;
    free(t);
    json_decref(j);
    if (rc)
        return ot_err(err, OT_EUNAVAIL, "audit_head_not_published", NULL,
                      "the audit head was not published: %s", why[0] ? why : "out of memory");
    return OT_OK;
}

/* ==== Background threads ==== */

struct notify_threads {
    const svc_t *svc;
    notify_config_t cfg;
    viol_policy_t policy;
    int notify_ms, sweep_ms;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int stop;
    pthread_t notifier, sweeper, publisher;
    int has_notifier, has_sweeper, has_publisher;
};

/* Waits ms or until stop; returns 1 when stopping. */
static int nap(notify_threads_t *t, int ms)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += ms / 1000;
    ts.tv_nsec += (long)(ms % 1000) * 1000000;
    if (ts.tv_nsec >= 1000000000) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000;
    }
    pthread_mutex_lock(&t->mu);
    while (!t->stop && pthread_cond_timedwait(&t->cv, &t->mu, &ts) != ETIMEDOUT)
        ;
    int stop = t->stop;
    pthread_mutex_unlock(&t->mu);
    return stop;
}

/* Whether this node holds the role now (store_role_hold), logging when that changes. */
static int hold_role(notify_threads_t *t, int role, const char *name, int *was)
{
    int held = 0;
    ot_err_t err;
    if (store_role_hold(t->svc->store, role, t->cfg.role_lapse_ms, &held, &err))
        log_warn("%s role: %s", name, err.message);
    if (held != *was)
        log_info(held ? "%s role taken: this node runs it" : "%s role: another node runs it", name);
    *was = held;
    return held;
}

/* A job that runs on one node at a time (a role): every interval_ms while this node holds
 * the role, the first run at once or after one interval (wait_first). Between runs the role
 * is confirmed every third of the lapse, so that a node stopped or stuck loses it to
 * another within the lapse (store_role_hold), and a node without it takes it as soon; during
 * a run, the store confirms it before the job's reads and writes and while its transaction
 * runs (store_role_job). */
struct role_job {
    int role;
    const char *name;
    int interval_ms, wait_first;
    void (*run)(notify_threads_t *t);
};

static void role_loop(notify_threads_t *t, const struct role_job *j)
{
    int was = 0;
    int beat = t->cfg.role_lapse_ms / 3;
    if (beat <= 0 || beat > j->interval_ms)
        beat = j->interval_ms;
    int64_t next = clock_mono_us() + (j->wait_first ? (int64_t)j->interval_ms * 1000 : 0);
    for (;;) {
        int held = hold_role(t, j->role, j->name, &was);
        int64_t now = clock_mono_us();
        if (held && now >= next) {
            /* a run longer than the lapse keeps the role; one whose role went stops */
            store_role_job(t->svc->store, j->role, t->cfg.role_lapse_ms);
            j->run(t);
            store_role_job(t->svc->store, -1, 0);
            now = clock_mono_us();
            next = now + (int64_t)j->interval_ms * 1000;
        }
        /* without the role, ask again in a beat (a run it missed is due at once when it
         * takes the role); with it, at the next run or the next beat, whichever is first */
        int64_t ms = held ? (next - now + 999) / 1000 : beat;
        if (nap(t, ms < 1 ? 1 : ms < beat ? (int)ms : beat))
            return;
    }
}

static void run_delivery(notify_threads_t *t)
{
    notify_report_t rep;
    ot_err_t err;
    if (notify_run_once(t->svc, &t->cfg, clock_now_us(), &rep, &err))
        log_warn("outbox: %s", err.message);
    else if (rep.sent || rep.retried || rep.failed)
        log_info("outbox: %lld sent, %lld to retry, %lld failed", (long long)rep.sent,
                 (long long)rep.retried, (long long)rep.failed);
}

static void run_sweep(notify_threads_t *t)
{
    sweep_report_t rep;
    ot_err_t err;
    if (sweep_run(t->svc, &t->policy, clock_now_us(), &rep, &err))
        log_warn("sweep: %s", err.message);
    else if (rep.violations || rep.flags || rep.escalations || rep.reminders)
        log_info("sweep: %lld violations, %lld flags, %lld escalations, %lld reminders",
                 (long long)rep.violations, (long long)rep.flags, (long long)rep.escalations,
                 (long long)rep.reminders);
}

/* One node publishes the head (a role like the sweep's): each node published the same
 * head before, as many times as there were nodes. */
static void run_publisher(notify_threads_t *t)
{
    ot_err_t err;
    if (notify_publish_head(t->svc, &t->cfg, clock_now_us(), &err))
        log_warn("audit head: %s", err.message);
}

static void *notifier_main(void *p)
{
    notify_threads_t *t = p;
    role_loop(t,
              &(struct role_job){STORE_ROLE_DELIVERY, "delivery", t->notify_ms, 0, run_delivery});
    return NULL;
}

/* The first sweep waits one interval: a starting server answers requests first; the role is
 * taken at once, so a node that starts beside a running one shows which runs it. */
static void *sweeper_main(void *p)
{
    notify_threads_t *t = p;
    role_loop(t, &(struct role_job){STORE_ROLE_SWEEPER, "sweeper", t->sweep_ms, 1, run_sweep});
    return NULL;
}

static void *publisher_main(void *p)
{
    notify_threads_t *t = p;
    role_loop(t, &(struct role_job){STORE_ROLE_PUBLISHER, "publisher", t->cfg.audit_head_ms, 0,
                                    run_publisher});
    return NULL;
}

int notify_threads_start(const svc_t *svc, const notify_config_t *cfg, int notify_interval_ms,
                         const struct viol_policy *policy, int sweep_interval_ms,
                         notify_threads_t **out, ot_err_t *err)
{
    notify_threads_t *t = calloc(1, sizeof *t);
    if (!t)
        return ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
    t->svc = svc;
    t->cfg = *cfg;
    t->policy = policy ? *policy : viol_default_policy;
    t->notify_ms = notify_interval_ms;
    t->sweep_ms = sweep_interval_ms;
    /* a node stopped inside a write for the role timeout neither holds up the others' writes
     * nor commits it when it goes on */
    store_idle_limit(svc->store, cfg->role_lapse_ms);
    pthread_mutex_init(&t->mu, NULL);
    pthread_cond_init(&t->cv, NULL);
    if (notify_interval_ms > 0 && (cfg->smtp_url || cfg->webhook_url || cfg->sms_url))
        t->has_notifier = !pthread_create(&t->notifier, NULL, notifier_main, t);
    if (sweep_interval_ms > 0)
        t->has_sweeper = !pthread_create(&t->sweeper, NULL, sweeper_main, t);
    if (cfg->audit_head_ms > 0)
        t->has_publisher = !pthread_create(&t->publisher, NULL, publisher_main, t);
    *out = t;
    return OT_OK;
}

void notify_threads_stop(notify_threads_t *t)
{
    if (!t)
        return;
    pthread_mutex_lock(&t->mu);
    t->stop = 1;
    pthread_cond_broadcast(&t->cv);
    pthread_mutex_unlock(&t->mu);
    if (t->has_notifier)
        pthread_join(t->notifier, NULL);
    if (t->has_sweeper)
        pthread_join(t->sweeper, NULL);
    if (t->has_publisher)
        pthread_join(t->publisher, NULL);
    pthread_mutex_destroy(&t->mu);
    pthread_cond_destroy(&t->cv);
    free(t);
}
