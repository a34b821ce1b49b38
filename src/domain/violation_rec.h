/* Violations, head flags and control-queue rows as records, and the filter of violation
 * lists: what the store keeps and the use cases hand out. Plain values, no I/O. */
#ifndef OT_DOMAIN_VIOLATION_REC_H
#define OT_DOMAIN_VIOLATION_REC_H

#include <stdint.h>

#define VIOL_EVIDENCE_MAX 4096

/* One violation. Dates "YYYY-MM-DD" or ""; ids 0 when unset. */
typedef struct viol_rec {
    int64_t id, appeal_id;
    char appeal_number[40];
    char kind[24];
    char term_on[11], detected_on[11];
    int days_late;
    char body[64];
    char body_path[256]; /* read only */
    int64_t executor, head;
    /* who answers for it: the executor, else the head of the body ("head"), else the head of
     * the nearest body above with one ("head_above"); never 0 once the region has a head */
    int64_t responsible;
    char responsible_via[16];
    char responsible_name[128], responsible_position[128], responsible_body[64]; /* read only */
    /* read only: the body stands outside the akimat's discipline; its violations are reported
     * to report_to (its own superior) */
    int external;
    char report_to[256];
    char status[16];
    char order_number[64], proceedings_on[11];
    char penalty[32], penalty_on[11];
    char dismiss_reason[512];
    int64_t about_violation;
    char evidence[VIOL_EVIDENCE_MAX]; /* JSON */
    int64_t created_at, updated_at;
} viol_rec_t;

typedef struct viol_filter {
    const char *body;       /* exactly this body */
    const char *scope_path; /* bodies under this path */
    int64_t person;         /* executor or head */
    const char *status, *kind;
    const char *from, *to; /* term_on in [from, to] */
    int64_t before_id;
    int limit;
} viol_filter_t;

/* A head flagged for a repeated violation of their body. */
typedef struct flag_rec {
    int64_t id, head, violation_id, prior_violation_id, created_at;
    char body[64];
    char evidence[VIOL_EVIDENCE_MAX];
} flag_rec_t;

/* An appeal on (oblast) control. */
typedef struct control_row {
    int64_t id; /* the appeal's */
    char number[40], body[64], due_on[11], control_on[11], reason[16], status[16];
    int64_t since, by_user, executor;
    char report_to[256]; /* an external body's superior ("" for the akimat's own bodies) */
} control_row_t;

#endif
