/* The material demo data is made of: towns and streets of East Kazakhstan region, Kazakh and
 * Russian names, organisations, and appeal texts in Russian and Kazakh per category and kind.
 * Pure tables, no code: demo.c draws from them with its seeded generator. All strings are
 * static; lists of strings end with NULL. */
#ifndef OT_DEMO_DEMO_TEXT_H
#define OT_DEMO_DEMO_TEXT_H

#include <stddef.h>

/* A district of the region (code from data/regions/vko/districts.tsv) and its main town. */
typedef struct demo_town {
    const char *district;
    double weight;       /* share of appeals (roughly the population) */
    const char *ru, *kk; /* "г. Риддер", "Риддер қ." */
    int has_coords;
    double lat, lon;
} demo_town_t;

extern const demo_town_t demo_towns[];
extern const size_t demo_n_towns;

/* Streets: [i][0] Russian, [i][1] Kazakh. */
extern const char *const demo_streets[][2];
extern const size_t demo_n_streets;

/* Names. Surnames are in the masculine form ending in -ов/-ев/-ин: the feminine adds "а".
 * Patronymics: [i][0] masculine, [i][1] feminine. First names: [i][0] Cyrillic, [i][1] a
 * Latin spelling for e-mail addresses. */
extern const char *const demo_kz_surnames[], *const demo_ru_surnames[];
extern const char *const demo_kz_male[][2], *const demo_kz_female[][2];
extern const char *const demo_ru_male[][2], *const demo_ru_female[][2];
extern const char *const demo_kz_patronymics[][2], *const demo_ru_patronymics[][2];
extern const size_t demo_n_kz_male, demo_n_kz_female, demo_n_ru_male, demo_n_ru_female,
    demo_n_kz_patronymics, demo_n_ru_patronymics;

/* Organisations (legal applicants): the name in quotes, without the legal form. */
extern const char *const demo_org_names[];
extern const char *const demo_org_forms[]; /* "ТОО", "АО", "ОСИ", ... */

/* A category (code from categories.tsv) with its weight among statements, its season and
 * its texts. oblast_body is where a misrouted appeal of the category is forwarded. */
typedef struct demo_category {
    const char *code;
    double weight;
    int season; /* 1: heating season (October-April) weighs more; 2: the warm season does */
    int legal;  /* organisations write on it */
    const char *oblast_body;
    const char *const *ru, *const *kk;
} demo_category_t;

extern const demo_category_t demo_categories[];
extern const size_t demo_n_categories;

/* Appeals of the other kinds (proposal, request, report, response): each text names its
 * category. */
typedef struct demo_kind_text {
    const char *kind, *category, *ru, *kk;
} demo_kind_text_t;

extern const demo_kind_text_t demo_kind_texts[];
extern const size_t demo_n_kind_texts;

/* Closing sentences appended to statements: [i][0] Russian, [i][1] Kazakh. */
extern const char *const demo_closings[][2];
extern const size_t demo_n_closings;

/* Answers per decision (satisfied, partly_satisfied, refused, explained): [0] ru, [1] kk. */
typedef struct demo_answer {
    const char *decision, *ru, *kk, *grounds_ru, *grounds_kk;
} demo_answer_t;
extern const demo_answer_t demo_answers[];
extern const size_t demo_n_answers;

/* Chronic problems (issue 17): one place and one issue that people write about again and
 * again over the years (a heating main that bursts every winter, a road that floods). Each
 * has its district (a demo_towns code), category, address and a few wordings in each
 * language; weight is its share among the chronic appeals. */
typedef struct demo_chronic {
    const char *district, *category;
    double weight;
    const char *address_ru, *address_kk;
    const char *ru[3], *kk[2];
} demo_chronic_t;
extern const demo_chronic_t demo_chronic[];
extern const size_t demo_n_chronic;

/* Format strings with one %s (the number of the appeal complained about). */
extern const char *const demo_complaint_answer[2], *const demo_complaint_overdue[2];
/* Prefix of a collective appeal. */
extern const char *const demo_collective_prefix[2];

#endif
