#include "domain/appeal.h"

#include <stdio.h>
#include <string.h>

/* АППК art. 4 forms of appeal (docs/law.md 1.2). */
const char *const appeal_kinds[] = {"statement", "complaint", "proposal", "request",
                                    "response",  "report",    NULL};
const char *const appeal_channels[] = {"portal", "phone",   "reception", "mail",
                                       "email",  "open311", NULL};
const char *const applicant_types[] = {"individual", "legal", "anonymous", "collective", NULL};
/* Old-law practice (docs/law.md 1.7): full or partial satisfaction, refusal, explanation. */
const char *const appeal_decisions[] = {"satisfied", "partly_satisfied", "refused", "explained",
                                        NULL};
const char *const terminate_reasons[] = {"repeated_no_new_arguments", "withdrawn", NULL};

static const char *const status_names[ST_COUNT] = {
    "registered", "assigned", "in_work", "answered", "closed", "terminated", "not_considered"};

static const char *const action_names[AA_COUNT] = {"assign",
                                                   "start",
                                                   "answer",
                                                   "forward",
                                                   "extend",
                                                   "return",
                                                   "close",
                                                   "terminate",
                                                   "control",
                                                   "request_extension",
                                                   "refuse_extension",
                                                   "return_unconsidered",
                                                   "suspend",
                                                   "resume",
                                                   "approve",
                                                   "return_answer"};

#define X -1
/* clang-format off */
/* next[action][from] = the new state, or X when not allowed. */
static const signed char next[AA_COUNT][ST_COUNT] = {
    /*              registered     assigned       in_work        answered     closed term nc */
    [AA_ASSIGN]    = {ST_ASSIGNED,   ST_ASSIGNED,   ST_ASSIGNED,   X,           X,     X,   X},
    [AA_START]     = {X,             ST_IN_WORK,    X,             X,           X,     X,   X},
    [AA_ANSWER]    = {X,             ST_ANSWERED,   ST_ANSWERED,   X,           X,     X,   X},
    [AA_FORWARD]   = {ST_REGISTERED, ST_REGISTERED, ST_REGISTERED, X,           X,     X,   X},
    [AA_EXTEND]    = {ST_REGISTERED, ST_ASSIGNED,   ST_IN_WORK,    X,           X,     X,   X},
    [AA_RETURN]    = {X,             X,             X,             ST_IN_WORK,  X,     X,   X},
    [AA_CLOSE]     = {X,             X,             X,             ST_CLOSED,   X,     X,   X},
    [AA_TERMINATE] = {ST_TERMINATED, ST_TERMINATED, ST_TERMINATED, X,           X,     X,   X},
    [AA_CONTROL]   = {ST_REGISTERED, ST_ASSIGNED,   ST_IN_WORK,    ST_ANSWERED, X,     X,   X},
    [AA_REQUEST_EXTENSION] = {X,     ST_ASSIGNED,   ST_IN_WORK,    X,           X,     X,   X},
    [AA_REFUSE_EXTENSION]  = {X,     ST_ASSIGNED,   ST_IN_WORK,    X,           X,     X,   X},
    [AA_RETURN_UNCONSIDERED] = {ST_NOT_CONSIDERED, ST_NOT_CONSIDERED, ST_NOT_CONSIDERED,
                                X,           X,     X,   X},
    [AA_SUSPEND]   = {ST_REGISTERED, ST_ASSIGNED,   ST_IN_WORK,    X,           X,     X,   X},
    [AA_RESUME]    = {ST_REGISTERED, ST_ASSIGNED,   ST_IN_WORK,    X,           X,     X,   X},
    /* only with an answer awaiting approval (the service checks): a held answer leaves the
     * appeal in work */
    [AA_APPROVE]   = {X,             ST_ANSWERED,   ST_ANSWERED,   X,           X,     X,   X},
    [AA_RETURN_ANSWER] = {X,         ST_IN_WORK,    ST_IN_WORK,    X,           X,     X,   X},
};
/* clang-format on */

int vocab_find(const char *const *vocab, const char *s)
{
    for (int i = 0; s && vocab[i]; i++)
        if (strcmp(vocab[i], s) == 0)
            return i;
    return -1;
}

size_t vocab_list(const char *const *vocab, char *out, size_t n)
{
    size_t used = 0;
    if (n)
        out[0] = '\0';
    for (int i = 0; vocab[i] && used < n; i++) {
        int w = snprintf(out + used, n - used, "%s%s", i ? ", " : "", vocab[i]);
        if (w < 0)
            break;
        used += (size_t)w;
    }
    return used < n ? used : n - 1;
}

const char *appeal_status_name(appeal_status_t s)
{
    return (unsigned)s < ST_COUNT ? status_names[s] : "?";
}

int appeal_status_parse(const char *s)
{
    for (int i = 0; s && i < ST_COUNT; i++)
        if (strcmp(status_names[i], s) == 0)
            return i;
    return -1;
}

const char *appeal_action_name(appeal_action_t a)
{
    return (unsigned)a < AA_COUNT ? action_names[a] : "?";
}

int appeal_action_parse(const char *s)
{
    for (int i = 0; s && i < AA_COUNT; i++)
        if (strcmp(action_names[i], s) == 0)
            return i;
    return -1;
}

int appeal_next(appeal_status_t from, appeal_action_t action)
{
    if ((unsigned)from >= ST_COUNT || (unsigned)action >= AA_COUNT)
        return -1;
    return next[action][from];
}

int appeal_answer_held(int body_requires_approval, int by_head)
{
    return body_requires_approval && !by_head;
}

int appeal_is_open(appeal_status_t s)
{
    return s == ST_REGISTERED || s == ST_ASSIGNED || s == ST_IN_WORK;
}

size_t appeal_allowed(appeal_status_t from, char *out, size_t n)
{
    size_t used = 0;
    if (n)
        out[0] = '\0';
    for (int a = 0; a < AA_COUNT; a++) {
        if (appeal_next(from, (appeal_action_t)a) < 0)
            continue;
        int w = snprintf(out + used, n - used, "%s%s", used ? ", " : "", action_names[a]);
        if (w < 0 || (size_t)w >= n - used)
            break;
        used += (size_t)w;
    }
    return used;
}

const char *appeal_decision_words(const char *decision, const char *language)
{
    static const char *const words[][3] = {
        {"satisfied", "қанағаттандырылды", "удовлетворено"},
        {"partly_satisfied", "ішінара қанағаттандырылды", "удовлетворено частично"},
        {"refused", "бас тартылды", "отказано"},
        {"explained", "түсіндірілді", "разъяснено"},
    };
    int kk = language && !strcmp(language, "kk");
    for (size_t i = 0; decision && i < sizeof words / sizeof words[0]; i++)
        if (!strcmp(words[i][0], decision))
            return words[i][kk ? 1 : 2];
    return decision ? decision : "";
}

const char *appeal_terminate_words(const char *reason, const char *language)
{
    static const char *const words[][3] = {
        {"repeated_no_new_arguments",
         "бұрын мәні бойынша шешілген мәселе бойынша жаңа дәлелдерсіз қайталама өтініш",
         "повторное обращение без новых доводов по вопросу, ранее решённому по существу"},
        {"withdrawn", "өтініш беруші кері қайтарып алды", "отозвано заявителем"},
    };
    int kk = language && !strcmp(language, "kk");
    for (size_t i = 0; reason && i < sizeof words / sizeof words[0]; i++)
        if (!strcmp(words[i][0], reason))
            return words[i][kk ? 1 : 2];
    return reason ? reason : "";
}
