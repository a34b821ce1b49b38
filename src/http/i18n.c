/* The UI's translations for exports (http/i18n.h). */
#include "http/i18n.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

static const char *const langs[] = {"kk", "ru", "en"};
#define N_LANGS 3

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static json_t *dicts[N_LANGS];
static int tried[N_LANGS];

int http_lang(http_req_t *req, const char **lang)
{
    *lang = http_query_opt(req, "lang");
    if (!*lang)
        return 0;
    for (int i = 0; i < N_LANGS; i++)
        if (!strcmp(*lang, langs[i]))
            return 0;
    http_reply_error(req, OT_EINVAL, "unknown_value", "lang", "lang is kk, ru or en");
    return -1;
}

static json_t *dict(const app_t *app, const char *lang)
{
    int i = 0;
    while (i < N_LANGS && strcmp(langs[i], lang))
        i++;
    if (i == N_LANGS)
        return NULL;
    pthread_mutex_lock(&lock);
    if (!tried[i] && app->cfg.web_dir) {
        char path[1024];
        snprintf(path, sizeof path, "%s/i18n/%s.json", app->cfg.web_dir, lang);
        dicts[i] = json_load_file(path, 0, NULL);
        if (dicts[i] && !json_is_object(dicts[i])) {
            json_decref(dicts[i]);
            dicts[i] = NULL;
        }
        tried[i] = 1;
    }
    pthread_mutex_unlock(&lock);
    return dicts[i];
}

const char *http_i18n(const app_t *app, const char *lang, const char *key)
{
    json_t *d = lang ? dict(app, lang) : NULL;
    return d ? json_string_value(json_object_get(d, key)) : NULL;
}

static const char *x_header(void *ctx, const char *col)
{
    http_xlang_t *x = ctx;
    snprintf(x->key, sizeof x->key, "col.%s", col);
    return http_i18n(x->app, x->code, x->key);
}

/* The vocabulary a column's codes come from (the UI's key groups). */
static const struct {
    const char *col, *group[2];
} vocab[] = {
    {"status", {"status", "vstatus"}}, {"kind", {"kind", "alert"}},
    {"channel", {"channel", NULL}},    {"decision", {"decision", NULL}},
    {"metric", {"metric", "ops"}},     {"applicant_type", {"applicant", NULL}},
    {"language", {"lang", NULL}},      {"dimension", {"dimension", NULL}},
    {"reason", {"reason", NULL}},      {"notice", {"ntpl", NULL}},
    {"object_type", {"otype", NULL}},
};

static const char *x_value(void *ctx, const char *col, const char *cell)
{
    http_xlang_t *x = ctx;
    for (size_t i = 0; i < sizeof vocab / sizeof vocab[0]; i++) {
        if (strcmp(vocab[i].col, col))
            continue;
        for (int g = 0; g < 2 && vocab[i].group[g]; g++) {
            snprintf(x->key, sizeof x->key, "%s.%s", vocab[i].group[g], cell);
            const char *s = http_i18n(x->app, x->code, x->key);
            if (s)
                return s;
        }
    }
    return NULL;
}

void http_xlang_init(http_xlang_t *x, const app_t *app, const char *code)
{
    memset(x, 0, sizeof *x);
    x->app = app;
    x->code = code;
    x->lang.header = x_header;
    x->lang.value = x_value;
    x->lang.ctx = x;
}

json_t *http_forms(const svc_t *svc, const char *ru)
{
    const char *kk = svc_form(svc, ru, "kk"), *en = svc_form(svc, ru, "en");
    if (!kk && !en)
        return NULL;
    return json_pack("{s:s, s:s, s:s}", "kk", kk ? kk : ru, "ru", ru, "en", en ? en : ru);
}

void http_jw_forms(jw_t *w, const char *key, const svc_t *svc, const char *ru)
{
    const char *kk = svc_form(svc, ru, "kk"), *en = svc_form(svc, ru, "en");
    if (!kk && !en)
        return;
    jw_key(w, key);
    jw_obj(w);
    jw_kstr(w, "kk", kk ? kk : ru);
    jw_kstr(w, "ru", ru);
    jw_kstr(w, "en", en ? en : ru);
    jw_end(w);
}
