/* SPDX-License-Identifier: MIT
 * Private header of the BN254 code in src/crypto: the Montgomery field core (inline, with a
 * mulx/adcx/adox assembly multiply chosen at run time and a portable __int128 fallback),
 * Fp2 inline arithmetic, and the internal interfaces between the tower, curve and pairing
 * files. Not for use outside src/crypto (tests include it to reach the internals). */
#ifndef ZARA_BN254_INT_H
#define ZARA_BN254_INT_H

#include <stdint.h>
#include <string.h>

#include "zara/bn254.h"
#include "zara/common.h"

typedef zr_bn254_fp_t fp_t;
typedef zr_bn254_fp2_t fp2_t;
typedef struct fp6 {
    fp2_t c0, c1, c2; /* c0 + c1 v + c2 v^2, v^3 = xi = 9 + u */
} fp6_t;
typedef struct fp12 {
    fp6_t c0, c1; /* c0 + c1 w, w^2 = v */
} fp12_t;
typedef unsigned __int128 u128;

/* Constant-time checking (tests/suites/bls_ctime.sh): built with -DZARA_CTIME_CHECK, secrets
 * are marked undefined for valgrind and every branch on them is reported; a value that is
 * meant to become public (a validity bit, a signature) is declassified here. */
#ifdef ZARA_CTIME_CHECK
#include <valgrind/memcheck.h>
#define ZR_DECLASSIFY(p, n) VALGRIND_MAKE_MEM_DEFINED((p), (n))
#else
#define ZR_DECLASSIFY(p, n) ((void)(p), (void)(n))
#endif

/* A modulus: limbs, then -m^-1 mod 2^64 (the layout the assembly reads). */
typedef struct zr__mod {
    uint64_t m[4];
    uint64_t inv;
    uint64_t r2[4]; /* 2^512 mod m */
    uint64_t one[4]; /* 2^256 mod m */
} zr__mod_t;

extern const zr__mod_t zr__bn254_p, zr__bn254_r;
extern int zr__bn254_use_adx;

/* ---- Montgomery multiplication ---------------------------------------------------------
 * Both versions compute a*b/2^256 mod m for a, b < m with the "no-carry" CIOS variant
 * (valid because m's top limb is below 2^62), then one conditional subtraction. */
static inline void mont_reduce_final(uint64_t r[4], uint64_t t0, uint64_t t1, uint64_t t2,
                                     uint64_t t3, const zr__mod_t *md)
{
    u128 d = (u128)t0 - md->m[0];
    uint64_t s0 = (uint64_t)d;
    d = (u128)t1 - md->m[1] - (uint64_t)(d >> 127);
    uint64_t s1 = (uint64_t)d;
    d = (u128)t2 - md->m[2] - (uint64_t)(d >> 127);
    uint64_t s2 = (uint64_t)d;
    d = (u128)t3 - md->m[3] - (uint64_t)(d >> 127);
    uint64_t s3 = (uint64_t)d;
    uint64_t keep = (uint64_t)0 - (uint64_t)(d >> 127); /* all ones when t < m */
    r[0] = (t0 & keep) | (s0 & ~keep);
    r[1] = (t1 & keep) | (s1 & ~keep);
    r[2] = (t2 & keep) | (s2 & ~keep);
    r[3] = (t3 & keep) | (s3 & ~keep);
}

static inline void mont_mul_c(uint64_t r[4], const uint64_t a[4], const uint64_t b[4],
                              const zr__mod_t *md)
{
    uint64_t t[4] = {0, 0, 0, 0};
    for (int i = 0; i < 4; i++) {
        u128 acc = (u128)a[0] * b[i] + t[0];
        uint64_t A = (uint64_t)(acc >> 64);
        t[0] = (uint64_t)acc;
        uint64_t m = t[0] * md->inv;
        u128 red = (u128)m * md->m[0] + t[0];
        uint64_t C = (uint64_t)(red >> 64);
        for (int j = 1; j < 4; j++) {
            acc = (u128)a[j] * b[i] + t[j] + A;
            A = (uint64_t)(acc >> 64);
            red = (u128)m * md->m[j] + (uint64_t)acc + C;
            C = (uint64_t)(red >> 64);
            t[j - 1] = (uint64_t)red;
        }
        t[3] = C + A;
    }
    mont_reduce_final(r, t[0], t[1], t[2], t[3], md);
}

