/* Appeal use cases. See appeal.h. */
#include "service/appeal.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/appeal.h"
#include "domain/date.h"
#include "domain/deadline.h"
#include "domain/ident.h"
#include "domain/number.h"
#include "domain/perm.h"
#include "domain/text.h"
#include "service/audit.h"
#include "service/problem.h"
#include "service/secret.h"
#include "service/sweep.h"
#include "store/store_appeal.h"
#include "store/store_approval.h"
#include "store/store_event.h"
#include "store/store_fresh.h"
#include "store/store_forward.h"
#include "store/store_parties.h"
#include "store/store_outbox.h"
#include "store/store_ref.h"
#include "store/store_user.h"
#include "store/store_violation.h"
#include "util/json_out.h"
#include "util/str.h"
#include "util/tsv.h"

/* ==== Small helpers ==== */

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

static void fmt_day(ot_day_t d, char out[11])
{
    if (d == OT_DAY_NONE)
        out[0] = '\0';
    else
        date_format(d, out);
}

void appeal_today(const svc_t *svc, const char *jurisdiction, int64_t now, char out[11])
{
    date_format(svc_today(svc, jurisdiction, now), out);
}

static void actor_of(const auth_user_t *u, char *out, size_t n)
{
    if (u)
        snprintf(out, n, "user:%lld", (long long)u->id);
    else
        snprintf(out, n, "citizen");
}

/* The access code: 12 characters of Crockford base32 (60 bits); only its hash, salted by the
 * number, is stored (service/secret.h). */
static void make_code(char out[ACCESS_CODE_LEN + 1])
{
    secret_code(out, ACCESS_CODE_LEN);
}

static void code_hash(const char *number, const char *code, char out[65])
{
    secret_hash(number, code, out);
}

/* The code as typed, in Crockford's reading: any case, O for 0, I and L for 1, dashes and
 * spaces dropped. 0 when it has the code's length after that. */
static int code_normalize(const char *in, char out[ACCESS_CODE_LEN + 1])
{
    size_t o = 0;
    for (const char *s = in; *s; s++) {
        char c = *s;
        if (c == '-' || c == ' ')
            continue;
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        c = c == 'O' ? '0' : c == 'I' || c == 'L' ? '1' : c;
        if (o == ACCESS_CODE_LEN)
            return -1;
        out[o++] = c;
    }
    out[o] = '\0';
    return o == ACCESS_CODE_LEN ? 0 : -1;
}

int appeal_code_ok(const appeal_rec_t *a, const char *code)
{
    char h[65], c[ACCESS_CODE_LEN + 1];
    if (!code || code_normalize(code, c))
        return 0;
    code_hash(a->number, c, h);
    return sodium_memcmp(h, a->access_hash, 64) == 0;
}

int appeal_number_canonical(const svc_t *svc, const char *in, char *out, size_t n)
{
    char key[16], pk[16];
    int year;
    long long seq;
    if (!in || number_parse(in, key, sizeof key, &year, &seq) || year < 1000)
        return -1;
    for (int i = 0; i < svc->n_juris; i++)
        for (size_t k = 0; k < policy_kind_count(svc->juris[i]->policy); k++) {
            const policy_kind_t *kind = policy_kind_at(svc->juris[i]->policy, k);
            const char *prefix = kind->prefix.set ? kind->prefix.text : "A";
            number_prefix_key(prefix, pk, sizeof pk);
            if (!strcmp(pk, key)) {
                int w = snprintf(out, n, "%.8s-%04d-%06lld", prefix, year % 10000, seq % 100000000);
                return w > 0 && (size_t)w < n ? 0 : -1;
            }
        }
    return -1;
}

int appeal_number_ascii(const char *number, char *out, size_t n)
{
    return number_ascii(number, out, n);
}

static int event(store_tx_t *tx, int64_t now, const char *actor, const char *action,
                 const char *number, json_t *data, ot_err_t *err)
{
    int rc = audit_append(tx, now, actor, action, "appeal", number, data, err);
    json_decref(data);
    return rc;
}

/* Queues a notice to the applicant by every channel they gave: e-mail, SMS to their phone
 * (through the SMS gateway) and a letter by post to their postal address (the print queue,
 * service/post.h). With no contact at all the notice is recorded undeliverable (channel
 * none, failed) and, unless the applicant chose anonymity, raises an operations alert: never
 * silently nowhere. */
static int notify_applicant(store_tx_t *tx, const appeal_rec_t *a, const char *tmpl, int64_t now,
                            json_t *extra, ot_err_t *err)
{
    int rc = OT_OK;
    char phone[TEXT_PHONE_MAX_DIGITS + 2] = "";
    if (a->applicant_phone && *a->applicant_phone &&
        text_phone_normalize(a->applicant_phone, strlen(a->applicant_phone), phone, sizeof phone,
                             NULL, NULL))
        phone[0] = '\0';
    int email = a->applicant_email && *a->applicant_email;
    int post = a->applicant_address && *a->applicant_address;
    json_t *d =
        json_pack("{s:s, s:s, s:s}", "number", a->number, "status", a->status, "due_on", a->due_on);
    if (extra)
        json_object_update(d, extra);
    char *text = json_out(d, NULL);
    if (!text)
        rc = ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
    if (!rc && email)
        rc = store_outbox_add(tx, now, a->id, a->applicant_email, "email", tmpl, a->language, text,
                              err);
    if (!rc && phone[0])
        rc = store_outbox_add(tx, now, a->id, phone, "sms", tmpl, a->language, text, err);
    if (!rc && post)
        rc = store_outbox_add(tx, now, a->id, a->applicant_address, "post", tmpl, a->language, text,
                              err);
    if (!rc && !email && !phone[0] && !post) {
        rc = store_outbox_add(tx, now, a->id, "-", "none", tmpl, a->language, text, err);
        if (!rc && strcmp(a->applicant_type, "anonymous")) {
            char key[96];
            snprintf(key, sizeof key, "notice_no_contact:%s", a->number);
            json_t *ad = json_pack("{s:s, s:s, s:s}", "number", a->number, "notice", tmpl, "reason",
                                   "the applicant gave no contact");
            rc = sweep_alert_once(tx, now, key, "notice.undelivered", "appeal", a->number, a->id,
                                  "notice_failed", ad, NULL, err);
            json_decref(ad);
        }
    }
    free(text);
    json_decref(d);
    json_decref(extra);
    return rc;
}

/* ==== Intake ==== */

static int check_str(const char *s, size_t max, int multiline, int required, const char *field,
                     ot_err_t *err)
{
    size_t n = s ? strlen(s) : 0;
    if (!s || !n)
        return required ? ot_err(err, OT_EINVAL, "required", field, "%s is required", field)
                        : OT_OK;
    int rc = text_check(s, n, max, multiline, field, err);
    if (!rc && required)
        rc = text_required(s, n, field, err);
    return rc;
}

static int check_vocab(const char *const *vocab, const char *s, const char *field, ot_err_t *err)
{
    if (!s || !*s)
        return ot_err(err, OT_EINVAL, "required", field, "%s is required", field);
    if (vocab_find(vocab, s) < 0) {
        char list[200];
        vocab_list(vocab, list, sizeof list);
        return ot_err(err, OT_EINVAL, "unknown_value", field, "%s must be one of: %s", field, list);
    }
    return OT_OK;
}

/* A complaint naming the appeal it is about (АППК art. 91): what it leaves out (the applicant,
 * the topic, the place, the language) is that appeal's. */
static int intake_complaint_ref(const intake_t *in)
{
    return in->kind && !strcmp(in->kind, "complaint") && in->complaint_of && *in->complaint_of;
}

/* Shape and content checks that need no store. */
static int intake_validate(const auth_user_t *registrar, const intake_t *in, ot_err_t *err)
{
    int rc;
    if ((rc = check_vocab(appeal_kinds, in->kind, "kind", err)) ||
        (rc = check_vocab(appeal_channels, in->channel, "channel", err)))
        return rc;
    int public_channel = !strcmp(in->channel, "portal") || !strcmp(in->channel, "open311");
    if (!registrar && !public_channel)
        return ot_err(err, OT_EUNAUTH, "registrar_required", "channel",
                      "appeals from %s are entered by a registrar: sign in", in->channel);
    /* A registrar enters the moment a letter or call actually came in; the portal's moment
     * is the server's. */
    if (in->received_at && !registrar)
        return ot_err(err, OT_EINVAL, "not_allowed", "received_at",
                      "received_at is set by the server for public filing");
    /* a complaint about an earlier appeal may leave out what that appeal says (intake_tx) */
    int inherit = intake_complaint_ref(in);
    if ((!in->category || !*in->category) && !inherit)
        return ot_err(err, OT_EINVAL, "required", "category", "category is required");
    if ((!in->language || !*in->language) && !inherit)
        return ot_err(err, OT_EINVAL, "required", "language", "language is required");
    if (in->language && *in->language && strcmp(in->language, "kk") && strcmp(in->language, "ru"))
        return ot_err(err, OT_EINVAL, "unknown_value", "language", "language must be kk or ru");
    if ((rc = check_str(in->text, APPEAL_TEXT_MAX, 1, 1, "text", err)) ||
        (rc = check_str(in->address, 500, 0, 0, "address", err)))
        return rc;
    if (in->has_coords && !(in->lat >= -90 && in->lat <= 90))
        return ot_err(err, OT_EINVAL, "out_of_range", "lat", "lat must be -90..90");
    if (in->has_coords && !(in->lon >= -180 && in->lon <= 180))
        return ot_err(err, OT_EINVAL, "out_of_range", "lon", "lon must be -180..180");
    if (!in->applicant_type && inherit)
        return OT_OK; /* the applicant of the appeal complained about */
    if ((rc = check_vocab(applicant_types, in->applicant_type, "applicant.type", err)))
        return rc;
    const char *t = in->applicant_type;
    if (!strcmp(t, "anonymous"))
        return OT_OK;
    if (!strcmp(t, "legal")) {
        if ((rc = check_str(in->org_name, 300, 0, 1, "applicant.name", err)))
            return rc;
        if (!in->bin || !*in->bin)
            return ot_err(err, OT_EINVAL, "required", "applicant.bin", "applicant.bin is required");
        if ((rc = ident_bin_check(in->bin, "applicant.bin", err)))
            return rc;
    } else {
        if ((rc = check_str(in->full_name, 300, 0, 1, "applicant.full_name", err)))
            return rc;
        if (in->iin && *in->iin && (rc = ident_iin_check(in->iin, "applicant.iin", err)))
            return rc;
        if (!strcmp(t, "collective") && in->signatories < 2 && in->n_signatures < 2)
            return ot_err(err, OT_EINVAL, "out_of_range", "applicant.signatories",
                          "a collective appeal has at least 2 signatories");
        if (in->n_signatures && strcmp(t, "collective"))
            return ot_err(err, OT_EINVAL, "not_allowed", "applicant.signatures",
                          "only a collective appeal has a list of signatures");
        if (in->n_signatures > INTAKE_MAX_SIGNATURES)
            return ot_err(err, OT_EINVAL, "out_of_range", "applicant.signatures",
                          "at most %d signatures", INTAKE_MAX_SIGNATURES);
        for (size_t i = 0; i < in->n_signatures; i++) {
            char f[64];
            snprintf(f, sizeof f, "applicant.signatures[%zu].name", i);
            if ((rc = check_str(in->sig_names[i], 300, 1, 0, f, err)))
                return rc;
            snprintf(f, sizeof f, "applicant.signatures[%zu].iin", i);
            if (in->sig_iins[i] && *in->sig_iins[i] &&
                (rc = ident_iin_check(in->sig_iins[i], f, err)))
                return rc;
        }
    }
    if ((rc = check_str(in->postal_address, 500, 0, 0, "applicant.postal_address", err)))
        return rc;
    if (in->phone && *in->phone &&
        (rc = text_phone_check(in->phone, strlen(in->phone), "applicant.phone", err)))
        return rc;
    if (in->email && *in->email &&
        (rc = text_email_check(in->email, strlen(in->email), "applicant.email", err)))
        return rc;
    /* A citizen filing gives a way to answer (АППК art. 63). A letter, call or visit that
     * came in with a name but no contact is registered all the same by the registrar, who
     * cannot refuse what has arrived: its notices are recorded undeliverable and raise an
     * operations alert (notify_applicant), and it may be returned without consideration
     * (returns.tsv no_contacts). */
    if (!(in->postal_address && *in->postal_address) && !(in->email && *in->email) &&
        !(in->phone && *in->phone) && !(registrar && !public_channel))
        return ot_err(err, OT_EINVAL, "required", "applicant.postal_address",
                      "give a postal address, an e-mail or a phone for the answer (АППК art. 63)");
    return OT_OK;
}

