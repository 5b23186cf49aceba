// SPDX-License-Identifier: MIT
// The JSON-RPC client and wallet against a real anvil: chain id and balances (checked with
// cast), legacy and EIP-1559 transfers signed by zara, a forge-compiled contract deployed
// and called, its events fetched with eth_getLogs in split ranges and decoded with the ABI
// module, reverts with their reasons, nonce resync after a `cast send`, and a real batch.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zt.h"
#include "zara/abi.h"
#include "zara/ecdsa.h"
#include "zara/keccak.h"
#include "zara/rpc.h"

typedef struct ctx {
    zt_anvil_t anvil;
    char *tmp;
    zr_rpc_t *h;
    zr_rpc_wallet_t *w;
    uint8_t key0[32];
    uint8_t addr0[20];
    uint8_t addr1[20];
    zr_buf_t initcode; /* creation bytecode of Emitter */
    uint8_t emitter[20];
    int deployed;
} ctx_t;

static const char *cast_bin(void)
{
    static char p[4096];
    snprintf(p, sizeof p, "%s", zt_src_path("node_modules/.bin/cast"));
    return p;
}

static void addr_hex(char out[43], const uint8_t a[20])
{
    zr_addr_format(out, a);
}

static int setup(void **state)
{
    ctx_t *c = calloc(1, sizeof *c);
    zt_anvil_start(&c->anvil, NULL);
    c->tmp = zt_tmpdir();
    c->h = zr_rpc_new(c->anvil.url, NULL);
    assert_non_null(c->h);
    assert_int_equal(zr_hex_decode_exact(c->key0, 32, ZT_ANVIL_KEY0), 0);
    assert_int_equal(zr_addr_parse(c->addr0, ZT_ANVIL_ADDR0), 0);
    assert_int_equal(zr_addr_parse(c->addr1, ZT_ANVIL_ADDR1), 0);
    c->w = zr_rpc_wallet_new(c->h, c->key0);
    assert_non_null(c->w);
    assert_memory_equal(zr_rpc_wallet_address(c->w), c->addr0, 20);

    /* compile the fixture with forge (solc-js through the adapter) into a temporary dir */
    char out[4096];
    char fixture[4096];
    snprintf(fixture, sizeof fixture, "%s", zt_src_path("tests/integration/fixtures/rpc_emitter"));
    int st = zt_run(out, sizeof out, "cd '%s' && '%s' build --root . --out '%s/out' --cache-path '%s/cache' 2>&1",
                    fixture, zt_src_path("node_modules/.bin/forge"), c->tmp, c->tmp);
    if (st != 0)
        fail_msg("forge build failed (%d): %s", st, out);
    char art[4096];
    snprintf(art, sizeof art, "%s/out/Emitter.sol/Emitter.json", c->tmp);
    zr_buf_t a;
    zr_buf_init(&a, 16u << 20);
    assert_int_equal(zr_file_read(art, a.max, &a), 0);
    json_t *j = NULL;
    assert_int_equal(zr_json_parse((const char *)a.data, a.len, a.max, &j, NULL, 0), 0);
    const char *obj = zr_json_str(json_object_get(j, "bytecode"), "object");
    assert_non_null(obj);
    zr_buf_init(&c->initcode, 1u << 20);
    assert_int_equal(zr_buf_reserve(&c->initcode, strlen(obj) / 2), 0);
    assert_int_equal(zr_hex_decode(c->initcode.data, strlen(obj) / 2, &c->initcode.len, obj, strlen(obj)), 0);
    assert_true(c->initcode.len > 100);
    json_decref(j);
    zr_buf_cleanup(&a);
    *state = c;
    return 0;
}

static int teardown(void **state)
{
    ctx_t *c = *state;
    zr_rpc_wallet_free(c->w);
    zr_rpc_free(c->h);
    zt_anvil_stop(&c->anvil);
    zt_rmtree(c->tmp);
    free(c->tmp);
    zr_buf_cleanup(&c->initcode);
    free(c);
    return 0;
}

