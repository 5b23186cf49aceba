// SPDX-License-Identifier: MIT
// BLS on BN254: keys, signatures, γ values, operator ids, aggregates and proofs of
// possession against @noble/curves vectors (tests/vectors/bn254_vectors.json); rejection of
// wrong messages, keys and signatures; key derivation from seeds; the keystore round trip,
// wrong passwords, tampering and bounds.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zt.h"
#include "zara/bls.h"
#include "zara/keccak.h"

static json_t *vectors;

static int setup(void **state)
{
    (void)state;
    zr_buf_t f;
    zt_read_file("tests/vectors/bn254_vectors.json", &f);
    char err[200];
    int rc = zr_json_parse((const char *)f.data, f.len, f.len + 1, &vectors, err, sizeof err);
    zr_buf_cleanup(&f);
    return rc;
}

static int teardown(void **state)
{
    (void)state;
    json_decref(vectors);
    return 0;
}

static json_t *vec(const char *name)
{
    json_t *a = json_object_get(vectors, name);
    assert_non_null(a);
    assert_true(json_array_size(a) > 0);
    return a;
}

static void unhex(uint8_t *out, size_t n, const char *hex)
{
    assert_non_null(hex);
    assert_int_equal(zr_hex_decode_exact(out, n, hex), 0);
}

static void assert_hex(const uint8_t *b, size_t n, const char *want)
{
    char got[520];
    zr_hex_encode(got, b, n);
    assert_string_equal(got, want);
}

static void key_from_hex(zr_bls_secret_t *sk, const char *hex)
{
    uint8_t b[32];
    unhex(b, 32, hex);
    assert_int_equal(zr_bls_secret_from_bytes(sk, b), 0);
}

static void test_sign_vectors(void **state)
{
    (void)state;
    size_t i;
    json_t *e;
    json_array_foreach(vec("bls"), i, e) {
        zr_bls_secret_t sk;
        zr_bls_pubkey_t pk, dec;
        zr_bn254_g1_t sig;
        uint8_t g1[64], g2[128], msg[32], sb[64], id[32], gb[32];
        key_from_hex(&sk, zr_json_str(e, "sk"));
        zr_bls_pubkey_from_secret(&pk, &sk);
        zr_bls_pubkey_encode(g1, g2, &pk);
        assert_hex(g1, 64, zr_json_str(e, "pk_g1"));
        assert_hex(g2, 128, zr_json_str(e, "pk_g2"));
        assert_int_equal(zr_bls_pubkey_decode(&dec, g1, g2), 0);
        zr_bls_operator_id(id, &pk.g1);
        assert_hex(id, 32, zr_json_str(e, "operator_id"));
        unhex(msg, 32, zr_json_str(e, "msg"));
        zr_bls_sign(&sig, &sk, msg);
        zr_bn254_g1_encode(sb, &sig);
        assert_hex(sb, 64, zr_json_str(e, "sig"));
        zr_bn254_fr_t gamma;
        zr_bls_gamma(&gamma, msg, &pk.g1, &pk.g2, &sig);
        zr_bn254_fr_to_bytes(gb, &gamma);
        assert_hex(gb, 32, zr_json_str(e, "gamma"));
        assert_int_equal(zr_bls_verify(&pk.g1, &pk.g2, msg, &sig), 0);
        assert_int_equal(zr_bls_verify_g2(&pk.g2, msg, &sig), 0);
        /* a different message, key or signature fails */
        uint8_t msg2[32];
        memcpy(msg2, msg, 32);
        msg2[5] ^= 1;
        assert_int_equal(zr_bls_verify(&pk.g1, &pk.g2, msg2, &sig), ZR_EVERIFY);
        assert_int_equal(zr_bls_verify_g2(&pk.g2, msg2, &sig), ZR_EVERIFY);
        zr_bn254_g1_t sig2, gen;
        zr_bn254_g1_generator(&gen);
        zr_bn254_g1_add(&sig2, &sig, &gen);
        assert_int_equal(zr_bls_verify(&pk.g1, &pk.g2, msg, &sig2), ZR_EVERIFY);
        /* a G1 key that does not match the G2 key: the γ trick catches it */
        zr_bn254_g1_t wrong;
        zr_bn254_g1_add(&wrong, &pk.g1, &pk.g1);
        assert_int_equal(zr_bls_verify(&wrong, &pk.g2, msg, &sig), ZR_EVERIFY);
        zr_bn254_g1_encode(sb, &wrong);
        assert_int_equal(zr_bls_pubkey_decode(&dec, sb, g2), ZR_EBADKEY);
        zr_bls_secret_wipe(&sk);
    }
}

