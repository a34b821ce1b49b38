/* Staff as other staff see them (issue 18): the executors a head picks from, with their
 * workload, and people named by name and position instead of ids in appeals and their
 * history. */
#ifndef OT_SERVICE_STAFF_H
#define OT_SERVICE_STAFF_H

#include <stdint.h>

#include "service/auth.h"
#include "service/svc.h"

typedef struct staff_executor {
    int64_t id;
    char login[64], name[160], position[160], body[64];
    int64_t open, overdue; /* open appeals assigned; of them past due */
} staff_executor_t;

/* The executors of body and its sub-bodies (NULL: the user's body), by name, with their
 * workload. Whoever may assign or forward appeals reads it: heads and registrars within
 * their body's subtree (403 forbidden outside it), supervisors everywhere; others 403.
 * An unknown body is 404 body_not_found. */
int staff_executors(const svc_t *svc, const auth_user_t *user, const char *body, int64_t now,
                    int (*fn)(const staff_executor_t *e, void *arg), void *arg, ot_err_t *err);

/* A staff member's name and position by id ("" for both when there is none). A small cache
 * per call site: staff_names_t lives on the caller's stack for one request. */
#define STAFF_NAMES_MAX 16
typedef struct staff_person {
    int64_t id;
    char login[64], name[160], position[160];
} staff_person_t;
typedef struct staff_names {
    staff_person_t p[STAFF_NAMES_MAX];
    int n;
} staff_names_t;
/* The person with that id (looked up once per staff_names_t); NULL for id 0 or unknown. */
const staff_person_t *staff_person(const svc_t *svc, staff_names_t *cache, int64_t id);

/* The same by login (assignments record the executor's login). */
const staff_person_t *staff_person_login(const svc_t *svc, staff_names_t *cache, const char *login);

/* The head's tasks (issue 18): executors' extension requests not yet decided, on open
 * appeals of the user's bodies (supervisors and auditors: all), kind "extension_request",
 * data the request's JSON (proposed_due_on, reason); then the answers held for the head's
 * approval (issue 16) where the user may approve, kind "answer_approval", data
 * {"decision","submitted_on"}; by is the executor who asked or answered. Executors and
 * admins see none (an empty list). */
typedef struct staff_task {
    const char *kind;
    char number[40], body[64], due_on[11];
    const char *data;
    int64_t at, by;
} staff_task_t;
int staff_tasks(const svc_t *svc, const auth_user_t *user,
                int (*fn)(const staff_task_t *t, void *arg), void *arg, ot_err_t *err);

#endif
