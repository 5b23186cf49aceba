// SPDX-License-Identifier: MIT
// BN254 base field Fp and scalar field Fr: moduli and Montgomery constants, the run-time
// choice of the mulx/adx multiply, byte conversions, fixed-exponent powers (Fermat
// inversion and the (p+1)/4 square root, constant time) and the public Fr helpers.
#include <string.h>

#if defined(__x86_64__)
#include <cpuid.h>
#endif

#include "bn254_int.h"

const zr__mod_t zr__bn254_p = {
    {0x3c208c16d87cfd47ULL, 0x97816a916871ca8dULL, 0xb85045b68181585dULL, 0x30644e72e131a029ULL},
    0x87d20782e4866389ULL,
    {0xf32cfc5b538afa89ULL, 0xb5e71911d44501fbULL, 0x47ab1eff0a417ff6ULL, 0x06d89f71cab8351fULL},
    {0xd35d438dc58f0d9dULL, 0x0a78eb28f5c70b3dULL, 0x666ea36f7879462cULL, 0x0e0a77c19a07df2fULL},
};
const zr__mod_t zr__bn254_r = {
    {0x43e1f593f0000001ULL, 0x2833e84879b97091ULL, 0xb85045b68181585dULL, 0x30644e72e131a029ULL},
    0xc2e1f593efffffffULL,
    {0x1bb8e645ae216da7ULL, 0x53fe3ab1e35c59e3ULL, 0x8c49833d53bb8085ULL, 0x0216d0b17f4e44a5ULL},
    {0xac96341c4ffffffbULL, 0x36fc76959f60cd29ULL, 0x666ea36f7879462eULL, 0x0e0a77c19a07df2fULL},
};

static const uint64_t P_MINUS_2[4] = {0x3c208c16d87cfd45ULL, 0x97816a916871ca8dULL,
                                      0xb85045b68181585dULL, 0x30644e72e131a029ULL};
static const uint64_t P_PLUS_1_DIV_4[4] = {0x4f082305b61f3f52ULL, 0x65e05aa45a1c72a3ULL,
                                           0x6e14116da0605617ULL, 0x0c19139cb84c680aULL};
static const uint64_t R_MINUS_2[4] = {0x43e1f593efffffffULL, 0x2833e84879b97091ULL,
                                      0xb85045b68181585dULL, 0x30644e72e131a029ULL};

int zr__bn254_use_adx = 0;
static int cpu_has_adx = 0;

#if defined(ZR_BN254_HAVE_ASM)
__attribute__((constructor)) static void detect_cpu(void)
{
    unsigned a, b, c, d;
    if (__get_cpuid_count(7, 0, &a, &b, &c, &d) && (b & (1u << 8)) && (b & (1u << 19)))
        cpu_has_adx = 1;
    zr__bn254_use_adx = cpu_has_adx;
}
#endif

int zr_bn254_fast_enabled(void)
{
    return zr__bn254_use_adx;
}

int zr_bn254_fast_set(int on)
{
    int prev = zr__bn254_use_adx;
    zr__bn254_use_adx = on && cpu_has_adx;
    return prev;
}

/* ---- generic helpers over a modulus ---------------------------------------------------- */
static void be_to_limbs(uint64_t out[4], const uint8_t in[32])
{
    for (int i = 0; i < 4; i++) {
        uint64_t v = 0;
        for (int j = 0; j < 8; j++)
            v = (v << 8) | in[(3 - i) * 8 + j];
        out[i] = v;
    }
}

static void limbs_to_be(uint8_t out[32], const uint64_t in[4])
{
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 8; j++)
            out[(3 - i) * 8 + j] = (uint8_t)(in[i] >> (56 - 8 * j));
}

/* 1 when a < m (public values only: early exit). */
static int limbs_lt(const uint64_t a[4], const uint64_t m[4])
{
    for (int i = 3; i >= 0; i--) {
        if (a[i] != m[i])
            return a[i] < m[i];
    }
    return 0;
}

/* a^e for a public exponent e: sliding window of width 5 over odd powers (e only steers
 * the schedule, so the time does not depend on a). */
