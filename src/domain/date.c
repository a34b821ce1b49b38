#include "domain/date.h"

#include <stdio.h>
#include <string.h>

#include "util/err.h"

#define US_PER_MIN INT64_C(60000000)
#define US_PER_DAY (INT64_C(86400) * INT64_C(1000000))

int date_is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int date_days_in_month(int y, int m)
{
    static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12)
        return 0;
    return dim[m - 1] + (m == 2 && date_is_leap(y));
}

/* Howard Hinnant's days_from_civil: exact for the whole proleptic Gregorian range, no loops
 * (http://howardhinnant.github.io/date_algorithms.html). */
static ot_day_t days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (ot_day_t)(era * 146097 + doe - 719468);
}

int date_from_ymd(int y, int m, int d, ot_day_t *out)
{
    if (y < DATE_MIN_YEAR || y > DATE_MAX_YEAR || m < 1 || m > 12 || d < 1 ||
        d > date_days_in_month(y, m))
        return OT_EINVAL;
    *out = days_from_civil(y, m, d);
    return OT_OK;
}

void date_to_ymd(ot_day_t day, int *y, int *m, int *d)
{
    int z = day + 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    int dd = doy - (153 * mp + 2) / 5 + 1;
    int mm = mp < 10 ? mp + 3 : mp - 9;
    int yy = yoe + era * 400 + (mm <= 2);
    if (y)
        *y = yy;
    if (m)
        *m = mm;
    if (d)
        *d = dd;
}

int date_year(ot_day_t day)
{
    int y;
    date_to_ymd(day, &y, NULL, NULL);
    return y;
}

int date_weekday(ot_day_t day)
{
    /* 1970-01-01 was a Thursday (ISO 4). */
    int r = (int)((day % 7 + 7) % 7); /* 0 = Thursday */
    return (r + 3) % 7 + 1;
}