static void test_infinity_rejected(void **state)
{
    (void)state;
    zr_bls_secret_t sk;
    zr_bls_pubkey_t pk;
    zr_bn254_g1_t sig, inf1;
    zr_bn254_g2_t inf2;
    uint8_t msg[32] = {1, 2, 3};
    assert_int_equal(zr_bls_secret_from_seed(&sk, (const uint8_t *)"0123456789abcdef0123456789abcdef", 32), 0);
    zr_bls_pubkey_from_secret(&pk, &sk);
    zr_bls_sign(&sig, &sk, msg);
    zr_bn254_g1_infinity(&inf1);
    zr_bn254_g2_infinity(&inf2);
    assert_int_equal(zr_bls_verify(&pk.g1, &pk.g2, msg, &sig), 0);
    assert_int_equal(zr_bls_verify(&pk.g1, &pk.g2, msg, &inf1), ZR_EBADSIG);
    assert_int_equal(zr_bls_verify(&inf1, &pk.g2, msg, &sig), ZR_EBADKEY);
    assert_int_equal(zr_bls_verify(&pk.g1, &inf2, msg, &sig), ZR_EBADKEY);
    assert_int_equal(zr_bls_verify_g2(&inf2, msg, &sig), ZR_EBADKEY);
    uint8_t z1[64] = {0}, z2[128] = {0}, g1[64], g2[128];
    zr_bls_pubkey_encode(g1, g2, &pk);
    zr_bls_pubkey_t dec;
    assert_int_equal(zr_bls_pubkey_decode(&dec, z1, g2), ZR_EBADKEY);
    assert_int_equal(zr_bls_pubkey_decode(&dec, g1, z2), ZR_EBADKEY);
}

static void test_secret_bounds(void **state)
{
    (void)state;
    zr_bls_secret_t sk;
    uint8_t b[32] = {0};
    assert_int_equal(zr_bls_secret_from_bytes(&sk, b), ZR_EBADKEY); /* 0 */
    unhex(b, 32, "30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001");
    assert_int_equal(zr_bls_secret_from_bytes(&sk, b), ZR_EBADKEY); /* r */
    b[31] = 0;
    assert_int_equal(zr_bls_secret_from_bytes(&sk, b), 0); /* r - 1 */
    uint8_t out[32];
    zr_bls_secret_to_bytes(out, &sk);
    assert_memory_equal(out, b, 32);
    /* seeds: deterministic, distinct, at least 32 bytes */
    zr_bls_secret_t a, c;
    uint8_t seed[40];
    for (int i = 0; i < 40; i++)
        seed[i] = (uint8_t)i;
    assert_int_equal(zr_bls_secret_from_seed(&a, seed, 31), ZR_EINVAL);
    assert_int_equal(zr_bls_secret_from_seed(&a, seed, 40), 0);
    assert_int_equal(zr_bls_secret_from_seed(&c, seed, 40), 0);
    assert_memory_equal(&a, &c, sizeof a);
    seed[39] ^= 1;
    assert_int_equal(zr_bls_secret_from_seed(&c, seed, 40), 0);
    assert_memory_not_equal(&a, &c, sizeof a);
    /* the seed rule as documented: (keccak(seed‖0) ‖ keccak(seed‖1)) mod r */
    uint8_t s0[41], wide[64];
    memcpy(s0, seed, 40);
    s0[40] = 0;
    zr_keccak256(wide, s0, 41);
    s0[40] = 1;
    zr_keccak256(wide + 32, s0, 41);
    zr_bn254_fr_t want;
    zr_bn254_fr_from_bytes_wide(&want, wide, 64);
    assert_memory_equal(&want, &c.k, sizeof want);
    /* the CSPRNG gives valid, distinct keys */
    assert_int_equal(zr_bls_secret_generate(&a), 0);
    assert_int_equal(zr_bls_secret_generate(&c), 0);
    assert_false(zr_bn254_fr_is_zero(&a.k));
    assert_memory_not_equal(&a, &c, sizeof a);
}

