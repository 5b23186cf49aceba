// SPDX-License-Identifier: MIT
// Deterministic binary64 exp, expm1, log, log2, sin, cos, tan, atan, atan2, asin, acos, tanh
// and pow, built from IEEE-754 +, −, ×, ÷ and sqrt in a fixed order (never libm, whose results
// differ between machines). Accuracy is about 1 ulp; determinism, not correct rounding, is
// the contract. Pure C with no Lua dependency (eval_lmath.c exposes it to scripts).
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "eval_det.h"

static const double LN2_HI = 6.93147180369123816490e-01; /* 0x3fe62e42fee00000 */
static const double LN2_LO = 1.90821492927058770002e-10; /* ln2 − LN2_HI */
static const double INV_LN2 = 1.44269504088896338700e+00;
static const double PIO2_HI = 1.57079632679489655800e+00; /* 0x3ff921fb54442d18 */
static const double PI_HI = 3.14159265358979311600e+00;
static const double PI_LO = 1.22464679914735317720e-16;
static const double TWO_OVER_PI = 6.36619772367581382433e-01;
/* π/2 in three 33-bit pieces: n × piece is exact for |n| < 2^20 */
static const double PIO2_1 = 1.57079632673412561417e+00;
static const double PIO2_2 = 6.07710050630396597660e-11;
static const double PIO2_3 = 2.02226624871116645580e-21;

static uint64_t bits(double x)
{
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    return u;
}

static double from_bits(uint64_t u)
{
    double x;
    memcpy(&x, &u, sizeof x);
    return x;
}

static int is_nan(double x)
{
    return x != x;
}

static int is_inf(double x)
{
    return (bits(x) & 0x7fffffffffffffffull) == 0x7ff0000000000000ull;
}

/* x · 2^n by exact power-of-two steps (only the last step can round, for subnormals). */
static double scale2(double x, int n)
{
    while (n > 1023) {
        x *= from_bits(0x7fe0000000000000ull); /* 2^1023 */
        n -= 1023;
    }
    while (n < -1022) {
        x *= from_bits(0x0010000000000000ull); /* 2^-1022 */
        n += 1022;
    }
    return x * from_bits((uint64_t)(n + 1023) << 52);
}

/* 1/k! for k = 0..20 */
static const double INV_FACT[] = {
    1.0,
    1.0,
    0.5,
    1.66666666666666666667e-01,
    4.16666666666666666667e-02,
    8.33333333333333333333e-03,
    1.38888888888888888889e-03,
    1.98412698412698412698e-04,
    2.48015873015873015873e-05,
    2.75573192239858906526e-06,
    2.75573192239858906526e-07,
    2.50521083854417187751e-08,
    2.08767569878680989792e-09,
    1.60590438368216145994e-10,
    1.14707455977297247139e-11,
    7.64716373181981647590e-13,
    4.77947733238738529744e-14,
    2.81145725434552076320e-15,
    1.56192069685862264622e-16,
    8.22063524662432971696e-18,
    4.11031762331216485848e-19,
};

double zr__dm_exp(double x)
{
    if (is_nan(x))
        return x;
    if (x > 709.782712893383973096)
        return HUGE_VAL;
    if (x < -745.13321910194110842)
        return 0.0;
    double kf = floor(x * INV_LN2 + 0.5);
    double r = (x - kf * LN2_HI) - kf * LN2_LO; /* |r| ≤ 0.35 */
    double p = INV_FACT[17];
    for (int k = 16; k >= 0; k--)
        p = p * r + INV_FACT[k];
    return scale2(p, (int)kf);
}

double zr__dm_expm1(double x)
{
    if (is_nan(x))
        return x;
    if (x > -0.5 && x < 0.5) {
        /* x · (1 + x/2 + x²/6 + ...) without the cancellation of exp(x) − 1 */
        double p = INV_FACT[19];
        for (int k = 18; k >= 1; k--)
            p = p * x + INV_FACT[k];
        return x * p;
    }
    return zr__dm_exp(x) - 1.0;
}

