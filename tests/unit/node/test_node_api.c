// SPDX-License-Identifier: MIT
// The dashboard's REST API against a real anvil with the real contracts: tasks, pools and
// best scores, a leaderboard built from SubmissionSettled events, operators with stakes,
// optimizers' earnings, submissions, 400/404 answers, the event cache extended block by
// block and rebuilt when the chain is rewound, and many HTTP threads at once.
// ModelSubmission is wired to a test account in place of AvsLogic and the
// AttestationCenter, so the test settles results directly with chosen scores.
#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "node_int.h"
#include "zara/abi.h"
#include "zt.h"

/* anvil's well-known dev accounts 2..5 (mnemonic "test test ... junk") */
#define KEY2 "5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a"
#define KEY3 "7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6"
#define KEY4 "47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a"
#define KEY5 "8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba"

static zt_anvil_t anvil;
static zr_deployment_t dep;
static zr_rpc_t *rpc;
static zr_chain_t *owner, *verdict, *opt_a, *opt_b;
static struct zr_node *node;
static char addr_a[43], addr_b[43];

static void key_of(uint8_t out[32], const char *hex)
{
    assert_int_equal(zr_hex_decode_exact(out, 32, hex), 0);
}

static void hex_addr(char out[43], const uint8_t a[20])
{
    out[0] = '0';
    out[1] = 'x';
    zr_hex_encode(out + 2, a, 20);
}

static void wei(uint8_t out[32], const char *dec)
{
    assert_int_equal(zr_proto_u256_parse(out, dec), 0);
}

/* Deploys contracts/out/<name>.sol/<name>.json with constructor arguments of types. */
static void deploy(zr_rpc_wallet_t *w, const char *name, const char *types, zr_abi_value_t *args, uint8_t addr[20])
{
    char rel[256];
    snprintf(rel, sizeof rel, "contracts/out/%s.sol/%s.json", name, name);
    zr_buf_t f;
    zr_buf_init(&f, 64u << 20);
    zt_read_file(rel, &f);
    json_t *j;
    char e[200];
    assert_int_equal(zr_json_parse((const char *)f.data, f.len, f.max, &j, e, sizeof e), 0);
    const char *hex = zr_json_str(json_object_get(j, "bytecode"), "object");
    assert_non_null(hex);
    zr_buf_t code;
    zr_buf_init(&code, 1u << 20);
    size_t hl = strlen(hex) - 2;
    assert_int_equal(zr_buf_reserve(&code, hl / 2), 0);
    assert_int_equal(zr_hex_decode(code.data, hl / 2, &code.len, hex + 2, hl), 0);
    zr_abi_type_t *t;
    assert_int_equal(zr_abi_type_parse_list(&t, types, NULL), 0);
    zr_abi_diag_t d = {0};
    if (zr_abi_encode(&code, t, args, &d) != 0)
        fail_msg("constructor of %s: %s", name, d.msg);
    zr_rpc_receipt_t r;
    zr_rpc_receipt_init(&r);
    if (zr_rpc_wallet_deploy(w, addr, &r, code.data, code.len, NULL) != 0)
        fail_msg("deploying %s: %s", name, zr_rpc_errmsg(rpc));
    zr_rpc_receipt_cleanup(&r);
    zr_abi_type_free(t);
    zr_abi_value_free(args);
    json_decref(j);
    zr_buf_cleanup(&code);
    zr_buf_cleanup(&f);
}

static void transact_value(zr_rpc_wallet_t *w, const uint8_t to[20], const uint8_t *value, const char *sig,
                           zr_abi_value_t *args);

static void transact(zr_rpc_wallet_t *w, const uint8_t to[20], const char *sig, zr_abi_value_t *args)
{
    transact_value(w, to, NULL, sig, args);
}

static void transact_value(zr_rpc_wallet_t *w, const uint8_t to[20], const uint8_t *value, const char *sig,
                           zr_abi_value_t *args)
{
    zr_abi_sig_t *s;
    assert_int_equal(zr_abi_sig_parse(&s, sig, ZR_ABI_FUNCTION, NULL), 0);
    zr_buf_t data;
    zr_buf_init(&data, 1u << 16);
    zr_abi_diag_t d = {0};
    if (zr_abi_encode_call(&data, s, args, &d) != 0)
        fail_msg("%s: %s", sig, d.msg);
    zr_rpc_receipt_t r;
    zr_rpc_receipt_init(&r);
    zr_rpc_txreq_t req = {.to = to, .data = data.data, .data_len = data.len, .value = value};
    if (zr_rpc_wallet_transact(w, &r, &req) != 0)
        fail_msg("%s: %s", sig, zr_rpc_errmsg(rpc));
    zr_rpc_receipt_cleanup(&r);
    zr_buf_cleanup(&data);
    zr_abi_sig_free(s);
    zr_abi_value_free(args);
}

