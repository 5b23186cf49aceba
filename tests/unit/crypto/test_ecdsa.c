// SPDX-License-Identifier: MIT
// secp256k1/Ethereum: key → address vectors (anvil dev keys, edge keys), EIP-55's own
// examples, signatures identical to `cast wallet sign --no-hash` (from the vector file and
// live), EIP-191 hashes from `cast hash-message`, recovery, and rejection of bad input.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zt.h"
#include "zara/ecdsa.h"
#include "zara/keccak.h"

#define CAST "node_modules/.bin/cast"

static void unhex_exact(uint8_t *out, size_t n, const char *hex)
{
    assert_int_equal(zr_hex_decode_exact(out, n, hex), 0);
}

static void test_vector_file(void **state)
{
    (void)state;
    zr_buf_t f;
    zt_read_file("tests/vectors/ecdsa_secp256k1.txt", &f);
    char *save = NULL;
    int keys = 0, eip55 = 0, sigs = 0, msgs = 0;
    for (char *line = strtok_r((char *)f.data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char kind[16], a[200], b[200], c[200];
        if (line[0] == '#')
            continue;
        int n = sscanf(line, "%15s %199s %199s %199s", kind, a, b, c);
        if (strcmp(kind, "key") == 0) {
            assert_int_equal(n, 3);
            uint8_t sk[32], addr[20], pub[64], addr2[20];
            char s[ZR_ADDR_STR_LEN];
            assert_int_equal(zr_ecdsa_seckey_parse_hex(sk, a, strlen(a)), 0);
            assert_int_equal(zr_ecdsa_seckey_address(addr, sk), 0);
            zr_addr_format(s, addr);
            assert_string_equal(s, b);
            assert_int_equal(zr_ecdsa_pubkey_from_seckey(pub, sk), 0);
            zr_ecdsa_pubkey_address(addr2, pub);
            assert_memory_equal(addr, addr2, 20);
            assert_int_equal(zr_addr_parse(addr2, b), 0);
            assert_memory_equal(addr, addr2, 20);
            keys++;
        } else if (strcmp(kind, "eip55") == 0) {
            uint8_t addr[20];
            char s[ZR_ADDR_STR_LEN];
            assert_int_equal(zr_addr_parse(addr, a), 0);
            zr_addr_format(s, addr);
            /* EIP-55's all-caps and all-lowercase examples are the checksummed forms of
             * addresses whose letters happen to be all one case */
            assert_string_equal(s, a);
            eip55++;
        } else if (strcmp(kind, "sig") == 0) {
            assert_int_equal(n, 4);
            uint8_t sk[32], d[32], want[65], got[65], addr[20], addr2[20];
            unhex_exact(sk, 32, a);
            unhex_exact(d, 32, b);
            unhex_exact(want, 65, c);
            zr_sig_t sig;
            assert_int_equal(zr_ecdsa_sign(&sig, sk, d), 0);
            zr_ecdsa_sig_encode(got, &sig);
            assert_memory_equal(got, want, 65);
            zr_sig_t back;
            assert_int_equal(zr_ecdsa_sig_decode(&back, want), 0);
            assert_int_equal(zr_ecdsa_recover_address(addr, &back, d), 0);
            assert_int_equal(zr_ecdsa_seckey_address(addr2, sk), 0);
            assert_memory_equal(addr, addr2, 20);
            sigs++;
        } else if (strcmp(kind, "msg") == 0) {
            size_t len = 0;
            uint8_t *m = zt_unhex(a, &len);
            uint8_t want[32], got[32];
            unhex_exact(want, 32, b);
            zr_ecdsa_hash_message(got, m, len);
            assert_memory_equal(got, want, 32);
            free(m);
            msgs++;
        } else {
            fail_msg("unknown vector line: %s", line);
        }
    }
    assert_true(keys >= 6 && eip55 >= 8 && sigs >= 12 && msgs >= 3);
    zr_buf_cleanup(&f);
}

static void test_anvil_keys(void **state)
{
    (void)state;
    const char *keys[] = {ZT_ANVIL_KEY0, ZT_ANVIL_KEY1};
    const char *addrs[] = {ZT_ANVIL_ADDR0, ZT_ANVIL_ADDR1};
    for (int i = 0; i < 2; i++) {
        uint8_t sk[32], addr[20];
        char s[ZR_ADDR_STR_LEN];
        assert_int_equal(zr_ecdsa_seckey_parse_hex(sk, keys[i], strlen(keys[i])), 0);
        assert_int_equal(zr_ecdsa_seckey_address(addr, sk), 0);
        zr_addr_format(s, addr);
        assert_string_equal(s, addrs[i]);
    }
}

static void test_address_parse_errors(void **state)
{
    (void)state;
    uint8_t a[20];
    /* a wrong case in one letter of a checksummed address */
    assert_int_equal(zr_addr_parse(a, "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"), ZR_ECHECKSUM);
    assert_int_equal(zr_addr_parse(a, "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"), 0);
    assert_int_equal(zr_addr_parse(a, "5AAEB6053F3E94C9B9A09F33669435E7EF1BEAED"), 0);
    assert_int_equal(zr_addr_parse(a, "0x5aaeb6053f3e94c9b9a09f33669435e7ef1bea"), ZR_EADDRESS);
    assert_int_equal(zr_addr_parse(a, "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed00"), ZR_EADDRESS);
    assert_int_equal(zr_addr_parse(a, "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaeg"), ZR_EADDRESS);
    assert_int_equal(zr_addr_parse(a, ""), ZR_EADDRESS);
    assert_int_equal(zr_addr_parse(a, NULL), ZR_EADDRESS);
    char s[ZR_ADDR_STR_LEN];
    assert_int_equal(zr_addr_parse(a, "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"), 0);
    zr_addr_format_lower(s, a);
    assert_string_equal(s, "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed");
}

static void test_seckey_errors(void **state)
{
    (void)state;
    uint8_t sk[32];
    const char *zero = "0000000000000000000000000000000000000000000000000000000000000000";
    const char *order = "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141";
    assert_int_equal(zr_ecdsa_seckey_parse_hex(sk, zero, strlen(zero)), ZR_EBADKEY);
    assert_int_equal(zr_ecdsa_seckey_parse_hex(sk, order, strlen(order)), ZR_EBADKEY);
    assert_int_equal(zr_ecdsa_seckey_parse_hex(sk, "0x1234", 6), ZR_EHEX);
    const char *padded = "  0x" ZT_ANVIL_KEY0 "\n";
    assert_int_equal(zr_ecdsa_seckey_parse_hex(sk, padded, strlen(padded)), 0);
    const char *bad = "zz0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
    assert_int_equal(zr_ecdsa_seckey_parse_hex(sk, bad, strlen(bad)), ZR_EHEX);
    memset(sk, 0, 32);
    zr_sig_t sig;
    uint8_t d[32] = {1};
    assert_int_equal(zr_ecdsa_sign(&sig, sk, d), ZR_EBADKEY);
    uint8_t pub[64];
    assert_int_equal(zr_ecdsa_pubkey_from_seckey(pub, sk), ZR_EBADKEY);
}

static void test_generate_sign_recover(void **state)
{
    (void)state;
    for (int i = 0; i < 20; i++) {
        uint8_t sk[32], d[32], addr[20], rec[20], pub[64], pub2[64];
        assert_int_equal(zr_ecdsa_seckey_generate(sk), 0);
        assert_int_equal(zr_ecdsa_seckey_check(sk), 0);
        assert_int_equal(zr_random_bytes(d, 32), 0);
        zr_sig_t sig;
        assert_int_equal(zr_ecdsa_sign(&sig, sk, d), 0);
        assert_true(sig.v <= 1);
        assert_int_equal(zr_ecdsa_seckey_address(addr, sk), 0);
        assert_int_equal(zr_ecdsa_recover_address(rec, &sig, d), 0);
        assert_memory_equal(addr, rec, 20);
        assert_int_equal(zr_ecdsa_pubkey_from_seckey(pub, sk), 0);
        assert_int_equal(zr_ecdsa_recover(pub2, &sig, d), 0);
        assert_memory_equal(pub, pub2, 64);
        /* a different digest recovers a different signer */
        d[0] ^= 1;
        if (zr_ecdsa_recover_address(rec, &sig, d) == 0)
            assert_memory_not_equal(addr, rec, 20);
        /* the flipped recovery id gives another key (or none) */
        d[0] ^= 1;
        sig.v ^= 1;
        if (zr_ecdsa_recover_address(rec, &sig, d) == 0)
            assert_memory_not_equal(addr, rec, 20);
        zr_wipe(sk, sizeof sk);
    }
}

static void test_recover_rejects(void **state)
{
    (void)state;
    uint8_t sk[32], d[32] = {7}, pub[64];
    zr_hex_decode_exact(sk, 32, ZT_ANVIL_KEY0);
    zr_sig_t sig, bad;
    assert_int_equal(zr_ecdsa_sign(&sig, sk, d), 0);
    /* high s: s' = n - s is a valid ECDSA signature but not canonical in Ethereum */
    static const uint8_t n[32] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                  0xff, 0xff, 0xff, 0xff, 0xfe, 0xba, 0xae, 0xdc, 0xe6, 0xaf, 0x48,
                                  0xa0, 0x3b, 0xbf, 0xd2, 0x5e, 0x8c, 0xd0, 0x36, 0x41, 0x41};
    bad = sig;
    int borrow = 0;
    for (int i = 31; i >= 0; i--) {
        int x = n[i] - sig.s[i] - borrow;
        borrow = x < 0;
        bad.s[i] = (uint8_t)(x + (borrow ? 256 : 0));
    }
    bad.v ^= 1;
    assert_int_equal(zr_ecdsa_recover(pub, &bad, d), ZR_EBADSIG);
    bad = sig;
    memset(bad.r, 0, 32);
    assert_int_equal(zr_ecdsa_recover(pub, &bad, d), ZR_EBADSIG);
    bad = sig;
    memset(bad.s, 0, 32);
    assert_int_equal(zr_ecdsa_recover(pub, &bad, d), ZR_EBADSIG);
    bad = sig;
    memcpy(bad.r, n, 32); /* r = n overflows */
    assert_int_equal(zr_ecdsa_recover(pub, &bad, d), ZR_EBADSIG);
    bad = sig;
    bad.v = 2;
    assert_int_equal(zr_ecdsa_recover(pub, &bad, d), ZR_EBADSIG);
    uint8_t wire[65];
    zr_ecdsa_sig_encode(wire, &sig);
    assert_true(wire[64] == 27 || wire[64] == 28);
    wire[64] = 29;
    assert_int_equal(zr_ecdsa_sig_decode(&bad, wire), ZR_EBADSIG);
    wire[64] = sig.v;
    assert_int_equal(zr_ecdsa_sig_decode(&bad, wire), 0);
    assert_int_equal(bad.v, sig.v);
}

