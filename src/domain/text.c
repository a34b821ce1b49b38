/* Text input rules. See text.h. */
#include "domain/text.h"

#include <stdint.h>
#include <string.h>

/* Decodes one UTF-8 sequence at p (n bytes available). Returns its length (1-4) and sets
 * *cp, or 0 if the bytes are not well-formed. The ranges are the table of RFC 3629 sec. 4,
 * which excludes overlongs (C0, C1, E0 80-9F, F0 80-8F), surrogates (ED A0-BF) and code
 * points above U+10FFFF (F4 90-BF, F5-FF). NUL is treated as not well-formed here. */
static size_t utf8_decode(const unsigned char *p, size_t n, uint32_t *cp)
{
    unsigned char b = p[0];
    size_t len;
    unsigned char lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
    if (b == 0)
        return 0;
    if (b < 0x80) {
        *cp = b;
        return 1;
    }
    if (b >= 0xC2 && b <= 0xDF) {
        len = 2;
        *cp = b & 0x1F;
    } else if (b >= 0xE0 && b <= 0xEF) {
        len = 3;
        *cp = b & 0x0F;
        if (b == 0xE0)
            lo = 0xA0;
        else if (b == 0xED)
            hi = 0x9F;
    } else if (b >= 0xF0 && b <= 0xF4) {
        len = 4;
        *cp = b & 0x07;
        if (b == 0xF0)
            lo = 0x90;
        else if (b == 0xF4)
            hi = 0x8F;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    if (p[1] < lo || p[1] > hi)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        *cp = (*cp << 6) | (p[i] & 0x3F);
    }
    return len;
}

size_t text_utf8_chars(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, count = 0;
    uint32_t cp;
    while (i < len) {
        size_t k = utf8_decode(p + i, len - i, &cp);
        if (!k)
            return (size_t)-1;
        i += k;
        count++;
    }
    return count;
}

int text_check(const char *s, size_t len, size_t max_chars, int allow_newlines, const char *field,
               ot_err_t *err)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, count = 0;
    uint32_t cp;
    if (!s)
        return len ? ot_err(err, OT_EINVAL, "invalid_utf8", field, "text is missing") : OT_OK;
    while (i < len) {
        size_t k = utf8_decode(p + i, len - i, &cp);
        if (!k) {
            if (p[i] == 0)
                return ot_err(err, OT_EINVAL, "invalid_utf8", field,
                              "text contains a NUL byte at byte %zu", i);
            return ot_err(err, OT_EINVAL, "invalid_utf8", field,
                          "text is not valid UTF-8 at byte %zu", i);
        }
        if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) {
            int ok = cp == '\t' || (allow_newlines && cp == '\n') ||
                     (allow_newlines && cp == '\r' && i + 1 < len && p[i + 1] == '\n');
            if (!ok)
                return ot_err(err, OT_EINVAL, "control_char", field,
                              "text contains the control character U+%04X at byte %zu",
                              (unsigned)cp, i);
        }
        i += k;
        count++;
        if (max_chars && count > max_chars)
            return ot_err(err, OT_EINVAL, "too_long", field, "text is longer than %zu characters",
                          max_chars);
    }
    return OT_OK;
}

static int is_space_cp(uint32_t cp)
{
    return cp <= 0x20 || cp == 0x7F || cp == 0x85 || cp == 0xA0 || cp == 0x1680 ||
           (cp >= 0x2000 && cp <= 0x200B) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F ||
           cp == 0x205F || cp == 0x3000 || cp == 0xFEFF;
}

int text_required(const char *s, size_t len, const char *field, ot_err_t *err)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    uint32_t cp;
    while (s && i < len) {
        size_t k = utf8_decode(p + i, len - i, &cp);
        if (!k)
            return OT_OK; /* something that is not blank; text_check reports it */
        if (!is_space_cp(cp))
            return OT_OK;
        i += k;
    }
    return ot_err(err, OT_EINVAL, "required", field, "a value is required");
}

/* ==== E-mail ==== */

static int email_bad_byte(unsigned char c)
{
    return c <= 0x20 || c == 0x7F || strchr("()<>[]\\,;:\"", c) != NULL;
}

