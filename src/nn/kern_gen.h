/* SPDX-License-Identifier: MIT
 * One vector kernel set, written with GCC/Clang vector extensions and instantiated per
 * path by the including file (kern_x86.c, kern_arm.c), which defines:
 *   ZK_SUF       name suffix (sse2, avx2, neon)
 *   ZK_ATTR      function attributes (a target("…") or nothing)
 *   ZK_VB        vector bytes (16 or 32)
 *   ZK_PATH      the zr_nn_path_t value
 * Every lane performs exactly the scalar operation sequence of nnmath.c and of the
 * canonical dense order (acc = bias; acc = acc + w·x for c in order), so results are the
 * reference's bits; only independent outputs and samples are processed side by side. */
#include <string.h>

#define ZK_CAT2(a, b) a##_##b
#define ZK_CAT(a, b) ZK_CAT2(a, b)
#define ZK(x) ZK_CAT(x, ZK_SUF)
#define ZK_VW (ZK_VB / 4) /* float lanes */
#define ZK_DW (ZK_VB / 8) /* double lanes */
#define ZK_NB (2 * ZK_VW) /* outputs per tile */
#define ZK_MB 4           /* samples per tile */
#define ZK_RB 64          /* samples per cache block */
#define ZK_INL static inline __attribute__((always_inline)) ZK_ATTR

typedef float ZK(vf) __attribute__((vector_size(ZK_VB)));
typedef float ZK(vh) __attribute__((vector_size(ZK_VB / 2)));
typedef uint32_t ZK(vh_u) __attribute__((vector_size(ZK_VB / 2)));
typedef double ZK(vd) __attribute__((vector_size(ZK_VB)));
typedef uint64_t ZK(vu) __attribute__((vector_size(ZK_VB)));
typedef int64_t ZK(vi) __attribute__((vector_size(ZK_VB)));

ZK_INL ZK(vf) ZK(ld)(const float *p)
{
    ZK(vf) v;
    memcpy(&v, p, sizeof v);
    return v;
}

ZK_INL void ZK(st)(float *p, ZK(vf) v)
{
    memcpy(p, &v, sizeof v);
}

/* One sample, outputs [j, j + 4·NB): eight independent accumulators hide the add latency. */
ZK_INL void ZK(row_wide)(const float *x, size_t xcs, size_t C, const float *W, size_t ws, const float *bias,
                         float *y, size_t j)
{
    const ZK(vf) zero = {0};
    ZK(vf) acc[8];
    for (int v = 0; v < 8; v++)
        acc[v] = bias ? ZK(ld)(bias + j + (size_t)v * ZK_VW) : zero;
    const float *w = W + j;
    for (size_t c = 0; c < C; c++, w += ws, x += xcs) {
        float s = *x;
        for (int v = 0; v < 8; v++)
            acc[v] = acc[v] + ZK(ld)(w + (size_t)v * ZK_VW) * s;
    }
    for (int v = 0; v < 8; v++)
        ZK(st)(y + j + (size_t)v * ZK_VW, acc[v]);
}

static ZK_ATTR void ZK(dense)(const float *X, size_t xrs, size_t xcs, size_t R, size_t C, const float *W,
                              size_t ws, const float *bias, float *Y, size_t ys, size_t J)
{
    const ZK(vf) zero = {0};
    for (size_t rb = 0; rb < R; rb += ZK_RB) {
        size_t rend = rb + ZK_RB < R ? rb + ZK_RB : R;
        size_t rfull = rb + (rend - rb) / ZK_MB * ZK_MB;
        for (size_t j = 0; j < J && rfull > rb; j += ZK_NB) {
            ZK(vf) b0 = bias ? ZK(ld)(bias + j) : zero;
            ZK(vf) b1 = bias ? ZK(ld)(bias + j + ZK_VW) : zero;
            for (size_t r = rb; r < rfull; r += ZK_MB) {
                ZK(vf) a00 = b0, a01 = b1, a10 = b0, a11 = b1, a20 = b0, a21 = b1, a30 = b0, a31 = b1;
                const float *x0 = X + r * xrs, *x1 = x0 + xrs, *x2 = x1 + xrs, *x3 = x2 + xrs;
                const float *w = W + j;
                for (size_t c = 0; c < C; c++, w += ws) {
                    ZK(vf) w0 = ZK(ld)(w), w1 = ZK(ld)(w + ZK_VW);
                    float s0 = *x0, s1 = *x1, s2 = *x2, s3 = *x3;
                    x0 += xcs;
                    x1 += xcs;
                    x2 += xcs;
                    x3 += xcs;
                    a00 = a00 + w0 * s0;
                    a01 = a01 + w1 * s0;
                    a10 = a10 + w0 * s1;
                    a11 = a11 + w1 * s1;
                    a20 = a20 + w0 * s2;
                    a21 = a21 + w1 * s2;
                    a30 = a30 + w0 * s3;
                    a31 = a31 + w1 * s3;
                }
                float *y = Y + r * ys + j;
                ZK(st)(y, a00);
                ZK(st)(y + ZK_VW, a01);
                ZK(st)(y + ys, a10);
                ZK(st)(y + ys + ZK_VW, a11);
                ZK(st)(y + 2 * ys, a20);
                ZK(st)(y + 2 * ys + ZK_VW, a21);
                ZK(st)(y + 3 * ys, a30);
                ZK(st)(y + 3 * ys + ZK_VW, a31);
            }
        }
        for (size_t r = rfull; r < rend; r++) {
            const float *xr = X + r * xrs;
            float *yr = Y + r * ys;
            size_t j = 0;
            for (; j + 4 * ZK_NB <= J; j += 4 * ZK_NB)
                ZK(row_wide)(xr, xcs, C, W, ws, bias, yr, j);
            for (; j < J; j += ZK_NB) {
                ZK(vf) a0 = bias ? ZK(ld)(bias + j) : zero, a1 = bias ? ZK(ld)(bias + j + ZK_VW) : zero;
                const float *x0 = xr;
                const float *w = W + j;
                for (size_t c = 0; c < C; c++, w += ws, x0 += xcs) {
                    float s0 = *x0;
                    a0 = a0 + ZK(ld)(w) * s0;
                    a1 = a1 + ZK(ld)(w + ZK_VW) * s0;
                }
                ZK(st)(yr + j, a0);
                ZK(st)(yr + j + ZK_VW, a1);
            }
        }
    }
}

