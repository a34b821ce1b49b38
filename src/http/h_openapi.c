/* GET /api/v1/openapi.json: the OpenAPI 3.1 document of the API (docs/openapi.yaml), as
 * compiled into the binary, so that every build serves the description of its own API. */
#include <stdlib.h>
#include <string.h>

#include "http/handlers.h"
#include "http/openapi.h"

void h_openapi(http_req_t *req)
{
    char *copy = malloc(openapi_json_len);
    if (!copy) {
        http_reply_error(req, OT_EINTERNAL, "oom", NULL, "out of memory");
        return;
    }
    memcpy(copy, openapi_json, openapi_json_len);
    http_reply_bytes(req, 200, "application/json; charset=utf-8", copy, openapi_json_len, NULL);
}
