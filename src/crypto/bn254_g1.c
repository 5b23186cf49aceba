// SPDX-License-Identifier: MIT
// BN254 G1 (y^2 = x^3 + 3 over Fp): group law, scalar multiplication (variable time for
// public scalars, constant time for secrets), the precompile encoding and hashToG1 by
// try-and-increment as EigenLayer's BN254.hashToG1 computes it.
#include "bn254_int.h"

static const fp_t G1_B = {{0x7a17caa950ad28d7ULL, 0x1f6ac17ae15521b9ULL, 0x334bea4e696bd284ULL,
                           0x2a1f6744ce179d8eULL}}; /* 3 */
static const fp_t G1_B3 = {{0xf60647ce410d7ff7ULL, 0x2f3d6f4dd31bd011ULL, 0x2943337e3940c6d1ULL,
                            0x1d9598e8a7e39857ULL}}; /* 9 */

#define FT fp_t
#define PT zr_bn254_g1_t
#define F_add fp_add
#define F_sub fp_sub
#define F_dbl fp_dbl
#define F_neg fp_neg
#define F_mul fp_mul
#define F_sqr fp_sqr
#define F_is_zero fp_is_zero
#define F_eq fp_eq
#define F_cmov fp_cmov
#define F_set_zero fp_set_zero
#define F_set_one fp_set_one
#define F_inv zr__fp_inv
#define CURVE_B G1_B
#define CURVE_B3 G1_B3
#define FN(name) g1_##name
#include "bn254_curve_tmpl.h"

void zr_bn254_g1_generator(zr_bn254_g1_t *out)
{
    fp_set_one(&out->x);
    zr__fp_from_u64(&out->y, 2);
    fp_set_one(&out->z);
}

void zr_bn254_g1_infinity(zr_bn254_g1_t *out) { g1_set_inf(out); }
int zr_bn254_g1_is_infinity(const zr_bn254_g1_t *p) { return g1_is_inf(p); }
int zr_bn254_g1_eq(const zr_bn254_g1_t *p, const zr_bn254_g1_t *q) { return g1_eq(p, q); }
int zr_bn254_g1_is_on_curve(const zr_bn254_g1_t *p) { return g1_on_curve(p); }
void zr_bn254_g1_neg(zr_bn254_g1_t *out, const zr_bn254_g1_t *p) { g1_neg(out, p); }

void zr_bn254_g1_add(zr_bn254_g1_t *out, const zr_bn254_g1_t *p, const zr_bn254_g1_t *q)
{
    if (!g1_is_inf(q) && fp_eq(&q->z, (const fp_t *)zr__bn254_p.one))
        g1_madd(out, p, &q->x, &q->y);
    else
        g1_add(out, p, q);
}

void zr__g1_to_affine(fp_t *x, fp_t *y, const zr_bn254_g1_t *p) { g1_affine(x, y, p); }
void zr__g1_mul_vt(zr_bn254_g1_t *out, const zr_bn254_g1_t *p, const uint64_t k[4]) { g1_mul_vt(out, p, k); }
void zr__g1_mul_ref(zr_bn254_g1_t *out, const zr_bn254_g1_t *p, const uint64_t k[4]) { g1_mul_ref(out, p, k); }

static void be32_to_limbs(uint64_t out[4], const uint8_t k[32])
{
    for (int i = 0; i < 4; i++) {
        uint64_t v = 0;
        for (int j = 0; j < 8; j++)
            v = (v << 8) | k[(3 - i) * 8 + j];
        out[i] = v;
    }
}

void zr_bn254_g1_mul(zr_bn254_g1_t *out, const zr_bn254_g1_t *p, const uint8_t k[32])
{
    uint64_t l[4];
    be32_to_limbs(l, k);
    g1_mul_vt(out, p, l);
}

void zr_bn254_g1_mul_fr(zr_bn254_g1_t *out, const zr_bn254_g1_t *p, const zr_bn254_fr_t *k)
{
    uint64_t l[4];
    zr__fr_from_mont(l, k);
    g1_mul_vt(out, p, l);
}

void zr_bn254_g1_mul_ct(zr_bn254_g1_t *out, const zr_bn254_g1_t *p, const zr_bn254_fr_t *k)
{
    uint64_t l[4];
    zr__fr_from_mont(l, k);
    g1_mul_ct(out, p, l);
    zr_wipe(l, sizeof l);
}

int zr_bn254_g1_decode(zr_bn254_g1_t *out, const uint8_t in[64])
{
    int rc;
    zr_bn254_g1_t p;
    if ((rc = zr__fp_from_bytes(&p.x, in)) != 0 || (rc = zr__fp_from_bytes(&p.y, in + 32)) != 0)
        return rc;
    if (fp_is_zero(&p.x) && fp_is_zero(&p.y)) {
        g1_set_inf(out);
        return 0;
    }
    fp_set_one(&p.z);
    if (!g1_on_curve(&p))
        return ZR_EBADPOINT;
    *out = p; /* G1 has cofactor 1: on the curve is in the group */
    return 0;
}

void zr_bn254_g1_encode(uint8_t out[64], const zr_bn254_g1_t *p)
{
    fp_t x, y;
    g1_affine(&x, &y, p);
    zr__fp_to_bytes(out, &x);
    zr__fp_to_bytes(out + 32, &y);
}

void zr_bn254_g1_hash(zr_bn254_g1_t *out, const uint8_t digest[32])
{
    /* x = digest mod p: digest < 2^256 < 6p, so subtract p while x >= p (public data) */
    uint64_t x[4];
    be32_to_limbs(x, digest);
    for (;;) {
        int ge = 1;
        for (int i = 3; i >= 0; i--) {
            if (x[i] != zr__bn254_p.m[i]) {
                ge = x[i] > zr__bn254_p.m[i];
                break;
            }
        }
        if (!ge)
            break;
        uint64_t borrow = 0;
        for (int i = 0; i < 4; i++) {
            u128 d = (u128)x[i] - zr__bn254_p.m[i] - borrow;
            x[i] = (uint64_t)d;
            borrow = (uint64_t)(d >> 127);
        }
    }
    fp_t fx, beta, y, one;
    mont_mul(fx.l, x, zr__bn254_p.r2, P_MOD);
    fp_set_one(&one);
    for (;;) {
        fp_sqr(&beta, &fx);
        fp_mul(&beta, &beta, &fx);
        fp_add(&beta, &beta, &G1_B);
        if (zr__fp_sqrt(&y, &beta))
            break;
        fp_add(&fx, &fx, &one);
    }
    out->x = fx;
    out->y = y;
    fp_set_one(&out->z);
}