/* mask ? a : b on the bits */
ZK_INL ZK(vd) ZK(sel)(ZK(vi) mask, ZK(vd) a, ZK(vd) b)
{
    return (ZK(vd))(((ZK(vi))a & mask) | ((ZK(vi))b & ~mask));
}

ZK_INL ZK(vd) ZK(exp_reduce)(ZK(vd) x, ZK(vd) *s)
{
    ZK(vd) kd = (x * ZR__M_INV_LN2 + ZR__M_SHIFT) - ZR__M_SHIFT;
    ZK(vu) kb = (ZK(vu))(kd + ZR__M_SHIFT);
    *s = (ZK(vd))((kb + 1023u) << 52);
    ZK(vd) r = (x - kd * ZR__M_LN2_HI) - kd * ZR__M_LN2_LO;
    ZK(vd) q = r * ZR__M_E13 + ZR__M_E12;
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

ZK_INL ZK(vd) ZK(to_d)(const float *p)
{
    ZK(vh) h;
    memcpy(&h, p, sizeof h);
    return __builtin_convertvector(h, ZK(vd));
}

ZK_INL void ZK(act_tanh)(float *y, size_t n)
{
    const ZK(vd) ten = {0};
    for (size_t i = 0; i < n; i += ZK_DW) {
        ZK(vh_u) xb;
        memcpy(&xb, y + i, sizeof xb);
        ZK(vd) a = (ZK(vd))((ZK(vu))ZK(to_d)(y + i) & 0x7fffffffffffffffull);
        a = ZK(sel)(a > 10.0, ten + 10.0, a);
        ZK(vd) s;
        ZK(vd) p = ZK(exp_reduce)(a + a, &s);
        ZK(vd) em = (s - 1.0) + s * p;
        ZK(vh) t = __builtin_convertvector(em / (em + 2.0), ZK(vh));
        ZK(vh_u) tb = (ZK(vh_u))t | (xb & 0x80000000u);
        memcpy(y + i, &tb, sizeof tb);
    }
}

ZK_INL void ZK(act_sigmoid)(float *y, size_t n)
{
    const ZK(vd) z = {0};
    for (size_t i = 0; i < n; i += ZK_DW) {
        ZK(vd) x = ZK(to_d)(y + i);
        x = ZK(sel)(x > 120.0, z + 120.0, x);
        x = ZK(sel)(x < -120.0, z - 120.0, x);
        ZK(vd) s;
        ZK(vd) p = ZK(exp_reduce)(-x, &s);
        ZK(vd) e = s + s * p;
        ZK(vh) r = __builtin_convertvector(1.0 / (1.0 + e), ZK(vh));
        memcpy(y + i, &r, sizeof r);
    }
}

static ZK_ATTR void ZK(act)(zr_nn_act_t act, float alpha, float *y, size_t n)
{
    const ZK(vf) zero = {0};
    switch (act) {
    case ZR_NN_ACT_RELU:
        for (size_t i = 0; i < n; i += ZK_VW) {
            ZK(vf) x = ZK(ld)(y + i);
            ZK(st)(y + i, (ZK(vf))((__typeof__(x < zero))x & ~(x < zero)));
        }
        break;
    case ZR_NN_ACT_LEAKY_RELU:
        for (size_t i = 0; i < n; i += ZK_VW) {
            ZK(vf) x = ZK(ld)(y + i);
            __typeof__(x < zero) m = x < zero;
            ZK(vf) ax = x * alpha;
            ZK(st)(y + i, (ZK(vf))(((__typeof__(m))ax & m) | ((__typeof__(m))x & ~m)));
        }
        break;
    case ZR_NN_ACT_TANH:
        ZK(act_tanh)(y, n);
        break;
    case ZR_NN_ACT_SIGMOID:
        ZK(act_sigmoid)(y, n);
        break;
    default:
        zr__nn_act_scalar(act, alpha, y, n);
        break;
    }
}

const zr__nn_kern_t ZK(zr__nn_kern) = {ZK_PATH, ZK_NB, ZK(dense), ZK(act)};

#undef ZK_CAT2
#undef ZK_CAT
#undef ZK
#undef ZK_VW
#undef ZK_DW
#undef ZK_NB
#undef ZK_MB
#undef ZK_RB
#undef ZK_INL
