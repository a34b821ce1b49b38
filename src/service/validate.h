/* The text rules the use cases apply to their inputs (domain/text.h: valid UTF-8, no
 * control characters, length in characters, e-mail shape), re-exported for the adapters that
 * check a field while they parse it, so a request names the offending field at once. */
#ifndef OT_SERVICE_VALIDATE_H
#define OT_SERVICE_VALIDATE_H

#include "domain/text.h"

#endif
