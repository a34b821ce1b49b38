#include "service/attachment.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "domain/perm.h"
#include "domain/text.h"
#include "service/appeal.h"
#include "service/audit.h"
#include "store/blob.h"
#include "store/store_appeal.h"
#include "store/store_attachment.h"

/* What may be attached, recognised by the first bytes (a declared type alone proves
 * nothing). */
static const struct {
    const char *type;
    const char *magic;
    size_t n;
} kinds[] = {
    {"application/pdf", "%PDF-", 5},
    {"image/jpeg", "\xff\xd8\xff", 3},
    {"image/png", "\x89PNG\r\n\x1a\n", 8},
};

static int check_file(const char *type, const void *data, size_t len, ot_err_t *err)
{
    if (len == 0)
        return ot_err(err, OT_EINVAL, "empty_file", "file", "the file is empty");
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (type && !strcmp(type, kinds[i].type)) {
            if (len < kinds[i].n || memcmp(data, kinds[i].magic, kinds[i].n))
                return ot_err(err, OT_EINVAL, "type_mismatch", "file", "the file is not a %s",
                              type);
            return OT_OK;
        }
    return ot_err(err, OT_EINVAL, "unsupported_type", "type",
                  "attachments are PDF, JPEG or PNG files");
}

/* Staff who may change the appeal: a registrar of its body, its executor, its head. */
static int may_attach(const auth_user_t *u, const appeal_rec_t *a)
{
    size_t n = strlen(u->body_path);
    perm_obj_t o = {n && !strncmp(a->body_path, u->body_path, n), a->executor == u->id};
    return perm_decide(u->role, ACT_APPEAL_INTAKE, ACT_APPEAL_READ, &o) == PERM_ALLOW ||
           perm_decide(u->role, ACT_APPEAL_WORK, ACT_APPEAL_READ, &o) == PERM_ALLOW;
}

static int may_read(const auth_user_t *u, const appeal_rec_t *a)
{
    size_t n = strlen(u->body_path);
    perm_obj_t o = {n && !strncmp(a->body_path, u->body_path, n), a->executor == u->id};
    return perm_decide(u->role, ACT_APPEAL_READ, ACT_APPEAL_READ, &o) == PERM_ALLOW;
}

#define DAY_US (86400LL * 1000000)

/* Whether one more citizen's file of len bytes fits the quotas of appeal appeal_id and of the
 * client address addr; *retry_after gets the seconds until the address's quota has room. */
static int quota_check(store_tx_t *tx, const svc_t *svc, int64_t appeal_id, const char *addr,
                       size_t len, int64_t now, int *retry_after, ot_err_t *err)
{
    const svc_quota_t *qa = &svc->attach_per_appeal, *qd = &svc->attach_per_addr_day;
    int64_t files, bytes, oldest;
    int rc = store_attachment_usage(tx, appeal_id, NULL, 0, &files, &bytes, NULL, err);
    if (rc)
        return rc;
    if ((qa->files && files + 1 > qa->files) || (qa->bytes && bytes + (int64_t)len > qa->bytes))
        return ot_err(err, OT_ECONFLICT, "attachment_quota", "file",
                      "an appeal takes at most %lld files, %lld MiB in all, from the citizen",
                      (long long)qa->files, (long long)(qa->bytes >> 20));
    if (!addr || !*addr)
        return OT_OK;
    rc = store_attachment_usage(tx, 0, addr, now - DAY_US, &files, &bytes, &oldest, err);
    if (rc)
        return rc;
    if ((qd->files && files + 1 > qd->files) || (qd->bytes && bytes + (int64_t)len > qd->bytes)) {
        if (retry_after) {
            int64_t left = files ? oldest + DAY_US - now : DAY_US;
            *retry_after = left < 1000000 ? 1 : (int)((left + 999999) / 1000000);
        }
        return ot_err(err, OT_ELIMIT, "attachment_daily_quota", "file",
                      "at most %lld files, %lld MiB in all, a day from one address",
                      (long long)qd->files, (long long)(qd->bytes >> 20));
    }
    return OT_OK;
}

struct add {
    const svc_t *svc;
    const auth_user_t *user;
    const char *code, *number;
    attachment_rec_t *rec;
    int64_t now;
    int *retry_after;
    int check_only; /* the check before the bytes are written: no insert */
};

/* Finds the appeal and checks who adds (and, for a citizen, the quotas); then, unless
 * check_only, records the attachment and its event. */