static zr_chain_t *open_chain(const char *key_hex)
{
    uint8_t sk[32];
    key_of(sk, key_hex);
    zr_chain_t *c;
    char e[256];
    if (zr_chain_open(&c, anvil.url, &dep, sk, e, sizeof e) != 0)
        fail_msg("zr_chain_open: %s", e);
    zr_wipe(sk, 32);
    return c;
}

static void register_operator(const char *key_hex, const char *stake, const char *endpoint, int aggregator)
{
    zr_chain_t *c = open_chain(key_hex);
    zr_bls_secret_t sk;
    assert_int_equal(zr_bls_secret_from_seed(&sk, (const uint8_t *)key_hex, strlen(key_hex)), 0);
    zr_bls_pubkey_t pk;
    zr_bls_pubkey_from_secret(&pk, &sk);
    uint8_t g1[64], g2[128], pop[64], st[32];
    zr_bls_pubkey_encode(g1, g2, &pk);
    zr_bn254_g1_t sig;
    zr_bls_pop_prove(&sig, &sk, zr_chain_sender(c), dep.chain_id, dep.governance);
    zr_bn254_g1_encode(pop, &sig);
    wei(st, stake);
    if (zr_chain_register(c, g1, g2, pop, endpoint, aggregator, st, NULL) != 0)
        fail_msg("register: %s", zr_chain_errmsg(c));
    zr_bls_secret_wipe(&sk);
    zr_chain_free(c);
}

static uint64_t create_task(void)
{
    zr_task_params_t p = {.slash_bps = 2000,
                          .deadline = (uint64_t)time(NULL) + 86400,
                          .arch_cid = "bafkreiarchaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                          .init_cid = "bafkreiinitaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                          .eval_cid = "bafkreievalaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"};
    wei(p.reward_pool, "10000000000000000000");
    wei(p.reward_per_improvement, "1000000000000000000");
    wei(p.evaluation_fee, "10000000000000000");
    wei(p.bond, "1000000000000000000");
    wei(p.min_improvement, "1000000000000000"); /* 0.001 */
    uint64_t id;
    if (zr_chain_create_task(owner, &p, &id, NULL) != 0)
        fail_msg("createTask: %s", zr_chain_errmsg(owner));
    return id;
}

/* Commits and reveals params_cid for task; returns the submission id once its seed is fixed
 * (when fix_seed) or just revealed. */
static uint64_t submit(zr_chain_t *opt, uint64_t task, const char *cid, int fix_seed)
{
    uint8_t tid[32], salt[32], com[32], value[32];
    zr_proto_u256_from_u64(tid, task);
    assert_int_equal(zr_random_bytes(salt, 32), 0);
    zr_proto_commitment(com, tid, zr_chain_sender(opt), cid, salt);
    wei(value, "1010000000000000000"); /* bond + fee */
    uint64_t sid;
    if (zr_chain_commit(opt, task, com, value, &sid, NULL) != 0)
        fail_msg("commit: %s", zr_chain_errmsg(opt));
    if (zr_chain_reveal(opt, sid, cid, salt, NULL) != 0)
        fail_msg("reveal: %s", zr_chain_errmsg(opt));
    if (fix_seed) {
        assert_int_equal(zr_rpc_anvil_mine(rpc, 3), 0);
        zr_rpc_wallet_t *w = NULL;
        uint8_t sk[32];
        key_of(sk, KEY2);
        w = zr_rpc_wallet_new(rpc, sk);
        transact(w, dep.model_submission, "fixSeed(uint256)", zr_abi_tuple(1, zr_abi_uint_u64(sid)));
        zr_rpc_wallet_free(w);
    }
    return sid;
}

/* Settles sub with the given scores (in millionths) through the wired test account. */
static void settle(uint64_t task, uint64_t sub, uint64_t incumbent, int status, int64_t ch_micro, int64_t inc_micro)
{
    zr_submission_t s;
    assert_int_equal(zr_chain_get_submission(verdict, sub, &s), 0);
    uint8_t ch[32], in[32], digest[32] = {1};
    zr_proto_i256_from_i64(ch, ch_micro * 1000000000000LL);
    zr_proto_i256_from_i64(in, inc_micro * 1000000000000LL);
    uint8_t sk[32];
    key_of(sk, ZT_ANVIL_KEY1);
    zr_rpc_wallet_t *w = zr_rpc_wallet_new(rpc, sk);
    transact(w, dep.model_submission,
             "settle((uint256,uint256,uint256,bytes32,uint8,int256,int256,bytes32))",
             zr_abi_tuple(1, zr_abi_tuple(8, zr_abi_uint_u64(task), zr_abi_uint_u64(sub),
                                          zr_abi_uint_u64(incumbent), zr_abi_bytes32(s.seed),
                                          zr_abi_uint_u64((uint64_t)status), zr_abi_int_be(ch), zr_abi_int_be(in),
                                          zr_abi_bytes32(digest))));
    zr_rpc_wallet_free(w);
}

