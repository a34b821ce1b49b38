/* Unit tests for src/domain/perm.c: the permission matrix and allow / 403 / 404 decisions.
 *
 * Two kinds of test. The matrix sweep checks that perm_decide applies perm_scope faithfully
 * to every role, action and kind of object. The business rules are written out by hand from
 * the roles' descriptions (issue "Staff accounts"): they catch a wrong cell in the matrix,
 * which the sweep, deriving its expectations from the same matrix, cannot. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "domain/perm.h"

/* The four kinds of object, as the service reports them. */
static const perm_obj_t objs[4] = {
    {0, 0}, /* another body's object, not assigned to the user */
    {0, 1}, /* assigned to the user but in another body (e.g. after a forward) */
    {1, 0}, /* in the user's body, not assigned to the user */
    {1, 1}, /* in the user's body and assigned to the user */
};

/* The action that makes an object visible at all, per kind of object. */
static action_t read_action_of(action_t a)
{
    switch (a) {
    case ACT_VIOLATION_READ:
    case ACT_VIOLATION_ACT:
        return ACT_VIOLATION_READ;
    case ACT_USER_MANAGE:
    case ACT_REFERENCE_EDIT:
    case ACT_AUDIT_READ:
    case ACT_BOOKING_READ:
    case ACT_BODY_SETTINGS:
        return a; /* no separate read: the action itself decides visibility */
    default:
        return ACT_APPEAL_READ;
    }
}

/* What a scope alone says about one object. */
static int scope_covers(scope_t s, const perm_obj_t *o)
{
    switch (s) {
    case SCOPE_ALL:
        return 1; /* everywhere */
    case SCOPE_BODY:
        return o->in_body; /* own body and its sub-bodies */
    case SCOPE_OWN:
        return o->assigned; /* only what is assigned to the user */
    case SCOPE_NONE:
        return 0; /* never */
    }
    fail_msg("unknown scope %d", (int)s);
    return 0;
}

static const char *perm_str(perm_t p)
{
    return p == PERM_ALLOW ? "allow" : p == PERM_FORBIDDEN ? "403" : p == PERM_HIDDEN ? "404" : "?";
}

/* Every role x action x object: allowed exactly where the action's scope covers the object;
 * refused as hidden (404) where the object is not even readable, else as forbidden (403). */
static void test_matrix_sweep(void **state)
{
    (void)state;
    int n_allow = 0, n_forbidden = 0, n_hidden = 0;
    for (int r = 0; r < ROLE_COUNT; r++)
        for (int a = 0; a < ACT_COUNT; a++) {
            scope_t s = perm_scope((role_t)r, (action_t)a);
            assert_true(s >= SCOPE_NONE && s <= SCOPE_ALL);
            action_t ra = read_action_of((action_t)a);
            for (int o = 0; o < 4; o++) {
                perm_t want;
                if (!scope_covers(perm_scope((role_t)r, ra), &objs[o]))
                    want = PERM_HIDDEN;
                else
                    want = scope_covers(s, &objs[o]) ? PERM_ALLOW : PERM_FORBIDDEN;
                perm_t got = perm_decide((role_t)r, (action_t)a, ra, &objs[o]);
                if (got != want)
                    fail_msg("%s %s (scope %s) on {in_body=%d, assigned=%d}: %s, want %s",
                             role_name((role_t)r), action_name((action_t)a), scope_name(s),
                             objs[o].in_body, objs[o].assigned, perm_str(got), perm_str(want));
                /* the scope alone decides "allowed": ALL everywhere, BODY iff in_body,
                 * OWN iff assigned, NONE never */
                if ((got == PERM_ALLOW) != scope_covers(s, &objs[o]))
                    fail_msg("%s %s (scope %s) on {in_body=%d, assigned=%d}: %s", role_name(r),
                             action_name(a), scope_name(s), objs[o].in_body, objs[o].assigned,
                             perm_str(got));
                n_allow += got == PERM_ALLOW;
                n_forbidden += got == PERM_FORBIDDEN;
                n_hidden += got == PERM_HIDDEN;
            }
        }
    /* the sweep went through every cell and met all three answers */
    assert_int_equal(n_allow + n_forbidden + n_hidden, ROLE_COUNT * ACT_COUNT * 4);
    assert_true(n_allow > 0 && n_forbidden > 0 && n_hidden > 0);
}

