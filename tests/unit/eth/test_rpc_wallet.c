// SPDX-License-Identifier: MIT
// The wallet against a scripted node on a loopback port (zt_http) that decodes what it is
// sent: fee and gas choice, nonce resync on "nonce too low", and no double send when the
// node accepted a transaction but the connection dropped before it could answer.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zt.h"
#include "zt_http.h"
#include "zara/keccak.h"
#include "zara/rpc.h"
#include "zara/tx.h"

#define MAX_POOL 16

typedef struct node {
    uint64_t count;           /* the sender's pending transaction count */
    int drop_next_send;       /* accept the next raw transaction, then drop the connection */
    int estimate_reverts;
    int no_priority_method;   /* answer eth_maxPriorityFeePerGas with "method not found" */
    zr_tx_t pool[MAX_POOL];   /* accepted transactions, decoded */
    uint8_t hashes[MAX_POOL][32];
    int n;
    int sends;                /* eth_sendRawTransaction requests seen */
    int bad;                  /* things the server could not make sense of */
} node_t;

static void answer(zr_buf_t *b, json_int_t id, json_t *result)
{
    json_t *o = json_pack("{sssIso}", "jsonrpc", "2.0", "id", id, "result", result ? result : json_null());
    char *s = json_dumps(o, JSON_COMPACT | JSON_ENCODE_ANY);
    zr_buf_append_str(b, s);
    free(s);
    json_decref(o);
}

static void answer_error(zr_buf_t *b, json_int_t id, int code, const char *msg)
{
    zr_buf_printf(b, "{\"jsonrpc\":\"2.0\",\"id\":%lld,\"error\":{\"code\":%d,\"message\":\"%s\"}}", (long long)id,
                  code, msg);
}

static json_t *hexj(const uint8_t *p, size_t n)
{
    zr_buf_t b;
    zr_buf_init(&b, 1 << 20);
    zr_hex_append_0x(&b, p, n);
    json_t *j = json_string(zr_buf_cstr(&b));
    zr_buf_cleanup(&b);
    return j;
}

/* Runs on the server thread: no cmocka asserts, oddities are counted in n->bad. */
static void node_fn(void *ud, const char *path, const char *body, size_t len, zt_http_reply_t *rep)
{
    (void)path;
    node_t *n = ud;
    json_t *req = NULL;
    if (zr_json_parse(body, len, 8u << 20, &req, NULL, 0)) {
        n->bad++;
        return;
    }
    json_int_t id = json_integer_value(json_object_get(req, "id"));
    const char *m = zr_json_str(req, "method");
    const json_t *params = json_object_get(req, "params");
    if (!m) {
        n->bad++;
    } else if (strcmp(m, "eth_chainId") == 0) {
        answer(&rep->body, id, json_string("0x7a69"));
    } else if (strcmp(m, "eth_getTransactionCount") == 0) {
        char q[19];
        zr_rpc_u64_format(q, n->count);
        answer(&rep->body, id, json_string(q));
    } else if (strcmp(m, "eth_getBlockByNumber") == 0) {
        answer(&rep->body, id,
               json_pack("{ssssssssssssss}", "number", "0x10", "hash", "0x" "1111111111111111111111111111111111111111111111111111111111111111",
                         "parentHash", "0x" "2222222222222222222222222222222222222222222222222222222222222222",
                         "timestamp", "0x6553f100", "gasLimit", "0x1c9c380", "gasUsed", "0x0",
                         "baseFeePerGas", "0x3b9aca00"));
    } else if (strcmp(m, "eth_maxPriorityFeePerGas") == 0 && n->no_priority_method) {
        answer_error(&rep->body, id, -32601, "the method eth_maxPriorityFeePerGas does not exist");
    } else if (strcmp(m, "eth_maxPriorityFeePerGas") == 0) {
        answer(&rep->body, id, json_string("0x77359400")); /* 2 gwei */
    } else if (strcmp(m, "eth_gasPrice") == 0) {
        answer(&rep->body, id, json_string("0xd09dc300")); /* 3.5 gwei */
    } else if (strcmp(m, "eth_estimateGas") == 0) {
        if (n->estimate_reverts)
            answer_error(&rep->body, id, 3, "execution reverted: nope");
        else
            answer(&rep->body, id, json_string("0x5208"));
    } else if (strcmp(m, "eth_getTransactionByHash") == 0) {
        uint8_t h[32];
        int found = 0;
        if (zr_hex_decode_exact(h, 32, json_string_value(json_array_get(params, 0))) == 0)
            for (int i = 0; i < n->n; i++)
                found |= memcmp(n->hashes[i], h, 32) == 0;
        answer(&rep->body, id, found ? json_pack("{ss}", "hash", json_string_value(json_array_get(params, 0))) : NULL);
    } else if (strcmp(m, "eth_sendRawTransaction") == 0) {
        n->sends++;
        const char *hex = json_string_value(json_array_get(params, 0));
        size_t raw_len = 0;
        uint8_t *raw = hex ? malloc(strlen(hex) / 2 + 1) : NULL;
        zr_tx_t tx;
        zr_tx_init(&tx);
        if (!raw || zr_hex_decode(raw, strlen(hex) / 2 + 1, &raw_len, hex, strlen(hex)) ||
            zr_tx_decode(&tx, raw, raw_len, NULL, 0) || n->n == MAX_POOL) {
            n->bad++;
            answer_error(&rep->body, id, -32602, "bad transaction");
            zr_tx_cleanup(&tx);
        } else {
            uint8_t h[32];
            zr_keccak256(h, raw, raw_len);
            int known = 0;
            for (int i = 0; i < n->n; i++)
                known |= memcmp(n->hashes[i], h, 32) == 0;
            if (known) {
                answer_error(&rep->body, id, -32000, "already known");
                zr_tx_cleanup(&tx);
            } else if (tx.nonce < n->count) {
                answer_error(&rep->body, id, -32003, "nonce too low");
                zr_tx_cleanup(&tx);
            } else {
                memcpy(n->hashes[n->n], h, 32);
                n->pool[n->n++] = tx;
                n->count = tx.nonce + 1;
                answer(&rep->body, id, hexj(h, 32));
                if (n->drop_next_send) {
                    n->drop_next_send = 0;
                    rep->close_now = 1;
                }
            }
        }
        free(raw);
    } else {
        answer_error(&rep->body, id, -32601, "method not found");
    }
    json_decref(req);
}