static void test_chain_basics(void **state)
{
    ctx_t *c = *state;
    uint64_t id = 0, bn = 99, nonce = 9;
    assert_int_equal(zr_rpc_chain_id(c->h, &id), 0);
    assert_int_equal(id, 31337);
    assert_int_equal(zr_rpc_block_number(c->h, &bn), 0);
    uint8_t bal[32];
    assert_int_equal(zr_rpc_get_balance(c->h, bal, c->addr0, NULL), 0);
    char dec[ZR_RPC_U256_DEC_CAP], want[128], a0[43];
    zr_rpc_u256_to_dec(dec, bal);
    assert_string_equal(dec, "10000000000000000000000");
    addr_hex(a0, c->addr0);
    assert_int_equal(zt_run(want, sizeof want, "'%s' balance %s --rpc-url %s", cast_bin(), a0, c->anvil.url), 0);
    assert_string_equal(dec, want);
    assert_int_equal(zr_rpc_get_nonce(c->h, &nonce, c->addr0, "pending"), 0);
    assert_int_equal(nonce, 0);
    uint8_t gp[32], tip[32], base[32];
    assert_int_equal(zr_rpc_gas_price(c->h, gp), 0);
    assert_int_equal(zr_rpc_max_priority_fee(c->h, tip), 0);
    assert_int_equal(zr_rpc_base_fee(c->h, base), 0);
    zr_rpc_block_t b;
    assert_int_equal(zr_rpc_get_block(c->h, &b, "latest"), 0);
    assert_int_equal(b.number, bn);
    assert_true(b.has_base_fee);
    assert_true(b.timestamp > 1600000000);
    assert_int_equal(zr_rpc_get_block(c->h, &b, "0xffffff"), ZR_ENOENT);
    /* no code at an EOA */
    zr_buf_t code;
    zr_buf_init(&code, 1 << 20);
    assert_int_equal(zr_rpc_get_code(c->h, &code, c->addr1, NULL), 0);
    assert_int_equal(code.len, 0);
    zr_buf_cleanup(&code);
}

static void check_tx_type(ctx_t *c, const uint8_t hash[32], const char *want_type)
{
    char hx[67] = "0x", out[8192];
    zr_hex_encode(hx + 2, hash, 32);
    assert_int_equal(zt_run(out, sizeof out, "'%s' tx %s --json --rpc-url %s", cast_bin(), hx, c->anvil.url), 0);
    json_t *j = NULL;
    assert_int_equal(zr_json_parse(out, strlen(out), sizeof out, &j, NULL, 0), 0);
    assert_string_equal(zr_json_str(j, "type"), want_type);
    assert_string_equal(zr_json_str(j, "from"), "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266");
    json_decref(j);
}

static void test_transfers(void **state)
{
    ctx_t *c = *state;
    uint8_t one_eth[32], before[32], after[32], want[32];
    assert_int_equal(zr_rpc_u256_parse_any(one_eth, "1000000000000000000"), 0);
    for (int legacy = 1; legacy >= 0; legacy--) {
        assert_int_equal(zr_rpc_get_balance(c->h, before, c->addr1, NULL), 0);
        zr_rpc_txreq_t req = {.to = c->addr1, .value = one_eth, .legacy = legacy};
        zr_rpc_receipt_t r;
        zr_rpc_receipt_init(&r);
        int rc = zr_rpc_wallet_transact(c->w, &r, &req);
        if (rc)
            fail_msg("transfer (legacy=%d): %s: %s", legacy, zr_err_name(rc), zr_rpc_errmsg(c->h));
        assert_int_equal(r.status, 1);
        assert_int_equal(r.gas_used, 21000);
        assert_true(r.has_to);
        assert_memory_equal(r.to, c->addr1, 20);
        assert_memory_equal(r.from, c->addr0, 20);
        assert_false(r.has_contract_address);
        uint64_t egp = 0;
        assert_int_equal(zr_rpc_u256_to_u64(&egp, r.effective_gas_price), 0);
        assert_true(egp > 0);
        assert_int_equal(zr_rpc_get_balance(c->h, after, c->addr1, NULL), 0);
        assert_int_equal(zr_rpc_u256_add(want, before, one_eth), 0);
        assert_memory_equal(after, want, 32);
        check_tx_type(c, r.tx_hash, legacy ? "0x0" : "0x2");
        zr_rpc_receipt_cleanup(&r);
    }
    uint64_t n = 0;
    assert_int_equal(zr_rpc_get_nonce(c->h, &n, c->addr0, "latest"), 0);
    assert_int_equal(n, 2);
}

static const char *stored_sig = "event Stored(address indexed who, uint256 indexed key, uint256 value, string note)";

