/* GET /metrics in the Prometheus text exposition format (docs/operations.md "Metrics"):
 * requests and their latency per route, counted here as each request completes, and the
 * store's and the background work's figures from service/metrics.h. Only the addresses in
 * cfg.metrics_allow may read it. */
#ifndef OT_HTTP_METRICS_H
#define OT_HTTP_METRICS_H

#include <stdint.h>

#include "http/router.h"

/* Counts one finished request: route is its entry in http_routes when it matched one (NULL
 * otherwise: the static UI when it got a success, else unmatched); us its duration; aside
 * whether it ran on a request thread (set aside from the polling threads). */
void http_metrics_record(const http_route_t *route, int status, int64_t us, int aside);

void h_metrics(http_req_t *req);

#endif
