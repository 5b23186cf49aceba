// SPDX-License-Identifier: MIT
// A real chain accepts what tx.c signs: legacy (EIP-155), EIP-2930 and EIP-1559
// transactions, a transfer, a call with data and an access list, and a contract creation,
// are built and signed by zara, published with `cast publish` to anvil, and their receipts
// (status, sender, hash, created address) checked with `cast receipt`.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zt.h"
#include "zara/ecdsa.h"
#include "zara/rlp.h"
#include "zara/tx.h"

#define CAST "node_modules/.bin/cast"

static const char *cast_bin(void)
{
    static char path[1024];
    snprintf(path, sizeof path, "%s", zt_src_path(CAST));
    return path;
}

/* Publishes tx and returns the receipt's JSON field (from `cast receipt <hash> <field>`). */
static void publish(const zt_anvil_t *a, const zr_tx_t *tx, char hash_out[67])
{
    zr_buf_t raw, hex;
    zr_buf_init(&raw, 1 << 16);
    zr_buf_init(&hex, 1 << 17);
    assert_int_equal(zr_tx_encode(tx, &raw), 0);
    zr_hex_append_0x(&hex, raw.data, raw.len);
    char out[4096];
    int st = zt_run(out, sizeof out, "'%s' publish --rpc-url %s %s 2>&1", cast_bin(), a->url, zr_buf_cstr(&hex));
    if (st != 0)
        fail_msg("anvil refused the transaction: %s", out);
    uint8_t h[32];
    assert_int_equal(zr_tx_hash(tx, h), 0);
    hash_out[0] = '0';
    hash_out[1] = 'x';
    zr_hex_encode(hash_out + 2, h, 32);
    assert_non_null(strstr(out, hash_out));
    zr_buf_cleanup(&hex);
    zr_buf_cleanup(&raw);
}

/* The receipt as JSON (`cast receipt --json`); json_decref it. */
static json_t *receipt(const zt_anvil_t *a, const char *hash)
{
    char *out = malloc(1 << 16);
    assert_int_equal(zt_run(out, 1 << 16, "'%s' receipt --json --rpc-url %s %s", cast_bin(), a->url, hash), 0);
    json_t *j = NULL;
    char err[200];
    if (zr_json_parse(out, strlen(out), 1 << 16, &j, err, sizeof err) != 0)
        fail_msg("cast receipt: %s: %s", err, out);
    free(out);
    return j;
}

