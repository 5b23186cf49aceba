// SPDX-License-Identifier: MIT
// EIP-712: the Mail example of the EIP (published encodeType, typeHash, struct hash, domain
// separator, digest and signature), typed-data documents signed identically by
// `cast wallet sign --data` (nested structs, arrays of arrays, every atomic type, the
// protocol's ZaraEvalResult), the direct API agreeing with the generic engine, live cast
// cross-checks on random results, and malformed documents rejected with a message.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zt.h"
#include "zara/ecdsa.h"
#include "zara/eip712.h"

#define CAST "node_modules/.bin/cast"

static json_t *load_vectors(void)
{
    zr_buf_t f;
    zt_read_file("tests/vectors/eip712_typed_data.json", &f);
    json_t *root = NULL;
    char err[200];
    assert_int_equal(zr_json_parse((const char *)f.data, f.len, f.len, &root, err, sizeof err), 0);
    zr_buf_cleanup(&f);
    return root;
}

static const json_t *find_case(const json_t *root, const char *name)
{
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(root, "cases"), i, c) if (strcmp(zr_json_str(c, "name"), name) == 0) return c;
    fail_msg("no case %s", name);
    return NULL;
}

static void assert_hex32(const uint8_t got[32], const char *want0x)
{
    uint8_t want[32];
    assert_int_equal(zr_hex_decode_exact(want, 32, want0x), 0);
    assert_memory_equal(got, want, 32);
}

static void test_vectors(void **state)
{
    (void)state;
    json_t *root = load_vectors();
    size_t i;
    json_t *c;
    int count = 0, signed_by_cast = 0;
    json_array_foreach(json_object_get(root, "cases"), i, c)
    {
        const char *name = zr_json_str(c, "name");
        const json_t *data = json_object_get(c, "data");
        const json_t *types = json_object_get(data, "types");
        const char *primary = zr_json_str(data, "primaryType");
        uint8_t digest[32], ds[32], sh[32], th[32];
        char err[256] = "";
        if (zr_eip712_hash_typed_data(digest, ds, sh, data, err, sizeof err) != 0)
            fail_msg("%s: %s", name, err);
        if (zr_json_str(c, "encodeType")) {
            zr_buf_t b;
            zr_buf_init(&b, 4096);
            assert_int_equal(zr_eip712_encode_type(&b, types, primary, err, sizeof err), 0);
            assert_string_equal(zr_buf_cstr(&b), zr_json_str(c, "encodeType"));
            zr_buf_cleanup(&b);
        }
        if (zr_json_str(c, "typeHash")) {
            assert_int_equal(zr_eip712_type_hash(th, types, primary, err, sizeof err), 0);
            assert_hex32(th, zr_json_str(c, "typeHash"));
        }
        if (zr_json_str(c, "structHash"))
            assert_hex32(sh, zr_json_str(c, "structHash"));
        if (zr_json_str(c, "domainSeparator"))
            assert_hex32(ds, zr_json_str(c, "domainSeparator"));
        if (zr_json_str(c, "digest"))
            assert_hex32(digest, zr_json_str(c, "digest"));
        /* the struct hash through the public hash_struct entry point */
        uint8_t sh2[32];
        assert_int_equal(zr_eip712_hash_struct(sh2, types, primary, json_object_get(data, "message"), err, sizeof err), 0);
        assert_memory_equal(sh, sh2, 32);
        /* the JSON-text entry point agrees */
        char *text = json_dumps(data, JSON_COMPACT);
        uint8_t d2[32];
        assert_int_equal(zr_eip712_hash_typed_data_json(d2, text, strlen(text), err, sizeof err), 0);
        assert_memory_equal(digest, d2, 32);
        free(text);

        uint8_t sk[32], addr[20], rec[20], wire[65];
        const char *key = zr_json_str(c, "key");
        assert_int_equal(zr_ecdsa_seckey_parse_hex(sk, key, strlen(key)), 0);
        zr_sig_t sig;
        assert_int_equal(zr_eip712_sign_typed_data(&sig, sk, data, err, sizeof err), 0);
        zr_ecdsa_sig_encode(wire, &sig);
        const char *want_sig[] = {zr_json_str(c, "castSignature"), zr_json_str(c, "publishedSignature")};
        for (int k = 0; k < 2; k++) {
            if (!want_sig[k])
                continue;
            size_t n = 0;
            uint8_t *w = zt_unhex(want_sig[k], &n);
            assert_int_equal(n, 65);
            if (memcmp(w, wire, 65) != 0)
                fail_msg("%s: signature differs from %s", name, k ? "the published one" : "cast's");
            free(w);
            signed_by_cast += k == 0;
        }
        assert_int_equal(zr_ecdsa_seckey_address(addr, sk), 0);
        assert_int_equal(zr_eip712_recover_typed_data(rec, &sig, data, err, sizeof err), 0);
        assert_memory_equal(addr, rec, 20);
        zr_wipe(sk, sizeof sk);
        count++;
    }
    assert_true(count >= 6);
    assert_true(signed_by_cast >= 6);
    json_decref(root);
}

