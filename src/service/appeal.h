/* Appeal use cases: intake with a receipt, the lifecycle actions, tracking by the citizen.
 * Each runs in one transaction (store_write) and appends its audit event in it. */
#ifndef OT_SERVICE_APPEAL_H
#define OT_SERVICE_APPEAL_H

#include <stdint.h>

#include "domain/appeal.h"
#include "domain/appeal_rec.h"
#include "domain/notice_rec.h"
#include "domain/approval_rec.h"
#include "service/auth.h"
#include "service/problem.h"
#include "service/staff.h"
#include "service/svc.h"

#define APPEAL_TEXT_MAX 10000 /* characters of the essence */
#define ACCESS_CODE_LEN 12

/* What the applicant or a registrar files. Strings are borrowed; NULL = not given. */
typedef struct intake {
    const char *kind, *channel, *category, *district, *language, *text, *address;
    int has_coords;
    double lat, lon;
    const char *applicant_type; /* individual, legal, anonymous, collective */
    const char *full_name;      /* individual, collective representative */
    const char *iin;            /* individual, collective representative */
    const char *org_name, *bin; /* legal */
    const char *postal_address, *phone, *email;
    int64_t signatories; /* collective */
    /* a complaint about an earlier appeal (АППК arts. 91-92): its number and access code */
    const char *complaint_of, *complaint_code;
    int64_t received_at; /* 0: now */
    /* why a registrar enters received_at more than BACKDATE_WORKING_DAYS working days back
     * (required then, and kept in the history with the registration) */
    const char *received_reason;
    /* the body the applicant addresses (АППК art. 63; NULL: none named): kept and measured,
     * routing still decides the competent body */
    const char *addressed_to;
    /* a collective appeal's signatories (names; IINs or NULL), n_signatures of them */
    const char *const *sig_names, *const *sig_iins;
    size_t n_signatures;
} intake_t;

#define INTAKE_MAX_SIGNATURES 10000

/* A registration this many working days after receipt is backdated: it needs a reason. */
#define BACKDATE_WORKING_DAYS 3

typedef struct receipt {
    char number[40];
    int64_t received_at;
    char registered_on[11], due_on[11];
    char body_id[64], body_name[256]; /* the receiving body */
    int has_registrar;
    char registrar_name[160], registrar_position[160];
    char access_code[ACCESS_CODE_LEN + 1];
    char status[16];
    char routed_to[64];    /* the competent body the appeal went to */
    char repeat_of[40];    /* "" unless flagged repeated */
    char utc_offset[16];   /* "+05:00" of the jurisdiction */
    char addressed_to[64]; /* the body the applicant addressed, "" when none */
} receipt_t;

/* Files an appeal. registrar is NULL for public filing (portal, open311 channels only). */
int appeal_intake(const svc_t *svc, const auth_user_t *registrar, const intake_t *in, int64_t now,
                  receipt_t *out, ot_err_t *err);

/* The same inside a transaction the caller runs (bulk loading: demo data, imports). */
int appeal_intake_in(store_tx_t *tx, const svc_t *svc, const auth_user_t *registrar,
                     const intake_t *in, int64_t now, receipt_t *out, ot_err_t *err);

/* One lifecycle action by a staff user. Fields used depend on the action. */
typedef struct act_input {
    const char *executor;  /* assign: the executor's login */
    const char *body;      /* forward: target body id */
    const char *reason;    /* forward, extend, return, terminate (code), close */
    const char *part_text; /* forward: forward only this part, as a new linked appeal */
    const char *due_on;    /* extend: the new due date; control: the control date */
    const char *decision;  /* answer */
    const char *text;      /* answer */
    const char *grounds;   /* answer: legal grounds */
    int personal;          /* control: under the akim's personal control */
} act_input_t;