#if defined(__x86_64__) && !defined(ZARA_BN254_NO_ASM)
#define ZR_BN254_HAVE_ASM 1
static inline void mont_mul_adx(uint64_t r[4], const uint64_t a[4], const uint64_t b[4],
                                const zr__mod_t *md)
{
    uint64_t t0, t1, t2, t3, t4, s0, s1;
    __asm__(
        "movq 0(%[b]), %%rdx\n\t"
        "xorl %%eax, %%eax\n\t"
        "mulxq 0(%[a]), %[t0], %[t1]\n\t"
        "mulxq 8(%[a]), %[s0], %[t2]\n\t"
        "adcxq %[s0], %[t1]\n\t"
        "mulxq 16(%[a]), %[s0], %[t3]\n\t"
        "adcxq %[s0], %[t2]\n\t"
        "mulxq 24(%[a]), %[s0], %[t4]\n\t"
        "adcxq %[s0], %[t3]\n\t"
        "adcxq %%rax, %[t4]\n\t"
        "movq %[t0], %%rdx\n\t"
        "imulq 32(%[p]), %%rdx\n\t"
        "xorl %%eax, %%eax\n\t"
        "mulxq 0(%[p]), %[s0], %[s1]\n\t"
        "adoxq %[s0], %[t0]\n\t"
        "adcxq %[s1], %[t1]\n\t"
        "mulxq 8(%[p]), %[s0], %[s1]\n\t"
        "adoxq %[s0], %[t1]\n\t"
        "adcxq %[s1], %[t2]\n\t"
        "mulxq 16(%[p]), %[s0], %[s1]\n\t"
        "adoxq %[s0], %[t2]\n\t"
        "adcxq %[s1], %[t3]\n\t"
        "mulxq 24(%[p]), %[s0], %[s1]\n\t"
        "adoxq %[s0], %[t3]\n\t"
        "adcxq %[s1], %[t4]\n\t"
        "adoxq %%rax, %[t4]\n\t"
        "movq 8(%[b]), %%rdx\n\t"
        "xorl %%eax, %%eax\n\t"
        "mulxq 0(%[a]), %[s0], %[s1]\n\t"
        "adoxq %[s0], %[t1]\n\t"
        "adcxq %[s1], %[t2]\n\t"
        "mulxq 8(%[a]), %[s0], %[s1]\n\t"
        "adoxq %[s0], %[t2]\n\t"
        "adcxq %[s1], %[t3]\n\t"
        "mulxq 16(%[a]), %[s0], %[s1]\n\t"
        "adoxq %[s0], %[t3]\n\t"
        "adcxq %[s1], %[t4]\n\t"
        "mulxq 24(%[a]), %[s0], %[t0]\n\t"
        "adoxq %[s0], %[t4]\n\t"
        "adcxq %%rax, %[t0]\n\t"
        "adoxq %%rax, %[t0]\n\t"
        "movq %[t1], %%rdx\n\t"
        "imulq 32(%[p]), %%rdx\n\t"
        "xorl %%eax, %%eax\n\t"
        "mulxq 0(%[p]), %[s0], %[s1]\n\t"
        "adoxq %[s0], %[t1]\n\t"
        "adcxq %[s1], %[t2]\n\t"
        "mulxq 8(%[p]), %[s0], %[s1]\n\t"
        "adoxq %[s0], %[t2]\n\t"
        "adcxq %[s1], %[t3]\n\t"
        "mulxq 16(%[p]), %[s0], %[s1]\n\t"
        "adoxq %[s0], %[t3]\n\t"
        "adcxq %[s1], %[t4]\n\t"
        "mulxq 24(%[p]), %[s0], %[s1]\n\t"
        "adoxq %[s0], %[t4]\n\t"
        "adcxq %[s1], %[t0]\n\t"
        "adoxq %%rax, %[t0]\n\t"
        "movq 16(%[b]), %%rdx\n\t"
        "xorl %%eax, %%eax\n\t"
        "mulxq 0(%[a]), %[s0], %[s1]\n\t"
        "adoxq %[s0], %[t2]\n\t"
        "adcxq %[s1], %[t3]\n\t"
        "mulxq 8(%[a]), %[s0], %[s1]\n\t"
        "adoxq %[s0], %[t3]\n\t"
        "adcxq %[s1], %[t4]\n\t"
        "mulxq 16(%[a]), %[s0], %[s1]\n\t"
        "adoxq %[s0], %[t4]\n\t"
        "adcxq %[s1], %[t0]\n\t"
        "mulxq 24(%[a]), %[s0], %[t1]\n\t"
        "adoxq %[s0], %[t0]\n\t"
        "adcxq %%rax, %[t1]\n\t"
        "adoxq %%rax, %[t1]\n\t"
        "movq %[t2], %%rdx\n\t"
        "imulq 32(%[p]), %%rdx\n\t"
        "xorl %%eax, %%eax\n\t"
        "mulxq 0(%[p]), %[s0], %[s1]\n\t"
        "adoxq %[s0], %[t2]\n\t"
        "adcxq %[s1], %[t3]\n\t"
        "mulxq 8(%[p]), %[s0], %[s1]\n\t"
        "adoxq %[s0], %[t3]\n\t"
        "adcxq %[s1], %[t4]\n\t"
        "mulxq 16(%[p]), %[s0], %[s1]\n\t"
        "adoxq %[s0], %[t4]\n\t"
        "adcxq %[s1], %[t0]\n\t"
        "mulxq 24(%[p]), %[s0], %[s1]\n\t"
        "adoxq %[s0], %[t0]\n\t"
        "adcxq %[s1], %[t1]\n\t"
        "adoxq %%rax, %[t1]\n\t"
        "movq 24(%[b]), %%rdx\n\t"
        "xorl %%eax, %%eax\n\t"
        "mulxq 0(%[a]), %[s0], %[s1]\n\t"
        "adoxq %[s0], %[t3]\n\t"
        "adcxq %[s1], %[t4]\n\t"
        "mulxq 8(%[a]), %[s0], %[s1]\n\t"
        "adoxq %[s0], %[t4]\n\t"
        "adcxq %[s1], %[t0]\n\t"
        "mulxq 16(%[a]), %[s0], %[s1]\n\t"
        "adoxq %[s0], %[t0]\n\t"
        "adcxq %[s1], %[t1]\n\t"
        "mulxq 24(%[a]), %[s0], %[t2]\n\t"
        "adoxq %[s0], %[t1]\n\t"
        "adcxq %%rax, %[t2]\n\t"
        "adoxq %%rax, %[t2]\n\t"
        "movq %[t3], %%rdx\n\t"
        "imulq 32(%[p]), %%rdx\n\t"
        "xorl %%eax, %%eax\n\t"
        "mulxq 0(%[p]), %[s0], %[s1]\n\t"
        "adoxq %[s0], %[t3]\n\t"
        "adcxq %[s1], %[t4]\n\t"
        "mulxq 8(%[p]), %[s0], %[s1]\n\t"
        "adoxq %[s0], %[t4]\n\t"
        "adcxq %[s1], %[t0]\n\t"
        "mulxq 16(%[p]), %[s0], %[s1]\n\t"
        "adoxq %[s0], %[t0]\n\t"
        "adcxq %[s1], %[t1]\n\t"
        "mulxq 24(%[p]), %[s0], %[s1]\n\t"
        "adoxq %[s0], %[t1]\n\t"
        "adcxq %[s1], %[t2]\n\t"
        "adoxq %%rax, %[t2]\n\t"
        /* t = (t4, t0, t1, t2) < 2p: subtract p, keep the difference unless it borrowed */
        "movq %[t4], %%rax\n\t"
        "movq %[t0], %%rdx\n\t"
        "movq %[t1], %[s0]\n\t"
        "movq %[t2], %[s1]\n\t"
        "subq 0(%[p]), %%rax\n\t"
        "sbbq 8(%[p]), %%rdx\n\t"
        "sbbq 16(%[p]), %[s0]\n\t"
        "sbbq 24(%[p]), %[s1]\n\t"
        "cmovncq %%rax, %[t4]\n\t"
        "cmovncq %%rdx, %[t0]\n\t"
        "cmovncq %[s0], %[t1]\n\t"
        "cmovncq %[s1], %[t2]\n\t"
        : [t0] "=&r"(t0), [t1] "=&r"(t1), [t2] "=&r"(t2), [t3] "=&r"(t3), [t4] "=&r"(t4),
          [s0] "=&r"(s0), [s1] "=&r"(s1)
        : [a] "r"(a), [b] "r"(b), [p] "r"(md->m)
        : "rax", "rdx", "cc", "memory");
    (void)t3;
    r[0] = t4;
    r[1] = t0;
    r[2] = t1;
    r[3] = t2;
}