/* Decimal (optionally negative) → 32-byte two's complement. */
static void dec_word(uint8_t w[32], const char *s)
{
    int neg = *s == '-';
    s += neg;
    memset(w, 0, 32);
    for (; *s; s++) {
        unsigned carry = (unsigned)(*s - '0');
        for (int i = 31; i >= 0; i--) {
            unsigned x = w[i] * 10u + carry;
            w[i] = (uint8_t)x;
            carry = x >> 8;
        }
    }
    if (neg) {
        unsigned carry = 1;
        for (int i = 31; i >= 0; i--) {
            unsigned x = (uint8_t)~w[i] + carry;
            w[i] = (uint8_t)x;
            carry = x >> 8;
        }
    }
}

static const char k_zara_type[] = "ZaraEvalResult(uint256 taskId,uint256 submissionId,uint256 incumbentId,bytes32 seed,"
                                   "uint8 status,int256 challengerScore,int256 incumbentScore,bytes32 outputsDigest)";

/* The protocol's result through the direct API, from the same JSON fields. */
static void direct_zara(uint8_t digest[32], const json_t *data)
{
    const json_t *dom = json_object_get(data, "domain"), *m = json_object_get(data, "message");
    zr_eip712_domain_t d = {zr_json_str(dom, "name"), zr_json_str(dom, "version"),
                            (uint64_t)json_integer_value(json_object_get(dom, "chainId")), {0}};
    assert_int_equal(zr_addr_parse(d.verifying_contract, zr_json_str(dom, "verifyingContract")), 0);
    uint8_t ds[32], sh[32], w[32];
    zr_eip712_domain_separator(ds, &d);
    zr_eip712_struct_t s;
    zr_eip712_struct_begin(&s, k_zara_type);
    dec_word(w, zr_json_str(m, "taskId"));
    zr_eip712_struct_u256(&s, w);
    dec_word(w, zr_json_str(m, "submissionId"));
    zr_eip712_struct_u256(&s, w);
    zr_eip712_struct_uint(&s, strtoull(zr_json_str(m, "incumbentId"), NULL, 10));
    assert_int_equal(zr_hex_decode_exact(w, 32, zr_json_str(m, "seed")), 0);
    zr_eip712_struct_bytes32(&s, w);
    zr_eip712_struct_uint(&s, (uint64_t)json_integer_value(json_object_get(m, "status")));
    const char *cs = zr_json_str(m, "challengerScore");
    if (strlen(cs) < 18) {
        zr_eip712_struct_int(&s, strtoll(cs, NULL, 10));
    } else {
        dec_word(w, cs);
        zr_eip712_struct_i256(&s, w);
    }
    dec_word(w, zr_json_str(m, "incumbentScore"));
    zr_eip712_struct_i256(&s, w);
    assert_int_equal(zr_hex_decode_exact(w, 32, zr_json_str(m, "outputsDigest")), 0);
    zr_eip712_struct_bytes32(&s, w);
    zr_eip712_struct_end(&s, sh);
    zr_eip712_digest(digest, ds, sh);
}