/* ---- calling the API ------------------------------------------------------------------- */

static json_t *api(const char *path, int want_status)
{
    zr_http_request_t req = {.method = "GET", .path = path, .client_ip = "127.0.0.1", .body = (const uint8_t *)""};
    zr_http_response_t resp = {.status = 200};
    zr_buf_init(&resp.body, 16u << 20);
    zr__node_api_handle(node, &req, &resp);
    if (resp.status != want_status)
        fail_msg("GET %s: %d, want %d: %s", path, resp.status, want_status, zr_buf_cstr(&resp.body));
    json_t *j;
    char e[200];
    if (zr_json_parse((const char *)resp.body.data, resp.body.len, resp.body.max, &j, e, sizeof e) != 0)
        fail_msg("GET %s: not JSON (%s): %s", path, e, zr_buf_cstr(&resp.body));
    zr_buf_cleanup(&resp.body);
    return j;
}

static void assert_error(const char *path, int status)
{
    json_t *j = api(path, status);
    assert_non_null(zr_json_str(j, "error"));
    json_decref(j);
}

static json_int_t jint(const json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    if (!json_is_integer(v))
        fail_msg("member %s is not an integer", k);
    return json_integer_value(v);
}

static const char *jstr(const json_t *o, const char *k)
{
    const char *s = zr_json_str(o, k);
    if (!s)
        fail_msg("member %s is not a string", k);
    return s;
}

/* ---- log capture (to see what the event cache scanned) ---------------------------------- */

static pthread_mutex_t log_mu = PTHREAD_MUTEX_INITIALIZER;
static char scans[64][256];
static int n_scans, n_resets;

static void on_log(void *ud, zr_log_level_t level, const char *line)
{
    (void)ud;
    (void)level;
    pthread_mutex_lock(&log_mu);
    if (strstr(line, "api.events_scanned") && n_scans < 64)
        snprintf(scans[n_scans++], sizeof scans[0], "%s", line);
    if (strstr(line, "api.cache_reset"))
        n_resets++;
    pthread_mutex_unlock(&log_mu);
}

static uint64_t scan_field(int i, const char *key)
{
    const char *p = strstr(scans[i], key);
    assert_non_null(p);
    return strtoull(p + strlen(key), NULL, 10);
}

/* ---- set-up ------------------------------------------------------------------------------ */

static uint64_t task1, task2, sub_pending;

