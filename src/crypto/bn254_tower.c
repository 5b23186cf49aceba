// SPDX-License-Identifier: MIT
// The BN254 extension tower above Fp2: Fp6 = Fp2[v]/(v^3 - (9+u)), Fp12 = Fp6[w]/(w^2 - v)
// (the tower of EIP-197 implementations and @noble/curves), Karatsuba products, the sparse
// line product of the Miller loop, Frobenius maps, Granger-Scott cyclotomic squaring and the
// final exponentiation (the hard part follows @noble/curves so GT values match it).
#include "bn254_int.h"

/* FROBn[k] = xi^(k (p^n - 1) / 6) in Montgomery form, for the coefficient of w^k. */
static const fp2_t FROB1[6] = {
    {{{0xd35d438dc58f0d9dULL, 0x0a78eb28f5c70b3dULL, 0x666ea36f7879462cULL, 0x0e0a77c19a07df2fULL}}, {{0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL}}},
    {{{0xaf9ba69633144907ULL, 0xca6b1d7387afb78aULL, 0x11bded5ef08a2087ULL, 0x02f34d751a1f3a7cULL}}, {{0xa222ae234c492d72ULL, 0xd00f02a4565de15bULL, 0xdc2ff3a253dfc926ULL, 0x10a75716b3899551ULL}}},
    {{{0xb5773b104563ab30ULL, 0x347f91c8a9aa6454ULL, 0x7a007127242e0991ULL, 0x1956bcd8118214ecULL}}, {{0x6e849f1ea0aa4757ULL, 0xaa1c7b6d89f89141ULL, 0xb6e713cdfae0ca3aULL, 0x26694fbb4e82ebc3ULL}}},
    {{{0xe4bbdd0c2936b629ULL, 0xbb30f162e133bacbULL, 0x31a9d1b6f9645366ULL, 0x253570bea500f8ddULL}}, {{0xa1d77ce45ffe77c7ULL, 0x07affd117826d1dbULL, 0x6d16bd27bb7edc6bULL, 0x2c87200285defeccULL}}},
    {{{0x7361d77f843abe92ULL, 0xa5bb2bd3273411fbULL, 0x9c941f314b3e2399ULL, 0x15df9cddbb9fd3ecULL}}, {{0x5dddfd154bd8c949ULL, 0x62cb29a5a4445b60ULL, 0x37bc870a0c7dd2b9ULL, 0x24830a9d3171f0fdULL}}},
    {{{0xc970692f41690fe7ULL, 0xe240342127694b0bULL, 0x32bee66b83c459e8ULL, 0x12aabced0ab08841ULL}}, {{0x0d485d2340aebfa9ULL, 0x05193418ab2fcc57ULL, 0xd3b0a40b8a4910f5ULL, 0x2f21ebb535d2925aULL}}},
};
static const fp2_t FROB2[6] = {
    {{{0xd35d438dc58f0d9dULL, 0x0a78eb28f5c70b3dULL, 0x666ea36f7879462cULL, 0x0e0a77c19a07df2fULL}}, {{0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL}}},
    {{{0xca8d800500fa1bf2ULL, 0xf0c5d61468b39769ULL, 0x0e201271ad0d4418ULL, 0x04290f65bad856e6ULL}}, {{0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL}}},
    {{{0x3350c88e13e80b9cULL, 0x7dce557cdb5e56b9ULL, 0x6001b4b8b615564aULL, 0x2682e617020217e0ULL}}, {{0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL}}},
    {{{0x68c3488912edefaaULL, 0x8d087f6872aabf4fULL, 0x51e1a24709081231ULL, 0x2259d6b14729c0faULL}}, {{0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL}}},
    {{{0x71930c11d782e155ULL, 0xa6bb947cffbe3323ULL, 0xaa303344d4741444ULL, 0x2c3b3f0d26594943ULL}}, {{0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL}}},
    {{{0x08cfc388c494f1abULL, 0x19b315148d1373d4ULL, 0x584e90fdcb6c0213ULL, 0x09e1685bdf2f8849ULL}}, {{0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL}}},
};
static const fp2_t FROB3[6] = {
    {{{0xd35d438dc58f0d9dULL, 0x0a78eb28f5c70b3dULL, 0x666ea36f7879462cULL, 0x0e0a77c19a07df2fULL}}, {{0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL}}},
    {{{0x365316184e46d97dULL, 0x0af7129ed4c96d9fULL, 0x659da72fca1009b5ULL, 0x08116d8983a20d23ULL}}, {{0xb1df4af7c39c1939ULL, 0x3d9f02878a73bf7fULL, 0x9b2220928caf0ae0ULL, 0x26684515eff054a6ULL}}},
    {{{0xc9af22f716ad6badULL, 0xb311782a4aa662b2ULL, 0x19eeaf64e248c7f4ULL, 0x20273e77e3439f82ULL}}, {{0xacc02860f7ce93acULL, 0x3933d5817ba76b4cULL, 0x69e6188b446c8467ULL, 0x0a46036d4417cc55ULL}}},
    {{{0x5764af0aaf46471eULL, 0xdc50792e873e0fc1ULL, 0x86a673ff881d04f6ULL, 0x0b2eddb43c30a74cULL}}, {{0x9a490f32787e8580ULL, 0x8fd16d7ff04af8b1ULL, 0x4b39888ec6027bf2ULL, 0x03dd2e705b52a15dULL}}},
    {{{0x448a93a57b6762dfULL, 0xbfd62df528fdeadfULL, 0xd858f5d00e9bd47aULL, 0x06b03d4d3476ec58ULL}}, {{0x2b19daf4bcc936d1ULL, 0xa1a54e7a56f4299fULL, 0xb533eee05adeaef1ULL, 0x170c812b84dda0b2ULL}}},
    {{{0xe0bc4b2275cf559fULL, 0xc238b945c154e60fULL, 0x803982a5929a7d5eULL, 0x15ce052df7e4a37eULL}}, {{0x2d28efbdbf3799a7ULL, 0x9b097e3c1ad60773ULL, 0x982d4113af4a535bULL, 0x24e18991e3056063ULL}}},
};

