/* The appeal's transition table (src/domain/appeal.c), row by row. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "domain/appeal.h"

#define X -1

static void transitions(void **state)
{
    (void)state;
    static const struct {
        appeal_status_t from;
        appeal_action_t action;
        int to;
    } rows[] = {
        {ST_REGISTERED, AA_ASSIGN, ST_ASSIGNED},    /* the head assigns an executor */
        {ST_ASSIGNED, AA_ASSIGN, ST_ASSIGNED},      /* ... or another one */
        {ST_IN_WORK, AA_ASSIGN, ST_ASSIGNED},       /* reassigning restarts the work */
        {ST_REGISTERED, AA_START, X},               /* nobody to start it yet */
        {ST_ASSIGNED, AA_START, ST_IN_WORK},        /* the executor takes it in work */
        {ST_REGISTERED, AA_ANSWER, X},              /* no answer without an executor */
        {ST_ASSIGNED, AA_ANSWER, ST_ANSWERED},      /* a quick answer skips "in work" */
        {ST_IN_WORK, AA_ANSWER, ST_ANSWERED},       /* the usual way */
        {ST_ANSWERED, AA_ANSWER, X},                /* answered once; rework goes via return */
        {ST_REGISTERED, AA_FORWARD, ST_REGISTERED}, /* АППК art. 65: registered at the target */
        {ST_IN_WORK, AA_FORWARD, ST_REGISTERED},    /* competence found out late */
        {ST_ANSWERED, AA_FORWARD, X},               /* an answered appeal stays */
        {ST_ASSIGNED, AA_EXTEND, ST_ASSIGNED},      /* art. 76: the term moves, the state not */
        {ST_ANSWERED, AA_EXTEND, X},                /* nothing left to extend */
        {ST_ANSWERED, AA_RETURN, ST_IN_WORK},       /* the supervisor returns a formal answer */
        {ST_IN_WORK, AA_RETURN, X},                 /* nothing to return */
        {ST_ANSWERED, AA_CLOSE, ST_CLOSED},         /* closing follows an answer */
        {ST_IN_WORK, AA_CLOSE, X},                  /* never closed unanswered */
        {ST_REGISTERED, AA_TERMINATE, ST_TERMINATED},   /* withdrawn, repeated (art. 89) */
        {ST_ANSWERED, AA_TERMINATE, X},                 /* too late to terminate */
        {ST_ANSWERED, AA_CONTROL, ST_ANSWERED},         /* control can follow the answer */
        {ST_CLOSED, AA_CONTROL, X},                     /* a closed appeal is history */
        {ST_NOT_CONSIDERED, AA_ASSIGN, X},              /* anonymous: not considered, final */
        {ST_TERMINATED, AA_ASSIGN, X},                  /* final */
        {ST_IN_WORK, AA_REQUEST_EXTENSION, ST_IN_WORK}, /* asking moves nothing */
        {ST_REGISTERED, AA_REQUEST_EXTENSION, X},       /* only the assigned executor asks */
        {ST_ASSIGNED, AA_REFUSE_EXTENSION, ST_ASSIGNED},
        {ST_ANSWERED, AA_REQUEST_EXTENSION, X}, /* answered: no term to extend */
        {ST_IN_WORK, AA_APPROVE, ST_ANSWERED},  /* the head releases a held answer */
        {ST_ASSIGNED, AA_APPROVE, ST_ANSWERED},
        {ST_REGISTERED, AA_APPROVE, X},             /* no executor, no answer to approve */
        {ST_ANSWERED, AA_APPROVE, X},               /* released once */
        {ST_IN_WORK, AA_RETURN_ANSWER, ST_IN_WORK}, /* back to the executor, still in work */
        {ST_ANSWERED, AA_RETURN_ANSWER, X},         /* rework of a sent answer is "return" */
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        int got = appeal_next(rows[i].from, rows[i].action);
        if (got != rows[i].to)
            fail_msg("row %zu: %s + %s gave %d, want %d", i, appeal_status_name(rows[i].from),
                     appeal_action_name(rows[i].action), got, rows[i].to);
    }
}

static void final_states_allow_nothing(void **state)
{
    (void)state;
    const appeal_status_t finals[] = {ST_CLOSED, ST_TERMINATED, ST_NOT_CONSIDERED};
    for (size_t i = 0; i < 3; i++) {
        for (int a = 0; a < AA_COUNT; a++)
            assert_int_equal(appeal_next(finals[i], (appeal_action_t)a), -1);
        char allowed[128];
        assert_int_equal(appeal_allowed(finals[i], allowed, sizeof allowed), 0);
        assert_string_equal(allowed, "");
        assert_false(appeal_is_open(finals[i]));
    }
    char allowed[256];
    appeal_allowed(ST_REGISTERED, allowed, sizeof allowed);
    assert_string_equal(
        allowed,
        "assign, forward, extend, terminate, control, return_unconsidered, suspend, resume");
}

/* An executor's answer waits for the head only where the body requires it; the head's own
 * answer is released at once. */
static void answer_held(void **state)
{
    (void)state;
    assert_true(appeal_answer_held(1, 0));
    assert_false(appeal_answer_held(1, 1));
    assert_false(appeal_answer_held(0, 0));
    assert_false(appeal_answer_held(0, 1));
}

/* The applicant is told why in words, in the appeal's language. */
static void terminate_in_words(void **state)
{
    (void)state;
    assert_string_equal(appeal_terminate_words("withdrawn", "ru"), "отозвано заявителем");
    assert_string_equal(appeal_terminate_words("withdrawn", "kk"),
                        "өтініш беруші кері қайтарып алды");
    assert_non_null(
        strstr(appeal_terminate_words("repeated_no_new_arguments", "ru"), "без новых доводов"));
    assert_string_equal(appeal_terminate_words("other", "ru"), "other");
    for (int i = 0; terminate_reasons[i]; i++) /* every reason has its words */
        assert_string_not_equal(appeal_terminate_words(terminate_reasons[i], "kk"),
                                terminate_reasons[i]);
}

static void names_round_trip(void **state)
{
    (void)state;
    for (int s = 0; s < ST_COUNT; s++)
        assert_int_equal(appeal_status_parse(appeal_status_name((appeal_status_t)s)), s);
    for (int a = 0; a < AA_COUNT; a++)
        assert_int_equal(appeal_action_parse(appeal_action_name((appeal_action_t)a)), a);
    assert_int_equal(appeal_status_parse("flying"), -1);
    assert_int_equal(appeal_action_parse(NULL), -1);
    assert_int_equal(vocab_find(appeal_kinds, "complaint"), 1);
    assert_int_equal(vocab_find(appeal_kinds, "petition"), -1);
    char list[128];
    vocab_list(appeal_decisions, list, sizeof list);
    assert_string_equal(list, "satisfied, partly_satisfied, refused, explained");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(transitions),      cmocka_unit_test(final_states_allow_nothing),
        cmocka_unit_test(answer_held),      cmocka_unit_test(terminate_in_words),
        cmocka_unit_test(names_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