/* Decodes a Stored log with the ABI module and checks its fields. */
static void check_stored(const zr_rpc_log_t *lg, const uint8_t who[20], uint64_t key, uint64_t value,
                         const char *note)
{
    zr_abi_sig_t *ev = NULL;
    zr_abi_diag_t diag = {0};
    assert_int_equal(zr_abi_sig_parse(&ev, stored_sig, ZR_ABI_EVENT, &diag), 0);
    assert_int_equal(lg->n_topics, 3);
    assert_memory_equal(lg->topics[0], ev->topic0, 32);
    zr_abi_value_t *v = NULL;
    int rc = zr_abi_decode_log(&v, ev, (const uint8_t(*)[32])lg->topics, lg->n_topics, lg->data, lg->data_len, &diag);
    if (rc)
        fail_msg("decode_log: %s %s", zr_err_name(rc), diag.msg);
    uint8_t a[20];
    uint64_t k = 0, val = 0;
    assert_int_equal(zr_abi_value_address(zr_abi_value_field(v, "who"), a), 0);
    assert_memory_equal(a, who, 20);
    assert_int_equal(zr_abi_value_u64(zr_abi_value_field(v, "key"), &k), 0);
    assert_int_equal(k, key);
    assert_int_equal(zr_abi_value_u64(zr_abi_value_field(v, "value"), &val), 0);
    assert_int_equal(val, value);
    const zr_abi_value_t *s = zr_abi_value_field(v, "note");
    assert_non_null(s);
    assert_int_equal(s->len, strlen(note));
    assert_memory_equal(s->data, note, s->len);
    zr_abi_value_free(v);
    zr_abi_sig_free(ev);
}

static void encode_store(zr_buf_t *out, uint64_t key, uint64_t value, const char *note)
{
    zr_abi_sig_t *fn = NULL;
    assert_int_equal(zr_abi_sig_parse(&fn, "store(uint256,uint256,string)", ZR_ABI_FUNCTION, NULL), 0);
    zr_abi_value_t *args = zr_abi_tuple(3, zr_abi_uint_u64(key), zr_abi_uint_u64(value), zr_abi_string(note));
    assert_non_null(args);
    zr_buf_init(out, 1 << 16);
    assert_int_equal(zr_abi_encode_call(out, fn, args, NULL), 0);
    zr_abi_value_free(args);
    zr_abi_sig_free(fn);
}

static uint64_t call_get(ctx_t *c, uint64_t key)
{
    uint8_t data[36];
    assert_int_equal(zr_abi_selector(data, "get(uint256)"), 0);
    zr_rpc_u256_from_u64(data + 4, key);
    zr_rpc_callmsg_t m = {.to = c->emitter, .data = data, .data_len = sizeof data};
    zr_buf_t out;
    zr_buf_init(&out, 1 << 16);
    int rc = zr_rpc_eth_call(c->h, &out, &m, NULL);
    if (rc)
        fail_msg("get: %s", zr_rpc_errmsg(c->h));
    assert_int_equal(out.len, 32);
    uint64_t v = 0;
    assert_int_equal(zr_rpc_u256_to_u64(&v, out.data), 0);
    zr_buf_cleanup(&out);
    return v;
}