static void test_direct_api(void **state)
{
    (void)state;
    json_t *root = load_vectors();
    char err[256];
    const char *names[] = {"zara_eval_result", "zara_eval_result_extremes"};
    for (int i = 0; i < 2; i++) {
        const json_t *data = json_object_get(find_case(root, names[i]), "data");
        uint8_t a[32], b[32];
        assert_int_equal(zr_eip712_hash_typed_data(a, NULL, NULL, data, err, sizeof err), 0);
        direct_zara(b, data);
        assert_memory_equal(a, b, 32);
    }
    /* the Mail example through the direct API gives the published digest */
    zr_eip712_domain_t d = {"Ether Mail", "1", 1, {0}};
    assert_int_equal(zr_addr_parse(d.verifying_contract, "0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC"), 0);
    uint8_t ds[32], from[32], to[32], sh[32], dg[32], wallet[20];
    zr_eip712_domain_separator(ds, &d);
    assert_hex32(ds, "0xf2cee375fa42b42143804025fc449deafd50cc031ca257e0b194a650a912090f");
    zr_eip712_struct_t s;
    zr_eip712_struct_begin(&s, "Person(string name,address wallet)");
    zr_eip712_struct_string(&s, "Cow");
    zr_addr_parse(wallet, "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826");
    zr_eip712_struct_address(&s, wallet);
    zr_eip712_struct_end(&s, from);
    zr_eip712_struct_begin(&s, "Person(string name,address wallet)");
    zr_eip712_struct_string(&s, "Bob");
    zr_addr_parse(wallet, "0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB");
    zr_eip712_struct_address(&s, wallet);
    zr_eip712_struct_end(&s, to);
    zr_eip712_struct_begin(&s, "Mail(Person from,Person to,string contents)Person(string name,address wallet)");
    zr_eip712_struct_word(&s, from);
    zr_eip712_struct_word(&s, to);
    zr_eip712_struct_string(&s, "Hello, Bob!");
    zr_eip712_struct_end(&s, sh);
    assert_hex32(sh, "0xc52c0ee5d84264471806290a3f2c4cecfc5490626bf912d01f240d7a274b371e");
    zr_eip712_digest(dg, ds, sh);
    assert_hex32(dg, "0xbe609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2");
    /* remaining direct encoders against the generic engine on a small struct */
    const char *doc = "{\"types\":{\"T\":[{\"name\":\"a\",\"type\":\"bool\"},{\"name\":\"b\",\"type\":\"bytes3\"},"
                      "{\"name\":\"c\",\"type\":\"bytes\"},{\"name\":\"d\",\"type\":\"int32\"}]},\"primaryType\":\"T\","
                      "\"domain\":{},\"message\":{\"a\":true,\"b\":\"0x010203\",\"c\":\"0xff\",\"d\":-5}}";
    json_t *j = NULL;
    assert_int_equal(zr_json_parse(doc, strlen(doc), 4096, &j, err, sizeof err), 0);
    uint8_t g[32], t[32];
    assert_int_equal(zr_eip712_hash_struct(g, json_object_get(j, "types"), "T", json_object_get(j, "message"), err,
                                           sizeof err),
                     0);
    zr_eip712_struct_begin(&s, "T(bool a,bytes3 b,bytes c,int32 d)");
    zr_eip712_struct_bool(&s, 1);
    zr_eip712_struct_bytesn(&s, (const uint8_t *)"\x01\x02\x03", 3);
    zr_eip712_struct_bytes(&s, "\xff", 1);
    zr_eip712_struct_int(&s, -5);
    zr_eip712_struct_end(&s, t);
    assert_memory_equal(g, t, 32);
    json_decref(j);
    json_decref(root);
}

