// SPDX-License-Identifier: MIT
// V3 keystores: the published Web3 Secret Storage pbkdf2 example decrypts to its key;
// files zara writes are read by `cast wallet address --keystore`; files `cast wallet new`
// and `cast wallet import` write are read by zara (same key, same address); wrong
// passwords give ZR_EPASSWORD; malformed, hostile or tampered files give ZR_EKEYSTORE with
// a message and never reach the KDF; directory listing.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "zt.h"
#include "zara/ecdsa.h"
#include "zara/keystore.h"

#define CAST "node_modules/.bin/cast"
#define WEB3_KEY "7a28b5ba57c53603b0b07b56bba752f7784bf506fa95edc395f5cf6c7514fe9d"

static void test_published_pbkdf2(void **state)
{
    (void)state;
    uint8_t sk[32], addr[20], want[32];
    char err[200] = "";
    const char *p = zt_src_path("tests/vectors/keystore_v3_pbkdf2.json");
    assert_int_equal(zr_keystore_load(sk, addr, p, "testpassword", err, sizeof err), 0);
    zr_hex_decode_exact(want, 32, WEB3_KEY);
    assert_memory_equal(sk, want, 32);
    p = zt_src_path("tests/vectors/keystore_v3_pbkdf2.json");
    assert_int_equal(zr_keystore_load(sk, addr, p, "testpassworD", err, sizeof err), ZR_EPASSWORD);
    assert_non_null(strstr(err, "wrong password"));
}

static void test_published_scrypt_r1(void **state)
{
    (void)state;
    /* n = 262144 with r = 1 is outside RFC 7914's n < 2^(16r): refused before any work */
    zr_buf_t f;
    zt_read_file("tests/vectors/keystore_v3_scrypt.json", &f);
    zr_keystore_t ks;
    char err[200] = "";
    assert_int_equal(zr_keystore_parse(&ks, (const char *)f.data, f.len, err, sizeof err), ZR_EKEYSTORE);
    assert_non_null(strstr(err, "2^(16*r)"));
    zr_buf_cleanup(&f);
}

static void test_roundtrip(void **state)
{
    (void)state;
    uint8_t sk[32], back[32], addr[20];
    assert_int_equal(zr_ecdsa_seckey_generate(sk), 0);
    zr_ecdsa_seckey_address(addr, sk);
    zr_buf_t j;
    zr_buf_init(&j, ZR_KEYSTORE_MAX_FILE);
    assert_int_equal(zr_keystore_encrypt(&j, sk, "pässword with spaces", 1024), 0);
    /* the key never appears in the file */
    char skh[65];
    zr_hex_encode(skh, sk, 32);
    assert_null(strstr(zr_buf_cstr(&j), skh));
    zr_keystore_t ks;
    char err[200];
    assert_int_equal(zr_keystore_parse(&ks, (const char *)j.data, j.len, err, sizeof err), 0);
    assert_int_equal(ks.kdf, ZR_KEYSTORE_KDF_SCRYPT);
    assert_int_equal(ks.scrypt_n, 1024);
    assert_int_equal(ks.scrypt_r, 8);
    assert_int_equal(ks.scrypt_p, 1);
    assert_int_equal(ks.salt_len, 32);
    assert_true(ks.has_address);
    assert_memory_equal(ks.address, addr, 20);
    assert_int_equal(strlen(ks.id), 36);
    assert_int_equal(ks.id[14], '4'); /* UUID version 4 */
    assert_int_equal(zr_keystore_decrypt(back, &ks, "pässword with spaces", err, sizeof err), 0);
    assert_memory_equal(back, sk, 32);
    assert_int_equal(zr_keystore_decrypt(back, &ks, "password with spaces", err, sizeof err), ZR_EPASSWORD);
    assert_int_equal(zr_keystore_decrypt(back, &ks, "", err, sizeof err), ZR_EPASSWORD);
    /* parameters are checked on write */
    assert_int_equal(zr_keystore_encrypt(&j, sk, "x", 1000), ZR_EINVAL);
    assert_int_equal(zr_keystore_encrypt(&j, sk, "x", ZR_KEYSTORE_MAX_SCRYPT_N * 2), ZR_EINVAL);
    uint8_t zero[32] = {0};
    assert_int_equal(zr_keystore_encrypt(&j, zero, "x", 1024), ZR_EBADKEY);
    zr_buf_cleanup(&j);
    zr_wipe(sk, sizeof sk);
}

