/* Kazakh identification numbers: ИИН (individual) and БИН (legal entity).
 *
 * Both are 12 digits with a check digit in position 12, computed by the algorithm of the
 * Rules for forming the identification number (Government Decree No. 406 of 22.05.2007,
 * under the Law «О национальных реестрах идентификационных номеров» of 12.01.2007):
 *   a12 = (1*a1 + 2*a2 + ... + 11*a11) mod 11;
 *   if that is 10: a12 = (3*a1 + 4*a2 + ... + 11*a9 + 1*a10 + 2*a11) mod 11;
 *   if that is 10 again the number is never issued (invalid).
 *
 * IIN structure: YYMMDD (date of birth), digit 7 = century of birth and sex
 * (1/2 = 19th century male/female, 3/4 = 20th, 5/6 = 21st), digits 8-11 serial, 12 check.
 * BIN structure: YYMM (registration year and month), digit 5 = kind of entity (4 resident
 * legal entity, 5 non-resident legal entity, 6 individual entrepreneur in joint
 * entrepreneurship), digit 6 = attribute (head office, branch, representative office...),
 * digits 7-11 serial, 12 check.
 *
 * Everything here is pure: no I/O, no clock (so a birth date in the future is not rejected;
 * the caller may compare it with "now"). */
#ifndef OT_DOMAIN_IDENT_H
#define OT_DOMAIN_IDENT_H

#include <stddef.h>

#include "util/err.h"

#define IDENT_LEN 12

/* Checks that s is a valid IIN. Returns OT_OK, or OT_EINVAL with err->code
 *   "iin_format"     not exactly 12 ASCII digits (s NULL, letters, spaces, wrong length),
 *   "iin_birth_date" digits 1-6 are not a real calendar date or digit 7 is not 1-6,
 *   "iin_checksum"   the check digit does not match (or the number is never issued),
 * and err->field = field (e.g. "applicant.iin"; may be NULL). */
int ident_iin_check(const char *s, const char *field, ot_err_t *err);

/* Checks that s is a valid BIN. Returns OT_OK, or OT_EINVAL with err->code
 *   "bin_format"    not exactly 12 ASCII digits,
 *   "bin_structure" month (digits 3-4) not 01-12 or kind (digit 5) not 4, 5 or 6,
 *   "bin_checksum"  the check digit does not match (or the number is never issued),
 * and err->field = field. */
int ident_bin_check(const char *s, const char *field, ot_err_t *err);

/* The check digit (0-9) of the first 11 digits of s, or -1 if both passes give 10 (such a
 * number is never issued). s must hold at least 11 ASCII digits. */
int ident_check_digit(const char *s);

/* Writes a masked copy of an IIN/BIN for lists and logs: first 4 and last 2 digits kept,
 * the rest replaced by '*' ("850512300012" -> "8505******12"). Anything that is not 12 ASCII
 * digits is not echoed at all: out becomes "************" and OT_EINVAL is returned, so a
 * malformed value cannot leak through a list. n must be at least IDENT_LEN + 1 (else
 * OT_EINVAL, and out is set to "" if n > 0). Returns OT_OK otherwise. */
int ident_mask(const char *s, char *out, size_t n);

/* Builds a valid IIN for demo data and tests: birth date y-m-d (full year, e.g. 1985),
 * sex_century_digit 1-6 (must agree with the century of y), serial 0-9999 (digits 8-11).
 * Writes 12 digits and a NUL to out and returns OT_OK; returns OT_EINVAL for an invalid
 * date, digit or serial, and OT_ECONFLICT when this serial yields no check digit (both
 * passes give 10): the caller tries the next serial. On failure out is "". */
int ident_iin_make(int y, int m, int d, int sex_century_digit, unsigned serial, char out[13]);

/* Builds a valid BIN: registration year y (full, e.g. 2015) and month m, kind_digit 4-6,
 * attr_digit 0-9 (digit 6), serial 0-99999 (digits 7-11). Same returns as
 * ident_iin_make. */
int ident_bin_make(int y, int m, int kind_digit, int attr_digit, unsigned serial, char out[13]);

#endif
