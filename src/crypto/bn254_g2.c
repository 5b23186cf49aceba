// SPDX-License-Identifier: MIT
// BN254 G2 on the D-type twist y^2 = x^3 + 3/(9+u) over Fp2: group law, scalar
// multiplication, the psi endomorphism, the fast subgroup test psi(Q) == [6x^2]Q, and the
// precompile encoding (imaginary part first).
#include "bn254_int.h"

static const fp2_t G2_B = {{{0x3bf938e377b802a8ULL, 0x020b1b273633535dULL, 0x26b7edf049755260ULL, 0x2514c6324384a86dULL}},
                           {{0x38e7ecccd1dcff67ULL, 0x65f0b37d93ce0d3eULL, 0xd749d0dd22ac00aaULL, 0x0141b9ce4a688d4dULL}}};
static const fp2_t G2_B3 = {{{0x3baa927cb62e0d6aULL, 0xd71e7c52d1b664fdULL, 0x03873e63d95d4664ULL, 0x0e75b5b1082ab8f4ULL}},
                            {{0xaab7c6667596fe35ULL, 0x31d21a78bb6a27baULL, 0x85dd7297680401ffULL, 0x03c52d6adf39a7e9ULL}}};
static const fp2_t G2_GX = {{{0x8e83b5d102bc2026ULL, 0xdceb1935497b0172ULL, 0xfbb8264797811adfULL, 0x19573841af96503bULL}},
                            {{0xafb4737da84c6140ULL, 0x6043dd5a5802d8c4ULL, 0x09e950fc52a02f86ULL, 0x14fef0833aea7b6bULL}}};
static const fp2_t G2_GY = {{{0x619dfa9d886be9f6ULL, 0xfe7fd297f59e9b78ULL, 0xff9e1a62231b7dfeULL, 0x28fd7eebae9e4206ULL}},
                            {{0x64095b56c71856eeULL, 0xdc57f922327d3cbbULL, 0x55f935be33351076ULL, 0x0da4a0e693fd6482ULL}}};
/* xi^((p-1)/3) and xi^((p-1)/2) */
static const fp2_t PSI_X = {{{0xb5773b104563ab30ULL, 0x347f91c8a9aa6454ULL, 0x7a007127242e0991ULL, 0x1956bcd8118214ecULL}},
                            {{0x6e849f1ea0aa4757ULL, 0xaa1c7b6d89f89141ULL, 0xb6e713cdfae0ca3aULL, 0x26694fbb4e82ebc3ULL}}};
static const fp2_t PSI_Y = {{{0xe4bbdd0c2936b629ULL, 0xbb30f162e133bacbULL, 0x31a9d1b6f9645366ULL, 0x253570bea500f8ddULL}},
                            {{0xa1d77ce45ffe77c7ULL, 0x07affd117826d1dbULL, 0x6d16bd27bb7edc6bULL, 0x2c87200285defeccULL}}};

#define FT fp2_t
#define PT zr_bn254_g2_t
#define F_add fp2_add
#define F_sub fp2_sub
#define F_dbl fp2_dbl
#define F_neg fp2_neg
#define F_mul fp2_mul
#define F_sqr fp2_sqr
#define F_is_zero fp2_is_zero
#define F_eq fp2_eq
#define F_cmov fp2_cmov
#define F_set_zero fp2_set_zero
#define F_set_one fp2_set_one
#define F_inv zr__fp2_inv
#define CURVE_B G2_B
#define F_mul_b3(r, a) fp2_mul((r), (a), &G2_B3)
#define FN(name) g2_##name
#include "bn254_curve_tmpl.h"

void zr_bn254_g2_generator(zr_bn254_g2_t *out)
{
    out->x = G2_GX;
    out->y = G2_GY;
    fp2_set_one(&out->z);
}

void zr_bn254_g2_infinity(zr_bn254_g2_t *out) { g2_set_inf(out); }
int zr_bn254_g2_is_infinity(const zr_bn254_g2_t *p) { return g2_is_inf(p); }
int zr_bn254_g2_eq(const zr_bn254_g2_t *p, const zr_bn254_g2_t *q) { return g2_eq(p, q); }
int zr_bn254_g2_is_on_curve(const zr_bn254_g2_t *p) { return g2_on_curve(p); }
void zr_bn254_g2_neg(zr_bn254_g2_t *out, const zr_bn254_g2_t *p) { g2_neg(out, p); }