static void test_contract(void **state)
{
    ctx_t *c = *state;
    /* constructor(uint256 initial = 42) */
    zr_buf_t code;
    zr_buf_init(&code, 1u << 20);
    assert_int_equal(zr_buf_append(&code, c->initcode.data, c->initcode.len), 0);
    uint8_t arg[32];
    zr_rpc_u256_from_u64(arg, 42);
    assert_int_equal(zr_buf_append(&code, arg, 32), 0);
    zr_rpc_receipt_t r;
    zr_rpc_receipt_init(&r);
    int rc = zr_rpc_wallet_deploy(c->w, c->emitter, &r, code.data, code.len, NULL);
    if (rc)
        fail_msg("deploy: %s", zr_rpc_errmsg(c->h));
    c->deployed = 1;
    assert_true(r.has_contract_address);
    assert_int_equal(r.logs.n, 1);
    check_stored(&r.logs.v[0], c->addr0, 0, 42, "init");
    uint64_t deploy_block = r.block_number;
    zr_rpc_receipt_cleanup(&r);
    zr_buf_cleanup(&code);
    /* the runtime code is there, and matches what cast sees */
    zr_buf_t rt;
    zr_buf_init(&rt, 1u << 20);
    assert_int_equal(zr_rpc_get_code(c->h, &rt, c->emitter, NULL), 0);
    assert_true(rt.len > 100);
    char ea[43], out[65536];
    addr_hex(ea, c->emitter);
    assert_int_equal(zt_run(out, sizeof out, "'%s' code %s --rpc-url %s", cast_bin(), ea, c->anvil.url), 0);
    zr_buf_t hx;
    zr_buf_init(&hx, 1u << 21);
    assert_int_equal(zr_hex_append_0x(&hx, rt.data, rt.len), 0);
    assert_string_equal(zr_buf_cstr(&hx), out);
    zr_buf_cleanup(&hx);
    zr_buf_cleanup(&rt);
    assert_int_equal(call_get(c, 0), 42);

    /* three stores in three blocks, each emitting Stored */
    static const char *const notes[] = {"hello", "a note long enough to need two ABI words, past 32 bytes", ""};
    for (int i = 0; i < 3; i++) {
        zr_buf_t data;
        encode_store(&data, 7 + (uint64_t)i, 1000 + (uint64_t)i, notes[i]);
        zr_rpc_txreq_t req = {.to = c->emitter, .data = data.data, .data_len = data.len, .legacy = i == 1};
        zr_rpc_receipt_init(&r);
        rc = zr_rpc_wallet_transact(c->w, &r, &req);
        if (rc)
            fail_msg("store: %s", zr_rpc_errmsg(c->h));
        assert_int_equal(r.logs.n, 1);
        assert_memory_equal(r.logs.v[0].address, c->emitter, 20);
        check_stored(&r.logs.v[0], c->addr0, 7 + (uint64_t)i, 1000 + (uint64_t)i, notes[i]);
        zr_rpc_receipt_cleanup(&r);
        zr_buf_cleanup(&data);
        /* empty blocks in between, so the range split has something to skip */
        assert_int_equal(zr_rpc_anvil_mine(c->h, 3), 0);
    }
    assert_int_equal(call_get(c, 8), 1001);

    /* eth_getLogs from genesis to now, 2 blocks per request, filtered by address and topic0 */
    uint64_t latest = 0;
    assert_int_equal(zr_rpc_block_number(c->h, &latest), 0);
    uint8_t addr[1][20], topic0[1][32];
    memcpy(addr[0], c->emitter, 20);
    assert_int_equal(zr_abi_event_topic(topic0[0], stored_sig), 0);
    zr_rpc_filter_t f = {.from_block = 0, .to_block = latest, .addresses = addr, .n_addresses = 1, .max_range = 2};
    f.topics[0] = topic0;
    f.n_topics[0] = 1;
    zr_rpc_logs_t logs;
    zr_rpc_logs_init(&logs);
    rc = zr_rpc_get_logs(c->h, &logs, &f);
    if (rc)
        fail_msg("getLogs: %s", zr_rpc_errmsg(c->h));
    assert_int_equal(logs.n, 4);
    assert_int_equal(logs.v[0].block_number, deploy_block);
    check_stored(&logs.v[0], c->addr0, 0, 42, "init");
    for (int i = 0; i < 3; i++) {
        check_stored(&logs.v[1 + i], c->addr0, 7 + (uint64_t)i, 1000 + (uint64_t)i, notes[i]);
        assert_true(logs.v[1 + i].block_number > logs.v[i].block_number);
    }
    assert_true(zr_rpc_get_logs_requests(c->h) >= (int)((latest + 1) / 2));
    zr_rpc_logs_cleanup(&logs);
    /* an indexed-topic filter at position 2 (key == 8) picks one log */
    uint8_t key8[1][32];
    zr_rpc_u256_from_u64(key8[0], 8);
    f.topics[2] = key8;
    f.n_topics[2] = 1;
    f.max_range = 0;
    zr_rpc_logs_init(&logs);
    assert_int_equal(zr_rpc_get_logs(c->h, &logs, &f), 0);
    assert_int_equal(logs.n, 1);
    check_stored(&logs.v[0], c->addr0, 8, 1001, notes[1]);
    assert_int_equal(zr_rpc_get_logs_requests(c->h), 1);
    zr_rpc_logs_cleanup(&logs);
}

