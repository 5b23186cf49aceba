// SPDX-License-Identifier: MIT
// The engine's float32 exp, expm1, log, tanh, sigmoid, softplus, erf, gelu and elu from
// IEEE +, −, ×, ÷ only: each is evaluated in binary64 with an error near 2^-50 and rounded
// once to binary32, which gives the correctly rounded result except where the exact value
// lies within that error of a rounding boundary (counted by `make check-math`). The vector
// kernels (kern_gen.h) repeat exactly these operation sequences lane by lane.
#include <stdint.h>
#include <string.h>

#include "nn_int.h"
#include "nnmath_int.h"

static inline uint64_t bits_d(double x)
{
    uint64_t u;
    memcpy(&u, &x, 8);
    return u;
}

static inline double from_bits_d(uint64_t u)
{
    double x;
    memcpy(&x, &u, 8);
    return x;
}

static inline uint32_t bits_f(float x)
{
    uint32_t u;
    memcpy(&u, &x, 4);
    return u;
}

static inline float from_bits_f(uint32_t u)
{
    float x;
    memcpy(&x, &u, 4);
    return x;
}

/* x = k·ln2 + r with |r| ≤ ln2/2 (k by the round-to-nearest shift trick); returns the
 * Taylor polynomial p(r) = e^r − 1 and 2^k in *s. */
static inline double exp_reduce(double x, double *s)
{
    double kd = (x * ZR__M_INV_LN2 + ZR__M_SHIFT) - ZR__M_SHIFT;
    uint64_t kb = bits_d(kd + ZR__M_SHIFT);
    *s = from_bits_d((kb + 1023u) << 52);
    double r = (x - kd * ZR__M_LN2_HI) - kd * ZR__M_LN2_LO;
    double q = ZR__M_E13;
    q = q * r + ZR__M_E12;
    q = q * r + ZR__M_E11;
    q = q * r + ZR__M_E10;
    q = q * r + ZR__M_E9;
    q = q * r + ZR__M_E8;
    q = q * r + ZR__M_E7;
    q = q * r + ZR__M_E6;
    q = q * r + ZR__M_E5;
    q = q * r + ZR__M_E4;
    q = q * r + ZR__M_E3;
    q = q * r + ZR__M_E2;
    q = q * r + 1.0;
    return q * r;
}

double zr__nn_exp_d(double x)
{
    double s;
    double p = exp_reduce(x, &s);
    return s + s * p;
}

double zr__nn_expm1_d(double x)
{
    double s;
    double p = exp_reduce(x, &s);
    return (s - 1.0) + s * p;
}

/* 2·atanh(f)/f − ... : the series 2f·(1 + f²/3 + f⁴/5 + …) for |f| ≤ 0.1716. */
static inline double atanh2(double f)
{
    double z = f * f;
    double q = ZR__M_A23;
    q = q * z + ZR__M_A21;
    q = q * z + ZR__M_A19;
    q = q * z + ZR__M_A17;
    q = q * z + ZR__M_A15;
    q = q * z + ZR__M_A13;
    q = q * z + ZR__M_A11;
    q = q * z + ZR__M_A9;
    q = q * z + ZR__M_A7;
    q = q * z + ZR__M_A5;
    q = q * z + ZR__M_A3;
    q = q * z + 1.0;
    return (f + f) * q;
}

double zr__nn_log1p_d(double u)
{
    /* 1+u in (1, 2]: below √2 use f = u/(2+u); above, log((1+u)/2) + ln2 with
     * f = (u−1)/(u+3) (u−1 exact there) */
    if (u <= ZR__M_SQRT2_M1)
        return atanh2(u / (2.0 + u));
    return atanh2((u - 1.0) / (u + 3.0)) + ZR__M_LN2;
}

float zr_nn_expf(float x)
{
    double xd = x;
    if (xd > 100.0)
        xd = 100.0;
    if (xd < -150.0)
        xd = -150.0;
    return (float)zr__nn_exp_d(xd);
}

float zr_nn_expm1f(float x)
{
    double xd = x;
    if (xd > 100.0)
        xd = 100.0;
    if (xd < -150.0)
        xd = -150.0;
    return (float)zr__nn_expm1_d(xd);
}

float zr_nn_logf(float x)
{
    if (x != x)
        return x;
    if (x == 0.0f)
        return -HUGE_VALF;
    if (x < 0.0f)
        return from_bits_f(0x7fc00000u);
    if (x == HUGE_VALF)
        return x;
    double xd = x;
    uint64_t b = bits_d(xd);
    int e = (int)((b >> 52) & 0x7ff) - 1023;
    double m = from_bits_d((b & 0x000fffffffffffffull) | 0x3ff0000000000000ull);
    if (m > ZR__M_SQRT2) {
        m = m * 0.5;
        e++;
    }
    double ed = (double)e;
    double l = atanh2((m - 1.0) / (m + 1.0));
    return (float)(ed * ZR__M_LN2_HI + (ed * ZR__M_LN2_LO + l));
}

float zr_nn_tanhf(float x)
{
    double a = x;
    a = a < 0 ? -a : a;
    if (a > 10.0)
        a = 10.0;
    double em = zr__nn_expm1_d(a + a);
    float t = (float)(em / (em + 2.0));
    return from_bits_f(bits_f(t) | (bits_f(x) & 0x80000000u));
}

float zr_nn_sigmoidf(float x)
{
    double xd = x;
    if (xd > 120.0)
        xd = 120.0;
    if (xd < -120.0)
        xd = -120.0;
    double e = zr__nn_exp_d(-xd);
    return (float)(1.0 / (1.0 + e));
}

