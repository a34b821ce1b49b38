/* Statutory terms of one jurisdiction, parsed from a text file (terms.txt; format in
 * data/jurisdictions/README.md).
 *
 * Each value (term, registration rule, forwarding term, extension limit, notice term, number
 * prefix, end of the working day) is set per appeal kind or as a default ("*") for all kinds,
 * and carries the status and legal source written next to it in the file, so a caller can
 * always say how sure the rule is. Pure: parses from a buffer given by the caller. */
#ifndef OT_DOMAIN_POLICY_H
#define OT_DOMAIN_POLICY_H

#include <stddef.h>

#include "util/err.h"

typedef struct policy policy_t;

typedef enum policy_unit {
    POLICY_WORKING_DAYS = 1,
    POLICY_CALENDAR_DAYS, /* a term ending on a non-working day moves to the next working day */
    POLICY_MONTHS,        /* calendar months, clamped to the month's end, then as calendar days */
} policy_unit_t;

/* Modes, by key. */
enum {
    /* registration */
    POLICY_REG_CUTOFF = 1, /* same day if received on a working day before the end of the
                              working day, else the next working day (KZ АППК art. 64(3)) */
    POLICY_REG_WITHIN,     /* register within value/unit of receipt (RU 59-ФЗ art. 8(2));
                              the expected registration is computed as for CUTOFF */
    /* start */
    POLICY_START_REGISTRATION = 1, /* the term counts from the registration day */
    POLICY_START_RECEIPT,          /* the term counts from the (local) day of receipt */
    /* forwarded: the term at the competent body after a forward by competence */
    POLICY_FWD_RESTART = 1, /* the competent body registers it and the term starts anew there */
    POLICY_FWD_KEEP,        /* the term of the first registration runs on */
    /* extension */
    POLICY_EXT_NONE = 1, /* no extension allowed */
    POLICY_EXT_TOTAL,    /* the whole term, from its start, may reach value/unit (KZ: 2 months) */
    POLICY_EXT_ADD,      /* the term may be lengthened by value/unit (RU: +30 days) */
};

typedef struct policy_value {
    int set;            /* 0: the file says nothing (the rule does not apply) */
    int mode;           /* see the enum above; 0 for plain terms */
    int value;          /* number of units; minutes since midnight for workday_end */
    policy_unit_t unit; /* for terms */
    char text[32];      /* prefix */
    const char *status; /* "confirmed" | "secondary" | "unconfirmed" */
    const char *source; /* legal source as written in the file */
} policy_value_t;

typedef struct policy_kind {
    char id[24];                     /* "statement", "complaint", ... */
    policy_value_t term;             /* consideration term */
    policy_value_t start;            /* what the term counts from */
    policy_value_t registration;     /* registration rule */
    policy_value_t forward;          /* forwarding to the competent body (optional) */
    policy_value_t forwarded;        /* the term after a forward: restart or keep (optional) */
    policy_value_t extension;        /* extension limit */
    policy_value_t extension_notice; /* notice to the applicant after an extension (optional) */
    policy_value_t prefix;           /* registration-number letter index (optional) */
    policy_value_t workday_end;      /* default end of the working day (registration cut-off) */
    policy_value_t repeat_window;    /* accountability: window of the repeat rule (optional) */
    policy_value_t complaint_within; /* a complaint is filed within this of the answer */
} policy_kind_t;

/* Parses terms text[0..len). On success *out is a new policy freed with policy_free (it keeps
 * its own copy of the text). Errors: OT_EINVAL code "policy_syntax", message "line N: ...". */
int policy_parse(const char *text, size_t len, policy_t **out, ot_err_t *err);

/* Frees a policy. NULL is fine. */
void policy_free(policy_t *policy);

/* The "jurisdiction" line ("kz"). */
const char *policy_jurisdiction(const policy_t *policy);

/* The kinds in file order. Pointers are owned by the policy. */
size_t policy_kind_count(const policy_t *policy);
const policy_kind_t *policy_kind_at(const policy_t *policy, size_t i);

/* The kind with this id, or NULL. */
const policy_kind_t *policy_find_kind(const policy_t *policy, const char *id);

/* "working_days", "calendar_days", "months". */
const char *policy_unit_name(policy_unit_t unit);

#endif
