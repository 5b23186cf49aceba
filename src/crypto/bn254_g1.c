// SPDX-License-Identifier: MIT
// BN254 G1 (y^2 = x^3 + 3 over Fp): group law, scalar multiplication (variable time for
// public scalars, constant time for secrets), the precompile encoding and hashToG1 by
// try-and-increment as EigenLayer's BN254.hashToG1 computes it.
#include "bn254_int.h"

static const fp_t G1_B = {{0x7a17caa950ad28d7ULL, 0x1f6ac17ae15521b9ULL, 0x334bea4e696bd284ULL,
                           0x2a1f6744ce179d8eULL}}; /* 3 */

/* r = 9 a (3b = 9) with additions: cheaper than a multiplication */
static inline void fp_mul9(fp_t *r, const fp_t *a)
{
    fp_t t;
    fp_dbl(&t, a);
    fp_dbl(&t, &t);
    fp_dbl(&t, &t);
    fp_add(r, &t, a);
}

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
#define F_mul_b3 fp_mul9
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


/* ---- GLV: k P = k1 P + k2 phi(P), phi(x, y) = (beta x, y) = lambda P, |k1|, |k2| < 2^128 ---- */
static const fp_t GLV_BETA = {{0x71930c11d782e155ULL, 0xa6bb947cffbe3323ULL, 0xaa303344d4741444ULL,
                               0x2c3b3f0d26594943ULL}};
/* the short lattice basis (a1, b1), (a2, b2) of {(x, y): x + y lambda = 0 mod r}, as
 * Montgomery residues mod r (a1 = b2 = 9931322734385697763, b1 < 0), and
 * g1 = round(2^256 b2 / r), g2 = round(-2^256 b1 / r) */
static const uint64_t GLV_A1[4] = {0x24652cc2a81f4c29ULL, 0xb67a59f4814d4d84ULL, 0xf71dfeba0ae59e71ULL, 0x14ee37d3e52329dfULL};
static const uint64_t GLV_A2[4] = {0x5001b1ef4f009a9bULL, 0xbd5e82c846474116ULL, 0x5fec7030d27930cfULL, 0x03e59388fe18f17eULL};
static const uint64_t GLV_B1[4] = {0xd4637ad3591eb18eULL, 0xf91bd72c3b060c6dULL, 0x97318e89386c6da1ULL, 0x1108a44ae70a3861ULL};
static const uint64_t GLV_G1[3] = {0xd91d232ec7e0b3d7ULL, 0x0000000000000002ULL, 0};
static const uint64_t GLV_G2[3] = {0x7a7bd9d4391eb18eULL, 0x4ccef014a773d2cfULL, 0x0000000000000002ULL};

/* (k g) >> 256 for k < 2^256, g < 2^192 (fixed loops: constant time) */
static void mul_shift256(uint64_t c[4], const uint64_t k[4], const uint64_t g[3])
{
    uint64_t w[7] = {0};
    for (int i = 0; i < 4; i++) {
        uint64_t carry = 0;
        for (int j = 0; j < 3; j++) {
            u128 t = (u128)k[i] * g[j] + w[i + j] + carry;
            w[i + j] = (uint64_t)t;
            carry = (uint64_t)(t >> 64);
        }
        w[i + 3] = carry;
    }
    c[0] = w[4];
    c[1] = w[5];
    c[2] = w[6];
    c[3] = 0;
}

/* k = k1 + k2 lambda (mod r); returns |k1|, |k2| and their signs (1 = negative). */
static void glv_split(uint64_t k1[4], uint64_t k2[4], uint64_t *neg1, uint64_t *neg2, const uint64_t k[4])
{
    static const uint64_t zero[4] = {0, 0, 0, 0};
    uint64_t c1[4], c2[4], t[4], u[4];
    mul_shift256(c1, k, GLV_G1);
    mul_shift256(c2, k, GLV_G2);
    /* k1 = k - c1 a1 - c2 a2, k2 = -c1 b1 - c2 b2 with b2 = a1 (Montgomery products of a plain
     * value by a Montgomery residue give plain values) */
    mont_mul(t, c1, GLV_A1, R_MOD);
    mod_sub(k1, k, t, R_MOD);
    mont_mul(t, c2, GLV_A2, R_MOD);
    mod_sub(k1, k1, t, R_MOD);
    mont_mul(t, c1, GLV_B1, R_MOD);
    mont_mul(u, c2, GLV_A1, R_MOD);
    mod_add(t, t, u, R_MOD);
    mod_sub(k2, zero, t, R_MOD);
    /* a residue above 2^130 is a small negative number */
    uint64_t *ks[2] = {k1, k2}, *negs[2] = {neg1, neg2};
    for (int i = 0; i < 2; i++) {
        uint64_t hi = (ks[i][2] >> 2) | ks[i][3];
        uint64_t neg = (hi | (0 - hi)) >> 63;
        mod_sub(u, zero, ks[i], R_MOD);
        uint64_t m = 0 - neg;
        for (int j = 0; j < 4; j++)
            ks[i][j] ^= m & (ks[i][j] ^ u[j]);
        *negs[i] = neg;
    }
    zr_wipe(c1, sizeof c1);
    zr_wipe(c2, sizeof c2);
    zr_wipe(t, sizeof t);
    zr_wipe(u, sizeof u);
}

