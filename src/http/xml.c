#include "http/xml.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void xml_init(xbuf_t *b, size_t max)
{
    memset(b, 0, sizeof *b);
    b->max = max;
}

void xml_free(xbuf_t *b)
{
    free(b->p);
    memset(b, 0, sizeof *b);
}

char *xml_take(xbuf_t *b, size_t *len)
{
    char *p = b->failed ? NULL : b->p;
    if (p && !p[0] && !b->len)
        p = NULL;
    *len = p ? b->len : 0;
    if (!p)
        free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
    return p;
}

void xml_raw(xbuf_t *b, const char *s, size_t n)
{
    if (b->failed)
        return;
    if (b->len + n + 1 > b->max) {
        b->failed = 1;
        return;
    }
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 1024;
        while (cap < b->len + n + 1)
            cap *= 2;
        if (cap > b->max)
            cap = b->max;
        char *np = realloc(b->p, cap);
        if (!np) {
            b->failed = 1;
            return;
        }
        b->p = np;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void put(xbuf_t *b, const char *s)
{
    xml_raw(b, s, strlen(s));
}

void xml_escaped(xbuf_t *b, const char *s)
{
    const char *run = s;
    for (; *s; s++) {
        const char *rep = NULL;
        unsigned char c = (unsigned char)*s;
        switch (c) {
        case '&':
            rep = "&amp;";
            break;
        case '<':
            rep = "&lt;";
            break;
        case '>':
            rep = "&gt;";
            break;
        case '"':
            rep = "&quot;";
            break;
        case '\'':
            rep = "&apos;";
            break;
        default:
            /* XML 1.0 has no way to write other C0 controls: drop them (input checks refuse
             * them anyway) */
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
                rep = "";
        }
        if (rep) {
            xml_raw(b, run, (size_t)(s - run));
            put(b, rep);
            run = s + 1;
        }
    }
    xml_raw(b, run, (size_t)(s - run));
}

void xml_declaration(xbuf_t *b)
{
    put(b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
}

static const char *item_name(const xml_items_t *items, const char *list)
{
    for (; items && items->list; items++)
        if (!strcmp(items->list, list))
            return items->item;
    return "item";
}

void xml_from_json(xbuf_t *b, const char *name, const json_t *v, const xml_items_t *items)
{
    char num[64];
    put(b, "<");
    put(b, name);
    if (!v || json_is_null(v)) {
        put(b, "/>");
        return;
    }
    put(b, ">");
    switch (json_typeof(v)) {
    case JSON_OBJECT: {
        for (void *it = json_object_iter((json_t *)v); it;
             it = json_object_iter_next((json_t *)v, it))
            xml_from_json(b, json_object_iter_key(it), json_object_iter_value(it), items);
        break;
    }
    case JSON_ARRAY: {
        const char *item = item_name(items, name);
        for (size_t i = 0; i < json_array_size(v); i++)
            xml_from_json(b, item, json_array_get(v, i), items);
        break;
    }
    case JSON_STRING:
        xml_escaped(b, json_string_value(v));
        break;
    case JSON_INTEGER:
        snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        put(b, num);
        break;
    case JSON_REAL:
        snprintf(num, sizeof num, "%.15g", json_real_value(v));
        put(b, num);
        break;
    case JSON_TRUE:
        put(b, "true");
        break;
    case JSON_FALSE:
        put(b, "false");
        break;
    default:
        break;
    }
    put(b, "</");
    put(b, name);
    put(b, ">");
}