/* Runs action on the appeal `number` as user. On success *out is the appeal after the
 * action (the caller frees it with appeal_rec_free), *part_number the new part's number
 * for a partial forward. An illegal transition is OT_ECONFLICT naming the state and the
 * allowed actions; no permission is 403; an appeal the user cannot see is 404. */
int appeal_act(const svc_t *svc, const auth_user_t *user, const char *number, const char *action,
               const act_input_t *in, int64_t now, appeal_rec_t *out, char part_number[40],
               ot_err_t *err);

/* The same inside a transaction the caller runs (tx NULL: its own transaction). */
int appeal_act_in(store_tx_t *tx, const svc_t *svc, const auth_user_t *user, const char *number,
                  const char *action, const act_input_t *in, int64_t now, appeal_rec_t *out,
                  char part_number[40], ot_err_t *err);

/* Reads an appeal for a staff user (404 if not visible). With unmask, personal data is
 * returned as stored and the read is recorded in the audit chain; without, it is masked. */
int appeal_read(const svc_t *svc, const auth_user_t *user, const char *number, int unmask,
                int64_t now, appeal_rec_t *out, ot_err_t *err);

/* The staff page of an appeal (GET /api/v1/appeals/{number}, issue 19 point 7): the appeal
 * as appeal_read gives it, with its executor by name (has_executor 0: none, or no such
 * user), its problem and the earlier decisions on it (pc, as problem_context_in), and the
 * answer awaiting approval (has_held: there is one and the user reads the appeal as of its
 * body or as its executor). One read: one statement (two when the problem has earlier
 * decisions), where four read transactions were. appeal_page_free frees it. */
typedef struct appeal_page {
    appeal_rec_t a;
    int has_executor;
    staff_person_t executor;
    problem_context_t pc;
    int has_held;
    approval_rec_t held;
    /* This reader's view of the page as the caller rendered it before (issue 19 point 7), kept
     * by the node's page cache: text (malloc'd, len bytes; NULL: none, render it and give it
     * to appeal_page_keep). When text is given, pc is not read (empty). The view is the
     * masked page, with or without the held answer (as has_held); an unmasked read has none.
     * What identifies the kept page it came from: */
    char *text;
    size_t text_len;
    int view; /* -1: none */
    uint64_t serial, mark;
} appeal_page_t;
/* synced: the ticket of appeal_page_await when the request waited for it, else 0. */
int appeal_page(const svc_t *svc, const auth_user_t *user, const char *number, int unmask,
                uint64_t synced, int64_t now, appeal_page_t *out, ot_err_t *err);
void appeal_page_free(appeal_page_t *p);
/* Keeps text (len bytes: what the caller made of p for its reader, which must be the same
 * bytes for every reader given the same page and view) beside p's page in the node's page
 * cache, for the next readers of the same view (appeal_page gives it in text). Nothing when
 * there is no cache, p has no view, or the page changed meanwhile. */
void appeal_page_keep(const svc_t *svc, const appeal_page_t *p, const char *text, size_t len);
/* Before appeal_page, for a request that can be put aside (the http layer, issue 19 point 7):
 * a page the node keeps in its cache (PostgreSQL) is served only after a sync of the
 * cache's listening session that began after the request came, so that what any node wrote
 * before is seen. 1: suspend(arg) was called and resume(arg) will be, on another thread,
 * when that sync has ended; then appeal_page with *ticket. 0: nothing to wait for (call
 * appeal_page at once with synced *ticket: 0, or the sync made on the caller's thread, which
 * it may be when may_wait: the caller has nothing else to do meanwhile). */
int appeal_page_await(const svc_t *svc, const char *number, uint64_t *ticket, int may_wait,
                      void (*suspend)(void *arg), void (*resume)(void *arg), void *arg);

/* Staff list: the filter is narrowed to what the user may see. */
int appeal_list(const svc_t *svc, const auth_user_t *user, appeal_filter_t *f,
                int (*fn)(const appeal_rec_t *a, void *arg), void *arg, ot_err_t *err);
