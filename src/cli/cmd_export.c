/* otinish export scorecards|alerts|stats|appeals --format csv|xlsx --out FILE: the reports
 * and appeal lists as files (the options are those of `otinish report`, cmd_report.c). */
#include "cli/cmd_report.h"
#include "cli/commands.h"

int cmd_export(int argc, char **argv)
{
    return report_main(cli_find("export"), argc, argv, 1);
}
