#include "service/svc.h"

#include <string.h>

juris_t *svc_juris(const svc_t *svc, const char *code)
{
    if (!code || !*code)
        return svc->n_juris ? svc->juris[0] : NULL;
    for (int i = 0; i < svc->n_juris; i++)
        if (strcmp(svc->juris[i]->code, code) == 0)
            return svc->juris[i];
    return NULL;
}

int svc_init(svc_t *svc, store_t *store, const char *data_dir, ot_err_t *err)
{
    memset(svc, 0, sizeof *svc);
    svc->store = store;
    svc->repeat_window_days = 365;
    return juris_load_all(data_dir, svc->juris, SVC_MAX_JURIS, &svc->n_juris, err);
}

void svc_free(svc_t *svc)
{
    for (int i = 0; i < svc->n_juris; i++)
        juris_free(svc->juris[i]);
    svc->n_juris = 0;
}