double zr__dm_log(double x)
{
    if (is_nan(x))
        return x;
    if (x < 0)
        return from_bits(0x7ff8000000000000ull);
    if (x == 0)
        return -HUGE_VAL;
    if (is_inf(x))
        return x;
    int e = 0;
    uint64_t u = bits(x);
    if ((u >> 52) == 0) { /* subnormal */
        x *= 18014398509481984.0; /* 2^54 */
        e -= 54;
        u = bits(x);
    }
    e += (int)(u >> 52) - 1023;
    double m = from_bits((u & 0x000fffffffffffffull) | 0x3ff0000000000000ull); /* [1, 2) */
    if (m > 1.41421356237309504880) {
        m *= 0.5;
        e++;
    }
    double f = m - 1.0; /* exact */
    double s = f / (2.0 + f);
    double z = s * s;
    /* log(m) = 2s + 2s·z·(1/3 + z/5 + z²/7 + ...), z ≤ 0.0295 */
    double p = 1.0 / 25.0;
    for (int k = 23; k >= 3; k -= 2)
        p = p * z + 1.0 / (double)k;
    double ef = (double)e;
    double lm = 2.0 * s + 2.0 * s * z * p;
    return ef * LN2_HI + (ef * LN2_LO + lm);
}

/* log2 that is exact for powers of two */
double zr__dm_log2(double x)
{
    if (is_nan(x) || x <= 0 || is_inf(x))
        return zr__dm_log(x) * (x > 0 ? INV_LN2 : 1.0);
    int e = 0;
    uint64_t u = bits(x);
    if ((u >> 52) == 0) {
        x *= 18014398509481984.0;
        e -= 54;
        u = bits(x);
    }
    e += (int)(u >> 52) - 1023;
    double m = from_bits((u & 0x000fffffffffffffull) | 0x3ff0000000000000ull);
    if (m == 1.0)
        return (double)e;
    return (double)e + zr__dm_log(m) * INV_LN2;
}

static double sin_poly(double r)
{
    double z = r * r;
    double p = -INV_FACT[19];
    for (int k = 17; k >= 3; k -= 2)
        p = p * z + ((k / 2) % 2 ? -INV_FACT[k] : INV_FACT[k]);
    return r + r * z * p;
}

static double cos_poly(double r)
{
    double z = r * r;
    double p = INV_FACT[20];
    for (int k = 18; k >= 2; k -= 2)
        p = p * z + ((k / 2) % 2 ? -INV_FACT[k] : INV_FACT[k]);
    return 1.0 + z * p;
}

/* r = x − n·π/2 with |r| ≲ π/4; *q = n mod 4. Exact reduction for |x| < 2^19·π; beyond that
 * the same steps are taken (deterministic, less accurate). */
static double reduce(double x, int *q)
{
    if (x > -0.785398163397448 && x < 0.785398163397448) {
        *q = 0;
        return x;
    }
    double n = floor(x * TWO_OVER_PI + 0.5);
    double r = x - n * PIO2_1;
    r = r - n * PIO2_2;
    r = r - n * PIO2_3;
    double m = n - 4.0 * floor(n * 0.25);
    *q = (int)m & 3;
    return r;
}

double zr__dm_sin(double x)
{
    if (is_nan(x) || is_inf(x))
        return from_bits(0x7ff8000000000000ull);
    int q;
    double r = reduce(x, &q);
    switch (q) {
    case 0: return sin_poly(r);
    case 1: return cos_poly(r);
    case 2: return -sin_poly(r);
    default: return -cos_poly(r);
    }
}

double zr__dm_cos(double x)
{
    if (is_nan(x) || is_inf(x))
        return from_bits(0x7ff8000000000000ull);
    int q;
    double r = reduce(x, &q);
    switch (q) {
    case 0: return cos_poly(r);
    case 1: return -sin_poly(r);
    case 2: return -cos_poly(r);
    default: return sin_poly(r);
    }
}

double zr__dm_tan(double x)
{
    if (is_nan(x) || is_inf(x))
        return from_bits(0x7ff8000000000000ull);
    int q;
    double r = reduce(x, &q);
    double s = sin_poly(r), c = cos_poly(r);
    return (q & 1) ? -c / s : s / c;
}

/* atan(c) for c = 0.5, 1, 1.5, ∞ in two parts (hi + lo) */
static const double ATAN_HI[] = {4.63647609000806093515e-01, 7.85398163397448278999e-01,
                                 9.82793723247329054082e-01, 1.57079632679489655800e+00};
static const double ATAN_LO[] = {2.26987774529616870924e-17, 3.06161699786838301793e-17,
                                 1.39033110312309984516e-17, 6.12323399573676603587e-17};