/* zara writes (light and standard n) → cast reads */
static void test_cast_reads_zara(void **state)
{
    (void)state;
    char *dir = zt_tmpdir();
    const uint32_t ns[] = {ZR_KEYSTORE_SCRYPT_N_LIGHT, ZR_KEYSTORE_SCRYPT_N_STANDARD};
    for (size_t i = 0; i < ZR_ARRAY_LEN(ns); i++) {
        uint8_t sk[32], addr[20];
        assert_int_equal(zr_ecdsa_seckey_generate(sk), 0);
        zr_ecdsa_seckey_address(addr, sk);
        char path[1024], want[ZR_ADDR_STR_LEN], out[256];
        assert_int_equal(zr_keystore_save(path, sizeof path, dir, sk, "zara-pw", ns[i]), 0);
        /* geth's file name and a private mode */
        const char *base = strrchr(path, '/') + 1;
        char lower[ZR_ADDR_STR_LEN];
        zr_addr_format_lower(lower, addr);
        assert_int_equal(strncmp(base, "UTC--", 5), 0);
        assert_string_equal(base + strlen(base) - 40, lower + 2);
        struct stat st;
        assert_int_equal(stat(path, &st), 0);
        assert_int_equal(st.st_mode & 0777, 0600);
        zr_addr_format(want, addr);
        assert_int_equal(zt_run(out, sizeof out, "'%s' wallet address --keystore '%s' --password zara-pw",
                                zt_src_path(CAST), path),
                         0);
        assert_string_equal(out, want);
        /* and cast refuses a wrong password on our file (cast 1.7.1 still exits 0 then) */
        zt_run(out, sizeof out, "'%s' wallet address --keystore '%s' --password nope 2>&1", zt_src_path(CAST), path);
        assert_non_null(strstr(out, "Mac Mismatch"));
        assert_null(strstr(out, want));
        zr_wipe(sk, sizeof sk);
    }
    zt_rmtree(dir);
    free(dir);
}

/* cast writes (new and import) → zara reads */
static void test_zara_reads_cast(void **state)
{
    (void)state;
    char *dir = zt_tmpdir();
    char out[1024];
    /* import a known key: zara must decrypt exactly that key */
    assert_int_equal(zt_run(out, sizeof out,
                            "'%s' wallet import imported --keystore-dir '%s' --private-key 0x%s "
                            "--unsafe-password 'cast pw' 2>&1",
                            zt_src_path(CAST), dir, ZT_ANVIL_KEY1),
                     0);
    char path[1024];
    snprintf(path, sizeof path, "%s/imported", dir);
    uint8_t sk[32], addr[20], want[32];
    char err[200] = "", a[ZR_ADDR_STR_LEN];
    assert_int_equal(zr_keystore_load(sk, addr, path, "cast pw", err, sizeof err), 0);
    zr_hex_decode_exact(want, 32, ZT_ANVIL_KEY1);
    assert_memory_equal(sk, want, 32);
    zr_addr_format(a, addr);
    assert_string_equal(a, ZT_ANVIL_ADDR1);
    assert_int_equal(zr_keystore_load(sk, addr, path, "cast PW", err, sizeof err), ZR_EPASSWORD);

    /* a fresh cast wallet: zara derives the address cast printed */
    char sub[1100];
    snprintf(sub, sizeof sub, "%s/new", dir);
    assert_int_equal(zr_mkdirs(sub, 0700), 0);
    assert_int_equal(zt_run(out, sizeof out, "'%s' wallet new '%s' --unsafe-password pw2 2>&1", zt_src_path(CAST), sub), 0);
    const char *addr_line = strstr(out, "Address:");
    assert_non_null(addr_line);
    char cast_addr[ZR_ADDR_STR_LEN];
    assert_int_equal(sscanf(addr_line, "Address: %42s", cast_addr), 1);
    zr_keystore_entry_t *list = NULL;
    size_t n = 0;
    assert_int_equal(zr_keystore_list(&list, &n, sub), 0);
    assert_int_equal(n, 1);
    assert_false(list[0].has_address); /* cast leaves the address out */
    assert_int_equal(zr_keystore_load(sk, addr, list[0].path, "pw2", err, sizeof err), 0);
    zr_addr_format(a, addr);
    assert_string_equal(a, cast_addr);
    zr_keystore_list_free(list, n);
    zr_wipe(sk, sizeof sk);
    zt_rmtree(dir);
    free(dir);
}

/* Replaces the first occurrence of from with to in a keystore JSON text. */
static char *edit(const char *json, const char *from, const char *to)
{
    const char *p = strstr(json, from);
    assert_non_null(p);
    char *out = malloc(strlen(json) + strlen(to) + 1);
    size_t pre = (size_t)(p - json);
    memcpy(out, json, pre);
    strcpy(out + pre, to);
    strcat(out, p + strlen(from));
    return out;
}

