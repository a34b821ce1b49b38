/* otinish: one binary, many subcommands (src/cli/). */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/config.h"
#include "util/paths.h"

static void print_help(FILE *f)
{
    fprintf(f, "usage: otinish COMMAND [OPTIONS]\n\n"
               "Citizens' appeals and accountability system.\n\ncommands:\n");
    for (const cli_cmd_t *c = cli_commands; c->name; c++)
        fprintf(f, "  %-10s %s\n", c->name, c->summary);
    fprintf(f,
            "\n`otinish help COMMAND` or `otinish COMMAND --help` describes a command.\n"
            "\nReference data (jurisdictions, regions, templates) and the web UI are found\n"
            "beside the binary: PREFIX/share/otinish/{data,web} of an installed binary, the\n"
            "repository's data/ and web/ of a development build. --data-dir DIR or the\n"
            "environment variable OTINISH_DATA name another data folder; now: %s\n"
            "\nEvery command reads the configuration file /etc/otinish/otinish.conf (or\n"
            "--config FILE, or $OTINISH_CONFIG): `key = value` lines named like the long\n"
            "options; a flag overrides the file. `otinish config check` shows the settings.\n",
            paths_data_dir());
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        print_help(stderr);
        return CLI_EXIT_USAGE;
    }
    const char *name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 ||
        (strcmp(name, "help") == 0 && argc == 2)) {
        print_help(stdout);
        return CLI_EXIT_OK;
    }
    if (strcmp(name, "--version") == 0)
        name = "version";
    if (strcmp(name, "help") == 0) {
        const cli_cmd_t *c = cli_find(argv[2]);
        if (!c) {
            fprintf(stderr, "otinish: unknown command '%s'\n", argv[2]);
            return CLI_EXIT_USAGE;
        }
        fputs(c->usage, stdout);
        return CLI_EXIT_OK;
    }
    const cli_cmd_t *c = cli_find(name);
    if (!c) {
        fprintf(stderr, "otinish: unknown command '%s'\n\n", name);
        print_help(stderr);
        return CLI_EXIT_USAGE;
    }
    for (int i = 2; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(c->usage, stdout);
            return CLI_EXIT_OK;
        }
    return cli_run(c, argc - 1, argv + 1);
}
