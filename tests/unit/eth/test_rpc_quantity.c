// SPDX-License-Identifier: MIT
// JSON-RPC quantities and decoders without a network: 256-bit parse/format/decimal/add/mul
// against vectors computed with Python integers (tests/vectors/rpc_quantities.txt), strict
// rejection of malformed quantities, revert-reason decoding, receipt and log decoding.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zt.h"
#include "zara/rpc.h"

static void test_vectors(void **state)
{
    (void)state;
    zr_buf_t f;
    zt_read_file("tests/vectors/rpc_quantities.txt", &f);
    char *save = NULL;
    int count = 0;
    for (char *line = strtok_r((char *)f.data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (line[0] == '#')
            continue;
        char a_hex[80], a_dec[90], m_dec[30], prod[80], b_hex[80], sum[80];
        assert_int_equal(sscanf(line, "%79s %89s %29s %79s %79s %79s", a_hex, a_dec, m_dec, prod, b_hex, sum), 6);
        uint8_t a[32], b[32], r[32], m32[32];
        char out[ZR_RPC_U256_HEX_CAP], dec[ZR_RPC_U256_DEC_CAP];
        assert_int_equal(zr_rpc_u256_parse(a, a_hex), 0);
        zr_rpc_u256_format(out, a);
        assert_string_equal(out, a_hex);
        zr_rpc_u256_to_dec(dec, a);
        assert_string_equal(dec, a_dec);
        assert_int_equal(zr_rpc_u256_parse_any(r, a_dec), 0);
        assert_memory_equal(r, a, 32);
        assert_int_equal(zr_rpc_u256_parse_any(r, a_hex), 0);
        assert_memory_equal(r, a, 32);
        assert_int_equal(zr_rpc_u256_parse_any(m32, m_dec), 0);
        uint64_t m = 0;
        assert_int_equal(zr_rpc_u256_to_u64(&m, m32), 0);
        int rc = zr_rpc_u256_mul_u64(r, a, m);
        if (strcmp(prod, "overflow") == 0) {
            assert_int_equal(rc, ZR_ERANGE);
        } else {
            assert_int_equal(rc, 0);
            zr_rpc_u256_format(out, r);
            assert_string_equal(out, prod);
        }
        assert_int_equal(zr_rpc_u256_parse(b, b_hex), 0);
        rc = zr_rpc_u256_add(r, a, b);
        if (strcmp(sum, "overflow") == 0) {
            assert_int_equal(rc, ZR_ERANGE);
        } else {
            assert_int_equal(rc, 0);
            zr_rpc_u256_format(out, r);
            assert_string_equal(out, sum);
            assert_true(zr_rpc_u256_cmp(r, a) >= 0);
            uint8_t back[32];
            assert_int_equal(zr_rpc_u256_sub(back, r, b), 0);
            assert_memory_equal(back, a, 32);
            if (zr_rpc_u256_cmp(a, b) < 0)
                assert_int_equal(zr_rpc_u256_sub(back, a, b), ZR_ERANGE);
        }
        count++;
    }
    assert_true(count >= 40);
    zr_buf_cleanup(&f);
}

static void test_quantity_edges(void **state)
{
    (void)state;
    uint8_t q[32];
    uint64_t v = 0;
    static const char *const bad[] = {"", "0x", "0X", "1", "x1", "0xg", "0x 1", "0x1 ", "-0x1", "0x-1",
                                      "0x1.5", "00x1", NULL};
    for (size_t i = 0; i < ZR_ARRAY_LEN(bad); i++)
        assert_int_equal(zr_rpc_u256_parse(q, bad[i]), ZR_EPARSE);
    /* 65 digits: too wide, unless they are leading zeros */
    assert_int_equal(zr_rpc_u256_parse(q, "0x10000000000000000000000000000000000000000000000000000000000000000"),
                     ZR_ERANGE);
    assert_int_equal(zr_rpc_u256_parse(q, "0x00000000000000000000000000000000000000000000000000000000000000001"), 0);
    assert_int_equal(q[31], 1);
    assert_int_equal(zr_rpc_u64_parse(&v, "0xffffffffffffffff"), 0);
    assert_true(v == UINT64_MAX);
    assert_int_equal(zr_rpc_u64_parse(&v, "0x10000000000000000"), ZR_ERANGE);
    assert_int_equal(zr_rpc_u64_parse(&v, "0x00ff"), 0); /* leading zeros tolerated on input */
    assert_int_equal(v, 255);
    char s[19];
    zr_rpc_u64_format(s, 0);
    assert_string_equal(s, "0x0");
    zr_rpc_u64_format(s, UINT64_MAX);
    assert_string_equal(s, "0xffffffffffffffff");
    zr_rpc_u64_format(s, 0x1b4);
    assert_string_equal(s, "0x1b4");
    assert_int_equal(zr_rpc_u256_parse_any(q, "115792089237316195423570985008687907853269984665640564039457584007913129639936"),
                     ZR_ERANGE);
    assert_int_equal(zr_rpc_u256_parse_any(q, "12a"), ZR_EPARSE);
    assert_int_equal(zr_rpc_u256_parse_any(q, ""), ZR_EPARSE);
    zr_rpc_u256_from_u64(q, 1);
    q[0] = 1;
    assert_int_equal(zr_rpc_u256_to_u64(&v, q), ZR_ERANGE);
}

static void reason_of(char *out, size_t cap, const char *hex)
{
    size_t n = 0;
    uint8_t *d = zt_unhex(hex, &n);
    zr_rpc_revert_reason(out, cap, d, n);
    free(d);
}

static void test_revert_reasons(void **state)
{
    (void)state;
    char r[128];
    /* Error("not owner"), as solc encodes require(…, "not owner") */
    reason_of(r, sizeof r,
              "08c379a0"
              "0000000000000000000000000000000000000000000000000000000000000020"
              "0000000000000000000000000000000000000000000000000000000000000009"
              "6e6f74206f776e65720000000000000000000000000000000000000000000000");
    assert_string_equal(r, "not owner");
    /* truncated to the output capacity */
    char small[4];
    reason_of(small, sizeof small,
              "08c379a0"
              "0000000000000000000000000000000000000000000000000000000000000020"
              "0000000000000000000000000000000000000000000000000000000000000009"
              "6e6f74206f776e65720000000000000000000000000000000000000000000000");
    assert_string_equal(small, "not");
    /* Panic(0x11): arithmetic overflow */
    reason_of(r, sizeof r, "4e487b710000000000000000000000000000000000000000000000000000000000000011");
    assert_string_equal(r, "panic 0x11");
    /* a custom error selector */
    reason_of(r, sizeof r, "82b42900");
    assert_non_null(strstr(r, "custom error 0x82b42900"));
    reason_of(r, sizeof r, "");
    assert_string_equal(r, "no reason");
    /* a hostile Error(string) whose length points past the data is not trusted */
    reason_of(r, sizeof r,
              "08c379a0"
              "0000000000000000000000000000000000000000000000000000000000000020"
              "00000000000000000000000000000000000000000000000000000000ffffffff"
              "6e6f74206f776e65720000000000000000000000000000000000000000000000");
    assert_non_null(strstr(r, "custom error 0x08c379a0"));
    reason_of(r, sizeof r,
              "08c379a0"
              "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe0"
              "0000000000000000000000000000000000000000000000000000000000000009");
    assert_non_null(strstr(r, "custom error"));
}

static const char *receipt_json =
    "{\"transactionHash\":\"0x1111111111111111111111111111111111111111111111111111111111111111\","
    "\"blockHash\":\"0x2222222222222222222222222222222222222222222222222222222222222222\","
    "\"blockNumber\":\"0x5\",\"transactionIndex\":\"0x0\",\"status\":\"0x1\","
    "\"from\":\"0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266\",\"to\":null,"
    "\"contractAddress\":\"0x5fbdb2315678afecb367f032d93f642f64180aa3\",\"gasUsed\":\"0x5208\","
    "\"cumulativeGasUsed\":\"0xa410\",\"effectiveGasPrice\":\"0x3b9aca00\",\"type\":\"0x2\","
    "\"logs\":[{\"address\":\"0x5fbdb2315678afecb367f032d93f642f64180aa3\","
    "\"topics\":[\"0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef\","
    "\"0x000000000000000000000000f39fd6e51aad88f6f4ce6ab8827279cfffb92266\"],"
    "\"data\":\"0x00000000000000000000000000000000000000000000000000000000000003e8\","
    "\"blockNumber\":\"0x5\",\"blockHash\":\"0x2222222222222222222222222222222222222222222222222222222222222222\","
    "\"transactionHash\":\"0x1111111111111111111111111111111111111111111111111111111111111111\","
    "\"transactionIndex\":\"0x0\",\"logIndex\":\"0x3\",\"removed\":false}]}";

static void test_receipt_decoding(void **state)
{
    (void)state;
    json_t *j = NULL;
    assert_int_equal(zr_json_parse(receipt_json, strlen(receipt_json), 1 << 16, &j, NULL, 0), 0);
    zr_rpc_receipt_t r;
    zr_rpc_receipt_init(&r);
    assert_int_equal(zr_rpc_receipt_from_json(&r, j), 0);
    assert_int_equal(r.status, 1);
    assert_int_equal(r.block_number, 5);
    assert_int_equal(r.gas_used, 21000);
    assert_int_equal(r.cumulative_gas_used, 42000);
    uint64_t egp = 0;
    assert_int_equal(zr_rpc_u256_to_u64(&egp, r.effective_gas_price), 0);
    assert_int_equal(egp, 1000000000);
    assert_false(r.has_to);
    assert_true(r.has_contract_address);
    assert_int_equal(r.contract_address[0], 0x5f);
    assert_int_equal(r.logs.n, 1);
    assert_int_equal(r.logs.v[0].n_topics, 2);
    assert_int_equal(r.logs.v[0].topics[0][0], 0xdd);
    assert_int_equal(r.logs.v[0].data_len, 32);
    assert_int_equal(r.logs.v[0].data[31], 0xe8);
    assert_int_equal(r.logs.v[0].log_index, 3);
    assert_int_equal(r.logs.v[0].tx_hash[0], 0x11);
    zr_rpc_receipt_cleanup(&r);

    /* every member mistyped or removed in turn gives ZR_ERPCRESP, never a crash */
    static const char *const keys[] = {"transactionHash", "blockHash", "blockNumber", "status", "from",
                                       "gasUsed", "effectiveGasPrice", "logs", "contractAddress"};
    for (size_t i = 0; i < ZR_ARRAY_LEN(keys); i++) {
        json_t *c = json_deep_copy(j);
        json_object_set_new(c, keys[i], json_integer(7));
        zr_rpc_receipt_init(&r);
        assert_int_equal(zr_rpc_receipt_from_json(&r, c), ZR_ERPCRESP);
        zr_rpc_receipt_cleanup(&r);
        if (strcmp(keys[i], "contractAddress") != 0) {
            json_object_del(c, keys[i]);
            assert_int_equal(zr_rpc_receipt_from_json(&r, c), ZR_ERPCRESP);
            zr_rpc_receipt_cleanup(&r);
        }
        json_decref(c);
    }
    json_t *c = json_deep_copy(j);
    json_object_set_new(c, "status", json_string("0x2"));
    assert_int_equal(zr_rpc_receipt_from_json(&r, c), ZR_ERPCRESP);
    json_decref(c);
    /* a log with five topics, odd data, a short address */
    json_t *lg = json_deep_copy(json_array_get(json_object_get(j, "logs"), 0));
    zr_rpc_logs_t logs;
    zr_rpc_logs_init(&logs);
    json_t *t = json_object_get(lg, "topics");
    for (int k = 0; k < 3; k++)
        json_array_append(t, json_array_get(t, 0));
    assert_int_equal(zr_rpc_logs_append_json(&logs, lg), ZR_ERPCRESP);
    json_array_remove(t, 4);
    assert_int_equal(zr_rpc_logs_append_json(&logs, lg), 0);
    assert_int_equal(logs.v[0].n_topics, 4);
    json_object_set_new(lg, "data", json_string("0x123"));
    assert_int_equal(zr_rpc_logs_append_json(&logs, lg), ZR_ERPCRESP);
    json_object_set_new(lg, "data", json_string("0x"));
    json_object_set_new(lg, "address", json_string("0x5fbdb2315678afecb367f032d93f642f64180a"));
    assert_int_equal(zr_rpc_logs_append_json(&logs, lg), ZR_ERPCRESP);
    assert_int_equal(logs.n, 1);
    zr_rpc_logs_cleanup(&logs);
    json_decref(lg);
    json_decref(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vectors),
        cmocka_unit_test(test_quantity_edges),
        cmocka_unit_test(test_revert_reasons),
        cmocka_unit_test(test_receipt_decoding),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
