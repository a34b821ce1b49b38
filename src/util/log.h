/* Logging: one line per event on stderr (journald takes each line as one entry), with a UTC
 * timestamp. Two formats (docs/operations.md "Logs"):
 *   text: 2026-12-01T06:00:00Z info serving ... | 2026-...Z access client=127.0.0.1 method=GET
 *         path=/healthz status=200 bytes=83 us=112
 *   json: {"time":"2026-12-01T06:00:00Z","level":"info","msg":"serving ..."} and for the
 *         access log {"time":...,"level":"access","client":"127.0.0.1","method":"GET",...}
 * Values that could break a line (control characters, quotes) are escaped in both. */
#ifndef OT_UTIL_LOG_H
#define OT_UTIL_LOG_H

#include <stddef.h>
#include <stdint.h>

enum log_format { LOG_TEXT, LOG_JSON };
/* Set once at start, before any thread logs. */
void log_set_format(enum log_format f);

void log_msg(const char *level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define log_info(...)  log_msg("info", __VA_ARGS__)
#define log_warn(...)  log_msg("warn", __VA_ARGS__)
#define log_error(...) log_msg("error", __VA_ARGS__)

/* One line of the access log: a request that finished (aborted: the client went away). */
void log_access(const char *client, const char *method, const char *path, int status, size_t bytes,
                int64_t us, int aborted);

/* Wall-clock microseconds since the epoch, a monotonic microsecond counter, and the CPU time
 * of the process (all its threads) in microseconds. */
int64_t clock_now_us(void);
int64_t clock_mono_us(void);
int64_t clock_cpu_us(void);

#endif
