/* Fuzz target: the JSON intake parser, the body of POST /api/v1/appeals as the server reads
 * it (jansson with duplicate keys refused, then src/http/intake.c into an intake_t). `make
 * fuzz` runs it with libFuzzer; `make test` replays its corpus, tests/fuzz/corpus/intake/. */
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "http/intake.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_error_t je;
    json_t *b = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &je);
    if (!json_is_object(b)) {
        json_decref(b);
        return 0;
    }
    intake_t in;
    ot_err_t err;
    if (intake_parse(b, &in, &err) == OT_OK) {
        /* what the service reads of it */
        if (!in.kind || !in.category || !in.language || !in.text || !in.applicant_type ||
            !in.channel)
            __builtin_trap();
        for (size_t i = 0; i < in.n_signatures; i++)
            if (!in.sig_names[i] || strlen(in.sig_names[i]) > 300 * 4)
                __builtin_trap();
    } else if (!err.code[0])
        __builtin_trap(); /* every refusal names its reason */
    intake_free(&in);
    json_decref(b);
    return 0;
}

#ifndef OT_LIBFUZZER
#include "replay.h"

int main(void)
{
    return replay_main("tests/fuzz/corpus/intake");
}
#endif
