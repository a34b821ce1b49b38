#include "service/juris.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/file.h"
#include "util/str.h"
#include "util/tsv.h"

#define MAX_DATA_FILE (1024 * 1024)

/* Prefixes a parse error with the file path, so "line 12: ..." can be found. */
static int prefix_path(ot_err_t *err, const char *path, int rc)
{
    if (err) {
        char msg[sizeof err->message];
        /* A long path may cut the message short; the line number comes first in it anyway. */
        if (snprintf(msg, sizeof msg, "%s %s", path, err->message) >= (int)sizeof msg)
            msg[sizeof msg - 1] = '\0';
        memcpy(err->message, msg, sizeof msg);
    }
    return rc;
}

int juris_load(const char *data_dir, const char *code, juris_t **out, ot_err_t *err)
{
    int rc = OT_OK;
    char path[4096];
    char *cal_text = NULL, *terms_text = NULL;
    size_t cal_len = 0, terms_len = 0;
    juris_t *j = NULL;

    size_t n = code ? strlen(code) : 0;
    int ok = n >= 2 && n < sizeof j->code;
    for (size_t i = 0; ok && i < n; i++)
        ok = code[i] >= 'a' && code[i] <= 'z';
    if (!ok)
        return ot_err(err, OT_EINVAL, "bad_jurisdiction", "jurisdiction",
                      "jurisdiction code must be 2-7 lower-case letters");
    if (!(j = calloc(1, sizeof *j))) {
        rc = ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
        goto out;
    }
    memcpy(j->code, code, n + 1);

    snprintf(path, sizeof path, "%s/jurisdictions/%s/calendar.txt", data_dir, code);
    if ((rc = file_read(path, MAX_DATA_FILE, &cal_text, &cal_len, err)))
        goto out;
    if ((rc = cal_parse(cal_text, cal_len, &j->cal, err))) {
        prefix_path(err, path, rc);
        goto out;
    }
    if (strcmp(cal_jurisdiction(j->cal), code)) {
        rc = ot_err(err, OT_EINVAL, "juris_mismatch", "jurisdiction", "%s is for '%s', not '%s'",
                    path, cal_jurisdiction(j->cal), code);
        goto out;
    }

    snprintf(path, sizeof path, "%s/jurisdictions/%s/terms.txt", data_dir, code);
    if ((rc = file_read(path, MAX_DATA_FILE, &terms_text, &terms_len, err)))
        goto out;
    if ((rc = policy_parse(terms_text, terms_len, &j->policy, err))) {
        prefix_path(err, path, rc);
        goto out;
    }
    if (strcmp(policy_jurisdiction(j->policy), code)) {
        rc = ot_err(err, OT_EINVAL, "juris_mismatch", "jurisdiction", "%s is for '%s', not '%s'",
                    path, policy_jurisdiction(j->policy), code);
        goto out;
    }

    /* optional: the grounds to return without consideration */
    snprintf(path, sizeof path, "%s/jurisdictions/%s/returns.tsv", data_dir, code);
    char *ret_text = NULL;
    size_t ret_len = 0;
    if (!file_read(path, MAX_DATA_FILE, &ret_text, &ret_len, NULL)) {
        static const char *const cols[] = {"code", "text_kk", "text_ru", "status", "source", NULL};
        rc = tsv_parse(ret_text, ret_len, "returns.tsv", &j->returns, err);
        free(ret_text);
        if (!rc)
            rc = tsv_require(j->returns, cols, err);
        if (rc) {
            prefix_path(err, path, rc);
            goto out;
        }
    }

    /* optional: the thresholds of grouping appeals into problems (issue 17) */
    j->problems = problem_default_cfg;
    snprintf(path, sizeof path, "%s/jurisdictions/%s/problems.tsv", data_dir, code);
    char *pr_text = NULL;
    size_t pr_len = 0;
    if (!file_read(path, MAX_DATA_FILE, &pr_text, &pr_len, NULL)) {
        static const char *const cols[] = {"key", "value", "source", NULL};
        tsv_t *t = NULL;
        rc = tsv_parse(pr_text, pr_len, "problems.tsv", &t, err);
        free(pr_text);
        if (!rc)
            rc = tsv_require(t, cols, err);
        for (size_t i = 0; !rc && i < t->n_rows; i++)
            rc = problem_cfg_set(&j->problems, tsv_col(&t->rows[i], "key"),
                                 tsv_col(&t->rows[i], "value"), err);
        tsv_free(t);
        if (rc) {
            prefix_path(err, path, rc);
            goto out;
        }
    }

    /* optional: the concepts shared by Kazakh and Russian, so that appeals about one thing in
     * the two languages are grouped into one problem (issue 17; concepts.tsv: concept, kk,
     * ru, source) */
    snprintf(path, sizeof path, "%s/jurisdictions/%s/concepts.tsv", data_dir, code);
    char *co_text = NULL;
    size_t co_len = 0;
    if (!file_read(path, MAX_DATA_FILE, &co_text, &co_len, NULL)) {
        static const char *const cols[] = {"concept", "kk", "ru", "source", NULL};
        tsv_t *t = NULL;
        rc = tsv_parse(co_text, co_len, "concepts.tsv", &t, err);
        free(co_text);
        if (!rc)
            rc = tsv_require(t, cols, err);
        for (size_t i = 0; !rc && i < t->n_rows; i++) {
            char forms[2048];
            snprintf(forms, sizeof forms, "%s %s", tsv_col(&t->rows[i], "kk"),
                     tsv_col(&t->rows[i], "ru"));
            rc = problem_cfg_concept(&j->problems, tsv_col(&t->rows[i], "concept"), forms, err);
        }
        tsv_free(t);
        if (rc) {
            prefix_path(err, path, rc);
            goto out;
        }
    }

    uint64_t h = str_fnv1a(STR_FNV1A_INIT, cal_text, cal_len);
    h = str_fnv1a(h, "\0", 1); /* so moving text between the files changes the hash */
    h = str_fnv1a(h, terms_text, terms_len);
    j->fingerprint = h;
    snprintf(j->fingerprint_hex, sizeof j->fingerprint_hex, "%016llx", (unsigned long long)h);
    *out = j;
    j = NULL;
out:
    juris_free(j);
    free(cal_text);
    free(terms_text);
    return rc;
}

