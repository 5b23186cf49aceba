// SPDX-License-Identifier: MIT
// Transactions: the EIP-155 example (its published signing payload, hash and raw tx) and
// cast-made legacy / EIP-2930 / EIP-1559 vectors (tests/vectors/tx_signed.json) built,
// signed and hashed identically; decode → re-encode round trips and sender recovery;
// random transactions compared live with `cast mktx`; malformed raw transactions rejected.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zt.h"
#include "zara/ecdsa.h"
#include "zara/rlp.h"
#include "zara/tx.h"

#define CAST "node_modules/.bin/cast"

static void dec_to_u256(uint8_t out[32], const char *dec)
{
    memset(out, 0, 32);
    for (const char *p = dec; *p; p++) {
        assert_true(*p >= '0' && *p <= '9');
        unsigned carry = (unsigned)(*p - '0');
        for (int i = 31; i >= 0; i--) {
            unsigned x = out[i] * 10u + carry;
            out[i] = (uint8_t)x;
            carry = x >> 8;
        }
        assert_int_equal(carry, 0);
    }
}

static uint64_t json_u64(const json_t *o, const char *k)
{
    const json_t *v = json_object_get(o, k);
    /* jansson integers are long long: larger values are kept as decimal strings */
    if (json_is_string(v))
        return strtoull(json_string_value(v), NULL, 10);
    assert_true(json_is_integer(v));
    return (uint64_t)json_integer_value(v);
}

static void access_list_rlp(zr_buf_t *b, const json_t *al)
{
    size_t outer, i, j;
    json_t *e, *k;
    zr_rlp_list_begin(b, &outer);
    json_array_foreach(al, i, e)
    {
        size_t m, mk;
        uint8_t addr[20], key[32];
        zr_rlp_list_begin(b, &m);
        assert_int_equal(zr_addr_parse(addr, zr_json_str(e, "address")), 0);
        zr_rlp_encode_bytes(b, addr, 20);
        zr_rlp_list_begin(b, &mk);
        json_array_foreach(json_object_get(e, "storageKeys"), j, k)
        {
            assert_int_equal(zr_hex_decode_exact(key, 32, json_string_value(k)), 0);
            zr_rlp_encode_bytes(b, key, 32);
        }
        zr_rlp_list_end(b, mk);
        zr_rlp_list_end(b, m);
    }
    zr_rlp_list_end(b, outer);
}

/* Builds the unsigned transaction a vector describes. */
static void build(zr_tx_t *tx, const json_t *c)
{
    zr_tx_init(tx);
    tx->type = (zr_tx_type_t)json_u64(c, "type");
    tx->chain_id = json_u64(c, "chainId");
    tx->nonce = json_u64(c, "nonce");
    tx->gas_limit = json_u64(c, "gas");
    if (tx->type == ZR_TX_EIP1559) {
        dec_to_u256(tx->max_fee_per_gas, zr_json_str(c, "maxFeePerGas"));
        dec_to_u256(tx->max_priority_fee_per_gas, zr_json_str(c, "maxPriorityFeePerGas"));
    } else {
        dec_to_u256(tx->gas_price, zr_json_str(c, "gasPrice"));
    }
    const char *to = zr_json_str(c, "to");
    tx->has_to = to != NULL;
    if (to)
        assert_int_equal(zr_addr_parse(tx->to, to), 0);
    dec_to_u256(tx->value, zr_json_str(c, "value"));
    size_t n = 0;
    uint8_t *data = zt_unhex(zr_json_str(c, "data"), &n);
    assert_int_equal(zr_tx_set_data(tx, data, n), 0);
    free(data);
    const json_t *al = json_object_get(c, "accessList");
    if (al) {
        zr_buf_t b;
        zr_buf_init(&b, 1 << 16);
        access_list_rlp(&b, al);
        tx->access_list = zr_buf_take(&b, &tx->access_list_len);
    }
}

static void assert_hex(const uint8_t *got, size_t n, const char *want0x)
{
    size_t wn = 0;
    uint8_t *want = zt_unhex(want0x, &wn);
    assert_int_equal(n, wn);
    assert_memory_equal(got, want, n);
    free(want);
}

