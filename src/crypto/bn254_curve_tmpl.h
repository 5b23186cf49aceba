/* SPDX-License-Identifier: MIT
 * Curve arithmetic shared by G1 (over Fp) and G2 (over Fp2), written once and included by
 * bn254_g1.c and bn254_g2.c with the field operations bound to macros:
 *   FT F_add F_sub F_dbl F_neg F_mul F_sqr F_is_zero F_eq F_cmov F_set_zero F_set_one F_inv
 *   PT (point type), CURVE_B (b), F_mul_b3 (r = 3b a), FN(name) (prefixes a static name).
 * Jacobian formulas (dbl-2009-l, add-2007-bl, madd-2007-bl) for public data; the complete
 * projective formulas of Renes-Costello-Batina (2016, algorithm 7) for constant-time
 * scalar multiplication. */

static int FN(is_inf)(const PT *p) { return F_is_zero(&p->z); }

static void FN(set_inf)(PT *r)
{
    F_set_one(&r->x);
    F_set_one(&r->y);
    F_set_zero(&r->z);
}

static void FN(dbl)(PT *r, const PT *p)
{
    if (F_is_zero(&p->z)) {
        *r = *p;
        return;
    }
    FT A, B, C, D, E, F, t;
    F_sqr(&A, &p->x);
    F_sqr(&B, &p->y);
    F_sqr(&C, &B);
    F_add(&t, &p->x, &B);
    F_sqr(&t, &t);
    F_sub(&t, &t, &A);
    F_sub(&t, &t, &C);
    F_dbl(&D, &t);
    F_dbl(&E, &A);
    F_add(&E, &E, &A);
    F_sqr(&F, &E);
    F_mul(&r->z, &p->y, &p->z);
    F_dbl(&r->z, &r->z);
    F_dbl(&t, &D);
    F_sub(&r->x, &F, &t);
    F_sub(&t, &D, &r->x);
    F_mul(&t, &E, &t);
    F_dbl(&C, &C);
    F_dbl(&C, &C);
    F_dbl(&C, &C);
    F_sub(&r->y, &t, &C);
}

static void FN(add)(PT *r, const PT *p, const PT *q)
{
    if (F_is_zero(&p->z)) {
        *r = *q;
        return;
    }
    if (F_is_zero(&q->z)) {
        *r = *p;
        return;
    }
    FT z1z1, z2z2, u1, u2, s1, s2, h, i, j, rr, v, t;
    F_sqr(&z1z1, &p->z);
    F_sqr(&z2z2, &q->z);
    F_mul(&u1, &p->x, &z2z2);
    F_mul(&u2, &q->x, &z1z1);
    F_mul(&s1, &p->y, &q->z);
    F_mul(&s1, &s1, &z2z2);
    F_mul(&s2, &q->y, &p->z);
    F_mul(&s2, &s2, &z1z1);
    F_sub(&h, &u2, &u1);
    F_sub(&rr, &s2, &s1);
    if (F_is_zero(&h)) {
        if (F_is_zero(&rr))
            FN(dbl)(r, p);
        else
            FN(set_inf)(r);
        return;
    }
    F_dbl(&rr, &rr);
    F_dbl(&i, &h);
    F_sqr(&i, &i);
    F_mul(&j, &h, &i);
    F_mul(&v, &u1, &i);
    FT z3;
    F_add(&z3, &p->z, &q->z);
    F_sqr(&z3, &z3);
    F_sub(&z3, &z3, &z1z1);
    F_sub(&z3, &z3, &z2z2);
    F_mul(&r->z, &z3, &h);
    F_sqr(&t, &rr);
    F_sub(&t, &t, &j);
    F_sub(&t, &t, &v);
    F_sub(&r->x, &t, &v);
    F_sub(&t, &v, &r->x);
    F_mul(&t, &rr, &t);
    F_mul(&s1, &s1, &j);
    F_dbl(&s1, &s1);
    F_sub(&r->y, &t, &s1);
}