const char *date_weekday_name(int iso_wd)
{
    static const char *names[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    return iso_wd >= 1 && iso_wd <= 7 ? names[iso_wd - 1] : "?";
}

/* Reads exactly n ASCII digits; -1 if any is not a digit. */
static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

/* Parses the "YYYY-MM-DD" prefix of s (no check of what follows). */
static int parse_ymd_prefix(const char *s, ot_day_t *out)
{
    if (strnlen(s, 10) < 10 || s[4] != '-' || s[7] != '-')
        return OT_EINVAL;
    int y = digits(s, 4), m = digits(s + 5, 2), d = digits(s + 8, 2);
    if (y < 0 || m < 0 || d < 0)
        return OT_EINVAL;
    return date_from_ymd(y, m, d, out);
}

int date_parse(const char *s, ot_day_t *out)
{
    ot_day_t d;
    if (!s || strnlen(s, 11) != 10 || parse_ymd_prefix(s, &d) != OT_OK)
        return OT_EINVAL;
    *out = d;
    return OT_OK;
}

void date_format(ot_day_t day, char out[11])
{
    int y, m, d;
    date_to_ymd(day, &y, &m, &d);
    /* Years are 1..9999 for every day this code produces; clamp so the output never overflows
     * the 11-byte buffer even for a corrupt day number. */
    if (y < 0 || y > 9999)
        y = 0;
    /* by hand: snprintf was 1 % of a demo load, which formats a date for every step */
    char *o = out;
    for (int v = y, k = 1000; k; k /= 10)
        *o++ = (char)('0' + v / k % 10);
    *o++ = '-';
    *o++ = (char)('0' + m / 10);
    *o++ = (char)('0' + m % 10);
    *o++ = '-';
    *o++ = (char)('0' + d / 10);
    *o++ = (char)('0' + d % 10);
    out[10] = '\0';
}

int date_add_months(ot_day_t day, int months, ot_day_t *out)
{
    int y, m, d;
    date_to_ymd(day, &y, &m, &d);
    long total = (long)y * 12 + (m - 1) + months;
    int ny = (int)(total / 12), nm = (int)(total % 12) + 1;
    if (total < 0 || ny < DATE_MIN_YEAR || ny > DATE_MAX_YEAR)
        return OT_EINVAL;
    int dim = date_days_in_month(ny, nm);
    return date_from_ymd(ny, nm, d > dim ? dim : d, out);
}

int instant_parse_offset(const char *s, int64_t *us, int *offset_min)
{
    ot_day_t day;
    if (!s || parse_ymd_prefix(s, &day) != OT_OK || s[10] != 'T')
        return OT_EINVAL;
    const char *p = s + 11;
    if (strnlen(p, 8) < 8 || p[2] != ':' || p[5] != ':')
        return OT_EINVAL;
    int hh = digits(p, 2), mi = digits(p + 3, 2), ss = digits(p + 6, 2);
    /* No leap second: 23:59:60 cannot be represented in a POSIX-style count. */
    if (hh < 0 || hh > 23 || mi < 0 || mi > 59 || ss < 0 || ss > 59)
        return OT_EINVAL;
    p += 8;
    int64_t frac = 0;
    if (*p == '.' || *p == ',') {
        int n = 0;
        p++;
        while (*p >= '0' && *p <= '9') {
            if (n < 6)
                frac = frac * 10 + (*p - '0');
            n++;
            p++;
        }
        if (n == 0 || n > 9)
            return OT_EINVAL;
        for (int i = n; i < 6; i++)
            frac *= 10;
    }
    int off;
    if (*p == 'Z') {
        off = 0;
        p++;
    } else if (*p == '+' || *p == '-') {
        if (strnlen(p, 6) < 6 || p[3] != ':')
            return OT_EINVAL;
        int oh = digits(p + 1, 2), om = digits(p + 4, 2);
        if (oh < 0 || oh > 18 || om < 0 || om > 59 || (oh == 18 && om != 0))
            return OT_EINVAL;
        off = (oh * 60 + om) * (*p == '-' ? -1 : 1);
        p += 6;
    } else {
        return OT_EINVAL;
    }
    if (*p != '\0')
        return OT_EINVAL;
    int64_t local =
        (int64_t)day * US_PER_DAY + ((int64_t)hh * 3600 + mi * 60 + ss) * 1000000 + frac;
    *us = local - (int64_t)off * US_PER_MIN;
    if (offset_min)
        *offset_min = off;
    return OT_OK;
}

int instant_parse(const char *s, int64_t *us)
{
    return instant_parse_offset(s, us, NULL);
}

/* Floor division: instants before 1970 still land on the right day. */
static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

ot_day_t instant_local_day(int64_t us, int offset_min)
{
    return (ot_day_t)floor_div(us + (int64_t)offset_min * US_PER_MIN, US_PER_DAY);
}

int instant_local_minute(int64_t us, int offset_min)
{
    int64_t local = us + (int64_t)offset_min * US_PER_MIN;
    int64_t in_day = local - floor_div(local, US_PER_DAY) * US_PER_DAY;
    return (int)(in_day / US_PER_MIN);
}

int64_t instant_from_local(ot_day_t day, int minute, int offset_min)
{
    return (int64_t)day * US_PER_DAY + (int64_t)(minute - offset_min) * US_PER_MIN;
}

int instant_format(int64_t us, int offset_min, char *out, size_t n)
{
    if (!out || n < 33 || offset_min < -18 * 60 || offset_min > 18 * 60)
        return OT_EINVAL;
    int64_t local = us + (int64_t)offset_min * US_PER_MIN;
    int64_t day = floor_div(local, US_PER_DAY);
    int64_t rem = local - day * US_PER_DAY; /* 0 .. US_PER_DAY-1 */
    int64_t secs = rem / 1000000, frac = rem % 1000000;
    /* by hand, like date_format: snprintf was 9 % of the server's time for a list page,
     * which writes two or more instants per appeal */
    date_format((ot_day_t)day, out);
    char *o = out + 10;
    int hms[3] = {(int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60)};
    for (int i = 0; i < 3; i++) {
        *o++ = i ? ':' : 'T';
        *o++ = (char)('0' + hms[i] / 10);
        *o++ = (char)('0' + hms[i] % 10);
    }
    if (frac) {
        *o++ = '.';
        for (int k = 100000; k; k /= 10)
            *o++ = (char)('0' + frac / k % 10);
    }
    if (offset_min == 0)
        *o++ = 'Z';
    else {
        int a = offset_min < 0 ? -offset_min : offset_min;
        *o++ = offset_min < 0 ? '-' : '+';
        *o++ = (char)('0' + a / 60 / 10);
        *o++ = (char)('0' + a / 60 % 10);
        *o++ = ':';
        *o++ = (char)('0' + a % 60 / 10);
        *o++ = (char)('0' + a % 60 % 10);
    }
    *o = '\0';
    return OT_OK;
}

int date_parse_hhmm(const char *s, int *minutes)
{
    if (!s || strnlen(s, 6) != 5 || s[2] != ':')
        return OT_EINVAL;
    int h = digits(s, 2), m = digits(s + 3, 2);
    if (h < 0 || m < 0 || m > 59 || h > 24 || (h == 24 && m != 0))
        return OT_EINVAL;
    *minutes = h * 60 + m;
    return OT_OK;
}
