/* The body of POST /api/v1/appeals into an intake (intake.h). */
#include "http/intake.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/input.h"

/* applicant.signatures: [{"name", "iin"?}] of a collective appeal, into in (arrays the
 * caller frees with free_signatures; the strings stay in the JSON). */
static int read_signatures(json_t *ap, intake_t *in, ot_err_t *err)
{
    static const char *const skeys[] = {"name", "iin", NULL};
    json_t *list = json_object_get(ap, "signatures"), *one;
    if (!list)
        return OT_OK;
    if (!json_is_array(list))
        return ot_err(err, OT_EINVAL, "wrong_type", "applicant.signatures",
                      "applicant.signatures is a list of {name, iin}");
    size_t n = json_array_size(list), i;
    if (n > INTAKE_MAX_SIGNATURES)
        return ot_err(err, OT_EINVAL, "out_of_range", "applicant.signatures",
                      "at most %d signatures", INTAKE_MAX_SIGNATURES);
    const char **names = calloc(n + 1, sizeof *names), **iins = calloc(n + 1, sizeof *iins);
    in->sig_names = names;
    in->sig_iins = iins;
    if (!names || !iins)
        return ot_err(err, OT_EINTERNAL, "oom", NULL, "out of memory");
    json_array_foreach(list, i, one)
    {
        char f[48];
        snprintf(f, sizeof f, "applicant.signatures[%zu]", i);
        int rc;
        if (!json_is_object(one))
            return ot_err(err, OT_EINVAL, "wrong_type", f, "%s is an object {name, iin}", f);
        if ((rc = in_only(one, skeys, f, err)) ||
            (rc = in_str(one, "name", "applicant.signatures.name", 1, 300, 0, &names[i], err)) ||
            (rc = in_str(one, "iin", "applicant.signatures.iin", 0, 12, 0, &iins[i], err)))
            return rc;
    }
    in->n_signatures = n;
    return OT_OK;
}

void intake_free(intake_t *in)
{
    free((void *)in->sig_names);
    free((void *)in->sig_iins);
    in->sig_names = in->sig_iins = NULL;
}

int intake_parse(json_t *b, intake_t *in, ot_err_t *err)
{
    static const char *const keys[] = {"kind",         "channel",
                                       "category",     "district",
                                       "language",     "text",
                                       "address",      "lat",
                                       "lon",          "applicant",
                                       "complaint_of", "access_code",
                                       "received_at",  "received_reason",
                                       "addressed_to", NULL};
    static const char *const akeys[] = {"type",        "full_name",      "iin",   "name",
                                        "bin",         "postal_address", "phone", "email",
                                        "signatories", "signatures",     NULL};
    json_t *ap;
    int has_lat = 0, has_lon = 0, rc;
    memset(in, 0, sizeof *in);
    /* A complaint about an earlier appeal (complaint_of and its access code) takes the
     * applicant, the topic, the place and the language from that appeal when they are left
     * out (issue 18): the number and code already say who complains and about what. */
    json_t *kind = json_object_get(b, "kind"), *of = json_object_get(b, "complaint_of");
    int req = !(json_is_string(kind) && !strcmp(json_string_value(kind), "complaint") &&
                json_is_string(of) && json_string_length(of) > 0);
    if ((rc = in_only(b, keys, NULL, err)) ||
        (rc = in_str(b, "kind", "kind", 1, 32, 0, &in->kind, err)) ||
        (rc = in_str(b, "channel", "channel", 0, 32, 0, &in->channel, err)) ||
        (rc = in_str(b, "category", "category", req, 64, 0, &in->category, err)) ||
        (rc = in_str(b, "district", "district", 0, 64, 0, &in->district, err)) ||
        (rc = in_str(b, "language", "language", req, 8, 0, &in->language, err)) ||
        (rc = in_str(b, "text", "text", 1, APPEAL_TEXT_MAX, 1, &in->text, err)) ||
        (rc = in_str(b, "address", "address", 0, 500, 0, &in->address, err)) ||
        (rc = in_num(b, "lat", "lat", -90, 90, &in->lat, &has_lat, err)) ||
        (rc = in_num(b, "lon", "lon", -180, 180, &in->lon, &has_lon, err)) ||
        (rc = in_str(b, "complaint_of", "complaint_of", 0, 40, 0, &in->complaint_of, err)) ||
        (rc = in_str(b, "access_code", "access_code", 0, 32, 0, &in->complaint_code, err)) ||
        (rc = in_obj(b, "applicant", "applicant", req, &ap, err)) ||
        (rc = in_only(ap, akeys, "applicant", err)) ||
        (rc = in_str(ap, "type", "applicant.type", ap != NULL, 16, 0, &in->applicant_type, err)) ||
        (rc = in_str(ap, "full_name", "applicant.full_name", 0, 300, 0, &in->full_name, err)) ||
        (rc = in_str(ap, "iin", "applicant.iin", 0, 12, 0, &in->iin, err)) ||
        (rc = in_str(ap, "name", "applicant.name", 0, 300, 0, &in->org_name, err)) ||
        (rc = in_str(ap, "bin", "applicant.bin", 0, 12, 0, &in->bin, err)) ||
        (rc = in_str(ap, "postal_address", "applicant.postal_address", 0, 500, 0,
                     &in->postal_address, err)) ||
        (rc = in_str(ap, "phone", "applicant.phone", 0, 32, 0, &in->phone, err)) ||
        (rc = in_str(ap, "email", "applicant.email", 0, 254, 0, &in->email, err)) ||
        (rc = in_int(ap, "signatories", "applicant.signatories", 0, 1, 1000000, &in->signatories,
                     err)))
        return rc;
    const char *recv;
    if ((rc = in_str(b, "received_at", "received_at", 0, 40, 0, &recv, err)))
        return rc;
    if (recv && instant_parse(recv, &in->received_at))
        return ot_err(err, OT_EINVAL, "bad_instant", "received_at",
                      "received_at must be ISO 8601 with a zone, e.g. 2026-03-20T17:00:00+05:00");
    if ((rc = in_str(b, "received_reason", "received_reason", 0, 1000, 0, &in->received_reason,
                     err)) ||
        (rc = in_str(b, "addressed_to", "addressed_to", 0, 64, 0, &in->addressed_to, err)) ||
        (rc = read_signatures(ap, in, err)))
        return rc;
    if (has_lat != has_lon)
        return ot_err(err, OT_EINVAL, "required", has_lat ? "lon" : "lat",
                      "lat and lon come together");
    in->has_coords = has_lat;
    if (!in->channel)
        in->channel = "portal";
    return OT_OK;
}
