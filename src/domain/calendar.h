/* Working-day calendar of one jurisdiction, parsed from a text file (format:
 * data/jurisdictions/README.md, design: docs/calendar.md).
 *
 * The file gives the weekly days off, the annual and dated holidays, the days off that never
 * carry over, the carry-over rule (a holiday on a weekly day off moves the day off to the next
 * working day) and the transfer orders. cal_parse expands all of it once into tables covering
 * every day of the declared years, so that every query below is O(1).
 *
 * A "project N" line extends the tables N years past the published ones with what the law
 * fixes every year (weekly days off, annual holidays and days off, the carry-over rule). What
 * is decided year by year (transfer orders, the date of Kurban Ait) cannot be projected: the
 * file names it on "unknown" lines, and every date in a projected year is provisional until
 * the year is published (a change of the years line, which recomputes running terms). A day
 * outside the published and projected years is an error ("calendar_out_of_range"), never a
 * guess.
 *
 * The engine knows no country: everything that differs between jurisdictions is data. */
#ifndef OT_DOMAIN_CALENDAR_H
#define OT_DOMAIN_CALENDAR_H

#include <stddef.h>

#include "domain/date.h"
#include "util/err.h"

typedef struct cal cal_t;

/* Why a day is what it is. The order is the precedence used by cal_reason. */
typedef enum cal_kind {
    CAL_HOLIDAY = 1,   /* a public holiday (non-working) */
    CAL_DAYOFF,        /* a day off that is not a holiday and never carries over */
    CAL_TRANSFER_OFF,  /* a day off by a transfer order (or a one-off "off" line) */
    CAL_CARRYOVER,     /* a day off carried over from a holiday that fell on a weekly day off */
    CAL_WEEKEND,       /* a weekly day off */
    CAL_TRANSFER_WORK, /* a weekly day off made a working day by a transfer order */
} cal_kind_t;

typedef struct cal_mark {
    cal_kind_t kind;
    const char *name;   /* holiday or order name as written in the data; "Saturday"... */
    ot_day_t related;   /* carry-over: the holiday; transfer: the other day; else OT_DAY_NONE */
    const char *status; /* "confirmed" | "secondary" | "unconfirmed" (of the data line) */
    const char *source; /* the legal source written on the data line */
    const char *reason; /* one English sentence, e.g. "day off carried over from holiday ..." */
} cal_mark_t;

/* One day with everything the data says about it. Pointers are owned by the calendar. */
typedef struct cal_day_info {
    ot_day_t day;
    int working;
    const cal_mark_t *marks; /* most important first */
    size_t n_marks;
} cal_day_info_t;

/* Parses a calendar file held in text[0..len). On success *out is a new calendar that the
 * caller frees with cal_free; the calendar keeps its own copy of the text. On failure returns
 * OT_EINVAL with code "calendar_syntax" (or "calendar_conflict") and a message that starts
 * with "line N:". */
int cal_parse(const char *text, size_t len, cal_t **out, ot_err_t *err);

/* Frees a calendar and everything it owns. NULL is fine. */
void cal_free(cal_t *cal);

/* The "jurisdiction" line of the file ("kz"); "" if absent. */
const char *cal_jurisdiction(const cal_t *cal);
int cal_first_year(const cal_t *cal);
int cal_last_year(const cal_t *cal); /* the last published year */

/* The last year the tables cover: cal_last_year (the published data) plus the projected
 * years. */
int cal_last_projected_year(const cal_t *cal);

/* 1 if day lies in a projected year (computed from the annual rules only), else 0. */
int cal_is_provisional(const cal_t *cal, ot_day_t day);

/* What a projected year cannot know (the "unknown" lines): up to max names into names[];
 * returns how many there are. The strings belong to the calendar. */
size_t cal_unknowns(const cal_t *cal, const char **names, size_t max);

/* The source written on the "project" line, or NULL when nothing is projected. */
const char *cal_projection_source(const cal_t *cal);

/* The jurisdiction's fixed offset from UTC in minutes (+300 for UTC+05:00). */
int cal_utc_offset_min(const cal_t *cal);

/* OT_OK if day lies in the declared years, else OT_EINVAL code "calendar_out_of_range"
 * naming the year. */
int cal_check_range(const cal_t *cal, ot_day_t day, ot_err_t *err);

/* 1 if day is a working day, 0 if not, -1 if it is outside the data. */
int cal_is_working(const cal_t *cal, ot_day_t day);

/* Why day is not a working day (the most important reason: holiday, non-carrying day off,
 * transfer order, carry-over, weekend), or NULL when it is a working day or outside the
 * data. Owned by the calendar. */
const char *cal_reason(const cal_t *cal, ot_day_t day);

/* Everything the data says about day (also for working days, e.g. a worked Saturday).
 * *out points into the calendar; returns the count (0 outside the data). */
size_t cal_marks(const cal_t *cal, ot_day_t day, const cal_mark_t **out);

/* The first working day strictly after day. */
int cal_next_working_day(const cal_t *cal, ot_day_t day, ot_day_t *out, ot_err_t *err);

/* day itself if it is a working day, else the next working day. */
int cal_working_on_or_after(const cal_t *cal, ot_day_t day, ot_day_t *out, ot_err_t *err);

/* The n-th working day after from (n > 0), the |n|-th working day before from (n < 0), or
 * cal_working_on_or_after(from) for n == 0. "After" follows the usual counting of terms: the
 * day after from is the first day that can count (docs/law.md 1.9). Afterwards
 * cal_count_working_days(from, *out) == n for n != 0. O(1). */
int cal_add_working_days(const cal_t *cal, ot_day_t from, int n, ot_day_t *out, ot_err_t *err);

/* The number of working days in (a, b]: after a, up to and including b; negative when
 * b < a. O(1). */
int cal_count_working_days(const cal_t *cal, ot_day_t a, ot_day_t b, int *n, ot_err_t *err);

/* A term of n calendar days from `from`: from + n, moved to the next working day when it
 * falls on a non-working day (Civil Code convention, RU Civil Code art. 193). */
int cal_add_calendar_days_to_working(const cal_t *cal, ot_day_t from, int n, ot_day_t *out,
                                     ot_err_t *err);

/* The non-working days of year with their reasons, in date order. *out is a malloc'd array
 * the caller frees with free() (the marks inside it belong to the calendar). */
int cal_year_non_working(const cal_t *cal, int year, cal_day_info_t **out, size_t *n,
                         ot_err_t *err);

/* The number of working days in year. */
int cal_year_working_count(const cal_t *cal, int year, int *n, ot_err_t *err);

/* "holiday", "day_off", "transfer_off", "carry_over", "weekend", "transfer_work". */
const char *cal_kind_name(cal_kind_t kind);

#endif
