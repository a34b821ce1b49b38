/* Logging to stderr, one line per call, with a UTC timestamp. */
#ifndef OT_UTIL_LOG_H
#define OT_UTIL_LOG_H

#include <stdint.h>

void log_msg(const char *level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define log_info(...)  log_msg("info", __VA_ARGS__)
#define log_warn(...)  log_msg("warn", __VA_ARGS__)
#define log_error(...) log_msg("error", __VA_ARGS__)

/* Wall-clock microseconds since the epoch, and a monotonic microsecond counter. */
int64_t clock_now_us(void);
int64_t clock_mono_us(void);

#endif