/* r = p + (qx, qy) with q affine (not infinity) */
static void FN(madd)(PT *r, const PT *p, const FT *qx, const FT *qy)
{
    if (F_is_zero(&p->z)) {
        r->x = *qx;
        r->y = *qy;
        F_set_one(&r->z);
        return;
    }
    FT z1z1, u2, s2, h, hh, i, j, rr, v, t;
    F_sqr(&z1z1, &p->z);
    F_mul(&u2, qx, &z1z1);
    F_mul(&s2, qy, &p->z);
    F_mul(&s2, &s2, &z1z1);
    F_sub(&h, &u2, &p->x);
    F_sub(&rr, &s2, &p->y);
    if (F_is_zero(&h)) {
        if (F_is_zero(&rr))
            FN(dbl)(r, p);
        else
            FN(set_inf)(r);
        return;
    }
    F_dbl(&rr, &rr);
    F_sqr(&hh, &h);
    F_dbl(&i, &hh);
    F_dbl(&i, &i);
    F_mul(&j, &h, &i);
    F_mul(&v, &p->x, &i);
    FT z3;
    F_add(&z3, &p->z, &h);
    F_sqr(&z3, &z3);
    F_sub(&z3, &z3, &z1z1);
    F_sub(&z3, &z3, &hh);
    FT y1 = p->y;
    r->z = z3;
    F_sqr(&t, &rr);
    F_sub(&t, &t, &j);
    F_sub(&t, &t, &v);
    F_sub(&r->x, &t, &v);
    F_sub(&t, &v, &r->x);
    F_mul(&t, &rr, &t);
    F_mul(&y1, &y1, &j);
    F_dbl(&y1, &y1);
    F_sub(&r->y, &t, &y1);
}

static void FN(neg)(PT *r, const PT *p)
{
    r->x = p->x;
    F_neg(&r->y, &p->y);
    r->z = p->z;
}

static int FN(eq)(const PT *p, const PT *q)
{
    int pi = FN(is_inf)(p), qi = FN(is_inf)(q);
    if (pi || qi)
        return pi && qi;
    FT z1z1, z2z2, a, b;
    F_sqr(&z1z1, &p->z);
    F_sqr(&z2z2, &q->z);
    F_mul(&a, &p->x, &z2z2);
    F_mul(&b, &q->x, &z1z1);
    if (!F_eq(&a, &b))
        return 0;
    F_mul(&z1z1, &z1z1, &p->z);
    F_mul(&z2z2, &z2z2, &q->z);
    F_mul(&a, &p->y, &z2z2);
    F_mul(&b, &q->y, &z1z1);
    return F_eq(&a, &b);
}

/* Y^2 = X^3 + b Z^6 */
static int FN(on_curve)(const PT *p)
{
    if (FN(is_inf)(p))
        return 1;
    FT y2, x3, z6;
    F_sqr(&y2, &p->y);
    F_sqr(&x3, &p->x);
    F_mul(&x3, &x3, &p->x);
    F_sqr(&z6, &p->z);
    F_mul(&z6, &z6, &p->z);
    F_sqr(&z6, &z6);
    F_mul(&z6, &z6, &CURVE_B);
    F_add(&x3, &x3, &z6);
    return F_eq(&y2, &x3);
}

static void FN(affine)(FT *x, FT *y, const PT *p)
{
    if (FN(is_inf)(p)) {
        F_set_zero(x);
        F_set_zero(y);
        return;
    }
    FT zi, zi2;
    F_inv(&zi, &p->z);
    F_sqr(&zi2, &zi);
    F_mul(x, &p->x, &zi2);
    F_mul(&zi2, &zi2, &zi);
    F_mul(y, &p->y, &zi2);
}

/* Width-5 NAF of k (any 256-bit value), least significant digit first; returns the length.
 * Digits are odd in [-15, 15] or 0. */
static int FN(wnaf)(int8_t naf[260], const uint64_t k[4])
{
    int len = 0;
    uint64_t d[5] = {k[0], k[1], k[2], k[3], 0};
    while (d[0] | d[1] | d[2] | d[3] | d[4]) {
        int digit = 0;
        if (d[0] & 1) {
            digit = (int)(d[0] & 31);
            if (digit >= 16)
                digit -= 32;
            if (digit > 0) {
                d[0] -= (uint64_t)digit; /* d[0] is odd and >= digit: no borrow */
            } else {
                u128 t = (u128)d[0] + (uint64_t)(-digit);
                d[0] = (uint64_t)t;
                for (int i = 1; i < 5 && (t >> 64); i++) {
                    t = (u128)d[i] + 1;
                    d[i] = (uint64_t)t;
                }
            }
        }
        naf[len++] = (int8_t)digit;
        for (int i = 0; i < 4; i++)
            d[i] = (d[i] >> 1) | (d[i + 1] << 63);
        d[4] >>= 1;
    }
    return len;
}