static void test_anvil_accepts(void **state)
{
    (void)state;
    zt_anvil_t a;
    zt_anvil_start(&a, NULL);
    uint8_t sk[32], from[20], to[20];
    zr_hex_decode_exact(sk, 32, ZT_ANVIL_KEY0);
    zr_ecdsa_seckey_address(from, sk);
    assert_int_equal(zr_addr_parse(to, ZT_ANVIL_ADDR1), 0);
    char from_lower[ZR_ADDR_STR_LEN];
    zr_addr_format_lower(from_lower, from);
    /* init code PUSH1 1 PUSH1 0 RETURN: deploys the one-byte runtime 0x00 */
    static const uint8_t init[] = {0x60, 0x01, 0x60, 0x00, 0xf3};
    for (uint64_t nonce = 0; nonce < 5; nonce++) {
        zr_tx_t tx;
        zr_tx_init(&tx);
        tx.chain_id = 31337;
        tx.nonce = nonce;
        tx.gas_limit = 100000;
        int kind = (int)nonce;
        if (kind == 0 || kind == 3) {
            tx.type = ZR_TX_LEGACY;
            zr_tx_u256_from_u64(tx.gas_price, 3000000000u);
        } else if (kind == 1) {
            tx.type = ZR_TX_EIP2930;
            zr_tx_u256_from_u64(tx.gas_price, 3000000000u);
        } else {
            tx.type = ZR_TX_EIP1559;
            zr_tx_u256_from_u64(tx.max_fee_per_gas, 3000000000u);
            zr_tx_u256_from_u64(tx.max_priority_fee_per_gas, 1000000000u);
        }
        if (kind == 3 || kind == 4) {
            /* contract creation */
            assert_int_equal(zr_tx_set_data(&tx, init, sizeof init), 0);
        } else {
            tx.has_to = 1;
            memcpy(tx.to, to, 20);
            zr_tx_u256_from_u64(tx.value, 1000000000000000000ull + nonce);
            uint8_t data[4] = {0xde, 0xad, 0xbe, (uint8_t)nonce};
            assert_int_equal(zr_tx_set_data(&tx, data, sizeof data), 0);
        }
        if (kind == 1 || kind == 2) {
            /* an access list naming the recipient and one storage key */
            zr_buf_t al;
            zr_buf_init(&al, 1024);
            size_t m0, m1, m2;
            uint8_t key[32] = {0};
            key[31] = 1;
            zr_rlp_list_begin(&al, &m0);
            zr_rlp_list_begin(&al, &m1);
            zr_rlp_encode_bytes(&al, to, 20);
            zr_rlp_list_begin(&al, &m2);
            zr_rlp_encode_bytes(&al, key, 32);
            zr_rlp_list_end(&al, m2);
            zr_rlp_list_end(&al, m1);
            zr_rlp_list_end(&al, m0);
            tx.access_list = zr_buf_take(&al, &tx.access_list_len);
        }
        assert_int_equal(zr_tx_sign(&tx, sk), 0);
        char hash[67], want_type[8];
        publish(&a, &tx, hash);
        json_t *r = receipt(&a, hash);
        if (!zr_json_str(r, "status") || strcmp(zr_json_str(r, "status"), "0x1") != 0)
            fail_msg("transaction %d failed on chain", kind);
        assert_string_equal(zr_json_str(r, "transactionHash"), hash);
        char fl[ZR_ADDR_STR_LEN];
        uint8_t got[20];
        assert_int_equal(zr_addr_parse(got, zr_json_str(r, "from")), 0);
        zr_addr_format_lower(fl, got);
        assert_string_equal(fl, from_lower);
        snprintf(want_type, sizeof want_type, "0x%d", (int)tx.type);
        assert_string_equal(zr_json_str(r, "type"), want_type);
        if (kind == 3 || kind == 4) {
            char code[256];
            const char *created = zr_json_str(r, "contractAddress");
            assert_non_null(created);
            assert_int_equal(zt_run(code, sizeof code, "'%s' code --rpc-url %s %s", cast_bin(), a.url, created), 0);
            assert_string_equal(code, "0x00");
        }
        json_decref(r);
        zr_tx_cleanup(&tx);
    }
    /* a transaction signed for another chain is refused */
    zr_tx_t bad;
    zr_tx_init(&bad);
    bad.type = ZR_TX_EIP1559;
    bad.chain_id = 1;
    bad.nonce = 5;
    bad.gas_limit = 21000;
    zr_tx_u256_from_u64(bad.max_fee_per_gas, 3000000000u);
    bad.has_to = 1;
    memcpy(bad.to, to, 20);
    assert_int_equal(zr_tx_sign(&bad, sk), 0);
    zr_buf_t raw, hex;
    zr_buf_init(&raw, 4096);
    zr_buf_init(&hex, 8192);
    zr_tx_encode(&bad, &raw);
    zr_hex_append_0x(&hex, raw.data, raw.len);
    char out[2048];
    zt_run(out, sizeof out, "'%s' publish --rpc-url %s %s 2>&1", cast_bin(), a.url, zr_buf_cstr(&hex));
    assert_non_null(strstr(out, "rror"));
    zr_buf_cleanup(&raw);
    zr_buf_cleanup(&hex);
    zr_tx_cleanup(&bad);
    zt_anvil_stop(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_anvil_accepts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
