#include "http/input.h"

#include <stdio.h>
#include <string.h>

#include "service/validate.h"

int in_only(json_t *obj, const char *const keys[], const char *prefix, ot_err_t *err)
{
    const char *k;
    json_t *v;
    json_object_foreach(obj, k, v)
    {
        int known = 0;
        for (int i = 0; keys[i] && !known; i++)
            known = strcmp(keys[i], k) == 0;
        if (!known) {
            char path[96];
            snprintf(path, sizeof path, "%s%s%.60s", prefix ? prefix : "", prefix ? "." : "", k);
            return ot_err(err, OT_EINVAL, "unknown_field", path, "unknown field '%s'", path);
        }
    }
    return OT_OK;
}

static int missing(const char *path, ot_err_t *err)
{
    return ot_err(err, OT_EINVAL, "required", path, "%s is required", path);
}

static int wrong_type(const char *path, const char *want, ot_err_t *err)
{
    return ot_err(err, OT_EINVAL, "wrong_type", path, "%s must be %s", path, want);
}

int in_str(json_t *obj, const char *key, const char *path, int required, size_t max_chars,
           int multiline, const char **out, ot_err_t *err)
{
    json_t *v = json_object_get(obj, key);
    *out = NULL;
    if (!v || json_is_null(v))
        return required ? missing(path, err) : OT_OK;
    if (!json_is_string(v))
        return wrong_type(path, "a string", err);
    const char *s = json_string_value(v);
    size_t n = json_string_length(v);
    int rc = text_check(s, n, max_chars, multiline, path, err);
    if (rc)
        return rc;
    if (required && text_required(s, n, path, err))
        return OT_EINVAL;
    *out = s;
    return OT_OK;
}

int in_int(json_t *obj, const char *key, const char *path, int required, int64_t min, int64_t max,
           int64_t *out, ot_err_t *err)
{
    json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v))
        return required ? missing(path, err) : OT_OK;
    if (!json_is_integer(v))
        return wrong_type(path, "an integer", err);
    json_int_t i = json_integer_value(v);
    if (i < min || i > max)
        return ot_err(err, OT_EINVAL, "out_of_range", path, "%s must be between %lld and %lld",
                      path, (long long)min, (long long)max);
    *out = i;
    return OT_OK;
}

int in_num(json_t *obj, const char *key, const char *path, double min, double max, double *out,
           int *present, ot_err_t *err)
{
    json_t *v = json_object_get(obj, key);
    *present = 0;
    if (!v || json_is_null(v))
        return OT_OK;
    if (!json_is_number(v))
        return wrong_type(path, "a number", err);
    double d = json_number_value(v);
    if (!(d >= min && d <= max))
        return ot_err(err, OT_EINVAL, "out_of_range", path, "%s must be between %g and %g", path,
                      min, max);
    *out = d;
    *present = 1;
    return OT_OK;
}

int in_obj(json_t *obj, const char *key, const char *path, int required, json_t **out,
           ot_err_t *err)
{
    json_t *v = json_object_get(obj, key);
    *out = NULL;
    if (!v || json_is_null(v))
        return required ? missing(path, err) : OT_OK;
    if (!json_is_object(v))
        return wrong_type(path, "an object", err);
    *out = v;
    return OT_OK;
}