/* acc += digit * p given tab[i] = (2i+1) p */
static void FN(add_digit)(PT *acc, const PT tab[8], int digit)
{
    if (digit > 0) {
        FN(add)(acc, acc, &tab[digit / 2]);
    } else if (digit < 0) {
        PT n;
        FN(neg)(&n, &tab[(-digit) / 2]);
        FN(add)(acc, acc, &n);
    }
}

/* Variable-time k*p, width-5 NAF (k: 4 little-endian limbs, any 256-bit value). */
static void FN(mul_vt)(PT *out, const PT *p, const uint64_t k[4])
{
    int8_t naf[260];
    int len = FN(wnaf)(naf, k);
    PT tab[8], p2;
    tab[0] = *p;
    FN(dbl)(&p2, p);
    for (int i = 1; i < 8; i++)
        FN(add)(&tab[i], &tab[i - 1], &p2);
    PT acc;
    FN(set_inf)(&acc);
    for (int i = len - 1; i >= 0; i--) {
        FN(dbl)(&acc, &acc);
        FN(add_digit)(&acc, tab, naf[i]);
    }
    *out = acc;
}

/* ---- constant time: homogeneous projective (X/Z, Y/Z), complete addition ---------------- */
typedef struct {
    FT x, y, z;
} FN(proj_t);

static void FN(proj_add)(FN(proj_t) *r, const FN(proj_t) *p, const FN(proj_t) *q)
{
    FT t0, t1, t2, t3, t4, x3, y3, z3;
    F_mul(&t0, &p->x, &q->x);
    F_mul(&t1, &p->y, &q->y);
    F_mul(&t2, &p->z, &q->z);
    F_add(&t3, &p->x, &p->y);
    F_add(&t4, &q->x, &q->y);
    F_mul(&t3, &t3, &t4);
    F_add(&t4, &t0, &t1);
    F_sub(&t3, &t3, &t4);
    F_add(&t4, &p->y, &p->z);
    F_add(&x3, &q->y, &q->z);
    F_mul(&t4, &t4, &x3);
    F_add(&x3, &t1, &t2);
    F_sub(&t4, &t4, &x3);
    F_add(&x3, &p->x, &p->z);
    F_add(&y3, &q->x, &q->z);
    F_mul(&x3, &x3, &y3);
    F_add(&y3, &t0, &t2);
    F_sub(&y3, &x3, &y3);
    F_dbl(&x3, &t0);
    F_add(&t0, &x3, &t0);
    F_mul_b3(&t2, &t2);
    F_add(&z3, &t1, &t2);
    F_sub(&t1, &t1, &t2);
    F_mul_b3(&y3, &y3);
    F_mul(&x3, &t4, &y3);
    F_mul(&t2, &t3, &t1);
    F_sub(&x3, &t2, &x3);
    F_mul(&y3, &y3, &t0);
    F_mul(&t1, &t1, &z3);
    F_add(&y3, &t1, &y3);
    F_mul(&t0, &t0, &t3);
    F_mul(&z3, &z3, &t4);
    F_add(&z3, &z3, &t0);
    r->x = x3;
    r->y = y3;
    r->z = z3;
}

/* Exception-free doubling (Renes-Costello-Batina 2016, algorithm 9, a = 0). */
static void FN(proj_dbl)(FN(proj_t) *r, const FN(proj_t) *p)
{
    FT t0, t1, t2, x3, y3, z3;
    F_sqr(&t0, &p->y);
    F_dbl(&z3, &t0);
    F_dbl(&z3, &z3);
    F_dbl(&z3, &z3);
    F_mul(&t1, &p->y, &p->z);
    F_sqr(&t2, &p->z);
    F_mul_b3(&t2, &t2);
    F_mul(&x3, &t2, &z3);
    F_add(&y3, &t0, &t2);
    F_mul(&z3, &t1, &z3);
    F_dbl(&t1, &t2);
    F_add(&t2, &t1, &t2);
    F_sub(&t0, &t0, &t2);
    F_mul(&y3, &t0, &y3);
    F_add(&y3, &x3, &y3);
    F_mul(&t1, &p->x, &p->y);
    F_mul(&x3, &t0, &t1);
    F_dbl(&x3, &x3);
    r->x = x3;
    r->y = y3;
    r->z = z3;
}

