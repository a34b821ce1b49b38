/* Rules for free text coming from citizens and staff: names, addresses, the essence of an
 * appeal, answers, e-mail addresses and phone numbers.
 *
 * Every function takes (s, len): s need not be NUL-terminated, and a NUL inside the first
 * len bytes is an error. On failure each returns OT_EINVAL and fills err with a stable code
 * and err->field = field (may be NULL). Pure: no allocation, no I/O. */
#ifndef OT_DOMAIN_TEXT_H
#define OT_DOMAIN_TEXT_H

#include <stddef.h>

#include "util/err.h"

/* RFC 5321: a forward path holds at most 254 octets of address. */
#define TEXT_EMAIL_MAX 254
/* E.164: at most 15 digits; we require at least 10 (national significant number + code). */
#define TEXT_PHONE_MIN_DIGITS 10
#define TEXT_PHONE_MAX_DIGITS 15

/* Number of code points in s[0..len) if it is valid UTF-8 (the rules of text_check's first
 * paragraph), else (size_t)-1. */
size_t text_utf8_chars(const char *s, size_t len);

/* Checks s[0..len):
 *   "invalid_utf8"  not well-formed UTF-8 (RFC 3629): overlong forms, surrogates
 *                   U+D800-DFFF, code points above U+10FFFF, truncated or stray bytes, and
 *                   the NUL byte (it would cut the text short in C and in the stores);
 *   "control_char"  a C0 control, DEL or a C1 control (U+0080-U+009F). TAB is always
 *                   allowed; LF and CRLF only when allow_newlines (a lone CR never is);
 *   "too_long"      more than max_chars code points (max_chars 0 = no limit); the message
 *                   names the limit.
 * An empty or blank s passes: use text_required for mandatory fields. */
int text_check(const char *s, size_t len, size_t max_chars, int allow_newlines, const char *field,
               ot_err_t *err);

/* "required" when s is NULL, empty or only white space (ASCII space and controls, NBSP,
 * the Unicode spaces U+2000-U+200B, U+2028/2029, U+202F, U+205F, U+3000, U+FEFF).
 * Does not validate UTF-8 (call text_check as well). */
int text_required(const char *s, size_t len, const char *field, ot_err_t *err);

/* Pragmatic e-mail check ("email_format"): at most TEXT_EMAIL_MAX bytes, exactly one '@',
 * a local part of 1-64 bytes, a domain of dot-separated non-empty labels (at least two)
 * made of letters, digits, '-' or non-ASCII UTF-8 (IDN), no label starting or ending with
 * '-', a last label of at least 2 characters; no white space, controls or any of
 * ()<>[]\,;:" anywhere. Invalid UTF-8 gives "invalid_utf8". Not full RFC 5322. */
int text_email_check(const char *s, size_t len, const char *field, ot_err_t *err);

/* Pragmatic phone check ("phone_format"): an optional leading '+', then 10-15 digits in
 * total, which may be separated by single spaces, '-' or one pair of parentheses
 * ("+7 (705) 123-45-67", "8 705 123 45 67", "+77051234567"). */
int text_phone_check(const char *s, size_t len, const char *field, ot_err_t *err);

/* Checks like text_phone_check and writes the number as "+" and its digits (E.164 form)
 * to out (n >= TEXT_PHONE_MAX_DIGITS + 2 bytes). The Kazakh and Russian domestic trunk
 * prefix is rewritten: 11 digits starting with 8 and no '+' ("8 705 ...") become "+7 705..."
 * (both countries use code 7 and trunk prefix 8). Returns OT_EINVAL "phone_format" for a
 * bad number or a too small out. */
int text_phone_normalize(const char *s, size_t len, char *out, size_t n, const char *field,
                         ot_err_t *err);

/* Whether text is written in language (Law on Languages art. 11: the answer is in the
 * language of the appeal): "kk" needs a letter only Kazakh has (ә ғ қ ң ө ұ ү һ і), "ru"
 * Cyrillic letters; a bilingual text passes both. 1 or 0; an unknown language passes. */
int text_language_fits(const char *s, size_t len, const char *language);

/* Masks personal data inside free text that is about to be published (Open311's GET requests
 * and updates): e-mail addresses, and every run of digits that holds 10 or more of them
 * (phone numbers with their separators, IINs and BINs) becomes "***". Writes the result to
 * out (at most n - 1 bytes and a NUL; a longer result is cut at a character boundary) and
 * returns how many items were masked. Dates, house numbers and sums stay as they are. */
size_t text_mask_personal(const char *s, size_t len, char *out, size_t n);

#endif