void zr_bn254_g1_mul_ct(zr_bn254_g1_t *out, const zr_bn254_g1_t *p, const zr_bn254_fr_t *k)
{
    uint64_t l[4], k1[4], k2[4], n1, n2;
    zr__fr_from_mont(l, k);
    glv_split(k1, k2, &n1, &n2, l);
    g1_proj_t t1[16], t2[16], acc, sel;
    g1_to_proj(&t1[1], p);
    fp_set_zero(&t1[0].x);
    fp_set_one(&t1[0].y);
    fp_set_zero(&t1[0].z);
    for (int i = 2; i < 16; i++)
        g1_proj_add(&t1[i], &t1[i - 1], &t1[1]);
    for (int i = 0; i < 16; i++) {
        /* t2[i] = phi(t1[i]), then the signs: -(X : Y : Z) = (X : -Y : Z) */
        fp_mul(&t2[i].x, &t1[i].x, &GLV_BETA);
        t2[i].z = t1[i].z;
        fp_t ny;
        fp_neg(&ny, &t1[i].y);
        t2[i].y = t1[i].y;
        fp_cmov(&t2[i].y, &ny, n2);
        fp_cmov(&t1[i].y, &ny, n1);
    }
    acc = t1[0];
    for (int w = 32; w >= 0; w--) { /* 33 windows of 4 bits cover |k_i| < 2^132 */
        for (int s = 0; s < 4; s++)
            g1_proj_dbl(&acc, &acc);
        g1_proj_select(&sel, t1, (k1[w / 16] >> ((w % 16) * 4)) & 15);
        g1_proj_add(&acc, &acc, &sel);
        g1_proj_select(&sel, t2, (k2[w / 16] >> ((w % 16) * 4)) & 15);
        g1_proj_add(&acc, &acc, &sel);
    }
    g1_from_proj(out, &acc);
    zr_wipe(l, sizeof l);
    zr_wipe(k1, sizeof k1);
    zr_wipe(k2, sizeof k2);
    zr_wipe(&n1, sizeof n1);
    zr_wipe(&n2, sizeof n2);
    zr_wipe(t1, sizeof t1);
    zr_wipe(t2, sizeof t2);
    zr_wipe(&acc, sizeof acc);
    zr_wipe(&sel, sizeof sel);
}

/* Variable time with the endomorphism: interleaved width-5 NAFs of k1 (on +-P) and k2 (on
 * +-phi(P)); k must be < r. */
static void g1_mul_glv_vt(zr_bn254_g1_t *out, const zr_bn254_g1_t *p, const uint64_t k[4])
{
    uint64_t k1[4], k2[4], n1, n2;
    glv_split(k1, k2, &n1, &n2, k);
    int8_t naf1[260], naf2[260];
    int len1 = g1_wnaf(naf1, k1), len2 = g1_wnaf(naf2, k2);
    zr_bn254_g1_t t1[8], t2[8], p2, acc;
    if (n1)
        g1_neg(&t1[0], p);
    else
        t1[0] = *p;
    g1_dbl(&p2, &t1[0]);
    for (int i = 1; i < 8; i++)
        g1_add(&t1[i], &t1[i - 1], &p2);
    for (int i = 0; i < 8; i++) {
        fp_mul(&t2[i].x, &t1[i].x, &GLV_BETA);
        t2[i].z = t1[i].z;
        if (n1 != n2)
            fp_neg(&t2[i].y, &t1[i].y);
        else
            t2[i].y = t1[i].y;
    }
    g1_set_inf(&acc);
    for (int i = (len1 > len2 ? len1 : len2) - 1; i >= 0; i--) {
        g1_dbl(&acc, &acc);
        if (i < len1)
            g1_add_digit(&acc, t1, naf1[i]);
        if (i < len2)
            g1_add_digit(&acc, t2, naf2[i]);
    }
    *out = acc;
}

void zr_bn254_g1_mul(zr_bn254_g1_t *out, const zr_bn254_g1_t *p, const uint8_t k[32])
{
    /* ecMul takes any 256-bit k: reduce mod r first (p has order r) */
    zr_bn254_fr_t f;
    uint64_t l[4];
    zr_bn254_fr_from_bytes_reduce(&f, k);
    zr__fr_from_mont(l, &f);
    g1_mul_glv_vt(out, p, l);
}

void zr_bn254_g1_mul_fr(zr_bn254_g1_t *out, const zr_bn254_g1_t *p, const zr_bn254_fr_t *k)
{
    uint64_t l[4];
    zr__fr_from_mont(l, k);
    g1_mul_glv_vt(out, p, l);
}

/* The plain fixed-window constant-time multiply (no endomorphism), kept as a second
 * constant-time path the tests compare with. */
void zr__g1_mul_ct_plain(zr_bn254_g1_t *out, const zr_bn254_g1_t *p, const uint64_t k[4])
{
    g1_mul_ct(out, p, k);
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
