/* The kept corpus of a libFuzzer target, replayed as a unit test.
 *
 * A file under tests/unit/fuzz/ is both a fuzz target and a unit test: it defines
 * LLVMFuzzerTestOneInput, and unless built by `make fuzz` (-DOT_LIBFUZZER, libFuzzer brings
 * its own main) it includes this header and replays tests/fuzz/corpus/NAME/ through it, so
 * `make test` runs every input libFuzzer kept under the sanitizer build too. The corpus is
 * found from the repository root, where tests/run.sh runs the tests. */
#ifndef OT_TESTS_FUZZ_REPLAY_H
#define OT_TESTS_FUZZ_REPLAY_H

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *replay_dir;

static void replay_corpus(void **state)
{
    (void)state;
    DIR *d = opendir(replay_dir);
    if (!d)
        fail_msg("no corpus at %s (run from the repository root)", replay_dir);
    struct dirent *e;
    int n = 0;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", replay_dir, e->d_name);
        FILE *f = fopen(path, "rb");
        assert_non_null(f);
        uint8_t *buf = malloc(1 << 20);
        size_t len = fread(buf, 1, 1 << 20, f);
        fclose(f);
        LLVMFuzzerTestOneInput(buf, len);
        free(buf);
        n++;
    }
    closedir(d);
    assert_true(n > 0);
}

static int replay_main(const char *dir)
{
    replay_dir = dir;
    const struct CMUnitTest tests[] = {cmocka_unit_test(replay_corpus)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}

#endif
