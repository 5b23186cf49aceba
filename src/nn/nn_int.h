/* SPDX-License-Identifier: MIT
 * Private declarations of the nn module: the parsed architecture, parameter storage, the
 * double-precision cores of the float32 math, the per-path kernels and the dispatch table. */
#ifndef ZARA_NN_INT_H
#define ZARA_NN_INT_H

#include <float.h>
#include <stddef.h>
#include <stdint.h>

#include "zara/nn.h"
#include "zara/nnmath.h"

/* DESIGN.md §5: intermediate results must be evaluated in their own type. */
#if !defined(FLT_EVAL_METHOD) || FLT_EVAL_METHOD != 0
#error "the nn engine requires FLT_EVAL_METHOD == 0 (no excess precision)"
#endif

typedef struct zr__nn_layer {
    zr_nn_layer_kind_t kind;
    const char *class_name; /* static string */
    char *name;
    uint32_t in_dim, out_dim;
    zr_nn_act_t act;
    float alpha;
    int use_bias;
    uint64_t params, flops;
    size_t kernel_off, bias_off; /* into the flat parameter array (Dense only) */
} zr__nn_layer_t;

struct zr_nn_arch {
    char *name;
    zr__nn_layer_t *layers;
    size_t n;
    uint32_t in_shape[8];
    size_t in_rank;
    uint32_t in_dim, out_dim, max_dim;
    uint64_t params, flops;
};

struct zr_nn_params {
    const zr_nn_arch_t *arch; /* borrowed: must outlive the params */
    float *data;
    size_t count;
};

/* ---- math cores (nnmath.c) ----------------------------------------------------------------
 * Double-precision evaluations that the float32 functions round once at the end. */
double zr__nn_exp_d(double x);   /* |x| ≤ 700 */
double zr__nn_expm1_d(double x); /* |x| ≤ 700 */
double zr__nn_log1p_d(double u); /* u in [0, 1] */
float zr__nn_relu(float x);
float zr__nn_leaky(float x, float alpha);

/* Applies activation act elementwise to y[0..n) with the scalar functions (every path
 * uses these for the activations it does not vectorise). Softmax is not elementwise. */
void zr__nn_act_scalar(zr_nn_act_t act, float alpha, float *y, size_t n);
/* Softmax over rows: rows × dim values at stride. */
void zr__nn_softmax_rows(float *y, size_t rows, size_t dim, size_t stride);

/* ---- kernels -------------------------------------------------------------------------------
 * dense: for r < R rows and j < J (a multiple of the path's tile width nb):
 *   Y[r·ys + j] = bias ? bias[j] : 0; then for c < C in order:
 *   Y[r·ys + j] = Y[r·ys + j] + W[c·ws + j] · X[r·xrs + c·xcs]   (product rounded first)
 * act: activation over n contiguous values (n a multiple of nb), not softmax. */
typedef struct zr__nn_kern {
    zr_nn_path_t path;
    size_t nb; /* output tile width: J and strides are padded to it */
    void (*dense)(const float *X, size_t xrs, size_t xcs, size_t R, size_t C, const float *W,
                  size_t ws, const float *bias, float *Y, size_t ys, size_t J);
    void (*act)(zr_nn_act_t act, float alpha, float *y, size_t n);
} zr__nn_kern_t;

extern const zr__nn_kern_t zr__nn_kern_scalar;
#if defined(__x86_64__) || defined(__i386__)
extern const zr__nn_kern_t zr__nn_kern_sse2;
extern const zr__nn_kern_t zr__nn_kern_avx2;
extern const zr__nn_kern_t zr__nn_kern_avx512;
#endif
#if defined(__aarch64__)
extern const zr__nn_kern_t zr__nn_kern_neon;
#endif
/* The kernel table for path (AUTO resolved), or NULL when unavailable. REF has none. */
const zr__nn_kern_t *zr__nn_kern_get(zr_nn_path_t path);

/* Counter-based generator (params.c): a 64-bit output from (key, counter), SplitMix-style
 * finaliser over a Weyl sequence; pure integer arithmetic. */
uint64_t zr__nn_rng64(uint64_t key, uint64_t counter);

/* Error formatting helper. */
void zr__nn_errf(char *err, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#define ZR__NN_ALIGN 64
static inline size_t zr__nn_round_up(size_t x, size_t m)
{
    return (x + m - 1) / m * m;
}

#endif
