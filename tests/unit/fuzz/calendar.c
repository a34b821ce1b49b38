/* Fuzz target: the calendar data parser (src/domain/calendar.c; the calendar.txt of each
 * jurisdiction under data/) and the questions asked of what it accepts. `make fuzz` runs it with
 * libFuzzer; `make test` replays its corpus, tests/fuzz/corpus/calendar/ (replay.h). */
#include <stddef.h>
#include <stdint.h>

#include "domain/calendar.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cal_t *cal = NULL;
    ot_err_t err;
    if (cal_parse((const char *)data, size, &cal, &err) == OT_OK) {
        ot_day_t from, to;
        if (date_from_ymd(cal_first_year(cal), 1, 1, &from) ||
            date_from_ymd(cal_last_projected_year(cal), 12, 31, &to))
            to = from = 0;
        /* days of the first years it covers, at most two: each of the first and last
         * fortnights (year ends, transfers into January) and every 13th between (~80
         * questions an input instead of 2,200; the parse itself, under ASan and UBSan, keeps
         * the rate at ~700 inputs a second on a shared machine all the same) */
        ot_day_t end = to < from + 731 ? to : from + 731;
        for (ot_day_t d = from; d < end; d += d < from + 14 || d >= end - 14 ? 1 : 13) {
            (void)cal_is_working(cal, d);
            (void)cal_reason(cal, d);
            ot_day_t next;
            (void)cal_next_working_day(cal, d, &next, &err);
        }
    }
    cal_free(cal);
    return 0;
}

#ifndef OT_LIBFUZZER
#include "replay.h"

int main(void)
{
    return replay_main("tests/fuzz/corpus/calendar");
}
#endif
