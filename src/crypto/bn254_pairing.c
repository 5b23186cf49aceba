// SPDX-License-Identifier: MIT
// The optimal ate pairing on BN254: a Miller loop over the NAF of 6x+2 with G2 in
// homogeneous projective coordinates and lines evaluated on the fly (Costello-Lange-Naehrig
// doubling, Aranha et al. mixed addition, D-type twist, sparse line products), one shared
// Fp12 squaring per step for a product of pairings, then the final exponentiation.
#include <pthread.h>
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

/* A line through points of the twist, evaluated at P = (xP, yP) as the sparse element
 * (c0 yP) + (c1 xP) w + c2 w^3 of Fp12. */
typedef struct line {
    fp2_t c0, c1, c2;
} line_t;

typedef struct g2_proj {
    fp2_t X, Y, Z; /* homogeneous: (X/Z, Y/Z) */
} g2_proj_t;

/* T = 2T, and the tangent at T: -H yP + 3 J xP w + I w^3 */
static void dbl_step(line_t *l, g2_proj_t *T)
{
    fp2_t A, B, C, E, F, G, H, J, t;
    fp2_mul(&A, &T->X, &T->Y);
    fp2_half(&A, &A);
    fp2_sqr(&B, &T->Y);
    fp2_sqr(&C, &T->Z);
    fp2_mul(&E, &C, &B2_3);
    fp2_dbl(&F, &E);
    fp2_add(&F, &F, &E);
    fp2_add(&G, &B, &F);
    fp2_half(&G, &G);
    fp2_add(&H, &T->Y, &T->Z);
    fp2_sqr(&H, &H);
    fp2_add(&t, &B, &C);
    fp2_sub(&H, &H, &t);
    fp2_sub(&l->c2, &E, &B);
    fp2_sqr(&J, &T->X);
    /* X3 = A (B - F), Y3 = G^2 - 3 E^2, Z3 = B H */
    fp2_sub(&t, &B, &F);
    fp2_mul(&T->X, &A, &t);
    fp2_sqr(&G, &G);
    fp2_sqr(&t, &E);
    fp2_sub(&G, &G, &t);
    fp2_dbl(&t, &t);
    fp2_sub(&T->Y, &G, &t);
    fp2_mul(&T->Z, &B, &H);
    fp2_neg(&l->c0, &H);
    fp2_dbl(&l->c1, &J);
    fp2_add(&l->c1, &l->c1, &J);
}

/* T = T + Q (Q affine), and the line through them: lam yP - theta xP w + (theta xQ - lam yQ) w^3 */
static void add_step(line_t *l, g2_proj_t *T, const fp2_t *qx, const fp2_t *qy)
{
    fp2_t theta, lam, C, D, E, F, G, H, t;
    fp2_mul(&t, qy, &T->Z);
    fp2_sub(&theta, &T->Y, &t);
    fp2_mul(&t, qx, &T->Z);
    fp2_sub(&lam, &T->X, &t);
    fp2_sqr(&C, &theta);
    fp2_sqr(&D, &lam);
    fp2_mul(&E, &lam, &D);
    fp2_mul(&F, &T->Z, &C);
    fp2_mul(&G, &T->X, &D);
    fp2_add(&H, &E, &F);
    fp2_sub(&H, &H, &G);
    fp2_sub(&H, &H, &G);
    fp2_mul(&T->X, &lam, &H);
    fp2_sub(&t, &G, &H);
    fp2_mul(&t, &theta, &t);
    fp2_mul(&G, &T->Y, &E);
    fp2_sub(&T->Y, &t, &G);
    fp2_mul(&T->Z, &T->Z, &E);
    fp2_mul(&l->c2, &theta, qx);
    fp2_mul(&t, &lam, qy);
    fp2_sub(&l->c2, &l->c2, &t);
    l->c0 = lam;
    fp2_neg(&l->c1, &theta);
}

static void eval_line(fp12_t *f, const line_t *l, const fp_t *xp, const fp_t *yp)
{
    fp2_t a0, b0;
    fp2_mul_fp(&a0, &l->c0, yp);
    fp2_mul_fp(&b0, &l->c1, xp);
    zr__fp12_mul_line(f, &a0, &b0, &l->c2);
}

/* The lines of one Miller loop for Q, in the order the loop uses them: for each NAF digit
 * from the top, the tangent, then the line of the addition when the digit is nonzero; then
 * the two lines with psi(Q) and -psi^2(Q). */
#define N_LINES 88 /* 65 doublings + 21 nonzero digits below the top one + 2 */

static int compute_lines(line_t *lines, const fp2_t *qx, const fp2_t *qy)
{
    g2_proj_t T = {*qx, *qy, {{{0}}, {{0}}}};
    fp2_t nqy;
    fp2_set_one(&T.Z);
    fp2_neg(&nqy, qy);
    int n = 0;
    for (int i = 64; i >= 0; i--) {
        dbl_step(&lines[n++], &T);
        if (ATE_NAF[i] == 1)
            add_step(&lines[n++], &T, qx, qy);
        else if (ATE_NAF[i] == -1)
            add_step(&lines[n++], &T, qx, &nqy);
    }
    zr_bn254_g2_t q0, q1, q2;
    q0.x = *qx;
    q0.y = *qy;
    fp2_set_one(&q0.z);
    zr__g2_psi(&q1, &q0);
    zr__g2_psi(&q2, &q1);
    fp2_neg(&q2.y, &q2.y);
    add_step(&lines[n++], &T, &q1.x, &q1.y);
    add_step(&lines[n++], &T, &q2.x, &q2.y);
    return n;
}