/* r = a + b mod m for a, b < m (plain x86-64: no CPU check needed) */
static inline void mod_add_asm(uint64_t r[4], const uint64_t a[4], const uint64_t b[4], const uint64_t m[4])
{
    uint64_t r0, r1, r2, r3, s0, s1, s2, s3;
    __asm__("movq 0(%[a]), %[r0]\n\t"
            "movq 8(%[a]), %[r1]\n\t"
            "movq 16(%[a]), %[r2]\n\t"
            "movq 24(%[a]), %[r3]\n\t"
            "addq 0(%[b]), %[r0]\n\t"
            "adcq 8(%[b]), %[r1]\n\t"
            "adcq 16(%[b]), %[r2]\n\t"
            "adcq 24(%[b]), %[r3]\n\t"
            "movq %[r0], %[s0]\n\t"
            "movq %[r1], %[s1]\n\t"
            "movq %[r2], %[s2]\n\t"
            "movq %[r3], %[s3]\n\t"
            "subq 0(%[m]), %[s0]\n\t"
            "sbbq 8(%[m]), %[s1]\n\t"
            "sbbq 16(%[m]), %[s2]\n\t"
            "sbbq 24(%[m]), %[s3]\n\t"
            "cmovcq %[r0], %[s0]\n\t"
            "cmovcq %[r1], %[s1]\n\t"
            "cmovcq %[r2], %[s2]\n\t"
            "cmovcq %[r3], %[s3]\n\t"
            : [r0] "=&r"(r0), [r1] "=&r"(r1), [r2] "=&r"(r2), [r3] "=&r"(r3), [s0] "=&r"(s0),
              [s1] "=&r"(s1), [s2] "=&r"(s2), [s3] "=&r"(s3)
            : [a] "r"(a), [b] "r"(b), [m] "r"(m)
            : "cc", "memory");
    r[0] = s0;
    r[1] = s1;
    r[2] = s2;
    r[3] = s3;
}