static void expect_parse_error(const char *json, int want, const char *needle)
{
    zr_keystore_t ks;
    char err[256] = "";
    clock_t t0 = clock();
    int rc = zr_keystore_parse(&ks, json, strlen(json), err, sizeof err);
    if (rc != want)
        fail_msg("parse gave %d (%s), wanted %d, for %s", rc, err, want, json);
    if (needle && !strstr(err, needle))
        fail_msg("message '%s' lacks '%s'", err, needle);
    assert_true(clock() - t0 < CLOCKS_PER_SEC); /* never ran a KDF */
}

static void test_malformed(void **state)
{
    (void)state;
    zr_buf_t f;
    zt_read_file("tests/vectors/keystore_v3_pbkdf2.json", &f);
    const char *good = zr_buf_cstr(&f);
    expect_parse_error("", ZR_EJSON, "not valid JSON");
    expect_parse_error("{\"crypto\":", ZR_EJSON, "not valid JSON");
    expect_parse_error("[]", ZR_EKEYSTORE, "not a JSON object");
    struct {
        const char *from, *to, *needle;
    } cases[] = {
        {"\"version\":3", "\"version\":2", "version"},
        {"\"version\":3", "\"version\":\"3\"", "version"},
        {"\"crypto\"", "\"cryptography\"", "crypto"},
        {"aes-128-ctr", "aes-256-ctr", "not supported"},
        {"\"iv\":\"6087dab2f9fdbbfaddc31a909735c1e6\"", "\"iv\":\"6087dab2\"", "iv"},
        {"\"iv\":\"6087dab2f9fdbbfaddc31a909735c1e6\"", "\"iv\":\"zz87dab2f9fdbbfaddc31a909735c1e6\"", "iv"},
        {"\"ciphertext\":\"5318", "\"ciphertext\":\"18", "ciphertext"},
        {"\"mac\":\"517e", "\"mac\":\"7e", "mac"},
        {"\"dklen\":32", "\"dklen\":16", "dklen"},
        {"\"c\":262144", "\"c\":0", "kdfparams.c"},
        {"\"c\":262144", "\"c\":100000000", "kdfparams.c"},
        {"\"c\":262144", "\"c\":-1", "kdfparams.c"},
        {"hmac-sha256", "hmac-sha512", "prf"},
        {"\"kdf\":\"pbkdf2\"", "\"kdf\":\"argon2\"", "not supported"},
        {"\"salt\":\"ae3c", "\"salt\":\"e3c", "salt"},
        {"\"id\":", "\"address\":12,\"id\":", "address"},
        {"\"id\":", "\"address\":\"0x1234\",\"id\":", "address"},
        {"\"version\":3", "\"version\":3,\"type\":\"bls-bn254\"", "not an Ethereum key"},
    };
    for (size_t i = 0; i < ZR_ARRAY_LEN(cases); i++) {
        char *bad = edit(good, cases[i].from, cases[i].to);
        expect_parse_error(bad, ZR_EKEYSTORE, cases[i].needle);
        free(bad);
    }
    /* hostile scrypt parameters are refused before any memory is asked for */
    const char *scrypt_tmpl = "{\"crypto\":{\"cipher\":\"aes-128-ctr\",\"cipherparams\":{\"iv\":\"00000000000000000000"
                              "000000000000\"},\"ciphertext\":\"%s\",\"kdf\":\"scrypt\",\"kdfparams\":{\"dklen\":32,"
                              "\"n\":%s,\"r\":%s,\"p\":%s,\"salt\":\"00\"},\"mac\":\"%s\"},\"version\":3}";
    const char *z64 = "0000000000000000000000000000000000000000000000000000000000000000";
    struct {
        const char *n, *r, *p, *needle;
    } hostile[] = {
        {"1073741824", "8", "1", "kdfparams.n"},   /* 2^30 */
        {"1048576", "32", "1", "exceed the limits"}, /* 4 GiB */
        {"262144", "8", "16", "exceed the limits"},  /* too much work */
        {"262144", "64", "1", "kdfparams.r"},
        {"262144", "8", "17", "kdfparams.p"},
        {"262143", "8", "1", "power of two"},
        {"1", "8", "1", "power of two"},
        {"0", "8", "1", "kdfparams.n"},
        {"4096.0", "8", "1", "must be an integer"},
        {"\"4096\"", "8", "1", "must be an integer"},
    };
    for (size_t i = 0; i < ZR_ARRAY_LEN(hostile); i++) {
        char buf[1024];
        snprintf(buf, sizeof buf, scrypt_tmpl, z64, hostile[i].n, hostile[i].r, hostile[i].p, z64);
        expect_parse_error(buf, ZR_EKEYSTORE, hostile[i].needle);
    }
    /* the limits themselves are accepted */
    char buf[1024];
    snprintf(buf, sizeof buf, scrypt_tmpl, z64, "262144", "8", "1", z64);
    expect_parse_error(buf, 0, NULL);
    snprintf(buf, sizeof buf, scrypt_tmpl, z64, "1048576", "4", "4", z64);
    expect_parse_error(buf, 0, NULL);
    /* too big to be a keystore */
    char *huge = malloc(ZR_KEYSTORE_MAX_FILE + 2);
    memset(huge, ' ', ZR_KEYSTORE_MAX_FILE + 1);
    huge[ZR_KEYSTORE_MAX_FILE + 1] = 0;
    expect_parse_error(huge, ZR_ETOOBIG, "larger");
    free(huge);
    zr_buf_cleanup(&f);
}