static void test_pubkey_parse(void **state)
{
    (void)state;
    uint8_t sk[32], pub[64], in[65], back[64];
    zr_hex_decode_exact(sk, 32, ZT_ANVIL_KEY1);
    assert_int_equal(zr_ecdsa_pubkey_from_seckey(pub, sk), 0);
    assert_int_equal(zr_ecdsa_pubkey_parse(back, pub, 64), 0);
    assert_memory_equal(pub, back, 64);
    in[0] = 4;
    memcpy(in + 1, pub, 64);
    assert_int_equal(zr_ecdsa_pubkey_parse(back, in, 65), 0);
    assert_memory_equal(pub, back, 64);
    uint8_t comp[33];
    comp[0] = (uint8_t)(2 + (pub[63] & 1));
    memcpy(comp + 1, pub, 32);
    assert_int_equal(zr_ecdsa_pubkey_parse(back, comp, 33), 0);
    assert_memory_equal(pub, back, 64);
    in[64] ^= 1; /* off the curve */
    assert_int_equal(zr_ecdsa_pubkey_parse(back, in, 65), ZR_EBADPOINT);
    assert_int_equal(zr_ecdsa_pubkey_parse(back, in, 40), ZR_EBADPOINT);
}

/* Live cross-check: random digests signed by zara and by `cast wallet sign --no-hash`,
 * personal messages signed by both. */
