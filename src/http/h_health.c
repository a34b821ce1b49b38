/* GET /healthz: liveness plus what an operator checks first. */
#include "http/handlers.h"
#include "store/store.h"
#include "util/version.h"

void h_healthz(http_req_t *req)
{
    store_t *s = req->app->svc.store;
    http_reply_json(req, 200,
                    json_pack("{s:s, s:s, s:{s:s, s:i, s:i}}", "status", "ok", "version",
                              OTINISH_VERSION, "store", "engine", store_engine(s), "schema_version",
                              store_schema_version(s), "schema_latest", store_schema_latest()));
}
