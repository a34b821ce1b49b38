/* A jurisdiction as loaded from data/jurisdictions/<code>/: its working-day calendar and its
 * statutory terms. */
#ifndef OT_SERVICE_JURIS_H
#define OT_SERVICE_JURIS_H

#include <stdint.h>

#include "domain/calendar.h"
#include "domain/policy.h"
#include "domain/problem.h"
#include "util/err.h"

typedef struct juris {
    char code[8];     /* "kz" */
    cal_t *cal;       /* owned */
    policy_t *policy; /* owned */
    /* grounds to return an appeal without consideration (returns.tsv: code, text_kk,
     * text_ru, status, source); NULL when the jurisdiction's data has none. Owned. */
    struct tsv *returns;
    /* grouping appeals into problems (problems.tsv: key, value, source); the defaults of
     * domain/problem.c when the jurisdiction's data has none */
    problem_cfg_t problems;
    /* FNV-1a 64 of calendar.txt and terms.txt (in that order), so the app can notice that the
     * data changed (a late transfer order) and recompute running deadlines. */
    uint64_t fingerprint;
    char fingerprint_hex[17];
} juris_t;

/* Reads <data_dir>/jurisdictions/<code>/calendar.txt and terms.txt and parses them. code is
 * lower-case letters only (at most 7), so it cannot climb out of data_dir. On success the
 * caller frees *out with juris_free. Errors: OT_EINVAL "bad_jurisdiction" (field
 * "jurisdiction"), OT_ENOTFOUND "file_open", OT_EINVAL "calendar_syntax"/"policy_syntax"
 * (the message names the file and line), "juris_mismatch" when a file's jurisdiction line
 * names another code. */
int juris_load(const char *data_dir, const char *code, juris_t **out, ot_err_t *err);

/* Loads every jurisdiction folder under <data_dir>/jurisdictions (at most max), "kz" first
 * as the default. *n is the count. On failure frees what it loaded. */
int juris_load_all(const char *data_dir, juris_t **out, int max, int *n, ot_err_t *err);

/* Frees a jurisdiction with its calendar and policy. NULL is fine. */
void juris_free(juris_t *j);

#endif
