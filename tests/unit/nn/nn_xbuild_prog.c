// SPDX-License-Identifier: MIT
// A standalone program that test_nn_xbuild.c compiles with several compilers, optimisation
// levels and architectures (gcc/clang -O0/-O3, aarch64 under qemu-user). It runs fixed MLPs
// through every kernel path and thread count available, a math sweep and 30 Adam steps,
// and prints one keccak256 digest per case; all paths inside one run must agree (exit 1
// otherwise), and the digests must equal tests/vectors/nn_xbuild_digests.txt everywhere.
// Built from the nn sources directly (no jansson): architectures are filled in by hand.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nn_int.h"

void zr_wipe(void *p, size_t n)
{
    volatile unsigned char *v = p;
    while (n--)
        *v++ = 0;
}

static uint64_t st = 0x9e3779b97f4a7c15ull;

static uint32_t next32(void)
{
    st ^= st << 13;
    st ^= st >> 7;
    st ^= st << 17;
    return (uint32_t)(st >> 16);
}

/* [-scale, scale) with 24-bit resolution: exact in binary32 */
static float frand(float scale)
{
    return ((float)(next32() >> 8) * 0x1p-23f - 1.0f) * scale;
}

static zr_nn_arch_t *mk_arch(size_t nl, const uint32_t *w, const zr_nn_act_t *acts)
{
    zr_nn_arch_t *a = calloc(1, sizeof *a);
    a->layers = calloc(nl, sizeof *a->layers);
    a->n = nl;
    a->in_dim = w[0];
    a->in_rank = 1;
    a->in_shape[0] = w[0];
    a->max_dim = w[0];
    size_t off = 0;
    for (size_t i = 0; i < nl; i++) {
        zr__nn_layer_t *L = &a->layers[i];
        L->kind = ZR_NN_LAYER_DENSE;
        L->class_name = "Dense";
        L->name = "d";
        L->in_dim = w[i];
        L->out_dim = w[i + 1];
        L->act = acts[i];
        L->alpha = acts[i] == ZR_NN_ACT_LEAKY_RELU ? 0.2f : 1.0f;
        L->use_bias = 1;
        L->params = (uint64_t)w[i] * w[i + 1] + w[i + 1];
        L->kernel_off = off;
        off += (size_t)w[i] * w[i + 1];
        L->bias_off = off;
        off += w[i + 1];
        if (w[i + 1] > a->max_dim)
            a->max_dim = w[i + 1];
    }
    a->params = off;
    a->out_dim = w[nl];
    return a;
}

static void hex(const uint8_t *h)
{
    for (int i = 0; i < 32; i++)
        printf("%02x", h[i]);
}

static int forward_case(const char *name, size_t nl, const uint32_t *w, const zr_nn_act_t *acts, size_t batch,
                        float wscale)
{
    zr_nn_arch_t *a = mk_arch(nl, w, acts);
    struct zr_nn_params p = {a, calloc(a->params, sizeof(float)), a->params};
    for (size_t i = 0; i < p.count; i++)
        p.data[i] = frand(wscale);
    float *in = malloc(batch * w[0] * sizeof(float)), *out = malloc(batch * w[nl] * sizeof(float));
    for (size_t i = 0; i < batch * w[0]; i++)
        in[i] = frand(3.0f);
    const zr_nn_path_t paths[] = {ZR_NN_PATH_REF,  ZR_NN_PATH_SCALAR, ZR_NN_PATH_SSE2,
                                  ZR_NN_PATH_AVX2, ZR_NN_PATH_NEON,   ZR_NN_PATH_AVX512};
    uint8_t first[32], h[32];
    int have = 0, bad = 0;
    for (size_t pi = 0; pi < 6; pi++) {
        if (!zr_nn_path_available(paths[pi]))
            continue;
        for (unsigned th = 1; th <= 2; th++) {
            zr_nn_model_t *m;
            zr_nn_model_opts_t o = {.max_batch = 256, .threads = th, .path = paths[pi]};
            char err[128];
            if (zr_nn_model_new(&m, a, &p, &o, err, sizeof err) || zr_nn_model_forward(m, in, batch, out)) {
                fprintf(stderr, "%s: %s failed\n", name, zr_nn_path_name(paths[pi]));
                return 1;
            }
            zr_nn_model_free(m);
            zr_nn_digest_t d;
            uint32_t shape[2] = {(uint32_t)batch, w[nl]};
            zr_nn_digest_init(&d);
            zr_nn_digest_tensor(&d, shape, 2, out);
            zr_nn_digest_final(&d, h);
            if (!have) {
                memcpy(first, h, 32);
                have = 1;
            } else if (memcmp(first, h, 32) != 0) {
                fprintf(stderr, "%s: path %s threads %u differs from the reference\n", name,
                        zr_nn_path_name(paths[pi]), th);
                bad = 1;
            }
        }
    }
    printf("%s ", name);
    hex(first);
    printf("\n");
    free(in);
    free(out);
    free(p.data);
    free(a->layers);
    free(a);
    return bad;
}