/* (X Z, Y, Z^3): a public Jacobian point in homogeneous coordinates; infinity -> (0:1:0) */
static void FN(to_proj)(FN(proj_t) *r, const PT *p)
{
    if (FN(is_inf)(p)) {
        F_set_zero(&r->x);
        F_set_one(&r->y);
        F_set_zero(&r->z);
    } else {
        F_mul(&r->x, &p->x, &p->z);
        r->y = p->y;
        F_sqr(&r->z, &p->z);
        F_mul(&r->z, &r->z, &p->z);
    }
}

/* back to Jacobian: (X Z, Y Z^2, Z); Z = 0 stays infinity */
static void FN(from_proj)(PT *out, const FN(proj_t) *a)
{
    F_mul(&out->x, &a->x, &a->z);
    F_sqr(&out->y, &a->z);
    F_mul(&out->y, &out->y, &a->y);
    out->z = a->z;
}

/* sel = tab[digit] for a secret digit in [0, 16): reads every entry */
static void FN(proj_select)(FN(proj_t) *sel, const FN(proj_t) tab[16], uint64_t digit)
{
    *sel = tab[0];
    for (uint64_t i = 1; i < 16; i++) {
        uint64_t eq = ((i ^ digit) - 1) >> 63; /* 1 when i == digit */
        F_cmov(&sel->x, &tab[i].x, eq);
        F_cmov(&sel->y, &tab[i].y, eq);
        F_cmov(&sel->z, &tab[i].z, eq);
    }
}

/* k*p in time independent of k (p is public: its conversion may branch). */
static void FN(mul_ct)(PT *out, const PT *p, const uint64_t k[4])
{
    FN(proj_t) tab[16], acc, sel;
    FN(to_proj)(&tab[1], p);
    F_set_zero(&tab[0].x);
    F_set_one(&tab[0].y);
    F_set_zero(&tab[0].z);
    for (int i = 2; i < 16; i++)
        FN(proj_add)(&tab[i], &tab[i - 1], &tab[1]);
    acc = tab[0];
    for (int w = 63; w >= 0; w--) {
        for (int s = 0; s < 4; s++)
            FN(proj_dbl)(&acc, &acc);
        FN(proj_select)(&sel, tab, (k[w / 16] >> ((w % 16) * 4)) & 15);
        FN(proj_add)(&acc, &acc, &sel);
    }
    FN(from_proj)(out, &acc);
    zr_wipe(&sel, sizeof sel);
    zr_wipe(&acc, sizeof acc);
    zr_wipe(tab, sizeof tab);
}

/* Reference for tests: affine double-and-add, one inversion per step. */
static void FN(aff_add)(FT *x, FT *y, int *inf, const FT *x2, const FT *y2, int inf2)
{
    if (inf2)
        return;
    if (*inf) {
        *x = *x2;
        *y = *y2;
        *inf = 0;
        return;
    }
    FT lam, t, d;
    if (F_eq(x, x2)) {
        FT sy;
        F_add(&sy, y, y2);
        if (F_is_zero(&sy)) {
            *inf = 1;
            return;
        }
        /* tangent: 3x^2 / 2y */
        F_sqr(&t, x);
        F_dbl(&lam, &t);
        F_add(&lam, &lam, &t);
        F_dbl(&d, y);
    } else {
        F_sub(&lam, y2, y);
        F_sub(&d, x2, x);
    }
    F_inv(&d, &d);
    F_mul(&lam, &lam, &d);
    FT x3, y3;
    F_sqr(&x3, &lam);
    F_sub(&x3, &x3, x);
    F_sub(&x3, &x3, x2);
    F_sub(&t, x, &x3);
    F_mul(&y3, &lam, &t);
    F_sub(&y3, &y3, y);
    *x = x3;
    *y = y3;
}

static void FN(mul_ref)(PT *out, const PT *p, const uint64_t k[4])
{
    FT px, py, ax, ay;
    int pinf = FN(is_inf)(p), ainf = 1;
    FN(affine)(&px, &py, p);
    F_set_zero(&ax);
    F_set_zero(&ay);
    for (int i = 255; i >= 0; i--) {
        FT cx = ax, cy = ay;
        FN(aff_add)(&ax, &ay, &ainf, &cx, &cy, ainf);
        if ((k[i / 64] >> (i % 64)) & 1)
            FN(aff_add)(&ax, &ay, &ainf, &px, &py, pinf);
    }
    if (ainf) {
        FN(set_inf)(out);
    } else {
        out->x = ax;
        out->y = ay;
        F_set_one(&out->z);
    }
}