static void test_tampered(void **state)
{
    (void)state;
    uint8_t sk[32], other[32], back[32];
    zr_hex_decode_exact(sk, 32, ZT_ANVIL_KEY0);
    zr_hex_decode_exact(other, 32, ZT_ANVIL_KEY1);
    zr_buf_t j;
    zr_buf_init(&j, ZR_KEYSTORE_MAX_FILE);
    assert_int_equal(zr_keystore_encrypt(&j, sk, "pw", 256), 0);
    /* a file that claims another address: decrypts, but the key does not match it */
    uint8_t a0[20], a1[20];
    zr_ecdsa_seckey_address(a0, sk);
    zr_ecdsa_seckey_address(a1, other);
    char h0[41], h1[41];
    zr_hex_encode(h0, a0, 20);
    zr_hex_encode(h1, a1, 20);
    char *swapped = edit(zr_buf_cstr(&j), h0, h1);
    zr_keystore_t ks;
    char err[200] = "";
    assert_int_equal(zr_keystore_parse(&ks, swapped, strlen(swapped), err, sizeof err), 0);
    assert_int_equal(zr_keystore_decrypt(back, &ks, "pw", err, sizeof err), ZR_EKEYSTORE);
    assert_non_null(strstr(err, "does not belong"));
    free(swapped);
    /* a flipped ciphertext bit breaks the MAC: indistinguishable from a wrong password */
    assert_int_equal(zr_keystore_parse(&ks, (const char *)j.data, j.len, err, sizeof err), 0);
    ks.ciphertext[5] ^= 1;
    assert_int_equal(zr_keystore_decrypt(back, &ks, "pw", err, sizeof err), ZR_EPASSWORD);
    zr_buf_cleanup(&j);
}

static void test_list_and_load_errors(void **state)
{
    (void)state;
    char *dir = zt_tmpdir();
    zr_keystore_entry_t *list = NULL;
    size_t n = 99;
    char missing[1100];
    snprintf(missing, sizeof missing, "%s/none", dir);
    assert_int_equal(zr_keystore_list(&list, &n, missing), 0);
    assert_int_equal(n, 0);
    uint8_t sk[32], addr[20];
    char path[1024], err[200];
    for (int i = 0; i < 3; i++) {
        assert_int_equal(zr_ecdsa_seckey_generate(sk), 0);
        assert_int_equal(zr_keystore_save(path, sizeof path, dir, sk, "pw", 256), 0);
    }
    char junk[1100];
    snprintf(junk, sizeof junk, "%s/notes.txt", dir);
    assert_int_equal(zr_file_write_atomic(junk, "hello", 5, 0600), 0);
    snprintf(junk, sizeof junk, "%s/subdir", dir);
    assert_int_equal(zr_mkdirs(junk, 0700), 0);
    assert_int_equal(zr_keystore_list(&list, &n, dir), 0);
    assert_int_equal(n, 3);
    for (size_t i = 0; i < n; i++) {
        assert_true(list[i].has_address);
        if (i)
            assert_true(strcmp(list[i - 1].path, list[i].path) < 0);
    }
    assert_int_equal(zr_keystore_load(sk, addr, list[2].path, "pw", err, sizeof err), 0);
    assert_memory_equal(addr, list[2].address, 20);
    zr_keystore_list_free(list, n);
    zr_keystore_list_free(NULL, 0);
    snprintf(junk, sizeof junk, "%s/notes.txt", dir);
    assert_int_equal(zr_keystore_load(sk, addr, junk, "pw", err, sizeof err), ZR_EJSON);
    assert_int_equal(zr_keystore_load(sk, addr, missing, "pw", err, sizeof err), ZR_ENOENT);
    assert_non_null(strstr(err, "cannot read keystore"));
    zr_wipe(sk, sizeof sk);
    zt_rmtree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_published_pbkdf2), cmocka_unit_test(test_published_scrypt_r1),
        cmocka_unit_test(test_roundtrip),        cmocka_unit_test(test_cast_reads_zara),
        cmocka_unit_test(test_zara_reads_cast),  cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_tampered),         cmocka_unit_test(test_list_and_load_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
