#include "service/calendar.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/deadline.h"
#include "store/store.h"
#include "store/store_ref.h"
#include "util/str.h"

static json_t *jdate(ot_day_t d)
{
    char s[11];
    date_format(d, s);
    return json_string(s);
}

/* json_object_set_new that remembers a failure instead of checking every call. */
static void put(json_t *o, const char *key, json_t *v, int *bad)
{
    if (!v || json_object_set_new(o, key, v))
        *bad = 1;
}

/* "provisional" for a year projected from the annual rules, with what it cannot know. */
static void put_provisional(json_t *o, const cal_t *cal, int year, int *bad)
{
    ot_day_t jan1;
    date_from_ymd(year, 1, 1, &jan1);
    int prov = cal_is_provisional(cal, jan1);
    put(o, "provisional", json_boolean(prov), bad);
    if (!prov)
        return;
    const char *names[16];
    size_t n = cal_unknowns(cal, names, 16);
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < n && i < 16; i++)
        if (json_array_append_new(arr, json_string(names[i])))
            *bad = 1;
    put(o, "unknowns", arr, bad);
    put(o, "projection_source", json_string(cal_projection_source(cal)), bad);
}

static json_t *value_json(const policy_value_t *v, const char *mode, int *bad)
{
    json_t *o = json_object();
    if (!o) {
        *bad = 1;
        return NULL;
    }
    if (mode)
        put(o, "mode", json_string(mode), bad);
    put(o, "value", json_integer(v->value), bad);
    put(o, "unit", json_string(policy_unit_name(v->unit)), bad);
    put(o, "status", json_string(v->status), bad);
    put(o, "source", json_string(v->source), bad);
    return o;
}

int svc_calendar_year_json(const juris_t *j, int year, json_t **out, ot_err_t *err)
{
    cal_day_info_t *days = NULL;
    size_t n = 0;
    int working = 0, bad = 0;
    int rc = cal_year_non_working(j->cal, year, &days, &n, err);
    if (rc) {
        if (err)
            snprintf(err->field, sizeof err->field, "year");
        return rc;
    }
    cal_year_working_count(j->cal, year, &working, NULL);
    json_t *o = json_object(), *arr = json_array();
    if (!o || !arr)
        bad = 1;
    for (size_t i = 0; !bad && i < n; i++) {
        json_t *day = json_object(), *reasons = json_array();
        if (!day || !reasons || json_array_append_new(arr, day)) {
            json_decref(day);
            json_decref(reasons);
            bad = 1;
            break;
        }
        put(day, "date", jdate(days[i].day), &bad);
        put(day, "weekday", json_string(date_weekday_name(date_weekday(days[i].day))), &bad);
        put(day, "reasons", reasons, &bad);
        for (size_t k = 0; k < days[i].n_marks; k++) {
            const cal_mark_t *m = &days[i].marks[k];
            json_t *r = json_object();
            if (!r || json_array_append_new(reasons, r)) {
                json_decref(r);
                bad = 1;
                break;
            }
            put(r, "kind", json_string(cal_kind_name(m->kind)), &bad);
            put(r, "text", json_string(m->reason), &bad);
            put(r, "name", json_string(m->name), &bad);
            put(r, "status", json_string(m->status), &bad);
            put(r, "source", json_string(m->source), &bad);
            if (m->related != OT_DAY_NONE)
                put(r, "related", jdate(m->related), &bad);
        }
    }
    free(days);
    if (!bad) {
        put(o, "jurisdiction", json_string(j->code), &bad);
        put(o, "year", json_integer(year), &bad);
        put(o, "working_days", json_integer(working), &bad);
        put_provisional(o, j->cal, year, &bad);
        put(o, "non_working_days", arr, &bad);
        arr = NULL;
    }
    json_decref(arr);
    if (bad) {
        json_decref(o);
        return ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory building JSON");
    }
    *out = o;
    return OT_OK;
}

