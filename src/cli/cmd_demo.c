// SPDX-License-Identifier: MIT
// `zara demo`: the x² story on a local devnet, narrated, with balances before and after
// each step — an owner publishes `square`, optimizer A trains and wins, B submits a copy
// (no improvement: part of the bond kept), C submits parameters of the wrong shape
// (invalid: the whole bond kept), then the leaderboard and the operators' earnings. It
// runs the same commands a user would, inside this process.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cli_proc.h"

const char zr_cli_summary_demo[] = "the whole x² story on a local devnet, narrated";

int zr_cli_main_devnet(int argc, char **argv);
int zr_cli_main_task(int argc, char **argv);
int zr_cli_main_train(int argc, char **argv);
int zr_cli_main_submit(int argc, char **argv);
int zr_cli_main_rewards(int argc, char **argv);

typedef struct {
    json_t *state;
    zr_chain_t *chain;
    const char *dir;
} demo_t;

static const char *role_addr(demo_t *d, const char *role)
{
    return zr_json_str(json_object_get(json_object_get(d->state, "accounts"), role), "address");
}

static void use_role(demo_t *d, const char *role)
{
    setenv("ZARA_KEYSTORE", zr_json_str(json_object_get(json_object_get(d->state, "accounts"), role), "keystore"), 1);
}

static void balances(demo_t *d, const char *title)
{
    static const char *const roles[] = {"owner", "optimizerA", "optimizerB", "optimizerC"};
    static const uint8_t eth[20];
    printf("\n  balances %s\n  %-11s %-44s %-22s %s\n", title, "ROLE", "ADDRESS", "WALLET (ETH)", "OWED BY THE CONTRACTS");
    for (size_t i = 0; i < ZR_ARRAY_LEN(roles); i++) {
        uint8_t a[20], bal[32] = {0}, owed[32] = {0};
        if (zr_hex_decode_exact(a, 20, role_addr(d, roles[i])) != 0)
            continue;
        zr_rpc_get_balance(zr_chain_rpc(d->chain), bal, a, "latest");
        zr_chain_claimable(d->chain, eth, a, owed);
        char b[100], o[100];
        zr_cli_format_ether(b, bal);
        zr_cli_format_ether(o, owed);
        printf("  %-11s %-44s %-22s %s\n", roles[i], role_addr(d, roles[i]), b, o);
    }
    printf("\n");
    fflush(stdout);
}

static int call(int (*fn)(int, char **), char **argv)
{
    int argc = 0;
    while (argv[argc])
        argc++;
    int rc = fn(argc, argv);
    fflush(stdout);
    return rc;
}

static void say(const char *fmt, const char *arg)
{
    printf("\n== ");
    printf(fmt, arg);
    printf("\n");
    fflush(stdout);
}