static void test_against_cast(void **state)
{
    (void)state;
    char out[512];
    for (int i = 0; i < 4; i++) {
        uint8_t sk[32], d[32], wire[65];
        assert_int_equal(zr_ecdsa_seckey_generate(sk), 0);
        assert_int_equal(zr_random_bytes(d, 32), 0);
        char skh[65], dh[65], got[140] = "0x";
        zr_hex_encode(skh, sk, 32);
        zr_hex_encode(dh, d, 32);
        assert_int_equal(zt_run(out, sizeof out, "'%s' wallet sign --no-hash --private-key 0x%s 0x%s",
                                zt_src_path(CAST), skh, dh),
                         0);
        zr_sig_t sig;
        assert_int_equal(zr_ecdsa_sign(&sig, sk, d), 0);
        zr_ecdsa_sig_encode(wire, &sig);
        zr_hex_encode(got + 2, wire, 65);
        assert_string_equal(got, out);

        /* personal_sign of a text message */
        const char *msg = i & 1 ? "zarathustra spoke" : "x";
        assert_int_equal(zt_run(out, sizeof out, "'%s' wallet sign --private-key 0x%s '%s'",
                                zt_src_path(CAST), skh, msg),
                         0);
        uint8_t mh[32];
        zr_ecdsa_hash_message(mh, msg, strlen(msg));
        assert_int_equal(zr_ecdsa_sign(&sig, sk, mh), 0);
        zr_ecdsa_sig_encode(wire, &sig);
        zr_hex_encode(got + 2, wire, 65);
        assert_string_equal(got, out);

        /* the address cast derives */
        uint8_t addr[20];
        char s[ZR_ADDR_STR_LEN];
        assert_int_equal(zt_run(out, sizeof out, "'%s' wallet address --private-key 0x%s", zt_src_path(CAST), skh), 0);
        assert_int_equal(zr_ecdsa_seckey_address(addr, sk), 0);
        zr_addr_format(s, addr);
        assert_string_equal(s, out);
        zr_wipe(sk, sizeof sk);
        zr_wipe(skh, sizeof skh);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vector_file),     cmocka_unit_test(test_anvil_keys),
        cmocka_unit_test(test_address_parse_errors), cmocka_unit_test(test_seckey_errors),
        cmocka_unit_test(test_generate_sign_recover), cmocka_unit_test(test_recover_rejects),
        cmocka_unit_test(test_pubkey_parse),    cmocka_unit_test(test_against_cast),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
