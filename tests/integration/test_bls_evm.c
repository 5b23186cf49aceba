// SPDX-License-Identifier: MIT
// The EVM as referee for the C BN254/BLS code, on a real anvil: the ecAdd (0x06), ecMul
// (0x07) and ecPairing (0x08) precompiles give the same points as the C library and the same
// verdicts on pairing products, including the γ-trick check of aggregates signed by the C
// code for 1, 10 and 100 signers; invalid points are refused by both. Finally the contracts'
// own BN254 library (contracts/src/BN254.sol, compiled with forge) accepts what the C code
// signs, computes the same hashToG1 and γ, and refuses tampered signatures.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zt.h"
#include "zara/bls.h"

typedef struct ctx {
    zt_anvil_t anvil;
    char cast[4096];
    char *tmp;
} ctx_t;

static int setup(void **state)
{
    ctx_t *c = calloc(1, sizeof *c);
    zt_anvil_start(&c->anvil, NULL);
    snprintf(c->cast, sizeof c->cast, "%s", zt_src_path("node_modules/.bin/cast"));
    c->tmp = zt_tmpdir();
    *state = c;
    return 0;
}

static int teardown(void **state)
{
    ctx_t *c = *state;
    zt_anvil_stop(&c->anvil);
    zt_rmtree(c->tmp);
    free(c->tmp);
    free(c);
    return 0;
}

/* Calls precompile `addr` with in; 0 and the output in out (hex decoded) on success, -1 when
 * the call fails (the precompile rejected its input). */
static int precompile(ctx_t *c, int addr, const uint8_t *in, size_t len, uint8_t *out, size_t cap, size_t *out_len)
{
    char *hex = malloc(2 * len + 1), res[4096];
    zr_hex_encode(hex, in, len);
    /* cast exits 0 even when the call fails: a failed call prints no 0x-output */
    int st = zt_run(res, sizeof res, "'%s' call --rpc-url %s 0x%040x 0x%s 2>&1", c->cast, c->anvil.url, addr, hex);
    free(hex);
    if (st != 0 || strncmp(res, "0x", 2) != 0) {
        assert_non_null(strstr(res, "PrecompileError")); /* refused, not some other failure */
        return -1;
    }
    assert_int_equal(zr_hex_decode(out, cap, out_len, res, strlen(res)), 0);
    return 0;
}

static uint64_t rs = 0x243f6a8885a308d3ULL;
static void rand32(uint8_t b[32])
{
    for (int i = 0; i < 32; i++) {
        rs ^= rs << 13;
        rs ^= rs >> 7;
        rs ^= rs << 17;
        b[i] = (uint8_t)rs;
    }
}

static void test_ec_add_mul(void **state)
{
    ctx_t *c = *state;
    zr_bn254_g1_t g, a, b, s, na;
    zr_bn254_g1_generator(&g);
    uint8_t k[32], in[128], out[64], want[64];
    size_t n;
    for (int i = 0; i < 4; i++) {
        rand32(k);
        zr_bn254_g1_mul(&a, &g, k);
        rand32(k);
        zr_bn254_g1_mul(&b, &g, k);
        zr_bn254_g1_neg(&na, &a);
        const zr_bn254_g1_t *pairs[4][2] = {{&a, &b}, {&a, &a}, {&a, &na}, {&b, &b}};
        const zr_bn254_g1_t *x = pairs[i][0], *y = pairs[i][1];
        zr_bn254_g1_encode(in, x);
        zr_bn254_g1_encode(in + 64, y);
        if (i == 3)
            memset(in + 64, 0, 64); /* b + infinity */
        assert_int_equal(precompile(c, 6, in, 128, out, sizeof out, &n), 0);
        assert_int_equal(n, 64);
        zr_bn254_g1_t inf;
        zr_bn254_g1_infinity(&inf);
        zr_bn254_g1_add(&s, x, i == 3 ? &inf : y);
        zr_bn254_g1_encode(want, &s);
        assert_memory_equal(out, want, 64);
    }
    /* ecMul with scalars of every size, including r, r + 1 and 2^256 - 1 */
    static const char *edge[] = {
        "0000000000000000000000000000000000000000000000000000000000000000",
        "30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001",
        "30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000002",
        "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
    };
    for (int i = 0; i < 8; i++) {
        uint8_t in2[96];
        if (i < 4)
            assert_int_equal(zr_hex_decode_exact(k, 32, edge[i]), 0);
        else
            rand32(k);
        zr_bn254_g1_encode(in2, i % 2 ? &a : &g);
        memcpy(in2 + 64, k, 32);
        assert_int_equal(precompile(c, 7, in2, 96, out, sizeof out, &n), 0);
        zr_bn254_g1_mul(&s, i % 2 ? &a : &g, k);
        zr_bn254_g1_encode(want, &s);
        assert_memory_equal(out, want, 64);
    }
}