/* ---- Fp6 --------------------------------------------------------------------------------- */
static void fp6_add(fp6_t *r, const fp6_t *a, const fp6_t *b)
{
    fp2_add(&r->c0, &a->c0, &b->c0);
    fp2_add(&r->c1, &a->c1, &b->c1);
    fp2_add(&r->c2, &a->c2, &b->c2);
}

static void fp6_sub(fp6_t *r, const fp6_t *a, const fp6_t *b)
{
    fp2_sub(&r->c0, &a->c0, &b->c0);
    fp2_sub(&r->c1, &a->c1, &b->c1);
    fp2_sub(&r->c2, &a->c2, &b->c2);
}

static void fp6_neg(fp6_t *r, const fp6_t *a)
{
    fp2_neg(&r->c0, &a->c0);
    fp2_neg(&r->c1, &a->c1);
    fp2_neg(&r->c2, &a->c2);
}

/* r = a * v = (xi a2, a0, a1) */
static void fp6_mul_v(fp6_t *r, const fp6_t *a)
{
    fp2_t t;
    fp2_mul_xi(&t, &a->c2);
    r->c2 = a->c1;
    r->c1 = a->c0;
    r->c0 = t;
}

void zr__fp6_mul(fp6_t *r, const fp6_t *a, const fp6_t *b)
{
    fp2_t t0, t1, t2, s0, s1, c0, c1, c2;
    fp2_mul(&t0, &a->c0, &b->c0);
    fp2_mul(&t1, &a->c1, &b->c1);
    fp2_mul(&t2, &a->c2, &b->c2);
    /* c0 = t0 + xi((a1+a2)(b1+b2) - t1 - t2) */
    fp2_add(&s0, &a->c1, &a->c2);
    fp2_add(&s1, &b->c1, &b->c2);
    fp2_mul(&c0, &s0, &s1);
    fp2_sub(&c0, &c0, &t1);
    fp2_sub(&c0, &c0, &t2);
    fp2_mul_xi(&c0, &c0);
    fp2_add(&c0, &c0, &t0);
    /* c1 = (a0+a1)(b0+b1) - t0 - t1 + xi t2 */
    fp2_add(&s0, &a->c0, &a->c1);
    fp2_add(&s1, &b->c0, &b->c1);
    fp2_mul(&c1, &s0, &s1);
    fp2_sub(&c1, &c1, &t0);
    fp2_sub(&c1, &c1, &t1);
    fp2_mul_xi(&s0, &t2);
    fp2_add(&c1, &c1, &s0);
    /* c2 = (a0+a2)(b0+b2) - t0 - t2 + t1 */
    fp2_add(&s0, &a->c0, &a->c2);
    fp2_add(&s1, &b->c0, &b->c2);
    fp2_mul(&c2, &s0, &s1);
    fp2_sub(&c2, &c2, &t0);
    fp2_sub(&c2, &c2, &t2);
    fp2_add(&c2, &c2, &t1);
    r->c0 = c0;
    r->c1 = c1;
    r->c2 = c2;
}