/* r = a - b mod m for a, b < m */
static inline void mod_sub_asm(uint64_t r[4], const uint64_t a[4], const uint64_t b[4], const uint64_t m[4])
{
    uint64_t r0, r1, r2, r3, s0, s1, s2, s3;
    __asm__("movq 0(%[a]), %[r0]\n\t"
            "movq 8(%[a]), %[r1]\n\t"
            "movq 16(%[a]), %[r2]\n\t"
            "movq 24(%[a]), %[r3]\n\t"
            "subq 0(%[b]), %[r0]\n\t"
            "sbbq 8(%[b]), %[r1]\n\t"
            "sbbq 16(%[b]), %[r2]\n\t"
            "sbbq 24(%[b]), %[r3]\n\t"
            "sbbq %[s0], %[s0]\n\t" /* all ones on borrow */
            "movq 0(%[m]), %[s1]\n\t"
            "movq 8(%[m]), %[s2]\n\t"
            "movq 16(%[m]), %[s3]\n\t"
            "andq %[s0], %[s1]\n\t"
            "andq %[s0], %[s2]\n\t"
            "andq %[s0], %[s3]\n\t"
            "andq 24(%[m]), %[s0]\n\t"
            "addq %[s1], %[r0]\n\t"
            "adcq %[s2], %[r1]\n\t"
            "adcq %[s3], %[r2]\n\t"
            "adcq %[s0], %[r3]\n\t"
            : [r0] "=&r"(r0), [r1] "=&r"(r1), [r2] "=&r"(r2), [r3] "=&r"(r3), [s0] "=&r"(s0),
              [s1] "=&r"(s1), [s2] "=&r"(s2), [s3] "=&r"(s3)
            : [a] "r"(a), [b] "r"(b), [m] "r"(m)
            : "cc", "memory");
    r[0] = r0;
    r[1] = r1;
    r[2] = r2;
    r[3] = r3;
}
#endif

static inline void mont_mul(uint64_t r[4], const uint64_t a[4], const uint64_t b[4],
                            const zr__mod_t *md)
{
#ifdef ZR_BN254_HAVE_ASM
    if (__builtin_expect(zr__bn254_use_adx, 1)) {
        mont_mul_adx(r, a, b, md);
        return;
    }
#endif
    mont_mul_c(r, a, b, md);
}