static void assert_same_tx(const zr_tx_t *a, const zr_tx_t *b)
{
    assert_int_equal(a->type, b->type);
    assert_int_equal(a->chain_id, b->chain_id);
    assert_int_equal(a->nonce, b->nonce);
    assert_memory_equal(a->gas_price, b->gas_price, 32);
    assert_memory_equal(a->max_fee_per_gas, b->max_fee_per_gas, 32);
    assert_memory_equal(a->max_priority_fee_per_gas, b->max_priority_fee_per_gas, 32);
    assert_int_equal(a->gas_limit, b->gas_limit);
    assert_int_equal(a->has_to, b->has_to);
    assert_memory_equal(a->to, b->to, 20);
    assert_memory_equal(a->value, b->value, 32);
    assert_int_equal(a->data_len, b->data_len);
    if (a->data_len)
        assert_memory_equal(a->data, b->data, a->data_len);
    assert_int_equal(a->access_list_len, b->access_list_len);
    if (a->access_list_len)
        assert_memory_equal(a->access_list, b->access_list, a->access_list_len);
    assert_int_equal(a->is_signed, b->is_signed);
    assert_memory_equal(&a->sig, &b->sig, sizeof a->sig);
}

static void test_vectors(void **state)
{
    (void)state;
    zr_buf_t f;
    zt_read_file("tests/vectors/tx_signed.json", &f);
    json_t *root = NULL;
    char err[256];
    assert_int_equal(zr_json_parse((const char *)f.data, f.len, f.len, &root, err, sizeof err), 0);
    size_t i;
    json_t *c;
    int count = 0, published = 0;
    json_array_foreach(json_object_get(root, "cases"), i, c)
    {
        const char *name = zr_json_str(c, "name");
        zr_tx_t tx, back;
        build(&tx, c);
        uint8_t sk[32], h[32], from[20], want_from[20];
        assert_int_equal(zr_ecdsa_seckey_parse_hex(sk, zr_json_str(c, "key"), strlen(zr_json_str(c, "key"))), 0);

        zr_buf_t b;
        zr_buf_init(&b, 1 << 20);
        if (zr_json_str(c, "signingPayload")) {
            assert_int_equal(zr_tx_encode_unsigned(&tx, &b), 0);
            assert_hex(b.data, b.len, zr_json_str(c, "signingPayload"));
            assert_int_equal(zr_tx_signing_hash(&tx, h), 0);
            assert_hex(h, 32, zr_json_str(c, "signingHash"));
            zr_buf_reset(&b);
            published++;
        }
        /* not signed yet: no raw form, no sender, no hash */
        assert_int_equal(zr_tx_encode(&tx, &b), ZR_ESTATE);
        assert_int_equal(zr_tx_sender(&tx, from), ZR_ESTATE);
        assert_int_equal(zr_tx_hash(&tx, h), ZR_ESTATE);
        assert_int_equal(b.len, 0);

        assert_int_equal(zr_tx_sign(&tx, sk), 0);
        assert_int_equal(zr_tx_encode(&tx, &b), 0);
        const char *raw = zr_json_str(c, "raw");
        size_t raw_len = 0;
        uint8_t *rawb = zt_unhex(raw, &raw_len);
        if (b.len != raw_len || memcmp(b.data, rawb, raw_len) != 0)
            fail_msg("%s: raw transaction differs from cast's", name);
        if (zr_json_str(c, "publishedRaw"))
            assert_hex(b.data, b.len, zr_json_str(c, "publishedRaw"));
        assert_int_equal(zr_tx_hash(&tx, h), 0);
        assert_hex(h, 32, zr_json_str(c, "hash"));
        assert_int_equal(zr_addr_parse(want_from, zr_json_str(c, "from")), 0);
        assert_int_equal(zr_tx_sender(&tx, from), 0);
        assert_memory_equal(from, want_from, 20);

        /* decode → same fields → same bytes, same sender */
        err[0] = 0;
        if (zr_tx_decode(&back, rawb, raw_len, err, sizeof err) != 0)
            fail_msg("%s: decode failed: %s", name, err);
        assert_same_tx(&tx, &back);
        zr_buf_t again;
        zr_buf_init(&again, 1 << 20);
        assert_int_equal(zr_tx_encode(&back, &again), 0);
        assert_int_equal(again.len, raw_len);
        assert_memory_equal(again.data, rawb, raw_len);
        assert_int_equal(zr_tx_sender(&back, from), 0);
        assert_memory_equal(from, want_from, 20);

        /* a changed field changes the signer that recovers */
        back.nonce ^= 1;
        if (zr_tx_sender(&back, from) == 0)
            assert_memory_not_equal(from, want_from, 20);

        zr_buf_cleanup(&again);
        zr_tx_cleanup(&back);
        zr_tx_cleanup(&tx);
        zr_buf_cleanup(&b);
        free(rawb);
        zr_wipe(sk, sizeof sk);
        count++;
    }
    assert_true(count >= 10);
    assert_int_equal(published, 1);
    json_decref(root);
    zr_buf_cleanup(&f);
}