void zr__fp6_sqr(fp6_t *r, const fp6_t *a)
{
    /* Chung-Hasan SQR2 */
    fp2_t s0, s1, s2, s3, s4, t;
    fp2_sqr(&s0, &a->c0);
    fp2_mul(&s1, &a->c0, &a->c1);
    fp2_dbl(&s1, &s1);
    fp2_sub(&t, &a->c0, &a->c1);
    fp2_add(&t, &t, &a->c2);
    fp2_sqr(&s2, &t);
    fp2_mul(&s3, &a->c1, &a->c2);
    fp2_dbl(&s3, &s3);
    fp2_sqr(&s4, &a->c2);
    fp2_t c0, c1, c2;
    fp2_mul_xi(&c0, &s3);
    fp2_add(&c0, &c0, &s0);
    fp2_mul_xi(&c1, &s4);
    fp2_add(&c1, &c1, &s1);
    fp2_add(&c2, &s1, &s2);
    fp2_add(&c2, &c2, &s3);
    fp2_sub(&c2, &c2, &s0);
    fp2_sub(&c2, &c2, &s4);
    r->c0 = c0;
    r->c1 = c1;
    r->c2 = c2;
}

void zr__fp6_inv(fp6_t *r, const fp6_t *a)
{
    fp2_t c0, c1, c2, t, s;
    /* c0 = a0^2 - xi a1 a2 */
    fp2_sqr(&c0, &a->c0);
    fp2_mul(&t, &a->c1, &a->c2);
    fp2_mul_xi(&t, &t);
    fp2_sub(&c0, &c0, &t);
    /* c1 = xi a2^2 - a0 a1 */
    fp2_sqr(&c1, &a->c2);
    fp2_mul_xi(&c1, &c1);
    fp2_mul(&t, &a->c0, &a->c1);
    fp2_sub(&c1, &c1, &t);
    /* c2 = a1^2 - a0 a2 */
    fp2_sqr(&c2, &a->c1);
    fp2_mul(&t, &a->c0, &a->c2);
    fp2_sub(&c2, &c2, &t);
    /* t = a0 c0 + xi (a2 c1 + a1 c2) */
    fp2_mul(&t, &a->c2, &c1);
    fp2_mul(&s, &a->c1, &c2);
    fp2_add(&t, &t, &s);
    fp2_mul_xi(&t, &t);
    fp2_mul(&s, &a->c0, &c0);
    fp2_add(&t, &t, &s);
    zr__fp2_inv(&t, &t);
    fp2_mul(&r->c0, &c0, &t);
    fp2_mul(&r->c1, &c1, &t);
    fp2_mul(&r->c2, &c2, &t);
}

/* r = a * (d0 + d1 v) */
static void fp6_mul_01(fp6_t *r, const fp6_t *a, const fp2_t *d0, const fp2_t *d1)
{
    fp2_t t0, t1, s0, s1, c0, c1, c2;
    fp2_mul(&t0, &a->c0, d0);
    fp2_mul(&t1, &a->c1, d1);
    /* c0 = t0 + xi ((a1 + a2) d1 - t1) */
    fp2_add(&s0, &a->c1, &a->c2);
    fp2_mul(&c0, &s0, d1);
    fp2_sub(&c0, &c0, &t1);
    fp2_mul_xi(&c0, &c0);
    fp2_add(&c0, &c0, &t0);
    /* c1 = (a0 + a1)(d0 + d1) - t0 - t1 */
    fp2_add(&s0, &a->c0, &a->c1);
    fp2_add(&s1, d0, d1);
    fp2_mul(&c1, &s0, &s1);
    fp2_sub(&c1, &c1, &t0);
    fp2_sub(&c1, &c1, &t1);
    /* c2 = (a0 + a2) d0 - t0 + t1 */
    fp2_add(&s0, &a->c0, &a->c2);
    fp2_mul(&c2, &s0, d0);
    fp2_sub(&c2, &c2, &t0);
    fp2_add(&c2, &c2, &t1);
    r->c0 = c0;
    r->c1 = c1;
    r->c2 = c2;
}