int svc_deadline_json(const juris_t *j, const char *kind, const char *received_iso,
                      int workday_end_min, json_t **out, ot_err_t *err)
{
    int64_t us;
    if (!received_iso || instant_parse(received_iso, &us) != OT_OK)
        return ot_err(err, OT_EINVAL, "bad_instant", "received",
                      "received must be an ISO 8601 instant with seconds and a zone, e.g. "
                      "2026-03-20T17:00:00+05:00");
    deadline_t d;
    int rc = deadline_compute(j->policy, j->cal, kind, us, workday_end_min, &d, err);
    if (rc)
        return rc;
    const policy_kind_t *k = d.kind;
    int bad = 0, off = cal_utc_offset_min(j->cal);
    char at[40], hhmm[16];
    instant_format(us, off, at, sizeof at);
    unsigned wd_end = (unsigned)d.workday_end_min; /* 0..1440, checked by deadline_compute */
    snprintf(hhmm, sizeof hhmm, "%02u:%02u", wd_end / 60, wd_end % 60);
    json_t *o = json_object();
    if (!o)
        return ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory building JSON");
    put(o, "jurisdiction", json_string(j->code), &bad);
    put(o, "kind", json_string(k->id), &bad);
    put(o, "received_at", json_string(at), &bad);
    put(o, "workday_end", json_string(hhmm), &bad);
    put(o, "registered_on", jdate(d.registered_on), &bad);
    put(o, "register_by", jdate(d.register_by), &bad);
    put(o, "due_on", jdate(d.due_on), &bad);
    if (d.forward_by != OT_DAY_NONE)
        put(o, "forward_by", jdate(d.forward_by), &bad);
    put(o, "max_extended_due_on", jdate(d.max_extended_due), &bad);
    if (k->extension_notice.set && k->extension.mode != POLICY_EXT_NONE &&
        k->extension_notice.unit == POLICY_WORKING_DAYS)
        put(o, "extension_notice_within_working_days", json_integer(k->extension_notice.value),
            &bad);
    put(o, "term", value_json(&k->term, NULL, &bad), &bad);
    put(o, "extension",
        value_json(&k->extension,
                   k->extension.mode == POLICY_EXT_NONE    ? "none"
                   : k->extension.mode == POLICY_EXT_TOTAL ? "total"
                                                           : "add",
                   &bad),
        &bad);
    /* a date in a year projected from the annual rules may still move (a transfer order, a
     * lunar holiday not yet published) */
    put(o, "provisional",
        json_boolean(cal_is_provisional(j->cal, d.registered_on) ||
                     cal_is_provisional(j->cal, d.due_on) ||
                     cal_is_provisional(j->cal, d.max_extended_due)),
        &bad);
    put(o, "calendar_fingerprint", json_string(j->fingerprint_hex), &bad);
    if (bad) {
        json_decref(o);
        return ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory building JSON");
    }
    *out = o;
    return OT_OK;
}

static int body_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    body_info_t *b = arg;
    return store_body_get(tx, b->id, b, err);
}

int svc_deadline_body(store_t *s, const char *body, int *workday_end_min, const char **code,
                      char code_buf[8], ot_err_t *err)
{
    if (!body || !*body)
        return OT_OK;
    body_info_t b;
    memset(&b, 0, sizeof b);
    if (strlen(body) >= sizeof b.id)
        return ot_err(err, OT_EINVAL, "unknown_body", "body", "no such body");
    str_copy(b.id, sizeof b.id, body);
    int rc = store_read(s, body_tx, &b, err);
    if (rc) {
        if (err && err->status == OT_ENOTFOUND)
            err->status = OT_EINVAL;
        return rc == OT_ENOTFOUND ? OT_EINVAL : rc;
    }
    if (*workday_end_min < 0)
        *workday_end_min = b.workday_end_min;
    if (!*code || !**code) {
        str_copy(code_buf, 8, b.jurisdiction);
        *code = code_buf;
    }
    return OT_OK;
}
