/* otinish roles: prints the permission matrix (src/domain/perm.c). */
#include <stdio.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "service/auth.h"

int cmd_roles(int argc, char **argv)
{
    if (argc > 1)
        return cli_usage_error(cli_find("roles"), "unexpected argument '%s'", argv[1]);
    printf("%-16s", "action");
    for (int r = 0; r < ROLE_COUNT; r++)
        printf(" %-10s", role_name((role_t)r));
    printf("\n");
    for (int a = 0; a < ACT_COUNT; a++) {
        printf("%-16s", action_name((action_t)a));
        for (int r = 0; r < ROLE_COUNT; r++)
            printf(" %-10s", scope_name(perm_scope((role_t)r, (action_t)a)));
        printf("\n");
    }
    printf("\nall: everywhere; body: the user's body and its sub-bodies; own: appeals assigned "
           "to the user; -: never.\n");
    return CLI_EXIT_OK;
}
