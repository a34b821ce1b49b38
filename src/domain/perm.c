#include "domain/perm.h"

#include <string.h>

#define N SCOPE_NONE
#define O SCOPE_OWN
#define B SCOPE_BODY
#define A SCOPE_ALL

/* clang-format off */
/* The permission matrix. Rows: actions; columns: registrar, executor, head, supervisor,
 * auditor, admin. Roles per issue "Staff accounts": a registrar enters appeals; an executor
 * works those assigned to them; a head runs the body (assigns, extends, signs answers,
 * decides the violations of the bodies below it: never of its own body, the service checks);
 * a supervisor (oblast control) sees everything, takes appeals under control, returns
 * answers for rework and decides violations anywhere; an auditor reads everything and changes nothing; an
 * admin manages users and reference data and sees no appeal contents. */
static const unsigned char matrix[ACT_COUNT][ROLE_COUNT] = {
    /*                      reg  exe  head sup  aud  adm */
    [ACT_APPEAL_READ]    = { B,   O,   B,   A,   A,   N },
    [ACT_APPEAL_READ_PD] = { B,   O,   B,   A,   A,   N },
    [ACT_APPEAL_INTAKE]  = { B,   N,   B,   N,   N,   N },
    [ACT_APPEAL_ASSIGN]  = { N,   N,   B,   N,   N,   N },
    [ACT_APPEAL_WORK]    = { N,   O,   B,   N,   N,   N },
    [ACT_APPEAL_ANSWER]  = { N,   O,   B,   N,   N,   N },
    [ACT_APPEAL_FORWARD] = { B,   N,   B,   A,   N,   N },
    [ACT_APPEAL_EXTEND]  = { N,   N,   B,   N,   N,   N },
    [ACT_APPEAL_RETURN]  = { N,   N,   N,   A,   N,   N },
    [ACT_APPEAL_APPROVE] = { N,   N,   B,   N,   N,   N },
    [ACT_APPEAL_CLOSE]   = { N,   N,   B,   A,   N,   N },
    [ACT_APPEAL_CONTROL] = { N,   N,   N,   A,   N,   N },
    [ACT_VIOLATION_READ] = { N,   O,   B,   A,   A,   N },
    [ACT_VIOLATION_ACT]  = { N,   N,   B,   A,   N,   N },
    [ACT_USER_MANAGE]    = { N,   N,   N,   N,   N,   A },
    [ACT_REFERENCE_EDIT] = { N,   N,   N,   N,   N,   A },
    [ACT_AUDIT_READ]     = { N,   N,   N,   A,   A,   A },
    [ACT_BOOKING_READ]   = { B,   O,   B,   A,   A,   N },
    [ACT_BODY_SETTINGS]  = { N,   N,   B,   N,   N,   A },
};
/* clang-format on */

static const char *const role_names[ROLE_COUNT] = {"registrar",  "executor", "head",
                                                   "supervisor", "auditor",  "admin"};

static const char *const action_names[ACT_COUNT] = {
    [ACT_APPEAL_READ] = "appeal.read",       [ACT_APPEAL_READ_PD] = "appeal.read_pd",
    [ACT_APPEAL_INTAKE] = "appeal.intake",   [ACT_APPEAL_ASSIGN] = "appeal.assign",
    [ACT_APPEAL_WORK] = "appeal.work",       [ACT_APPEAL_ANSWER] = "appeal.answer",
    [ACT_APPEAL_FORWARD] = "appeal.forward", [ACT_APPEAL_EXTEND] = "appeal.extend",
    [ACT_APPEAL_RETURN] = "appeal.return",   [ACT_APPEAL_CLOSE] = "appeal.close",
    [ACT_APPEAL_CONTROL] = "appeal.control", [ACT_VIOLATION_READ] = "violation.read",
    [ACT_VIOLATION_ACT] = "violation.act",   [ACT_USER_MANAGE] = "user.manage",
    [ACT_REFERENCE_EDIT] = "reference.edit", [ACT_AUDIT_READ] = "audit.read",
    [ACT_BOOKING_READ] = "booking.read",     [ACT_APPEAL_APPROVE] = "appeal.approve",
    [ACT_BODY_SETTINGS] = "body.settings",
};

scope_t perm_scope(role_t role, action_t action)
{
    if ((unsigned)role >= ROLE_COUNT || (unsigned)action >= ACT_COUNT)
        return SCOPE_NONE;
    return (scope_t)matrix[action][role];
}

static int covers(scope_t s, const perm_obj_t *o)
{
    switch (s) {
    case SCOPE_ALL:
        return 1;
    case SCOPE_BODY:
        return o->in_body;
    case SCOPE_OWN:
        return o->assigned;
    default:
        return 0;
    }
}

perm_t perm_decide(role_t role, action_t action, action_t read_action, const perm_obj_t *obj)
{
    if (!covers(perm_scope(role, read_action), obj))
        return PERM_HIDDEN;
    return covers(perm_scope(role, action), obj) ? PERM_ALLOW : PERM_FORBIDDEN;
}

const char *role_name(role_t r)
{
    return (unsigned)r < ROLE_COUNT ? role_names[r] : "?";
}

int role_parse(const char *s)
{
    for (int i = 0; s && i < ROLE_COUNT; i++)
        if (strcmp(s, role_names[i]) == 0)
            return i;
    return -1;
}

const char *action_name(action_t a)
{
    return (unsigned)a < ACT_COUNT ? action_names[a] : "?";
}

const char *scope_name(scope_t s)
{
    static const char *const names[] = {"-", "own", "body", "all"};
    return (unsigned)s < 4 ? names[s] : "?";
}
