/* GET /healthz: liveness plus what an operator checks first. */
#include "http/handlers.h"
#include "util/version.h"

void h_healthz(http_req_t *req)
{
    svc_store_info_t si;
    svc_store_info(req->app->svc.store, &si);
    http_reply_json(req, 200,
                    json_pack("{s:s, s:s, s:{s:s, s:i, s:i}}", "status", "ok", "version",
                              OTINISH_VERSION, "store", "engine", si.engine, "schema_version",
                              si.schema_version, "schema_latest", si.schema_latest));
}
