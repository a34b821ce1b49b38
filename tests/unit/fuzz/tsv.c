/* Fuzz target: the TSV reader (src/util/tsv.c) that loads the region data. `make fuzz` runs
 * it with libFuzzer; `make test` replays its corpus, tests/fuzz/corpus/tsv/ (replay.h). */
#include <stddef.h>
#include <stdint.h>

#include "util/tsv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tsv_t *t = NULL;
    ot_err_t err;
    if (tsv_parse((const char *)data, size, "fuzz.tsv", &t, &err) == OT_OK) {
        /* every field of every row, by column name */
        for (size_t r = 0; r < t->n_rows; r++)
            for (size_t c = 0; c < t->n_cols; c++)
                (void)tsv_col(&t->rows[r], t->cols[c]);
        static const char *const need[] = {"id", "name", NULL};
        (void)tsv_require(t, need, &err);
    }
    tsv_free(t);
    return 0;
}

#ifndef OT_LIBFUZZER
#include "replay.h"

int main(void)
{
    return replay_main("tests/fuzz/corpus/tsv");
}
#endif