static void fp6_mul_fp2(fp6_t *r, const fp6_t *a, const fp2_t *b)
{
    fp2_mul(&r->c0, &a->c0, b);
    fp2_mul(&r->c1, &a->c1, b);
    fp2_mul(&r->c2, &a->c2, b);
}

/* ---- Fp12 -------------------------------------------------------------------------------- */
void zr__fp12_one(fp12_t *r)
{
    memset(r, 0, sizeof *r);
    fp2_set_one(&r->c0.c0);
}

int zr__fp12_eq(const fp12_t *a, const fp12_t *b)
{
    const fp2_t *x = &a->c0.c0, *y = &b->c0.c0;
    for (int i = 0; i < 6; i++)
        if (!fp2_eq(&x[i], &y[i]))
            return 0;
    return 1;
}

int zr__fp12_is_one(const fp12_t *a)
{
    fp12_t one;
    zr__fp12_one(&one);
    return zr__fp12_eq(a, &one);
}

void zr__fp12_mul(fp12_t *r, const fp12_t *a, const fp12_t *b)
{
    fp6_t t0, t1, s0, s1;
    zr__fp6_mul(&t0, &a->c0, &b->c0);
    zr__fp6_mul(&t1, &a->c1, &b->c1);
    fp6_add(&s0, &a->c0, &a->c1);
    fp6_add(&s1, &b->c0, &b->c1);
    zr__fp6_mul(&s0, &s0, &s1);
    fp6_sub(&s0, &s0, &t0);
    fp6_sub(&r->c1, &s0, &t1);
    fp6_mul_v(&t1, &t1);
    fp6_add(&r->c0, &t0, &t1);
}

void zr__fp12_sqr(fp12_t *r, const fp12_t *a)
{
    /* complex squaring: c0 = (a0 + a1)(a0 + v a1) - t - v t, c1 = 2t, t = a0 a1 */
    fp6_t t, s0, s1, vt;
    zr__fp6_mul(&t, &a->c0, &a->c1);
    fp6_add(&s0, &a->c0, &a->c1);
    fp6_mul_v(&s1, &a->c1);
    fp6_add(&s1, &s1, &a->c0);
    zr__fp6_mul(&s0, &s0, &s1);
    fp6_mul_v(&vt, &t);
    fp6_sub(&s0, &s0, &t);
    fp6_sub(&r->c0, &s0, &vt);
    fp6_add(&r->c1, &t, &t);
}

void zr__fp12_conj(fp12_t *r, const fp12_t *a)
{
    r->c0 = a->c0;
    fp6_neg(&r->c1, &a->c1);
}

void zr__fp12_inv(fp12_t *r, const fp12_t *a)
{
    /* (a0 - a1 w) / (a0^2 - v a1^2) */
    fp6_t t0, t1;
    zr__fp6_sqr(&t0, &a->c0);
    zr__fp6_sqr(&t1, &a->c1);
    fp6_mul_v(&t1, &t1);
    fp6_sub(&t0, &t0, &t1);
    zr__fp6_inv(&t0, &t0);
    zr__fp6_mul(&r->c0, &a->c0, &t0);
    zr__fp6_mul(&t1, &a->c1, &t0);
    fp6_neg(&r->c1, &t1);
}

void zr__fp12_mul_line(fp12_t *f, const fp2_t *a0, const fp2_t *b0, const fp2_t *b1)
{
    /* f = (fa + fb w), l = (a0 + (b0 + b1 v) w):
     * fa' = fa a0 + v fb (b0 + b1 v), fb' = (fa + fb)(a0 + b0 + b1 v) - fa a0 - fb (b0 + b1 v) */
    fp6_t t0, t1, s;
    fp2_t d0;
    fp6_mul_fp2(&t0, &f->c0, a0);
    fp6_mul_01(&t1, &f->c1, b0, b1);
    fp6_add(&s, &f->c0, &f->c1);
    fp2_add(&d0, a0, b0);
    fp6_mul_01(&s, &s, &d0, b1);
    fp6_sub(&s, &s, &t0);
    fp6_sub(&f->c1, &s, &t1);
    fp6_mul_v(&t1, &t1);
    fp6_add(&f->c0, &t0, &t1);
}

