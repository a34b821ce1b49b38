#include "domain/lineparse.h"

#include <string.h>

char *lp_trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

char *lp_word(char **p)
{
    char *s = *p;
    while (*s == ' ' || *s == '\t')
        s++;
    if (!*s)
        return NULL;
    char *w = s;
    while (*s && *s != ' ' && *s != '\t')
        s++;
    if (*s)
        *s++ = '\0';
    *p = s;
    return w;
}

int lp_status_ok(const char *s)
{
    return !strcmp(s, "confirmed") || !strcmp(s, "secondary") || !strcmp(s, "unconfirmed");
}

int lp_syntax(ot_err_t *err, const char *code, int line, const char *what, const char *tok)
{
    return ot_err(err, OT_EINVAL, code, NULL, "line %d: %s%s%s%s", line, what, tok ? " '" : "",
                  tok ? tok : "", tok ? "'" : "");
}
