// SPDX-License-Identifier: MIT
// The optimal ate pairing on BN254: a Miller loop over the NAF of 6x+2 with G2 in
// homogeneous projective coordinates and lines evaluated on the fly (Costello-Lange-Naehrig
// doubling, Aranha et al. mixed addition, D-type twist, sparse line products), one shared
// Fp12 squaring per step for a product of pairings, then the final exponentiation.
#include <stdlib.h>

#include "bn254_int.h"

/* NAF of 6x + 2, least significant digit first (66 digits, the top one is 1). */
static const int8_t ATE_NAF[66] = {
    0, 0, 0, 1, 0, 1, 0, -1, 0, 0, -1, 0, 0, 0, 1, 0, 0, -1, 0, -1, 0, 0, 0, 1, 0, -1, 0, 0, 0, 0, -1, 0, 0,
    1, 0, -1, 0, 0, 1, 0, 0, 0, 0, 0, -1, 0, 0, -1, 0, 1, 0, -1, 0, 0, 0, -1, 0, -1, 0, 0, 0, 1, 0, -1, 0, 1};

/* 3 b' = 3 * 3/(9+u) */
static const fp2_t B2_3 = {{{0x3baa927cb62e0d6aULL, 0xd71e7c52d1b664fdULL, 0x03873e63d95d4664ULL, 0x0e75b5b1082ab8f4ULL}},
                           {{0xaab7c6667596fe35ULL, 0x31d21a78bb6a27baULL, 0x85dd7297680401ffULL, 0x03c52d6adf39a7e9ULL}}};

static void fp_half(fp_t *r, const fp_t *a)
{
    uint64_t mask = (uint64_t)0 - (a->l[0] & 1);
    uint64_t t[4];
    u128 s = 0;
    for (int i = 0; i < 4; i++) {
        s = (u128)a->l[i] + (zr__bn254_p.m[i] & mask) + (uint64_t)(s >> 64);
        t[i] = (uint64_t)s;
    }
    for (int i = 0; i < 3; i++)
        r->l[i] = (t[i] >> 1) | (t[i + 1] << 63);
    r->l[3] = t[3] >> 1; /* a + p < 2^255: no carry out */
}

static void fp2_half(fp2_t *r, const fp2_t *a)
{
    fp_half(&r->c0, &a->c0);
    fp_half(&r->c1, &a->c1);
}

typedef struct pair_state {
    fp_t xp3, myp, mxp, yp; /* 3 xP, -yP, -xP, yP */
    fp2_t qx, qy, nqy;      /* Q affine and -yQ */
    fp2_t X, Y, Z;          /* T */
} pair_state_t;

/* T = 2T; f *= line tangent at T evaluated at P */
static void dbl_step(fp12_t *f, pair_state_t *s)
{
    fp2_t A, B, C, E, F, G, H, I, J, t;
    fp2_mul(&A, &s->X, &s->Y);
    fp2_half(&A, &A);
    fp2_sqr(&B, &s->Y);
    fp2_sqr(&C, &s->Z);
    fp2_mul(&E, &C, &B2_3);
    fp2_dbl(&F, &E);
    fp2_add(&F, &F, &E);
    fp2_add(&G, &B, &F);
    fp2_half(&G, &G);
    fp2_add(&H, &s->Y, &s->Z);
    fp2_sqr(&H, &H);
    fp2_add(&t, &B, &C);
    fp2_sub(&H, &H, &t);
    fp2_sub(&I, &E, &B);
    fp2_sqr(&J, &s->X);
    /* X3 = A (B - F), Y3 = G^2 - 3 E^2, Z3 = B H */
    fp2_sub(&t, &B, &F);
    fp2_mul(&s->X, &A, &t);
    fp2_sqr(&G, &G);
    fp2_sqr(&t, &E);
    fp2_sub(&G, &G, &t);
    fp2_dbl(&t, &t);
    fp2_sub(&s->Y, &G, &t);
    fp2_mul(&s->Z, &B, &H);
    /* line: -H yP + 3 J xP w + I w^3 */
    fp2_t a0, b0;
    fp2_mul_fp(&a0, &H, &s->myp);
    fp2_mul_fp(&b0, &J, &s->xp3);
    zr__fp12_mul_line(f, &a0, &b0, &I);
}

/* T = T + (qx, qy); f *= line through T and Q evaluated at P */
static void add_step(fp12_t *f, pair_state_t *s, const fp2_t *qx, const fp2_t *qy)
{
    fp2_t theta, lam, C, D, E, F, G, H, t;
    fp2_mul(&t, qy, &s->Z);
    fp2_sub(&theta, &s->Y, &t);
    fp2_mul(&t, qx, &s->Z);
    fp2_sub(&lam, &s->X, &t);
    fp2_sqr(&C, &theta);
    fp2_sqr(&D, &lam);
    fp2_mul(&E, &lam, &D);
    fp2_mul(&F, &s->Z, &C);
    fp2_mul(&G, &s->X, &D);
    fp2_add(&H, &E, &F);
    fp2_sub(&H, &H, &G);
    fp2_sub(&H, &H, &G);
    fp2_mul(&s->X, &lam, &H);
    fp2_sub(&t, &G, &H);
    fp2_mul(&t, &theta, &t);
    fp2_mul(&G, &s->Y, &E);
    fp2_sub(&s->Y, &t, &G);
    fp2_mul(&s->Z, &s->Z, &E);
    /* line: lam yP - theta xP w + (theta xQ - lam yQ) w^3 */
    fp2_t a0, b0, b1;
    fp2_mul_fp(&a0, &lam, &s->yp);
    fp2_mul_fp(&b0, &theta, &s->mxp);
    fp2_mul(&b1, &theta, qx);
    fp2_mul(&t, &lam, qy);
    fp2_sub(&b1, &b1, &t);
    zr__fp12_mul_line(f, &a0, &b0, &b1);
}