static void test_aggregate_vectors(void **state)
{
    (void)state;
    size_t i, j;
    json_t *e, *s;
    json_array_foreach(vec("aggregate"), i, e) {
        uint8_t msg[32], b1[64], b2[128], gb[32];
        unhex(msg, 32, zr_json_str(e, "msg"));
        json_t *sks = json_object_get(e, "sks");
        size_t n = json_array_size(sks);
        zr_bn254_g1_t *sigs = calloc(n, sizeof *sigs), *g1s = calloc(n, sizeof *g1s);
        zr_bn254_g2_t *g2s = calloc(n, sizeof *g2s);
        json_array_foreach(sks, j, s) {
            zr_bls_secret_t sk;
            zr_bls_pubkey_t pk;
            key_from_hex(&sk, json_string_value(s));
            zr_bls_pubkey_from_secret(&pk, &sk);
            zr_bls_sign(&sigs[j], &sk, msg);
            g1s[j] = pk.g1;
            g2s[j] = pk.g2;
        }
        zr_bn254_g1_t apk1, sig;
        zr_bn254_g2_t apk2;
        zr_bls_aggregate_g1(&apk1, g1s, n);
        zr_bls_aggregate_g2(&apk2, g2s, n);
        zr_bls_aggregate_g1(&sig, sigs, n);
        zr_bn254_g1_encode(b1, &apk1);
        assert_hex(b1, 64, zr_json_str(e, "apk_g1"));
        zr_bn254_g2_encode(b2, &apk2);
        assert_hex(b2, 128, zr_json_str(e, "apk_g2"));
        zr_bn254_g1_encode(b1, &sig);
        assert_hex(b1, 64, zr_json_str(e, "sig"));
        zr_bn254_fr_t gamma;
        zr_bls_gamma(&gamma, msg, &apk1, &apk2, &sig);
        zr_bn254_fr_to_bytes(gb, &gamma);
        assert_hex(gb, 32, zr_json_str(e, "gamma"));
        assert_int_equal(zr_bls_verify(&apk1, &apk2, msg, &sig), 0);
        /* one signer missing from the signature: fails */
        if (n > 1) {
            zr_bls_aggregate_g1(&sig, sigs, n - 1);
            assert_int_equal(zr_bls_verify(&apk1, &apk2, msg, &sig), ZR_EVERIFY);
        }
        free(sigs);
        free(g1s);
        free(g2s);
    }
}

static void test_verify_batch(void **state)
{
    (void)state;
    enum { N = 12 };
    zr_bn254_g2_t pks[N];
    zr_bn254_g1_t sigs[N];
    uint8_t msg[32];
    zr_keccak256(msg, "batch", 5);
    for (int i = 0; i < N; i++) {
        uint8_t seed[32] = {0};
        seed[0] = (uint8_t)(i + 1);
        zr_bls_secret_t sk;
        zr_bls_pubkey_t pk;
        assert_int_equal(zr_bls_secret_from_seed(&sk, seed, 32), 0);
        zr_bls_pubkey_from_secret(&pk, &sk);
        pks[i] = pk.g2;
        zr_bls_sign(&sigs[i], &sk, msg);
    }
    assert_int_equal(zr_bls_verify_batch(pks, sigs, N, msg), 0);
    assert_int_equal(zr_bls_verify_batch(pks, sigs, 1, msg), 0);
    assert_int_equal(zr_bls_verify_batch(pks, sigs, 0, msg), ZR_EINVAL);
    /* two signatures swapped: each is valid for the other key, the batch is not */
    zr_bn254_g1_t t = sigs[3];
    sigs[3] = sigs[4];
    sigs[4] = t;
    assert_int_equal(zr_bls_verify_batch(pks, sigs, N, msg), ZR_EVERIFY);
    sigs[4] = sigs[3];
    sigs[3] = t;
    /* a signature on another message */
    uint8_t other[32];
    zr_keccak256(other, "other", 5);
    assert_int_equal(zr_bls_verify_batch(pks, sigs, N, other), ZR_EVERIFY);
    zr_bn254_g1_infinity(&sigs[7]);
    assert_int_equal(zr_bls_verify_batch(pks, sigs, N, msg), ZR_EBADSIG);
}

