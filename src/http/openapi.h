/* The OpenAPI 3.1 document of the API (docs/openapi.yaml as JSON), compiled in by make
 * (scripts/openapi-json.py) and served at GET /api/v1/openapi.json. */
#ifndef OT_HTTP_OPENAPI_H
#define OT_HTTP_OPENAPI_H

#include <stddef.h>

extern const unsigned char openapi_json[];
extern const size_t openapi_json_len;

#endif
