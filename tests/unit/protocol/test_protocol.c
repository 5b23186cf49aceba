// SPDX-License-Identifier: MIT
// Protocol encodings against tools nobody here wrote: the commitment and seed against
// `cast abi-encode` + `cast keccak`, and the ZaraEvalResult EIP-712 digest against a
// signature `cast wallet sign --data` makes over the same typed data.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zt.h"
#include "zara/ecdsa.h"
#include "zara/protocol.h"

#define CAST zt_src_path("node_modules/.bin/cast")

static void hex0x(char *out, const uint8_t *b, size_t n)
{
    out[0] = '0';
    out[1] = 'x';
    zr_hex_encode(out + 2, b, n);
}

static void test_commitment_and_seed(void **state)
{
    (void)state;
    uint8_t task[32], salt[32], sender[20], out[32];
    zr_proto_u256_from_u64(task, 7);
    for (int i = 0; i < 32; i++)
        salt[i] = (uint8_t)(0xa0 + i);
    assert_int_equal(zr_hex_decode_exact(sender, 20, ZT_ANVIL_ADDR0), 0);
    const char *cid = "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy";
    zr_proto_commitment(out, task, sender, cid, salt);
    char saltx[67], got[67], cidhash[80], want[200];
    hex0x(saltx, salt, 32);
    hex0x(got, out, 32);
    assert_int_equal(zt_run(cidhash, sizeof cidhash, "'%s' keccak '%s'", CAST, cid), 0);
    assert_int_equal(zt_run(want, sizeof want,
                            "'%s' keccak $('%s' abi-encode 'f(uint256,address,bytes32,bytes32)' 7 %s %s %s)",
                            CAST, CAST, ZT_ANVIL_ADDR0, cidhash, saltx),
                     0);
    assert_string_equal(got, want);

    uint8_t bh[32], sub[32], ms[20];
    memset(bh, 0x42, 32);
    zr_proto_u256_from_u64(sub, 3);
    memset(ms, 0x5a, 20);
    zr_proto_seed(out, bh, 31337, ms, task, sub);
    char bhx[67], msx[43];
    hex0x(bhx, bh, 32);
    hex0x(msx, ms, 20);
    hex0x(got, out, 32);
    assert_int_equal(zt_run(want, sizeof want,
                            "'%s' keccak $('%s' abi-encode 'f(bytes32,uint256,address,uint256,uint256)' %s 31337 %s 7 3)",
                            CAST, CAST, bhx, msx),
                     0);
    assert_string_equal(got, want);
}