static void test_pop_vectors(void **state)
{
    (void)state;
    size_t i;
    json_t *e;
    json_array_foreach(vec("pop"), i, e) {
        zr_bls_secret_t sk;
        zr_bls_pubkey_t pk;
        uint8_t op[20], gov[20], m[32], sb[64];
        key_from_hex(&sk, zr_json_str(e, "sk"));
        zr_bls_pubkey_from_secret(&pk, &sk);
        unhex(op, 20, zr_json_str(e, "operator"));
        unhex(gov, 20, zr_json_str(e, "governance"));
        uint64_t chain = (uint64_t)json_integer_value(json_object_get(e, "chain_id"));
        zr_bls_pop_message(m, op, chain, gov);
        assert_hex(m, 32, zr_json_str(e, "message"));
        zr_bn254_g1_t sig;
        zr_bls_pop_prove(&sig, &sk, op, chain, gov);
        zr_bn254_g1_encode(sb, &sig);
        assert_hex(sb, 64, zr_json_str(e, "sig"));
        assert_int_equal(zr_bls_pop_verify(&pk, op, chain, gov, &sig), 0);
        assert_int_equal(zr_bls_pop_verify(&pk, op, chain + 1, gov, &sig), ZR_EVERIFY);
        op[0] ^= 1;
        assert_int_equal(zr_bls_pop_verify(&pk, op, chain, gov, &sig), ZR_EVERIFY);
    }
}

