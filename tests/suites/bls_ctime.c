// SPDX-License-Identifier: MIT
// Constant-time check of the BLS secret-key paths, run under valgrind by bls_ctime.sh (the
// method of libsecp256k1's ctime tests): the secret is marked undefined, so any branch or
// memory index that depends on it is reported by memcheck. Covers key parsing, derivation
// from a seed, both public keys (constant-time G1 and G2 multiplication) and signing, with
// the mulx/adx field core and with the portable one.
#include <stdio.h>
#include <string.h>

#include <valgrind/memcheck.h>

#include "zara/bls.h"

static void run(void)
{
    uint8_t key[32], seed[48], msg[32], out[64];
    for (int i = 0; i < 32; i++) {
        key[i] = (uint8_t)(i * 7 + 1);
        msg[i] = (uint8_t)(i * 13);
    }
    key[0] = 0x12;
    for (int i = 0; i < 48; i++)
        seed[i] = (uint8_t)(i * 31 + 5);
    zr_bls_secret_t sk;
    zr_bls_pubkey_t pk;
    zr_bn254_g1_t sig;

    VALGRIND_MAKE_MEM_UNDEFINED(key, sizeof key);
    int rc = zr_bls_secret_from_bytes(&sk, key);
    VALGRIND_MAKE_MEM_DEFINED(&rc, sizeof rc);
    if (rc) {
        fprintf(stderr, "bad key\n");
        return;
    }
    zr_bls_pubkey_from_secret(&pk, &sk);
    zr_bls_sign(&sig, &sk, msg);
    zr_bn254_g1_encode(out, &sig);

    VALGRIND_MAKE_MEM_UNDEFINED(seed, sizeof seed);
    rc = zr_bls_secret_from_seed(&sk, seed, sizeof seed);
    VALGRIND_MAKE_MEM_DEFINED(&rc, sizeof rc);
    zr_bls_sign(&sig, &sk, msg);
    static const uint8_t addr[20] = {1, 2, 3};
    zr_bls_pop_prove(&sig, &sk, addr, 31337, addr);
    uint8_t back[32];
    zr_bls_secret_to_bytes(back, &sk);
    zr_bls_secret_wipe(&sk);

    /* sanity: the same computation with defined data verifies */
    VALGRIND_MAKE_MEM_DEFINED(key, sizeof key);
    zr_bls_secret_from_bytes(&sk, key);
    zr_bls_pubkey_from_secret(&pk, &sk);
    zr_bls_sign(&sig, &sk, msg);
    if (zr_bls_verify(&pk.g1, &pk.g2, msg, &sig) != 0)
        fprintf(stderr, "signature does not verify\n");
}

/* Negative control: the variable-time multiply on a secret must be reported, or the
 * harness proves nothing. */
static void leak(void)
{
    uint8_t key[32] = {0x12, 0x34};
    zr_bls_secret_t sk;
    zr_bn254_g1_t g, out;
    zr_bls_secret_from_bytes(&sk, key);
    VALGRIND_MAKE_MEM_UNDEFINED(&sk, sizeof sk);
    zr_bn254_g1_generator(&g);
    zr_bn254_g1_mul_fr(&out, &g, &sk.k);
    VALGRIND_MAKE_MEM_DEFINED(&out, sizeof out);
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "leak") == 0) {
        leak();
        printf("done\n");
        return 0;
    }
    run();
    int prev = zr_bn254_fast_set(0);
    run();
    zr_bn254_fast_set(prev);
    printf("done\n");
    return 0;
}
