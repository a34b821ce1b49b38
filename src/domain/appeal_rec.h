/* The appeal as a record: the row the store reads and writes and the use cases hand out, and
 * the filter of appeal lists. Plain values (no I/O): the store fills them, the service passes
 * them to its callers (docs/layers.md). */
#ifndef OT_DOMAIN_APPEAL_REC_H
#define OT_DOMAIN_APPEAL_REC_H

#include <stddef.h>
#include <stdint.h>

/* One appeal row. Text fields of unbounded length are malloc'd and owned by the record:
 * free them with appeal_rec_free. Dates are "YYYY-MM-DD" ("" when unset); ids 0 when unset. */
typedef struct appeal_rec {
    int64_t id;
    char number[40];
    char kind[16], channel[16], status[16], jurisdiction[8], language[4];
    char category[64], district[64], body[64], receiving_body[64];
    char body_path[256]; /* bodies.path of body (read only) */
    int64_t executor, registrar;
    char *text, *address;
    int has_coords;
    double lat, lon;
    char applicant_type[16];
    char applicant_id[16]; /* IIN or BIN */
    char *applicant_name, *applicant_address, *applicant_phone, *applicant_email;
    int64_t signatories;
    int64_t received_at;
    char registered_on[11], due_on[11], forward_by[11], max_due_on[11];
    char extended_on[11];
    char *extension_reason;
    int64_t forwarded_at;
    int forward_late;
    int64_t answered_at, closed_at, answered_by;
    char answered_on[11];
    char decision[20];
    char *answer_text, *answer_grounds;
    int64_t rating, rated_at;
    char *rating_comment;
    char control_on[11];
    /* the term is suspended since suspended_on ("" when running); suspended_days working
     * days of earlier suspensions are already added to due_on */
    char suspended_on[11];
    int suspended_days;
    int personal_control; /* under the akim's personal control */
    char terminate_reason[32];
    char access_hash[65];
    int64_t parent_id, repeat_of;
    char link[12];
    char parent_number[40], repeat_number[40]; /* read only: numbers of the linked appeals */
    /* issue 17: the problem the appeal is grouped into (0: none); the applicant as a key of
     * the repeat rule (domain/problem.h); the citizen's verdict on the answer ("yes",
     * "partly", "no"; "" none) with its comment and time; whether a new appeal on the same
     * problem came within the re-raise window after this one's answer */
    int64_t problem_id;
    char applicant_key[320];
    char verdict[8];
    char *verdict_comment;
    int64_t verdict_at;
    int reraised;
    int64_t updated_at;
} appeal_rec_t;

void appeal_rec_free(appeal_rec_t *a);
/* A deep copy of src into dst (freed with appeal_rec_free); -1 when out of memory, dst is
 * then empty. */
int appeal_rec_copy(appeal_rec_t *dst, const appeal_rec_t *src);

/* List filters; NULL/0 fields do not filter. Keyset pagination on id descending (newest
 * first): pass the last id of the previous page as before_id. */
typedef struct appeal_filter {
    const char *status, *body, *kind, *category, *district, *channel;
    const char *scope_path; /* only bodies under this path ("vko/ridder/") */
    int64_t executor;
    int overdue;       /* open and due before today */
    const char *today; /* for overdue */
    const char *due_before, *due_after;
    int64_t received_from, received_to; /* microseconds, inclusive/exclusive; 0 = open */
    int repeated;                       /* only appeals flagged repeated */
    int control; /* only appeals on the control queue: queued by the sweep and not released,
                  * or given a control date (the oblast control queue, GET /api/v1/control) */
    int64_t before_id;
    /* only appeals with id >= from_id (0: none); the store narrows a range of receipt to
     * the ids it holds with it and before_id (store_appeal.c, receipt_ids) */
    int64_t from_id;
    int limit;
    /* the work queue (issue 18): only open appeals (registered, assigned, in work), by due
     * date then id, overdue first; the keyset cursor is after_due with before_id (the page
     * goes on after that due date and id) */
    int by_due;
    const char *after_due;
    char cursor_due[11]; /* where a parsed cursor keeps its date (after_due points here) */
    /* only the appeals of this body and the bodies under it (a drill-down from the
     * dashboard), inside what the user may read */
    const char *under;
} appeal_filter_t;

#endif
