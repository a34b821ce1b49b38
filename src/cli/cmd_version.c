#include <stdio.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "util/version.h"

int cmd_version(int argc, char **argv)
{
    if (argc > 1)
        return cli_usage_error(cli_find(argv[0]), "unexpected argument '%s'", argv[1]);
    printf("otinish %s (schema %d)\n", OTINISH_VERSION, svc_schema_latest());
    return CLI_EXIT_OK;
}