struct intake_ctx {
    const svc_t *svc;
    const auth_user_t *registrar;
    const intake_t *in;
    int64_t now;
    receipt_t *out;
    int check_backdate; /* a request, not a bulk load of past appeals */
};

/* Working days from receipt to now when a registrar's received_at is more than
 * BACKDATE_WORKING_DAYS working days back (then the reason is required), else 0. Late
 * registration must not hide: the registration event says it was backdated, and why. */
static int backdated(const struct intake_ctx *c, const appeal_rec_t *a, int *days, ot_err_t *err)
{
    *days = 0;
    if (!c->check_backdate || !c->in->received_at)
        return OT_OK;
    const juris_t *j = svc_juris(c->svc, a->jurisdiction);
    int off = cal_utc_offset_min(j->cal), n = 0;
    ot_day_t from = instant_local_day(a->received_at, off), to = instant_local_day(c->now, off);
    if (cal_count_working_days(j->cal, from, to, &n, NULL))
        n = to - from; /* outside the calendar: calendar days are a lower bound */
    if (n <= BACKDATE_WORKING_DAYS)
        return OT_OK;
    if (!c->in->received_reason || !*c->in->received_reason)
        return ot_err(err, OT_EINVAL, "reason_required", "received_reason",
                      "received_at is %d working days back (more than %d): say why it is "
                      "registered only now",
                      n, BACKDATE_WORKING_DAYS);
    *days = n;
    return OT_OK;
}

/* Fills registered_on, due_on, forward_by, max_due_on from the receiving body's calendar. */
static int compute_terms(const svc_t *svc, const body_info_t *recv, const char *kind,
                         int64_t received_at, appeal_rec_t *a, ot_err_t *err)
{
    const juris_t *j = svc_juris(svc, recv->jurisdiction);
    if (!j)
        return ot_err(err, OT_EINTERNAL, "unknown_jurisdiction", NULL,
                      "body %s has jurisdiction '%s', which is not loaded", recv->id,
                      recv->jurisdiction);
    deadline_t d;
    int rc = deadline_compute(j->policy, j->cal, kind, received_at, recv->workday_end_min, &d, err);
    if (rc)
        return rc;
    fmt_day(d.registered_on, a->registered_on);
    fmt_day(d.due_on, a->due_on);
    fmt_day(d.forward_by, a->forward_by);
    fmt_day(d.max_extended_due, a->max_due_on);
    str_copy(a->jurisdiction, sizeof a->jurisdiction, j->code);
    return OT_OK;
}

/* The appeal's number: asked for (number_ask) before the problem grouping's reads, taken
 * (number_take) after them, so that on PostgreSQL the number travels with them */
struct number_q {
    const char *prefix;
    int year;
};

static int number_ask(store_tx_t *tx, const svc_t *svc, const appeal_rec_t *a, struct number_q *q,
                      ot_err_t *err)
{
    const juris_t *j = svc_juris(svc, a->jurisdiction);
    const policy_kind_t *k = j ? policy_find_kind(j->policy, a->kind) : NULL;
    if (!k)
        return ot_err(err, OT_EINVAL, "unknown_kind", "kind",
                      "kind '%s' has no terms in jurisdiction %s", a->kind, a->jurisdiction);
    q->prefix = k->prefix.set ? k->prefix.text : "A";
    ot_day_t reg;
    date_parse(a->registered_on, &reg);
    q->year = date_year(reg);
    return store_number_ask(tx, q->prefix, q->year, err);
}

static int number_take(store_tx_t *tx, const struct number_q *q, appeal_rec_t *a, ot_err_t *err)
{
    int64_t seq;
    int rc = store_number_take(tx, q->prefix, q->year, &seq, err);
    if (!rc)
        snprintf(a->number, sizeof a->number, "%.8s-%04d-%06lld", q->prefix, q->year % 10000,
                 (long long)(seq % 100000000));
    return rc;
}

static int number_for(store_tx_t *tx, const svc_t *svc, appeal_rec_t *a, ot_err_t *err)
{
    struct number_q q;
    int rc = number_ask(tx, svc, a, &q, err);
    return rc ? rc : number_take(tx, &q, a, err);
}

/* A complaint filed after the jurisdiction's complaint_within term from the answer (KZ АППК
 * art. 92: 3 months): never refused for it, flagged for its reasons to be examined. */
static int complaint_late(const svc_t *svc, const appeal_rec_t *orig, const char *today)
{
    const juris_t *j = svc_juris(svc, orig->jurisdiction);
    const policy_kind_t *k = j ? policy_find_kind(j->policy, "complaint") : NULL;
    ot_day_t answered, now;
    if (!k || !k->complaint_within.set || k->complaint_within.unit != POLICY_MONTHS ||
        !orig->answered_on[0] || date_parse(orig->answered_on, &answered) ||
        date_parse(today, &now))
        return 0;
    ot_day_t limit;
    if (date_add_months(answered, k->complaint_within.value, &limit))
        return 0;
    return now > limit;
}

