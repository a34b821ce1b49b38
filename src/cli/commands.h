/* Entry points of the subcommands, one file each in src/cli/. */
#ifndef OT_CLI_COMMANDS_H
#define OT_CLI_COMMANDS_H

int cmd_init(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_calendar(int argc, char **argv);
int cmd_deadline(int argc, char **argv);
int cmd_version(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_roles(int argc, char **argv);
int cmd_apikey(int argc, char **argv);
int cmd_sweep(int argc, char **argv);
int cmd_violations(int argc, char **argv);
int cmd_notify(int argc, char **argv);
/* sweep policy options shared by sweep and serve (cmd_sweep.c) */
struct viol_policy;
int sweep_policy_opt(int ch, const char *arg, struct viol_policy *p);
int cmd_report(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_config(int argc, char **argv);
int cmd_restore(int argc, char **argv);
int cmd_migrate_db(int argc, char **argv);

#endif