float zr_nn_softplusf(float x)
{
    double xd = x;
    double a = xd < 0 ? -xd : xd;
    if (a > 200.0)
        a = 200.0;
    double u = zr__nn_exp_d(-a);
    double l = zr__nn_log1p_d(u);
    double pos = xd > 0 ? xd : 0.0;
    if (xd != xd)
        return x;
    return (float)(pos + l);
}

/* erf(a) for 0 ≤ a ≤ 4 given a² exactly: (2/√π)·e^(−a²)·Σ 2ⁿa^(2n+1)/(2n+1)!! — all
 * terms positive, so no cancellation. */
static double erf_series(double a, double a2)
{
    double z = a2 + a2;
    double t = a, s = a;
    for (int n = 0; n < ZR__M_ERF_TERMS; n++) {
        t = (t * z) * zr__nn_erf_inv_odd[n];
        if (t < 0x1p-900) /* avoid slow subnormal arithmetic; t no longer matters */
            t = 0.0;
        s = s + t;
    }
    return (s * zr__nn_exp_d(-a2)) * ZR__M_2_SQRTPI;
}

/* erfc(a) for a ≥ 2 given a²: e^(−a²)/(√π·K) with the continued fraction
 * K = a + (1/2)/(a + 1/(a + (3/2)/(a + …))) evaluated bottom-up. */
static double erfc_cf(double a, double a2)
{
    double k = a;
    for (int m = ZR__M_ERFC_DEPTH; m >= 1; m--)
        k = a + zr__nn_erfc_half[m] / k;
    return zr__nn_exp_d(-a2) / (ZR__M_SQRTPI * k);
}

float zr_nn_erff(float x)
{
    double a = x;
    a = a < 0 ? -a : a;
    if (a > 4.0)
        a = 4.0;
    float r = (float)erf_series(a, a * a);
    return from_bits_f(bits_f(r) | (bits_f(x) & 0x80000000u));
}

float zr_nn_geluf(float x)
{
    double xd = x;
    if (xd != xd)
        return x;
    double a = (xd < 0 ? -xd : xd) * ZR__M_INV_SQRT2; /* |x|/√2 */
    double a2 = (xd * xd) * 0.5;                      /* exact: x has 24 bits */
    double h = 0.5 * xd;                              /* exact */
    if (xd < 0 && a >= 2.0) {
        if (a > 10.5) /* |gelu(x)| < 2^-150 here: rounds to −0 (also the limit at −Inf) */
            return -0.0f;
        return (float)(h * erfc_cf(a, a2));
    }
    if (a > 4.0) { /* erf rounds to 1 here, and so does gelu(x)/x */
        a = 4.0;
        a2 = 16.0;
    }
    /* gelu = h + h·erf(x/√2). When the correction vanishes against h (tiny x), h may be a
     * binary32 midpoint (subnormal results): step one binary64 ulp toward the correction
     * so the final rounding breaks the tie the way the exact value does. */
    double lo = h * erf_series(a, a2);
    if (xd < 0) /* erf is odd */
        lo = -lo;
    double d = h + lo;
    if (d == h && lo != 0.0 && h - h == 0.0) {
        uint64_t b = bits_d(d);
        b = ((lo > 0) == (d > 0)) ? b + 1 : b - 1;
        d = from_bits_d(b);
    }
    return (float)d;
}

float zr_nn_eluf(float x, float alpha)
{
    if (x > 0.0f)
        return x;
    double xd = x;
    if (xd < -150.0)
        xd = -150.0;
    return (float)((double)alpha * zr__nn_expm1_d(xd));
}

float zr__nn_relu(float x)
{
    return x < 0.0f ? 0.0f : x;
}

float zr__nn_leaky(float x, float alpha)
{
    return x < 0.0f ? x * alpha : x;
}

void zr__nn_act_scalar(zr_nn_act_t act, float alpha, float *y, size_t n)
{
    switch (act) {
    case ZR_NN_ACT_LINEAR:
    case ZR_NN_ACT_SOFTMAX:
        break;
    case ZR_NN_ACT_RELU:
        for (size_t i = 0; i < n; i++)
            y[i] = zr__nn_relu(y[i]);
        break;
    case ZR_NN_ACT_LEAKY_RELU:
        for (size_t i = 0; i < n; i++)
            y[i] = zr__nn_leaky(y[i], alpha);
        break;
    case ZR_NN_ACT_ELU:
        for (size_t i = 0; i < n; i++)
            y[i] = zr_nn_eluf(y[i], alpha);
        break;
    case ZR_NN_ACT_TANH:
        for (size_t i = 0; i < n; i++)
            y[i] = zr_nn_tanhf(y[i]);
        break;
    case ZR_NN_ACT_SIGMOID:
        for (size_t i = 0; i < n; i++)
            y[i] = zr_nn_sigmoidf(y[i]);
        break;
    case ZR_NN_ACT_SOFTPLUS:
        for (size_t i = 0; i < n; i++)
            y[i] = zr_nn_softplusf(y[i]);
        break;
    case ZR_NN_ACT_GELU:
        for (size_t i = 0; i < n; i++)
            y[i] = zr_nn_geluf(y[i]);
        break;
    }
}

void zr__nn_softmax_rows(float *y, size_t rows, size_t dim, size_t stride)
{
    for (size_t r = 0; r < rows; r++) {
        float *v = y + r * stride;
        float m = v[0];
        for (size_t j = 1; j < dim; j++)
            if (v[j] > m)
                m = v[j];
        float s = 0.0f;
        for (size_t j = 0; j < dim; j++) {
            v[j] = zr_nn_expf(v[j] - m);
            s = s + v[j];
        }
        for (size_t j = 0; j < dim; j++)
            v[j] = v[j] / s;
    }
}