int text_email_check(const char *s, size_t len, const char *field, ot_err_t *err)
{
    if (!s || len == 0)
        return ot_err(err, OT_EINVAL, "email_format", field, "e-mail address is empty");
    if (text_utf8_chars(s, len) == (size_t)-1)
        return ot_err(err, OT_EINVAL, "invalid_utf8", field, "e-mail is not valid UTF-8");
    if (len > TEXT_EMAIL_MAX)
        return ot_err(err, OT_EINVAL, "email_format", field,
                      "e-mail address is longer than %d bytes", TEXT_EMAIL_MAX);
    const char *at = memchr(s, '@', len);
    if (!at || memchr(at + 1, '@', len - (size_t)(at - s) - 1))
        return ot_err(err, OT_EINVAL, "email_format", field,
                      "e-mail address must contain exactly one @");
    size_t local = (size_t)(at - s);
    if (local == 0 || local > 64)
        return ot_err(err, OT_EINVAL, "email_format", field,
                      "the part before @ must have 1 to 64 characters");
    for (size_t i = 0; i < len; i++)
        if (email_bad_byte((unsigned char)s[i]))
            return ot_err(err, OT_EINVAL, "email_format", field,
                          "e-mail address contains a space or a forbidden character");
    /* Domain: labels separated by single dots. */
    const unsigned char *d = (const unsigned char *)at + 1;
    size_t dn = len - local - 1, labels = 0, lab_len = 0;
    for (size_t i = 0; i <= dn; i++) {
        if (i == dn || d[i] == '.') {
            if (lab_len == 0 || d[i - 1] == '-' || d[i - lab_len] == '-')
                return ot_err(err, OT_EINVAL, "email_format", field,
                              "the domain after @ is not a valid host name");
            labels++;
            if (i == dn && lab_len < 2)
                return ot_err(err, OT_EINVAL, "email_format", field,
                              "the domain after @ must end with a top-level domain");
            lab_len = 0;
            continue;
        }
        unsigned char c = d[i];
        if (!(c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '-'))
            return ot_err(err, OT_EINVAL, "email_format", field,
                          "the domain after @ is not a valid host name");
        lab_len++;
    }
    if (labels < 2)
        return ot_err(err, OT_EINVAL, "email_format", field,
                      "the domain after @ must contain a dot");
    return OT_OK;
}

/* ==== Phone ==== */

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

int text_phone_normalize(const char *s, size_t len, char *out, size_t n, const char *field,
                         ot_err_t *err)
{
    char digits[TEXT_PHONE_MAX_DIGITS + 1];
    size_t nd = 0, i = 0;
    int plus = 0, parens = 0, in_paren = 0;
    if (!s || len == 0)
        return ot_err(err, OT_EINVAL, "phone_format", field, "phone number is empty");
    if (s[0] == '+')
        plus = i = 1;
    /* After the optional '+': starts with a digit or '(' and ends with a digit; a space or
     * '-' never follows another; '(' is followed and ')' preceded by a digit. */
    if (i == len || !(is_digit(s[i]) || s[i] == '(') || !is_digit(s[len - 1]))
        goto bad;
    for (; i < len; i++) {
        char c = s[i];
        if (is_digit(c)) {
            if (nd == TEXT_PHONE_MAX_DIGITS)
                return ot_err(err, OT_EINVAL, "phone_format", field,
                              "phone number has more than %d digits", TEXT_PHONE_MAX_DIGITS);
            digits[nd++] = c;
        } else if (c == ' ' || c == '-') {
            if (s[i - 1] == ' ' || s[i - 1] == '-')
                goto bad;
        } else if (c == '(') {
            if (parens || !is_digit(s[i + 1])) /* s[len - 1] is a digit, so i + 1 < len */
                goto bad;
            parens = in_paren = 1;
        } else if (c == ')') {
            if (!in_paren || !is_digit(s[i - 1]))
                goto bad;
            in_paren = 0;
        } else {
            goto bad;
        }
    }
    if (in_paren)
        goto bad;
    if (nd < TEXT_PHONE_MIN_DIGITS)
        return ot_err(err, OT_EINVAL, "phone_format", field,
                      "phone number must have %d to %d digits", TEXT_PHONE_MIN_DIGITS,
                      TEXT_PHONE_MAX_DIGITS);
    if (!out || n < nd + 2)
        return ot_err(err, OT_EINVAL, "phone_format", field, "phone number buffer too small");
    /* Domestic trunk prefix 8 in Kazakhstan and Russia -> country code 7. */
    if (!plus && nd == 11 && digits[0] == '8')
        digits[0] = '7';
    out[0] = '+';
    memcpy(out + 1, digits, nd);
    out[nd + 1] = '\0';
    return OT_OK;
bad:
    return ot_err(err, OT_EINVAL, "phone_format", field,
                  "phone number may contain only digits, a leading +, single spaces or dashes "
                  "and one pair of parentheses");
}