static int setup(void **state)
{
    (void)state;
    char out[4096], bin[1024];
    snprintf(bin, sizeof bin, "%s", zt_src_path("node_modules/.bin"));
    if (zt_run(out, sizeof out, "cd '%s' && PATH='%s':$PATH forge build 2>&1", zt_src_path("contracts"), bin) != 0) {
        /* a contract being edited elsewhere must not stop an API test: the last good
         * artifacts do (deploy() fails the test when they are missing) */
        fprintf(stderr, "forge build failed, using the artifacts in contracts/out: %.300s\n", out);
    }
    zt_anvil_start(&anvil, NULL);
    rpc = zr_rpc_new(anvil.url, NULL);
    assert_non_null(rpc);
    uint64_t head;
    assert_int_equal(zr_rpc_block_number(rpc, &head), 0);
    dep.chain_id = 31337;
    dep.deploy_block = head + 1;

    uint8_t sk0[32], sk1[32], a1[20];
    key_of(sk0, ZT_ANVIL_KEY0);
    key_of(sk1, ZT_ANVIL_KEY1);
    assert_int_equal(zr_hex_decode_exact(a1, 20, ZT_ANVIL_ADDR1 + 2), 0);
    zr_rpc_wallet_t *w = zr_rpc_wallet_new(rpc, sk0);
    uint8_t min_stake[32], one[32];
    wei(min_stake, "1000000000000000000");
    zr_proto_u256_from_u64(one, 1);
    deploy(w, "AvsGovernance", "uint256,uint256", zr_abi_tuple(2, zr_abi_uint_be(min_stake), zr_abi_uint_u64(10)),
           dep.governance);
    deploy(w, "ModelSubmission", "uint256,uint256,uint256",
           zr_abi_tuple(3, zr_abi_uint_u64(2), zr_abi_uint_u64(30), zr_abi_uint_u64(60)), dep.model_submission);
    /* the test account stands in for AvsLogic */
    memcpy(dep.avs_logic, a1, 20);
    deploy(w, "AttestationCenter", "address,address,address,uint256,uint256,uint256,uint256,uint256,uint256",
           zr_abi_tuple(9, zr_abi_address(dep.governance), zr_abi_address(dep.model_submission),
                        zr_abi_address(a1), zr_abi_uint_u64(2), zr_abi_uint_u64(3), zr_abi_uint_u64(1000),
                        zr_abi_uint_u64(500), zr_abi_uint_u64(5000), zr_abi_uint_u64(4)),
           dep.attestation_center);
    transact(w, dep.governance, "initialize(address)", zr_abi_tuple(1, zr_abi_address(dep.attestation_center)));
    transact(w, dep.model_submission, "initialize(address,address)",
             zr_abi_tuple(2, zr_abi_address(a1), zr_abi_address(a1)));
    zr_rpc_wallet_free(w);
    zr_wipe(sk0, 32);
    zr_wipe(sk1, 32);

    owner = open_chain(ZT_ANVIL_KEY0);
    verdict = open_chain(ZT_ANVIL_KEY1);
    opt_a = open_chain(KEY2);
    opt_b = open_chain(KEY3);
    hex_addr(addr_a, zr_chain_sender(opt_a));
    hex_addr(addr_b, zr_chain_sender(opt_b));
    register_operator(KEY4, "2000000000000000000", "http://127.0.0.1:9001", 1);
    register_operator(KEY5, "3000000000000000000", "http://127.0.0.1:9002", 0);

    /* task 1: A improves (accepted), B barely improves (not accepted, 20% of the bond kept),
     * A improves again (accepted), B's model is invalid (bond kept), A's last one waits */
    task1 = create_task();
    uint64_t s = submit(opt_a, task1, "bafkreiparamsaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1", 1);
    settle(task1, s, 0, 0, 900000, 500000);
    s = submit(opt_b, task1, "bafkreiparamsaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa2", 1);
    settle(task1, s, 1, 0, 905500, 905000); /* gain 0.0005 < 0.001 */
    s = submit(opt_a, task1, "bafkreiparamsaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa3", 1);
    settle(task1, s, 1, 0, 950000, 900000);
    s = submit(opt_b, task1, "bafkreiparamsaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa4", 1);
    settle(task1, s, 3, 1, 0, 0);
    sub_pending = submit(opt_a, task1, "bafkreiparamsaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa5", 0);
    task2 = create_task();

    node = calloc(1, sizeof *node);
    assert_non_null(node);
    pthread_mutex_init(&node->mu, NULL);
    node->dep = dep;
    snprintf(node->cfg.node_name, sizeof node->cfg.node_name, "api-test");
    node->cfg.log_range = 1000;
    char e[256];
    if (zr_chain_open(&node->rpc_chain, anvil.url, &dep, NULL, e, sizeof e) != 0)
        fail_msg("zr_chain_open: %s", e);
    zr_log_set_callback(on_log, NULL);
    zr_log_set_level(ZR_LOG_DEBUG);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    zr_log_set_callback(NULL, NULL);
    zr_log_set_level(ZR_LOG_INFO);
    if (node) {
        zr_chain_free(node->rpc_chain);
        pthread_mutex_destroy(&node->mu);
        free(node);
    }
    zr_chain_free(owner);
    zr_chain_free(verdict);
    zr_chain_free(opt_a);
    zr_chain_free(opt_b);
    zr_rpc_free(rpc);
    zt_anvil_stop(&anvil);
    return 0;
}

/* ---- tests -------------------------------------------------------------------------------- */

static void test_summary(void **state)
{
    (void)state;
    json_t *j = api("/api/summary", 200);
    assert_int_equal(jint(j, "chainId"), 31337);
    assert_true(jint(j, "head") > 0);
    assert_int_equal(jint(j, "deployBlock"), (json_int_t)dep.deploy_block);
    char ms[43];
    hex_addr(ms, dep.model_submission);
    assert_string_equal(jstr(json_object_get(j, "contracts"), "modelSubmission"), ms);
    json_t *c = json_object_get(j, "counts");
    assert_int_equal(jint(c, "tasks"), 2);
    assert_int_equal(jint(c, "submissions"), 5);
    assert_int_equal(jint(c, "settled"), 4);
    assert_int_equal(jint(c, "accepted"), 2);
    assert_int_equal(jint(c, "operators"), 2);
    assert_string_equal(jstr(j, "totalStake"), "5000000000000000000");
    assert_string_equal(jstr(j, "rewardsPaid"), "2000000000000000000");
    assert_int_equal(jint(json_object_get(j, "parameters"), "seedDelay"), 2);
    assert_int_equal(jint(json_object_get(j, "parameters"), "revealWindow"), 30);
    assert_string_equal(jstr(json_object_get(j, "node"), "name"), "api-test");
    json_decref(j);
}