/* Random ZaraEvalResults signed by zara and by cast. */
static void test_against_cast(void **state)
{
    (void)state;
    char dir_tmpl[] = "/tmp/zt-eip712-XXXXXX";
    char *dir = mkdtemp(dir_tmpl);
    assert_non_null(dir);
    for (int t = 0; t < 3; t++) {
        uint8_t r[96];
        assert_int_equal(zr_random_bytes(r, sizeof r), 0);
        char seed[65], digest[65], vc[ZR_ADDR_STR_LEN];
        zr_hex_encode(seed, r, 32);
        zr_hex_encode(digest, r + 32, 32);
        zr_addr_format(vc, r + 64);
        long long cs = (long long)((uint64_t)r[84] << 40 | (uint64_t)r[85] << 24 | r[86]) * (r[87] & 1 ? -1 : 1);
        char doc[2048];
        snprintf(doc, sizeof doc,
                 "{\"types\":{\"EIP712Domain\":[{\"name\":\"name\",\"type\":\"string\"},{\"name\":\"version\",\"type\":"
                 "\"string\"},{\"name\":\"chainId\",\"type\":\"uint256\"},{\"name\":\"verifyingContract\",\"type\":"
                 "\"address\"}],\"ZaraEvalResult\":[{\"name\":\"taskId\",\"type\":\"uint256\"},{\"name\":"
                 "\"submissionId\",\"type\":\"uint256\"},{\"name\":\"incumbentId\",\"type\":\"uint256\"},{\"name\":"
                 "\"seed\",\"type\":\"bytes32\"},{\"name\":\"status\",\"type\":\"uint8\"},{\"name\":"
                 "\"challengerScore\",\"type\":\"int256\"},{\"name\":\"incumbentScore\",\"type\":\"int256\"},{"
                 "\"name\":\"outputsDigest\",\"type\":\"bytes32\"}]},\"primaryType\":\"ZaraEvalResult\",\"domain\":{"
                 "\"name\":\"Zarathustra\",\"version\":\"1\",\"chainId\":%d,\"verifyingContract\":\"%s\"},\"message\":{"
                 "\"taskId\":\"%u\",\"submissionId\":\"%u\",\"incumbentId\":\"%u\",\"seed\":\"0x%s\",\"status\":%d,"
                 "\"challengerScore\":\"%lld\",\"incumbentScore\":\"%lld\",\"outputsDigest\":\"0x%s\"}}",
                 1 + r[88], vc, r[89], r[90] + 1000u, r[91], seed, r[92] % 3, cs, -cs / 3, digest);
        char path[512];
        snprintf(path, sizeof path, "%s/doc%d.json", dir, t);
        assert_int_equal(zr_file_write_atomic(path, doc, strlen(doc), 0600), 0);
        char out[256];
        assert_int_equal(zt_run(out, sizeof out, "'%s' wallet sign --data --from-file --private-key 0x%s '%s'",
                                zt_src_path(CAST), ZT_ANVIL_KEY1, path),
                         0);
        json_t *j = NULL;
        char err[256];
        assert_int_equal(zr_json_parse(doc, strlen(doc), sizeof doc, &j, err, sizeof err), 0);
        uint8_t sk[32], wire[65], dg[32], dg2[32];
        zr_hex_decode_exact(sk, 32, ZT_ANVIL_KEY1);
        zr_sig_t sig;
        assert_int_equal(zr_eip712_sign_typed_data(&sig, sk, j, err, sizeof err), 0);
        zr_ecdsa_sig_encode(wire, &sig);
        char got[140] = "0x";
        zr_hex_encode(got + 2, wire, 65);
        assert_string_equal(got, out);
        /* and the direct API agrees with the generic engine */
        assert_int_equal(zr_eip712_hash_typed_data(dg, NULL, NULL, j, err, sizeof err), 0);
        direct_zara(dg2, j);
        assert_memory_equal(dg, dg2, 32);
        json_decref(j);
    }
    zt_rmtree(dir);
}

static void expect_error(const char *doc, const char *needle)
{
    uint8_t d[32];
    char err[256] = "";
    int rc = zr_eip712_hash_typed_data_json(d, doc, strlen(doc), err, sizeof err);
    if (rc == 0)
        fail_msg("accepted: %s", doc);
    if (!strstr(err, needle))
        fail_msg("message '%s' lacks '%s' for %s", err, needle, doc);
}

#define DOC(types, msg) "{\"types\":{" types "},\"primaryType\":\"T\",\"domain\":{\"name\":\"x\"},\"message\":" msg "}"