static void test_result_digest_vs_cast(void **state)
{
    (void)state;
    zr_proto_result_t r;
    memset(&r, 0, sizeof r);
    zr_proto_u256_from_u64(r.task_id, 1);
    zr_proto_u256_from_u64(r.submission_id, 2);
    zr_proto_u256_from_u64(r.incumbent_id, 0);
    memset(r.seed, 0x11, 32);
    r.status = ZR_PROTO_STATUS_OK;
    zr_proto_i256_from_i64(r.challenger_score, 999000000000000000LL);
    zr_proto_i256_from_i64(r.incumbent_score, -250000000000000000LL);
    memset(r.outputs_digest, 0xcd, 32);
    uint8_t center[20];
    memset(center, 0x77, 20);
    uint8_t digest[32];
    zr_proto_result_digest(digest, &r, 31337, center);

    char seed[67], od[67], cx[43];
    hex0x(seed, r.seed, 32);
    hex0x(od, r.outputs_digest, 32);
    hex0x(cx, center, 20);
    char doc[4096];
    snprintf(doc, sizeof doc,
             "{\"types\":{\"EIP712Domain\":[{\"name\":\"name\",\"type\":\"string\"},{\"name\":\"version\",\"type\":"
             "\"string\"},{\"name\":\"chainId\",\"type\":\"uint256\"},{\"name\":\"verifyingContract\",\"type\":"
             "\"address\"}],\"ZaraEvalResult\":[{\"name\":\"taskId\",\"type\":\"uint256\"},{\"name\":"
             "\"submissionId\",\"type\":\"uint256\"},{\"name\":\"incumbentId\",\"type\":\"uint256\"},{\"name\":"
             "\"seed\",\"type\":\"bytes32\"},{\"name\":\"status\",\"type\":\"uint8\"},{\"name\":"
             "\"challengerScore\",\"type\":\"int256\"},{\"name\":\"incumbentScore\",\"type\":\"int256\"},{"
             "\"name\":\"outputsDigest\",\"type\":\"bytes32\"}]},\"primaryType\":\"ZaraEvalResult\",\"domain\":{"
             "\"name\":\"Zarathustra\",\"version\":\"1\",\"chainId\":31337,\"verifyingContract\":\"%s\"},"
             "\"message\":{\"taskId\":1,\"submissionId\":2,\"incumbentId\":0,\"seed\":\"%s\",\"status\":0,"
             "\"challengerScore\":\"999000000000000000\",\"incumbentScore\":\"-250000000000000000\","
             "\"outputsDigest\":\"%s\"}}",
             cx, seed, od);
    char *dir = zt_tmpdir();
    char path[600];
    snprintf(path, sizeof path, "%s/typed.json", dir);
    assert_int_equal(zr_file_write_atomic(path, doc, strlen(doc), 0600), 0);
    char sighex[200];
    assert_int_equal(zt_run(sighex, sizeof sighex, "'%s' wallet sign --private-key 0x%s --data --from-file '%s'",
                            CAST, ZT_ANVIL_KEY0, path),
                     0);
    uint8_t raw[65];
    assert_int_equal(zr_hex_decode_exact(raw, 65, sighex), 0);
    zr_sig_t sig;
    memcpy(sig.r, raw, 32);
    memcpy(sig.s, raw + 32, 32);
    sig.v = raw[64] >= 27 ? (uint8_t)(raw[64] - 27) : raw[64];
    uint8_t addr[20], want[20];
    assert_int_equal(zr_ecdsa_recover_address(addr, &sig, digest), 0);
    assert_int_equal(zr_hex_decode_exact(want, 20, ZT_ANVIL_ADDR0), 0);
    assert_memory_equal(addr, want, 20);
    zt_rmtree(dir);
    free(dir);
}

static void test_json_and_numbers(void **state)
{
    (void)state;
    zr_proto_result_t r, back;
    memset(&r, 0, sizeof r);
    zr_proto_u256_from_u64(r.task_id, 12345678901234ULL);
    zr_proto_u256_from_u64(r.submission_id, 9);
    r.status = 2;
    zr_proto_i256_from_i64(r.challenger_score, -5);
    json_t *j = zr_proto_result_to_json(&r);
    char err[200];
    assert_int_equal(zr_proto_result_from_json(&back, j, err, sizeof err), 0);
    assert_memory_equal(&r, &back, sizeof r);
    assert_string_equal(zr_json_str(j, "taskId"), "12345678901234");
    json_object_set_new(j, "status", json_integer(3));
    assert_int_equal(zr_proto_result_from_json(&back, j, err, sizeof err), ZR_EPROTO);
    assert_non_null(strstr(err, "status"));
    json_object_set_new(j, "status", json_integer(0));
    json_object_set_new(j, "seed", json_string("0x12"));
    assert_int_equal(zr_proto_result_from_json(&back, j, err, sizeof err), ZR_EPROTO);
    assert_non_null(strstr(err, "seed"));
    json_decref(j);

    char dec[80];
    uint8_t v[32];
    assert_int_equal(zr_proto_u256_parse(v, "115792089237316195423570985008687907853269984665640564039457584007913129639935"), 0);
    for (int i = 0; i < 32; i++)
        assert_int_equal(v[i], 0xff);
    zr_proto_u256_to_dec(dec, v);
    assert_string_equal(dec, "115792089237316195423570985008687907853269984665640564039457584007913129639935");
    zr_proto_i256_to_dec(dec, v);
    assert_string_equal(dec, "-1");
    assert_int_equal(zr_proto_u256_parse(v, "115792089237316195423570985008687907853269984665640564039457584007913129639936"), ZR_ERANGE);
    assert_int_equal(zr_proto_u256_parse(v, "12a"), ZR_EPARSE);
    assert_int_equal(zr_proto_u256_parse(v, "0x00ff"), 0);
    uint64_t x;
    assert_int_equal(zr_proto_u256_to_u64(v, &x), 0);
    assert_int_equal(x, 255);
    zr_proto_u256_to_dec(dec, (const uint8_t[32]){0});
    assert_string_equal(dec, "0");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_commitment_and_seed),
        cmocka_unit_test(test_result_digest_vs_cast),
        cmocka_unit_test(test_json_and_numbers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