static void test_tasks(void **state)
{
    (void)state;
    json_t *j = api("/api/tasks", 200);
    assert_int_equal(jint(j, "count"), 2);
    json_t *arr = json_object_get(j, "tasks");
    assert_int_equal(json_array_size(arr), 2);
    /* newest first */
    assert_int_equal(jint(json_array_get(arr, 0), "id"), (json_int_t)task2);
    json_t *t = json_array_get(arr, 1);
    assert_int_equal(jint(t, "id"), (json_int_t)task1);
    assert_int_equal(jint(t, "bestId"), 3);
    /* 0.9 after the first acceptance, + 0.05 */
    assert_string_equal(jstr(t, "bestScore"), "950000000000000000");
    assert_true(json_real_value(json_object_get(t, "bestScoreValue")) > 0.9499 &&
                json_real_value(json_object_get(t, "bestScoreValue")) < 0.9501);
    /* 10 - 2 rewards + 0.2 kept from B's first + 1 kept from the invalid one */
    assert_string_equal(jstr(t, "rewardPool"), "9200000000000000000");
    assert_int_equal(jint(t, "open"), 1);
    assert_false(json_is_true(json_object_get(t, "closed")));
    assert_int_equal(jint(t, "slashBps"), 2000);
    assert_string_equal(jstr(json_object_get(t, "files"), "eval"),
                        "bafkreievalaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    json_t *sc = json_object_get(t, "submissions");
    assert_int_equal(jint(sc, "total"), 5);
    assert_int_equal(jint(sc, "settled"), 4);
    assert_int_equal(jint(sc, "accepted"), 2);
    assert_int_equal(jint(sc, "pending"), 1);
    json_t *t2 = json_array_get(arr, 0);
    assert_int_equal(jint(t2, "bestId"), 0);
    assert_int_equal(jint(json_object_get(t2, "submissions"), "total"), 0);
    json_decref(j);
}

static void test_task_leaderboard(void **state)
{
    (void)state;
    char path[64];
    snprintf(path, sizeof path, "/api/tasks/%llu", (unsigned long long)task1);
    json_t *j = api(path, 200);
    assert_int_equal(jint(j, "bestId"), 3);
    json_t *b = json_object_get(j, "leaderboard");
    assert_int_equal(json_array_size(b), 4);
    /* accepted newest first, then the valid non-improvement, then the invalid model */
    static const json_int_t order[] = {3, 1, 2, 4};
    for (size_t i = 0; i < 4; i++) {
        json_t *r = json_array_get(b, i);
        assert_int_equal(jint(r, "id"), order[i]);
        assert_int_equal(jint(r, "rank"), (json_int_t)i + 1);
        assert_int_equal(json_is_true(json_object_get(r, "best")), i == 0);
        assert_string_equal(jstr(r, "state"), "settled");
    }
    json_t *r3 = json_object_get(json_array_get(b, 0), "settlement");
    assert_string_equal(jstr(json_array_get(b, 0), "optimizer"), addr_a);
    assert_string_equal(jstr(json_array_get(b, 0), "paramsCid"),
                        "bafkreiparamsaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa3");
    assert_string_equal(jstr(r3, "status"), "OK");
    assert_true(json_is_true(json_object_get(r3, "accepted")));
    assert_int_equal(jint(r3, "incumbentId"), 1);
    assert_string_equal(jstr(r3, "challengerScore"), "950000000000000000");
    assert_string_equal(jstr(r3, "incumbentScore"), "900000000000000000");
    assert_string_equal(jstr(r3, "gain"), "50000000000000000");
    assert_string_equal(jstr(r3, "reward"), "1000000000000000000");
    assert_string_equal(jstr(r3, "bondRefund"), "1000000000000000000");
    assert_string_equal(jstr(r3, "bondKept"), "0");
    assert_string_equal(jstr(r3, "fee"), "10000000000000000");

    json_t *r2 = json_object_get(json_array_get(b, 2), "settlement");
    assert_string_equal(jstr(json_array_get(b, 2), "optimizer"), addr_b);
    assert_false(json_is_true(json_object_get(r2, "accepted")));
    assert_string_equal(jstr(r2, "reward"), "0");
    assert_string_equal(jstr(r2, "bondKept"), "200000000000000000");
    assert_string_equal(jstr(r2, "bondRefund"), "800000000000000000");

    json_t *r4 = json_object_get(json_array_get(b, 3), "settlement");
    assert_string_equal(jstr(r4, "status"), "INVALID_MODEL");
    assert_string_equal(jstr(r4, "bondKept"), "1000000000000000000");

    json_t *p = json_object_get(j, "pending");
    assert_int_equal(json_array_size(p), 1);
    assert_int_equal(jint(json_array_get(p, 0), "id"), (json_int_t)sub_pending);
    assert_string_equal(jstr(json_array_get(p, 0), "state"), "revealed");
    json_decref(j);

    snprintf(path, sizeof path, "/api/tasks/%llu", (unsigned long long)task2);
    j = api(path, 200);
    assert_int_equal(json_array_size(json_object_get(j, "leaderboard")), 0);
    json_decref(j);
}

static void test_submission(void **state)
{
    (void)state;
    json_t *j = api("/api/submissions/2", 200);
    assert_int_equal(jint(j, "taskId"), (json_int_t)task1);
    assert_string_equal(jstr(j, "optimizer"), addr_b);
    assert_string_equal(jstr(j, "state"), "settled");
    assert_string_equal(jstr(j, "seed"), jstr(j, "seed")); /* a hash, not null */
    assert_int_equal(strlen(jstr(j, "seed")), 66);
    assert_string_equal(jstr(json_object_get(j, "settlement"), "gain"), "500000000000000");
    json_decref(j);
    char path[64];
    snprintf(path, sizeof path, "/api/submissions/%llu", (unsigned long long)sub_pending);
    j = api(path, 200);
    assert_string_equal(jstr(j, "state"), "revealed");
    assert_true(json_is_null(json_object_get(j, "seed")));
    assert_null(json_object_get(j, "settlement"));
    json_decref(j);
}

static void test_operators_and_optimizers(void **state)
{
    (void)state;
    json_t *j = api("/api/operators", 200);
    assert_int_equal(jint(j, "count"), 2);
    assert_string_equal(jstr(j, "totalStake"), "5000000000000000000");
    json_t *ops = json_object_get(j, "operators");
    int seen_agg = 0, seen_plain = 0;
    for (size_t i = 0; i < json_array_size(ops); i++) {
        json_t *o = json_array_get(ops, i);
        assert_string_equal(jstr(o, "rewardsWithdrawable"), "0");
        assert_string_equal(jstr(o, "rewardsWithdrawn"), "0");
        assert_string_equal(jstr(o, "rewardsEarned"), "0");
        assert_int_equal(strlen(jstr(o, "address")), 42);
        assert_int_equal(strlen(jstr(o, "operatorId")), 66);
        if (strcmp(jstr(o, "endpoint"), "http://127.0.0.1:9001") == 0) {
            assert_true(json_is_true(json_object_get(o, "aggregator")));
            assert_string_equal(jstr(o, "stake"), "2000000000000000000");
            seen_agg = 1;
        } else {
            assert_string_equal(jstr(o, "endpoint"), "http://127.0.0.1:9002");
            assert_false(json_is_true(json_object_get(o, "aggregator")));
            assert_string_equal(jstr(o, "stake"), "3000000000000000000");
            seen_plain = 1;
        }
    }
    assert_true(seen_agg && seen_plain);
    json_decref(j);

    j = api("/api/optimizers", 200);
    json_t *arr = json_object_get(j, "optimizers");
    assert_int_equal(json_array_size(arr), 2);
    json_t *a = json_array_get(arr, 0), *b = json_array_get(arr, 1);
    assert_string_equal(jstr(a, "address"), addr_a);
    assert_int_equal(jint(a, "submissions"), 3);
    assert_int_equal(jint(a, "settled"), 2);
    assert_int_equal(jint(a, "accepted"), 2);
    assert_string_equal(jstr(a, "rewards"), "2000000000000000000");
    assert_string_equal(jstr(b, "address"), addr_b);
    assert_string_equal(jstr(b, "rewards"), "0");
    assert_string_equal(jstr(b, "bondKept"), "1200000000000000000");
    json_decref(j);
}

static void test_errors(void **state)
{
    (void)state;
    assert_error("/api/tasks/abc", 400);
    assert_error("/api/tasks/-1", 400);
    assert_error("/api/tasks/99999999999999999999", 400);
    assert_error("/api/tasks/1/files", 400);
    assert_error("/api/tasks/0", 404);
    assert_error("/api/tasks/3", 404);
    assert_error("/api/submissions/77", 404);
    assert_error("/api/submissions/", 400);
    assert_error("/api/nothing", 404);
    assert_error("/api/tasks/", 400);
    json_t *j = api("/api/", 200);
    assert_true(json_array_size(json_object_get(j, "endpoints")) >= 6);
    json_decref(j);
    zr_http_request_t req = {.method = "POST", .path = "/api/tasks", .body = (const uint8_t *)""};
    zr_http_response_t resp = {.status = 200};
    zr_buf_init(&resp.body, 4096);
    zr__node_api_handle(node, &req, &resp);
    assert_int_equal(resp.status, 405);
    zr_buf_cleanup(&resp.body);
}

/* New blocks are scanned from where the cache stopped; a rewound chain rebuilds it. */
static void test_cache_incremental_and_rewind(void **state)
{
    (void)state;
    json_t *j = api("/api/summary", 200);
    json_decref(j);
    pthread_mutex_lock(&log_mu);
    int before = n_scans, resets = n_resets;
    uint64_t last_to = before ? scan_field(before - 1, "to=") : 0;
    pthread_mutex_unlock(&log_mu);
    assert_true(before > 0);

    json_t *snap = NULL;
    assert_int_equal(zr_rpc_call(rpc, "evm_snapshot", json_array(), &snap), 0);
    assert_int_equal(zr_rpc_anvil_mine(rpc, 3), 0);
    uint8_t sk[32];
    key_of(sk, KEY2);
    zr_rpc_wallet_t *w = zr_rpc_wallet_new(rpc, sk);
    transact(w, dep.model_submission, "fixSeed(uint256)", zr_abi_tuple(1, zr_abi_uint_u64(sub_pending)));
    zr_rpc_wallet_free(w);
    settle(task1, sub_pending, 3, 0, 990000, 950000);

    char path[64];
    snprintf(path, sizeof path, "/api/tasks/%llu", (unsigned long long)task1);
    j = api(path, 200);
    assert_int_equal(jint(j, "bestId"), (json_int_t)sub_pending);
    json_t *b = json_object_get(j, "leaderboard");
    assert_int_equal(json_array_size(b), 5);
    assert_int_equal(jint(json_array_get(b, 0), "id"), (json_int_t)sub_pending);
    assert_int_equal(json_array_size(json_object_get(j, "pending")), 0);
    json_decref(j);
    pthread_mutex_lock(&log_mu);
    assert_true(n_scans > before);
    /* the next scan started right after the last one */
    assert_int_equal(scan_field(before, "from="), last_to + 1);
    assert_int_equal(n_resets, resets);
    pthread_mutex_unlock(&log_mu);

    /* rewind: the settlement is gone from the chain, so it must go from the API too */
    json_t *ok = NULL;
    json_t *params = json_array();
    json_array_append(params, snap);
    assert_int_equal(zr_rpc_call(rpc, "evm_revert", params, &ok), 0);
    assert_true(json_is_true(ok));
    json_decref(ok);
    json_decref(snap);
    /* a block on top so the head differs from any block the cache saw */
    assert_int_equal(zr_rpc_anvil_mine(rpc, 1), 0);
    j = api(path, 200);
    assert_int_equal(jint(j, "bestId"), 3);
    assert_int_equal(json_array_size(json_object_get(j, "leaderboard")), 4);
    assert_int_equal(json_array_size(json_object_get(j, "pending")), 1);
    json_decref(j);
    pthread_mutex_lock(&log_mu);
    assert_int_equal(n_resets, resets + 1);
    pthread_mutex_unlock(&log_mu);
}

/* A task's cached state is dropped by TaskFunded, an event the chain module does not decode. */
static void test_funded_task(void **state)
{
    (void)state;
    char path[64];
    snprintf(path, sizeof path, "/api/tasks/%llu", (unsigned long long)task2);
    json_t *j = api(path, 200);
    assert_string_equal(jstr(j, "rewardPool"), "10000000000000000000");
    json_decref(j);
    uint8_t sk[32], amount[32];
    key_of(sk, ZT_ANVIL_KEY0);
    wei(amount, "1500000000000000000");
    zr_rpc_wallet_t *w = zr_rpc_wallet_new(rpc, sk);
    transact_value(w, dep.model_submission, amount, "fundTask(uint256,uint256)",
                   zr_abi_tuple(2, zr_abi_uint_u64(task2), zr_abi_uint_be(amount)));
    zr_rpc_wallet_free(w);
    j = api(path, 200);
    assert_string_equal(jstr(j, "rewardPool"), "11500000000000000000");
    json_decref(j);
    j = api("/api/tasks", 200);
    assert_string_equal(jstr(json_array_get(json_object_get(j, "tasks"), 0), "rewardPool"), "11500000000000000000");
    json_decref(j);
}

/* ---- many HTTP clients at once through the node's real HTTP handler --------------------- */

static int http_port;

static size_t sink(char *p, size_t sz, size_t n, void *ud)
{
    zr_buf_append(ud, p, sz * n);
    return sz * n;
}

static void *client(void *arg)
{
    long bad = 0;
    static const char *const paths[] = {"/api/summary", "/api/tasks", "/api/tasks/1", "/api/operators",
                                        "/api/optimizers", "/api/submissions/3"};
    CURL *c = curl_easy_init();
    zr_buf_t out;
    zr_buf_init(&out, 1u << 20);
    for (int i = 0; i < 12; i++) {
        const char *p = paths[((size_t)arg + (size_t)i) % 6];
        char url[128];
        snprintf(url, sizeof url, "http://127.0.0.1:%d%s", http_port, p);
        zr_buf_reset(&out);
        curl_easy_setopt(c, CURLOPT_URL, url);
        curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink);
        curl_easy_setopt(c, CURLOPT_WRITEDATA, &out);
        long code = 0;
        if (curl_easy_perform(c) == CURLE_OK)
            curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
        json_t *j = NULL;
        char e[100];
        if (code != 200 || zr_json_parse((const char *)out.data, out.len, out.max, &j, e, sizeof e) != 0)
            bad++;
        json_decref(j);
    }
    zr_buf_cleanup(&out);
    curl_easy_cleanup(c);
    return (void *)bad;
}

