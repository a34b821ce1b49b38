/* systemd's readiness notification (sd_notify(3)) without libsystemd: a service of
 * Type=notify tells the manager it is ready (after it listens) and that it is stopping. */
#ifndef OT_UTIL_SDNOTIFY_H
#define OT_UTIL_SDNOTIFY_H

/* Sends state ("READY=1", "STOPPING=1", lines joined by '\n') as one datagram to the
 * AF_UNIX socket named by $NOTIFY_SOCKET (a leading '@': the abstract namespace). 1 when
 * there is no such variable (not run by systemd), 0 when sent, -1 when it failed. */
int sd_notify_send(const char *state);

#endif