static void mod_pow(uint64_t r[4], const uint64_t a[4], const uint64_t e[4], const zr__mod_t *md)
{
    uint64_t tab[16][4], a2[4], acc[4];
    memcpy(tab[0], a, 32); /* tab[i] = a^(2i+1) */
    mont_mul(a2, a, a, md);
    for (int i = 1; i < 16; i++)
        mont_mul(tab[i], tab[i - 1], a2, md);
    memcpy(acc, md->one, 32);
    int i = 255;
    while (i >= 0 && !((e[i / 64] >> (i % 64)) & 1))
        i--;
    int started = 0;
    while (i >= 0) {
        if (!((e[i / 64] >> (i % 64)) & 1)) {
            mont_mul(acc, acc, acc, md);
            i--;
            continue;
        }
        /* the longest window e[i..j] of at most 5 bits that ends in a 1 */
        int j = i - 4 < 0 ? 0 : i - 4;
        while (!((e[j / 64] >> (j % 64)) & 1))
            j++;
        unsigned w = 0;
        for (int b = i; b >= j; b--) {
            w = (w << 1) | (unsigned)((e[b / 64] >> (b % 64)) & 1);
            if (started)
                mont_mul(acc, acc, acc, md);
        }
        if (started) {
            mont_mul(acc, acc, tab[w >> 1], md);
        } else {
            memcpy(acc, tab[w >> 1], 32);
            started = 1;
        }
        i = j - 1;
    }
    memcpy(r, acc, 32);
    zr_wipe(tab, sizeof tab);
    zr_wipe(a2, sizeof a2);
    zr_wipe(acc, sizeof acc);
}

static void mod_from_mont(uint64_t out[4], const uint64_t a[4], const zr__mod_t *md)
{
    static const uint64_t one[4] = {1, 0, 0, 0};
    mont_mul(out, a, one, md);
}

/* ---- Fp ---------------------------------------------------------------------------------- */
void zr__fp_from_u64(fp_t *r, uint64_t v)
{
    uint64_t t[4] = {v, 0, 0, 0};
    mont_mul(r->l, t, zr__bn254_p.r2, P_MOD);
}

int zr__fp_from_bytes(fp_t *r, const uint8_t in[32])
{
    uint64_t t[4];
    be_to_limbs(t, in);
    if (!limbs_lt(t, zr__bn254_p.m))
        return ZR_ENONCANON;
    mont_mul(r->l, t, zr__bn254_p.r2, P_MOD);
    return 0;
}

void zr__fp_from_mont(uint64_t out[4], const fp_t *a)
{
    mod_from_mont(out, a->l, P_MOD);
}

void zr__fp_to_bytes(uint8_t out[32], const fp_t *a)
{
    uint64_t t[4];
    mod_from_mont(t, a->l, P_MOD);
    limbs_to_be(out, t);
}

void zr__fp_pow(fp_t *r, const fp_t *a, const uint64_t e[4])
{
    mod_pow(r->l, a->l, e, P_MOD);
}

void zr__fp_inv(fp_t *r, const fp_t *a)
{
    mod_pow(r->l, a->l, P_MINUS_2, P_MOD);
}

int zr__fp_sqrt(fp_t *r, const fp_t *a)
{
    fp_t s, c;
    mod_pow(s.l, a->l, P_PLUS_1_DIV_4, P_MOD);
    fp_sqr(&c, &s);
    *r = s;
    return fp_eq(&c, a);
}

void zr__fp2_inv(fp2_t *r, const fp2_t *a)
{
    fp_t t0, t1;
    fp_sqr(&t0, &a->c0);
    fp_sqr(&t1, &a->c1);
    fp_add(&t0, &t0, &t1);
    zr__fp_inv(&t0, &t0);
    fp_mul(&r->c0, &a->c0, &t0);
    fp_mul(&t1, &a->c1, &t0);
    fp_neg(&r->c1, &t1);
}

/* Reference multiplication: schoolbook 512-bit product, then bitwise long division by p
 * after removing the Montgomery factor the slow way (multiplying by R^-1 = R^-2 * R). */
static void wide_mod_p(uint64_t out[4], const uint64_t w[8])
{
    /* shift-and-subtract: process bits from the top, keep rem < p */
    uint64_t rem[5] = {0, 0, 0, 0, 0};
    for (int bit = 511; bit >= 0; bit--) {
        /* rem = rem*2 + bit */
        for (int i = 4; i > 0; i--)
            rem[i] = (rem[i] << 1) | (rem[i - 1] >> 63);
        rem[0] = (rem[0] << 1) | ((w[bit / 64] >> (bit % 64)) & 1);
        /* if rem >= p: rem -= p */
        int ge = rem[4] != 0;
        if (!ge) {
            ge = 1;
            for (int i = 3; i >= 0; i--) {
                if (rem[i] != zr__bn254_p.m[i]) {
                    ge = rem[i] > zr__bn254_p.m[i];
                    break;
                }
            }
        }
        if (ge) {
            u128 d = 0;
            uint64_t borrow = 0;
            for (int i = 0; i < 4; i++) {
                d = (u128)rem[i] - zr__bn254_p.m[i] - borrow;
                rem[i] = (uint64_t)d;
                borrow = (uint64_t)(d >> 127);
            }
            rem[4] -= borrow;
        }
    }
    memcpy(out, rem, 32);
}

