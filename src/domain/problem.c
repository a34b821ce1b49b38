#include "domain/problem.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/str.h"

const problem_cfg_t problem_default_cfg = {
    .distance_m = 150,
    .similarity = 0.30,
    .group_days = 1095,
    .reraise_days = 365,
    .stem_chars = 5,
    .min_word_chars = 4,
    .address_drop = "г город гор с село пос поселок ул улица пр проспект пер переулок мкр "
                    "микрорайон д дом корп корпус стр строение обл область район р н "
                    "қаласы қ ауылы көшесі даңғылы шағын ауданы үй ауданы",
    .address_flat = "кв квартира пәтер",
    .address_ends = "ова>ов ева>ев ина>ин ына>ын ая>ай яя>яй ея>ей ия>ий ля>ль",
    .stopwords = "прошу просим просьба помогите пожалуйста нашем нашей наша нашего этот "
                 "этом который которая которые также очень уже есть было будет сұраймын "
                 "сұраймыз көмектесіңіздер біздің",
};

const char *const problem_verdicts[] = {"yes", "partly", "no", NULL};
const char *const problem_states[] = {"open", "solved_confirmed", "solved_unconfirmed", "recurring",
                                      NULL};

static int int_in(const char *v, int lo, int hi, int *out)
{
    char *end;
    long x = strtol(v, &end, 10);
    if (!*v || *end || x < lo || x > hi)
        return -1;
    *out = (int)x;
    return 0;
}

/* address_ends: space-separated "from>to", each with a non-empty "from" and one '>'; each
 * side folded (problem_fold would take '>' for a space) into out. -1 on a bad pair. */
static int fold_ends(const char *v, char *out, size_t n)
{
    size_t o = 0;
    out[0] = '\0';
    for (const char *p = v; *p;) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        const char *e = strchr(p, ' ');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        const char *gt = memchr(p, '>', len);
        if (!gt || gt == p || memchr(gt + 1, '>', len - (size_t)(gt - p) - 1))
            return -1;
        char from[64], to[64], a[64], b[64];
        snprintf(from, sizeof from, "%.*s", (int)(gt - p), p);
        snprintf(to, sizeof to, "%.*s", (int)(len - (size_t)(gt - p) - 1), gt + 1);
        problem_fold(from, a, sizeof a);
        problem_fold(to, b, sizeof b);
        int w = snprintf(out + o, n - o, "%s%s>%s", o ? " " : "", a, b);
        if (w < 0 || (size_t)w >= n - o)
            return -1;
        o += (size_t)w;
        p += len;
    }
    return 0;
}

int problem_cfg_set(problem_cfg_t *c, const char *key, const char *value, ot_err_t *err)
{
    int bad = 0;
    if (!strcmp(key, "distance_m"))
        bad = int_in(value, 1, 100000, &c->distance_m);
    else if (!strcmp(key, "group_days"))
        bad = int_in(value, 1, 36500, &c->group_days);
    else if (!strcmp(key, "reraise_days"))
        bad = int_in(value, 1, 36500, &c->reraise_days);
    else if (!strcmp(key, "stem_chars"))
        bad = int_in(value, 2, 40, &c->stem_chars);
    else if (!strcmp(key, "min_word_chars"))
        bad = int_in(value, 1, 40, &c->min_word_chars);
    else if (!strcmp(key, "similarity")) {
        char *end;
        double x = strtod(value, &end);
        bad = !*value || *end || !(x > 0 && x <= 1);
        if (!bad)
            c->similarity = x;
    } else if (!strcmp(key, "address_ends")) {
        bad = fold_ends(value, c->address_ends, sizeof c->address_ends) != 0;
    } else if (!strcmp(key, "address_drop") || !strcmp(key, "address_flat") ||
               !strcmp(key, "stopwords")) {
        char *dst = !strcmp(key, "address_drop")   ? c->address_drop
                    : !strcmp(key, "address_flat") ? c->address_flat
                                                   : c->stopwords;
        size_t cap = !strcmp(key, "address_drop")   ? sizeof c->address_drop
                     : !strcmp(key, "address_flat") ? sizeof c->address_flat
                                                    : sizeof c->stopwords;
        bad = strlen(value) >= cap;
        if (!bad)
            problem_fold(value, dst, cap);
    } else
        return ot_err(err, OT_EINVAL, "bad_problem_cfg", key, "unknown key '%.40s'", key);
    if (bad)
        return ot_err(err, OT_EINVAL, "bad_problem_cfg", key, "bad value for %.40s", key);
    return OT_OK;
}

/* ==== Folding ==== */