int text_phone_check(const char *s, size_t len, const char *field, ot_err_t *err)
{
    char buf[TEXT_PHONE_MAX_DIGITS + 2];
    return text_phone_normalize(s, len, buf, sizeof buf, field, err);
}

/* ==== Masking for publication ==== */

static int is_email_local(unsigned char c)
{
    return is_digit((char)c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.' ||
           c == '_' || c == '%' || c == '+' || c == '-';
}

static int is_email_domain(unsigned char c)
{
    return is_digit((char)c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.' ||
           c == '-';
}

static int is_sep(char c)
{
    return c == ' ' || c == '-' || c == '(' || c == ')';
}

/* The end of a number-like run from i ('+' or a digit): digits with at most two separators
 * (space, '-', '(', ')') between them, as in "+7 (705) 123-45-67"; *digits gets how many
 * digits it holds. */
static size_t number_run(const char *s, size_t len, size_t i, int *digits)
{
    size_t end = i, j = i;
    *digits = 0;
    if (s[j] == '+')
        j++;
    while (j < len) {
        if (is_digit(s[j])) {
            (*digits)++;
            end = ++j;
            continue;
        }
        size_t k = j;
        while (k < len && k < j + 2 && is_sep(s[k]))
            k++;
        if (k == j || k >= len || !is_digit(s[k]))
            break;
        j = k;
    }
    return end;
}

/* Appends s[0..k) to out if it fits whole (a masked text is never cut inside a character). */
static void put(char *out, size_t n, size_t *o, const char *s, size_t k)
{
    if (*o + k < n) {
        memcpy(out + *o, s, k);
        *o += k;
    }
}

size_t text_mask_personal(const char *s, size_t len, char *out, size_t n)
{
    size_t o = 0, masked = 0, i = 0;
    if (!n)
        return 0;
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        /* an e-mail address: local part back from '@' (already copied: take it back) */
        if (c == '@') {
            size_t a = i, b = i + 1, dot = 0;
            while (a > 0 && is_email_local((unsigned char)s[a - 1]))
                a--;
            while (b < len && is_email_domain((unsigned char)s[b]))
                dot |= s[b++] == '.';
            if (a < i && b > i + 1 && dot && o >= i - a) {
                o -= i - a;
                put(out, n, &o, "***", 3);
                masked++;
                i = b;
                continue;
            }
        }
        int starts = is_digit((char)c) || (c == '+' && i + 1 < len && is_digit((char)s[i + 1]));
        int word_start = i == 0 || !is_digit((char)s[i - 1]);
        if (starts && word_start) {
            int digits;
            size_t end = number_run(s, len, i, &digits);
            if (digits >= 10) {
                put(out, n, &o, "***", 3);
                masked++;
            } else
                put(out, n, &o, s + i, end - i);
            i = end;
            continue;
        }
        /* copy one UTF-8 character whole */
        size_t k = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        if (i + k > len)
            k = len - i;
        put(out, n, &o, s + i, k);
        i += k;
    }
    out[o] = '\0';
    return masked;
}

int text_language_fits(const char *s, size_t len, const char *language)
{
    static const char *const kazakh[] = {"ә", "ғ", "қ", "ң", "ө", "ұ", "ү", "һ", "і",
                                         "Ә", "Ғ", "Қ", "Ң", "Ө", "Ұ", "Ү", "Һ", "І"};
    if (!language || (strcmp(language, "kk") && strcmp(language, "ru")))
        return 1;
    for (size_t i = 0; i + 1 < len; i++) {
        unsigned char c = (unsigned char)s[i], d = (unsigned char)s[i + 1];
        if (!strcmp(language, "ru") && (c == 0xD0 || c == 0xD1) && d >= 0x80 && d <= 0xBF)
            return 1; /* U+0400-U+047F: Cyrillic */
        if (!strcmp(language, "kk"))
            for (size_t k = 0; k < sizeof kazakh / sizeof kazakh[0]; k++)
                if (!strncmp(s + i, kazakh[k], strlen(kazakh[k])))
                    return 1;
    }
    return 0;
}