void juris_free(juris_t *j)
{
    if (!j)
        return;
    cal_free(j->cal);
    policy_free(j->policy);
    tsv_free(j->returns);
    free(j);
}

int juris_load_all(const char *data_dir, juris_t **out, int max, int *n, ot_err_t *err)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/jurisdictions", data_dir);
    DIR *d = opendir(path);
    if (!d)
        return ot_err(err, OT_ENOTFOUND, "file_open", NULL, "cannot open %s", path);
    int rc = OT_OK;
    *n = 0;
    struct dirent *e;
    while (!rc && (e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        if (*n == max) {
            rc = ot_err(err, OT_EINVAL, "too_many_jurisdictions", NULL,
                        "more than %d jurisdictions under %s", max, path);
            break;
        }
        char sub[1400];
        struct stat stt;
        snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
        if (stat(sub, &stt) || !S_ISDIR(stt.st_mode))
            continue;
        rc = juris_load(data_dir, e->d_name, &out[*n], err);
        if (!rc) {
            /* the default (kz) goes first */
            if (strcmp(out[*n]->code, "kz") == 0 && *n > 0) {
                juris_t *t = out[0];
                out[0] = out[*n];
                out[*n] = t;
            }
            (*n)++;
        }
    }
    closedir(d);
    if (rc) {
        for (int i = 0; i < *n; i++)
            juris_free(out[i]);
        *n = 0;
    }
    return rc;
}
