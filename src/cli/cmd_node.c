// SPDX-License-Identifier: MIT
// `zara node`: the operator daemon. Configuration from --config FILE, ZARA_* variables and
// --key value flags (in increasing precedence); SIGINT/SIGTERM stop it cleanly.
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "zara/node.h"

const char zr_cli_summary_node[] = "run the operator daemon (watcher, evaluator, attester, aggregator, HTTP)";

static zr_node_t *running;

static void on_signal(int sig)
{
    (void)sig;
    if (running)
        zr_node_stop(running);
}

int zr_cli_main_node(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            printf("usage: zara node [--config FILE] [--key value ...] [--print-config]\n\n"
                   "Runs every operator role in one process. Keys (also ZARA_<KEY> variables and\n"
                   "`key = value` lines in the config file):\n"
                   "  rpc, deployment, keystore, bls_keystore, password_file, db, listen,\n"
                   "  public_url, store_dir, ipfs_api, ipfs_gateway, web_dir, node_name,\n"
                   "  log_level, aggregator, confirmations, log_range, poll_ms, eval_threads,\n"
                   "  eval_timeout_s, eval_budget, eval_memory_mb, max_body, rate_limit\n"
                   "Logs are key=value lines on stderr. Stop with SIGINT or SIGTERM.\n");
            return 0;
        }
    }
    zr_node_config_t cfg;
    zr_node_config_init(&cfg);
    char err[600];
    int print = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--config") == 0 && i + 1 < argc) {
            if (zr_node_config_load_file(&cfg, argv[i + 1], err, sizeof err) != 0)
                return zr_cli_fail("%s", err);
        } else if (strncmp(argv[i], "--config=", 9) == 0) {
            if (zr_node_config_load_file(&cfg, argv[i] + 9, err, sizeof err) != 0)
                return zr_cli_fail("%s", err);
        }
    }
    if (zr_node_config_load_env(&cfg, err, sizeof err) != 0)
        return zr_cli_fail("%s", err);
    /* --print-config is ours; the rest goes to the config parser */
    char *args[256];
    int na = 0;
    for (int i = 1; i < argc && na < 255; i++) {
        if (strcmp(argv[i], "--print-config") == 0)
            print = 1;
        else
            args[na++] = argv[i];
    }
    if (zr_node_config_load_args(&cfg, na, args, 0, err, sizeof err) != 0)
        return zr_cli_usage_error("node", "%s", err);
    int lvl = zr_log_level_parse(cfg.log_level);
    if (lvl < 0)
        return zr_cli_usage_error("node", "unknown log_level %s", cfg.log_level);
    if (print) {
        zr_buf_t b;
        zr_buf_init(&b, 1 << 16);
        zr_node_config_dump(&cfg, &b);
        fputs(zr_buf_cstr(&b), stdout);
        zr_buf_cleanup(&b);
        return 0;
    }
    zr_log_set_level((zr_log_level_t)lvl);
    zr_node_t *n;
    int rc = zr_node_new(&n, &cfg, err, sizeof err);
    if (rc)
        return zr_cli_fail("node: %s", err);
    running = n;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    printf("zara node listening on port %d\n", zr_node_http_port(n));
    fflush(stdout);
    rc = zr_node_run(n);
    running = NULL;
    zr_node_free(n);
    return rc ? ZR_CLI_FAIL : 0;
}
