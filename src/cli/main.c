// SPDX-License-Identifier: MIT
// Entry point of the zara binary: global options, then dispatch to one command
// (src/cli/cmd_<name>.c). The command table is generated from the file names.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define ZR_CLI_COMMAND(n)                             \
    extern const char zr_cli_summary_##n[];           \
    int zr_cli_main_##n(int argc, char **argv);
#include "cli_commands.inc"
#undef ZR_CLI_COMMAND

typedef struct {
    const char *name;
    int (*main)(int, char **);
    const char *summary;
} command_t;

static const command_t commands[] = {
#define ZR_CLI_COMMAND(n) {#n, zr_cli_main_##n, zr_cli_summary_##n},
#include "cli_commands.inc"
#undef ZR_CLI_COMMAND
};

static void usage(FILE *f)
{
    fprintf(f, "usage: zara [--log-level LEVEL] <command> [args...]\n\n"
               "Zarathustra: a marketplace for improving neural networks.\n\ncommands:\n");
    for (size_t i = 0; i < ZR_ARRAY_LEN(commands); i++)
        fprintf(f, "  %-12s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\nEvery command takes --help. Environment: ZARA_RPC, ZARA_DEPLOYMENT,\n"
               "ZARA_KEYSTORE, ZARA_PASSWORD_FILE, ZARA_LOG_LEVEL.\n");
}

int main(int argc, char **argv)
{
    const char *lvl = getenv("ZARA_LOG_LEVEL");
    int i = 1;
    while (i < argc && argv[i][0] == '-') {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(argv[i], "--version") == 0) {
            printf("zara 0.1.0\n");
            return 0;
        } else if (strcmp(argv[i], "--log-level") == 0) {
            if (i + 1 >= argc)
                return zr_cli_fail("--log-level needs a LEVEL (debug, info, warn, error, off)");
            lvl = argv[i + 1];
            i += 2;
        } else {
            return zr_cli_fail("unknown option %s (see zara --help)", argv[i]);
        }
    }
    if (lvl) {
        int l = zr_log_level_parse(lvl);
        if (l < 0)
            return zr_cli_fail("unknown log level %s (debug, info, warn, error, off)", lvl);
        zr_log_set_level((zr_log_level_t)l);
    } else {
        zr_log_set_level(ZR_LOG_WARN);
    }
    if (i >= argc) {
        usage(stderr);
        return ZR_CLI_USAGE;
    }
    for (size_t c = 0; c < ZR_ARRAY_LEN(commands); c++)
        if (strcmp(argv[i], commands[c].name) == 0)
            return commands[c].main(argc - i, argv + i);
    return zr_cli_fail("unknown command '%s' (see zara --help)", argv[i]);
}