typedef struct fixture {
    node_t node;
    zt_http_t *srv;
    zr_rpc_t *h;
    zr_rpc_wallet_t *w;
    uint8_t to[20];
} fixture_t;

static int setup(void **state)
{
    fixture_t *f = calloc(1, sizeof *f);
    f->srv = zt_http_start(node_fn, &f->node);
    assert_non_null(f->srv);
    zr_rpc_opts_t o;
    zr_rpc_opts_default(&o);
    o.backoff_ms = 10;
    f->h = zr_rpc_new(zt_http_url(f->srv), &o);
    uint8_t sk[32];
    assert_int_equal(zr_hex_decode_exact(sk, 32, ZT_ANVIL_KEY0), 0);
    f->w = zr_rpc_wallet_new(f->h, sk);
    assert_non_null(f->w);
    memset(f->to, 0x42, 20);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture_t *f = *state;
    zr_rpc_wallet_free(f->w);
    zr_rpc_free(f->h);
    zt_http_stop(f->srv);
    for (int i = 0; i < f->node.n; i++)
        zr_tx_cleanup(&f->node.pool[i]);
    free(f);
    return 0;
}

static void test_fees_and_gas(void **state)
{
    fixture_t *f = *state;
    uint8_t value[32], hash[32];
    zr_rpc_u256_from_u64(value, 12345);
    zr_rpc_txreq_t req = {.to = f->to, .value = value};
    assert_int_equal(zr_rpc_wallet_send(f->w, hash, &req), 0);
    assert_int_equal(f->node.n, 1);
    zr_tx_t *tx = &f->node.pool[0];
    assert_memory_equal(hash, f->node.hashes[0], 32);
    assert_int_equal(tx->type, ZR_TX_EIP1559);
    assert_int_equal(tx->chain_id, 31337);
    assert_int_equal(tx->nonce, 0);
    assert_int_equal(tx->gas_limit, 21000 * 120 / 100);
    uint64_t tip = 0, max = 0;
    assert_int_equal(zr_rpc_u256_to_u64(&tip, tx->max_priority_fee_per_gas), 0);
    assert_int_equal(zr_rpc_u256_to_u64(&max, tx->max_fee_per_gas), 0);
    assert_int_equal(tip, 2000000000u);
    assert_int_equal(max, 2 * 1000000000ull + 2000000000ull); /* 2 × base fee + tip */
    assert_memory_equal(tx->value, value, 32);
    assert_true(tx->has_to);
    assert_memory_equal(tx->to, f->to, 20);
    uint8_t from[20];
    assert_int_equal(zr_tx_sender(tx, from), 0);
    assert_memory_equal(from, zr_rpc_wallet_address(f->w), 20);
    /* a node without eth_maxPriorityFeePerGas: tip = gas price (3.5 gwei) - base fee (1 gwei) */
    f->node.no_priority_method = 1;
    assert_int_equal(zr_rpc_wallet_send(f->w, hash, &req), 0);
    f->node.no_priority_method = 0;
    tx = &f->node.pool[f->node.n - 1];
    assert_int_equal(zr_rpc_u256_to_u64(&tip, tx->max_priority_fee_per_gas), 0);
    assert_int_equal(zr_rpc_u256_to_u64(&max, tx->max_fee_per_gas), 0);
    assert_int_equal(tip, 2500000000u);
    assert_int_equal(max, 2 * 1000000000ull + 2500000000ull);
    /* legacy with a fixed gas limit and headroom that does not apply */
    req.legacy = 1;
    req.gas_limit = 50000;
    assert_int_equal(zr_rpc_wallet_send(f->w, hash, &req), 0);
    tx = &f->node.pool[f->node.n - 1];
    assert_int_equal(tx->type, ZR_TX_LEGACY);
    assert_int_equal(tx->chain_id, 31337);
    assert_int_equal(tx->nonce, 2);
    assert_int_equal(tx->gas_limit, 50000);
    uint64_t gp = 0;
    assert_int_equal(zr_rpc_u256_to_u64(&gp, tx->gas_price), 0);
    assert_int_equal(gp, 3500000000u);
    /* a reverting estimate sends nothing */
    f->node.estimate_reverts = 1;
    req.legacy = 0;
    req.gas_limit = 0;
    int sends = f->node.sends;
    assert_int_equal(zr_rpc_wallet_send(f->w, hash, &req), ZR_EREVERTED);
    assert_non_null(strstr(zr_rpc_errmsg(f->h), "nope"));
    assert_int_equal(f->node.sends, sends);
    f->node.estimate_reverts = 0;
    assert_int_equal(f->node.bad, 0);
}