void zr_bn254_g2_add(zr_bn254_g2_t *out, const zr_bn254_g2_t *p, const zr_bn254_g2_t *q)
{
    fp2_t one;
    fp2_set_one(&one);
    if (!g2_is_inf(q) && fp2_eq(&q->z, &one))
        g2_madd(out, p, &q->x, &q->y);
    else
        g2_add(out, p, q);
}

void zr__g2_to_affine(fp2_t *x, fp2_t *y, const zr_bn254_g2_t *p) { g2_affine(x, y, p); }
void zr__g2_mul_vt(zr_bn254_g2_t *out, const zr_bn254_g2_t *p, const uint64_t k[4]) { g2_mul_vt(out, p, k); }
void zr__g2_mul_ref(zr_bn254_g2_t *out, const zr_bn254_g2_t *p, const uint64_t k[4]) { g2_mul_ref(out, p, k); }

void zr__g2_psi(zr_bn254_g2_t *r, const zr_bn254_g2_t *a)
{
    /* On Jacobian coordinates: conj is a field automorphism, so apply it to X, Y, Z and
     * scale X, Y by the constants. */
    fp2_conj(&r->x, &a->x);
    fp2_mul(&r->x, &r->x, &PSI_X);
    fp2_conj(&r->y, &a->y);
    fp2_mul(&r->y, &r->y, &PSI_Y);
    fp2_conj(&r->z, &a->z);
}

int zr_bn254_g2_in_subgroup(const zr_bn254_g2_t *p)
{
    /* psi acts as multiplication by p = 6x^2 (mod r) on G2, and only there */
    static const uint64_t SIX_X2[4] = {0xf83e9682e87cfd46ULL, 0x6f4d8248eeb859fbULL, 0, 0};
    zr_bn254_g2_t a, b;
    g2_mul_vt(&a, p, SIX_X2);
    zr__g2_psi(&b, p);
    return g2_eq(&a, &b);
}

static void be32_to_limbs(uint64_t out[4], const uint8_t k[32])
{
    for (int i = 0; i < 4; i++) {
        uint64_t v = 0;
        for (int j = 0; j < 8; j++)
            v = (v << 8) | k[(3 - i) * 8 + j];
        out[i] = v;
    }
}

void zr_bn254_g2_mul(zr_bn254_g2_t *out, const zr_bn254_g2_t *p, const uint8_t k[32])
{
    uint64_t l[4];
    be32_to_limbs(l, k);
    g2_mul_vt(out, p, l);
}

void zr_bn254_g2_mul_fr(zr_bn254_g2_t *out, const zr_bn254_g2_t *p, const zr_bn254_fr_t *k)
{
    uint64_t l[4];
    zr__fr_from_mont(l, k);
    g2_mul_vt(out, p, l);
}

/* psi in homogeneous projective coordinates (the same map as on Jacobian ones) */
static void g2_proj_psi(g2_proj_t *r, const g2_proj_t *a)
{
    fp2_conj(&r->x, &a->x);
    fp2_mul(&r->x, &r->x, &PSI_X);
    fp2_conj(&r->y, &a->y);
    fp2_mul(&r->y, &r->y, &PSI_Y);
    fp2_conj(&r->z, &a->z);
}

/* k = k0 + k1 * 6x^2 with k0 < 6x^2 < 2^127 and k1 < 2^127: long division by a public
 * constant, constant time in k. */