/* The matrix itself: no role may act on an object it cannot read. Otherwise perm_decide
 * would answer 404 for an action the matrix grants, and the matrix would lie. */
static void test_action_within_read(void **state)
{
    (void)state;
    for (int r = 0; r < ROLE_COUNT; r++)
        for (int a = 0; a < ACT_COUNT; a++) {
            scope_t s = perm_scope((role_t)r, (action_t)a);
            scope_t rs = perm_scope((role_t)r, read_action_of((action_t)a));
            for (int o = 0; o < 4; o++)
                if (scope_covers(s, &objs[o]) && !scope_covers(rs, &objs[o]))
                    fail_msg("%s may %s ({in_body=%d, assigned=%d}) but cannot read it",
                             role_name((role_t)r), action_name((action_t)a), objs[o].in_body,
                             objs[o].assigned);
        }
}

/* Out-of-range roles and actions get nothing. */
static void test_out_of_range(void **state)
{
    (void)state;
    const perm_obj_t all = {1, 1};
    assert_int_equal(perm_scope(ROLE_COUNT, ACT_APPEAL_READ), SCOPE_NONE);
    assert_int_equal(perm_scope(ROLE_ADMIN, ACT_COUNT), SCOPE_NONE);
    assert_int_equal(perm_decide(ROLE_COUNT, ACT_APPEAL_READ, ACT_APPEAL_READ, &all), PERM_HIDDEN);
    assert_string_equal(role_name(ROLE_COUNT), "?");
    assert_string_equal(action_name(ACT_COUNT), "?");
}

/* ==== Business rules, expectations written by hand ==== */

#define DENIED (-1) /* 403 or 404: the rule only says "not allowed" */

typedef struct {
    role_t role;
    action_t action;
    action_t read_action;
    perm_obj_t obj; /* {in_body, assigned} */
    int want;       /* a perm_t, or DENIED */
    const char *rule;
} rule_case_t;

