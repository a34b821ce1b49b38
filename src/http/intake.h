/* The JSON body of POST /api/v1/appeals read into the service's intake_t, every error naming
 * its field (h_appeals.c; tests/unit/fuzz/intake.c drives it with libFuzzer). */
#ifndef OT_HTTP_INTAKE_H
#define OT_HTTP_INTAKE_H

#include <jansson.h>

#include "service/appeal.h"
#include "util/err.h"

/* Fills in from the object b (whose strings it borrows: b must outlive in). On error err
 * names the field. intake_free releases what it allocated, in both cases. */
int intake_parse(json_t *b, intake_t *in, ot_err_t *err);
void intake_free(intake_t *in);

#endif
