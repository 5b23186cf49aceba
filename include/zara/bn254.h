/* SPDX-License-Identifier: MIT
 * The BN254 (alt_bn128) pairing-friendly curve as the EVM precompiles ecAdd (0x06), ecMul
 * (0x07) and ecPairing (0x08) define it (EIP-196/197): points of G1 over Fp and of G2 over
 * Fp2, the optimal ate pairing, and the exact byte encodings the precompiles take.
 *
 * Encodings (big-endian 32-byte words, coordinates must be < p, never reduced for you):
 *   G1: x || y                                  (64 bytes; (0,0) is the point at infinity)
 *   G2: x.im || x.re || y.im || y.re            (128 bytes; imaginary part first, as the
 *                                                precompile and EigenLayer's G2Point take it;
 *                                                all zero is infinity)
 *   scalars: 32 bytes big-endian.
 * Decoding rejects a coordinate >= p with ZR_ENONCANON, a point off the curve or (G2) outside
 * the order-r subgroup with ZR_EBADPOINT.
 *
 * Points are plain values the caller owns (no heap). Functions named *_ct run in time
 * independent of the scalar and are the ones to use with secrets; the others may branch
 * on their inputs (verification, public data). */
#ifndef ZARA_BN254_H
#define ZARA_BN254_H

#include <stddef.h>
#include <stdint.h>

#include "zara/err.h"

/* Field elements in Montgomery form (4 little-endian 64-bit limbs). */
typedef struct zr_bn254_fp {
    uint64_t l[4];
} zr_bn254_fp_t;
typedef struct zr_bn254_fp2 {
    zr_bn254_fp_t c0, c1; /* c0 + c1*u, u^2 = -1 */
} zr_bn254_fp2_t;
/* An element of Fr (the group order r) in Montgomery form. */
typedef struct zr_bn254_fr {
    uint64_t l[4];
} zr_bn254_fr_t;

/* Jacobian coordinates: (X/Z^2, Y/Z^3); Z = 0 is the point at infinity. */
typedef struct zr_bn254_g1 {
    zr_bn254_fp_t x, y, z;
} zr_bn254_g1_t;
typedef struct zr_bn254_g2 {
    zr_bn254_fp2_t x, y, z;
} zr_bn254_g2_t;

/* An element of GT (Fp12 = Fp6[w]/(w^2 - v), Fp6 = Fp2[v]/(v^3 - (9+u))); coefficient
 * c[i][j] is Fp2 coefficient j of Fp6 half i (c[0] + c[1]*w). */
typedef struct zr_bn254_gt {
    zr_bn254_fp2_t c[2][3];
} zr_bn254_gt_t;

#define ZR_BN254_G1_BYTES 64
#define ZR_BN254_G2_BYTES 128
#define ZR_BN254_GT_BYTES 384

/* ---- scalars (Fr) ------------------------------------------------------------------------ */
/* Canonical decoding: ZR_ENONCANON when in >= r. */
int zr_bn254_fr_from_bytes(zr_bn254_fr_t *out, const uint8_t in[32]);
/* Any 32 bytes, reduced mod r (what γ = keccak256(...) mod r does). */
void zr_bn254_fr_from_bytes_reduce(zr_bn254_fr_t *out, const uint8_t in[32]);
/* Any length, read as a big-endian integer and reduced mod r. */
void zr_bn254_fr_from_bytes_wide(zr_bn254_fr_t *out, const uint8_t *in, size_t len);
void zr_bn254_fr_to_bytes(uint8_t out[32], const zr_bn254_fr_t *a);
void zr_bn254_fr_add(zr_bn254_fr_t *out, const zr_bn254_fr_t *a, const zr_bn254_fr_t *b);
void zr_bn254_fr_mul(zr_bn254_fr_t *out, const zr_bn254_fr_t *a, const zr_bn254_fr_t *b);
int zr_bn254_fr_is_zero(const zr_bn254_fr_t *a);