void zr__fp12_frob(fp12_t *r, const fp12_t *a, int n)
{
    const fp2_t *g = n == 1 ? FROB1 : n == 2 ? FROB2 : FROB3;
    const fp2_t *src[6] = {&a->c0.c0, &a->c1.c0, &a->c0.c1, &a->c1.c1, &a->c0.c2, &a->c1.c2};
    fp2_t *dst[6] = {&r->c0.c0, &r->c1.c0, &r->c0.c1, &r->c1.c1, &r->c0.c2, &r->c1.c2};
    for (int k = 0; k < 6; k++) { /* coefficient of w^k */
        fp2_t t;
        if (n & 1)
            fp2_conj(&t, src[k]);
        else
            t = *src[k];
        if (k == 0)
            *dst[k] = t;
        else
            fp2_mul(dst[k], &t, &g[k]);
    }
}

/* (a + b y)^2 in Fp4 = Fp2[y]/(y^2 - xi) */
static void fp4_sqr(fp2_t *r0, fp2_t *r1, const fp2_t *a, const fp2_t *b)
{
    fp2_t t0, t1, s;
    fp2_sqr(&t0, a);
    fp2_sqr(&t1, b);
    fp2_add(&s, a, b);
    fp2_sqr(&s, &s);
    fp2_sub(&s, &s, &t0);
    fp2_sub(r1, &s, &t1);
    fp2_mul_xi(&t1, &t1);
    fp2_add(r0, &t1, &t0);
}

void zr__fp12_cyc_sqr(fp12_t *r, const fp12_t *a)
{
    /* Fp12 = Fp4[z]/(z^3 - y), z = w, y = w^3: f = A + B z + C z^2 with
     * A = g0 + h1 y, B = h0 + g2 y, C = g1 + h2 y. In the cyclotomic subgroup
     * A' = 3A^2 - 2 conj(A), B' = 3 y C^2 + 2 conj(B), C' = 3 B^2 - 2 conj(C). */
    fp2_t a0, a1, b0, b1, c0, c1, t;
    fp4_sqr(&a0, &a1, &a->c0.c0, &a->c1.c1);
    fp4_sqr(&c0, &c1, &a->c1.c0, &a->c0.c2); /* B^2 -> C' */
    fp4_sqr(&b1, &b0, &a->c0.c1, &a->c1.c2); /* y C^2 = (xi c1, c0) */
    fp2_mul_xi(&b0, &b0);
    /* A' */
    fp2_sub(&t, &a0, &a->c0.c0);
    fp2_dbl(&t, &t);
    fp2_add(&r->c0.c0, &t, &a0);
    fp2_add(&t, &a1, &a->c1.c1);
    fp2_dbl(&t, &t);
    fp2_add(&r->c1.c1, &t, &a1);
    /* B' */
    fp2_add(&t, &b0, &a->c1.c0);
    fp2_dbl(&t, &t);
    fp2_add(&r->c1.c0, &t, &b0);
    fp2_sub(&t, &b1, &a->c0.c2);
    fp2_dbl(&t, &t);
    fp2_add(&r->c0.c2, &t, &b1);
    /* C' */
    fp2_sub(&t, &c0, &a->c0.c1);
    fp2_dbl(&t, &t);
    fp2_add(&r->c0.c1, &t, &c0);
    fp2_add(&t, &c1, &a->c1.c2);
    fp2_dbl(&t, &t);
    fp2_add(&r->c1.c2, &t, &c1);
}

/* a^x for the BN parameter x = 0x44e992b44a6909f1, a in the cyclotomic subgroup: a
 * width-4 sliding window over x (odd powers 1..15 precomputed as needed): 62 cyclotomic
 * squarings and 19 multiplications instead of 27 for plain square-and-multiply. */
static void cyc_exp_x(fp12_t *r, const fp12_t *a)
{
    /* (squarings, then multiply by a^odd) from the top of x, after starting at a^1 */
    static const uint8_t steps[][2] = {{7, 9}, {4, 13}, {4, 3}, {6, 9}, {5, 11}, {2, 1}, {7, 9},
                                       {5, 9}, {3, 5},  {3, 1}, {8, 9}, {4, 15}, {4, 1}};
    fp12_t t[16], a2, a4;
    t[1] = *a;
    zr__fp12_cyc_sqr(&a2, a);
    zr__fp12_cyc_sqr(&a4, &a2);
    zr__fp12_mul(&t[3], &t[1], &a2);
    zr__fp12_mul(&t[5], &t[3], &a2);
    zr__fp12_mul(&t[9], &t[5], &a4);
    zr__fp12_mul(&t[11], &t[9], &a2);
    zr__fp12_mul(&t[13], &t[11], &a2);
    zr__fp12_mul(&t[15], &t[13], &a2);
    fp12_t acc = t[1];
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        for (int k = 0; k < steps[i][0]; k++)
            zr__fp12_cyc_sqr(&acc, &acc);
        zr__fp12_mul(&acc, &acc, &t[steps[i][1]]);
    }
    *r = acc;
}