/* Random transactions: zara's raw bytes must equal `cast mktx`'s. */
static void test_against_cast(void **state)
{
    (void)state;
    unsigned seed = 4242;
    for (int t = 0; t < 6; t++) {
        zr_tx_t tx;
        zr_tx_init(&tx);
        int legacy = t % 3 == 2;
        tx.type = legacy ? ZR_TX_LEGACY : ZR_TX_EIP1559;
        tx.chain_id = (uint64_t)(1 + rand_r(&seed) % 100000);
        tx.nonce = (uint64_t)rand_r(&seed) * (t & 1 ? 99991u : 1u);
        tx.gas_limit = 21000 + (uint64_t)(rand_r(&seed) % 1000000);
        uint64_t fee = (uint64_t)rand_r(&seed) * 1000u, tip = (uint64_t)(rand_r(&seed) % 3000000000u);
        uint64_t value = (uint64_t)rand_r(&seed) * (uint64_t)rand_r(&seed);
        zr_tx_u256_from_u64(legacy ? tx.gas_price : tx.max_fee_per_gas, fee);
        zr_tx_u256_from_u64(tx.max_priority_fee_per_gas, legacy ? 0 : tip);
        zr_tx_u256_from_u64(tx.value, value);
        tx.has_to = 1;
        for (int i = 0; i < 20; i++)
            tx.to[i] = (uint8_t)rand_r(&seed);
        uint8_t data[200];
        size_t dlen = (size_t)(rand_r(&seed) % 2 ? 4 + rand_r(&seed) % 196 : 0);
        for (size_t i = 0; i < dlen; i++)
            data[i] = (uint8_t)rand_r(&seed);
        assert_int_equal(zr_tx_set_data(&tx, data, dlen), 0);
        uint8_t sk[32];
        assert_int_equal(zr_ecdsa_seckey_generate(sk), 0);
        assert_int_equal(zr_tx_sign(&tx, sk), 0);

        char skh[65], to[ZR_ADDR_STR_LEN], datah[401], cmd_fees[128];
        zr_hex_encode(skh, sk, 32);
        zr_addr_format(to, tx.to);
        zr_hex_encode(datah, data, dlen);
        if (legacy)
            snprintf(cmd_fees, sizeof cmd_fees, "--legacy --gas-price %llu", (unsigned long long)fee);
        else
            snprintf(cmd_fees, sizeof cmd_fees, "--gas-price %llu --priority-gas-price %llu",
                     (unsigned long long)fee, (unsigned long long)tip);
        char *out = malloc(4096);
        int st = zt_run(out, 4096,
                        "'%s' mktx --private-key 0x%s --nonce %llu --gas-limit %llu --chain %llu --value %llu "
                        "%s %s %s%s",
                        zt_src_path(CAST), skh, (unsigned long long)tx.nonce, (unsigned long long)tx.gas_limit,
                        (unsigned long long)tx.chain_id, (unsigned long long)value, cmd_fees, to, dlen ? "0x" : "",
                        datah);
        assert_int_equal(st, 0);
        zr_buf_t b;
        zr_buf_init(&b, 1 << 16);
        assert_int_equal(zr_tx_encode(&tx, &b), 0);
        zr_buf_t hex;
        zr_buf_init(&hex, 1 << 16);
        zr_hex_append_0x(&hex, b.data, b.len);
        assert_string_equal(zr_buf_cstr(&hex), out);

        /* cast decodes our bytes to our hash and our signer */
        uint8_t h[32], addr[20];
        char hh[67] = "0x", a[ZR_ADDR_STR_LEN];
        assert_int_equal(zr_tx_hash(&tx, h), 0);
        zr_hex_encode(hh + 2, h, 32);
        assert_int_equal(zr_ecdsa_seckey_address(addr, sk), 0);
        zr_addr_format_lower(a, addr);
        assert_int_equal(zt_run(out, 4096, "'%s' decode-transaction %s", zt_src_path(CAST), zr_buf_cstr(&hex)), 0);
        assert_non_null(strstr(out, hh));
        assert_non_null(strstr(out, a));

        free(out);
        zr_buf_cleanup(&hex);
        zr_buf_cleanup(&b);
        zr_tx_cleanup(&tx);
        zr_wipe(sk, sizeof sk);
        zr_wipe(skh, sizeof skh);
    }
}