/* ecPairing on n pairs; returns 1/0 for the precompile's verdict, -1 when it refused. */
static int ec_pairing(ctx_t *c, const zr_bn254_g1_t *p, const zr_bn254_g2_t *q, size_t n)
{
    uint8_t *in = malloc(192 * n + 1), out[32];
    for (size_t i = 0; i < n; i++) {
        zr_bn254_g1_encode(in + 192 * i, &p[i]);
        zr_bn254_g2_encode(in + 192 * i + 64, &q[i]);
    }
    size_t len;
    int rc = precompile(c, 8, in, 192 * n, out, sizeof out, &len);
    free(in);
    if (rc)
        return -1;
    assert_int_equal(len, 32);
    return out[31];
}

static void test_pairing_products(void **state)
{
    ctx_t *c = *state;
    zr_bn254_g1_t g1, p[3];
    zr_bn254_g2_t g2, q[3];
    zr_bn254_g1_generator(&g1);
    zr_bn254_g2_generator(&g2);
    for (int i = 0; i < 3; i++) {
        uint8_t a[32], b[32], ab[32];
        zr_bn254_fr_t fa, fb, fab;
        rand32(a);
        rand32(b);
        zr_bn254_fr_from_bytes_reduce(&fa, a);
        zr_bn254_fr_from_bytes_reduce(&fb, b);
        zr_bn254_fr_mul(&fab, &fa, &fb);
        zr_bn254_fr_to_bytes(ab, &fab);
        /* e(aG1, bG2) e(-abG1, G2) e(G1, 0) = 1 */
        zr_bn254_g1_mul_fr(&p[0], &g1, &fa);
        zr_bn254_g2_mul_fr(&q[0], &g2, &fb);
        zr_bn254_g1_mul(&p[1], &g1, ab);
        zr_bn254_g1_neg(&p[1], &p[1]);
        q[1] = g2;
        p[2] = g1;
        zr_bn254_g2_infinity(&q[2]);
        assert_int_equal(ec_pairing(c, p, q, 3), 1);
        assert_int_equal(zr_bn254_pairing_check(p, q, 3), 1);
        /* and a product that is not 1 */
        q[1] = q[0];
        assert_int_equal(ec_pairing(c, p, q, 3), 0);
        assert_int_equal(zr_bn254_pairing_check(p, q, 3), 0);
    }
    assert_int_equal(ec_pairing(c, p, q, 0), 1); /* the empty product */
}

/* The precompile input of docs/PROTOCOL.md: σ' ‖ −G2 ‖ H' ‖ apkG2. */
static int evm_gamma_check(ctx_t *c, const uint8_t m[32], const zr_bn254_g1_t *apk1, const zr_bn254_g2_t *apk2,
                           const zr_bn254_g1_t *sig)
{
    zr_bn254_fr_t gamma;
    zr_bls_gamma(&gamma, m, apk1, apk2, sig);
    zr_bn254_g1_t p[2], t, g1, h;
    zr_bn254_g2_t q[2];
    zr_bn254_g1_generator(&g1);
    zr_bn254_g1_mul_fr(&t, apk1, &gamma);
    zr_bn254_g1_add(&p[0], sig, &t);
    zr_bn254_g2_generator(&q[0]);
    zr_bn254_g2_neg(&q[0], &q[0]);
    zr_bn254_g1_hash(&h, m);
    zr_bn254_g1_mul_fr(&t, &g1, &gamma);
    zr_bn254_g1_add(&p[1], &h, &t);
    q[1] = *apk2;
    return ec_pairing(c, p, q, 2);
}

