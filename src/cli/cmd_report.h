/* Shared by `otinish report` and `otinish export` (cmd_report.c). */
#ifndef OT_CLI_CMD_REPORT_H
#define OT_CLI_CMD_REPORT_H

#include "cli/cli.h"

/* export_mode: a file format (csv, xlsx) and --out are required. */
int report_main(const cli_cmd_t *self, int argc, char **argv, int export_mode);

#endif