static int intake_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct intake_ctx *c = arg;
    const intake_t *in = c->in;
    const svc_t *svc = c->svc;
    appeal_rec_t a, orig;
    memset(&a, 0, sizeof a);
    memset(&orig, 0, sizeof orig);
    int security = 0, rc;
    char actor[32], routed[64] = "";
    body_info_t recv, target;
    recv.id[0] = '\0';
    actor_of(c->registrar, actor, sizeof actor);

    int is_complaint = intake_complaint_ref(in);
    int64_t first_complaint = 0;
    int missed_term = 0;
    const char *category = in->category, *district = in->district, *language = in->language;
    if (is_complaint) {
        /* АППК art. 91: a complaint about an answer, or about no answer in the term (deemed
         * refusal, art. 91(2)), goes to the higher body of the one complained about. */
        if (store_appeal_get(tx, in->complaint_of, &orig, err) ||
            (!c->registrar && !appeal_code_ok(&orig, in->complaint_code))) {
            rc = ot_err(err, OT_EINVAL, "complaint_of_unknown", "complaint_of",
                        "no appeal with that number and access code");
            goto out;
        }
        char today[11];
        appeal_today(svc, orig.jurisdiction, c->now, today);
        int open = appeal_is_open((appeal_status_t)appeal_status_parse(orig.status));
        if (open && strcmp(today, orig.due_on) <= 0) {
            rc = ot_err(err, OT_ECONFLICT, "complaint_too_early", "complaint_of",
                        "appeal %s is still in its term (due %s): a complaint is possible "
                        "after the answer or once the term has passed",
                        orig.number, orig.due_on);
            goto out;
        }
        if ((rc = store_body_get(tx, orig.body, &target, err)) ||
            (rc = store_appeal_first_complaint(tx, orig.id, &first_complaint, err)))
            goto out;
        str_copy(routed, sizeof routed, target.parent[0] ? target.parent : target.id);
        missed_term = complaint_late(svc, &orig, today);
        /* left out: the appeal complained about says it (issue 18) */
        if (!category || !*category)
            category = orig.category;
        if ((!district || !*district) && orig.district[0])
            district = orig.district;
        if (!language || !*language)
            language = orig.language;
        if (!in->applicant_type && !strcmp(orig.applicant_type, "anonymous")) {
            rc = ot_err(err, OT_EINVAL, "required", "applicant",
                        "appeal %s was anonymous: the complaint names its applicant (АППК art. 93)",
                        orig.number);
            goto out;
        }
    }
    /* an unknown code is a bad field of the request (422), not a missing resource; an
     * appeal (not a complaint) reads its route with them, in one statement */
    if (is_complaint) {
        if (!(rc = store_category_get(tx, category, &security, err)) && district && *district)
            rc = store_district_check(tx, district, err);
    } else
        rc = store_intake_refs(tx, category, district, &security, routed, sizeof routed,
                               c->registrar ? NULL : &recv, err);
    if (rc) {
        if (rc == OT_ENOTFOUND && err)
            rc = err->status = OT_EINVAL;
        goto out;
    }
    /* no rule: the oblast akimat's registry queue */
    if (!is_complaint && !routed[0] && (rc = store_body_root(tx, routed, sizeof routed, err)))
        goto out;
    /* the receiving body: the registrar's, else the routed one (read with the route) */
    const char *recv_id = c->registrar ? c->registrar->body : routed;
    if ((c->registrar || is_complaint || strcmp(recv.id, recv_id)) &&
        (rc = store_body_get(tx, recv_id, &recv, err)))
        goto out;
    str_copy(a.kind, sizeof a.kind, in->kind);
    str_copy(a.channel, sizeof a.channel, in->channel);
    str_copy(a.language, sizeof a.language, language);
    str_copy(a.category, sizeof a.category, category);
    str_copy(a.district, sizeof a.district, district);
    str_copy(a.body, sizeof a.body, routed);
    str_copy(a.receiving_body, sizeof a.receiving_body, recv.id);
    a.registrar = c->registrar ? c->registrar->id : 0;
    a.received_at = in->received_at ? in->received_at : c->now;
    int late_days = 0;
    struct number_q nq = {NULL, 0};
    if ((rc = compute_terms(svc, &recv, in->kind, a.received_at, &a, err)) ||
        (rc = backdated(c, &a, &late_days, err)) || (rc = number_ask(tx, svc, &a, &nq, err)))
        goto out;
    a.text = dup_or_null(in->text);
    a.address = dup_or_null(in->address);
    a.has_coords = in->has_coords;
    a.lat = in->lat;
    a.lon = in->lon;
    int anonymous = 0;
    if (!in->applicant_type) { /* a complaint: the applicant of the appeal complained about */
        str_copy(a.applicant_type, sizeof a.applicant_type, orig.applicant_type);
        str_copy(a.applicant_id, sizeof a.applicant_id, orig.applicant_id);
        a.applicant_name = dup_or_null(orig.applicant_name);
        a.applicant_address = dup_or_null(orig.applicant_address);
        a.applicant_phone = dup_or_null(orig.applicant_phone);
        a.applicant_email = dup_or_null(orig.applicant_email);
        a.signatories = orig.signatories;
    } else {
        str_copy(a.applicant_type, sizeof a.applicant_type, in->applicant_type);
        anonymous = !strcmp(in->applicant_type, "anonymous");
    }
    if (in->applicant_type && !anonymous) {
        int legal = !strcmp(in->applicant_type, "legal");
        str_copy(a.applicant_id, sizeof a.applicant_id, legal ? in->bin : in->iin);
        a.applicant_name = dup_or_null(legal ? in->org_name : in->full_name);
        a.applicant_address = dup_or_null(in->postal_address);
        a.applicant_phone = dup_or_null(in->phone);
        a.applicant_email = dup_or_null(in->email);
        a.signatories = in->signatories;
    }
    /* Anonymous appeals are not considered unless they report a crime or a threat to
     * security: those go at once to the body the routing names (docs/law.md 1.7). */
    str_copy(a.status, sizeof a.status, anonymous && !security ? "not_considered" : "registered");
    if (is_complaint) {
        a.parent_id = orig.id;
        str_copy(a.link, sizeof a.link, "complaint");
        /* a second complaint on the same appeal is linked to the first */
        a.repeat_of = first_complaint;
    }
    /* a complaint is about the earlier appeal, not a repeat of it */
    if (in->addressed_to && *in->addressed_to) {
        body_info_t to;
        if (store_body_get(tx, in->addressed_to, &to, NULL)) {
            rc = ot_err(err, OT_EINVAL, "unknown_body", "addressed_to",
                        "no body '%.64s' (see GET /api/v1/bodies)", in->addressed_to);
            goto out;
        }
    }
    if (in->n_signatures && (int64_t)in->n_signatures > a.signatories)
        a.signatories = (int64_t)in->n_signatures;
    /* the problem it is about (issue 17), and the earlier decided appeal of the same
     * applicant on that problem: a repeated appeal (issue 16 point 4) */
    int new_problem = 0;
    if ((rc = problem_intake(tx, svc, &a, c->now, &new_problem, err)) ||
        (rc = number_take(tx, &nq, &a, err)))
        goto out;
    make_code(c->out->access_code);
    code_hash(a.number, c->out->access_code, a.access_hash);
    a.updated_at = c->now;
    if ((rc = store_appeal_insert(tx, &a, err)) ||
        (rc = problem_after_intake(tx, svc, &a, new_problem, c->now, err)))
        goto out;
    if (in->addressed_to && *in->addressed_to &&
        (rc = store_addressee_put(tx, a.id, in->addressed_to, err)))
        goto out;
    for (size_t i = 0; i < in->n_signatures; i++)
        if ((rc = store_signatory_add(tx, a.id, (int64_t)i + 1, in->sig_names[i],
                                      in->sig_iins[i] && *in->sig_iins[i] ? in->sig_iins[i] : NULL,
                                      err)))
            goto out;
    json_t *d =
        json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "kind", a.kind, "channel", a.channel,
                  "category", a.category, "receiving_body", a.receiving_body, "body", a.body,
                  "status", a.status, "registered_on", a.registered_on, "due_on", a.due_on);
    if (a.repeat_of)
        json_object_set_new(d, "repeat_of_id", json_integer(a.repeat_of));
    if (a.problem_id)
        json_object_set_new(d, "problem_id", json_integer(a.problem_id));
    if (is_complaint)
        json_object_set_new(d, "complaint_of", json_string(orig.number));
    if (in->addressed_to && *in->addressed_to)
        json_object_set_new(d, "addressed_to", json_string(in->addressed_to));
    if (in->n_signatures)
        json_object_set_new(d, "signatures", json_integer((json_int_t)in->n_signatures));
    if (missed_term) /* АППК art. 92: registered all the same; the reasons are examined */
        json_object_set_new(d, "missed_term", json_string("reasons to be examined"));
    if (late_days) {
        char at[40];
        instant_format(a.received_at, cal_utc_offset_min(svc_juris(svc, a.jurisdiction)->cal), at,
                       sizeof at);
        json_object_set_new(d, "backdated_working_days", json_integer(late_days));
        json_object_set_new(d, "received_at", json_string(at));
        json_object_set_new(d, "received_reason", json_string(in->received_reason));
    }
    if ((rc = event(tx, c->now, actor, "appeal.register", a.number, d, err)) ||
        (rc = notify_applicant(tx, &a, "registered", c->now, NULL, err)))
        goto out;

    receipt_t *r = c->out;
    str_copy(r->number, sizeof r->number, a.number);
    r->received_at = a.received_at;
    str_copy(r->registered_on, sizeof r->registered_on, a.registered_on);
    str_copy(r->due_on, sizeof r->due_on, a.due_on);
    str_copy(r->body_id, sizeof r->body_id, recv.id);
    str_copy(r->body_name, sizeof r->body_name, recv.name_ru);
    str_copy(r->status, sizeof r->status, a.status);
    str_copy(r->routed_to, sizeof r->routed_to, a.body);
    if (in->addressed_to)
        str_copy(r->addressed_to, sizeof r->addressed_to, in->addressed_to);
    if (c->registrar) {
        r->has_registrar = 1;
        str_copy(r->registrar_name, sizeof r->registrar_name, c->registrar->name);
        str_copy(r->registrar_position, sizeof r->registrar_position, c->registrar->position);
    }
    if (a.repeat_of) {
        appeal_rec_t prev;
        memset(&prev, 0, sizeof prev);
        if (!store_appeal_get_id(tx, a.repeat_of, &prev, NULL))
            str_copy(r->repeat_of, sizeof r->repeat_of, prev.number);
        appeal_rec_free(&prev);
    }
    const juris_t *j = svc_juris(svc, a.jurisdiction);
    int off = cal_utc_offset_min(j->cal);
    snprintf(r->utc_offset, sizeof r->utc_offset, "%c%02d:%02d", off < 0 ? '-' : '+',
             (abs(off) / 60) % 24, abs(off) % 60);
out:
    appeal_rec_free(&a);
    appeal_rec_free(&orig);
    return rc;
}

static int intake_check(const auth_user_t *registrar, const intake_t *in, receipt_t *out,
                        ot_err_t *err)
{
    memset(out, 0, sizeof *out);
    if (sodium_init() < 0)
        return ot_err(err, OT_EINTERNAL, "crypto_init", NULL, "libsodium failed to start");
    if (registrar && perm_scope(registrar->role, ACT_APPEAL_INTAKE) == SCOPE_NONE)
        return ot_err(err, OT_EFORBIDDEN, "forbidden", NULL, "a %s does not register appeals",
                      role_name(registrar->role));
    return intake_validate(registrar, in, err);
}

int appeal_intake(const svc_t *svc, const auth_user_t *registrar, const intake_t *in, int64_t now,
                  receipt_t *out, ot_err_t *err)
{
    int rc = intake_check(registrar, in, out, err);
    if (!rc && in->received_at > now + 5LL * 60 * 1000000)
        rc = ot_err(err, OT_EINVAL, "in_future", "received_at", "received_at is in the future");
    if (rc)
        return rc;
    struct intake_ctx c = {svc, registrar, in, now, out, 1};
    rc = store_write(svc->store, intake_tx, &c, err);
    if (rc)
        memset(out->access_code, 0, sizeof out->access_code);
    return rc;
}

int appeal_intake_in(store_tx_t *tx, const svc_t *svc, const auth_user_t *registrar,
                     const intake_t *in, int64_t now, receipt_t *out, ot_err_t *err)
{
    int rc = intake_check(registrar, in, out, err);
    if (!rc && in->received_at > now + 5LL * 60 * 1000000)
        rc = ot_err(err, OT_EINVAL, "in_future", "received_at", "received_at is in the future");
    struct intake_ctx c = {svc, registrar, in, now, out, 0};
    return rc ? rc : intake_tx(tx, &c, err);
}

/* ==== Access ==== */

static int in_body(const auth_user_t *u, const appeal_rec_t *a)
{
    size_t n = strlen(u->body_path);
    return n && strncmp(a->body_path, u->body_path, n) == 0;
}

/* 404 when the user may not see the appeal, 403 when they see it but may not act. */
static int check_perm(const auth_user_t *u, const appeal_rec_t *a, action_t act, ot_err_t *err)
{
    perm_obj_t o = {in_body(u, a), a->executor == u->id};
    switch (perm_decide(u->role, act, ACT_APPEAL_READ, &o)) {
    case PERM_ALLOW:
        return OT_OK;
    case PERM_FORBIDDEN:
        return ot_err(err, OT_EFORBIDDEN, "forbidden", NULL, "a %s may not %s this appeal",
                      role_name(u->role), action_name(act));
    default:
        return ot_err(err, OT_ENOTFOUND, "appeal_not_found", "number", "no such appeal");
    }
}