typedef struct agg {
    size_t n;
    uint8_t m[32];
    zr_bn254_g1_t apk1, sig, partial; /* partial: the signature without the last signer */
    zr_bn254_g2_t apk2;
} agg_t;

static void make_aggregate(agg_t *a, size_t n)
{
    a->n = n;
    rand32(a->m);
    zr_bn254_g1_infinity(&a->apk1);
    zr_bn254_g1_infinity(&a->sig);
    zr_bn254_g2_infinity(&a->apk2);
    for (size_t i = 0; i < n; i++) {
        uint8_t seed[32];
        rand32(seed);
        zr_bls_secret_t sk;
        zr_bls_pubkey_t pk;
        zr_bn254_g1_t s;
        assert_int_equal(zr_bls_secret_from_seed(&sk, seed, 32), 0);
        zr_bls_pubkey_from_secret(&pk, &sk);
        zr_bls_sign(&s, &sk, a->m);
        zr_bls_secret_wipe(&sk);
        if (i == n - 1)
            a->partial = a->sig;
        zr_bn254_g1_add(&a->apk1, &a->apk1, &pk.g1);
        zr_bn254_g2_add(&a->apk2, &a->apk2, &pk.g2);
        zr_bn254_g1_add(&a->sig, &a->sig, &s);
    }
}

static void test_aggregates(void **state)
{
    ctx_t *c = *state;
    static const size_t sizes[] = {1, 10, 100};
    for (size_t i = 0; i < ZR_ARRAY_LEN(sizes); i++) {
        agg_t a;
        make_aggregate(&a, sizes[i]);
        assert_int_equal(zr_bls_verify(&a.apk1, &a.apk2, a.m, &a.sig), 0);
        assert_int_equal(evm_gamma_check(c, a.m, &a.apk1, &a.apk2, &a.sig), 1);
        /* another message */
        uint8_t m2[32];
        rand32(m2);
        assert_int_equal(zr_bls_verify(&a.apk1, &a.apk2, m2, &a.sig), ZR_EVERIFY);
        assert_int_equal(evm_gamma_check(c, m2, &a.apk1, &a.apk2, &a.sig), 0);
        /* one signature missing */
        if (a.n > 1) {
            assert_int_equal(zr_bls_verify(&a.apk1, &a.apk2, a.m, &a.partial), ZR_EVERIFY);
            assert_int_equal(evm_gamma_check(c, a.m, &a.apk1, &a.apk2, &a.partial), 0);
        }
    }
}

static void test_invalid_points(void **state)
{
    ctx_t *c = *state;
    uint8_t in[192], out[64];
    size_t n;
    zr_bn254_g1_t p;
    zr_bn254_g2_t q;
    /* (1, 3) is not on G1: ecAdd refuses it, so does the decoder */
    memset(in, 0, 128);
    in[31] = 1;
    in[63] = 3;
    assert_int_equal(precompile(c, 6, in, 128, out, sizeof out, &n), -1);
    assert_int_equal(zr_bn254_g1_decode(&p, in), ZR_EBADPOINT);
    /* x = p: non-canonical */
    assert_int_equal(zr_hex_decode_exact(in, 32, "30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd47"), 0);
    memset(in + 32, 0, 32);
    in[63] = 2;
    assert_int_equal(precompile(c, 6, in, 128, out, sizeof out, &n), -1);
    assert_int_equal(zr_bn254_g1_decode(&p, in), ZR_ENONCANON);
    /* every invalid G2 point of the noble vectors is refused by ecPairing and the decoder */
    zr_buf_t f;
    zt_read_file("tests/vectors/bn254_vectors.json", &f);
    json_t *v;
    assert_int_equal(zr_json_parse((const char *)f.data, f.len, f.len + 1, &v, NULL, 0), 0);
    size_t i;
    json_t *e;
    int count = 0;
    json_array_foreach(json_object_get(v, "invalid_g2"), i, e) {
        zr_bn254_g1_t g1;
        zr_bn254_g1_generator(&g1);
        zr_bn254_g1_encode(in, &g1);
        assert_int_equal(zr_hex_decode_exact(in + 64, 128, zr_json_str(e, "enc")), 0);
        assert_int_equal(precompile(c, 8, in, 192, out, sizeof out, &n), -1);
        assert_int_not_equal(zr_bn254_g2_decode(&q, in + 64), 0);
        count++;
    }
    assert_true(count >= 5);
    json_decref(v);
    zr_buf_cleanup(&f);
}

