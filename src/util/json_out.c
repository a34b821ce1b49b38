#include "util/json_out.h"

#include <string.h>

#include "util/jw.h"

static void put_value(jw_t *w, const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: {
        jw_obj(w);
        for (void *it = json_object_iter((json_t *)v); it;
             it = json_object_iter_next((json_t *)v, it)) {
            jw_key(w, json_object_iter_key(it));
            put_value(w, json_object_iter_value(it));
        }
        jw_end(w);
        break;
    }
    case JSON_ARRAY:
        jw_arr(w);
        for (size_t i = 0; i < json_array_size(v); i++)
            put_value(w, json_array_get(v, i));
        jw_end(w);
        break;
    case JSON_STRING:
        jw_strn(w, json_string_value(v), json_string_length(v));
        break;
    case JSON_INTEGER:
        jw_int(w, json_integer_value(v));
        break;
    case JSON_REAL:
        jw_real(w, json_real_value(v));
        break;
    case JSON_TRUE:
    case JSON_FALSE:
        jw_bool(w, json_is_true(v));
        break;
    case JSON_NULL:
        jw_null(w);
        break;
    }
}

char *json_out(const json_t *v, size_t *len)
{
    if (!v)
        return NULL;
    jw_t w = JW_INIT;
    put_value(&w, v);
    return jw_finish(&w, len);
}

void jw_json(jw_t *w, const json_t *v)
{
    if (v)
        put_value(w, v);
}