static const action_t perm_of_action[AA_COUNT] = {
    [AA_ASSIGN] = ACT_APPEAL_ASSIGN,
    [AA_START] = ACT_APPEAL_WORK,
    [AA_ANSWER] = ACT_APPEAL_ANSWER,
    [AA_FORWARD] = ACT_APPEAL_FORWARD,
    [AA_EXTEND] = ACT_APPEAL_EXTEND,
    [AA_RETURN] = ACT_APPEAL_RETURN,
    [AA_CLOSE] = ACT_APPEAL_CLOSE,
    [AA_TERMINATE] = ACT_APPEAL_CLOSE,
    [AA_CONTROL] = ACT_APPEAL_CONTROL,
    [AA_REQUEST_EXTENSION] = ACT_APPEAL_WORK,
    [AA_REFUSE_EXTENSION] = ACT_APPEAL_EXTEND,
    [AA_RETURN_UNCONSIDERED] = ACT_APPEAL_CLOSE,
    [AA_SUSPEND] = ACT_APPEAL_EXTEND,
    [AA_RESUME] = ACT_APPEAL_EXTEND,
    [AA_APPROVE] = ACT_APPEAL_APPROVE,
    [AA_RETURN_ANSWER] = ACT_APPEAL_APPROVE,
};

/* ==== Actions ==== */

struct act_ctx {
    const svc_t *svc;
    const auth_user_t *user;
    const char *number;
    int action;
    const act_input_t *in;
    int64_t now;
    appeal_rec_t *out;
    char *part_number;
    int held; /* the answer was held for the head's approval: event appeal.answer_held */
};

static int need(const char *s, size_t max, const char *field, ot_err_t *err)
{
    return check_str(s, max, 1, 1, field, err);
}

static int do_assign(store_tx_t *tx, struct act_ctx *c, appeal_rec_t *a, json_t *d, ot_err_t *err)
{
    user_rec_t ex;
    int rc = need(c->in->executor, 64, "executor", err);
    if (rc)
        return rc;
    if (store_user_by_login(tx, c->in->executor, &ex, err) || ex.disabled)
        return ot_err(err, OT_EINVAL, "unknown_executor", "executor", "no active user '%.64s'",
                      c->in->executor);
    if (strcmp(ex.role, "executor") && strcmp(ex.role, "head"))
        return ot_err(err, OT_EINVAL, "not_an_executor", "executor", "%s is a %s, not an executor",
                      ex.login, ex.role);
    if (strncmp(a->body_path, ex.body_path, strlen(ex.body_path)) != 0 &&
        strncmp(ex.body_path, a->body_path, strlen(a->body_path)) != 0)
        return ot_err(err, OT_EINVAL, "executor_other_body", "executor",
                      "%s works in %s, not in the appeal's body %s", ex.login, ex.body, a->body);
    a->executor = ex.id;
    json_object_set_new(d, "executor", json_string(ex.login));
    return OT_OK;
}

/* The term at the competent body after a forward (terms.txt "forwarded"): restart, the
 * competent body registers it on receipt and the term counts from there (the default of
 * the law, docs/law.md 1.5), or keep the first term. The event records both. */
static int forwarded_term(struct act_ctx *c, appeal_rec_t *a, const body_info_t *to, json_t *d,
                          ot_err_t *err)
{
    const juris_t *j = svc_juris(c->svc, a->jurisdiction);
    const policy_kind_t *k = policy_find_kind(j->policy, a->kind);
    if (!k || !k->forwarded.set || k->forwarded.mode != POLICY_FWD_RESTART) {
        json_object_set_new(d, "term", json_string("kept"));
        return OT_OK;
    }
    deadline_t dl;
    int rc = deadline_compute(j->policy, j->cal, a->kind, c->now, to->workday_end_min, &dl, err);
    if (rc)
        return rc;
    json_object_set_new(d, "term", json_string("restarted"));
    json_object_set_new(d, "due_from", json_string(a->due_on));
    fmt_day(dl.due_on, a->due_on);
    fmt_day(dl.forward_by, a->forward_by);
    fmt_day(dl.max_extended_due, a->max_due_on);
    json_object_set_new(d, "due_to", json_string(a->due_on));
    json_object_set_new(d, "term_source", json_string(k->forwarded.source));
    return OT_OK;
}

static int do_forward(store_tx_t *tx, struct act_ctx *c, appeal_rec_t *a, json_t *d, ot_err_t *err)
{
    body_info_t b;
    int rc = need(c->in->body, 64, "body", err);
    if (!rc)
        rc = need(c->in->reason, 2000, "reason", err);
    if (rc)
        return rc;
    if (store_body_get(tx, c->in->body, &b, err))
        return ot_err(err, OT_EINVAL, "unknown_body", "body", "no body '%.64s'", c->in->body);
    if (!strcmp(b.id, a->body))
        return ot_err(err, OT_EINVAL, "same_body", "body", "the appeal is already at %s", b.id);
    char today[11];
    appeal_today(c->svc, a->jurisdiction, c->now, today);
    /* АППК art. 65: forward by competence within 3 working days of receipt. */
    int late = a->forward_by[0] && strcmp(today, a->forward_by) > 0;
    json_object_set_new(d, "from", json_string(a->body));
    json_object_set_new(d, "to", json_string(b.id));
    json_object_set_new(d, "reason", json_string(c->in->reason));
    json_object_set_new(d, "within_term", json_boolean(!late));
    /* the term it was forwarded against: a restarted term (forwarded_term) replaces the
     * appeal's, and the sweep judges a late forward by this one (violation's term and days) */
    if (a->forward_by[0])
        json_object_set_new(d, "forward_by", json_string(a->forward_by));
    if (c->in->part_text && *c->in->part_text) {
        /* Only a part is outside our competence: it becomes a new appeal, linked, with the
         * same applicant, registered at the target body. */
        if ((rc = check_str(c->in->part_text, APPEAL_TEXT_MAX, 1, 1, "part_text", err)))
            return rc;
        appeal_rec_t p = *a;
        p.id = 0;
        p.text = dup_or_null(c->in->part_text);
        p.address = dup_or_null(a->address);
        p.applicant_name = dup_or_null(a->applicant_name);
        p.applicant_address = dup_or_null(a->applicant_address);
        p.applicant_phone = dup_or_null(a->applicant_phone);
        p.applicant_email = dup_or_null(a->applicant_email);
        p.extension_reason = p.answer_text = p.answer_grounds = p.rating_comment = NULL;
        p.verdict_comment = NULL;
        p.verdict[0] = '\0';
        p.problem_id = 0; /* the part is another question: grouped again only at intake */
        str_copy(p.body, sizeof p.body, b.id);
        str_copy(p.status, sizeof p.status, "registered");
        p.executor = 0;
        p.parent_id = a->id;
        str_copy(p.link, sizeof p.link, "part");
        p.repeat_of = 0;
        char code[ACCESS_CODE_LEN + 1];
        rc = number_for(tx, c->svc, &p, err);
        if (!rc) {
            make_code(code);
            code_hash(p.number, code, p.access_hash);
            p.updated_at = c->now;
            rc = store_appeal_insert(tx, &p, err);
        }
        if (!rc) {
            json_t *pd = json_pack("{s:s, s:s, s:s}", "part_of", a->number, "body", b.id, "reason",
                                   c->in->reason);
            rc = event(tx, c->now, "system", "appeal.register", p.number, pd, err);
        }
        if (!rc)
            rc = notify_applicant(
                tx, &p, "part_forwarded", c->now,
                json_pack("{s:s, s:s}", "part_of", a->number, "access_code", code), err);
        if (!rc && c->part_number)
            str_copy(c->part_number, 40, p.number);
        json_object_set_new(d, "part", json_string(p.number));
        appeal_rec_free(&p);
        return rc;
    }
    forward_rec_t f;
    memset(&f, 0, sizeof f);
    f.appeal_id = a->id;
    f.at = c->now;
    str_copy(f.from_body, sizeof f.from_body, a->body);
    str_copy(f.to_body, sizeof f.to_body, b.id);
    f.within_term = !late;
    str_copy(f.reason, sizeof f.reason, c->in->reason);
    if ((rc = store_forward_add(tx, &f, err)) || (rc = forwarded_term(c, a, &b, d, err)))
        return rc;
    str_copy(a->body, sizeof a->body, b.id);
    str_copy(a->body_path, sizeof a->body_path, b.path);
    a->executor = 0;
    a->forwarded_at = c->now;
    a->forward_late = late;
    /* the body named in the applicant's language */
    const char *name = !strcmp(a->language, "kk") && b.name_kk[0] ? b.name_kk : b.name_ru;
    return notify_applicant(tx, a, "forwarded", c->now,
                            json_pack("{s:s, s:s}", "body", name, "reason", c->in->reason), err);
}

/* A term can be moved only while it runs: up to the end of the working day of the due date
 * in the body (АППК art. 76: the extension is decided within the term). Afterwards the
 * breach has happened and stays: 409 term_expired. */
static int term_running(store_tx_t *tx, struct act_ctx *c, const appeal_rec_t *a, ot_err_t *err)
{
    body_info_t b;
    ot_day_t due;
    int rc = store_body_get(tx, a->body, &b, err);
    if (rc)
        return rc;
    const juris_t *j = svc_juris(c->svc, a->jurisdiction);
    if (date_parse(a->due_on, &due))
        return ot_err(err, OT_EINTERNAL, "bad_date", NULL, "bad stored due date");
    int64_t end = instant_from_local(due, b.workday_end_min, cal_utc_offset_min(j->cal));
    if (c->now > end)
        return ot_err(err, OT_ECONFLICT, "term_expired", "due_on",
                      "the term ended on %s: it can no longer be extended", a->due_on);
    return OT_OK;
}

/* The checks of a proposed new due date: later than the current one, within the legal
 * limit, decided while the term runs. */