/* -G2 appears in every BLS verification: its lines are computed once. */
static line_t neg_g2_lines[N_LINES];
static fp2_t neg_g2_x, neg_g2_y;
static pthread_once_t neg_g2_once = PTHREAD_ONCE_INIT;

static void neg_g2_init(void)
{
    zr_bn254_g2_t g;
    zr_bn254_g2_generator(&g);
    neg_g2_x = g.x;
    fp2_neg(&neg_g2_y, &g.y);
    if (compute_lines(neg_g2_lines, &neg_g2_x, &neg_g2_y) != N_LINES)
        abort(); /* the table layout and the loop disagree: a programming error */
}

typedef struct pair_state {
    fp_t xp, yp;
    fp2_t qx, qy, nqy;
    g2_proj_t T;
    const line_t *pre; /* precomputed lines, or NULL */
} pair_state_t;

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
    pthread_once(&neg_g2_once, neg_g2_init);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (zr_bn254_g1_is_infinity(&p[i]) || zr_bn254_g2_is_infinity(&q[i]))
            continue;
        pair_state_t *s = &st[k++];
        zr__g1_to_affine(&s->xp, &s->yp, &p[i]);
        zr__g2_to_affine(&s->qx, &s->qy, &q[i]);
        fp2_neg(&s->nqy, &s->qy);
        s->T.X = s->qx;
        s->T.Y = s->qy;
        fp2_set_one(&s->T.Z);
        s->pre = fp2_eq(&s->qx, &neg_g2_x) && fp2_eq(&s->qy, &neg_g2_y) ? neg_g2_lines : NULL;
    }
    int li = 0; /* index into precomputed lines */
    line_t l;
    for (int i = 64; i >= 0; i--) {
        if (i != 64)
            zr__fp12_sqr(f, f);
        for (size_t j = 0; j < m; j++) {
            pair_state_t *s = &st[j];
            if (s->pre) {
                eval_line(f, &s->pre[li], &s->xp, &s->yp);
            } else {
                dbl_step(&l, &s->T);
                eval_line(f, &l, &s->xp, &s->yp);
            }
        }
        li++;
        if (ATE_NAF[i] != 0) {
            for (size_t j = 0; j < m; j++) {
                pair_state_t *s = &st[j];
                if (s->pre) {
                    eval_line(f, &s->pre[li], &s->xp, &s->yp);
                } else {
                    add_step(&l, &s->T, &s->qx, ATE_NAF[i] == 1 ? &s->qy : &s->nqy);
                    eval_line(f, &l, &s->xp, &s->yp);
                }
            }
            li++;
        }
    }
    for (size_t j = 0; j < m; j++) {
        pair_state_t *s = &st[j];
        if (s->pre) {
            eval_line(f, &s->pre[li], &s->xp, &s->yp);
            eval_line(f, &s->pre[li + 1], &s->xp, &s->yp);
            continue;
        }
        zr_bn254_g2_t q0, q1, q2;
        q0.x = s->qx;
        q0.y = s->qy;
        fp2_set_one(&q0.z);
        zr__g2_psi(&q1, &q0);
        zr__g2_psi(&q2, &q1);
        fp2_neg(&q2.y, &q2.y);
        add_step(&l, &s->T, &q1.x, &q1.y);
        eval_line(f, &l, &s->xp, &s->yp);
        add_step(&l, &s->T, &q2.x, &q2.y);
        eval_line(f, &l, &s->xp, &s->yp);
    }
    if (st != stack)
        free(st);
}

/* For tests: one pair through a table of lines computed first, the path -G2 takes. */
void zr__miller_loop_table(fp12_t *f, const zr_bn254_g1_t *p, const zr_bn254_g2_t *q)
{
    line_t lines[N_LINES];
    fp_t xp, yp;
    fp2_t qx, qy;
    zr__fp12_one(f);
    if (zr_bn254_g1_is_infinity(p) || zr_bn254_g2_is_infinity(q))
        return;
    zr__g1_to_affine(&xp, &yp, p);
    zr__g2_to_affine(&qx, &qy, q);
    int n = compute_lines(lines, &qx, &qy), li = 0;
    for (int i = 64; i >= 0; i--) {
        if (i != 64)
            zr__fp12_sqr(f, f);
        eval_line(f, &lines[li++], &xp, &yp);
        if (ATE_NAF[i] != 0)
            eval_line(f, &lines[li++], &xp, &yp);
    }
    eval_line(f, &lines[li++], &xp, &yp);
    eval_line(f, &lines[li++], &xp, &yp);
    if (li != n)
        abort(); /* the table layout and the loop disagree: a programming error */
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
