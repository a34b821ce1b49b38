/* Reading JSON request bodies into C values with errors that name the field.
 * Every function returns OT_OK or fills err (422 for a wrong or missing field). `path` is the
 * field's full name in the request ("applicant.iin"). */
#ifndef OT_HTTP_INPUT_H
#define OT_HTTP_INPUT_H

#include <jansson.h>
#include <stdint.h>

#include "util/err.h"

/* Refuses members not in keys (a NULL-terminated list): catches typos in field names. */
int in_only(json_t *obj, const char *const keys[], const char *prefix, ot_err_t *err);

/* A string member; absent or null gives *out = NULL unless required. The text is checked to
 * be valid UTF-8 without control characters (newlines allowed if multiline) and at most
 * max_chars characters long. */
int in_str(json_t *obj, const char *key, const char *path, int required, size_t max_chars,
           int multiline, const char **out, ot_err_t *err);

/* An integer member within [min, max]; absent leaves *out unchanged unless required. */
int in_int(json_t *obj, const char *key, const char *path, int required, int64_t min, int64_t max,
           int64_t *out, ot_err_t *err);

/* A number member within [min, max]; *present tells whether it was given. */
int in_num(json_t *obj, const char *key, const char *path, double min, double max, double *out,
           int *present, ot_err_t *err);

/* An object member; absent gives NULL unless required. */
int in_obj(json_t *obj, const char *key, const char *path, int required, json_t **out,
           ot_err_t *err);

#endif