static int extension_ok(store_tx_t *tx, struct act_ctx *c, const appeal_rec_t *a, ot_err_t *err)
{
    int rc = need(c->in->due_on, 10, "due_on", err);
    if (!rc)
        rc = need(c->in->reason, 2000, "reason", err);
    if (!rc)
        rc = term_running(tx, c, a, err);
    if (rc)
        return rc;
    ot_day_t reg, due, old;
    if (date_parse(c->in->due_on, &due))
        return ot_err(err, OT_EINVAL, "bad_date", "due_on", "due_on must be YYYY-MM-DD");
    const juris_t *j = svc_juris(c->svc, a->jurisdiction);
    date_parse(a->registered_on, &reg);
    date_parse(a->due_on, &old);
    if (due <= old)
        return ot_err(err, OT_EINVAL, "extension_not_later", "due_on",
                      "the new due date must be after %s", a->due_on);
    /* АППК art. 76: a reasoned decision of the head, up to two months in total. */
    if ((rc = deadline_extension_check(j->policy, j->cal, a->kind, reg, due, err)))
        str_copy(err->field, sizeof err->field, "due_on");
    return rc;
}

/* The executor asks; the head of the body is told and decides (extend or refuse_extension). */
static int do_request_extension(struct act_ctx *c, appeal_rec_t *a, json_t *d, store_tx_t *tx,
                                ot_err_t *err)
{
    int rc = extension_ok(tx, c, a, err);
    if (rc)
        return rc;
    json_object_set_new(d, "proposed_due_on", json_string(c->in->due_on));
    json_object_set_new(d, "reason", json_string(c->in->reason));
    int64_t head = 0;
    if ((rc = store_viol_head_of(tx, a->body, &head, NULL, err)))
        return rc;
    json_t *n = json_pack("{s:s, s:s, s:s, s:s}", "number", a->number, "due_on", a->due_on,
                          "proposed_due_on", c->in->due_on, "reason", c->in->reason);
    char *text = json_out(n, NULL);
    json_decref(n);
    rc = text ? sweep_notify_user(tx, c->now, head, a->id, "extension_request", a->language, text,
                                  err)
              : ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
    free(text);
    return rc;
}

static int do_extend(struct act_ctx *c, appeal_rec_t *a, json_t *d, store_tx_t *tx, ot_err_t *err)
{
    int rc = extension_ok(tx, c, a, err);
    if (rc)
        return rc;
    json_object_set_new(d, "from", json_string(a->due_on));
    json_object_set_new(d, "to", json_string(c->in->due_on));
    json_object_set_new(d, "reason", json_string(c->in->reason));
    str_copy(a->due_on, sizeof a->due_on, c->in->due_on);
    appeal_today(c->svc, a->jurisdiction, c->now, a->extended_on);
    free(a->extension_reason);
    a->extension_reason = strdup(c->in->reason);
    /* the applicant is told within 3 working days: the notice is queued now */
    return notify_applicant(tx, a, "extended", c->now, json_pack("{s:s}", "reason", c->in->reason),
                            err);
}

/* The term stops for a reasoned cause (an expert examination, an inquiry to another body),
 * decided by the head while it runs; the sweep passes a suspended appeal over. */
static int do_suspend(store_tx_t *tx, struct act_ctx *c, appeal_rec_t *a, json_t *d, ot_err_t *err)
{
    int rc = need(c->in->reason, 2000, "reason", err);
    if (!rc && a->suspended_on[0])
        rc = ot_err(err, OT_ECONFLICT, "already_suspended", "status",
                    "the term is suspended since %s", a->suspended_on);
    if (!rc)
        rc = term_running(tx, c, a, err);
    if (rc)
        return rc;
    appeal_today(c->svc, a->jurisdiction, c->now, a->suspended_on);
    json_object_set_new(d, "reason", json_string(c->in->reason));
    json_object_set_new(d, "due_on", json_string(a->due_on));
    return notify_applicant(tx, a, "suspended", c->now, json_pack("{s:s}", "reason", c->in->reason),
                            err);
}

/* The term runs again: the working days it stood still (after the day it stopped, up to
 * and including today) are added to the due date and to the extension limit. */
static int do_resume(store_tx_t *tx, struct act_ctx *c, appeal_rec_t *a, json_t *d, ot_err_t *err)
{
    if (!a->suspended_on[0])
        return ot_err(err, OT_ECONFLICT, "not_suspended", "status", "the term is running");
    const juris_t *j = svc_juris(c->svc, a->jurisdiction);
    char today[11];
    appeal_today(c->svc, a->jurisdiction, c->now, today);
    ot_day_t from, to, due, max;
    int n = 0, rc;
    if (date_parse(a->suspended_on, &from) || date_parse(today, &to) ||
        date_parse(a->due_on, &due) || date_parse(a->max_due_on, &max))
        return ot_err(err, OT_EINTERNAL, "bad_date", NULL, "bad stored date");
    if ((rc = cal_count_working_days(j->cal, from, to, &n, err)) ||
        (n > 0 && ((rc = cal_add_working_days(j->cal, due, n, &due, err)) ||
                   (rc = cal_add_working_days(j->cal, max, n, &max, err)))))
        return rc;
    json_object_set_new(d, "suspended_on", json_string(a->suspended_on));
    json_object_set_new(d, "days", json_integer(n));
    json_object_set_new(d, "due_from", json_string(a->due_on));
    fmt_day(due, a->due_on);
    fmt_day(max, a->max_due_on);
    json_object_set_new(d, "due_to", json_string(a->due_on));
    a->suspended_on[0] = '\0';
    a->suspended_days += n;
    (void)tx;
    return OT_OK;
}

/* Issue 16 point 4: an appeal is ended as "already decided, no new arguments" only when the
 * earlier appeal it repeats (the same applicant on the same problem, linked at intake) was
 * decided on the merits by the same body; that appeal's number goes into the event. */
static int repeat_decided_here(store_tx_t *tx, const appeal_rec_t *a, json_t *d, ot_err_t *err)
{
    appeal_rec_t prev;
    memset(&prev, 0, sizeof prev);
    int ok = a->repeat_of && !store_appeal_get_id(tx, a->repeat_of, &prev, NULL) &&
             prev.answered_at && problem_decision_on_merits(prev.decision) &&
             !strcmp(prev.body, a->body);
    if (ok)
        json_object_set_new(d, "decided_in", json_string(prev.number));
    appeal_rec_free(&prev);
    if (!ok)
        return ot_err(err, OT_ECONFLICT, "not_decided_here", "reason",
                      "the appeal repeats no appeal of the same applicant on the same problem "
                      "decided on the merits by this body");
    return OT_OK;
}

/* Returned without consideration on a ground of the jurisdiction's data (returns.tsv, each
 * with its legal source); the applicant is told which, in the appeal's language. */
static int do_return_unconsidered(store_tx_t *tx, struct act_ctx *c, appeal_rec_t *a, json_t *d,
                                  ot_err_t *err)
{
    const juris_t *j = svc_juris(c->svc, a->jurisdiction);
    const char *code = c->in->reason;
    const tsv_row_t *row = NULL;
    for (size_t i = 0; j && j->returns && code && i < j->returns->n_rows; i++)
        if (!strcmp(tsv_col(&j->returns->rows[i], "code"), code))
            row = &j->returns->rows[i];
    if (!row) {
        char list[256] = "";
        for (size_t i = 0; j && j->returns && i < j->returns->n_rows; i++)
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "",
                     tsv_col(&j->returns->rows[i], "code"));
        return ot_err(err, OT_EINVAL, "unknown_value", "reason", "reason must be one of: %s",
                      list[0] ? list : "(none in this jurisdiction's data)");
    }
    /* issue 16 point 4: "decided, no new arguments" only on a repeat decided here */
    if (!strcmp(code, "decided_no_new_arguments")) {
        int rc = repeat_decided_here(tx, a, d, err);
        if (rc)
            return rc;
    }
    const char *text = tsv_col(row, !strcmp(a->language, "kk") ? "text_kk" : "text_ru");
    str_copy(a->terminate_reason, sizeof a->terminate_reason, code);
    json_object_set_new(d, "reason", json_string(code));
    json_object_set_new(d, "reason_text", json_string(text));
    json_object_set_new(d, "source", json_string(tsv_col(row, "source")));
    return notify_applicant(tx, a, "returned_unconsidered", c->now,
                            json_pack("{s:s}", "reason", text), err);
}

/* The answer goes out: the appeal is answered now (the release is what the term is judged
 * by: the applicant has an answer only from here), by author. */
static int release_answer(store_tx_t *tx, struct act_ctx *c, appeal_rec_t *a, json_t *d,
                          const char *decision, const char *text, const char *grounds,
                          int64_t author, ot_err_t *err)
{
    str_copy(a->decision, sizeof a->decision, decision);
    free(a->answer_text);
    free(a->answer_grounds);
    a->answer_text = strdup(text);
    a->answer_grounds = dup_or_null(grounds);
    a->answered_at = c->now;
    a->answered_by = author;
    appeal_today(c->svc, a->jurisdiction, c->now, a->answered_on);
    json_object_set_new(d, "decision", json_string(a->decision));
    json_object_set_new(d, "on_time", json_boolean(strcmp(a->answered_on, a->due_on) <= 0));
    /* the notice carries the decision in words, the answer and its grounds; the template
     * adds how to complain (data/templates/<language>/answered.txt) */
    return notify_applicant(tx, a, "answered", c->now,
                            json_pack("{s:s, s:s, s:s, s:s}", "decision", a->decision,
                                      "decision_text",
                                      appeal_decision_words(a->decision, a->language), "answer",
                                      a->answer_text, "grounds", a->answer_grounds),
                            err);
}

/* The body's head approves his executors' answers (body setting answer_approval): the
 * answer is kept, awaiting approval; the appeal stays in work and its term runs; the head is
 * told. */
static int hold_answer(store_tx_t *tx, struct act_ctx *c, appeal_rec_t *a, json_t *d, int *to,
                       ot_err_t *err)
{
    approval_rec_t r;
    memset(&r, 0, sizeof r);
    r.appeal_id = a->id;
    str_copy(r.decision, sizeof r.decision, c->in->decision);
    r.text = (char *)c->in->text;
    r.grounds = (char *)c->in->grounds;
    r.submitted_by = c->user->id;
    r.submitted_at = c->now;
    appeal_today(c->svc, a->jurisdiction, c->now, r.submitted_on);
    int rc = store_approval_add(tx, &r, err);
    if (rc)
        return rc;
    json_object_set_new(d, "decision", json_string(r.decision));
    json_object_set_new(d, "awaiting_approval", json_true());
    json_object_set_new(d, "approval", json_integer(r.id));
    json_object_set_new(d, "submitted_on_time",
                        json_boolean(strcmp(r.submitted_on, a->due_on) <= 0));
    *to = ST_IN_WORK;
    c->held = 1;
    int64_t head = 0;
    if ((rc = store_viol_head_of(tx, a->body, &head, NULL, err)))
        return rc;
    json_t *n =
        json_pack("{s:s, s:s, s:s, s:s}", "number", a->number, "due_on", a->due_on, "decision_text",
                  appeal_decision_words(r.decision, a->language), "executor", c->user->name);
    char *t = json_out(n, NULL);
    json_decref(n);
    rc = t ? sweep_notify_user(tx, c->now, head, a->id, "approval_request", a->language, t, err)
           : ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
    free(t);
    return rc;
}