static const rule_case_t rules[] = {
    /* admin manages the system, not appeals: appeals are invisible even in the admin's body */
    {ROLE_ADMIN, ACT_APPEAL_READ, ACT_APPEAL_READ, {1, 0}, PERM_HIDDEN, "admin cannot read"},
    {ROLE_ADMIN, ACT_APPEAL_READ, ACT_APPEAL_READ, {0, 0}, PERM_HIDDEN, "... anywhere"},
    {ROLE_ADMIN, ACT_APPEAL_READ_PD, ACT_APPEAL_READ, {1, 1}, PERM_HIDDEN, "... nor PD"},
    {ROLE_ADMIN, ACT_APPEAL_CLOSE, ACT_APPEAL_READ, {1, 0}, PERM_HIDDEN, "... nor act on it"},
    /* auditor reads every appeal, changes nothing */
    {ROLE_AUDITOR, ACT_APPEAL_READ, ACT_APPEAL_READ, {0, 0}, PERM_ALLOW, "auditor reads all"},
    {ROLE_AUDITOR, ACT_APPEAL_READ_PD, ACT_APPEAL_READ, {0, 0}, PERM_ALLOW, "... with PD"},
    {ROLE_AUDITOR, ACT_APPEAL_ANSWER, ACT_APPEAL_READ, {0, 0}, PERM_FORBIDDEN, "cannot answer"},
    {ROLE_AUDITOR, ACT_APPEAL_ANSWER, ACT_APPEAL_READ, {1, 1}, PERM_FORBIDDEN, "... at all"},
    {ROLE_AUDITOR, ACT_APPEAL_CLOSE, ACT_APPEAL_READ, {1, 0}, PERM_FORBIDDEN, "cannot close"},
    {ROLE_AUDITOR, ACT_AUDIT_READ, ACT_AUDIT_READ, {0, 0}, PERM_ALLOW, "reads the audit chain"},
    /* reception bookings carry citizens' names and phones: scoped like appeals (issue 20) */
    {ROLE_EXECUTOR,
     ACT_BOOKING_READ,
     ACT_BOOKING_READ,
     {1, 0},
     PERM_HIDDEN,
     "executor: not the body's bookings"},
    {ROLE_EXECUTOR,
     ACT_BOOKING_READ,
     ACT_BOOKING_READ,
     {1, 1},
     PERM_ALLOW,
     "... only those of their own receptions"},
    {ROLE_REGISTRAR,
     ACT_BOOKING_READ,
     ACT_BOOKING_READ,
     {1, 0},
     PERM_ALLOW,
     "the body's registry lists its bookings"},
    {ROLE_HEAD,
     ACT_BOOKING_READ,
     ACT_BOOKING_READ,
     {0, 0},
     PERM_HIDDEN,
     "a head: not another body's"},
    {ROLE_ADMIN, ACT_BOOKING_READ, ACT_BOOKING_READ, {1, 1}, PERM_HIDDEN, "admin: no bookings"},
    /* executor sees only what is assigned to them */
    {ROLE_EXECUTOR,
     ACT_APPEAL_READ,
     ACT_APPEAL_READ,
     {1, 0},
     PERM_HIDDEN,
     "executor: own body's appeal not assigned to them is hidden"},
    {ROLE_EXECUTOR,
     ACT_APPEAL_ANSWER,
     ACT_APPEAL_READ,
     {1, 0},
     PERM_HIDDEN,
     "... so it cannot answer it either (404, not 403)"},
    {ROLE_EXECUTOR, ACT_APPEAL_READ, ACT_APPEAL_READ, {1, 1}, PERM_ALLOW, "reads own appeal"},
    {ROLE_EXECUTOR, ACT_APPEAL_ANSWER, ACT_APPEAL_READ, {1, 1}, PERM_ALLOW, "answers own"},
    {ROLE_EXECUTOR,
     ACT_APPEAL_EXTEND,
     ACT_APPEAL_READ,
     {1, 1},
     PERM_FORBIDDEN,
     "executor cannot extend the term (head only, АППК art. 76)"},
    {ROLE_EXECUTOR,
     ACT_APPEAL_ASSIGN,
     ACT_APPEAL_READ,
     {1, 1},
     PERM_FORBIDDEN,
     "executor cannot reassign"},
    /* head runs the body */
    {ROLE_HEAD, ACT_APPEAL_EXTEND, ACT_APPEAL_READ, {1, 0}, PERM_ALLOW, "head extends in body"},
    {ROLE_HEAD,
     ACT_APPEAL_EXTEND,
     ACT_APPEAL_READ,
     {0, 0},
     PERM_HIDDEN,
     "another body's appeal is hidden from a head"},
    {ROLE_HEAD, ACT_APPEAL_READ, ACT_APPEAL_READ, {0, 0}, PERM_HIDDEN, "... even to read"},
    {ROLE_HEAD, ACT_APPEAL_ASSIGN, ACT_APPEAL_READ, {1, 0}, PERM_ALLOW, "head assigns"},
    {ROLE_HEAD, ACT_APPEAL_ANSWER, ACT_APPEAL_READ, {1, 0}, PERM_ALLOW, "head signs answers"},
    {ROLE_HEAD,
     ACT_VIOLATION_ACT,
     ACT_VIOLATION_READ,
     {1, 0},
     PERM_ALLOW,
     "head decides violations (of bodies below: the service checks)"},
    /* supervisor: oblast control */
    {ROLE_SUPERVISOR,
     ACT_APPEAL_RETURN,
     ACT_APPEAL_READ,
     {0, 0},
     PERM_ALLOW,
     "supervisor returns for rework in any body"},
    {ROLE_SUPERVISOR, ACT_APPEAL_RETURN, ACT_APPEAL_READ, {1, 0}, PERM_ALLOW, "... and own"},
    {ROLE_SUPERVISOR,
     ACT_APPEAL_EXTEND,
     ACT_APPEAL_READ,
     {0, 0},
     PERM_FORBIDDEN,
     "supervisor cannot extend"},
    {ROLE_SUPERVISOR,
     ACT_APPEAL_EXTEND,
     ACT_APPEAL_READ,
     {1, 1},
     PERM_FORBIDDEN,
     "... even in own body"},
    {ROLE_SUPERVISOR,
     ACT_APPEAL_CONTROL,
     ACT_APPEAL_READ,
     {0, 0},
     PERM_ALLOW,
     "supervisor takes under control"},
    /* registrar enters appeals for its body */
    {ROLE_REGISTRAR,
     ACT_APPEAL_INTAKE,
     ACT_APPEAL_READ,
     {1, 0},
     PERM_ALLOW,
     "registrar intakes in own body"},
    {ROLE_REGISTRAR, ACT_APPEAL_INTAKE, ACT_APPEAL_READ, {0, 0}, DENIED, "... not in another body"},
    {ROLE_REGISTRAR,
     ACT_APPEAL_ANSWER,
     ACT_APPEAL_READ,
     {1, 0},
     PERM_FORBIDDEN,
     "registrar does not answer"},
    /* only admin manages users */
    {ROLE_ADMIN, ACT_USER_MANAGE, ACT_USER_MANAGE, {0, 0}, PERM_ALLOW, "admin manages users"},
    {ROLE_ADMIN, ACT_USER_MANAGE, ACT_USER_MANAGE, {1, 0}, PERM_ALLOW, "... of any body"},
    {ROLE_REGISTRAR, ACT_USER_MANAGE, ACT_USER_MANAGE, {1, 1}, DENIED, "registrar does not"},
    {ROLE_EXECUTOR, ACT_USER_MANAGE, ACT_USER_MANAGE, {1, 1}, DENIED, "executor does not"},
    {ROLE_HEAD, ACT_USER_MANAGE, ACT_USER_MANAGE, {1, 1}, DENIED, "head does not"},
    {ROLE_SUPERVISOR, ACT_USER_MANAGE, ACT_USER_MANAGE, {1, 1}, DENIED, "supervisor does not"},
    {ROLE_AUDITOR, ACT_USER_MANAGE, ACT_USER_MANAGE, {1, 1}, DENIED, "auditor does not"},
};

