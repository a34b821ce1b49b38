/* Problems (issue 17): appeals about one real-world problem -- the same place, the same
 * category, a similar text -- grouped into one record, and the state of that record derived
 * from its appeals, the citizens' verdicts and the re-appeals. Pure: folding, word sets,
 * place keys, distances and the state rule; the thresholds come from data
 * (data/jurisdictions/<code>/problems.tsv), parsed with problem_cfg_set. */
#ifndef OT_DOMAIN_PROBLEM_H
#define OT_DOMAIN_PROBLEM_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

#define PROBLEM_FORMS_MAX    768
#define PROBLEM_CONCEPTS_MAX 128

typedef struct problem_cfg {
    int distance_m;         /* coordinates within this many metres: the same place */
    double similarity;      /* Dice similarity of the word sets at least this: the same issue */
    int group_days;         /* a problem takes new appeals this long after its last one */
    int reraise_days;       /* a new appeal this soon after an answer re-raises the problem */
    int stem_chars;         /* words are cut to this many letters (a crude stem) */
    int min_word_chars;     /* shorter words of a text are left out */
    char address_drop[512]; /* words of an address left out (folded, space-separated) */
    char address_flat[128]; /* flat words: left out with the number beside them */
    /* endings of an address's words made alike, "from>to" pairs (folded, space-separated):
     * a word of at least PROBLEM_END_MIN_CHARS letters ending in a "from" (the longest that
     * fits) ends in its "to" instead, so that the Russian genitive of a street's name and
     * the Kazakh name meet ("ул. Гагарина" and "Гагарин көшесі": "гагарин") */
    char address_ends[512];
    char stopwords[1024]; /* words of a text left out (folded, space-separated) */
    /* concepts shared by the languages (concepts.tsv): their forms, folded, sorted by form
     * for a binary search; each form is a whole word of one concept, a prefix of one, or
     * both. A word of a text that is a form of a concept counts as "=<id>" in its word set,
     * whatever its language, so that a Kazakh and a Russian appeal about one thing meet. */
    struct problem_form {
        char form[40];
        short whole, prefix; /* index in concept_ids, -1 none */
    } forms[PROBLEM_FORMS_MAX];
    int n_forms, n_concepts;
    char concept_ids[PROBLEM_CONCEPTS_MAX][32];
} problem_cfg_t;

extern const problem_cfg_t problem_default_cfg;

#define PROBLEM_END_MIN_CHARS 4

/* Sets one key of problems.tsv: distance_m, similarity, group_days, reraise_days,
 * stem_chars, min_word_chars, address_drop, address_flat, address_ends, stopwords. OT_EINVAL
 * "bad_problem_cfg" naming the key on an unknown key or a value out of range. */
int problem_cfg_set(problem_cfg_t *c, const char *key, const char *value, ot_err_t *err);

/* Adds a concept (a row of concepts.tsv): its id ([a-z0-9_], at most 31) and its forms in
 * one or more languages, space-separated (a trailing '*' makes a form a prefix). OT_EINVAL
 * "bad_concept" naming the field on a bad id, no forms, a form of two concepts, or a full
 * table. */
int problem_cfg_concept(problem_cfg_t *c, const char *id, const char *forms, ot_err_t *err);

/* The concept of one folded word (len bytes), written as "=<id>" into out; 0 when the word
 * is no concept's form. The longest matching form wins (the word itself as a whole-word form
 * before it as a prefix form). */
int problem_concept_of(const problem_cfg_t *c, const char *word, size_t len, char *out, size_t n);

/* Folds UTF-8 text for comparison: Latin and Cyrillic (Russian and Kazakh letters) to lower
 * case, ё to е, every character that is not a letter or a digit to one space. Writes at most
 * n - 1 bytes and a NUL; returns the length written. */
size_t problem_fold(const char *s, char *out, size_t n);

#define PROBLEM_WORDS_MAX 48

/* The word set of a text: a word that is a concept's form as "=<id>" (whatever its
 * length); the others of at least min_word_chars letters, not stopwords, each cut to
 * stem_chars letters; sorted and unique, space-separated into out (at most
 * PROBLEM_WORDS_MAX words). Returns the number of words. */
int problem_words(const problem_cfg_t *c, const char *text, char *out, size_t n);

/* Dice similarity 2|A n B| / (|A| + |B|) of two word sets as problem_words writes them (a
 * word matches an equal word or, when both have at least 4 letters in common, one it is a
 * prefix of: a stem shorter than stem_chars; a concept "=<id>" only the same concept); 0
 * when both are empty. */