int zr_cli_main_demo(int argc, char **argv)
{
    if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        printf("usage: zara demo\n\nStarts a devnet if none is running (zara devnet up) and tells the x² story:\n"
               "the owner publishes the `square` task, optimizer A trains and submits (accepted, paid),\n"
               "B submits a copy of A's model (no improvement: 20%% of the bond kept), C submits\n"
               "parameters of the wrong shape (invalid: the bond kept); then the leaderboard and\n"
               "the operators' earnings.\n");
        return 0;
    }
    if (argc > 1)
        return zr_cli_usage_error("demo", "unknown argument %s", argv[1]);
    const char *dir = zr_cli_devnet_dir();
    char path[1200];
    snprintf(path, sizeof path, "%s/devnet.json", dir);
    demo_t d = {.dir = dir};
    char e[300];
    zr_buf_t b;
    zr_buf_init(&b, 1 << 20);
    int running = 0;
    if (zr_file_read(path, b.max, &b) == 0 && zr_json_parse((char *)b.data, b.len, b.max, &d.state, e, sizeof e) == 0)
        running = zr_cli_pid_is((pid_t)json_integer_value(json_object_get(json_object_get(d.state, "anvil"), "pid")),
                                "anvil");
    if (!running) {
        json_decref(d.state);
        d.state = NULL;
        say("%sstarting a local network: anvil, the contracts, 4 operators", "");
        char *up[] = {"devnet", "up", NULL};
        if (call(zr_cli_main_devnet, up) != 0)
            return ZR_CLI_FAIL;
        zr_buf_reset(&b);
        if (zr_file_read(path, b.max, &b) != 0 ||
            zr_json_parse((char *)b.data, b.len, b.max, &d.state, e, sizeof e) != 0)
            return zr_cli_fail("cannot read %s", path);
    }
    zr_buf_cleanup(&b);
    setenv("ZARA_PASSWORD_FILE", zr_json_str(d.state, "passwordFile"), 1);
    zr_cli_chain_opts_t co;
    memset(&co, 0, sizeof co);
    if (zr_cli_chain_open(&co, 0, &d.chain) != 0) {
        json_decref(d.state);
        return ZR_CLI_FAIL;
    }
    char ex[1100], arch[1200], init[1200], eval[1200], wrong[1200], work[1200], a_params[1300], b_params[1300];
    snprintf(ex, sizeof ex, "%s/examples", zr_cli_root());
    snprintf(arch, sizeof arch, "%s/square/arch.json", ex);
    snprintf(init, sizeof init, "%s/square/init.safetensors", ex);
    snprintf(eval, sizeof eval, "%s/square/eval.lua", ex);
    snprintf(wrong, sizeof wrong, "%s/spirals/init.safetensors", ex);
    snprintf(work, sizeof work, "%s/demo", dir);
    zr_mkdirs(work, 0700);
    snprintf(a_params, sizeof a_params, "%s/optimizerA.safetensors", work);
    snprintf(b_params, sizeof b_params, "%s/optimizerB-copy.safetensors", work);
    int rc = ZR_CLI_FAIL;
    uint64_t task_before = 0;
    zr_chain_task_count(d.chain, &task_before);
    char task_id[32];
    snprintf(task_id, sizeof task_id, "%llu", (unsigned long long)task_before + 1);

    balances(&d, "at the start");
    say("1. the owner publishes the `square` task: learn f(x) = x%s on [-1, 1], scored by R^2", "\xc2\xb2");
    use_role(&d, "owner");
    char *create[] = {"task", "create", "--arch", arch, "--params", init, "--eval", eval, "--pool", "10ether",
                      "--reward", "2ether", "--fee", "0.01ether", "--bond", "1ether", "--slash-bps", "2000",
                      "--min-improvement", "0.001", "--deadline", "1d", NULL};
    if (call(zr_cli_main_task, create) != 0)
        goto done;
    balances(&d, "after the task was published (10 ETH escrowed)");

    say("2. optimizer A trains a model with `zara train` and submits it%s", "");
    char *train[] = {"train", "--arch", arch, "--eval", eval, "--init", init, "--out", a_params, "--steps", "2000",
                     NULL};
    if (call(zr_cli_main_train, train) != 0)
        goto done;
    use_role(&d, "optimizerA");
    char *submit_a[] = {"submit", task_id, "--params", a_params, NULL};
    if (call(zr_cli_main_submit, submit_a) != 0)
        goto done;
    balances(&d, "after A's verdict (A is owed the reward and the bond)");

    say("3. optimizer B submits a copy of A's parameters: it cannot beat its original%s", "");
    FILE *in = fopen(a_params, "rb"), *out = fopen(b_params, "wb");
    if (!in || !out) {
        if (in)
            fclose(in);
        if (out)
            fclose(out);
        zr_cli_fail("cannot copy %s", a_params);
        goto done;
    }
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        fwrite(buf, 1, n, out);
    fclose(in);
    fclose(out);
    use_role(&d, "optimizerB");
    char *submit_b[] = {"submit", task_id, "--params", b_params, NULL};
    if (call(zr_cli_main_submit, submit_b) != 0)
        goto done;
    balances(&d, "after B's verdict (20% of B's bond went to the pool)");

    say("4. optimizer C submits parameters of the wrong shape (a spirals model)%s", "");
    use_role(&d, "optimizerC");
    char *submit_c[] = {"submit", task_id, "--params", wrong, NULL};
    if (call(zr_cli_main_submit, submit_c) != 0)
        goto done;
    balances(&d, "after C's verdict (C's whole bond went to the pool)");

    say("5. the leaderboard%s", "");
    char *show[] = {"task", "show", task_id, NULL};
    call(zr_cli_main_task, show);
    say("the operators' earnings (evaluation fees: performer, aggregator and signers)%s", "");
    size_t i;
    json_t *nd;
    json_array_foreach(json_object_get(d.state, "nodes"), i, nd)
    {
        char *rew[] = {"rewards", "show", (char *)zr_json_str(nd, "address"), NULL};
        call(zr_cli_main_rewards, rew);
    }
    const char *url = zr_json_str(json_array_get(json_object_get(d.state, "nodes"), 0), "url");
    printf("\n== where to look next\n"
           "  dashboard      %s/\n  metrics        %s/metrics\n  node API       %s/eigen/node/health\n"
           "  the devnet     zara devnet status   (stop it with `zara devnet down`)\n"
           "  your turn      zara task pull %s && zara train ... && zara submit %s --params mine.safetensors\n"
           "  docs           docs/ARCHITECTURE.md, docs/PROTOCOL.md\n",
           url, url, url, task_id, task_id);
    rc = 0;
done:
    zr_chain_free(d.chain);
    json_decref(d.state);
    return rc;
}