static void word_list(char *out, size_t cap, const uint8_t *b, size_t words)
{
    size_t o = 0;
    o += (size_t)snprintf(out + o, cap - o, "[");
    for (size_t i = 0; i < words; i++) {
        char h[65];
        zr_hex_encode(h, b + 32 * i, 32);
        o += (size_t)snprintf(out + o, cap - o, "%s0x%s", i ? "," : "", h);
    }
    snprintf(out + o, cap - o, "]");
}

static int contract_verify(ctx_t *c, const char *addr, const uint8_t m[32], const zr_bn254_g1_t *apk1,
                           const zr_bn254_g2_t *apk2, const zr_bn254_g1_t *sig, const char *fn, char *res,
                           size_t cap)
{
    uint8_t b1[64], b2[128], bs[64];
    char a1[200], a2[400], s[200], mh[65];
    zr_bn254_g1_encode(b1, apk1);
    zr_bn254_g2_encode(b2, apk2);
    zr_bn254_g1_encode(bs, sig);
    word_list(a1, sizeof a1, b1, 2);
    word_list(a2, sizeof a2, b2, 4);
    word_list(s, sizeof s, bs, 2);
    zr_hex_encode(mh, m, 32);
    return zt_run(res, cap, "'%s' call --rpc-url %s %s '%s(bytes32,uint256[2],uint256[4],uint256[2])(%s)' 0x%s '%s' '%s' '%s' 2>&1",
                  c->cast, c->anvil.url, addr, fn, strcmp(fn, "verify") == 0 ? "bool" : "uint256", mh, a1, a2, s);
}

