/* Error reporting shared by every layer.
 *
 * A function that can fail returns an int status (OT_OK = 0 on success) and, when given an
 * ot_err_t, fills it with a stable machine code ("iin_checksum"), the offending field (may be
 * empty) and a human message. The caller owns the struct (usually on its stack). Exactly one
 * place, http_status_of in src/http/server.c, maps a status to an HTTP code (the Open311
 * adapter then folds client errors into the three codes its spec allows, h_open311.c). */
#ifndef OT_UTIL_ERR_H
#define OT_UTIL_ERR_H

enum ot_status {
    OT_OK = 0,
    OT_EBADREQ,     /* malformed request: not JSON, wrong shape           -> 400 */
    OT_EUNAUTH,     /* no or bad credentials                              -> 401 */
    OT_EFORBIDDEN,  /* authenticated but not allowed                      -> 403 */
    OT_ENOTFOUND,   /* no such thing (or not visible to the caller)       -> 404 */
    OT_ECONFLICT,   /* state does not allow it (illegal transition, dup)  -> 409 */
    OT_ETOOBIG,     /* over a configured size limit                       -> 413 */
    OT_EINVAL,      /* a field has an invalid value                       -> 422 */
    OT_ELIMIT,      /* rate limit reached                                 -> 429 */
    OT_EINTERNAL,   /* a bug or an I/O failure                            -> 500 */
    OT_EUNAVAIL,    /* store busy or shutting down                        -> 503 */
    OT_EMETHOD,     /* no such method on this path                        -> 405 */
    OT_EMEDIATYPE,  /* a body of a content type the route does not take   -> 415 */
    OT_EURITOOLONG, /* a query of more parameters than the server reads -> 414 */
};

typedef struct ot_err {
    int status;
    char code[48];
    char field[64];
    char message[256];
} ot_err_t;

/* Fills e (if not NULL) and returns status, so callers can write
 *   return ot_err(e, OT_EINVAL, "iin_checksum", "applicant.iin", "IIN checksum does not match");
 * field may be NULL. */
int ot_err(ot_err_t *e, int status, const char *code, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Clears e to "no error". */
void ot_err_clear(ot_err_t *e);

#endif
