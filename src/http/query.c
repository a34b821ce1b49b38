/* The staff list's query (query.h). */
#include "http/query.h"

#include <limits.h>
#include <string.h>

#include "util/str.h"

int query_bool(const char *v)
{
    return v && (!strcmp(v, "1") || !strcmp(v, "true"));
}

static int q_instant(const char *v, const char *name, int64_t *out, ot_err_t *err)
{
    if (v && instant_parse(v, out))
        return ot_err(err, OT_EINVAL, "bad_instant", name,
                      "%s must be ISO 8601 with a zone, e.g. 2026-03-01T00:00:00+05:00", name);
    return OT_OK;
}

int query_due_cursor(const char *v, char due[11], int64_t *id, ot_err_t *err)
{
    ot_day_t dd;
    long n = 0;
    const char *dot = strchr(v, '.');
    if (!dot || dot - v != 10 || (memcpy(due, v, 10), due[10] = '\0', date_parse(due, &dd)) ||
        str_to_long(dot + 1, 1, LONG_MAX, &n))
        return ot_err(err, OT_EINVAL, "bad_cursor", "after", "after must be a cursor from a page");
    *id = n;
    return OT_OK;
}

int query_appeal_filter(query_get_fn get, void *ctx, appeal_filter_t *f, ot_err_t *err)
{
    long limit = 50, after = 0;
    memset(f, 0, sizeof *f);
    f->status = get(ctx, "status");
    f->body = get(ctx, "body");
    f->kind = get(ctx, "kind");
    f->category = get(ctx, "category");
    f->district = get(ctx, "district");
    f->channel = get(ctx, "channel");
    f->due_before = get(ctx, "due_before");
    f->due_after = get(ctx, "due_after");
    f->overdue = query_bool(get(ctx, "overdue"));
    f->repeated = query_bool(get(ctx, "repeated"));
    const char *v;
    if ((v = get(ctx, "limit")) && str_to_long(v, 1, 500, &limit))
        return ot_err(err, OT_EINVAL, "out_of_range", "limit", "limit must be 1..500");
    f->under = get(ctx, "under");
    const char *sort = get(ctx, "sort");
    if (sort && strcmp(sort, "due") && strcmp(sort, "new"))
        return ot_err(err, OT_EINVAL, "unknown_value", "sort", "sort is new or due");
    /* the overdue list is by due date, the most overdue first (issue 23): a range of the
     * index of open appeals by due date, where newest first would skip every open appeal
     * not yet due (about 70,000 at a million appeals) on each page */
    if (f->overdue && sort && !strcmp(sort, "new"))
        return ot_err(err, OT_EINVAL, "unknown_value", "sort",
                      "an overdue list is by due date: sort=due or no sort");
    f->by_due = (sort && !strcmp(sort, "due")) || f->overdue;
    if ((v = get(ctx, "after")) && f->by_due) { /* the work queue's cursor "YYYY-MM-DD.ID" */
        int64_t id;
        int rc = query_due_cursor(v, f->cursor_due, &id, err);
        if (rc)
            return rc;
        after = (long)id;
        f->after_due = f->cursor_due;
    } else if (v && str_to_long(v, 1, LONG_MAX, &after))
        return ot_err(err, OT_EINVAL, "bad_cursor", "after", "after must be a cursor from a page");
    if ((v = get(ctx, "executor"))) {
        long ex;
        if (str_to_long(v, 1, LONG_MAX, &ex))
            return ot_err(err, OT_EINVAL, "bad_value", "executor", "executor is a user id");
        f->executor = ex;
    }
    ot_day_t d;
    const char *bad = f->due_before && date_parse(f->due_before, &d) ? "due_before"
                      : f->due_after && date_parse(f->due_after, &d) ? "due_after"
                                                                     : NULL;
    if (bad)
        return ot_err(err, OT_EINVAL, "bad_date", bad, "dates are YYYY-MM-DD");
    int rc;
    if ((rc = q_instant(get(ctx, "received_from"), "received_from", &f->received_from, err)) ||
        (rc = q_instant(get(ctx, "received_to"), "received_to", &f->received_to, err)))
        return rc;
    if (f->status && appeal_status_parse(f->status) < 0)
        return ot_err(err, OT_EINVAL, "unknown_value", "status", "unknown status");
    f->limit = (int)limit;
    f->before_id = after;
    return OT_OK;
}
