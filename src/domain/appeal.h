/* The appeal: its vocabularies (kind, channel, applicant, decision) and its life as an
 * explicit transition table (appeal.c). Pure: no I/O.
 *
 *   registered --assign--> assigned --start--> in_work --answer--> answered --close--> closed
 *        |                    |                   |                   |
 *        +--- forward (to another body: registered there, same number) +--return--> in_work
 *        +--- extend (due date; status unchanged), control (oblast control; unchanged)
 *        +--- terminate (repeated without new arguments, withdrawn) --> terminated
 *   where the body's head requires his approval (body setting answer_approval), an
 *   executor's answer is held: in_work with an answer awaiting approval, then approve -->
 *   answered (released to the applicant) or return_answer --> in_work
 *   anonymous appeals that report no crime or threat: not_considered (АППК art. 89, rule
 *   SECONDARY in docs/law.md 1.7) */
#ifndef OT_DOMAIN_APPEAL_H
#define OT_DOMAIN_APPEAL_H

#include <stddef.h>

typedef enum appeal_status {
    ST_REGISTERED,
    ST_ASSIGNED,
    ST_IN_WORK,
    ST_ANSWERED,
    ST_CLOSED,
    ST_TERMINATED,
    ST_NOT_CONSIDERED,
    ST_COUNT
} appeal_status_t;

typedef enum appeal_action {
    AA_ASSIGN,
    AA_START,
    AA_ANSWER,
    AA_FORWARD,
    AA_EXTEND,
    AA_RETURN,
    AA_CLOSE,
    AA_TERMINATE,
    AA_CONTROL,
    AA_REQUEST_EXTENSION,   /* the executor asks the head for more time (proposed date, reasons) */
    AA_REFUSE_EXTENSION,    /* the head refuses such a request (reasons) */
    AA_RETURN_UNCONSIDERED, /* returned without consideration, on a ground of the data */
    AA_SUSPEND,             /* the term stops for a reasoned cause (an expert examination) */
    AA_RESUME,              /* ... and runs again, the days suspended added to it */
    AA_APPROVE,             /* the head releases an executor's answer held for his approval */
    AA_RETURN_ANSWER,       /* ... or returns it to the executor with a comment */
    AA_COUNT
} appeal_action_t;

/* Vocabularies: index <-> name. *_parse returns -1 for an unknown name. */
extern const char *const appeal_kinds[];      /* statement complaint proposal request ... */
extern const char *const appeal_channels[];   /* portal phone reception mail email open311 */
extern const char *const applicant_types[];   /* individual legal anonymous collective */
extern const char *const appeal_decisions[];  /* satisfied partly_satisfied refused explained */
extern const char *const terminate_reasons[]; /* repeated_no_new_arguments withdrawn */
/* A decision in words for the applicant, in language "kk" or else Russian ("удовлетворено");
 * the code itself when unknown. */
const char *appeal_decision_words(const char *decision, const char *language);

/* A termination reason in words for the applicant, likewise ("отозвано заявителем"). */
const char *appeal_terminate_words(const char *reason, const char *language);

/* The least an answer's text holds (code points): a reasoned answer, not "ok". */
#define ANSWER_MIN_CHARS 40
/* ... and its grounds: the facts found and the legal norms applied. */
#define ANSWER_GROUNDS_MIN_CHARS 10

int vocab_find(const char *const *vocab, const char *s);
size_t vocab_list(const char *const *vocab, char *out, size_t n); /* "a, b, c" */

const char *appeal_status_name(appeal_status_t s);
int appeal_status_parse(const char *s);
const char *appeal_action_name(appeal_action_t a);
int appeal_action_parse(const char *s);

/* The state after action in state from, or -1 when the action is not allowed there. */
int appeal_next(appeal_status_t from, appeal_action_t action);

/* An executor's answer waits for the head's approval before it is released: the body
 * requires it and the one answering is not its head. */
int appeal_answer_held(int body_requires_approval, int by_head);

/* Open = the term is running (registered, assigned, in work). */
int appeal_is_open(appeal_status_t s);

/* The actions allowed in a state, as names separated by ", " into out. */
size_t appeal_allowed(appeal_status_t from, char *out, size_t n);

#endif