/* atan(t) − t for |t| ≤ 7/16: t·z·(−1/3 + z/5 − z²/7 + ...), z = t² ≤ 0.19 */
static double atan_tail(double t)
{
    double z = t * t;
    double p = -1.0 / 47.0;
    for (int k = 45; k >= 3; k -= 2)
        p = p * z + ((k / 2) % 2 ? -1.0 / (double)k : 1.0 / (double)k);
    return t * z * p;
}

double zr__dm_atan(double x)
{
    if (is_nan(x))
        return x;
    int neg = x < 0;
    double a = neg ? -x : x;
    double r;
    if (a < 0.4375) {
        r = a + atan_tail(a);
    } else {
        /* atan(a) = atan(c) + atan(t), t = (a − c)/(1 + a·c) */
        int id;
        double t;
        if (a < 0.6875) {
            id = 0;
            t = (2.0 * a - 1.0) / (2.0 + a);
        } else if (a < 1.1875) {
            id = 1;
            t = (a - 1.0) / (a + 1.0);
        } else if (a < 2.4375) {
            id = 2;
            t = (a - 1.5) / (1.0 + 1.5 * a);
        } else {
            id = 3;
            t = -1.0 / a;
        }
        r = ATAN_HI[id] + ((t + atan_tail(t)) + ATAN_LO[id]);
    }
    return neg ? -r : r;
}

double zr__dm_atan2(double y, double x)
{
    if (is_nan(x) || is_nan(y))
        return x + y;
    int yneg = (bits(y) >> 63) != 0;
    int xneg = (bits(x) >> 63) != 0;
    double r;
    if (is_inf(x) && is_inf(y)) {
        r = xneg ? 3.0 * 0.785398163397448279 : 0.785398163397448279;
    } else if (x == 0) {
        if (y == 0)
            r = xneg ? PI_HI : 0.0;
        else
            r = PIO2_HI;
    } else if (is_inf(y)) {
        r = PIO2_HI;
    } else if (is_inf(x)) {
        r = xneg ? PI_HI : 0.0;
    } else {
        double a = zr__dm_atan((yneg ? -y : y) / (xneg ? -x : x)); /* in [0, π/2] */
        r = xneg ? (PI_HI - a) + PI_LO : a;
    }
    return yneg ? -r : r;
}

double zr__dm_asin(double x)
{
    if (is_nan(x) || x > 1.0 || x < -1.0)
        return from_bits(0x7ff8000000000000ull);
    return zr__dm_atan2(x, sqrt((1.0 - x) * (1.0 + x)));
}

double zr__dm_acos(double x)
{
    if (is_nan(x) || x > 1.0 || x < -1.0)
        return from_bits(0x7ff8000000000000ull);
    return zr__dm_atan2(sqrt((1.0 - x) * (1.0 + x)), x);
}

double zr__dm_tanh(double x)
{
    if (is_nan(x))
        return x;
    int neg = x < 0;
    double a = neg ? -x : x;
    double r;
    if (a > 22.0) {
        r = 1.0;
    } else {
        double t = zr__dm_expm1(2.0 * a);
        r = t / (t + 2.0);
    }
    return neg ? -r : r;
}

double zr__dm_pow(double x, double y)
{
    if (y == 0 || x == 1.0)
        return 1.0;
    if (is_nan(x) || is_nan(y))
        return x + y;
    int yint = floor(y) == y;
    if (yint && y >= -2147483648.0 && y <= 2147483648.0) {
        /* binary exponentiation: exact for small cases such as x·x */
        uint64_t n = (uint64_t)(y < 0 ? -y : y);
        double base = x, acc = 1.0;
        while (n) {
            if (n & 1)
                acc *= base;
            n >>= 1;
            if (n)
                base *= base;
        }
        return y < 0 ? 1.0 / acc : acc;
    }
    if (is_inf(y)) {
        double a = x < 0 ? -x : x;
        if (a == 1.0)
            return 1.0;
        return (a > 1.0) == (y > 0) ? HUGE_VAL : 0.0;
    }
    int odd = yint && y < 9007199254740992.0 && y > -9007199254740992.0 &&
              fmod(y, 2.0) != 0.0;
    if (x < 0 && !yint)
        return from_bits(0x7ff8000000000000ull);
    double a = x < 0 ? -x : x;
    double r;
    if (a == 0)
        r = y > 0 ? 0.0 : HUGE_VAL;
    else if (is_inf(a))
        r = y > 0 ? HUGE_VAL : 0.0;
    else
        r = zr__dm_exp(y * zr__dm_log(a));
    return (x < 0 || (x == 0 && (bits(x) >> 63))) && odd ? -r : r;
}