static void test_nonce_too_low_resyncs(void **state)
{
    fixture_t *f = *state;
    uint64_t local = 0;
    assert_int_equal(zr_rpc_wallet_next_nonce(f->w, &local), 0);
    assert_int_equal(local, f->node.count);
    f->node.count += 3; /* three transactions from elsewhere */
    uint8_t hash[32];
    zr_rpc_txreq_t req = {.to = f->to, .gas_limit = 21000};
    int before = f->node.n;
    assert_int_equal(zr_rpc_wallet_send(f->w, hash, &req), 0);
    assert_int_equal(f->node.n, before + 1);
    assert_int_equal(f->node.pool[before].nonce, local + 3);
    assert_int_equal(zr_rpc_wallet_next_nonce(f->w, &local), 0);
    assert_int_equal(local, f->node.count);
    assert_int_equal(f->node.bad, 0);
}

static void test_dropped_answer_is_not_sent_twice(void **state)
{
    fixture_t *f = *state;
    uint8_t hash[32];
    zr_rpc_txreq_t req = {.to = f->to, .gas_limit = 21000};
    int before = f->node.n, sends = f->node.sends;
    uint64_t nonce = 0;
    assert_int_equal(zr_rpc_wallet_next_nonce(f->w, &nonce), 0);
    f->node.drop_next_send = 1;
    int rc = zr_rpc_wallet_send(f->w, hash, &req);
    if (rc)
        fail_msg("%s", zr_rpc_errmsg(f->h));
    /* the transport retried, the node said "already known", the wallet recognised its own
     * transaction: one transaction in the pool, the same hash, the next nonce after it */
    assert_int_equal(f->node.sends, sends + 2);
    assert_int_equal(f->node.n, before + 1);
    assert_memory_equal(hash, f->node.hashes[before], 32);
    assert_int_equal(f->node.pool[before].nonce, nonce);
    uint64_t next = 0;
    assert_int_equal(zr_rpc_wallet_next_nonce(f->w, &next), 0);
    assert_int_equal(next, nonce + 1);
    assert_string_equal(zr_rpc_errmsg(f->h), "");
    assert_int_equal(f->node.bad, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fees_and_gas),
        cmocka_unit_test(test_nonce_too_low_resyncs),
        cmocka_unit_test(test_dropped_answer_is_not_sent_twice),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
