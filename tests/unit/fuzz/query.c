/* Fuzz target: a URL query as the server reads it: split at '&' and '=' (as libmicrohttpd
 * does), each part %-decoded by our decoder (src/http/form.c url_unescape, which keeps
 * "%00"), then the staff list's filter parameters read from it (src/http/query.c). `make
 * fuzz` runs it with libFuzzer; `make test` replays its corpus, tests/fuzz/corpus/query/. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/form.h"
#include "http/query.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAXP 64

struct q {
    int n;
    char *k[MAXP], *v[MAXP];
};

static const char *get(void *ctx, const char *name)
{
    struct q *q = ctx;
    for (int i = 0; i < q->n; i++) /* the first, as MHD_lookup_connection_value */
        if (!strcmp(q->k[i], name))
            return *q->v[i] ? q->v[i] : NULL;
    return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    struct q q = {0};
    char *save = NULL;
    for (char *p = strtok_r(s, "&", &save); p && q.n < MAXP; p = strtok_r(NULL, "&", &save)) {
        char *eq = strchr(p, '=');
        char *v = eq ? eq + 1 : p + strlen(p);
        if (eq)
            *eq = '\0';
        size_t kl = strlen(p), vl = strlen(v);
        if (url_unescape(p) > kl || url_unescape(v) > vl)
            __builtin_trap(); /* decoding never lengthens */
        q.k[q.n] = p;
        q.v[q.n++] = v;
    }
    appeal_filter_t f;
    ot_err_t err;
    if (query_appeal_filter(get, &q, &f, &err) == OT_OK) {
        if (f.limit < 1 || f.limit > 500 || f.before_id < 0)
            __builtin_trap();
    } else if (!err.field[0])
        __builtin_trap(); /* every refusal names the parameter */
    free(s);
    return 0;
}

#ifndef OT_LIBFUZZER
#include "replay.h"

int main(void)
{
    return replay_main("tests/fuzz/corpus/query");
}
#endif