static size_t decode(const unsigned char *p, uint32_t *cp)
{
    if (p[0] < 0x80) {
        *cp = p[0];
        return 1;
    }
    if ((p[0] & 0xE0) == 0xC0 && (p[1] & 0xC0) == 0x80) {
        *cp = ((uint32_t)(p[0] & 0x1F) << 6) | (p[1] & 0x3F);
        return 2;
    }
    if ((p[0] & 0xF0) == 0xE0 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80) {
        *cp = ((uint32_t)(p[0] & 0x0F) << 12) | ((uint32_t)(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
        return 3;
    }
    if ((p[0] & 0xF8) == 0xF0 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80 &&
        (p[3] & 0xC0) == 0x80) {
        *cp = ((uint32_t)(p[0] & 0x07) << 18) | ((uint32_t)(p[1] & 0x3F) << 12) |
              ((uint32_t)(p[2] & 0x3F) << 6) | (p[3] & 0x3F);
        return 4;
    }
    *cp = 0xFFFD; /* a stray byte: a separator */
    return 1;
}

/* The lower-case letter or digit of cp, or 0 when cp separates words. */
static uint32_t fold_cp(uint32_t cp)
{
    if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9'))
        return cp;
    if (cp >= 'A' && cp <= 'Z')
        return cp + 32;
    if (cp == 0x0401 || cp == 0x0451) /* Ё ё */
        return 0x0435;
    if (cp >= 0x0410 && cp <= 0x042F)
        return cp + 0x20;
    if (cp >= 0x0400 && cp <= 0x040F)
        return cp + 0x50;
    if (cp >= 0x0430 && cp <= 0x045F)
        return cp;
    /* Kazakh and the other letters of the Cyrillic supplement: upper case even, lower odd */
    if ((cp >= 0x048A && cp <= 0x04BF) || (cp >= 0x04D0 && cp <= 0x04FF))
        return cp | 1;
    if (cp >= 0x0460 && cp <= 0x0481)
        return cp | 1;
    return 0;
}

static size_t encode(uint32_t cp, char *o)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    o[0] = (char)(0xC0 | (cp >> 6)); /* every folded letter is below U+0800 */
    o[1] = (char)(0x80 | (cp & 0x3F));
    return 2;
}

size_t problem_fold(const char *s, char *out, size_t n)
{
    size_t o = 0;
    int space = 1; /* no leading space */
    if (!n)
        return 0;
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    while (*p) {
        uint32_t cp;
        p += decode(p, &cp);
        uint32_t f = fold_cp(cp);
        if (!f) {
            if (!space && o + 1 < n)
                out[o++] = ' ';
            space = 1;
            continue;
        }
        char b[2];
        size_t k = encode(f, b);
        if (o + k >= n)
            break;
        memcpy(out + o, b, k);
        o += k;
        space = 0;
    }
    while (o && out[o - 1] == ' ')
        o--;
    out[o] = '\0';
    return o;
}

/* ==== Concepts shared by the languages ==== */

/* The index of form in c->forms, or where it would go (*found 0). */
static int form_find(const problem_cfg_t *c, const char *form, size_t len, int *found)
{
    int lo = 0, hi = c->n_forms;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        const char *f = c->forms[mid].form;
        int cmp = strncmp(f, form, len);
        if (!cmp && f[len])
            cmp = 1; /* f is longer: after form */
        if (!cmp) {
            *found = 1;
            return mid;
        }
        if (cmp < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = 0;
    return lo;
}

int problem_cfg_concept(problem_cfg_t *c, const char *id, const char *forms, ot_err_t *err)
{
    size_t il = id ? strlen(id) : 0;
    if (il == 0 || il >= sizeof c->concept_ids[0] ||
        strspn(id, "abcdefghijklmnopqrstuvwxyz0123456789_") != il)
        return ot_err(err, OT_EINVAL, "bad_concept", "concept",
                      "a concept id is 1-31 of a-z, 0-9 and _");
    int ci = -1;
    for (int i = 0; i < c->n_concepts; i++)
        if (!strcmp(c->concept_ids[i], id))
            ci = i;
    if (ci < 0) {
        if (c->n_concepts >= PROBLEM_CONCEPTS_MAX)
            return ot_err(err, OT_EINVAL, "bad_concept", "concept", "too many concepts");
        ci = c->n_concepts;
        memcpy(c->concept_ids[ci], id, il + 1);
    }
    int nforms = 0;
    for (const char *p = forms ? forms : ""; *p;) {
        while (*p == ' ')
            p++;
        size_t l = strcspn(p, " ");
        if (!l)
            break;
        int prefix = p[l - 1] == '*';
        char raw[128], folded[128];
        if (l - (size_t)prefix >= sizeof raw)
            return ot_err(err, OT_EINVAL, "bad_concept", "forms", "a form is too long");
        memcpy(raw, p, l - (size_t)prefix);
        raw[l - (size_t)prefix] = '\0';
        size_t fl = problem_fold(raw, folded, sizeof folded);
        if (!fl || strchr(folded, ' ') || fl >= sizeof c->forms[0].form)
            return ot_err(err, OT_EINVAL, "bad_concept", "forms",
                          "a form is one word of letters, at most 39 bytes ('%.40s')", raw);
        int found, at = form_find(c, folded, fl, &found);
        if (!found) {
            if (c->n_forms >= PROBLEM_FORMS_MAX)
                return ot_err(err, OT_EINVAL, "bad_concept", "forms", "too many forms");
            memmove(&c->forms[at + 1], &c->forms[at],
                    (size_t)(c->n_forms - at) * sizeof c->forms[0]);
            memcpy(c->forms[at].form, folded, fl + 1);
            c->forms[at].whole = c->forms[at].prefix = -1;
            c->n_forms++;
        }
        short *slot = prefix ? &c->forms[at].prefix : &c->forms[at].whole;
        if (*slot >= 0 && *slot != ci)
            return ot_err(err, OT_EINVAL, "bad_concept", "forms", "'%.40s' is already a form of %s",
                          raw, c->concept_ids[*slot]);
        *slot = (short)ci;
        nforms++;
        p += l;
    }
    if (!nforms)
        return ot_err(err, OT_EINVAL, "bad_concept", "forms", "a concept needs forms");
    if (ci == c->n_concepts)
        c->n_concepts++;
    return OT_OK;
}

int problem_concept_of(const problem_cfg_t *c, const char *word, size_t len, char *out, size_t n)
{
    /* the word itself, then ever shorter prefixes of it, at letter boundaries */
    for (size_t l = len; l > 0; l--) {
        if (l < len && ((unsigned char)word[l] & 0xC0) == 0x80)
            continue; /* inside a letter */
        int found, at = form_find(c, word, l, &found);
        if (!found)
            continue;
        int ci = l == len && c->forms[at].whole >= 0 ? c->forms[at].whole : c->forms[at].prefix;
        if (ci < 0)
            continue;
        size_t il = strlen(c->concept_ids[ci]);
        if (il + 2 > n)
            return 0;
        out[0] = '=';
        memcpy(out + 1, c->concept_ids[ci], il + 1);
        return 1;
    }
    return 0;
}

/* ==== Word sets ==== */

/* Whether word[0..len) is one of the space-separated words of list. */
static int in_list(const char *list, const char *word, size_t len)
{
    const char *p = list;
    while (*p) {
        const char *e = strchr(p, ' ');
        size_t l = e ? (size_t)(e - p) : strlen(p);
        if (l == len && !memcmp(p, word, len))
            return 1;
        if (!e)
            break;
        p = e + 1;
    }
    return 0;
}

/* Code points of s[0..len) (valid folded UTF-8) and the byte length of its first k. */
static size_t cps(const char *s, size_t len, size_t k, size_t *prefix)
{
    size_t n = 0, i = 0;
    *prefix = len;
    while (i < len) {
        if (n == k)
            *prefix = i;
        i += ((unsigned char)s[i] & 0x80) ? 2 : 1;
        n++;
    }
    return n;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int problem_words(const problem_cfg_t *c, const char *text, char *out, size_t n)
{
    char folded[4096], stems[PROBLEM_WORDS_MAX][96];
    const char *ptr[PROBLEM_WORDS_MAX] = {0};
    int k = 0;
    problem_fold(text, folded, sizeof folded);
    for (char *p = folded; *p && k < PROBLEM_WORDS_MAX;) {
        char *e = strchr(p, ' ');
        size_t len = e ? (size_t)(e - p) : strlen(p), cut;
        size_t chars = cps(p, len, (size_t)c->stem_chars, &cut);
        if (c->n_forms && problem_concept_of(c, p, len, stems[k], sizeof stems[0])) {
            ptr[k] = stems[k];
            k++;
        } else if ((int)chars >= c->min_word_chars && !in_list(c->stopwords, p, len) &&
                   !(p[0] >= '0' && p[0] <= '9') && cut < sizeof stems[0]) {
            memcpy(stems[k], p, cut);
            stems[k][cut] = '\0';
            ptr[k] = stems[k];
            k++;
        }
        if (!e)
            break;
        p = e + 1;
    }
    qsort(ptr, (size_t)k, sizeof *ptr, cmp_str);
    size_t o = 0;
    int m = 0;
    if (n)
        out[0] = '\0';
    for (int i = 0; i < k; i++) {
        if (i && !strcmp(ptr[i], ptr[i - 1]))
            continue;
        size_t l = strlen(ptr[i]);
        if (o + l + 2 > n)
            break;
        if (o)
            out[o++] = ' ';
        memcpy(out + o, ptr[i], l + 1);
        o += l;
        m++;
    }
    return m;
}

/* Splits a word set (a copy in buf) into its words. */
static int split(const char *s, char *buf, size_t n, const char **w, int max)
{
    str_copy(buf, n, s ? s : "");
    int k = 0;
    for (char *p = buf; *p && k < max;) {
        w[k++] = p;
        char *e = strchr(p, ' ');
        if (!e)
            break;
        *e = '\0';
        p = e + 1;
    }
    return k;
}

static size_t chars_of(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

double problem_similarity(const char *a, const char *b)
{
    char ba[1024], bb[1024];
    const char *wa[PROBLEM_WORDS_MAX * 2], *wb[PROBLEM_WORDS_MAX * 2];
    int na = split(a, ba, sizeof ba, wa, PROBLEM_WORDS_MAX * 2);
    int nb = split(b, bb, sizeof bb, wb, PROBLEM_WORDS_MAX * 2);
    if (!na && !nb)
        return 0;
    /* a word matches an equal one, or one it is a prefix of (a stem shorter than stem_chars:
     * жылу and жылуд[ың]); each word of b matches once */
    int common = 0;
    unsigned char used[PROBLEM_WORDS_MAX * 2] = {0};
    for (int i = 0; i < na; i++) {
        size_t la = strlen(wa[i]);
        for (int j = 0; j < nb; j++) {
            if (used[j])
                continue;
            size_t lb = strlen(wb[j]), l = la < lb ? la : lb;
            if (!strncmp(wa[i], wb[j], l) &&
                (la == lb || (wa[i][0] != '=' && chars_of(wa[i], l) >= 4))) {
                used[j] = 1;
                common++;
                break;
            }
        }
    }
    return 2.0 * common / (na + nb);
}

/* ==== Places ==== */

static int numeric(const char *w, size_t len)
{
    return len && w[0] >= '0' && w[0] <= '9';
}

/* The address_ends rule for the word w[0..len): the bytes of its ending to cut (0: none) and
 * *to[0..*tlen) what to put instead (in c->address_ends). A number is left alone, as is a word of
 * fewer letters than PROBLEM_END_MIN_CHARS. */
static size_t word_end(const problem_cfg_t *c, const char *w, size_t len, const char **to,
                       size_t *tlen)
{
    size_t best = 0, prefix;
    *to = "";
    *tlen = 0;
    if (!len || (w[0] >= '0' && w[0] <= '9') || cps(w, len, 0, &prefix) < PROBLEM_END_MIN_CHARS)
        return 0;
    for (const char *p = c->address_ends; *p;) {
        const char *e = strchr(p, ' ');
        size_t plen = e ? (size_t)(e - p) : strlen(p);
        const char *gt = memchr(p, '>', plen);
        size_t flen = gt ? (size_t)(gt - p) : 0;
        if (flen > best && flen < len && !memcmp(w + len - flen, p, flen)) {
            best = flen;
            *to = gt + 1;
            *tlen = plen - flen - 1;
        }
        if (!e)
            break;
        p = e + 1;
    }
    return best;
}

void problem_place_key(const problem_cfg_t *c, const char *address, char *out, size_t n)
{
    char folded[600];
    const char *tok[64];
    size_t len[64];
    int k = 0, keep[64];
    problem_fold(address, folded, sizeof folded);
    for (char *p = folded; *p && k < 64;) {
        char *e = strchr(p, ' ');
        tok[k] = p;
        len[k] = e ? (size_t)(e - p) : strlen(p);
        keep[k] = 1;
        k++;
        if (!e)
            break;
        p = e + 1;
    }
    for (int i = 0; i < k; i++) {
        if (in_list(c->address_drop, tok[i], len[i]))
            keep[i] = 0;
        else if (in_list(c->address_flat, tok[i], len[i])) {
            keep[i] = 0; /* "кв. 12" (the number after) or "12-пәтер" (before) */
            if (i + 1 < k && numeric(tok[i + 1], len[i + 1]))
                keep[i + 1] = 0;
            else if (i > 0 && numeric(tok[i - 1], len[i - 1]))
                keep[i - 1] = 0;
        }
    }
    size_t o = 0;
    if (n)
        out[0] = '\0';
    for (int i = 0; i < k; i++) {
        if (!keep[i])
            continue;
        const char *to;
        size_t tlen, cut = word_end(c, tok[i], len[i], &to, &tlen);
        if (o + len[i] - cut + tlen + 2 > n)
            continue;
        if (o)
            out[o++] = ' ';
        memcpy(out + o, tok[i], len[i] - cut);
        o += len[i] - cut;
        memcpy(out + o, to, tlen);
        o += tlen;
        out[o] = '\0';
    }
}

void problem_place_fingerprint(const problem_cfg_t *c, char out[17])
{
    uint64_t h = STR_FNV1A_INIT;
    const char *parts[] = {c->address_drop, "\n", c->address_flat, "\n", c->address_ends};
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
        h = str_fnv1a(h, parts[i], strlen(parts[i]));
    snprintf(out, 17, "%016llx", (unsigned long long)h);
}

#define M_PER_DEG 111320.0

/* Cells at least distance_m wide: a degree of longitude is cos(lat) of a degree of
 * latitude, so up to 60 degrees of latitude a cell spans twice the degrees in longitude. */
static void cell_steps(const problem_cfg_t *c, double lat, double *dlat, double *dlon)
{
    *dlat = c->distance_m / M_PER_DEG;
    *dlon = *dlat * (fabs(lat) <= 60 ? 2 : 12);
}

static void cell_ij(const problem_cfg_t *c, double lat, double lon, long *i, long *j)
{
    double dlat, dlon;
    cell_steps(c, lat, &dlat, &dlon);
    *i = (long)floor(lat / dlat);
    *j = (long)floor(lon / dlon);
}

void problem_cell(const problem_cfg_t *c, double lat, double lon, char out[32])
{
    long i, j;
    cell_ij(c, lat, lon, &i, &j);
    snprintf(out, 32, "c%ld:%ld", i, j);
}

void problem_cells_around(const problem_cfg_t *c, double lat, double lon, char out[9][32])
{
    long i, j;
    cell_ij(c, lat, lon, &i, &j);
    int k = 0;
    for (long di = -1; di <= 1; di++)
        for (long dj = -1; dj <= 1; dj++)
            snprintf(out[k++], 32, "c%ld:%ld", i + di, j + dj);
}

double problem_distance_m(double lat1, double lon1, double lat2, double lon2)
{
    const double r = 6371008.8, rad = 3.14159265358979323846 / 180;
    double dlat = (lat2 - lat1) * rad, dlon = (lon2 - lon1) * rad;
    double h = sin(dlat / 2) * sin(dlat / 2) +
               cos(lat1 * rad) * cos(lat2 * rad) * sin(dlon / 2) * sin(dlon / 2);
    return 2 * r * asin(sqrt(h > 1 ? 1 : h));
}

/* ==== Verdicts and states ==== */

int problem_decision_on_merits(const char *decision)
{
    return problem_decision_solves(decision) ||
           (decision && (!strcmp(decision, "refused") || !strcmp(decision, "explained")));
}

int problem_decision_solves(const char *decision)
{
    return decision && (!strcmp(decision, "satisfied") || !strcmp(decision, "partly_satisfied"));
}

int problem_verdict_recurs(const char *decision, const char *verdict)
{
    return problem_decision_solves(decision) && verdict && !strcmp(verdict, "no");
}

const char *problem_state(const problem_summary_t *s)
{
    int solved = !s->latest_open && problem_decision_solves(s->latest_decision);
    int confirmed = solved && !strcmp(s->latest_verdict, "yes");
    if (s->recurrences > 0 && !confirmed)
        return "recurring";
    if (!solved)
        return "open";
    return confirmed ? "solved_confirmed" : "solved_unconfirmed";
}

void problem_applicant_key(const char *id_number, const char *name, const char *phone,
                           const char *email, char *out, size_t n)
{
    if (n)
        out[0] = '\0';
    if (id_number && *id_number) {
        snprintf(out, n, "id:%s", id_number);
        return;
    }
    if (!name || !*name)
        return;
    char fname[300], contact[260] = "";
    problem_fold(name, fname, sizeof fname);
    if (phone && *phone) {
        size_t o = 0;
        for (const char *p = phone; *p && o + 1 < sizeof contact; p++)
            if (*p >= '0' && *p <= '9')
                contact[o++] = *p;
        contact[o] = '\0';
        /* 8 705 ... and +7 705 ... are one number */
        if (o == 11 && contact[0] == '8')
            contact[0] = '7';
    } else if (email && *email)
        problem_fold(email, contact, sizeof contact);
    if (fname[0] && contact[0])
        snprintf(out, n, "np:%s|%s", fname, contact);
}