static void test_keystore(void **state)
{
    (void)state;
    zr_bls_secret_t sk, back;
    zr_bls_pubkey_t pk, kpk;
    assert_int_equal(zr_bls_secret_generate(&sk), 0);
    zr_bls_pubkey_from_secret(&pk, &sk);
    zr_buf_t b;
    zr_buf_init(&b, 1 << 16);
    assert_int_equal(zr_bls_keystore_encrypt(&b, &sk, "correct horse", 1024), 0);
    char err[200] = "";
    assert_int_equal(zr_bls_keystore_decrypt(&back, (const char *)b.data, b.len, "correct horse", err, sizeof err), 0);
    assert_memory_equal(&sk, &back, sizeof sk);
    assert_int_equal(zr_bls_keystore_pubkey(&kpk, (const char *)b.data, b.len, err, sizeof err), 0);
    assert_true(zr_bn254_g1_eq(&kpk.g1, &pk.g1));
    assert_true(zr_bn254_g2_eq(&kpk.g2, &pk.g2));
    assert_int_equal(zr_bls_keystore_decrypt(&back, (const char *)b.data, b.len, "wrong", err, sizeof err),
                     ZR_EPASSWORD);
    assert_non_null(strstr(err, "password"));
    /* the JSON is what bls.h documents */
    json_t *j;
    char jerr[100];
    assert_int_equal(zr_json_parse((const char *)b.data, b.len, b.len + 1, &j, jerr, sizeof jerr), 0);
    json_t *c = json_object_get(j, "crypto");
    assert_string_equal(zr_json_str(c, "cipher"), "aes-128-ctr");
    assert_string_equal(zr_json_str(c, "kdf"), "scrypt");
    assert_int_equal(json_integer_value(json_object_get(json_object_get(c, "kdfparams"), "n")), 1024);
    assert_string_equal(zr_json_str(j, "type"), "bls-bn254");
    /* tampering: flip a ciphertext digit -> MAC mismatch */
    char *txt = strdup((const char *)b.data);
    char *ct = strstr(txt, "\"ciphertext\":\"") + 14;
    *ct = *ct == '0' ? '1' : '0';
    assert_int_equal(zr_bls_keystore_decrypt(&back, txt, strlen(txt), "correct horse", err, sizeof err), ZR_EPASSWORD);
    free(txt);
    /* hostile parameters are refused before any work */
    txt = strdup((const char *)b.data);
    char *n = strstr(txt, "\"n\":1024");
    memcpy(n, "\"n\":1023", 8);
    assert_int_equal(zr_bls_keystore_decrypt(&back, txt, strlen(txt), "correct horse", err, sizeof err), ZR_EKEYSTORE);
    free(txt);
    assert_int_equal(zr_bls_keystore_decrypt(&back, "{\"version\":3}", 13, "x", err, sizeof err), ZR_EKEYSTORE);
    assert_int_equal(zr_bls_keystore_decrypt(&back, "not json", 8, "x", err, sizeof err), ZR_EJSON);
    /* a keystore whose public key was swapped for another key's is refused */
    zr_bls_secret_t other;
    zr_bls_pubkey_t opk;
    zr_bls_secret_generate(&other);
    zr_bls_pubkey_from_secret(&opk, &other);
    uint8_t g1[64], g2[128];
    char h1[257], h2[257];
    zr_bls_pubkey_encode(g1, g2, &pk);
    zr_hex_encode(h1, g1, 64);
    zr_bls_pubkey_encode(g1, g2, &opk);
    zr_hex_encode(h2, g1, 64);
    txt = strdup((const char *)b.data);
    char *at = strstr(txt, h1);
    assert_non_null(at);
    memcpy(at, h2, 128);
    char *g2at;
    zr_bls_pubkey_encode(g1, g2, &pk);
    zr_hex_encode(h1, g2, 128);
    zr_bls_pubkey_encode(g1, g2, &opk);
    char h2b[257];
    zr_hex_encode(h2b, g2, 128);
    g2at = strstr(txt, h1);
    assert_non_null(g2at);
    memcpy(g2at, h2b, 256);
    assert_int_equal(zr_bls_keystore_decrypt(&back, txt, strlen(txt), "correct horse", err, sizeof err), ZR_EKEYSTORE);
    free(txt);
    json_decref(j);
    /* files */
    char *dir = zt_tmpdir();
    char path[512];
    snprintf(path, sizeof path, "%s/bls.json", dir);
    assert_int_equal(zr_bls_keystore_save(path, &sk, "pw", 512), 0);
    assert_int_equal(zr_bls_keystore_load(&back, path, "pw", err, sizeof err), 0);
    assert_memory_equal(&sk, &back, sizeof sk);
    zt_rmtree(dir);
    free(dir);
    zr_buf_cleanup(&b);
    assert_int_equal(zr_bls_keystore_encrypt(&b, &sk, "pw", 1000), ZR_EINVAL);
}

