/* Repository: appeals, registration number sequences, the notification outbox. */
#ifndef OT_STORE_APPEAL_H
#define OT_STORE_APPEAL_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

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
    char terminate_reason[32];
    char access_hash[65];
    int64_t parent_id, repeat_of;
    char link[12];
    char parent_number[40], repeat_number[40]; /* read only: numbers of the linked appeals */
    int64_t updated_at;
} appeal_rec_t;

void appeal_rec_free(appeal_rec_t *a);
/* A deep copy of src into dst (freed with appeal_rec_free); -1 when out of memory, dst is
 * then empty. */
int appeal_rec_copy(appeal_rec_t *dst, const appeal_rec_t *src);

/* The next number of a (prefix, year) sequence: 1, 2, ...; never reused. */
int store_number_next(store_tx_t *tx, const char *prefix, int year, int64_t *out, ot_err_t *err);

int store_appeal_insert(store_tx_t *tx, appeal_rec_t *a, ot_err_t *err);
/* Writes the mutable columns of a (by id) that differ from old, the record as it was read
 * (every one when old is NULL): an UPDATE that names fewer columns checks fewer foreign
 * keys and rewrites fewer indexes. */
int store_appeal_update(store_tx_t *tx, const appeal_rec_t *old, const appeal_rec_t *a,
                        ot_err_t *err);
/* OT_ENOTFOUND (field "number") when absent. */
int store_appeal_get(store_tx_t *tx, const char *number, appeal_rec_t *out, ot_err_t *err);
int store_appeal_get_id(store_tx_t *tx, int64_t id, appeal_rec_t *out, ot_err_t *err);

/* The latest earlier appeal of the same applicant on the same category and district
 * received at or after since_us: *id = 0 when none. */
int store_appeal_find_repeat(store_tx_t *tx, const char *applicant_id, const char *category,
                             const char *district, int64_t since_us, int64_t *id, ot_err_t *err);

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
    int64_t before_id;
    int limit;
} appeal_filter_t;

int store_appeal_list(store_tx_t *tx, const appeal_filter_t *f,
                      int (*fn)(appeal_rec_t *a, void *arg), void *arg, ot_err_t *err);
/* Every appeal that f matches, newest first like store_appeal_list, read as fn takes them
 * (f->limit aside): for exports, in one read transaction, without pages. A body scope is one
 * walk per body, merged. */
int store_appeal_each(store_tx_t *tx, const appeal_filter_t *f,
                      int (*fn)(appeal_rec_t *a, void *arg), void *arg, ot_err_t *err);
/* How many appeals the filters of f match (from the cursor on), counting no further than
 * cap: *n <= cap. */
int store_appeal_count(store_tx_t *tx, const appeal_filter_t *f, int64_t cap, int64_t *n,
                       ot_err_t *err);
/* The SQL store_appeal_list runs for the filters set in f (their values do not matter) when
 * f->scope_path holds n_scope bodies, some but not all (0: no scope); for tests of the query
 * plans. malloc'd (the caller frees it); NULL when out of memory. */
char *store_appeal_list_sql(const appeal_filter_t *f, int n_scope);

/* The statutory dates of an open appeal, for recomputing them when a calendar changes. */
typedef struct appeal_terms {
    int64_t id;
    char number[40], kind[16];
    int64_t received_at;
    int workday_end_min; /* of the receiving body */
    char registered_on[11], due_on[11], forward_by[11], max_due_on[11], extended_on[11];
} appeal_terms_t;

/* Every open appeal (registered, assigned, in work) of a jurisdiction; the caller frees
 * *out. */
int store_appeal_open_terms(store_tx_t *tx, const char *jurisdiction, appeal_terms_t **out,
                            size_t *n, ot_err_t *err);
int store_appeal_set_terms(store_tx_t *tx, const appeal_terms_t *t, ot_err_t *err);

/* A value of the meta table (key -> text); OT_ENOTFOUND when absent. */
int store_meta_get(store_tx_t *tx, const char *key, char *out, size_t n, ot_err_t *err);
int store_meta_put(store_tx_t *tx, const char *key, const char *value, ot_err_t *err);

/* Queues a notification; delivered later by the outbox worker. */
int store_outbox_add(store_tx_t *tx, int64_t now, int64_t appeal_id, const char *recipient,
                     const char *channel, const char *template_name, const char *language,
                     const char *data_json, ot_err_t *err);

#endif
