/* Civil dates and instants, without I/O or the C library's time zone machinery.
 *
 * A civil date is an ot_day_t: days since 1970-01-01 (day 0 = Thursday). An instant is an
 * int64_t count of microseconds since 1970-01-01T00:00:00Z. Deadline dates are civil dates
 * in the jurisdiction's zone (docs/design.md), so the only bridge between the two is a fixed UTC
 * offset in minutes supplied by the caller (the calendar file carries it). All functions are
 * pure; the proleptic Gregorian calendar is used for every year 0001..9999. */
#ifndef OT_DOMAIN_DATE_H
#define OT_DOMAIN_DATE_H

#include <stddef.h>
#include <stdint.h>

typedef int32_t ot_day_t;

/* "No date" marker for optional date fields. */
#define OT_DAY_NONE INT32_MIN

#define DATE_MIN_YEAR 1
#define DATE_MAX_YEAR 9999

/* 1 if y is a Gregorian leap year. */
int date_is_leap(int y);

/* Days in month m (1..12) of year y; 0 for a bad month. */
int date_days_in_month(int y, int m);

/* y-m-d -> day number. Returns OT_OK, or OT_EINVAL if the date does not exist
 * (2026-02-30) or the year is outside DATE_MIN_YEAR..DATE_MAX_YEAR. */
int date_from_ymd(int y, int m, int d, ot_day_t *out);

/* Day number -> y, m (1..12), d (1..31). Any pointer may be NULL. */
void date_to_ymd(ot_day_t day, int *y, int *m, int *d);

/* The year of a day number. */
int date_year(ot_day_t day);

/* ISO weekday: 1 = Monday .. 7 = Sunday. */
int date_weekday(ot_day_t day);

/* "mon".."sun" for ISO weekday 1..7; "?" otherwise. Static storage. */
const char *date_weekday_name(int iso_wd);

/* Strict "YYYY-MM-DD": exactly 10 characters, digits where digits belong, an existing
 * date. Returns OT_OK or OT_EINVAL (*out untouched on error). */
int date_parse(const char *s, ot_day_t *out);

/* Writes "YYYY-MM-DD" and a NUL into out. */
void date_format(ot_day_t day, char out[11]);

/* Adds months to a date, clamping the day to the end of the target month
 * (2026-01-31 + 1 month = 2026-02-28). Returns OT_EINVAL if the result leaves 1..9999. */
int date_add_months(ot_day_t day, int months, ot_day_t *out);

/* Strict ISO 8601 instant: "YYYY-MM-DDTHH:MM:SS[.f{1,9}](Z|+HH:MM|-HH:MM)". Seconds are
 * required; a fraction is truncated to microseconds; a lower-case 't'/'z' or a missing
 * offset is refused, because an instant without a zone is ambiguous. Returns OT_OK or
 * OT_EINVAL. offset_min, if not NULL, receives the offset written in the text. */
int instant_parse_offset(const char *s, int64_t *us, int *offset_min);

/* instant_parse_offset without the offset. */
int instant_parse(const char *s, int64_t *us);

/* Formats an instant in a fixed offset: "2026-03-20T17:00:00+05:00" (offset 0 gives "Z");
 * microseconds are written only when not zero (".250000"). Returns OT_OK, or OT_EINVAL if
 * n is too small (33 bytes are always enough) or the offset is beyond +-18:00. */
int instant_format(int64_t us, int offset_min, char *out, size_t n);

/* The civil date of an instant at a fixed UTC offset. */
ot_day_t instant_local_day(int64_t us, int offset_min);

/* Minutes since local midnight (0..1439) of an instant at a fixed UTC offset. */
int instant_local_minute(int64_t us, int offset_min);

/* The instant of local time day + minute at a fixed UTC offset. */
int64_t instant_from_local(ot_day_t day, int minute, int offset_min);

/* Parses "HH:MM" (00:00..23:59, or 24:00 meaning end of day) into minutes. OT_OK/OT_EINVAL. */
int date_parse_hhmm(const char *s, int *minutes);

#endif