static void test_cli(void **state)
{
    (void)state;
    const char *zara = getenv("ZARA_BIN");
    if (!zara || !*zara)
        skip();
    char *dir = zt_tmpdir(), out[4096], cmd[1024];
    snprintf(cmd, sizeof cmd, "cd '%s' && printf 'pw\\n' > pw && '%s'", dir, zara);
    /* keygen from a seed file: deterministic, the same key as the library derives */
    assert_int_equal(zt_run(out, sizeof out, "%s bls keygen --out ks.json --password-file pw --scrypt-n 1024 "
                            "--seed-file pw 2>&1", cmd), 1); /* the seed is too short */
    assert_int_equal(zt_run(out, sizeof out, "cd '%s' && head -c 40 /dev/zero > seed && '%s' bls keygen --out ks.json "
                            "--password-file pw --scrypt-n 1024 --seed-file seed --json", dir, zara), 0);
    json_t *j;
    assert_int_equal(zr_json_parse(out, strlen(out), sizeof out, &j, NULL, 0), 0);
    zr_bls_secret_t sk;
    zr_bls_pubkey_t pk;
    uint8_t seed[40] = {0}, g1[64], g2[128];
    char h1[131] = "0x", h2[259] = "0x";
    assert_int_equal(zr_bls_secret_from_seed(&sk, seed, 40), 0);
    zr_bls_pubkey_from_secret(&pk, &sk);
    zr_bls_pubkey_encode(g1, g2, &pk);
    zr_hex_encode(h1 + 2, g1, 64);
    zr_hex_encode(h2 + 2, g2, 128);
    assert_string_equal(zr_json_str(j, "g1"), h1);
    assert_string_equal(zr_json_str(j, "g2"), h2);
    json_decref(j);
    /* a second keygen onto the same file is refused */
    assert_int_equal(zt_run(out, sizeof out, "%s bls keygen --out ks.json --password-file pw --scrypt-n 1024 2>&1", cmd), 1);
    /* pubkey without a password */
    assert_int_equal(zt_run(out, sizeof out, "%s bls pubkey --keystore ks.json --json", cmd), 0);
    assert_non_null(strstr(out, h1 + 2));
    /* sign = the library's signature; verify accepts it, and refuses another digest */
    uint8_t msg[32];
    char mh[67] = "0x", sig[200];
    for (int i = 0; i < 32; i++)
        msg[i] = (uint8_t)(0xa0 + i);
    zr_hex_encode(mh + 2, msg, 32);
    assert_int_equal(zt_run(sig, sizeof sig, "%s bls sign --keystore ks.json --password-file pw %s", cmd, mh), 0);
    zr_bn254_g1_t s;
    uint8_t sb[64];
    char sh[131] = "0x";
    zr_bls_sign(&s, &sk, msg);
    zr_bn254_g1_encode(sb, &s);
    zr_hex_encode(sh + 2, sb, 64);
    assert_string_equal(sig, sh);
    assert_int_equal(zt_run(out, sizeof out, "%s bls verify --g1 %s --g2 %s --sig %s %s", cmd, h1, h2, sig, mh), 0);
    assert_string_equal(out, "valid");
    assert_int_equal(zt_run(out, sizeof out, "%s bls verify --g2 %s --sig %s %s", cmd, h2, sig, mh), 0);
    mh[5] = mh[5] == '0' ? '1' : '0';
    assert_int_equal(zt_run(out, sizeof out, "%s bls verify --g1 %s --g2 %s --sig %s %s 2>&1", cmd, h1, h2, sig, mh), 1);
    /* wrong password, bad usage */
    assert_int_equal(zt_run(out, sizeof out, "cd '%s' && echo nope > bad && '%s' bls sign --keystore ks.json "
                            "--password-file bad %s 2>&1", dir, zara, mh), 1);
    assert_non_null(strstr(out, "wrong password"));
    assert_int_equal(zt_run(out, sizeof out, "%s bls sign --keystore ks.json 2>&1", cmd), 2);
    assert_int_equal(zt_run(out, sizeof out, "%s bls frobnicate 2>&1", cmd), 2);
    /* aggregate: sig + sig = 2 sig */
    assert_int_equal(zt_run(out, sizeof out, "%s bls aggregate %s %s", cmd, sig, sig), 0);
    zr_bn254_g1_add(&s, &s, &s);
    zr_bn254_g1_encode(sb, &s);
    zr_hex_encode(sh + 2, sb, 64);
    assert_string_equal(out, sh);
    assert_int_equal(zt_run(out, sizeof out, "%s bls aggregate 0x1234 2>&1", cmd), 1);
    /* pop: verifies with the library */
    assert_int_equal(zt_run(out, sizeof out, "%s bls pop --keystore ks.json --password-file pw --operator "
                            "0x00000000000000000000000000000000000000aa --chain-id 31337 --governance "
                            "0x00000000000000000000000000000000000000bb", cmd), 0);
    uint8_t op[20] = {0}, gov[20] = {0};
    op[19] = 0xaa;
    gov[19] = 0xbb;
    assert_int_equal(zr_hex_decode_exact(sb, 64, out), 0);
    assert_int_equal(zr_bn254_g1_decode(&s, sb), 0);
    assert_int_equal(zr_bls_pop_verify(&pk, op, 31337, gov, &s), 0);
    assert_int_equal(zt_run(out, sizeof out, "%s bls --help", cmd), 0);
    zr_bls_secret_wipe(&sk);
    zt_rmtree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sign_vectors),
        cmocka_unit_test(test_infinity_rejected),
        cmocka_unit_test(test_secret_bounds),
        cmocka_unit_test(test_aggregate_vectors),
        cmocka_unit_test(test_verify_batch),
        cmocka_unit_test(test_pop_vectors),
        cmocka_unit_test(test_keystore),
        cmocka_unit_test(test_cli),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
