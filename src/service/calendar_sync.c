#include "service/calendar_sync.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/date.h"
#include "domain/deadline.h"
#include "domain/policy.h"
#include "service/audit.h"
#include "store/store_appeal.h"

struct ctx {
    const svc_t *svc;
    const juris_t *j;
    int64_t now;
    sync_report_t *rep;
};

static void day_text(ot_day_t d, char out[11])
{
    if (d == OT_DAY_NONE)
        out[0] = '\0';
    else
        date_format(d, out);
}

/* The appeal's dates under the current calendar, as its actions made them: registration from
 * its receipt; the term from its receipt, or from its forward when the policy restarts the
 * term at the competent body (appeal.c forwarded_term); an extended due date kept; the
 * working days of ended suspensions added to the due date and the extension limit (do_resume;
 * a suspension still running adds its days when it ends). -1: outside the calendar. */
static int recompute(const juris_t *j, appeal_terms_t *t)
{
    deadline_t d, r;
    const policy_kind_t *k = policy_find_kind(j->policy, t->kind);
    int restart =
        t->forwarded_at && k && k->forwarded.set && k->forwarded.mode == POLICY_FWD_RESTART;
    if (deadline_compute(j->policy, j->cal, t->kind, t->received_at, t->workday_end_min, &r,
                         NULL) ||
        (restart && deadline_compute(j->policy, j->cal, t->kind, t->forwarded_at,
                                     t->body_workday_end_min, &d, NULL)))
        return -1;
    if (!restart)
        d = r;
    ot_day_t due = d.due_on, max = d.max_extended_due;
    if (t->suspended_days > 0 &&
        ((due != OT_DAY_NONE && cal_add_working_days(j->cal, due, t->suspended_days, &due, NULL)) ||
         (max != OT_DAY_NONE && cal_add_working_days(j->cal, max, t->suspended_days, &max, NULL))))
        return -1;
    day_text(r.registered_on, t->registered_on);
    if (!t->extended_on[0])
        day_text(due, t->due_on);
    day_text(d.forward_by, t->forward_by);
    day_text(max, t->max_due_on);
    return 0;
}

static int sync_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct ctx *c = arg;
    const juris_t *j = c->j;
    char key[64], old[32] = "";
    snprintf(key, sizeof key, "calendar_fingerprint:%s", j->code);
    int rc = store_meta_get(tx, key, old, sizeof old, NULL);
    if (rc == OT_OK && strcmp(old, j->fingerprint_hex) == 0)
        return OT_OK;
    c->rep->changed_jurisdictions++;
    appeal_terms_t *v = NULL;
    size_t n = 0, moved = 0;
    if ((rc = store_appeal_open_terms(tx, j->code, &v, &n, err)))
        return rc;
    for (size_t i = 0; i < n && !rc; i++) {
        appeal_terms_t t = v[i];
        /* an appeal outside the calendar's years keeps its dates: nothing to recompute with */
        if (recompute(j, &t))
            continue;
        if (!memcmp(&t, &v[i], sizeof t))
            continue;
        moved++;
        if ((rc = store_appeal_set_terms(tx, &t, err)))
            break;
        json_t *data = json_pack("{s:s, s:s, s:s, s:s}", "reason", "calendar changed", "calendar",
                                 j->fingerprint_hex, "due_from", v[i].due_on, "due_to", t.due_on);
        rc = audit_append(tx, c->now, "system", "appeal.recompute", "appeal", t.number, data, err);
        json_decref(data);
    }
    free(v);
    if (rc)
        return rc;
    c->rep->checked += n;
    c->rep->moved += moved;
    json_t *data = json_pack("{s:s, s:s, s:I, s:I}", "from", old, "to", j->fingerprint_hex,
                             "open_appeals", (json_int_t)n, "moved", (json_int_t)moved);
    rc = audit_append(tx, c->now, "system", "calendar.change", "jurisdiction", j->code, data, err);
    json_decref(data);
    return rc ? rc : store_meta_put(tx, key, j->fingerprint_hex, err);
}

int calendar_sync(const svc_t *svc, int64_t now, sync_report_t *rep, ot_err_t *err)
{
    memset(rep, 0, sizeof *rep);
    for (int i = 0; i < svc->n_juris; i++) {
        struct ctx c = {svc, svc->juris[i], now, rep};
        int rc = store_write(svc->store, sync_tx, &c, err);
        if (rc)
            return rc;
    }
    return OT_OK;
}
