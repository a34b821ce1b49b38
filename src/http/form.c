/* Form bodies and URL escapes (form.h). */
#include "http/form.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "service/validate.h"

static int hexval(char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* Decodes application/x-www-form-urlencoded in place; -1 on a bad escape or a NUL byte. */
static int form_decode(char *s)
{
    char *o = s;
    for (; *s; s++) {
        if (*s == '+')
            *o++ = ' ';
        else if (*s == '%') {
            int h = s[1] ? hexval(s[1]) : -1, l = h >= 0 && s[2] ? hexval(s[2]) : -1;
            if (l < 0 || (h == 0 && l == 0))
                return -1;
            *o++ = (char)(h * 16 + l);
            s += 2;
        } else
            *o++ = *s;
    }
    *o = '\0';
    return 0;
}

int form_parse(form_t *fm, const char *body, size_t len, char *msg, size_t n)
{
    memset(fm, 0, sizeof *fm);
    fm->buf = malloc(len + 1);
    if (!fm->buf)
        return snprintf(msg, n, "out of memory"), -1;
    memcpy(fm->buf, body ? body : "", len);
    fm->buf[len] = '\0';
    if (strlen(fm->buf) != len)
        return snprintf(msg, n, "the form has a bad %%-escape or a NUL byte"), -1;
    char *save = NULL;
    for (char *pair = strtok_r(fm->buf, "&", &save); pair; pair = strtok_r(NULL, "&", &save)) {
        char *eq = strchr(pair, '=');
        char *v = eq ? eq + 1 : pair + strlen(pair);
        if (eq)
            *eq = '\0';
        if (form_decode(pair) || form_decode(v))
            return snprintf(msg, n, "the form has a bad %%-escape or a NUL byte"), -1;
        if (!*pair)
            continue;
        if (text_utf8_chars(pair, strlen(pair)) == (size_t)-1 ||
            text_utf8_chars(v, strlen(v)) == (size_t)-1)
            return snprintf(msg, n, "%.64s: not valid UTF-8", pair), -1;
        /* a key ending in "[]" is a list (attribute[code][]=a&attribute[code][]=b) */
        size_t kl = strlen(pair);
        int list = kl > 2 && !strcmp(pair + kl - 2, "[]");
        for (int i = 0; !list && i < fm->n; i++)
            if (!strcmp(fm->key[i], pair))
                return snprintf(msg, n, "%.64s is given twice", pair), -1;
        if (fm->n == FORM_MAX_FIELDS)
            return snprintf(msg, n, "more than %d fields", FORM_MAX_FIELDS), -1;
        fm->key[fm->n] = pair;
        fm->val[fm->n++] = v;
    }
    return 0;
}

void form_free(form_t *fm)
{
    free(fm->buf);
    fm->buf = NULL;
    fm->n = 0;
}

const char *form_get(const form_t *fm, const char *name)
{
    for (int i = 0; i < fm->n; i++)
        if (!strcmp(fm->key[i], name))
            return *fm->val[i] ? fm->val[i] : NULL;
    return NULL;
}

size_t url_unescape(char *s)
{
    char *w = s;
    for (const char *r = s; *r;) {
        int hi, lo;
        if (r[0] == '%' && (hi = hexval(r[1])) >= 0 && (lo = hexval(r[2])) >= 0 && (hi || lo)) {
            *w++ = (char)(hi * 16 + lo);
            r += 3;
        } else
            *w++ = *r++;
    }
    *w = '\0';
    return (size_t)(w - s);
}

int form_split_list(char *s, char **out, int max)
{
    int n = 0;
    char *save = NULL;
    for (char *tok = strtok_r(s, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        while (*tok == ' ')
            tok++;
        size_t len = strlen(tok);
        while (len && tok[len - 1] == ' ')
            tok[--len] = '\0';
        if (!len)
            continue;
        int dup = 0;
        for (int i = 0; i < n && !dup; i++)
            dup = !strcmp(out[i], tok);
        if (dup)
            continue;
        if (n == max)
            return -1;
        out[n++] = tok;
    }
    return n;
}