/* ---- G1 ---------------------------------------------------------------------------------- */
void zr_bn254_g1_generator(zr_bn254_g1_t *out);
void zr_bn254_g1_infinity(zr_bn254_g1_t *out);
int zr_bn254_g1_is_infinity(const zr_bn254_g1_t *p);
/* 1 when p and q are the same point (any representation). */
int zr_bn254_g1_eq(const zr_bn254_g1_t *p, const zr_bn254_g1_t *q);
int zr_bn254_g1_is_on_curve(const zr_bn254_g1_t *p);
void zr_bn254_g1_add(zr_bn254_g1_t *out, const zr_bn254_g1_t *p, const zr_bn254_g1_t *q);
void zr_bn254_g1_neg(zr_bn254_g1_t *out, const zr_bn254_g1_t *p);
/* out = k*p for a public scalar (k is any 32-byte big-endian integer, as ecMul takes it). */
void zr_bn254_g1_mul(zr_bn254_g1_t *out, const zr_bn254_g1_t *p, const uint8_t k[32]);
void zr_bn254_g1_mul_fr(zr_bn254_g1_t *out, const zr_bn254_g1_t *p, const zr_bn254_fr_t *k);
/* out = k*p in time independent of k (for secret keys). */
void zr_bn254_g1_mul_ct(zr_bn254_g1_t *out, const zr_bn254_g1_t *p, const zr_bn254_fr_t *k);
int zr_bn254_g1_decode(zr_bn254_g1_t *out, const uint8_t in[64]);
void zr_bn254_g1_encode(uint8_t out[64], const zr_bn254_g1_t *p);
/* hashToG1 by try-and-increment, the EigenLayer BN254.hashToG1 algorithm: x = digest mod p;
 * while x^3+3 has no square root, x += 1; y = (x^3+3)^((p+1)/4) (no sign normalisation). */
void zr_bn254_g1_hash(zr_bn254_g1_t *out, const uint8_t digest[32]);

/* ---- G2 ---------------------------------------------------------------------------------- */
void zr_bn254_g2_generator(zr_bn254_g2_t *out);
void zr_bn254_g2_infinity(zr_bn254_g2_t *out);
int zr_bn254_g2_is_infinity(const zr_bn254_g2_t *p);
int zr_bn254_g2_eq(const zr_bn254_g2_t *p, const zr_bn254_g2_t *q);
int zr_bn254_g2_is_on_curve(const zr_bn254_g2_t *p);
/* 1 when p (on the curve) is in the order-r subgroup. */
int zr_bn254_g2_in_subgroup(const zr_bn254_g2_t *p);
void zr_bn254_g2_add(zr_bn254_g2_t *out, const zr_bn254_g2_t *p, const zr_bn254_g2_t *q);
void zr_bn254_g2_neg(zr_bn254_g2_t *out, const zr_bn254_g2_t *p);
void zr_bn254_g2_mul(zr_bn254_g2_t *out, const zr_bn254_g2_t *p, const uint8_t k[32]);
void zr_bn254_g2_mul_fr(zr_bn254_g2_t *out, const zr_bn254_g2_t *p, const zr_bn254_fr_t *k);
void zr_bn254_g2_mul_ct(zr_bn254_g2_t *out, const zr_bn254_g2_t *p, const zr_bn254_fr_t *k);
int zr_bn254_g2_decode(zr_bn254_g2_t *out, const uint8_t in[128]);
void zr_bn254_g2_encode(uint8_t out[128], const zr_bn254_g2_t *p);

/* ---- pairing ----------------------------------------------------------------------------- */
/* out = e(p, q), the optimal ate pairing with the final exponentiation of @noble/curves
 * (so values match it bit for bit). Infinity on either side gives 1. */
void zr_bn254_pairing(zr_bn254_gt_t *out, const zr_bn254_g1_t *p, const zr_bn254_g2_t *q);
/* 1 when prod e(p[i], q[i]) == 1 (what ecPairing returns), else 0. n may be 0 (true).
 * The Miller loops share their squarings. */
int zr_bn254_pairing_check(const zr_bn254_g1_t *p, const zr_bn254_g2_t *q, size_t n);
int zr_bn254_gt_eq(const zr_bn254_gt_t *a, const zr_bn254_gt_t *b);
int zr_bn254_gt_is_one(const zr_bn254_gt_t *a);
void zr_bn254_gt_mul(zr_bn254_gt_t *out, const zr_bn254_gt_t *a, const zr_bn254_gt_t *b);
/* 12 big-endian words in the order c[0][0].c0, c[0][0].c1, c[0][1].c0, ... c[1][2].c1. */
void zr_bn254_gt_encode(uint8_t out[384], const zr_bn254_gt_t *a);

/* ---- implementation selection (tests and benchmarks) ------------------------------------ */
/* 1 when the field core uses the mulx/adx assembly (chosen at run time from CPUID). */
int zr_bn254_fast_enabled(void);
/* Forces the portable C field core (0) or re-enables the assembly when the CPU has it (1);
 * returns the previous setting. Not thread-safe; for differential tests. */
int zr_bn254_fast_set(int on);

#endif