static void gls_split(uint64_t k0[2], uint64_t k1[2], const uint64_t k[4])
{
    static const uint64_t L[2] = {0xf83e9682e87cfd46ULL, 0x6f4d8248eeb859fbULL};
    uint64_t r0 = 0, r1 = 0, q[4] = {0, 0, 0, 0};
    for (int i = 255; i >= 0; i--) {
        /* rem = 2 rem + bit (rem < 2^127, so no overflow) */
        r1 = (r1 << 1) | (r0 >> 63);
        r0 = (r0 << 1) | ((k[i / 64] >> (i % 64)) & 1);
        u128 d = (u128)r0 - L[0];
        uint64_t s0 = (uint64_t)d;
        d = (u128)r1 - L[1] - (uint64_t)(d >> 127);
        uint64_t s1 = (uint64_t)d;
        uint64_t ge = ((uint64_t)(d >> 127)) ^ 1; /* no borrow: rem >= L */
        uint64_t m = 0 - ge;
        r0 ^= m & (r0 ^ s0);
        r1 ^= m & (r1 ^ s1);
        q[i / 64] |= ge << (i % 64);
    }
    k0[0] = r0;
    k0[1] = r1;
    k1[0] = q[0];
    k1[1] = q[1]; /* q < 2^127: the upper limbs are zero */
    zr_wipe(q, sizeof q);
}

/* k*p for p in G2 (where psi(p) = [6x^2] p), constant time in k: 32 windows of 4 bits over
 * both halves of the GLS split. */
void zr_bn254_g2_mul_ct(zr_bn254_g2_t *out, const zr_bn254_g2_t *p, const zr_bn254_fr_t *k)
{
    uint64_t l[4], k0[2], k1[2];
    zr__fr_from_mont(l, k);
    gls_split(k0, k1, l);
    g2_proj_t t1[16], t2[16], acc, sel;
    g2_to_proj(&t1[1], p);
    fp2_set_zero(&t1[0].x);
    fp2_set_one(&t1[0].y);
    fp2_set_zero(&t1[0].z);
    for (int i = 2; i < 16; i++)
        g2_proj_add(&t1[i], &t1[i - 1], &t1[1]);
    for (int i = 0; i < 16; i++)
        g2_proj_psi(&t2[i], &t1[i]);
    acc = t1[0];
    for (int w = 31; w >= 0; w--) {
        for (int s = 0; s < 4; s++)
            g2_proj_dbl(&acc, &acc);
        g2_proj_select(&sel, t1, (k0[w / 16] >> ((w % 16) * 4)) & 15);
        g2_proj_add(&acc, &acc, &sel);
        g2_proj_select(&sel, t2, (k1[w / 16] >> ((w % 16) * 4)) & 15);
        g2_proj_add(&acc, &acc, &sel);
    }
    g2_from_proj(out, &acc);
    zr_wipe(l, sizeof l);
    zr_wipe(k0, sizeof k0);
    zr_wipe(k1, sizeof k1);
    zr_wipe(t1, sizeof t1);
    zr_wipe(t2, sizeof t2);
    zr_wipe(&acc, sizeof acc);
    zr_wipe(&sel, sizeof sel);
}

/* The plain fixed-window constant-time multiply, for tests. */
void zr__g2_mul_ct_plain(zr_bn254_g2_t *out, const zr_bn254_g2_t *p, const uint64_t k[4])
{
    g2_mul_ct(out, p, k);
}

int zr_bn254_g2_decode(zr_bn254_g2_t *out, const uint8_t in[128])
{
    int rc;
    zr_bn254_g2_t p;
    if ((rc = zr__fp_from_bytes(&p.x.c1, in)) != 0 || (rc = zr__fp_from_bytes(&p.x.c0, in + 32)) != 0 ||
        (rc = zr__fp_from_bytes(&p.y.c1, in + 64)) != 0 || (rc = zr__fp_from_bytes(&p.y.c0, in + 96)) != 0)
        return rc;
    if (fp2_is_zero(&p.x) && fp2_is_zero(&p.y)) {
        g2_set_inf(out);
        return 0;
    }
    fp2_set_one(&p.z);
    if (!g2_on_curve(&p) || !zr_bn254_g2_in_subgroup(&p))
        return ZR_EBADPOINT;
    *out = p;
    return 0;
}

void zr_bn254_g2_encode(uint8_t out[128], const zr_bn254_g2_t *p)
{
    fp2_t x, y;
    g2_affine(&x, &y, p);
    zr__fp_to_bytes(out, &x.c1);
    zr__fp_to_bytes(out + 32, &x.c0);
    zr__fp_to_bytes(out + 64, &y.c1);
    zr__fp_to_bytes(out + 96, &y.c0);
}
