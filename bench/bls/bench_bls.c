// SPDX-License-Identifier: MIT
// Times the BN254/BLS operations of bench/bls/run.sh and prints one line per operation:
// "<name> <ms per op> <iterations>". The field core in use (mulx/adx or portable C) is
// printed first; ZARA_BN254_PORTABLE=1 forces the portable core.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "zara/bls.h"
#include "zara/keccak.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts); /* CPU time: fair on a shared machine */
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static double budget = 0.4; /* seconds per operation */
static volatile uint64_t sink;

#define BENCH(name, inner_per_iter, body)                                                         \
    do {                                                                                          \
        long iters = 0;                                                                           \
        double t0 = now(), t;                                                                     \
        do {                                                                                      \
            body;                                                                                 \
            iters++;                                                                              \
        } while ((t = now() - t0) < budget || iters < 3);                                         \
        printf("%-16s %.6f %ld\n", name, t * 1e3 / ((double)iters * (inner_per_iter)), iters);   \
        fflush(stdout);                                                                           \
    } while (0)

int main(int argc, char **argv)
{
    if (argc > 1)
        budget = atof(argv[1]);
    const char *portable = getenv("ZARA_BN254_PORTABLE");
    if (portable && strcmp(portable, "1") == 0)
        zr_bn254_fast_set(0);
    printf("core %s\n", zr_bn254_fast_enabled() ? "mulx-adx" : "portable-c");

    uint8_t k[32], msg[32];
    zr_keccak256(k, "bench-scalar", 12);
    zr_keccak256(msg, "bench-message", 13);
    zr_bn254_fr_t fk, fa;
    zr_bn254_fr_from_bytes_reduce(&fk, k);
    fa = fk;

    /* Fp multiplication through the public Fr multiply (same Montgomery core) */
    BENCH("fp_mul", 1000, {
        for (int i = 0; i < 1000; i++)
            zr_bn254_fr_mul(&fa, &fa, &fk);
    });
    sink += fa.l[0];

    zr_bn254_g1_t g1, p1;
    zr_bn254_g2_t g2, p2;
    zr_bn254_g1_generator(&g1);
    zr_bn254_g2_generator(&g2);
    BENCH("g1_mul", 1, zr_bn254_g1_mul_ct(&p1, &g1, &fk));
    BENCH("g1_mul_vartime", 1, zr_bn254_g1_mul_fr(&p1, &g1, &fk));
    BENCH("g2_mul", 1, zr_bn254_g2_mul_ct(&p2, &g2, &fk));
    BENCH("g2_mul_vartime", 1, zr_bn254_g2_mul_fr(&p2, &g2, &fk));
    int ctr = 0;
    BENCH("hash_to_g1", 1, {
        msg[0] = (uint8_t)ctr++;
        zr_bn254_g1_hash(&p1, msg);
    });
    zr_bn254_g1_mul_fr(&p1, &g1, &fk);
    zr_bn254_g2_mul_fr(&p2, &g2, &fk);
    zr_bn254_gt_t gt;
    BENCH("pairing", 1, zr_bn254_pairing(&gt, &p1, &p2));
    zr_bn254_g1_t ps[2];
    zr_bn254_g2_t qs[2];
    ps[0] = p1;
    qs[0] = g2;
    zr_bn254_g1_neg(&ps[1], &g1);
    qs[1] = p2;
    /* affine inputs, as decoded points are */
    uint8_t enc[128];
    zr_bn254_g1_encode(enc, &ps[0]);
    zr_bn254_g1_decode(&ps[0], enc);
    zr_bn254_g2_encode(enc, &qs[1]);
    zr_bn254_g2_decode(&qs[1], enc);
    BENCH("pairing_check2", 1, sink += zr_bn254_pairing_check(ps, qs, 2));

    zr_bls_secret_t sk;
    zr_bls_pubkey_t pk;
    zr_bls_secret_from_seed(&sk, (const uint8_t *)"bench-seed-bench-seed-bench-seed", 32);
    zr_bls_pubkey_from_secret(&pk, &sk);
    zr_bn254_g1_t sig;
    zr_keccak256(msg, "bench-message", 13);
    BENCH("sign", 1, zr_bls_sign(&sig, &sk, msg));
    BENCH("verify", 1, sink += zr_bls_verify_g2(&pk.g2, msg, &sig));
    BENCH("gamma_check", 1, sink += zr_bls_verify(&pk.g1, &pk.g2, msg, &sig));

    /* aggregation of n decoded (affine) signatures */
    enum { NMAX = 1000 };
    zr_bn254_g1_t *sigs = malloc(NMAX * sizeof *sigs);
    zr_bn254_g1_t h, agg;
    zr_bn254_g1_hash(&h, msg);
    for (int i = 0; i < NMAX; i++) {
        uint8_t kb[32];
        zr_keccak256(kb, &i, sizeof i);
        zr_bn254_g1_mul(&sigs[i], &h, kb);
        zr_bn254_g1_encode(enc, &sigs[i]);
        zr_bn254_g1_decode(&sigs[i], enc);
    }
    BENCH("aggregate_100", 1, zr_bls_aggregate_g1(&agg, sigs, 100));
    /* 100 signatures of one message by 100 keys, checked as one batch */
    {
        zr_bn254_g2_t *pks = malloc(100 * sizeof *pks);
        zr_bn254_g1_t *bs = malloc(100 * sizeof *bs);
        for (int i = 0; i < 100; i++) {
            uint8_t seed[32] = {0};
            seed[0] = (uint8_t)i;
            zr_bls_secret_t s;
            zr_bls_pubkey_t p;
            zr_bls_secret_from_seed(&s, seed, 32);
            zr_bls_pubkey_from_secret(&p, &s);
            pks[i] = p.g2;
            zr_bls_sign(&bs[i], &s, msg);
        }
        BENCH("verify_batch_100", 1, sink += zr_bls_verify_batch(pks, bs, 100, msg));
        free(pks);
        free(bs);
    }
    BENCH("aggregate_1000", 1, zr_bls_aggregate_g1(&agg, sigs, 1000));
    free(sigs);
    zr_bls_secret_wipe(&sk);
    return sink == 42 ? 1 : 0;
}