static void test_reverts(void **state)
{
    ctx_t *c = *state;
    assert_true(c->deployed);
    zr_buf_t data;
    encode_store(&data, 1, 13, "x");
    zr_rpc_txreq_t req = {.to = c->emitter, .data = data.data, .data_len = data.len};
    /* the estimate already reverts: nothing is sent */
    uint64_t n0 = 0, n1 = 0;
    assert_int_equal(zr_rpc_get_nonce(c->h, &n0, c->addr0, "latest"), 0);
    zr_rpc_receipt_t r;
    zr_rpc_receipt_init(&r);
    assert_int_equal(zr_rpc_wallet_transact(c->w, &r, &req), ZR_EREVERTED);
    assert_non_null(strstr(zr_rpc_errmsg(c->h), "unlucky value"));
    assert_int_equal(zr_rpc_get_nonce(c->h, &n1, c->addr0, "latest"), 0);
    assert_int_equal(n1, n0);
    /* with a fixed gas limit it is mined with status 0, and the reason is recovered */
    req.gas_limit = 200000;
    int rc = zr_rpc_wallet_transact(c->w, &r, &req);
    assert_int_equal(rc, ZR_EREVERTED);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(zr_rpc_errmsg(c->h), "unlucky value"));
    assert_non_null(strstr(zr_rpc_errmsg(c->h), "reverted in block"));
    assert_int_equal(zr_rpc_get_nonce(c->h, &n1, c->addr0, "latest"), 0);
    assert_int_equal(n1, n0 + 1);
    zr_rpc_receipt_cleanup(&r);
    zr_buf_cleanup(&data);
    /* a custom error through eth_call: the selector of Unlucky(uint256) and its argument */
    encode_store(&data, 1, 666, "x");
    zr_rpc_callmsg_t m = {.from = c->addr0, .to = c->emitter, .data = data.data, .data_len = data.len};
    zr_buf_t out;
    zr_buf_init(&out, 1024);
    assert_int_equal(zr_rpc_eth_call(c->h, &out, &m, NULL), ZR_EREVERTED);
    size_t dl = 0;
    const uint8_t *d = zr_rpc_revert_data(c->h, &dl);
    uint8_t sel[4];
    assert_int_equal(zr_abi_selector(sel, "Unlucky(uint256)"), 0);
    assert_int_equal(dl, 36);
    assert_memory_equal(d, sel, 4);
    assert_int_equal(d[35], 666 & 0xff);
    assert_non_null(strstr(zr_rpc_errmsg(c->h), "custom error"));
    zr_buf_cleanup(&out);
    zr_buf_cleanup(&data);
}

static void test_nonce_resync(void **state)
{
    ctx_t *c = *state;
    uint64_t local = 0, node = 0;
    assert_int_equal(zr_rpc_wallet_next_nonce(c->w, &local), 0);
    assert_int_equal(zr_rpc_get_nonce(c->h, &node, c->addr0, "pending"), 0);
    assert_int_equal(local, node);
    /* another program sends from the same key behind the wallet's back */
    char a1[43], out[4096];
    addr_hex(a1, c->addr1);
    int st = zt_run(out, sizeof out, "'%s' send --private-key 0x%s --rpc-url %s %s --value 1 2>&1", cast_bin(),
                    ZT_ANVIL_KEY0, c->anvil.url, a1);
    if (st != 0)
        fail_msg("cast send: %s", out);
    assert_int_equal(zr_rpc_get_nonce(c->h, &node, c->addr0, "pending"), 0);
    assert_int_equal(node, local + 1);
    /* the wallet still believes in its stale nonce, is told it is too low, and resyncs */
    uint64_t stale = 0;
    assert_int_equal(zr_rpc_wallet_next_nonce(c->w, &stale), 0);
    assert_int_equal(stale, local);
    uint8_t wei[32];
    zr_rpc_u256_from_u64(wei, 5);
    zr_rpc_txreq_t req = {.to = c->addr1, .value = wei};
    zr_rpc_receipt_t r;
    zr_rpc_receipt_init(&r);
    int rc = zr_rpc_wallet_transact(c->w, &r, &req);
    if (rc)
        fail_msg("send after external tx: %s", zr_rpc_errmsg(c->h));
    assert_int_equal(r.status, 1);
    zr_rpc_receipt_cleanup(&r);
    assert_int_equal(zr_rpc_wallet_next_nonce(c->w, &stale), 0);
    assert_int_equal(stale, local + 2);
    assert_int_equal(zr_rpc_get_nonce(c->h, &node, c->addr0, "latest"), 0);
    assert_int_equal(node, local + 2);
}

