/* The appeal record: freeing and copying its owned strings. */
#include "domain/appeal_rec.h"

#include <stdlib.h>
#include <string.h>

void appeal_rec_free(appeal_rec_t *a)
{
    if (!a)
        return;
    free(a->text);
    free(a->address);
    free(a->applicant_name);
    free(a->applicant_address);
    free(a->applicant_phone);
    free(a->applicant_email);
    free(a->extension_reason);
    free(a->answer_text);
    free(a->answer_grounds);
    free(a->rating_comment);
    free(a->verdict_comment);
    memset(a, 0, sizeof *a);
}

int appeal_rec_copy(appeal_rec_t *dst, const appeal_rec_t *src)
{
    *dst = *src;
    char **ptrs[] = {&dst->text,
                     &dst->address,
                     &dst->applicant_name,
                     &dst->applicant_address,
                     &dst->applicant_phone,
                     &dst->applicant_email,
                     &dst->extension_reason,
                     &dst->answer_text,
                     &dst->answer_grounds,
                     &dst->rating_comment,
                     &dst->verdict_comment};
    const char *from[sizeof ptrs / sizeof ptrs[0]];
    for (size_t i = 0; i < sizeof ptrs / sizeof ptrs[0]; i++) {
        from[i] = *ptrs[i];
        *ptrs[i] = NULL;
    }
    int ok = 1;
    for (size_t i = 0; i < sizeof ptrs / sizeof ptrs[0]; i++)
        if (from[i] && !(*ptrs[i] = strdup(from[i])))
            ok = 0;
    if (!ok)
        appeal_rec_free(dst);
    return ok ? 0 : -1;
}