static int add_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct add *c = arg;
    appeal_rec_t a;
    memset(&a, 0, sizeof a);
    int rc = store_appeal_get(tx, c->number, &a, NULL);
    if (c->user) {
        if (rc || !may_read(c->user, &a))
            rc = ot_err(err, OT_ENOTFOUND, "appeal_not_found", "number", "no such appeal");
        else if (!may_attach(c->user, &a))
            rc = ot_err(err, OT_EFORBIDDEN, "forbidden", NULL,
                        "a %s may not add files to this appeal", role_name(c->user->role));
    } else {
        /* the citizen: the same answer for a wrong code and an unknown number */
        if (rc || !appeal_code_ok(&a, c->code))
            rc = ot_err(err, OT_ENOTFOUND, "track_not_found", "code",
                        "no appeal with that number and access code");
        else if (!strcmp(a.status, "closed") || !strcmp(a.status, "terminated"))
            rc = ot_err(err, OT_ECONFLICT, "appeal_closed", "number",
                        "the appeal is %s: no more files", a.status);
        else
            rc = quota_check(tx, c->svc, a.id, c->rec->source_addr, (size_t)c->rec->size, c->now,
                             c->retry_after, err);
    }
    if (!rc && !c->check_only) {
        c->rec->appeal_id = a.id;
        rc = store_attachment_insert(tx, c->rec, err);
    }
    if (!rc && !c->check_only) {
        json_t *d = json_pack("{s:s, s:s, s:s, s:I}", "sha256", c->rec->sha256, "name",
                              c->rec->name, "type", c->rec->type, "size", (json_int_t)c->rec->size);
        rc =
            audit_append(tx, c->now, c->rec->added_by, "appeal.attach", "appeal", a.number, d, err);
        json_decref(d);
    }
    appeal_rec_free(&a);
    return rc;
}

int attachment_add(const svc_t *svc, const auth_user_t *user, const char *code, const char *addr,
                   const char *number, const char *name, const char *type, const void *data,
                   size_t len, int64_t now, attachment_rec_t *out, int *retry_after, ot_err_t *err)
{
    memset(out, 0, sizeof *out);
    int rc = check_file(type, data, len, err);
    if (rc)
        return rc;
    if (!name || !*name)
        name = "file";
    if ((rc = text_check(name, strlen(name), 200, 0, "name", err)))
        return rc;
    if (sodium_init() < 0)
        return ot_err(err, OT_EINTERNAL, "crypto_init", NULL, "libsodium failed to start");
    snprintf(out->name, sizeof out->name, "%s", name);
    snprintf(out->type, sizeof out->type, "%s", type);
    out->size = (int64_t)len;
    out->created_at = now;
    if (user)
        snprintf(out->added_by, sizeof out->added_by, "user:%lld", (long long)user->id);
    else {
        snprintf(out->added_by, sizeof out->added_by, "citizen");
        snprintf(out->source_addr, sizeof out->source_addr, "%s", addr ? addr : "");
    }
    /* Who may add, and the quotas, before any byte reaches the disk: a wrong code or a full
     * quota writes nothing. Parallel uploads may all pass this check; the transaction below
     * checks again, so at most the bytes of one burst stay on disk unnamed. */
    struct add c = {svc, user, code, number, out, now, retry_after, 1};
    if ((rc = store_read(svc->store, add_tx, &c, err)))
        return rc;
    /* the bytes first: a committed row always names a file that is there */
    if ((rc = blob_put(svc->store, data, len, out->sha256, err)))
        return rc;
    c.check_only = 0;
    return store_write(svc->store, add_tx, &c, err);
}

struct list {
    const auth_user_t *user;
    const char *number, *sha256;
    int (*fn)(const attachment_rec_t *a, void *arg);
    void *arg;
    attachment_rec_t *one;
};

static int list_tx(store_tx_t *tx, void *arg, ot_err_t *err)
{
    struct list *l = arg;
    appeal_rec_t a;
    memset(&a, 0, sizeof a);
    int rc = store_appeal_get(tx, l->number, &a, NULL);
    if (rc || !may_read(l->user, &a))
        rc = ot_err(err, OT_ENOTFOUND, "appeal_not_found", "number", "no such appeal");
    else if (l->one)
        rc = store_attachment_get(tx, a.id, l->sha256, l->one, err);
    else
        rc = store_attachment_each(tx, a.id, l->fn, l->arg, err);
    appeal_rec_free(&a);
    return rc;
}

int attachment_list(const svc_t *svc, const auth_user_t *user, const char *number,
                    int (*fn)(const attachment_rec_t *a, void *arg), void *arg, ot_err_t *err)
{
    struct list l = {user, number, NULL, fn, arg, NULL};
    return store_read(svc->store, list_tx, &l, err);
}

int attachment_open(const svc_t *svc, const auth_user_t *user, const char *number,
                    const char *sha256, attachment_rec_t *out, int *fd, size_t *size, ot_err_t *err)
{
    struct list l = {user, number, sha256, NULL, NULL, out};
    int rc = store_read(svc->store, list_tx, &l, err);
    return rc ? rc : blob_open(svc->store, sha256, fd, size, err);
}
