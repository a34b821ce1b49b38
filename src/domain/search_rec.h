/* A hit of the full-text search (issue 17): plain values the store fills and the service
 * hands out (docs/layers.md). */
#ifndef OT_DOMAIN_SEARCH_REC_H
#define OT_DOMAIN_SEARCH_REC_H

#include <stdint.h>

/* What a hit is: the numbers are the low bits of the index's row id (id * 4 + kind) */
typedef enum { SEARCH_APPEAL = 0, SEARCH_ANSWER = 1, SEARCH_PROBLEM = 2 } search_kind_t;

typedef struct search_hit {
    search_kind_t kind;
    int64_t appeal_id; /* the appeal's id; a problem's id for SEARCH_PROBLEM */
    char number[40], status[16], body[64], category[64], registered_on[11], language[4];
    char state[20];    /* a problem's state (SEARCH_PROBLEM) */
    int64_t n_appeals; /* a problem's appeals (SEARCH_PROBLEM) */
    const char *text;  /* the matched text (the appeal's, its answer, or the problem's: its
                          title, personal data masked, and address); valid in the callback */
    double rank;       /* lower is better (bm25 negated; ts_rank negated on PostgreSQL) */
} search_hit_t;

/* What a search looks in: the caller's scope (one of them) and optional filters */
typedef struct search_filter {
    const char *scope_path; /* bodies under this path */
    int64_t executor;       /* only this executor's appeals, and the problems of their body: */
    const char *exec_path;  /* the executor's body's path (problems under it) */
    const char *status, *body;
    int kind; /* -1 any, else a search_kind_t */
    int limit, offset;
} search_filter_t;

#endif