static void test_concurrent_http(void **state)
{
    (void)state;
    zr__node_http_t h;
    memset(&h, 0, sizeof h);
    h.metrics = zr_metrics_new();
    assert_int_equal(zr__node_metrics_declare(h.metrics), 0);
    h.node_name = "api-test";
    h.api = zr__node_api_handle;
    h.api_ud = node;
    zr_httpd_opts_t o = {.rate_per_sec = 10000, .rate_burst = 10000};
    int err;
    h.server = zr_httpd_start(&o, zr__node_http_handle, &h, &err);
    assert_non_null(h.server);
    http_port = zr_httpd_port(h.server);
    /* a new block between rounds so the response cache does not answer everything */
    pthread_t th[6];
    for (long i = 0; i < 6; i++)
        assert_int_equal(pthread_create(&th[i], NULL, client, (void *)i), 0);
    assert_int_equal(zr_rpc_anvil_mine(rpc, 1), 0);
    long bad = 0;
    for (int i = 0; i < 6; i++) {
        void *r;
        pthread_join(th[i], &r);
        bad += (long)r;
    }
    zr_httpd_stop(h.server);
    zr_metrics_free(h.metrics);
    assert_int_equal(bad, 0);
}

/* ---- more deployments than cache slots, served at once ------------------------------------
 * The same contracts seen through deployment records with different deploy blocks are
 * different cache keys with different histories: each must see exactly the settlements at
 * or after its deploy block, while six keys compete for four slots. */