/* The same list for an export (issue 19): read from the read replica when there is one
 * (`serve --db-read`), so it may be a moment behind; the work queue uses appeal_list. */
int appeal_list_export(const svc_t *svc, const auth_user_t *user, appeal_filter_t *f,
                       int (*fn)(const appeal_rec_t *a, void *arg), void *arg, ot_err_t *err);

/* Whether the list would give more than max appeals (from f->before_id on): its cost is
 * known before it is walked. */
int appeal_over(const svc_t *svc, const auth_user_t *user, appeal_filter_t *f, int64_t max,
                int *over, ot_err_t *err);

/* Walks the notices of the appeal (visible to the user), oldest first: each one's channel,
 * attempts and outcome (issue 16). */
int appeal_notices(const svc_t *svc, const auth_user_t *user, const char *number,
                   int (*fn)(const outbox_notice_t *n, void *arg), void *arg, ot_err_t *err);
/* The work queue's counts (issue 18): out[] = open appeals registered, assigned, in work,
 * and of them past due (f->today), for what the user may read under f's filters but its
 * status and overdue; with filters other than executor, body and under= each stops at cap. */
int appeal_queue_counts(const svc_t *svc, const auth_user_t *user, appeal_filter_t *f, int64_t cap,
                        int64_t out[4], ot_err_t *err);

/* An applicant's earlier appeals by IIN or BIN (12 digits; 422 bad_value otherwise), newest
 * first, at most 20, masked, within what the user may read (executors: 403): the
 * registrar's phone entry shows a caller's history (issue 18). */
int appeal_by_applicant(const svc_t *svc, const auth_user_t *user, const char *id_number,
                        int (*fn)(const appeal_rec_t *a, void *arg), void *arg, ot_err_t *err);

/* Walks the appeal's events (visible to the user) in order. */
int appeal_history(const svc_t *svc, const auth_user_t *user, const char *number,
                   int (*fn)(int64_t seq, int64_t at, const char *actor, const char *action,
                             const char *data, void *arg),
                   void *arg, ot_err_t *err);

/* Citizen tracking: number + access code. A wrong code and an unknown number give the same
 * OT_ENOTFOUND, so the answer does not tell whether the number exists. addressed_to (may be
 * NULL) gets the body the applicant addressed, "" when none. */
int appeal_track(const svc_t *svc, const char *number, const char *code, appeal_rec_t *out,
                 char addressed_to[64], ot_err_t *err);
/* Rates the answer 1-5 once (answered or closed appeals). */
int appeal_rate(const svc_t *svc, const char *number, const char *code, int rating,
                const char *comment, int64_t now, ot_err_t *err);

/* Whether code is the appeal's access code (compared in constant time). */
int appeal_code_ok(const appeal_rec_t *a, const char *code);

/* A registration number however it was typed ("3-2026-165", "z 2026 000165", the ASCII form
 * "Z-2026-000165") as the registry writes it ("З-2026-000165"), by the prefixes of the
 * loaded jurisdictions (domain/number.h). 0 and out filled, or -1 when it is not one. */
int appeal_number_canonical(const svc_t *svc, const char *in, char *out, size_t n);

/* The ASCII form of a number ("Z-2026-000165"): unique, reversible by
 * appeal_number_canonical; used in URLs and as Open311's service_request_id. 0 or -1. */
int appeal_number_ascii(const char *number, char *out, size_t n);

/* The same inside a transaction the caller runs (tx NULL: its own transaction). */
int appeal_rate_in(store_tx_t *tx, const svc_t *svc, const char *number, const char *code,
                   int rating, const char *comment, int64_t now, ot_err_t *err);

/* Masks personal data of a record in place (IIN/BIN, phone, e-mail, address). */
void appeal_mask(appeal_rec_t *a);

/* Today's date (YYYY-MM-DD) in the jurisdiction's zone. */
void appeal_today(const svc_t *svc, const char *jurisdiction, int64_t now, char out[11]);

#endif