static inline void mod_add(uint64_t r[4], const uint64_t a[4], const uint64_t b[4],
                           const zr__mod_t *md)
{
#ifdef ZR_BN254_HAVE_ASM
    if (zr__bn254_use_adx) { /* same switch as the multiply, so tests cover both paths */
        mod_add_asm(r, a, b, md->m);
        return;
    }
#endif
    u128 s = (u128)a[0] + b[0];
    uint64_t t0 = (uint64_t)s;
    s = (u128)a[1] + b[1] + (uint64_t)(s >> 64);
    uint64_t t1 = (uint64_t)s;
    s = (u128)a[2] + b[2] + (uint64_t)(s >> 64);
    uint64_t t2 = (uint64_t)s;
    s = (u128)a[3] + b[3] + (uint64_t)(s >> 64);
    uint64_t t3 = (uint64_t)s; /* no carry out: m < 2^254 */
    mont_reduce_final(r, t0, t1, t2, t3, md);
}

static inline void mod_sub(uint64_t r[4], const uint64_t a[4], const uint64_t b[4],
                           const zr__mod_t *md)
{
#ifdef ZR_BN254_HAVE_ASM
    if (zr__bn254_use_adx) {
        mod_sub_asm(r, a, b, md->m);
        return;
    }
#endif
    u128 d = (u128)a[0] - b[0];
    uint64_t t0 = (uint64_t)d;
    d = (u128)a[1] - b[1] - (uint64_t)(d >> 127);
    uint64_t t1 = (uint64_t)d;
    d = (u128)a[2] - b[2] - (uint64_t)(d >> 127);
    uint64_t t2 = (uint64_t)d;
    d = (u128)a[3] - b[3] - (uint64_t)(d >> 127);
    uint64_t t3 = (uint64_t)d;
    uint64_t mask = (uint64_t)0 - (uint64_t)(d >> 127); /* borrow: add m back */
    u128 s = (u128)t0 + (md->m[0] & mask);
    r[0] = (uint64_t)s;
    s = (u128)t1 + (md->m[1] & mask) + (uint64_t)(s >> 64);
    r[1] = (uint64_t)s;
    s = (u128)t2 + (md->m[2] & mask) + (uint64_t)(s >> 64);
    r[2] = (uint64_t)s;
    s = (u128)t3 + (md->m[3] & mask) + (uint64_t)(s >> 64);
    r[3] = (uint64_t)s;
}

/* ---- Fp ---------------------------------------------------------------------------------- */
#define P_MOD (&zr__bn254_p)
static inline void fp_mul(fp_t *r, const fp_t *a, const fp_t *b) { mont_mul(r->l, a->l, b->l, P_MOD); }
static inline void fp_sqr(fp_t *r, const fp_t *a) { mont_mul(r->l, a->l, a->l, P_MOD); }
static inline void fp_add(fp_t *r, const fp_t *a, const fp_t *b) { mod_add(r->l, a->l, b->l, P_MOD); }
static inline void fp_sub(fp_t *r, const fp_t *a, const fp_t *b) { mod_sub(r->l, a->l, b->l, P_MOD); }
static inline void fp_dbl(fp_t *r, const fp_t *a) { mod_add(r->l, a->l, a->l, P_MOD); }
static inline void fp_neg(fp_t *r, const fp_t *a)
{
    static const uint64_t zero[4] = {0, 0, 0, 0};
    mod_sub(r->l, zero, a->l, P_MOD);
}
static inline int fp_is_zero(const fp_t *a) { return (a->l[0] | a->l[1] | a->l[2] | a->l[3]) == 0; }
static inline int fp_eq(const fp_t *a, const fp_t *b)
{
    return ((a->l[0] ^ b->l[0]) | (a->l[1] ^ b->l[1]) | (a->l[2] ^ b->l[2]) | (a->l[3] ^ b->l[3])) == 0;
}
static inline void fp_set_zero(fp_t *r) { memset(r, 0, sizeof *r); }
static inline void fp_set_one(fp_t *r) { memcpy(r->l, zr__bn254_p.one, 32); }
/* r = a when bit (0 or 1) is set, in constant time. */
static inline void fp_cmov(fp_t *r, const fp_t *a, uint64_t bit)
{
    uint64_t m = (uint64_t)0 - bit;
    for (int i = 0; i < 4; i++)
        r->l[i] ^= m & (r->l[i] ^ a->l[i]);
}