typedef struct {
    struct zr_node *n;
    size_t want;
    long bad;
} key_job_t;

static void *key_client(void *arg)
{
    key_job_t *j = arg;
    for (int i = 0; i < 8; i++) {
        zr_http_request_t req = {.method = "GET", .path = "/api/tasks/1", .body = (const uint8_t *)""};
        zr_http_response_t resp = {.status = 200};
        zr_buf_init(&resp.body, 1u << 20);
        zr__node_api_handle(j->n, &req, &resp);
        json_t *t = NULL;
        char e[100];
        if (resp.status != 200 ||
            zr_json_parse((const char *)resp.body.data, resp.body.len, resp.body.max, &t, e, sizeof e) != 0 ||
            json_array_size(json_object_get(t, "leaderboard")) != j->want)
            j->bad++;
        json_decref(t);
        zr_buf_cleanup(&resp.body);
    }
    return NULL;
}

static void test_many_deployments(void **state)
{
    (void)state;
    uint64_t head;
    assert_int_equal(zr_rpc_block_number(rpc, &head), 0);
    zr_chain_event_t *ev = NULL;
    size_t n = 0;
    assert_int_equal(zr_chain_events(verdict, dep.deploy_block, head, 1000, &ev, &n), 0);
    enum { KEYS = 6 };
    key_job_t jobs[KEYS];
    pthread_t th[KEYS];
    uint64_t span = head - dep.deploy_block;
    for (int k = 0; k < KEYS; k++) {
        struct zr_node *nk = calloc(1, sizeof *nk);
        assert_non_null(nk);
        pthread_mutex_init(&nk->mu, NULL);
        nk->dep = dep;
        nk->dep.deploy_block = dep.deploy_block + span * (uint64_t)k / KEYS;
        nk->cfg.log_range = 7;
        char e[256];
        assert_int_equal(zr_chain_open(&nk->rpc_chain, anvil.url, &nk->dep, NULL, e, sizeof e), 0);
        jobs[k] = (key_job_t){.n = nk};
        for (size_t i = 0; i < n; i++)
            jobs[k].want += ev[i].kind == ZR_EV_SETTLED && ev[i].task_id == task1 && ev[i].block >= nk->dep.deploy_block;
    }
    free(ev);
    /* the histories really differ */
    assert_true(jobs[0].want > jobs[KEYS - 1].want);
    for (int k = 0; k < KEYS; k++)
        assert_int_equal(pthread_create(&th[k], NULL, key_client, &jobs[k]), 0);
    for (int k = 0; k < KEYS; k++)
        pthread_join(th[k], NULL);
    for (int k = 0; k < KEYS; k++) {
        if (jobs[k].bad)
            fail_msg("deploy block %llu: %ld wrong answers", (unsigned long long)jobs[k].n->dep.deploy_block,
                     jobs[k].bad);
        zr_chain_free(jobs[k].n->rpc_chain);
        pthread_mutex_destroy(&jobs[k].n->mu);
        free(jobs[k].n);
    }
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_summary),
        cmocka_unit_test(test_tasks),
        cmocka_unit_test(test_task_leaderboard),
        cmocka_unit_test(test_submission),
        cmocka_unit_test(test_operators_and_optimizers),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_cache_incremental_and_rewind),
        cmocka_unit_test(test_funded_task),
        cmocka_unit_test(test_concurrent_http),
        cmocka_unit_test(test_many_deployments),
    };
    int rc = cmocka_run_group_tests(tests, setup, teardown);
    curl_global_cleanup();
    return rc;
}
