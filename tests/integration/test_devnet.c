// SPDX-License-Identifier: MIT
// The whole network on one machine, driven like a user drives it: `zara devnet up` (anvil,
// the deploy script, 4 registered operators running `zara node`), an owner's task, then
// the demo's story — a better model (accepted, paid), a copy (not accepted, 20% of the bond
// kept), the wrong shape (invalid, the bond kept) — with every balance checked to the wei,
// each submission settled exactly once, while one operator is offline for good and the
// aggregator of a round is killed with SIGKILL and restarted.
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "zt.h"
#include "zara/chain.h"

static char *dir;
static char zara[1024];
static json_t *state;
static zr_chain_t *chain;
static pid_t restarted;

static json_t *run_json(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static json_t *run_json(const char *fmt, ...)
{
    char cmd[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    char out[65536];
    int st = zt_run(out, sizeof out, "%s", cmd);
    if (st != 0)
        fail_msg("`%s` exited with %d: %s", cmd, st, out);
    /* the JSON document is the last line */
    char *last = strrchr(out, '\n');
    last = last ? last + 1 : out;
    json_t *j;
    char e[200];
    if (zr_json_parse(last, strlen(last), sizeof out, &j, e, sizeof e) != 0)
        fail_msg("`%s` did not print JSON (%s): %s", cmd, e, out);
    return j;
}

static const char *acc(const char *role, const char *what)
{
    return zr_json_str(json_object_get(json_object_get(state, "accounts"), role), what);
}

static void claimable(const char *role, uint8_t out[32])
{
    static const uint8_t eth[20];
    uint8_t a[20];
    assert_int_equal(zr_hex_decode_exact(a, 20, acc(role, "address")), 0);
    assert_int_equal(zr_chain_claimable(chain, eth, a, out), 0);
}

static void wei(uint8_t out[32], const char *text)
{
    assert_int_equal(zr_proto_u256_parse(out, text), 0);
}

static int settled_count(uint64_t sub)
{
    uint64_t head;
    assert_int_equal(zr_rpc_block_number(zr_chain_rpc(chain), &head), 0);
    zr_chain_event_t *ev = NULL;
    size_t n = 0;
    assert_int_equal(zr_chain_events(chain, 0, head, 5000, &ev, &n), 0);
    int c = 0;
    for (size_t i = 0; i < n; i++)
        c += ev[i].kind == ZR_EV_SETTLED && ev[i].submission_id == sub;
    free(ev);
    return c;
}

static json_t *submit(const char *role, const char *task, const char *params)
{
    return run_json("ZARA_DEVNET_DIR='%s' ZARA_KEYSTORE='%s' ZARA_PASSWORD_FILE='%s' '%s' submit %s --params '%s' "
                    "--timeout 180 --json 2>&1",
                    dir, acc(role, "keystore"), zr_json_str(state, "passwordFile"), zara, task, params);
}

static void test_story(void **s)
{
    (void)s;
    const char *root = zt_src_path("");
    char arch[1024], init[1024], eval[1024], trained[1024], wrong[1024];
    snprintf(arch, sizeof arch, "%sexamples/square/arch.json", root);
    snprintf(init, sizeof init, "%sexamples/square/init.safetensors", root);
    snprintf(eval, sizeof eval, "%sexamples/square/eval.lua", root);
    snprintf(trained, sizeof trained, "%sexamples/square/trained.safetensors", root);
    snprintf(wrong, sizeof wrong, "%sexamples/spirals/init.safetensors", root);

    json_t *t = run_json("ZARA_DEVNET_DIR='%s' ZARA_KEYSTORE='%s' ZARA_PASSWORD_FILE='%s' '%s' task create --arch '%s' "
                         "--params '%s' --eval '%s' --pool 10ether --reward 2ether --fee 0.01ether --bond 1ether "
                         "--slash-bps 2000 --min-improvement 0.001 --deadline 1d --json 2>&1",
                         dir, acc("owner", "keystore"), zr_json_str(state, "passwordFile"), zara, arch, init, eval);
    char task[32];
    snprintf(task, sizeof task, "%lld", (long long)json_integer_value(json_object_get(t, "taskId")));
    json_decref(t);
    uint64_t task_id = strtoull(task, NULL, 10);

    /* one operator offline for good: 3 of 4 still hold 3/4 of the stake >= 2/3 */
    json_t *nodes = json_object_get(state, "nodes");
    pid_t p4 = (pid_t)json_integer_value(json_object_get(json_array_get(nodes, 3), "pid"));
    assert_int_equal(kill(p4, SIGTERM), 0);

    /* A: a better model → accepted, reward + bond owed, pool down by the reward */
    uint8_t before[32], after[32], want[32], bond[32], reward[32];
    wei(bond, "1000000000000000000");
    wei(reward, "2000000000000000000");
    claimable("optimizerA", before);
    json_t *v = submit("optimizerA", task, trained);
    assert_string_equal(zr_json_str(v, "status"), "OK");
    assert_true(json_is_true(json_object_get(v, "accepted")));
    uint64_t sub_a = (uint64_t)json_integer_value(json_object_get(v, "submissionId"));
    json_decref(v);
    claimable("optimizerA", after);
    assert_int_equal(zr_rpc_u256_add(want, before, bond), 0);
    assert_int_equal(zr_rpc_u256_add(want, want, reward), 0);
    assert_memory_equal(after, want, 32);
    zr_task_t tk;
    assert_int_equal(zr_chain_get_task(chain, task_id, &tk), 0);
    wei(want, "8000000000000000000");
    assert_memory_equal(tk.reward_pool, want, 32);
    assert_int_equal(tk.best_id, sub_a);

    /* the aggregator of the next round is killed with SIGKILL and restarted */
    pid_t p1 = (pid_t)json_integer_value(json_object_get(json_array_get(nodes, 0), "pid"));
    assert_int_equal(kill(p1, SIGKILL), 0);
    char restart[2048], out[256];
    snprintf(restart, sizeof restart, "cd '%s' && { setsid '%s' node --config '%s' >> '%s' 2>&1 < /dev/null & echo $!; }",
             zr_json_str(json_array_get(nodes, 0), "dir"), zara, zr_json_str(json_array_get(nodes, 0), "config"),
             zr_json_str(json_array_get(nodes, 0), "log"));
    assert_int_equal(zt_run(out, sizeof out, "%s", restart), 0);
    restarted = (pid_t)atoi(out);
    assert_true(restarted > 0);

    /* B: a copy of A's model → no improvement, 20% of the bond kept */
    claimable("optimizerB", before);
    v = submit("optimizerB", task, trained);
    assert_string_equal(zr_json_str(v, "status"), "OK");
    assert_false(json_is_true(json_object_get(v, "accepted")));
    uint64_t sub_b = (uint64_t)json_integer_value(json_object_get(v, "submissionId"));
    json_decref(v);
    claimable("optimizerB", after);
    wei(want, "800000000000000000");
    assert_int_equal(zr_rpc_u256_add(want, want, before), 0);
    assert_memory_equal(after, want, 32);

    /* C: the wrong shape → INVALID_MODEL, the whole bond kept */
    claimable("optimizerC", before);
    v = submit("optimizerC", task, wrong);
    assert_string_equal(zr_json_str(v, "status"), "INVALID_MODEL");
    uint64_t sub_c = (uint64_t)json_integer_value(json_object_get(v, "submissionId"));
    json_decref(v);
    claimable("optimizerC", after);
    assert_memory_equal(after, before, 32);

    assert_int_equal(zr_chain_get_task(chain, task_id, &tk), 0);
    wei(want, "9200000000000000000"); /* 10 - 2 + 0.2 + 1 */
    assert_memory_equal(tk.reward_pool, want, 32);
    assert_int_equal(tk.best_id, sub_a);
    assert_int_equal(settled_count(sub_a), 1);
    assert_int_equal(settled_count(sub_b), 1);
    assert_int_equal(settled_count(sub_c), 1);

    /* the operators earned the three fees: nothing lost, nothing created */
    uint8_t total[32] = {0};
    size_t i;
    json_t *nd;
    json_array_foreach(nodes, i, nd)
    {
        uint8_t a[20], r[32];
        assert_int_equal(zr_hex_decode_exact(a, 20, zr_json_str(nd, "address")), 0);
        assert_int_equal(zr_chain_rewards(chain, a, r), 0);
        assert_int_equal(zr_rpc_u256_add(total, total, r), 0);
    }
    /* the offline operator's share of the signers' pot waits in rewardCarry for later rounds */
    uint8_t carry[32];
    assert_int_equal(zr_chain_read_u256(chain, zr_chain_deployment(chain)->attestation_center, "rewardCarry()", carry), 0);
    assert_int_equal(zr_rpc_u256_add(total, total, carry), 0);
    uint8_t fees[32], dust[32];
    wei(fees, "30000000000000000");
    wei(dust, "29999999999999900"); /* accumulator rounding leaves at most a few wei */
    assert_true(zr_rpc_u256_cmp(total, fees) <= 0);
    assert_true(zr_rpc_u256_cmp(total, dust) >= 0);
}

/* An operator joins and leaves through the CLI: keygen, register with a proof of
 * possession, status, rewards, exit. */
static void test_operator_cli(void **s)
{
    (void)s;
    char opdir[1200], out[4096];
    snprintf(opdir, sizeof opdir, "%s/newop", dir);
    const char *pw = zr_json_str(state, "passwordFile");
    json_t *k = run_json("'%s' operator keygen --dir '%s' --password-file '%s' --scrypt-n 1024 --json 2>&1", zara,
                         opdir, pw);
    char addr[43], ks[1200], bls[1200];
    snprintf(addr, sizeof addr, "%s", zr_json_str(k, "address"));
    snprintf(ks, sizeof ks, "%s", zr_json_str(k, "keystore"));
    snprintf(bls, sizeof bls, "%s", zr_json_str(k, "blsKeystore"));
    json_decref(k);
    /* keygen never overwrites keys */
    assert_int_not_equal(zt_run(out, sizeof out, "'%s' operator keygen --dir '%s' --password-file '%s' 2>&1", zara,
                                opdir, pw),
                         0);
    assert_non_null(strstr(out, "never overwrites"));
    /* fund it from the deployer with cast, a tool nobody here wrote */
    assert_int_equal(zt_run(out, sizeof out, "'%s' send --rpc-url %s --private-key 0x%s %s --value 40ether 2>&1",
                            zt_src_path("node_modules/.bin/cast"), zr_json_str(state, "rpc"), ZT_ANVIL_KEY0, addr),
                     0);
    /* a wrong password is one clear line and nothing is sent */
    char badpw[1300];
    snprintf(badpw, sizeof badpw, "%s/wrong", dir);
    assert_int_equal(zr_file_write_atomic(badpw, "nope\n", 5, 0600), 0);
    assert_int_not_equal(zt_run(out, sizeof out,
                                "ZARA_DEVNET_DIR='%s' '%s' operator register --stake 32ether --endpoint "
                                "http://127.0.0.1:9 --keystore '%s' --bls-keystore '%s' --password-file '%s' 2>&1",
                                dir, zara, ks, bls, badpw),
                         0);
    assert_non_null(strstr(out, "wrong password"));
    json_decref(run_json("ZARA_DEVNET_DIR='%s' '%s' operator register --stake 32ether --endpoint http://127.0.0.1:9 "
                         "--keystore '%s' --bls-keystore '%s' --password-file '%s' --json 2>&1",
                         dir, zara, ks, bls, pw));
    json_t *st = run_json("ZARA_DEVNET_DIR='%s' '%s' operator status %s --json 2>&1", dir, zara, addr);
    assert_string_equal(zr_json_str(st, "status"), "active");
    assert_string_equal(zr_json_str(st, "stakeEth"), "32");
    json_decref(st);
    json_decref(run_json("ZARA_DEVNET_DIR='%s' '%s' operator exit --keystore '%s' --password-file '%s' --json 2>&1", dir,
                         zara, ks, pw));
    st = run_json("ZARA_DEVNET_DIR='%s' '%s' operator status %s --json 2>&1", dir, zara, addr);
    assert_string_equal(zr_json_str(st, "status"), "exiting");
    json_decref(st);
    /* withdrawing the stake before the exit delay is refused with the contract's reason */
    assert_int_not_equal(zt_run(out, sizeof out,
                                "ZARA_DEVNET_DIR='%s' '%s' operator withdraw --keystore '%s' --password-file '%s' 2>&1",
                                dir, zara, ks, pw),
                         0);
    assert_non_null(strstr(out, "zara: "));
    /* a task that does not exist */
    assert_int_not_equal(zt_run(out, sizeof out, "ZARA_DEVNET_DIR='%s' '%s' task show 999 2>&1", dir, zara), 0);
    assert_non_null(strstr(out, "does not exist"));
}

/* Bad input to the owner's and optimizer's commands: one clear line, nothing sent. */
static void test_bad_input(void **s)
{
    (void)s;
    char out[4096], keydir[1200];
    const char *pw = zr_json_str(state, "passwordFile");
    snprintf(keydir, sizeof keydir, "%s/broke", dir);
    json_t *k = run_json("'%s' operator keygen --dir '%s' --password-file '%s' --scrypt-n 1024 --json 2>&1", zara,
                         keydir, pw);
    char ks[1200], addr_h[43];
    snprintf(ks, sizeof ks, "%s", zr_json_str(k, "keystore"));
    snprintf(addr_h, sizeof addr_h, "%s", zr_json_str(k, "address"));
    json_decref(k);
    char base[4096];
    snprintf(base, sizeof base, "ZARA_DEVNET_DIR='%s' ZARA_KEYSTORE='%s' ZARA_PASSWORD_FILE='%s' '%s'", dir, ks, pw,
             zara);
    const char *params = zt_src_path("examples/square/trained.safetensors");
    char params_c[1024];
    snprintf(params_c, sizeof params_c, "%s", params);

    assert_int_not_equal(zt_run(out, sizeof out, "%s submit 1 --params /nonexistent/x.safetensors 2>&1", base), 0);
    assert_non_null(strstr(out, "cannot read /nonexistent/x.safetensors"));
    assert_int_not_equal(zt_run(out, sizeof out, "%s submit 999 --params '%s' 2>&1", base, params_c), 0);
    assert_non_null(strstr(out, "task 999 does not exist"));
    assert_int_not_equal(zt_run(out, sizeof out, "%s submit 1 --params '%s' 2>&1", base, params_c), 0);
    assert_non_null(strstr(out, "too little balance"));
    assert_null(strchr(out, '\n')); /* one line (zt_run strips the final newline) */

    /* two days later the task's deadline (1 day) has passed */
    zr_rpc_t *rpc = zr_chain_rpc(chain);
    assert_int_equal(zr_rpc_anvil_increase_time(rpc, 2 * 86400), 0);
    assert_int_equal(zr_rpc_anvil_mine(rpc, 1), 0);
    snprintf(base, sizeof base, "ZARA_DEVNET_DIR='%s' ZARA_KEYSTORE='%s' ZARA_PASSWORD_FILE='%s' '%s'", dir,
             acc("optimizerA", "keystore"), pw, zara);
    assert_int_not_equal(zt_run(out, sizeof out, "%s submit 1 --params '%s' 2>&1", base, params_c), 0);
    assert_non_null(strstr(out, "deadline has passed"));

    /* nothing was sent from the broke account */
    uint8_t a[20];
    uint64_t nonce = 99;
    assert_int_equal(zr_hex_decode_exact(a, 20, addr_h), 0);
    assert_int_equal(zr_rpc_get_nonce(rpc, &nonce, a, "latest"), 0);
    assert_int_equal(nonce, 0);
}

static int setup(void **s)
{
    (void)s;
    dir = zt_tmpdir();
    const char *bin = getenv("ZARA_BIN");
    snprintf(zara, sizeof zara, "%s", bin ? bin : "build/asan/zara");
    json_decref(run_json("ZARA_DEVNET_DIR='%s' '%s' devnet up --dir '%s' --operators 4 --json 2>&1", dir, zara, dir));
    char path[1024];
    snprintf(path, sizeof path, "%s/devnet.json", dir);
    zr_buf_t b;
    zr_buf_init(&b, 1 << 20);
    char e[200];
    assert_int_equal(zr_file_read(path, b.max, &b), 0);
    assert_int_equal(zr_json_parse((char *)b.data, b.len, b.max, &state, e, sizeof e), 0);
    zr_buf_cleanup(&b);
    zr_deployment_t d;
    assert_int_equal(zr_deployment_load(&d, zr_json_str(state, "deployment"), e, sizeof e), 0);
    assert_int_equal(zr_chain_open(&chain, zr_json_str(state, "rpc"), &d, NULL, e, sizeof e), 0);
    return 0;
}

static int teardown(void **s)
{
    (void)s;
    char out[4096];
    zt_run(out, sizeof out, "'%s' devnet down --dir '%s' 2>&1", zara, dir);
    /* the restarted node was not started by `devnet up`: stop it by the pid we recorded */
    if (restarted > 0) {
        kill(restarted, SIGTERM);
        for (int i = 0; i < 100 && kill(restarted, 0) == 0; i++)
            usleep(50000);
        kill(restarted, SIGKILL);
    }
    zr_chain_free(chain);
    json_decref(state);
    zt_rmtree(dir);
    free(dir);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_story), cmocka_unit_test(test_operator_cli),
                                       cmocka_unit_test(test_bad_input)};
    return cmocka_run_group_tests(tests, setup, teardown);
}