static int do_answer(store_tx_t *tx, struct act_ctx *c, appeal_rec_t *a, json_t *d, int *to,
                     ot_err_t *err)
{
    int rc = check_vocab(appeal_decisions, c->in->decision, "decision", err);
    if (!rc)
        rc = need(c->in->text, APPEAL_TEXT_MAX, "text", err);
    if (!rc)
        rc = need(c->in->grounds, 2000, "grounds", err);
    if (rc)
        return rc;
    /* a substantive answer: a reasoned text, its grounds (facts and norms), the language of
     * the appeal (Law on Languages art. 11) */
    const char *t = c->in->text, *g = c->in->grounds;
    if (text_utf8_chars(t, strlen(t)) < ANSWER_MIN_CHARS)
        return ot_err(err, OT_EINVAL, "too_short", "text",
                      "an answer explains the decision: at least %d characters", ANSWER_MIN_CHARS);
    if (text_utf8_chars(g, strlen(g)) < ANSWER_GROUNDS_MIN_CHARS)
        return ot_err(err, OT_EINVAL, "too_short", "grounds",
                      "the grounds name the facts found and the legal norms applied: at least %d "
                      "characters",
                      ANSWER_GROUNDS_MIN_CHARS);
    if (!text_language_fits(t, strlen(t), a->language))
        return ot_err(err, OT_EINVAL, "wrong_language", "text",
                      "the appeal is in %s: the answer is written in its language (a bilingual "
                      "answer is allowed)",
                      !strcmp(a->language, "kk") ? "Kazakh" : "Russian");
    body_settings_t bs;
    if ((rc = store_body_settings_get(tx, a->body, &bs, err)))
        return rc;
    if (appeal_answer_held(bs.answer_approval, c->user->role == ROLE_HEAD))
        return hold_answer(tx, c, a, d, to, err);
    return release_answer(tx, c, a, d, c->in->decision, t, g, c->user->id, err);
}

/* The head releases the answer awaiting his approval: it goes out now, as its author's. */
static int do_approve(store_tx_t *tx, struct act_ctx *c, appeal_rec_t *a, json_t *d, ot_err_t *err)
{
    approval_rec_t r;
    int found = 0;
    int rc = store_approval_pending(tx, a->id, &r, &found, err);
    if (rc)
        return rc;
    if (!found)
        return ot_err(err, OT_ECONFLICT, "no_answer_awaiting", "status",
                      "no answer of this appeal awaits approval");
    json_object_set_new(d, "approval", json_integer(r.id));
    json_object_set_new(d, "submitted_by", json_integer(r.submitted_by));
    json_object_set_new(d, "submitted_on", json_string(r.submitted_on));
    json_object_set_new(d, "submitted_on_time",
                        json_boolean(strcmp(r.submitted_on, a->due_on) <= 0));
    rc = store_approval_decide(tx, r.id, "approved", c->user->id, c->now, NULL, err);
    if (!rc)
        rc = release_answer(tx, c, a, d, r.decision, r.text, r.grounds, r.submitted_by, err);
    approval_rec_free(&r);
    return rc;
}

/* ... or returns it to its author with a comment; the appeal stays in work. */
static int do_return_answer(store_tx_t *tx, struct act_ctx *c, appeal_rec_t *a, json_t *d,
                            ot_err_t *err)
{
    int rc = need(c->in->reason, 2000, "reason", err);
    if (rc)
        return rc;
    approval_rec_t r;
    int found = 0;
    if ((rc = store_approval_pending(tx, a->id, &r, &found, err)))
        return rc;
    if (!found)
        return ot_err(err, OT_ECONFLICT, "no_answer_awaiting", "status",
                      "no answer of this appeal awaits approval");
    json_object_set_new(d, "approval", json_integer(r.id));
    json_object_set_new(d, "submitted_by", json_integer(r.submitted_by));
    json_object_set_new(d, "reason", json_string(c->in->reason));
    rc = store_approval_decide(tx, r.id, "returned", c->user->id, c->now, c->in->reason, err);
    if (!rc) {
        json_t *n = json_pack("{s:s, s:s, s:s}", "number", a->number, "due_on", a->due_on, "reason",
                              c->in->reason);
        char *t = json_out(n, NULL);
        json_decref(n);
        rc = t ? sweep_notify_user(tx, c->now, r.submitted_by, a->id, "answer_returned",
                                   a->language, t, err)
               : ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
        free(t);
    }
    approval_rec_free(&r);
    return rc;
}

/* While an answer awaits approval, the appeal is not answered, moved or ended another way:
 * the head approves or returns it first. */
static int not_held(store_tx_t *tx, const appeal_rec_t *a, ot_err_t *err)
{
    approval_rec_t r;
    int found = 0;
    int rc = store_approval_pending(tx, a->id, &r, &found, err);
    if (rc || !found)
        return rc;
    approval_rec_free(&r);
    return ot_err(err, OT_ECONFLICT, "answer_awaiting_approval", "status",
                  "an answer of this appeal awaits the head's approval: approve or "
                  "return_answer first");
}

static int act_apply(store_tx_t *tx, struct act_ctx *c, appeal_rec_t *a, const appeal_rec_t *before,
                     ot_err_t *err);

static int act_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct act_ctx *c = arg;
    appeal_rec_t *a = c->out;
    appeal_rec_t before;
    int rc = store_appeal_get(tx, c->number, a, err);
    if (rc)
        return rc;
    if ((rc = check_perm(c->user, a, perm_of_action[c->action], err)))
        return rc;
    if (appeal_rec_copy(&before, a))
        return ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
    rc = act_apply(tx, c, a, &before, err);
    appeal_rec_free(&before);
    return rc;
}

/* The action on appeal a, read as before. */
static int act_apply(store_tx_t *tx, struct act_ctx *c, appeal_rec_t *a, const appeal_rec_t *before,
                     ot_err_t *err)
{
    int rc = OT_OK;
    int from = appeal_status_parse(a->status);
    int to = from < 0 ? -1 : appeal_next((appeal_status_t)from, (appeal_action_t)c->action);
    if (to < 0) {
        char allowed[256];
        appeal_allowed((appeal_status_t)from, allowed, sizeof allowed);
        return ot_err(err, OT_ECONFLICT, "illegal_transition", "status",
                      "cannot %s an appeal that is %s; allowed: %s",
                      appeal_action_name((appeal_action_t)c->action), a->status,
                      allowed[0] ? allowed : "none");
    }
    switch ((appeal_action_t)c->action) {
    case AA_ANSWER:
    case AA_FORWARD:
    case AA_TERMINATE:
    case AA_RETURN_UNCONSIDERED:
        if ((rc = not_held(tx, a, err)))
            return rc;
        break;
    default:
        break;
    }
    json_t *d = json_pack("{s:s}", "from_status", a->status);
    const act_input_t *in = c->in;
    switch ((appeal_action_t)c->action) {
    case AA_ASSIGN:
        rc = do_assign(tx, c, a, d, err);
        break;
    case AA_FORWARD:
        rc = do_forward(tx, c, a, d, err);
        if (!rc && in->part_text && *in->part_text)
            to = from; /* a partial forward leaves the rest where it is */
        break;
    case AA_EXTEND:
        rc = do_extend(c, a, d, tx, err);
        break;
    case AA_REQUEST_EXTENSION:
        rc = do_request_extension(c, a, d, tx, err);
        break;
    case AA_REFUSE_EXTENSION:
        rc = need(in->reason, 2000, "reason", err);
        if (!rc) {
            json_object_set_new(d, "reason", json_string(in->reason));
            json_t *n = json_pack("{s:s, s:s, s:s}", "number", a->number, "due_on", a->due_on,
                                  "reason", in->reason);
            char *text = json_out(n, NULL);
            json_decref(n);
            rc = text ? sweep_notify_user(tx, c->now, a->executor, a->id, "extension_refused",
                                          a->language, text, err)
                      : ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
            free(text);
        }
        break;
    case AA_ANSWER:
        rc = do_answer(tx, c, a, d, &to, err);
        break;
    case AA_APPROVE:
        rc = do_approve(tx, c, a, d, err);
        break;
    case AA_RETURN_ANSWER:
        rc = do_return_answer(tx, c, a, d, err);
        break;
    case AA_RETURN:
        rc = need(in->reason, 2000, "reason", err);
        if (!rc)
            json_object_set_new(d, "reason", json_string(in->reason));
        break;
    case AA_TERMINATE:
        rc = check_vocab(terminate_reasons, in->reason, "reason", err);
        if (!rc && !strcmp(in->reason, "repeated_no_new_arguments"))
            rc = repeat_decided_here(tx, a, d, err);
        if (!rc) {
            str_copy(a->terminate_reason, sizeof a->terminate_reason, in->reason);
            json_object_set_new(d, "reason", json_string(in->reason));
            rc = notify_applicant(tx, a, "terminated", c->now,
                                  json_pack("{s:s, s:s}", "reason", in->reason, "reason_text",
                                            appeal_terminate_words(in->reason, a->language)),
                                  err);
        }
        break;
    case AA_RETURN_UNCONSIDERED:
        rc = do_return_unconsidered(tx, c, a, d, err);
        break;
    case AA_SUSPEND:
        rc = do_suspend(tx, c, a, d, err);
        break;
    case AA_RESUME:
        rc = do_resume(tx, c, a, d, err);
        break;
    case AA_CONTROL: {
        ot_day_t day;
        const char *on = in->due_on && *in->due_on ? in->due_on : a->due_on;
        if (date_parse(on, &day))
            rc = ot_err(err, OT_EINVAL, "bad_date", "due_on", "due_on must be YYYY-MM-DD");
        else {
            str_copy(a->control_on, sizeof a->control_on, on);
            json_object_set_new(d, "control_on", json_string(on));
            /* the akim's personal control: a flag of its own, on every list */
            if (in->personal) {
                a->personal_control = 1;
                json_object_set_new(d, "personal", json_true());
            }
        }
        break;
    }
    case AA_CLOSE:
        a->closed_at = c->now;
        break;
    case AA_START:
    case AA_COUNT:
        break;
    }
    if (rc) {
        json_decref(d);
        return rc;
    }
    str_copy(a->status, sizeof a->status, appeal_status_name((appeal_status_t)to));
    json_object_set_new(d, "to_status", json_string(a->status));
    a->updated_at = c->now;
    char actor[32], action[32];
    actor_of(c->user, actor, sizeof actor);
    snprintf(action, sizeof action, "appeal.%s",
             c->held ? "answer_held" : appeal_action_name((appeal_action_t)c->action));
    if ((rc = store_appeal_update(tx, before, a, err)))
        json_decref(d);
    else
        rc = event(tx, c->now, actor, action, a->number, d, err);
    /* the problem's state follows its appeals: open or not, the decision, the body */
    if (!rc && a->problem_id &&
        (appeal_is_open((appeal_status_t)from) != appeal_is_open((appeal_status_t)to) ||
         strcmp(before->decision, a->decision) || strcmp(before->body, a->body)))
        rc = problem_refresh_with(tx, c->svc, a->problem_id, a, before, c->now, actor, err);
    return rc;
}

