/* Notifications: the worker that delivers the durable outbox (docs/accountability.md).
 *
 * Rows are queued by use cases in the same transaction as the event that causes them
 * (store_outbox_add, sweep_notify_user). The worker claims due rows (status 'sending' with a
 * lease, so a crash mid-delivery hands them back after the lease), renders the template
 * data/templates/<language>/<template>.txt, sends e-mail over SMTP with libcurl and, when
 * configured, posts the notice to a webhook (SMS gateways); then records 'sent' or schedules
 * a retry with exponential backoff, and 'failed' after the last attempt. Delivery is at
 * least once. */
#ifndef OT_SERVICE_NOTIFY_H
#define OT_SERVICE_NOTIFY_H

#include <stdint.h>

#include "service/svc.h"

typedef struct notify_config {
    const char *data_dir;      /* templates under <data_dir>/templates */
    const char *smtp_url;      /* smtp://host:port or smtps://...; NULL: no e-mail */
    const char *smtp_user;     /* login (NULL: none) */
    const char *smtp_password; /* from the environment, never the command line */
    const char *smtp_from;     /* envelope and From: address */
    int starttls;              /* require STARTTLS on smtp:// */
    const char *webhook_url;   /* POST JSON of each notice; NULL: none */
    const char *sms_url;       /* the SMS gateway: POST {"id","to","text"} per SMS notice */
    int max_attempts;          /* default 10 */
    int64_t backoff_us;        /* first retry delay, doubled each time (default 30 s) */
    int64_t timeout_ms;        /* per delivery (default 10000) */
    /* the audit chain's head, published so it can be kept outside the system
     * (docs/audit-chain.md): a log line every audit_head_ms (0: never) and a POST of
     * {"type":"audit.head","seq","hash","at"} to audit_head_url, else to webhook_url */
    int audit_head_ms;
    const char *audit_head_url;
    /* several nodes (store_role_hold): a node that has not confirmed its roles for this long
     * (stopped, stuck) loses them to another (default 120000) */
    int role_lapse_ms;
} notify_config_t;

void notify_config_defaults(notify_config_t *c);

typedef struct notify_report {
    int64_t sent, retried, failed;
} notify_report_t;

/* Delivers every notice due at `now` once (up to 1000). */
int notify_run_once(const svc_t *svc, const notify_config_t *cfg, int64_t now, notify_report_t *rep,
                    ot_err_t *err);

/* Renders template `name` in `language` with data (a JSON object as text): {{key}} is the
 * key's value. *subject and *body are malloc'd (caller frees). */
int notify_render(const char *data_dir, const char *language, const char *name,
                  const char *data_json, char **subject, char **body, ot_err_t *err);

/* Publishes the audit chain's head once: logs it and POSTs it (cfg->audit_head_url, else
 * cfg->webhook_url; neither: the log line only). OT_OK when published; a failed POST is an
 * error naming why (the next period tries again). */
int notify_publish_head(const svc_t *svc, const notify_config_t *cfg, int64_t now, ot_err_t *err);

/* Background threads for `serve`: the outbox worker, the sweeper and the audit head's
 * publisher (cfg->audit_head_ms), each on an interval.
 * Stopped (and joined) by notify_threads_stop. */
typedef struct notify_threads notify_threads_t;
struct viol_policy;
int notify_threads_start(const svc_t *svc, const notify_config_t *cfg, int notify_interval_ms,
                         const struct viol_policy *policy, int sweep_interval_ms,
                         notify_threads_t **out, ot_err_t *err);
void notify_threads_stop(notify_threads_t *t);

#endif