/* ---- Fp2 = Fp[u]/(u^2 + 1) --------------------------------------------------------------- */
static inline void fp2_add(fp2_t *r, const fp2_t *a, const fp2_t *b) { fp_add(&r->c0, &a->c0, &b->c0); fp_add(&r->c1, &a->c1, &b->c1); }
static inline void fp2_sub(fp2_t *r, const fp2_t *a, const fp2_t *b) { fp_sub(&r->c0, &a->c0, &b->c0); fp_sub(&r->c1, &a->c1, &b->c1); }
static inline void fp2_dbl(fp2_t *r, const fp2_t *a) { fp_dbl(&r->c0, &a->c0); fp_dbl(&r->c1, &a->c1); }
static inline void fp2_neg(fp2_t *r, const fp2_t *a) { fp_neg(&r->c0, &a->c0); fp_neg(&r->c1, &a->c1); }
static inline void fp2_conj(fp2_t *r, const fp2_t *a) { r->c0 = a->c0; fp_neg(&r->c1, &a->c1); }
static inline int fp2_is_zero(const fp2_t *a) { return fp_is_zero(&a->c0) && fp_is_zero(&a->c1); }
static inline int fp2_eq(const fp2_t *a, const fp2_t *b) { return fp_eq(&a->c0, &b->c0) && fp_eq(&a->c1, &b->c1); }
static inline void fp2_set_zero(fp2_t *r) { memset(r, 0, sizeof *r); }
static inline void fp2_set_one(fp2_t *r) { fp_set_one(&r->c0); fp_set_zero(&r->c1); }
static inline void fp2_cmov(fp2_t *r, const fp2_t *a, uint64_t bit) { fp_cmov(&r->c0, &a->c0, bit); fp_cmov(&r->c1, &a->c1, bit); }
static inline void fp2_mul(fp2_t *r, const fp2_t *a, const fp2_t *b)
{
    fp_t t0, t1, s0, s1;
    fp_mul(&t0, &a->c0, &b->c0);
    fp_mul(&t1, &a->c1, &b->c1);
    fp_add(&s0, &a->c0, &a->c1);
    fp_add(&s1, &b->c0, &b->c1);
    fp_mul(&s0, &s0, &s1);
    fp_sub(&r->c0, &t0, &t1);
    fp_sub(&s0, &s0, &t0);
    fp_sub(&r->c1, &s0, &t1);
}
static inline void fp2_sqr(fp2_t *r, const fp2_t *a)
{
    fp_t s, d, m;
    fp_add(&s, &a->c0, &a->c1);
    fp_sub(&d, &a->c0, &a->c1);
    fp_mul(&m, &a->c0, &a->c1);
    fp_mul(&r->c0, &s, &d);
    fp_dbl(&r->c1, &m);
}
static inline void fp2_mul_fp(fp2_t *r, const fp2_t *a, const fp_t *b) { fp_mul(&r->c0, &a->c0, b); fp_mul(&r->c1, &a->c1, b); }
/* r = a * xi, xi = 9 + u: (9a0 - a1) + (a0 + 9a1) u */
static inline void fp2_mul_xi(fp2_t *r, const fp2_t *a)
{
    fp_t t0, t1;
    fp_dbl(&t0, &a->c0);
    fp_dbl(&t0, &t0);
    fp_dbl(&t0, &t0);
    fp_add(&t0, &t0, &a->c0);
    fp_dbl(&t1, &a->c1);
    fp_dbl(&t1, &t1);
    fp_dbl(&t1, &t1);
    fp_add(&t1, &t1, &a->c1);
    fp_t c0, c1;
    fp_sub(&c0, &t0, &a->c1);
    fp_add(&c1, &t1, &a->c0);
    r->c0 = c0;
    r->c1 = c1;
}

