/* The Open311 record: freeing its owned strings. */
#include "domain/o311_rec.h"

#include <stdlib.h>
#include <string.h>

void o311_rec_free(o311_rec_t *r)
{
    if (!r)
        return;
    free(r->text);
    free(r->address);
    free(r->media_url);
    memset(r, 0, sizeof *r);
}
