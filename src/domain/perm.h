/* Who may do what: the whole permission matrix of Otinish in one table (perm.c).
 *
 * Each cell gives the scope in which a role may perform an action:
 *   SCOPE_NONE  never
 *   SCOPE_OWN   only on appeals assigned to the user (executors)
 *   SCOPE_BODY  on objects of the user's body and its sub-bodies
 *   SCOPE_ALL   everywhere
 * perm_decide() turns a cell plus the facts about one object into allow / 403 / 404:
 * an object the user may not even read is "hidden" (404), so its existence does not leak. */
#ifndef OT_DOMAIN_PERM_H
#define OT_DOMAIN_PERM_H

typedef enum role {
    ROLE_REGISTRAR,
    ROLE_EXECUTOR,
    ROLE_HEAD,
    ROLE_SUPERVISOR,
    ROLE_AUDITOR,
    ROLE_ADMIN,
    ROLE_COUNT
} role_t;

typedef enum action {
    ACT_APPEAL_READ,    /* list and read appeals (personal data masked) */
    ACT_APPEAL_READ_PD, /* read unmasked personal data (each read is recorded) */
    ACT_APPEAL_INTAKE,  /* register an appeal from phone, mail, reception, e-mail */
    ACT_APPEAL_ASSIGN,  /* assign an executor */
    ACT_APPEAL_WORK,    /* take in work, draft the answer */
    ACT_APPEAL_ANSWER,  /* give the answer with a decision */
    ACT_APPEAL_FORWARD, /* forward by competence */
    ACT_APPEAL_EXTEND,  /* extend the term (head or deputy, АППК art. 76) */
    ACT_APPEAL_RETURN,  /* return an answer for rework */
    ACT_APPEAL_APPROVE, /* release or return an executor's answer held for approval */
    ACT_APPEAL_CLOSE,   /* close, terminate */
    ACT_APPEAL_CONTROL, /* take under oblast control */
    ACT_VIOLATION_READ, /* see violations and head flags */
    ACT_VIOLATION_ACT,  /* start proceedings, impose a penalty, dismiss */
    ACT_USER_MANAGE,    /* create, disable, reset users */
    ACT_REFERENCE_EDIT, /* bodies, categories, routing */
    ACT_AUDIT_READ,     /* read and verify the audit chain */
    ACT_BOOKING_READ,   /* list reception bookings with the citizens' names and phones
                           (own: those of the user's own receptions) */
    ACT_BODY_SETTINGS,  /* a body's own settings: its head's approval of answers */
    ACT_COUNT
} action_t;

typedef enum scope { SCOPE_NONE, SCOPE_OWN, SCOPE_BODY, SCOPE_ALL } scope_t;

typedef enum perm { PERM_ALLOW, PERM_FORBIDDEN, PERM_HIDDEN } perm_t;

/* Facts about the object acted on, gathered by the service. */
typedef struct perm_obj {
    int in_body;  /* the object belongs to the user's body or one of its sub-bodies */
    int assigned; /* the object (an appeal) is assigned to the user; a booking: of the
                     user's own reception */
} perm_obj_t;

scope_t perm_scope(role_t role, action_t action);

/* Decides one action on one object. read_action is what makes the object visible at all
 * (ACT_APPEAL_READ for appeals); without it the answer is PERM_HIDDEN. */
perm_t perm_decide(role_t role, action_t action, action_t read_action, const perm_obj_t *obj);

/* Names: "registrar", "appeal.read", "body". Parse returns -1 for an unknown name. */
const char *role_name(role_t r);
int role_parse(const char *s);
const char *action_name(action_t a);
const char *scope_name(scope_t s);

#endif
