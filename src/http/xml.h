/* A tiny XML writer into a growable buffer with a hard maximum (exceeding it is an error,
 * not a crash), and the Open311 mapping of a JSON value to XML.
 *
 * Open311 defines JSON as a mapping of its XML (the Spark convention): a root list becomes
 * a bare JSON array. xml_from_json goes the other way: an object becomes child elements in
 * insertion order, an array becomes one element per item named by the caller's table
 * (services -> service), null becomes an empty element, true/false/numbers their text. */
#ifndef OT_HTTP_XML_H
#define OT_HTTP_XML_H

#include <jansson.h>
#include <stddef.h>

typedef struct xbuf {
    char *p; /* NUL-terminated text; owned by the buffer */
    size_t len, cap, max;
    int failed; /* out of memory or over max: later writes do nothing */
} xbuf_t;

void xml_init(xbuf_t *b, size_t max);
void xml_free(xbuf_t *b);
/* Hands the text over to the caller (free it with free()); NULL if the buffer failed. The
 * buffer is empty afterwards. */
char *xml_take(xbuf_t *b, size_t *len);

/* Appends text as is / escaped for element content and attribute values. */
void xml_raw(xbuf_t *b, const char *s, size_t n);
void xml_escaped(xbuf_t *b, const char *s);
/* <?xml version="1.0" encoding="utf-8"?> and a newline. */
void xml_declaration(xbuf_t *b);

/* The name of one item of the list element `list` (e.g. "service" for "services"). */
typedef struct xml_items {
    const char *list, *item;
} xml_items_t;

/* Writes <name>v</name>; items is a table ending with {NULL, NULL}; a list not in the table
 * gets items named "item". */
void xml_from_json(xbuf_t *b, const char *name, const json_t *v, const xml_items_t *items);

#endif
