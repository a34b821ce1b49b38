/* Every route handler, one line each; the table is in routes.c. */
#ifndef OT_HTTP_HANDLERS_H
#define OT_HTTP_HANDLERS_H

#include "http/http.h"

void h_healthz(http_req_t *req);

#endif