static void test_contract_library(void **state)
{
    ctx_t *c = *state;
    char out[8192], addr[64];
    /* a throwaway forge project: the fixture plus a copy of contracts/src/BN254.sol
     * (zt_src_path returns a static buffer: copy each path before the next call) */
    char lib[4096], fix[4096], solc[4096], forge[4096];
    snprintf(lib, sizeof lib, "%s", zt_src_path("contracts/src/BN254.sol"));
    snprintf(fix, sizeof fix, "%s", zt_src_path("tests/integration/fixtures/bls_check/BlsCheck.sol"));
    snprintf(solc, sizeof solc, "%s", zt_src_path("scripts/solc-adapter.sh"));
    snprintf(forge, sizeof forge, "%s", zt_src_path("node_modules/.bin/forge"));
    int st = zt_run(out, sizeof out,
                    "set -e; cd '%s'; mkdir -p src; cp '%s' src/; cp '%s' src/;"
                    "printf '[profile.default]\\nsrc = \"src\"\\nsolc = \"%s\"\\noffline = true\\n' > foundry.toml;"
                    "'%s' build --root . 2>&1; test -f out/BlsCheck.sol/BlsCheck.json",
                    c->tmp, lib, fix, solc, forge);
    if (st != 0)
        fail_msg("forge build failed: %s", out);
    char art[4200];
    snprintf(art, sizeof art, "%s/out/BlsCheck.sol/BlsCheck.json", c->tmp);
    zr_buf_t ab;
    zr_buf_init(&ab, 8u << 20);
    assert_int_equal(zr_file_read(art, ab.max, &ab), 0);
    json_t *aj;
    assert_int_equal(zr_json_parse((const char *)ab.data, ab.len, ab.max, &aj, NULL, 0), 0);
    const char *code = zr_json_str(json_object_get(aj, "bytecode"), "object");
    assert_non_null(code);
    char *cmd = malloc(strlen(code) + 8192);
    snprintf(cmd, strlen(code) + 8192, "'%s' send --rpc-url %s --private-key 0x%s --json --create %s 2>&1", c->cast,
             c->anvil.url, ZT_ANVIL_KEY0, code);
    st = zt_run(out, sizeof out, "%s", cmd);
    free(cmd);
    json_decref(aj);
    zr_buf_cleanup(&ab);
    if (st != 0)
        fail_msg("deploy failed: %s", out);
    json_t *r;
    assert_int_equal(zr_json_parse(out, strlen(out), sizeof out, &r, NULL, 0), 0);
    assert_non_null(zr_json_str(r, "contractAddress"));
    snprintf(addr, sizeof addr, "%s", zr_json_str(r, "contractAddress"));
    json_decref(r);

    static const size_t sizes[] = {1, 10};
    for (size_t i = 0; i < ZR_ARRAY_LEN(sizes); i++) {
        agg_t a;
        make_aggregate(&a, sizes[i]);
        assert_int_equal(contract_verify(c, addr, a.m, &a.apk1, &a.apk2, &a.sig, "verify", out, sizeof out), 0);
        assert_string_equal(out, "true");
        /* the same γ as the C code (cast prints a decimal; compare through cast's hex) */
        assert_int_equal(contract_verify(c, addr, a.m, &a.apk1, &a.apk2, &a.sig, "gamma", out, sizeof out), 0);
        char gdec[200];
        assert_true(strlen(out) < sizeof gdec);
        memcpy(gdec, out, strlen(out) + 1);
        char *sp = strchr(gdec, ' ');
        if (sp)
            *sp = 0;
        zr_bn254_fr_t gamma;
        uint8_t gb[32];
        char gh[65];
        zr_bls_gamma(&gamma, a.m, &a.apk1, &a.apk2, &a.sig);
        zr_bn254_fr_to_bytes(gb, &gamma);
        zr_hex_encode(gh, gb, 32);
        assert_int_equal(zt_run(out, sizeof out, "'%s' to-dec 0x%s", c->cast, gh), 0);
        assert_string_equal(out, gdec);
        /* tampered: a signature missing or another message */
        if (a.n > 1) {
            assert_int_equal(contract_verify(c, addr, a.m, &a.apk1, &a.apk2, &a.partial, "verify", out, sizeof out), 0);
            assert_string_equal(out, "false");
        }
        a.m[0] ^= 0x80;
        assert_int_equal(contract_verify(c, addr, a.m, &a.apk1, &a.apk2, &a.sig, "verify", out, sizeof out), 0);
        assert_string_equal(out, "false");
    }
    /* hashToG1 agrees on a few digests */
    for (int i = 0; i < 3; i++) {
        uint8_t m[32], enc[64];
        char mh[65], want[200], got[400];
        rand32(m);
        zr_hex_encode(mh, m, 32);
        zr_bn254_g1_t h;
        zr_bn254_g1_hash(&h, m);
        zr_bn254_g1_encode(enc, &h);
        word_list(want, sizeof want, enc, 2);
        assert_int_equal(zt_run(got, sizeof got, "'%s' call --rpc-url %s %s 'hashToG1(bytes32)(uint256[2])' 0x%s | "
                                "tr -d ' ' | sed 's/\\[[0-9.e+]*\\]//g'",
                                c->cast, c->anvil.url, addr, mh), 0);
        /* cast prints decimals: convert ours */
        char x[80], y[80], xd[100], yd[100], mine[300];
        zr_hex_encode(x, enc, 32);
        zr_hex_encode(y, enc + 32, 32);
        assert_int_equal(zt_run(xd, sizeof xd, "'%s' to-dec 0x%s", c->cast, x), 0);
        assert_int_equal(zt_run(yd, sizeof yd, "'%s' to-dec 0x%s", c->cast, y), 0);
        snprintf(mine, sizeof mine, "[%s,%s]", xd, yd);
        assert_string_equal(got, mine);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ec_add_mul),
        cmocka_unit_test(test_pairing_products),
        cmocka_unit_test(test_aggregates),
        cmocka_unit_test(test_invalid_points),
        cmocka_unit_test(test_contract_library),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
