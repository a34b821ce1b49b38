/* IIN/BIN validation and generation. See ident.h for the structure and its source. */
#include "domain/ident.h"

#include <string.h>

static int is_12_digits(const char *s)
{
    if (!s)
        return 0;
    for (int i = 0; i < IDENT_LEN; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return s[IDENT_LEN] == '\0';
}

static int digits2(const char *s)
{
    return (s[0] - '0') * 10 + (s[1] - '0');
}

static int is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int valid_date(int y, int m, int d)
{
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12 || d < 1)
        return 0;
    int last = mdays[m - 1] + (m == 2 && is_leap(y));
    return d <= last;
}

/* Century of birth from IIN digit 7 (Decree No. 406 rules): 1,2 -> 1800; 3,4 -> 1900;
 * 5,6 -> 2000; anything else -> -1. Digit 0 (said by some third-party sources to be used
 * for some foreigners) is deliberately NOT accepted: no public source we hold confirms
 * it, and without it the date of birth cannot be checked. */
static int century_of(int digit)
{
    switch (digit) {
    case 1:
    case 2:
        return 1800;
    case 3:
    case 4:
        return 1900;
    case 5:
    case 6:
        return 2000;
    default:
        return -1;
    }
}

int ident_check_digit(const char *s)
{
    static const int w2[11] = {3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2};
    int sum = 0;
    for (int i = 0; i < 11; i++)
        sum += (i + 1) * (s[i] - '0');
    int c = sum % 11;
    if (c != 10)
        return c;
    sum = 0;
    for (int i = 0; i < 11; i++)
        sum += w2[i] * (s[i] - '0');
    c = sum % 11;
    return c == 10 ? -1 : c;
}

int ident_iin_check(const char *s, const char *field, ot_err_t *err)
{
    if (!is_12_digits(s))
        return ot_err(err, OT_EINVAL, "iin_format", field, "IIN must be exactly 12 digits");
    int century = century_of(s[6] - '0');
    if (century < 0)
        return ot_err(err, OT_EINVAL, "iin_birth_date", field,
                      "IIN digit 7 (century of birth and sex) must be 1-6");
    int y = century + digits2(s), m = digits2(s + 2), d = digits2(s + 4);
    if (!valid_date(y, m, d))
        return ot_err(err, OT_EINVAL, "iin_birth_date", field,
                      "IIN does not start with a valid date of birth (YYMMDD)");
    int c = ident_check_digit(s);
    if (c < 0 || c != s[11] - '0')
        return ot_err(err, OT_EINVAL, "iin_checksum", field, "IIN check digit does not match");
    return OT_OK;
}

int ident_bin_check(const char *s, const char *field, ot_err_t *err)
{
    if (!is_12_digits(s))
        return ot_err(err, OT_EINVAL, "bin_format", field, "BIN must be exactly 12 digits");
    int m = digits2(s + 2);
    if (m < 1 || m > 12)
        return ot_err(err, OT_EINVAL, "bin_structure", field,
                      "BIN digits 3-4 must be the registration month 01-12");
    /* Digit 6 (head office / branch / representative office / ...) is not checked: the
     * list of its values is not confirmed by a source we hold. */
    if (s[4] < '4' || s[4] > '6')
        return ot_err(err, OT_EINVAL, "bin_structure", field,
                      "BIN digit 5 (kind of entity) must be 4, 5 or 6");
    int c = ident_check_digit(s);
    if (c < 0 || c != s[11] - '0')
        return ot_err(err, OT_EINVAL, "bin_checksum", field, "BIN check digit does not match");
    return OT_OK;
}

int ident_mask(const char *s, char *out, size_t n)
{
    if (!out || n < IDENT_LEN + 1) {
        if (out && n > 0)
            out[0] = '\0';
        return OT_EINVAL;
    }
    if (!is_12_digits(s)) {
        memcpy(out, "************", IDENT_LEN + 1);
        return OT_EINVAL;
    }
    memcpy(out, s, 4);
    memset(out + 4, '*', 6);
    memcpy(out + 10, s + 10, 2);
    out[IDENT_LEN] = '\0';
    return OT_OK;
}

/* Writes v as exactly width decimal digits, zero-padded (v < 10^width). */
static void put_digits(char *out, unsigned v, int width)
{
    for (int i = width - 1; i >= 0; i--, v /= 10)
        out[i] = (char)('0' + v % 10);
}

/* Writes the check digit into out[11] and terminates out; OT_ECONFLICT if there is none. */
static int finish(char out[13])
{
    int c = ident_check_digit(out);
    if (c < 0) {
        out[0] = '\0';
        return OT_ECONFLICT;
    }
    out[11] = (char)('0' + c);
    out[12] = '\0';
    return OT_OK;
}

int ident_iin_make(int y, int m, int d, int sex_century_digit, unsigned serial, char out[13])
{
    out[0] = '\0';
    int century = century_of(sex_century_digit);
    if (century < 0 || y < century || y > century + 99 || !valid_date(y, m, d) || serial > 9999)
        return OT_EINVAL;
    put_digits(out, (unsigned)(y % 100), 2);
    put_digits(out + 2, (unsigned)m, 2);
    put_digits(out + 4, (unsigned)d, 2);
    put_digits(out + 6, (unsigned)sex_century_digit, 1);
    put_digits(out + 7, serial, 4);
    return finish(out);
}

int ident_bin_make(int y, int m, int kind_digit, int attr_digit, unsigned serial, char out[13])
{
    out[0] = '\0';
    if (y < 0 || m < 1 || m > 12 || kind_digit < 4 || kind_digit > 6 || attr_digit < 0 ||
        attr_digit > 9 || serial > 99999)
        return OT_EINVAL;
    put_digits(out, (unsigned)(y % 100), 2);
    put_digits(out + 2, (unsigned)m, 2);
    put_digits(out + 4, (unsigned)kind_digit, 1);
    put_digits(out + 5, (unsigned)attr_digit, 1);
    put_digits(out + 6, serial, 5);
    return finish(out);
}
