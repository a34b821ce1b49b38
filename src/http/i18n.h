/* The UI's translations (web/i18n/{kk,ru,en}.json) for what the server writes for people:
 * the headers and codes of CSV and XLSX exports and their file names (issue 18). One source
 * of words for the UI and the exports; loaded once per language from the served web
 * folder. */
#ifndef OT_HTTP_I18N_H
#define OT_HTTP_I18N_H

#include "http/http.h"
#include "service/export.h"

/* The language of ?lang= (kk, ru, en): 0 and *lang set (NULL when absent); on a bad value
 * the 422 is sent and -1 returned. */
int http_lang(http_req_t *req, const char **lang);

/* The word for key in lang, NULL when there is none (no web folder, no such key). */
const char *http_i18n(const app_t *app, const char *lang, const char *key);

/* An export language over the UI's words: headers "col.<name>", cells by column (status,
 * kind, channel, decision, metric, applicant_type, language, reason...). ctx is the
 * struct; it must outlive the export. */
typedef struct http_xlang {
    ex_lang_t lang;
    const app_t *app;
    const char *code;
    char key[160];
} http_xlang_t;
void http_xlang_init(http_xlang_t *x, const app_t *app, const char *code);

/* {"kk","ru","en"} of a position or place stored in Russian (svc_form), a missing form
 * being the Russian one; NULL when the regions' tables do not know the text. */
json_t *http_forms(const svc_t *svc, const char *ru);
/* The same written as key: {...} (nothing when unknown). */
void http_jw_forms(jw_t *w, const char *key, const svc_t *svc, const char *ru);

#endif