static void test_pre_eip155(void **state)
{
    (void)state;
    zr_tx_t tx, back;
    zr_tx_init(&tx);
    tx.nonce = 1;
    tx.gas_limit = 21000;
    zr_tx_u256_from_u64(tx.gas_price, 1000000000);
    tx.has_to = 1;
    memset(tx.to, 0x35, 20);
    uint8_t sk[32], addr[20], from[20];
    zr_hex_decode_exact(sk, 32, ZT_ANVIL_KEY0);
    zr_ecdsa_seckey_address(addr, sk);
    assert_int_equal(zr_tx_sign(&tx, sk), 0);
    zr_buf_t b;
    zr_buf_init(&b, 4096);
    assert_int_equal(zr_tx_encode(&tx, &b), 0);
    /* v is 27 or 28: the byte before r's header (0xa0) */
    zr_rlp_item_t top, f[9];
    size_t n;
    assert_int_equal(zr_rlp_decode(&top, b.data, b.len, NULL, 0), 0);
    assert_int_equal(zr_rlp_list_items(&top, f, 9, &n), 0);
    uint64_t v;
    assert_int_equal(zr_rlp_item_uint(&f[6], &v), 0);
    assert_true(v == 27 || v == 28);
    assert_int_equal(zr_tx_decode(&back, b.data, b.len, NULL, 0), 0);
    assert_int_equal(back.chain_id, 0);
    assert_int_equal(zr_tx_sender(&back, from), 0);
    assert_memory_equal(from, addr, 20);
    zr_tx_cleanup(&back);
    zr_tx_cleanup(&tx);
    zr_buf_cleanup(&b);
}

static void expect_reject(const char *hex, int want_rc, const char *needle)
{
    size_t len = 0;
    uint8_t *raw = strcmp(hex, "-") == 0 ? calloc(1, 1) : zt_unhex(hex, &len);
    zr_tx_t tx;
    char err[200] = "";
    int rc = zr_tx_decode(&tx, raw, len, err, sizeof err);
    zr_tx_cleanup(&tx);
    if (rc != want_rc)
        fail_msg("decoding %s gave %d (%s), wanted %d", hex, rc, err, want_rc);
    if (needle && !strstr(err, needle))
        fail_msg("decoding %s: message '%s' lacks '%s'", hex, err, needle);
    free(raw);
}

static void test_reject(void **state)
{
    (void)state;
    const char *eip155 = "f86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025a0"
                         "28ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb703304b"
                         "3800ccf555c9f3dc64214b297fb1966a3b6d83";
    /* every strict prefix of a valid transaction is rejected cleanly */
    size_t len = 0;
    uint8_t *raw = zt_unhex(eip155, &len);
    for (size_t cut = 0; cut < len; cut++) {
        zr_tx_t tx;
        assert_int_not_equal(zr_tx_decode(&tx, raw, cut, NULL, 0), 0);
        zr_tx_cleanup(&tx);
    }
    free(raw);
    expect_reject("-", ZR_ETX, "empty");
    expect_reject("03c0", ZR_EUNSUPPORTED, "type 0x03");
    expect_reject("04c0", ZR_EUNSUPPORTED, "type 0x04");
    expect_reject("80", ZR_ETX, "first byte");
    expect_reject("02c0", ZR_ETX, "expected 12 fields");
    expect_reject("c0", ZR_ETX, "expected 9 fields");
    expect_reject("0283010203", ZR_ETX, "expected an RLP list");
    /* nonce with a leading zero */
    expect_reject("cb82000980808080801b8080", ZR_ETX, "nonce");
    /* legacy v = 30 is neither 27/28 nor EIP-155 */
    expect_reject("c90980808080801e8080", ZR_ETX, "invalid v");
    /* v = 36 would be EIP-155 with chain id 0 */
    expect_reject("c9098080808080248080", ZR_ETX, "invalid v");
    /* a 19-byte to */
    expect_reject("dc098080933535353535353535353535353535353535353580801b8080", ZR_ETX, "to");
    /* type 2 with yParity 2 */
    expect_reject("02cc0180808080808080c0028080", ZR_ETX, "yParity");
    /* type 2 with a malformed access list entry */
    expect_reject("02ce0180808080808080c2c180018080", ZR_ETX, "accessList");
    /* trailing garbage after the list */
    expect_reject("02cc0180808080808080c001808000", ZR_ERLP, "trailing");
    /* data as a list */
    expect_reject("c98080808080c01b8080", ZR_ETX, "data");
}

static void test_bad_key_and_set_data(void **state)
{
    (void)state;
    zr_tx_t tx;
    zr_tx_init(&tx);
    uint8_t zero[32] = {0};
    assert_int_equal(zr_tx_sign(&tx, zero), ZR_EBADKEY);
    assert_int_equal(tx.is_signed, 0);
    assert_int_equal(zr_tx_set_data(&tx, "abc", 3), 0);
    assert_int_equal(zr_tx_set_data(&tx, NULL, ZR_TX_MAX_DATA + 1), ZR_ETOOBIG);
    assert_int_equal(tx.data_len, 3);
    assert_int_equal(zr_tx_set_data(&tx, NULL, 0), 0);
    assert_null(tx.data);
    zr_tx_cleanup(&tx);
    zr_tx_cleanup(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vectors),    cmocka_unit_test(test_against_cast),
        cmocka_unit_test(test_pre_eip155), cmocka_unit_test(test_reject),
        cmocka_unit_test(test_bad_key_and_set_data),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
