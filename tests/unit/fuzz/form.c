/* Fuzz target: the Open311 form parser, application/x-www-form-urlencoded bodies of POST
 * requests.json/xml (src/http/form.c: form_parse, form_get, form_split_list as the handler
 * uses them). `make fuzz` runs it with libFuzzer; `make test` replays its corpus,
 * tests/fuzz/corpus/form/ (replay.h). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/form.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    form_t fm;
    char msg[160];
    if (form_parse(&fm, (const char *)data, size, msg, sizeof msg) == 0) {
        static const char *const names[] = {"api_key",        "service_code", "lat",   "long",
                                            "address_string", "description",  "email", NULL};
        for (int i = 0; names[i]; i++)
            (void)form_get(&fm, names[i]);
        for (int i = 0; i < fm.n; i++) {
            if (!*fm.key[i] || form_get(&fm, fm.key[i]) != (*fm.val[i] ? fm.val[i] : NULL))
                if (strcmp(fm.key[i] + strlen(fm.key[i]) - (strlen(fm.key[i]) > 1 ? 2 : 0), "[]"))
                    __builtin_trap(); /* a plain key is found, and is its own value */
            char *copy = strdup(fm.val[i]), *list[8];
            if (copy) {
                int n = form_split_list(copy, list, 8);
                for (int k = 0; k < n; k++)
                    if (!*list[k] || strchr(list[k], ','))
                        __builtin_trap();
                free(copy);
            }
        }
    } else if (!msg[0])
        __builtin_trap();
    form_free(&fm);
    return 0;
}

#ifndef OT_LIBFUZZER
#include "replay.h"

int main(void)
{
    return replay_main("tests/fuzz/corpus/form");
}
#endif