static void test_business_rules(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof rules / sizeof *rules; i++) {
        const rule_case_t *c = &rules[i];
        perm_t got = perm_decide(c->role, c->action, c->read_action, &c->obj);
        int ok = c->want == DENIED ? got != PERM_ALLOW : (int)got == c->want;
        if (!ok)
            fail_msg("rule '%s' (%s %s on {in_body=%d, assigned=%d}): %s, want %s", c->rule,
                     role_name(c->role), action_name(c->action), c->obj.in_body, c->obj.assigned,
                     perm_str(got), c->want == DENIED ? "403 or 404" : perm_str((perm_t)c->want));
    }
    /* user.manage is the admin's alone: no other role has any scope on it */
    for (int r = 0; r < ROLE_COUNT; r++)
        assert_int_equal(perm_scope((role_t)r, ACT_USER_MANAGE) != SCOPE_NONE, r == ROLE_ADMIN);
}

/* ==== Names ==== */

static void test_role_names(void **state)
{
    (void)state;
    for (int r = 0; r < ROLE_COUNT; r++) {
        const char *name = role_name((role_t)r);
        assert_non_null(name);
        assert_string_not_equal(name, "?");
        assert_int_equal(role_parse(name), r);
    }
    /* the names the CLI and the database use */
    assert_string_equal(role_name(ROLE_REGISTRAR), "registrar");
    assert_string_equal(role_name(ROLE_ADMIN), "admin");
    static const char *const bad[] = {
        "king",       /* no such role */
        "",           /* empty */
        "Admin",      /* names are case-sensitive */
        "admin ",     /* no trimming */
        "administr",  /* no prefix matching */
        "registrars", /* nor extension */
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        if (role_parse(bad[i]) != -1)
            fail_msg("role_parse(\"%s\") = %d, want -1", bad[i], role_parse(bad[i]));
    assert_int_equal(role_parse(NULL), -1);
}

static void test_action_names(void **state)
{
    (void)state;
    /* every action has its own name */
    for (int a = 0; a < ACT_COUNT; a++) {
        assert_non_null(action_name((action_t)a));
        assert_string_not_equal(action_name((action_t)a), "?");
        for (int b = 0; b < a; b++)
            assert_string_not_equal(action_name((action_t)a), action_name((action_t)b));
    }
    assert_string_equal(action_name(ACT_APPEAL_READ), "appeal.read");
    assert_string_equal(scope_name(SCOPE_NONE), "-");
    assert_string_equal(scope_name(SCOPE_OWN), "own");
    assert_string_equal(scope_name(SCOPE_BODY), "body");
    assert_string_equal(scope_name(SCOPE_ALL), "all");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_matrix_sweep), cmocka_unit_test(test_action_within_read),
        cmocka_unit_test(test_out_of_range), cmocka_unit_test(test_business_rules),
        cmocka_unit_test(test_role_names),   cmocka_unit_test(test_action_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