/* ---- out-of-line field functions (bn254_fp.c) -------------------------------------------- */
void zr__fp_from_u64(fp_t *r, uint64_t v);
/* big-endian 32 bytes -> Montgomery; ZR_ENONCANON when >= p. */
int zr__fp_from_bytes(fp_t *r, const uint8_t in[32]);
void zr__fp_to_bytes(uint8_t out[32], const fp_t *a);
void zr__fp_from_mont(uint64_t out[4], const fp_t *a);
/* a^e for a public exponent (little-endian limbs); time depends only on e. */
void zr__fp_pow(fp_t *r, const fp_t *a, const uint64_t e[4]);
/* Fermat inversion (constant time; 0 maps to 0). */
void zr__fp_inv(fp_t *r, const fp_t *a);
/* r = a^((p+1)/4); returns 1 when r^2 == a. */
int zr__fp_sqrt(fp_t *r, const fp_t *a);
void zr__fp2_inv(fp2_t *r, const fp2_t *a);
/* Reference (slow, obviously correct) big-integer helpers for tests. */
void zr__fp_mul_ref(fp_t *r, const fp_t *a, const fp_t *b);

/* ---- tower (bn254_tower.c) ---------------------------------------------------------------- */
void zr__fp6_mul(fp6_t *r, const fp6_t *a, const fp6_t *b);
void zr__fp6_sqr(fp6_t *r, const fp6_t *a);
void zr__fp6_inv(fp6_t *r, const fp6_t *a);
void zr__fp12_one(fp12_t *r);
int zr__fp12_is_one(const fp12_t *a);
int zr__fp12_eq(const fp12_t *a, const fp12_t *b);
void zr__fp12_mul(fp12_t *r, const fp12_t *a, const fp12_t *b);
void zr__fp12_sqr(fp12_t *r, const fp12_t *a);
void zr__fp12_inv(fp12_t *r, const fp12_t *a);
void zr__fp12_conj(fp12_t *r, const fp12_t *a);
/* f * (a0 + (b0 + b1 v) w): the sparse line of the Miller loop. */
void zr__fp12_mul_line(fp12_t *f, const fp2_t *a0, const fp2_t *b0, const fp2_t *b1);
/* a^(p^n), n in 1..3 */
void zr__fp12_frob(fp12_t *r, const fp12_t *a, int n);
/* Granger-Scott squaring, valid in the cyclotomic subgroup. */
void zr__fp12_cyc_sqr(fp12_t *r, const fp12_t *a);
void zr__fp12_final_exp(fp12_t *r, const fp12_t *f);
/* Slow references for tests: schoolbook Fp12 multiplication. */
void zr__fp12_mul_ref(fp12_t *r, const fp12_t *a, const fp12_t *b);

/* ---- curve helpers ------------------------------------------------------------------------ */
/* psi on the twist: (conj(x) * g2, conj(y) * g3) (Frobenius endomorphism of E'). */
void zr__g2_psi(zr_bn254_g2_t *r, const zr_bn254_g2_t *a);
void zr__g1_to_affine(fp_t *x, fp_t *y, const zr_bn254_g1_t *p);
void zr__g2_to_affine(fp2_t *x, fp2_t *y, const zr_bn254_g2_t *p);
/* out = k*p, with k little-endian limbs, nbits significant (variable time). */
void zr__g1_mul_vt(zr_bn254_g1_t *out, const zr_bn254_g1_t *p, const uint64_t k[4]);
void zr__g2_mul_vt(zr_bn254_g2_t *out, const zr_bn254_g2_t *p, const uint64_t k[4]);
void zr__g2_mul_ct_plain(zr_bn254_g2_t *out, const zr_bn254_g2_t *p, const uint64_t k[4]);
void zr__g1_mul_ct_plain(zr_bn254_g1_t *out, const zr_bn254_g1_t *p, const uint64_t k[4]);
/* Slow references: affine double-and-add over the bits of k. */
void zr__g1_mul_ref(zr_bn254_g1_t *out, const zr_bn254_g1_t *p, const uint64_t k[4]);
void zr__g2_mul_ref(zr_bn254_g2_t *out, const zr_bn254_g2_t *p, const uint64_t k[4]);
/* Miller loop product over n pairs (affine inputs; infinity pairs skipped). */
void zr__miller_loop(fp12_t *f, const zr_bn254_g1_t *p, const zr_bn254_g2_t *q, size_t n);
/* One pair through the table of lines (the path -G2 takes), whatever Q is: for tests. */
void zr__miller_loop_table(fp12_t *f, const zr_bn254_g1_t *p, const zr_bn254_g2_t *q);

/* ---- Fr --------------------------------------------------------------------------------- */
#define R_MOD (&zr__bn254_r)
void zr__fr_from_mont(uint64_t out[4], const zr_bn254_fr_t *a);
void zr__fr_inv(zr_bn254_fr_t *r, const zr_bn254_fr_t *a);

#endif
