/* GET /healthz: liveness plus what an operator checks first, including whether the store
 * takes writes (a full disk answers 503 with the reason). */
#include <pthread.h>
#include <stdio.h>

#include "http/handlers.h"
#include "util/log.h"
#include "util/version.h"

/* The write probe runs at most once per PROBE_EVERY_US, whatever the polling rate; a store
 * failure seen by any request within RECENT_US also makes the server unhealthy (a probe of
 * one row can fit where a real write does not). */
#define PROBE_EVERY_US (1000000LL)
#define RECENT_US      (5LL * 1000000)

static pthread_mutex_t probe_mu = PTHREAD_MUTEX_INITIALIZER;
static int64_t probed_at;
static int probe_rc;
static char probe_why[320];

void h_healthz(http_req_t *req)
{
    svc_store_info_t si;
    svc_store_info(req->app->svc.store, &si);
    int64_t now = clock_now_us();
    char why[320] = "";
    pthread_mutex_lock(&probe_mu);
    if (!probed_at || now - probed_at >= PROBE_EVERY_US || now < probed_at) {
        ot_err_t err;
        probe_rc = svc_store_writable(req->app->svc.store, now, &err);
        snprintf(probe_why, sizeof probe_why, "%s: %s", probe_rc ? err.code : "",
                 probe_rc ? err.message : "");
        probed_at = now;
    }
    int rc = probe_rc;
    if (rc)
        snprintf(why, sizeof why, "%s", probe_why);
    pthread_mutex_unlock(&probe_mu);
    if (!rc && http_store_failed_since(now - RECENT_US, why, sizeof why))
        rc = OT_EUNAVAIL;
    /* roles: whether this node runs the jobs that run on one node at a time (issue 19) */
    json_t *store =
        json_pack("{s:s, s:i, s:i, s:b, s:{s:b, s:b, s:b}, s:s}", "engine", si.engine,
                  "schema_version", si.schema_version, "schema_latest", si.schema_latest,
                  "writable", !rc, "roles", "sweeper", si.sweeper, "delivery", si.delivery,
                  "publisher", si.publisher, "reads", si.read_replica ? "replica" : "primary");
    if (rc) {
        json_object_set_new(store, "reason", json_string(why));
        http_reply_json(req, http_status_of(rc),
                        json_pack("{s:s, s:s, s:o}", "status", "unavailable", "version",
                                  OTINISH_VERSION, "store", store));
        http_reply_header(req, "Retry-After", "30");
        return;
    }
    http_reply_json(
        req, 200,
        json_pack("{s:s, s:s, s:o}", "status", "ok", "version", OTINISH_VERSION, "store", store));
}