void zr__fp_mul_ref(fp_t *r, const fp_t *a, const fp_t *b)
{
    /* plain values: x = a/R, y = b/R; want x*y*R mod p = (a*b mod p) * R^-1 mod p */
    uint64_t w[8] = {0};
    for (int i = 0; i < 4; i++) {
        uint64_t carry = 0;
        for (int j = 0; j < 4; j++) {
            u128 t = (u128)a->l[i] * b->l[j] + w[i + j] + carry;
            w[i + j] = (uint64_t)t;
            carry = (uint64_t)(t >> 64);
        }
        w[i + 4] = carry;
    }
    uint64_t ab[4];
    wide_mod_p(ab, w);
    /* multiply by R^-1 mod p: R^-1 = (p+1)/2 ^ 256, i.e. halve 256 times mod p */
    for (int k = 0; k < 256; k++) {
        uint64_t odd = ab[0] & 1;
        uint64_t add[4];
        for (int i = 0; i < 4; i++)
            add[i] = odd ? zr__bn254_p.m[i] : 0;
        uint64_t c = 0;
        uint64_t s[5];
        for (int i = 0; i < 4; i++) {
            u128 t = (u128)ab[i] + add[i] + c;
            s[i] = (uint64_t)t;
            c = (uint64_t)(t >> 64);
        }
        s[4] = c;
        for (int i = 0; i < 4; i++)
            ab[i] = (s[i] >> 1) | (s[i + 1] << 63);
    }
    memcpy(r->l, ab, 32);
}

/* ---- Fr ---------------------------------------------------------------------------------- */
/* 1 when a < m, in constant time (a may be secret). */
static uint64_t limbs_lt_ct(const uint64_t a[4], const uint64_t m[4])
{
    u128 d = 0;
    for (int i = 0; i < 4; i++)
        d = (u128)a[i] - m[i] - (uint64_t)(d >> 127);
    return (uint64_t)(d >> 127);
}

int zr_bn254_fr_from_bytes(zr_bn254_fr_t *out, const uint8_t in[32])
{
    uint64_t t[4];
    be_to_limbs(t, in);
    uint64_t ok = limbs_lt_ct(t, zr__bn254_r.m);
    ZR_DECLASSIFY(&ok, sizeof ok); /* whether the key is valid is public */
    if (!ok) {
        zr_wipe(t, sizeof t);
        return ZR_ENONCANON;
    }
    mont_mul(out->l, t, zr__bn254_r.r2, R_MOD);
    zr_wipe(t, sizeof t);
    return 0;
}

void zr_bn254_fr_from_bytes_wide(zr_bn254_fr_t *out, const uint8_t *in, size_t len)
{
    /* Horner over bytes in Montgomery form: constant time in the value of the input. */
    uint64_t acc[4] = {0, 0, 0, 0}, c256[4] = {256, 0, 0, 0}, b[4];
    mont_mul(c256, c256, zr__bn254_r.r2, R_MOD);
    for (size_t i = 0; i < len; i++) {
        uint64_t t[4] = {in[i], 0, 0, 0};
        mont_mul(b, t, zr__bn254_r.r2, R_MOD);
        mont_mul(acc, acc, c256, R_MOD);
        mod_add(acc, acc, b, R_MOD);
    }
    memcpy(out->l, acc, 32);
    zr_wipe(acc, sizeof acc);
    zr_wipe(b, sizeof b);
}

void zr_bn254_fr_from_bytes_reduce(zr_bn254_fr_t *out, const uint8_t in[32])
{
    zr_bn254_fr_from_bytes_wide(out, in, 32);
}

void zr__fr_from_mont(uint64_t out[4], const zr_bn254_fr_t *a)
{
    mod_from_mont(out, a->l, R_MOD);
}

void zr_bn254_fr_to_bytes(uint8_t out[32], const zr_bn254_fr_t *a)
{
    uint64_t t[4];
    mod_from_mont(t, a->l, R_MOD);
    limbs_to_be(out, t);
    zr_wipe(t, sizeof t);
}

void zr_bn254_fr_add(zr_bn254_fr_t *out, const zr_bn254_fr_t *a, const zr_bn254_fr_t *b)
{
    mod_add(out->l, a->l, b->l, R_MOD);
}

void zr_bn254_fr_mul(zr_bn254_fr_t *out, const zr_bn254_fr_t *a, const zr_bn254_fr_t *b)
{
    mont_mul(out->l, a->l, b->l, R_MOD);
}

int zr_bn254_fr_is_zero(const zr_bn254_fr_t *a)
{
    uint64_t v = a->l[0] | a->l[1] | a->l[2] | a->l[3];
    int z = (int)(((v | (0 - v)) >> 63) ^ 1); /* no branch on a secret */
    ZR_DECLASSIFY(&z, sizeof z);
    return z;
}

void zr__fr_inv(zr_bn254_fr_t *r, const zr_bn254_fr_t *a)
{
    mod_pow(r->l, a->l, R_MINUS_2, R_MOD);
}
