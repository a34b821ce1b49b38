#include "domain/number.h"

#include <stdio.h>
#include <string.h>

/* Cyrillic capital and small letters (UTF-8, 2 bytes) and their Latin form (GOST 7.79 B
 * without diacritics, the Kazakh letters as their nearest Latin), upper case. */
static const struct {
    const char *cyr, *lat;
} translit[] = {
    {"А", "A"},  {"Б", "B"},  {"В", "V"},  {"Г", "G"},   {"Д", "D"},  {"Е", "E"},   {"Ё", "YO"},
    {"Ж", "ZH"}, {"З", "Z"},  {"И", "I"},  {"Й", "J"},   {"К", "K"},  {"Л", "L"},   {"М", "M"},
    {"Н", "N"},  {"О", "O"},  {"П", "P"},  {"Р", "R"},   {"С", "S"},  {"Т", "T"},   {"У", "U"},
    {"Ф", "F"},  {"Х", "X"},  {"Ц", "C"},  {"Ч", "CH"},  {"Ш", "SH"}, {"Щ", "SHH"}, {"Ы", "Y"},
    {"Э", "EH"}, {"Ю", "YU"}, {"Я", "YA"}, {"Ә", "AE"},  {"Ғ", "GH"}, {"Қ", "Q"},   {"Ң", "NG"},
    {"Ө", "OE"}, {"Ұ", "UU"}, {"Ү", "UE"}, {"Һ", "H"},   {"І", "II"}, {"а", "A"},   {"б", "B"},
    {"в", "V"},  {"г", "G"},  {"д", "D"},  {"е", "E"},   {"ё", "YO"}, {"ж", "ZH"},  {"з", "Z"},
    {"и", "I"},  {"й", "J"},  {"к", "K"},  {"л", "L"},   {"м", "M"},  {"н", "N"},   {"о", "O"},
    {"п", "P"},  {"р", "R"},  {"с", "S"},  {"т", "T"},   {"у", "U"},  {"ф", "F"},   {"х", "X"},
    {"ц", "C"},  {"ч", "CH"}, {"ш", "SH"}, {"щ", "SHH"}, {"ы", "Y"},  {"э", "EH"},  {"ю", "YU"},
    {"я", "YA"}, {"ә", "AE"}, {"ғ", "GH"}, {"қ", "Q"},   {"ң", "NG"}, {"ө", "OE"},  {"ұ", "UU"},
    {"ү", "UE"}, {"һ", "H"},  {"і", "II"},
};

/* The Latin form of the UTF-8 character at s (its length into *len), or NULL. */
static const char *latin_of(const char *s, size_t *len)
{
    for (size_t i = 0; i < sizeof translit / sizeof translit[0]; i++) {
        size_t l = strlen(translit[i].cyr);
        if (!strncmp(s, translit[i].cyr, l)) {
            *len = l;
            return translit[i].lat;
        }
    }
    return NULL;
}

int number_ascii(const char *num, char *out, size_t n)
{
    size_t o = 0;
    for (const char *s = num; *s;) {
        const char *piece;
        size_t len = 1, pl;
        char one[2] = {*s, 0};
        if ((unsigned char)*s < 0x80)
            piece = one;
        else if (!(piece = latin_of(s, &len)))
            return -1;
        pl = strlen(piece);
        if (o + pl >= n)
            return -1;
        memcpy(out + o, piece, pl);
        o += pl;
        s += len;
    }
    if (!n)
        return -1;
    out[o] = '\0';
    return 0;
}

void number_prefix_key(const char *prefix, char *out, size_t n)
{
    char lat[32];
    size_t o = 0;
    if (!n)
        return;
    out[0] = '\0';
    if (number_ascii(prefix, lat, sizeof lat))
        return;
    for (const char *s = lat; *s; s++) {
        char c = *s;
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        if (c == '3') /* the digit that looks like З */
            c = 'Z';
        else if (c == '0') /* ... like О */
            c = 'O';
        else if (c == 'C') /* Latin C looks like Cyrillic С (S); Ц has no typed form */
            c = 'S';
        if (c < 'A' || c > 'Z' || o + 1 >= n) {
            out[0] = '\0';
            return;
        }
        out[o++] = c;
    }
    out[o] = '\0';
}

static int is_sep(char c)
{
    return c == '-' || c == ' ' || c == '/' || c == '.' || c == '_';
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

int number_parse(const char *in, char *key, size_t kn, int *year, long long *seq)
{
    char pre[32], digits[32];
    size_t p = 0, d = 0;
    const char *s = in;
    while (*s == ' ')
        s++;
    /* the prefix: letters (and the digit 3 or 0 standing for З or О) up to a separator or
     * the first digit of a four-digit year that follows */
    while (*s && !is_sep(*s)) {
        if (is_digit(*s) && p > 0 && (*s != '3' && *s != '0'))
            break;
        if (is_digit(*s) && p > 0 && is_digit(s[1]) && is_digit(s[2]) && is_digit(s[3]))
            break;
        if (p + 1 >= sizeof pre)
            return -1;
        pre[p++] = *s++;
    }
    pre[p] = '\0';
    /* then only digits and separators: the year's four digits and the sequence number */
    for (; *s; s++) {
        if (is_sep(*s))
            continue;
        if (!is_digit(*s) || d + 1 >= sizeof digits)
            return -1;
        digits[d++] = *s;
    }
    digits[d] = '\0';
    if (!p || d < 5 || d > 12)
        return -1;
    number_prefix_key(pre, key, kn);
    if (!key[0])
        return -1;
    *year = (digits[0] - '0') * 1000 + (digits[1] - '0') * 100 + (digits[2] - '0') * 10 +
            (digits[3] - '0');
    long long v = 0;
    for (size_t i = 4; i < d; i++)
        v = v * 10 + (digits[i] - '0');
    *seq = v;
    return v > 0 ? 0 : -1;
}
