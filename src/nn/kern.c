// SPDX-License-Identifier: MIT
// The portable blocked kernel (plain C loops across outputs, which compilers may
// vectorise without changing any result) and the run-time choice of kernel path.
#include <stdint.h>
#include <string.h>

#include "nn_int.h"

#define SC_NB 8

static void dense_scalar(const float *X, size_t xrs, size_t xcs, size_t R, size_t C, const float *W,
                         size_t ws, const float *bias, float *Y, size_t ys, size_t J)
{
    for (size_t r = 0; r < R; r++) {
        float *y = Y + r * ys;
        for (size_t j = 0; j < J; j++)
            y[j] = bias ? bias[j] : 0.0f;
        const float *x = X + r * xrs;
        for (size_t c = 0; c < C; c++) {
            const float xv = x[c * xcs];
            const float *w = W + c * ws;
            for (size_t j = 0; j < J; j++)
                y[j] = y[j] + w[j] * xv;
        }
    }
}

static void act_scalar(zr_nn_act_t act, float alpha, float *y, size_t n)
{
    zr__nn_act_scalar(act, alpha, y, n);
}

const zr__nn_kern_t zr__nn_kern_scalar = {ZR_NN_PATH_SCALAR, SC_NB, dense_scalar, act_scalar};

int zr_nn_path_available(zr_nn_path_t path)
{
    switch (path) {
    case ZR_NN_PATH_AUTO:
    case ZR_NN_PATH_REF:
    case ZR_NN_PATH_SCALAR:
        return 1;
#if defined(__x86_64__) || defined(__i386__)
    case ZR_NN_PATH_SSE2:
        return __builtin_cpu_supports("sse2");
    case ZR_NN_PATH_AVX2:
        return __builtin_cpu_supports("avx2");
    case ZR_NN_PATH_AVX512:
        return __builtin_cpu_supports("avx512f");
#endif
#if defined(__aarch64__)
    case ZR_NN_PATH_NEON:
        return 1;
#endif
    default:
        return 0;
    }
}

static const char *const path_names[] = {"auto", "ref", "scalar", "sse2", "avx2", "neon", "avx512"};

const char *zr_nn_path_name(zr_nn_path_t path)
{
    return (unsigned)path < ZR_ARRAY_LEN(path_names) ? path_names[path] : "?";
}

int zr_nn_path_parse(const char *s)
{
    for (size_t i = 0; i < ZR_ARRAY_LEN(path_names); i++)
        if (strcmp(s, path_names[i]) == 0)
            return (int)i;
    return -1;
}

const zr__nn_kern_t *zr__nn_kern_get(zr_nn_path_t path)
{
    if (path == ZR_NN_PATH_AUTO) {
#if defined(__x86_64__) || defined(__i386__)
        if (zr_nn_path_available(ZR_NN_PATH_AVX512))
            return &zr__nn_kern_avx512;
        if (zr_nn_path_available(ZR_NN_PATH_AVX2))
            return &zr__nn_kern_avx2;
        if (zr_nn_path_available(ZR_NN_PATH_SSE2))
            return &zr__nn_kern_sse2;
#endif
#if defined(__aarch64__)
        return &zr__nn_kern_neon;
#endif
        return &zr__nn_kern_scalar;
    }
    if (!zr_nn_path_available(path))
        return NULL;
    switch (path) {
    case ZR_NN_PATH_SCALAR:
        return &zr__nn_kern_scalar;
#if defined(__x86_64__) || defined(__i386__)
    case ZR_NN_PATH_SSE2:
        return &zr__nn_kern_sse2;
    case ZR_NN_PATH_AVX2:
        return &zr__nn_kern_avx2;
    case ZR_NN_PATH_AVX512:
        return &zr__nn_kern_avx512;
#endif
#if defined(__aarch64__)
    case ZR_NN_PATH_NEON:
        return &zr__nn_kern_neon;
#endif
    default:
        return NULL;
    }
}
