/* Attachments of appeals: a citizen (with the access code) or a staff user who works the
 * appeal adds a file; staff who may read the appeal list and fetch them. Types and size are
 * limited; the declared type must match the file's first bytes. */
#ifndef OT_SERVICE_ATTACHMENT_H
#define OT_SERVICE_ATTACHMENT_H

#include <stddef.h>
#include <stdint.h>

#include "domain/attachment_rec.h"
#include "service/auth.h"
#include "service/svc.h"

/* Adds a file. user NULL: the citizen, proven by code, sending from the client address addr.
 * The bytes are durable on disk before the row that names them is committed.
 * A citizen's files are limited by svc->attach_per_appeal (over it: OT_ECONFLICT
 * "attachment_quota") and, per address, by svc->attach_per_addr_day (over it: OT_ELIMIT
 * "attachment_daily_quota", and *retry_after, when not NULL, gets the seconds until the
 * oldest counted file leaves the 24 hours). Both are checked before the bytes are written
 * and again in the transaction that records them. */
int attachment_add(const svc_t *svc, const auth_user_t *user, const char *code, const char *addr,
                   const char *number, const char *name, const char *type, const void *data,
                   size_t len, int64_t now, attachment_rec_t *out, int *retry_after, ot_err_t *err);

int attachment_list(const svc_t *svc, const auth_user_t *user, const char *number,
                    int (*fn)(const attachment_rec_t *a, void *arg), void *arg, ot_err_t *err);

/* Opens the file of one attachment for a staff user who may read the appeal. */
int attachment_open(const svc_t *svc, const auth_user_t *user, const char *number,
                    const char *sha256, attachment_rec_t *out, int *fd, size_t *size,
                    ot_err_t *err);

#endif
