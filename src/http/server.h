/* The HTTP server: libmicrohttpd with an epoll thread pool. */
#ifndef OT_HTTP_SERVER_H
#define OT_HTTP_SERVER_H

#include "http/http.h"

typedef struct http_server http_server_t;

/* Starts serving app on app->cfg. The chosen port is in *port_out (useful with port 0).
 * app must outlive the server. */
int http_server_start(app_t *app, http_server_t **out, int *port_out, ot_err_t *err);

/* Stops accepting, lets requests in flight finish (up to grace_ms), then stops. */
void http_server_stop(http_server_t *srv, int grace_ms);

#endif