static void test_errors(void **state)
{
    (void)state;
    expect_error("{", "");
    expect_error("[]", "JSON object");
    expect_error("{\"types\":{},\"primaryType\":\"T\",\"message\":{}}", "domain");
    expect_error("{\"types\":{},\"domain\":{},\"message\":{}}", "primaryType");
    expect_error(DOC("\"T\":[{\"name\":\"a\",\"type\":\"U\"}]", "{\"a\":{}}"), "unknown type \"U\"");
    expect_error(DOC("\"T\":[{\"name\":\"a\",\"type\":\"uint8\"}]", "{}"), "missing field \"a\"");
    expect_error(DOC("\"T\":[{\"name\":\"a\",\"type\":\"uint8\"}]", "{\"a\":256}"), "out of range for uint8");
    expect_error(DOC("\"T\":[{\"name\":\"a\",\"type\":\"uint8\"}]", "{\"a\":-1}"), "out of range for uint8");
    expect_error(DOC("\"T\":[{\"name\":\"a\",\"type\":\"int8\"}]", "{\"a\":-129}"), "out of range for int8");
    expect_error(DOC("\"T\":[{\"name\":\"a\",\"type\":\"int8\"}]", "{\"a\":\"128\"}"), "out of range for int8");
    expect_error(DOC("\"T\":[{\"name\":\"a\",\"type\":\"uint256\"}]",
                     "{\"a\":\"0x10000000000000000000000000000000000000000000000000000000000000000\"}"),
                 "exceeds 256 bits");
    expect_error(DOC("\"T\":[{\"name\":\"a\",\"type\":\"uint256\"}]", "{\"a\":\"12x\"}"), "not a number");
    expect_error(DOC("\"T\":[{\"name\":\"a\",\"type\":\"uint256\"}]", "{\"a\":1.5}"), "expected an integer");
    expect_error(DOC("\"T\":[{\"name\":\"a\",\"type\":\"uint\"}]", "{\"a\":1}"), "invalid type");
    expect_error(DOC("\"T\":[{\"name\":\"a\",\"type\":\"uint7\"}]", "{\"a\":1}"), "invalid type");
    expect_error(DOC("\"T\":[{\"name\":\"a\",\"type\":\"bytes33\"}]", "{\"a\":\"0x00\"}"), "invalid type");
    expect_error(DOC("\"T\":[{\"name\":\"a\",\"type\":\"bytes4\"}]", "{\"a\":\"0x0011\"}"), "bytes4 needs 4 bytes");
    expect_error(DOC("\"T\":[{\"name\":\"a\",\"type\":\"bytes\"}]", "{\"a\":\"0x0\"}"), "malformed hex");
    expect_error(DOC("\"T\":[{\"name\":\"a\",\"type\":\"bytes\"}]", "{\"a\":\"zz\"}"), "0x-hex");
    expect_error(DOC("\"T\":[{\"name\":\"a\",\"type\":\"bool\"}]", "{\"a\":1}"), "true or false");
    expect_error(DOC("\"T\":[{\"name\":\"a\",\"type\":\"string\"}]", "{\"a\":1}"), "expected a string");
    expect_error(DOC("\"T\":[{\"name\":\"a\",\"type\":\"address\"}]",
                     "{\"a\":\"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD\"}"),
                 "checksum");
    expect_error(DOC("\"T\":[{\"name\":\"a\",\"type\":\"address\"}]", "{\"a\":\"0x1234\"}"), "20-byte");
    expect_error(DOC("\"T\":[{\"name\":\"a\",\"type\":\"uint8[2]\"}]", "{\"a\":[1]}"), "needs 2 elements");
    expect_error(DOC("\"T\":[{\"name\":\"a\",\"type\":\"uint8[]\"}]", "{\"a\":1}"), "expected an array");
    expect_error(DOC("\"T\":[{\"name\":\"a\",\"type\":\"uint8[x]\"}]", "{\"a\":[]}"), "malformed array size");
    expect_error(DOC("\"T\":[{\"name\":\"a\",\"type\":\"uint8[\"}]", "{\"a\":[]}"), "malformed type");
    expect_error(DOC("\"T\":[{\"name\":\"a\"}]", "{\"a\":1}"), "needs string \"name\" and \"type\"");
    expect_error(DOC("\"T\":{}", "{}"), "must be an array");
    expect_error(DOC("\"T\":[{\"name\":\"a\",\"type\":\"T\"}]", "{\"a\":1}"), "must be an object");
    /* a self-referential type: encodeType terminates; data as deep as the limit is refused */
    zr_buf_t b;
    zr_buf_init(&b, 1 << 16);
    zr_buf_append_str(&b, "{\"types\":{\"T\":[{\"name\":\"n\",\"type\":\"T[]\"}]},\"primaryType\":\"T\",\"domain\":{},"
                          "\"message\":");
    for (int i = 0; i < 100; i++)
        zr_buf_append_str(&b, "{\"n\":[");
    for (int i = 0; i < 100; i++)
        zr_buf_append_str(&b, "]}");
    zr_buf_append_str(&b, "}");
    expect_error(zr_buf_cstr(&b), "too deeply");
    zr_buf_cleanup(&b);
    /* encodeType of a cyclic pair */
    const char *cyc = "{\"A\":[{\"name\":\"b\",\"type\":\"B\"}],\"B\":[{\"name\":\"a\",\"type\":\"A[]\"}]}";
    json_t *types = NULL;
    char err[200];
    assert_int_equal(zr_json_parse(cyc, strlen(cyc), 4096, &types, err, sizeof err), 0);
    zr_buf_init(&b, 4096);
    assert_int_equal(zr_eip712_encode_type(&b, types, "A", err, sizeof err), 0);
    assert_string_equal(zr_buf_cstr(&b), "A(B b)B(A[] a)");
    zr_buf_cleanup(&b);
    json_decref(types);
}