static void pow_minus_x(fp12_t *r, const fp12_t *a)
{
    cyc_exp_x(r, a);
    zr__fp12_conj(r, r);
}

void zr__fp12_final_exp(fp12_t *out, const fp12_t *f)
{
    fp12_t r0, r, t, y1, y2, y4, y6, y8, y9, a, b;
    /* easy part: f^((p^6 - 1)(p^2 + 1)) */
    zr__fp12_inv(&t, f);
    zr__fp12_conj(&r0, f);
    zr__fp12_mul(&r0, &r0, &t);
    zr__fp12_frob(&r, &r0, 2);
    zr__fp12_mul(&r, &r, &r0);
    /* hard part, the same chain as @noble/curves */
    pow_minus_x(&t, &r);
    zr__fp12_cyc_sqr(&y1, &t);
    zr__fp12_cyc_sqr(&y2, &y1);
    zr__fp12_mul(&y2, &y2, &y1);
    pow_minus_x(&y4, &y2);
    zr__fp12_cyc_sqr(&t, &y4);
    pow_minus_x(&y6, &t);
    zr__fp12_conj(&y8, &y6);
    zr__fp12_mul(&y8, &y8, &y4);
    zr__fp12_conj(&t, &y2);
    zr__fp12_mul(&y8, &y8, &t);
    zr__fp12_mul(&y9, &y8, &y1);
    /* frob3(conj(r) y9) * (frob2(y8) * (frob1(y9) * (y8 y4 r))) */
    zr__fp12_mul(&a, &y8, &y4);
    zr__fp12_mul(&a, &a, &r);
    zr__fp12_frob(&b, &y9, 1);
    zr__fp12_mul(&a, &b, &a);
    zr__fp12_frob(&b, &y8, 2);
    zr__fp12_mul(&a, &b, &a);
    zr__fp12_conj(&t, &r);
    zr__fp12_mul(&t, &t, &y9);
    zr__fp12_frob(&b, &t, 3);
    zr__fp12_mul(out, &b, &a);
}

/* Reference: schoolbook product over the 12 coefficients of w^k, k = 0..11, reduced with
 * w^6 = xi. Slow and obviously correct. */
void zr__fp12_mul_ref(fp12_t *r, const fp12_t *a, const fp12_t *b)
{
    const fp2_t *as[6] = {&a->c0.c0, &a->c1.c0, &a->c0.c1, &a->c1.c1, &a->c0.c2, &a->c1.c2};
    const fp2_t *bs[6] = {&b->c0.c0, &b->c1.c0, &b->c0.c1, &b->c1.c1, &b->c0.c2, &b->c1.c2};
    fp2_t acc[11];
    for (int k = 0; k < 11; k++)
        fp2_set_zero(&acc[k]);
    for (int i = 0; i < 6; i++)
        for (int j = 0; j < 6; j++) {
            fp2_t t;
            /* (x0 + x1 u)(y0 + y1 u) = x0y0 - x1y1 + (x0y1 + x1y0) u, no Karatsuba */
            fp_t p0, p1;
            fp_mul(&p0, &as[i]->c0, &bs[j]->c0);
            fp_mul(&p1, &as[i]->c1, &bs[j]->c1);
            fp_sub(&t.c0, &p0, &p1);
            fp_mul(&p0, &as[i]->c0, &bs[j]->c1);
            fp_mul(&p1, &as[i]->c1, &bs[j]->c0);
            fp_add(&t.c1, &p0, &p1);
            fp2_add(&acc[i + j], &acc[i + j], &t);
        }
    for (int k = 10; k >= 6; k--) {
        fp2_t t;
        fp2_mul_xi(&t, &acc[k]);
        fp2_add(&acc[k - 6], &acc[k - 6], &t);
    }
    fp2_t *dst[6] = {&r->c0.c0, &r->c1.c0, &r->c0.c1, &r->c1.c1, &r->c0.c2, &r->c1.c2};
    for (int k = 0; k < 6; k++)
        *dst[k] = acc[k];
}