int appeal_act_in(store_tx_t *tx, const svc_t *svc, const auth_user_t *user, const char *number,
                  const char *action, const act_input_t *in, int64_t now, appeal_rec_t *out,
                  char part_number[40], ot_err_t *err)
{
    int a = appeal_action_parse(action);
    memset(out, 0, sizeof *out);
    if (part_number)
        part_number[0] = '\0';
    if (a < 0)
        return ot_err(err, OT_ENOTFOUND, "unknown_action", "action", "no action '%.32s'", action);
    struct act_ctx c = {svc, user, number, a, in, now, out, part_number, 0};
    int rc = tx ? act_tx(tx, &c, err) : store_write(svc->store, act_tx, &c, err);
    if (rc)
        appeal_rec_free(out);
    return rc;
}

int appeal_act(const svc_t *svc, const auth_user_t *user, const char *number, const char *action,
               const act_input_t *in, int64_t now, appeal_rec_t *out, char part_number[40],
               ot_err_t *err)
{
    return appeal_act_in(NULL, svc, user, number, action, in, now, out, part_number, err);
}

/* ==== Reading ==== */

void appeal_mask(appeal_rec_t *a)
{
    char m[16];
    if (a->applicant_id[0]) {
        ident_mask(a->applicant_id, m, sizeof m);
        str_copy(a->applicant_id, sizeof a->applicant_id, m);
    }
    char **fields[] = {&a->applicant_address, &a->applicant_phone, &a->applicant_email};
    for (size_t i = 0; i < 3; i++)
        if (*fields[i]) {
            free(*fields[i]);
            *fields[i] = strdup("***");
        }
}

struct read_ctx {
    const svc_t *svc;
    const auth_user_t *user;
    const char *number;
    int unmask;
    int64_t now;
    appeal_rec_t *out;
};

/* A body that forwarded the appeal keeps reading it (masked): its outgoing register. */
static int sent_by_user_body(store_tx_t *tx, const auth_user_t *u, const appeal_rec_t *a, int *yes,
                             ot_err_t *err)
{
    *yes = 0;
    if (perm_scope(u->role, ACT_APPEAL_READ) != SCOPE_BODY || !u->body_path[0])
        return OT_OK;
    return store_forward_sent_from(tx, a->id, u->body_path, yes, err);
}

/* Whether u may read a (its personal data too when unmask): by the permission matrix, or
 * masked as a body that forwarded it. */
static int read_allowed(store_tx_t *tx, const auth_user_t *u, const appeal_rec_t *a, int unmask,
                        ot_err_t *err)
{
    int rc = check_perm(u, a, unmask ? ACT_APPEAL_READ_PD : ACT_APPEAL_READ, err);
    if (rc == OT_ENOTFOUND && !unmask) {
        int sent = 0;
        ot_err_t e2;
        if (!sent_by_user_body(tx, u, a, &sent, &e2) && sent)
            rc = OT_OK;
    }
    return rc;
}

static int read_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct read_ctx *c = arg;
    int rc = store_appeal_get(tx, c->number, c->out, err);
    return rc ? rc : read_allowed(tx, c->user, c->out, c->unmask, err);
}

static int pd_read_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct read_ctx *c = arg;
    char actor[32];
    actor_of(c->user, actor, sizeof actor);
    return event(tx, c->now, actor, "appeal.read_pd", c->number, NULL, err);
}

int appeal_read(const svc_t *svc, const auth_user_t *user, const char *number, int unmask,
                int64_t now, appeal_rec_t *out, ot_err_t *err)
{
    struct read_ctx c = {svc, user, number, unmask, now, out};
    memset(out, 0, sizeof *out);
    int rc = store_read_one(svc->store, read_tx, &c, err);
    /* each read of unmasked personal data is recorded (who, when, which appeal) */
    if (!rc && unmask)
        rc = store_write(svc->store, pd_read_tx, &c, err);
    if (rc)
        appeal_rec_free(out);
    else if (!unmask)
        appeal_mask(out);
    return rc;
}

struct page_ctx {
    struct read_ctx r;
    appeal_page_t *out;
};

static int page_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct page_ctx *c = arg;
    const auth_user_t *u = c->r.user;
    appeal_page_t *out = c->out;
    store_appeal_page_t sp;
    memset(&sp, 0, sizeof sp);
    int rc = store_appeal_page(tx, c->r.number, &sp, err);
    out->a = sp.a; /* owned by out from here */
    appeal_rec_t *a = &out->a;
    if (!rc)
        rc = read_allowed(tx, u, a, c->r.unmask, err);
    /* the held answer as approval_of_appeal shows it: to whoever reads the appeal as of its
     * body or as its executor (not to a body that only forwarded it) */
    perm_obj_t o = {in_body(u, a), a->executor == u->id};
    if (!rc && sp.has_held &&
        perm_decide(u->role, ACT_APPEAL_READ, ACT_APPEAL_READ, &o) == PERM_ALLOW) {
        out->held = sp.held;
        out->has_held = 1;
    } else if (sp.has_held)
        approval_rec_free(&sp.held);
    /* the reader's view (issue 19 point 7): the masked page with or without the held answer;
     * its rendering, when the node's cache kept one with the page */
    out->view = rc || c->r.unmask ? -1 : out->has_held;
    out->serial = sp.serial;
    out->mark = sp.mark;
    for (int v = 0; v < STORE_PAGE_VIEWS; v++)
        if (v == out->view && sp.views[v]) {
            out->text = sp.views[v];
            out->text_len = sp.views_len[v];
        } else
            free(sp.views[v]);
    if (rc)
        return rc;
    if (a->executor > 0) {
        out->has_executor = sp.has_executor;
        out->executor.id = sp.has_executor ? sp.executor_id : a->executor;
        str_copy(out->executor.login, sizeof out->executor.login, sp.executor_login);
        str_copy(out->executor.name, sizeof out->executor.name, sp.executor_name);
        str_copy(out->executor.position, sizeof out->executor.position, sp.executor_position);
    }
    if (a->problem_id && !sp.has_problem)
        return ot_err(err, OT_ENOTFOUND, "problem_not_found", "id", "no such problem");
    if (a->problem_id && !out->text) /* a rendering shows its problem already */
        rc = problem_context_in(tx, a, &sp.p, sp.has_prior, &out->pc, err);
    return rc;
}

int appeal_page_await(const svc_t *svc, const char *number, uint64_t *ticket, int may_wait,
                      void (*suspend)(void *arg), void (*resume)(void *arg), void *arg)
{
    return store_page_await(svc->store, number, ticket, may_wait, suspend, resume, arg);
}

int appeal_page(const svc_t *svc, const auth_user_t *user, const char *number, int unmask,
                uint64_t synced, int64_t now, appeal_page_t *out, ot_err_t *err)
{
    memset(out, 0, sizeof *out);
    struct page_ctx c = {{svc, user, number, unmask, now, &out->a}, out};
    /* no snapshot: the page is one statement, and the earlier decisions on its problem (other
     * appeals, a second statement when there are any) are as good a moment later; on
     * PostgreSQL that spares a BEGIN and a ROLLBACK */
    store_page_enter(synced);
    int rc = store_read_one(svc->store, page_tx, &c, err);
    store_page_enter(0);
    /* each read of unmasked personal data is recorded (who, when, which appeal) */
    if (!rc && unmask)
        rc = store_write(svc->store, pd_read_tx, &c.r, err);
    if (rc)
        appeal_page_free(out);
    else if (!unmask)
        appeal_mask(&out->a);
    return rc;
}

void appeal_page_free(appeal_page_t *p)
{
    appeal_rec_free(&p->a);
    if (p->has_held)
        approval_rec_free(&p->held);
    p->has_held = 0;
    free(p->text);
    p->text = NULL;
}

void appeal_page_keep(const svc_t *svc, const appeal_page_t *p, const char *text, size_t len)
{
    if (p->view >= 0 && p->serial && text)
        store_page_keep_view(svc->store, p->a.number, p->serial, p->mark, p->view, text, len);
}

struct list_ctx {
    appeal_filter_t *f;
    int (*fn)(const appeal_rec_t *a, void *arg);
    void *arg;
};

/* Lists always mask personal data. */
static int list_row(appeal_rec_t *a, void *arg)
{
    struct list_ctx *c = arg;
    appeal_mask(a);
    return c->fn(a, c->arg);
}

/* f->under: the scope becomes that body's subtree, which must lie inside the user's scope
 * (f->scope_path, "" or NULL for all); path holds the new scope. */
static int under_scope(store_tx_t *tx, appeal_filter_t *f, char path[256], ot_err_t *err)
{
    if (!f->under || !*f->under)
        return OT_OK;
    body_info_t b;
    int rc = store_body_get(tx, f->under, &b, err);
    if (rc == OT_ENOTFOUND)
        return ot_err(err, OT_EINVAL, "unknown_body", "under", "no such body");
    if (rc)
        return rc;
    if (f->scope_path && strncmp(b.path, f->scope_path, strlen(f->scope_path)))
        return ot_err(err, OT_EFORBIDDEN, "forbidden", "under",
                      "you read the appeals of your own body and its sub-bodies");
    str_copy(path, 256, b.path);
    f->scope_path = path;
    return OT_OK;
}