static void test_int_bounds(void **state)
{
    (void)state;
    /* the extremes of int8/int256/uint256 are accepted */
    const char *ok[] = {
        DOC("\"T\":[{\"name\":\"a\",\"type\":\"int8\"}]", "{\"a\":-128}"),
        DOC("\"T\":[{\"name\":\"a\",\"type\":\"int8\"}]", "{\"a\":127}"),
        DOC("\"T\":[{\"name\":\"a\",\"type\":\"int256\"}]",
            "{\"a\":\"-57896044618658097711785492504343953926634992332820282019728792003956564819968\"}"),
        DOC("\"T\":[{\"name\":\"a\",\"type\":\"uint256\"}]",
            "{\"a\":\"0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff\"}"),
        DOC("\"T\":[{\"name\":\"a\",\"type\":\"uint8[0]\"}]", "{\"a\":[]}"),
    };
    for (size_t i = 0; i < ZR_ARRAY_LEN(ok); i++) {
        uint8_t d[32];
        char err[256] = "";
        if (zr_eip712_hash_typed_data_json(d, ok[i], strlen(ok[i]), err, sizeof err) != 0)
            fail_msg("%s: %s", ok[i], err);
    }
    expect_error(DOC("\"T\":[{\"name\":\"a\",\"type\":\"int256\"}]",
                     "{\"a\":\"-57896044618658097711785492504343953926634992332820282019728792003956564819969\"}"),
                 "out of range for int256");
    expect_error(DOC("\"T\":[{\"name\":\"a\",\"type\":\"int256\"}]",
                     "{\"a\":\"57896044618658097711785492504343953926634992332820282019728792003956564819968\"}"),
                 "out of range for int256");
    /* -1 as int8 and as int256 both encode as 32 bytes of 0xff: same hash as the direct API */
    const char *m1 = DOC("\"T\":[{\"name\":\"a\",\"type\":\"int8\"}]", "{\"a\":-1}");
    json_t *j = NULL;
    char err[256];
    assert_int_equal(zr_json_parse(m1, strlen(m1), 4096, &j, err, sizeof err), 0);
    uint8_t g[32], t[32];
    assert_int_equal(
        zr_eip712_hash_struct(g, json_object_get(j, "types"), "T", json_object_get(j, "message"), err, sizeof err), 0);
    zr_eip712_struct_t s;
    zr_eip712_struct_begin(&s, "T(int8 a)");
    zr_eip712_struct_int(&s, -1);
    zr_eip712_struct_end(&s, t);
    assert_memory_equal(g, t, 32);
    json_decref(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vectors),      cmocka_unit_test(test_direct_api), cmocka_unit_test(test_against_cast),
        cmocka_unit_test(test_errors),       cmocka_unit_test(test_int_bounds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
