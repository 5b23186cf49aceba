// SPDX-License-Identifier: MIT
// BLS signatures on BN254 with EigenLayer's conventions: keys, signing (constant time in
// the secret), the γ-trick verification the contracts run, plain verification,
// aggregation, operator ids and the proof of possession (docs/PROTOCOL.md).
#include <stdlib.h>
#include <string.h>

#include "zara/bls.h"
#include "zara/keccak.h"
#include "bn254_int.h"

int zr_bls_secret_generate(zr_bls_secret_t *sk)
{
    uint8_t b[32];
    for (;;) {
        int rc = zr_random_bytes(b, sizeof b);
        if (rc) {
            zr_wipe(b, sizeof b);
            return rc;
        }
        b[0] &= 0x3f; /* r < 2^254: keeps the rejection rate below 1/3 */
        if (zr_bls_secret_from_bytes(sk, b) == 0)
            break;
    }
    zr_wipe(b, sizeof b);
    return 0;
}

int zr_bls_secret_from_bytes(zr_bls_secret_t *sk, const uint8_t in[32])
{
    if (zr_bn254_fr_from_bytes(&sk->k, in) != 0)
        return ZR_EBADKEY;
    if (zr_bn254_fr_is_zero(&sk->k))
        return ZR_EBADKEY;
    return 0;
}

int zr_bls_secret_from_seed(zr_bls_secret_t *sk, const uint8_t *seed, size_t seed_len)
{
    if (!seed || seed_len < 32)
        return ZR_EINVAL;
    uint8_t wide[64], tag;
    zr_keccak_t k;
    for (int i = 0; i < 2; i++) {
        tag = (uint8_t)i;
        zr_keccak_init(&k);
        zr_keccak_update(&k, seed, seed_len);
        zr_keccak_update(&k, &tag, 1);
        zr_keccak_final(&k, wide + 32 * i);
    }
    zr_bn254_fr_from_bytes_wide(&sk->k, wide, sizeof wide);
    zr_wipe(wide, sizeof wide);
    return zr_bn254_fr_is_zero(&sk->k) ? ZR_EBADKEY : 0;
}

void zr_bls_secret_to_bytes(uint8_t out[32], const zr_bls_secret_t *sk)
{
    zr_bn254_fr_to_bytes(out, &sk->k);
}

void zr_bls_secret_wipe(zr_bls_secret_t *sk)
{
    zr_wipe(sk, sizeof *sk);
}

void zr_bls_pubkey_from_secret(zr_bls_pubkey_t *pk, const zr_bls_secret_t *sk)
{
    zr_bn254_g1_t g1;
    zr_bn254_g2_t g2;
    zr_bn254_g1_generator(&g1);
    zr_bn254_g2_generator(&g2);
    zr_bn254_g1_mul_ct(&pk->g1, &g1, &sk->k);
    zr_bn254_g2_mul_ct(&pk->g2, &g2, &sk->k);
    ZR_DECLASSIFY(pk, sizeof *pk); /* public keys are public */
}

int zr_bls_pubkey_decode(zr_bls_pubkey_t *pk, const uint8_t g1[64], const uint8_t g2[128])
{
    int rc;
    zr_bls_pubkey_t k;
    if ((rc = zr_bn254_g1_decode(&k.g1, g1)) != 0 || (rc = zr_bn254_g2_decode(&k.g2, g2)) != 0)
        return rc;
    if (zr_bn254_g1_is_infinity(&k.g1) || zr_bn254_g2_is_infinity(&k.g2))
        return ZR_EBADKEY;
    /* e(g1, -G2) * e(G1, g2) == 1 */
    zr_bn254_g1_t p[2];
    zr_bn254_g2_t q[2];
    p[0] = k.g1;
    zr_bn254_g2_generator(&q[0]);
    zr_bn254_g2_neg(&q[0], &q[0]);
    zr_bn254_g1_generator(&p[1]);
    q[1] = k.g2;
    if (!zr_bn254_pairing_check(p, q, 2))
        return ZR_EBADKEY;
    *pk = k;
    return 0;
}

void zr_bls_pubkey_encode(uint8_t g1[64], uint8_t g2[128], const zr_bls_pubkey_t *pk)
{
    zr_bn254_g1_encode(g1, &pk->g1);
    zr_bn254_g2_encode(g2, &pk->g2);
}

void zr_bls_operator_id(uint8_t out[32], const zr_bn254_g1_t *pk_g1)
{
    uint8_t enc[64];
    zr_bn254_g1_encode(enc, pk_g1);
    zr_keccak256(out, enc, sizeof enc);
}

void zr_bls_sign(zr_bn254_g1_t *sig, const zr_bls_secret_t *sk, const uint8_t msg[32])
{
    zr_bn254_g1_t h;
    zr_bn254_g1_hash(&h, msg);
    zr_bn254_g1_mul_ct(sig, &h, &sk->k);
    ZR_DECLASSIFY(sig, sizeof *sig);
}

void zr_bls_gamma(zr_bn254_fr_t *gamma, const uint8_t msg[32], const zr_bn254_g1_t *apk_g1,
                  const zr_bn254_g2_t *apk_g2, const zr_bn254_g1_t *sig)
{
    uint8_t in[288], h[32];
    memcpy(in, msg, 32);
    zr_bn254_g1_encode(in + 32, apk_g1);
    zr_bn254_g2_encode(in + 96, apk_g2);
    zr_bn254_g1_encode(in + 224, sig);
    zr_keccak256(h, in, sizeof in);
    zr_bn254_fr_from_bytes_reduce(gamma, h);
}