#define MAX_STACK_PAIRS 8

void zr__miller_loop(fp12_t *f, const zr_bn254_g1_t *p, const zr_bn254_g2_t *q, size_t n)
{
    pair_state_t stack[MAX_STACK_PAIRS], *st = stack;
    zr__fp12_one(f);
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!zr_bn254_g1_is_infinity(&p[i]) && !zr_bn254_g2_is_infinity(&q[i]))
            m++;
    if (m == 0)
        return;
    if (m > MAX_STACK_PAIRS) {
        st = malloc(m * sizeof *st);
        if (!st) { /* fall back to one pair at a time */
            for (size_t i = 0; i < n; i++) {
                fp12_t g;
                zr__miller_loop(&g, &p[i], &q[i], 1);
                zr__fp12_mul(f, f, &g);
            }
            return;
        }
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (zr_bn254_g1_is_infinity(&p[i]) || zr_bn254_g2_is_infinity(&q[i]))
            continue;
        pair_state_t *s = &st[k++];
        fp_t x, y;
        zr__g1_to_affine(&x, &y, &p[i]);
        fp_dbl(&s->xp3, &x);
        fp_add(&s->xp3, &s->xp3, &x);
        fp_neg(&s->mxp, &x);
        fp_neg(&s->myp, &y);
        s->yp = y;
        zr__g2_to_affine(&s->qx, &s->qy, &q[i]);
        fp2_neg(&s->nqy, &s->qy);
        s->X = s->qx;
        s->Y = s->qy;
        fp2_set_one(&s->Z);
    }
    for (int i = 64; i >= 0; i--) {
        if (i != 64)
            zr__fp12_sqr(f, f);
        for (size_t j = 0; j < m; j++)
            dbl_step(f, &st[j]);
        if (ATE_NAF[i] == 1) {
            for (size_t j = 0; j < m; j++)
                add_step(f, &st[j], &st[j].qx, &st[j].qy);
        } else if (ATE_NAF[i] == -1) {
            for (size_t j = 0; j < m; j++)
                add_step(f, &st[j], &st[j].qx, &st[j].nqy);
        }
    }
    for (size_t j = 0; j < m; j++) {
        zr_bn254_g2_t q0, q1, q2;
        q0.x = st[j].qx;
        q0.y = st[j].qy;
        fp2_set_one(&q0.z);
        zr__g2_psi(&q1, &q0);
        zr__g2_psi(&q2, &q1);
        fp2_neg(&q2.y, &q2.y);
        add_step(f, &st[j], &q1.x, &q1.y);
        add_step(f, &st[j], &q2.x, &q2.y);
    }
    if (st != stack)
        free(st);
}

static void gt_from(zr_bn254_gt_t *out, const fp12_t *a)
{
    out->c[0][0] = a->c0.c0;
    out->c[0][1] = a->c0.c1;
    out->c[0][2] = a->c0.c2;
    out->c[1][0] = a->c1.c0;
    out->c[1][1] = a->c1.c1;
    out->c[1][2] = a->c1.c2;
}

static void gt_to(fp12_t *out, const zr_bn254_gt_t *a)
{
    out->c0.c0 = a->c[0][0];
    out->c0.c1 = a->c[0][1];
    out->c0.c2 = a->c[0][2];
    out->c1.c0 = a->c[1][0];
    out->c1.c1 = a->c[1][1];
    out->c1.c2 = a->c[1][2];
}

void zr_bn254_pairing(zr_bn254_gt_t *out, const zr_bn254_g1_t *p, const zr_bn254_g2_t *q)
{
    fp12_t f;
    zr__miller_loop(&f, p, q, 1);
    zr__fp12_final_exp(&f, &f);
    gt_from(out, &f);
}

int zr_bn254_pairing_check(const zr_bn254_g1_t *p, const zr_bn254_g2_t *q, size_t n)
{
    fp12_t f;
    zr__miller_loop(&f, p, q, n);
    zr__fp12_final_exp(&f, &f);
    return zr__fp12_is_one(&f);
}

int zr_bn254_gt_eq(const zr_bn254_gt_t *a, const zr_bn254_gt_t *b)
{
    fp12_t x, y;
    gt_to(&x, a);
    gt_to(&y, b);
    return zr__fp12_eq(&x, &y);
}

int zr_bn254_gt_is_one(const zr_bn254_gt_t *a)
{
    fp12_t x;
    gt_to(&x, a);
    return zr__fp12_is_one(&x);
}

void zr_bn254_gt_mul(zr_bn254_gt_t *out, const zr_bn254_gt_t *a, const zr_bn254_gt_t *b)
{
    fp12_t x, y;
    gt_to(&x, a);
    gt_to(&y, b);
    zr__fp12_mul(&x, &x, &y);
    gt_from(out, &x);
}

void zr_bn254_gt_encode(uint8_t out[384], const zr_bn254_gt_t *a)
{
    const fp2_t *c = &a->c[0][0];
    for (int i = 0; i < 6; i++) {
        zr__fp_to_bytes(out + 64 * i, &c[i].c0);
        zr__fp_to_bytes(out + 64 * i + 32, &c[i].c1);
    }
}
