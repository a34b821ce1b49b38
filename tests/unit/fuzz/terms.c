/* Fuzz target: the terms data parser (src/domain/policy.c; the terms.txt of each jurisdiction
 * under data/) and the questions asked of what it accepts. `make fuzz` runs it with libFuzzer;
 * `make test` replays its corpus, tests/fuzz/corpus/terms/ (replay.h). */
#include <stddef.h>
#include <stdint.h>

#include "domain/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    policy_t *p = NULL;
    ot_err_t err;
    if (policy_parse((const char *)data, size, &p, &err) == OT_OK) {
        (void)policy_jurisdiction(p);
        for (size_t i = 0; i < policy_kind_count(p); i++) {
            const policy_kind_t *k = policy_kind_at(p, i);
            if (policy_find_kind(p, k->id) == NULL)
                __builtin_trap(); /* every kind listed is found by its id */
            (void)policy_unit_name(k->term.unit);
        }
        (void)policy_find_kind(p, "*");
    }
    policy_free(p);
    return 0;
}

#ifndef OT_LIBFUZZER
#include "replay.h"

int main(void)
{
    return replay_main("tests/fuzz/corpus/terms");
}
#endif