static void test_batch_and_errors(void **state)
{
    ctx_t *c = *state;
    zr_rpc_batch_item_t it[3] = {
        {.method = "eth_chainId"},
        {.method = "eth_noSuchMethod"},
        {.method = "eth_getBalance", .params = json_pack("[ss]", ZT_ANVIL_ADDR0, "latest")},
    };
    assert_int_equal(zr_rpc_batch(c->h, it, 3), 0);
    assert_int_equal(it[0].err, 0);
    assert_string_equal(json_string_value(it[0].result), "0x7a69");
    assert_int_equal(it[1].err, ZR_ERPC);
    assert_true(it[1].code != 0);
    assert_non_null(it[1].message);
    assert_int_equal(it[2].err, 0);
    assert_true(json_is_string(it[2].result));
    zr_rpc_batch_cleanup(it, 3);
    /* a raw transaction that is garbage: the node's error is kept */
    uint8_t hash[32];
    assert_int_equal(zr_rpc_send_raw(c->h, hash, (const uint8_t *)"\x02\xc0", 2), ZR_ERPC);
    assert_true(zr_rpc_remote_code(c->h) != 0);
    assert_true(strlen(zr_rpc_remote_message(c->h)) > 0);
    /* an unknown transaction has no receipt yet */
    zr_rpc_receipt_t r;
    zr_rpc_receipt_init(&r);
    memset(hash, 0xab, 32);
    assert_int_equal(zr_rpc_get_receipt(c->h, &r, hash), ZR_ENOENT);
    assert_int_equal(zr_rpc_wait_receipt(c->h, &r, hash, 300, 50), ZR_ETIMEOUT);
    assert_non_null(strstr(zr_rpc_errmsg(c->h), "no receipt"));
    /* time travel for tests */
    zr_rpc_block_t b0, b1;
    assert_int_equal(zr_rpc_get_block(c->h, &b0, NULL), 0);
    assert_int_equal(zr_rpc_anvil_increase_time(c->h, 3600), 0);
    assert_int_equal(zr_rpc_anvil_mine(c->h, 1), 0);
    assert_int_equal(zr_rpc_get_block(c->h, &b1, NULL), 0);
    assert_int_equal(b1.number, b0.number + 1);
    assert_true(b1.timestamp >= b0.timestamp + 3600);
}

/* A chain that mines on an interval: the receipt arrives only after polling. */
static void test_wait_on_interval_mining(void **state)
{
    (void)state;
    zt_anvil_t a;
    static const char *const args[] = {"--block-time", "1", NULL};
    zt_anvil_start(&a, args);
    zr_rpc_t *h = zr_rpc_new(a.url, NULL);
    uint8_t sk[32], to[20], one[32], hash[32];
    assert_int_equal(zr_hex_decode_exact(sk, 32, ZT_ANVIL_KEY1), 0);
    assert_int_equal(zr_addr_parse(to, ZT_ANVIL_ADDR0), 0);
    zr_rpc_u256_from_u64(one, 1);
    zr_rpc_wallet_t *w = zr_rpc_wallet_new(h, sk);
    zr_rpc_txreq_t req = {.to = to, .value = one};
    assert_int_equal(zr_rpc_wallet_send(w, hash, &req), 0);
    zr_rpc_receipt_t r;
    zr_rpc_receipt_init(&r);
    /* just sent: not mined yet (the next block is up to a second away) */
    int first = zr_rpc_get_receipt(h, &r, hash);
    assert_true(first == ZR_ENOENT || first == 0);
    assert_int_equal(zr_rpc_wait_receipt(h, &r, hash, 10000, 50), 0);
    assert_int_equal(r.status, 1);
    assert_memory_equal(r.tx_hash, hash, 32);
    /* two sends back to back before a block: the local nonce keeps them apart */
    uint8_t h2[32], h3[32];
    assert_int_equal(zr_rpc_wallet_send(w, h2, &req), 0);
    assert_int_equal(zr_rpc_wallet_send(w, h3, &req), 0);
    assert_memory_not_equal(h2, h3, 32);
    assert_int_equal(zr_rpc_wait_receipt(h, &r, h3, 10000, 50), 0);
    assert_int_equal(zr_rpc_wait_receipt(h, &r, h2, 10000, 50), 0);
    uint64_t n = 0;
    assert_int_equal(zr_rpc_get_nonce(h, &n, zr_rpc_wallet_address(w), "latest"), 0);
    assert_int_equal(n, 3);
    zr_rpc_receipt_cleanup(&r);
    zr_rpc_wallet_free(w);
    zr_rpc_free(h);
    zt_anvil_stop(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_chain_basics),
        cmocka_unit_test(test_transfers),
        cmocka_unit_test(test_contract),
        cmocka_unit_test(test_reverts),
        cmocka_unit_test(test_nonce_resync),
        cmocka_unit_test(test_batch_and_errors),
        cmocka_unit_test(test_wait_on_interval_mining),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