double problem_similarity(const char *a, const char *b);

/* The place key of an address: folded, the words of address_drop left out, a flat word and
 * the number beside it left out ("г. Риддер, ул. Семёнова, д. 5, кв. 12" and "Риддер,
 * Семёнова 5" are both "риддер семенова 5"). "" when nothing is left. */
void problem_place_key(const problem_cfg_t *c, const char *address, char *out, size_t n);

/* 16 hex digits naming the settings the place key depends on (address_drop, address_flat,
 * address_ends): stored keys made under other settings are made again (problem_places_sync). */
void problem_place_fingerprint(const problem_cfg_t *c, char out[17]);

/* The grid cell of a point for the candidate lookup: cells are at least distance_m wide, so
 * every point within distance_m of a point lies in one of the 3 x 3 cells around its cell.
 * problem_cells_around writes those nine keys (cell keys are "c<i>:<j>", < 32 bytes). */
void problem_cell(const problem_cfg_t *c, double lat, double lon, char out[32]);
void problem_cells_around(const problem_cfg_t *c, double lat, double lon, char out[9][32]);

/* The great-circle distance in metres. */
double problem_distance_m(double lat1, double lon1, double lat2, double lon2);

/* ==== The citizen's verdict and the state ==== */

extern const char *const problem_verdicts[]; /* "yes", "partly", "no", NULL */
extern const char *const problem_states[];   /* "open", "solved_confirmed",
                                                 "solved_unconfirmed", "recurring", NULL */

/* Whether a verdict on a decision makes the problem recurring: "no" on a decision that
 * said the problem was solved (satisfied or partly_satisfied). */
int problem_verdict_recurs(const char *decision, const char *verdict);

/* Whether a decision is one on the merits (satisfied, partly_satisfied, refused,
 * explained), not an ending without one. */
int problem_decision_on_merits(const char *decision);

/* Whether a decision says the problem was solved (satisfied, partly_satisfied). */
int problem_decision_solves(const char *decision);

/* What the state of a problem is derived from: its appeals, the latest one, and how often it
 * came back. */
typedef struct problem_summary {
    int64_t n_appeals, n_open;
    int latest_open;          /* the latest appeal is still being handled */
    char latest_decision[20]; /* the latest appeal's decision ("" none) */
    char latest_verdict[8];   /* the citizen's verdict on it ("" none) */
    int64_t recurrences;      /* re-appeals within reraise_days after an answer, and "no"
                                 verdicts on a decision that said solved */
} problem_summary_t;

/* recurring: it came back (recurrences > 0) and the citizen has not since confirmed the
 * latest answer solved it; open: being handled, or the latest decision did not solve it;
 * solved_confirmed: the latest decision solved it and the citizen said yes;
 * solved_unconfirmed: the latest decision solved it, no verdict (or "partly"). */
const char *problem_state(const problem_summary_t *s);

/* The applicant of an appeal as a key for the repeat rule (issue 16 point 4): "id:<IIN/BIN>"
 * when given, else "np:<folded name>|<phone digits or folded e-mail>" when a name and a
 * phone or an e-mail are, else "" (no key: not matched). */
void problem_applicant_key(const char *id_number, const char *name, const char *phone,
                           const char *email, char *out, size_t n);

/* ==== Records ==== */

typedef struct problem_rec {
    int64_t id;
    char body[64], body_path[256], category[64], district[64];
    char place[200], cell[32];
    int has_coords;
    double lat, lon;
    char words[600];
    char title[300];   /* the first appeal's text, cut */
    char address[300]; /* the first appeal's address */
    char state[20];
    int confirmed; /* staff confirmed the grouping */
    int64_t n_appeals, n_open, recurrences;
    int64_t first_at, last_at, recurred_at, updated_at;
    int64_t merged_into;
} problem_rec_t;

typedef struct problem_filter {
    const char *body, *district, *category, *state;
    const char *scope_path; /* only problems of bodies under this path */
    int64_t min_appeals;
    int64_t since_us; /* last appeal at or after */
    const char *sort; /* "recent" (default), "appeals", "age" */
    /* the keyset cursor (after 0: the first page): the last row's keys in the sort's order,
     * last_at (recent) or first_at (appeals, age) in after_at, n_appeals in after_n */
    int after;
    int64_t after_n, after_at, after_id;
    int limit;
} problem_filter_t;

#endif