int zr_bls_verify(const zr_bn254_g1_t *apk_g1, const zr_bn254_g2_t *apk_g2, const uint8_t msg[32],
                  const zr_bn254_g1_t *sig)
{
    if (zr_bn254_g1_is_infinity(apk_g1) || zr_bn254_g2_is_infinity(apk_g2))
        return ZR_EBADKEY;
    if (zr_bn254_g1_is_infinity(sig))
        return ZR_EBADSIG;
    zr_bn254_fr_t gamma;
    zr_bls_gamma(&gamma, msg, apk_g1, apk_g2, sig);
    zr_bn254_g1_t p[2], t;
    zr_bn254_g2_t q[2];
    /* σ + γ·apkG1 */
    zr_bn254_g1_mul_fr(&t, apk_g1, &gamma);
    zr_bn254_g1_add(&p[0], &t, sig);
    zr_bn254_g2_generator(&q[0]);
    zr_bn254_g2_neg(&q[0], &q[0]);
    /* hashToG1(m) + γ·G1 */
    zr_bn254_g1_t g;
    zr_bn254_g1_generator(&g);
    zr_bn254_g1_mul_fr(&t, &g, &gamma);
    zr_bn254_g1_hash(&g, msg);
    zr_bn254_g1_add(&p[1], &t, &g);
    q[1] = *apk_g2;
    return zr_bn254_pairing_check(p, q, 2) ? 0 : ZR_EVERIFY;
}

int zr_bls_verify_g2(const zr_bn254_g2_t *pk_g2, const uint8_t msg[32], const zr_bn254_g1_t *sig)
{
    if (zr_bn254_g2_is_infinity(pk_g2))
        return ZR_EBADKEY;
    if (zr_bn254_g1_is_infinity(sig))
        return ZR_EBADSIG;
    zr_bn254_g1_t p[2];
    zr_bn254_g2_t q[2];
    p[0] = *sig;
    zr_bn254_g2_generator(&q[0]);
    zr_bn254_g2_neg(&q[0], &q[0]);
    zr_bn254_g1_hash(&p[1], msg);
    q[1] = *pk_g2;
    return zr_bn254_pairing_check(p, q, 2) ? 0 : ZR_EVERIFY;
}

int zr_bls_verify_batch(const zr_bn254_g2_t *pks, const zr_bn254_g1_t *sigs, size_t n, const uint8_t msg[32])
{
    if (n == 0)
        return ZR_EINVAL;
    for (size_t i = 0; i < n; i++) {
        if (zr_bn254_g2_is_infinity(&pks[i]))
            return ZR_EBADKEY;
        if (zr_bn254_g1_is_infinity(&sigs[i]))
            return ZR_EBADSIG;
    }
    uint64_t *r = malloc(n * sizeof *r);
    if (!r)
        return ZR_ENOMEM;
    int rc = zr_random_bytes((uint8_t *)r, n * sizeof *r);
    if (rc) {
        free(r);
        return rc;
    }
    zr_bn254_g1_t p[2], t1;
    zr_bn254_g2_t q[2], t2;
    zr_bn254_g1_infinity(&p[0]);
    zr_bn254_g2_infinity(&q[1]);
    for (size_t i = 0; i < n; i++) {
        uint64_t k[4] = {r[i] | 1, 0, 0, 0}; /* odd: never 0 */
        zr__g1_mul_vt(&t1, &sigs[i], k);
        zr_bn254_g1_add(&p[0], &p[0], &t1);
        zr__g2_mul_vt(&t2, &pks[i], k);
        zr_bn254_g2_add(&q[1], &q[1], &t2);
    }
    free(r);
    zr_bn254_g2_generator(&q[0]);
    zr_bn254_g2_neg(&q[0], &q[0]);
    zr_bn254_g1_hash(&p[1], msg);
    return zr_bn254_pairing_check(p, q, 2) ? 0 : ZR_EVERIFY;
}

void zr_bls_aggregate_g1(zr_bn254_g1_t *out, const zr_bn254_g1_t *pts, size_t n)
{
    zr_bn254_g1_t acc;
    zr_bn254_g1_infinity(&acc);
    for (size_t i = 0; i < n; i++)
        zr_bn254_g1_add(&acc, &acc, &pts[i]);
    *out = acc;
}

void zr_bls_aggregate_g2(zr_bn254_g2_t *out, const zr_bn254_g2_t *pts, size_t n)
{
    zr_bn254_g2_t acc;
    zr_bn254_g2_infinity(&acc);
    for (size_t i = 0; i < n; i++)
        zr_bn254_g2_add(&acc, &acc, &pts[i]);
    *out = acc;
}

void zr_bls_pop_message(uint8_t out[32], const uint8_t operator_addr[20], uint64_t chain_id,
                        const uint8_t governance[20])
{
    uint8_t in[96];
    memset(in, 0, sizeof in);
    memcpy(in + 12, operator_addr, 20);
    for (int i = 0; i < 8; i++)
        in[63 - i] = (uint8_t)(chain_id >> (8 * i));
    memcpy(in + 76, governance, 20);
    zr_keccak256(out, in, sizeof in);
}

void zr_bls_pop_prove(zr_bn254_g1_t *sig, const zr_bls_secret_t *sk, const uint8_t operator_addr[20],
                      uint64_t chain_id, const uint8_t governance[20])
{
    uint8_t m[32];
    zr_bls_pop_message(m, operator_addr, chain_id, governance);
    zr_bls_sign(sig, sk, m);
}

int zr_bls_pop_verify(const zr_bls_pubkey_t *pk, const uint8_t operator_addr[20], uint64_t chain_id,
                      const uint8_t governance[20], const zr_bn254_g1_t *sig)
{
    uint8_t m[32];
    zr_bls_pop_message(m, operator_addr, chain_id, governance);
    return zr_bls_verify(&pk->g1, &pk->g2, m, sig);
}