static int list_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct list_ctx *c = arg;
    appeal_filter_t f = *c->f; /* the caller's filter keeps its own scope */
    char path[256];
    int rc = under_scope(tx, &f, path, err);
    return rc ? rc : store_appeal_list(tx, &f, list_row, c, err);
}

/* Narrows f to what user may read. */
static int list_scope(const auth_user_t *user, appeal_filter_t *f, ot_err_t *err)
{
    switch (perm_scope(user->role, ACT_APPEAL_READ)) {
    case SCOPE_NONE:
        return ot_err(err, OT_EFORBIDDEN, "forbidden", NULL, "a %s does not read appeals",
                      role_name(user->role));
    case SCOPE_OWN:
        f->executor = user->id;
        break;
    case SCOPE_BODY:
        f->scope_path = user->body_path;
        break;
    case SCOPE_ALL:
        break;
    }
    return OT_OK;
}

int appeal_list(const svc_t *svc, const auth_user_t *user, appeal_filter_t *f,
                int (*fn)(const appeal_rec_t *a, void *arg), void *arg, ot_err_t *err)
{
    int rc = list_scope(user, f, err);
    if (rc)
        return rc;
    struct list_ctx c = {f, fn, arg};
    /* one snapshot: a page is many statements (the filters' sizes, sets, walks, rows), and
     * outside a transaction each would be a read transaction of its own (on SQLite a lock of
     * the WAL index taken and given back each time: a day-by-day walk's 500 rows took 10,500
     * fcntl calls, 58 ms at the 1M demo) and could see the writes of another */
    return store_read(svc->store, list_tx, &c, err);
}

int appeal_list_export(const svc_t *svc, const auth_user_t *user, appeal_filter_t *f,
                       int (*fn)(const appeal_rec_t *a, void *arg), void *arg, ot_err_t *err)
{
    int rc = list_scope(user, f, err);
    if (rc)
        return rc;
    struct list_ctx c = {f, fn, arg};
    return store_read_replica(svc->store, list_tx, &c, err);
}

struct qcount_ctx {
    appeal_filter_t *f;
    int64_t cap, *out;
};

static int qcount_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct qcount_ctx *c = arg;
    appeal_filter_t f = *c->f;
    char path[256];
    int rc = under_scope(tx, &f, path, err);
    return rc ? rc : store_appeal_queue_counts(tx, &f, f.today, c->cap, c->out, err);
}

int appeal_queue_counts(const svc_t *svc, const auth_user_t *user, appeal_filter_t *f, int64_t cap,
                        int64_t out[4], ot_err_t *err)
{
    int rc = list_scope(user, f, err);
    if (rc)
        return rc;
    struct qcount_ctx c = {f, cap, out};
    return store_read(svc->store, qcount_tx, &c, err); /* several statements: appeal_list */
}

struct applicant_ctx {
    const char *id, *scope;
    int (*fn)(const appeal_rec_t *a, void *arg);
    void *arg;
};

static int applicant_row(appeal_rec_t *a, void *arg)
{
    struct applicant_ctx *c = arg;
    appeal_mask(a);
    return c->fn(a, c->arg);
}

static int applicant_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct applicant_ctx *c = arg;
    return store_appeal_by_applicant(tx, c->id, c->scope, 20, applicant_row, c, err);
}

int appeal_by_applicant(const svc_t *svc, const auth_user_t *user, const char *id_number,
                        int (*fn)(const appeal_rec_t *a, void *arg), void *arg, ot_err_t *err)
{
    size_t n = id_number ? strlen(id_number) : 0;
    if (n != 12 || strspn(id_number, "0123456789") != 12)
        return ot_err(err, OT_EINVAL, "bad_value", "iin", "an IIN or BIN is 12 digits");
    scope_t s = perm_scope(user->role, ACT_APPEAL_READ);
    if (s == SCOPE_NONE || s == SCOPE_OWN)
        return ot_err(err, OT_EFORBIDDEN, "forbidden", NULL, "a %s does not look up applicants",
                      role_name(user->role));
    struct applicant_ctx c = {id_number, s == SCOPE_ALL ? "" : user->body_path, fn, arg};
    return store_read(svc->store, applicant_tx, &c, err);
}

struct over_ctx {
    const appeal_filter_t *f;
    int64_t max;
    int over;
};

static int over_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct over_ctx *c = arg;
    appeal_filter_t f = *c->f;
    char path[256];
    int rc = under_scope(tx, &f, path, err);
    return rc ? rc : store_appeal_over(tx, &f, c->max, &c->over, err);
}

int appeal_over(const svc_t *svc, const auth_user_t *user, appeal_filter_t *f, int64_t max,
                int *over, ot_err_t *err)
{
    int rc = list_scope(user, f, err);
    if (rc)
        return rc;
    struct over_ctx c = {f, max, 0};
    rc = store_read(svc->store, over_tx, &c, err); /* several statements: appeal_list */
    *over = c.over;
    return rc;
}

struct hist_ctx {
    struct read_ctx r;
    int (*fn)(int64_t, int64_t, const char *, const char *, const char *, void *);
    void *arg;
};

static int hist_row(const event_row_t *row, void *arg)
{
    struct hist_ctx *h = arg;
    return h->fn(row->ev.seq, row->ev.at, row->ev.actor, row->ev.action, row->ev.data, h->arg);
}

static int hist_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct hist_ctx *h = arg;
    int rc = read_tx(tx, &h->r, err);
    if (!rc)
        rc = store_event_each(tx, "appeal", h->r.number, hist_row, h, err);
    return rc;
}

int appeal_history(const svc_t *svc, const auth_user_t *user, const char *number,
                   int (*fn)(int64_t seq, int64_t at, const char *actor, const char *action,
                             const char *data, void *arg),
                   void *arg, ot_err_t *err)
{
    appeal_rec_t a;
    memset(&a, 0, sizeof a);
    struct hist_ctx h = {{svc, user, number, 0, 0, &a}, fn, arg};
    int rc = store_read(svc->store, hist_tx, &h, err);
    appeal_rec_free(&a);
    return rc;
}

struct notices_ctx {
    struct read_ctx r;
    int (*fn)(const outbox_notice_t *, void *);
    void *arg;
};

static int notices_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct notices_ctx *n = arg;
    int rc = read_tx(tx, &n->r, err);
    if (!rc)
        rc = store_outbox_notices(tx, n->r.out->id, n->fn, n->arg, err);
    return rc;
}

int appeal_notices(const svc_t *svc, const auth_user_t *user, const char *number,
                   int (*fn)(const outbox_notice_t *n, void *arg), void *arg, ot_err_t *err)
{
    appeal_rec_t a;
    memset(&a, 0, sizeof a);
    struct notices_ctx n = {{svc, user, number, 0, 0, &a}, fn, arg};
    int rc = store_read(svc->store, notices_tx, &n, err);
    appeal_rec_free(&a);
    return rc;
}

/* ==== The citizen ==== */

static int track_fail(ot_err_t *err)
{
    return ot_err(err, OT_ENOTFOUND, "track_not_found", "code",
                  "no appeal with that number and access code");
}

struct track_ctx {
    const char *number, *code;
    appeal_rec_t *out;
    int rating;
    const char *comment;
    int64_t now;
    char *addressed_to; /* NULL: not asked */
};

static int track_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct track_ctx *t = arg;
    int rc = store_appeal_get(tx, t->number, t->out, NULL);
    if (rc == OT_ENOTFOUND || (!rc && !appeal_code_ok(t->out, t->code)))
        return track_fail(err);
    if (rc)
        return ot_err(err, rc, "store_error", NULL, "cannot read the appeal");
    return t->addressed_to ? store_addressee_get(tx, t->out->id, t->addressed_to, err) : OT_OK;
}

int appeal_track(const svc_t *svc, const char *number, const char *code, appeal_rec_t *out,
                 char addressed_to[64], ot_err_t *err)
{
    struct track_ctx t = {number, code, out, 0, NULL, 0, addressed_to};
    memset(out, 0, sizeof *out);
    /* public tracking reads the replica (--db-read); an appeal it does not know yet (filed
     * a moment ago, the replica behind) is asked of the primary: read-after-write */
    int rc = store_read_replica(svc->store, track_tx, &t, err);
    if (rc == OT_ENOTFOUND && store_replica(svc->store)) {
        appeal_rec_free(out);
        t = (struct track_ctx){number, code, out, 0, NULL, 0, addressed_to};
        memset(out, 0, sizeof *out);
        rc = store_read(svc->store, track_tx, &t, err);
    }
    if (rc)
        appeal_rec_free(out);
    return rc;
}

static int rate_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct track_ctx *t = arg;
    int rc = track_tx(tx, t, err);
    if (rc)
        return rc;
    appeal_rec_t *a = t->out;
    if (strcmp(a->status, "answered") && strcmp(a->status, "closed"))
        return ot_err(err, OT_ECONFLICT, "not_answered", "rating",
                      "the appeal has no answer to rate yet");
    if (a->rating)
        return ot_err(err, OT_ECONFLICT, "already_rated", "rating", "the answer was already rated");
    appeal_rec_t before;
    if (appeal_rec_copy(&before, a))
        return ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
    a->rating = t->rating;
    a->rated_at = t->now;
    free(a->rating_comment);
    a->rating_comment = dup_or_null(t->comment);
    a->updated_at = t->now;
    rc = store_appeal_update(tx, &before, a, err);
    appeal_rec_free(&before);
    if (rc)
        return rc;
    return event(tx, t->now, "citizen", "appeal.rate", a->number,
                 json_pack("{s:i}", "rating", t->rating), err);
}

int appeal_rate_in(store_tx_t *tx, const svc_t *svc, const char *number, const char *code,
                   int rating, const char *comment, int64_t now, ot_err_t *err)
{
    if (rating < 1 || rating > 5)
        return ot_err(err, OT_EINVAL, "out_of_range", "rating", "rating must be 1..5");
    int rc = check_str(comment, 2000, 1, 0, "comment", err);
    if (rc)
        return rc;
    appeal_rec_t a;
    memset(&a, 0, sizeof a);
    struct track_ctx t = {number, code, &a, rating, comment, now, NULL};
    rc = tx ? rate_tx(tx, &t, err) : store_write(svc->store, rate_tx, &t, err);
    appeal_rec_free(&a);
    return rc;
}

int appeal_rate(const svc_t *svc, const char *number, const char *code, int rating,
                const char *comment, int64_t now, ot_err_t *err)
{
    return appeal_rate_in(NULL, svc, number, code, rating, comment, now, err);
}