static void math_case(void)
{
    float (*const fns[])(float) = {zr_nn_expf,      zr_nn_expm1f, zr_nn_logf, zr_nn_tanhf,
                                   zr_nn_sigmoidf, zr_nn_softplusf, zr_nn_erff, zr_nn_geluf};
    const char *names[] = {"exp", "expm1", "log", "tanh", "sigmoid", "softplus", "erf", "gelu"};
    for (size_t f = 0; f < 8; f++) {
        zr_keccak_t k;
        zr_keccak_init(&k);
        for (uint32_t i = 0; i < 200000; i++) {
            /* spread over all exponents plus a dense band around zero */
            uint32_t b = i & 1 ? i * 21473u : 0x3f000000u + (i << 4);
            if (i % 3 == 0)
                b |= 0x80000000u;
            float x;
            memcpy(&x, &b, 4);
            float y = fns[f](x);
            uint32_t u;
            memcpy(&u, &y, 4);
            if (y != y)
                u = 0x7fc00000u;
            zr_keccak_update(&k, &u, 4);
        }
        uint8_t h[32];
        zr_keccak_final(&k, h);
        printf("math_%s ", names[f]);
        hex(h);
        printf("\n");
    }
}

static int train_case(void)
{
    const uint32_t w[] = {1, 64, 64, 1};
    const zr_nn_act_t acts[] = {ZR_NN_ACT_TANH, ZR_NN_ACT_TANH, ZR_NN_ACT_LINEAR};
    zr_nn_arch_t *a = mk_arch(3, w, acts);
    struct zr_nn_params p = {a, calloc(a->params, sizeof(float)), a->params};
    for (size_t i = 0; i < p.count; i++)
        p.data[i] = frand(0.3f);
    const zr_nn_path_t paths[] = {ZR_NN_PATH_SCALAR, ZR_NN_PATH_SSE2, ZR_NN_PATH_AVX2, ZR_NN_PATH_NEON,
                                  ZR_NN_PATH_AVX512};
    uint8_t first[32], h[32];
    int have = 0, bad = 0;
    uint64_t save = st;
    for (size_t pi = 0; pi < 5; pi++) {
        if (!zr_nn_path_available(paths[pi]))
            continue;
        st = save;
        zr_nn_trainer_t *t;
        zr_nn_train_opts_t o = {.loss = ZR_NN_LOSS_MSE, .lr = 3e-3f, .path = paths[pi]};
        char err[128];
        if (zr_nn_trainer_new(&t, a, &p, &o, err, sizeof err))
            return 1;
        float xs[256], ys[256], loss = 0;
        zr_keccak_t k;
        zr_keccak_init(&k);
        for (int s = 0; s < 30; s++) {
            for (int i = 0; i < 256; i++) {
                xs[i] = frand(1.0f);
                ys[i] = xs[i] * xs[i];
            }
            if (zr_nn_trainer_step(t, xs, ys, 256, &loss))
                return 1;
            zr_keccak_update(&k, &loss, 4);
        }
        struct zr_nn_params q = {a, calloc(a->params, sizeof(float)), a->params};
        zr_nn_trainer_get_params(t, &q);
        zr_keccak_update(&k, q.data, q.count * 4);
        zr_keccak_final(&k, h);
        free(q.data);
        zr_nn_trainer_free(t);
        if (!have) {
            memcpy(first, h, 32);
            have = 1;
        } else if (memcmp(first, h, 32) != 0) {
            fprintf(stderr, "train: path %s differs\n", zr_nn_path_name(paths[pi]));
            bad = 1;
        }
    }
    printf("train_square ");
    hex(first);
    printf("\n");
    free(p.data);
    free(a->layers);
    free(a);
    return bad;
}

int main(void)
{
    int bad = 0;
    {
        const uint32_t w[] = {1, 64, 64, 1};
        const zr_nn_act_t acts[] = {ZR_NN_ACT_TANH, ZR_NN_ACT_TANH, ZR_NN_ACT_LINEAR};
        bad |= forward_case("mlp_tanh_1_64_64_1", 3, w, acts, 301, 0.5f);
    }
    {
        const uint32_t w[] = {37, 53, 19, 7};
        const zr_nn_act_t acts[] = {ZR_NN_ACT_RELU, ZR_NN_ACT_SIGMOID, ZR_NN_ACT_SOFTMAX};
        bad |= forward_case("mlp_relu_sigmoid_softmax", 3, w, acts, 77, 0.4f);
    }
    {
        const uint32_t w[] = {5, 23, 23, 23, 3};
        const zr_nn_act_t acts[] = {ZR_NN_ACT_GELU, ZR_NN_ACT_ELU, ZR_NN_ACT_SOFTPLUS, ZR_NN_ACT_LEAKY_RELU};
        bad |= forward_case("mlp_gelu_elu_softplus_leaky", 4, w, acts, 50, 0.6f);
    }
    {
        const uint32_t w[] = {784, 256, 128, 10};
        const zr_nn_act_t acts[] = {ZR_NN_ACT_RELU, ZR_NN_ACT_RELU, ZR_NN_ACT_LINEAR};
        bad |= forward_case("mlp_784_256_128_10", 3, w, acts, 33, 0.08f);
    }
    math_case();
    bad |= train_case();
    return bad;
}
